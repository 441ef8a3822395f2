#!/usr/bin/env bash
# run-fix-e2e-ruby.sh CLI
# `fix` end to end for Ruby (standard library only: Net::HTTP): two small legacy programs,
# one with the authtoken in the URL query (Net::HTTP.get_response) and one with it in a
# form (Net::HTTP.post_form), are refused by `CLI mock-server`; `CLI fix` prints one patch,
# `git apply` applies it, and the same programs then succeed with the mock's client
# credentials in the environment:
#   - on a first run (a fresh token, kept in ZOHO_TOKEN_CACHE);
#   - after the mock's clock jumps past the token's expiry (the cached token is refused
#     with 401 and the helper's wrapper refreshes and retries once);
#   - after the access token is revoked (401, one retry).
# Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup rb
command -v ruby > /dev/null || die "ruby not found (scripts/bootstrap installs it)"
command -v curl > /dev/null || die "curl not found"

mkdir -p "$TMP/repo/app"
cat > "$TMP/repo/app/leads.rb" <<'RBEOF'
# Legacy Zoho CRM client: the API base and the token come from the environment.
require 'net/http'
require 'json'

BASE = ENV.fetch('ZOHO_API_BASE')

def leads(token)
  uri = URI("#{BASE}/crm/v2/Leads?authtoken=#{token}&scope=crmapi&per_page=5")
  res = Net::HTTP.get_response(uri)
  body = JSON.parse(res.body) rescue {}
  puts "leads #{res.code} #{(body['data'] || []).size}"
  res.code.to_i
end

exit(leads(ENV.fetch('ZOHO_CRM_TOKEN', '')) == 200 ? 0 : 1)
RBEOF
cat > "$TMP/repo/app/create_lead.rb" <<'RBEOF'
# Legacy Zoho CRM client: the token goes in the form of a POST.
require 'net/http'

BASE = ENV.fetch('ZOHO_API_BASE')

def create_lead(token, name)
  uri = URI("#{BASE}/crm/v2/Leads")
  res = Net::HTTP.post_form(uri, 'authtoken' => token, 'scope' => 'crmapi', 'Last_Name' => name)
  puts "create #{res.code} #{res.body[0, 60]}"
  res.code.to_i
end

exit(create_lead(ENV.fetch('ZOHO_CRM_TOKEN', ''), 'Smith') == 201 ? 0 : 1)
RBEOF

e2e_mock

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy

# Before: Zoho refuses the legacy token, in the URL and in the form.
OUT0="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef ruby app/leads.rb)"; RC0=$?
echo "$OUT0"
if [ "$RC0" -eq 1 ] && grep -q '^leads 401' <<< "$OUT0"; then
  pass "the legacy Net::HTTP program (token in the URL) is refused (401)"
else fail "the legacy Net::HTTP program: exit $RC0"; fi
OUT0B="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef ruby app/create_lead.rb)"; RC0B=$?
echo "$OUT0B"
if [ "$RC0B" -eq 1 ] && grep -q '^create 401' <<< "$OUT0B"; then
  pass "the legacy post_form program (token in the form) is refused (401)"
else fail "the legacy post_form program: exit $RC0B"; fi
[ "$(stats legacy_authtoken_requests)" = 2 ] && pass "the mock saw both legacy authtokens" ||
  fail "legacy_authtoken_requests: $(stats legacy_authtoken_requests) (expected 2)"

# The patch, applied with git apply from the repository root.
"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f app/zoho_oauth.rb ] && pass "the helper was added beside the programs (app/zoho_oauth.rb)" ||
  fail "no app/zoho_oauth.rb"
if grep -qi 'authtoken' app/leads.rb app/create_lead.rb; then fail "an authtoken is still in a program"; else
  pass "no authtoken left in the programs"; fi
grep -q "^require_relative 'zoho_oauth'" app/leads.rb && grep -q "^require_relative 'zoho_oauth'" app/create_lead.rb &&
  pass "the programs load the helper with require_relative" || fail "no require_relative 'zoho_oauth'"
ruby -c app/leads.rb > /dev/null && ruby -c app/create_lead.rb > /dev/null && pass "the patched programs pass ruby -c" ||
  fail "ruby -c"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"
run_both() { ruby app/leads.rb && ruby app/create_lead.rb; }
T0="$(stats token_requests)"
OUT1="$(ZOHO_CRM_TOKEN=legacy run_both)"; RC1=$?
echo "$OUT1"
T1="$(stats token_requests)"
[ "$RC1" -eq 0 ] && grep -q '^leads 200 ' <<< "$OUT1" && grep -q '^create 201' <<< "$OUT1" &&
  pass "after the patch both requests succeed with the OAuth header" || fail "after the patch: exit $RC1"
[ $(( ${T1:-0} - ${T0:-0} )) -eq 1 ] && pass "one token refresh for both programs (ZOHO_TOKEN_CACHE)" ||
  fail "token requests $T0 -> $T1 (expected one refresh shared through the cache)"

# One phase's resource answers: ANSWERS="denied ok" since the last call.
D0="$(stats resource_denied)" K0="$(stats resource_ok)"
answers() {
  local d k
  d="$(stats resource_denied)" k="$(stats resource_ok)"
  ANSWERS="$((d - D0)) $((k - K0))"
  D0="$d" K0="$k"
}

# The mock's clock jumps past the token's expiry; the cached token is refused once: the
# first program gets a 401, refreshes and retries; the second reads the new cached token.
admin clock/advance '{"seconds": 3700}' > /dev/null
OUT2="$(run_both)"; RC2=$?
echo "$OUT2"
T2="$(stats token_requests)"; answers; A2="$ANSWERS"
if [ "$RC2" -eq 0 ] && [ "$((T2 - T1))" -eq 1 ] && [ "$A2" = "1 2" ]; then
  pass "past expiry: a 401, a refresh and one retry, then 200/201"
else fail "past expiry: exit $RC2 (token requests $T1 -> $T2, denied/ok $A2, expected 1 2)"; fi

# The access token is revoked: 401, refresh, retry.
AT="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$ZOHO_TOKEN_CACHE")"
[ -n "$AT" ] || fail "no access token in the cache file"
admin revoke "{\"token\":\"$AT\"}" > /dev/null
OUT3="$(run_both)"; RC3=$?
echo "$OUT3"
T3="$(stats token_requests)"; answers; A3="$ANSWERS"
[ "$RC3" -eq 0 ] && [ "$((T3 - T2))" -eq 1 ] && [ "$A3" = "1 2" ] && pass "after a revoked token: one retry, then 200/201" ||
  fail "after revoke: exit $RC3 (token requests $T2 -> $T3, denied/ok $A3, expected 1 2)"
[ "$FAILED" -eq 0 ]
