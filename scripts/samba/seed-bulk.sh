#!/usr/bin/env bash
# A DC with N extra generated users, for the LDAP benchmark (not used by the tests).
#
#   seed-bulk.sh N                 build the template "base + N users" if it is missing (300 users: 1.4 s; 10,000:
#                                  148 s, as the cost per add grows with the directory); the DC itself is not touched
#   seed-bulk.sh N -- CMD [ARG...] restore that template, start the DC, run CMD, stop the DC; exit with CMD's status.
#                                  CMD gets GPAUDIT_SAMBA_URL, _LDAPS_URL, _CA_FILE, _BIND_DN, _PASSWORD, _BASE_DN,
#                                  _BULK_BASE_DN and _BULK_USERS in its environment, and GPAUDIT_SAMBA_SESSION_HELD=1
#                                  so it may call dc.sh stop / dc.sh start (same data) itself.
#
# The template is built in a scratch folder, so a test run can go on meanwhile; running CMD holds the session lock
# (the one a test run holds), so a benchmark and a test run never share the DC.
# The N users go in OU=Bulk,DC=example,DC=test; every second one is in CN=Bulk WorkSpaces,OU=Bulk, which is nested in
# CN=WorkSpaces Users,CN=Users. Names, mail, shells and states vary the way the seed users do (see bulk_ldif).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$SAMBA_SCRIPTS/provision.sh"

count=${1:-}
[[ "$count" =~ ^[1-9][0-9]{0,5}$ ]] || die "usage: seed-bulk.sh N [-- CMD ARG...] (N from 1 to 999999)"
shift
if [ $# -gt 0 ]; then
  [ "$1" = -- ] && [ $# -gt 1 ] || die "usage: seed-bulk.sh N [-- CMD ARG...]"
  shift
fi
reason=$(bash "$SAMBA_SCRIPTS/dc.sh" check) || die "cannot run Samba here: $reason"

# Every 10th name has a leading -, every 10th (offset 5) is 25 characters long, every 17th has a $; every 7th has
# no mail; every 3rd has /bin/bash and every 11th /bin/zsh; every 50th is disabled. The others are enabled without a
# password (544: PASSWD_NOTREQD), since hashing 10k passwords would triple the build time.
bulk_ldif() {
  awk -v n="$count" 'BEGIN {
    print "dn: OU=Bulk,DC=example,DC=test\nobjectClass: organizationalUnit\nou: Bulk\n"
    for (i = 1; i <= n; i++) {
      id = sprintf("%06d", i)
      if (i % 10 == 0) sam = "-bulk." id
      else if (i % 10 == 5) sam = "bulk.too.long.name." id
      else if (i % 17 == 0) sam = "bulk$" id
      else sam = "bulk." id
      print "dn: CN=Bulk User " id ",OU=Bulk,DC=example,DC=test\nobjectClass: user"
      print "sAMAccountName: " sam "\ngivenName: Bulk\nsn: User " id "\ndisplayName: Bulk User " id
      if (i % 7 != 0) print "mail: bulk." id "@example.test"
      if (i % 3 == 0) print "loginShell: /bin/bash"
      else if (i % 11 == 0) print "loginShell: /bin/zsh"
      print "userAccountControl: " (i % 50 == 0 ? 546 : 544) "\n"
    }
    print "dn: CN=Bulk WorkSpaces,OU=Bulk,DC=example,DC=test\nobjectClass: group\nsAMAccountName: Bulk WorkSpaces"
    for (i = 2; i <= n; i += 2) printf "member: CN=Bulk User %06d,OU=Bulk,DC=example,DC=test\n", i
  }'
}

nest_bulk_group_ldif() {
  printf 'dn: CN=WorkSpaces Users,CN=Users,DC=example,DC=test\nchangetype: modify\nadd: member\n'
  printf 'member: CN=Bulk WorkSpaces,OU=Bulk,DC=example,DC=test\n'
}

# Built in a scratch copy of the base template, without any lock: a test run may use the DC meanwhile. ldbadd only
# needs the database files, whose partition links are relative, so the copy is saved as if it were $SAMBA_DC.
build_bulk_template() {
  local target=$1 scratch ldif started
  started=$(date +%s)
  scratch=$(mktemp -d "$SAMBA_BASE/.bulk-build.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  tar --xattrs --xattrs-include='*' --acls -xzf "$(base_template)" -C "$scratch"
  ldif=$scratch/bulk-$count.ldif
  bulk_ldif > "$ldif"
  ldbadd -H "$scratch/dc/private/sam.ldb" "$ldif" > "$scratch/dc/log/bulk.log" 2>&1 \
    || { tail -n 20 "$scratch/dc/log/bulk.log" >&2; die "adding $count users failed"; }
  nest_bulk_group_ldif | ldbmodify -H "$scratch/dc/private/sam.ldb" >> "$scratch/dc/log/bulk.log" 2>&1 \
    || { tail -n 20 "$scratch/dc/log/bulk.log" >&2; die "nesting CN=Bulk WorkSpaces failed"; }
  local partial
  partial=$(mktemp "$SAMBA_TEMPLATES/.partial.XXXXXX")
  tar --xattrs --xattrs-include='*' --acls --warning=no-file-ignored -czf "$partial" -C "$scratch" dc
  mv -f "$partial" "$target"
  rm -rf "$scratch"
  trap - EXIT
  say "added $count users in $(( $(date +%s) - started )) s; template $target"
}

run_with_dc() {
  local status=0
  GPAUDIT_SAMBA_URL=ldap://127.0.0.1:389 GPAUDIT_SAMBA_LDAPS_URL=ldaps://127.0.0.1:636 \
    GPAUDIT_SAMBA_CA_FILE="$SAMBA_DC/pki/ca.pem" GPAUDIT_SAMBA_BIND_DN=Administrator@example.test \
    GPAUDIT_SAMBA_PASSWORD="$SAMBA_ADMIN_PASSWORD" GPAUDIT_SAMBA_BASE_DN="$SAMBA_BASE_DN" \
    GPAUDIT_SAMBA_BULK_BASE_DN=OU=Bulk,DC=example,DC=test GPAUDIT_SAMBA_BULK_USERS="$count" \
    GPAUDIT_SAMBA_SESSION_HELD=1 \
    "$@" 8>&- 9>&- || status=$?
  take_operation_lock
  stop_dc
  return "$status"
}

mkdir -p "$SAMBA_BASE" "$SAMBA_TEMPLATES"
if [ ! -f "$(base_template)" ]; then
  # Provisioning runs a DC in $SAMBA_DC, so it must not happen under a test run.
  (take_session_lock; take_operation_lock; [ -f "$(base_template)" ] || { stop_dc; build_base_template "$(base_template)"; })
fi
bulk_template="$SAMBA_TEMPLATES/dc-$(template_key)-bulk-$count.tgz"
if [ -f "$bulk_template" ]; then
  say "template exists: $bulk_template"
else
  build_bulk_template "$bulk_template"
fi
[ $# -eq 0 ] && exit 0

take_session_lock
take_operation_lock
stop_dc
restore_template "$bulk_template"
start_dc "$$"
# The session lock keeps test runs away while CMD runs; the operation lock goes, so CMD may use dc.sh stop/start.
exec 9>&-
run_with_dc "$@"
