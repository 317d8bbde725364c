import { decodeText } from '../codecs/decode.js';
import { parseXml, type XmlElement } from '../codecs/xml.js';
import { InputError, type Problem, problemFromError } from '../model/problems.js';
import { LEGACY_POLICY_DEFINITIONS_NS, POLICY_DEFINITIONS_NS, type TextRef } from './types.js';

/** What the ADMX and ADML parsers return: the document when it could be read, and every problem met. */
export interface ParsedFile<T> {
  document?: T;
  problems: Problem[];
}

/** Decode and parse the file, check its root, then hand the root to `body`; any InputError becomes a problem. */
export function parseDefinitionFile<T>(
  bytes: Uint8Array,
  file: string,
  rootName: string,
  body: (root: XmlElement, warn: (line: number, message: string) => void) => T,
): ParsedFile<T> {
  const problems: Problem[] = [];
  const warn = (line: number, message: string) => {
    problems.push({ file, position: { line }, code: 'skipped-entry', message, severity: 'warning' });
  };
  try {
    const root = parseXml(decodeText(bytes).text);
    checkRoot(root, rootName);
    return { document: body(root, warn), problems };
  } catch (err) {
    problems.push(problemFromError(file, err));
    return { problems };
  }
}

function checkRoot(root: XmlElement, rootName: string): void {
  if (root.local !== rootName || !isDefinitionsNamespace(root.ns)) {
    const shown = root.ns ? `{${root.ns}}${root.local}` : root.local;
    throw new InputError('malformed', `root element is <${shown}>, expected <${rootName}> in the PolicyDefinitions namespace`, {
      line: root.line,
    });
  }
}

/**
 * Microsoft's namespace, the older URI some in-box templates still carry (PowerShellExecutionPolicy.admx),
 * or none at all (third-party templates such as MSS-legacy and LAPS): GPMC reads all three.
 */
export function isDefinitionsNamespace(ns: string): boolean {
  return ns === POLICY_DEFINITIONS_NS || ns === LEGACY_POLICY_DEFINITIONS_NS || ns === '';
}

/** Children of `el` with this local name, in the document's own namespace (the root's). */
export function kids(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && c.ns === el.ns);
}

export function kid(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local && c.ns === el.ns);
}

/** `$(string.Foo)` → `{stringId: 'Foo'}`; other text is kept literally. */
export function textRef(raw: string): TextRef {
  const m = /^\s*\$\(string\.([^)]+)\)\s*$/.exec(raw);
  return m ? { stringId: m[1]! } : { literal: raw };
}

/** `$(presentation.Foo)` → `Foo`. */
export function presentationRef(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = /^\s*\$\(presentation\.([^)]+)\)\s*$/.exec(raw);
  return m ? m[1] : undefined;
}

/** ADMX booleans are `true`/`false`; anything else (including absence) is the schema default, false. */
export function attrBool(el: XmlElement, name: string): boolean {
  return (el.attrs[name] ?? '').trim().toLowerCase() === 'true';
}

/** Own-property lookup: ids come from the input, and `constructor` must not find Object.prototype's. */
export function lookup<V>(record: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
