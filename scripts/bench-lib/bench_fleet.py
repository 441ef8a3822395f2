#!/usr/bin/env python3
"""`scripts/bench --fleet`: a fleet scan through the GNU parallel recipe, and merge.

REPOS generated git repositories (default 200; tests/fleet/fleetlib.py: deterministic,
repository k holds k % 3 legacy Python files with two findings each, and CLEAN clean
files) are listed in a file and scanned with scripts/fleet/parallel.sh (SHARDS
concurrent `scan --repos-from LIST --shard I/N`, default nproc, then `merge`); the
merged report must hold exactly the planted findings (else exit 1). Then `merge` alone
over the REPOS per-repository reports. ripgrep (`rg -i authtoken` with --no-ignore
--hidden, the same threads) over the same repositories in the same run is the peer:
figures are given as ratios, median wall time of RUNS runs each.

usage: bench_fleet.py --bin BIN [--repos N] [--clean N] [--shards N] [--runs N] [--keep]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fleet"))
import fleetlib  # noqa: E402


def timed(cmd, out_path, cwd=None):
    """Wall time (s) and peak RSS (MiB) of cmd, stdout to out_path."""
    with open(out_path, "wb") as out:
        t0 = time.perf_counter_ns()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, stdout=out,
                           stderr=subprocess.PIPE)
        t1 = time.perf_counter_ns()
    err = p.stderr.decode()
    rss_kb = int(err.strip().splitlines()[-1])
    return (t1 - t0) / 1e9, rss_kb / 1024, p.returncode, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--repos", type=int, default=200)
    ap.add_argument("--clean", type=int, default=8, help="clean files per repository")
    ap.add_argument("--shards", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    for tool in ("rg", "parallel", "git"):
        if not shutil.which(tool):
            print("bench --fleet: error: %s is not installed (scripts/bootstrap)" % tool, file=sys.stderr)
            return 2
    tmp = Path(tempfile.mkdtemp(prefix="atm-bench-fleet."))
    try:
        repos = tmp / "repos"
        t0 = time.perf_counter()
        expected = fleetlib.make_fleet(str(repos), a.repos, a.clean)
        gen_s = time.perf_counter() - t0
        listing = tmp / "repos.txt"
        listing.write_text("".join("%s\n" % (repos / n) for n in sorted(expected)))
        files = sum(1 for _ in repos.rglob("*") if _.is_file() and ".git" not in _.parts)
        print("bench --fleet: %d repositories, %d files, %d planted findings (generated in %.1f s)"
              % (a.repos, files, sum(expected.values()), gen_s), file=sys.stderr)

        recipe = ROOT / "scripts" / "fleet" / "parallel.sh"
        out = tmp / "out"
        scan_t, scan_rss, merge_t, merge_rss, rg_t = [], [], [], [], []
        for run in range(a.runs):
            shutil.rmtree(out, ignore_errors=True)
            t, rss, rc, err = timed(["bash", str(recipe), "--shards", str(a.shards), "--bin", a.bin,
                                     str(listing), str(out), "--", "--no-config", "--quiet"],
                                    tmp / "recipe.out")
            if rc not in (0, 1):
                print("bench --fleet: error: parallel.sh exited %d:\n%s" % (rc, err), file=sys.stderr)
                return 2
            scan_t.append(t)
            scan_rss.append(rss)
            merged = json.loads((out / "merged.json").read_text())
            got = {r["name"]: r["findings"] for r in merged["repositories"]}
            if got != expected:
                diff = {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got)
                        if expected.get(k) != got.get(k)}
                print("bench --fleet: FAIL: the merged report does not hold the planted findings "
                      "(repository: (planted, found)): %s" % dict(sorted(diff.items())[:10]),
                      file=sys.stderr)
                return 1
            reports = sorted(str(p) for p in (out / "reports").glob("*.json"))
            t, rss, rc, err = timed([a.bin, "merge", *reports, "--output", str(tmp / "m.json")],
                                    tmp / "merge.out")
            if rc != 0:
                print("bench --fleet: error: merge exited %d:\n%s" % (rc, err), file=sys.stderr)
                return 2
            merge_t.append(t)
            merge_rss.append(rss)
            t, _, rc, err = timed(["rg", "-i", "--no-ignore", "--hidden", "-j", str(a.shards),
                                   "authtoken", str(repos)], tmp / "rg.out")
            if rc not in (0, 1):
                print("bench --fleet: error: rg exited %d:\n%s" % (rc, err), file=sys.stderr)
                return 2
            rg_t.append(t)
        med = statistics.median
        s, m, r = med(scan_t), med(merge_t), med(rg_t)
        print("fleet benchmark: %d repositories (%d files), %d shards, median of %d runs"
              % (a.repos, files, a.shards, a.runs))
        print("  %-44s %8.3f s  peak RSS %6.1f MiB" % ("parallel.sh (scan shards + merge)", s, max(scan_rss)))
        print("  %-44s %8.3f s  peak RSS %6.1f MiB" % ("merge of %d reports" % len(reports), m, max(merge_rss)))
        print("  %-44s %8.3f s" % ("rg -i authtoken (same repositories)", r))
        print("  ratio parallel.sh / rg: %.1fx   merge / rg: %.2fx   per repository: %.1f ms"
              % (s / r, m / r, 1000 * s / a.repos))
        print("  findings: %d in %d repositories (all planted ones, nothing else)"
              % (sum(expected.values()), sum(1 for v in expected.values() if v)))
        if a.keep:
            print("  kept: %s" % tmp)
        return 0
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
