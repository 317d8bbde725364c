import { decodeText } from '../codecs/decode.js';
import { child, childText, children, parseXml, type XmlElement } from '../codecs/xml.js';
import type { GpoInfo } from '../model/gpo.js';
import { InputError } from '../model/problems.js';
import type { GpoRef } from '../model/settings.js';
import { guardParser } from './common.js';
import { normaliseGuid } from '../model/keys.js';

const MANIFEST_NS = 'http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest';
const BACKUP_NS = 'http://www.microsoft.com/GroupPolicy/GPOOperations';

/**
 * Backup-GPO metadata: Backup.xml, bkupInfo.xml and the folder-level manifest.xml. They hold no settings,
 * only which GPO a backup folder is (the folder is named by the backup id, not the GPO GUID).
 */
export const parseBackupMetadata = guardParser('backup-metadata', (bytes, ctx, out) => {
  const root = parseXml(decodeText(bytes).text);
  const info = (ref: GpoRef, backupId?: string): GpoInfo => ({
    ref,
    links: [],
    sources: [{ file: ctx.file, format: 'backup-metadata' }],
    ...(backupId ? { backupId } : {}),
  });
  if (root.local === 'BackupInst' && root.ns === MANIFEST_NS) out.gpos.push(info(readBackupInst(root), normaliseGuid(childText(root, 'ID'))));
  else if (root.local === 'Backups' && root.ns === MANIFEST_NS) {
    for (const inst of children(root, 'BackupInst', MANIFEST_NS)) out.gpos.push(info(readBackupInst(inst), normaliseGuid(childText(inst, 'ID'))));
  } else if (root.local === 'GroupPolicyBackupScheme' && root.ns === BACKUP_NS) {
    const core = child(child(root, 'GroupPolicyObject', BACKUP_NS) ?? root, 'GroupPolicyCoreSettings', BACKUP_NS);
    if (!core) throw new InputError('malformed', 'Backup.xml has no GroupPolicyCoreSettings', { line: root.line });
    out.gpos.push(info(ref(childText(core, 'ID', BACKUP_NS), childText(core, 'Domain', BACKUP_NS), childText(core, 'DisplayName', BACKUP_NS))));
  } else {
    throw new InputError('malformed', `not Backup-GPO metadata: root <${root.local}>`, { line: root.line });
  }
});

function readBackupInst(el: XmlElement): GpoRef {
  return ref(childText(el, 'GPOGuid'), childText(el, 'GPODomain'), childText(el, 'GPODisplayName'));
}

function ref(id: string | undefined, domain: string | undefined, name: string | undefined): GpoRef {
  const guid = normaliseGuid(id);
  return { ...(guid ? { id: guid } : {}), ...(domain ? { domain } : {}), ...(name ? { name } : {}) };
}
