# Shared by the scripts in scripts/samba (sourced, not run). The DC lives in one folder under the OS temp dir; its
# tar templates next to it. Everything must stay at the same absolute path: Samba records absolute paths at provision.
# Recipe and pitfalls: /work/shared/docs/samba-dc.md.

SAMBA_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMBA_PROJECT=$(cd "$SAMBA_SCRIPTS/../.." && pwd)
SAMBA_BASE=${GPAUDIT_SAMBA_BASE:-${TMPDIR:-/tmp}/gpaudit-samba}
SAMBA_DC=$SAMBA_BASE/dc
SAMBA_TEMPLATES=$SAMBA_BASE/templates
SAMBA_SEED=$SAMBA_PROJECT/test/fixtures/ldap/users.ldif

SAMBA_REALM=EXAMPLE.TEST
SAMBA_DOMAIN=EXAMPLE
SAMBA_ADMIN_PASSWORD='Passw0rd!Test'
SAMBA_BASE_DN='DC=example,DC=test'
# The ports the tests need: LDAP, LDAPS, Kerberos, DNS, and SMB (samba-tool gpo and dns talk to it).
SAMBA_READY_PORTS=(389 636 88 53 445)
# Safety net: a DC that nobody stops exits by itself after an hour.
SAMBA_MAX_RUNTIME=3600

die() { echo "samba: $*" >&2; exit 1; }
say() { echo "samba: $*" >&2; }

# Serialises provision/restore/start/stop between concurrent callers (two test runs, a benchmark).
take_operation_lock() {
  mkdir -p "$SAMBA_BASE"
  exec 9>"$SAMBA_BASE/operation.lock"
  flock -w 600 9 || die "another samba script held $SAMBA_BASE/operation.lock for 10 minutes"
}

# Held for a whole test run (dc.sh hold-session) or benchmark (seed-bulk.sh -- CMD): they must not share the DC.
take_session_lock() {
  mkdir -p "$SAMBA_BASE"
  exec 8>"$SAMBA_BASE/session.lock"
  if ! flock -n 8; then
    say "another test run or benchmark is using the DC; waiting for $SAMBA_BASE/session.lock (up to 15 min)"
    flock -w 900 8 || die "gave up waiting for $SAMBA_BASE/session.lock"
  fi
}

# Key of the base template: a change to how it is built, to the seed or to the Samba version rebuilds it.
template_key() {
  { cat "$SAMBA_SCRIPTS/lib.sh" "$SAMBA_SCRIPTS/provision.sh" "$SAMBA_SEED"; samba -V; } | sha256sum | cut -c1-16
}

base_template() { echo "$SAMBA_TEMPLATES/dc-$(template_key).tgz"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stored with xattrs and ACLs: sysvol keeps its NT ACLs in security.NTACL.
save_template() {
  local target=$1 tmp
  mkdir -p "$SAMBA_TEMPLATES"
  tmp=$(mktemp "$SAMBA_TEMPLATES/.partial.XXXXXX")
  tar --xattrs --xattrs-include='*' --acls --warning=no-file-ignored -czf "$tmp" -C "$SAMBA_BASE" dc
  mv -f "$tmp" "$target"
}

restore_template() {
  local source=$1
  rm -rf "$SAMBA_DC"
  tar --xattrs --xattrs-include='*' --acls -xzf "$source" -C "$SAMBA_BASE"
}

dc_pgid_file() { echo "$SAMBA_DC/run/dc.pgid"; }

# True when the recorded process group still holds our DC (a stale file after a reboot may name someone else's group).
dc_running() {
  local file pg pid
  file=$(dc_pgid_file)
  [ -f "$file" ] || return 1
  pg=$(cat "$file")
  for pid in $(pgrep -g "$pg" 2>/dev/null); do
    grep -qaE 'run-dc\.sh|samba' "/proc/$pid/cmdline" 2>/dev/null && return 0
  done
  return 1
}

# Starts the DC in its own process group; when WATCH_PID is given, the DC exits soon after that process does
# (a killed test run leaves nothing behind). Returns once every port in SAMBA_READY_PORTS accepts.
start_dc() {
  local watch=${1:-} port started leader deadline
  [ -f "$SAMBA_DC/etc/smb.conf" ] || die "no provisioned DC in $SAMBA_DC (run scripts/samba/dc.sh up)"
  dc_running && die "the DC in $SAMBA_DC is already running"
  for port in "${SAMBA_READY_PORTS[@]}"; do
    port_open "$port" && die "127.0.0.1:$port is already taken by another program; is another DC running?"
  done
  mkdir -p "$SAMBA_DC/run" "$SAMBA_DC/log"
  started=$(date +%s%N)
  # 8 and 9 are the lock descriptors: a DC that inherited them would hold the locks for its whole life.
  setsid bash "$SAMBA_SCRIPTS/run-dc.sh" "$SAMBA_DC" "$SAMBA_MAX_RUNTIME" "$watch" \
    </dev/null >"$SAMBA_DC/log/stdout.log" 2>&1 8>&- 9>&- &
  leader=$!
  echo "$leader" > "$(dc_pgid_file)"
  deadline=$(( $(date +%s) + 60 ))
  for port in "${SAMBA_READY_PORTS[@]}"; do
    until port_open "$port"; do
      if ! kill -0 "$leader" 2>/dev/null; then
        tail -n 20 "$SAMBA_DC/log/stdout.log" >&2
        die "samba exited while starting (log: $SAMBA_DC/log/stdout.log)"
      fi
      [ "$(date +%s)" -lt "$deadline" ] || { stop_dc; die "port $port not ready after 60 s (log: $SAMBA_DC/log)"; }
      sleep 0.05
    done
  done
  say "DC ready in $(( ($(date +%s%N) - started) / 1000000 )) ms (process group $leader)"
}

# Samba puts itself in its own process group and smbd in its own session, so killing run-dc.sh's group is not
# enough: TERM goes to the samba root process (it stops its children), and every descendant of the group leader
# is waited for, then killed if still there after 15 s.
stop_dc() {
  local file pg pids i
  file=$(dc_pgid_file)
  if ! dc_running; then rm -f "$file"; return 0; fi
  pg=$(cat "$file")
  pids=$(descendants "$pg")
  kill -TERM "$(cat "$SAMBA_DC/run/samba-root.pid" 2>/dev/null)" 2>/dev/null || kill -TERM -- "-$pg" 2>/dev/null || true
  for i in $(seq 1 300); do
    alive $pids || break
    sleep 0.05
  done
  if alive $pids; then
    say "DC still running after 15 s; killing ${pids//$'\n'/ }"
    kill -KILL $pids 2>/dev/null || true
  fi
  kill -TERM -- "-$pg" 2>/dev/null || true
  rm -f "$file" "$SAMBA_DC/run/samba-root.pid"
}

# PID and every process below it.
descendants() {
  ps -eo pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q != "" && q != root && q != 1 && q != 0) q = parent[q]; if (q == root) print p } }'
}

# Zombies do not count: when init is slow to reap them they would otherwise look alive.
alive() {
  local pid state
  for pid in "$@"; do
    # The state follows the command name, which is in parentheses and may itself hold spaces or parentheses.
    state=$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null) || continue
    [ -n "$state" ] && [ "$state" != Z ] && return 0
  done
  return 1
}
