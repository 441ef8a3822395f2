#!/usr/bin/env python3
"""Compare a scan's JSON report with the plant manifest.

Prints one summary line (planted sites vs found) and, on a miss, the missed sites.
Exit status: 0 when every planted positive site has a finding, 1 otherwise, 2 on bad
input. Findings in negative files are reported but do not fail the check.
With --summary-out, also writes the report's summary (files, bytes) as shell variables.
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--report", required=True, help="authtoken-migrate scan --format json output")
    ap.add_argument("--summary-out", help="write SCAN_FILES=... SCAN_BYTES=... here")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    try:
        with open(a.manifest, encoding="utf-8") as f:
            man = json.load(f)
        with open(a.report, encoding="utf-8") as f:
            rep = json.load(f)
    except (OSError, ValueError) as e:
        print("check.py: cannot read input: %s" % e, file=sys.stderr)
        return 2

    by_path = {}
    for fd in rep.get("findings", []):
        by_path.setdefault(fd["path"].replace("\\", "/"), []).append(fd)

    sites = found = planted_findings = neg_files = neg_hits = 0
    missed = []
    for pf in man["files"]:
        fs = by_path.get(pf["path"], [])
        if pf["kind"] == "neg":
            neg_files += 1
            neg_hits += len(fs)
            if fs and a.verbose:
                for fd in fs:
                    print("  false positive: %s:%d %s" % (pf["path"], fd["start"]["line"], fd["rule_id"]))
            continue
        planted_findings += len(fs)
        for ln in pf["lines"]:
            sites += 1
            if any(fd["start"]["line"] <= ln <= fd["end"]["line"] for fd in fs):
                found += 1
            else:
                missed.append("%s:%d" % (pf["path"], ln))

    recall = 100.0 * found / sites if sites else 0.0
    print("planted: %d positive sites in %d files; found %d (recall %.1f%%), %d findings in planted "
          "files; %d findings in %d negative files"
          % (sites, len(man["files"]) - neg_files, found, recall, planted_findings, neg_hits, neg_files))
    for m in missed[:20]:
        print("  missed: " + m)
    if len(missed) > 20:
        print("  ... and %d more" % (len(missed) - 20))

    if a.summary_out:
        s = rep.get("summary", {})
        seen = s.get("files_scanned", 0) + s.get("files_without_candidates", 0)
        sk = s.get("skipped", {})
        with open(a.summary_out, "w", encoding="utf-8") as f:
            f.write("SCAN_FILES=%d\nSCAN_BYTES=%d\nSCAN_FINDINGS=%d\nSCAN_UNKNOWN=%d\nSCAN_BINARY=%d\nSCAN_TOOLARGE=%d\n" % (
                seen, s.get("bytes", 0), len(rep.get("findings", [])), sk.get("unknown_language", 0),
                sk.get("binary", 0), sk.get("too_large", 0)))
    return 0 if sites and found == sites else 1


if __name__ == "__main__":
    sys.exit(main())
