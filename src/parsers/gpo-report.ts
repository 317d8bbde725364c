import { decodeText } from '../codecs/decode.js';
import { child, childText, children, parseBool, parseXml, type XmlElement } from '../codecs/xml.js';
import type { GpoInfo, GpoLink, UnreadExtension } from '../model/gpo.js';
import { InputError } from '../model/problems.js';
import type { ParseContext, ParseResult } from '../model/parse-result.js';
import type { GpoRef } from '../model/settings.js';
import { guardParser } from './common.js';
import { NS, pruneUnread, readExtensions, readGpoIdentifier, unreadForSource } from './gp-xml.js';
import { keepGpoSecurityDescriptor, readPermissions, readSideVersions, readWmiFilter, reportWarner } from './gpo-report-meta.js';

/** Prune as for RSoP, except the GPO's own security descriptor: its permissions are the security filtering. */
const prune = (local: string, ns: string): boolean => !keepGpoSecurityDescriptor(local, ns) && pruneUnread(local);

/**
 * Get-GPOReport -ReportType Xml: a single `GPO` root, or the `-All` form, a `report` root holding many.
 * The multi-GPO form is streamed one GPO element at a time so a whole-domain report is never held at once.
 */
export const parseGpoReport = guardParser('gpo-report', (bytes, ctx, out) => {
  const { text } = decodeText(bytes);
  const rootName = peekRootName(text);
  if (rootName === 'report') {
    const root = parseXml(text, { prune, stream: { depth: 1, onElement: (el) => el.local === 'GPO' && el.ns === NS.settings && readGpo(el, ctx, out) } });
    if (root.local !== 'report') throw new InputError('malformed', `expected <report>, found <${root.local}>`, { line: root.line });
    return;
  }
  const root = parseXml(text, { prune });
  if (root.local !== 'GPO' || root.ns !== NS.settings) {
    throw new InputError('malformed', `expected a <GPO> or <report> root in namespace ${NS.settings}, found <${root.local}> (${root.ns || 'no namespace'})`, { line: root.line });
  }
  readGpo(root, ctx, out);
});

/** Local name of the first element, skipping the prolog, comments and processing instructions. */
export function peekRootName(text: string): string | undefined {
  const head = text.slice(0, 8 * 1024).replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length));
  const m = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]/.exec(head);
  return m?.[2];
}

function readGpo(el: XmlElement, ctx: ParseContext, out: ParseResult): void {
  const name = childText(el, 'Name', NS.settings);
  const ref: GpoRef = { ...readGpoIdentifier(child(el, 'Identifier', NS.settings)), ...(name ? { name } : {}) };
  const info: GpoInfo = { ref, links: children(el, 'LinksTo', NS.settings).map(readLink), sources: [{ file: ctx.file, format: 'gpo-report' }] };
  const warn = reportWarner(ctx.file, out);
  const unread: UnreadExtension[] = [];
  for (const [local, scope] of [['Computer', 'computer'], ['User', 'user']] as const) {
    const side = child(el, local, NS.settings);
    if (!side) continue;
    const enabled = parseBool(childText(side, 'Enabled', NS.settings));
    if (enabled !== undefined) info[scope === 'computer' ? 'computerEnabled' : 'userEnabled'] = enabled;
    const read = readSideVersions(side, warn);
    if (read) {
      (info.versions ??= {})[scope] = read.versions;
      info.versionsLine ??= read.line;
    }
    unread.push(...readExtensions(side, { ctx, format: 'gpo-report', scope, origin: () => ({ gpo: ref }), out }));
  }
  Object.assign(info, readWmiFilter(el));
  const permissions = readPermissions(el, warn);
  if (permissions) info.permissions = permissions;
  if (unread.length > 0) {
    info.unreadExtensions = [...new Set(unread.map((u) => u.name))];
    info.sources[0]!.unreadExtensions = unreadForSource(unread);
  }
  out.gpos.push(info);
}

function readLink(el: XmlElement): GpoLink {
  const somName = childText(el, 'SOMName', NS.settings);
  return {
    somPath: childText(el, 'SOMPath', NS.settings) ?? '',
    ...(somName ? { somName } : {}),
    enabled: parseBool(childText(el, 'Enabled', NS.settings)) ?? true,
    noOverride: parseBool(childText(el, 'NoOverride', NS.settings)) ?? false,
  };
}
