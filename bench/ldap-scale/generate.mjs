// The scale rig's directory (bench/ldap-scale/): N accounts of objectClass `user` as LDIF for slapadd, seeded and
// deterministic (the same N and seed give the same bytes), with the mix scripts/samba/seed-bulk.sh gives the
// Samba bench, drawn at random instead of by index:
//   sAMAccountName  10 % leading "-", 10 % 25 characters long, 6 % with "$", 2 % with "@" or "!", 3 % non-ASCII
//                   letters (valid, but sent base64 in LDIF and UTF-8 on the wire), the rest "bulk.NNNNNNN"
//   mail            1 in 7 without, 2 % with two values, 3 % upper-case
//   loginShell      1 in 3 /bin/bash, 1 in 11 of the rest /bin/zsh, 2 % /bin/sh, 1 % /usr/bin/fish, the rest none
//   userAccountControl  2 % disabled (514, 546 or 66050), else 512, 544 or 66048
//   memberOf        every second account in CN=Bulk WorkSpaces,OU=Bulk; 1 in 5 also in CN=Staff,OU=Bulk
//   1 % are computer accounts (objectCategory computer, "WSNNNNNNN$"), which the scan's filter leaves out as AD does.
//
//   node bench/ldap-scale/generate.mjs N [SEED] > users.ldif
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '../lib/rng.mjs';

/** Bump when the output for a given N and seed changes: templates record it and are rebuilt when it differs. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 'gpaudit-ldap-scale';
export const BASE_DN = 'DC=example,DC=test';
export const BULK_DN = `OU=Bulk,${BASE_DN}`;
const WORKSPACES_GROUP = `CN=Bulk WorkSpaces,${BULK_DN}`;
const STAFF_GROUP = `CN=Staff,${BULK_DN}`;
const UNICODE_NAMES = ['józef.łęcki', 'zoë.brontë', 'søren.ærø', 'ñandú.peña', 'ангелина', 'δημήτρης', '王小明'];

/** LDIF value: `attr: value` when it is a SAFE-STRING (RFC 2849), else `attr:: base64`. */
function line(attribute, value) {
  const safe = /^[\x01-\x09\x0b-\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b-\x0c\x0e-\x7f]*$/.test(value) && !value.endsWith(' ');
  return safe ? `${attribute}: ${value}\n` : `${attribute}:: ${Buffer.from(value, 'utf8').toString('base64')}\n`;
}

function baseEntries() {
  return [
    `dn: ${BASE_DN}\nobjectClass: top\nobjectClass: domain\ndc: example\n\n`,
    `dn: ${BULK_DN}\nobjectClass: top\nobjectClass: organizationalUnit\nou: Bulk\n\n`,
    `dn: ${WORKSPACES_GROUP}\nobjectClass: top\nobjectClass: groupOfNames\ncn: Bulk WorkSpaces\nmember: ${WORKSPACES_GROUP}\n\n`,
    `dn: ${STAFF_GROUP}\nobjectClass: top\nobjectClass: groupOfNames\ncn: Staff\nmember: ${STAFF_GROUP}\n\n`,
  ].join('');
}

/** One account; `counts` tallies what the scan filter should match. */
function account(i, rng, counts) {
  const id = String(i).padStart(7, '0');
  const computer = rng.chance(0.01);
  let text;
  if (computer) {
    const cn = `WS${id}`;
    counts.computers++;
    text =
      `dn: CN=${cn},${BULK_DN}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n` +
      `cn: ${cn}\nsn: ${cn}\nobjectCategory: computer\nsAMAccountName: ${cn}$\nuserAccountControl: 4096\n`;
    return `${text}\n`;
  }
  const r = rng.next();
  let sam;
  if (r < 0.1) sam = `-bulk.${id}`;
  else if (r < 0.2) sam = `bulk.too.long.name.${id}`.slice(0, 25);
  else if (r < 0.26) sam = `bulk$${id}`;
  else if (r < 0.28) sam = `bulk${rng.pick(['@', '!'])}${id}`;
  else if (r < 0.31) sam = `${rng.pick(UNICODE_NAMES)}.${id}`.slice(0, 20);
  else sam = `bulk.${id}`;
  const cn = `Bulk User ${id}`;
  text =
    `dn: CN=${cn},${BULK_DN}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n` +
    `cn: ${cn}\nsn: User ${id}\ngivenName: Bulk\ndisplayName: ${cn}\nobjectCategory: person\n` +
    line('sAMAccountName', sam) +
    `userPrincipalName: u${id}@example.test\n`;
  if (!rng.chance(1 / 7)) {
    const mail = `bulk.${id}@example.test`;
    text += `mail: ${rng.chance(0.03) ? mail.toUpperCase() : mail}\n`;
    if (rng.chance(0.02)) text += `mail: b${id}@mail.example.test\n`;
  }
  if (rng.chance(1 / 3)) text += 'loginShell: /bin/bash\n';
  else if (rng.chance(1 / 11)) text += 'loginShell: /bin/zsh\n';
  else if (rng.chance(0.02)) text += 'loginShell: /bin/sh\n';
  else if (rng.chance(0.01)) text += 'loginShell: /usr/bin/fish\n';
  const disabled = rng.chance(0.02);
  text += `userAccountControl: ${disabled ? rng.pick([514, 546, 66050]) : rng.pick([512, 512, 512, 544, 66048])}\n`;
  if (i % 2 === 0) text += `memberOf: ${WORKSPACES_GROUP}\n`;
  if (rng.chance(0.2)) text += `memberOf: ${STAFF_GROUP}\n`;
  if (disabled) counts.disabled++;
  else counts.matching++;
  return `${text}\n`;
}

/**
 * Writes the LDIF for `n` accounts to the file descriptor `fd`. Returns the tallies: `matching` is what
 * gpaudit's default filter (enabled people of objectClass user) should read.
 */
export function writeLdif(fd, n, seed = DEFAULT_SEED) {
  const rng = createRng(`${seed}/${n}`);
  const counts = { accounts: n, matching: 0, disabled: 0, computers: 0, bytes: 0 };
  const write = (text) => {
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
    counts.bytes += buffer.length;
  };
  write(baseEntries());
  let chunk = '';
  for (let i = 1; i <= n; i++) {
    chunk += account(i, rng, counts);
    if (chunk.length > 1 << 20) {
      write(chunk);
      chunk = '';
    }
  }
  write(chunk);
  return counts;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2]);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write('usage: node bench/ldap-scale/generate.mjs N [SEED] > users.ldif\n');
    process.exit(2);
  }
  const counts = writeLdif(1, n, process.argv[3] ?? DEFAULT_SEED);
  process.stderr.write(`${JSON.stringify(counts)}\n`);
  closeSync(1);
}
