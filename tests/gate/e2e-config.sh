#!/usr/bin/env bash
# e2e-config.sh CLI
# The configuration file .authtoken-migrate.yaml end to end, in a throwaway git repository
# with legacy Zoho authtoken lines copied from fixtures/: each key takes effect in `scan`
# (rules.disable/enable, severity with fail-on, exclude/include, as-of, fail-on,
# deadline-severity) and `fix` (helpers.namespace, deluge.connection); flags win over the
# file; the file is found in a parent directory of the scan root; `config check` names
# file:line:col and a suggestion for a typo'd key (exit 2) and `config dump` the origins.
set -uo pipefail
CLI="$1"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-gate-config.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }
check() { # NAME COMMAND...: pass when COMMAND succeeds
  local name="$1"
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

REPO="$TMP/outer/repo"
mkdir -p "$REPO/app" "$REPO/vendor" "$REPO/dg"
# fixtures/cases/python/crm_v1_client.py (env var, URL parameter, generation, doc mention)
cat > "$REPO/app/crm.py" <<'EOF'
"""A legacy Zoho CRM v1 client."""
import os
import requests

AUTHTOKEN = os.environ["ZOHO_AUTHTOKEN"]
BASE = "https://crm.zoho.eu/crm/private/json/"


def get_leads():
    url = BASE + "Leads/getRecords?authtoken=" + AUTHTOKEN + "&scope=crmapi"
    return requests.get(url).json()


# The Zoho authtoken above must be replaced by OAuth before anything else.
EOF
# fixtures/cases/python/crm_v1_client.py, the env-var lines only (one warning)
cat > "$REPO/app/settings.py" <<'EOF'
import os

AUTHTOKEN = os.environ["ZOHO_AUTHTOKEN"]
BASE = "https://crm.zoho.eu/crm/private/json/"
EOF
# fixtures/fix/python/requests_url/before.py (fixable)
cp "$(dirname "$0")/../../fixtures/fix/python/requests_url/before.py" "$REPO/app/leads.py"
# fixtures/cases/shell/sync_leads.sh, one line, in vendored code
cat > "$REPO/vendor/sync.sh" <<'EOF'
curl -s "https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=${TOKEN}&scope=crmapi" > leads.json
EOF
# tests/fix/run-fix-cli.sh's Deluge line
printf 'resp = getUrl("https://books.zoho.com/api/v3/invoices?authtoken=" + authtoken + "&organization_id=1");\ninfo resp;\n' \
  > "$REPO/dg/invoices.dg"
cd "$REPO" && git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy

CFG="$REPO/.authtoken-migrate.yaml"
# findings as "rule severity path status" lines, from `scan --format json ARGS`
findings() {
  "$CLI" scan --format json "$@" > "$TMP/scan.json" 2> "$TMP/scan.err"
  RC=$?
  python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule_id"], f["severity"], f["path"], f["status"])
' "$TMP/scan.json" > "$TMP/findings" 2>/dev/null
}
has() { grep -q -- "$1" "$TMP/findings"; }
hasnt() { ! grep -q -- "$1" "$TMP/findings"; }

# --- without a config file: what the overrides below change
rm -f "$CFG"
findings .
check "no config: exit 1 (errors at the default fail-on warning)" test "$RC" -eq 1
check "no config: the doc mention is a note" has '^zoho-authtoken-doc-mention note app/crm.py'
check "no config: vendor/sync.sh is scanned" has 'vendor/sync.sh'
check "no config: the CRM URL is past its cutoff" has '^zoho-authtoken-url-param error app/crm.py past cutoff'
findings app/settings.py
check "no config: app/settings.py alone has a warning (exit 1)" test "$RC" -eq 1

# --- rules.disable
printf 'rules:\n  disable: [zoho-authtoken-doc-mention]\n' > "$CFG"
findings .
check "rules.disable: the doc mention is gone" hasnt 'zoho-authtoken-doc-mention'
check "rules.disable: other rules still report" has '^zoho-authtoken-url-param error app/crm.py'
findings --rule zoho-authtoken-doc-mention .
check "--rule wins over rules.disable" has '^zoho-authtoken-doc-mention'
findings --no-config .
check "--no-config: the doc mention is back" has '^zoho-authtoken-doc-mention'

# --- rules.enable
printf 'rules:\n  enable: [zoho-authtoken-env-var]\n' > "$CFG"
findings .
check "rules.enable: only that rule runs" test "$(cut -d' ' -f1 "$TMP/findings" | sort -u)" = zoho-authtoken-env-var

# --- severity override and fail-on
printf 'severity:\n  zoho-authtoken-env-var: note\n' > "$CFG"
findings app/settings.py
check "severity: the env var is shown as a note" has '^zoho-authtoken-env-var note app/settings.py'
check "severity: a note does not fail at fail-on warning (exit 0)" test "$RC" -eq 0
"$CLI" scan app/settings.py > "$TMP/text" 2>&1
check "severity: the text report says note" grep -q 'app/settings.py:3:.*note:' "$TMP/text"
"$CLI" scan --format sarif app/settings.py > "$TMP/sarif" 2>&1
check "severity: SARIF's rule level is note" python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
assert rules["zoho-authtoken-env-var"]["defaultConfiguration"]["level"] == "note"
assert all(r["level"] == "note" for r in run["results"])
' "$TMP/sarif"
printf 'severity:\n  zoho-authtoken-env-var: note\nfail-on: note\n' > "$CFG"
findings app/settings.py
check "fail-on: note in the file fails on the note (exit 1)" test "$RC" -eq 1
findings --fail-on error app/settings.py
check "--fail-on error wins over the file's fail-on note (exit 0)" test "$RC" -eq 0
printf 'severity:\n  zoho-authtoken-env-var: critical\nfail-on: critical\n' > "$CFG"
findings app/settings.py
check "severity critical with fail-on critical: exit 1" test "$RC" -eq 1

# --- fail-on in the file
printf 'fail-on: none\n' > "$CFG"
findings .
check "fail-on: none in the file: exit 0 with findings" test "$RC" -eq 0 -a -s "$TMP/findings"
findings --fail-on warning .
check "--fail-on warning wins over the file's none: exit 1" test "$RC" -eq 1

# --- exclude / include
printf 'exclude: ["vendor/**"]\n' > "$CFG"
findings .
check "exclude: vendor/sync.sh is skipped" hasnt 'vendor/sync.sh'
check "exclude: app/ is still scanned" has 'app/crm.py'
findings --exclude 'dg/**' .
check "--exclude replaces the file's list: vendor/ is back" has 'vendor/sync.sh'
check "--exclude replaces the file's list: dg/ is skipped" hasnt 'dg/invoices.dg'
printf 'include: ["vendor/**"]\n' > "$CFG"
findings .
check "include: only vendor/ is scanned" test "$(cut -d' ' -f3 "$TMP/findings" | sort -u)" = vendor/sync.sh

# --- as-of
printf 'as-of: 2018-01-01\n' > "$CFG"
findings app/crm.py
check "as-of: the CRM cutoff is 364 days ahead" has '^zoho-authtoken-url-param error app/crm.py due in 364 days'
findings --as-of 2019-01-01 app/crm.py
check "--as-of wins over the file's as-of" has '^zoho-authtoken-url-param error app/crm.py past cutoff since 2018-12-31 (1 day'

# --- deadline-aware severity (opt-in)
printf 'as-of: 2018-01-01\ndeadline-severity:\n  enabled: true\n' > "$CFG"
findings app/crm.py
check "deadline-severity: 364 days ahead is a note" has '^zoho-authtoken-url-param note app/crm.py'
findings --as-of 2018-07-10 app/crm.py
check "deadline-severity: 174 days ahead is a warning" has '^zoho-authtoken-url-param warning app/crm.py'
findings --as-of 2018-12-01 app/crm.py
check "deadline-severity: 30 days ahead is an error" has '^zoho-authtoken-url-param error app/crm.py'
printf 'as-of: 2018-01-01\n' > "$CFG"
findings app/crm.py
check "without deadline-severity the rule's severity stays" has '^zoho-authtoken-url-param error app/crm.py'

# --- discovery from a parent directory of the scan root (the git work tree's top)
rm -f "$CFG"
printf 'fail-on: none\nrules:\n  disable: [zoho-authtoken-doc-mention]\n' > "$TMP/outer/.authtoken-migrate.yaml"
(cd app && "$CLI" scan --format json . > "$TMP/scan.json" 2> "$TMP/scan.err"); RC=$?
check "a parent's config file applies (fail-on none: exit 0)" test "$RC" -eq 0
check "a parent's config file applies (doc mention disabled)" \
  python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["findings"]; assert f and not [x for x in f if x["rule_id"]=="zoho-authtoken-doc-mention"]' "$TMP/scan.json"
(cd app && "$CLI" config check) > "$TMP/out" 2>&1; RC=$?
check "config check finds the parent's file" grep -qx 'config OK: ../../.authtoken-migrate.yaml' "$TMP/out"
printf 'fail-on: warning\n' > "$CFG"
findings .
check "the nearest config file wins (the repository's fail-on warning)" test "$RC" -eq 1
rm -f "$CFG" "$TMP/outer/.authtoken-migrate.yaml"

# --- --config FILE
printf 'fail-on: none\n' > "$TMP/other.yaml"
findings --config "$TMP/other.yaml" .
check "--config FILE is read" test "$RC" -eq 0
findings --config "$TMP/missing.yaml" .
check "--config with a missing file: exit 2" test "$RC" -eq 2
check "--config with a missing file: the error names it" grep -q "missing.yaml: cannot read" "$TMP/scan.err"
findings --config "$TMP/other.yaml" --no-config .
check "--config with --no-config: exit 2" test "$RC" -eq 2
"$CLI" config check --config "$TMP/other.yaml" > "$TMP/out" 2>&1
check "config check --config FILE" grep -qx "config OK: $TMP/other.yaml" "$TMP/out"
"$CLI" scan --help > "$TMP/out" 2>&1
check "scan --help lists --config and --no-config" grep -q -- '--no-config' "$TMP/out"

# --- fix: helpers.namespace and deluge.connection
cat > "$CFG" <<'EOF'
helpers:
  namespace:
    python: crm_tokens
deluge:
  connection: books_oauth
EOF
"$CLI" fix --quiet . > "$TMP/fix.patch" 2> "$TMP/fix.err"
check "helpers.namespace.python names the helper module in the patch" \
  grep -q '^+++ b/app/crm_tokens.py' "$TMP/fix.patch"
check "helpers.namespace.python names the import" grep -q '^+import crm_tokens$' "$TMP/fix.patch"
check "deluge.connection names the Deluge connection" grep -q '^+.*connection *: *"books_oauth"' "$TMP/fix.patch"
"$CLI" fix --quiet --namespace python=other_mod --connection crm_conn . > "$TMP/fix2.patch" 2>&1
check "--namespace wins over helpers.namespace" grep -q '^+import other_mod$' "$TMP/fix2.patch"
check "--connection wins over deluge.connection" grep -q '^+.*connection *: *"crm_conn"' "$TMP/fix2.patch"
printf 'exclude: ["dg/**"]\n' > "$CFG"
"$CLI" fix --quiet . > "$TMP/fix3.patch" 2>&1
check "fix honours the file's exclude" test -s "$TMP/fix3.patch" -a -z "$(grep '^+++ b/dg/' "$TMP/fix3.patch")"

# --- config check and errors
printf 'rules:\n  disable: [zoho-authtoken-doc-mention]\nfail_on: none\n' > "$CFG"
"$CLI" config check > "$TMP/out" 2> "$TMP/err"; RC=$?
check "config check with a typo'd key: exit 2" test "$RC" -eq 2
check "config check names file:line:col and the suggestion" \
  grep -qF ".authtoken-migrate.yaml:3:1: error: unknown key 'fail_on'; did you mean 'fail-on'?" "$TMP/err"
"$CLI" scan . > "$TMP/out" 2> "$TMP/err"; RC=$?
check "scan with a bad config file: exit 2" test "$RC" -eq 2
check "scan with a bad config file: the error names the line" grep -q "yaml:3:1: error: unknown key 'fail_on'" "$TMP/err"
"$CLI" fix . > "$TMP/out" 2> "$TMP/err"; RC=$?
check "fix with a bad config file: exit 2" test "$RC" -eq 2
printf 'severity:\n  zoho-authtoken-url-parm: eror\n' > "$CFG"
"$CLI" config check > "$TMP/out" 2> "$TMP/err"; RC=$?
check "config check: an unknown rule id, with its suggestion" \
  grep -qF ".authtoken-migrate.yaml:2:3: error: unknown rule id 'zoho-authtoken-url-parm'; did you mean 'zoho-authtoken-url-param'?" "$TMP/err"
check "config check: an unknown severity, with its suggestion" \
  grep -qF ".authtoken-migrate.yaml:2:28: error: unknown severity 'eror'; did you mean 'error'?" "$TMP/err"
printf 'fail-on: error\n' > "$CFG"
"$CLI" config check > "$TMP/out" 2> "$TMP/err"; RC=$?
check "config check on a good file: exit 0, config OK: FILE" \
  test "$RC" -eq 0 -a "$(cat "$TMP/out")" = "config OK: .authtoken-migrate.yaml"
"$CLI" config dump > "$TMP/out" 2> "$TMP/err"; RC=$?
check "config dump: the file's value with its line" grep -qx 'fail-on: error  # from .authtoken-migrate.yaml:1' "$TMP/out"
check "config dump: defaults marked" grep -qx '  enabled: false  # default' "$TMP/out"
"$CLI" config dump --config "$CFG" > "$TMP/dump.yaml" && "$CLI" config check --config "$TMP/dump.yaml" > /dev/null
check "config dump's output is a valid config file" test $? -eq 0
rm -f "$CFG"
"$CLI" config check > "$TMP/out" 2>&1; RC=$?
check "config check without a file: exit 0, defaults" grep -q 'the defaults apply' "$TMP/out"

[ "$FAILED" -eq 0 ]
