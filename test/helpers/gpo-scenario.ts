// The effective-policy scenario on the test DC (issue 9): GPOs made with samba-tool as an administrator would, linked at
// the domain head and at OUs under OU=EP, with flags, versions, security filtering and Registry.pol settings written
// into their SYSVOL folders; and, per target OU, the outcome worked out BY HAND from [MS-GPOL] 3.2.5.1 and the set-up
// below (docs/effective-policy.md states the same rules). Nothing here is read off gpaudit's output.
//
// Used by test/ldap/effective-policy.test.ts (live directory) and test/ldap/effective-policy-exports.test.ts (LDIF
// export + SYSVOL copy). Every object is named EP-... or lives under OU=EP, and removeScenario() takes it all away
// again: the DC is shared by every file of one vitest run.
//
// How each piece is made on Samba 4.17 (all checked on the test DC):
// - OUs: `samba-tool ou add`; GPOs: `samba-tool gpo create` (GPT.INI Version=0, versionNumber 0, Machine/ and User/).
// - Links: `samba-tool gpo setlink <DN> <GUID> [--enforce] [--disable]`; each new link goes to the FRONT of gPLink,
//   so the first GPO linked at a container ends up last in gPLink: link order 1, applied last there, the winner.
// - Block inheritance: `samba-tool gpo setinheritance <DN> block` (gPOptions: 1).
// - flags, versionNumber, gPC*ExtensionNames: ldapmodify as Administrator.
// - Security filtering: samba-tool 4.17 has no command that removes an ACE (`dsacl set` only adds), and Samba refuses
//   an SDDL string in an LDAP modify of nTSecurityDescriptor ("operations error at descriptor.c"). So: the SDDL from
//   `samba-tool dsacl get`, with Authenticated Users' Apply Group Policy ACE swapped for Read + Apply Group Policy of
//   the group EP-Pilot (Authenticated Users keep Read, as Microsoft advises since MS16-072), turned into the binary
//   descriptor by python3-samba (`descriptor.from_sddl` + `ndr_pack`) and written with `ldapmodify`
//   (`nTSecurityDescriptor:: <base64>`). `samba-tool dsacl get` shows it took.
// - Files: written as root into the DC's sysvol (the [sysvol] path of the DC's smb.conf), then
//   `samba-tool ntacl sysvolreset` gives them the NT ACLs SMB clients need. GPT.INI `Version=` is kept equal to the
//   directory's versionNumber except where a mismatch is the point.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SambaDc } from './samba.js';
import { writeRegistryPol, type PolEntry } from './pol-writer.js';

const run = promisify(execFile);

export const DOMAIN_DN = 'DC=example,DC=test';
export const EP = `OU=EP,${DOMAIN_DN}`;
export const OU = {
  ep: EP,
  order: `OU=Order,${EP}`,
  enforce: `OU=Enforce,${EP}`,
  blocked: `OU=Blocked,${EP}`,
  misc: `OU=Misc,${EP}`,
  loopback: `OU=Loopback,${EP}`,
  users: `OU=Users,${EP}`,
} as const;
/** An OU that is never made. */
export const MISSING_OU = `OU=Nowhere,${EP}`;
export const PILOT_GROUP = 'EP-Pilot';
export const PILOT_DN = `CN=${PILOT_GROUP},${EP}`;

export const DEFAULT_DOMAIN_POLICY = '{31B2F340-016D-11D2-945F-00C04FB984F9}';
// The Default Domain Controllers Policy is {6AC1786C-016F-...}: "016F", not "016D" like the Default Domain Policy.
export const DEFAULT_DC_POLICY = '{6AC1786C-016F-11D2-945F-00C04FB984F9}';
/** A {GUID} folder in SYSVOL that no groupPolicyContainer names: an orphan. */
export const ORPHAN_ID = '{E9E9E9E9-0000-4000-8000-00000000E9E9}';

/** The Apply Group Policy extended right as the DC's own ACLs write it (docs/effective-policy.md on the GUID). */
export const APPLY_GROUP_POLICY = 'edacfd8f-ffb3-11d1-b41d-00a0c968f939';
const REGISTRY_CSE = '{35378EAC-683F-11D2-A89A-00C04FBBCFA2}';
const MACHINE_TOOL = '{D02B1F72-3407-48AE-BA88-E8213C6761F1}';
const USER_TOOL = '{D02B1F73-3407-48AE-BA88-E8213C6761F1}';

// Registry keys the WorkSpaces rules read (rules.yaml), and the loopback policy's.
export const KEY = {
  system: 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System',
  installer: 'Software\\Policies\\Microsoft\\Windows\\Installer',
  windowsSystem: 'Software\\Policies\\Microsoft\\Windows\\System',
  explorer: 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer',
  removable: 'Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices',
} as const;

const REG_SZ = 1;
const REG_DWORD = 4;
const dword = (key: string, valueName: string, data: number): PolEntry => ({ key, valueName, type: REG_DWORD, data });
const sz = (key: string, valueName: string, data: string): PolEntry => ({ key, valueName, type: REG_SZ, data });

export type GpoName =
  | 'EP-DomainPlain'
  | 'EP-DomainEnforced'
  | 'EP-Parent'
  | 'EP-Order-A'
  | 'EP-Order-B'
  | 'EP-Enforce-Low'
  | 'EP-Enforce-Plain'
  | 'EP-Blocked-Local'
  | 'EP-Disabled-Link'
  | 'EP-Flags1'
  | 'EP-Flags2'
  | 'EP-Flags3'
  | 'EP-Filtered'
  | 'EP-Version0'
  | 'EP-Mismatch'
  | 'EP-NoSysvol'
  | 'EP-Loopback'
  | 'EP-UserOU'
  | 'EP-Unlinked';
export type KnownGpo = GpoName | 'Default Domain Policy' | 'Default Domain Controllers Policy';

export interface ScenarioGpo {
  name: GpoName;
  /** GPO flags: 1 user half disabled, 2 computer half disabled, 3 both. */
  flags: number;
  /** versionNumber in the directory, by side (stored as user << 16 | computer). */
  version: { user: number; computer: number };
  /** GPT.INI Version= when it differs from the directory's (a half-made edit). */
  gptVersion?: { user: number; computer: number };
  machine?: PolEntry[];
  user?: PolEntry[];
  /** Apply Group Policy only for the group EP-Pilot. */
  filtered?: true;
  /** Its SYSVOL folder is deleted after creation. */
  noSysvol?: true;
  /** Why it is in the scenario. */
  why: string;
}

/** The GPOs, in the order they are created. */
export const GPOS: readonly ScenarioGpo[] = [
  {
    name: 'EP-DomainPlain',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [dword(KEY.installer, 'DisableMSI', 1), dword(KEY.system, 'DontDisplayLastUserName', 1)],
    why: 'non-enforced at the domain head: loses to every OU GPO, blocked by OU=Blocked',
  },
  {
    name: 'EP-DomainEnforced',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [sz(KEY.system, 'LegalNoticeCaption', 'EP domain banner')],
    why: 'enforced at the domain head: beats every OU GPO, enforced or not, and passes block inheritance',
  },
  {
    name: 'EP-Parent',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [dword(KEY.system, 'HideFastUserSwitching', 1)],
    why: 'at OU=EP, the parent of every target: blocked by OU=Blocked, overridden by OU=Enforce',
  },
  {
    name: 'EP-Order-A',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [dword(KEY.installer, 'DisableMSI', 0), dword(KEY.system, 'DisableCAD', 1)],
    why: 'linked first at OU=Order: link order 1, wins over EP-Order-B',
  },
  {
    name: 'EP-Order-B',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [dword(KEY.installer, 'DisableMSI', 2), dword(KEY.system, 'DisableCAD', 0)],
    why: 'linked second at OU=Order: link order 2, its values lose to EP-Order-A',
  },
  {
    name: 'EP-Enforce-Low',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [sz(KEY.system, 'LegalNoticeCaption', 'EP low enforced'), dword(KEY.system, 'DontDisplayLockedUserId', 3)],
    why: 'enforced at OU=Enforce: beats the OU GPOs but loses to the enforced link higher up (Microsoft; Samba differs)',
  },
  {
    name: 'EP-Enforce-Plain',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [sz(KEY.system, 'LegalNoticeCaption', ''), dword(KEY.system, 'HideFastUserSwitching', 0)],
    why: 'non-enforced at OU=Enforce: tries to clear the banner (loses), overrides EP-Parent',
  },
  {
    name: 'EP-Blocked-Local',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [sz(KEY.system, 'LegalNoticeCaption', ''), dword(KEY.installer, 'DisableMSI', 0)],
    why: 'the blocking OU\'s own GPO: applies, but its empty caption loses to the enforced domain GPO',
  },
  {
    name: 'EP-Disabled-Link',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [dword(KEY.installer, 'DisableMSI', 2)],
    why: 'its only link (OU=Misc) is disabled',
  },
  {
    name: 'EP-Flags1',
    flags: 1,
    version: { user: 1, computer: 1 },
    machine: [dword(KEY.system, 'DisableCAD', 1)],
    user: [dword(KEY.explorer, 'NoViewOnDrive', 4)],
    why: 'flags 1: the computer half applies, the user half does not',
  },
  {
    name: 'EP-Flags2',
    flags: 2,
    version: { user: 1, computer: 1 },
    machine: [dword(KEY.system, 'DontDisplayLockedUserId', 0)],
    user: [dword(KEY.removable, 'Deny_All', 1)],
    why: 'flags 2: the user half applies, the computer half does not',
  },
  {
    name: 'EP-Flags3',
    flags: 3,
    version: { user: 1, computer: 1 },
    machine: [sz(KEY.system, 'LegalNoticeText', 'EP flags3 banner')],
    user: [dword(KEY.explorer, 'NoViewOnDrive', 8)],
    why: 'flags 3: neither half applies',
  },
  {
    name: 'EP-Filtered',
    flags: 0,
    version: { user: 1, computer: 1 },
    machine: [sz(KEY.system, 'LegalNoticeText', 'EP filtered banner')],
    user: [dword(KEY.explorer, 'NoViewOnDrive', 12)],
    filtered: true,
    why: 'security filtering: Apply Group Policy for EP-Pilot only, so neither half applies to the OU as such',
  },
  {
    name: 'EP-Version0',
    flags: 0,
    version: { user: 0, computer: 0 },
    machine: [dword(KEY.system, 'DontDisplayLockedUserId', 2)],
    user: [dword(KEY.explorer, 'NoViewOnDrive', 4)],
    why: 'version 0 on both sides (directory and GPT.INI) although files are there: empty, the files are not used',
  },
  {
    name: 'EP-Mismatch',
    flags: 0,
    version: { user: 0, computer: 2 },
    gptVersion: { user: 0, computer: 1 },
    machine: [dword(KEY.system, 'DontDisplayLastUserName', 0)],
    why: 'versionNumber 2 in the directory, GPT.INI Version=1: still applied, and gpo-version-mismatch',
  },
  {
    name: 'EP-NoSysvol',
    flags: 0,
    version: { user: 1, computer: 1 },
    noSysvol: true,
    why: 'its SYSVOL folder is deleted: sysvol-missing on both sides, and gpo-sysvol-missing',
  },
  {
    name: 'EP-Loopback',
    flags: 0,
    version: { user: 1, computer: 1 },
    machine: [dword(KEY.windowsSystem, 'UserPolicyMode', 2)],
    user: [dword(KEY.explorer, 'NoViewOnDrive', 4)],
    why: 'loopback replace at OU=Loopback: the user side there is this OU\'s GPOs\' user halves only',
  },
  {
    name: 'EP-UserOU',
    flags: 0,
    version: { user: 1, computer: 0 },
    user: [dword(KEY.removable, 'Deny_All', 1), dword(KEY.explorer, 'NoViewOnDrive', 0)],
    why: 'the users\' own OU: reaches users through --user-ou, but not on the loopback-replace computers',
  },
  {
    name: 'EP-Unlinked',
    flags: 0,
    version: { user: 0, computer: 1 },
    machine: [dword(KEY.installer, 'DisableMSI', 2)],
    why: 'linked nowhere: not-linked for every OU',
  },
];

export interface LinkSpec {
  gpo: GpoName;
  enforce?: true;
  disable?: true;
}

/**
 * The links, per container, in the order `samba-tool gpo setlink` makes them. Each new link goes to the front of
 * gPLink, so the FIRST one here is the LAST gPLink entry: link order 1. The domain head also keeps the Default Domain
 * Policy's link, made at provision and so behind all of ours (link order 1 there).
 */
export const LINKS: readonly { at: string; links: LinkSpec[]; block?: true }[] = [
  { at: DOMAIN_DN, links: [{ gpo: 'EP-DomainPlain' }, { gpo: 'EP-DomainEnforced', enforce: true }] },
  { at: OU.ep, links: [{ gpo: 'EP-Parent' }] },
  { at: OU.order, links: [{ gpo: 'EP-Order-A' }, { gpo: 'EP-Order-B' }] },
  { at: OU.enforce, links: [{ gpo: 'EP-Enforce-Low', enforce: true }, { gpo: 'EP-Enforce-Plain' }] },
  { at: OU.blocked, links: [{ gpo: 'EP-Blocked-Local' }], block: true },
  {
    at: OU.misc,
    links: [
      { gpo: 'EP-Disabled-Link', disable: true },
      { gpo: 'EP-Flags1' },
      { gpo: 'EP-Flags2' },
      { gpo: 'EP-Flags3' },
      { gpo: 'EP-Filtered' },
      { gpo: 'EP-Version0' },
      { gpo: 'EP-Mismatch' },
      { gpo: 'EP-NoSysvol' },
    ],
  },
  { at: OU.loopback, links: [{ gpo: 'EP-Loopback' }] },
  { at: OU.users, links: [{ gpo: 'EP-UserOU' }] },
];

// ---------------------------------------------------------------------------------------------------------------------
// The expected outcome per target, written by hand.
//
// [MS-GPOL] 3.2.5.1.5 "GPO Search" builds the list per SOM: a disabled link is never added (link-disabled); below a
// container with gPOptions 1 only enforced links from above are added (blocked). 3.2.5.1.6 "GPO Filter Evaluation"
// then denies, per side, a GPO whose flags disable that side, that the target's token may not Apply (security
// filtering), and a side whose version is 0 is empty (docs/effective-policy.md rule 7); a GPO whose GPT cannot be read
// does not apply (sysvol-missing). Link-level reasons come first because a GPO dropped there never reaches filtering.
// Precedence: non-enforced links are applied domain first, then OUs top-down, within one container from the highest
// link order to 1; then the enforced links from the target's own OU up to the domain (Microsoft: the higher enforced
// link wins). Applied last = precedence 1 = wins every conflict.
//
// Link orders (from LINKS): domain head EP-DomainEnforced 3, EP-DomainPlain 2, Default Domain Policy 1; OU=EP
// EP-Parent 1; OU=Order EP-Order-A 1, EP-Order-B 2; OU=Enforce EP-Enforce-Low 1, EP-Enforce-Plain 2; OU=Blocked
// EP-Blocked-Local 1; OU=Misc EP-Disabled-Link 1, EP-Flags1 2, EP-Flags2 3, EP-Flags3 4, EP-Filtered 5,
// EP-Version0 6, EP-Mismatch 7, EP-NoSysvol 8; OU=Loopback EP-Loopback 1; OU=Users EP-UserOU 1.
// The Default Domain Policy has versionNumber 0 on the test DC (and GPT.INI Version=0): empty wherever it reaches.
// ---------------------------------------------------------------------------------------------------------------------

export type Reason =
  | 'not-linked'
  | 'link-disabled'
  | 'blocked'
  | 'computer-settings-disabled'
  | 'user-settings-disabled'
  | 'security-filtered'
  | 'empty'
  | 'sysvol-missing';

export interface ExpectedApplied {
  name: GpoName;
  precedence: number;
  linkedAt: string;
  enforced: boolean;
  linkOrder: number;
}

export interface ExpectedSide {
  applied: ExpectedApplied[];
  /** Every reason but not-linked; every other known GPO (ours and the two default ones) is `not-linked`. */
  notApplied: Partial<Record<KnownGpo, Reason>>;
}

export interface ExpectedSetting {
  side: 'computer' | 'user';
  key: string;
  valueName: string;
  data: string | number;
  winner: GpoName;
  precedence: number;
  /** The GPOs of worse precedence that set it too, best first, with their precedence. */
  overridden: [GpoName, number][];
}

export interface ExpectedFinding {
  ruleId: string;
  /** The winning GPO; `orphan` = ORPHAN_ID; absent for the "nothing sets it" reminder. */
  gpo?: GpoName | 'orphan';
  /** Absent for GPO-health findings (about a GPO, not a setting it wins) and for the reminder. */
  precedence?: number;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
}

export interface TargetExpectation {
  label: string;
  ou: string;
  userOu?: string;
  loopback?: { mode: 'replace'; gpo: GpoName };
  computer: ExpectedSide;
  user: ExpectedSide;
  settings: ExpectedSetting[];
  findings: ExpectedFinding[];
}

const applied = (name: GpoName, precedence: number, linkedAt: string, linkOrder: number, enforced = false): ExpectedApplied => ({
  name,
  precedence,
  linkedAt,
  enforced,
  linkOrder,
});
const setting = (side: 'computer' | 'user', key: string, valueName: string, data: string | number, winner: GpoName, precedence: number, overridden: [GpoName, number][] = []): ExpectedSetting => ({
  side,
  key,
  valueName,
  data,
  winner,
  precedence,
  overridden,
});

/** In every `audit --ou` run: the domain's GPO health, which needs only the directory and the SYSVOL folder listing. */
const HEALTH: ExpectedFinding[] = [
  { ruleId: 'gpo-sysvol-missing', gpo: 'EP-NoSysvol', severity: 'high' },
  { ruleId: 'gpo-sysvol-missing', gpo: 'orphan', severity: 'high' },
];

// OU=Order: domain non-enforced (DomainPlain lo2, DDP lo1), EP-Parent, then Order-B (lo2) before Order-A (lo1); the
// enforced DomainEnforced last. DDP is empty. Every GPO reaching the OU has user version 0: the user side is empty.
const ORDER_COMPUTER: ExpectedSide = {
  applied: [
    applied('EP-DomainEnforced', 1, DOMAIN_DN, 3, true),
    applied('EP-Order-A', 2, OU.order, 1),
    applied('EP-Order-B', 3, OU.order, 2),
    applied('EP-Parent', 4, OU.ep, 1),
    applied('EP-DomainPlain', 5, DOMAIN_DN, 2),
  ],
  notApplied: { 'Default Domain Policy': 'empty' },
};
const ORDER_SETTINGS: ExpectedSetting[] = [
  setting('computer', KEY.system, 'LegalNoticeCaption', 'EP domain banner', 'EP-DomainEnforced', 1),
  setting('computer', KEY.installer, 'DisableMSI', 0, 'EP-Order-A', 2, [['EP-Order-B', 3], ['EP-DomainPlain', 5]]),
  setting('computer', KEY.system, 'DisableCAD', 1, 'EP-Order-A', 2, [['EP-Order-B', 3]]),
  setting('computer', KEY.system, 'HideFastUserSwitching', 1, 'EP-Parent', 4),
  setting('computer', KEY.system, 'DontDisplayLastUserName', 1, 'EP-DomainPlain', 5),
];
const ORDER_FINDINGS: ExpectedFinding[] = [
  { ruleId: 'workspaces-logon-banner', gpo: 'EP-DomainEnforced', precedence: 1, severity: 'high' },
  // EP-Order-A's DisableCAD=1 beats EP-Order-B's 0; its DisableMSI=0 beats B's 2 and DomainPlain's 1: no MSI finding.
  { ruleId: 'workspaces-ctrl-alt-del-not-required', gpo: 'EP-Order-A', precedence: 2, severity: 'medium' },
  { ruleId: 'workspaces-fast-user-switching-hidden', gpo: 'EP-Parent', precedence: 4, severity: 'high' },
  ...HEALTH,
];
const EMPTY_USER_ORDER: ExpectedSide = {
  applied: [],
  notApplied: {
    'EP-DomainEnforced': 'empty',
    'EP-DomainPlain': 'empty',
    'Default Domain Policy': 'empty',
    'EP-Parent': 'empty',
    'EP-Order-A': 'empty',
    'EP-Order-B': 'empty',
  },
};

export const TARGETS: readonly TargetExpectation[] = [
  {
    label: 'link order within one OU',
    ou: OU.order,
    computer: ORDER_COMPUTER,
    user: EMPTY_USER_ORDER,
    settings: ORDER_SETTINGS,
    findings: ORDER_FINDINGS,
  },
  {
    // Non-enforced: DomainPlain, DDP, Parent, Enforce-Plain; then the enforced links from the OU up: Enforce-Low,
    // DomainEnforced. Between the two enforced links the higher (domain) one wins: Microsoft's rule, not Samba's.
    label: 'enforced at the domain head against OU GPOs, an enforced link lower down included',
    ou: OU.enforce,
    computer: {
      applied: [
        applied('EP-DomainEnforced', 1, DOMAIN_DN, 3, true),
        applied('EP-Enforce-Low', 2, OU.enforce, 1, true),
        applied('EP-Enforce-Plain', 3, OU.enforce, 2),
        applied('EP-Parent', 4, OU.ep, 1),
        applied('EP-DomainPlain', 5, DOMAIN_DN, 2),
      ],
      notApplied: { 'Default Domain Policy': 'empty' },
    },
    user: {
      applied: [],
      notApplied: {
        'EP-DomainEnforced': 'empty',
        'EP-DomainPlain': 'empty',
        'Default Domain Policy': 'empty',
        'EP-Parent': 'empty',
        'EP-Enforce-Low': 'empty',
        'EP-Enforce-Plain': 'empty',
      },
    },
    settings: [
      setting('computer', KEY.system, 'LegalNoticeCaption', 'EP domain banner', 'EP-DomainEnforced', 1, [['EP-Enforce-Low', 2], ['EP-Enforce-Plain', 3]]),
      setting('computer', KEY.system, 'DontDisplayLockedUserId', 3, 'EP-Enforce-Low', 2),
      setting('computer', KEY.system, 'HideFastUserSwitching', 0, 'EP-Enforce-Plain', 3, [['EP-Parent', 4]]),
      setting('computer', KEY.installer, 'DisableMSI', 1, 'EP-DomainPlain', 5),
      setting('computer', KEY.system, 'DontDisplayLastUserName', 1, 'EP-DomainPlain', 5),
    ],
    findings: [
      { ruleId: 'workspaces-logon-banner', gpo: 'EP-DomainEnforced', precedence: 1, severity: 'high' },
      { ruleId: 'workspaces-locked-user-info-hidden', gpo: 'EP-Enforce-Low', precedence: 2, severity: 'medium' },
      { ruleId: 'workspaces-windows-installer-disabled', gpo: 'EP-DomainPlain', precedence: 5, severity: 'medium' },
      ...HEALTH,
    ],
  },
  {
    // gPOptions 1: of the links above only the enforced DomainEnforced gets through; DomainPlain, DDP (its emptiness
    // never gets looked at) and EP-Parent are blocked. Nothing that reaches the OU sets DontDisplayLastUserName.
    label: 'block inheritance, with and without enforcement',
    ou: OU.blocked,
    computer: {
      applied: [applied('EP-DomainEnforced', 1, DOMAIN_DN, 3, true), applied('EP-Blocked-Local', 2, OU.blocked, 1)],
      notApplied: { 'EP-DomainPlain': 'blocked', 'Default Domain Policy': 'blocked', 'EP-Parent': 'blocked' },
    },
    user: {
      applied: [],
      notApplied: {
        'EP-DomainEnforced': 'empty',
        'EP-Blocked-Local': 'empty',
        'EP-DomainPlain': 'blocked',
        'Default Domain Policy': 'blocked',
        'EP-Parent': 'blocked',
      },
    },
    settings: [
      setting('computer', KEY.system, 'LegalNoticeCaption', 'EP domain banner', 'EP-DomainEnforced', 1, [['EP-Blocked-Local', 2]]),
      setting('computer', KEY.installer, 'DisableMSI', 0, 'EP-Blocked-Local', 2),
    ],
    findings: [
      { ruleId: 'workspaces-logon-banner', gpo: 'EP-DomainEnforced', precedence: 1, severity: 'high' },
      // The reminder at the rule's own severity (medium), naming the OU: no GPO reaching it sets the value.
      { ruleId: 'workspaces-last-signed-in-displayed', severity: 'medium' },
      ...HEALTH,
    ],
  },
  {
    // Misc links, applied from link order 8 down: NoSysvol (no folder), Mismatch, Version0 (empty), Filtered
    // (filtered), Flags3 (both halves off), Flags2 (computer half off), Flags1 (user half off), Disabled-Link (skipped).
    label: 'a disabled link, GPO flags 1/2/3, security filtering, version 0, a version mismatch, a GPC without folder',
    ou: OU.misc,
    computer: {
      applied: [
        applied('EP-DomainEnforced', 1, DOMAIN_DN, 3, true),
        applied('EP-Flags1', 2, OU.misc, 2),
        applied('EP-Mismatch', 3, OU.misc, 7),
        applied('EP-Parent', 4, OU.ep, 1),
        applied('EP-DomainPlain', 5, DOMAIN_DN, 2),
      ],
      notApplied: {
        'Default Domain Policy': 'empty',
        'EP-Disabled-Link': 'link-disabled',
        'EP-Flags2': 'computer-settings-disabled',
        'EP-Flags3': 'computer-settings-disabled',
        'EP-Filtered': 'security-filtered',
        'EP-Version0': 'empty',
        'EP-NoSysvol': 'sysvol-missing',
      },
    },
    user: {
      applied: [applied('EP-Flags2', 1, OU.misc, 3)],
      notApplied: {
        'EP-DomainEnforced': 'empty',
        'EP-DomainPlain': 'empty',
        'Default Domain Policy': 'empty',
        'EP-Parent': 'empty',
        'EP-Disabled-Link': 'link-disabled',
        'EP-Flags1': 'user-settings-disabled',
        'EP-Flags3': 'user-settings-disabled',
        'EP-Filtered': 'security-filtered',
        'EP-Version0': 'empty',
        'EP-Mismatch': 'empty',
        'EP-NoSysvol': 'sysvol-missing',
      },
    },
    settings: [
      setting('computer', KEY.system, 'LegalNoticeCaption', 'EP domain banner', 'EP-DomainEnforced', 1),
      setting('computer', KEY.system, 'DisableCAD', 1, 'EP-Flags1', 2),
      setting('computer', KEY.system, 'DontDisplayLastUserName', 0, 'EP-Mismatch', 3, [['EP-DomainPlain', 5]]),
      setting('computer', KEY.system, 'HideFastUserSwitching', 1, 'EP-Parent', 4),
      setting('computer', KEY.installer, 'DisableMSI', 1, 'EP-DomainPlain', 5),
      setting('user', KEY.removable, 'Deny_All', 1, 'EP-Flags2', 1),
    ],
    findings: [
      { ruleId: 'workspaces-logon-banner', gpo: 'EP-DomainEnforced', precedence: 1, severity: 'high' },
      { ruleId: 'workspaces-ctrl-alt-del-not-required', gpo: 'EP-Flags1', precedence: 2, severity: 'medium' },
      { ruleId: 'workspaces-last-signed-in-displayed', gpo: 'EP-Mismatch', precedence: 3, severity: 'medium' },
      { ruleId: 'workspaces-fast-user-switching-hidden', gpo: 'EP-Parent', precedence: 4, severity: 'high' },
      { ruleId: 'workspaces-windows-installer-disabled', gpo: 'EP-DomainPlain', precedence: 5, severity: 'medium' },
      // User side: the precedence is the user side's.
      { ruleId: 'workspaces-removable-storage-denied', gpo: 'EP-Flags2', precedence: 1, severity: 'high' },
      { ruleId: 'gpo-version-mismatch', gpo: 'EP-Mismatch', severity: 'medium' },
      ...HEALTH,
    ],
  },
  {
    // UserPolicyMode 2 (replace) wins on the computer side, so the user side is the user halves of the GPOs reaching
    // OU=Loopback; --user-ou does not count, and EP-UserOU (linked only there) is not on that path.
    label: 'loopback replace: the computer OU\'s user settings, not the users\' OU\'s',
    ou: OU.loopback,
    userOu: OU.users,
    loopback: { mode: 'replace', gpo: 'EP-Loopback' },
    computer: {
      applied: [
        applied('EP-DomainEnforced', 1, DOMAIN_DN, 3, true),
        applied('EP-Loopback', 2, OU.loopback, 1),
        applied('EP-Parent', 3, OU.ep, 1),
        applied('EP-DomainPlain', 4, DOMAIN_DN, 2),
      ],
      notApplied: { 'Default Domain Policy': 'empty' },
    },
    user: {
      applied: [applied('EP-Loopback', 1, OU.loopback, 1)],
      notApplied: {
        'EP-DomainEnforced': 'empty',
        'EP-DomainPlain': 'empty',
        'Default Domain Policy': 'empty',
        'EP-Parent': 'empty',
      },
    },
    settings: [
      setting('computer', KEY.system, 'LegalNoticeCaption', 'EP domain banner', 'EP-DomainEnforced', 1),
      setting('computer', KEY.windowsSystem, 'UserPolicyMode', 2, 'EP-Loopback', 2),
      setting('computer', KEY.system, 'HideFastUserSwitching', 1, 'EP-Parent', 3),
      setting('computer', KEY.installer, 'DisableMSI', 1, 'EP-DomainPlain', 4),
      setting('computer', KEY.system, 'DontDisplayLastUserName', 1, 'EP-DomainPlain', 4),
      setting('user', KEY.explorer, 'NoViewOnDrive', 4, 'EP-Loopback', 1),
    ],
    findings: [
      { ruleId: 'workspaces-logon-banner', gpo: 'EP-DomainEnforced', precedence: 1, severity: 'high' },
      { ruleId: 'workspaces-fast-user-switching-hidden', gpo: 'EP-Parent', precedence: 3, severity: 'high' },
      { ruleId: 'workspaces-windows-installer-disabled', gpo: 'EP-DomainPlain', precedence: 4, severity: 'medium' },
      // EP-Loopback's NoViewOnDrive=4 hides drive C; EP-UserOU's Deny_All=1 never reaches these users.
      { ruleId: 'workspaces-drive-access-restricted', gpo: 'EP-Loopback', precedence: 1, severity: 'high' },
      ...HEALTH,
    ],
  },
  {
    // No loopback at OU=Order: the user side is that of --user-ou (domain, OU=EP, OU=Users).
    label: 'without loopback the user side is the users\' own OU (--user-ou)',
    ou: OU.order,
    userOu: OU.users,
    computer: ORDER_COMPUTER,
    user: {
      applied: [applied('EP-UserOU', 1, OU.users, 1)],
      notApplied: {
        'EP-DomainEnforced': 'empty',
        'EP-DomainPlain': 'empty',
        'Default Domain Policy': 'empty',
        'EP-Parent': 'empty',
      },
    },
    settings: [
      ...ORDER_SETTINGS,
      setting('user', KEY.removable, 'Deny_All', 1, 'EP-UserOU', 1),
      setting('user', KEY.explorer, 'NoViewOnDrive', 0, 'EP-UserOU', 1),
    ],
    findings: [...ORDER_FINDINGS, { ruleId: 'workspaces-removable-storage-denied', gpo: 'EP-UserOU', precedence: 1, severity: 'high' }],
  },
];

/** Every GPO the expectations talk about: ours and the two the DC is provisioned with. */
export const KNOWN_GPOS: readonly KnownGpo[] = [...GPOS.map((g) => g.name), 'Default Domain Policy', 'Default Domain Controllers Policy'];

/** A side's not-applied reasons in full: the ones written above, `not-linked` for every other known GPO not applied. */
export function expectedNotApplied(side: ExpectedSide): Record<string, Reason> {
  const out: Record<string, Reason> = {};
  const appliedNames = new Set<string>(side.applied.map((a) => a.name));
  for (const name of KNOWN_GPOS) {
    if (appliedNames.has(name)) continue;
    out[name] = side.notApplied[name] ?? 'not-linked';
  }
  return out;
}

/** A finding as `audit --format json` writes it (the members the comparisons use). */
export interface FindingDoc {
  ruleId: string;
  severity: string;
  message: string;
  gpo?: { id: string; name?: string };
  precedence?: number;
  ou?: string;
  notConfigured?: true;
}

type FindingRow = (string | number | undefined)[];
const byJson = (a: FindingRow, b: FindingRow) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/**
 * Findings as [rule, GPO name (or `orphan`), precedence, severity], sorted. GPO-health findings are about a GPO, not a
 * setting it wins: their precedence is left out of the comparison, and so are those about GPOs the scenario does not
 * know (another test file's).
 */
export function findingRows(findings: FindingDoc[], s: { names: Map<string, KnownGpo> }): FindingRow[] {
  const label = (id: string) => (id.toUpperCase() === ORPHAN_ID ? 'orphan' : (s.names.get(id.toUpperCase()) ?? `foreign ${id}`));
  return findings
    .filter((f) => !f.ruleId.startsWith('gpo-') || (f.gpo !== undefined && !label(f.gpo.id).startsWith('foreign ')))
    .map((f) => [f.ruleId, f.gpo ? label(f.gpo.id) : undefined, f.ruleId.startsWith('gpo-') ? undefined : f.precedence, f.severity])
    .sort(byJson);
}

export function expectedFindingRows(findings: ExpectedFinding[]): FindingRow[] {
  return findings.map((f): FindingRow => [f.ruleId, f.gpo, f.precedence, f.severity]).sort(byJson);
}

// ---------------------------------------------------------------------------------------------------------------------
// Building and removing it
// ---------------------------------------------------------------------------------------------------------------------

export interface Scenario {
  /** {GUID} (upper case) by GPO name, the two default GPOs included. */
  ids: Record<KnownGpo, string>;
  /** Name by {GUID}. */
  names: Map<string, KnownGpo>;
  /** The DC's own Policies folder (on its disk). */
  policiesDir: string;
  pilotSid: string;
  domainSid: string;
}

export const gpoDn = (id: string): string => `CN=${id},CN=Policies,CN=System,${DOMAIN_DN}`;
export const packVersion = (v: { user: number; computer: number }): number => v.user * 65536 + v.computer;

function fail(what: string, error: unknown): never {
  const e = error as { stderr?: string; stdout?: string; message?: string };
  throw new Error(`${what} failed: ${(e.stderr || e.stdout || e.message || String(error)).trim()}`);
}

export async function sambaTool(dc: SambaDc, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('samba-tool', [...args, '-H', 'ldap://127.0.0.1', '-U', `Administrator%${dc.password}`], { timeout: 120_000 });
    return stdout;
  } catch (error) {
    return fail(`samba-tool ${args.join(' ')}`, error);
  }
}

/** Runs a command with `input` on stdin. */
export function runWithInput(command: string, args: string[], input: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(Object.assign(new Error(`${command} exited with ${code}: ${stderr.trim() || stdout.trim()}`), { stdout, stderr }));
    });
    child.stdin.end(input);
  });
}

/** ldapmodify as Administrator, over ldap:// (the DC allows simple binds there). */
export async function ldapModify(dc: SambaDc, ldif: string): Promise<void> {
  try {
    await runWithInput('ldapmodify', ['-x', '-H', 'ldap://127.0.0.1', '-D', dc.adminUpn, '-w', dc.password], ldif);
  } catch (error) {
    fail(`ldapmodify of\n${ldif}`, error);
  }
}

/** ldapsearch as Administrator, LDIF unwrapped; extra arguments go before the filter. */
export async function ldapSearch(dc: SambaDc, base: string, scope: 'base' | 'one' | 'sub', filter: string, attributes: string[], extra: string[] = []): Promise<string> {
  try {
    const { stdout } = await run(
      'ldapsearch',
      ['-LLL', '-o', 'ldif-wrap=no', '-x', '-H', 'ldap://127.0.0.1', '-D', dc.adminUpn, '-w', dc.password, ...extra, '-b', base, '-s', scope, filter, ...attributes],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } catch (error) {
    return fail(`ldapsearch -b ${base} ${filter}`, error);
  }
}

/** The values of one attribute in one entry of unwrapped LDIF (text values only). */
export function ldifValues(ldif: string, attribute: string): string[] {
  const prefix = `${attribute.toLowerCase()}: `;
  return ldif
    .split('\n')
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** The [sysvol] share's path in the DC's smb.conf, and its Policies folder. */
export function dcPoliciesDir(dc: SambaDc): string {
  const conf = readFileSync(dc.smbConf, 'utf8');
  const section = /^\[sysvol\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/im.exec(conf)?.[1] ?? '';
  const path = /^\s*path\s*=\s*(.+?)\s*$/im.exec(section)?.[1];
  if (!path) throw new Error(`no [sysvol] path in ${dc.smbConf}`);
  return join(path, 'example.test', 'Policies');
}

/** `[General] Version=` as the GPMC writes it (CRLF). */
export const gptIni = (version: number): string => `[General]\r\nVersion=${version}\r\n`;

async function existingGpos(dc: SambaDc): Promise<{ id: string; name: string }[]> {
  const out = await ldapSearch(dc, `CN=Policies,CN=System,${DOMAIN_DN}`, 'one', '(objectClass=groupPolicyContainer)', ['cn', 'displayName']);
  return out
    .split('\n\n')
    .map((entry) => ({ id: ldifValues(entry, 'cn')[0]?.toUpperCase() ?? '', name: ldifValues(entry, 'displayName')[0] ?? '' }))
    .filter((g) => g.id !== '');
}

/** Takes away everything the scenario makes (also a half-made one); never fails. */
export async function removeScenario(dc: SambaDc): Promise<void> {
  const quiet = async (p: Promise<unknown>) => {
    await p.catch(() => undefined);
  };
  const mine = async () => (await existingGpos(dc).catch(() => [])).filter((g) => g.name.startsWith('EP-'));
  const ours = await mine();
  // `gpo del` removes the GPO's links everywhere (the domain head's included), the container, then the folder; it
  // reports an error when the folder is already gone, after the rest is done.
  for (const g of ours) await quiet(sambaTool(dc, 'gpo', 'del', g.id));
  for (const g of await mine()) {
    await quiet(runWithInput('ldapdelete', ['-x', '-r', '-H', 'ldap://127.0.0.1', '-D', dc.adminUpn, '-w', dc.password], `${gpoDn(g.id)}\n`));
  }
  await quiet(sambaTool(dc, 'ou', 'delete', EP, '--force-subtree-delete'));
  const policies = dcPoliciesDir(dc);
  for (const id of [ORPHAN_ID, ...ours.map((g) => g.id)]) await rm(join(policies, id), { recursive: true, force: true });
}

const AU_APPLY = `(OA;CI;CR;${APPLY_GROUP_POLICY};;AU)`;

/** Security filtering to EP-Pilot: see the header. Returns the SDDL written. */
async function filterToPilot(dc: SambaDc, id: string, pilotSid: string, domainSid: string): Promise<string> {
  const dn = gpoDn(id);
  const shown = await sambaTool(dc, 'dsacl', 'get', `--objectdn=${dn}`);
  const sddl = shown.trim().split('\n').pop()!.trim();
  if (!sddl.startsWith('O:') || !sddl.includes(AU_APPLY)) throw new Error(`unexpected ACL on ${dn}: ${sddl}`);
  const next = sddl.replace(AU_APPLY, `(A;CI;RPLCLORC;;;${pilotSid})(OA;CI;CR;${APPLY_GROUP_POLICY};;${pilotSid})`);
  const script =
    'import sys,base64\nfrom samba.dcerpc import security\nfrom samba.ndr import ndr_pack\n' +
    'print(base64.b64encode(ndr_pack(security.descriptor.from_sddl(sys.argv[1], security.dom_sid(sys.argv[2])))).decode())';
  let b64: string;
  try {
    b64 = (await run('/usr/bin/python3', ['-c', script, next, domainSid], { timeout: 60_000 })).stdout.trim();
  } catch (error) {
    return fail('python3-samba (SDDL to binary security descriptor)', error);
  }
  await ldapModify(dc, `dn: ${dn}\nchangetype: modify\nreplace: nTSecurityDescriptor\nnTSecurityDescriptor:: ${b64}\n`);
  return next;
}

/**
 * Builds the scenario on the running DC: removes any leftover first, checks the domain head carries only the
 * Default Domain Policy's link (else the expectations would not hold), then OUs, group, GPOs, links, attributes,
 * ACL, files. About 15–25 s (samba-tool starts Python for every call).
 */
export async function buildScenario(dc: SambaDc): Promise<Scenario> {
  await removeScenario(dc);
  const head = ldifValues(await ldapSearch(dc, DOMAIN_DN, 'base', '(objectClass=*)', ['gPLink', 'gPOptions']), 'gPLink').join('');
  const expectedHead = `[LDAP://CN=${DEFAULT_DOMAIN_POLICY},CN=Policies,CN=System,${DOMAIN_DN};0]`;
  if (head.toUpperCase() !== expectedHead.toUpperCase()) {
    throw new Error(`the domain head carries links the scenario does not expect (left by another test file?): gPLink ${head}`);
  }
  const policies = dcPoliciesDir(dc);

  for (const ou of [OU.ep, OU.order, OU.enforce, OU.blocked, OU.misc, OU.loopback, OU.users]) await sambaTool(dc, 'ou', 'add', ou);
  await sambaTool(dc, 'group', 'add', PILOT_GROUP, '--groupou=OU=EP');
  const pilotSid = /^objectSid: (S-1-5-21-[\d-]+)$/m.exec(await sambaTool(dc, 'group', 'show', PILOT_GROUP, '--attributes=objectSid'))?.[1];
  if (!pilotSid) throw new Error('samba-tool group show printed no objectSid for EP-Pilot');
  const domainSid = pilotSid.replace(/-\d+$/, '');

  const ids = { 'Default Domain Policy': DEFAULT_DOMAIN_POLICY, 'Default Domain Controllers Policy': DEFAULT_DC_POLICY } as Record<KnownGpo, string>;
  for (const gpo of GPOS) {
    const out = await sambaTool(dc, 'gpo', 'create', gpo.name);
    const id = /created as (\{[0-9A-Fa-f-]{36}\})/.exec(out)?.[1];
    if (!id) throw new Error(`samba-tool gpo create ${gpo.name} printed no GUID: ${out}`);
    ids[gpo.name] = id.toUpperCase();
  }

  for (const container of LINKS) {
    for (const link of container.links) {
      await sambaTool(dc, 'gpo', 'setlink', container.at, ids[link.gpo], ...(link.enforce ? ['--enforce'] : []), ...(link.disable ? ['--disable'] : []));
    }
    if (container.block) await sambaTool(dc, 'gpo', 'setinheritance', container.at, 'block');
  }

  // flags, versionNumber and the extension lists, as the GPO editor would leave them after editing each side.
  const ext = (tool: string) => `[${REGISTRY_CSE}${tool}]`;
  for (const gpo of GPOS) {
    const lines = [`dn: ${gpoDn(ids[gpo.name])}`, 'changetype: modify', 'replace: flags', `flags: ${gpo.flags}`, '-', 'replace: versionNumber', `versionNumber: ${packVersion(gpo.version)}`, '-'];
    if (gpo.machine) lines.push('replace: gPCMachineExtensionNames', `gPCMachineExtensionNames: ${ext(MACHINE_TOOL)}`, '-');
    if (gpo.user) lines.push('replace: gPCUserExtensionNames', `gPCUserExtensionNames: ${ext(USER_TOOL)}`, '-');
    await ldapModify(dc, `${lines.join('\n')}\n`);
  }

  for (const gpo of GPOS.filter((g) => g.filtered)) await filterToPilot(dc, ids[gpo.name], pilotSid, domainSid);

  // The files: GPT.INI and Registry.pol into the folders samba-tool made (Machine/, User/).
  for (const gpo of GPOS) {
    const dir = join(policies, ids[gpo.name]);
    if (!existsSync(dir)) throw new Error(`samba-tool made no SYSVOL folder ${dir}`);
    await writeFile(join(dir, 'GPT.INI'), gptIni(packVersion(gpo.gptVersion ?? gpo.version)));
    if (gpo.machine) await writeFile(join(dir, 'Machine', 'Registry.pol'), writeRegistryPol(gpo.machine));
    if (gpo.user) await writeFile(join(dir, 'User', 'Registry.pol'), writeRegistryPol(gpo.user));
  }
  await mkdir(join(policies, ORPHAN_ID, 'Machine'), { recursive: true });
  await writeFile(join(policies, ORPHAN_ID, 'GPT.INI'), gptIni(1));
  try {
    await run('samba-tool', ['ntacl', 'sysvolreset', '-s', dc.smbConf], { timeout: 120_000 });
  } catch (error) {
    fail('samba-tool ntacl sysvolreset', error);
  }
  // After sysvolreset, which sets each GPO folder's ACL and so wants every folder there.
  for (const gpo of GPOS.filter((g) => g.noSysvol)) await rm(join(policies, ids[gpo.name]), { recursive: true, force: true });

  const names = new Map<string, KnownGpo>(Object.entries(ids).map(([name, id]) => [id, name as KnownGpo]));
  return { ids, names, policiesDir: policies, pilotSid, domainSid };
}

// ---------------------------------------------------------------------------------------------------------------------
// The SYSVOL copy recipe (docs/effective-policy.md, "Getting a copy of SYSVOL on Linux"), as the tests run it
// ---------------------------------------------------------------------------------------------------------------------

/**
 * An smbclient authentication file (`-A`): the password stays off the command line and out of `ps`. Mode 600.
 * Written `name=value` without spaces, which mount.cifs's `credentials=` option reads too.
 */
export async function writeSmbAuthFile(dc: SambaDc, file: string, password = dc.password): Promise<void> {
  await writeFile(file, `username=Administrator\npassword=${password}\ndomain=EXAMPLE\n`, { mode: 0o600 });
}

/** How smbclient reaches the share with a password: the DC's address and an authentication file. */
export const withPassword = (authFile: string): string[] => ['//127.0.0.1/sysvol', '-A', authFile];

/**
 * Copies the share's example.test/Policies folder into `target` (which must exist) with Debian's smbclient:
 * `smbclient //127.0.0.1/sysvol -A AUTH -c 'prompt OFF; recurse ON; cd example.test/Policies; lcd TARGET; mget *'`.
 * `connection` is what comes before -c (server and credentials). smbclient can exit 0 after a file failed, so any
 * NT_STATUS_ in its output is an error too.
 */
export async function copySysvol(target: string, connection: string[], env: Record<string, string> = {}): Promise<string> {
  const args = [...connection, '-c', `prompt OFF; recurse ON; cd example.test/Policies; lcd ${target}; mget *`];
  // stdin closed: smbclient asks for a password on it when it has none (even with a Kerberos ticket, unless -N).
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolvePromise, reject) => {
    const child = spawn('smbclient', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, timeout: 120_000 });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.once('error', reject);
    child.once('close', (exit) => resolvePromise({ code: exit, output: text }));
  });
  if (code !== 0 || /NT_STATUS_/.test(output)) throw new Error(`smbclient ${args.join(' ')} failed (exit ${code}): ${output.trim()}`);
  return output;
}
