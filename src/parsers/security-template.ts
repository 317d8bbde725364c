import { decodeText } from '../codecs/decode.js';
import type { ParseContext, ParseResult } from '../model/parse-result.js';
import { isSid, principal } from '../model/principals.js';
import { InputError, type ProblemCode } from '../model/problems.js';
import type {
  AccountPolicySetting,
  GroupMembershipSetting,
  Hive,
  Principal,
  RegistryData,
} from '../model/settings.js';
import { guardParser, provenance, type Parser } from './common.js';
import { splitRootedKey } from '../model/keys.js';

// Security templates: `secedit /export` output and SYSVOL GptTmpl.inf ([MS-GPSB] 2.2). See formats.md section 4.

const FORMAT = 'security-template';

type SectionHandling =
  | { kind: 'account-policy'; section: AccountPolicySetting['section']; namePrefix: string }
  | { kind: 'audit' }
  | { kind: 'registry-values' }
  | { kind: 'privilege-rights' }
  | { kind: 'group-membership' }
  // Read elsewhere or not (yet) audited: the contents are skipped without a problem.
  | { kind: 'ignored' };

interface Section {
  name: string;
  handling: SectionHandling;
}

const SECTIONS: ReadonlyArray<[string, SectionHandling]> = [
  ['System Access', { kind: 'account-policy', section: 'System Access', namePrefix: '' }],
  ['Kerberos Policy', { kind: 'account-policy', section: 'Kerberos Policy', namePrefix: '' }],
  ['System Log', { kind: 'account-policy', section: 'Event Log', namePrefix: 'System Log/' }],
  ['Security Log', { kind: 'account-policy', section: 'Event Log', namePrefix: 'Security Log/' }],
  ['Application Log', { kind: 'account-policy', section: 'Event Log', namePrefix: 'Application Log/' }],
  ['Event Audit', { kind: 'audit' }],
  ['Registry Values', { kind: 'registry-values' }],
  ['Privilege Rights', { kind: 'privilege-rights' }],
  ['Group Membership', { kind: 'group-membership' }],
  ['Service General Setting', { kind: 'ignored' }],
  ['Registry Keys', { kind: 'ignored' }],
  ['File Security', { kind: 'ignored' }],
  ['Unicode', { kind: 'ignored' }],
  ['Version', { kind: 'ignored' }],
  ['Profile Description', { kind: 'ignored' }],
  ['Strings', { kind: 'ignored' }],
];

/** Samba's list of template sections plus the preamble ones, by lower-cased name: headers match case-insensitively. */
const KNOWN_SECTIONS: ReadonlyMap<string, Section> = new Map(
  SECTIONS.map(([name, handling]): [string, Section] => [name.toLowerCase(), { name, handling }]),
);

/** Everything a line handler needs: where it is and where its results go. */
interface LineContext {
  ctx: ParseContext;
  out: ParseResult;
  warnings: WarningLog;
  section: Section;
  line: number;
  text: string;
  /** Restricted-group settings by lower-cased group, so `__Members` and `__Memberof` lines merge into one. */
  groups: Map<string, GroupMembershipSetting>;
}

export const parseSecurityTemplate: Parser = guardParser(FORMAT, (bytes, ctx, out) => {
  const lines = decodeText(bytes).text.split(/\r\n|\n|\r/);
  requireTemplateSections(lines);

  const groups = new Map<string, GroupMembershipSetting>();
  const warnings = warningLog(ctx, out);
  let section: Section | undefined;
  lines.forEach((raw, index) => {
    const text = raw.trim();
    const line = index + 1;
    if (text === '' || text.startsWith(';')) return;
    const header = sectionName(text);
    if (header !== undefined) {
      section = KNOWN_SECTIONS.get(header.toLowerCase());
      if (!section) warnings.add(line, 'skipped-entry', `unknown section [${clip(header)}]: its lines are not read`);
      return;
    }
    // Lines before the first header, and in unknown sections, carry nothing a template defines.
    if (section) readLine({ ctx, out, warnings, section, line, text, groups });
  });
  warnings.finish();
});

function sectionName(text: string): string | undefined {
  const m = /^\[([^\]]*)\]$/.exec(text);
  return m ? m[1]!.trim() : undefined;
}

/** Refuse files that are not templates at all, before any warning about their lines would mislead. */
function requireTemplateSections(lines: string[]): void {
  const headers = lines.map((l) => sectionName(l.trim())).filter((h): h is string => h !== undefined);
  if (headers.length === 0) throw new InputError('malformed', 'no [Section] headers: not a security template', { line: 1 });
  if (!headers.some((h) => KNOWN_SECTIONS.has(h.toLowerCase()))) {
    const found = headers.slice(0, 5).map((h) => `[${clip(h)}]`).join(', ');
    throw new InputError('malformed', `no security template [Section] headers (found only ${found}): not a security template`, { line: 1 });
  }
}

function readLine(lc: LineContext): void {
  const h = lc.section.handling;
  switch (h.kind) {
    case 'account-policy':
      return readAccountPolicy(lc, h.section, h.namePrefix);
    case 'audit':
      return readEventAudit(lc);
    case 'registry-values':
      return readRegistryValue(lc);
    case 'privilege-rights':
      return readPrivilegeRight(lc);
    case 'group-membership':
      return readGroupMembership(lc);
    case 'ignored':
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// [System Access], [Kerberos Policy], [System Log], [Security Log], [Application Log], [Event Audit]

/** `Name = value` with an identifier on the left; undefined when the line is not that. */
function namedValue(text: string): { name: string; value: string } | undefined {
  const eq = text.indexOf('=');
  if (eq < 0) return undefined;
  const name = text.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  return { name, value: text.slice(eq + 1).trim() };
}

function readAccountPolicy(lc: LineContext, section: AccountPolicySetting['section'], namePrefix: string): void {
  const entry = namedValue(lc.text);
  if (!entry || entry.value === '') return skipLine(lc, 'expected "Name = value"');
  lc.out.settings.push({
    kind: 'account-policy',
    section,
    name: namePrefix + entry.name,
    value: accountPolicyValue(entry.value),
    provenance: provenance(lc.ctx, FORMAT, { line: lc.line }),
  });
}

/** Numbers (LockoutDuration = -1 included) become numbers; `"Visitor"` loses its quotes; anything else stays text. */
function accountPolicyValue(text: string): string | number {
  if (/^-?\d{1,15}$/.test(text)) return Number(text);
  return unquote(text);
}

function readEventAudit(lc: LineContext): void {
  const entry = namedValue(lc.text);
  if (!entry || !/^[0-3]$/.test(entry.value)) return skipLine(lc, 'expected "AuditName = 0|1|2|3"');
  const flags = Number(entry.value);
  lc.out.settings.push({
    kind: 'audit',
    name: entry.name,
    success: (flags & 1) !== 0,
    failure: (flags & 2) !== 0,
    provenance: provenance(lc.ctx, FORMAT, { line: lc.line }),
  });
}

// ---------------------------------------------------------------------------------------------
// [Registry Values]

const MAX_DWORD = 0xffff_ffff;

function readRegistryValue(lc: LineContext): void {
  // `=` may occur inside key names, so the first `=` followed by `<type>,` ends the path (as in Samba).
  const m = /^(.+?)=(\d+),(.*)$/s.exec(lc.text);
  if (!m) return skipLine(lc, 'expected "MACHINE\\Key\\Value=type,data"');
  const target = registryTarget(m[1]!);
  if (!target) return skipLine(lc, 'the value path must start with MACHINE\\ and name a key and a value');
  const data = registryData(Number(m[2]!), m[3]!, lc);
  if (!data) return;
  lc.out.settings.push({
    kind: 'registry',
    hive: target.hive,
    key: target.key,
    valueName: target.valueName,
    operation: { op: 'set', data },
    securityOption: {},
    provenance: provenance(lc.ctx, FORMAT, { line: lc.line }),
  });
}

function registryTarget(path: string): { hive: Hive; key: string; valueName: string } | undefined {
  const rooted = splitRootedKey(path);
  if (!rooted) return undefined;
  const cut = rooted.key.lastIndexOf('\\');
  if (cut <= 0 || cut === rooted.key.length - 1) return undefined;
  return { hive: rooted.hive, key: rooted.key.slice(0, cut), valueName: rooted.key.slice(cut + 1) };
}

/** The data of one value by its MS-GPSB type number; undefined (with a warning) when it cannot be read. */
function registryData(type: number, text: string, lc: LineContext): RegistryData | undefined {
  switch (type) {
    case 1:
      return { type: 'REG_SZ', value: unquote(text) };
    case 2:
      return { type: 'REG_EXPAND_SZ', value: unquote(text) };
    case 3:
      return binaryData(text.trim(), lc);
    case 4:
      return dwordData(text.trim(), lc);
    case 7:
      return multiStringData(text, lc);
    default:
      skipLine(lc, `registry type ${type} is not one a security template may hold (1, 2, 3, 4, 7)`);
      return undefined;
  }
}

// formats.md leaves the encoding of type 3 open (real files hold `3,0` and `3,1`), so the digits are kept as written.
function binaryData(text: string, lc: LineContext): RegistryData | undefined {
  if (!/^[0-9a-f]*$/i.test(text)) {
    skipLine(lc, `binary (type 3) data "${clip(text)}" is not hexadecimal`);
    return undefined;
  }
  return { type: 'REG_BINARY', value: text.toLowerCase() };
}

function dwordData(text: string, lc: LineContext): RegistryData | undefined {
  const value = /^\d{1,10}$/.test(text) ? Number(text) : undefined;
  if (value === undefined || value > MAX_DWORD) {
    skipLine(lc, `DWORD (type 4) data "${clip(text)}" is not a decimal number from 0 to ${MAX_DWORD}`);
    return undefined;
  }
  return { type: 'REG_DWORD', value };
}

function multiStringData(text: string, lc: LineContext): RegistryData {
  const { items, balanced } = splitMultiString(text);
  // Keep the value: an unreadable banner is still a banner, and rules must see it.
  if (!balanced) lc.warnings.add(lc.line, 'malformed', 'multi-string (type 7) data has an unmatched double quote; read to the end of the line');
  return { type: 'REG_MULTI_SZ', value: items };
}

/**
 * Split type-7 data the way Microsoft tooling writes it: commas separate elements, and a comma inside `"…"`
 * (written `","`) is a literal comma. Quote marks are dropped. Empty data is an empty list.
 */
export function splitMultiString(text: string): { items: string[]; balanced: boolean } {
  if (text === '') return { items: [], balanced: true };
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return { items, balanced: !quoted };
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

// ---------------------------------------------------------------------------------------------
// [Privilege Rights] and [Group Membership]

function readPrivilegeRight(lc: LineContext): void {
  const entry = namedValue(lc.text);
  if (!entry) return skipLine(lc, 'expected "SeRightName = *S-1-...,name,..."');
  lc.out.settings.push({
    kind: 'privilege-right',
    right: entry.name,
    principals: principalList(entry.value, lc),
    provenance: provenance(lc.ctx, FORMAT, { line: lc.line }),
  });
}

function readGroupMembership(lc: LineContext): void {
  const eq = lc.text.indexOf('=');
  const key = eq < 0 ? '' : lc.text.slice(0, eq).trim();
  // Group names may themselves hold `__`; the relation is whatever follows the last one.
  const cut = key.lastIndexOf('__');
  const relation = cut < 0 ? '' : key.slice(cut + 2).toLowerCase();
  const groupText = cut < 0 ? '' : key.slice(0, cut).trim();
  if (groupText === '' || (relation !== 'members' && relation !== 'memberof')) {
    return skipLine(lc, 'expected "*S-1-...__Members = ..." or "*S-1-...__Memberof = ..."');
  }
  const setting = groupSetting(lc, groupText);
  const principals = principalList(lc.text.slice(eq + 1).trim(), lc);
  if (relation === 'members') setting.members = principals;
  else setting.memberOf = principals;
}

function groupSetting(lc: LineContext, groupText: string): GroupMembershipSetting {
  const id = groupText.replace(/^\*/, '').toLowerCase();
  const existing = lc.groups.get(id);
  if (existing) return existing;
  const setting: GroupMembershipSetting = {
    kind: 'group-membership',
    group: principalEntry(groupText, lc),
    provenance: provenance(lc.ctx, FORMAT, { line: lc.line }),
  };
  lc.groups.set(id, setting);
  lc.out.settings.push(setting);
  return setting;
}

/** `*S-1-5-32-544, CONTOSO\svc , Guest` → principals; an empty text is a defined, empty list. */
function principalList(text: string, lc: LineContext): Principal[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => principalEntry(entry, lc));
}

function principalEntry(entry: string, lc: LineContext): Principal {
  if (entry.startsWith('*')) {
    if (isSid(entry.slice(1))) return principal({ sid: entry });
    lc.warnings.add(lc.line, 'malformed', `"${clip(entry)}" starts with * but is not a SID; read as a name`);
  }
  return principal({ name: entry });
}

// ---------------------------------------------------------------------------------------------
// Problems

function skipLine(lc: LineContext, expected: string): void {
  lc.warnings.add(lc.line, 'skipped-entry', `[${lc.section.name}] line skipped: ${expected}, got "${clip(lc.text)}"`);
}

// A hostile file of millions of junk lines must not become millions of problems; past this many, they are counted.
const MAX_WARNINGS = 100;

interface WarningLog {
  add(line: number, code: ProblemCode, message: string): void;
  /** Report how many warnings were left out, if any. */
  finish(): void;
}

function warningLog(ctx: ParseContext, out: ParseResult): WarningLog {
  let added = 0;
  let omitted = 0;
  let firstOmittedLine = 0;
  return {
    add(line, code, message) {
      if (added < MAX_WARNINGS) {
        added++;
        out.problems.push({ file: ctx.file, position: { line }, code, message, severity: 'warning' });
        return;
      }
      if (omitted++ === 0) firstOmittedLine = line;
    },
    finish() {
      if (omitted === 0) return;
      out.problems.push({
        file: ctx.file,
        position: { line: firstOmittedLine },
        code: 'skipped-entry',
        message: `${omitted} more warnings from this line on are not listed (only the first ${MAX_WARNINGS} are)`,
        severity: 'warning',
      });
    },
  };
}

/** Hostile files can hold megabyte-long lines; messages quote only their start. */
function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

