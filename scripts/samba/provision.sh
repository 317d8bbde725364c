# Sourced by dc.sh after lib.sh: builds the base DC from scratch (about 5 s). Everything here is part of the
# template key, so editing this file rebuilds the template on the next run.

# Our own PKI, so clients can pin a CA and check 127.0.0.1 against the certificate (Samba's own has no SAN).
# wrong-ca.pem is a second CA that signed nothing, for the tests that must see verification fail.
make_pki() {
  local pki=$1
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=gpaudit test LDAP CA' -keyout ca.key -out ca.pem \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=gpaudit unrelated CA' -keyout wrong-ca.key \
      -out wrong-ca.pem -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj '/CN=dc1.example.test' -keyout key.pem -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:dc1.example.test\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext \
      -out cert.pem 2>/dev/null
    # Samba refuses a key others can read (CVE-2013-4476): 636 stays open but every handshake fails.
    chmod 600 key.pem ca.key wrong-ca.key
    rm -f server.csr server.ext ca.srl
  )
}

# Options that keep the DC on 127.0.0.1 and its files in $SAMBA_DC: no forwarder (would be the host's resolver),
# no dnsupdate/nbt/wrepl, no printing. -s empty.conf stops Debian's /etc/samba/smb.conf leaking in.
provision_dc() {
  local d=$SAMBA_DC
  rm -rf "$d"
  mkdir -p "$d/run" "$d/log"
  : > "$d/empty.conf"
  samba-tool domain provision -s "$d/empty.conf" --targetdir="$d" \
    --realm="$SAMBA_REALM" --domain="$SAMBA_DOMAIN" --server-role=dc --dns-backend=SAMBA_INTERNAL \
    --adminpass="$SAMBA_ADMIN_PASSWORD" --use-rfc2307 --host-name=dc1 --host-ip=127.0.0.1 \
    --option="interfaces=127.0.0.1" --option="bind interfaces only=yes" \
    --option="dns forwarder=" --option="server services=-dnsupdate -nbt -wrepl" \
    --option="log file=$d/log/samba.log" --option="pid directory=$d/run" \
    --option="ncalrpc dir=$d/run/ncalrpc" --option="ntp signd socket directory=$d/run/ntp_signd" \
    --option="usershare path=$d/usershares" --option="printcap name=/dev/null" --option="disable spoolss=yes" \
    > "$d/log/provision.log" 2>&1 || { tail -n 20 "$d/log/provision.log" >&2; die "provision failed"; }
}

# Provision drops these --option values from the smb.conf it writes, so they go in afterwards. Simple binds over
# ldap:// need strong auth off (Windows AD allows them by default too).
configure_dc() {
  local d=$SAMBA_DC pki=$SAMBA_DC/pki extra
  make_pki "$pki"
  extra='\tldap server require strong auth = no\n\tload printers = no\n\tprinting = bsd'
  extra="$extra\n\ttls enabled = yes\n\ttls keyfile = $pki/key.pem\n\ttls certfile = $pki/cert.pem\n\ttls cafile = $pki/ca.pem"
  sed -i "s|^\[global\]$|[global]\n$extra|" "$d/etc/smb.conf"
  grep -q 'ldap server require strong auth = no' "$d/etc/smb.conf" || die "could not edit $d/etc/smb.conf"
}

# ldbadd works on the database directly, as system: no network, and the DSDB modules still assign SIDs and hash
# passwords.
seed_users() {
  ldbadd -H "$SAMBA_DC/private/sam.ldb" "$SAMBA_SEED" > "$SAMBA_DC/log/seed.log" 2>&1 \
    || { tail -n 20 "$SAMBA_DC/log/seed.log" >&2; die "seeding $SAMBA_SEED failed"; }
}

# Provision leaves out the A records when the host IP is 127.0.0.1, so they are added over RPC to the running DC.
add_dns_records() {
  local name
  for name in dc1 @; do
    samba-tool dns add 127.0.0.1 example.test "$name" A 127.0.0.1 -s "$SAMBA_DC/etc/smb.conf" \
      -U "Administrator%$SAMBA_ADMIN_PASSWORD" >> "$SAMBA_DC/log/dns.log" 2>&1 \
      || { tail -n 5 "$SAMBA_DC/log/dns.log" >&2; die "samba-tool dns add $name failed"; }
  done
}

build_base_template() {
  local target=$1 started
  started=$(date +%s%N)
  provision_dc
  configure_dc
  seed_users
  start_dc
  add_dns_records
  stop_dc
  save_template "$target"
  forget_stale_templates
  say "provisioned and seeded in $(( ($(date +%s%N) - started) / 1000000 )) ms; template $target"
}

# Templates built from older scripts or seeds are never used again.
forget_stale_templates() {
  find "$SAMBA_TEMPLATES" -maxdepth 1 -name 'dc-*.tgz' ! -name "dc-$(template_key)*" -delete
}
