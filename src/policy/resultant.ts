// Which applied GPO wins each setting: the resultant set of policy of one OU and side, computed from the GPO list
// (effective.ts) and each GPO's settings. Rules and decisions: docs/effective-policy.md.
import type { GpoSide } from '../model/gpo-links.js';
import { guidKey, settingKey } from '../model/keys.js';
import type { Setting } from '../model/settings.js';
import type { AppliedGpo } from './effective.js';

export interface ResultantEntry {
  gpoId: string;
  precedence: number;
  setting: Setting;
}

export interface ResultantSetting {
  /** model/keys.ts settingKey, refined for the kinds it keys by kind alone (resultantKey). */
  key: string;
  /** From the applied GPO with the best (lowest) precedence that configures the key. */
  winner: ResultantEntry;
  /** Every other setting of the key, best precedence first. */
  overridden: ResultantEntry[];
  /** The winner and a loser with a different value come from GPOs whose relative order is not known. */
  orderUnknown: boolean;
}

/**
 * The key two settings share when they configure the same thing. model/keys.ts settingKey, except for the kinds it
 * keys by kind alone (audit, administrative templates), which would otherwise make every audit setting override
 * every other: those are keyed here by subcategory (or name) and by policy (id, else display name) and side.
 */
export function resultantKey(s: Setting): string {
  switch (s.kind) {
    case 'audit':
      return `audit:${(s.subcategoryGuid ?? s.name).toLowerCase()}`;
    case 'admin-template':
      return `policy:${s.scope}:${(s.policyId ?? s.displayName).toLowerCase()}`;
    default:
      return settingKey(s);
  }
}

/** Which side of a GPO a setting belongs to; security settings and power plans are the computer's. */
function settingSide(s: Setting): GpoSide | undefined {
  if (s.kind === 'registry') return s.hive === 'HKLM' ? 'computer' : 'user';
  if (s.kind === 'admin-template') return s.scope;
  if (s.kind === 'power-plan') return undefined;
  return 'computer';
}

/** Sorted-key JSON of what a setting sets, without where it was read. */
function valueOf(s: Setting): string {
  const { provenance: _p, ...rest } = s;
  return JSON.stringify(rest, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether the relative order of two applied GPOs is unknown: same container and enforced state, a link order missing. */
function orderUnknownBetween(a: AppliedGpo, b: AppliedGpo): boolean {
  if (a.id === b.id) return false;
  return a.linkedAt === b.linkedAt && a.enforced === b.enforced && (a.linkOrder === undefined || b.linkOrder === undefined);
}

/**
 * Per setting key, the winning setting and those it overrides. `applied` is effectiveGpoList's list; settings of GPOs
 * not in it are ignored. With `side`, settings of the other side (HKCU under computer, user-scope templates) are left
 * out; power plans, which carry no side, are kept.
 */
export function resultantSettings(
  applied: AppliedGpo[],
  settingsByGpo: Map<string, Setting[]>,
  options: { side?: GpoSide } = {},
): Map<string, ResultantSetting> {
  const byId = new Map<string, Setting[]>();
  for (const [id, settings] of settingsByGpo) byId.set(guidKey(id), [...(byId.get(guidKey(id)) ?? []), ...settings]);

  const gpos = [...applied].sort((a, b) => a.precedence - b.precedence);
  const entries = new Map<string, (ResultantEntry & { gpo: AppliedGpo })[]>();
  for (const gpo of gpos) {
    for (const setting of byId.get(guidKey(gpo.id)) ?? []) {
      if (options.side !== undefined) {
        const side = settingSide(setting);
        if (side !== undefined && side !== options.side) continue;
      }
      const key = resultantKey(setting);
      const list = entries.get(key) ?? [];
      list.push({ gpoId: gpo.id, precedence: gpo.precedence, setting, gpo });
      entries.set(key, list);
    }
  }

  const result = new Map<string, ResultantSetting>();
  for (const [key, list] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [first, ...rest] = list;
    const winnerValue = valueOf(first!.setting);
    const orderUnknown = rest.some((l) => orderUnknownBetween(first!.gpo, l.gpo) && valueOf(l.setting) !== winnerValue);
    const strip = ({ gpoId, precedence, setting }: ResultantEntry): ResultantEntry => ({ gpoId, precedence, setting });
    result.set(key, { key, winner: strip(first!), overridden: rest.map(strip), orderUnknown });
  }
  return result;
}

/**
 * What each applied GPO contributes once every conflict is settled: per GPO (best precedence first in `applied`),
 * only the settings of `side` it wins. Unlike resultantSettings, which compares what gpresult shows (a policy as a
 * whole), this compares what the rules read: registry values one by one, so an administrative template that loses
 * one of its values to a better GPO keeps the others. Settings that never take effect (an RSoP loser, a disabled
 * preference item) neither win nor hide another GPO's value.
 */
export function winningSettingsByGpo(applied: readonly AppliedGpo[], settingsByGpo: ReadonlyMap<string, Setting[]>, side: GpoSide): Map<string, Setting[]> {
  const byId = new Map<string, Setting[]>();
  for (const [id, settings] of settingsByGpo) byId.set(guidKey(id), [...(byId.get(guidKey(id)) ?? []), ...settings]);
  const owner = new Map<string, string>();
  const out = new Map<string, Setting[]>();
  for (const gpo of [...applied].sort((a, b) => a.precedence - b.precedence)) {
    const id = guidKey(gpo.id);
    const kept: Setting[] = [];
    // A key is won by the first GPO (in precedence order) that sets it; the same GPO may set it more than once
    // (the same value read from a report and from Registry.pol), and every such setting stays.
    const wins = (key: string): boolean => {
      const o = owner.get(key);
      if (o === undefined) owner.set(key, id);
      return o === undefined || o === id;
    };
    for (const s of byId.get(id) ?? []) {
      if ((settingSide(s) ?? 'computer') !== side || !takesEffect(s)) continue;
      if (s.kind === 'admin-template') {
        const registry = s.registry.filter((r) => wins(settingKey(r)));
        if (registry.length > 0 || s.registry.length === 0) kept.push(registry.length === s.registry.length ? s : { ...s, registry });
        continue;
      }
      if (s.kind === 'audit' || wins(settingKey(s))) kept.push(s);
    }
    out.set(id, kept);
  }
  return out;
}

function takesEffect(s: Setting): boolean {
  if (s.provenance.rsop && !s.provenance.rsop.winner) return false;
  if ((s.kind === 'registry' || s.kind === 'power-plan') && s.preference?.disabled) return false;
  return true;
}
