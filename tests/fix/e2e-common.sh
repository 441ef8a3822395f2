# Sourced by tests/fix/run-fix-e2e-*.sh, after they set CLI and HERE (this directory):
#   e2e_setup NAME  a scratch directory TMP (removed on exit, with the mock), FAILED=0,
#                   and pass / fail / die
#   e2e_mock        starts `$CLI mock-server` (tests/helpers/start-mock.sh) and sets MOCK,
#                   ZOHO_API_BASE and ZOHO_ACCOUNTS_URL to it, the mock's self-client
#                   credentials, ZOHO_TOKEN_CACHE (no ZOHO_DC, no refresh token yet), and
#                   admin PATH JSON (POST /__admin/PATH) and stats KEY (a counter)
# The scripts run under `set -o pipefail`: test a captured output with a here-string,
# `grep -q PAT <<< "$OUT"`, never `echo "$OUT" | grep -q PAT` (bash's echo writes a
# multi-line value line by line; grep -q exits at its first match and the echo's next write
# dies of SIGPIPE, a failed check now and then).
# shellcheck source=../helpers/start-mock.sh
. "$HERE/../helpers/start-mock.sh"

pass() { echo "PASS $1"; }
fail() { FAILED=1; echo "FAIL $1"; }
die() { echo "FAIL $1"; exit 1; }

e2e_setup() {
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-fix-e2e-$1.XXXXXX")"
  MOCK_PID=""
  FAILED=0
  trap e2e_cleanup EXIT
}
e2e_cleanup() {
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null; wait "$MOCK_PID" 2>/dev/null; fi
  chmod -R u+w "$TMP" 2>/dev/null # Go's module cache is read-only
  rm -rf "$TMP"
}

e2e_mock() {
  start_mock "$CLI" "$TMP" || die "the mock server did not start"
  MOCK="http://127.0.0.1:$PORT"
  export ZOHO_API_BASE="$MOCK" ZOHO_ACCOUNTS_URL="$MOCK"
  export ZOHO_CLIENT_ID="1000.SELFCLIENT00000000000000000000"
  export ZOHO_CLIENT_SECRET="5e1fc11e00000000000000000000000000000000"
  unset ZOHO_DC ZOHO_REFRESH_TOKEN
  export ZOHO_TOKEN_CACHE="$TMP/token-cache.json"
}
admin() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$MOCK/__admin/$1"; }
stats() { curl -s "$MOCK/__admin/stats" | sed -n "s/.*\"$1\" *: *\([0-9]*\).*/\1/p"; }
