#!/usr/bin/env node
// Measures the real corpus the estate generator imitates: counts and sizes only, never content.
//
//   node bench/measure-corpus.mjs            size distribution (median/p90/max) of the real files, as a table
//   node bench/measure-corpus.mjs --json     the same as JSON
//   node bench/measure-corpus.mjs --shapes   the source of bench/lib/shapes.mjs (one row per real Backup-GPO folder)
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SaxesParser } from 'saxes';
import { backupFolders, decodeBytes, gpoReportFiles, listFiles, REALDATA, realdataPresent } from './lib/corpus.mjs';
import { formatBytes, sizeSummary, table } from './lib/stats.mjs';

const SECURITY_KINDS = {
  SecurityOptions: 'securityOptions',
  UserRightsAssignment: 'userRights',
  Account: 'accountPolicies',
  Audit: 'auditPolicies',
  AuditSetting: 'advancedAudit',
  EventLog: 'eventLog',
  SystemServices: 'services',
  RegistrySetting: 'extraRegistry',
};

const INF_SECTIONS = {
  'system access': 'infSystemAccess',
  'registry values': 'infRegistryValues',
  'privilege rights': 'infPrivilegeRights',
  'kerberos policy': 'infKerberos',
  'event audit': 'infEventAudit',
  'system log': 'infSystemLog',
  'security log': 'infSecurityLog',
  'application log': 'infApplicationLog',
  'group membership': 'infGroupMembership',
};

export const SHAPE_COLUMNS = [
  'reportBytes', 'policiesComputer', 'policiesUser', 'explainChars', 'securityOptions', 'userRights', 'accountPolicies',
  'auditPolicies', 'advancedAudit', 'eventLog', 'services', 'extraRegistry', 'trustees', 'extensions', 'polBytes',
  'polRecords', 'infBytes', 'infSystemAccess', 'infRegistryValues', 'infPrivilegeRights', 'infKerberos', 'infEventAudit',
  'infSystemLog', 'infSecurityLog', 'infApplicationLog', 'infGroupMembership', 'userPolBytes', 'userPolRecords',
  'backupXmlBytes', 'bkupInfoBytes',
];

/** Counts of the setting kinds in one gpreport.xml, by element local name (namespaces differ per extension). */
export function measureReport(bytes) {
  const counts = { policiesComputer: 0, policiesUser: 0, trustees: 0, extensions: 0 };
  for (const k of Object.values(SECURITY_KINDS)) counts[k] = 0;
  let explainTotal = 0;
  let explainSeen = 0;
  const stack = [];
  let side;
  let inExplain = false;
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    stack.push(tag.local);
    if (stack.length === 2 && (tag.local === 'Computer' || tag.local === 'User')) side = tag.local;
    if (tag.local === 'ExtensionData') counts.extensions++;
    if (tag.local === 'TrusteePermissions') counts.trustees++;
    if (parent !== 'Extension') {
      if (tag.local === 'Explain' && parent === 'Policy') (inExplain = true), explainSeen++;
      return;
    }
    if (tag.local === 'Policy') counts[side === 'User' ? 'policiesUser' : 'policiesComputer']++;
    else if (SECURITY_KINDS[tag.local]) counts[SECURITY_KINDS[tag.local]]++;
  });
  parser.on('text', (t) => {
    if (inExplain) explainTotal += t.length;
  });
  parser.on('closetag', () => {
    stack.pop();
    inExplain = false;
  });
  parser.write(decodeBytes(bytes)).close();
  return { ...counts, explainChars: explainSeen ? Math.round(explainTotal / explainSeen) : 0 };
}

/** The number of records in a PReg file: walks `[key;name;type;size;data]` by the size field, as the format demands. */
export function countPolRecords(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let records = 0;
  const skipString = () => {
    while (pos + 1 < bytes.length && (bytes[pos] !== 0 || bytes[pos + 1] !== 0)) pos += 2;
    pos += 2;
  };
  while (pos + 1 < bytes.length && bytes[pos] === 0x5b && bytes[pos + 1] === 0) {
    pos += 2;
    skipString(); // key
    pos += 2; // ;
    skipString(); // value name
    pos += 2 + 4 + 2; // ; type ;
    if (pos + 4 > bytes.length) break;
    const size = view.getUint32(pos, true);
    pos += 4 + 2 + size + 2; // size ; data ]
    records++;
  }
  return records;
}

/** key=value lines per known section of a security template. */
export function measureInf(bytes) {
  const counts = Object.fromEntries(Object.values(INF_SECTIONS).map((k) => [k, 0]));
  let section;
  for (const raw of decodeBytes(bytes).split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = INF_SECTIONS[header[1].toLowerCase()];
    else if (section && line.includes('=') && !line.startsWith(';')) counts[section]++;
  }
  return counts;
}

function findFile(folder, files, pattern) {
  const prefix = `${folder}/`;
  return files.find((f) => f.startsWith(prefix) && pattern.test(f.slice(prefix.length)));
}

function measureBackup(folder, files) {
  const read = (p) => (p ? readFileSync(p) : undefined);
  const report = read(findFile(folder, files, /^gpreport\.xml$/i));
  const pol = read(findFile(folder, files, /^DomainSysvol\/GPO\/Machine\/registry\.pol$/i));
  const userPol = read(findFile(folder, files, /^DomainSysvol\/GPO\/User\/registry\.pol$/i));
  const inf = read(findFile(folder, files, /^DomainSysvol\/GPO\/Machine\/microsoft\/windows nt\/SecEdit\/GptTmpl\.inf$/i));
  const infCounts = inf ? measureInf(inf) : measureInf(new Uint8Array());
  return {
    reportBytes: report?.length ?? 0,
    ...(report ? measureReport(report) : {}),
    polBytes: pol?.length ?? 0,
    polRecords: pol ? countPolRecords(pol) : 0,
    infBytes: inf?.length ?? 0,
    ...infCounts,
    userPolBytes: userPol?.length ?? 0,
    userPolRecords: userPol ? countPolRecords(userPol) : 0,
    backupXmlBytes: statSync(join(folder, 'Backup.xml')).size,
    bkupInfoBytes: statSync(join(folder, 'bkupInfo.xml')).size,
  };
}

export function measureCorpus() {
  const files = listFiles(REALDATA);
  const shapes = backupFolders(files).map((folder) => measureBackup(folder, files));
  const sizes = (pattern) => files.filter((f) => pattern.test(f)).map((f) => statSync(f).size);
  const reports = gpoReportFiles(files);
  const distribution = {
    'gpreport.xml (Backup-GPO)': sizeSummary(shapes.map((s) => s.reportBytes).filter((n) => n > 0)),
    'GPO report XML (all)': sizeSummary(reports.map((f) => statSync(f).size)),
    'Machine registry.pol (Backup-GPO)': sizeSummary(shapes.map((s) => s.polBytes).filter((n) => n > 0)),
    'User registry.pol (Backup-GPO)': sizeSummary(shapes.map((s) => s.userPolBytes).filter((n) => n > 0)),
    'registry.pol (all)': sizeSummary(sizes(/[\\/]registry\.pol$/i)),
    'GptTmpl.inf (Backup-GPO)': sizeSummary(shapes.map((s) => s.infBytes).filter((n) => n > 0)),
    'GptTmpl.inf (all)': sizeSummary(sizes(/[\\/]GptTmpl\.inf$/i)),
    'Backup.xml': sizeSummary(shapes.map((s) => s.backupXmlBytes)),
    'bkupInfo.xml': sizeSummary(shapes.map((s) => s.bkupInfoBytes)),
    'Backup-GPO folder (these 5 files)': sizeSummary(shapes.map((s) => s.reportBytes + s.polBytes + s.userPolBytes + s.infBytes + s.backupXmlBytes + s.bkupInfoBytes)),
  };
  const records = {
    'Machine registry.pol records': sizeSummary(shapes.filter((s) => s.polBytes > 0).map((s) => s.polRecords)),
    'admin-template policies per report': sizeSummary(shapes.map((s) => s.policiesComputer + s.policiesUser)),
    'security settings per report': sizeSummary(shapes.map((s) => Object.values(SECURITY_KINDS).reduce((n, k) => n + s[k], 0))),
  };
  return { folders: shapes.length, shapes, distribution, records };
}

export function distributionTable({ distribution, records }) {
  const rows = Object.entries(distribution).map(([name, s]) => [name, s.count, formatBytes(s.median), formatBytes(s.p90), formatBytes(s.max)]);
  const counts = Object.entries(records).map(([name, s]) => [name, s.count, s.median, s.p90, s.max]);
  return `${table(['file', 'files', 'median', 'p90', 'max'], rows)}\n\n${table(['count', 'files', 'median', 'p90', 'max'], counts)}`;
}

function shapesModule(shapes) {
  const rows = shapes.map((s) => `  [${SHAPE_COLUMNS.map((c) => s[c] ?? 0).join(', ')}],`).join('\n');
  const columns = SHAPE_COLUMNS.map((c) => `'${c}'`).join(', ');
  return `// The shape of each real Backup-GPO folder under /work/shared/realdata (${shapes.length} folders), written by
// \`node bench/measure-corpus.mjs --shapes > bench/lib/shapes.mjs\`: counts and sizes only, no content. The estate
// generator draws one row per synthetic GPO and writes its own content to that shape, so sizes, setting counts and
// the mix of setting kinds follow the real corpus, including how they go together (a STIG GPO has a big report, a
// big registry.pol and a full GptTmpl.inf at once).
//
// Columns: gpreport.xml bytes; admin-template policies on the Computer and User side; mean Explain length
// (characters); security options, user rights, account policies, audit policies, advanced audit subcategories,
// event log settings, system services, extra registry settings, trustees in the GPO's security descriptor,
// ExtensionData blocks; Machine registry.pol bytes and records (0 bytes: no such file); GptTmpl.inf bytes
// (0: no such file) and key=value lines in [System Access], [Registry Values], [Privilege Rights],
// [Kerberos Policy], [Event Audit], [System Log], [Security Log], [Application Log], [Group Membership];
// User registry.pol bytes and records; Backup.xml and bkupInfo.xml bytes.
const COLUMNS = [${columns}];

const ROWS = [
${rows}
];

export const REAL_SHAPES = ROWS.map((row) => Object.fromEntries(COLUMNS.map((c, i) => [c, row[i]])));
`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!realdataPresent()) {
    console.log(`No real corpus at ${REALDATA}: nothing to measure.`);
    process.exit(0);
  }
  const result = measureCorpus();
  if (process.argv.includes('--shapes')) process.stdout.write(shapesModule(result.shapes));
  else if (process.argv.includes('--json')) console.log(JSON.stringify({ folders: result.folders, distribution: result.distribution, records: result.records }, null, 2));
  else console.log(`${result.folders} Backup-GPO folders under ${REALDATA}\n\n${distributionTable(result)}`);
}
