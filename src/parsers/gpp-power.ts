// Group Policy Preferences power items: the stand-alone PowerOptions.xml (…\Preferences\PowerOptions\PowerOptions.xml,
// formats.md §6) and the "Power Options" extension of a GPO report or RSoP, which holds the same items in its own
// namespace. One reader serves both.
// Values are kept verbatim: their vocabularies (ON/OFF, time units) are not settled, so rules interpret them.

import type { XmlElement } from '../codecs/xml.js';
import type { ParseResult } from '../model/parse-result.js';
import type { PowerPlanSetting } from '../model/settings.js';
import { guardParser, provenance, type Parser } from './common.js';
import { normaliseGuid } from '../model/keys.js';
import {
  itemProperties,
  parsePreferenceDocument,
  preferenceAction,
  preferenceMeta,
  skipItem,
  walkPreferenceItems,
  warnUnknownElement,
  type EnclosingCollections,
  type PreferenceSource,
} from './gpp-common.js';

const FORMAT = 'gpp-power';

const VARIANTS: Readonly<Record<string, PowerPlanSetting['variant']>> = {
  GlobalPowerOptionsV2: 'power-plan-v2',
  GlobalPowerOptions: 'global-power-options-xp',
  PowerScheme: 'power-scheme-xp',
};
const ITEMS: ReadonlySet<string> = new Set(Object.keys(VARIANTS));

export const parseGppPowerOptions: Parser = guardParser(FORMAT, (bytes, ctx, out) => {
  const root = parsePreferenceDocument(bytes, 'PowerOptions');
  // GPP files carry no namespace; should a hand-made one declare a default namespace, its items share it.
  readPowerPreferences(root, { ns: root.ns, out, provenance: (item) => provenance(ctx, FORMAT, { line: item.line }) });
});

/** Every power item below a `PowerOptions` element (the file's root, or the one inside a report's extension). */
export function readPowerPreferences(container: XmlElement, src: PreferenceSource): void {
  walkPreferenceItems(
    container,
    src,
    ITEMS,
    (item, enclosing) => readPowerItem(item, enclosing, src),
    (el) => warnUnknownElement(src.out, el, 'PowerOptions'),
  );
}

function readPowerItem(item: XmlElement, enclosing: EnclosingCollections, src: PreferenceSource): void {
  const out = src.out;
  const variant = VARIANTS[item.local]!;
  const props = itemProperties(item, src);
  if (!props) return skipItem(out, item, 'it has no <Properties>');
  const action = preferenceAction(props.attrs.action);
  if (!action) return skipItem(out, item, `unknown action "${props.attrs.action}" (expected C, R, U or D)`);

  const setting: PowerPlanSetting = {
    kind: 'power-plan',
    variant,
    itemName: item.attrs.name ?? '',
    // GlobalPowerOptions (XP) is machine-wide, not a plan, so it can never make one active.
    makeActive: variant !== 'global-power-options-xp' && props.attrs.default === '1',
    properties: { ...props.attrs },
    preference: preferenceMeta(item, action, enclosing, src.ns),
    provenance: src.provenance(item, enclosing),
  };
  if (variant === 'power-plan-v2') {
    const planGuid = planGuidOf(props.attrs.nameGuid, item, out);
    if (planGuid) setting.planGuid = planGuid;
  }
  out.settings.push(setting);
}

/** `{8C5E7FDA-…}` → `8c5e7fda-…`. A create item has no GUID yet; a malformed one is reported, the item kept. */
function planGuidOf(nameGuid: string | undefined, item: XmlElement, out: ParseResult): string | undefined {
  if (nameGuid === undefined || nameGuid.trim() === '') return undefined;
  const guid = normaliseGuid(nameGuid);
  // normaliseGuid hands back anything that is not a GUID as written: only the GUID form itself is a plan GUID.
  if (guid && /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/.test(guid)) return guid.slice(1, -1).toLowerCase();
  out.problems.push({
    file: out.file,
    position: { line: item.line },
    code: 'malformed',
    severity: 'warning',
    message: `<${item.local}> "${item.attrs.name ?? ''}": nameGuid "${nameGuid}" is not a GUID; plan GUID left unknown`,
  });
  return undefined;
}
