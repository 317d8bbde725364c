// LDIF (RFC 2849) as `ldifde -f` and `ldapsearch -LLL [-o ldif-wrap=no]` write it: the gPLink/gPOptions of sites, the
// domain head and OUs, and the groupPolicyContainer objects, read into model/gpo-links.ts for offline effective-policy
// runs (../shared/docs/gpo-links.md names the export commands). Not one of the per-GPO settings parsers of
// parsers/index.ts: pipeline/detect.ts still labels LDIF "unsupported" for `audit`/`settings`, and the effective-policy
// command calls parseLdif on the files the user names as directory data.
//
// Pure: bytes in, data and located problems out; never throws for bad input and never fetches a `name:< url` value.
import { splitDn, type Rdn } from '../model/dn.js';
import { decodeText } from '../codecs/decode.js';
import {
  blocksInheritance,
  extensionNames,
  wmiFilterRef,
  parseGpLink,
  splitVersion,
  type DirectoryPolicyData,
  type GpoSide,
  type GroupPolicyContainer,
  type ScopeOfManagement,
} from '../model/gpo-links.js';
import { guidKey, normaliseGuid } from '../model/keys.js';
import { decodeSecurityDescriptor, sidToString, type Ace } from '../model/security-descriptor.js';
import { problemFromError, type Problem, type ProblemCode } from '../model/problems.js';

/** One value of an attribute, with the line (of the decoded text) its attribute line starts on. */
export interface LdifValue {
  /** The value as text; absent when `binary`. */
  text?: string;
  line: number;
  /** A base64 value whose bytes are not UTF-8 text (objectGUID, objectSid, nTSecurityDescriptor): kept, not decoded. */
  binary?: true;
  /** A base64 value's bytes (binary or not): objectSid and nTSecurityDescriptor are read from these. */
  bytes?: Uint8Array;
}

/** One record of the file: its DN and attributes (names lower-case, options such as `;binary` dropped). */
export interface LdifEntry {
  dn: string;
  /** The line of the `dn:` line. */
  line: number;
  /** `changetype:` when present (only `add` entries are returned). */
  changetype?: string;
  attributes: Map<string, LdifValue[]>;
}

/** Attributes whose base64 bytes are kept (lower case). */
const BYTES_READ: ReadonlySet<string> = new Set(['objectsid', 'ntsecuritydescriptor']);

/** Bounds against hostile input: one unfolded line, the entries of one file, the problems listed for one file. */
export const LDIF_LIMITS = { maxLineChars: 1_000_000, maxEntries: 500_000, maxProblems: 100 } as const;

/** Read an LDIF export's link data: sites, the domain head and OUs with gPLink/gPOptions, and the GPOs' containers. */
/**
 * The GPOs' DACLs and the domain SID, when the export holds them (`nTSecurityDescriptor` read with the SD flags
 * control, `objectSid` of the domain head): security filtering offline, as from the directory.
 */
export interface LdifSecurity {
  domainSid?: string;
  /** By GPO id; `null` a NULL DACL. A descriptor that does not decode is left out (reported). */
  dacls: Map<string, Ace[] | null>;
}

/** Read an LDIF export's link data: sites, the domain head and OUs with gPLink/gPOptions, and the GPOs' containers. */
export function parseLdif(bytes: Uint8Array, file: string): { data: DirectoryPolicyData; problems: Problem[]; security?: LdifSecurity } {
  const data: DirectoryPolicyData = { soms: [], gpcs: [], skipped: [] };
  const security: LdifSecurity = { dacls: new Map() };
  const log = problemLog(file);
  try {
    const text = decodeText(bytes).text;
    const entries = readEntries(text, log);
    classify(entries, data, log, security);
  } catch (err) {
    // decodeText's InputError (binary data, truncated UTF-16) or a bug of ours: one problem, never an exception.
    log.problems.push(problemFromError(file, err));
  }
  return { data, problems: log.finish(), ...(security.dacls.size > 0 ? { security } : {}) };
}

/** The records of an LDIF text, for callers that want attributes this module does not classify. */
export function readLdifEntries(text: string, file: string): { entries: LdifEntry[]; problems: Problem[] } {
  const log = problemLog(file);
  let entries: LdifEntry[] = [];
  try {
    entries = readEntries(text, log);
  } catch (err) {
    log.problems.push(problemFromError(file, err));
  }
  return { entries, problems: log.finish() };
}

// ---------------------------------------------------------------------------------------------
// Problems

interface ProblemLog {
  problems: Problem[];
  add(line: number, code: ProblemCode, message: string, severity?: Problem['severity']): void;
  finish(): Problem[];
}

function problemLog(file: string): ProblemLog {
  const problems: Problem[] = [];
  let listed = 0;
  let omitted = 0;
  let firstOmittedLine = 0;
  return {
    problems,
    add(line, code, message, severity = 'warning') {
      if (listed < LDIF_LIMITS.maxProblems) {
        listed++;
        problems.push({ file, position: { line }, code, message, severity });
      } else if (omitted++ === 0) firstOmittedLine = line;
    },
    finish() {
      if (omitted > 0) {
        problems.push({
          file,
          position: { line: firstOmittedLine },
          code: 'skipped-entry',
          message: `${omitted} more problems from this line on are not listed (only the first ${LDIF_LIMITS.maxProblems} are)`,
          severity: 'warning',
        });
        omitted = 0;
      }
      return problems;
    },
  };
}

/** Hostile files can hold megabyte-long values; messages quote only their start. */
function clip(text: string, max = 100): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

// ---------------------------------------------------------------------------------------------
// Records: unfold lines, drop comments, split on blank lines, parse `name[;options]: value` lines

interface LogicalLine {
  text: string;
  line: number;
  tooLong: boolean;
}

function readEntries(input: string, log: ProblemLog): LdifEntry[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = text.split(/\r?\n/);
  const reader = new RecordReader(log);
  let record: LogicalLine[] = [];
  let current: { parts: string[]; line: number; length: number; tooLong: boolean } | undefined;
  let inComment = false;

  const flushLine = () => {
    if (current) record.push({ text: current.parts.join(''), line: current.line, tooLong: current.tooLong });
    current = undefined;
  };
  const flushRecord = () => {
    flushLine();
    if (record.length > 0) reader.record(record);
    record = [];
  };

  for (let i = 0; i < lines.length && !reader.full; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (raw.startsWith(' ')) {
      // A folded line: its text after the one space continues the line before (a comment's continuation is comment).
      if (inComment) continue;
      if (!current) {
        log.add(lineNo, 'malformed', 'a continuation line (starting with a space) follows no line it could continue; it is skipped');
        continue;
      }
      if (!current.tooLong) {
        current.length += raw.length - 1;
        if (current.length > LDIF_LIMITS.maxLineChars) current.tooLong = true;
        else current.parts.push(raw.slice(1));
      }
      continue;
    }
    flushLine();
    inComment = false;
    if (raw.trim() === '') {
      flushRecord();
      continue;
    }
    if (raw.startsWith('#')) {
      inComment = true;
      continue;
    }
    current = { parts: [raw], line: lineNo, length: raw.length, tooLong: raw.length > LDIF_LIMITS.maxLineChars };
    if (current.tooLong) current.parts = [raw.slice(0, 200)];
  }
  if (!reader.full) flushRecord();
  return reader.entries;
}

interface ParsedLine {
  /** Lower case, without options. */
  name: string;
  /** As written, for messages. */
  written: string;
  options: string[];
  value: LdifValue | undefined;
}

const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)((?:;[A-Za-z0-9-]+)*)$/;
// ldapsearch without -LLL writes these result records (`search: 2`, `result: 0 Success`, `ref: ldap://...`).
const RESULT_RECORD_NAMES = new Set(['search', 'result', 'ref', 'text', 'matcheddn', 'control']);

class RecordReader {
  readonly entries: LdifEntry[] = [];
  full = false;
  private first = true;
  private readonly seen = new Set<string>();
  private readonly notedOptions = new Set<string>();

  constructor(private readonly log: ProblemLog) {}

  record(lines: LogicalLine[]): void {
    let start = 0;
    if (this.first) {
      this.first = false;
      // `version: 1` heads the file (ldifde omits it; ldapsearch -L writes it, -LLL does not); it may share the first block.
      const head = lines[0]!;
      if (/^version\s*:/i.test(head.text)) {
        const v = head.text.slice(head.text.indexOf(':') + 1).trim();
        if (v !== '1') this.log.add(head.line, 'malformed', `LDIF version "${clip(v)}" is not 1; the file is read as version 1`);
        start = 1;
      }
    }
    if (start >= lines.length) return;
    if (this.entries.length >= LDIF_LIMITS.maxEntries) {
      this.full = true;
      this.log.add(lines[start]!.line, 'too-large', `more than ${LDIF_LIMITS.maxEntries} entries; the rest of the file is not read`, 'error');
      return;
    }
    const first = this.parseLine(lines[start]!, true);
    if (!first) {
      this.log.add(lines[start]!.line, 'malformed', `an entry must begin with "dn: ...", not "${clip(lines[start]!.text)}"; its ${lines.length - start} line(s) are skipped`);
      return;
    }
    if (first.name !== 'dn') {
      if (RESULT_RECORD_NAMES.has(first.name)) return;
      this.log.add(lines[start]!.line, 'malformed', `an entry must begin with "dn:", not "${clip(first.written)}:"; its ${lines.length - start} line(s) are skipped`);
      return;
    }
    if (!first.value) return; // parseLine said why (bad base64, a URL, too long); the entry is not read
    if (first.value.text === undefined) {
      this.log.add(lines[start]!.line, 'decode-error', `the DN is not UTF-8 text; its ${lines.length - start} line(s) are skipped`);
      return;
    }
    const entry: LdifEntry = { dn: first.value.text.trim(), line: lines[start]!.line, attributes: new Map() };
    let i = start + 1;
    // Controls, then changetype, may follow the DN (RFC 2849 change records).
    while (i < lines.length && /^control\s*:/i.test(lines[i]!.text)) i++;
    if (i < lines.length && /^changetype\s*:/i.test(lines[i]!.text)) {
      const ct = this.parseLine(lines[i]!)?.value?.text?.trim().toLowerCase() ?? '';
      if (ct !== 'add') {
        this.log.add(lines[i]!.line, 'unsupported-format', `"changetype: ${clip(ct)}" entry for ${clip(entry.dn)} is not read: only the entries of an export (changetype add, or none) are`);
        return;
      }
      entry.changetype = ct;
      i++;
    }
    for (; i < lines.length; i++) {
      const parsed = this.parseLine(lines[i]!);
      if (!parsed) continue;
      if (parsed.name === 'dn') {
        this.log.add(lines[i]!.line, 'malformed', `a second "dn:" line inside the entry ${clip(entry.dn)} (a blank line missing?); it and the lines after it up to the next blank line are skipped`);
        break;
      }
      let values = entry.attributes.get(parsed.name);
      if (!values) entry.attributes.set(parsed.name, (values = []));
      if (parsed.value) values.push(parsed.value);
    }
    const key = entry.dn.toLowerCase();
    if (this.seen.has(key)) {
      this.log.add(entry.line, 'skipped-entry', `${clip(entry.dn)} appears a second time; the first entry is read, this one is skipped`);
      return;
    }
    this.seen.add(key);
    this.entries.push(entry);
  }

  /**
   * One `name[;options]: value`, `name:: base64` or `name:< url` line; undefined when there is no name (with a problem
   * unless `quiet`), `value` undefined (with a problem) when the value cannot be read.
   */
  private parseLine(l: LogicalLine, quiet = false): ParsedLine | undefined {
    const colon = l.text.indexOf(':');
    if (colon < 0) {
      if (!quiet) this.log.add(l.line, 'malformed', `line without a colon ("${clip(l.text)}"): not "name: value"; it is skipped`);
      return undefined;
    }
    const written = l.text.slice(0, colon).trim();
    const m = ATTRIBUTE_NAME.exec(written);
    if (!m) {
      if (!quiet) this.log.add(l.line, 'malformed', `"${clip(written)}" is not an attribute name; the line is skipped`);
      return undefined;
    }
    const options = m[1] ? m[1].slice(1).split(';') : [];
    const name = (options.length ? written.slice(0, written.indexOf(';')) : written).toLowerCase();
    if (l.tooLong) {
      this.log.add(l.line, 'too-large', `the ${written} line is longer than ${LDIF_LIMITS.maxLineChars} characters; its value is not read`);
      return { name, written, options, value: undefined };
    }
    for (const o of options) {
      const ok = o.toLowerCase();
      if (this.notedOptions.has(ok)) continue;
      this.notedOptions.add(ok);
      this.log.add(l.line, 'skipped-entry', `attribute option ";${clip(o)}" (first on ${written}) is ignored: values are read as if it were absent`);
    }
    const rest = l.text.slice(colon + 1);
    if (rest.startsWith(':')) {
      const decoded = decodeBase64(rest.slice(1).trim());
      if (!decoded) {
        this.log.add(l.line, 'decode-error', `the base64 value of ${written} is not valid base64; the value is skipped`);
        return { name, written, options, value: undefined };
      }
      // Only the attributes read as bytes keep them: every other base64 value is text, and bytes kept would double it.
      const bytes = BYTES_READ.has(name) ? { bytes: decoded } : {};
      try {
        return { name, written, options, value: { text: UTF8.decode(decoded), line: l.line, ...bytes } };
      } catch {
        return { name, written, options, value: { line: l.line, binary: true, ...bytes } };
      }
    }
    if (rest.startsWith('<')) {
      this.log.add(l.line, 'unsupported-format', `${written} takes its value from a URL (${clip(rest.slice(1).trim())}); gpaudit never fetches one, so the value is skipped`);
      return { name, written, options, value: undefined };
    }
    let s = 0;
    while (rest.charCodeAt(s) === 0x20) s++;
    return { name, written, options, value: { text: rest.slice(s), line: l.line } };
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Strict RFC 4648 base64 (padding required as RFC 2849 writes it); undefined when not valid. */
function decodeBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  let pad = 0;
  if (s.endsWith('==')) pad = 2;
  else if (s.endsWith('=')) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      const last = i + 4 === s.length;
      if (c === 0x3d && last && j >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    out[o++] = (n >>> 16) & 0xff;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Classification: groupPolicyContainer objects and the containers that carry gPLink / gPOptions

const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;

function classify(entries: LdifEntry[], data: DirectoryPolicyData, log: ProblemLog, security: LdifSecurity): void {
  let domainHead: LdifEntry | undefined;
  for (const entry of entries) {
    const classes = (entry.attributes.get('objectclass') ?? []).map((v) => v.text?.trim().toLowerCase());
    if (classes.includes('grouppolicycontainer')) {
      const before = data.gpcs.length;
      readGpc(entry, data, log);
      if (data.gpcs.length > before) readDacl(entry, data.gpcs[data.gpcs.length - 1]!.id, security, log);
    }
    if (classes.includes('domaindns') && entry.attributes.get('objectsid')?.[0]?.bytes) domainHead = entry;
    // An OU or domain without gPLink is still a container the export holds: the target OU may have no links of its own.
    const container = classes.some((c) => c === 'organizationalunit' || c === 'domaindns' || c === 'site');
    if (entry.attributes.has('gplink') || entry.attributes.has('gpoptions') || container) readSom(entry, data, log);
  }
  // The domain SID only matters for reading DACLs (Domain Computers is <domain SID>-515).
  const sid = domainHead?.attributes.get('objectsid')?.[0];
  if (security.dacls.size > 0 && domainHead && sid?.bytes) {
    try {
      security.domainSid = sidToString(sid.bytes);
    } catch {
      log.add(sid.line, 'malformed', `${clip(domainHead.dn)}: objectSid is not a SID; Domain Computers is then recognised from the GPOs' own ACLs`);
    }
  }
}

/** A GPO's DACL from `nTSecurityDescriptor` (base64, as ldapsearch writes binary values). */
function readDacl(entry: LdifEntry, id: string, security: LdifSecurity, log: ProblemLog): void {
  const value = entry.attributes.get('ntsecuritydescriptor')?.[0];
  if (!value?.bytes) return;
  const sd = decodeSecurityDescriptor(value.bytes);
  if (sd.dacl === undefined || sd.errors.length > 0) {
    const why = sd.errors.length > 0 ? sd.errors.join('; ') : 'it holds no DACL (export it with the SD flags control 1.2.840.113556.1.4.801 set to 4)';
    log.add(value.line, 'malformed', `${clip(entry.dn)}: nTSecurityDescriptor is not read: ${why}; security filtering of this GPO is unknown`);
    return;
  }
  security.dacls.set(id, sd.dacl);
}

/** The text of a single-valued attribute: the first value, with a problem when there are more or it is binary. */
function single(entry: LdifEntry, name: string, written: string, log: ProblemLog): { text: string; line: number } | undefined {
  const values = entry.attributes.get(name);
  if (!values || values.length === 0) return undefined;
  const v = values[0]!;
  if (values.length > 1) log.add(values[1]!.line, 'malformed', `${clip(entry.dn)}: ${written} has ${values.length} values; the first is read`);
  if (v.text === undefined) {
    log.add(v.line, 'decode-error', `${clip(entry.dn)}: ${written} is not UTF-8 text; it is not read`);
    return undefined;
  }
  return { text: v.text, line: v.line };
}

/** An LDAP Integer as AD writes it (signed 32-bit; versionNumber and flags may also appear unsigned). */
function integer(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?[0-9]{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= -2147483648 && n <= 4294967295 ? n : undefined;
}

function readGpc(entry: LdifEntry, data: DirectoryPolicyData, log: ProblemLog): void {
  const skip = (line: number, reason: string) => {
    log.add(line, 'skipped-entry', `groupPolicyContainer ${clip(entry.dn)} is skipped: ${reason}`);
    data.skipped.push({ dn: entry.dn, reason });
  };
  const cn = single(entry, 'cn', 'cn', log);
  const firstRdn = splitDn(entry.dn)[0];
  const candidates = [cn?.text, firstRdn?.type === 'cn' ? firstRdn.value : undefined];
  const id = candidates.map((c) => (c === undefined ? undefined : normaliseGuid(c)?.toUpperCase())).find((c) => c !== undefined && GUID.test(c));
  if (!id) {
    skip(cn?.line ?? entry.line, `its cn "${clip(cn?.text ?? firstRdn?.value ?? '')}" is not a {GUID}`);
    return;
  }

  // An unreadable flags or versionNumber skips the GPO: guessing could enable a disabled side or empty an edited one.
  // Absent, both are 0, as the directory would read them.
  const flagsAttr = single(entry, 'flags', 'flags', log);
  const flags = flagsAttr ? integer(flagsAttr.text) : entry.attributes.has('flags') ? undefined : 0;
  if (flags === undefined) {
    skip(flagsAttr?.line ?? entry.line, flagsAttr ? `flags "${clip(flagsAttr.text)}" is not a number` : 'its flags could not be read');
    return;
  }
  const versionAttr = single(entry, 'versionnumber', 'versionNumber', log);
  const versionNumber = versionAttr ? integer(versionAttr.text) : entry.attributes.has('versionnumber') ? undefined : 0;
  if (versionNumber === undefined) {
    skip(versionAttr?.line ?? entry.line, versionAttr ? `versionNumber "${clip(versionAttr.text)}" is not a number` : 'its versionNumber could not be read');
    return;
  }
  if (!versionAttr) log.add(entry.line, 'skipped-entry', `groupPolicyContainer ${clip(entry.dn)} has no versionNumber: read as 0, both sides never edited (empty)`);

  const gpc: GroupPolicyContainer = { id: guidKey(id), flags, version: splitVersion(versionNumber) };
  const name = single(entry, 'displayname', 'displayName', log)?.text.trim();
  if (name) gpc.name = name;
  const path = single(entry, 'gpcfilesyspath', 'gPCFileSysPath', log)?.text.trim();
  if (path) gpc.fileSysPath = path;

  const wql = single(entry, 'gpcwqlfilter', 'gPCWQLFilter', log);
  if (wql && wql.text.trim() !== '') {
    const filterId = wmiFilterRef(wql.text);
    if (filterId) gpc.wmiFilter = { id: filterId };
    else {
      // Still a filter: keeping the text as its id marks the GPO conditional rather than unfiltered.
      log.add(wql.line, 'malformed', `${clip(entry.dn)}: gPCWQLFilter "${clip(wql.text)}" is not [domain;{GUID};0]; the GPO is still read as WMI-filtered`);
      gpc.wmiFilter = { id: wql.text.trim() };
    }
  }

  const sides: [GpoSide, string, string][] = [
    ['computer', 'gpcmachineextensionnames', 'gPCMachineExtensionNames'],
    ['user', 'gpcuserextensionnames', 'gPCUserExtensionNames'],
  ];
  for (const [side, attr, written] of sides) {
    const v = single(entry, attr, written, log);
    if (!v) continue;
    const { cses, error } = extensionNames(v.text);
    if (error) log.add(v.line, 'malformed', `${clip(entry.dn)}: ${written} ${error}; the extensions before it are read`);
    (gpc.extensions ??= {})[side] = cses;
  }
  data.gpcs.push(gpc);
}

function readSom(entry: LdifEntry, data: DirectoryPolicyData, log: ProblemLog): void {
  const som: ScopeOfManagement = { kind: somKind(entry.dn), dn: entry.dn, links: [], blockInheritance: false };
  let usable = true;
  let reason = '';
  if (entry.attributes.has('gplink')) {
    const gpLink = single(entry, 'gplink', 'gPLink', log);
    if (!gpLink) {
      usable = false;
      // Already reported where it was read: a URL, bad base64, a binary value, an over-long line.
      reason = 'its gPLink value could not be read';
    } else {
      const guarded = guardGpLink(gpLink.text);
      const { links, errors } = parseGpLink(guarded.text);
      errors.unshift(...guarded.errors);
      for (const e of errors) log.add(gpLink.line, 'malformed', `${clip(entry.dn)}: gPLink ${e}`);
      som.links = links;
      if (links.length === 0 && errors.length > 0) {
        usable = false;
        const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
        reason = `gPLink does not parse: ${errors.slice(0, 3).join('; ')}${more}`;
      }
    }
  }
  if (entry.attributes.has('gpoptions')) {
    const opt = single(entry, 'gpoptions', 'gPOptions', log);
    const n = opt ? integer(opt.text) : undefined;
    if (n === undefined) {
      // Not known rather than "does not block": absent blockInheritance says the source does not tell.
      delete som.blockInheritance;
      if (opt) log.add(opt.line, 'malformed', `${clip(entry.dn)}: gPOptions "${clip(opt.text)}" is not a number; whether it blocks inheritance is unknown`);
    } else som.blockInheritance = blocksInheritance(n);
  }
  if (!usable) {
    data.skipped.push({ dn: entry.dn, reason });
    return;
  }
  data.soms.push(som);
}

/**
 * A value with "[" inside one link (hostile or damaged): keep only the last "[" of each "]"-terminated piece and say
 * what was dropped, in words a reader of the LDIF can act on. (parseGpLink itself stays linear on such input.)
 */
function guardGpLink(value: string): { text: string; errors: string[] } {
  let dropped = 0;
  let example = '';
  const pieces = value.split(']').map((piece) => {
    const last = piece.lastIndexOf('[');
    if (last <= 0 || piece.indexOf('[') === last) return piece;
    if (dropped++ === 0) example = piece.slice(0, last);
    return piece.slice(last);
  });
  if (dropped === 0) return { text: value, errors: [] };
  const where = dropped === 1 ? 'one link' : `${dropped} links`;
  return { text: pieces.join(']'), errors: [`has "[" inside ${where}; the text before the last "[" is dropped (first: "${clip(example, 40)}")`] };
}

/** `domain`: only DC= components; `site`: CN=<site>,CN=Sites,CN=Configuration,DC=...; anything else an OU. */
function somKind(dn: string): ScopeOfManagement['kind'] {
  const rdns = splitDn(dn);
  const firstDc = rdns.findIndex((r) => r.type === 'dc');
  if (firstDc < 0 || rdns.slice(firstDc).some((r) => r.type !== 'dc')) return 'ou';
  if (firstDc === 0) return 'domain';
  const is = (r: Rdn | undefined, value: string) => r?.type === 'cn' && r.value.toLowerCase() === value;
  if (firstDc >= 3 && is(rdns[firstDc - 1], 'configuration') && is(rdns[firstDc - 2], 'sites')) return 'site';
  return 'ou';
}
