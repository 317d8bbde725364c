#!/usr/bin/env bash
# A throwaway Samba AD DC (realm EXAMPLE.TEST) on 127.0.0.1 for the LDAP tests. Needs root and the packages from
# scripts/install-system-deps.sh. Recipe and pitfalls: /work/shared/docs/samba-dc.md.
#
#   dc.sh check                 exit 0 if Samba can run here, else print why and exit 3
#   dc.sh up [--watch PID]      fresh DC from the base template (provisioned and seeded first if missing), started;
#                               prints the connection facts as one JSON line
#   dc.sh start [--watch PID]   start the existing DC with its current data
#   dc.sh stop                  stop it (waits until every process is gone)
#   dc.sh status                "running" or "stopped"
#   dc.sh provision             rebuild the base template from scratch, even when one exists
#   dc.sh hold-session          wait for the session lock, print "locked", hold it until stdin closes (test runner)
#
# With --watch PID the DC stops by itself soon after process PID exits. Otherwise it exits after an hour.
# up, start, stop and provision wait for the session lock (held by a running test run or benchmark) unless
# GPAUDIT_SAMBA_SESSION_HELD=1 says the caller already holds it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$SAMBA_SCRIPTS/provision.sh"

cannot_run_reason() {
  local tool
  [ "$(id -u)" -eq 0 ] || { echo "not root (a Samba DC needs root)"; return; }
  for tool in samba samba-tool ldbadd openssl flock setsid; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed"; return; }
  done
  [ -d /usr/share/samba/setup ] || echo "samba-ad-provision is not installed"
}

require_can_run() {
  local reason
  reason=$(cannot_run_reason)
  [ -z "$reason" ] || { echo "$reason" >&2; exit 3; }
}

facts_json() {
  printf '{"dir":"%s","caFile":"%s","wrongCaFile":"%s","smbConf":"%s","sessionLock":"%s"}\n' \
    "$SAMBA_DC" "$SAMBA_DC/pki/ca.pem" "$SAMBA_DC/pki/wrong-ca.pem" "$SAMBA_DC/etc/smb.conf" "$SAMBA_BASE/session.lock"
}

watch_arg() {
  if [ "${1:-}" = --watch ]; then
    [ -n "${2:-}" ] && kill -0 "$2" 2>/dev/null || die "--watch needs the PID of a live process"
    echo "$2"
  fi
}

cmd_up() {
  local watch template started
  watch=$(watch_arg "$@")
  take_operation_lock
  stop_dc
  template=$(base_template)
  if [ -f "$template" ]; then
    started=$(date +%s%N)
    restore_template "$template"
    say "restored $template in $(( ($(date +%s%N) - started) / 1000000 )) ms"
  else
    say "no template for this provision script, seed and Samba version: provisioning (about 10 s)"
    build_base_template "$template"
  fi
  start_dc "$watch"
  facts_json
}

# A test run (or seed-bulk.sh) holds the session lock for its whole length and says so with
# GPAUDIT_SAMBA_SESSION_HELD=1; anyone else (a person at a shell) must not pull the DC from under it.
unless_session_held_take_lock() {
  [ "${GPAUDIT_SAMBA_SESSION_HELD:-}" = 1 ] || take_session_lock
}

cmd_hold_session() {
  take_session_lock
  echo locked
  exec cat >/dev/null
}

case "${1:-}" in
  check) reason=$(cannot_run_reason); [ -z "$reason" ] || { echo "$reason"; exit 3; } ;;
  up) require_can_run; shift; unless_session_held_take_lock; cmd_up "$@" ;;
  start) require_can_run; shift; unless_session_held_take_lock; take_operation_lock; start_dc "$(watch_arg "$@")" ;;
  stop) require_can_run; unless_session_held_take_lock; take_operation_lock; stop_dc ;;
  status) if dc_running; then echo running; else echo stopped; fi ;;
  provision) require_can_run; unless_session_held_take_lock; take_operation_lock; stop_dc; build_base_template "$(base_template)" ;;
  hold-session) cmd_hold_session ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
