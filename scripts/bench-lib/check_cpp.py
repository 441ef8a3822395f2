#!/usr/bin/env python3
"""Check a scan of the C/C++ benchmark tree (gen_cpp.py) against its manifest.

Modes:
  check_cpp.py --manifest M --report R [--summary-out F] [--fallback-out F]
      Recall/precision: every planted finding must be reported with its rule id on its
      line; decoy files (and generated filler files) must have no finding at all.
      Prints a summary and the misses; exit 0 when all is well, 1 otherwise, 2 on bad
      input. --summary-out writes shell variables (SCAN_TUS_PARSED, SCAN_AST_S, ...);
      --fallback-out lists the translation units the scanner could not parse.
  check_cpp.py --note R
      Prints "<TUs parsed> <AST seconds> <fell back>" from the report's Clang note.
  check_cpp.py --manifest M --tree T --clang-commands-out F [--clang C]
      Writes one command line per candidate translation unit: the scanner's fallback
      command line with the real compiler (for `xargs -L 1 env`).
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
from gen_cpp import fallback_command  # noqa: E402

NOTE_RE = re.compile(r"C/C\+\+/Objective-C: (\d+) translation unit\(s\) with candidates parsed by "
                     r"Clang in ([0-9.]+) s \((\d+) from compile_commands\.json, (\d+) fell back "
                     r"to the lexer\)")
FAIL_RE = re.compile(r"^(.*): could not be parsed \((.*)\); lexer result used$")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def note_of(rep):
    """(tus, seconds, from_db, fell_back) or None when the scan has no Clang note."""
    for n in rep.get("summary", {}).get("notes", []):
        m = NOTE_RE.search(n)
        if m:
            return int(m.group(1)), float(m.group(2)), int(m.group(3)), int(m.group(4))
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest")
    ap.add_argument("--report")
    ap.add_argument("--summary-out")
    ap.add_argument("--fallback-out")
    ap.add_argument("--note", metavar="REPORT")
    ap.add_argument("--tree")
    ap.add_argument("--clang-commands-out")
    ap.add_argument("--clang", default="/usr/lib/llvm-14/bin/clang")
    a = ap.parse_args()

    try:
        if a.note:
            n = note_of(load(a.note))
            if not n:
                print("check_cpp.py: no Clang note in %s" % a.note, file=sys.stderr)
                return 2
            print("%d %.3f %d" % (n[0], n[1], n[3]))
            return 0
        if not a.manifest:
            ap.error("--manifest is required")
        man = load(a.manifest)
        if a.clang_commands_out:
            if not a.tree:
                ap.error("--tree is required with --clang-commands-out")
            tree = os.path.realpath(a.tree)
            res = subprocess.run([a.clang, "-print-resource-dir"], capture_output=True, text=True,
                                 check=True).stdout.strip()
            with open(a.clang_commands_out, "w", encoding="utf-8") as f:
                for rel in man["candidate_tus"]:
                    f.write(" ".join(fallback_command(a.clang, os.path.join(tree, rel), tree, res)) + "\n")
            return 0
        if not a.report:
            ap.error("--report is required")
        rep = load(a.report)
    except (OSError, ValueError, subprocess.CalledProcessError) as e:
        print("check_cpp.py: %s" % e, file=sys.stderr)
        return 2

    by_path = {}
    for fd in rep.get("findings", []):
        by_path.setdefault(fd["path"].replace("\\", "/"), []).append(fd)
    known = {f["path"]: f for f in man["files"]}

    sites = found = 0
    missed, false_pos, extra = [], [], []
    for pf in man["files"]:
        fs = by_path.get(pf["path"], [])
        if pf["kind"] == "decoy":
            false_pos += ["%s:%d %s (decoy: %s)" % (pf["path"], fd["start"]["line"], fd["rule_id"], pf["idiom"])
                          for fd in fs]
            continue
        used = set()
        for want in pf["findings"]:
            sites += 1
            hit = [i for i, fd in enumerate(fs) if fd["rule_id"] == want["rule"]
                   and fd["start"]["line"] <= want["line"] <= fd["end"]["line"]]
            if hit:
                found += 1
                used.update(hit)
            else:
                got = ", ".join("%s@%d" % (fd["rule_id"], fd["start"]["line"]) for fd in fs) or "nothing"
                missed.append("%s:%d %s (%s; reported: %s)" % (pf["path"], want["line"], want["rule"],
                                                               pf["idiom"], got))
        extra += ["%s:%d %s" % (pf["path"], fd["start"]["line"], fd["rule_id"])
                  for i, fd in enumerate(fs) if i not in used]
    for path, fs in sorted(by_path.items()):
        if path not in known:
            false_pos += ["%s:%d %s (generated filler)" % (path, fd["start"]["line"], fd["rule_id"]) for fd in fs]

    n_decoy = sum(1 for f in man["files"] if f["kind"] == "decoy")
    n_fill = man["tus"] - sum(1 for f in man["files"] if f["tu"])
    print("recall: %d of %d planted findings reported with their rule id and line (in %d planted files); "
          "%d findings in the %d decoy files and %d filler TUs"
          % (found, sites, len(man["files"]) - n_decoy, len(false_pos), n_decoy, n_fill))
    for m in missed[:30]:
        print("  missed: " + m)
    if len(missed) > 30:
        print("  ... and %d more missed" % (len(missed) - 30))
    for m in false_pos[:30]:
        print("  false positive: " + m)
    if len(false_pos) > 30:
        print("  ... and %d more false positives" % (len(false_pos) - 30))
    if extra:
        print("  note: %d finding(s) in planted files beyond the manifest (not a failure): %s"
              % (len(extra), ", ".join(extra[:5]) + (" ..." if len(extra) > 5 else "")))

    note = note_of(rep)
    failed = []
    for n in rep.get("summary", {}).get("notes", []):
        m = FAIL_RE.match(n)
        if m:
            failed.append((m.group(1), m.group(2)))
    if a.fallback_out:
        with open(a.fallback_out, "w", encoding="utf-8") as f:
            for rel, err in failed:
                f.write("%s\t%s\n" % (rel, err))
    if a.summary_out:
        s = rep.get("summary", {})
        with open(a.summary_out, "w", encoding="utf-8") as f:
            f.write("SCAN_HAS_NOTE=%d\n" % (1 if note else 0))
            f.write("SCAN_TUS_PARSED=%d\nSCAN_AST_S=%.3f\nSCAN_FROM_DB=%d\nSCAN_FELL_BACK=%d\n"
                    % (note if note else (0, 0.0, 0, 0)))
            f.write("SCAN_FILES_SCANNED=%d\nSCAN_FILES_SEEN=%d\nSCAN_BYTES=%d\nSCAN_FINDINGS=%d\n" % (
                s.get("files_scanned", 0), s.get("files_scanned", 0) + s.get("files_without_candidates", 0),
                s.get("bytes", 0), len(rep.get("findings", []))))
            f.write("RECALL_FOUND=%d\nRECALL_SITES=%d\nFALSE_POSITIVES=%d\n" % (found, sites, len(false_pos)))
    return 0 if sites and found == sites and not false_pos else 1


if __name__ == "__main__":
    sys.exit(main())
