#!/usr/bin/env bash
# run-fix-e2e-cpp.sh CLI
# `fix` end to end for C++ (libcurl, through the Clang front end): a small legacy program
# sends the authtoken in a URL (a request without a header list), in a URL of a request that
# has a header list, and in a CURLOPT_POSTFIELDS form body; `CLI mock-server` refuses all
# three with Zoho's error. `CLI fix` prints one patch (the helper zoho_oauth.h/.cpp added
# once beside the program, its #include after the last #include), `git apply` applies it,
# g++ rebuilds the program with the helper, and it then succeeds with the mock's client
# credentials: on its first run, after a mock-clock jump past the token's expiry and after
# its access token is revoked (a 401 for that token). The libcurl fixes set the header
# before curl_easy_perform and have no retry inside one process (the program's write
# callback has already received the 401's body): the helper keeps the token in memory, so
# each run refreshes once, which is what the runs after the clock jump and the revoke show.
# `fix --check` on the patched tree finds nothing (idempotent) and `scan` reports no
# fixable finding. Needs g++ and libcurl's development files (Debian: g++,
# libcurl4-openssl-dev). Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup cpp
command -v g++ > /dev/null || die "g++ not found"
command -v curl > /dev/null || die "curl not found"
[ -f /usr/include/curl/curl.h ] || [ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] ||
  echo '#include <curl/curl.h>' | g++ -x c++ -fsyntax-only - 2> /dev/null ||
  die "libcurl development files not found (Debian: libcurl4-openssl-dev)"

mkdir -p "$TMP/repo/src"
cat > "$TMP/repo/src/crm_sync.cpp" <<'CEOF'
// Legacy Zoho CRM client (libcurl): the API base and the token come from the environment.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <curl/curl.h>

static size_t collect(char *p, size_t size, size_t n, void *out) {
  static_cast<std::string *>(out)->append(p, size * n);
  return size * n;
}

static long finish(CURL *curl, const char *what, std::string &body) {
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK)
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  std::printf("%s %ld %.100s\n", what, status, body.c_str());
  return status;
}

long leads(const std::string &base, const std::string &token) {
  CURL *curl = curl_easy_init();
  std::string body;
  std::string url = base + "/crm/v2/Leads?authtoken=" + token + "&per_page=5";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  long status = finish(curl, "leads", body);
  curl_easy_cleanup(curl);
  return status;
}

long contacts(const std::string &base, const std::string &token) {
  CURL *curl = curl_easy_init();
  std::string body;
  struct curl_slist *headers = curl_slist_append(nullptr, "Accept: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, (base + "/crm/v2/Contacts?page=1&authtoken=" + token).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  long status = finish(curl, "contacts", body);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

long create_lead(const std::string &base, const std::string &token, const std::string &name) {
  CURL *curl = curl_easy_init();
  std::string body;
  std::string form = "authtoken=" + token + "&Last_Name=" + name;
  curl_easy_setopt(curl, CURLOPT_URL, (base + "/crm/v2/Leads").c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.c_str());
  long status = finish(curl, "create", body);
  curl_easy_cleanup(curl);
  return status;
}

int main() {
  const char *base = std::getenv("ZOHO_API_BASE");
  const char *token = std::getenv("ZOHO_CRM_TOKEN");
  if (!base)
    return 2;
  std::string t = token ? token : "";
  curl_global_init(CURL_GLOBAL_DEFAULT);
  bool ok = leads(base, t) == 200;
  ok = contacts(base, t) == 200 && ok;
  ok = create_lead(base, t, "Smith") == 201 && ok;
  curl_global_cleanup();
  return ok ? 0 : 1;
}
CEOF

e2e_mock
unset ZOHO_TOKEN_CACHE # the helper's default: the token in memory, one refresh per run

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy
g++ -std=c++17 src/crm_sync.cpp -lcurl -o "$TMP/legacy" > "$TMP/build0.log" 2>&1 ||
  { cat "$TMP/build0.log"; die "the legacy program does not build"; }

# Before: Zoho refuses the legacy token in the URLs and in the form body.
OUT0="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef "$TMP/legacy")"; RC0=$?
echo "$OUT0"
if [ "$RC0" -eq 1 ] && [ "$(echo "$OUT0" | grep -c ' 401 .*AUTHENTICATION_FAILURE')" -eq 3 ]; then
  pass "the legacy program's three requests are refused with Zoho's error (401 AUTHENTICATION_FAILURE)"
else fail "the legacy program: exit $RC0"; fi
[ "$(stats legacy_authtoken_requests)" = 3 ] && pass "the mock saw three legacy authtokens" ||
  fail "legacy_authtoken_requests: $(stats legacy_authtoken_requests) (expected 3)"

# fix: one patch for the three requests and the helper, applied with git apply.
"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
grep -q 'fix: 3 finding(s) fixed, 0 left for a person' "$TMP/fix.err" &&
  pass "fix reports the three findings fixed" || fail "fix summary"
[ "$(grep -c '^diff --git' "$TMP/fix.patch")" -eq 3 ] &&
  pass "one patch: the program and the two helper files" || fail "the patch has $(grep -c '^diff --git' "$TMP/fix.patch") files"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f src/zoho_oauth.h ] && [ -f src/zoho_oauth.cpp ] && pass "the helper was added beside the program" ||
  fail "no helper in src/"
[ "$(grep -c '#include "zoho_oauth.h"' src/crm_sync.cpp)" -eq 1 ] &&
  [ "$(grep -n '#include' src/crm_sync.cpp | tail -1 | grep -c zoho_oauth)" -eq 1 ] &&
  pass "one #include of the helper, after the last #include" || fail "the helper's #include"
if grep -qi 'authtoken' src/crm_sync.cpp; then fail "an authtoken is still in the program"; else
  pass "no authtoken left in the program"; fi
[ "$(grep -c 'CURLOPT_HTTPHEADER' src/crm_sync.cpp)" -eq 3 ] &&
  pass "the existing header list got the line (no second CURLOPT_HTTPHEADER), the others a new list" ||
  fail "CURLOPT_HTTPHEADER count: $(grep -c 'CURLOPT_HTTPHEADER' src/crm_sync.cpp)"

# Idempotence: nothing left to fix, and scan has no fixable finding.
"$CLI" fix --check --quiet . > "$TMP/again.patch" && [ ! -s "$TMP/again.patch" ] &&
  pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }
"$CLI" scan . --format json --quiet > "$TMP/rescan.json" 2> /dev/null
if grep -q '"fixable": *true' "$TMP/rescan.json"; then fail "scan still reports a fixable finding"; else
  pass "scan reports no fixable finding on the patched tree"; fi

# After: the program builds with the helper and succeeds with OAuth.
g++ -std=c++17 -Wall -Isrc src/crm_sync.cpp src/zoho_oauth.cpp -lcurl -pthread -o "$TMP/fixed" \
  > "$TMP/build1.log" 2>&1 || { cat "$TMP/build1.log"; die "the patched program does not build"; }
pass "the patched program builds with g++ and zoho_oauth.cpp"
RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"
run_fixed() { # WHAT: all three requests succeed, with one token refresh
  local t0 t1 out rc
  t0="$(stats token_requests)"
  out="$(ZOHO_CRM_TOKEN=legacy "$TMP/fixed")"; rc=$?
  t1="$(stats token_requests)"
  echo "$out"
  if [ "$rc" -eq 0 ] && grep -q '^leads 200 ' <<< "$out" && grep -q '^contacts 200 ' <<< "$out" &&
    grep -q '^create 201 ' <<< "$out" && [ $((t1 - t0)) -eq 1 ]; then
    pass "$1"
  else fail "$1 (exit $rc, token requests $t0 -> $t1)"; fi
}
run_fixed "after the patch the three requests succeed with the OAuth header (one refresh)"
D0="$(stats resource_denied)"
admin clock/advance '{"seconds": 3700}' > /dev/null
run_fixed "after a mock-clock jump past the token's expiry: a fresh token, the three requests succeed"
# Revoke every live access token: the token the program used is refused from now on.
ATS="$(curl -s "$MOCK/__admin/tokens" |
  python3 -c 'import json,sys; print("\n".join(t["token"] for t in json.load(sys.stdin)["access_tokens"]))')"
for tok in $ATS; do admin revoke "{\"token\":\"$tok\"}" > /dev/null; done
AT="$(echo "$ATS" | head -n 1)"
[ -n "$AT" ] || fail "no live access token listed by /__admin/tokens"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Zoho-oauthtoken $AT" "$MOCK/crm/v2/Leads")
[ "$CODE" = 401 ] && pass "the revoked access token gets a 401" || fail "revoked token: HTTP $CODE"
run_fixed "after the access token was revoked (401): a fresh token, the three requests succeed"
[ "$(stats resource_denied)" -eq $((D0 + 1)) ] && pass "no request of the patched program was refused" ||
  fail "resource_denied $D0 -> $(stats resource_denied) (expected only the check's 401)"

unset ZOHO_REFRESH_TOKEN
OUT2="$(ZOHO_CRM_TOKEN=legacy "$TMP/fixed" 2>&1)"; RC2=$?
echo "$OUT2"
[ "$RC2" -ne 0 ] && grep -q 'ZOHO_REFRESH_TOKEN' <<< "$OUT2" &&
  pass "without ZOHO_REFRESH_TOKEN the helper's configuration error names it" || fail "missing configuration: exit $RC2"
[ "$FAILED" -eq 0 ]
