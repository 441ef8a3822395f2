#!/usr/bin/env bash
# run-fix-e2e-node.sh CLI
# `fix` end to end for JavaScript (Node 18+): two small legacy programs send Zoho's authtoken
# and are refused by `CLI mock-server`:
#   app/leads.js   CommonJS, the global fetch, the token in the URL (with scope=crmapi);
#   app/deals.mjs  an ES module, axios (pinned, from the npm registry), the token in `params`;
#   app/contacts.js an axios instance whose default header is `Zoho-authtoken …` (rewritten
#                  to a request interceptor: checked on the first run only, it has no retry);
#   app/calls.js   callback style outside async code (node http: `http.get(url, cb)
#                  .on('error', done)` and `http.request(opts, cb).on('error', …).end(body)`):
#                  rewritten to wait for the helper's header (callback-then). It has no 401
#                  retry, so it is checked for what really happens: 200 on a first run (one
#                  refresh, its own ZOHO_TOKEN_CACHE); after the mock's clock jumps past the
#                  token's expiry the helper's clock still says the token is fresh, so the
#                  callback gets the mock's 401 and nothing is refreshed; once the helper's
#                  clock is inside its 300 s expiry margin (the cache file's expires_at moved
#                  to now + 120 s) it refreshes before the request: 200; a revoked token:
#                  the callback gets the 401; a helper error (an unknown refresh token) reaches
#                  the request's 'error' listener and no API request is made.
# `CLI fix` prints a patch, `git apply` applies it (the helper is added beside them, loaded
# with require and with import), and both programs then succeed with the mock's client
# credentials in the environment:
#   - on a first run (a fresh token, kept in ZOHO_TOKEN_CACHE);
#   - after the mock's clock jumps past the token's expiry (the cached token is refused
#     with 401, the helper's wrapper refreshes once and retries once);
#   - after the access token is revoked (401, one refresh, one retry).
# A browser script under public/ is left alone with the browser reason.
# axios comes from tests/fix/node-e2e/package-lock.json (exact versions and integrity),
# installed once with `npm ci` into a cache directory. Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup node
command -v node > /dev/null || die "node not found (install Debian's nodejs package)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] || die "node >= 18 needed (global fetch), found $(node --version)"
command -v curl > /dev/null || die "curl not found"

# --- axios, pinned: npm ci of the lock file into a cache keyed by the lock file ---------
LOCK="$HERE/node-e2e/package-lock.json"
KEY="$(sha256sum "$LOCK" | cut -c1-16)"
CACHE_ROOT="${XDG_CACHE_HOME:-${HOME:-$TMP}/.cache}/authtoken-migrate/fix-e2e-node"
DEPS="$CACHE_ROOT/$KEY"
WANT="$(node -p "require('$LOCK').packages['node_modules/axios'].version")"
have_axios() { [ "$(node -p "try { require('$1/node_modules/axios/package.json').version } catch { '' }" 2>/dev/null)" = "$WANT" ]; }
if ! have_axios "$DEPS"; then
  command -v npm > /dev/null || die "npm not found: cannot install axios@$WANT from the npm registry"
  mkdir -p "$CACHE_ROOT" 2>/dev/null || { CACHE_ROOT="$TMP/deps"; DEPS="$CACHE_ROOT/$KEY"; mkdir -p "$CACHE_ROOT"; }
  STAGE="$(mktemp -d "$CACHE_ROOT/.install.XXXXXX")"
  cp "$HERE/node-e2e/package.json" "$LOCK" "$STAGE/"
  if (cd "$STAGE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) > "$TMP/npm.log" 2>&1 && have_axios "$STAGE"; then
    # Another run may have finished first: keep whichever is complete.
    mv -T "$STAGE" "$DEPS" 2>/dev/null || rm -rf "$STAGE"
  else
    cat "$TMP/npm.log"; rm -rf "$STAGE"; die "npm ci of tests/fix/node-e2e failed"
  fi
fi
have_axios "$DEPS" && pass "axios $WANT from the lock file ($DEPS)" || die "axios $WANT not installed"

# --- the legacy programs ------------------------------------------------------------------
mkdir -p "$TMP/repo/app" "$TMP/repo/public"
cat > "$TMP/repo/app/leads.js" <<'JSEOF'
'use strict';
// Legacy Zoho CRM client (CommonJS, global fetch): the API base and the token come from
// the environment.
const BASE = process.env.ZOHO_API_BASE;

async function leads(token) {
  const res = await fetch(BASE + '/crm/v2/Leads?authtoken=' + token + '&scope=crmapi');
  const body = await res.json().catch(() => ({}));
  console.log('leads', res.status, res.status === 200 ? (body.data || []).length : body.code);
  return res.status;
}

leads(process.env.ZOHO_CRM_TOKEN || '').then(
  (status) => { process.exitCode = status === 200 ? 0 : 1; },
  (err) => { console.log('leads error', err.name, err.message); process.exitCode = 2; },
);
JSEOF
cat > "$TMP/repo/app/deals.mjs" <<'JSEOF'
// Legacy Zoho CRM client (ES module, axios).
import axios from 'axios';

const BASE = process.env.ZOHO_API_BASE;

export async function deals(token) {
  try {
    const res = await axios.get(`${BASE}/crm/v2/Deals`, {
      params: { authtoken: token, scope: 'crmapi' },
      headers: { Accept: 'application/json' },
    });
    console.log('deals', res.status, res.data.data.length);
    return res.status;
  } catch (err) {
    if (!err.response) throw err;
    console.log('deals', err.response.status, err.response.data && err.response.data.code);
    return err.response.status;
  }
}

try {
  process.exitCode = (await deals(process.env.ZOHO_CRM_TOKEN || '')) === 200 ? 0 : 1;
} catch (err) {
  console.log('deals error', err.name, err.message);
  process.exitCode = 2;
}
JSEOF
cat > "$TMP/repo/app/contacts.js" <<'JSEOF'
'use strict';
// Legacy Zoho CRM client: an axios instance with the legacy header as its default.
const axios = require('axios');

const api = axios.create({ baseURL: `${process.env.ZOHO_API_BASE}/crm/v2` });
api.defaults.headers.common['Authorization'] = 'Zoho-authtoken ' + (process.env.ZOHO_CRM_TOKEN || '');

api.get('/Contacts').then(
  (res) => { console.log('contacts', res.status, res.data.data.length); },
  (err) => {
    console.log('contacts', err.response ? err.response.status : `error ${err.message}`);
    process.exitCode = 1;
  },
);
JSEOF
cat > "$TMP/repo/app/calls.js" <<'JSEOF'
'use strict';
// Legacy Zoho CRM client, callback style (node http, no async code): the token in the URL.
const http = require('http');

const BASE = process.env.ZOHO_API_BASE;

function list(path, token, done) {
  http.get(BASE + path + '?authtoken=' + token + '&scope=crmapi', (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', () => done(null, res.statusCode, body));
  }).on('error', done);
}

function create(path, token, record, done) {
  const { hostname, port } = new URL(BASE);
  http.request({
    hostname,
    port,
    path: path + '?authtoken=' + token,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
  }, (res) => {
    res.resume();
    res.on('end', () => done(null, res.statusCode));
  }).on('error', (err) => done(err)).end(JSON.stringify({ data: [record] }));
}

function report(err) {
  console.log('calls error', err.name, err.message);
  process.exitCode = 2;
}

const token = process.env.ZOHO_CRM_TOKEN || '';
list('/crm/v2/Calls', token, (err, status, body) => {
  if (err) return report(err);
  let json = {};
  try { json = JSON.parse(body); } catch { /* not JSON */ }
  console.log('calls', status, status === 200 ? (json.data || []).length : json.code);
  if (status !== 200) { process.exitCode = 1; return; }
  create('/crm/v2/Leads', token, { Last_Name: 'Callback' }, (err2, created) => {
    if (err2) return report(err2);
    console.log('calls create', created);
    process.exitCode = created === 201 ? 0 : 1;
  });
});
JSEOF
cat > "$TMP/repo/public/widget.js" <<'JSEOF'
// Served to the browser: it cannot hold the client secret.
async function leadCount(token) {
  const res = await fetch('https://www.zohoapis.com/crm/v2/Leads?authtoken=' + token);
  return (await res.json()).data.length;
}
JSEOF
printf 'node_modules/\n' > "$TMP/repo/.gitignore"
ln -s "$DEPS/node_modules" "$TMP/repo/node_modules"

e2e_mock
unset ZOHO_RETRY_BASE_MS

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy

# Before: Zoho refuses the legacy token, in both programs.
for prog in app/leads.js app/deals.mjs app/contacts.js app/calls.js; do
  OUT="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef node "$prog")"; RC=$?
  echo "$OUT"
  if [ "$RC" -eq 1 ] && grep -Eq '^(leads|deals|contacts|calls) 401' <<< "$OUT"; then
    pass "$prog (legacy) is refused (401)"
  else fail "$prog (legacy): exit $RC"; fi
done

# The patch, applied with git apply from the repository root.
"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f app/zoho-oauth.cjs ] && [ -f app/zoho-oauth.d.cts ] &&
  pass "the helper was added beside the programs (app/zoho-oauth.cjs, .d.cts)" || fail "no helper in app/"
[ ! -e public/zoho-oauth.cjs ] && git diff --quiet -- public/ &&
  pass "public/widget.js (browser code) is left alone" || fail "public/ was changed"
grep -q 'public/widget.js:3: zoho-authtoken-url-param: left for a person: browser code cannot hold the OAuth client secret' "$TMP/fix.err" &&
  pass "the summary gives the browser reason" || fail "no browser reason in the summary"
grep -qF "const { ZohoOAuth } = require('./zoho-oauth.cjs');" app/leads.js &&
  grep -qF "import { ZohoOAuth } from './zoho-oauth.cjs';" app/deals.mjs &&
  pass "require in the CommonJS file, import in the ES module" || fail "imports"
grep -qF 'api.interceptors.request.use(async (config) => {' app/contacts.js &&
  pass "the axios default header became a request interceptor" || fail "app/contacts.js: no interceptor"
[ "$(grep -c 'ZohoOAuth.shared().getAuthorizationHeader().then((authorization) =>' app/calls.js)" -eq 2 ] &&
  pass "both callback-style requests of app/calls.js wait for the helper's header" ||
  { cat app/calls.js; fail "app/calls.js: the callback-style requests were not rewritten"; }
[ "$(grep -c "^  app/calls.js:[0-9]*: zoho-authtoken-url-param: fixed: .*no retry after a 401: the callback gets the 401 response (js-node-http)" "$TMP/fix.err")" -eq 2 ] &&
  pass "the summary says the callback-style requests have no 401 retry" || fail "app/calls.js: summary lines"
if grep -qi 'authtoken' app/leads.js app/deals.mjs app/contacts.js app/calls.js; then fail "an authtoken is still in a program"; else
  pass "no authtoken left in the programs"; fi
grep -c 'withRetryOnInvalidToken((authorization) =>' app/leads.js app/deals.mjs | grep -q ':0$' &&
  fail "a request is not wrapped in the 401 retry" || pass "both requests are wrapped in the 401 retry"
node --check app/leads.js && node --check app/deals.mjs && node --check app/contacts.js && node --check app/calls.js &&
  pass "the patched programs parse (node --check)" ||
  fail "node --check"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"
cached_token() { sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$ZOHO_TOKEN_CACHE"; }

# run PROG LABEL EXPECTED_TOKEN_REQUESTS: exit 0, a 200 line, and that many refreshes.
run() {
  local t0 t1 out rc
  t0="$(stats token_requests)"
  out="$(ZOHO_CRM_TOKEN=legacy node "$1")"; rc=$?
  echo "$out"
  t1="$(stats token_requests)"
  if [ "$rc" -eq 0 ] && grep -Eq '^(leads|deals|contacts) 200' <<< "$out" && [ "$((t1 - t0))" -eq "$3" ]; then
    pass "$1: $2"
  else fail "$1: $2 (exit $rc, token requests $t0 -> $t1, expected +$3)"; fi
}
run app/leads.js "after the patch: 200 with the OAuth header (one refresh)" 1
run app/deals.mjs "after the patch: 200, the cached token (no refresh)" 0
run app/contacts.js "after the patch: 200, the header from the interceptor (cached token)" 0
R401_0="$(grep -c 'status=401' "$TMP/mock.log")"
for prog in app/leads.js app/deals.mjs; do
  # The mock's clock jumps past the token's expiry: the cached token is refused once.
  admin clock/advance '{"seconds": 3700}' > /dev/null
  run "$prog" "past expiry: a 401, one refresh and one retry, then 200" 1
  # The access token is revoked: 401, refresh, retry.
  AT="$(cached_token)"
  [ -n "$AT" ] || fail "no access token in the cache file"
  admin revoke "{\"token\":\"$AT\"}" > /dev/null
  run "$prog" "after a revoked token: a 401, one refresh and one retry, then 200" 1
done
R401_1="$(grep -c 'status=401' "$TMP/mock.log")"
[ "$((R401_1 - R401_0))" -eq 4 ] && pass "exactly one 401 per expired or revoked token (4)" ||
  fail "401 answers after the patch: $((R401_1 - R401_0)), expected 4"

# --- app/calls.js: callback style, no 401 retry ---------------------------------------------
# calls EXIT LINE TOKEN_REQUESTS API_REQUESTS LABEL: its exit code, an output line (ERE), and how
# many token and API requests the mock saw.
calls() {
  local t0 a0 t1 a1 out rc
  t0="$(stats token_requests)"; a0="$(stats resource_requests)"
  out="$(ZOHO_CRM_TOKEN=legacy node app/calls.js)"; rc=$?
  echo "$out"
  t1="$(stats token_requests)"; a1="$(stats resource_requests)"
  if [ "$rc" -eq "$1" ] && grep -Eq "$2" <<< "$out" && [ "$((t1 - t0))" -eq "$3" ] && [ "$((a1 - a0))" -eq "$4" ]; then
    pass "app/calls.js: $5"
  else fail "app/calls.js: $5 (exit $rc, token requests +$((t1 - t0)), API requests +$((a1 - a0)); expected exit $1, +$3, +$4)"; fi
}
export ZOHO_TOKEN_CACHE="$TMP/calls-cache.json"
calls 0 '^calls create 201$' 1 2 "after the patch: 200 and 201 with the OAuth header (one refresh)"
admin clock/advance '{"seconds": 3700}' > /dev/null
calls 1 '^calls 401 ' 0 1 "past the mock's expiry, not the helper's: the cached token is sent, the callback gets the 401 (no retry, no refresh)"
# The helper's clock reaches its expiry margin (300 s): the cache file's expiry is 120 s away.
SOON=$(( $(date +%s) + 120 ))
sed -i "s/\"expires_at\":[0-9]*/\"expires_at\":$SOON/" "$ZOHO_TOKEN_CACHE"
grep -q "\"expires_at\":$SOON" "$ZOHO_TOKEN_CACHE" || fail "could not move the cache file's expiry"
calls 0 '^calls create 201$' 1 2 "inside the helper's expiry margin: refreshed before the request, then 200 and 201"
AT="$(cached_token)"
[ -n "$AT" ] || fail "no access token in app/calls.js's cache file"
admin revoke "{\"token\":\"$AT\"}" > /dev/null
calls 1 '^calls 401 ' 0 1 "a revoked token: the callback gets the 401 (no retry)"
# A helper error (Zoho refuses the refresh token) reaches the request's 'error' listener.
export ZOHO_TOKEN_CACHE="$TMP/calls-cache-2.json"
ZOHO_REFRESH_TOKEN="1000.unknown0000000000000000000000000000.00000000000000000000000000000000" \
  calls 2 '^calls error InvalidGrantError ' 1 0 "a helper error (unknown refresh token) goes to the 'error' listener; no API request"
[ "$FAILED" -eq 0 ]
