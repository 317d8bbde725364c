#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing; needs root (CI runs as root).
# - python3-samba: the independent Registry.pol decoder the parser is checked against.
# - samba & co: a throwaway AD domain controller on 127.0.0.1 for the LDAP tests (docs: /work/shared/docs/samba-dc.md).
#   Each one is needed: without samba-vfs-modules provision fails, without winbind samba exits at once,
#   samba-ad-provision holds the provision setup files, ldb-tools gives ldbadd (seeding), ldap-utils gives ldapsearch.
# - smbclient: copies the test DC's SYSVOL share (test/ldap/sysvol-copy.test.ts, the recipe in docs/effective-policy.md).
# - chromium: the real browser the HTML report tests drive headless through playwright-core (test/html/, docs/html-report.md).
# - libxml2-utils: xmllint, which checks the JUnit output against the Jenkins xUnit plugin's schemas (test/reporters/junit-consumers.test.ts).
set -euo pipefail

packages=(python3-samba samba samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind ldb-tools ldap-utils openssl smbclient chromium libxml2-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root, so not installing ${missing[*]}; the tests that need them are skipped outside CI" >&2
  exit 0
fi
# Debian's own service units (smbd, nmbd, samba-ad-dc) must never start: they would listen on every interface.
[ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; }
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
