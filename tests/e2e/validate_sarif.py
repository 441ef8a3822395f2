#!/usr/bin/env python3
"""Validates a SARIF file against the SARIF 2.1.0 JSON schema (tests/data) and checks the
GitHub code-scanning constraints the schema does not express. Exit 0 = valid."""
import json
import sys

import jsonschema

schema_path, sarif_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(sarif_path, encoding="utf-8") as f:
    doc = json.load(f)
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path)))
for e in errors[:20]:
    print(f"schema: {'/'.join(map(str, e.path))}: {e.message}")
problems = len(errors)
for run in doc.get("runs", []):
    ids = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
    if len(ids) != len(set(ids)):
        print("github: duplicate rule ids"); problems += 1
    for r in run["tool"]["driver"].get("rules", []):
        for k in ("shortDescription", "fullDescription", "help"):
            if not r.get(k, {}).get("text"):
                print(f"github: rule {r['id']} lacks {k}.text"); problems += 1
    for res in run.get("results", []):
        if res.get("ruleId") not in ids:
            print(f"github: result rule {res.get('ruleId')} not in driver.rules"); problems += 1
        loc = res["locations"][0]["physicalLocation"]
        if loc["artifactLocation"]["uri"].startswith("/"):
            print("github: absolute uri"); problems += 1
print(f"{problems} problem(s)")
sys.exit(1 if problems else 0)
