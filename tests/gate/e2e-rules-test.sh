#!/usr/bin/env bash
# gate-rules-test-e2e: `authtoken-migrate rules test DIR` on a temporary directory with a
# small rule of its own: passing fixtures (side by side, YAML `*.test.yaml`, and the
# rules/ + fixtures/ layout, and --rules), a failing fixture (exit 1, the lines named),
# and bad input (exit 2 with file:line: broken rule YAML, a malformed annotation, an
# annotation naming an unknown rule, a missing directory).
# Usage: e2e-rules-test.sh CLI
set -uo pipefail
CLI="$(realpath "$1")"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-gate-rules-test.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }
# check NAME WANT_RC REGEX... : the last run's rc and output (each REGEX must match)
check() {
  local name="$1" want="$2"
  shift 2
  local ok=1 re
  [ "$RC" -eq "$want" ] || ok=0
  for re in "$@"; do grep -Eq -- "$re" <<<"$OUT" || ok=0; done
  if [ "$ok" = 1 ]; then pass "$name"; else fail "$name (rc $RC, expected $want)"; echo "$OUT"; fi
}
run() { OUT="$("$CLI" rules test "$@" 2>&1)"; RC=$?; }

rule() { # rule FILE: a rule of the acme team (a header of their in-house Zoho proxy)
  cat >"$1" <<'EOF'
id: acme-zoho-ticket-header
title: Acme proxy ticket header
severity: error
message: "the X-Zoho-Ticket header of the Acme proxy carries a legacy authtoken; send Authorization: Zoho-oauthtoken"
languages: [code, config]
applies-in: [string, config-key]
prefilter: [x-zoho-ticket]
patterns:
  - '(?i)(?P<at>x-zoho-ticket)'
fix: none
EOF
}

# --- passing: rule and fixtures side by side ----------------------------------------
D="$TMP/side"
mkdir -p "$D"
rule "$D/acme-zoho-ticket-header.yaml"
cat >"$D/acme-zoho-ticket-header.py" <<'EOF'
import requests


def call(t):
    headers = {"X-Zoho-Ticket": t}
    # EXPECT: acme-zoho-ticket-header error "X-Zoho-Ticket"
    other = {"X-Request-Id": t}
    # OK: acme-zoho-ticket-header
    return requests.get("https://proxy.acme.test/crm", headers=headers | other)
EOF
cat >"$D/proxy.test.yaml" <<'EOF'
proxy:
  X-Zoho-Ticket: ${TICKET}
  # EXPECT: acme-zoho-ticket-header
  timeout: 30
EOF
echo "notes for people, not a fixture: X-Zoho-Ticket" >"$D/README.md"
run "$D"
check "side-by-side layout passes (exit 0, PASS per file)" 0 \
  "^PASS $D/acme-zoho-ticket-header.py \(1 expected, 1 found\)" \
  "^PASS $D/proxy.test.yaml" "^2 fixtures: 2 passed, 0 failed \(rules: acme-zoho-ticket-header\)"

# --- passing: rules/ + fixtures/ and --rules -----------------------------------------
D2="$TMP/split"
mkdir -p "$D2/rules" "$D2/fixtures/python"
rule "$D2/rules/acme-zoho-ticket-header.yaml"
cp "$D/acme-zoho-ticket-header.py" "$D2/fixtures/python/ticket.py"
cp "$D/proxy.test.yaml" "$D2/fixtures/proxy.yaml" # a YAML file under fixtures/ is a fixture
run "$D2"
check "rules/ + fixtures/ layout passes" 0 "^PASS $D2/fixtures/proxy.yaml" \
  "^PASS $D2/fixtures/python/ticket.py" "^2 fixtures: 2 passed"
mkdir -p "$TMP/fx" # fixtures only (YAML ones named *.test.yaml), the rules elsewhere
cp "$D/acme-zoho-ticket-header.py" "$D/proxy.test.yaml" "$TMP/fx/"
run "$TMP/fx" --rules "$D2/rules"
check "fixtures DIR with --rules DIR passes" 0 "^2 fixtures: 2 passed, 0 failed \(rules: acme-zoho-ticket-header\)"

# --- failing: a missing and an unexpected finding ----------------------------------
cat >"$D/acme-fail.js" <<'EOF'
const h = { 'X-Zoho-Ticket': t };
const quiet = { 'X-Trace': t };
// EXPECT: acme-zoho-ticket-header
fetch(url, { headers: { 'x-zoho-ticket': t } });
EOF
run "$D"
check "a failing fixture: exit 1, the missing and the unexpected finding named by line" 1 \
  "^FAIL $D/acme-fail.js \(1 expected, 2 found\)" \
  "^  $D/acme-fail.js:3: expected acme-zoho-ticket-header on line 2 — not found" \
  "^  $D/acme-fail.js:1:[0-9]+: unexpected acme-zoho-ticket-header" \
  "^  $D/acme-fail.js:4:[0-9]+: unexpected acme-zoho-ticket-header" \
  "^PASS $D/acme-zoho-ticket-header.py" "^3 fixtures: 2 passed, 1 failed"
# An OK: that fires fails too.
cat >"$D/acme-fail.js" <<'EOF'
fetch(url, { headers: { 'X-Zoho-Ticket': t } });
// OK: acme-zoho-ticket-header
EOF
run "$D"
check "a deliberate negative that fires: exit 1" 1 \
  "^  $D/acme-fail.js:2: deliberate negative fired: acme-zoho-ticket-header on line 1"
rm "$D/acme-fail.js"

# --- Semgrep-style annotations (before the line) ------------------------------------
S="$TMP/semgrep"
mkdir -p "$S"
rule "$S/acme-zoho-ticket-header.yaml"
cat >"$S/acme-zoho-ticket-header.py" <<'EOF'
def call(t):
    # ruleid: acme-zoho-ticket-header
    headers = {"X-Zoho-Ticket": t}
    # ok: acme-zoho-ticket-header
    other = {"X-Request-Id": t}
    # todoruleid: acme-zoho-ticket-header
    later = {"X-Zoho-" + "Ticket": t}
    return headers, other, later
EOF
run "$S"
check "semgrep-style ruleid:/ok:/todoruleid: apply to the line below" 0 \
  "^PASS $S/acme-zoho-ticket-header.py \(1 expected, 1 found\)"
sed -i 's/    # ok: acme-zoho-ticket-header/    # ruleid: acme-zoho-ticket-header/' "$S/acme-zoho-ticket-header.py"
run "$S"
check "semgrep-style: a ruleid: that does not fire fails, naming its line" 1 \
  "^  $S/acme-zoho-ticket-header.py:4: expected acme-zoho-ticket-header on line 5 — not found"

# --- a built-in rule named by an annotation runs; the others never do -----------------
cat >"$D/builtin.py" <<'EOF'
BASE = "https://crm.zoho.eu/crm/private/json/"
url = BASE + "Leads/getRecords?authtoken=" + AUTHTOKEN + "&scope=crmapi"
# EXPECT: zoho-authtoken-url-param error product=crm dc=eu
EOF
run "$D"
check "a built-in rule named by an annotation is checked; unnamed built-ins do not run" 0 \
  "^PASS $D/builtin.py \(1 expected, 1 found\)"
rm "$D/builtin.py"

# --- bad input: exit 2 with file:line ----------------------------------------------
B="$TMP/broken"
mkdir -p "$B"
cp "$D/acme-zoho-ticket-header.py" "$B/"
cat >"$B/acme-zoho-ticket-header.yaml" <<'EOF'
id: acme-zoho-ticket-header
severity: error
message: "x"
languages: [code]
applies-in: [string]
prefilter: [x-zoho-ticket]
patterns:
  - '(?i)(?P<at>x-zoho-ticket'
EOF
run "$B"
check "broken rule YAML (a pattern that does not compile): exit 2, file:line" 2 \
  "error: $B/acme-zoho-ticket-header.yaml:8(:[0-9]+)?: "
cat >"$B/acme-zoho-ticket-header.yaml" <<'EOF'
id: acme-zoho-ticket-header
severity: error
message: "x
languages: [code]
EOF
run "$B"
check "broken rule YAML (unterminated string): exit 2, file:line" 2 \
  "error: $B/acme-zoho-ticket-header.yaml:[0-9]+(:[0-9]+)?: "
cat >"$B/acme-zoho-ticket-header.yaml" <<'EOF'
id: acme-zoho-ticket-header
severity: error
mesage: "x"
languages: [code]
applies-in: [string]
prefilter: [x-zoho-ticket]
patterns: ['(?i)(?P<at>x-zoho-ticket)']
EOF
run "$B"
check "rule YAML with an unknown key: exit 2, file:line and did you mean" 2 \
  "error: $B/acme-zoho-ticket-header.yaml:3(:[0-9]+)?: .*message"
rule "$B/acme-zoho-ticket-header.yaml"
printf 'x = {"X-Zoho-Ticket": t}\n# EXPECT: acme-zoho-ticket-header @x\n' >"$B/bad-annotation.py"
run "$B"
check "a malformed annotation: exit 2, file:line" 2 "error: $B/bad-annotation.py:2: bad @offset @x"
printf 'x = {"X-Zoho-Ticket": t}\n# EXPECT: acme-zoho-ticket-header\n# OK: acme-no-such-rule\n' >"$B/bad-annotation.py"
run "$B"
check "an annotation naming an unknown rule: exit 2, file:line" 2 \
  "error: $B/bad-annotation.py:3: unknown rule 'acme-no-such-rule'"
rm "$B/bad-annotation.py"
run "$TMP/no-such-dir"
check "a missing directory: exit 2" 2 "error: $TMP/no-such-dir: not a directory"
mkdir -p "$TMP/only-rules"
rule "$TMP/only-rules/acme-zoho-ticket-header.yaml"
run "$TMP/only-rules"
check "rules without fixtures: exit 2" 2 "error: $TMP/only-rules: no fixture files"

exit "$FAILED"
