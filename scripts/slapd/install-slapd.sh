#!/usr/bin/env bash
# Debian's OpenLDAP server for the LDAP scale bench (bench/ldap-scale/), installed only when missing; needs root.
# A bench dependency only: the test suite does not use slapd (scripts/install-system-deps.sh does not install it).
# - slapd: the server the bench loads offline with slapadd and runs itself, from its own slapd.conf, on 127.0.0.1.
# - ldap-utils: ldapsearch, the reference client the bench times gpaudit against.
# Debian's own slapd service must never run (it would own port 389 on every interface): policy-rc.d keeps it from
# starting at install, and it is stopped and disabled here in case it was started some other way.
set -euo pipefail

packages=(slapd ldap-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: slapd is needed by bench/ldap-scale but not installed, and this is not root: apt-get install slapd ldap-utils" >&2
    exit 1
  fi
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
fi

# The package's service: stopped and disabled, whatever started it. Only Debian's own instance (the one
# /etc/init.d/slapd manages, pid in /run/slapd/slapd.pid) is touched, never the bench's.
if [ "$(id -u)" -eq 0 ]; then
  if [ -s /run/slapd/slapd.pid ] && kill -0 "$(cat /run/slapd/slapd.pid)" 2>/dev/null; then
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl stop slapd || true; else /etc/init.d/slapd stop || true; fi
  fi
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable slapd >/dev/null 2>&1 || true
  else
    update-rc.d slapd disable >/dev/null 2>&1 || true
  fi
fi
exit 0
