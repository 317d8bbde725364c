import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { BUILTIN, defaultBuiltinPath } from './builtin.js';
import { SNAPSHOT_FORMAT, snapshotSource, type BuiltinSnapshot } from './builtin-snapshot.js';
import { isValidPrincipalSpec, PRINCIPAL_ALIASES } from '../model/principals.js';
import { jsonPointer, pointerSegments, type RuleFileError, type RuleFileErrorCode } from './rule-file-error.js';
import { classBodyProblem, regexRisk } from './safe-regex.js';
import { schemaErrors, schemaHints, sortErrors } from './schema-errors.js';
import { completeRuleValidator, rulesFileValidator, rulesSchema } from './schemas.js';
import { suggest } from './suggest.js';
import type { NotConfigured, Reference, Rule, RulePack, RuleSet } from './types.js';
import { checkFromYaml, type YamlCheck } from './yaml-form.js';
import type { Severity } from '../model/severity.js';
import { locate, locationKey, readYamlFile, type Location, type YamlSource } from './yaml-source.js';

export { formatRuleFileError, type RuleFileError, type RuleFileErrorCode } from './rule-file-error.js';

export { BUILTIN, builtinPackVersion, defaultBuiltinPath } from './builtin.js';

export interface LoadRuleSetOptions {
  /** The file `builtin` stands for; defaults to rules.yaml at the package root. */
  builtinPath?: string;
  /** Severity per rule id, applied after merging. Ids that name no rule are ignored here (see config/load.ts). */
  severityOverrides?: Record<string, Severity>;
}

/**
 * Load rules files into one rule set. With no files, the built-in rules. Files load in order, each after its own
 * `extends` chain, and each rule id seen again changes only the fields it gives (a new `checks` list replaces the
 * old one whole). A user file gets the built-in rules only by saying `extends: [builtin]` (or by listing `builtin`
 * before it): otherwise it stands alone, so a team can run exactly the rules it wrote. A file reached twice (two
 * files extending `builtin`) is applied once, where it is first reached, so it cannot undo a later override.
 * All errors of all files are returned together; any error means no rule set.
 */
export function loadRuleSet(files: string[], options: LoadRuleSetOptions = {}): { ruleSet?: RuleSet; errors: RuleFileError[] } {
  const loader = new RuleSetLoader(options.builtinPath ?? defaultBuiltinPath());
  for (const file of files.length > 0 ? files : [BUILTIN]) loader.loadTopLevel(file);
  return loader.finish(options.severityOverrides ?? {});
}

/** The fields a rules file may give for a rule; all optional until every file is merged. */
interface RuleFields {
  title?: string;
  severity?: Severity;
  enabled?: boolean;
  tags?: string[];
  checks?: YamlCheck[];
  notConfigured?: YamlNotConfigured;
  rationale?: string;
  remediation?: string;
  references?: Reference[];
}

type YamlNotConfigured = 'pass' | 'not-evaluated' | NotConfigured;

const RULE_FIELDS: readonly (keyof RuleFields)[] = ['title', 'severity', 'enabled', 'tags', 'checks', 'notConfigured', 'rationale', 'remediation', 'references'];
const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const ALLOWED_FLAGS = /^[imsuv]*$/;

interface MergedRule {
  id: string;
  fields: RuleFields;
  /** Where the rule was first defined. */
  definedAt: { file: string; line: number };
  /** The last file that changed it: incomplete-rule errors point there. */
  lastTouched: Place;
  /** Only a file whose every rule is known complete gave it fields (the built-in snapshot): no need to check again. */
  knownComplete: boolean;
}

interface Place {
  source: YamlSource;
  pointer: string;
}

class RuleSetLoader {
  private readonly errors: RuleFileError[] = [];
  private readonly files: string[] = [];
  private readonly packs: RulePack[] = [];
  private readonly done = new Set<string>();
  private readonly inProgress: string[] = [];
  private readonly merged = new Map<string, MergedRule>();
  /** Rules with errors in some file: their completeness is not judged, as the errors already say what is wrong. */
  private readonly tainted = new Set<string>();

  constructor(private readonly builtinPath: string) {}

  loadTopLevel(file: string): void {
    const display = file === BUILTIN ? this.builtinPath : file;
    this.loadFile(display, path.resolve(display));
  }

  private loadFile(display: string, absolute: string, via?: Place): void {
    if (this.inProgress.includes(absolute)) {
      const cycle = [...this.inProgress.slice(this.inProgress.indexOf(absolute)), absolute].map((f) => path.basename(f)).join(' -> ');
      if (via) this.report(via, 'extends-cycle', `extends cycle: ${cycle}`);
      return;
    }
    if (this.done.has(absolute)) return;
    this.done.add(absolute);
    if (via && !existsSync(absolute)) {
      this.report(via, 'extends-missing', `extended file not found: ${display}`);
      return;
    }
    const { source, errors } = readAndValidate(display, absolute);
    this.recordFileErrors(errors);
    if (!source || !isRecord(source.data)) return;

    this.inProgress.push(absolute);
    this.loadExtends(source);
    this.inProgress.pop();
    this.mergeRules(source);
    this.files.push(display);
    const pack = (source.data as { pack?: { name: string; version: string } }).pack;
    if (pack) this.packs.push({ name: pack.name, version: pack.version, file: display });
  }

  private recordFileErrors(errors: RuleFileError[]): void {
    for (const e of errors) {
      const id = /^\/rules\/([^/]+)/.exec(e.path)?.[1];
      if (id !== undefined) this.tainted.add(pointerSegments(`/${id}`)[0] ?? id);
    }
    this.errors.push(...sortErrors(errors));
  }

  private loadExtends(source: YamlSource): void {
    const data = source.data as Record<string, unknown>;
    if (!Array.isArray(data.extends)) return;
    data.extends.forEach((target, i) => {
      if (typeof target !== 'string' || target === '') return;
      const via = { source, pointer: `/extends/${i}` };
      if (URL_LIKE.test(target)) {
        this.report(via, 'invalid-value', `extends takes "builtin" or a file path; URLs are never fetched (got "${target}")`);
        return;
      }
      const display = target === BUILTIN ? this.builtinPath : path.isAbsolute(target) ? target : path.join(path.dirname(source.file), target);
      this.loadFile(display, path.resolve(display), via);
    });
  }

  private mergeRules(source: YamlSource): void {
    const rules = (source.data as Record<string, unknown>).rules;
    if (!isRecord(rules)) return;
    for (const [id, entry] of Object.entries(rules)) {
      if (!isRecord(entry)) continue;
      const pointer = jsonPointer(['rules', id]);
      const given: RuleFields = {};
      for (const field of RULE_FIELDS) if (Object.hasOwn(entry, field)) Object.assign(given, { [field]: entry[field] });
      const existing = this.merged.get(id);
      if (existing) {
        Object.assign(existing.fields, given);
        existing.lastTouched = { source, pointer };
        existing.knownComplete = false;
      } else {
        const definedAt = { file: source.file, line: locate(source, pointer, { key: true }).line };
        this.merged.set(id, { id, fields: given, definedAt, lastTouched: { source, pointer }, knownComplete: source.rulesComplete === true });
      }
    }
  }

  private report(at: Place, code: RuleFileErrorCode, message: string): void {
    this.errors.push({ file: at.source.file, ...locate(at.source, at.pointer), path: at.pointer, code, message });
  }

  finish(severityOverrides: Record<string, Severity>): { ruleSet?: RuleSet; errors: RuleFileError[] } {
    const active = [...this.merged.values()].filter((r) => r.fields.enabled !== false);
    for (const rule of active) if (!this.tainted.has(rule.id) && !rule.knownComplete) this.checkComplete(rule);
    if (this.errors.length > 0) return { errors: this.errors };
    const rules = active.map((r) => toRule(r, Object.hasOwn(severityOverrides, r.id) ? severityOverrides[r.id] : undefined));
    return { ruleSet: { rules, files: this.files, ...(this.packs.length > 0 ? { packs: this.packs } : {}) }, errors: [] };
  }

  private checkComplete(rule: MergedRule): void {
    const validate = completeRuleValidator();
    if (validate({ ...rule.fields })) return;
    const missing = (validate.errors ?? []).filter((e) => e.keyword === 'required' && e.instancePath === '').map((e) => String(e.params.missingProperty));
    const others = (validate.errors ?? []).filter((e) => !(e.keyword === 'required' && e.instancePath === ''));
    const known = [...this.merged.keys()].filter((id) => id !== rule.id);
    const looksLikeOverride = rule.fields.title === undefined && rule.fields.checks === undefined;
    const close = looksLikeOverride ? suggest(rule.id, known) : undefined;
    const hint = looksLikeOverride
      ? `; no file before this one defines "${rule.id}"${close ? ` (did you mean "${close}"?)` : ''}, so this is a new rule and needs every required field`
      : '';
    if (missing.length > 0) this.report(rule.lastTouched, 'incomplete-rule', `rule "${rule.id}" is incomplete: missing ${missing.join(', ')}${hint}`);
    for (const e of others) this.report({ ...rule.lastTouched, pointer: rule.lastTouched.pointer + e.instancePath }, 'incomplete-rule', e.message ?? 'invalid');
  }
}

/**
 * The built-in pack as read, parsed and validated, kept for the life of the process: the YAML parse with source
 * positions is most of what loading the rules costs, and a process (a test run, a library user, an audit that also
 * lists rules) may load the built-in rules many times. Only the default rules.yaml is kept, and only while its size
 * and modification time are what they were; other files are read each time. The first read in a process takes the
 * build-time snapshot when there is one that matches the file (builtin-snapshot.ts): then nothing is parsed at all.
 */
let builtinCache: { file: string; absolute: string; size: number; mtimeMs: number; source?: YamlSource; errors: RuleFileError[] } | undefined;

/** Read, parse and validate one rules file; the errors come unsorted, as recordFileErrors sorts them. */
function readAndValidate(display: string, absolute: string): { source?: YamlSource; errors: RuleFileError[] } {
  const stat = absolute === path.resolve(defaultBuiltinPath()) ? statOrUndefined(absolute) : undefined;
  const cached = builtinCache;
  if (stat && cached && cached.file === display && cached.absolute === absolute && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
    return { ...(cached.source ? { source: cached.source } : {}), errors: cached.errors.map((e) => ({ ...e })) };
  }
  const fromSnapshot = stat ? snapshotSource(display) : undefined;
  const { source, errors } = fromSnapshot ? { source: fromSnapshot, errors: [] } : readYamlFile(display);
  // A snapshot is made only of a pack without errors (builtinSnapshot below): there is nothing to validate again.
  const all = source && !fromSnapshot ? [...errors, ...validateFile(source)] : errors;
  if (stat) builtinCache = { file: display, absolute, size: stat.size, mtimeMs: stat.mtimeMs, ...(source ? { source } : {}), errors: all.map((e) => ({ ...e })) };
  return { ...(source ? { source } : {}), errors: all };
}

/**
 * For the build (scripts/build-builtin-pack.mjs): the built-in pack as a snapshot, or undefined when it cannot be
 * one: it has errors, or its data does not survive JSON unchanged. Records where each rule's key is, which is all
 * the loader asks of a valid pack; anything else is parsed from the file when asked (builtin-snapshot.ts).
 */
export function builtinSnapshot(file: string = defaultBuiltinPath()): BuiltinSnapshot | undefined {
  const { ruleSet, errors: loadErrors } = loadRuleSet([file], { builtinPath: file });
  const { source, errors } = readYamlFile(file);
  if (!ruleSet || loadErrors.length > 0 || !source || errors.length > 0 || validateFile(source).length > 0) return undefined;
  const json = JSON.stringify(source.data);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), source.data)) return undefined;
  const known: Record<string, Location> = {};
  const rules = (source.data as { rules?: unknown }).rules;
  if (isRecord(rules)) {
    for (const id of Object.keys(rules)) {
      const pointer = jsonPointer(['rules', id]);
      known[locationKey(pointer, { key: true })] = locate(source, pointer, { key: true });
    }
  }
  return { format: SNAPSHOT_FORMAT, text: readFileSync(file).toString('utf8'), data: JSON.parse(json) as unknown, known };
}

function statOrUndefined(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function validateFile(source: YamlSource): RuleFileError[] {
  if (source.data === null || source.data === undefined) {
    return [{ file: source.file, line: 1, column: 1, path: '', code: 'schema', message: 'the file is empty; a rules file starts with "version: 1"' }];
  }
  const validate = rulesFileValidator();
  const errors = validate(source.data) ? [] : schemaErrors(source, validate.errors ?? [], schemaHints(rulesSchema(), CHECKED_BY_CODE));
  errors.push(...semanticErrors(source));
  return errors;
}

/** Errors the schema catches too, but with messages that cannot name the alternatives: code says it better. */
const CHECKED_BY_CODE = ['/$defs/principalSpec', '/$defs/condition/properties/flags'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toRule(merged: MergedRule, severityOverride: Severity | undefined): Rule {
  // Complete and schema-valid at this point: the complete-rule validation passed.
  const f = merged.fields as Required<Omit<RuleFields, 'enabled' | 'tags' | 'references'>> & RuleFields;
  return {
    id: merged.id,
    title: f.title,
    severity: severityOverride ?? f.severity,
    tags: [...(f.tags ?? [])],
    checks: f.checks.map(checkFromYaml),
    notConfigured: toNotConfigured(f.notConfigured),
    rationale: f.rationale,
    remediation: f.remediation,
    references: (f.references ?? []).map((r) => ({ ...r })),
    source: merged.definedAt,
  };
}

function toNotConfigured(nc: YamlNotConfigured): NotConfigured {
  if (nc === 'pass') return { outcome: 'pass' };
  if (nc === 'not-evaluated') return { outcome: 'not-evaluated' };
  return nc;
}

// ---------------------------------------------------------------------------------------------
// Checks the schema cannot make: ids, regular expressions, principals

function semanticErrors(source: YamlSource): RuleFileError[] {
  const out: RuleFileError[] = [];
  const report = (pointer: string, code: RuleFileErrorCode, message: string, key = false): void => {
    out.push({ file: source.file, ...locate(source, pointer, { key }), path: pointer, code, message });
  };
  const data = source.data;
  if (!isRecord(data) || !isRecord(data.rules)) return out;
  for (const [id, entry] of Object.entries(data.rules)) {
    const rulePointer = jsonPointer(['rules', id]);
    if (!KEBAB_ID.test(id)) report(rulePointer, 'invalid-value', `rule id "${id}" must be kebab-case: lower-case letters and digits joined by single hyphens`, true);
    if (!isRecord(entry) || !Array.isArray(entry.checks)) continue;
    entry.checks.forEach((check, i) => {
      if (!isRecord(check)) return;
      const checkPointer = `${rulePointer}/checks/${i}`;
      if (isRecord(check.match) && 'groupMembers' in check.match) checkPrincipal(check.match.groupMembers, `${checkPointer}/match/groupMembers`, report);
      checkCondition(check.when, `${checkPointer}/when`, report);
    });
  }
  return out;
}

type Report = (pointer: string, code: RuleFileErrorCode, message: string, key?: boolean) => void;

function checkCondition(cond: unknown, pointer: string, report: Report): void {
  if (!isRecord(cond)) return;
  if ('regex' in cond || 'flags' in cond) checkRegex(cond, pointer, report);
  if (typeof cond.charactersOutside === 'string') {
    const problem = classBodyProblem(cond.charactersOutside);
    if (problem) report(`${pointer}/charactersOutside`, 'bad-regex', problem);
  }
  for (const list of ['containsAnyPrincipal', 'lacksEveryPrincipal']) {
    const specs = cond[list];
    if (Array.isArray(specs)) specs.forEach((spec, i) => checkPrincipal(spec, `${pointer}/${list}/${i}`, report));
  }
  for (const list of ['all', 'any']) {
    const conds = cond[list];
    if (Array.isArray(conds)) conds.forEach((c, i) => checkCondition(c, `${pointer}/${list}/${i}`, report));
  }
  if ('not' in cond) checkCondition(cond.not, `${pointer}/not`, report);
  if ('is' in cond) checkCondition(cond.is, `${pointer}/is`, report);
}

function checkRegex(cond: Record<string, unknown>, pointer: string, report: Report): void {
  const { regex, flags } = cond;
  if (flags !== undefined) {
    if (typeof flags !== 'string') {
      report(`${pointer}/flags`, 'bad-regex', 'flags must be text made of i, m, s, u, v (for example "i")');
      return;
    }
    if (!ALLOWED_FLAGS.test(flags)) {
      report(
        `${pointer}/flags`,
        'bad-regex',
        `flags "${flags}" are not allowed: use i, m, s, u or v (g and y make a regular expression remember where it last matched, so the next value could fail to match)`,
      );
      return;
    }
  }
  if (typeof regex !== 'string') return;
  try {
    new RegExp(regex, flags as string | undefined);
  } catch (e) {
    const message = (e as Error).message;
    const aboutFlags = /flags/i.test(message);
    report(`${pointer}/${aboutFlags ? 'flags' : 'regex'}`, 'bad-regex', `does not compile: ${message}`);
    return;
  }
  const risk = regexRisk(regex, (flags as string | undefined) ?? '');
  if (risk) report(`${pointer}/regex`, 'bad-regex', `"${regex}" is refused: it ${risk}`);
}

function checkPrincipal(spec: unknown, pointer: string, report: Report): void {
  if (isValidPrincipalSpec(spec)) return;
  const aliases = Object.keys(PRINCIPAL_ALIASES);
  const close = typeof spec === 'string' ? suggest(spec, aliases) : undefined;
  const got = typeof spec === 'string' ? `"${spec}"` : JSON.stringify(spec ?? null);
  report(
    pointer,
    'bad-principal',
    `unknown principal ${got}; expected a SID (S-1-5-32-545), rid:<n> (rid:513) or one of ${aliases.join(', ')}${close ? `; did you mean "${close}"?` : ''}`,
  );
}
