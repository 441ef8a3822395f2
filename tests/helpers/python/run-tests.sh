#!/usr/bin/env bash
# Runs the Python helper's tests with the real python3 against the mock (see ../run-helper-test.sh).
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v python3 >/dev/null 2>&1; then
  echo "FAIL: python3 is not on PATH (Debian package: python3); the Python helper cannot be tested"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))'; then
  echo "FAIL: $(python3 --version 2>&1) is older than the helper's minimum, Python 3.8"
  echo "0 passed, 1 failed"
  exit 1
fi
exec python3 "$HERE/test_zoho_oauth.py"
