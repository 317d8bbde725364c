import { GPP_FILE_EXTENSIONS } from '../model/extensions.js';
import type { InputFormat } from '../model/settings.js';
import { decodeText } from '../codecs/decode.js';

export type Detection =
  | { kind: 'supported'; format: InputFormat }
  /**
   * Recognised, deliberately not read; `hint` tells the user what to export instead. `knownPart`: a standard part of a
   * GPO backup or export that carries nothing the rules read (comments, audit.csv, HTML reports), counted, not warned about.
   */
  | { kind: 'unsupported'; what: string; hint?: string; knownPart?: true; preferences?: string }
  | { kind: 'unknown'; why: string };

const PREG_MAGIC = [0x50, 0x52, 0x65, 0x67];

// GPO.cmt (the GPO's comment) and comment.cmtx (per-policy comments) are one kind of file to a reader: one label.
const COMMENTS: Detection = { kind: 'unsupported', what: 'GPO comments (GPO.cmt, comment.cmtx)', knownPart: true };
const HTML_REPORT: Detection = { kind: 'unsupported', what: 'HTML report', hint: 'export with Get-GPOReport -ReportType Xml', knownPart: true };

/**
 * Root elements of the Group Policy Preferences files other than Registry and Power Options: those whose extension
 * model/extensions.ts knows, and a few whose namespace it does not (they count as able to write anything).
 */
const OTHER_GPP_ROOTS = new Set([...Object.keys(GPP_FILE_EXTENSIONS), 'NetworkShares', 'RegionalOptions', 'NetworkOptions', 'Applications']);

const INF_SECTIONS = /^\s*\[(Unicode|Version|System Access|Privilege Rights|Registry Values|Event Audit|Kerberos Policy|Group Membership|Service General Setting|Registry Keys|File Security|System Log|Security Log|Application Log)\]\s*$/im;

/**
 * Decide what a file is from its content; the name only breaks ties for binary files. Real exports are
 * renamed freely (`gpreport.xml`, `Server Baseline.xml`, `secpol.cfg`), so content is what counts.
 */
export function detectFormat(bytes: Uint8Array, fileName: string): Detection {
  const lower = fileName.toLowerCase();
  if (PREG_MAGIC.every((b, i) => bytes[i] === b)) return { kind: 'supported', format: 'registry-pol' };
  if (lower.endsWith('.pol')) return { kind: 'supported', format: 'registry-pol' }; // the parser names what is wrong with the header
  if (bytes.length === 0) return { kind: 'unknown', why: 'the file is empty' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return { kind: 'unsupported', what: 'zip archive', hint: 'extract it and point gpaudit at the folder' };
  }
  if (lower.endsWith('.pow')) return { kind: 'unsupported', what: 'powercfg power scheme export (.pow)', hint: 'audit the GPO that deploys the plan instead' };
  if (lower.endsWith('.cmt')) return COMMENTS;

  let text: string;
  try {
    // The first few KB decide the format; decoding the whole file here would decode it twice.
    text = decodeText(headBytes(bytes)).text;
  } catch {
    return { kind: 'unknown', why: 'binary data, not a Group Policy export' };
  }
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return detectXml(head);
  if (INF_SECTIONS.test(head)) return { kind: 'supported', format: 'security-template' };
  if (/^\s*\[General\]\s*$/im.test(head) && /^\s*Version\s*=/im.test(head)) return { kind: 'supported', format: 'gpt-ini' };
  if (/^(version:\s*1\s*$|dn::?\s)/im.test(head) && /^dn::?\s/im.test(head)) {
    return { kind: 'unsupported', what: 'LDIF directory export', hint: 'scan the directory itself with gpaudit ldap scan' };
  }
  if (/^Machine Name,Policy Target,Subcategory/i.test(head)) {
    return { kind: 'unsupported', what: 'advanced audit policy (audit.csv)', hint: 'the GPO report XML carries the same audit settings', knownPart: true };
  }
  return { kind: 'unknown', why: 'not XML, not a security template, not Registry.pol' };
}

/** A prefix that cuts no UTF-8 or UTF-16 sequence in half, so strict decoding of it cannot fail spuriously. */
function headBytes(bytes: Uint8Array): Uint8Array {
  const limit = 8 * 1024;
  if (bytes.length <= limit) return bytes;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[1] === 0 && bytes[3] === 0);
  if (utf16) {
    let end = limit;
    // Do not split a surrogate pair (high surrogate D800-DBFF in the last code unit).
    const hi = bytes[0] === 0xfe ? bytes[end - 2]! : bytes[end - 1]!;
    if (hi >= 0xd8 && hi <= 0xdb) end -= 2;
    return bytes.subarray(0, end);
  }
  let end = limit;
  while (end > limit - 4 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function detectXml(head: string): Detection {
  const stripped = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '').trimStart();
  const m = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(stripped);
  const root = m?.[2];
  if (!root) {
    // A DOCTYPE or garbage before the root: let the XML parser say precisely what is wrong.
    return /^<!DOCTYPE\s+html/i.test(stripped) ? HTML_REPORT : { kind: 'supported', format: 'gpo-report' };
  }
  switch (root) {
    case 'GPO':
    case 'report':
      return { kind: 'supported', format: 'gpo-report' };
    case 'Rsop':
      return { kind: 'supported', format: 'rsop' };
    case 'RegistrySettings':
      return { kind: 'supported', format: 'gpp-registry' };
    case 'PowerOptions':
      return { kind: 'supported', format: 'gpp-power' };
    case 'GroupPolicyBackupScheme':
    case 'BackupInst':
    case 'Backups':
      return { kind: 'supported', format: 'backup-metadata' };
    case 'policyDefinitions':
      return { kind: 'unsupported', what: 'ADMX template', hint: 'pass its PolicyDefinitions folder with --admx' };
    case 'policyDefinitionResources':
      return { kind: 'unsupported', what: 'ADML language file', hint: 'pass its PolicyDefinitions folder with --admx' };
    case 'policyComments':
      return COMMENTS;
    case 'html':
    case 'HTML':
      return HTML_REPORT;
    default:
      // Every Preferences file carries a clsid on its root; one we have no name for is still a Preferences file.
      if (OTHER_GPP_ROOTS.has(root) || /^<[^>]*\sclsid="\{/.test(stripped)) {
        // `preferences`: the root, so the engine can tell which rules such a file could affect (model/extensions.ts).
        return { kind: 'unsupported', what: `Group Policy Preferences ${root} items`, hint: 'only Registry and Power Options preferences are audited', preferences: root };
      }
      return { kind: 'unknown', why: `XML with root <${root}> is not a Group Policy export gpaudit reads` };
  }
}
