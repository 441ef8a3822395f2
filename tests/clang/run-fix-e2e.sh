#!/usr/bin/env bash
# run-fix-e2e.sh CLI
# The README's C++ recipe end to end: a libcurl program that sends Zoho's legacy authtoken
# (in the URL of a request without headers, in the URL of a request with a header list, and
# as a Zoho-authtoken header built in a variable) is refused by `CLI mock-server`; after
# `CLI scan --export-fixes fixes/zoho.yaml`, clang-apply-replacements and `CLI helper --lang
# cpp --out src/`, the same program builds and every request succeeds with the OAuth header.
# Needs g++, libcurl development files and clang-apply-replacements (Debian: g++,
# libcurl4-openssl-dev, clang-tools-14). Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-clang-fix-e2e.XXXXXX")"
MOCK_PID=""
cleanup() {
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null; wait "$MOCK_PID" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }
die() { echo "FAIL $1"; exit 1; }

CAR="$(command -v clang-apply-replacements-14 || command -v clang-apply-replacements)" ||
  die "clang-apply-replacements not found (Debian: clang-tools-14)"
command -v g++ > /dev/null || die "g++ not found"

mkdir -p "$TMP/src"
cat > "$TMP/src/crm_sync.cpp" <<'CEOF'
// Legacy Zoho CRM client: the API base comes from configuration.
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
  std::printf("%s %ld %.80s\n", what, status, body.c_str());
  return status;
}

long leads(const std::string &zoho_base, const std::string &token) {
  CURL *curl = curl_easy_init();
  std::string body;
  std::string url = zoho_base + "/crm/v2/Leads?authtoken=" + token;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  long status = finish(curl, "leads", body);
  curl_easy_cleanup(curl);
  return status;
}

long contacts(const std::string &zoho_base, const std::string &token) {
  CURL *curl = curl_easy_init();
  std::string body;
  struct curl_slist *headers = curl_slist_append(nullptr, "Accept: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, (zoho_base + "/crm/v2/Contacts?authtoken=" + token + "&page=1").c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  long status = finish(curl, "contacts", body);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

long deals(const std::string &zoho_base, const std::string &token) {
  CURL *curl = curl_easy_init();
  std::string body;
  std::string auth = "Authorization: Zoho-authtoken " + token;
  struct curl_slist *headers = curl_slist_append(nullptr, auth.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, (zoho_base + "/crm/v2/Deals").c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  long status = finish(curl, "deals", body);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

int main() {
  const char *base = std::getenv("ZOHO_API_BASE");
  const char *token = std::getenv("ZOHO_CRM_TOKEN");
  if (!base)
    return 2;
  std::string t = token ? token : "";
  bool ok = leads(base, t) == 200;
  ok = contacts(base, t) == 200 && ok;
  ok = deals(base, t) == 200 && ok;
  return ok ? 0 : 1;
}
CEOF

# shellcheck source=../helpers/start-mock.sh
. "$(dirname "${BASH_SOURCE[0]}")/../helpers/start-mock.sh"
start_mock "$CLI" "$TMP" || die "the mock server did not start"
MOCK="http://127.0.0.1:$PORT"
export ZOHO_API_BASE="$MOCK" ZOHO_ACCOUNTS_URL="$MOCK"
export ZOHO_CLIENT_ID="1000.SELFCLIENT00000000000000000000"
export ZOHO_CLIENT_SECRET="5e1fc11e00000000000000000000000000000000"
unset ZOHO_DC ZOHO_TOKEN_CACHE ZOHO_REFRESH_TOKEN

# Before: the legacy program builds and Zoho refuses every request.
g++ -std=c++17 "$TMP/src/crm_sync.cpp" -lcurl -o "$TMP/legacy" > "$TMP/build0.log" 2>&1 ||
  { cat "$TMP/build0.log"; die "the legacy program does not build"; }
OUT0="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef "$TMP/legacy")"; RC0=$?
echo "$OUT0"
if [ "$RC0" -eq 1 ] && [ "$(echo "$OUT0" | grep -c ' 401 ')" -eq 3 ]; then
  pass "the legacy program's three requests are refused (401)"
else fail "the legacy program: exit $RC0"; fi

# The README's recipe, from the project directory.
cd "$TMP"
"$CLI" scan src --export-fixes fixes/zoho.yaml --color never > scan.txt 2>&1
[ -s fixes/zoho.yaml ] && pass "--export-fixes fixes/zoho.yaml created fixes/" || { cat scan.txt; die "no fixes/zoho.yaml"; }
"$CLI" helper --lang cpp --out src/ > helper.log 2>&1 || { cat helper.log; die "helper --lang cpp failed"; }
"$CAR" fixes/ > car.log 2>&1 || { cat car.log; die "clang-apply-replacements failed"; }
if grep -qi 'authtoken=' src/crm_sync.cpp || grep -q 'Zoho-authtoken' src/crm_sync.cpp; then
  fail "legacy credentials left in the fixed file"; else pass "no legacy credential left in the fixed file"; fi
"$CLI" scan src/crm_sync.cpp --fail-on error --quiet > rescan.txt 2>&1 &&
  pass "the fixed file scans clean" || { cat rescan.txt; fail "the fixed file still has findings"; }

# After: it builds with the generated helper and every request succeeds with OAuth.
g++ -std=c++17 -Wall -Isrc src/crm_sync.cpp src/zoho_oauth.cpp -lcurl -pthread -o fixed > build1.log 2>&1 ||
  { cat build1.log; cat src/crm_sync.cpp; die "the fixed program does not build"; }
pass "the fixed program builds with zoho_oauth.cpp"
RT=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" \
  "$MOCK/__admin/refresh-tokens" | sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
OUT1="$(ZOHO_REFRESH_TOKEN="$RT" ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef ./fixed)"; RC1=$?
echo "$OUT1"
if [ "$RC1" -eq 0 ] && [ "$(echo "$OUT1" | grep -c ' 200 ')" -eq 3 ]; then
  pass "the fixed program's three requests succeed with the OAuth header"
else cat src/crm_sync.cpp; fail "the fixed program: exit $RC1"; fi
[ "$FAILED" -eq 0 ]
