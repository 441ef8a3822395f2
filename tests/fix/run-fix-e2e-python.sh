#!/usr/bin/env bash
# run-fix-e2e-python.sh CLI
# `fix` end to end for Python: two small legacy programs, one with urllib (the token in the
# URL) and one with a requests Session (the token in a params dict), are refused by
# `CLI mock-server`; `CLI fix` prints one patch, `git apply` applies it, and the same
# programs then succeed with the mock's client credentials in the environment:
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
e2e_setup py
command -v python3 > /dev/null || die "python3 not found"
python3 -c 'import requests' 2> /dev/null || die "python3 cannot import requests (scripts/bootstrap installs python3-requests)"

mkdir -p "$TMP/repo/app"
cat > "$TMP/repo/app/leads.py" <<'PYEOF'
"""Legacy Zoho CRM client: the API base and the token come from the environment."""
import json
import os
import sys
import urllib.error
from urllib.request import urlopen

BASE = os.environ["ZOHO_API_BASE"]


def leads(token):
    try:
        with urlopen(BASE + "/crm/v2/Leads?authtoken=" + token + "&scope=crmapi") as resp:
            body = json.load(resp)
            print("leads", resp.status, len(body.get("data", [])))
            return resp.status
    except urllib.error.HTTPError as e:
        print("leads", e.code, e.read()[:80])
        return e.code


if __name__ == "__main__":
    sys.exit(0 if leads(os.environ.get("ZOHO_CRM_TOKEN", "")) == 200 else 1)
PYEOF
cat > "$TMP/repo/app/contacts.py" <<'PYEOF'
"""Legacy Zoho CRM client on requests: the token goes in a params dict."""
import os
import sys

import requests

BASE = os.environ["ZOHO_API_BASE"]
session = requests.Session()


def contacts(token):
    params = {"authtoken": token, "scope": "crmapi", "page": 1}
    r = session.get(BASE + "/crm/v2/Contacts", params=params, timeout=10)
    print("contacts", r.status_code, r.text[:60])
    return r.status_code


if __name__ == "__main__":
    sys.exit(0 if contacts(os.environ.get("ZOHO_CRM_TOKEN", "")) == 200 else 1)
PYEOF

e2e_mock

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy

# Before: Zoho refuses the legacy token.
OUT0="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef python3 app/leads.py)"; RC0=$?
echo "$OUT0"
if [ "$RC0" -eq 1 ] && grep -q '^leads 401' <<< "$OUT0"; then
  pass "the legacy urllib program is refused (401)"
else fail "the legacy urllib program: exit $RC0"; fi
OUT0B="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef python3 app/contacts.py)"; RC0B=$?
echo "$OUT0B"
if [ "$RC0B" -eq 1 ] && grep -q '^contacts 401' <<< "$OUT0B"; then
  pass "the legacy requests program is refused (401)"
else fail "the legacy requests program: exit $RC0B"; fi

# The patch, applied with git apply from the repository root.
"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f app/zoho_oauth.py ] && pass "the helper was added beside the program (app/zoho_oauth.py)" ||
  fail "no app/zoho_oauth.py"
if grep -qi 'authtoken' app/leads.py app/contacts.py; then fail "an authtoken is still in a program"; else
  pass "no authtoken left in the programs"; fi
python3 -m py_compile app/leads.py app/contacts.py && pass "the patched programs compile" || fail "py_compile"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"

run_both() { python3 app/leads.py && python3 app/contacts.py; }
OUT1="$(ZOHO_CRM_TOKEN=legacy run_both)"; RC1=$?
echo "$OUT1"
[ "$RC1" -eq 0 ] && grep -q '^leads 200' <<< "$OUT1" && grep -q '^contacts 200' <<< "$OUT1" &&
  pass "after the patch both requests succeed with the OAuth header" || fail "after the patch: exit $RC1"

# The mock's clock jumps past the token's expiry; the cached token is refused once.
T0="$(stats token_requests)"
admin clock/advance '{"seconds": 3700}' > /dev/null
OUT2="$(run_both)"; RC2=$?
echo "$OUT2"
T1="$(stats token_requests)"
if [ "$RC2" -eq 0 ] && [ "${T1:-0}" -gt "${T0:-0}" ]; then
  pass "past expiry: a 401, a refresh and one retry, then 200"
else fail "past expiry: exit $RC2 (token requests $T0 -> $T1)"; fi

# The access token is revoked: 401, refresh, retry.
AT="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$ZOHO_TOKEN_CACHE")"
[ -n "$AT" ] || fail "no access token in the cache file"
admin revoke "{\"token\":\"$AT\"}" > /dev/null
OUT3="$(run_both)"; RC3=$?
echo "$OUT3"
[ "$RC3" -eq 0 ] && pass "after a revoked token: one retry, then 200" || fail "after revoke: exit $RC3"
[ "$FAILED" -eq 0 ]
