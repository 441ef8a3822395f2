#!/bin/bash
# Inline suppressions with reason/until, --report-unused-suppressions and the
# .authtoken-migrate-ignore file, on the built binary in a temporary git repository
# holding legacy Zoho authtoken code (lines from fixtures/cases/python and shell).
# Usage: e2e-suppress.sh PATH/TO/authtoken-migrate
set -u
CLI="$1"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-gate-suppress.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }
command -v python3 >/dev/null || { echo "FAIL python3 is needed to read the JSON report"; exit 1; }

# run NAME WANT ARGS...: runs the CLI in $REPO (stdout in $TMP/out) and checks the exit code.
run() {
  local name="$1" want="$2"
  shift 2
  (cd "$REPO" && "$CLI" "$@" >"$TMP/out" 2>"$TMP/err")
  local got=$?
  if [ "$got" = "$want" ]; then
    pass "$name (exit $got)"
  else
    fail "$name: expected exit $want, got $got"
    sed 's/^/    stdout: /' "$TMP/out" | head -30
    sed 's/^/    stderr: /' "$TMP/err" | head -10
  fi
}
# findings: "path:line rule" per finding of the JSON report in $TMP/out, sorted.
findings() {
  python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
for f in doc["findings"]:
    print("%s:%s %s" % (f["path"], f["start"]["line"], f["rule_id"]))' "$TMP/out" | sort
}
src_findings() { findings | grep '^src/'; }
# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" = "$3" ]; then pass "$1"; else
    fail "$1"
    echo "    expected: $(echo "$2" | tr '\n' '|')"
    echo "    actual:   $(echo "$3" | tr '\n' '|')"
  fi
}

REPO="$TMP/repo"
mkdir -p "$REPO/src" "$REPO/vendor/zoho"
git -C "$REPO" init -q
cat >"$REPO/src/leads.py" <<'EOF'
import os
import requests

AUTHTOKEN = os.environ["ZOHO_AUTHTOKEN"]  # authtoken-migrate: ignore[zoho-authtoken-env-var] reason="read once, removed with the rest" until=2099-12-31
BASE = "https://crm.zoho.eu/crm/private/json/"


def get_leads():
    # authtoken-migrate: ignore[zoho-authtoken-url-param] reason="migrated in Q1" until=2026-01-31
    url = BASE + "Leads/getRecords?authtoken=" + AUTHTOKEN + "&scope=crmapi"
    return requests.get(url).json()


def search(criteria):
    params = dict(authtoken=AUTHTOKEN, scope="crmapi", criteria=criteria)  # authtoken-migrate: ignore[zoho-authtoken-param-key] until=someday
    return requests.get(f"{BASE}Leads/searchRecords", params=params)


def count():
    # authtoken-migrate: ignore[zoho-authtoken-header] reason="left from the v1 client"
    return 0

NOTE = "authtoken-migrate: ignore in a string is not a marker"
EOF
# Vendored code (fixtures/cases/shell/sync_leads.sh): skipped by the tool's ignore file.
cat >"$REPO/vendor/zoho/sync.sh" <<'EOF'
#!/bin/bash
curl -s "https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=${ZOHO_AUTHTOKEN}&scope=crmapi" > leads.json
curl -H "Authorization: Zoho-authtoken $TOKEN" https://support.zoho.com/api/json/requests/getrecords
EOF
cp "$REPO/vendor/zoho/sync.sh" "$REPO/vendor/zoho/keep.sh"
cat >"$REPO/.authtoken-migrate-ignore" <<'EOF'
# third-party code we do not patch (a file inside an ignored directory cannot be
# re-included, as in git, so the files are named)
vendor/**/*.sh
!vendor/zoho/keep.sh
EOF

# Before the ignore file applies: vendor is scanned (the file is removed for this run).
mv "$REPO/.authtoken-migrate-ignore" "$TMP/ignore"
run "scan without the ignore file" 1 scan --as-of 2026-11-24 --format json
grep -q '"vendor/zoho/sync.sh"' "$TMP/out" && pass "vendor is scanned without the ignore file" ||
  fail "vendor is scanned without the ignore file"
mv "$TMP/ignore" "$REPO/.authtoken-migrate-ignore"

# Suppressions: a valid one holds, an expired one (until 2026-01-31 < as-of) reports the
# finding again with the date, a malformed until does not apply and is a note.
run "scan with suppressions" 1 scan --as-of 2026-11-24 --format json
check "expired and malformed suppressions leave their findings; vendor/ is skipped" \
"src/leads.py:10 zoho-authtoken-url-param
src/leads.py:15 zoho-authtoken-param-key" "$(src_findings)"
check "vendor/: only the re-included file is scanned" \
"vendor/zoho/keep.sh:2 zoho-authtoken-env-var
vendor/zoho/keep.sh:2 zoho-authtoken-url-param
vendor/zoho/keep.sh:3 zoho-authtoken-header" "$(findings | grep '^vendor/')"
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
msgs = {f["start"]["line"]: f["message"] for f in doc["findings"]}
assert msgs[10].endswith(" (suppression expired on 2026-01-31)"), msgs[10]
assert "expired" not in msgs[15], msgs[15]
assert doc["summary"]["skipped"]["ignored"] >= 1, doc["summary"]["skipped"]
' "$TMP/out" && pass "the expired finding says so; ignored files are counted" ||
  fail "the expired finding says so; ignored files are counted"

run "scan, text" 1 scan --as-of 2026-11-24 --no-ignore
grep -q "^note: src/leads.py:15: malformed suppression: until=someday is not a date YYYY-MM-DD" "$TMP/out" &&
  pass "the malformed marker is a note naming file:line" || { fail "the malformed marker is a note naming file:line"; grep note "$TMP/out"; }
grep -q "suppressed by inline comments" "$TMP/out" && pass "the summary counts the suppressed finding" ||
  fail "the summary counts the suppressed finding"
grep -q "vendor/zoho/sync.sh" "$TMP/out" && fail "--no-ignore does not turn off .authtoken-migrate-ignore" ||
  pass "--no-ignore does not turn off .authtoken-migrate-ignore"
grep -q "skipped: [0-9]* ignored" "$TMP/out" && pass "ignored files in the text summary" ||
  fail "ignored files in the text summary"

# As of a day before the expiry, the suppression still holds.
run "scan before the expiry" 1 scan --as-of 2026-01-31 --format json
check "the suppression holds until its date" "src/leads.py:15 zoho-authtoken-param-key" "$(src_findings)"

# --report-unused-suppressions: the header marker (line 20) silences nothing; the string
# on line 23 is not a marker. The negated vendor/zoho/keep.sh is scanned.
run "unused suppressions" 1 scan --as-of 2026-11-24 --format json --report-unused-suppressions
check "unused-suppression findings" \
"src/leads.py:10 zoho-authtoken-url-param
src/leads.py:15 zoho-authtoken-param-key
src/leads.py:20 unused-suppression" "$(src_findings)"
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
u = [f for f in doc["findings"] if f["rule_id"] == "unused-suppression"][0]
assert u["severity"] == "warning", u
assert "zoho-authtoken-header" in u["message"], u["message"]
' "$TMP/out" && pass "unused-suppression is a warning naming its rule ids" ||
  fail "unused-suppression is a warning naming its rule ids"
# Only the header rule runs over src/: no finding but the unused marker, a warning.
run "an unused suppression alone fails --fail-on warning" 1 \
  scan --as-of 2026-11-24 --report-unused-suppressions --rule zoho-authtoken-header src
grep -q "src/leads.py:20:.*warning: unused suppression.*\[unused-suppression\]" "$TMP/out" &&
  pass "text names the unused suppression" || { fail "text names the unused suppression"; cat "$TMP/out"; }
run "... and passes without the flag" 0 scan --as-of 2026-11-24 --rule zoho-authtoken-header src
run "unused suppressions in SARIF" 1 scan --as-of 2026-11-24 --format sarif --report-unused-suppressions
python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
res = [r for r in run["results"] if r["ruleId"] == "unused-suppression"]
assert len(res) == 1 and ids[res[0]["ruleIndex"]] == "unused-suppression", (ids, res)
' "$TMP/out" && pass "SARIF describes the unused-suppression rule" || fail "SARIF describes the unused-suppression rule"
HERE="$(cd "$(dirname "$0")" && pwd)"
if python3 -c 'import jsonschema' 2>/dev/null; then
  python3 "$HERE/../e2e/validate_sarif.py" "$HERE/../data/sarif-schema-2.1.0.json" "$TMP/out" >"$TMP/v" &&
    pass "the SARIF with unused-suppression is valid SARIF 2.1.0" ||
    { fail "the SARIF with unused-suppression is valid SARIF 2.1.0"; cat "$TMP/v"; }
else
  echo "SKIP SARIF schema validation: python3 jsonschema is not installed"
fi

# The ignore file applies to files named on the command line (pre-commit passes them).
run "a named ignored file" 0 scan --as-of 2026-11-24 vendor/zoho/sync.sh
run "a named re-included file" 1 scan --as-of 2026-11-24 vendor/zoho/keep.sh

# fix uses the same discovery: the vendored file gets no patch.
run "fix --check" 1 fix --check
grep -q "^+++ b/vendor/zoho/sync.sh" "$TMP/out" && fail "fix skips the ignored file" || pass "fix skips the ignored file"
grep -q "^+++ b/vendor/zoho/keep.sh" "$TMP/out" && pass "fix patches the re-included file" || fail "fix patches the re-included file"
run "fix --check on the ignored file alone" 0 fix --check vendor/zoho/sync.sh

exit $FAILED
