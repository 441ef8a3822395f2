#!/usr/bin/env bash
# C/C++ benchmark of the Clang front end: `scripts/bench --cpp` runs this script.
# See `scripts/bench --cpp --help`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LIB="$ROOT/scripts/bench-lib"

SEED=20240611
POS_PCT=4            # percent of the translation units with a planted legacy usage
TARGET_AST_RATIO=1.20
LLVM_BIN=/usr/lib/llvm-14/bin
CLANG="$LLVM_BIN/clang"

usage() {
  cat <<EOF
Usage: scripts/bench --cpp [options]

Generates (once) a C/C++ tree of --tus translation units (.cpp, .cc, .c) in nested
directories with headers of their own, which include real system headers (libstdc++,
<curl/curl.h>). About ${POS_PCT}% of the translation units carry a planted legacy Zoho
authtoken usage (URL concatenation, printf-style formats, the Zoho-authtoken header,
CURLOPT_POSTFIELDS bodies, #define'd tokens, a URL built in an included project header);
decoys (Zoho OAuth code, Twilio/ngrok "authtoken" code) must produce no finding.

Then checks the scan (every planted finding with its rule id on its line, nothing in
decoys, no translation unit fell back to the lexer), and times, with the same --jobs:
  a) authtoken-migrate scan --format json --jobs J --max-file-size 0 --no-ignore TREE
     (total wall, peak RSS, and the AST pass from its "parsed by Clang in X s" note)
  b) clang -fsyntax-only over only the candidate translation units, with the scanner's
     fallback command line, in parallel (xargs -P J)
  c) rg -i authtoken --no-ignore --hidden TREE
  d) the command lines of b) on an empty file: clang's process start-up (informational;
     the scanner parses in-process, b) pays it once per translation unit)
Targets: translation units without candidates are never parsed (parsed = candidates);
the AST pass costs <= ${TARGET_AST_RATIO}x clang -fsyntax-only on the same units.

Options:
  --tus N            translation units in the tree (default 3000)
  --runs N           timed runs per tool; the median is reported (default 3)
  --jobs N           threads/processes for every tool (default: nproc = $(nproc))
  --bin PATH         authtoken-migrate binary, built with the Clang front end
                     (default: build/authtoken-migrate; built with scripts/build when missing)
  --corpus DIR       corpus directory (default: \$ATM_BENCH_CPP_CORPUS or
                     build/bench-cpp-corpus); re-used when its stamp matches
  --rebuild-corpus   regenerate the tree
  --no-bootstrap     do not install missing tools (clang-14, ripgrep, time, libcurl headers)
  -h, --help         show this help

Exit status: 0 when the benchmark ran (even if a target is missed), 1 when the scan missed
a planted finding, reported one in a decoy, or could not parse a translation unit that
clang compiles, 2 on errors (generated code does not compile, a tool failed, bad options).
EOF
}

die() { echo "bench: error: $*" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

CORPUS="${ATM_BENCH_CPP_CORPUS:-$ROOT/build/bench-cpp-corpus}"
TUS=3000
RUNS=3
JOBS="$(nproc)"
BIN="$ROOT/build/authtoken-migrate"
REBUILD=0
BOOTSTRAP=1
while [ $# -gt 0 ]; do
  case "$1" in
    --tus) [ $# -ge 2 ] || die "--tus needs a number"; TUS="$2"; shift 2 ;;
    --tus=*) TUS="${1#*=}"; shift ;;
    --corpus) [ $# -ge 2 ] || die "--corpus needs a directory"; CORPUS="$2"; shift 2 ;;
    --corpus=*) CORPUS="${1#*=}"; shift ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; RUNS="$2"; shift 2 ;;
    --runs=*) RUNS="${1#*=}"; shift ;;
    --jobs) [ $# -ge 2 ] || die "--jobs needs a number"; JOBS="$2"; shift 2 ;;
    --jobs=*) JOBS="${1#*=}"; shift ;;
    --bin) [ $# -ge 2 ] || die "--bin needs a path"; BIN="$2"; shift 2 ;;
    --bin=*) BIN="${1#*=}"; shift ;;
    --rebuild-corpus) REBUILD=1; shift ;;
    --no-bootstrap) BOOTSTRAP=0; shift ;;
    --cpp) shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
if ! [[ "$TUS" =~ ^[1-9][0-9]*$ ]] || [ "$TUS" -lt 100 ]; then die "--tus: expected an integer >= 100, got '$TUS'"; fi
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs: expected a positive integer, got '$RUNS'"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || die "--jobs: expected a positive integer, got '$JOBS'"
mkdir -p "$CORPUS"
CORPUS="$(cd "$CORPUS" && pwd -P)"
# The clang command lines go through xargs: no blanks, quotes or backslashes in paths.
case "$CORPUS" in *[[:space:]\'\"\\]*) die "--corpus: the path must not contain blanks, quotes or backslashes: $CORPUS" ;; esac
TREE="$CORPUS/tree"
MANIFEST="$CORPUS/manifest.json"
STAMP="$CORPUS/.stamp"

# ---------------------------------------------------------------- tools
have_curl_h() { echo '#include <curl/curl.h>' | "$CLANG" -fsyntax-only -x c - >/dev/null 2>&1; }
need_install=()
command -v rg >/dev/null 2>&1 || need_install+=(ripgrep)
[ -x /usr/bin/time ] || need_install+=(time)
{ [ -x "$CLANG" ] && [ -x "$CLANG++" ]; } || need_install+=(clang-14)
compgen -G '/usr/include/*/curl/curl.h' >/dev/null || [ -f /usr/include/curl/curl.h ] \
  || need_install+=(libcurl4-openssl-dev)
if [ ${#need_install[@]} -gt 0 ]; then
  [ "$BOOTSTRAP" = 1 ] || die "missing: ${need_install[*]} (Debian packages; run without --no-bootstrap to install)"
  log "installing ${need_install[*]} (apt-get)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need_install[@]}" >/dev/null \
    || die "apt-get install ${need_install[*]} failed"
fi
for t in python3 rg xargs "$CLANG" "$CLANG++"; do
  command -v "$t" >/dev/null 2>&1 || die "'$t' is required but not found"
done
have_curl_h || die "<curl/curl.h> not found by $CLANG (Debian: libcurl4-openssl-dev)"
if [ ! -x "$BIN" ]; then
  [ "$BIN" = "$ROOT/build/authtoken-migrate" ] || die "no executable at --bin $BIN"
  log "$BIN is missing; building it with scripts/build"
  "$ROOT/scripts/build" || die "scripts/build failed"
fi

# ---------------------------------------------------------------- corpus
spec() {
  echo "tus=$TUS seed=$SEED pos=$POS_PCT"
  sha256sum "$LIB/gen_cpp.py" | cut -d' ' -f1
  # The manifest's candidate list follows the rules' prefilter literals.
  grep -rh -e '^prefilter:' -e '^languages:' "$ROOT/rules" | LC_ALL=C sort
}
WANT_STAMP="$(spec | sha256sum | cut -d' ' -f1)"

if [ "$REBUILD" = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ] \
   && [ -d "$TREE" ] && [ -f "$MANIFEST" ]; then
  log "re-using corpus $CORPUS"
else
  log "generating $TUS translation units in $TREE (and compiling a sample with $CLANG)"
  rm -f "$STAMP"
  python3 "$LIB/gen_cpp.py" --tree "$TREE" --manifest "$MANIFEST" --tus "$TUS" --seed "$SEED" \
    --pos-pct "$POS_PCT" --rules "$ROOT/rules" --verify --clang "$CLANG" --jobs "$JOBS" >&2 \
    || die "corpus generation failed"
  echo "$WANT_STAMP" >"$STAMP"
fi

eval "$(python3 - "$MANIFEST" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
e = m["tu_extensions"]
print("M_TUS=%d M_HEADERS=%d M_CANDIDATES=%d M_POS=%d M_DECOYS=%d M_SITES=%d M_CANDIDATE_FILES=%d" % (
    m["tus"], m["headers"], len(m["candidate_tus"]), m["pos_tus"], m["decoy_tus"], m["sites"],
    m["candidate_files"]))
print("M_EXTS='%s'" % ", ".join("%d .%s" % (e[k], k) for k in sorted(e)))
print("M_ZOHO_DECOYS=%d" % sum(1 for f in m["files"] if f["kind"] == "decoy" and f["path"] in m["candidate_tus"]))
EOF
)" || die "cannot read $MANIFEST"
read -r CORPUS_FILES CORPUS_BYTES < <(find "$TREE" -type f -printf '%s\n' | awk '{n++; s+=$1} END {print n+0, s+0}')
CORPUS_MB=$(awk -v b="$CORPUS_BYTES" 'BEGIN {printf "%.1f", b/1e6}')
log "corpus: $M_TUS translation units ($M_EXTS), $M_HEADERS headers, $CORPUS_MB MB; $M_CANDIDATES candidate TUs"

# ---------------------------------------------------------------- commands
WORK="$(mktemp -d "${TMPDIR:-/tmp}/atm-bench-cpp.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

python3 "$LIB/check_cpp.py" --manifest "$MANIFEST" --tree "$TREE" --clang "$CLANG" \
  --clang-commands-out "$WORK/clang.cmds" || die "cannot write the clang command lines"

# The same command lines on an empty file: what clang's process start-up costs.
: >"$WORK/empty.c"; : >"$WORK/empty.cpp"
awk -v e="$WORK/empty" '{ $NF = ($NF ~ /\.c$/) ? e ".c" : e ".cpp"; print }' "$WORK/clang.cmds" >"$WORK/empty.cmds"

OURS=("$BIN" scan --format json --jobs "$JOBS" --max-file-size 0 --no-ignore --fail-on none "$TREE")
# One clang per candidate TU, J at a time; `env` runs each line's first word (the driver).
CLANGS=(xargs -a "$WORK/clang.cmds" -L 1 -P "$JOBS" env)
EMPTY=(xargs -a "$WORK/empty.cmds" -L 1 -P "$JOBS" env)
RG=(rg -i --no-ignore --hidden --threads "$JOBS" authtoken "$TREE")

check_rc() {
  local name="$1" rc="$2"
  # rg: 0 = matches, 1 = no match, 2 = error. The scanner: 0 with --fail-on none.
  # xargs: 0 only when every clang exited 0.
  if [ "$name" = rg ] && [ "$rc" -le 1 ]; then return 0; fi
  if [ "$name" != rg ] && [ "$rc" -eq 0 ]; then return 0; fi
  log "$name exited with status $rc; stderr:"
  head -n 20 "$WORK/$name.err" | sed 's/^/  /' >&2
  exit 2
}

# run_timed NAME CMD... : one run; appends "wall_s peak_kib cpu_s" to $WORK/NAME.times.
run_timed() {
  local name="$1"; shift
  local t0 t1 rc=0
  t0=$(date +%s%N)
  /usr/bin/time -f '%M %U %S' -o "$WORK/$name.rss" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  t1=$(date +%s%N)
  check_rc "$name" "$rc"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b-a)/1e9}') $(tail -n1 "$WORK/$name.rss" | awk '{printf "%d %.2f", $1, $2 + $3}')" >>"$WORK/$name.times"
}

# ---------------------------------------------------------------- sanity scan (untimed)
log "sanity scan (untimed; also warms the page cache): planted findings, decoys, parse failures"
rc=0; "${OURS[@]}" >"$WORK/report.json" 2>"$WORK/ours.err" || rc=$?
check_rc ours "$rc"
RECALL_RC=0
python3 "$LIB/check_cpp.py" --manifest "$MANIFEST" --report "$WORK/report.json" \
  --summary-out "$WORK/summary.env" --fallback-out "$WORK/fallback.txt" >"$WORK/recall.txt" || RECALL_RC=$?
[ "$RECALL_RC" -le 1 ] || die "cannot check the scan report"
# shellcheck disable=SC1091
. "$WORK/summary.env"
[ "$SCAN_HAS_NOTE" = 1 ] || die "the scan printed no 'parsed by Clang' note: is $BIN built with the Clang front end (find_package(Clang))?"
sed 's/^/bench: /' "$WORK/recall.txt" >&2
if [ "$SCAN_FELL_BACK" -gt 0 ]; then
  # A candidate TU the scanner could not parse: is the generated code broken (clang fails
  # too: an error) or the scanner (clang compiles it: a failure)?
  log "$SCAN_FELL_BACK translation unit(s) fell back to the lexer:"
  clang_ok=0
  while IFS=$'\t' read -r rel err; do
    echo "  $rel: $err" >&2
    read -ra cmd < <(grep -F " $TREE/$rel" "$WORK/clang.cmds" | head -n1 || true)
    if [ ${#cmd[@]} -gt 0 ] && "${cmd[@]}" >/dev/null 2>&1; then clang_ok=$((clang_ok + 1)); fi
  done <"$WORK/fallback.txt"
  [ "$clang_ok" -gt 0 ] || die "the generated code does not compile (clang -fsyntax-only fails as well); regenerate with --rebuild-corpus after fixing scripts/bench-lib/gen_cpp.py"
  echo "bench: FAIL: $clang_ok translation unit(s) that clang -fsyntax-only compiles fell back to the lexer in the scan" >&2
  exit 1
fi

# ---------------------------------------------------------------- timed runs
log "timing $RUNS run(s) per tool, alternating, $JOBS job(s) each ($M_CANDIDATES candidate TUs for clang)"
for ((i = 1; i <= RUNS; i++)); do
  run_timed ours "${OURS[@]}"
  python3 "$LIB/check_cpp.py" --note "$WORK/ours.out" >>"$WORK/ours.note" || die "no Clang note in timed run $i"
  run_timed clang "${CLANGS[@]}"
  run_timed rg "${RG[@]}"
  run_timed empty "${EMPTY[@]}"
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { cut -d' ' -f"$2" "$WORK/$1"; }
OURS_WALL=$(col ours.times 1 | median); OURS_CPU=$(col ours.times 3 | median)
OURS_RSS=$(col ours.times 2 | sort -n | tail -n1)
AST_S=$(col ours.note 2 | median)
PARSED_ALL=$(col ours.note 1 | sort -n | uniq | paste -sd/)
CLANG_WALL=$(col clang.times 1 | median); CLANG_CPU=$(col clang.times 3 | median)
CLANG_RSS=$(col clang.times 2 | sort -n | tail -n1)
EMPTY_WALL=$(col empty.times 1 | median)
RG_WALL=$(col rg.times 1 | median); RG_CPU=$(col rg.times 3 | median)
RG_RSS=$(col rg.times 2 | sort -n | tail -n1)
OURS_ALL=$(col ours.times 1 | paste -sd' '); AST_ALL=$(col ours.note 2 | paste -sd' ')
CLANG_ALL=$(col clang.times 1 | paste -sd' '); RG_ALL=$(col rg.times 1 | paste -sd' ')

mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "inf"}'; }

echo
echo "corpus: $TREE"
echo "        $M_TUS translation units ($M_EXTS) + $M_HEADERS headers = $CORPUS_FILES files, $CORPUS_MB MB, seed $SEED"
echo "        candidate TUs: $M_CANDIDATES ($M_POS with planted legacy usage, $M_ZOHO_DECOYS Zoho OAuth decoys); $((M_DECOYS - M_ZOHO_DECOYS)) non-Zoho authtoken decoys; $M_SITES planted findings"
echo "host:   $(nproc) cores, jobs=$JOBS, runs=$RUNS; $("$BIN" --version 2>/dev/null | sed -n 1p); $("$CLANG" --version | sed -n 1p); $(rg --version | sed -n 1p)"
echo
printf '%-36s %9s %8s %13s  %s\n' "" "median s" "CPU s" "peak RSS MiB" "wall per run (s)"
printf '%-36s %9s %8s %13s  %s\n' "authtoken-migrate scan (total)" "$OURS_WALL" "$OURS_CPU" "$(mib "$OURS_RSS")" "$OURS_ALL"
printf '%-36s %9s %8s %13s  %s\n' "  AST pass (from its note)" "$AST_S" "" "" "$AST_ALL"
printf '%-36s %9s %8s %13s  %s\n' "clang -fsyntax-only, $M_CANDIDATES TUs, -P $JOBS" "$CLANG_WALL" "$CLANG_CPU" "$(mib "$CLANG_RSS")" "$CLANG_ALL"
printf '%-36s %9s %8s %13s  %s\n' "rg -i authtoken" "$RG_WALL" "$RG_CPU" "$(mib "$RG_RSS")" "$RG_ALL"
echo "(clang's peak RSS is that of its largest single process; CPU s = median user+sys)"
echo
cat "$WORK/recall.txt"
NEVER_OK=$([ "$PARSED_ALL" = "$M_CANDIDATES" ] && echo PASS || echo FAIL)
AST_RATIO=$(ratio "$AST_S" "$CLANG_WALL")
AST_OK=$(awk -v r="$AST_RATIO" -v t="$TARGET_AST_RATIO" 'BEGIN {print (r != "inf" && r <= t) ? "PASS" : "FAIL"}')
echo "TUs parsed by the scanner = $PARSED_ALL of $M_TUS; candidate TUs = $M_CANDIDATES   (target: TUs without candidates are never parsed: $NEVER_OK)"
echo "AST pass / clang -fsyntax-only = $AST_S s / $CLANG_WALL s = $AST_RATIO   (target <= ${TARGET_AST_RATIO}x: $AST_OK)"
NET=$(awk -v a="$CLANG_WALL" -v b="$EMPTY_WALL" 'BEGIN {printf "%.3f", a - b}')
echo "  (clang start-up: the same $M_CANDIDATES command lines on an empty file take $EMPTY_WALL s; AST pass / (clang - start-up) = $AST_S s / $NET s = $(ratio "$AST_S" "$NET"), informational)"
echo "scan total / rg = $OURS_WALL s / $RG_WALL s = $(ratio "$OURS_WALL" "$RG_WALL")x   (informational)"
echo "scan peak RSS = $(mib "$OURS_RSS") MiB, max over runs; $SCAN_FILES_SCANNED files with candidates of $SCAN_FILES_SEEN seen (manifest: $M_CANDIDATE_FILES)"

if [ "$RECALL_RC" -ne 0 ]; then
  echo "bench: FAIL: the scan missed planted findings or reported decoys (see above)" >&2
  exit 1
fi
exit 0
