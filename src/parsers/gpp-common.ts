// Pieces shared by the Group Policy Preferences readers (Registry.xml, PowerOptions.xml, and the same items as a
// GPO report or RSoP shows them). GPP files carry no XML namespace; a report puts every element of an extension
// in the extension's namespace (`q12:Registry`). CLSIDs vary between GPMC versions, so items are recognised by
// element local name within the expected namespace.

import { decodeText } from '../codecs/decode.js';
import { child, children, parseBool, parseXml, type XmlElement } from '../codecs/xml.js';
import { InputError } from '../model/problems.js';
import type { ParseResult } from '../model/parse-result.js';
import type { PreferenceMeta, Provenance } from '../model/settings.js';

/** What an item inherits from the Collections around it. */
export interface EnclosingCollections {
  names: string[];
  conditional: boolean;
  disabled: boolean;
  /** The container the walk started at, then each enclosing Collection element, outermost first. */
  path: XmlElement[];
}

/**
 * Where preference items are read from. One item reader serves a stand-alone file and a report's extension:
 * only the namespace, the provenance and the report's own annotations differ.
 */
export interface PreferenceSource {
  /** Namespace of the item elements: '' in a stand-alone file, the extension's namespace in a report. */
  ns: string;
  out: ParseResult;
  /** Provenance of one item: file, format, line and, in a report or RSoP, the GPO that set it. */
  provenance: (item: XmlElement, enclosing: EnclosingCollections) => Provenance;
  /**
   * Elements a report adds beside items and collections that are neither (`GPOSettingOrder`; in RSoP the
   * `GPO` and `Precedence` of the GPO that set the item). Absent for a stand-alone file, where they are unknown.
   */
  isAnnotation?: (el: XmlElement) => boolean;
}

export type PreferenceAction = PreferenceMeta['action'];

const ACTIONS: Readonly<Record<string, PreferenceAction>> = { C: 'create', R: 'replace', U: 'update', D: 'delete' };

/** Decode, parse and check the root element's local name; anything else is not this file type. */
export function parsePreferenceDocument(bytes: Uint8Array, expectedRoot: string): XmlElement {
  const root = parseXml(decodeText(bytes).text);
  if (root.local !== expectedRoot) {
    throw new InputError('malformed', `expected <${expectedRoot}> root, found <${root.local}>`, { line: root.line });
  }
  return root;
}

/**
 * Visit every element below `container` whose local name is in `itemNames` (in the source's namespace),
 * descending into nested `Collection`s and carrying their names, targeting and disabled flags down. Elements
 * that are neither items, collections nor report annotations go to `onUnknown`, so nothing is dropped without a word.
 */
export function walkPreferenceItems(
  container: XmlElement,
  src: PreferenceSource,
  itemNames: ReadonlySet<string>,
  onItem: (item: XmlElement, enclosing: EnclosingCollections) => void,
  onUnknown: (el: XmlElement) => void,
  enclosing: EnclosingCollections = { names: [], conditional: false, disabled: false, path: [container] },
): void {
  for (const el of container.children) {
    if (src.isAnnotation?.(el)) continue;
    if (el.ns !== src.ns) onUnknown(el);
    else if (itemNames.has(el.local)) onItem(el, enclosing);
    else if (el.local === 'Collection') walkPreferenceItems(el, src, itemNames, onItem, onUnknown, enterCollection(el, enclosing, src.ns));
    // A Collection's own targeting sits beside its items; it is read by enterCollection, not an item.
    else if (el.local === 'Filters' && container.local === 'Collection') continue;
    else onUnknown(el);
  }
}

function enterCollection(collection: XmlElement, outer: EnclosingCollections, ns: string): EnclosingCollections {
  // The Registry Wizard and hand-made files leave some Collections unnamed; an empty name would only add noise.
  const name = collection.attrs.name;
  return {
    names: name ? [...outer.names, name] : outer.names,
    conditional: outer.conditional || hasTargeting(collection, ns),
    disabled: outer.disabled || isDisabled(collection),
    path: [...outer.path, collection],
  };
}

/** Item-level targeting: a `Filters` child with at least one filter in it. GPMC writes an empty one too. */
export function hasTargeting(el: XmlElement, ns = ''): boolean {
  const filters = child(el, 'Filters', ns);
  return filters !== undefined && filters.children.length > 0;
}

export function isDisabled(el: XmlElement): boolean {
  return parseBool(el.attrs.disabled) === true;
}

/** The item's `Properties` child, in the source's namespace. */
export function itemProperties(item: XmlElement, src: PreferenceSource): XmlElement | undefined {
  return child(item, 'Properties', src.ns);
}

/** `<Values><Value>…` children of a Properties element (REG_MULTI_SZ), in the source's namespace. */
export function propertyValues(props: XmlElement, src: PreferenceSource): string[] {
  const list = child(props, 'Values', src.ns);
  return list ? children(list, 'Value', src.ns).map((v) => v.text) : [];
}

/**
 * `C`/`R`/`U`/`D` to the model's words. [MS-GPPREF] makes `U` the default when the attribute is absent
 * (the XP GlobalPowerOptions item never writes one). Returns undefined for any other letter.
 */
export function preferenceAction(code: string | undefined): PreferenceAction | undefined {
  if (code === undefined || code.trim() === '') return 'update';
  return ACTIONS[code.trim().toUpperCase()];
}

export function preferenceMeta(item: XmlElement, action: PreferenceAction, enclosing: EnclosingCollections, ns = ''): PreferenceMeta {
  return {
    itemName: item.attrs.name ?? '',
    action,
    conditional: enclosing.conditional || hasTargeting(item, ns),
    disabled: enclosing.disabled || isDisabled(item),
    collections: [...enclosing.names],
  };
}

/** A preference item that could not be read: warn with its line and carry on with the rest of the file. */
export function skipItem(out: ParseResult, item: XmlElement, why: string): void {
  const name = item.attrs.name ? ` "${item.attrs.name}"` : '';
  out.problems.push({
    file: out.file,
    position: { line: item.line },
    code: 'skipped-entry',
    severity: 'warning',
    message: `<${item.local}>${name} skipped: ${why}`,
  });
}

export function warnUnknownElement(out: ParseResult, el: XmlElement, where: string): void {
  out.problems.push({
    file: out.file,
    position: { line: el.line },
    code: 'skipped-entry',
    severity: 'warning',
    message: `unknown element <${el.local}> in ${where} skipped`,
  });
}
