#!/usr/bin/env bash
# run-helper-test.sh LANG CLI
# Generates the LANG token-refresh helper with `CLI helper`, starts `CLI mock-server` on an
# ephemeral loopback port with the admin API, and runs tests/helpers/LANG/run-tests.sh
# with this environment:
#   ATM_MOCK_URL        http://127.0.0.1:PORT (accounts server, resource APIs, /__admin/)
#   ATM_HELPER_DIR      directory the helper was generated into
#   ATM_CLI             the authtoken-migrate binary
#   ATM_TEST_TMP        a scratch directory (removed afterwards)
#   ZOHO_ACCOUNTS_URL   = ATM_MOCK_URL
#   ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET   the mock's built-in self-client
# The mock is killed on exit. A missing runtime must make run-tests.sh fail, not skip.
set -euo pipefail
LANG_NAME="$1"
CLI="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-helper-${LANG_NAME}.XXXXXX")"
MOCK_PID=""
cleanup() {
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

"$CLI" helper --lang "$LANG_NAME" --out "$TMP/gen" > "$TMP/helper.log"

# shellcheck source=start-mock.sh
. "$HERE/start-mock.sh"
start_mock "$CLI" "$TMP" || exit 1

export ATM_MOCK_URL="http://127.0.0.1:${PORT}"
export ATM_HELPER_DIR="$TMP/gen"
export ATM_CLI="$CLI"
export ATM_TEST_TMP="$TMP/work"
mkdir -p "$ATM_TEST_TMP"
export ZOHO_ACCOUNTS_URL="$ATM_MOCK_URL"
export ZOHO_CLIENT_ID="1000.SELFCLIENT00000000000000000000"
export ZOHO_CLIENT_SECRET="5e1fc11e00000000000000000000000000000000"
unset ZOHO_REFRESH_TOKEN ZOHO_DC ZOHO_TOKEN_CACHE

set +e
bash "$HERE/$LANG_NAME/run-tests.sh" 2>&1 | tee "$TMP/test.out"
rc=${PIPESTATUS[0]}
set -e
# No token value may appear in anything the helper printed: the mock's tokens all
# start with "1000." followed by 32 hex digits.
if grep -Eq '1000\.[0-9a-f]{32}\.[0-9a-f]{32}' "$TMP/test.out"; then
  echo "FAIL: a token value appears in the test output" >&2
  rc=1
fi
exit $rc
