#!/usr/bin/env python3
"""Static checks of the CI integrations (README "Integrations").

  check_integrations.py action SOURCE_DIR        integ-action-schema
      action.yml against a JSON schema of composite actions (tests/gate/data, written
      from GitHub's metadata syntax reference); every ${{ inputs.X }} declared, every
      ${{ steps.ID.… }} an earlier step's id, a shell for every run step, no expression
      inside a run script (inputs reach scripts through env:), the SARIF upload step; the
      scan step's script run under bash -e with a stand-in binary (its command line, the
      exit code kept for the upload and propagated by the last step);
      scripts/ci/github-workflow.yml against the workflow schema, its `uses:` pointing at
      the action with only declared inputs; .pre-commit-hooks.yaml's hook and its entry.
  check_integrations.py gitlab SOURCE_DIR        integ-gitlab-template
      scripts/ci/gitlab-ci.yml parses, its job extends the template, writes the Code
      Quality report and the SARIF as artifacts (also on failure), its shell lines pass
      `sh -n` and run with a stand-in binary (--changed-since the merge base in a merge
      request, not elsewhere; a clear error without a binary).
  check_integrations.py options SOURCE_DIR CLI   integ-cli-options
      every scan option the integrations use appears in `CLI scan --help`, and the
      --format lists they use are accepted (a real scan of an empty directory writing
      each report). Lists what it checked.

Needs python3-yaml and python3-jsonschema (Debian packages; scripts/bootstrap installs
them).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PROBLEMS = []


def problem(msg):
    PROBLEMS.append(msg)
    print("FAIL " + msg)


def ok(msg):
    print("PASS " + msg)


class Loader(yaml.SafeLoader):
    """YAML 1.2 booleans only: GitHub reads `on:` as a key, not as true."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def validate(doc, schema_name, what):
    with open(os.path.join(HERE, "data", schema_name), encoding="utf-8") as f:
        schema = json.load(f)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        problem("%s: %s: %s" % (what, "/".join(str(p) for p in e.path) or "(top)", e.message))
    if not errors:
        ok("%s matches %s" % (what, schema_name))


def strings(node, path=()):
    """(path, string) for every string in a YAML tree; an `if:` is an expression even
    without ${{ }}."""
    if isinstance(node, str):
        yield path, ("${{ %s }}" % node if path and path[-1] == "if" else node)
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, path + (str(k),))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from strings(v, path + (str(i),))


EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def check_action(src):
    path = os.path.join(src, "action.yml")
    action = load(path)
    validate(action, "github-action.schema.json", "action.yml")
    inputs = set((action.get("inputs") or {}).keys())
    steps = ((action.get("runs") or {}).get("steps")) or []
    ids = [s.get("id") for s in steps if isinstance(s, dict)]
    # Expressions: inputs declared, steps.ID defined before use (outputs: any step).
    for where, text in strings(action):
        for expr in EXPR.findall(text):
            for name in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expr):
                if name not in inputs:
                    problem("action.yml %s: ${{ inputs.%s }} is not a declared input" % ("/".join(where), name))
            for sid in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.", expr):
                if sid not in ids:
                    problem("action.yml %s: steps.%s is no step id" % ("/".join(where), sid))
                elif where[0] == "runs" and ids.index(sid) >= int(where[2]):
                    problem("action.yml %s: steps.%s is used before the step runs" % ("/".join(where), sid))
    used = set()
    for _, text in strings(action):
        for expr in EXPR.findall(text):
            used.update(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expr))
    unused = inputs - used
    if unused:
        problem("action.yml: inputs declared but never used: %s" % ", ".join(sorted(unused)))
    for i, s in enumerate(steps):
        name = s.get("name", "#%d" % i)
        if "run" in s and not s.get("shell"):
            problem("action.yml step '%s': a composite step with run needs shell" % name)
        if "run" in s and EXPR.search(s["run"]):
            problem("action.yml step '%s': an expression inside run (pass it through env:)" % name)
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    if len(upload) != 1:
        problem("action.yml: expected one github/codeql-action/upload-sarif step")
    else:
        u = upload[0]
        w = u.get("with") or {}
        if "sarif_file" not in w or "category" not in w:
            problem("action.yml: upload-sarif needs sarif_file and category")
        if "always()" not in str(u.get("if", "")):
            problem("action.yml: upload-sarif must run when the scan failed (if: always() …)")
        gate = steps[-1]
        if steps.index(u) > len(steps) - 2 or "exit" not in gate.get("run", ""):
            problem("action.yml: the last step must propagate the scan's exit code after the upload")
    scan = [s for s in steps if s.get("id") == "scan"]
    if not scan or "markdown=$GITHUB_STEP_SUMMARY" not in scan[0].get("run", ""):
        problem("action.yml: the scan step must write markdown to $GITHUB_STEP_SUMMARY")
    if scan and not PROBLEMS:
        run_action_scan(action, scan[0], steps)
    if not PROBLEMS:
        ok("action.yml: %d inputs, all used and declared; %d steps, run steps have shell; the scan "
           "step's command line and exit code" % (len(inputs), len(steps)))

    wpath = os.path.join(src, "scripts", "ci", "github-workflow.yml")
    wf = load(wpath)
    validate(wf, "github-workflow.schema.json", "scripts/ci/github-workflow.yml")
    found, before = 0, len(PROBLEMS)
    for job_id, job in (wf.get("jobs") or {}).items():
        for s in job.get("steps") or []:
            uses = str(s.get("uses", ""))
            if uses == "./" or re.match(r"^[^/]+/authtoken-migrate@[^@\s]+$", uses):
                found += 1
                for k in (s.get("with") or {}):
                    if k not in inputs:
                        problem("github-workflow.yml job %s: with.%s is no input of action.yml" % (job_id, k))
    if found != 1:
        problem("github-workflow.yml: expected one step using OWNER/authtoken-migrate@REF (found %d)" % found)
    elif len(PROBLEMS) == before:
        ok("github-workflow.yml uses the action with declared inputs only")

    hooks = load(os.path.join(src, ".pre-commit-hooks.yaml"))
    if not isinstance(hooks, list) or not hooks:
        problem(".pre-commit-hooks.yaml: expected a list of hooks")
        return
    before = len(PROBLEMS)
    ids = [h.get("id") for h in hooks]
    if "authtoken-migrate" not in ids:
        problem(".pre-commit-hooks.yaml: no hook with id authtoken-migrate")
    for h in hooks:
        for k in ("id", "name", "entry", "language"):
            if not h.get(k):
                problem(".pre-commit-hooks.yaml hook %s: %s is required" % (h.get("id"), k))
        if h.get("language") == "script":
            entry = os.path.join(src, h["entry"].split()[0])
            if not os.access(entry, os.X_OK):
                problem(".pre-commit-hooks.yaml hook %s: entry %s is not an executable file" % (h.get("id"), h["entry"]))
    if len(PROBLEMS) == before:
        ok(".pre-commit-hooks.yaml: hook authtoken-migrate, entry executable")


def run_action_scan(action, scan, steps):
    """Runs the scan step's script (bash -e, as GitHub does) with a stand-in binary that
    records its arguments and exits 1, then the last step: the command line follows the
    inputs, the exit code reaches the step output and fails the job."""
    values = {"paths": "src lib", "baseline": "base.json", "fail-on": "", "category": "zoho/backend",
              "changed-since": "abc123", "sarif-file": "out.sarif", "args": "--fail-on-incomplete"}
    with tempfile.TemporaryDirectory() as tmp:
        fake = os.path.join(tmp, "fake")
        with open(fake, "w", encoding="utf-8") as f:
            f.write('#!/bin/sh\nprintf "%s\\n" "$@" >"$ARGS_FILE"\nexit 1\n')
        os.chmod(fake, 0o755)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ATM_BIN": fake,
               "ARGS_FILE": os.path.join(tmp, "args"), "GITHUB_OUTPUT": os.path.join(tmp, "output"),
               "GITHUB_STEP_SUMMARY": os.path.join(tmp, "summary")}
        for k, v in (scan.get("env") or {}).items():
            env[k] = re.sub(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}", lambda m: values[m.group(1)], str(v))
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail"], input=scan["run"],
                           text=True, capture_output=True, cwd=tmp, env=env)
        args = open(env["ARGS_FILE"]).read().split("\n")[:-1] if os.path.exists(env["ARGS_FILE"]) else []
        expect = ["scan", "--format", "sarif=out.sarif,markdown=" + env["GITHUB_STEP_SUMMARY"],
                  "--category", "zoho/backend", "--baseline", "base.json", "--changed-since", "abc123",
                  "--fail-on-incomplete", "src", "lib"]
        if r.returncode != 0 or args != expect:
            problem("action.yml scan step: exit %d (expected 0: the code goes to the output), arguments %s, "
                    "expected %s %s" % (r.returncode, args, expect, r.stderr.strip()))
        out = open(env["GITHUB_OUTPUT"]).read() if os.path.exists(env["GITHUB_OUTPUT"]) else ""
        if "exit-code=1\n" not in out or "sarif-file=%s\n" % os.path.join(os.path.realpath(tmp), "out.sarif") not in out:
            problem("action.yml scan step: outputs %r" % out)
        gate = steps[-1]
        for rc in ("0", "1", "2"):
            genv = dict(env)
            for k, v in (gate.get("env") or {}).items():
                genv[k] = rc if "steps.scan.outputs.exit-code" in str(v) else str(v)
            g = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail"], input=gate["run"],
                               text=True, capture_output=True, cwd=tmp, env=genv)
            if str(g.returncode) != rc:
                problem("action.yml gate step: scan exit %s gave %d" % (rc, g.returncode))


def gitlab_job(src):
    doc = load(os.path.join(src, "scripts", "ci", "gitlab-ci.yml"))
    job = doc.get("authtoken-migrate")
    if not isinstance(job, dict):
        problem("gitlab-ci.yml: no job authtoken-migrate")
        return doc, {}
    merged = {}
    base = job.get("extends")
    if base:
        if base not in doc:
            problem("gitlab-ci.yml: extends %s, which is not defined" % base)
        else:
            merged.update(doc[base])
    merged.update(job)
    return doc, merged


def check_gitlab(src):
    _, job = gitlab_job(src)
    script = job.get("script")
    if not isinstance(script, list) or not all(isinstance(s, str) for s in script):
        problem("gitlab-ci.yml: script must be a list of strings")
        return
    art = job.get("artifacts") or {}
    if (art.get("reports") or {}).get("codequality") != "gl-code-quality-report.json":
        problem("gitlab-ci.yml: artifacts:reports:codequality must be gl-code-quality-report.json")
    if "gl-sast.sarif" not in (art.get("paths") or []):
        problem("gitlab-ci.yml: the SARIF (gl-sast.sarif) must be an artifact")
    if art.get("when") != "always":
        problem("gitlab-ci.yml: artifacts must be kept when the gate fails (when: always)")
    text = "\n".join(script)
    if "--format codequality=gl-code-quality-report.json,sarif=gl-sast.sarif" not in text:
        problem("gitlab-ci.yml: the scan must write --format codequality=gl-code-quality-report.json,sarif=gl-sast.sarif")
    if not job.get("rules"):
        problem("gitlab-ci.yml: the job needs rules (merge requests, default branch)")
    shell = "\n".join((job.get("before_script") or []) + script)
    r = subprocess.run(["sh", "-n"], input=shell, text=True, capture_output=True)
    if r.returncode != 0:
        problem("gitlab-ci.yml: before_script + script fail `sh -n`: " + r.stderr.strip())
    # Run before_script + script with a stand-in binary that records its arguments: in a
    # merge request --changed-since is the merge base, elsewhere the whole tree is scanned.
    with tempfile.TemporaryDirectory() as tmp:
        fake = os.path.join(tmp, "fake-authtoken-migrate")
        with open(fake, "w", encoding="utf-8") as f:
            f.write('#!/bin/sh\nprintf "%s\\n" "$@" >"$ARGS_FILE"\n')
        os.chmod(fake, 0o755)
        base_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp,
                    "GIT_CONFIG_GLOBAL": os.path.join(tmp, "gitconfig"), "CI_PROJECT_DIR": tmp,
                    "AUTHTOKEN_MIGRATE_BIN": fake, "AUTHTOKEN_MIGRATE_PATHS": ".",
                    "AUTHTOKEN_MIGRATE_ARGS": "--fail-on error",
                    "ARGS_FILE": os.path.join(tmp, "args")}
        for mr, want in (("deadbeef", ["--changed-since", "deadbeef"]), ("", [])):
            env = dict(base_env, CI_MERGE_REQUEST_DIFF_BASE_SHA=mr)
            r = subprocess.run(["sh", "-e"], input=shell, text=True, capture_output=True, cwd=tmp, env=env)
            args = open(env["ARGS_FILE"]).read().split("\n")[:-1] if os.path.exists(env["ARGS_FILE"]) else []
            expect = ["scan", "--format", "codequality=gl-code-quality-report.json,sarif=gl-sast.sarif"] + \
                want + ["--fail-on", "error", "."]
            if r.returncode != 0 or args != expect:
                problem("gitlab-ci.yml run (merge base '%s'): exit %d, arguments %s, expected %s %s" %
                        (mr, r.returncode, args, expect, r.stderr.strip()))
            if os.path.exists(env["ARGS_FILE"]):
                os.remove(env["ARGS_FILE"])
        # Neither an installed binary nor a repository to build from: a clear error.
        env = dict(base_env, AUTHTOKEN_MIGRATE_BIN="", PATH="/usr/bin:/bin")
        r = subprocess.run(["sh", "-e"], input=shell, text=True, capture_output=True, cwd=tmp, env=env)
        if r.returncode != 2 or "set AUTHTOKEN_MIGRATE_BIN or AUTHTOKEN_MIGRATE_REPO" not in r.stderr:
            if not subprocess.run(["sh", "-c", "command -v authtoken-migrate"], env=env,
                                  capture_output=True).returncode == 0:
                problem("gitlab-ci.yml without a binary: exit %d, %s" % (r.returncode, r.stderr.strip()))
    if not PROBLEMS:
        ok("gitlab-ci.yml: job authtoken-migrate writes Code Quality + SARIF artifacts; its shell "
           "parses and runs the scan with --changed-since the merge base in merge requests")


def scan_options_used(src):
    """{option: [where]} for the scan options of the integrations, and the --format lists."""
    used, formats = {}, []

    def add(text, where):
        m = re.search(r"\bscan\b(.*)", text, re.S)
        if not m:
            return
        for opt in re.findall(r"(?<![\w$-])(--[a-z][a-z0-9-]*)", m.group(1)):
            used.setdefault(opt, []).append(where)
        for f in re.findall(r"--format[ =]\"?([a-z]+=[^\s\",]+(?:,[a-z]+=[^\s\",]+)*)", m.group(1)):
            formats.append((f, where))

    _, job = gitlab_job(src)
    add("\n".join(job.get("script") or []), "scripts/ci/gitlab-ci.yml")
    action = load(os.path.join(src, "action.yml"))
    for s in action["runs"]["steps"]:
        if s.get("id") == "scan":
            add(s["run"], "action.yml")
    with open(os.path.join(src, "scripts", "pre-commit-hook"), encoding="utf-8") as f:
        add(f.read().split("exec", 1)[-1], "scripts/pre-commit-hook")
    return used, formats


def check_options(src, cli):
    used, formats = scan_options_used(src)
    help_text = subprocess.run([cli, "scan", "--help"], text=True, capture_output=True).stdout
    have = set(re.findall(r"^\s+(--[a-z][a-z0-9-]*)", help_text, re.M))
    print("options checked against `%s scan --help`:" % os.path.basename(cli))
    for opt in sorted(used):
        where = ", ".join(sorted(set(used[opt])))
        if opt in have:
            print("  ok      %-26s %s" % (opt, where))
        else:
            print("  MISSING %-26s %s" % (opt, where))
            problem("%s (used by %s) is not an option of scan" % (opt, where))
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        for spec, where in formats:
            outs, parts = [], []
            for item in spec.split(","):
                name, _ = item.split("=", 1)
                out = os.path.join(tmp, "%s.%d" % (name, len(outs)))
                outs.append(out)
                parts.append("%s=%s" % (name, out))
            r = subprocess.run([cli, "scan", "--format", ",".join(parts), empty], text=True,
                               capture_output=True, cwd=tmp)
            missing = [o for o in outs if not os.path.exists(o)]
            label = "--format " + ",".join(p.split("=")[0] + "=FILE" for p in parts)
            if r.returncode != 0 or missing:
                print("  MISSING %-26s %s" % (label, where))
                problem("%s (used by %s): exit %d, %s" % (label, where, r.returncode,
                                                          (r.stderr.strip() or "reports not written")))
            else:
                print("  ok      %-26s %s" % (label, where))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    mode, src = sys.argv[1], sys.argv[2]
    if mode == "action":
        check_action(src)
    elif mode == "gitlab":
        check_gitlab(src)
    elif mode == "options" and len(sys.argv) == 4:
        check_options(src, sys.argv[3])
    else:
        print(__doc__)
        return 2
    if PROBLEMS:
        print("%d problem(s)" % len(PROBLEMS))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
