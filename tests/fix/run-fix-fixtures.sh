#!/usr/bin/env bash
# run-fix-fixtures.sh CLI FIXTURES_DIR
# The fix fixture pairs (README "Fix fixtures"): every FIXTURES_DIR/<lang>/<case>/ holds
# before.<ext> and after.<ext>. For each case, in a fresh git repository holding only
# before.<ext>:
#   - `CLI fix` prints a patch that `git apply --check` accepts and `git apply` applies;
#   - the patched file equals after.<ext> byte for byte (after == before: no edit, and then
#     the patch must be empty);
#   - when the file changed, the generated helper was added beside it;
#   - the patched file passes its language's own check (python3 -m py_compile, node --check,
#     bash -n, php -l; other extensions: a re-scan);
#   - `CLI fix --write` on a second copy gives the same bytes (atomic in-place mode);
#   - idempotence: `CLI fix --check` on the patched tree exits 0 with an empty patch.
set -uo pipefail
CLI="$1"
DIR="$2"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-fix-fixtures.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
N=0
fail() { FAILED=1; echo "FAIL $1"; }
check_lang() { # FILE
  case "$1" in
    *.py) python3 -m py_compile "$1" ;;
    *.js | *.cjs | *.mjs) node --check "$1" ;;
    *.sh | *.bash) bash -n "$1" ;;
    *.php) php -l "$1" > /dev/null ;;
    *) "$CLI" scan "$1" --quiet --color never > /dev/null ;;
  esac
}
for case_dir in "$DIR"/*/*/; do
  case_dir="${case_dir%/}"
  name="$(basename "$(dirname "$case_dir")")/$(basename "$case_dir")"
  before="$(find "$case_dir" -maxdepth 1 -name 'before.*' | head -1)"
  after="$(find "$case_dir" -maxdepth 1 -name 'after.*' | head -1)"
  if [ -z "$before" ] || [ -z "$after" ]; then fail "$name: needs before.* and after.*"; continue; fi
  N=$((N + 1))
  file="$(basename "$before")"
  w="$TMP/$N/apply" && mkdir -p "$w" && cp "$before" "$w/$file"
  (cd "$w" && git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm before)
  (cd "$w" && "$CLI" fix --quiet . > "$TMP/$N/patch" 2> "$TMP/$N/err"); rc=$?
  if [ "$rc" -ne 0 ]; then fail "$name: fix exited $rc: $(cat "$TMP/$N/err")"; continue; fi
  if cmp -s "$before" "$after"; then
    if [ -s "$TMP/$N/patch" ]; then fail "$name: expected no edit, got a patch"; else echo "PASS $name (left alone)"; fi
    continue
  fi
  if ! (cd "$w" && git apply --check "$TMP/$N/patch" && git apply "$TMP/$N/patch"); then
    fail "$name: git apply rejected the patch"; cat "$TMP/$N/patch"; continue
  fi
  if ! cmp -s "$w/$file" "$after"; then
    fail "$name: the patched file differs from after.*"; diff -u "$after" "$w/$file"; continue
  fi
  [ -n "$(cd "$w" && git status --porcelain --untracked-files=all | grep '^??')" ] ||
    fail "$name: no helper file was added"
  check_lang "$w/$file" || fail "$name: the patched file does not pass its language check"
  w2="$TMP/$N/write" && mkdir -p "$w2" && cp "$before" "$w2/$file"
  (cd "$w2" && "$CLI" fix --write --quiet . 2> "$TMP/$N/err2") || fail "$name: fix --write failed: $(cat "$TMP/$N/err2")"
  cmp -s "$w2/$file" "$after" || fail "$name: fix --write differs from the patch"
  (cd "$w" && "$CLI" fix --check --quiet . > "$TMP/$N/again"); rc=$?
  if [ "$rc" -ne 0 ] || [ -s "$TMP/$N/again" ]; then
    fail "$name: not idempotent (fix --check exit $rc on the fixed tree)"; cat "$TMP/$N/again"
  else
    echo "PASS $name"
  fi
done
[ "$N" -gt 0 ] || fail "no fixture pairs under $DIR"
echo "$N fixture pair(s)"
[ "$FAILED" -eq 0 ]
