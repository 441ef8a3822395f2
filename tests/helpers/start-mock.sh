# Sourced by the end-to-end test scripts: start_mock CLI DIR starts `CLI mock-server` on an
# ephemeral loopback port with the admin API (log in DIR/mock.log) and sets MOCK_PID and
# PORT; it returns 1, with the mock's stderr on stderr, when the mock exits or never says
# its port. The caller kills MOCK_PID on exit.
start_mock() {
  local cli="$1" dir="$2"
  # The files exist before the background job opens them: the port loop may read first.
  : > "$dir/mock.out"
  : > "$dir/mock.err"
  "$cli" mock-server --port 0 --admin --local-urls --log "$dir/mock.log" > "$dir/mock.out" 2> "$dir/mock.err" &
  MOCK_PID=$!
  PORT=""
  for _ in $(seq 1 100); do
    PORT="$(sed -n 's#^listening http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$dir/mock.out" | head -n 1)"
    [ -n "$PORT" ] && return 0
    if ! kill -0 "$MOCK_PID" 2>/dev/null; then
      echo "mock-server exited early:" >&2
      cat "$dir/mock.err" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "mock-server did not print its port" >&2
  return 1
}
