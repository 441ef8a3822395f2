#!/usr/bin/env python3
"""End-to-end checks of fleet scans (README "Fleet scans"), on the built binary.

  check_fleet.py proof CLI            fleet-merge-proof-e2e
      three directories a/ b/ c/ under one parent: `merge` of the three `scan --format
      json` reports (each rooted at its directory) equals one scan of the parent, on the
      findings (rule, path, lines, columns, severity, message, snippet, status, fixable)
      and on every summed count (not the timing); fingerprints stay each repository's
      own. Then `scan --repos-from` with local paths and file:// URLs (same reports as
      plain scans, the commit recorded, a failing entry reported and the others
      scanned, shards that together are the whole list, re-use of the clone cache after
      a new commit), its exit codes, list errors with FILE:LINE, merge errors and notes.
  check_fleet.py parallel SRC CLI     fleet-parallel-e2e
      scripts/fleet/parallel.sh for real (GNU parallel) over 5 generated git repositories
      listed as local paths and as file:// URLs: the merged report's per-repository
      totals and findings match what the repositories hold.
  check_fleet.py recipes SRC CLI      fleet-recipes-schema
      scripts/fleet/k8s-*.yaml against the batch/v1 Job, PersistentVolumeClaim and
      ConfigMap JSON schemas (tests/fleet/data/k8s-schemas.json, strict: no unknown
      fields) and scripts/fleet/github-matrix.yml against the workflow schema
      (tests/gate/data); then both recipes are run: every Job index's / matrix shard's
      command with the built binary, the merge step over what they wrote.

Needs python3-yaml and python3-jsonschema, git; `parallel` needs GNU parallel (exit 77,
skipped, without it).
"""
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fleetlib  # noqa: E402

PROBLEMS = []
AS_OF = "2026-11-24"


def problem(msg):
    PROBLEMS.append(msg)
    print("FAIL " + msg)


def ok(msg):
    print("PASS " + msg)


def check(cond, msg, detail=""):
    if cond:
        ok(msg)
    else:
        problem(msg + (": " + detail if detail else ""))
    return cond


def run(cmd, cwd=None, env=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, p.stdout, p.stderr


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


FINDING_KEYS = ("rule_id", "severity", "path", "start", "end", "offset", "length", "message",
                "product", "datacentre", "cutoff", "status", "snippet", "fixable", "fix_note",
                "statement", "help")


def finding_key(f):
    return json.dumps({k: f.get(k) for k in FINDING_KEYS}, sort_keys=True)


def summary_counts(s):
    s = copy.deepcopy(s)
    s.pop("seconds", None)
    # Notes and problems name paths: compared separately where they matter.
    s.pop("notes", None)
    s.pop("problems", None)
    return s


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------------------------- proof
def proof(cli):
    tmp = tempfile.mkdtemp(prefix="atm-fleet-proof.")
    try:
        parent = os.path.join(tmp, "parent")
        fleetlib.make_repo(os.path.join(parent, "a"), 1, init_git=False)
        fleetlib.make_repo(os.path.join(parent, "b"), 2, init_git=False)
        fleetlib.make_repo(os.path.join(parent, "c"), 3, init_git=False)  # clean
        # More than Python: a shell script and a .env in b, a binary file in c.
        write(os.path.join(parent, "b", "deploy", "sync.sh"),
              '#!/bin/sh\ncurl "https://crm.zoho.eu/crm/private/json/Leads/getRecords?'
              'authtoken=$ZOHO_AUTHTOKEN&scope=crmapi"\n')
        write(os.path.join(parent, "b", ".env"), "ZOHO_AUTHTOKEN=0123456789abcdef0123456789abcdef\n")
        with open(os.path.join(parent, "c", "logo.bin"), "wb") as f:
            f.write(b"\x00\x01\x02authtoken\x00" * 10)
        common = ["--format", "json", "--as-of", AS_OF, "--no-config"]
        reports = []
        for d in ("a", "b", "c"):
            rc, out, err = run([cli, "scan", *common, "."], cwd=os.path.join(parent, d))
            check(rc in (0, 1), "scan %s/ (rooted at it) runs" % d, err)
            path = os.path.join(tmp, d + ".json")
            write(path, out)
            reports.append(path)
        rc, out, err = run([cli, "scan", *common, "."], cwd=parent)
        whole = json.loads(out)
        rc, out, err = run([cli, "merge", *reports])
        check(rc == 0, "merge a.json b.json c.json exits 0", err)
        merged = json.loads(out)
        check(len(whole["findings"]) >= 8, "the parent scan has the planted findings",
              str(len(whole["findings"])))
        wk = [finding_key(f) for f in whole["findings"]]
        mk = [finding_key(f) for f in merged["findings"]]
        check(wk == mk, "merged findings == the parent scan's (same order, every field but the fingerprint)",
              "\n  parent: %s\n  merged: %s" % (sorted(set(wk) - set(mk))[:3], sorted(set(mk) - set(wk))[:3]))
        check(summary_counts(whole["summary"]) == summary_counts(merged["summary"]),
              "merged summary counts == the parent scan's (all but seconds)",
              "%s\n vs %s" % (summary_counts(whole["summary"]), summary_counts(merged["summary"])))
        per = {}
        for d, p in zip("abc", reports):
            per[d] = load(p)
        fp_ok = all(
            m["fingerprint"] == next(f["fingerprint"] for f in per[m["path"].split("/")[0]]["findings"]
                                     if f["path"] == m["path"].split("/", 1)[1]
                                     and f["start"] == m["start"] and f["rule_id"] == m["rule_id"])
            for m in merged["findings"])
        check(fp_ok, "merged fingerprints are each repository's own (repository-relative)")
        repos = merged.get("repositories", [])
        check([(r["name"], r["findings"], r["files_scanned"]) for r in repos] ==
              [(d, len(per[d]["findings"]), per[d]["summary"]["files_scanned"]) for d in "abc"],
              "merged 'repositories' totals: name, findings, files_scanned per input", json.dumps(repos))
        check(merged["root"] is None and merged["as_of"] == AS_OF, "merged root is null, as_of kept")
        # SARIF from merge: the same results.
        rc, out, err = run([cli, "merge", *reports, "--format", "sarif"])
        sarif = json.loads(out) if rc == 0 else {}
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in sarif.get("runs", [{}])[0].get("results", [])]
        check(rc == 0 and uris == [f["path"] for f in merged["findings"]],
              "merge --format sarif: one result per merged finding, URIs prefixed", err)

        # HTML from merge: the migration report with the per-repository table.
        rc, out, err = run([cli, "merge", *reports, "--format", "html"])
        rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num">(\d+)</td>'
                          r'<td class="num">(\d+)</td></tr>', out)
        check(rc == 0 and out.startswith("<!DOCTYPE html>") and
              [(n, int(f), int(s)) for n, f, s in rows] ==
              [(d, len(per[d]["findings"]), per[d]["summary"]["files_scanned"]) for d in "abc"],
              "merge --format html: the migration report with one repository row per input",
              err or str(rows))

        fleet_checks(cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fleet_checks(cli, tmp):
    fleet = os.path.join(tmp, "fleet")
    expected = fleetlib.make_fleet(fleet, 4)  # repo-000..003: 0, 2, 4, 0 findings
    listed = os.path.join(tmp, "list.txt")
    write(listed, "# local paths, relative to this file, and file:// URLs\n\n"
          "fleet/repo-000\n"
          "fleet/repo-001\n"
          "file://%s/repo-002 url-002\n"
          "file://%s/repo-003\n"
          "%s/missing-dir\n"
          "file://%s/no-such-repo\n" % (fleet, fleet, tmp, fleet))
    out = os.path.join(tmp, "out")
    cache = os.path.join(tmp, "cache")
    base = [cli, "scan", "--repos-from", listed, "--output-dir", out, "--repos-cache", cache,
            "--as-of", AS_OF, "--no-config"]
    rc, _, err = run(base)
    check(rc == 1, "scan --repos-from: exit 1 (findings) with two failing entries", "rc=%d %s" % (rc, err))
    names = sorted(os.listdir(out))
    check(names == ["missing-dir.json", "no-such-repo.json", "repo-000.json", "repo-001.json",
                    "repo-003.json", "url-002.json"],
          "one NAME.json per entry (second column names, basenames otherwise)", str(names))
    check(re.search(r"list\.txt:7: missing-dir: .*no such directory", err) is not None and
          re.search(r"list\.txt:8: no-such-repo: .*git clone failed", err) is not None,
          "failing entries reported on stderr with LIST:LINE", err)
    miss = load(os.path.join(out, "no-such-repo.json"))
    check(miss["repository"]["error"] and miss["summary"]["skipped"]["unreadable"] == 1 and
          miss["findings"] == [] and miss["summary"]["problems"],
          "a failed repository's report: the error, a problem, one unreadable path")
    for name, src, want in (("repo-001", "repo-001", expected["repo-001"]),
                            ("url-002", "repo-002", expected["repo-002"])):
        rep = load(os.path.join(out, name + ".json"))
        head = run(["git", "-C", os.path.join(fleet, src), "rev-parse", "HEAD"])[1].strip()
        check(rep["repository"]["name"] == name and rep["repository"]["commit"] == head,
              "%s: repository name and commit recorded" % name, json.dumps(rep["repository"]))
        plain = json.loads(run([cli, "scan", "--format", "json", "--as-of", AS_OF, "--no-config", "."],
                               cwd=os.path.join(fleet, src))[1])
        check([finding_key(f) for f in rep["findings"]] == [finding_key(f) for f in plain["findings"]]
              and len(rep["findings"]) == want,
              "%s: the same findings as a plain scan of the repository (%d)" % (name, want))
    url = load(os.path.join(out, "url-002.json"))["repository"]["url"]
    check(url == "file://%s/repo-002" % fleet, "a URL entry's url recorded", str(url))
    check(load(os.path.join(out, "repo-000.json"))["repository"]["url"] is None,
          "a local entry has url null")

    # Shards: together the whole list, each entry once.
    seen = []
    codes = []
    for i in range(3):
        sout = os.path.join(tmp, "shard%d" % i)
        rc, _, err = run(base[:5] + [sout] + base[6:] + ["--shard", "%d/3" % i])
        codes.append(rc)
        seen += sorted(os.listdir(sout))
    check(sorted(seen) == names and len(seen) == len(names),
          "--shard 0/3, 1/3, 2/3 together write every report once", str(seen))

    # The clone cache: a new commit is fetched (not a stale clone).
    r3 = os.path.join(fleet, "repo-003")
    write(os.path.join(r3, "src", "new_legacy.py"), fleetlib.LEGACY.format(token="9c1e4f7a2b8d3e6f0a5c7b9d1e3f5a7c", name="x"))
    fleetlib.git("add", "-A", cwd=r3)
    fleetlib.git("commit", "-q", "-m", "new", cwd=r3)
    run(base)
    rep = load(os.path.join(out, "repo-003.json"))
    head = run(["git", "-C", r3, "rev-parse", "HEAD"])[1].strip()
    check(rep["repository"]["commit"] == head and len(rep["findings"]) == 2,
          "a cached clone is fetched and reset to the new commit",
          "%s, HEAD %s, %d findings" % (json.dumps(rep["repository"]), head, len(rep["findings"])))

    # Exit codes: 3 with --fail-on-incomplete when nothing reaches --fail-on; 0 without.
    rc, _, _ = run(base + ["--fail-on", "none", "--fail-on-incomplete"])
    check(rc == 3, "--fail-on none --fail-on-incomplete with failing entries: exit 3", str(rc))
    rc, _, _ = run(base + ["--fail-on", "none"])
    check(rc == 0, "--fail-on none: exit 0", str(rc))
    rc, _, _ = run(base + ["--fail-on-incomplete"])
    check(rc == 1, "findings and failures with --fail-on-incomplete: exit 1 (1 wins over 3)", str(rc))

    # Each repository's own .authtoken-migrate.yaml: its severity overrides do not leak
    # into the next repository (the rules are loaded once); a broken one fails only it.
    cfg_list = os.path.join(tmp, "cfg.txt")
    cfg_repo, plain_repo, broken_repo = (os.path.join(tmp, "cfg", n) for n in ("with-cfg", "plain", "broken"))
    for i, r in enumerate((cfg_repo, plain_repo, broken_repo)):
        fleetlib.make_repo(r, 1, init_git=False)
    write(os.path.join(cfg_repo, ".authtoken-migrate.yaml"),
          "severity:\n  zoho-authtoken-url-param: note\n  zoho-authtoken-hardcoded: note\n")
    write(os.path.join(broken_repo, ".authtoken-migrate.yaml"), "fail_on: error\n")
    write(cfg_list, "%s\n%s\n%s\n" % (cfg_repo, broken_repo, plain_repo))
    cout = os.path.join(tmp, "cfg-out")
    rc, _, err = run([cli, "scan", "--repos-from", cfg_list, "--output-dir", cout, "--as-of", AS_OF])
    sev = {n: sorted({f["severity"] for f in load(os.path.join(cout, n + ".json"))["findings"]
                      if f["rule_id"] in fleetlib.LEGACY_RULES})
           for n in ("with-cfg", "plain")}
    check(sev["with-cfg"] == ["note"] and "note" not in sev["plain"] and rc == 1,
          "a repository's severity overrides apply to it only", "%s rc=%d" % (sev, rc))
    broken = load(os.path.join(cout, "broken.json"))
    check(broken["repository"].get("error") and "fail_on" in err,
          "a repository with a broken configuration file fails alone (its error printed)", err)

    # A repository's configuration file's baseline applies to it; a missing one fails it alone.
    bl_list = os.path.join(tmp, "bl.txt")
    with_bl, bad_bl = os.path.join(tmp, "bl", "with-baseline"), os.path.join(tmp, "bl", "bad-baseline")
    for r in (with_bl, bad_bl):
        fleetlib.make_repo(r, 2, init_git=False)
    rc, _, err = run([cli, "baseline", ".", "--output", "atm-baseline.json", "--no-config"], cwd=with_bl)
    write(os.path.join(with_bl, ".authtoken-migrate.yaml"), "baseline: atm-baseline.json\n")
    write(os.path.join(bad_bl, ".authtoken-migrate.yaml"), "baseline: missing-baseline.json\n")
    write(bl_list, "%s\n%s\n" % (bad_bl, with_bl))
    blout = os.path.join(tmp, "bl-out")
    rc, _, err = run([cli, "scan", "--repos-from", bl_list, "--output-dir", blout, "--as-of", AS_OF])
    wb = load(os.path.join(blout, "with-baseline.json"))
    bb = load(os.path.join(blout, "bad-baseline.json"))
    check(rc == 0 and wb["findings"] == [] and wb["summary"]["baselined"] == 4 and
          "missing-baseline.json" in bb["repository"].get("error", ""),
          "a repository's baseline applies to it; a missing baseline fails that repository only",
          "rc=%d baselined=%s error=%s %s" % (rc, wb["summary"]["baselined"], bb["repository"].get("error"), err))

    # Credentials in a URL are never written or printed.
    cred = os.path.join(tmp, "cred.txt")
    write(cred, "https://someone:s3cr3tT0ken99@127.0.0.1:9/org/private.git\n")
    cout2 = os.path.join(tmp, "cred-out")
    rc, sout, err = run([cli, "scan", "--repos-from", cred, "--output-dir", cout2, "--repos-cache", cache])
    text = open(os.path.join(cout2, "private.json")).read() if os.path.exists(os.path.join(cout2, "private.json")) else ""
    check(text and "s3cr3tT0ken99" not in text + sout + err and
          json.loads(text)["repository"]["url"] == "https://127.0.0.1:9/org/private.git",
          "a URL's credentials are in no report and no message", err)

    # Bad lists and options: exit 2, FILE:LINE.
    bad = os.path.join(tmp, "bad.txt")
    write(bad, "fleet/repo-000\nfleet/repo-001 same\nfleet/repo-002 same\n")
    rc, _, err = run([cli, "scan", "--repos-from", bad, "--output-dir", os.path.join(tmp, "o2")])
    check(rc == 2 and "bad.txt:3: the name 'same' is also given on line 2" in err,
          "a name given twice: exit 2, FILE:LINE", err)
    write(bad, "fleet/repo-000 a b\n")
    rc, _, err = run([cli, "scan", "--repos-from", bad, "--output-dir", os.path.join(tmp, "o2")])
    check(rc == 2 and "bad.txt:1: " in err, "three columns: exit 2, FILE:LINE", err)
    rc, _, err = run([cli, "scan", "--repos-from", os.path.join(tmp, "nope.txt"), "--output-dir",
                      os.path.join(tmp, "o2")])
    check(rc == 2 and "nope.txt: cannot read" in err, "a missing list: exit 2 naming it", err)
    for extra, what in ((["--shard", "3/3"], "--shard 3/3"), (["--format", "sarif"], "--format sarif"),
                        (["."], "a PATH"), (["--root", tmp], "--root")):
        rc, _, err = run(base + extra)
        check(rc == 2 and "error:" in err, "--repos-from with %s: exit 2" % what, err)
    rc, _, err = run([cli, "scan", "--repos-from", listed])
    check(rc == 2 and "--output-dir" in err, "--repos-from without --output-dir: exit 2", err)

    # Merge: a bad input names the file; different dates are a note.
    junk = os.path.join(tmp, "junk.json")
    write(junk, '{"schema": "something-else"}\n')
    rc, _, err = run([cli, "merge", os.path.join(out, "repo-000.json"), junk])
    check(rc == 2 and "junk.json" in err, "merge of a non-report: exit 2 naming it", err)
    trunc = os.path.join(tmp, "trunc.json")
    write(trunc, open(os.path.join(out, "repo-001.json")).read()[:200])
    rc, _, err = run([cli, "merge", trunc])
    check(rc == 2 and "trunc.json" in err, "merge of a truncated report: exit 2 naming it", err)
    rc, _, err = run([cli, "merge", os.path.join(out, "repo-001.json"),
                      os.path.join(tmp, "shard1", "repo-001.json")])
    check(rc == 2 and "repo-001" in err, "merge of the same repository twice: exit 2", err)
    other = os.path.join(tmp, "old")
    run([cli, "scan", "--repos-from", listed, "--output-dir", other, "--repos-cache", cache,
         "--as-of", "2026-01-15", "--no-config", "--shard", "0/3"])
    rc, mout, err = run([cli, "merge", os.path.join(out, "repo-001.json"),
                         os.path.join(other, "repo-000.json")])
    check(rc == 0 and "note: the reports were written as of different dates" in err and
          "2026-01-15" in err and json.loads(mout)["as_of"] == AS_OF,
          "different as_of dates: a note, the latest date stated", err)
    rc, _, err = run([cli, "merge", os.path.join(out, "repo-001.json"), "--output",
                      os.path.join(tmp, "m.json")])
    m = load(os.path.join(tmp, "m.json")) if rc == 0 else {}
    check(rc == 0 and m.get("repositories", [{}])[0].get("commit"),
          "merge --output FILE writes the merged JSON with the repository's commit")


# ------------------------------------------------------------------------------- parallel
def parallel(src, cli):
    if not shutil.which("parallel"):
        print("SKIP GNU parallel is not installed (Debian package 'parallel')")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="atm-fleet-parallel.")
    try:
        fleet = os.path.join(tmp, "repos")
        expected = fleetlib.make_fleet(fleet, 5)
        lines = []
        for i, name in enumerate(sorted(expected)):
            # Half local paths, half file:// URLs (cloned shallow into the cache).
            lines.append(os.path.join(fleet, name) if i % 2 == 0 else "file://%s/%s" % (fleet, name))
        write(os.path.join(tmp, "repos.txt"), "# five repositories\n" + "\n".join(lines) + "\n")
        out = os.path.join(tmp, "out dir")  # a space: the recipe quotes its paths
        script = os.path.join(src, "scripts", "fleet", "parallel.sh")
        cmd = ["bash", script, "--shards", "3", "--bin", cli, "--cache", os.path.join(tmp, "cache"),
               os.path.join(tmp, "repos.txt"), out, "--", "--as-of", AS_OF, "--no-config"]
        rc, _, err = run(cmd)
        check(rc == 1, "parallel.sh over 5 repositories: exit 1 (findings)", "rc=%d %s" % (rc, err))
        merged = load(os.path.join(out, "merged.json"))
        got = {r["name"]: r["findings"] for r in merged["repositories"]}
        check(got == expected, "merged per-repository totals == the planted findings",
              "%s vs %s" % (got, expected))
        check(len(merged["findings"]) == sum(expected.values()) and
              merged["summary"]["findings"] == sum(expected.values()),
              "merged findings total == %d" % sum(expected.values()))
        check({f["rule_id"] for f in merged["findings"]} == fleetlib.LEGACY_RULES and
              all(f["path"].split("/")[0] in expected for f in merged["findings"]),
              "merged findings: the planted rules, paths prefixed by repository")
        per_file = {}
        for f in merged["findings"]:
            per_file[f["path"]] = per_file.get(f["path"], 0) + 1
        check(all(p.split("/")[1] == "src" and re.match(r"legacy_\d\.py$", p.split("/")[2])
                  and n == fleetlib.FINDINGS_PER_LEGACY_FILE for p, n in per_file.items()),
              "findings only in the legacy files, two each")
        check(merged["summary"]["files_scanned"] == sum(r["files_scanned"] for r in merged["repositories"]),
              "summed files_scanned == the per-repository sum")
        check(all(r["commit"] for r in merged["repositories"]), "every repository's commit recorded")
        sarif = load(os.path.join(out, "merged.sarif"))
        check(len(sarif["runs"][0]["results"]) == sum(expected.values()), "merged.sarif has every finding")
        # No findings: exit 0; a shard with a usage error: exit 2.
        clean = os.path.join(tmp, "clean.txt")
        write(clean, os.path.join(fleet, "repo-000") + "\n" + os.path.join(fleet, "repo-003") + "\n")
        rc, _, err = run(["bash", script, "--shards", "2", "--bin", cli, clean, os.path.join(tmp, "o2"),
                          "--", "--no-config"])
        check(rc == 0, "parallel.sh over clean repositories: exit 0", err)
        rc, _, err = run(["bash", script, "--shards", "2", "--bin", cli, clean, os.path.join(tmp, "o3"),
                          "--", "--no-such-option"])
        check(rc == 2 and "shard failed" in err, "a failing shard: exit 2", err)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -------------------------------------------------------------------------------- recipes
def strict(schema):
    """kubeconform --strict / the '-strict' schema flavour: an object schema with
    properties and no additionalProperties rejects unknown fields."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def k8s_validator(kind_id):
    import jsonschema
    defs = load(os.path.join(HERE, "data", "k8s-schemas.json"))["definitions"]
    defs = {k: strict(v) for k, v in defs.items()}
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7
        reg = Registry().with_resources(
            (k, Resource.from_contents(v, default_specification=DRAFT7)) for k, v in defs.items())
        return jsonschema.Draft7Validator(defs[kind_id], registry=reg)
    except ImportError:  # jsonschema < 4.18 (Debian 12's python3-jsonschema)
        resolver = jsonschema.RefResolver("", defs[kind_id], store=dict(defs))
        return jsonschema.Draft7Validator(defs[kind_id], resolver=resolver)


KIND_IDS = {("batch/v1", "Job"): "io.k8s.api.batch.v1.Job",
            ("v1", "PersistentVolumeClaim"): "io.k8s.api.core.v1.PersistentVolumeClaim",
            ("v1", "ConfigMap"): "io.k8s.api.core.v1.ConfigMap"}


def validate_k8s(doc, what):
    kid = KIND_IDS.get((doc.get("apiVersion"), doc.get("kind")))
    if not kid:
        problem("%s: no schema for %s %s" % (what, doc.get("apiVersion"), doc.get("kind")))
        return False
    errors = list(k8s_validator(kid).iter_errors(doc))
    for e in errors[:10]:
        problem("%s: %s: %s" % (what, "/".join(str(p) for p in e.path) or "(top)", e.message[:300]))
    if not errors:
        ok("%s matches the %s schema (strict)" % (what, kid))
    return not errors


def recipes(src, cli):
    import yaml
    sys.path.insert(0, os.path.join(src, "tests", "gate"))
    # The schema negative: the validator rejects a typo'd field and a wrong type.
    bad = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "x"},
           "spec": {"completions": "four", "template": {"spec": {"containers": [
               {"name": "c", "image": "i", "comand": ["x"]}]}}}}
    errs = {e.message for e in k8s_validator("io.k8s.api.batch.v1.Job").iter_errors(bad)}
    check(any("comand" in m for m in errs) and any("'four'" in m for m in errs),
          "the Job schema rejects an unknown field and a string completions", str(errs))

    job_path = os.path.join(src, "scripts", "fleet", "k8s-indexed-job.yaml")
    merge_path = os.path.join(src, "scripts", "fleet", "k8s-merge-job.yaml")
    with open(job_path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    with open(merge_path) as f:
        mdocs = [d for d in yaml.safe_load_all(f) if d]
    for d in docs + mdocs:
        validate_k8s(d, "%s %s/%s" % (os.path.basename(job_path if d in docs else merge_path),
                                      d.get("kind"), d.get("metadata", {}).get("name")))
    jobs = [d for d in docs if d.get("kind") == "Job"]
    cms = [d for d in docs if d.get("kind") == "ConfigMap"]
    pvcs = [d for d in docs if d.get("kind") == "PersistentVolumeClaim"]
    if not check(len(jobs) == 1 and len(cms) == 1 and len(pvcs) == 1 and len(mdocs) == 1,
                 "k8s: one scan Job, ConfigMap and PVC; one merge Job"):
        return
    job, mjob = jobs[0], mdocs[0]
    spec = job["spec"]
    n = spec.get("completions")
    c = spec["template"]["spec"]["containers"][0]
    argv = c.get("command", []) + c.get("args", [])
    check(spec.get("completionMode") == "Indexed" and isinstance(n, int) and n > 1,
          "k8s: an Indexed Job with completions N > 1")
    check("--shard" in argv and argv[argv.index("--shard") + 1] == "$(JOB_COMPLETION_INDEX)/%d" % n,
          "k8s: --shard $(JOB_COMPLETION_INDEX)/N with N == completions", str(argv))
    claim = pvcs[0]["metadata"]["name"]
    for j, what in ((job, "scan"), (mjob, "merge")):
        vols = {v["name"]: v for v in j["spec"]["template"]["spec"]["volumes"]}
        pvc_vols = [v for v in vols.values() if v.get("persistentVolumeClaim", {}).get("claimName") == claim]
        check(len(pvc_vols) == 1, "k8s %s Job mounts the PersistentVolumeClaim %s" % (what, claim))

    # Run the Job: each index's command with the built binary, paths mapped to temp dirs.
    tmp = tempfile.mkdtemp(prefix="atm-fleet-recipes.")
    try:
        fleet = os.path.join(tmp, "repos")
        expected = fleetlib.make_fleet(fleet, 6)
        mounts = {}
        for vm in c["volumeMounts"]:
            mounts[vm["mountPath"]] = os.path.join(tmp, "vol-" + vm["name"])
            os.makedirs(mounts[vm["mountPath"]], exist_ok=True)
        list_mount = next(vm["mountPath"] for vm in c["volumeMounts"] if vm["name"] == "list")
        cm_key = next(iter(cms[0]["data"]))
        check(cm_key == "repos.txt" and "/".join([list_mount, cm_key]) in argv,
              "k8s: the list is the ConfigMap's repos.txt, mounted where --repos-from reads it")
        write(os.path.join(mounts[list_mount], cm_key),
              "\n".join("file://%s/%s" % (fleet, r) for r in sorted(expected)) + "\n")

        def mapped(a, index):
            a = a.replace("$(JOB_COMPLETION_INDEX)", str(index))
            for mp, host in mounts.items():
                if a == mp or a.startswith(mp + "/"):
                    return host + a[len(mp):]
            return a

        assert argv[0] == "authtoken-migrate"
        codes = set()
        for index in range(n):
            rc, _, err = run([cli] + [mapped(a, index) for a in argv[1:]] + ["--as-of", AS_OF, "--no-config"])
            codes.add(rc)
        check(codes == {0}, "k8s: every index's scan exits 0 (--fail-on none)", str(codes))
        mc = mjob["spec"]["template"]["spec"]["containers"][0]
        margv = mc["command"] + mc["args"]
        check(margv[:2] == ["sh", "-c"], "k8s merge Job: a shell for the report glob")
        reports_mount = next(vm["mountPath"] for vm in mc["volumeMounts"] if vm["name"] == "reports")
        script = margv[2].replace(reports_mount + "/", mounts[reports_mount] + "/")
        script = script.replace("exec authtoken-migrate", "exec '%s'" % cli)
        rc, _, err = run(["sh", "-c", script])
        merged_path = os.path.join(mounts[reports_mount], "merged.json")
        merged = load(merged_path) if rc == 0 and os.path.exists(merged_path) else {"repositories": []}
        got = {r["name"]: r["findings"] for r in merged["repositories"]}
        check(got == expected, "k8s: the merge Job's report has every repository's findings", "%s %s" % (got, err))
        check(os.path.exists(os.path.join(mounts[reports_mount], "merged.sarif")), "k8s: merged.sarif written")

        # GitHub workflow: schema, then its run steps with the built binary.
        from check_integrations import Loader, validate  # tests/gate: the workflow schema
        wpath = os.path.join(src, "scripts", "fleet", "github-matrix.yml")
        with open(wpath) as f:
            wf = yaml.load(f, Loader=Loader)
        validate(wf, "github-workflow.schema.json", "scripts/fleet/github-matrix.yml")
        scan, mergej = wf["jobs"]["scan"], wf["jobs"]["merge"]
        shards = scan["strategy"]["matrix"]["shard"]
        nshards = int(wf["env"]["SHARDS"])
        check(shards == list(range(nshards)), "workflow: matrix.shard == 0..SHARDS-1", str(shards))
        check(mergej.get("needs") == "scan", "workflow: merge needs scan")
        up = [s for s in scan["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
        down = [s for s in mergej["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
        check(len(up) == 1 and len(down) == 1 and up[0]["with"]["name"] == "reports-${{ matrix.shard }}"
              and down[0]["with"]["pattern"] == "reports-*" and down[0]["with"].get("merge-multiple") is True,
              "workflow: each shard uploads reports-N, merge downloads reports-* into one directory")
        ws = os.path.join(tmp, "workspace")
        os.makedirs(os.path.join(ws, ".authtoken-migrate", "build"))
        os.symlink(cli, os.path.join(ws, ".authtoken-migrate", "build", "authtoken-migrate"))
        write(os.path.join(ws, "fleet", "repos.txt"),
              "\n".join(os.path.join(fleet, r) for r in sorted(expected)) + "\n")
        step = next(s for s in scan["steps"] if "--repos-from" in s.get("run", ""))
        artifacts = os.path.join(tmp, "artifacts")
        for shard in shards:
            shard_ws = os.path.join(tmp, "runner-%d" % shard)
            shutil.copytree(ws, shard_ws, symlinks=True)
            env = dict(os.environ, SHARDS=str(nshards), SHARD=str(shard), RUNNER_TEMP=os.path.join(tmp, "rt"))
            rc, _, err = run(["bash", "-e", "-c", step["run"]], cwd=shard_ws, env=env)
            check(rc == 0, "workflow: shard %d's scan step runs" % shard, err)
            rdir = os.path.join(shard_ws, up[0]["with"]["path"].split("/")[0])
            for name in os.listdir(rdir) if os.path.isdir(rdir) else []:
                os.makedirs(artifacts, exist_ok=True)
                shutil.copy(os.path.join(rdir, name), os.path.join(artifacts, name))
        mws = os.path.join(tmp, "runner-merge")
        shutil.copytree(ws, mws, symlinks=True)
        shutil.copytree(artifacts, os.path.join(mws, down[0]["with"]["path"]))
        mstep = next(s for s in mergej["steps"] if "merge" in s.get("run", "") and "authtoken-migrate" in s.get("run", ""))
        rc, _, err = run(["bash", "-e", "-c", mstep["run"]], cwd=mws)
        merged = load(os.path.join(mws, "merged.json")) if rc == 0 else {"repositories": []}
        got = {r["name"]: r["findings"] for r in merged["repositories"]}
        check(got == expected, "workflow: the merge step's report has every repository's findings", "%s %s" % (got, err))
        final = [s for s in mergej["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
        check(final and all(os.path.exists(os.path.join(mws, p)) for p in final[0]["with"]["path"].split()),
              "workflow: the files the last step uploads exist")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    mode = sys.argv[1]
    if mode == "proof":
        proof(os.path.abspath(sys.argv[2]))
    elif mode == "parallel":
        parallel(sys.argv[2], os.path.abspath(sys.argv[3]))
    elif mode == "recipes":
        recipes(sys.argv[2], os.path.abspath(sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
    print("%d problem(s)" % len(PROBLEMS))
    sys.exit(1 if PROBLEMS else 0)


if __name__ == "__main__":
    main()
