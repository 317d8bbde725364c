import { decodeText } from '../codecs/decode.js';
import { child, childText, children, parseBool, parseXml, type XmlElement } from '../codecs/xml.js';
import type { GpoInfo, GpoLink } from '../model/gpo.js';
import { InputError } from '../model/problems.js';
import type { GpoRef, PolicyScope } from '../model/settings.js';
import { guardParser } from './common.js';
import { guidKey, normaliseGuid } from '../model/keys.js';
import { NS, pruneUnread, readExtensions, readGpoIdentifier, unreadForSource, type SettingOrigin } from './gp-xml.js';

/**
 * gpresult /x (Resultant Set of Policy). Every setting names the GPO that set it and its precedence
 * (1 wins); the GPO list gives names, links and whether each GPO applied at all.
 */
export const parseRsop = guardParser('rsop', (bytes, ctx, out) => {
  const root = parseXml(decodeText(bytes).text, { prune: pruneUnread });
  if (root.local !== 'Rsop' || root.ns !== NS.rsop) {
    throw new InputError('malformed', `expected an <Rsop> root in namespace ${NS.rsop}, found <${root.local}>`, { line: root.line });
  }
  for (const [local, scope] of [['ComputerResults', 'computer'], ['UserResults', 'user']] as const) {
    const results = child(root, local, NS.rsop);
    if (!results) continue;
    const gpos = children(results, 'GPO', NS.rsop).map((g) => readAppliedGpo(g, scope, ctx.file));
    const byId = new Map<string, GpoRef>();
    for (const g of gpos) if (g.ref.id) byId.set(guidKey(g.ref.id), g.ref);
    out.gpos.push(...gpos);
    const origin: SettingOrigin = (el) => {
      const id = readGpoIdentifier(child(el, 'GPO', NS.base));
      const known = id.id ? byId.get(guidKey(id.id)) : undefined;
      const precedence = Number(childText(el, 'Precedence', NS.base) ?? '1');
      return {
        gpo: known ?? id,
        rsop: { precedence: Number.isFinite(precedence) ? precedence : 1, winner: precedence === 1 },
      };
    };
    const unread = readExtensions(results, { ctx, format: 'rsop', scope, origin, out });
    // An extension is the GPO's when RSoP names it inside the extension; one that names no GPO of the list could be any GPO's.
    const named = (u: (typeof unread)[number]) => u.gpoIds.some((id) => byId.has(id));
    for (const g of gpos) {
      const id = g.ref.id !== undefined ? guidKey(g.ref.id) : undefined;
      const mine = unread.filter((u) => !named(u) || (id !== undefined && u.gpoIds.includes(id)));
      if (mine.length === 0) continue;
      g.unreadExtensions = [...new Set([...(g.unreadExtensions ?? []), ...mine.map((u) => u.name)])];
      g.sources[0]!.unreadExtensions = unreadForSource(mine);
    }
  }
});

function readAppliedGpo(el: XmlElement, scope: PolicyScope, file: string): GpoInfo {
  const id = readGpoIdentifier(child(el, 'Path', NS.rsop));
  // gpresult names a GPO it could not read by its GUID; that is no display name.
  const listed = childText(el, 'Name', NS.rsop);
  const name = listed && normaliseGuid(listed) !== id.id ? listed : undefined;
  const links: GpoLink[] = children(el, 'Link', NS.rsop).map((l) => {
    const appliedOrder = Number(childText(l, 'AppliedOrder', NS.rsop) ?? '0');
    const linkOrder = Number(childText(l, 'LinkOrder', NS.rsop) ?? 'NaN');
    return {
      somPath: childText(l, 'SOMPath', NS.rsop) ?? '',
      enabled: parseBool(childText(l, 'Enabled', NS.rsop)) ?? true,
      noOverride: parseBool(childText(l, 'NoOverride', NS.rsop)) ?? false,
      appliedOrder,
      ...(Number.isFinite(linkOrder) ? { linkOrder } : {}),
    };
  });
  const filterAllowed = parseBool(childText(el, 'FilterAllowed', NS.rsop));
  const accessDenied = parseBool(childText(el, 'AccessDenied', NS.rsop));
  const isValid = parseBool(childText(el, 'IsValid', NS.rsop));
  const enabled = parseBool(childText(el, 'Enabled', NS.rsop));
  // gpresult lists GPOs that were filtered out too; only AppliedOrder > 0 with access and filters passing applied.
  const applied = links.some((l) => (l.appliedOrder ?? 0) > 0) && filterAllowed !== false && accessDenied !== true && isValid !== false && enabled !== false;
  return {
    ref: { ...id, ...(name ? { name } : {}) },
    links,
    rsop: {
      [scope]: {
        applied,
        ...(filterAllowed !== undefined ? { filterAllowed } : {}),
        ...(accessDenied !== undefined ? { accessDenied } : {}),
        ...(isValid !== undefined ? { isValid } : {}),
      },
    },
    sources: [{ file, format: 'rsop' }],
  };
}
