#!/usr/bin/env bash
# run-fix-fixtures.sh CLI FIXTURES_DIR
# The fix fixture pairs (README "Fix fixtures"): every FIXTURES_DIR/<lang>/<case>/ holds
# before.<ext> and after.<ext>. For each case, in a fresh git repository holding only
# before.<ext>:
#   - `CLI fix` prints a patch that `git apply --check` accepts and `git apply` applies;
#   - the patched file equals after.<ext> byte for byte (after == before: no edit, and then
#     the patch must be empty);
#   - when the file changed, the generated helper was added beside it (config files and
#     Deluge: no file was added; a Deluge connection holds the token);
#   - the patched file passes its language's own check (python3 -m py_compile, node --check
#     (an ES-module .js as .mjs), TypeScript's own parser (transpileModule's syntax
#     diagnostics, typescript from the npm registry cached like the helper test's tsc;
#     without npm the engine's re-parse is all), bash -n; ruby -c; JSON: python3's json; YAML:
#     PyYAML's safe_load when python3 has it (scripts/bootstrap does not install it: without
#     it the case says so and atm_fix_config_test parses every after.yaml with LLVM's YAML
#     parser); XML: python3's xml.etree; INI: python3's configparser; TOML: python3's
#     tomllib (3.11+); PHP: php -l; C#: mcs with the helper (RestSharp: a stub source); shell: bash -n, and sh -n for #!/bin/sh scripts;
#     Deluge: brackets, strings and comments balance, every invokeurl opens a `[`, and a
#     re-scan reports no deluge-authtoken finding beyond those the summary left for a
#     person; Java: javac with the generated helper and tests/fix/java-stubs (Apache
#     HttpClient, OkHttp stand-ins) on the source path; Kotlin/Scala: the syntax front end's
#     parse has no error, the file imports the Java helper, which is at its package path under
#     the source root and compiles with javac (no Kotlin/Scala compiler is installed, so
#     there is no compile of the Kotlin/Scala file itself); C/C++/Objective-C
#     (fixtures/fix/cpp): `fix` parses with the stand-in headers of fixtures/clang/_mock
#     (--extra-arg=-I…) and the patched file passes clang -fsyntax-only (-x c / c++ -std=c++17
#     / objective-c) against them with the generated zoho_oauth.h beside it; other
#     extensions: a re-scan);
#   - a case's repo/ directory (other files of the repository: a parent class or transport
#     of another file) is copied into that repository beside before.<ext>, unchanged;
#   - when the case has an expect-summary file, each of its lines (a fixed string, such as
#     a reason a finding is left for a person) appears in the summary `CLI fix` prints;
#   - `CLI fix --write` on a second copy gives the same bytes (atomic in-place mode);
#   - idempotence: `CLI fix --check` on the patched tree exits 0 with an empty patch.
set -uo pipefail
CLI="$1"
DIR="$2"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-fix-fixtures.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
N=0
# The stand-in third-party headers (curl, cpr, Qt, Poco, Beast, Foundation) of the Clang tests.
CMOCK="$(cd "$DIR/../clang/_mock" 2> /dev/null && pwd)"
fail() { FAILED=1; echo "FAIL $1"; }
# TypeScript for the syntax check of .ts fixtures: the helper test's cache (typescript@5).
TS_CACHE="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/authtoken-migrate/npm"
TS_MODULE=""
ts_module() {
  [ -n "$TS_MODULE" ] && return 0
  if [ ! -f "$TS_CACHE/node_modules/typescript/package.json" ] && command -v npm > /dev/null 2>&1; then
    mkdir -p "$TS_CACHE"
    npm install --prefix "$TS_CACHE" --no-audit --no-fund --loglevel=error typescript@5 > "$TMP/npm.log" 2>&1 ||
      cat "$TMP/npm.log" >&2
  fi
  [ -f "$TS_CACHE/node_modules/typescript/package.json" ] && TS_MODULE="$TS_CACHE/node_modules/typescript"
  [ -n "$TS_MODULE" ]
}
check_ts() { # FILE: TypeScript's parser, syntax errors only (no types, no imports resolved)
  if ! ts_module; then
    echo "note: typescript not available (no npm): $1 checked by the engine's re-parse only"
    return 0
  fi
  TS="$TS_MODULE" node -e '
    const ts = require(process.env.TS);
    const file = process.argv[1];
    const out = ts.transpileModule(require("fs").readFileSync(file, "utf8"), {
      fileName: file, reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.Preserve } });
    for (const d of out.diagnostics) console.error(file + ": " + ts.flattenDiagnosticMessageText(d.messageText, " "));
    process.exit(out.diagnostics.length ? 1 : 0);' "$1"
}
# Deluge has no parser here: brackets (outside strings and comments) must nest, strings and
# block comments must close, and `invokeurl` must be followed by `[`.
deluge_balanced() { # FILE
  python3 - "$1" <<'PYEOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
stack, i, n, code = [], 0, len(text), []
pairs = {")": "(", "]": "[", "}": "{"}
while i < n:
    c = text[i]
    if text.startswith("//", i):
        j = text.find("\n", i)
        i = n if j < 0 else j
        continue
    if text.startswith("/*", i):
        j = text.find("*/", i + 2)
        if j < 0:
            sys.exit("unterminated /* comment")
        i = j + 2
        continue
    if c in "\"'":
        j = i + 1
        while j < n and text[j] != c:
            j += 2 if text[j] == "\\" else 1
        if j >= n:
            sys.exit("unterminated string at offset %d" % i)
        code.append(" ")
        i = j + 1
        continue
    if c in "([{":
        stack.append((c, i))
    elif c in ")]}":
        if not stack or stack[-1][0] != pairs[c]:
            sys.exit("unbalanced %r at offset %d" % (c, i))
        stack.pop()
    code.append(c)
    i += 1
if stack:
    sys.exit("unclosed %r at offset %d" % stack[-1])
flat = "".join(code)
for m in re.finditer(r"(?i)\binvokeurl\b", flat):
    if not flat[m.end():].lstrip().startswith("["):
        sys.exit("invokeurl without [ at offset %d" % m.start())
PYEOF
}
check_go() { # FILE: gofmt-clean (with the helper file beside it), and go vet offline: of the
  # module with a go.mod beside it, else of the package directory in GOPATH mode (GO111MODULE=off;
  # the helper is then a file of that package)
  command -v gofmt > /dev/null || { echo "gofmt not found (Debian: golang-go)"; return 1; }
  local out; out="$(gofmt -l "$(dirname "$1")")" || return 1
  [ -z "$out" ] || { echo "not gofmt-clean: $out"; return 1; }
  if [ ! -f "$(dirname "$1")/go.mod" ]; then
    (cd "$(dirname "$1")" && GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOWORK=off \
      GOCACHE="$TMP/gocache" GOPATH="$TMP/gopath" go vet .)
    return
  fi
  (cd "$(dirname "$1")" && GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOWORK=off \
    GOCACHE="$TMP/gocache" GOPATH="$TMP/gopath" go vet ./...)
}
check_java() { # FILE: javac against the helper beside it and the stand-in sources (tests/fix/java-stubs)
  command -v javac > /dev/null || { echo "javac not found (Debian: openjdk-17-jdk-headless)"; return 1; }
  local out="$TMP/javac.$$" && rm -rf "$out" && mkdir -p "$out"
  javac -encoding UTF-8 -nowarn -proc:none -d "$out" -sourcepath "$(dirname "$1"):$(dirname "${BASH_SOURCE[0]}")/java-stubs" "$1"
}
check_jvm_syntax() { # FILE: Kotlin/Scala (no compiler here, see README): the syntax front end's
  # parse has no error, and the Java helper the file imports is beside it at its package path
  # and compiles with javac (the file calls it through JVM interop)
  local model first; model="$("$CLI" syntax "$1")" || return 1
  first="${model%%$'\n'*}"
  case "$first" in *", 0 syntax error(s)") ;; *) echo "$first"; grep ' error ' <<< "$model" | head -5; return 1 ;; esac
  grep -q '^import com\.example\.zoho\.ZohoOAuth$' "$1" || { echo "no import of the helper"; return 1; }
  local helper; helper="$(dirname "$1")/com/example/zoho/ZohoOAuth.java"
  [ -f "$helper" ] || { echo "the helper is not at $helper"; return 1; }
  command -v javac > /dev/null || { echo "javac not found (Debian: openjdk-17-jdk-headless)"; return 1; }
  local out="$TMP/javac-helper.$$" && rm -rf "$out" && mkdir -p "$out"
  javac -encoding UTF-8 -nowarn -proc:none -d "$out" "$helper"
}
check_cs() { # FILE: Mono's mcs compiles it with the files beside it (the helper) and, for
  # RestSharp code, tests/fix/csharp-stubs/RestSharp.cs
  command -v mcs > /dev/null || { echo "mcs not found (Debian: mono-mcs)"; return 1; }
  local extra=()
  grep -q '\bRestSharp\b' "$1" && extra+=("$(dirname "${BASH_SOURCE[0]}")/csharp-stubs/RestSharp.cs")
  mcs -target:library -nowarn:414,169,219 -r:System.Net.Http.dll -out:"$TMP/cs-check.dll" \
    "$(dirname "$1")"/*.cs "${extra[@]}"
}
is_cfamily() { case "$1" in *.c | *.cc | *.cpp | *.cxx | *.m | *.mm) return 0 ;; *) return 1 ;; esac; }
check_c() { # FILE: clang -fsyntax-only against the stand-ins, the helper header beside it
  local lang=c std=-std=gnu11 drv
  case "$1" in
    *.cc | *.cpp | *.cxx) lang=c++ std=-std=c++17 ;;
    *.m) lang=objective-c std=-fblocks ;;
    *.mm) lang=objective-c++ std="-fblocks -std=gnu++17" ;;
  esac
  drv="$(command -v clang || command -v clang-14)" || { echo "clang not found (Debian: clang-14)"; return 1; }
  "$drv" -fsyntax-only -x "$lang" $std -I"$CMOCK" -I"$(dirname "$1")" "$1"
}
check_lang() { # FILE SUMMARY
  case "$1" in
    *.c | *.cc | *.cpp | *.cxx | *.m | *.mm) check_c "$1" ;;
    *.py) python3 -m py_compile "$1" ;;
    *.js)
      if grep -Eq '^(import[[:space:]]|export[[:space:]])' "$1"; then
        cp "$1" "$1.check.mjs" && node --check "$1.check.mjs"; local rc=$?; rm -f "$1.check.mjs"; return $rc
      fi
      node --check "$1" ;;
    *.cjs | *.mjs) node --check "$1" ;;
    *.ts | *.tsx | *.mts | *.cts) check_ts "$1" ;;
    *.sh | *.bash)
      bash -n "$1" || return 1
      if head -n 1 "$1" | grep -q '^#! */bin/sh'; then sh -n "$1"; fi ;;
    *.dg | *.deluge)
      deluge_balanced "$1" || return 1
      local all fixed found
      all="$(grep -c ': deluge-authtoken-[a-z-]*: ' "$2")"
      fixed="$(grep -c ': deluge-authtoken-[a-z-]*: fixed: ' "$2")"
      found="$("$CLI" scan "$1" --quiet --color never | grep -c '\[deluge-authtoken-')"
      [ "$found" -eq $((all - fixed)) ] ||
        { echo "re-scan: $found deluge-authtoken finding(s), $((all - fixed)) left for a person"; return 1; } ;;
    *.php) php -l "$1" > /dev/null ;;
    *.json) python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1" ;;
    *.yaml | *.yml)
      if python3 -c 'import yaml' 2> /dev/null; then
        python3 -c 'import yaml,sys; list(yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")))' "$1"
      else
        echo "  (no PyYAML for python3: YAML parse left to atm_fix_config_test)"
      fi ;;
    *.xml | *.config) python3 -c 'import sys,xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1" ;;
    *.ini) python3 -c 'import configparser,sys; configparser.ConfigParser(interpolation=None).read_file(open(sys.argv[1], encoding="utf-8"))' "$1" ;;
    *.toml) python3 -c 'import sys,tomllib; tomllib.load(open(sys.argv[1], "rb"))' "$1" ;;
    *.rb) ruby -c "$1" > /dev/null ;;
    *.go) check_go "$1" ;;
    *.java) check_java "$1" ;;
    *.cs) check_cs "$1" ;;
    *.kt | *.kts | *.scala | *.sc) check_jvm_syntax "$1" ;;
    *) "$CLI" scan "$1" --quiet --color never > /dev/null ;;
  esac
}
is_config() { # FILE: config files get no helper file
  case "$1" in
    *.env | *.properties | *.ini | *.toml | *.yaml | *.yml | *.json | *.xml | *.config) return 0 ;;
    *) return 1 ;;
  esac
}
is_deluge() { case "$1" in *.dg | *.deluge) return 0 ;; *) return 1 ;; esac; }
for case_dir in "$DIR"/*/*/; do
  case_dir="${case_dir%/}"
  name="$(basename "$(dirname "$case_dir")")/$(basename "$case_dir")"
  before="$(find "$case_dir" -maxdepth 1 -name 'before.*' | head -1)"
  after="$(find "$case_dir" -maxdepth 1 -name 'after.*' | head -1)"
  if [ -z "$before" ] || [ -z "$after" ]; then fail "$name: needs before.* and after.*"; continue; fi
  N=$((N + 1))
  file="$(basename "$before")"
  w="$TMP/$N/apply" && mkdir -p "$w" && cp "$before" "$w/$file"
  [ -f "$case_dir/go.mod" ] && cp "$case_dir/go.mod" "$w/go.mod" # Go: the module path
  # Other files of the repository (a parent class, the project's transport): copied as they are.
  [ -d "$case_dir/repo" ] && cp -R "$case_dir/repo/." "$w/"
  (cd "$w" && git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm before)
  XA=() # C family: the Clang front end parses with the stand-in headers
  is_cfamily "$file" && XA=("--extra-arg=-I$CMOCK")
  (cd "$w" && "$CLI" fix --quiet "${XA[@]}" . > "$TMP/$N/patch" 2> "$TMP/$N/err"); rc=$?
  if [ "$rc" -ne 0 ]; then fail "$name: fix exited $rc: $(cat "$TMP/$N/err")"; continue; fi
  (cd "$w" && "$CLI" fix "${XA[@]}" . 2> "$TMP/$N/summary" > /dev/null)
  if [ -f "$case_dir/expect-summary" ]; then
    missing=0
    while IFS= read -r line; do
      [ -z "$line" ] && continue
      grep -qF -- "$line" "$TMP/$N/summary" || { fail "$name: summary lacks: $line"; missing=1; }
    done < "$case_dir/expect-summary"
    [ "$missing" -eq 0 ] || { cat "$TMP/$N/summary"; continue; }
  fi
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
  added="$(cd "$w" && git status --porcelain --untracked-files=all | grep '^??')"
  if is_config "$file"; then
    [ -z "$added" ] || fail "$name: a config file got a new file beside it: $added"
  elif is_deluge "$file"; then
    [ -z "$added" ] || fail "$name: a Deluge fix added files: $added"
  else
    [ -n "$added" ] || fail "$name: no helper file was added"
  fi
  check_lang "$w/$file" "$TMP/$N/summary" || fail "$name: the patched file does not pass its language check"
  w2="$TMP/$N/write" && mkdir -p "$w2" && cp "$before" "$w2/$file"
  [ -f "$case_dir/go.mod" ] && cp "$case_dir/go.mod" "$w2/go.mod"
  [ -d "$case_dir/repo" ] && cp -R "$case_dir/repo/." "$w2/"
  (cd "$w2" && "$CLI" fix --write --quiet "${XA[@]}" . 2> "$TMP/$N/err2") || fail "$name: fix --write failed: $(cat "$TMP/$N/err2")"
  cmp -s "$w2/$file" "$after" || fail "$name: fix --write differs from the patch"
  (cd "$w" && "$CLI" fix --check --quiet "${XA[@]}" . > "$TMP/$N/again"); rc=$?
  if [ "$rc" -ne 0 ] || [ -s "$TMP/$N/again" ]; then
    fail "$name: not idempotent (fix --check exit $rc on the fixed tree)"; cat "$TMP/$N/again"
  else
    echo "PASS $name"
  fi
done
[ "$N" -gt 0 ] || fail "no fixture pairs under $DIR"
echo "$N fixture pair(s)"
[ "$FAILED" -eq 0 ]
