import { SaxesParser, type SaxesTagNS } from 'saxes';
import { InputError } from '../model/problems.js';
import { lineAt } from './decode.js';

/** A namespace-resolved XML element with the 1-based line where its start tag begins. */
export interface XmlElement {
  ns: string;
  local: string;
  /** Attributes keyed by local name (namespaced attributes such as xsi:type are also keyed by local name). */
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
  column: number;
  /** Prefix → URI bindings in scope at this element, needed to resolve `xsi:type="q1:SecuritySettings"`. */
  nsScope: Record<string, string>;
}

export interface XmlParseOptions {
  /**
   * Called for each completed element whose depth (root = 0) equals `depth`. The element is then dropped
   * from its parent, so a multi-GPO report is held one GPO at a time.
   */
  stream?: { depth: number; onElement: (el: XmlElement) => void };
  /** Maximum element nesting; deeper input is refused rather than risking the stack. */
  maxDepth?: number;
  /**
   * Elements (and their whole subtree) a caller will never read: they are tokenized and checked for
   * well-formedness but not built, which saves most of the tree for a GPO report's security descriptors
   * and policy explanations.
   */
  prune?: (local: string, ns: string) => boolean;
}

/** Thrown from the error handler to stop saxes at the first error (caught below, never escapes). */
const STOP = Symbol('stop parsing');

/**
 * Parse XML text into a small element tree. Safe by construction: any DOCTYPE is refused, so no
 * external entity is ever resolved and no entity expansion can explode; nesting depth is bounded.
 */
export function parseXml(text: string, options: XmlParseOptions = {}): XmlElement {
  const maxDepth = options.maxDepth ?? 256;
  // Windows writes encoding="utf-16" even after the text was re-saved as UTF-8; the bytes are already decoded.
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: InputError | undefined;

  const fail = (code: 'malformed' | 'hostile', message: string) => {
    if (!failure) failure = new InputError(code, message, { line: parser.line, column: parser.column });
  };

  // Line of the `<` that starts the tag, not of its closing `>`: start tags can span lines.
  let tagLine = 1;
  let tagColumn = 0;
  parser.on('opentagstart', () => {
    tagLine = parser.line;
    tagColumn = parser.column;
  });
  // Depth inside a pruned subtree; 0 when building.
  let skipping = 0;
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (failure) return;
    if (stack.length + skipping >= maxDepth) {
      fail('hostile', `elements nested deeper than ${maxDepth} levels`);
      return;
    }
    if (skipping > 0 || (stack.length > 0 && options.prune?.(tag.local, tag.uri))) {
      skipping++;
      return;
    }
    const attrs: Record<string, string> = {};
    for (const key in tag.attributes) {
      const a = tag.attributes[key]!;
      attrs[a.local] = a.value;
    }
    const parent = stack[stack.length - 1];
    const el: XmlElement = {
      ns: tag.uri,
      local: tag.local,
      attrs,
      children: [],
      text: '',
      line: tagLine,
      column: tagColumn,
      nsScope: Object.keys(tag.ns).length > 0 ? { ...(parent?.nsScope ?? {}), ...tag.ns } : (parent?.nsScope ?? {}),
    };
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  // Group Policy XML has no mixed content: only text before an element's first child is kept, so the
  // indentation between children is not copied into every parent.
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top && !failure && skipping === 0 && top.children.length === 0) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (failure) return;
    if (skipping > 0) {
      skipping--;
      return;
    }
    const el = stack.pop();
    if (el && options.stream && stack.length === options.stream.depth) {
      options.stream.onElement(el);
      const parent = stack[stack.length - 1];
      parent?.children.pop();
    }
  });
  parser.on('error', (err: Error) => {
    fail('malformed', cleanSaxesMessage(err.message));
    // saxes would go on and report every later character as a new error (a 300,000-character value after the
    // damage: 1.7 s, found by the fuzzer): the first error is the one reported, so stop at once.
    throw STOP;
  });

  refuseDoctype(text);
  // saxes keeps going after an error; stop feeding once one was seen to bound the work on hostile input.
  const chunk = 1 << 20;
  try {
    for (let i = 0; i < text.length && !failure; i += chunk) parser.write(text.slice(i, i + chunk));
  } catch (err) {
    if (err !== STOP) throw err;
  }
  if (failure) throw failure;
  // Ending inside an element is a cut-short file; say so before saxes reports it as a generic unclosed tag.
  if (stack.length > 0 || skipping > 0) throw new InputError('truncated', `document ends inside <${stack[stack.length - 1]!.local}> (the file is cut short)`, { line: parser.line });
  try {
    parser.close();
  } catch (err) {
    if (err !== STOP) throw err;
  }
  if (failure) throw failure;
  if (!root) throw new InputError('malformed', 'no root element (empty or not XML)', { line: 1 });
  return root;
}

/**
 * A DOCTYPE can only stand in the prolog, before the root element, so looking there is enough. Checked here
 * rather than with a saxes `doctype` handler on purpose: a seventh event handler turns the saxes parser object
 * into a slow-properties (dictionary) object in V8 and made parsing about 4.5 times slower (docs/performance.md).
 */
function refuseDoctype(text: string): void {
  const root = text.search(/<[A-Za-z_:]/);
  const prolog = root < 0 ? text : text.slice(0, root);
  const at = prolog.search(/<!DOCTYPE/i);
  if (at < 0) return;
  throw new InputError('hostile', 'DOCTYPE declarations are not allowed in Group Policy exports (refused: entities could be expanded or fetched)', {
    line: lineAt(prolog, at),
  });
}

/** saxes prefixes messages with `line:column: `; positions are reported separately. */
function cleanSaxesMessage(message: string): string {
  return message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
}

// --- navigation helpers -------------------------------------------------------------------------

export function child(el: XmlElement, local: string, ns?: string): XmlElement | undefined {
  for (const c of el.children) if (c.local === local && (ns === undefined || c.ns === ns)) return c;
  return undefined;
}

export function children(el: XmlElement, local: string, ns?: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns));
}

export function childText(el: XmlElement, local: string, ns?: string): string | undefined {
  const c = child(el, local, ns);
  return c === undefined ? undefined : c.text.trim();
}

/** Resolve a QName attribute value such as `q1:SecuritySettings` to `{ns, local}` using the element's scope. */
export function resolveQName(el: XmlElement, qname: string): { ns: string; local: string } {
  const i = qname.indexOf(':');
  if (i < 0) return { ns: el.nsScope[''] ?? '', local: qname };
  return { ns: el.nsScope[qname.slice(0, i)] ?? '', local: qname.slice(i + 1) };
}

export function parseBool(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}
