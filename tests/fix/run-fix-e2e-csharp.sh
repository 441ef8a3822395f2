#!/usr/bin/env bash
# run-fix-e2e-csharp.sh CLI
# `fix` end to end for C# (Mono: mcs + mono, System.Net.Http): three small legacy programs
# with the authtoken in the URL (HttpClient.GetStringAsync, HttpClient.GetAsync with the URL
# in a variable, WebClient.DownloadString) are refused by `CLI mock-server`; `CLI fix` prints
# one patch, `git apply` applies it (the helper ZohoOAuth.cs goes beside the programs, once),
# the patched programs compile with the helper and succeed with the mock's client
# credentials, sharing one token through ZOHO_TOKEN_CACHE. Then the mock's clock jumps past
# the token's expiry and the token is revoked: the HttpClient programs get a 401, refresh
# once and retry (the helper's GetAsync/GetStringAsync); the WebClient program has no retry
# and reports the 401, and succeeds once another run refreshed the shared cache.
# Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup csharp
for tool in mcs mono curl; do
  command -v "$tool" > /dev/null ||
    die "$tool not found (Debian: mono-mcs mono-runtime libmono-system-net-http4.0-cil curl)"
done

mkdir -p "$TMP/repo/app" "$TMP/bin"
cat > "$TMP/repo/app/Leads.cs" <<'CSEOF'
// Legacy Zoho CRM client on HttpClient.GetStringAsync: base URL and token from the environment.
using System;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

class Leads
{
    static readonly HttpClient client = new HttpClient();

    static async Task<int> RunAsync(string apiBase, string token)
    {
        try
        {
            var body = await client.GetStringAsync(apiBase + "/crm/v2/Leads?authtoken=" + token + "&scope=crmapi");
            Console.WriteLine("leads 200 " + body.Length);
            return 0;
        }
        catch (HttpRequestException e)
        {
            var m = Regex.Match(e.Message, "[0-9]{3}");
            Console.WriteLine("leads " + (m.Success ? m.Value : "error"));
            return 1;
        }
    }

    static int Main()
    {
        return RunAsync(Environment.GetEnvironmentVariable("ZOHO_API_BASE"),
                        Environment.GetEnvironmentVariable("ZOHO_CRM_TOKEN")).GetAwaiter().GetResult();
    }
}
CSEOF
cat > "$TMP/repo/app/Contacts.cs" <<'CSEOF'
// Legacy Zoho CRM client on HttpClient.GetAsync, the URL built in a variable.
using System;
using System.Net.Http;
using System.Threading.Tasks;

class Contacts
{
    static async Task<int> RunAsync(string apiBase, string token)
    {
        using (var http = new HttpClient())
        {
            var url = apiBase + "/crm/v2/Contacts?authtoken=" + token + "&scope=crmapi&per_page=5";
            using (var response = await http.GetAsync(url))
            {
                Console.WriteLine("contacts " + (int)response.StatusCode);
                return response.IsSuccessStatusCode ? 0 : 1;
            }
        }
    }

    static int Main()
    {
        return RunAsync(Environment.GetEnvironmentVariable("ZOHO_API_BASE"),
                        Environment.GetEnvironmentVariable("ZOHO_CRM_TOKEN")).GetAwaiter().GetResult();
    }
}
CSEOF
cat > "$TMP/repo/app/Deals.cs" <<'CSEOF'
// Legacy Zoho CRM client on WebClient.DownloadString.
using System;
using System.Net;

class Deals
{
    static int Main()
    {
        var apiBase = Environment.GetEnvironmentVariable("ZOHO_API_BASE");
        var token = Environment.GetEnvironmentVariable("ZOHO_CRM_TOKEN");
        using (var wc = new WebClient())
        {
            try
            {
                var body = wc.DownloadString(apiBase + "/crm/v2/Deals?authtoken=" + token + "&scope=crmapi");
                Console.WriteLine("deals 200 " + body.Length);
                return 0;
            }
            catch (WebException e)
            {
                var r = e.Response as HttpWebResponse;
                Console.WriteLine("deals " + (r != null ? ((int)r.StatusCode).ToString() : e.Status.ToString()));
                return 1;
            }
        }
    }
}
CSEOF

e2e_mock

build() { # the programs, each with the files beside it but the other programs
  local p extra=()
  [ -f app/ZohoOAuth.cs ] && extra=(app/ZohoOAuth.cs)
  for p in Leads Contacts Deals; do
    mcs -nologo -r:System.Net.Http.dll -out:"$TMP/bin/$p.exe" "app/$p.cs" "${extra[@]}" > "$TMP/mcs.out" 2>&1 ||
      { cat "$TMP/mcs.out"; return 1; }
  done
}
run() { # leads | contacts | deals
  local exe; exe="$(tr '[:lower:]' '[:upper:]' <<< "${1:0:1}")${1:1}"
  OUT="$(mono "$TMP/bin/$exe.exe" 2>&1)"; RC=$?; echo "$OUT"
}

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy
build || die "the legacy programs do not compile"

# Before: Zoho refuses the legacy token.
export ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef
for p in leads contacts deals; do
  run $p
  if [ "$RC" -eq 1 ] && grep -q "^$p 401" <<< "$OUT"; then
    pass "the legacy $p program is refused (401)"
  else fail "the legacy $p program: exit $RC"; fi
done
[ "$(stats legacy_authtoken_requests)" -ge 3 ] && pass "the mock saw the legacy authtoken" ||
  fail "legacy_authtoken_requests: $(stats legacy_authtoken_requests) (expected 3)"

"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
grep -q '^fix: 3 finding(s) fixed, 0 left for a person' "$TMP/fix.err" &&
  pass "fix: the three requests are fixed" || fail "fix summary"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f app/ZohoOAuth.cs ] && [ "$(git status --porcelain --untracked-files=all | grep -c '^??')" -eq 1 ] &&
  pass "the helper was added once beside the programs (app/ZohoOAuth.cs)" || fail "helper file"
if grep -qi 'authtoken' app/Leads.cs app/Contacts.cs app/Deals.cs; then fail "an authtoken is still in a program"; else
  pass "no authtoken left in the programs"; fi
[ "$(grep -lx 'using Zoho.OAuth;' app/Leads.cs app/Contacts.cs app/Deals.cs | wc -l)" -eq 3 ] &&
  pass "each program imports the helper's namespace" || fail "using Zoho.OAuth;"
build && pass "the patched programs compile with the helper (mcs)" || die "the patched programs do not compile"
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

# expect PROGRAM STATUS REFRESHES LABEL REFUSED: runs it, checks the status line and how many
# token requests and refused resource requests it caused.
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
expect deals 401 0 "past expiry, WebClient (no retry): the refused token is reported, no refresh" 1
expect contacts 200 1 "past expiry, HttpClient GetAsync through the helper: a 401, one refresh, one retry, 200" 1
expect deals 200 0 "past expiry, WebClient: succeeds once another program refreshed the shared cache" 0
admin clock/advance '{"seconds": 3700}' > /dev/null
expect leads 200 1 "past expiry, HttpClient GetStringAsync through the helper: a 401, one refresh, one retry, 200" 1

# The access token is revoked.
admin revoke "{\"token\":\"$(cached_token)\"}" > /dev/null
expect leads 200 1 "after a revoked token, GetStringAsync: a 401, one refresh, one retry, 200" 1
admin revoke "{\"token\":\"$(cached_token)\"}" > /dev/null
expect contacts 200 1 "after a revoked token, GetAsync: a 401, one refresh, one retry, 200" 1
admin revoke "{\"token\":\"$(cached_token)\"}" > /dev/null
expect deals 401 0 "after a revoked token, WebClient (no retry): the 401 is reported" 1
expect leads 200 1 "after a revoked token: the HttpClient program refreshes the shared cache" 1
expect deals 200 0 "after a revoked token, WebClient: succeeds with the refreshed cached token" 0

unset ZOHO_REFRESH_TOKEN
run leads
[ "$RC" -ne 0 ] && grep -q 'ZOHO_REFRESH_TOKEN is not set' <<< "$OUT" &&
  pass "without ZOHO_REFRESH_TOKEN the helper's configuration error names the variable" ||
  fail "missing configuration: exit $RC"
if grep -Eq '1000\.[0-9a-f]{32}\.[0-9a-f]{32}' "$TMP/fix.err" "$TMP/fix.patch"; then
  fail "a token value appears in fix's output"; fi
[ "$FAILED" -eq 0 ]
