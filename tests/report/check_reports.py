#!/usr/bin/env python3
"""Checks the reports of one `scan --format sarif=a.sarif,markdown=b.md,junit=c.xml,
csv=d.csv,codequality=e.json,json=f.json` run against each other and their formats.

  check_reports.py DIR SCHEMA [--secret S] [--links] [--clean]

DIR holds the six files; SCHEMA is the GitLab Code Quality JSON schema. The JSON report
(f.json) is the reference: every other report must describe exactly its findings.
Exit 0 = every check passed; each problem is printed."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import xml.dom.minidom

import jsonschema

args = sys.argv[1:]
d, schema_path = args[0], args[1]
secret = args[args.index("--secret") + 1] if "--secret" in args else None
want_links = "--links" in args
problems = []


def problem(msg):
    problems.append(msg)
    print("problem:", msg)


def path(name):
    return os.path.join(d, name)


with open(path("f.json"), encoding="utf-8") as f:
    ref = json.load(f)["findings"]
n = len(ref)
if "--clean" in args and n:
    problem(f"expected a clean scan, the JSON report has {n} findings")
if "--clean" not in args and not n:
    problem("expected findings, the JSON report has none")

# Every report is valid UTF-8 and never holds the secret.
for name in ("a.sarif", "b.md", "c.xml", "d.csv", "e.json"):
    raw = open(path(name), "rb").read()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem(f"{name}: not UTF-8: {e}")
    if secret and secret.encode() in raw:
        problem(f"{name}: holds the secret")

# SARIF: as many results as findings.
sarif = json.load(open(path("a.sarif"), encoding="utf-8"))
if len(sarif["runs"][0]["results"]) != n:
    problem(f"a.sarif: {len(sarif['runs'][0]['results'])} results, {n} findings")

# JUnit: well-formed (minidom, and xmllint when there is one), counts and cases.
try:
    dom = xml.dom.minidom.parse(path("c.xml"))
    root = dom.documentElement
    if root.tagName != "testsuites":
        problem(f"c.xml: root is {root.tagName}")
    cases = dom.getElementsByTagName("testcase")
    failures = dom.getElementsByTagName("failure")
    if n:
        if int(root.getAttribute("tests")) != n or int(root.getAttribute("failures")) != n:
            problem(f"c.xml: testsuites tests={root.getAttribute('tests')} "
                    f"failures={root.getAttribute('failures')}, {n} findings")
        if len(cases) != n or len(failures) != n:
            problem(f"c.xml: {len(cases)} testcases, {len(failures)} failures, {n} findings")
        got = sorted((c.getAttribute("classname"), int(c.getAttribute("line"))) for c in cases)
        want = sorted((f_["path"], f_["start"]["line"]) for f_ in ref)
        if got != want:
            problem(f"c.xml: testcases {got[:3]}… differ from findings {want[:3]}…")
        for s in dom.getElementsByTagName("testsuite"):
            tc = s.getElementsByTagName("testcase")
            if int(s.getAttribute("tests")) != len(tc):
                problem(f"c.xml: suite {s.getAttribute('name')} says tests={s.getAttribute('tests')}")
            if any(c.getAttribute("classname") != s.getAttribute("name") for c in tc):
                problem(f"c.xml: suite {s.getAttribute('name')} holds another file's case")
        ctl = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
        msgs = sorted(fl.getAttribute("message") for fl in failures)
        if msgs != sorted(ctl.sub("", f_["message"]) for f_ in ref):
            problem("c.xml: failure messages differ from the findings' messages")
    else:
        if len(cases) != 1 or failures:
            problem(f"c.xml: a clean scan should be one passing testcase, got {len(cases)} "
                    f"cases and {len(failures)} failures")
except Exception as e:  # noqa: BLE001 - any parse error is the finding
    problem(f"c.xml: not well-formed XML: {e}")
xmllint = shutil.which("xmllint")
if xmllint:
    r = subprocess.run([xmllint, "--noout", path("c.xml")], capture_output=True, text=True)
    if r.returncode:
        problem(f"c.xml: xmllint: {r.stderr.strip()}")

# CSV: RFC 4180 round trip, the same findings, no cell a spreadsheet would evaluate.
HEADER = ["path", "line", "column", "end_line", "end_column", "rule", "severity", "product",
          "data_centre", "cutoff", "status", "fixable", "fingerprint", "message"]
raw = open(path("d.csv"), "rb").read()
if raw and not raw.endswith(b"\r\n"):
    problem("d.csv: rows do not end with CRLF")
with open(path("d.csv"), encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f, strict=True))
if not rows or rows[0] != HEADER:
    problem(f"d.csv: header {rows[:1]}")
rows = rows[1:]
if len(rows) != n:
    problem(f"d.csv: {len(rows)} rows, {n} findings")


def unformula(cell):
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


for row, f_ in zip(rows, ref):
    if len(row) != len(HEADER):
        problem(f"d.csv: row of {len(row)} fields: {row}")
        continue
    for cell in row:
        if cell[:1] in ("=", "+", "-", "@"):
            problem(f"d.csv: cell {cell!r} would be evaluated as a formula")
    want = [f_["path"], str(f_["start"]["line"]), str(f_["start"]["column"]),
            str(f_["end"]["line"]), str(f_["end"]["column"]), f_["rule_id"], f_["severity"]]
    got = [unformula(c) for c in row[:7]]
    if got != want:
        problem(f"d.csv: row {got} != finding {want}")
    if row[12] != f_["fingerprint"] or row[11] != ("true" if f_["fixable"] else "false"):
        problem(f"d.csv: fingerprint/fixable of {row[0]}:{row[1]}")

# GitLab Code Quality: the schema, unique fingerprints, the same findings.
cq = json.load(open(path("e.json"), encoding="utf-8"))
schema = json.load(open(schema_path, encoding="utf-8"))
for e in jsonschema.validators.validator_for(schema)(schema).iter_errors(cq):
    problem(f"e.json: schema: {'/'.join(map(str, e.path))}: {e.message}")
if isinstance(cq, list):
    fps = [i.get("fingerprint") for i in cq if isinstance(i, dict)]
    if len(fps) != len(set(fps)):
        problem("e.json: fingerprints are not unique")
    if len(cq) != n:
        problem(f"e.json: {len(cq)} issues, {n} findings")
    sev = {"note": "info", "warning": "minor", "error": "major", "critical": "critical"}
    for i, f_ in zip(cq, ref):
        if not isinstance(i, dict):
            continue
        if (i.get("check_name"), i.get("severity"), i.get("location", {}).get("path")) != (
                f_["rule_id"], sev[f_["severity"]], f_["path"]):
            problem(f"e.json: issue {i.get('check_name')} {i.get('location')} != finding "
                    f"{f_['rule_id']} {f_['path']}")

# Markdown: the title counts the findings, tables keep their shape, links when asked.
md = open(path("b.md"), encoding="utf-8").read()
title = md.splitlines()[0] if md else ""
want_title = (f"## authtoken-migrate: {n} finding{'s' if n != 1 else ''}" if n
              else "## authtoken-migrate: no legacy authtoken usage")
if title != want_title:
    problem(f"b.md: title {title!r}, expected {want_title!r}")


def cells(line):
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))


width = None
for line in md.splitlines():
    if not line.startswith("|"):
        width = None
        continue
    if width is None:
        width = cells(line)
    elif cells(line) != width:
        problem(f"b.md: table row with {cells(line)} separators, header has {width}: {line}")
if n:
    shown = min(n, 20)
    top = md.split("### ", 3)[2] if md.count("### ") >= 2 else ""
    rows_md = [l for l in top.splitlines() if l.startswith("| ") and not l.startswith("| Severity")]
    if len(rows_md) != shown:
        problem(f"b.md: {len(rows_md)} finding rows, expected {shown}")
    links = re.findall(r"\]\((https?://[^)\s]+)\)", md)
    if want_links and len(links) != shown:
        problem(f"b.md: {len(links)} links, expected {shown}")
    if not want_links and links:
        problem(f"b.md: links without GITHUB_* variables: {links[:2]}")
    if want_links and not all(re.fullmatch(r"https://[\w.\-]+/[\w.\-]+/[\w.\-]+/blob/\w+/[\w.\-~/%]+#L\d+", u)
                              for u in links):
        problem(f"b.md: malformed links: {links[:3]}")

print(f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
