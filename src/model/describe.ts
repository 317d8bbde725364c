import { describePrincipal } from './principals.js';
import type { GpoRef, Provenance, RegistryData, RegistryOperation, Setting, SourcePosition } from './settings.js';

/**
 * One way of writing a source position: what a line (and column) of a text format becomes, and what a byte
 * offset into a binary one (Registry.pol) becomes.
 */
export interface PositionForm<T> {
  line(line: number, column: number | undefined): T;
  byte(offset: number): T;
}

/** In words, for a message: `line 12`, `line 12, column 3`, `byte 120`. */
const IN_WORDS: PositionForm<string> = {
  line: (line, column) => (column === undefined ? `line ${line}` : `line ${line}, column ${column}`),
  byte: (offset) => `byte ${offset}`,
};

/** After a file name: `:12` (no column), `@byte 120`. */
const AFTER_FILE: PositionForm<string> = {
  line: (line) => `:${line}`,
  byte: (offset) => `@byte ${offset}`,
};

/**
 * The one formatter of source positions. Problems say where in words (the default form), locations put the
 * position after the file name (formatLocation), and the SARIF reporter passes its own form to build a region.
 */
export function formatPosition(position: SourcePosition): string;
export function formatPosition<T>(position: SourcePosition, form: PositionForm<T>): T;
export function formatPosition<T>(position: SourcePosition, form?: PositionForm<T>): T | string {
  const f: PositionForm<T | string> = form ?? IN_WORDS;
  return 'byteOffset' in position ? f.byte(position.byteOffset) : f.line(position.line, position.column);
}

/** `file:12` for text formats, `file@byte 120` for Registry.pol. */
export function formatLocation(p: Pick<Provenance, 'file' | 'position'>): string {
  return `${p.file}${formatPosition(p.position, AFTER_FILE)}`;
}

export function formatGpo(ref: GpoRef): string {
  const parts = [ref.name ? `"${ref.name}"` : '(unnamed GPO)', ref.id, ref.domain ? `(${ref.domain})` : undefined];
  return parts.filter(Boolean).join(' ');
}

export function formatData(data: RegistryData): string {
  switch (data.type) {
    case 'REG_DWORD':
    case 'REG_DWORD_BIG_ENDIAN':
      return `${data.value} (${data.type})`;
    case 'REG_MULTI_SZ':
      return `[${data.value.map((v) => JSON.stringify(v)).join(', ')}] (REG_MULTI_SZ)`;
    case 'REG_QWORD':
      return `${data.value} (REG_QWORD)`;
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
    case 'REG_LINK':
      return `${JSON.stringify(data.value)} (${data.type})`;
    default:
      return `hex:${data.value.length > 64 ? `${data.value.slice(0, 64)}…` : data.value} (${data.type})`;
  }
}

export function formatOperation(op: RegistryOperation): string {
  switch (op.op) {
    case 'set':
      return `= ${formatData(op.data)}`;
    case 'set-if-absent':
      return `= ${formatData(op.data)} unless already set`;
    case 'delete':
      return 'deleted';
    case 'delete-all-values':
      return 'all values deleted';
    case 'delete-values':
      return `values deleted: ${op.names.join(', ')}`;
    case 'delete-keys':
      return `subkeys deleted: ${op.keys.join(', ')}`;
    case 'secure-key':
      return op.secure ? 'key secured (admins full control, users read)' : 'key ACL reset to parent';
    case 'create-key':
      return 'key created';
  }
}

/** One line describing what a setting configures, without its location. */
export function describeSetting(s: Setting): string {
  switch (s.kind) {
    case 'registry': {
      const path = `${s.hive}\\${s.key}${s.valueName ? `\\${s.valueName}` : ''}`;
      const tags = [
        s.securityOption ? `security option${s.securityOption.displayName ? ` "${s.securityOption.displayName}"` : ''}` : undefined,
        s.policy ? `policy ${s.policy.id}` : undefined,
        s.preference ? `preference "${s.preference.itemName}" ${s.preference.action}${s.preference.disabled ? ', disabled' : ''}${s.preference.conditional ? ', conditional (item-level targeting)' : ''}` : undefined,
      ].filter(Boolean);
      return `${path} ${formatOperation(s.operation)}${tags.length ? `  [${tags.join('; ')}]` : ''}`;
    }
    case 'privilege-right':
      return `right ${s.right}: ${s.principals.length ? s.principals.map(describePrincipal).join(', ') : '(no one)'}`;
    case 'account-policy':
      return `${s.section}: ${s.name} = ${JSON.stringify(s.value)}`;
    case 'audit':
      return `audit ${s.name}: ${[s.success ? 'success' : '', s.failure ? 'failure' : ''].filter(Boolean).join(' and ') || 'no auditing'}`;
    case 'group-membership': {
      const list = (ps: typeof s.members) => (ps === undefined ? 'not defined' : ps.length ? ps.map(describePrincipal).join(', ') : '(empty)');
      return `restricted group ${describePrincipal(s.group)}: members ${list(s.members)}; member of ${list(s.memberOf)}`;
    }
    case 'admin-template': {
      const elements = s.elements.map((e) => `${e.label || e.kind}: ${'entries' in e ? e.entries.map((x) => x.value).join(', ') : String(e.value)}`);
      const writes = s.registry.length
        ? ` → ${s.registry.map((r) => `${r.hive}\\${r.key}\\${r.valueName} ${formatOperation(r.operation)}`).join('; ')}`
        : s.unmappedReason ? ` (registry values unknown: ${s.unmappedReason})` : '';
      return `policy "${s.displayName}" ${s.state}${s.category ? ` [${s.category}]` : ''}${elements.length ? ` {${elements.join('; ')}}` : ''}${writes}`;
    }
    case 'power-plan': {
      const props = Object.entries(s.properties).filter(([k]) => k !== 'action').map(([k, v]) => `${k}=${v}`).join(' ');
      const flags = [s.makeActive ? 'made active' : '', s.preference.disabled ? 'disabled' : '', s.preference.conditional ? 'conditional' : ''].filter(Boolean).join(', ');
      return `power plan "${s.itemName}" (${s.variant}${s.planGuid ? ` ${s.planGuid}` : ''})${flags ? ` [${flags}]` : ''}: ${props}`;
    }
  }
}
