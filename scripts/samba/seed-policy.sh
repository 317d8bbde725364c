#!/usr/bin/env bash
# A DC with 1,000 GPOs linked over 201 OUs and their SYSVOL folders, for the effective-policy benchmark
# (bench/policy/run.mjs, issue 9; not used by the tests).
#
#   seed-policy.sh                  build the template "base + policy estate" if it is missing; the DC itself is
#                                   not touched
#   seed-policy.sh -- CMD [ARG...]  restore that template, start the DC, run CMD, stop the DC; exit with CMD's status.
#                                   CMD gets GPAUDIT_SAMBA_URL, _LDAPS_URL, _CA_FILE, _BIND_DN, _PASSWORD, _BASE_DN,
#                                   GPAUDIT_SAMBA_SYSVOL (the folder holding the {GUID} folders),
#                                   GPAUDIT_SAMBA_POLICY_OU (the deepest benchmarked OU), _POLICY_SHALLOW_OU,
#                                   _POLICY_MANIFEST (JSON: counts, seed), and GPAUDIT_SAMBA_SESSION_HELD=1.
#
# What the estate holds: scripts/samba/policy-estate.mjs (its header). Like seed-bulk.sh, the template is built in a
# scratch copy of the base template with ldbadd (no lock, so a test run goes on meanwhile), and running CMD holds
# the session lock a test run holds. The template is keyed by the base template's key and a hash of this script and
# the generator, so a change to either builds it again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$SAMBA_SCRIPTS/provision.sh"

if [ $# -gt 0 ]; then
  [ "$1" = -- ] && [ $# -gt 1 ] || die "usage: seed-policy.sh [-- CMD ARG...]"
  shift
fi
reason=$(bash "$SAMBA_SCRIPTS/dc.sh" check) || die "cannot run Samba here: $reason"
command -v node >/dev/null || die "node is not installed"

GENERATOR=$SAMBA_SCRIPTS/policy-estate.mjs
# Relative to the dc folder, in the template and once restored.
SYSVOL_REL=state/sysvol/example.test/Policies
MANIFEST_REL=bench-policy.json

policy_key() {
  cat "$SAMBA_SCRIPTS/seed-policy.sh" "$GENERATOR" "$SAMBA_PROJECT/test/helpers/pol-writer.ts" \
    "$SAMBA_PROJECT/bench/lib/rng.mjs" | sha256sum | cut -c1-8
}

# The scratch copy is extracted and saved with lib.sh's restore_template / save_template, pointed at the scratch
# folder instead of $SAMBA_BASE: ldbadd only needs the database files, whose partition links are relative.
build_policy_template() {
  local target=$1 scratch log started
  started=$(date +%s)
  scratch=$(mktemp -d "$SAMBA_BASE/.policy-build.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  SAMBA_BASE=$scratch SAMBA_DC=$scratch/dc restore_template "$(base_template)"
  log=$scratch/dc/log/policy.log
  local sam=$scratch/dc/private/sam.ldb
  node "$GENERATOR" ous "$scratch" \
    && ldbadd -H "$sam" "$scratch/ous.ldif" > "$log" 2>&1 \
    || { tail -n 20 "$log" >&2; die "adding the OUs and filter groups failed"; }
  ldbsearch -H "$sam" -b "CN=Users,$SAMBA_BASE_DN" '(&(objectClass=group)(sAMAccountName=GPO Filter *))' \
    sAMAccountName objectSid > "$scratch/sids.ldif" 2>> "$log" || die "reading the filter groups' SIDs failed"
  node "$GENERATOR" gpos "$scratch" "$scratch/sids.ldif" "$scratch/dc/$SYSVOL_REL" "$scratch/dc/$MANIFEST_REL" \
    || die "generating the GPOs failed"
  ldbadd -H "$sam" "$scratch/gpos.ldif" >> "$log" 2>&1 \
    || { tail -n 20 "$log" >&2; die "adding the GPOs failed"; }
  ldbmodify -H "$sam" "$scratch/domain.ldif" >> "$log" 2>&1 \
    || { tail -n 20 "$log" >&2; die "linking GPOs on the domain head failed"; }
  rm -f "$scratch"/*.ldif
  SAMBA_BASE=$scratch save_template "$target"
  rm -rf "$scratch"
  trap - EXIT
  # Older policy templates of this base are never used again.
  find "$SAMBA_TEMPLATES" -maxdepth 1 -name "dc-$(template_key)-policy-*.tgz" ! -name "$(basename "$target")" -delete
  say "built the policy estate in $(( $(date +%s) - started )) s; template $target"
}

run_with_dc() {
  local status=0
  GPAUDIT_SAMBA_URL=ldap://127.0.0.1:389 GPAUDIT_SAMBA_LDAPS_URL=ldaps://127.0.0.1:636 \
    GPAUDIT_SAMBA_CA_FILE="$SAMBA_DC/pki/ca.pem" GPAUDIT_SAMBA_BIND_DN=Administrator@example.test \
    GPAUDIT_SAMBA_PASSWORD="$SAMBA_ADMIN_PASSWORD" GPAUDIT_SAMBA_BASE_DN="$SAMBA_BASE_DN" \
    GPAUDIT_SAMBA_SYSVOL="$SAMBA_DC/$SYSVOL_REL" GPAUDIT_SAMBA_POLICY_MANIFEST="$SAMBA_DC/$MANIFEST_REL" \
    GPAUDIT_SAMBA_POLICY_OU="$(manifest_field deepOu)" GPAUDIT_SAMBA_POLICY_SHALLOW_OU="$(manifest_field shallowOu)" \
    GPAUDIT_SAMBA_SESSION_HELD=1 \
    "$@" 8>&- 9>&- || status=$?
  take_operation_lock
  stop_dc
  return "$status"
}

manifest_field() {
  node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]))' \
    "$SAMBA_DC/$MANIFEST_REL" "$1"
}

mkdir -p "$SAMBA_BASE" "$SAMBA_TEMPLATES"
if [ ! -f "$(base_template)" ]; then
  # Provisioning runs a DC in $SAMBA_DC, so it must not happen under a test run.
  (take_session_lock; take_operation_lock; [ -f "$(base_template)" ] || { stop_dc; build_base_template "$(base_template)"; })
fi
policy_template="$SAMBA_TEMPLATES/dc-$(template_key)-policy-$(policy_key).tgz"
if [ -f "$policy_template" ]; then
  say "template exists: $policy_template"
else
  build_policy_template "$policy_template"
fi
[ $# -eq 0 ] && exit 0

take_session_lock
take_operation_lock
stop_dc
restore_template "$policy_template"
start_dc "$$"
# The session lock keeps test runs away while CMD runs; the operation lock goes, so CMD may use dc.sh stop/start.
exec 9>&-
run_with_dc "$@"
