#!/usr/bin/env node
// The directory and SYSVOL content of the policy benchmark's template (scripts/samba/seed-policy.sh; issue 9): an OU
// tree, 1,000 groupPolicyContainer objects with links on the domain head and the OUs, and a SYSVOL folder per GPO.
// Deterministic: the same SEED gives the same GUIDs, links and files. Run by seed-policy.sh in two steps, because
// the security-filtered GPOs' ACLs name groups whose SIDs the directory assigns when they are added:
//
//   node policy-estate.mjs ous  OUT_DIR                          → OUT_DIR/ous.ldif (OUs with gPLink/gPOptions, groups)
//   node policy-estate.mjs gpos OUT_DIR SIDS_LDIF SYSVOL MANIFEST → OUT_DIR/gpos.ldif, OUT_DIR/domain.ldif, one
//                                                                  {GUID} folder per GPO under SYSVOL, MANIFEST (JSON)
//
// SIDS_LDIF is `ldbsearch ... '(objectClass=group)' sAMAccountName objectSid` of the filter groups after step 1.
//
// Shape (the bench's walk in bench/policy/run.mjs recomputes what reaches an OU from the directory, not from here):
// - OU=Bench,DC=example,DC=test; under it 10 top OUs (T01..T10), each with 19 OUs nested to 4 levels below Bench's
//   children (A, B, C; A1, A2, B1, B2, C1, C2; A1a, A1b, ...): 201 OUs in all.
// - 1,000 GPOs "Bench GPO 0000".."Bench GPO 0999". By index: i%100 = 7 computer side disabled (flags 2), 13 user side
//   disabled (flags 1), 29 both (flags 3), 41 never edited (versionNumber 0); i%50 = 17 security-filtered to one of
//   20 groups (Authenticated Users keep Read only); i%100 = 59 has no SYSVOL folder; i%5 = 3 also has user settings.
//   Every other GPO has computer settings only: Machine/Registry.pol with 20-50 values, a few of them ones the
//   WorkSpaces rules read (legal notice, last user name, CAD, MSI, removable storage, power).
// - Links: 5 on the domain head (besides the Default Domain Policy), 3-7 per OU; 6 % enforced, 4 % disabled, 1 %
//   both; 3 % of OU links name a GPO already linked above (the same GPO twice on one path); about 50 GPOs unlinked;
//   10 % of OUs block inheritance, except on the two benchmarked paths, which are set by hand (below).
// - The deep OU (OU=A1a,OU=A1,OU=A,OU=T07,OU=Bench) has on its path: an enforced link on the domain head, an
//   enforced and a disabled+enforced link on OU=Bench, the GPO without a folder linked enforced on T07, two enforced
//   links on A (one to a security-filtered GPO), block inheritance plus a version-0, a computer-disabled, a
//   user-disabled and a user-settings GPO on A1, and on A1a a disabled link, the GPO linked enforced on OU=Bench
//   (again, not enforced), a user-settings GPO and a GPO with flags 3. The shallow OU (OU=T02,OU=Bench) has no
//   blocking on its path.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../bench/lib/rng.mjs';
import { importTs } from '../lib/import-ts.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = 'gpaudit-policy-1';
const DOMAIN_DN = 'DC=example,DC=test';
const REALM = 'example.test';
const POLICIES_DN = `CN=Policies,CN=System,${DOMAIN_DN}`;
const BENCH_DN = `OU=Bench,${DOMAIN_DN}`;
const DEFAULT_DOMAIN_POLICY = '{31B2F340-016D-11D2-945F-00C04FB984F9}';
const GPOS = 1000;
const TOPS = 10;
const GROUPS = 20;
const UNLINKED = 50;
// Below each top OU: 3 + 6 + 10 = 19 OUs, 4 levels under OU=Bench at the deepest.
const SUBTREE = { A: { A1: ['A1a', 'A1b'], A2: ['A2a', 'A2b'] }, B: { B1: ['B1a', 'B1b'], B2: ['B2a'] }, C: { C1: ['C1a', 'C1b'], C2: ['C2a'] } };
export const DEEP_OU = `OU=A1a,OU=A1,OU=A,OU=T07,${BENCH_DN}`;
export const SHALLOW_OU = `OU=T02,${BENCH_DN}`;
// Registry CSE plus the Administrative Templates snap-in, per side, as GPMC writes them.
const MACHINE_CSES = '[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]';
const USER_CSES = '[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]';
const APPLY_GROUP_POLICY = 'edacfd8f-ffb3-11d1-b41d-00a0c968f939';
// The schema's defaultSecurityDescriptor of groupPolicyContainer (what ldbadd gives a GPC without one), with
// Authenticated Users' Apply Group Policy moved to the filter group.
const FILTERED_SDDL = (sid) =>
  'D:P(A;CI;RPWPCCDCLCLOLORCWOWDSDDTSW;;;DA)(A;CI;RPWPCCDCLCLOLORCWOWDSDDTSW;;;EA)(A;CI;RPWPCCDCLCLOLORCWOWDSDDTSW;;;CO)' +
  `(A;CI;RPWPCCDCLCLORCWOWDSDDTSW;;;SY)(A;CI;RPLCLORC;;;AU)(A;CI;RPLCLORC;;;${sid})(OA;CI;CR;${APPLY_GROUP_POLICY};;${sid})(A;CI;LCRPLORC;;;ED)`;

const REG_SZ = 1;
const REG_DWORD = 4;
const SYSTEM = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
/** Values the WorkSpaces rules read (rules.yaml), with a generator of plausible data each. */
const RELEVANT_MACHINE = [
  [SYSTEM, 'LegalNoticeCaption', REG_SZ, (r) => (r.chance(0.5) ? '' : `Notice ${r.int(1, 9)}`)],
  [SYSTEM, 'LegalNoticeText', REG_SZ, (r) => (r.chance(0.5) ? '' : `Authorised use only (${r.int(1, 9)})`)],
  [SYSTEM, 'DontDisplayLastUserName', REG_DWORD, (r) => r.int(0, 1)],
  [SYSTEM, 'DisableCAD', REG_DWORD, (r) => r.int(0, 1)],
  [SYSTEM, 'HideFastUserSwitching', REG_DWORD, (r) => r.int(0, 1)],
  [SYSTEM, 'DontDisplayLockedUserId', REG_DWORD, (r) => r.int(1, 3)],
  ['Software\\Policies\\Microsoft\\Windows\\Installer', 'DisableMSI', REG_DWORD, (r) => r.int(0, 2)],
  ['Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices', 'Deny_All', REG_DWORD, (r) => r.int(0, 1)],
  ['Software\\Policies\\Microsoft\\Power\\PowerSettings\\29F6C1DB-86DA-48C5-9FDB-F2B67B1F44DA', 'ACSettingIndex', REG_DWORD, (r) => r.pick([0, 600, 900, 1800])],
];
const RELEVANT_USER = [
  ['Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices', 'Deny_All', REG_DWORD, (r) => r.int(0, 1)],
  ['Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer', 'NoViewOnDrive', REG_DWORD, (r) => r.pick([0, 4, 67108863])],
];

const CRLF = '\r\n';

/** Every OU, top-down (a parent before its children), as { dn, parent }. */
function ouTree() {
  const ous = [{ dn: BENCH_DN, parent: DOMAIN_DN }];
  for (let t = 1; t <= TOPS; t++) {
    const top = `OU=T${String(t).padStart(2, '0')},${BENCH_DN}`;
    ous.push({ dn: top, parent: BENCH_DN });
    for (const [l2, below] of Object.entries(SUBTREE)) {
      const dn2 = `OU=${l2},${top}`;
      ous.push({ dn: dn2, parent: top });
      for (const [l3, leaves] of Object.entries(below)) {
        const dn3 = `OU=${l3},${dn2}`;
        ous.push({ dn: dn3, parent: dn2 });
        for (const l4 of leaves) ous.push({ dn: `OU=${l4},${dn3}`, parent: dn3 });
      }
    }
  }
  return ous;
}

/** The GPOs' own properties, by index (see the header). */
function gpoSpecs() {
  const rng = createRng(`${SEED}/gpos`);
  const specs = [];
  for (let i = 0; i < GPOS; i++) {
    const m = i % 100;
    const flags = m === 7 ? 2 : m === 13 ? 1 : m === 29 ? 3 : 0;
    const userSettings = i % 5 === 3;
    const computer = m === 41 ? 0 : rng.int(1, 40);
    const user = m === 41 || !userSettings ? 0 : rng.int(1, 20);
    specs.push({
      index: i,
      id: rng.guid(),
      name: `Bench GPO ${String(i).padStart(4, '0')}`,
      flags,
      version: { computer, user },
      versionNumber: user * 65536 + computer,
      filterGroup: i % 50 === 17 ? Math.floor(i / 50) % GROUPS : undefined,
      sysvol: m !== 59,
    });
  }
  return specs;
}

const linkOption = (rng) => {
  const r = rng.next();
  return r < 0.06 ? 2 : r < 0.1 ? 1 : r < 0.11 ? 3 : 0;
};

/**
 * Links per container (domain head and every OU), in gPLink order: the first entry has the highest link order, the
 * last is link order 1 (applied last within the container). Plus block inheritance per OU.
 */
function linkPlan(ous, specs) {
  const rng = createRng(`${SEED}/links`);
  // GPOs the deep path uses by hand stay out of the random draw.
  // 3 and 8 have user settings (i%5 = 3) and nothing else special.
  const special = { missingFolder: 59, computerOff: 7, filtered: 17, emptyVersion: 41, userOff: 13, bothOff: 29, userSide: 3, userSide2: 8 };
  const reserved = new Set(Object.values(special));
  const pool = specs.map((s) => s.index).filter((i) => !reserved.has(i));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  pool.splice(0, UNLINKED);
  const links = new Map();
  const block = new Map();
  const parentOf = new Map(ous.map((o) => [o.dn, o.parent]));
  const above = (dn) => {
    const out = [];
    for (let p = parentOf.get(dn); p; p = parentOf.get(p)) out.push(...(links.get(p) ?? []).map((l) => l.gpo));
    return out;
  };
  // Once the pool is used up, further links name GPOs already linked somewhere (a GPO linked at several OUs).
  const used = [];
  const draw = (dn) => {
    const inherited = above(dn);
    if (inherited.length > 0 && rng.chance(0.03)) return rng.pick(inherited);
    const gpo = pool.length > 0 ? pool.pop() : rng.pick(used);
    used.push(gpo);
    return gpo;
  };
  const containers = [DOMAIN_DN, ...ous.map((o) => o.dn)];
  for (const dn of containers) {
    const count = dn === DOMAIN_DN ? 5 : rng.int(3, 7);
    const list = [];
    for (let k = 0; k < count; k++) {
      let gpo = draw(dn);
      while (list.some((l) => l.gpo === gpo)) gpo = draw(dn);
      list.push({ gpo, options: linkOption(rng) });
    }
    links.set(dn, list);
    if (dn !== DOMAIN_DN) block.set(dn, rng.chance(0.1) ? 1 : rng.chance(0.5) ? 0 : undefined);
  }

  // The two benchmarked paths, set by hand.
  const deep = [BENCH_DN, `OU=T07,${BENCH_DN}`, `OU=A,OU=T07,${BENCH_DN}`, `OU=A1,OU=A,OU=T07,${BENCH_DN}`, DEEP_OU];
  for (const dn of [BENCH_DN, SHALLOW_OU, ...deep]) block.set(dn, 0);
  block.set(deep[3], 1);
  const set = (dn, at, gpo, options) => {
    links.get(dn)[at] = { gpo, options };
  };
  const onPath = (dn, min) => {
    const list = links.get(dn);
    while (list.length < min) list.push({ gpo: pool.length > 0 ? pool.pop() : rng.pick(used), options: 0 });
    for (const l of list) l.options = 0;
    return list;
  };
  links.get(DOMAIN_DN)[1].options = 2;
  const bench = onPath(BENCH_DN, 5);
  bench[0].options = 2;
  bench[2].options = 3;
  // A1 blocks inheritance, so what is to be seen above it (a GPO without a folder, a filtered one) is linked enforced.
  onPath(deep[1], 5);
  set(deep[1], 1, special.missingFolder, 2);
  onPath(deep[2], 5)[4].options = 2;
  set(deep[2], 2, special.filtered, 2);
  onPath(deep[3], 5);
  set(deep[3], 0, special.emptyVersion, 0);
  set(deep[3], 2, special.computerOff, 0);
  set(deep[3], 3, special.userOff, 0);
  set(deep[3], 4, special.userSide2, 0);
  const leaf = onPath(DEEP_OU, 6);
  leaf[1].options = 1;
  // Linked enforced on OU=Bench too: applied once, at the enforced link's place.
  set(DEEP_OU, 2, bench[0].gpo, 0);
  set(DEEP_OU, 3, special.userSide, 0);
  set(DEEP_OU, 5, special.bothOff, 0);
  for (const [dn, list] of links) {
    if (new Set(list.map((l) => l.gpo)).size !== list.length) throw new Error(`the plan links one GPO twice at ${dn}`);
  }
  return { links, block };
}

const gpcDn = (id) => `CN=${id},${POLICIES_DN}`;
const gpLinkValue = (list, specs) => list.map((l) => `[LDAP://${gpcDn(specs[l.gpo].id)};${l.options}]`).join('');
const groupName = (g) => `GPO Filter ${String(g + 1).padStart(2, '0')}`;

function ousLdif() {
  const ous = ouTree();
  const specs = gpoSpecs();
  const { links, block } = linkPlan(ous, specs);
  const out = [];
  for (const ou of ous) {
    out.push(`dn: ${ou.dn}`, 'objectClass: organizationalUnit', `ou: ${/^OU=([^,]+)/.exec(ou.dn)[1]}`);
    const list = links.get(ou.dn);
    if (list.length > 0) out.push(`gPLink: ${gpLinkValue(list, specs)}`);
    if (block.get(ou.dn) !== undefined) out.push(`gPOptions: ${block.get(ou.dn)}`);
    out.push('');
  }
  for (let g = 0; g < GROUPS; g++) {
    out.push(`dn: CN=${groupName(g)},CN=Users,${DOMAIN_DN}`, 'objectClass: group', `sAMAccountName: ${groupName(g)}`, '');
  }
  return out.join('\n');
}

/** sAMAccountName → objectSid from ldbsearch's LDIF (one attribute per line; ldbsearch does not wrap these). */
function readSids(ldif) {
  const sids = new Map();
  for (const record of ldif.split(/\n(?=# record|dn: )/)) {
    const name = /^sAMAccountName: (.+)$/m.exec(record)?.[1]?.trim();
    const sid = /^objectSid: (S-1-[0-9-]+)$/m.exec(record)?.[1];
    if (name && sid) sids.set(name, sid);
  }
  return sids;
}

function gposLdif(specs, sids) {
  const out = [];
  for (const s of specs) {
    out.push(`dn: ${gpcDn(s.id)}`, 'objectClass: groupPolicyContainer', `displayName: ${s.name}`);
    out.push(`gPCFileSysPath: \\\\${REALM}\\sysvol\\${REALM}\\Policies\\${s.id}`, `versionNumber: ${s.versionNumber}`);
    out.push('gPCFunctionalityVersion: 2', `flags: ${s.flags}`);
    if (s.version.computer > 0) out.push(`gPCMachineExtensionNames: ${MACHINE_CSES}`);
    if (s.version.user > 0) out.push(`gPCUserExtensionNames: ${USER_CSES}`);
    if (s.filterGroup !== undefined) {
      const sid = sids.get(groupName(s.filterGroup));
      if (!sid) throw new Error(`no objectSid for ${groupName(s.filterGroup)} in the SIDs file`);
      out.push(`nTSecurityDescriptor: O:DAG:DA${FILTERED_SDDL(sid)}`);
    }
    out.push('');
    // samba-tool gpo create adds these two children; GPMC does too.
    for (const child of ['User', 'Machine']) out.push(`dn: CN=${child},${gpcDn(s.id)}`, 'objectClass: container', '');
  }
  return out.join('\n');
}

function domainLdif(specs, links) {
  const bench = gpLinkValue(links.get(DOMAIN_DN), specs);
  return [
    `dn: ${DOMAIN_DN}`,
    'changetype: modify',
    'replace: gPLink',
    `gPLink: ${bench}[LDAP://${gpcDn(DEFAULT_DOMAIN_POLICY)};0]`,
    '',
  ].join('\n');
}

/** 20-50 values: 2-5 the rules read, the rest from a shared pool, so GPOs on one path override each other. */
function registryEntries(rng, relevant, count, root) {
  const entries = [];
  const taken = new Set();
  const add = (key, valueName, type, data) => {
    const k = `${key}\\${valueName}`.toLowerCase();
    if (taken.has(k)) return;
    taken.add(k);
    entries.push({ key, valueName, type, data });
  };
  for (let n = rng.int(2, Math.min(5, relevant.length)); n > 0; n--) {
    const [key, name, type, data] = rng.pick(relevant);
    add(key, name, type, data(rng));
  }
  while (entries.length < count) {
    const area = rng.int(1, 30);
    const value = rng.int(1, 20);
    const key = `Software\\Policies\\${root}\\Area${String(area).padStart(2, '0')}`;
    if (rng.chance(0.8)) add(key, `Setting${value}`, REG_DWORD, rng.chance(0.7) ? rng.int(0, 1) : rng.int(2, 86400));
    else add(key, `Text${value}`, REG_SZ, `value ${rng.int(1, 999)} for area ${area}`);
  }
  return entries;
}

function writeSysvol(specs, sysvol, writeRegistryPol) {
  let files = 0;
  let bytes = 0;
  const write = (path, data) => {
    writeFileSync(path, data);
    files++;
    bytes += data.length;
  };
  for (const s of specs) {
    if (!s.sysvol) continue;
    const rng = createRng(`${SEED}/sysvol/${s.index}`);
    const dir = join(sysvol, s.id);
    mkdirSync(join(dir, 'Machine'), { recursive: true });
    mkdirSync(join(dir, 'User'), { recursive: true });
    write(join(dir, 'GPT.INI'), Buffer.from(`[General]${CRLF}Version=${s.versionNumber}${CRLF}displayName=New Group Policy Object${CRLF}`, 'latin1'));
    if (s.version.computer > 0) write(join(dir, 'Machine', 'Registry.pol'), writeRegistryPol(registryEntries(rng, RELEVANT_MACHINE, rng.int(20, 50), 'Bench')));
    if (s.version.user > 0) write(join(dir, 'User', 'Registry.pol'), writeRegistryPol(registryEntries(rng, RELEVANT_USER, rng.int(5, 15), 'BenchUser')));
  }
  return { files, bytes };
}

async function main([step, outDir, sidsFile, sysvol, manifestPath]) {
  if (step === 'ous' && outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'ous.ldif'), ousLdif());
    return;
  }
  if (step !== 'gpos' || !outDir || !sidsFile || !sysvol || !manifestPath) {
    throw new Error('usage: policy-estate.mjs ous OUT_DIR | gpos OUT_DIR SIDS_LDIF SYSVOL MANIFEST');
  }
  const ous = ouTree();
  const specs = gpoSpecs();
  const { links } = linkPlan(ous, specs);
  const sids = readSids(readFileSync(sidsFile, 'utf8'));
  writeFileSync(join(outDir, 'gpos.ldif'), gposLdif(specs, sids));
  writeFileSync(join(outDir, 'domain.ldif'), domainLdif(specs, links));
  const { writeRegistryPol } = await importTs(join(ROOT, 'test', 'helpers', 'pol-writer.ts'));
  const written = writeSysvol(specs, sysvol, writeRegistryPol);
  const linked = new Set([...links.values()].flat().map((l) => l.gpo));
  const manifest = {
    seed: SEED,
    gpos: GPOS,
    ous: ous.length,
    links: [...links.values()].reduce((n, l) => n + l.length, 0),
    unlinkedGpos: GPOS - linked.size,
    filterGroups: GROUPS,
    deepOu: DEEP_OU,
    shallowOu: SHALLOW_OU,
    sysvolFolders: specs.filter((s) => s.sysvol).length,
    sysvolFiles: written.files,
    sysvolBytes: written.bytes,
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

await main(process.argv.slice(2));
