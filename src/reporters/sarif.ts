import nodePath from 'node:path';
import type { AuditResult } from '../audit/result.js';
import type { Finding, FindingLocation, NotEvaluated, Waiver } from '../model/findings.js';
import type { Problem } from '../model/problems.js';
import type { InputPath } from '../model/unit.js';
import { formatPosition, type PositionForm } from '../model/describe.js';
import type { GpoRef, SourcePosition } from '../model/settings.js';
import type { Rule } from '../rules/types.js';
import type { Severity } from '../model/severity.js';
import type { AuditReporter } from './audit-output-types.js';

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
type Region = { startLine: number } | { byteOffset: number };
interface LogicalLocation {
  name: string;
  fullyQualifiedName?: string;
  kind: string;
}
interface Location {
  physicalLocation?: { artifactLocation: ArtifactLocation; region?: Region };
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
  locations?: Location[];
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
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [
    {
      tool: { driver: { name: string; version: string; informationUri: string; rules: ReportingDescriptor[] } };
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

export const sarifAuditReporter: AuditReporter = (result) => `${JSON.stringify(toSarif(result), null, 2)}\n`;

export function toSarif(result: AuditResult): SarifLog {
  const root = result.root;
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const locate = (file: string) => artifactLocation(file, result.pathOf);
  const notifications = [...result.problems.map((p) => problemNotification(p, locate)), ...result.notEvaluated.map((n) => notEvaluatedNotification(n, ruleIndex, locate))];
  const configuration = result.notices.map((text): Notification => ({ level: 'warning', message: { text } }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'gpaudit', version: result.tool.version, informationUri: INFORMATION_URI, rules: result.rules.map(ruleDescriptor) } },
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
        results: result.findings.map((f) => sarifResult(f, ruleIndex, locate)),
      },
    ],
  };
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

function sarifResult(f: Finding, ruleIndex: Map<string, number>, locate: (file: string) => ArtifactLocation): Result {
  const index = ruleIndex.get(f.ruleId);
  const locations = f.locations.map((l) => findingLocation(l, f.gpo, locate));
  // A finding with a GPO but no file still names the GPO; an audit-wide finding has no location at all (allowed).
  if (locations.length === 0 && f.gpo) locations.push({ logicalLocations: [gpoLogicalLocation(f.gpo)] });
  // A directory finding is about an object, not a file: its DN is the fully qualified logical location.
  if (f.directoryObject) {
    locations.push({
      logicalLocations: [{ name: f.directoryObject.name ?? f.directoryObject.dn, fullyQualifiedName: f.directoryObject.dn, kind: 'object' }],
      message: { text: `on ${f.directoryObject.server}` },
    });
  }
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

function findingLocation(l: FindingLocation, gpo: GpoRef | undefined, locate: (file: string) => ArtifactLocation): Location {
  const region = sarifRegion(l.position);
  return {
    physicalLocation: { artifactLocation: locate(l.file), ...(region ? { region } : {}) },
    ...(gpo ? { logicalLocations: [gpoLogicalLocation(gpo)] } : {}),
    message: { text: l.setting },
  };
}

/** A position as SARIF's region (§3.30): a 1-based start line, or a byte offset; none for one that points nowhere. */
const SARIF_REGION: PositionForm<Region | undefined> = {
  line: (line) => (line >= 1 ? { startLine: line } : undefined),
  byte: (offset) => (offset >= 0 ? { byteOffset: offset } : undefined),
};

function sarifRegion(position: SourcePosition | undefined): Region | undefined {
  return position ? formatPosition(position, SARIF_REGION) : undefined;
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
