#!/usr/bin/env bash
# e2e-baseline.sh CLI
# Baselines end to end (README "Baselines") in a throwaway git repository with Python and
# JavaScript files that still use the legacy authtoken:
#   baseline written -> scan --baseline exits 0 and counts them "baselined";
#   a new legacy line -> exit 1, and the report names only the new finding;
#   old lines moved (lines inserted above, other code reformatted) -> still baselined;
#   an entry whose "expires" is before --as-of -> exit 1 again, the message says so;
#   baseline --update after deleting a usage -> the stale entry is reported and dropped,
#   reasons of the kept entries survive; regenerating gives a byte-identical file;
#   missing / invalid baseline files and bad flags -> exit 2 with file:line.
set -uo pipefail
CLI="$1"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-gate-baseline.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }
check() { # NAME EXPECTED-RC ACTUAL-RC
  if [ "$2" = "$3" ]; then pass "$1 (exit $3)"; else fail "$1: expected exit $2, got $3"; cat "$TMP/out" "$TMP/err"; fi
}
run() { "$CLI" "$@" >"$TMP/out" 2>"$TMP/err"; }
contains() { # NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: '$3' not in $2"; cat "$2"; fi
}
lacks() { # NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then fail "$1: '$3' in $2"; cat "$2"; else pass "$1"; fi
}

R="$TMP/repo"
mkdir -p "$R/app" "$R/web" "$R/sub"
cat > "$R/app/crm.py" <<'EOF'
import requests

TOKEN = "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"


def leads(tok):
    return requests.get("https://www.zohoapis.com/crm/v2/Leads?authtoken=" + tok).json()


def contacts(tok):
    return requests.get("https://www.zohoapis.com/crm/v2/Contacts", params={"authtoken": tok})
EOF
cat > "$R/web/desk.js" <<'EOF'
const axios = require('axios');

module.exports.tickets = (token, orgId) =>
  axios.get('https://desk.zoho.com/api/v1/tickets', {
    headers: { Authorization: `Zoho-authtoken ${token}`, orgId },
  });
EOF
cd "$R" && git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm init

# 1. Without a baseline the scan fails; the baseline command writes every finding.
run scan --no-syntax --color never .; check "scan without a baseline fails" 1 $?
N0=$(grep -c ': \(error\|warning\|critical\|note\):' "$TMP/out")
[ "$N0" -ge 3 ] && pass "the repository has $N0 findings" || fail "expected >= 3 findings, got $N0"
run baseline --no-syntax --output .authtoken-migrate-baseline.json; check "baseline writes the file" 0 $?
contains "baseline says what it wrote" "$TMP/err" "wrote .authtoken-migrate-baseline.json: $N0 entries"
B=.authtoken-migrate-baseline.json
contains "the file is versioned" "$B" '"version": 1'
contains "entries carry the root-relative path" "$B" '"path": "app/crm.py"'
contains "entries carry the rule" "$B" '"rule": "zoho-authtoken-url-param"'
lacks "no token value in the file" "$B" "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"
lacks "no line numbers in the file" "$B" '"line"'
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); e=d["entries"]; k=[(x["path"],x["rule"],x["fingerprint"]) for x in e]; sys.exit(0 if k==sorted(k) and len(set(x["fingerprint"] for x in e))==len(e) else 1)' "$B"; then
  pass "entries sorted by path, rule, fingerprint; fingerprints unique"
else fail "entries not sorted or fingerprints not unique"; fi
cp "$B" "$TMP/first.json"

# The baseline file itself (committed with the code) is never scanned.
git add "$B" && git -c user.email=t@t -c user.name=t commit -qm baseline
run scan --no-syntax --color never .; check "scan with the committed baseline file" 1 $?
N1=$(grep -c ': \(error\|warning\|critical\|note\):' "$TMP/out")
[ "$N1" = "$N0" ] && pass "the baseline file adds no findings" || fail "expected $N0 findings, got $N1"
lacks "the baseline file is not reported" "$TMP/out" "$B:"

run scan --no-syntax --color never --baseline "$B" .; check "scan --baseline: everything baselined" 0 $?
contains "the summary counts them" "$TMP/out" "$N0 findings baselined"
contains "nothing else is reported" "$TMP/out" "No legacy Zoho authtoken usage found."
run scan --no-syntax --format json --baseline "$B" .; check "scan --baseline --format json" 0 $?
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["summary"]["baselined"]==int(sys.argv[2]) and d["findings"]==[] else 1)' "$TMP/out" "$N0"; then
  pass "JSON summary.baselined = $N0"; else fail "JSON summary.baselined"; cat "$TMP/out"; fi
run scan --no-syntax --format sarif --baseline "$B" .; check "scan --baseline --format sarif" 0 $?
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["runs"][0]["results"]==[] else 1)' "$TMP/out"; then
  pass "SARIF omits baselined results"; else fail "SARIF has results"; fi

# From a subdirectory: the same root, the same fingerprints.
(cd "$R/app" && "$CLI" scan --no-syntax --baseline ../$B . >"$TMP/out" 2>"$TMP/err"); check "scan --baseline from a subdirectory" 0 $?

# The same with the syntax-tree front end (default) when the build has it.
run baseline --output "$TMP/syntax.json"; check "baseline with the default front ends" 0 $?
run scan --baseline "$TMP/syntax.json" .; check "scan --baseline with the default front ends" 0 $?

# 2. A new legacy line: exit 1, only the new finding is named.
cat >> "$R/web/desk.js" <<'EOF'

module.exports.deals = (token) =>
  axios.get('https://www.zohoapis.com/crm/v2/Deals?authtoken=' + token);
EOF
run scan --no-syntax --color never --baseline "$B" .; check "a new legacy line fails the gate" 1 $?
contains "the new finding is named" "$TMP/out" "web/desk.js:9:"
NEW=$(grep -c ': \(error\|warning\|critical\|note\):' "$TMP/out")
[ "$NEW" = 1 ] && pass "only the new finding is reported" || { fail "expected 1 finding, got $NEW"; cat "$TMP/out"; }
lacks "old findings stay baselined" "$TMP/out" "app/crm.py"
git -C "$R" checkout -q web/desk.js

# 3. Moved lines: insert lines above, reformat other code, re-indent a finding's line.
python3 - "$R/app/crm.py" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("import requests\n", "import requests\nimport json\n\n\n# Helpers for the CRM.\nRETRIES   =   3\n")
s = s.replace("def contacts(tok):", "def contacts( tok ) :")
s = s.replace('    return requests.get("https://www.zohoapis.com/crm/v2/Leads',
              '        return requests.get("https://www.zohoapis.com/crm/v2/Leads')
s = s.replace("def leads(tok):\n", "def leads(tok):\n    if True:\n")
open(p, "w").write(s)
EOF
run scan --no-syntax --color never --baseline "$B" .; check "moved and re-indented lines stay baselined" 0 $?
contains "all still baselined" "$TMP/out" "$N0 findings baselined"
# A changed token value keeps its fingerprint (values are masked before hashing).
sed -i 's/3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a/9a8b7c6d5e4f30211a2b3c4d5e6f7081/' "$R/app/crm.py"
run scan --no-syntax --color never --baseline "$B" .; check "a rotated token value stays baselined" 0 $?
git -C "$R" checkout -q app/crm.py

# 4. Expiry: an entry whose "expires" is before --as-of fails again.
python3 - "$B" "$TMP/expiring.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["entries"]:
    if e["path"] == "web/desk.js":
        e["reason"] = "desk is migrated in Q1"
        e["expires"] = "2026-01-31"
json.dump(d, open(sys.argv[2], "w"), indent=2)
EOF
run scan --no-syntax --color never --baseline "$TMP/expiring.json" --as-of 2026-01-31 .; check "an entry holds on its expiry date" 0 $?
run scan --no-syntax --color never --baseline "$TMP/expiring.json" --as-of 2026-02-01 .; check "an expired entry fails again" 1 $?
contains "the message says the entry expired" "$TMP/out" "baseline entry expired on 2026-01-31; its reason: desk is migrated in Q1"
contains "the expired finding is the desk one" "$TMP/out" "web/desk.js:5:"
lacks "the others stay baselined" "$TMP/out" "app/crm.py"

# 5. Regenerating keeps reasons and expiry and gives the same bytes.
cp "$TMP/expiring.json" "$B"
run baseline --no-syntax --output "$B"; check "baseline over an existing file" 0 $?
contains "reasons survive regeneration" "$B" '"reason": "desk is migrated in Q1"'
contains "expiry survives regeneration" "$B" '"expires": "2026-01-31"'
cp "$B" "$TMP/regen1.json"
run baseline --no-syntax --output "$B"; check "baseline again" 0 $?
contains "an unchanged file is left alone" "$TMP/err" "unchanged $B"
cmp -s "$B" "$TMP/regen1.json" && pass "regenerated file is byte-identical" || { fail "regenerated file differs"; diff "$TMP/regen1.json" "$B"; }
rm "$B"
run baseline --no-syntax --output "$B"; check "baseline from scratch" 0 $?
cmp -s "$B" "$TMP/first.json" && pass "a fresh baseline equals the first one" || { fail "fresh baseline differs"; diff "$TMP/first.json" "$B"; }
cp "$TMP/regen1.json" "$B"

# 6. --update after deleting a usage: the stale entry is reported and dropped.
python3 - "$R/app/crm.py" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('    return requests.get("https://www.zohoapis.com/crm/v2/Contacts", params={"authtoken": tok})\n', "    return None\n")
open(p, "w").write(s)
EOF
cat >> "$R/app/crm.py" <<'EOF'


def deals(tok):
    return requests.get("https://www.zohoapis.com/crm/v2/Deals?authtoken=" + tok)
EOF
BEFORE=$(grep -c '"fingerprint"' "$B")
run baseline --no-syntax --output "$B" --update --no-add; check "baseline --update --no-add" 0 $?
contains "the stale entry is reported" "$TMP/err" "removed 1 stale entry (no finding matches):"
contains "it names path, rule and line" "$TMP/err" "  app/crm.py: zoho-authtoken-param-key: return requests.get(\"https://www.zohoapis.com/crm/v2/Contacts\", params={\"authtoken\": tok})"
lacks "the stale entry is gone" "$B" 'v2/Contacts'
lacks "--no-add adds nothing" "$B" 'v2/Deals'
AFTER=$(grep -c '"fingerprint"' "$B")
[ "$AFTER" = $((BEFORE - 1)) ] && pass "one entry fewer ($AFTER)" || fail "expected $((BEFORE - 1)) entries, got $AFTER"
contains "kept entries keep their reason" "$B" '"reason": "desk is migrated in Q1"'
run baseline --no-syntax --output "$B" --update; check "baseline --update adds new findings" 0 $?
contains "the new finding is added" "$B" 'v2/Deals'
contains "the summary counts it" "$TMP/err" "(1 new, 0 removed,"
run scan --no-syntax --baseline "$B" --as-of 2026-01-15 .; check "scan with the updated baseline (before the desk entry expires)" 0 $?
run scan --no-syntax --baseline "$B" --as-of 2026-02-01 .; check "the kept desk entry still expires" 1 $?

# --update with a PATH keeps the entries of paths it did not scan.
rm "$R/web/desk.js"
run baseline --no-syntax --output "$B" --update app; check "baseline --update app" 0 $?
contains "web/ entries are kept when only app/ is scanned" "$B" '"path": "web/desk.js"'
contains "they are counted as not scanned" "$TMP/err" "not scanned)"
run baseline --no-syntax --output "$B" --update; check "baseline --update of the whole root" 0 $?
contains "the deleted file's entries are stale" "$TMP/err" "web/desk.js: zoho-authtoken-header:"
lacks "and dropped" "$B" '"path": "web/desk.js"'
git -C "$R" checkout -q web/desk.js

# 7. Errors: exit 2 with a clear message.
run scan --baseline "$TMP/missing.json" .; check "a missing baseline file" 2 $?
contains "it is named" "$TMP/err" "missing.json: cannot read the baseline:"
printf '{\n  "version": 1,\n  "entries": [\n    {"fingerprint": "x",}\n  ]\n}\n' > "$TMP/bad.json"
run scan --baseline "$TMP/bad.json" .; check "an invalid baseline file" 2 $?
contains "file:line of the error" "$TMP/err" "bad.json:4:"
printf '{"version": 1, "entries": [\n {"fingerprint": "x", "rule": "r", "path": "p", "expires": "soon"}]}\n' > "$TMP/bad2.json"
run scan --baseline "$TMP/bad2.json" .; check "a bad expiry date" 2 $?
contains "the date is named" "$TMP/err" "bad2.json:2: \"expires\": expected a date YYYY-MM-DD, got 'soon'"
run baseline .; check "baseline without --output" 2 $?
contains "says --output is required" "$TMP/err" "--output FILE is required"
run baseline --output "$TMP/new.json" --update; check "--update of a missing file" 2 $?
run baseline --output "$TMP/new.json" --no-add; check "--no-add without --update" 2 $?
run baseline --output "$TMP/bad.json"; check "baseline over an invalid file" 2 $?
contains "it says how to recover" "$TMP/err" "delete it to write a new one"
run baseline --output "$TMP/x.json" --format json; check "scan-only flags are not baseline flags" 2 $?
run baseline --output "$TMP/x.json" -; check "baseline of standard input" 2 $?

exit $FAILED
