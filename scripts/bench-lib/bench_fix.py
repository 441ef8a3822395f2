#!/usr/bin/env python3
"""`scripts/bench --fix`: patch generation at scale, and the auto-fix rate.

1. A generated tree of FILES Python modules (default 2,000), each with PER findings
   (default 5) in the shapes `fix` rewrites (URL concatenation, f-string URL, params dict,
   data dict + subscript, existing headers dict), in a fresh git repository. `fix` runs RUNS
   times (best wall time and peak RSS), and ripgrep (`rg -i authtoken`) on the same tree in
   the same run is the peer: figures are given as a ratio. The patch must pass
   `git apply --check` and every finding must be fixed (the tree has only fixable shapes).
   Target (issue 12): 10k findings in 2k files in < 2 s.
2. The auto-fix rate per language: fixed / all findings of `fix` on the fixture pairs
   (fixtures/fix/<lang>/) and, with --real DIR..., on real code (each DIR scanned as one
   repository), from the `fix` summary line.

   With --labels TSV --corpus DIR (the evaluation set, tests/eval/labels.tsv and the
   corpus scripts/eval-fetch re-creates): the rate over the findings on the lines
   labelled `core`, per language (by file extension), for the sources present.

usage: bench_fix.py --bin BIN [--files N] [--per N] [--runs N] [--real DIR ...]
                    [--labels TSV... --corpus DIR] [--keep]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

SHAPES = [
    ('def f{i}_{k}(token):\n'
     '    r = requests.get(BASE + "/Leads?authtoken=" + token + "&scope=crmapi", timeout=10)\n'
     '    return r.json()\n'),
    ('def f{i}_{k}(token, page):\n'
     '    url = f"{{BASE}}/Contacts?page={{page}}&authtoken={{token}}"\n'
     '    return requests.get(url).json()\n'),
    ('def f{i}_{k}(token, org):\n'
     '    params = {{"authtoken": token, "organization_id": org}}\n'
     '    return requests.get("https://books.zoho.com/api/v3/invoices", params=params).json()\n'),
    ('def f{i}_{k}(token, body):\n'
     '    data = {{"JSONString": body}}\n'
     '    data["authtoken"] = token\n'
     '    return requests.post("https://books.zoho.com/api/v3/contacts", data=data).json()\n'),
    ('def f{i}_{k}(token):\n'
     '    return requests.get("https://desk.zoho.com/api/v1/tickets?authtoken=" + token,\n'
     '                        headers={{"orgId": "1"}}).json()\n'),
]


def generate(tree: Path, files: int, per: int) -> int:
    findings = 0
    for i in range(files):
        d = tree / f"pkg{i % 40}"
        d.mkdir(parents=True, exist_ok=True)
        body = ['"""Generated Zoho client module."""', "import requests", "",
                'BASE = "https://www.zohoapis.com/crm/v2"', "", ""]
        for k in range(per):
            body.append(SHAPES[(i + k) % len(SHAPES)].format(i=i, k=k))
            body.append("")
            findings += 1
        (d / f"client_{i}.py").write_text("\n".join(body))
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    subprocess.run(["git", "-C", str(tree), "add", "."], check=True)
    subprocess.run(["git", "-C", str(tree), "-c", "user.email=b@b", "-c", "user.name=b",
                    "commit", "-qm", "tree"], check=True)
    return findings


def timed(cmd, cwd, out_path):
    """Best-of-one wall time (s) and peak RSS (MB) of cmd, stdout to out_path."""
    with open(out_path, "wb") as out:
        t0 = time.perf_counter_ns()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, stdout=out,
                           stderr=subprocess.PIPE)
        t1 = time.perf_counter_ns()
    rss_kb = int(p.stderr.decode().strip().splitlines()[-1])
    return (t1 - t0) / 1e9, rss_kb / 1024, p.returncode, p.stderr.decode()


SUMMARY = re.compile(r"^fix: (\d+) finding\(s\) fixed, (\d+) left for a person", re.M)


def rate(bin_path: str, directory: Path):
    p = subprocess.run([bin_path, "fix", "."], cwd=directory, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    m = SUMMARY.search(p.stderr)
    if not m:
        return None
    return int(m.group(1)), int(m.group(1)) + int(m.group(2))


MANUAL = re.compile(r"^  (.+?):(\d+): ([\w-]+): left for a person: ", re.M)
EXT_LANG = {".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
            ".ts": "typescript", ".tsx": "typescript", ".sh": "shell", ".bash": "shell",
            ".dg": "deluge", ".deluge": "deluge", ".env": "config", ".properties": "config",
            ".ini": "config", ".yaml": "config", ".yml": "config", ".json": "config",
            ".xml": "config", ".config": "config", ".toml": "config", ".php": "php",
            ".java": "java", ".cs": "csharp", ".rb": "ruby", ".go": "go", ".kt": "kotlin",
            ".scala": "scala", ".ex": "elixir", ".exs": "elixir", ".coffee": "coffeescript",
            ".c": "c/c++", ".cc": "c/c++", ".cpp": "c/c++", ".h": "c/c++", ".m": "objective-c"}


def core_rates(bin_path, label_files, corpus):
    """Auto-fix rate over the findings on `core` lines, per language."""
    import json
    core = {}  # source -> set((path, line))
    for lf in label_files:
        for line in lf.read_text().splitlines():
            if line.startswith("#") or not line.strip():
                continue
            f = line.split("\t")
            if len(f) >= 4 and f[3] == "core":
                core.setdefault(f[0], set()).add((f[1], int(f[2])))
    per_lang = {}
    for source, lines in sorted(core.items()):
        d = corpus / source
        if not d.is_dir():
            continue
        scan = subprocess.run([bin_path, "scan", "--format", "json", "--fail-on", "none", "."],
                              cwd=d, capture_output=True, text=True)
        try:
            findings = json.loads(scan.stdout).get("findings", [])
        except ValueError:
            continue
        fx = subprocess.run([bin_path, "fix", "."], cwd=d, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
        manual = {(m.group(1), int(m.group(2)), m.group(3)) for m in MANUAL.finditer(fx.stderr)}
        for f in findings:
            path, line = f.get("path", ""), f.get("line") or f.get("start", {}).get("line", 0)
            if (path, line) not in lines:
                continue
            lang = EXT_LANG.get(Path(path).suffix.lower(), "other")
            tot = per_lang.setdefault(lang, [0, 0, {}])
            tot[1] += 1
            if (path, line, f.get("rule_id") or f.get("rule")) not in manual:
                tot[0] += 1
            else:
                why = next((m for m in fx.stderr.splitlines()
                            if m.startswith(f"  {path}:{line}:") and "left for a person" in m),
                           "").split("left for a person: ", 1)[-1][:70]
                tot[2][why] = tot[2].get(why, 0) + 1
    print("auto-fix rate on core findings of the evaluation set (fixed / findings on core lines):")
    for lang, (fixed, tot, whys) in sorted(per_lang.items()):
        print(f"  {lang:12} {fixed}/{tot} = {100 * fixed / tot:.0f} %")
        for why, n in sorted(whys.items(), key=lambda kv: -kv[1])[:3]:
            print(f"      {n:3} left: {why}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--per", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--real", nargs="*", default=[])
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--labels", nargs="*", default=[])
    ap.add_argument("--corpus")
    a = ap.parse_args()
    rg = shutil.which("rg")
    if not rg:
        print("bench --fix: ripgrep (rg) is required as the peer (scripts/bootstrap installs it)",
              file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="atm-bench-fix."))
    failed = False
    try:
        tree = work / "tree"
        n = generate(tree, a.files, a.per)
        best_fix, best_rg, rss = None, None, 0.0
        for _ in range(a.runs):
            t, r, rc, err = timed([a.bin, "fix", "--quiet", "."], tree, work / "patch")
            if rc != 0:
                print(f"bench --fix: fix exited {rc}: {err[-400:]}", file=sys.stderr)
                return 1
            best_fix = t if best_fix is None else min(best_fix, t)
            rss = max(rss, r)
            t2, _, _, _ = timed([rg, "-i", "--no-ignore", "authtoken", "."], tree, work / "rg.out")
            best_rg = t2 if best_rg is None else min(best_rg, t2)
        check = subprocess.run(["git", "-C", str(tree), "apply", "--check", str(work / "patch")],
                               capture_output=True, text=True)
        fixed = rate(a.bin, tree)
        print(f"fix at scale: {a.files} files, {n} findings: fix {best_fix:.2f} s "
              f"(peak {rss:.0f} MB), rg -i authtoken {best_rg:.2f} s on the same tree: "
              f"{best_fix / best_rg:.1f}x rg; target < 2 s: {'met' if best_fix < 2 else 'MISSED'}")
        print(f"  git apply --check: {'ok' if check.returncode == 0 else 'FAILED ' + check.stderr[:200]}")
        if fixed:
            print(f"  fixed {fixed[0]} of {fixed[1]} findings")
        failed = check.returncode != 0 or not fixed or fixed[0] != fixed[1] or best_fix >= 2
        print("auto-fix rate (fixed / findings of `fix`):")
        for lang_dir in sorted((ROOT / "fixtures" / "fix").iterdir()):
            tot_fixed = tot = 0
            for case in sorted(lang_dir.iterdir()):
                before = next(case.glob("before.*"), None)
                if not before:
                    continue
                d = work / "fixtures" / lang_dir.name / case.name
                d.mkdir(parents=True)
                shutil.copy(before, d / before.name)
                r = rate(a.bin, d)
                if r:
                    tot_fixed += r[0]
                    tot += r[1]
            if tot:
                print(f"  fixtures/{lang_dir.name}: {tot_fixed}/{tot} = {100 * tot_fixed / tot:.0f} %")
        for real in a.real:
            r = rate(a.bin, Path(real))
            if r and r[1]:
                print(f"  {real}: {r[0]}/{r[1]} = {100 * r[0] / r[1]:.0f} %")
        if a.labels and a.corpus:
            core_rates(a.bin, [Path(x) for x in a.labels], Path(a.corpus))
    finally:
        if a.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
