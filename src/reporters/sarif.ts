import nodePath from 'node:path';
import type { AuditResult } from '../audit/result.js';
import type { Finding, FindingList, FindingLocation, NotEvaluated, Waiver } from '../model/findings.js';
import type { Problem } from '../model/problems.js';
import type { InputPath } from '../model/unit.js';
import { formatPosition } from '../model/describe.js';
import type { GpoRef, SourcePosition } from '../model/settings.js';
import type { Rule } from '../rules/types.js';
import type { Severity } from '../model/severity.js';
import type { AuditWriter } from './audit-output-types.js';
import { reporterOf, writeJsonSpliced } from './audit-writer.js';

// The subset of SARIF 2.1.0 gpaudit writes (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html).

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/gpaudit/gpaudit';
export const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'gpauditFindingHash/v1';

type Level = 'error' | 'warning' | 'note';
interface Message {
  text: string;
  markdown?: string;
}
interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
/**
 * A text region (`startLine`), or a binary one (Registry.pol): `byteOffset`, plus `startLine: 1` so that viewers
 * which place results by line (GitHub code scanning, GHAzDO) have a line, a snippet naming the setting the record
 * holds, and a message saying what the line stands for.
 */
interface Region {
  startLine?: number;
  byteOffset?: number;
  snippet?: { text: string };
  message?: Message;
}
interface LogicalLocation {
  name: string;
  fullyQualifiedName?: string;
  kind: string;
}
interface PhysicalLocation {
  artifactLocation: ArtifactLocation;
  region?: Region;
}
/** A result's location always has a physical location: GitHub code scanning rejects an upload with one that has not. */
interface Location {
  physicalLocation: PhysicalLocation;
  logicalLocations?: LogicalLocation[];
  message?: Message;
}
interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: Message;
  fullDescription: Message;
  help: Message;
  helpUri?: string;
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; 'security-severity': string; severity: Severity };
}
interface Notification {
  level: Level;
  message: Message;
  descriptor?: { id: string };
  associatedRule?: { id: string; index?: number };
  locations?: { physicalLocation: PhysicalLocation }[];
}
interface Suppression {
  kind: 'external';
  status: 'accepted';
  justification: string;
  properties: { expires: string; gpo?: string; path?: string };
}
interface Result {
  ruleId: string;
  ruleIndex?: number;
  level: Level;
  message: Message;
  locations?: Location[];
  partialFingerprints: Record<string, string>;
  suppressions?: Suppression[];
  properties: {
    severity: Severity;
    tags: string[];
    gpo?: GpoRef;
    rsop?: { precedence: number; winner: boolean };
    /** `audit --ou`: the winning GPO's precedence in the OU's resultant policy, and the OU of a not-configured reminder. */
    precedence?: number;
    ou?: string;
    conditional?: boolean;
  };
}
/** Where an Azure Pipelines run came from (§3.17): what GitHub Advanced Security for Azure DevOps files the run under. */
interface AutomationDetails {
  id: string;
  properties: Record<string, string>;
}
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [
    {
      tool: {
        driver: { name: string; fullName: string; version: string; semanticVersion?: string; informationUri: string; rules: ReportingDescriptor[] };
      };
      /** Only in an Azure Pipelines job (see azurePipelinesRun): elsewhere it would override GitHub's upload `category`. */
      automationDetails?: AutomationDetails;
      originalUriBaseIds: Record<string, { uri: string; description: Message }>;
      invocations: [
        {
          executionSuccessful: boolean;
          toolExecutionNotifications?: Notification[];
          toolConfigurationNotifications?: Notification[];
          /** The `.gpaudit.yaml` in use (null: none found) and the rules files the run loaded. */
          properties?: { configurationFile: string | null; rulesFiles: string[] };
        },
      ];
      results: Result[];
    },
  ];
}

const LEVEL: Readonly<Record<Severity, Level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub code scanning ranks results by this CVSS-like score: 9.0+ critical, 7.0+ high, 4.0+ medium, below low.
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/**
 * The writer `--format sarif` runs: the caller's environment tells it whether it runs in an Azure Pipelines job.
 * Nothing before the results depends on the findings (the rules are the result's rules), so one walk writes them.
 */
export const sarifAuditWriter: AuditWriter = (result, options, write) => {
  const log = sarifLog(result, { environment: options.environment ?? {} }, []);
  // `results` is a key of runs[0], three levels down: its lines are indented by six spaces.
  writeJsonSpliced(log, 'results', '      ', result.findings, sarifResultOf(result), write);
  write('\n');
};

export const sarifAuditReporter = reporterOf(sarifAuditWriter);

export interface SarifOptions {
  /**
   * Environment variables, for the Azure Pipelines job's identity (azurePipelinesRun). Absent: none, so the log
   * does not depend on where it was written.
   */
  environment?: Readonly<Record<string, string | undefined>>;
}

export function toSarif(result: AuditResult, options: SarifOptions = {}): SarifLog {
  return sarifLog(result, options, result.findings.map(sarifResultOf(result)));
}

/** A finding as a SARIF result, for the result it belongs to. */
function sarifResultOf(result: AuditResult<FindingList>): (f: Finding) => Result {
  const ruleIndex = ruleIndexOf(result.rules);
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const locate = locatorOf(result);
  return (f) => sarifResult(f, ruleIndex, rules.get(f.ruleId), locate, result.root);
}

function ruleIndexOf(rules: Rule[]): Map<string, number> {
  return new Map(rules.map((r, i) => [r.id, i]));
}

function locatorOf(result: AuditResult<FindingList>): (file: string) => ArtifactLocation {
  return (file) => artifactLocation(file, result.pathOf);
}

/** The log with `results` as given: the findings', or an empty array the writer splices them into. */
function sarifLog(result: AuditResult<FindingList>, options: SarifOptions, results: Result[]): SarifLog {
  const root = result.root;
  const ruleIndex = ruleIndexOf(result.rules);
  const locate = locatorOf(result);
  const pipeline = azurePipelinesRun(options.environment ?? {});
  const notifications = [...result.problems.map((p) => problemNotification(p, locate)), ...result.notEvaluated.map((n) => notEvaluatedNotification(n, ruleIndex, locate))];
  const configuration = [...result.notices, ...(pipeline.notice ? [pipeline.notice] : [])].map((text): Notification => ({ level: 'warning', message: { text } }));
  const version = result.tool.version;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gpaudit',
            fullName: `gpaudit ${version}`,
            version,
            ...(SEMVER.test(version) ? { semanticVersion: version } : {}),
            informationUri: INFORMATION_URI,
            rules: result.rules.map(ruleDescriptor),
          },
        },
        ...(pipeline.automationDetails ? { automationDetails: pipeline.automationDetails } : {}),
        originalUriBaseIds: { [SRCROOT]: { uri: directoryFileUri(root), description: { text: 'The directory input paths are relative to (--root, else the current directory).' } } },
        invocations: [
          {
            executionSuccessful: !result.problems.some((p) => p.severity === 'error'),
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
            ...(configuration.length ? { toolConfigurationNotifications: configuration } : {}),
            ...(result.configuration
              ? { properties: { configurationFile: result.configuration.file ?? null, rulesFiles: result.configuration.rules } }
              : {}),
          },
        ],
        results,
      },
    ],
  };
}

// SemVer 2.0.0 (https://semver.org), which `driver.semanticVersion` must follow (§3.19.12).
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * An Azure Pipelines job (TF_BUILD=True) identifies the run the way GitHub Advanced Security for Azure DevOps
 * files it: `automationDetails.id` is `azuredevops/pipeline/build/<org>/<project id>/<definition id>/<phase id>/<branch>/<build id>`
 * and its properties name the build definition and phase, from the job's predefined variables (the contract
 * the SARIF Multitool's GHAzDO1014/1019/1020 check). Outside such a job there is none: GitHub's upload-sarif
 * keeps an `automationDetails.id` it finds and so would ignore the workflow's `category`. A job that lacks one
 * of the variables gets a configuration notice instead, since GHAzDO would turn the log down.
 */
function azurePipelinesRun(env: Readonly<Record<string, string | undefined>>): { automationDetails?: AutomationDetails; notice?: string } {
  if (env.TF_BUILD?.toLowerCase() !== 'true') return {};
  const value = (...names: string[]) => names.map((n) => env[n]?.trim()).find((v) => v);
  const fields = {
    organization: organizationOf(value('SYSTEM_COLLECTIONURI')),
    project: value('SYSTEM_TEAMPROJECTID'),
    definitionId: value('BUILD_DEFINITIONID', 'SYSTEM_DEFINITIONID'),
    definitionName: value('BUILD_DEFINITIONNAME'),
    phaseId: value('SYSTEM_PHASEID', 'SYSTEM_JOBID'),
    phaseName: value('SYSTEM_PHASENAME', 'SYSTEM_JOBNAME'),
    branch: value('BUILD_SOURCEBRANCH'),
    buildId: value('BUILD_BUILDID'),
  };
  const missing = Object.entries(PIPELINE_VARIABLES).filter(([field]) => !fields[field as keyof typeof fields]).map(([, variable]) => variable);
  if (missing.length > 0) {
    return {
      notice: `running in Azure Pipelines (TF_BUILD) without ${missing.join(', ')}: no automationDetails written, so GitHub Advanced Security for Azure DevOps will not accept this log`,
    };
  }
  const f = fields as Record<keyof typeof fields, string>;
  return {
    automationDetails: {
      id: `${PIPELINE_PREFIX}${f.organization}/${f.project}/${f.definitionId}/${f.phaseId}/${f.branch}/${f.buildId}`,
      properties: {
        [`${PIPELINE_PREFIX}buildDefinitionId`]: f.definitionId,
        [`${PIPELINE_PREFIX}buildDefinitionName`]: f.definitionName,
        [`${PIPELINE_PREFIX}phaseId`]: f.phaseId,
        [`${PIPELINE_PREFIX}phaseName`]: f.phaseName,
      },
    },
  };
}

const PIPELINE_PREFIX = 'azuredevops/pipeline/build/';

/** Each part of the pipeline's identity and the predefined variable that gives it (the first, where two can). */
const PIPELINE_VARIABLES = {
  organization: 'SYSTEM_COLLECTIONURI',
  project: 'SYSTEM_TEAMPROJECTID',
  definitionId: 'BUILD_DEFINITIONID',
  definitionName: 'BUILD_DEFINITIONNAME',
  phaseId: 'SYSTEM_PHASEID',
  phaseName: 'SYSTEM_PHASENAME',
  branch: 'BUILD_SOURCEBRANCH',
  buildId: 'BUILD_BUILDID',
} as const;

/** The organization of `https://dev.azure.com/<org>/` or `https://<org>.visualstudio.com/`. */
function organizationOf(collectionUri: string | undefined): string | undefined {
  if (!collectionUri) return undefined;
  try {
    const url = new URL(collectionUri);
    const host = url.hostname.toLowerCase();
    if (host === 'dev.azure.com' || host === 'vsrm.dev.azure.com') return url.pathname.split('/').find(Boolean);
    const sub = /^([^.]+)(?:\.vsrm)?\.visualstudio\.com$/.exec(host);
    return sub?.[1];
  } catch {
    return undefined;
  }
}

function ruleDescriptor(rule: Rule): ReportingDescriptor {
  const helpUri = rule.references.find((r) => r.url)?.url;
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: rule.tags, 'security-severity': SECURITY_SEVERITY[rule.severity], severity: rule.severity },
  };
}

/** `workspaces-logon-banner` → `WorkspacesLogonBanner`, the form SARIF viewers expect for reportingDescriptor.name. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function helpText(rule: Rule): string {
  const refs = rule.references.map((r) => `- ${r.title}${r.url ? `: ${r.url}` : r.doc ? ` (${r.doc})` : ''}`);
  return [`How to fix: ${rule.remediation}`, ...(refs.length ? ['', 'References:', ...refs] : [])].join('\n');
}

function helpMarkdown(rule: Rule): string {
  const refs = rule.references.map((r) => `- ${r.url ? `[${escapeMarkdown(r.title)}](${markdownUrl(r.url)})` : escapeMarkdown(r.doc ? `${r.title} (${r.doc})` : r.title)}`);
  return [`**How to fix:** ${escapeMarkdown(rule.remediation)}`, ...(refs.length ? ['', '**References**', '', ...refs] : [])].join('\n');
}

// Remediation text is full of registry paths: an unescaped `\` or `*` would change what renders.
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, '\\$&');
}

const URL_ESCAPES: Readonly<Record<string, string>> = { ' ': '%20', '(': '%28', ')': '%29' };

// A space or parenthesis would end a Markdown link destination early.
function markdownUrl(url: string): string {
  return url.replace(/[ ()]/g, (c) => URL_ESCAPES[c] ?? c);
}

function sarifResult(f: Finding, ruleIndex: Map<string, number>, rule: Rule | undefined, locate: (file: string) => ArtifactLocation, root: string): Result {
  const index = ruleIndex.get(f.ruleId);
  const locations = resultLocations(f, rule, locate, root);
  return {
    ruleId: f.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: f.message },
    ...(locations.length ? { locations } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.suppressed ? { suppressions: [suppression(f.suppressed.waiver)] } : {}),
    properties: {
      severity: f.severity,
      tags: f.tags,
      ...(f.gpo ? { gpo: f.gpo } : {}),
      ...(f.directoryObject ? { directoryObject: f.directoryObject } : {}),
      ...(f.rsop ? { rsop: f.rsop } : {}),
      ...(f.precedence !== undefined ? { precedence: f.precedence } : {}),
      ...(f.ou !== undefined ? { ou: f.ou } : {}),
      ...(f.conditional ? { conditional: true } : {}),
    },
  };
}

/**
 * Every location a reviewer can open, the primary one first (docs/ci-consumers.md):
 *  - each file the setting was read from, with its line (or, for Registry.pol, its byte offset and line 1);
 *  - a directory object (a user of `ldap scan`, a GPO container of `audit --ou`): `directory/<DN>`, an artifact
 *    named after the object, not a file on disk, carrying the DN as its logical location;
 *  - a finding with neither, such as the audit-wide reminder that nothing sets a value: the rule's definition in
 *    its rules file.
 * The GPO (and the OU of an `audit --ou` reminder) goes along as logical locations, never alone: GitHub code
 * scanning rejects a whole upload over one location without a physical location.
 */
function resultLocations(f: Finding, rule: Rule | undefined, locate: (file: string) => ArtifactLocation, root: string): Location[] {
  const gpo = f.gpo ? [gpoLogicalLocation(f.gpo)] : [];
  const locations = f.locations.map((l) => findingLocation(l, gpo, locate));
  if (f.directoryObject) locations.push(directoryObjectLocation(f.directoryObject, gpo));
  if (locations.length === 0 && rule) locations.push(ruleDefinitionLocation(f, rule, gpo, root));
  return locations;
}

function findingLocation(l: FindingLocation, logical: LogicalLocation[], locate: (file: string) => ArtifactLocation): Location {
  // A position that points nowhere still needs a line for code scanning: line 1 stands for the file.
  const region = sarifRegion(l.position, l.setting) ?? { startLine: 1 };
  return {
    physicalLocation: { artifactLocation: locate(l.file), region },
    ...(logical.length ? { logicalLocations: logical } : {}),
    message: { text: l.setting },
  };
}

/** The folder of the artifacts that stand for directory objects: `directory/<DN>`, relative to %SRCROOT%. */
export const DIRECTORY_ARTIFACTS = 'directory';

function directoryObjectLocation(object: NonNullable<Finding['directoryObject']>, gpo: LogicalLocation[]): Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: directoryArtifactUri(object.dn), uriBaseId: SRCROOT },
      region: { startLine: 1, snippet: { text: `dn: ${object.dn}` } },
    },
    // The object first: it is what the finding is about (a GPO container also names its GPO).
    logicalLocations: [{ name: object.name ?? object.dn, fullyQualifiedName: object.dn, kind: 'object' }, ...gpo],
    message: { text: `on ${object.server}` },
  };
}

/**
 * `directory/` and the DN as one path segment: percent-encoded like a file name, except that the sub-delimiters
 * a DN is made of (`=`, `,`, `+`, `;`) and `$ & @` stay as they are (RFC 3986 allows them in a segment), so the
 * DN stays readable where a viewer shows the path. A `/` in an RDN value becomes %2F.
 */
export function directoryArtifactUri(dn: string): string {
  return `${DIRECTORY_ARTIFACTS}/${encodeSegment(dn).replace(/%(?:24|26|2B|2C|3B|3D|40)/g, decodeURIComponent)}`;
}

function ruleDefinitionLocation(f: Finding, rule: Rule, gpo: LogicalLocation[], root: string): Location {
  const ou: LogicalLocation[] = f.ou !== undefined ? [{ name: f.ou, fullyQualifiedName: f.ou, kind: 'object' }] : [];
  const logical = [...ou, ...gpo];
  const what = f.notConfigured
    ? `nothing ${f.ou !== undefined ? `that reaches ${f.ou}` : 'the audit read'} sets what the rule checks, and its notConfigured says to report that`
    : 'the finding names no file of its own';
  return {
    physicalLocation: { artifactLocation: fileLocation(rule.source.file, root), region: { startLine: Math.max(1, rule.source.line) } },
    ...(logical.length ? { logicalLocations: logical } : {}),
    message: { text: `where rule ${rule.id} is defined: ${what}` },
  };
}

/**
 * A file that is not an input (a rules file), by path: absolute, or relative to the root. Inside the root it is a
 * reference relative to %SRCROOT%, elsewhere (the built-in pack of an installed gpaudit) an absolute file: URI.
 */
function fileLocation(file: string, root: string): ArtifactLocation {
  const absolute = nodePath.resolve(root, file);
  const fromRoot = nodePath.relative(root, absolute);
  const inside = fromRoot !== '' && !nodePath.isAbsolute(fromRoot) && fromRoot !== '..' && !fromRoot.startsWith(`..${nodePath.sep}`);
  const ref = artifactUri({ path: absolute, ...(inside ? { fromRoot: fromRoot.split(nodePath.sep).join('/') } : {}) });
  return ref.relative ? { uri: ref.uri, uriBaseId: SRCROOT } : { uri: ref.uri };
}

/**
 * A position as SARIF's region (§3.30): a 1-based start line; or, in a binary file, the byte offset with line 1
 * and the setting as the snippet, so a viewer that needs a line has one (`setting` absent: the byte offset
 * alone, as notifications give it). None for a position that points nowhere.
 */
function sarifRegion(position: SourcePosition | undefined, setting?: string): Region | undefined {
  return position
    ? formatPosition<Region | undefined>(position, {
        line: (line) => (line >= 1 ? { startLine: line } : undefined),
        byte: (offset) => {
          if (offset < 0) return undefined;
          if (setting === undefined) return { byteOffset: offset };
          return { startLine: 1, byteOffset: offset, snippet: { text: setting }, message: { text: `binary file: the record starts at byte ${offset}; line 1 stands for the whole file` } };
        },
      })
    : undefined;
}

// A GPO is a named, separately deployed and linked unit of configuration: of SARIF's logical location kinds
// (§3.33.7) "module" (a unit of deployment) fits it best; "namespace" would suggest a mere naming scope.
function gpoLogicalLocation(gpo: GpoRef): LogicalLocation {
  return { name: gpo.name ?? gpo.id ?? '(unnamed GPO)', ...(gpo.id ? { fullyQualifiedName: gpo.id } : {}), kind: 'module' };
}

function suppression(w: Waiver): Suppression {
  return {
    kind: 'external',
    status: 'accepted',
    justification: w.reason,
    properties: { expires: w.expires, ...(w.gpo ? { gpo: w.gpo } : {}), ...(w.path ? { path: w.path } : {}) },
  };
}

function problemNotification(p: Problem, locate: (file: string) => ArtifactLocation): Notification {
  const region = sarifRegion(p.position);
  return {
    level: p.severity,
    message: { text: p.message },
    descriptor: { id: p.code },
    locations: [{ physicalLocation: { artifactLocation: locate(p.file), ...(region ? { region } : {}) } }],
  };
}

function notEvaluatedNotification(n: NotEvaluated, ruleIndex: Map<string, number>, locate: (file: string) => ArtifactLocation): Notification {
  const index = ruleIndex.get(n.ruleId);
  return {
    level: 'warning',
    message: { text: `${n.ruleId} was not evaluated${n.input ? ` for ${n.input}` : ''}: ${n.reason}` },
    descriptor: { id: 'not-evaluated' },
    associatedRule: { id: n.ruleId, ...(index === undefined ? {} : { index }) },
    ...(n.input ? { locations: [{ physicalLocation: { artifactLocation: locate(n.input) } }] } : {}),
  };
}

/**
 * A file the result names (by its display name), located through the paths the walk resolved (`result.pathOf`).
 * A name the result does not resolve (a result made by hand) is taken as relative to the root, or absolute.
 */
function artifactLocation(file: string, pathOf: AuditResult['pathOf']): ArtifactLocation {
  const known = pathOf(file) ?? (nodePath.isAbsolute(file) ? { path: file } : { path: file, fromRoot: file.split(nodePath.sep).join('/') });
  const ref = artifactUri(known);
  return ref.relative ? { uri: ref.uri, uriBaseId: SRCROOT } : { uri: ref.uri };
}

/**
 * An input path as a URI reference: its root-relative form when the walk found it inside the root (to be resolved
 * against %SRCROOT%), else an absolute file: URI. Each segment is percent-encoded as RFC 3986 requires of a path
 * segment, so GPO folders such as `{31B2F340-...}`, names with spaces, `%`, `#`, `?` and non-ASCII survive a round
 * trip. `path` is the platform's path module; tests pass path.win32 to check Windows paths.
 */
export function artifactUri(file: Pick<InputPath, 'path' | 'fromRoot'>, path: nodePath.PlatformPath = nodePath): { uri: string; relative: boolean } {
  if (file.fromRoot !== undefined) return { uri: file.fromRoot.split('/').map(encodeSegment).join('/'), relative: true };
  return { uri: fileUri(file.path, path), relative: false };
}

function fileUri(absolute: string, path: nodePath.PlatformPath): string {
  if (path.sep === '\\' && absolute.startsWith('\\\\')) {
    // UNC: \\server\share\dir → file://server/share/dir
    const [host = '', ...rest] = absolute.slice(2).split('\\');
    return `file://${encodeSegment(host)}/${rest.map(encodeSegment).join('/')}`;
  }
  const segments = absolute.split(path.sep);
  const drive = /^[A-Za-z]:$/.test(segments[0] ?? '') ? [segments.shift()!] : [];
  const encoded = [...drive, ...segments.map(encodeSegment)].join('/');
  return `file://${encoded.startsWith('/') ? '' : '/'}${encoded}`;
}

function directoryFileUri(directory: string): string {
  const uri = fileUri(directory, nodePath);
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** encodeURIComponent keeps only unreserved characters and `!'()*`, all legal in a segment; it encodes `:` too, which keeps a first segment like `c:x` from reading as a scheme. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(wellFormed(segment));
}

// encodeURIComponent throws on a lone surrogate, which a file name read from disk can contain.
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
