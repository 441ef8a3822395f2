#!/usr/bin/env bash
# e2e-diff.sh CLI
# Diff-aware scans (README "Diff-aware scans") in throwaway git repositories:
# --changed-since REV reports only findings on lines added or changed since REV (working
# tree, commits with a rename, untracked files), never the old ones, pure renames or deleted
# files; --staged reads the staged content (not the working-tree copy) and reports only
# staged lines, also before the first commit; outside a work tree, an unknown REV and the
# flag conflicts exit 2 with a message.
set -uo pipefail
CLI="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-gate-diff.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }

# No user or system git configuration; git never looks above $TMP for a repository.
export HOME="$TMP/home" GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES="$TMP"
mkdir -p "$HOME"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE CI
g() { git -c init.defaultBranch=main "$@"; }
new_repo() {
  mkdir -p "$1" && (cd "$1" && g init -q . && git config user.name "Gate Test" &&
                    git config user.email gate@example.com)
}

# scan ARGS...: runs the CLI in the current directory; OUT (stdout), ERR, RC.
scan() {
  OUT="$("$CLI" scan --color never "$@" 2>"$TMP/stderr")"
  RC=$?
  ERR="$(cat "$TMP/stderr")"
}
# has LOC / hasnt LOC: a finding at path:line (text output, paths from the cwd).
has() { grep -q -- "^$1:[0-9]*: " <<<"$OUT"; }
expect_findings() { # NAME RC LOC... (exactly these locations)
  local name="$1" rc="$2"; shift 2
  local got want
  got="$(grep -o -- '^[^:]*:[0-9]*:[0-9]*: ' <<<"$OUT" | sed 's/:[0-9]*: $//' | sort -u | tr '\n' ' ')"
  want="$(printf '%s\n' "$@" | sed '/^$/d' | sort -u | tr '\n' ' ')"
  if [ "$RC" = "$rc" ] && [ "$got" = "$want" ]; then
    pass "$name"
  else
    fail "$name: exit $RC (want $rc), findings [$got] (want [$want])"
    echo "$OUT" | sed 's/^/    /' | head -40
    [ -n "$ERR" ] && echo "$ERR" | sed 's/^/    stderr: /'
  fi
}
expect_json_paths() { # NAME RC PATH... (JSON output: the findings' paths, sorted, unique)
  local name="$1" rc="$2"; shift 2
  local got want
  got="$(sed -n 's/^      "path": "\(.*\)",$/\1/p' <<<"$OUT" | sort -u | tr '\n' ' ')"
  want="$(printf '%s\n' "$@" | sort -u | tr '\n' ' ')"
  if [ "$RC" = "$rc" ] && [ "$got" = "$want" ]; then
    pass "$name"
  else
    fail "$name: exit $RC (want $rc), paths [$got] (want [$want]); $ERR"
  fi
}
expect_error() { # NAME SUBSTRING
  if [ "$RC" = 2 ] && grep -qF -- "$2" <<<"$ERR"; then
    pass "$1"
  else
    fail "$1: exit $RC (want 2), stderr: $ERR (want: $2)"
  fi
}

PY_LEGACY='    return requests.get("https://www.zohoapis.com/crm/v2/Leads?authtoken=" + token).json()'
JS_LEGACY='  return axios.get(`https://books.zoho.in/api/v3/contacts?organization_id=${orgId}&authtoken=${authtoken}`);'
PHP_LEGACY='$leads = file_get_contents("https://www.zohoapis.com/crm/v2/Leads?authtoken=" . $token);'

# --- --changed-since ---------------------------------------------------------------
R="$TMP/repo"
new_repo "$R"
cd "$R" || exit 1
mkdir -p app web lib
cat > app/leads.py <<EOF
import requests


def leads(token):
$PY_LEGACY


def contacts(token):
    return None
EOF
cat > web/books.js <<EOF
const axios = require("axios");
const authtoken = process.env.ZOHO_AUTHTOKEN;
function contacts(orgId) {
$JS_LEGACY
}
EOF
cat > legacy.php <<EOF
<?php
$PHP_LEGACY
EOF
cat > old_name.py <<EOF
import requests
def fetch(token):
$PY_LEGACY
EOF
cat > lib/a.py <<EOF
import requests
def fetch(token):
$PY_LEGACY
EOF
printf 'ignored/\n' > .gitignore
g add -A && g commit -qm "legacy code" || exit 1
REV="$(git rev-parse HEAD)"

# The full scan sees the five old usages; nothing changed since REV: nothing reported.
scan --quiet
expect_findings "full scan: the old usages" 1 app/leads.py:5 web/books.js:2 web/books.js:4 legacy.php:2 \
  old_name.py:3 lib/a.py:3
scan --quiet --changed-since "$REV"
expect_findings "--changed-since HEAD, nothing changed: clean" 0

# A commit with a pure rename, a rename plus one new legacy line, and a deletion.
mkdir -p moved
g mv old_name.py moved/new_name.py
g mv lib/a.py lib/b.py
printf 'def more(token):\n%s\n' "$PY_LEGACY" >> lib/b.py
g add lib/b.py
g rm -q legacy.php
g commit -qm "renames and a deletion" || exit 1
# Then, uncommitted: a new legacy line in a tracked file, an untracked file with spaces and
# non-ASCII in its name, and an ignored untracked file.
sed -i "s|^    return None\$|$PY_LEGACY|" app/leads.py
mkdir -p "new dir" ignored
cat > "new dir/zoho é.js" <<EOF
const authtoken = process.env.ZOHO_AUTHTOKEN;
function contacts(orgId) {
$JS_LEGACY
}
EOF
cp "new dir/zoho é.js" ignored/skip.js

scan --quiet --changed-since "$REV"
expect_findings "--changed-since REV: only the new lines (rename, working tree, untracked)" 1 \
  app/leads.py:9 lib/b.py:5 "new dir/zoho é.js:1" "new dir/zoho é.js:3"
# Counted: the old findings of the scanned (changed) files, app/leads.py:5 and lib/b.py:3.
scan --changed-since "$REV"
if grep -q "^2 findings outside the changed lines$" <<<"$OUT"; then
  pass "text summary counts the findings outside the changed lines"
else
  fail "text summary: want '2 findings outside the changed lines' in: $(grep outside <<<"$OUT")"
fi
scan --format json --changed-since "$REV"
if grep -q '"outside_diff": 2' <<<"$OUT"; then
  pass "JSON summary outside_diff"
else
  fail "JSON summary outside_diff: $(grep -o '"outside_diff": [0-9]*' <<<"$OUT")"
fi
# Since the rename commit: only the uncommitted changes.
scan --quiet --changed-since HEAD
expect_findings "--changed-since HEAD: the uncommitted changes only" 1 \
  app/leads.py:9 "new dir/zoho é.js:1" "new dir/zoho é.js:3"
# A subdirectory as the scan root: paths relative to it, only its changes.
scan --format json --changed-since "$REV" --root app app
expect_json_paths "--changed-since with --root app: root-relative paths" 1 leads.py
cd app && scan --quiet --changed-since "$REV" . && cd "$R"
expect_findings "--changed-since from a subdirectory" 1 leads.py:9
# Paths narrow the scan as usual; a path with no changes is clean.
scan --quiet --changed-since "$REV" web
expect_findings "--changed-since web (unchanged)" 0
# A change on another line of a multi-line call reports the call's finding (its statement
# spans the change); the same file's untouched one-line call stays out.
cat > stmt.py <<EOF
import requests
def f(token):
    return requests.get(
        "https://www.zohoapis.com/crm/v2/Leads?authtoken=" + token,
        timeout=10).json()
def g(token):
$PY_LEGACY
EOF
g add stmt.py && g commit -qm "multi-line call" || exit 1
sed -i 's/timeout=10/timeout=30/' stmt.py
scan --quiet --changed-since HEAD stmt.py
expect_findings "--changed-since: a changed line inside a multi-line statement" 1 stmt.py:4
g checkout -q stmt.py
# A branch name works as REV; an unknown one is a usage error.
g tag base "$REV"
scan --quiet --changed-since base lib
expect_findings "--changed-since TAG" 1 lib/b.py:5
scan --quiet --changed-since no-such-rev
expect_error "--changed-since unknown REV: exit 2" "unknown revision 'no-such-rev'"
scan --quiet --changed-since --staged
expect_error "--changed-since '--staged' is not a revision" "not a revision"
# A file deleted in the working tree only (not staged) contributes nothing, fails nothing.
rm web/books.js
scan --quiet --changed-since "$REV" web lib
expect_findings "--changed-since with a deleted working-tree file" 1 lib/b.py:5
git checkout -q web/books.js

# --- flag conflicts ----------------------------------------------------------------
scan --quiet --changed-since "$REV" --staged
expect_error "--changed-since with --staged: exit 2" "exclude each other"
RC=0; OUT="$(echo 'x' | "$CLI" scan --staged - 2>"$TMP/stderr")"; RC=$?; ERR="$(cat "$TMP/stderr")"
expect_error "scan - --staged: exit 2" "drop 'scan -'"

# --- outside a git work tree -------------------------------------------------------
mkdir -p "$TMP/plain"
cp "$R/app/leads.py" "$TMP/plain/"
cd "$TMP/plain" || exit 1
scan --quiet --changed-since HEAD
expect_error "--changed-since outside a work tree: exit 2" "--changed-since needs a git work tree; $TMP/plain is not in one"
scan --quiet --staged
expect_error "--staged outside a work tree: exit 2" "--staged needs a git work tree"
cd "$R" || exit 1
OUT="$(PATH=/nonexistent "$CLI" scan --changed-since HEAD 2>"$TMP/stderr")"; RC=$?; ERR="$(cat "$TMP/stderr")"
expect_error "--changed-since without git on PATH: exit 2" "git is not on PATH"

# --- --staged ----------------------------------------------------------------------
S="$TMP/staged"
new_repo "$S"
cd "$S" || exit 1
cat > crm.py <<EOF
import requests
def leads(token):
$PY_LEGACY
EOF
# Before the first commit: everything staged is new (diff against the empty tree).
scan --quiet --staged
expect_findings "--staged before the first commit, nothing staged: clean" 0
g add crm.py
scan --quiet --staged
expect_findings "--staged before the first commit: the staged file" 1 crm.py:3
g commit -qm one || exit 1
scan --quiet --staged
expect_findings "--staged, nothing staged: clean" 0

# Stage a new legacy line at the end; then, unstaged, insert two lines at the top (one of
# them legacy): the staged line is at line 5 in the index, line 7 in the working tree.
printf 'def more(token):\n%s\n' "$PY_LEGACY" >> crm.py
g add crm.py
{ printf '# unstaged\n%s\n' "$PY_LEGACY"; cat crm.py; } > crm.py.new && mv crm.py.new crm.py
scan --quiet --staged
expect_findings "--staged: the staged line (index line numbers), not the unstaged one" 1 crm.py:5
# The working tree against HEAD sees both uncommitted legacy lines.
scan --quiet --changed-since HEAD
expect_findings "--changed-since HEAD with staged and unstaged lines" 1 crm.py:2 crm.py:7
# A staged new file deleted from the working tree is still scanned from the index; a
# staged deletion contributes nothing; an unstaged file is not staged.
cat > gone.js <<EOF
function contacts(orgId, authtoken) {
$JS_LEGACY
}
EOF
g add gone.js && rm gone.js
g rm -q -f --cached crm.py
cat > "unstaged file.php" <<EOF
<?php
$PHP_LEGACY
EOF
scan --quiet --staged
expect_findings "--staged: a staged file missing from the working tree; a staged deletion" 1 gone.js:2
# The staged snapshot honours the repository's ignore files (a staged .gitignore too).
g reset -q
printf 'vendor/\n' > .gitignore
mkdir -p vendor && cp "unstaged file.php" vendor/sdk.php
g add .gitignore && g add -f vendor/sdk.php
scan --quiet --staged
expect_findings "--staged: ignored paths stay ignored (as in a full scan)" 0
scan --quiet --staged vendor/sdk.php
expect_findings "--staged: an ignored file named on the command line" 1 vendor/sdk.php:2
# A subdirectory as the root: the snapshot holds it at the same place.
mkdir -p sub
cp crm.py sub/x.py
g add sub/x.py
scan --format json --staged --root sub sub
expect_json_paths "--staged with --root sub: root-relative paths" 1 x.py

exit $FAILED
