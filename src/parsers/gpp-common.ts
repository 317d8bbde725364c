// Pieces shared by the Group Policy Preferences parsers (Registry.xml, PowerOptions.xml).
// GPP files carry no XML namespace and CLSIDs vary between GPMC versions, so items are recognised by
// element local name only.

import { decodeText } from '../input/decode.js';
import { child, parseBool, parseXml, type XmlElement } from '../input/xml.js';
import { InputError } from '../model/problems.js';
import type { ParseResult } from '../model/parse-result.js';
import type { PreferenceMeta } from '../model/settings.js';

/** What an item inherits from the Collections around it. */
export interface EnclosingCollections {
  names: string[];
  conditional: boolean;
  disabled: boolean;
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
 * Visit every element below `container` whose local name is in `itemNames`, descending into nested
 * `Collection`s and carrying their names, targeting and disabled flags down. Elements that are neither items
 * nor collections go to `onUnknown`, so nothing is dropped without a word.
 */
export function walkPreferenceItems(
  container: XmlElement,
  itemNames: ReadonlySet<string>,
  onItem: (item: XmlElement, enclosing: EnclosingCollections) => void,
  onUnknown: (el: XmlElement) => void,
  enclosing: EnclosingCollections = { names: [], conditional: false, disabled: false },
): void {
  for (const el of container.children) {
    if (itemNames.has(el.local)) onItem(el, enclosing);
    else if (el.local === 'Collection') walkPreferenceItems(el, itemNames, onItem, onUnknown, enterCollection(el, enclosing));
    // A Collection's own targeting sits beside its items; it is read by enterCollection, not an item.
    else if (el.local === 'Filters' && container.local === 'Collection') continue;
    else onUnknown(el);
  }
}

function enterCollection(collection: XmlElement, outer: EnclosingCollections): EnclosingCollections {
  // The Registry Wizard and hand-made files leave some Collections unnamed; an empty name would only add noise.
  const name = collection.attrs.name;
  return {
    names: name ? [...outer.names, name] : outer.names,
    conditional: outer.conditional || hasTargeting(collection),
    disabled: outer.disabled || isDisabled(collection),
  };
}

/** Item-level targeting: a `Filters` child with at least one filter in it. GPMC writes an empty one too. */
export function hasTargeting(el: XmlElement): boolean {
  const filters = child(el, 'Filters');
  return filters !== undefined && filters.children.length > 0;
}

export function isDisabled(el: XmlElement): boolean {
  return parseBool(el.attrs.disabled) === true;
}

/**
 * `C`/`R`/`U`/`D` to the model's words. [MS-GPPREF] makes `U` the default when the attribute is absent
 * (the XP GlobalPowerOptions item never writes one). Returns undefined for any other letter.
 */
export function preferenceAction(code: string | undefined): PreferenceAction | undefined {
  if (code === undefined || code.trim() === '') return 'update';
  return ACTIONS[code.trim().toUpperCase()];
}

export function preferenceMeta(item: XmlElement, action: PreferenceAction, enclosing: EnclosingCollections): PreferenceMeta {
  return {
    itemName: item.attrs.name ?? '',
    action,
    conditional: enclosing.conditional || hasTargeting(item),
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
