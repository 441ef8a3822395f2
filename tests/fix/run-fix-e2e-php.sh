#!/usr/bin/env bash
# run-fix-e2e-php.sh CLI
# `fix` end to end for PHP: three small legacy programs calling `CLI mock-server` with the
# authtoken in the URL are refused; `CLI fix` prints one patch, `git apply` applies it, and
# the programs then succeed with the mock's client credentials in the environment (one
# token, shared through ZOHO_TOKEN_CACHE):
#   app/leads.php     curl (CURLOPT_RETURNTRANSFER): curlHeaders + curlExec, which retries
#                     once after a 401;
#   app/contacts.php  file_get_contents($url): a stream context is added inside the
#                     helper's withRetryOnInvalidToken, which retries after the http
#                     wrapper's 401;
#   app/deals.php     file_get_contents with a stream context built beforehand: the header
#                     joins the context, and there is no retry (documented in the summary).
# After the mock's clock jumps past the token's expiry, and after the access token is
# revoked, the two retrying programs get a 401, refresh once and succeed; the program
# without a retry fails with the 401 until one of them has refreshed the shared cache, then
# succeeds. (Guzzle is not installed on Debian by default: its recipes are proven by
# fixture pairs only.) Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup php
command -v php > /dev/null || die "php not found (scripts/bootstrap installs php-cli php-curl)"
php -r 'exit(function_exists("curl_init") ? 0 : 1);' || die "the PHP curl extension is not loaded (php-curl)"

mkdir -p "$TMP/repo/app"
cat > "$TMP/repo/app/leads.php" <<'PHPEOF'
<?php
// Legacy Zoho CRM client on curl: the API base and the token come from the environment.

function leads($base, $token)
{
    $ch = curl_init($base . '/crm/v2/Leads?authtoken=' . $token . '&scope=crmapi');
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    curl_setopt($ch, CURLOPT_HTTPHEADER, ['Accept: application/json']);
    $body = curl_exec($ch);
    $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    $data = json_decode((string) $body, true);
    echo 'leads ', $status, ' ', count($data['data'] ?? []), "\n";
    return $status;
}

exit(leads(getenv('ZOHO_API_BASE'), (string) getenv('ZOHO_CRM_TOKEN')) === 200 ? 0 : 1);
PHPEOF
cat > "$TMP/repo/app/contacts.php" <<'PHPEOF'
<?php
// Legacy Zoho CRM client on file_get_contents.

function contacts($base, $token)
{
    $body = @file_get_contents("$base/crm/v2/Contacts?authtoken=$token&scope=crmapi");
    if ($body === false) {
        $error = error_get_last();
        echo 'contacts ', preg_match('~HTTP/[0-9.]+ (\d{3})~', $error['message'] ?? '', $m) ? $m[1] : 'error', "\n";
        return false;
    }
    $data = json_decode($body, true);
    echo 'contacts 200 ', count($data['data'] ?? []), "\n";
    return true;
}

exit(contacts(getenv('ZOHO_API_BASE'), (string) getenv('ZOHO_CRM_TOKEN')) ? 0 : 1);
PHPEOF
cat > "$TMP/repo/app/deals.php" <<'PHPEOF'
<?php
// Legacy Zoho CRM client on file_get_contents with a stream context built first.

function deals($base, $token)
{
    $context = stream_context_create(['http' => ['method' => 'GET', 'header' => "Accept: application/json\r\n", 'timeout' => 10]]);
    $body = @file_get_contents($base . '/crm/v2/Deals?authtoken=' . $token . '&scope=crmapi', false, $context);
    if ($body === false) {
        $error = error_get_last();
        echo 'deals ', preg_match('~HTTP/[0-9.]+ (\d{3})~', $error['message'] ?? '', $m) ? $m[1] : 'error', "\n";
        return false;
    }
    $data = json_decode($body, true);
    echo 'deals 200 ', count($data['data'] ?? []), "\n";
    return true;
}

exit(deals(getenv('ZOHO_API_BASE'), (string) getenv('ZOHO_CRM_TOKEN')) ? 0 : 1);
PHPEOF

e2e_mock
# run NAME: runs app/NAME.php, its output in OUT and its exit status in RC.
run() { OUT="$(php -d display_errors=stderr "app/$1.php" 2>&1)"; RC=$?; echo "$OUT"; }

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy

# Before: Zoho refuses the legacy token.
export ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef
for p in leads contacts deals; do
  run $p
  if [ "$RC" -eq 1 ] && grep -q "^$p 401" <<< "$OUT"; then
    pass "the legacy $p program is refused (401)"
  else fail "the legacy $p program: exit $RC"; fi
done
[ "$(stats legacy_authtoken_requests)" -ge 3 ] && pass "the mock saw the legacy authtoken" ||
  fail "the mock counted no legacy authtoken requests"

# The patch, applied with git apply from the repository root.
"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f app/ZohoOAuth.php ] && pass "the helper was added beside the programs (app/ZohoOAuth.php)" ||
  fail "no app/ZohoOAuth.php"
if grep -qi 'authtoken' app/leads.php app/contacts.php app/deals.php; then
  fail "an authtoken is still in a program"; else pass "no authtoken left in the programs"; fi
ok=1
for f in app/*.php; do php -l "$f" > /dev/null || ok=0; done
[ "$ok" -eq 1 ] && pass "the patched programs and the helper pass php -l" || fail "php -l"
grep -q "app/leads.php:.*curl_exec(\$ch)\` retries once after a 401" "$TMP/fix.err" &&
  grep -q "app/contacts.php:.*it retries once after a 401" "$TMP/fix.err" &&
  grep -q "app/deals.php:.*no 401 retry: the stream context is created before the request" "$TMP/fix.err" &&
  pass "the summary says which request retries after a 401 and which does not" ||
  fail "the summary does not say which requests retry"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT" ZOHO_CRM_TOKEN=legacy
cached_token() { sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$ZOHO_TOKEN_CACHE"; }

# First runs: one token request, shared by the three programs through the cache file.
T0="$(stats token_requests)"
ok=1
for p in leads contacts deals; do run $p; { [ "$RC" -eq 0 ] && grep -q "^$p 200" <<< "$OUT"; } || ok=0; done
T1="$(stats token_requests)"
[ "$ok" -eq 1 ] && [ $((T1 - T0)) -eq 1 ] &&
  pass "after the patch the three requests succeed with the OAuth header, one token request" ||
  fail "after the patch: programs ok=$ok, token requests $T0 -> $T1"

# expect PROGRAM STATUS REFRESHES LABEL: runs it, checks the status line and how many token
# requests and refused resource requests it caused.
expect() {
  local t0 d0 t1 d1
  t0="$(stats token_requests)"; d0="$(stats resource_denied)"
  run "$1"
  t1="$(stats token_requests)"; d1="$(stats resource_denied)"
  if grep -q "^$1 $2" <<< "$OUT" && [ $((t1 - t0)) -eq "$3" ] && [ $((d1 - d0)) -eq "$5" ]; then
    pass "$4"
  else fail "$4 (exit $RC, token requests $t0 -> $t1, refused $d0 -> $d1)"; fi
}

# The mock's clock jumps past the token's expiry (the helper's own clock does not know).
admin clock/advance '{"seconds": 3700}' > /dev/null
expect deals 401 0 "past expiry, no retry (deals.php): the refused token is reported, no refresh" 1
expect deals 401 0 "past expiry, no retry: still refused while the shared cache holds the token" 1
expect contacts 200 1 "past expiry, file_get_contents in the retry wrapper: a 401, one refresh, one retry, 200" 1
expect deals 200 0 "past expiry, no retry: succeeds once another program refreshed the shared cache" 0
admin clock/advance '{"seconds": 3700}' > /dev/null
expect leads 200 1 "past expiry, curl with curlExec: a 401, one refresh, one retry, 200" 1

# The access token is revoked.
admin revoke "{\"token\":\"$(cached_token)\"}" > /dev/null
expect leads 200 1 "after a revoked token, curl with curlExec: a 401, one refresh, one retry, 200" 1
admin revoke "{\"token\":\"$(cached_token)\"}" > /dev/null
expect contacts 200 1 "after a revoked token, file_get_contents: a 401, one refresh, one retry, 200" 1
admin revoke "{\"token\":\"$(cached_token)\"}" > /dev/null
expect deals 401 0 "after a revoked token, no retry (deals.php): the 401 is reported" 1
expect leads 200 1 "after a revoked token: the curl program refreshes the shared cache" 1
expect deals 200 0 "after a revoked token, no retry: succeeds with the refreshed cached token" 0

if grep -Eq '1000\.[0-9a-f]{32}\.[0-9a-f]{32}' "$TMP/fix.err" "$TMP/fix.patch"; then
  fail "a token value appears in fix's output"; fi
[ "$FAILED" -eq 0 ]
