#!/usr/bin/env bash
# run-fix-e2e-shell.sh CLI
# `fix` end to end for shell: a legacy bash script (set -euo pipefail) calls `CLI mock-server`
# with curl, once with `?authtoken=` in a URL continued over two lines inside `$(…)` and once
# with an `Authorization: Zoho-authtoken` header in a pipeline; the mock refuses both. `CLI fix`
# prints a patch, `git apply` applies it (curl -> zoho_curl, the helper sourced, the helper
# file added), and the same script then succeeds with the mock's client credentials in the
# environment (ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_ACCOUNTS_URL,
# ZOHO_TOKEN_CACHE):
#   - on a first run (one refresh, the token kept in ZOHO_TOKEN_CACHE for the second call);
#   - after the mock's clock jumps past the token's expiry (the cached token is refused with
#     401: exactly one 401, one refresh and one retry);
#   - after the access token is revoked (the same).
# Run from another directory (the helper is found beside the script). Server on 127.0.0.1,
# ephemeral port. Token values are never printed.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup sh
for tool in curl git sed; do command -v "$tool" > /dev/null || die "$tool not found"; done

mkdir -p "$TMP/repo/bin" "$TMP/elsewhere"
cat > "$TMP/repo/bin/crm-export.sh" <<'SHEOF'
#!/bin/bash
# Legacy Zoho CRM export: the API base and the token come from the environment.
set -euo pipefail

leads=$(curl -s \
  "$ZOHO_API_BASE/crm/v2/Leads?authtoken=${ZOHO_CRM_TOKEN:-}&scope=crmapi&per_page=5")
case $leads in
  *'"data"'*) echo "leads 200" ;;
  *) echo "leads refused: $(printf '%s' "$leads" | head -c 60)"; exit 1 ;;
esac
curl -s -H "Authorization: Zoho-authtoken ${ZOHO_CRM_TOKEN:-}" "$ZOHO_API_BASE/crm/v2/Contacts" |
  grep -q '"data"' && echo "contacts 200"
SHEOF
chmod +x "$TMP/repo/bin/crm-export.sh"

e2e_mock
unset ZOHO_TOKEN_MARGIN
export ZOHO_RETRY_BASE_MS=1
# run NAME: runs the script from another directory; its output in $TMP/NAME.out, exit in RC.
run() {
  (cd "$TMP/elsewhere" && "$TMP/repo/bin/crm-export.sh") > "$TMP/$1.out" 2> "$TMP/$1.err"
  RC=$?
  sed 's/^/    /' "$TMP/$1.out"
  [ -s "$TMP/$1.err" ] && sed 's/^/    stderr: /' "$TMP/$1.err"
  return 0
}
# counters NAME: snapshot of the mock's counters.
counters() { eval "$1_denied=$(stats resource_denied) $1_ok=$(stats resource_ok) $1_refresh=$(stats refresh_grants)"; }

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy

# Before: Zoho refuses the legacy token.
ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef run before
if [ "$RC" -eq 1 ] && grep -q '^leads refused' "$TMP/before.out"; then
  pass "the legacy script is refused (401)"
else fail "the legacy script: exit $RC"; fi

# The patch, applied with git apply from the repository root.
"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
grep -q '^fix: 2 finding(s) fixed, 0 left' "$TMP/fix.err" && pass "both findings fixed" ||
  fail "the summary does not say 2 fixed, 0 left"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -x bin/zoho-oauth.sh ] && pass "the helper was added beside the script (bin/zoho-oauth.sh, executable)" ||
  fail "no executable bin/zoho-oauth.sh"
if grep -qi 'authtoken' bin/crm-export.sh; then fail "the authtoken is still in the script"; else
  pass "no authtoken left in the script"; fi
[ "$(grep -c '^\. .*zoho-oauth\.sh"$' bin/crm-export.sh)" -eq 1 ] && [ "$(grep -c 'zoho_curl' bin/crm-export.sh)" -eq 2 ] &&
  pass "the script sources the helper once and calls zoho_curl twice" || { cat bin/crm-export.sh; fail "unexpected rewrite"; }
bash -n bin/crm-export.sh && pass "the patched script parses (bash -n)" || fail "bash -n"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"

# First run: one refresh, both calls answered 200, no 401.
counters a
ZOHO_CRM_TOKEN=legacy run first
counters b
if [ "$RC" -eq 0 ] && grep -q '^leads 200' "$TMP/first.out" && grep -q '^contacts 200' "$TMP/first.out" &&
  [ $((b_refresh - a_refresh)) -eq 1 ] && [ $((b_denied - a_denied)) -eq 0 ]; then
  pass "after the patch both requests succeed with the OAuth header (one refresh, cached for the second)"
else fail "after the patch: exit $RC (refreshes +$((b_refresh - a_refresh)), 401s +$((b_denied - a_denied)))"; fi
[ -f "$ZOHO_TOKEN_CACHE" ] && [ "$(stat -c %a "$ZOHO_TOKEN_CACHE")" = 600 ] &&
  pass "the token cache is a 0600 file" || fail "no 0600 token cache"

# The mock's clock jumps past the token's expiry; the cached token is refused once.
admin clock/advance '{"seconds": 3700}' > /dev/null
run expired
counters c
if [ "$RC" -eq 0 ] && [ $((c_denied - b_denied)) -eq 1 ] && [ $((c_refresh - b_refresh)) -eq 1 ] &&
  [ $((c_ok - b_ok)) -eq 2 ]; then
  pass "past expiry: one 401, one refresh and one retry, then 200 for both requests"
else fail "past expiry: exit $RC (401s +$((c_denied - b_denied)), refreshes +$((c_refresh - b_refresh)), ok +$((c_ok - b_ok)))"; fi

# The access token is revoked: 401, refresh, retry.
AT="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$ZOHO_TOKEN_CACHE")"
[ -n "$AT" ] || fail "no access token in the cache file"
admin revoke "{\"token\":\"$AT\"}" > /dev/null
run revoked
counters d
if [ "$RC" -eq 0 ] && [ $((d_denied - c_denied)) -eq 1 ] && [ $((d_refresh - c_refresh)) -eq 1 ] &&
  [ $((d_ok - c_ok)) -eq 2 ]; then
  pass "after a revoked token: one 401, one refresh and one retry, then 200"
else fail "after revoke: exit $RC (401s +$((d_denied - c_denied)), refreshes +$((d_refresh - c_refresh)), ok +$((d_ok - c_ok)))"; fi

# Without credentials the patched script fails loudly (set -e): the helper's configuration exit.
(unset ZOHO_CLIENT_SECRET; rm -f "$ZOHO_TOKEN_CACHE"; run nocreds; echo "$RC" > "$TMP/nocreds.rc")
RC="$(cat "$TMP/nocreds.rc")"
if [ "$RC" -eq 2 ] && grep -q 'ZOHO_CLIENT_SECRET is not set' "$TMP/nocreds.err"; then
  pass "without ZOHO_CLIENT_SECRET the script stops with the helper's configuration error (exit 2)"
else fail "without credentials: exit $RC"; fi
[ "$FAILED" -eq 0 ]
