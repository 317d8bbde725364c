import { createHash } from 'node:crypto';
import type { Finding, FindingLocation, NotEvaluated } from '../model/findings.js';
import type { UnreadExtension } from '../model/gpo.js';
import { accountPolicyKey, GROUP_MEMBERSHIP_KEY, gpoKey, POWER_PLAN_KEY, registryKey, rightKey, settingKey } from '../model/keys.js';
import { scopeForHive, type GpoRef, type InputFormat, type PolicyScope, type RegistrySetting, type Setting } from '../model/settings.js';
import type { FileOutcome, GpoSettings, NormalisedUnit } from '../model/unit.js';
import type { GpoFact, GpoFactKind } from '../model/gpo-health.js';
import { extensionCanSet, GPP_FILE_EXTENSIONS, type RuleTarget } from '../model/extensions.js';
import { describeSetting, formatData, formatOperation } from '../model/describe.js';
import { evaluate, planProperty, toNumber, unhandled, type ConditionContext, type SubjectValue } from './conditions.js';
import { principalMatches } from './principal-sets.js';
import type { Check, Condition, Matcher, MatcherKind, RegistryRef, Rule } from '../rules/types.js';

/**
 * Input formats that can carry each kind of setting a matcher looks for. GPO reports and RSoP carry preference
 * registry values and power plans too: their "Windows Registry" and "Power Options" extensions are read.
 */
const CARRIERS: Readonly<Record<MatcherKind, ReadonlySet<InputFormat>>> = {
  registry: new Set(['gpo-report', 'rsop', 'security-template', 'registry-pol', 'gpp-registry']),
  right: new Set(['gpo-report', 'rsop', 'security-template']),
  groupMembers: new Set(['gpo-report', 'rsop', 'security-template']),
  accountPolicy: new Set(['gpo-report', 'rsop', 'security-template']),
  powerPlan: new Set(['gpo-report', 'rsop', 'gpp-power']),
  // Users come from `gpaudit ldap scan`, never from a GPO export.
  directory: new Set(),
  // GPO facts compare two sources (directory and SYSVOL, or a report's two versions): see addGpoFacts.
  gpo: new Set(['gpo-report', 'gpt-ini']),
};

const KIND_NAMES: Readonly<Record<MatcherKind, string>> = {
  registry: 'registry values',
  right: 'user rights',
  groupMembers: 'restricted groups',
  accountPolicy: 'account policies',
  powerPlan: 'preference power plans',
  directory: 'directory users',
  gpo: 'GPO versions and SYSVOL folders',
};

/** A rule about directory users (run by `gpaudit ldap scan`) rather than GPO settings (run by `gpaudit audit`). */
export function isDirectoryRule(rule: Rule): boolean {
  return rule.checks.every((c) => c.match.kind === 'directory');
}

/** One applied GPO of an OU's resultant policy, with only the settings it wins (src/policy). */
export interface ResultantGpo {
  group: GpoSettings;
  precedence: number;
  wmiFilter?: { id: string; name?: string };
  /** The unit (folder or file) the GPO's settings came from, for messages. */
  display: string;
  /** The outcomes of that unit's files: Preferences files gpaudit does not read leave rules not evaluated. */
  outcomes: readonly FileOutcome[];
}

/**
 * A rule that compares the directory with SYSVOL (a GPO container without its folder): only `audit --ou` with a
 * directory or LDIF export and `--sysvol` has both halves, so a plain `audit` leaves it out, as it leaves out the
 * directory-user rules.
 */
export function isDirectoryGpoRule(rule: Rule): boolean {
  return rule.checks.every((c) => c.match.kind === 'gpo' && DIRECTORY_FACTS.has(c.match.fact));
}

const DIRECTORY_FACTS: ReadonlySet<GpoFactKind> = new Set(['sysvolMissing']);

interface Subject {
  setting: Setting;
  value: SubjectValue;
  check: Check;
}

/** An evaluator's findings and flags as plain data (structured-clone safe), for merging into another: see takePart. */
export interface EvaluatorPart {
  /** By finding key (rule and GPO), in the order they were first found. */
  findings: [key: string, finding: Finding][];
  /** In the order they were noted; an unread-extension entry carries the key that dedupes it. */
  notEvaluated: { entry: NotEvaluated; unreadKey?: string }[];
  configured: string[];
  formatsRead: InputFormat[];
  factsRead: GpoFactKind[];
}

/**
 * Evaluates a rule set unit by unit as the estate streams past, keeping only findings and a few flags, then
 * adds what can only be known at the end: rules nothing configured, rules no input could carry.
 */
export class Evaluator {
  private readonly findings = new Map<string, Finding>();
  private readonly notEvaluated: NotEvaluated[] = [];
  private readonly configured = new Set<string>();
  private readonly formatsRead = new Set<InputFormat>();
  /** (rule, GPO, file) already reported not evaluated because of an unread extension. */
  private readonly unreadNoted = new Set<string>();
  /** What each rule's matchers read, for the unread-extension check: worked out once, not per GPO. */
  private readonly targets = new Map<string, RuleTarget[]>();
  /** GPO facts some input provided (so a `gpo` matcher had something to look at). */
  private readonly factsRead = new Set<GpoFactKind>();
  /** The dedupe key of each unread-extension entry in `notEvaluated`, so a part merged later is deduped the same way. */
  private readonly unreadKeyOf = new Map<NotEvaluated, string>();

  constructor(private readonly rules: readonly Rule[]) {}

  /**
   * What this evaluator has gathered, as plain data, and a fresh start: a worker thread evaluates its units and
   * hands each unit's part to the main thread's evaluator (`merge`). Everything before `finish` is per unit or
   * merges as a union, so merging the parts in reading order gives what one evaluator reading every unit gives.
   */
  takePart(): EvaluatorPart {
    const part: EvaluatorPart = {
      findings: [...this.findings],
      notEvaluated: this.notEvaluated.map((entry) => {
        const unreadKey = this.unreadKeyOf.get(entry);
        return unreadKey === undefined ? { entry } : { entry, unreadKey };
      }),
      configured: [...this.configured],
      formatsRead: [...this.formatsRead],
      factsRead: [...this.factsRead],
    };
    this.findings.clear();
    this.notEvaluated.length = 0;
    this.unreadKeyOf.clear();
    this.unreadNoted.clear();
    this.configured.clear();
    this.formatsRead.clear();
    this.factsRead.clear();
    return part;
  }

  /**
   * Adds a part made by another evaluator (`takePart`), as if its units had been added here: a finding already
   * known gains only the locations it lacks, an unread-extension entry already noted is dropped.
   */
  merge(part: EvaluatorPart): void {
    for (const [key, finding] of part.findings) {
      const existing = this.findings.get(key);
      if (!existing) {
        this.findings.set(key, finding);
        continue;
      }
      for (const l of finding.locations) if (!existing.locations.some((e) => sameLocation(e, l))) existing.locations.push(l);
    }
    for (const { entry, unreadKey } of part.notEvaluated) {
      if (unreadKey !== undefined) {
        if (this.unreadNoted.has(unreadKey)) continue;
        this.unreadNoted.add(unreadKey);
        this.unreadKeyOf.set(entry, unreadKey);
      }
      this.notEvaluated.push(entry);
    }
    for (const id of part.configured) this.configured.add(id);
    for (const f of part.formatsRead) this.formatsRead.add(f);
    for (const f of part.factsRead) this.factsRead.add(f);
  }

  addUnit(unit: NormalisedUnit): void {
    this.addOutcomes(unit.outcomes);
    // In RSoP the values in force come from the whole result (AC from one GPO, DC from another), so sibling
    // comparisons look across every winning setting of the unit; elsewhere they stay within the GPO.
    const isRsop = unit.gpos.some((g) => g.settings.some((s) => s.provenance.rsop));
    const resultant = isRsop ? new Map<string, Setting[]>() : undefined;
    if (resultant) for (const group of unit.gpos) indexSettings(group, resultant);
    const unreadFiles = unreadPreferenceFiles(unit.outcomes);
    for (const group of unit.gpos) this.evaluateGroup(group, unit.display, resultant, unreadFiles);
  }

  /** What each file of a unit came to: failed files leave every rule not evaluated for them. */
  addOutcomes(outcomes: readonly FileOutcome[]): void {
    for (const o of outcomes) {
      if (o.status === 'read') this.formatsRead.add(o.format);
      if (o.status === 'failed') {
        for (const rule of this.rules) this.notEvaluated.push({ ruleId: rule.id, input: o.file, reason: 'the file could not be read (see problems)' });
      }
    }
  }

  /**
   * The resultant policy of an OU (src/policy): each applied GPO with only the settings it wins, best precedence
   * first. Sibling comparisons look across every winning setting, as in RSoP; each finding names the winning GPO
   * and its precedence, and a GPO behind a WMI filter makes its findings conditional on it.
   */
  addResultant(gpos: readonly ResultantGpo[]): void {
    const siblings = new Map<string, Setting[]>();
    for (const g of gpos) indexSettings(g.group, siblings);
    for (const g of gpos) {
      this.evaluateGroup(g.group, g.display, siblings, unreadPreferenceFiles(g.outcomes), { precedence: g.precedence, ...(g.wmiFilter ? { wmiFilter: g.wmiFilter } : {}) });
    }
  }

  /** GPO health facts (version mismatch, SYSVOL folder missing) for the `gpo` matchers. */
  addGpoFacts(facts: readonly GpoFact[]): void {
    for (const f of facts) this.factsRead.add(f.fact);
    for (const rule of this.rules) {
      for (const check of rule.checks) {
        const m = check.match;
        if (m.kind !== 'gpo') continue;
        for (const fact of facts) {
          if (fact.fact !== m.fact) continue;
          this.configured.add(rule.id);
          const notes: string[] = [];
          if (!evaluate(check.when, { kind: 'scalar', value: fact.value }, { notes, sibling: () => undefined })) continue;
          this.recordFact(rule, fact, check, notes);
        }
      }
    }
  }

  private evaluateGroup(
    group: GpoSettings,
    display: string,
    siblings: Map<string, Setting[]> | undefined,
    unreadFiles: Map<string, UnreadExtension[]>,
    resultant?: { precedence: number; wmiFilter?: { id: string; name?: string } },
  ): void {
    const index = indexSettings(group);
    const unread = unreadExtensionsByFile(group, unreadFiles);
    for (const rule of this.rules) {
      this.evaluateRule(rule, group, index, display, siblings ?? index, resultant);
      if (unread.size > 0) this.noteUnreadExtensions(rule, group, unread);
    }
  }

  /**
   * An extension gpaudit does not read that could write what the rule reads leaves the rule not evaluated for
   * that GPO, whatever else the GPO sets: one entry per rule, GPO and file, naming the extensions. What each
   * extension can write is decided by its namespace (model/extensions.ts); an unknown one could write anything.
   */
  private noteUnreadExtensions(rule: Rule, group: GpoSettings, unread: Map<string, UnreadExtension[]>): void {
    let targets = this.targets.get(rule.id);
    if (!targets) this.targets.set(rule.id, (targets = rule.checks.flatMap((c) => ruleTargets(c.match))));
    if (targets.length === 0) return;
    for (const [file, extensions] of unread) {
      const names = uniq(extensions.filter((e) => targets.some((t) => extensionCanSet(e.namespace, t))).map((e) => e.name));
      if (names.length === 0) continue;
      const key = [rule.id, gpoKey(group.gpo), file].join('\u0000');
      if (this.unreadNoted.has(key)) continue;
      this.unreadNoted.add(key);
      // The GPO and extension names are slices of the report's text: detached, or every report stays alive (see detach).
      const entry = detach({ ruleId: rule.id, input: file, reason: unreadReason(group.gpo, names) });
      this.unreadKeyOf.set(entry, key);
      this.notEvaluated.push(entry);
    }
  }

  /**
   * What only the end can tell: rules no input could carry, and rules nothing configured. With `ou`, the audit
   * judged the resultant policy of that OU: a setting no GPO reaching it configures takes the Windows default, which
   * a `notConfigured: fail` rule reports at the rule's own severity, naming the OU.
   */
  finish(options: { ou?: string } = {}): { findings: Finding[]; notEvaluated: NotEvaluated[] } {
    for (const rule of this.rules) {
      const kinds = [...new Set(rule.checks.map((c) => c.match.kind))];
      const readable = kinds.filter((k) =>
        k === 'gpo' ? rule.checks.some((c) => c.match.kind === 'gpo' && this.factsRead.has(c.match.fact)) : [...CARRIERS[k]].some((f) => this.formatsRead.has(f)),
      );
      if (readable.length === 0) {
        const carriers = [...new Set(kinds.flatMap((k) => [...CARRIERS[k]]))].join(', ');
        this.notEvaluated.push({
          ruleId: rule.id,
          reason: kinds.every((k) => k === 'gpo')
            ? 'no input said what this rule compares (directory versions against SYSVOL, or a GPO report with both versions)'
            : `no input that can carry ${kinds.map((k) => KIND_NAMES[k]).join(' or ')} was read (needs one of: ${carriers})`,
        });
        continue;
      }
      if (this.configured.has(rule.id)) continue;
      const nc = rule.notConfigured;
      if (nc.outcome === 'fail') {
        const finding: Finding = {
          ruleId: rule.id,
          title: rule.title,
          severity: options.ou !== undefined ? rule.severity : nc.severity,
          tags: rule.tags,
          message: options.ou !== undefined ? `${nc.message} (no GPO that reaches ${options.ou} sets it: the Windows default applies there)` : nc.message,
          notConfigured: true,
          ...(options.ou !== undefined ? { ou: options.ou } : {}),
          locations: [],
          fingerprint: fingerprint([rule.id, 'not-configured', ...(options.ou !== undefined ? [options.ou.toLowerCase()] : [])]),
        };
        this.findings.set(`${rule.id}\u0000not-configured`, finding);
      } else if (nc.outcome === 'not-evaluated') {
        this.notEvaluated.push({ ruleId: rule.id, reason: nc.message ?? 'no input configures the setting this rule checks' });
      }
    }
    return { findings: [...this.findings.values()], notEvaluated: this.notEvaluated };
  }

  /** One finding per rule and GPO for a health fact: where it stands (GPT.INI, report) or the directory object. */
  private recordFact(rule: Rule, fact: GpoFact, check: Check, notes: string[]): void {
    const key = `${rule.id}\u0000${gpoKey(fact.gpo, `fact:${fact.subject}`)}`;
    const described = check.message ? check.message.replaceAll('{setting}', fact.detail).replaceAll('{value}', fact.detail) : fact.detail;
    const existing = this.findings.get(key);
    if (existing) {
      for (const l of fact.locations) if (!existing.locations.some((e) => sameLocation(e, l))) existing.locations.push(l);
      return;
    }
    const finding: Finding = {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      tags: rule.tags,
      message: `${rule.title}: ${described}${notes.length ? ` (${uniq(notes).join('; ')})` : ''}`,
      ...(check.message || notes.length ? { notes: [...(check.message ? [described] : []), ...uniq(notes)] } : {}),
      ...(fact.gpo.id || fact.gpo.name ? { gpo: fact.gpo } : {}),
      ...(fact.directoryObject ? { directoryObject: fact.directoryObject } : {}),
      locations: dedupe(fact.locations),
      fingerprint: fingerprint([rule.id, gpoKey(fact.gpo, `fact:${fact.subject}`), fact.fact]),
    };
    this.findings.set(key, detach(finding));
  }

  private evaluateRule(
    rule: Rule,
    group: GpoSettings,
    index: Map<string, Setting[]>,
    unitDisplay: string,
    siblings: Map<string, Setting[]>,
    resultant?: { precedence: number; wmiFilter?: { id: string; name?: string } },
  ): void {
    const notes: string[] = [];
    const matched: Subject[] = [];
    for (const check of rule.checks) {
      const ctx: ConditionContext = { notes, sibling: (ref) => siblingNumber(siblings, ref) };
      for (const subject of subjectsFor(check, index)) {
        this.configured.add(rule.id);
        if (evaluate(check.when, subject.value, ctx)) matched.push(subject);
      }
    }
    if (matched.length === 0) return;
    this.record(rule, group.gpo, matched, notes, unitDisplay, resultant);
  }

  private record(
    rule: Rule,
    gpo: GpoRef,
    matched: Subject[],
    notes: string[],
    unitDisplay: string,
    resultant?: { precedence: number; wmiFilter?: { id: string; name?: string } },
  ): void {
    // One finding per rule and GPO, however many formats or units the GPO arrived in.
    const gpoId = gpoKey(gpo, `input:${unitDisplay}`);
    const key = `${rule.id}\u0000${gpoId}`;
    const locations = matched.map(locationOf);
    const existing = this.findings.get(key);
    if (existing) {
      for (const l of locations) if (!existing.locations.some((e) => sameLocation(e, l))) existing.locations.push(detach(l));
      return;
    }
    const targeted = matched.some((m) => (m.setting.kind === 'registry' || m.setting.kind === 'power-plan') && m.setting.preference?.conditional);
    const wmi = resultant?.wmiFilter;
    const conditional = targeted || wmi !== undefined;
    const rsop = matched.find((m) => m.setting.provenance.rsop)?.setting.provenance.rsop;
    const settingsText = uniq(matched.map((m) => describeSubject(m))).join('; ');
    const extras = [
      ...uniq(notes),
      ...(targeted ? ['set by a preference item with item-level targeting: it applies only where its filters match'] : []),
      ...(wmi ? [`the GPO has the WMI filter ${wmi.name ? `"${wmi.name}"` : wmi.id}, which gpaudit does not evaluate: it applies only where the filter matches`] : []),
    ];
    // A check's own message template says something the locations do not; the default description only repeats them.
    const custom = uniq(matched.filter((m) => m.check.message).map((m) => describeSubject(m)));
    const finding: Finding = {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      tags: rule.tags,
      message: `${rule.title}: ${settingsText}${extras.length ? ` (${extras.join('; ')})` : ''}`,
      ...(custom.length + extras.length > 0 ? { notes: [...custom, ...extras] } : {}),
      ...(gpo.id || gpo.name ? { gpo } : {}),
      ...(rsop ? { rsop } : {}),
      ...(resultant ? { precedence: resultant.precedence } : {}),
      locations: dedupe(locations),
      ...(conditional ? { conditional } : {}),
      fingerprint: fingerprint([rule.id, gpoId, ...uniq(matched.map((m) => settingKey(m.setting))).sort()]),
    };
    this.findings.set(key, detach(finding));
  }
}

/**
 * Strings read from an input are slices of its whole decoded text, and V8 keeps that text alive as long as any
 * slice lives. Findings outlive their unit, so they get copies of their own: without this an audit of 5,000 GPOs
 * held every report's text to the end (423 MB peak RSS).
 */
export function detach<T>(value: T): T {
  return structuredClone(value);
}

/** Extensions of this GPO that gpaudit does not read, by the file that holds them; halves that do not apply are left out. */
function unreadExtensionsByFile(group: GpoSettings, files: ReadonlyMap<string, UnreadExtension[]>): Map<string, UnreadExtension[]> {
  const out = new Map<string, UnreadExtension[]>();
  for (const [file, extensions] of files) {
    const applying = extensions.filter((e) => sideApplies(group, e.scope));
    if (applying.length > 0) out.set(file, applying);
  }
  for (const source of group.info?.sources ?? []) {
    for (const e of source.unreadExtensions ?? []) {
      if (!sideApplies(group, e.scope)) continue;
      const list = out.get(source.file);
      if (list) list.push(e);
      else out.set(source.file, [e]);
    }
  }
  return out;
}

/**
 * Preferences files of kinds gpaudit does not read (Groups.xml, ScheduledTasks.xml, ...) found in a GPO folder: the
 * same extensions a GPO report names when it holds them, so the same rules become not evaluated for that GPO.
 */
function unreadPreferenceFiles(outcomes: readonly FileOutcome[]): Map<string, UnreadExtension[]> {
  const out = new Map<string, UnreadExtension[]>();
  for (const o of outcomes) {
    if (o.status !== 'unsupported' || !o.preferences) continue;
    const known = Object.hasOwn(GPP_FILE_EXTENSIONS, o.preferences.root) ? GPP_FILE_EXTENSIONS[o.preferences.root]! : undefined;
    const extension = known ?? { name: `Preferences ${o.preferences.root}`, namespace: '' };
    // A file outside a Machine/User folder could belong to either half.
    const scopes: PolicyScope[] = o.preferences.scope ? [o.preferences.scope] : ['computer', 'user'];
    out.set(o.file, scopes.map((scope) => ({ ...extension, scope })));
  }
  return out;
}

/** What a matcher reads, for deciding whether an unread extension could write it. Directory users: nothing. */
function ruleTargets(m: Matcher): RuleTarget[] {
  switch (m.kind) {
    case 'registry':
      return m.refs.map((r) => ({ kind: 'registry', hive: r.hive, key: r.key }));
    case 'right':
    case 'groupMembers':
    case 'accountPolicy':
    case 'powerPlan':
      return [{ kind: m.kind }];
    case 'directory':
    case 'gpo':
      return [];
    default:
      return unhandled('matcher', m);
  }
}

function unreadReason(gpo: GpoRef, names: string[]): string {
  const who = gpo.name ? `the GPO "${gpo.name}"` : gpo.id ? `the GPO ${gpo.id}` : 'the GPO';
  const quoted = names.map((n) => `"${n}"`);
  const list = quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]!}`;
  return `${who} holds the ${list} extension${names.length === 1 ? '' : 's'}, which gpaudit does not read and which can set this rule's setting`;
}

/** The half of a GPO a setting belongs to: user-side registry values live in HKCU. */
function sideOf(s: Setting): PolicyScope {
  if (s.kind === 'registry') return scopeForHive(s.hive);
  if (s.kind === 'admin-template') return s.scope;
  return 'computer';
}

/** False when the input says this half of the GPO does not apply: disabled in the GPO, or not applied in RSoP. */
function sideApplies(group: GpoSettings, side: PolicyScope): boolean {
  const info = group.info;
  if (!info) return true;
  if ((side === 'computer' ? info.computerEnabled : info.userEnabled) === false) return false;
  return info.rsop?.[side]?.applied !== false;
}

/**
 * Only settings that take effect are indexed: RSoP losers (precedence > 1), halves of a GPO that are disabled
 * or did not apply, and disabled preference items are left out. A deleted value is indexed, but subjectsFor drops
 * it: it leaves the Windows default in force, so for a rule it counts as not configured.
 */
export function indexSettings(group: GpoSettings, index = new Map<string, Setting[]>()): Map<string, Setting[]> {
  const add = (key: string, s: Setting) => {
    const list = index.get(key);
    if (list) list.push(s);
    else index.set(key, [s]);
  };
  const applies = { computer: sideApplies(group, 'computer'), user: sideApplies(group, 'user') };
  for (const s of group.settings) {
    if (s.provenance.rsop && !s.provenance.rsop.winner) continue;
    if (!applies[sideOf(s)]) continue;
    switch (s.kind) {
      case 'registry':
        if (!s.preference?.disabled) add(registryKey(s.hive, s.key, s.valueName), s);
        break;
      case 'admin-template':
        for (const r of s.registry) add(registryKey(r.hive, r.key, r.valueName), r);
        break;
      case 'privilege-right':
        add(rightKey(s.right), s);
        break;
      case 'group-membership':
        // Few per GPO; matched against the rule's principal spec (SID, RID or alias) at lookup.
        add(GROUP_MEMBERSHIP_KEY, s);
        break;
      case 'account-policy':
        add(accountPolicyKey(s.name), s);
        break;
      case 'power-plan':
        if (!s.preference.disabled) add(POWER_PLAN_KEY, s);
        break;
      case 'audit':
        break;
    }
  }
  return index;
}

function subjectsFor(check: Check, index: Map<string, Setting[]>): Subject[] {
  const m = check.match;
  const out: Subject[] = [];
  switch (m.kind) {
    case 'registry':
      for (const ref of m.refs) {
        for (const s of index.get(registryKey(ref.hive, ref.key, ref.value)) ?? []) {
          const value = s.kind === 'registry' ? registryValue(s) : undefined;
          if (value) out.push({ setting: s, value, check });
          else out.push({ setting: s, value: { kind: 'scalar', value: '' }, check });
        }
      }
      // A deleted value leaves the Windows default in force: not configured for the rule, and no data to fire on.
      return out.filter((s) => s.setting.kind !== 'registry' || (s.setting.operation.op !== 'delete' && s.setting.operation.op !== 'delete-all-values'));
    case 'right':
      for (const s of index.get(rightKey(m.right)) ?? []) if (s.kind === 'privilege-right') out.push({ setting: s, value: { kind: 'principals', value: s.principals }, check });
      return out;
    case 'groupMembers':
      for (const s of index.get(GROUP_MEMBERSHIP_KEY) ?? []) {
        if (s.kind === 'group-membership' && s.members !== undefined && principalMatches(s.group, m.group)) {
          out.push({ setting: s, value: { kind: 'principals', value: s.members }, check });
        }
      }
      return out;
    case 'powerPlan':
      for (const s of index.get(POWER_PLAN_KEY) ?? []) {
        if (s.kind === 'power-plan' && (!m.variant || s.variant === m.variant)) out.push({ setting: s, value: { kind: 'power-plan', value: s }, check });
      }
      return out;
    case 'accountPolicy':
      for (const s of index.get(accountPolicyKey(m.policy)) ?? []) {
        if (s.kind === 'account-policy') out.push({ setting: s, value: { kind: 'scalar', value: s.value }, check });
      }
      return out;
    case 'directory':
      // Users come from a directory scan (evaluate-directory.ts), never from a GPO.
      return out;
    case 'gpo':
      // Facts about the GPO as a whole, not settings in it: addGpoFacts.
      return out;
    default:
      return unhandled('matcher', m);
  }
}

function registryValue(s: RegistrySetting): SubjectValue | undefined {
  const op = s.operation;
  if (op.op !== 'set' && op.op !== 'set-if-absent') return undefined;
  const d = op.data;
  if (d.type === 'REG_MULTI_SZ') return { kind: 'strings', value: d.value };
  return { kind: 'scalar', value: d.value };
}

function siblingNumber(index: Map<string, Setting[]>, ref: RegistryRef): number | undefined {
  for (const s of index.get(registryKey(ref.hive, ref.key, ref.value)) ?? []) {
    if (s.kind !== 'registry') continue;
    const v = registryValue(s);
    if (v?.kind === 'scalar') return toNumber(v.value);
  }
  return undefined;
}

/** A short statement of what the GPO set, for the finding message; a check's own `message` template wins. */
function describeSubject(m: Subject): string {
  const text = defaultDescription(m);
  if (!m.check.message) return text;
  return m.check.message.replaceAll('{setting}', describeSetting(m.setting)).replaceAll('{value}', text);
}

function defaultDescription(m: Subject): string {
  const s = m.setting;
  switch (s.kind) {
    case 'registry': {
      const op = s.operation;
      // The same value read from three formats reads the same here, so it is listed once; locations say where.
      return `${s.valueName} = ${op.op === 'set' || op.op === 'set-if-absent' ? formatData(op.data) : formatOperation(op)}`;
    }
    case 'power-plan': {
      const props = referencedProperties(m.check.when).map((name) => `${name}=${planProperty(s, name) ?? '(not set)'}`);
      return `power plan "${s.itemName}"${props.length ? ` with ${props.join(', ')}` : ''}`;
    }
    default:
      return describeSetting(s);
  }
}

/** The power-plan properties a condition reads, so a message names exactly what it looked at. */
function referencedProperties(cond: Condition): string[] {
  const out: string[] = [];
  const walk = (c: Condition): void => {
    switch (c.kind) {
      case 'property':
        out.push(c.property);
        walk(c.is);
        return;
      case 'all':
      case 'any':
        c.conditions.forEach(walk);
        return;
      case 'not':
        walk(c.condition);
        return;
      case 'notGreaterThan':
        if (c.other.kind === 'property') out.push(c.other.property);
        return;
      case 'equals':
      case 'notEquals':
      case 'oneOf':
      case 'notOneOf':
      case 'nonEmpty':
      case 'empty':
      case 'longerThan':
      case 'charactersOutside':
      case 'regex':
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
      case 'anyBits':
      case 'containsAnyPrincipal':
      case 'lacksEveryPrincipal':
        // Compare the value the check is on (inside `property`, the property named there): no other property.
        return;
      default:
        unhandled('condition', c);
    }
  };
  walk(cond);
  return [...new Set(out)];
}

function locationOf(m: Subject): FindingLocation {
  const p = m.setting.provenance;
  const setting = m.setting.kind === 'power-plan' ? describeSubject(m) : describeSetting(m.setting);
  return { file: p.file, format: p.format, position: p.position, setting };
}

function sameLocation(a: FindingLocation, b: FindingLocation): boolean {
  return a.file === b.file && JSON.stringify(a.position) === JSON.stringify(b.position) && a.setting === b.setting;
}

function dedupe(list: FindingLocation[]): FindingLocation[] {
  const out: FindingLocation[] = [];
  for (const l of list) if (!out.some((o) => sameLocation(o, l))) out.push(l);
  return out;
}

function uniq<T>(list: T[]): T[] {
  return [...new Set(list)];
}

export function fingerprint(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
