#!/usr/bin/env bash
# gate-pre-commit-e2e: the pre-commit hook (.pre-commit-hooks.yaml + scripts/pre-commit-hook)
# run by Debian's pre-commit, offline, against throwaway git repositories:
#   1. `pre-commit try-repo HOOKS authtoken-migrate` with a staged legacy Zoho line
#      fails and names the finding; with a clean staged file it passes;
#   2. an installed hook (`pre-commit install`, .pre-commit-config.yaml naming the hooks
#      repository by path): `git commit` of a legacy line is blocked (no commit made),
#      the clean version is committed; the same with the README's `repo: local`,
#      `language: system` config; once scan has --staged (piece diff), `args: [--staged]`
#      lets a change beside an old legacy line through and blocks a new one;
#   3. the wrapper finds the binary through $AUTHTOKEN_MIGRATE, and without one says how
#      to install it (exit 2).
# Usage: e2e-pre-commit.sh CLI SOURCE_DIR. Exit 77 (ctest: skipped) when pre-commit is
# not installed.
set -uo pipefail
CLI="$(realpath "$1")"
SRC="$(realpath "$2")"

if ! command -v pre-commit >/dev/null 2>&1; then
  echo "SKIP: pre-commit is not installed (apt-get install pre-commit; scripts/bootstrap does)"
  exit 77
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-gate-pre-commit.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }
die() { echo "FAIL $1"; exit 1; }

# No network, no user configuration: a private HOME and PRE_COMMIT_HOME, git without the
# system and global config.
export HOME="$TMP/home" PRE_COMMIT_HOME="$TMP/pre-commit-home"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$TMP/gitconfig"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.test
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.test
export NO_COLOR=1 PRE_COMMIT_COLOR=never
unset AUTHTOKEN_MIGRATE
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global protocol.allow never # nothing may be fetched from anywhere
git config --global protocol.file.allow always

# The built binary on PATH, as an installed one would be.
mkdir -p "$TMP/bin"
ln -s "$CLI" "$TMP/bin/authtoken-migrate"
BASE_PATH="$PATH"
export PATH="$TMP/bin:$BASE_PATH"

# A real positive line of the fixtures (and the line above it that names the host).
FIXTURE="$SRC/fixtures/cases/python/crm_v1_client.py"
HOST_LINE="$(grep -m1 '^BASE = "https://crm.zoho.eu' "$FIXTURE")"
LEGACY_LINE="$(grep -m1 'getRecords?authtoken=' "$FIXTURE")"
[ -n "$HOST_LINE" ] && [ -n "$LEGACY_LINE" ] || die "no legacy line found in $FIXTURE"
write_legacy() { printf 'import requests\n%s\n\n\ndef get_leads(AUTHTOKEN):\n%s\n    return requests.get(url).json()\n' "$HOST_LINE" "$LEGACY_LINE" >"$1"; }
write_clean() {
  printf 'import requests\n%s\n\n\ndef get_leads(token):\n    url = BASE + "Leads/getRecords"\n    return requests.get(url, headers={"Authorization": "Zoho-oauthtoken " + token}).json()\n' "$HOST_LINE" >"$1"
}

# The hooks repository: the project's checkout may be dirty, so a fresh repository holds
# the hook definition and its wrapper, committed.
HOOKS="$TMP/hooks"
mkdir -p "$HOOKS/scripts"
cp "$SRC/.pre-commit-hooks.yaml" "$HOOKS/"
cp "$SRC/scripts/pre-commit-hook" "$HOOKS/scripts/"
chmod +x "$HOOKS/scripts/pre-commit-hook"
git -C "$HOOKS" init -q && git -C "$HOOKS" add -A && git -C "$HOOKS" commit -qm hooks ||
  die "cannot create the hooks repository"
HOOKS_REV="$(git -C "$HOOKS" rev-parse HEAD)"

# --- 1. pre-commit try-repo ---------------------------------------------------------
WORK="$TMP/work"
mkdir -p "$WORK/src"
git -C "$WORK" init -q
echo "# demo" >"$WORK/README.md"
git -C "$WORK" add README.md && git -C "$WORK" commit -qm init
write_legacy "$WORK/src/crm.py"
git -C "$WORK" add src/crm.py
OUT="$(cd "$WORK" && pre-commit try-repo "$HOOKS" authtoken-migrate 2>&1)"
RC=$?
if [ "$RC" -ne 0 ] && grep -q 'src/crm.py:6:.*\[zoho-authtoken-url-param\]' <<<"$OUT"; then
  pass "try-repo: a staged legacy line fails and is named (src/crm.py:6, zoho-authtoken-url-param)"
else
  fail "try-repo with a legacy line: rc $RC, expected a failure naming src/crm.py:6 [zoho-authtoken-url-param]"
  echo "$OUT"
fi
write_clean "$WORK/src/crm.py"
git -C "$WORK" add src/crm.py
OUT="$(cd "$WORK" && pre-commit try-repo "$HOOKS" authtoken-migrate 2>&1)"
RC=$?
if [ "$RC" -eq 0 ] && grep -q 'authtoken-migrate (Zoho legacy authtoken).*Passed' <<<"$OUT"; then
  pass "try-repo: a clean staged file passes"
else
  fail "try-repo with a clean file: rc $RC, expected 0 and Passed"
  echo "$OUT"
fi

# --- 2. an installed hook: git commit ------------------------------------------------
REPO="$TMP/repo"
mkdir -p "$REPO/src"
git -C "$REPO" init -q
cat >"$REPO/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $HOOKS
    rev: $HOOKS_REV
    hooks:
      - id: authtoken-migrate
EOF
git -C "$REPO" add .pre-commit-config.yaml && git -C "$REPO" commit -qm "pre-commit config"
(cd "$REPO" && pre-commit install >/dev/null) || die "pre-commit install failed"
[ -x "$REPO/.git/hooks/pre-commit" ] || die "pre-commit install wrote no .git/hooks/pre-commit"
COMMITS="$(git -C "$REPO" rev-list --count HEAD)"
write_legacy "$REPO/src/crm.py"
git -C "$REPO" add src/crm.py
OUT="$(cd "$REPO" && git commit -m "legacy call" 2>&1)"
RC=$?
if [ "$RC" -ne 0 ] && [ "$(git -C "$REPO" rev-list --count HEAD)" = "$COMMITS" ] &&
   grep -q 'src/crm.py:6:.*\[zoho-authtoken-url-param\]' <<<"$OUT"; then
  pass "git commit: the installed hook blocks a legacy line and names it"
else
  fail "git commit of a legacy line: rc $RC, commits $(git -C "$REPO" rev-list --count HEAD) (was $COMMITS)"
  echo "$OUT"
fi
write_clean "$REPO/src/crm.py"
git -C "$REPO" add src/crm.py
OUT="$(cd "$REPO" && git commit -m "OAuth call" 2>&1)"
RC=$?
if [ "$RC" -eq 0 ] && [ "$(git -C "$REPO" rev-list --count HEAD)" = "$((COMMITS + 1))" ] &&
   [ "$(git -C "$REPO" log -1 --format=%s)" = "OAuth call" ]; then
  pass "git commit: the clean version is committed"
else
  fail "git commit of the clean file: rc $RC"
  echo "$OUT"
fi

# --- 2a. the README's `repo: local` / `language: system` variant ---------------------
REPO3="$TMP/repo3"
mkdir -p "$REPO3/src"
git -C "$REPO3" init -q
cat >"$REPO3/.pre-commit-config.yaml" <<'EOF'
repos:
  - repo: local
    hooks:
      - id: authtoken-migrate
        name: authtoken-migrate
        entry: authtoken-migrate scan --quiet
        language: system
        types: [text]
        require_serial: true
EOF
git -C "$REPO3" add .pre-commit-config.yaml && git -C "$REPO3" commit -qm "pre-commit config"
(cd "$REPO3" && pre-commit install >/dev/null) || die "pre-commit install failed (repo3)"
write_legacy "$REPO3/src/crm.py"
git -C "$REPO3" add src/crm.py
OUT="$(cd "$REPO3" && git commit -m "legacy call" 2>&1)"
RC=$?
write_clean "$REPO3/src/crm.py"
git -C "$REPO3" add src/crm.py
OUT2="$(cd "$REPO3" && git commit -m "OAuth call" 2>&1)"
RC2=$?
if [ "$RC" -ne 0 ] && grep -q 'src/crm.py:6:.*\[zoho-authtoken-url-param\]' <<<"$OUT" &&
   [ "$RC2" -eq 0 ] && [ "$(git -C "$REPO3" rev-list --count HEAD)" = 2 ]; then
  pass "repo: local (language: system): blocks the legacy line, commits the clean one"
else
  fail "repo: local: rc $RC / $RC2"
  echo "$OUT"
  echo "$OUT2"
fi

# --- 2b. args: [--staged] (piece `diff`): only added or changed lines block ------------
if "$CLI" scan --help 2>/dev/null | grep -- '--staged' > /dev/null; then
  REPO2="$TMP/repo2"
  mkdir -p "$REPO2/src"
  git -C "$REPO2" init -q
  cat >"$REPO2/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $HOOKS
    rev: $HOOKS_REV
    hooks:
      - id: authtoken-migrate
        args: [--staged]
EOF
  git -C "$REPO2" add .pre-commit-config.yaml && git -C "$REPO2" commit -qm "pre-commit config"
  (cd "$REPO2" && pre-commit install >/dev/null) || die "pre-commit install failed (repo2)"
  write_legacy "$REPO2/src/old.py"
  git -C "$REPO2" add src/old.py && git -C "$REPO2" commit -q --no-verify -m "legacy code"
  printf '\n\ndef unrelated():\n    return 1\n' >>"$REPO2/src/old.py"
  git -C "$REPO2" add src/old.py
  OUT="$(cd "$REPO2" && git commit -m "unrelated change" 2>&1)"
  RC=$?
  if [ "$RC" -eq 0 ]; then
    pass "args [--staged]: a change beside an old legacy line is committed"
  else
    fail "args [--staged]: an unrelated change was blocked (rc $RC)"
    echo "$OUT"
  fi
  printf '\n\ndef more(AUTHTOKEN):\n%s\n' "$LEGACY_LINE" >>"$REPO2/src/old.py"
  NEW_LINE="$(wc -l <"$REPO2/src/old.py")"
  git -C "$REPO2" add src/old.py
  OUT="$(cd "$REPO2" && git commit -m "new legacy line" 2>&1)"
  RC=$?
  if [ "$RC" -ne 0 ] && grep -q "src/old.py:$NEW_LINE:.*\[zoho-authtoken-url-param\]" <<<"$OUT" &&
     ! grep -q 'src/old.py:6:' <<<"$OUT"; then
    pass "args [--staged]: a new legacy line is blocked, named alone (src/old.py:$NEW_LINE)"
  else
    fail "args [--staged]: new legacy line: rc $RC, expected a failure naming only src/old.py:$NEW_LINE"
    echo "$OUT"
  fi
else
  echo "note: this build's scan has no --staged yet (piece diff); the args [--staged] part is not run"
fi

# --- 3. the wrapper's binary lookup --------------------------------------------------
write_legacy "$TMP/legacy.py"
export PATH="$BASE_PATH"
if command -v authtoken-migrate >/dev/null 2>&1; then
  echo "note: an authtoken-migrate is installed on PATH; the not-found case is not checked"
else
  OUT="$(sh "$HOOKS/scripts/pre-commit-hook" "$TMP/legacy.py" 2>&1)"
  RC=$?
  if [ "$RC" -eq 2 ] && grep -q 'binary was not found.*AUTHTOKEN_MIGRATE' <<<"$OUT"; then
    pass "wrapper: without a binary, exit 2 and how to install it"
  else
    fail "wrapper without a binary: rc $RC: $OUT"
  fi
fi
OUT="$(AUTHTOKEN_MIGRATE="$CLI" sh "$HOOKS/scripts/pre-commit-hook" "$TMP/legacy.py" 2>&1)"
RC=$?
if [ "$RC" -eq 1 ] && grep -q 'zoho-authtoken-url-param' <<<"$OUT"; then
  pass "wrapper: \$AUTHTOKEN_MIGRATE names the binary"
else
  fail "wrapper with AUTHTOKEN_MIGRATE: rc $RC: $OUT"
fi

exit "$FAILED"
