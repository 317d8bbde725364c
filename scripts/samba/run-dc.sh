#!/usr/bin/env bash
# Leader of a running DC's process group (start_dc in lib.sh runs it under setsid; stop_dc kills the group).
# Usage: run-dc.sh DC_DIR MAX_RUNTIME [WATCH_PID]
# With -i, samba exits when its stdin reaches end of file, so its stdin is a pipe from a loop that ends when the
# watched process (the test runner) is gone, or after MAX_RUNTIME. --maximum-runtime is a second safety net.
set -uo pipefail
dc=$1 max=$2 watch=${3:-}

hold_stdin_open() {
  if [ -n "$watch" ]; then
    while kill -0 "$watch" 2>/dev/null; do sleep 1; done
  else
    sleep "$max"
  fi
}

samba -i -M single -s "$dc/etc/smb.conf" -l "$dc/log" --maximum-runtime="$max" < <(hold_stdin_open) &
echo $! > "$dc/run/samba-root.pid"
wait $!
# 0 after end of file on stdin; 127 is what samba's own SIGTERM handler exits with (dc.sh stop).
echo "samba exited with status $?"
# The stdin holder goes too, so a live process group always means a live DC.
kill -TERM 0
