#!/bin/bash
# Every exit code of README "Exit codes", run on the built binary in a temporary git
# repository: 0 clean, 1 findings, 2 usage errors, 3 an incomplete scan with
# --fail-on-incomplete (and 1 winning over 3), fix --check 0/1 (and its 3).
# Usage: e2e-exit-codes.sh PATH/TO/authtoken-migrate
set -u
CLI="$1"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-gate-exit.XXXXXX")"
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }

# expect CODE NAME ARGS...: runs the CLI in $REPO and checks its exit code.
expect() {
  local want="$1" name="$2"
  shift 2
  (cd "$REPO" && "$CLI" "$@" >"$TMP/out" 2>"$TMP/err")
  local got=$?
  if [ "$got" = "$want" ]; then
    pass "$name (exit $got)"
  else
    fail "$name: expected exit $want, got $got"
    sed 's/^/    stdout: /' "$TMP/out" | head -20
    sed 's/^/    stderr: /' "$TMP/err" | head -20
  fi
}

REPO="$TMP/repo"
mkdir -p "$REPO/src"
git -C "$REPO" init -q
cat >"$REPO/src/clean.py" <<'EOF'
import requests

def leads(token):
    return requests.get("https://www.zohoapis.com/crm/v2/Leads",
                        headers={"Authorization": "Zoho-oauthtoken " + token})
EOF

# 0: nothing legacy.
expect 0 "scan: clean repository" scan --as-of 2026-11-24

# 1: a legacy authtoken call on an endpoint that survived it (Books API v3), so that
# `fix` has something to fix (a CRM v1 call is "port it", never fixed).
cat >"$REPO/src/legacy.py" <<'EOF'
import os
import requests

AUTHTOKEN = os.environ["ZOHO_AUTHTOKEN"]
BASE = "https://books.zoho.eu/api/v3/"


def get_invoices():
    url = BASE + "invoices?organization_id=1&authtoken=" + AUTHTOKEN
    return requests.get(url).json()
EOF
expect 1 "scan: a legacy finding" scan --as-of 2026-11-24
expect 0 "scan: --fail-on none" scan --as-of 2026-11-24 --fail-on none
expect 0 "scan: --fail-on critical above every finding" scan --as-of 2026-11-24 --fail-on critical

# 2: usage errors.
expect 2 "scan: a flag typo" scan --fail-onn warning
expect 2 "scan: a bad --as-of" scan --as-of 2026-13-01
expect 2 "scan: a missing path" scan no/such/dir
expect 2 "scan: a bad --fail-on" scan --fail-on sometimes
grep -q "error" "$TMP/err" || fail "scan: the usage error names itself on stderr"

# 3: a path that cannot be read. A symbolic link that points at itself fails with
# ELOOP under --follow, for root too (chmod 000 does not stop root).
mkdir "$REPO/data"
cp "$REPO/src/clean.py" "$REPO/data/ok.py"
ln -s loop "$REPO/data/loop"
expect 0 "scan: an unreadable path without --fail-on-incomplete" \
  scan --as-of 2026-11-24 --follow data
expect 3 "scan: an unreadable path with --fail-on-incomplete" \
  scan --as-of 2026-11-24 --follow --fail-on-incomplete data
grep -q "incomplete scan" "$TMP/err" || fail "scan: exit 3 says why on stderr"
grep -q "problem: .*loop" "$TMP/out" || fail "scan: the unreadable path is a problem: line"
# ... and findings (1) win over incomplete (3).
expect 1 "scan: findings win over an incomplete scan" \
  scan --as-of 2026-11-24 --follow --fail-on-incomplete data src
rm "$REPO/data/loop"
# Not root: a file without read permission is the everyday case.
if [ "$(id -u)" != 0 ]; then
  echo 'x = 1' >"$REPO/src/secret.py"
  chmod 000 "$REPO/src/secret.py"
  expect 3 "scan: a file without read permission (not root)" \
    scan --as-of 2026-11-24 --fail-on-incomplete src/clean.py src/secret.py
  grep -q "problem: .*secret.py" "$TMP/out" || fail "scan: the unreadable file is a problem: line"
  rm -f "$REPO/src/secret.py"
else
  echo "SKIP chmod 000 case: running as root, which reads the file anyway (the ELOOP case above covers exit 3)"
fi

# fix --check: 1 when something is fixable, 0 when not; 3 for an unreadable named path.
expect 1 "fix --check: something fixable" fix --check src/legacy.py
expect 0 "fix --check: nothing fixable" fix --check src/clean.py
mkfifo "$REPO/src/pipe"
expect 0 "fix --check: a path that is not a file, without --fail-on-incomplete" \
  fix --check src/clean.py src/pipe
expect 3 "fix --check: a path that is not a file, with --fail-on-incomplete" \
  fix --check --fail-on-incomplete src/clean.py src/pipe
expect 1 "fix --check: fixable wins over incomplete" \
  fix --check --fail-on-incomplete src/legacy.py src/pipe
expect 2 "fix: --write with --check" fix --write --check src

exit $FAILED
