#!/usr/bin/env bash
# run-fix-cli.sh CLI
# The `fix` command's options and exit codes (README "Fixing"): usage errors exit 2 naming
# the option; --check exits 0 on a clean tree and 1 with the patch otherwise; --output
# writes the patch to a file and nothing to stdout; --rule and --include narrow what is
# fixed; --namespace and --connection name the helper module and the Deluge connection;
# an existing helper file is never overwritten; --write applies the patch in place.
set -uo pipefail
CLI="$1"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-fix-cli.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }

mkdir -p "$TMP/repo/app" "$TMP/repo/docs"
cat > "$TMP/repo/app/leads.py" <<'EOF'
import requests


def leads(token):
    return requests.get("https://www.zohoapis.com/crm/v2/Leads?authtoken=" + token).json()


def tickets(token):
    headers = {"orgId": "1", "Authorization": "Zoho-authtoken " + token}
    return requests.get("https://desk.zoho.com/api/v1/tickets", headers=headers).json()
EOF
cat > "$TMP/repo/docs/clean.py" <<'EOF'
import requests


def ok(auth):
    return requests.get("https://www.zohoapis.com/crm/v2/Leads", headers={"Authorization": auth})
EOF
cd "$TMP/repo" && git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm x

expect_usage() { # NAME ARGS...
  local name="$1"
  shift
  "$CLI" fix "$@" > "$TMP/out" 2> "$TMP/err"
  local rc=$?
  if [ "$rc" -eq 2 ] && grep -q 'error' "$TMP/err"; then pass "$name: exit 2 with a message"; else
    fail "$name: exit $rc: $(cat "$TMP/err")"; fi
}
expect_usage "--write with --check" --write --check .
expect_usage "--write with --output" --write --output p.diff .
expect_usage "standard input" -
expect_usage "a missing path" no/such/dir
expect_usage "--namespace without =" --namespace python .
expect_usage "an unknown --rule" --rule no-such-rule .
"$CLI" fix --wirte . > /dev/null 2> "$TMP/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q -- '--write' "$TMP/err" && pass "a mistyped flag: exit 2, did you mean --write" ||
  fail "a mistyped flag: exit $rc: $(cat "$TMP/err")"

"$CLI" fix --check --quiet docs > "$TMP/out"; rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$TMP/out" ] && pass "--check on a clean directory: exit 0, no output" ||
  fail "--check on a clean directory: exit $rc"
"$CLI" fix --check --quiet . > "$TMP/out"; rc=$?
[ "$rc" -eq 1 ] && grep -q '^diff --git a/app/leads.py b/app/leads.py' "$TMP/out" &&
  pass "--check with fixable findings: exit 1 with the patch" || fail "--check: exit $rc"

"$CLI" fix --quiet --output "$TMP/fix.patch" . > "$TMP/out"; rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$TMP/out" ] && grep -q '^+++ b/app/zoho_oauth.py' "$TMP/fix.patch" &&
  pass "--output writes the patch (with the helper) and nothing to stdout" || fail "--output: exit $rc"
git apply --check "$TMP/fix.patch" && pass "the --output patch applies" || fail "the --output patch does not apply"

"$CLI" fix --quiet --rule zoho-authtoken-header . > "$TMP/hdr.patch"
if grep -q 'Zoho-authtoken' <(grep '^-' "$TMP/hdr.patch") && ! grep -q '^-.*authtoken=' "$TMP/hdr.patch"; then
  pass "--rule zoho-authtoken-header fixes only the header finding"
else fail "--rule: $(cat "$TMP/hdr.patch")"; fi
"$CLI" fix --quiet --include 'docs/**' . > "$TMP/inc.patch"
[ ! -s "$TMP/inc.patch" ] && pass "--include docs/** leaves app/ alone" || fail "--include: a patch was printed"

printf '# my own module\n' > app/zoho_oauth.py
"$CLI" fix . > "$TMP/own.patch" 2> "$TMP/own.err"
! grep -q 'b/app/zoho_oauth.py' "$TMP/own.patch" && pass "an existing app/zoho_oauth.py is not overwritten" ||
  fail "the patch replaces an existing helper file"
grep -q 'note: app/zoho_oauth.py exists and is not the generated python helper' "$TMP/own.err" &&
  pass "the summary says the existing app/zoho_oauth.py is not the helper" ||
  fail "no note about the foreign app/zoho_oauth.py: $(cat "$TMP/own.err")"
rm app/zoho_oauth.py

"$CLI" fix --quiet --namespace python=crm_tokens . > "$TMP/ns.patch"
grep -q '^+import crm_tokens$' "$TMP/ns.patch" && grep -q '^+++ b/app/crm_tokens.py' "$TMP/ns.patch" &&
  pass "--namespace python=crm_tokens names the helper module and its import" ||
  fail "--namespace: $(head -20 "$TMP/ns.patch")"
mkdir -p "$TMP/dg"
printf 'resp = getUrl("https://books.zoho.com/api/v3/invoices?authtoken=" + authtoken + "&organization_id=1");\ninfo resp;\n' \
  > "$TMP/dg/invoices.dg"
(cd "$TMP/dg" && "$CLI" fix --quiet --connection books_oauth .) > "$TMP/dg.patch"
grep -q '^+.*connection *: *"books_oauth"' "$TMP/dg.patch" &&
  pass "--connection books_oauth names the Deluge connection" || fail "--connection: $(cat "$TMP/dg.patch")"

"$CLI" fix --write --quiet . > "$TMP/out"; rc=$?
if [ "$rc" -eq 0 ] && [ -f app/zoho_oauth.py ] && ! grep -qi 'authtoken' app/leads.py &&
  python3 -m py_compile app/leads.py; then
  pass "--write applies the patch in place (and adds the helper)"
else fail "--write: exit $rc"; fi
"$CLI" fix --check --quiet . > "$TMP/out"; rc=$?
[ "$rc" -eq 0 ] && pass "--check after --write: exit 0 (idempotent)" || fail "--check after --write: exit $rc"
[ "$FAILED" -eq 0 ]
