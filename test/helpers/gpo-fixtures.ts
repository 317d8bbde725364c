// Fixture builders for rule tests: one abstract setting in, a minimal but realistic export out, in every input
// family that can carry it, together with where the setting sits in the file (1-based line of the element or
// line for text formats, byte offset of the record's `[` for Registry.pol). The content is our own, written to
// the shapes of formats.md and the project's samples; nothing here is copied from a real export.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeRecord, type PolEntry } from './pol-writer.js';

export type Hive = 'HKLM' | 'HKCU';
export type Family = 'gpo-report' | 'rsop' | 'security-template' | 'registry-pol' | 'gpp-registry' | 'gpp-power';
export const FAMILIES: readonly Family[] = ['gpo-report', 'rsop', 'security-template', 'registry-pol', 'gpp-registry', 'gpp-power'];

/** A user or group as an export names it: a SID, a name, or both (reports give both, templates one). */
export interface Member {
  sid?: string;
  name?: string;
}

export type RegData = { type: 'REG_SZ'; value: string } | { type: 'REG_DWORD'; value: number } | { type: 'REG_MULTI_SZ'; value: string[] };

/** Per-setting options a few families honour; the others ignore them. */
export interface FixtureOptions {
  /** RSoP: index into the GPO list of the RSoP builder (default 0). */
  rsopGpo?: number;
  /** RSoP: the setting's precedence (default 1, the winner). */
  precedence?: number;
  /** Preferences: the item is disabled in GPMC. */
  disabled?: boolean;
  /** Preferences: the item has item-level targeting. */
  targeted?: boolean;
}

export interface RegistryFixture extends FixtureOptions {
  kind: 'registry';
  hive: Hive;
  key: string;
  valueName: string;
  /** Absent: the value is deleted (`**del.`, a Disabled policy, a preference item with action D). */
  data?: RegData;
}

export interface RightFixture extends FixtureOptions {
  kind: 'right';
  right: string;
  members: Member[];
}

export interface GroupFixture extends FixtureOptions {
  kind: 'group';
  group: Member;
  members: Member[];
}

export interface PowerPlanFixture extends FixtureOptions {
  kind: 'power-plan';
  name: string;
  /** Lower case, no braces. */
  planGuid: string;
  makeActive: boolean;
  properties: Record<string, string>;
}

export type FixtureSetting = RegistryFixture | RightFixture | GroupFixture | PowerPlanFixture;

export interface FixtureFile {
  /** Relative to the fixture root, `/`-separated. */
  path: string;
  bytes: Uint8Array;
}

export type Position = { line: number } | { byteOffset: number };

export interface Placement {
  file: string;
  position: Position;
}

export interface Fixture {
  files: FixtureFile[];
  /** One per input setting, in input order. */
  placements: Placement[];
}

export interface GpoIdentity {
  id: string;
  name: string;
  domain: string;
}

// ---------------------------------------------------------------------------------------------
// Keys, principals and GPOs the fixtures use

export const KEYS = {
  system: 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System',
  winlogon: 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
  installer: 'Software\\Policies\\Microsoft\\Windows\\Installer',
  power: 'Software\\Policies\\Microsoft\\Power\\PowerSettings',
  standby: 'Software\\Policies\\Microsoft\\Power\\PowerSettings\\29F6C1DB-86DA-48C5-9FDB-F2B67B1F44DA',
  disk: 'Software\\Policies\\Microsoft\\Power\\PowerSettings\\6738E2C4-E8A5-4A42-B16A-E040E769756E',
  aspm: 'Software\\Policies\\Microsoft\\Power\\PowerSettings\\ee12f906-d277-404b-b6da-e5fa1a576df5',
  removable: 'Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices',
  explorer: 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer',
} as const;

export const PLANS = {
  balanced: '381b4222-f694-41f0-9685-ff5bb260df2e',
  powerSaver: 'a1841308-3541-4fab-bc81-f71556f20b4a',
  highPerformance: '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c',
  custom: '0d4c9f7e-2b1a-4c3d-8e5f-6a7b8c9d0e1f',
} as const;

const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';

export const MEMBERS = {
  administrators: { sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators' },
  users: { sid: 'S-1-5-32-545', name: 'BUILTIN\\Users' },
  guests: { sid: 'S-1-5-32-546', name: 'BUILTIN\\Guests' },
  backupOperators: { sid: 'S-1-5-32-551', name: 'BUILTIN\\Backup Operators' },
  remoteDesktopUsers: { sid: 'S-1-5-32-555', name: 'BUILTIN\\Remote Desktop Users' },
  everyone: { sid: 'S-1-1-0', name: 'Everyone' },
  authenticatedUsers: { sid: 'S-1-5-11', name: 'NT AUTHORITY\\Authenticated Users' },
  domainAdmins: { sid: `${DOMAIN_SID}-512`, name: 'CORP\\Domain Admins' },
  domainUsers: { sid: `${DOMAIN_SID}-513`, name: 'CORP\\Domain Users' },
  domainComputers: { sid: `${DOMAIN_SID}-515`, name: 'CORP\\Domain Computers' },
  /** The local Guest account, which secedit and reports name without a SID. */
  guest: { name: 'Guest' },
} as const satisfies Record<string, Member>;

export const FIXTURE_GPO: GpoIdentity = { id: '{5A1C0E2B-7D3F-4E8A-9B6C-0D1E2F3A4B5C}', name: 'WorkSpaces - Desktop Settings', domain: 'corp.example.test' };
export const RSOP_GPOS: readonly GpoIdentity[] = [
  { id: '{0B7E3C91-4A2D-4F6B-8C1E-9D3A5B7C2E40}', name: 'WorkSpaces - Desktop Settings (RSoP)', domain: 'corp.example.test' },
  { id: '{E2A4C6D8-1B3F-4A5C-9E7D-2F4B6D8A0C13}', name: 'Corp Hardening Baseline', domain: 'corp.example.test' },
];

// ---------------------------------------------------------------------------------------------
// Setting constructors

export const dword = (hive: Hive, key: string, valueName: string, value: number, opts: FixtureOptions = {}): RegistryFixture => ({
  kind: 'registry', hive, key, valueName, data: { type: 'REG_DWORD', value }, ...opts,
});
export const sz = (hive: Hive, key: string, valueName: string, value: string, opts: FixtureOptions = {}): RegistryFixture => ({
  kind: 'registry', hive, key, valueName, data: { type: 'REG_SZ', value }, ...opts,
});
export const multiSz = (hive: Hive, key: string, valueName: string, value: string[], opts: FixtureOptions = {}): RegistryFixture => ({
  kind: 'registry', hive, key, valueName, data: { type: 'REG_MULTI_SZ', value }, ...opts,
});
export const deleted = (hive: Hive, key: string, valueName: string, opts: FixtureOptions = {}): RegistryFixture => ({ kind: 'registry', hive, key, valueName, ...opts });
export const right = (name: string, members: Member[], opts: FixtureOptions = {}): RightFixture => ({ kind: 'right', right: name, members, ...opts });
export const restrictedGroup = (group: Member, members: Member[], opts: FixtureOptions = {}): GroupFixture => ({ kind: 'group', group, members, ...opts });
export const powerPlan = (name: string, planGuid: string, makeActive: boolean, properties: Record<string, string>, opts: FixtureOptions = {}): PowerPlanFixture => ({
  kind: 'power-plan', name, planGuid, makeActive, properties, ...opts,
});

// ---------------------------------------------------------------------------------------------
// Administrative-template policies the built-in catalogue knows (src/admx/builtins.ts), as a report shows them

type PolicyShape =
  | { kind: 'switch'; on: number; off: number }
  | { kind: 'dropdown'; label: string; items: ReadonlyArray<readonly [number | string, string]> }
  | { kind: 'numeric'; label: string };

interface KnownPolicy {
  hive: Hive;
  key: string;
  valueName: string;
  name: string;
  category: string;
  shape: PolicyShape;
}

const SLEEP_CATEGORY = 'System/Power Management/Sleep Settings';
const DISK_CATEGORY = 'System/Power Management/Hard Disk Settings';
const DRIVE_ITEMS = [
  [3, 'Restrict A and B drives only'],
  [4, 'Restrict C drive only'],
  [8, 'Restrict D drive only'],
  [7, 'Restrict A, B and C drives only'],
  [15, 'Restrict A, B, C and D drives only'],
  [67108863, 'Restrict all drives'],
  [0, 'Do not restrict drives'],
] as const;

const KNOWN_POLICIES: readonly KnownPolicy[] = [
  { hive: 'HKLM', key: KEYS.system, valueName: 'HideFastUserSwitching', name: 'Hide entry points for Fast User Switching', category: 'System/Logon', shape: { kind: 'switch', on: 1, off: 0 } },
  {
    hive: 'HKLM', key: KEYS.installer, valueName: 'DisableMSI', name: 'Turn off Windows Installer', category: 'Windows Components/Windows Installer',
    shape: { kind: 'dropdown', label: 'Disable Windows Installer', items: [[0, 'Never'], [1, 'For non-managed applications only'], [2, 'Always']] },
  },
  {
    hive: 'HKLM', key: KEYS.power, valueName: 'ActivePowerScheme', name: 'Select an active power plan', category: 'System/Power Management',
    shape: { kind: 'dropdown', label: 'Active Power Plan:', items: [[PLANS.balanced, 'Automatic (recommended)'], [PLANS.powerSaver, 'Power Saver'], [PLANS.highPerformance, 'High Performance']] },
  },
  { hive: 'HKLM', key: KEYS.standby, valueName: 'ACSettingIndex', name: 'Specify the system sleep timeout (plugged in)', category: SLEEP_CATEGORY, shape: { kind: 'numeric', label: 'System Sleep Timeout (seconds):' } },
  { hive: 'HKLM', key: KEYS.standby, valueName: 'DCSettingIndex', name: 'Specify the system sleep timeout (on battery)', category: SLEEP_CATEGORY, shape: { kind: 'numeric', label: 'System Sleep Timeout (seconds):' } },
  { hive: 'HKLM', key: KEYS.disk, valueName: 'ACSettingIndex', name: 'Turn Off the hard disk (plugged in)', category: DISK_CATEGORY, shape: { kind: 'numeric', label: 'Turn Off the Hard Disk (seconds):' } },
  { hive: 'HKLM', key: KEYS.disk, valueName: 'DCSettingIndex', name: 'Turn Off the hard disk (on battery)', category: DISK_CATEGORY, shape: { kind: 'numeric', label: 'Turn Off the Hard Disk (seconds):' } },
  { hive: 'HKLM', key: KEYS.removable, valueName: 'Deny_All', name: 'All Removable Storage classes: Deny all access', category: 'System/Removable Storage Access', shape: { kind: 'switch', on: 1, off: 0 } },
  { hive: 'HKCU', key: KEYS.removable, valueName: 'Deny_All', name: 'All Removable Storage classes: Deny all access', category: 'System/Removable Storage Access', shape: { kind: 'switch', on: 1, off: 0 } },
  {
    hive: 'HKCU', key: KEYS.explorer, valueName: 'NoViewOnDrive', name: 'Prevent access to drives from My Computer', category: 'Windows Components/File Explorer',
    shape: { kind: 'dropdown', label: 'Pick one of the following combinations', items: DRIVE_ITEMS },
  },
];

const CUSTOM_POWER_PLAN = { name: 'Specify a custom active power plan', category: 'System/Power Management', label: 'Custom Active Power Plan (GUID):' };

function knownPolicy(s: RegistryFixture): KnownPolicy | undefined {
  return KNOWN_POLICIES.find((p) => p.hive === s.hive && p.key.toLowerCase() === s.key.toLowerCase() && p.valueName.toLowerCase() === s.valueName.toLowerCase());
}

/** A report line for the Registry extension: a Policy element, or undefined when the value is an Extra Registry Setting. */
type PolicyView = { name: string; category: string; state: 'Enabled' | 'Disabled'; element?: { tag: 'DropDownList' | 'Numeric' | 'EditText'; label: string; value: string } };

function policyView(s: RegistryFixture): PolicyView | undefined {
  const p = knownPolicy(s);
  if (!p) return undefined;
  const base = { name: p.name, category: p.category };
  if (!s.data) return p.shape.kind === 'switch' ? undefined : { ...base, state: 'Disabled' };
  const v = s.data.value;
  switch (p.shape.kind) {
    case 'switch':
      if (v === p.shape.on) return { ...base, state: 'Enabled' };
      if (v === p.shape.off) return { ...base, state: 'Disabled' };
      return undefined;
    case 'numeric':
      return typeof v === 'number' ? { ...base, state: 'Enabled', element: { tag: 'Numeric', label: p.shape.label, value: String(v) } } : undefined;
    case 'dropdown': {
      const item = p.shape.items.find(([value]) => String(value).toLowerCase() === String(v).toLowerCase());
      if (item) return { ...base, state: 'Enabled', element: { tag: 'DropDownList', label: p.shape.label, value: item[1] } };
      if (p.valueName === 'ActivePowerScheme' && typeof v === 'string') {
        return { name: CUSTOM_POWER_PLAN.name, category: CUSTOM_POWER_PLAN.category, state: 'Enabled', element: { tag: 'EditText', label: CUSTOM_POWER_PLAN.label, value: v } };
      }
      return undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What each family can carry

export function canCarry(family: Family, s: FixtureSetting): boolean {
  switch (s.kind) {
    case 'registry':
      if (family === 'gpo-report' || family === 'rsop') return s.data !== undefined || policyView(s) !== undefined;
      if (family === 'security-template') return s.hive === 'HKLM' && s.data !== undefined;
      return family === 'registry-pol' || family === 'gpp-registry';
    case 'right':
    case 'group':
      return family === 'gpo-report' || family === 'rsop' || family === 'security-template';
    case 'power-plan':
      return family === 'gpp-power';
  }
}

// ---------------------------------------------------------------------------------------------
// Text encodings

export function utf16leWithBom(text: string): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  const out = new Uint8Array(body.length + 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  out.set(body, 2);
  return out;
}

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Lines of a text file being written, so a builder can note the line an element starts on. */
class Lines {
  private readonly list: string[] = [];
  /** The 1-based number the next pushed line will have. */
  get next(): number {
    return this.list.length + 1;
  }
  push(...lines: string[]): void {
    this.list.push(...lines);
  }
  text(eol: string): string {
    return this.list.join(eol) + eol;
  }
}

// ---------------------------------------------------------------------------------------------
// GPO report (Get-GPOReport -ReportType Xml) and RSoP (gpresult /x)

const NS = {
  settings: 'http://www.microsoft.com/GroupPolicy/Settings',
  types: 'http://www.microsoft.com/GroupPolicy/Types',
  base: 'http://www.microsoft.com/GroupPolicy/Settings/Base',
  security: 'http://www.microsoft.com/GroupPolicy/Settings/Security',
  registry: 'http://www.microsoft.com/GroupPolicy/Settings/Registry',
  rsop: 'http://www.microsoft.com/GroupPolicy/Rsop',
} as const;

export type Locale = 'en' | 'de';

/** What a report localises: extension names, security option titles, account names. XML element names never. */
const LOCALE: Record<Locale, { security: string; registry: string; secPrefix: string; regPrefix: string; options: Record<string, string>; names: Record<string, string> }> = {
  en: {
    security: 'Security',
    registry: 'Registry',
    secPrefix: 'q1',
    regPrefix: 'q2',
    options: {
      LegalNoticeCaption: 'Interactive logon: Message title for users attempting to log on',
      LegalNoticeText: 'Interactive logon: Message text for users attempting to log on',
      DontDisplayLastUserName: "Interactive logon: Don't display last signed-in",
      DisableCAD: 'Interactive logon: Do not require CTRL+ALT+DEL',
      DontDisplayLockedUserId: 'Interactive logon: Display user information when the session is locked',
    },
    names: {},
  },
  de: {
    security: 'Sicherheit',
    registry: 'Registrierung',
    secPrefix: 'q7',
    regPrefix: 'q8',
    options: {
      LegalNoticeCaption: 'Interaktive Anmeldung: Nachrichtentitel für Benutzer, die sich anmelden wollen',
      LegalNoticeText: 'Interaktive Anmeldung: Nachricht für Benutzer, die sich anmelden wollen',
      DontDisplayLastUserName: 'Interaktive Anmeldung: Letzten angemeldeten Benutzer nicht anzeigen',
      DisableCAD: 'Interaktive Anmeldung: Kein STRG+ALT+ENTF erforderlich',
      DontDisplayLockedUserId: 'Interaktive Anmeldung: Benutzerinformationen anzeigen, wenn die Sitzung gesperrt ist',
    },
    names: {
      'BUILTIN\\Administrators': 'VORDEFINIERT\\Administratoren',
      'BUILTIN\\Users': 'VORDEFINIERT\\Benutzer',
      'BUILTIN\\Guests': 'VORDEFINIERT\\Gäste',
      'BUILTIN\\Backup Operators': 'VORDEFINIERT\\Sicherungs-Operatoren',
      'BUILTIN\\Remote Desktop Users': 'VORDEFINIERT\\Remotedesktopbenutzer',
      Everyone: 'Jeder',
      'NT AUTHORITY\\Authenticated Users': 'NT-AUTORITÄT\\Authentifizierte Benutzer',
      'CORP\\Domain Admins': 'CORP\\Domänen-Admins',
      'CORP\\Domain Users': 'CORP\\Domänen-Benutzer',
      'CORP\\Domain Computers': 'CORP\\Domänencomputer',
      Guest: 'Gast',
    },
  },
};

interface XmlSettingWriter {
  lines: Lines;
  locale: Locale;
  indent: string;
  /** RSoP: the Base GPO + Precedence lines every setting element starts with. */
  origin?: (s: FixtureSetting) => string[];
}

function isSecurityOption(s: RegistryFixture): boolean {
  return s.hive === 'HKLM' && s.key.toLowerCase() === KEYS.system.toLowerCase() && s.data !== undefined;
}

type Placed<T> = { setting: T; index: number };

/** Split settings of one side (Computer or User) into the Security and Registry extensions. */
function extensionsOf(settings: Placed<FixtureSetting>[]): { security: Placed<FixtureSetting>[]; registry: Placed<RegistryFixture>[] } {
  const security: Placed<FixtureSetting>[] = [];
  const registry: Placed<RegistryFixture>[] = [];
  for (const p of settings) {
    const s = p.setting;
    if (s.kind === 'right' || s.kind === 'group') security.push(p);
    else if (s.kind === 'registry' && !policyView(s) && isSecurityOption(s)) security.push(p);
    else if (s.kind === 'registry') registry.push({ setting: s, index: p.index });
  }
  return { security, registry };
}

function memberLines(tag: string, m: Member, w: XmlSettingWriter, pad: string): string[] {
  const name = m.name === undefined ? undefined : (LOCALE[w.locale].names[m.name] ?? m.name);
  return [
    `${pad}<${tag}>`,
    ...(m.sid ? [`${pad}  <SID xmlns="${NS.types}">${m.sid}</SID>`] : []),
    ...(name !== undefined ? [`${pad}  <Name xmlns="${NS.types}">${esc(name)}</Name>`] : []),
    `${pad}</${tag}>`,
  ];
}

function writeSecurityExtension(items: Placed<FixtureSetting>[], w: XmlSettingWriter, placements: Position[]): void {
  const loc = LOCALE[w.locale];
  const q = loc.secPrefix;
  const i = w.indent;
  const extNs = w.origin ? ` xmlns="${NS.settings}"` : '';
  w.lines.push(`${i}<ExtensionData>`, `${i}  <Extension xmlns:${q}="${NS.security}" xsi:type="${q}:SecuritySettings"${extNs}>`);
  const pad = `${i}    `;
  for (const { setting: s, index } of items) {
    const origin = w.origin ? w.origin(s).map((l) => `${pad}  ${l}`) : [];
    if (s.kind === 'right') {
      placements[index] = { line: w.lines.next };
      w.lines.push(`${pad}<${q}:UserRightsAssignment>`, ...origin, `${pad}  <${q}:Name>${s.right}</${q}:Name>`);
      for (const m of s.members) w.lines.push(...memberLines(`${q}:Member`, m, w, `${pad}  `));
      w.lines.push(`${pad}</${q}:UserRightsAssignment>`);
    } else if (s.kind === 'group') {
      placements[index] = { line: w.lines.next };
      w.lines.push(`${pad}<${q}:RestrictedGroups>`, ...origin, ...memberLines(`${q}:GroupName`, s.group, w, `${pad}  `));
      for (const m of s.members) w.lines.push(...memberLines(`${q}:Member`, m, w, `${pad}  `));
      w.lines.push(`${pad}</${q}:RestrictedGroups>`);
    } else if (s.kind === 'registry' && s.data) {
      placements[index] = { line: w.lines.next };
      const title = loc.options[s.valueName] ?? s.valueName;
      w.lines.push(`${pad}<${q}:SecurityOptions>`, ...origin, `${pad}  <${q}:KeyName>MACHINE\\${s.key}\\${s.valueName}</${q}:KeyName>`);
      w.lines.push(...securityOptionValue(s.data, q, `${pad}  `, title));
      w.lines.push(`${pad}</${q}:SecurityOptions>`);
    }
  }
  w.lines.push(`${pad}<${q}:Blocked>false</${q}:Blocked>`, `${i}  </Extension>`, `${i}  <Name>${loc.security}</Name>`, `${i}</ExtensionData>`);
}

function securityOptionValue(data: RegData, q: string, pad: string, title: string): string[] {
  switch (data.type) {
    case 'REG_DWORD':
      return [
        `${pad}<${q}:SettingNumber>${data.value}</${q}:SettingNumber>`,
        `${pad}<${q}:Display>`,
        `${pad}  <${q}:Name>${esc(title)}</${q}:Name>`,
        `${pad}  <${q}:Units />`,
        `${pad}  <${q}:DisplayNumber>${data.value}</${q}:DisplayNumber>`,
        `${pad}</${q}:Display>`,
      ];
    case 'REG_SZ':
      return [
        `${pad}<${q}:SettingString>"${esc(data.value)}"</${q}:SettingString>`,
        `${pad}<${q}:Display>`,
        `${pad}  <${q}:Name>${esc(title)}</${q}:Name>`,
        `${pad}  <${q}:Units />`,
        `${pad}  <${q}:DisplayString>"${esc(data.value)}"</${q}:DisplayString>`,
        `${pad}</${q}:Display>`,
      ];
    case 'REG_MULTI_SZ': {
      const values = data.value.map((v) => `<${q}:Value>${esc(v)}</${q}:Value>`).join('');
      return [
        `${pad}<${q}:SettingStrings>${values}</${q}:SettingStrings>`,
        `${pad}<${q}:Display>`,
        `${pad}  <${q}:Name>${esc(title)}</${q}:Name>`,
        `${pad}  <${q}:Units />`,
        `${pad}  <${q}:DisplayStrings>${values}</${q}:DisplayStrings>`,
        `${pad}</${q}:Display>`,
      ];
    }
  }
}

function writeRegistryExtension(items: Placed<RegistryFixture>[], w: XmlSettingWriter, placements: Position[]): void {
  const loc = LOCALE[w.locale];
  const q = loc.regPrefix;
  const i = w.indent;
  const extNs = w.origin ? ` xmlns="${NS.settings}"` : '';
  w.lines.push(`${i}<ExtensionData>`, `${i}  <Extension xmlns:${q}="${NS.registry}" xsi:type="${q}:RegistrySettings"${extNs}>`);
  const pad = `${i}    `;
  for (const { setting: s, index } of items) {
    const origin = w.origin ? w.origin(s).map((l) => `${pad}  ${l}`) : [];
    const view = policyView(s);
    placements[index] = { line: w.lines.next };
    if (view) {
      w.lines.push(
        `${pad}<${q}:Policy>`,
        ...origin,
        `${pad}  <${q}:Name>${esc(view.name)}</${q}:Name>`,
        `${pad}  <${q}:State>${view.state}</${q}:State>`,
        `${pad}  <${q}:Explain>Explanation text as GPMC shows it.</${q}:Explain>`,
        `${pad}  <${q}:Supported>At least Windows Vista</${q}:Supported>`,
        `${pad}  <${q}:Category>${esc(view.category)}</${q}:Category>`,
      );
      if (view.element) w.lines.push(...policyElement(view.element, q, `${pad}  `));
      w.lines.push(`${pad}</${q}:Policy>`);
    } else if (s.data) {
      w.lines.push(
        `${pad}<${q}:RegistrySetting>`,
        ...origin,
        `${pad}  <${q}:KeyPath>${esc(s.key)}</${q}:KeyPath>`,
        `${pad}  <${q}:AdmSetting>false</${q}:AdmSetting>`,
        `${pad}  <${q}:Value>`,
        `${pad}    <${q}:Name>${esc(s.valueName)}</${q}:Name>`,
        `${pad}    ${extraValue(s.data, q)}`,
        `${pad}  </${q}:Value>`,
        `${pad}</${q}:RegistrySetting>`,
      );
    } else {
      throw new Error(`a report cannot show the deletion of ${s.key}\\${s.valueName}`);
    }
  }
  w.lines.push(`${i}  </Extension>`, `${i}  <Name>${loc.registry}</Name>`, `${i}</ExtensionData>`);
}

function policyElement(el: NonNullable<PolicyView['element']>, q: string, pad: string): string[] {
  const value = el.tag === 'DropDownList' ? [`${pad}  <${q}:Value>`, `${pad}    <${q}:Name>${esc(el.value)}</${q}:Name>`, `${pad}  </${q}:Value>`] : [`${pad}  <${q}:Value>${esc(el.value)}</${q}:Value>`];
  return [`${pad}<${q}:${el.tag}>`, `${pad}  <${q}:Name>${esc(el.label)}</${q}:Name>`, `${pad}  <${q}:State>Enabled</${q}:State>`, ...value, `${pad}</${q}:${el.tag}>`];
}

function extraValue(data: RegData, q: string): string {
  switch (data.type) {
    case 'REG_DWORD':
      return `<${q}:Number>${data.value}</${q}:Number>`;
    case 'REG_SZ':
      return `<${q}:String>${esc(data.value)}</${q}:String>`;
    case 'REG_MULTI_SZ':
      return `<${q}:MultiString>${data.value.map((v) => `<${q}:String>${esc(v)}</${q}:String>`).join('')}</${q}:MultiString>`;
  }
}

function sideOf(s: FixtureSetting): 'computer' | 'user' {
  return s.kind === 'registry' && s.hive === 'HKCU' ? 'user' : 'computer';
}

function requireCarried(family: Family, settings: readonly FixtureSetting[]): void {
  for (const s of settings) if (!canCarry(family, s)) throw new Error(`${family} cannot carry ${JSON.stringify(s)}`);
}

function writeSide(lines: Lines, settings: Placed<FixtureSetting>[], w: Omit<XmlSettingWriter, 'lines'>, placements: Position[]): void {
  const { security, registry } = extensionsOf(settings);
  if (security.length > 0) writeSecurityExtension(security, { ...w, lines }, placements);
  if (registry.length > 0) writeRegistryExtension(registry, { ...w, lines }, placements);
}

function placedBySide(settings: readonly FixtureSetting[]): Record<'computer' | 'user', Placed<FixtureSetting>[]> {
  const out: Record<'computer' | 'user', Placed<FixtureSetting>[]> = { computer: [], user: [] };
  settings.forEach((setting, index) => out[sideOf(setting)].push({ setting, index }));
  return out;
}

/** The `<GPO>` element of a report, one GPO; used alone or inside a Backup-GPO folder. */
function gpoReportText(settings: readonly FixtureSetting[], gpo: GpoIdentity, locale: Locale): { text: string; positions: Position[] } {
  requireCarried('gpo-report', settings);
  const lines = new Lines();
  const positions: Position[] = [];
  const sides = placedBySide(settings);
  lines.push(
    '<?xml version="1.0" encoding="utf-16"?>',
    `<GPO xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${NS.settings}">`,
    '  <Identifier>',
    `    <Identifier xmlns="${NS.types}">${gpo.id}</Identifier>`,
    `    <Domain xmlns="${NS.types}">${gpo.domain}</Domain>`,
    '  </Identifier>',
    `  <Name>${esc(gpo.name)}</Name>`,
    '  <IncludeComments>true</IncludeComments>',
    '  <CreatedTime>2026-10-01T09:00:00</CreatedTime>',
    '  <ModifiedTime>2026-11-20T16:30:00</ModifiedTime>',
    '  <ReadTime>2026-11-25T08:00:00.0000000Z</ReadTime>',
    '  <FilterDataAvailable>true</FilterDataAvailable>',
  );
  for (const [tag, side] of [['Computer', 'computer'], ['User', 'user']] as const) {
    lines.push(`  <${tag}>`, '    <VersionDirectory>3</VersionDirectory>', '    <VersionSysvol>3</VersionSysvol>', '    <Enabled>true</Enabled>');
    writeSide(lines, sides[side], { locale, indent: '    ' }, positions);
    lines.push(`  </${tag}>`);
  }
  lines.push(
    '  <LinksTo>',
    '    <SOMName>WorkSpaces</SOMName>',
    `    <SOMPath>${gpo.domain}/WorkSpaces</SOMPath>`,
    '    <Enabled>true</Enabled>',
    '    <NoOverride>false</NoOverride>',
    '  </LinksTo>',
    '</GPO>',
  );
  return { text: lines.text('\r\n'), positions };
}

export interface ReportOptions {
  gpo?: GpoIdentity;
  locale?: Locale;
  /** File name in the fixture root. */
  fileName?: string;
}

/** Get-GPOReport -ReportType Xml for one GPO: UTF-16LE with BOM and CRLF, as PowerShell writes it. */
export function gpoReport(settings: readonly FixtureSetting[], options: ReportOptions = {}): Fixture {
  const file = options.fileName ?? 'gpo-report.xml';
  const { text, positions } = gpoReportText(settings, options.gpo ?? FIXTURE_GPO, options.locale ?? 'en');
  return { files: [{ path: file, bytes: utf16leWithBom(text) }], placements: positions.map((position) => ({ file, position })) };
}

export interface RsopOptions {
  gpos?: readonly GpoIdentity[];
  fileName?: string;
  /** GPOs (by index) that gpresult lists on a side but that did not apply there (AppliedOrder 0, filtered out). */
  notAppliedOn?: { computer?: number[]; user?: number[] };
  /**
   * GPOs (by index) that gpresult could not read on a side: listed under their GUID as name, not valid, not applied,
   * as the UserResults list of a modelling RSoP shows a computer-only GPO.
   */
  unreadableOn?: { computer?: number[]; user?: number[] };
}

/** gpresult /x: the GPO list of each side, then the settings, each naming its GPO and precedence. */
export function rsopReport(settings: readonly FixtureSetting[], options: RsopOptions = {}): Fixture {
  requireCarried('rsop', settings);
  const file = options.fileName ?? 'gpresult.xml';
  const gpos = options.gpos ?? RSOP_GPOS;
  const lines = new Lines();
  const positions: Position[] = [];
  const sides = placedBySide(settings);
  const origin = (s: FixtureSetting): string[] => {
    const g = gpos[s.rsopGpo ?? 0]!;
    return [
      `<GPO xmlns="${NS.base}"><Identifier xmlns="${NS.types}">${g.id}</Identifier><Domain xmlns="${NS.types}">${g.domain}</Domain></GPO>`,
      `<Precedence xmlns="${NS.base}">${s.precedence ?? 1}</Precedence>`,
    ];
  };
  lines.push(
    '<?xml version="1.0" encoding="utf-16"?>',
    `<Rsop xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${NS.rsop}">`,
    '  <ReadTime>2026-11-25T08:15:00.0000000Z</ReadTime>',
    '  <DataType>LoggedData</DataType>',
  );
  for (const [tag, side, account] of [['ComputerResults', 'computer', 'CORP\\WSAMZN-0001$'], ['UserResults', 'user', 'CORP\\jdoe']] as const) {
    lines.push(`  <${tag}>`, '    <Version>2228228</Version>', `    <Name>${esc(account)}</Name>`, `    <Domain>${gpos[0]!.domain}</Domain>`, `    <SOM>${gpos[0]!.domain}/WorkSpaces</SOM>`, '    <SlowLink>false</SlowLink>');
    const skipped = options.notAppliedOn?.[side] ?? [];
    const unreadable = options.unreadableOn?.[side] ?? [];
    gpos.forEach((g, n) => {
      if (unreadable.includes(n)) lines.push(...rsopGpoEntry({ ...g, name: g.id }, 0, false));
      else lines.push(...rsopGpoEntry(g, skipped.includes(n) ? 0 : gpos.length - n));
    });
    writeSide(lines, sides[side], { locale: 'en', indent: '    ', origin }, positions);
    lines.push(`  </${tag}>`);
  }
  lines.push('</Rsop>');
  return { files: [{ path: file, bytes: utf16leWithBom(lines.text('\r\n')) }], placements: positions.map((position) => ({ file, position })) };
}

function rsopGpoEntry(g: GpoIdentity, appliedOrder: number, valid = true): string[] {
  return [
    '    <GPO>',
    `      <Name>${esc(g.name)}</Name>`,
    '      <Path>',
    `        <Identifier xmlns="${NS.types}">${g.id}</Identifier>`,
    `        <Domain xmlns="${NS.types}">${g.domain}</Domain>`,
    '      </Path>',
    '      <VersionDirectory>4</VersionDirectory>',
    '      <VersionSysvol>4</VersionSysvol>',
    '      <Enabled>true</Enabled>',
    `      <IsValid>${valid}</IsValid>`,
    `      <FilterAllowed>${appliedOrder > 0}</FilterAllowed>`,
    '      <AccessDenied>false</AccessDenied>',
    '      <Link>',
    `        <SOMPath>${g.domain}/WorkSpaces</SOMPath>`,
    '        <SOMOrder>1</SOMOrder>',
    `        <AppliedOrder>${appliedOrder}</AppliedOrder>`,
    '        <LinkOrder>1</LinkOrder>',
    '        <Enabled>true</Enabled>',
    '        <NoOverride>false</NoOverride>',
    '      </Link>',
    '      <SecurityFilter>NT AUTHORITY\\Authenticated Users</SecurityFilter>',
    '    </GPO>',
  ];
}

// ---------------------------------------------------------------------------------------------
// Security template (GptTmpl.inf / secedit /export)

const INF_TYPES: Record<RegData['type'], number> = { REG_SZ: 1, REG_DWORD: 4, REG_MULTI_SZ: 7 };

function infData(data: RegData): string {
  switch (data.type) {
    case 'REG_DWORD':
      return String(data.value);
    case 'REG_SZ':
      return `"${data.value}"`;
    case 'REG_MULTI_SZ':
      // Microsoft tooling writes a comma inside an element as `","`; elements are separated by bare commas.
      return data.value.map((v) => v.replace(/,/g, '","')).join(',');
  }
}

function infPrincipal(m: Member): string {
  if (m.sid) return `*${m.sid}`;
  if (m.name) return m.name;
  throw new Error('a template entry needs a SID or a name');
}

/** GptTmpl.inf text: [Unicode], [Version], then [Registry Values], [Privilege Rights], [Group Membership]. */
function securityTemplateText(settings: readonly FixtureSetting[]): { text: string; positions: Position[] } {
  requireCarried('security-template', settings);
  const lines = new Lines();
  const positions: Position[] = [];
  lines.push('[Unicode]', 'Unicode=yes', '[Version]', 'signature="$CHICAGO$"', 'Revision=1');
  const placed = settings.map((setting, index) => ({ setting, index }));
  const registry = placed.filter((p) => p.setting.kind === 'registry');
  const rights = placed.filter((p) => p.setting.kind === 'right');
  const groups = placed.filter((p) => p.setting.kind === 'group');
  if (registry.length > 0) {
    lines.push('[Registry Values]');
    for (const { setting: s, index } of registry) {
      if (s.kind !== 'registry' || !s.data) continue;
      positions[index] = { line: lines.next };
      lines.push(`MACHINE\\${s.key}\\${s.valueName}=${INF_TYPES[s.data.type]},${infData(s.data)}`);
    }
  }
  if (rights.length > 0) {
    lines.push('[Privilege Rights]');
    for (const { setting: s, index } of rights) {
      if (s.kind !== 'right') continue;
      positions[index] = { line: lines.next };
      lines.push(`${s.right} = ${s.members.map(infPrincipal).join(',')}`);
    }
  }
  if (groups.length > 0) {
    lines.push('[Group Membership]');
    for (const { setting: s, index } of groups) {
      if (s.kind !== 'group') continue;
      // GPMC writes __Memberof first; the group is placed where it is first named.
      positions[index] = { line: lines.next };
      const group = infPrincipal(s.group);
      lines.push(`${group}__Memberof =`, `${group}__Members = ${s.members.map(infPrincipal).join(',')}`);
    }
  }
  return { text: lines.text('\r\n'), positions };
}

/** A GptTmpl.inf as GPMC writes it: UTF-16LE with BOM, CRLF. */
export function securityTemplate(settings: readonly FixtureSetting[], fileName = 'GptTmpl.inf'): Fixture {
  const { text, positions } = securityTemplateText(settings);
  return { files: [{ path: fileName, bytes: utf16leWithBom(text) }], placements: positions.map((position) => ({ file: fileName, position })) };
}

// ---------------------------------------------------------------------------------------------
// Registry.pol

const POL_TYPES: Record<RegData['type'], number> = { REG_SZ: 1, REG_DWORD: 4, REG_MULTI_SZ: 7 };

function polEntry(s: RegistryFixture): PolEntry {
  if (!s.data) return { key: s.key, valueName: `**del.${s.valueName}`, type: 1, data: ' ' };
  return { key: s.key, valueName: s.valueName, type: POL_TYPES[s.data.type], data: s.data.value };
}

/** Registry.pol records, returning each record's byte offset (the `[`), after the 8-byte header. */
function registryPolBytes(settings: readonly RegistryFixture[]): { bytes: Uint8Array; offsets: number[] } {
  const parts: Uint8Array[] = [new Uint8Array([0x50, 0x52, 0x65, 0x67, 1, 0, 0, 0])];
  const offsets: number[] = [];
  let at = 8;
  for (const s of settings) {
    const record = encodeRecord(polEntry(s));
    offsets.push(at);
    parts.push(record);
    at += record.length;
  }
  const bytes = new Uint8Array(at);
  let pos = 0;
  for (const p of parts) {
    bytes.set(p, pos);
    pos += p.length;
  }
  return { bytes, offsets };
}

/** Machine/Registry.pol for HKLM values and User/Registry.pol for HKCU: the folder decides the hive. */
export function registryPol(settings: readonly FixtureSetting[], folders: { machine: string; user: string } = { machine: 'Machine/Registry.pol', user: 'User/Registry.pol' }): Fixture {
  requireCarried('registry-pol', settings);
  const files: FixtureFile[] = [];
  const placements: Placement[] = [];
  for (const hive of ['HKLM', 'HKCU'] as const) {
    const placed = settings.flatMap((setting, index) => (setting.kind === 'registry' && setting.hive === hive ? [{ setting, index }] : []));
    if (placed.length === 0) continue;
    const path = hive === 'HKLM' ? folders.machine : folders.user;
    const { bytes, offsets } = registryPolBytes(placed.map((p) => p.setting));
    files.push({ path, bytes });
    placed.forEach((p, n) => (placements[p.index] = { file: path, position: { byteOffset: offsets[n]! } }));
  }
  return { files, placements };
}

// ---------------------------------------------------------------------------------------------
// Group Policy Preferences: Registry.xml and PowerOptions.xml

let uidCounter = 0;
function nextUid(): string {
  uidCounter++;
  return `{3F2504E0-4F89-41D3-9A0C-${uidCounter.toString(16).toUpperCase().padStart(12, '0')}}`;
}

const GPP_HIVES: Record<Hive, string> = { HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER' };

function gppValue(data: RegData | undefined): { type: string; value: string; children: string[] } {
  if (!data) return { type: 'REG_DWORD', value: '00000000', children: [] };
  switch (data.type) {
    case 'REG_DWORD':
      return { type: 'REG_DWORD', value: data.value.toString(16).toUpperCase().padStart(8, '0'), children: [] };
    case 'REG_SZ':
      return { type: 'REG_SZ', value: data.value, children: [] };
    case 'REG_MULTI_SZ':
      return { type: 'REG_MULTI_SZ', value: data.value.join(' '), children: data.value.length === 0 ? [] : ['<Values>', ...data.value.map((v) => `\t<Value>${esc(v)}</Value>`), '</Values>'] };
  }
}

function gppRegistryText(settings: readonly Placed<RegistryFixture>[], positions: Position[]): string {
  const lines = new Lines();
  lines.push('<?xml version="1.0" encoding="utf-8"?>', '<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}">');
  for (const { setting: s, index } of settings) {
    const v = gppValue(s.data);
    const action = s.data ? 'U' : 'D';
    positions[index] = { line: lines.next };
    lines.push(
      `\t<Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="${esc(s.valueName)}" status="${esc(s.valueName)}" image="${s.data ? 12 : 14}" changed="2026-11-20 10:00:00" uid="${nextUid()}"${s.disabled ? ' disabled="1"' : ''}>`,
      `\t\t<Properties action="${action}" displayDecimal="1" default="0" hive="${GPP_HIVES[s.hive]}" key="${esc(s.key)}" name="${esc(s.valueName)}" type="${v.type}" value="${esc(v.value)}"${v.children.length ? '>' : '/>'}`,
      ...(v.children.length ? [...v.children.map((c) => `\t\t\t${c}`), '\t\t</Properties>'] : []),
      ...(s.targeted ? ['\t\t<Filters>', '\t\t\t<FilterComputer bool="AND" not="0" type="NETBIOS" name="WSAMZN-0001"/>', '\t\t</Filters>'] : []),
      '\t</Registry>',
    );
  }
  lines.push('</RegistrySettings>');
  return lines.text('\r\n');
}

/** Registry.xml under Machine\Preferences (HKLM items) and User\Preferences (HKCU items); the hive attribute is what counts. */
export function gppRegistry(settings: readonly FixtureSetting[]): Fixture {
  requireCarried('gpp-registry', settings);
  const files: FixtureFile[] = [];
  const placements: Placement[] = [];
  for (const [hive, path] of [['HKLM', 'Machine/Preferences/Registry/Registry.xml'], ['HKCU', 'User/Preferences/Registry/Registry.xml']] as const) {
    const placed = settings.flatMap((setting, index) => (setting.kind === 'registry' && setting.hive === hive ? [{ setting, index }] : []));
    if (placed.length === 0) continue;
    const positions: Position[] = [];
    files.push({ path, bytes: utf8(gppRegistryText(placed, positions)) });
    for (const p of placed) placements[p.index] = { file: path, position: positions[p.index]! };
  }
  return { files, placements };
}

/** PowerOptions.xml with one GlobalPowerOptionsV2 ("Power Plan (Windows Vista and later)") item per plan. */
export function gppPower(settings: readonly FixtureSetting[], fileName = 'Machine/Preferences/PowerOptions/PowerOptions.xml'): Fixture {
  requireCarried('gpp-power', settings);
  const lines = new Lines();
  const placements: Placement[] = [];
  lines.push('<?xml version="1.0" encoding="utf-8"?>', '<PowerOptions clsid="{7B0F9381-C3B8-4525-8167-87349B671D94}">');
  settings.forEach((s, index) => {
    if (s.kind !== 'power-plan') return;
    placements[index] = { file: fileName, position: { line: lines.next } };
    const props = Object.entries(s.properties).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
    lines.push(
      `\t<GlobalPowerOptionsV2 clsid="{2B130A62-fc14-4572-91C3-5435C6A0C3FC}" name="${esc(s.name)}" image="2" changed="2026-11-20 10:00:00" uid="${nextUid()}"${s.disabled ? ' disabled="1"' : ''}>`,
      `\t\t<Properties action="U" nameGuid="{${s.planGuid.toUpperCase()}}" default="${s.makeActive ? 1 : 0}"${props}/>`,
      ...(s.targeted ? ['\t\t<Filters>', '\t\t\t<FilterComputer bool="AND" not="0" type="NETBIOS" name="WSAMZN-0001"/>', '\t\t</Filters>'] : []),
      '\t</GlobalPowerOptionsV2>',
    );
  });
  lines.push('</PowerOptions>');
  return { files: [{ path: fileName, bytes: utf8(lines.text('\r\n')) }], placements };
}

// ---------------------------------------------------------------------------------------------
// Dispatch, Backup-GPO folders, writing

export interface BuildOptions {
  gpo?: GpoIdentity;
  locale?: Locale;
  rsopGpos?: readonly GpoIdentity[];
}

export function buildFixture(family: Family, settings: readonly FixtureSetting[], options: BuildOptions = {}): Fixture {
  switch (family) {
    case 'gpo-report':
      return gpoReport(settings, { ...(options.gpo ? { gpo: options.gpo } : {}), ...(options.locale ? { locale: options.locale } : {}) });
    case 'rsop':
      return rsopReport(settings, options.rsopGpos ? { gpos: options.rsopGpos } : {});
    case 'security-template':
      return securityTemplate(settings);
    case 'registry-pol':
      return registryPol(settings);
    case 'gpp-registry':
      return gppRegistry(settings);
    case 'gpp-power':
      return gppPower(settings);
  }
}

/** Which GPO a finding from this family names: the report's or the RSoP setting's; loose files name none. */
export function expectedGpo(family: Family, setting: FixtureSetting, options: BuildOptions = {}): GpoIdentity | undefined {
  if (family === 'gpo-report') return options.gpo ?? FIXTURE_GPO;
  if (family === 'rsop') return (options.rsopGpos ?? RSOP_GPOS)[setting.rsopGpo ?? 0];
  return undefined;
}

export interface BackupParts {
  report: readonly FixtureSetting[];
  template: readonly FixtureSetting[];
  pol: readonly FixtureSetting[];
}

export interface BackupFixture {
  files: FixtureFile[];
  /** Placements per part, in the order of that part's settings. */
  report: Placement[];
  template: Placement[];
  pol: Placement[];
}

/** A Backup-GPO folder `{BackupId}` with bkupInfo.xml, gpreport.xml, GptTmpl.inf and the machine registry.pol. */
export function backupGpo(gpo: GpoIdentity, backupId: string, parts: BackupParts): BackupFixture {
  const root = backupId;
  const sysvol = `${root}/DomainSysvol/GPO/Machine`;
  const info = [
    '<BackupInst xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest">',
    `<GPOGuid><![CDATA[${gpo.id}]]></GPOGuid>`,
    `<GPODomain><![CDATA[${gpo.domain}]]></GPODomain>`,
    '<GPODomainGuid><![CDATA[{7C1D5E3A-2B4F-4A6C-8E0D-1F3B5D7A9C2E}]]></GPODomainGuid>',
    `<GPODomainController><![CDATA[dc1.${gpo.domain}]]></GPODomainController>`,
    '<BackupTime><![CDATA[2026-11-20T10:00:00]]></BackupTime>',
    `<ID><![CDATA[${backupId}]]></ID>`,
    '<Comment><![CDATA[]]></Comment>',
    `<GPODisplayName><![CDATA[${gpo.name}]]></GPODisplayName>`,
    '</BackupInst>',
  ].join('');
  const report = gpoReportText(parts.report, gpo, 'en');
  const template = securityTemplateText(parts.template);
  requireCarried('registry-pol', parts.pol);
  const pol = registryPolBytes(parts.pol.map((s) => {
    if (s.kind !== 'registry' || s.hive !== 'HKLM') throw new Error('the backup fixture writes only the machine registry.pol');
    return s;
  }));
  const files: FixtureFile[] = [
    { path: `${root}/bkupInfo.xml`, bytes: utf8(`<?xml version="1.0" encoding="utf-8"?>\r\n${info}\r\n`) },
    { path: `${root}/gpreport.xml`, bytes: utf16leWithBom(report.text) },
    { path: `${sysvol}/microsoft/windows nt/SecEdit/GptTmpl.inf`, bytes: utf16leWithBom(template.text) },
    { path: `${sysvol}/registry.pol`, bytes: pol.bytes },
  ];
  return {
    files,
    report: report.positions.map((position) => ({ file: `${root}/gpreport.xml`, position })),
    template: template.positions.map((position) => ({ file: `${sysvol}/microsoft/windows nt/SecEdit/GptTmpl.inf`, position })),
    pol: pol.offsets.map((byteOffset) => ({ file: `${sysvol}/registry.pol`, position: { byteOffset } })),
  };
}

/** Write fixture files under `root`, creating folders; returns nothing, the paths are `join(root, file.path)`. */
export function writeFixture(root: string, files: readonly FixtureFile[]): void {
  for (const f of files) {
    const path = join(root, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
  }
}
