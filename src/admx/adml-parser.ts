import type { XmlElement } from '../codecs/xml.js';
import type { AdmlDocument, PresentationControl, PresentationControlKind } from './types.js';
import { kid, kids, parseDefinitionFile, type ParsedFile } from './xml-common.js';

const CONTROL_KINDS: readonly PresentationControlKind[] = [
  'dropdownList',
  'decimalTextBox',
  'longDecimalTextBox',
  'textBox',
  'comboBox',
  'checkBox',
  'listBox',
  'multiTextBox',
];

/**
 * Read one ADML file: its string table and the labels of its presentations. Pure. `language` is the folder
 * the caller found the file in, kept so a catalogue can tell its languages apart.
 */
export function parseAdml(bytes: Uint8Array, file: string, language?: string): ParsedFile<AdmlDocument> {
  return parseDefinitionFile(bytes, file, 'policyDefinitionResources', (root, warn) => {
    const resources = kid(root, 'resources');
    const doc: AdmlDocument = {
      file,
      ...(language ? { language } : {}),
      strings: Object.create(null),
      presentations: Object.create(null),
    };
    for (const el of kids(kid(resources ?? root, 'stringTable') ?? root, 'string')) {
      const id = el.attrs.id;
      if (!id) warn(el.line, 'string without id skipped');
      else if (Object.hasOwn(doc.strings, id)) warn(el.line, `duplicate string id "${id}" ignored; the first one is kept`);
      else doc.strings[id] = el.text;
    }
    for (const el of kids(kid(resources ?? root, 'presentationTable') ?? root, 'presentation')) {
      const id = el.attrs.id;
      if (!id) warn(el.line, 'presentation without id skipped');
      else if (Object.hasOwn(doc.presentations, id)) warn(el.line, `duplicate presentation id "${id}" ignored; the first one is kept`);
      else doc.presentations[id] = readControls(el, id, warn);
    }
    return doc;
  });
}

function readControls(presentation: XmlElement, id: string, warn: (line: number, message: string) => void): PresentationControl[] {
  const controls: PresentationControl[] = [];
  for (const el of presentation.children) {
    // <text> lines are captions with no element behind them.
    if (el.ns !== presentation.ns || el.local === 'text') continue;
    const kind = CONTROL_KINDS.find((k) => k === el.local);
    if (!kind) {
      warn(el.line, `presentation "${id}": unknown control <${el.local}> skipped`);
      continue;
    }
    const refId = el.attrs.refId;
    if (!refId) {
      warn(el.line, `presentation "${id}": <${el.local}> without refId skipped`);
      continue;
    }
    controls.push({ kind, refId, label: controlLabel(el) });
  }
  return controls;
}

/** textBox and comboBox carry the label in a `<label>` child; the other controls in their own text. */
function controlLabel(el: XmlElement): string {
  const label = kid(el, 'label');
  return (label ? label.text : el.text).trim();
}
