#!/usr/bin/env bash
# Fleet scan on one machine with GNU parallel (README "Fleet scans"): N shards of the
# repository list scanned at once (`scan --repos-from LIST --shard I/N`), one JSON report
# per repository in OUT/reports, then `merge` into OUT/merged.json and OUT/merged.sarif.
#
# Usage: scripts/fleet/parallel.sh [--shards N] [--bin PATH] [--cache DIR] LIST OUT [-- SCAN-OPTION...]
#   --shards N   concurrent scan processes (default: nproc); each scans with --jobs 1
#                unless a --jobs is among the SCAN-OPTIONs
#   --bin PATH   authtoken-migrate (default: authtoken-migrate on PATH)
#   --cache DIR  --repos-cache of the scans (default: the scan's own default)
# Exit status: 2 when a shard or the merge failed with an error (usage, a bad list), else
# 1 when a repository has findings at or above --fail-on, else 3 when a repository could
# not be scanned and --fail-on-incomplete was given, else 0 (as `scan`).
set -uo pipefail

die() { echo "parallel.sh: error: $*" >&2; exit 2; }
SHARDS="$(nproc)"
BIN=authtoken-migrate
CACHE=
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) [ $# -ge 2 ] || die "--shards needs a number"; SHARDS="$2"; shift 2 ;;
    --bin) [ $# -ge 2 ] || die "--bin needs a path"; BIN="$2"; shift 2 ;;
    --cache) [ $# -ge 2 ] || die "--cache needs a directory"; CACHE="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) break ;;
    -*) die "unknown option: $1" ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || die "usage: parallel.sh [--shards N] [--bin PATH] [--cache DIR] LIST OUT [-- SCAN-OPTION...]"
LIST="$1" OUT="$2"
shift 2
if [ $# -gt 0 ]; then
  [ "$1" = -- ] || die "unexpected argument '$1' (scan options go after --)"
  shift
fi
SCAN_OPTS=("$@")
case "$SHARDS" in ''|*[!0-9]*|0) die "--shards: expected a positive number, got '$SHARDS'" ;; esac
command -v parallel >/dev/null 2>&1 || die "GNU parallel is not installed (Debian package 'parallel')"
parallel --version 2>/dev/null | grep 'GNU parallel' > /dev/null || die "'parallel' is not GNU parallel (moreutils has one of that name)"
command -v "$BIN" >/dev/null 2>&1 || die "$BIN: not found (give --bin PATH)"
[ -f "$LIST" ] || die "$LIST: no such file"

JOBS_GIVEN=0
for o in "${SCAN_OPTS[@]}"; do case "$o" in --jobs|--jobs=*) JOBS_GIVEN=1 ;; esac; done
[ "$JOBS_GIVEN" = 1 ] || SCAN_OPTS+=(--jobs 1)
[ -z "$CACHE" ] || SCAN_OPTS+=(--repos-cache "$CACHE")

mkdir -p "$OUT/reports" || die "cannot create $OUT/reports"
# Reports of an earlier run (a repository since removed from the list) would be merged too.
find "$OUT/reports" -maxdepth 1 -name '*.json' -delete
JOBLOG="$OUT/joblog.tsv"
# One scan per shard, its stderr in OUT/shard-I.log. -q: parallel passes the arguments
# as they are (no shell word splitting), so paths with spaces are fine.
export ATM_P_BIN="$BIN" ATM_P_LIST="$LIST" ATM_P_OUT="$OUT" ATM_P_SHARDS="$SHARDS"
ATM_P_OPTS="$(printf '%q ' "${SCAN_OPTS[@]}")"
export ATM_P_OPTS
# shellcheck disable=SC2016 # expanded by the shard's bash
parallel --will-cite -q --halt never -j "$SHARDS" --joblog "$JOBLOG" \
  bash -c 'eval "opts=($ATM_P_OPTS)"; exec "$ATM_P_BIN" scan --repos-from "$ATM_P_LIST" \
    --shard "$1/$ATM_P_SHARDS" --output-dir "$ATM_P_OUT/reports" "${opts[@]}" \
    2>"$ATM_P_OUT/shard-$1.log"' shard {} ::: $(seq 0 $((SHARDS - 1)))
# The joblog's 7th column is each shard's exit status.
CODES="$(awk -F'\t' 'NR > 1 { print $7 }' "$JOBLOG" | sort -u | tr '\n' ' ')"
for c in $CODES; do
  case "$c" in
    0|1|3) ;;
    *) cat "$OUT"/shard-*.log >&2; die "a scan shard failed (exit $c; logs: $OUT/shard-*.log)" ;;
  esac
done
shopt -s nullglob
REPORTS=("$OUT"/reports/*.json)
[ ${#REPORTS[@]} -gt 0 ] || die "$LIST lists no repository"
"$BIN" merge "${REPORTS[@]}" --format "json=$OUT/merged.json,sarif=$OUT/merged.sarif" ||
  die "merge failed"
echo "parallel.sh: ${#REPORTS[@]} reports merged into $OUT/merged.json and $OUT/merged.sarif" >&2
case " $CODES " in
  *" 1 "*) exit 1 ;;
  *" 3 "*) exit 3 ;;
esac
exit 0
