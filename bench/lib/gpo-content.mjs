// Writes the content of one synthetic Backup-GPO folder to a shape from bench/lib/shapes.mjs: the counts decide
// what is in each file, and free text (Explain texts, settings of extensions gpaudit does not model, a long
// REG_SZ, the security descriptor) makes up the rest of the measured size, as it does in real exports.
import {
  ACCOUNT_POLICIES, AREAS, AUDIT_CATEGORIES, AUDIT_SUBCATEGORIES, CATEGORY_ROOTS, DOMAIN, DOMAIN_SID, EVENT_LOG_SETTINGS,
  EVENT_LOGS, FILLER_EXTENSIONS, NETBIOS, OBJECTS, QUALIFIERS, SECURITY_OPTIONS, SERVICES, SUPPORTED, SYSTEM_ACCESS_EXTRA,
  USER_RIGHTS, VERBS, WELL_KNOWN,
} from './vocabulary.mjs';

const NL = '\r\n';
const NS = 'http://www.microsoft.com/GroupPolicy/Settings';
const TYPES = 'http://www.microsoft.com/GroupPolicy/Types';
const TYPES_SECURITY = 'http://www.microsoft.com/GroupPolicy/Types/Security';
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_DWORD = 4;
const REG_MULTI_SZ = 7;
const REGISTRY_CSE = '{35378EAC-683F-11D2-A89A-00C04FBBCFA2}';
const SECURITY_CSE = '{827D319E-6EAC-11D2-A4EA-00C04F79F83A}';
const PLACEHOLDER = /\u0000([EF])(\d+)\u0000/g;

/** A piece of the prose pool about `chars` long, cut at word boundaries so no entity is split. */
export function prose(rng, pool, chars) {
  if (chars <= 0) return '';
  const start = pool.indexOf(' ', rng.int(0, Math.max(0, pool.length - chars - 64))) + 1;
  let end = Math.min(pool.length, start + chars);
  while (end < pool.length && pool[end] !== ' ') end++;
  return pool.slice(start, end);
}

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function member(p, sid, name) {
  return `<${p}:Member><SID xmlns="${TYPES}">${sid}</SID><Name xmlns="${TYPES}">${escapeXml(name)}</Name></${p}:Member>`;
}

function principals(rng, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(WELL_KNOWN));
  return out;
}

// --- gpreport.xml -----------------------------------------------------------------------------------

function identity(gpo) {
  return [
    `<GPO xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${NS}">`,
    '  <Identifier>',
    `    <Identifier xmlns="${TYPES}">${gpo.id}</Identifier>`,
    `    <Domain xmlns="${TYPES}">${DOMAIN}</Domain>`,
    '  </Identifier>',
    `  <Name>${escapeXml(gpo.name)}</Name>`,
    '  <IncludeComments>true</IncludeComments>',
    `  <CreatedTime>${gpo.created}</CreatedTime>`,
    `  <ModifiedTime>${gpo.modified}</ModifiedTime>`,
    `  <ReadTime>${gpo.read}</ReadTime>`,
  ];
}

function securityDescriptor(rng, trustees) {
  const lines = [
    '  <SecurityDescriptor>',
    `    <SDDL xmlns="${TYPES_SECURITY}">O:DAG:DAD:PAI(A;CI;LCRPRC;;;AU)(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;DA)</SDDL>`,
    `    <Owner xmlns="${TYPES_SECURITY}"><SID xmlns="${TYPES}">${DOMAIN_SID}-512</SID><Name xmlns="${TYPES}">${NETBIOS}\\Domain Admins</Name></Owner>`,
    `    <Group xmlns="${TYPES_SECURITY}"><SID xmlns="${TYPES}">${DOMAIN_SID}-512</SID><Name xmlns="${TYPES}">${NETBIOS}\\Domain Admins</Name></Group>`,
    `    <PermissionsPresent xmlns="${TYPES_SECURITY}">true</PermissionsPresent>`,
    `    <Permissions xmlns="${TYPES_SECURITY}">`,
    '      <InheritsFromParent>false</InheritsFromParent>',
  ];
  for (const [sid, name] of principals(rng, trustees)) {
    lines.push(
      '      <TrusteePermissions>',
      '        <Trustee>',
      `          <SID xmlns="${TYPES}">${sid}</SID>`,
      `          <Name xmlns="${TYPES}">${escapeXml(name)}</Name>`,
      '        </Trustee>',
      '        <Type xsi:type="PermissionType">',
      `          <PermissionType>${rng.chance(0.9) ? 'Allow' : 'Deny'}</PermissionType>`,
      '        </Type>',
      '        <Inherited>false</Inherited>',
      '        <Applicability>',
      '          <ToSelf>true</ToSelf>',
      '          <ToDescendantObjects>false</ToDescendantObjects>',
      `          <ToDescendantContainers>${rng.chance(0.5)}</ToDescendantContainers>`,
      '          <ToDirectDescendantsOnly>false</ToDirectDescendantsOnly>',
      '        </Applicability>',
      '        <Standard>',
      `          <GPOGroupedAccessEnum>${rng.pick(['Read', 'Edit, delete, modify security', 'Apply Group Policy', 'Edit settings'])}</GPOGroupedAccessEnum>`,
      '        </Standard>',
      '        <AccessMask>0</AccessMask>',
      '      </TrusteePermissions>',
    );
  }
  lines.push('    </Permissions>', `    <AuditingPresent xmlns="${TYPES_SECURITY}">false</AuditingPresent>`, '  </SecurityDescriptor>', '  <FilterDataAvailable>true</FilterDataAvailable>');
  return lines;
}

function extension(p, nsTail, type, name, body) {
  return [
    '    <ExtensionData>',
    `      <Extension xmlns:${p}="${NS}/${nsTail}" xsi:type="${p}:${type}">`,
    ...body,
    '      </Extension>',
    `      <Name>${name}</Name>`,
    '    </ExtensionData>',
  ];
}

function securityBody(rng, p, shape) {
  const lines = [];
  const el = (tag, inner) => `        <${p}:${tag}>${inner}</${p}:${tag}>`;
  const t = (tag, text) => `<${p}:${tag}>${text}</${p}:${tag}>`;
  for (let i = 0; i < shape.accountPolicies; i++) {
    const [name, type] = ACCOUNT_POLICIES[i % ACCOUNT_POLICIES.length];
    lines.push(el('Account', `${t('Name', name)}${rng.chance(0.8) ? t('SettingNumber', rng.int(0, 90)) : t('SettingBoolean', rng.chance(0.5))}${t('Type', type)}`));
  }
  for (let i = 0; i < shape.auditPolicies; i++) {
    lines.push(el('Audit', `${t('Name', AUDIT_CATEGORIES[i % AUDIT_CATEGORIES.length])}${t('SuccessAttempts', rng.chance(0.7))}${t('FailureAttempts', rng.chance(0.5))}`));
  }
  for (let i = 0; i < shape.userRights; i++) {
    const members = principals(rng, rng.int(0, 3)).map(([sid, name]) => member(p, sid, name)).join('');
    lines.push(el('UserRightsAssignment', `${t('Name', USER_RIGHTS[i % USER_RIGHTS.length])}${members}`));
  }
  for (let i = 0; i < shape.securityOptions; i++) lines.push(...securityOption(rng, p, i));
  for (let i = 0; i < shape.eventLog; i++) {
    lines.push(el('EventLog', `${t('Name', EVENT_LOG_SETTINGS[i % EVENT_LOG_SETTINGS.length])}${t('SettingNumber', rng.int(1, 4) * 32768)}${t('Log', rng.pick(EVENT_LOGS))}`));
  }
  for (let i = 0; i < shape.services; i++) {
    lines.push(el('SystemServices', `${t('Name', SERVICES[i % SERVICES.length])}${t('StartupMode', rng.pick(['Disabled', 'Manual', 'Automatic']))}`));
  }
  lines.push(`        <${p}:Blocked>false</${p}:Blocked>`);
  return lines;
}

function securityOption(rng, p, i) {
  const [path, type, label] = SECURITY_OPTIONS[i % SECURITY_OPTIONS.length];
  const key = i < SECURITY_OPTIONS.length ? path : `${path}${Math.floor(i / SECURITY_OPTIONS.length)}`;
  const lines = [`        <${p}:SecurityOptions>`, `          <${p}:KeyName>MACHINE\\${key}</${p}:KeyName>`];
  if (type === REG_MULTI_SZ) {
    const values = Array.from({ length: rng.int(1, 4) }, (_, k) => `<${p}:Value>Entry ${k + 1} of the list</${p}:Value>`).join('');
    lines.push(`          <${p}:SettingStrings>${values}</${p}:SettingStrings>`, `          <${p}:Display>`, `            <${p}:Name>${label}</${p}:Name>`, `            <${p}:Units />`, `            <${p}:DisplayStrings>${values}</${p}:DisplayStrings>`);
  } else if (type === REG_SZ) {
    const value = `"${rng.int(0, 20)}"`;
    lines.push(`          <${p}:SettingString>${value}</${p}:SettingString>`, `          <${p}:Display>`, `            <${p}:Name>${label}</${p}:Name>`, `            <${p}:Units />`, `            <${p}:DisplayString>${value}</${p}:DisplayString>`);
  } else {
    const value = rng.chance(0.7) ? rng.int(0, 1) : rng.int(2, 900);
    const display = value <= 1 ? `<${p}:DisplayBoolean>${value === 1}</${p}:DisplayBoolean>` : `<${p}:DisplayNumber>${value}</${p}:DisplayNumber>`;
    lines.push(`          <${p}:SettingNumber>${value}</${p}:SettingNumber>`, `          <${p}:Display>`, `            <${p}:Name>${label}</${p}:Name>`, `            <${p}:Units />`, `            ${display}`);
  }
  lines.push(`          </${p}:Display>`, `        </${p}:SecurityOptions>`);
  return lines;
}

function advancedAuditBody(rng, p, count) {
  const lines = [];
  for (let i = 0; i < count; i++) {
    lines.push(
      `        <${p}:AuditSetting>`,
      `          <${p}:PolicyTarget>System</${p}:PolicyTarget>`,
      `          <${p}:SubcategoryName>${AUDIT_SUBCATEGORIES[i % AUDIT_SUBCATEGORIES.length]}</${p}:SubcategoryName>`,
      `          <${p}:SubcategoryGuid>${rng.guid().toLowerCase()}</${p}:SubcategoryGuid>`,
      `          <${p}:SettingValue>${rng.int(1, 3)}</${p}:SettingValue>`,
      `        </${p}:AuditSetting>`,
    );
  }
  return lines;
}

/** Registry-extension body; each Explain is a placeholder filled once the report's size is known. */
function registryBody(rng, p, policies, extra, explains) {
  const lines = [];
  for (let i = 0; i < policies; i++) {
    const enabled = rng.chance(0.8);
    const area = rng.pick(AREAS);
    lines.push(
      `        <${p}:Policy>`,
      `          <${p}:Name>${rng.pick(VERBS)} ${rng.pick(OBJECTS)}${rng.pick(QUALIFIERS)}</${p}:Name>`,
      `          <${p}:State>${enabled ? 'Enabled' : 'Disabled'}</${p}:State>`,
      `          <${p}:Explain>\u0000E${explains.length}\u0000</${p}:Explain>`,
      `          <${p}:Supported>${rng.pick(SUPPORTED)}</${p}:Supported>`,
      `          <${p}:Category>${rng.pick(CATEGORY_ROOTS)}/${area}</${p}:Category>`,
    );
    explains.push(0);
    if (enabled) lines.push(...policyElements(rng, p));
    lines.push(`        </${p}:Policy>`);
  }
  for (let i = 0; i < extra; i++) {
    lines.push(
      `        <${p}:RegistrySetting>`,
      `          <${p}:KeyPath>Software\\Policies\\Bench\\${rng.pick(AREAS).replace(/ /g, '')}</${p}:KeyPath>`,
      `          <${p}:AdmSetting>false</${p}:AdmSetting>`,
      `          <${p}:Value>`,
      `            <${p}:Name>Value${i}</${p}:Name>`,
      `            <${p}:Number>${rng.int(0, 65535)}</${p}:Number>`,
      `          </${p}:Value>`,
      `        </${p}:RegistrySetting>`,
    );
  }
  return lines;
}

function policyElements(rng, p) {
  const lines = [];
  const n = rng.chance(0.55) ? 0 : rng.chance(0.67) ? 1 : 2;
  for (let k = 0; k < n; k++) {
    const label = `${rng.pick(OBJECTS)}:`.replace(/^./, (c) => c.toUpperCase());
    const roll = rng.next();
    if (roll < 0.45) lines.push(`          <${p}:Text>`, `            <${p}:Name>${label}</${p}:Name>`, `          </${p}:Text>`);
    else if (roll < 0.75) lines.push(`          <${p}:DropDownList>`, `            <${p}:Name>${label}</${p}:Name>`, `            <${p}:State>Enabled</${p}:State>`, `            <${p}:Value>`, `              <${p}:Name>${rng.pick(['Always', 'Never', 'Only when idle', 'Automatic', 'Enabled for all users'])}</${p}:Name>`, `            </${p}:Value>`, `          </${p}:DropDownList>`);
    else if (roll < 0.85) lines.push(`          <${p}:Numeric>`, `            <${p}:Name>${label}</${p}:Name>`, `            <${p}:State>Enabled</${p}:State>`, `            <${p}:Value>${rng.int(0, 3600)}</${p}:Value>`, `          </${p}:Numeric>`);
    else if (roll < 0.93) lines.push(`          <${p}:CheckBox>`, `            <${p}:Name>${label}</${p}:Name>`, `            <${p}:State>${rng.chance(0.5) ? 'Enabled' : 'Disabled'}</${p}:State>`, `          </${p}:CheckBox>`);
    else lines.push(`          <${p}:EditText>`, `            <${p}:Name>${label}</${p}:Name>`, `            <${p}:State>Enabled</${p}:State>`, `            <${p}:Value>%SystemDrive%\\Bench\\${rng.int(1, 999)}</${p}:Value>`, `          </${p}:EditText>`);
  }
  return lines;
}

function fillerBlock(rng, pool, p, chars) {
  const lines = [];
  let left = chars;
  for (let i = 0; left > 0; i++) {
    const data = Array.from({ length: rng.int(8, 40) }, () => rng.guid().slice(1, 37).replace(/-/g, '')).join('');
    const head = [`        <${p}:Entry>`, `          <${p}:Name>Entry ${i + 1}</${p}:Name>`, `          <${p}:Data>${data}</${p}:Data>`];
    const tail = `        </${p}:Entry>`;
    const fixed = [...head, tail].reduce((n, l) => n + l.length + NL.length, 0) + `          <${p}:Description></${p}:Description>`.length + NL.length;
    const description = prose(rng, pool, Math.max(0, Math.min(rng.int(200, 600), left - fixed)));
    const block = [...head, `          <${p}:Description>${description}</${p}:Description>`, tail];
    lines.push(...block);
    left -= block.reduce((n, l) => n + l.length + NL.length, 0);
  }
  return lines.join(NL);
}

function side(tag, version, blocks) {
  return [`  <${tag}>`, `    <VersionDirectory>${version}</VersionDirectory>`, `    <VersionSysvol>${version}</VersionSysvol>`, '    <Enabled>true</Enabled>', ...blocks, `  </${tag}>`];
}

/**
 * gpreport.xml as GPMC writes it (UTF-16LE with BOM, CRLF, two-space indent), `targetBytes` long give or take
 * a few per cent: the measured mean Explain length first, then unmodelled extensions for what is left, or
 * longer/shorter Explain texts when the shape has no room for those.
 */
export function gpoReport(rng, pool, gpo, shape, targetBytes) {
  const computer = [];
  const user = [];
  const explains = [];
  const fillers = [];
  let q = 0;
  const security = shape.securityOptions + shape.userRights + shape.accountPolicies + shape.auditPolicies + shape.eventLog + shape.services;
  if (security > 0) computer.push(...extension(`q${++q}`, 'Security', 'SecuritySettings', 'Security', securityBody(rng, `q${q}`, shape)));
  if (shape.advancedAudit > 0) computer.push(...extension(`q${++q}`, 'Auditing', 'AuditSettings', 'Advanced Audit Configuration', advancedAuditBody(rng, `q${q}`, shape.advancedAudit)));
  if (shape.policiesComputer + shape.extraRegistry > 0) computer.push(...extension(`q${++q}`, 'Registry', 'RegistrySettings', 'Registry', registryBody(rng, `q${q}`, shape.policiesComputer, shape.extraRegistry, explains)));
  if (shape.policiesUser > 0) user.push(...extension(`q${++q}`, 'Registry', 'RegistrySettings', 'Registry', registryBody(rng, `q${q}`, shape.policiesUser, 0, explains)));
  const modelled = q;
  for (let i = modelled; i < shape.extensions; i++) {
    const [tail, name, type] = FILLER_EXTENSIONS[(i - modelled) % FILLER_EXTENSIONS.length];
    computer.push(...extension(`q${++q}`, tail, type, name, [`\u0000F${fillers.length}\u0000`]));
    fillers.push(`q${q}`);
  }
  const lines = [
    '<?xml version="1.0" encoding="utf-16"?>',
    ...identity(gpo),
    ...securityDescriptor(rng, shape.trustees),
    ...side('Computer', gpo.machineVersion, computer),
    ...side('User', gpo.userVersion, user),
    '  <LinksTo>',
    `    <SOMName>${escapeXml(gpo.ou)}</SOMName>`,
    `    <SOMPath>${DOMAIN}/${escapeXml(gpo.ou)}</SOMPath>`,
    '    <Enabled>true</Enabled>',
    '    <NoOverride>false</NoOverride>',
    '  </LinksTo>',
    '</GPO>',
    '',
  ];
  const skeleton = lines.join(NL);
  const placeholderChars = (skeleton.match(PLACEHOLDER) ?? []).join('').length;
  const targetChars = Math.floor(targetBytes / 2) - 1; // UTF-16 code units after the BOM
  const room = targetChars - (skeleton.length - placeholderChars);
  const natural = explains.length * shape.explainChars;
  let explainEach = shape.explainChars;
  let fillerEach = 0;
  if (fillers.length > 0 && room > natural) fillerEach = Math.floor((room - natural) / fillers.length);
  else if (explains.length > 0) explainEach = Math.max(20, Math.floor(room / explains.length));
  return skeleton.replace(PLACEHOLDER, (_, kind, n) => (kind === 'E' ? prose(rng, pool, explainEach) : fillerBlock(rng, pool, fillers[Number(n)], fillerEach)));
}

// --- GptTmpl.inf ------------------------------------------------------------------------------------

/** A security template (CRLF; written as UTF-16LE with BOM) with the shape's line counts per section. */
export function securityTemplate(rng, pool, shape, targetBytes) {
  const lines = ['[Unicode]', 'Unicode=yes'];
  const section = (name, count, line) => {
    if (count === 0) return;
    lines.push(`[${name}]`);
    for (let i = 0; i < count; i++) lines.push(line(i));
  };
  const systemAccess = [...ACCOUNT_POLICIES.filter((a) => a[2] === 'System Access').map((a) => a[0]), ...SYSTEM_ACCESS_EXTRA, 'NewAdministratorName', 'NewGuestName'];
  const kerberos = ACCOUNT_POLICIES.filter((a) => a[2] === 'Kerberos Policy').map((a) => a[0]);
  section('System Access', shape.infSystemAccess, (i) => {
    const name = systemAccess[i % systemAccess.length];
    return name.startsWith('New') ? `${name} = "Bench${name.slice(3, -4)}${rng.int(1, 99)}"` : `${name} = ${rng.int(0, 60)}`;
  });
  section('Event Audit', shape.infEventAudit, (i) => `${AUDIT_CATEGORIES[i % AUDIT_CATEGORIES.length]} = ${rng.int(0, 3)}`);
  section('Kerberos Policy', shape.infKerberos, (i) => `${kerberos[i % kerberos.length]} = ${rng.int(1, 600)}`);
  for (const [log, count] of [['System Log', shape.infSystemLog], ['Security Log', shape.infSecurityLog], ['Application Log', shape.infApplicationLog]]) {
    section(log, count, (i) => `${EVENT_LOG_SETTINGS[i % EVENT_LOG_SETTINGS.length]} = ${rng.int(1, 4) * 32768}`);
  }
  const registryValues = [];
  section('Registry Values', shape.infRegistryValues, (i) => {
    registryValues.push(lines.length);
    return registryValueLine(rng, i);
  });
  section('Privilege Rights', shape.infPrivilegeRights, (i) => `${USER_RIGHTS[i % USER_RIGHTS.length]} = ${principals(rng, rng.int(1, 4)).map(([sid]) => `*${sid}`).join(',')}`);
  section('Group Membership', shape.infGroupMembership, (i) => `*${WELL_KNOWN[i % 5][0]}__${i % 2 ? 'Memberof' : 'Members'} = ${principals(rng, rng.int(0, 2)).map(([sid]) => `*${sid}`).join(',')}`);
  lines.push('[Version]', 'signature="$CHICAGO$"', 'Revision=1', '');
  const room = Math.floor(targetBytes / 2) - 1 - lines.join(NL).length;
  // A long legal notice is what makes real templates of the same line count differ in size.
  if (room > 40 && registryValues.length > 0) {
    const at = registryValues[rng.int(0, registryValues.length - 1)];
    const prefix = 'MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\LegalNoticeText=7,';
    lines[at] = `${prefix}${prose(rng, pool, room + lines[at].length - prefix.length).replace(/&\w+;/g, '').replace(/ /g, (m) => (rng.chance(0.1) ? ',' : m))}`;
  }
  return lines.join(NL);
}

function registryValueLine(rng, i) {
  const [path, type] = SECURITY_OPTIONS[i % SECURITY_OPTIONS.length];
  const key = i < SECURITY_OPTIONS.length ? path : `${path}${Math.floor(i / SECURITY_OPTIONS.length)}`;
  if (type === REG_MULTI_SZ) return `MACHINE\\${key}=7,${Array.from({ length: rng.int(0, 3) }, (_, k) => `Entry${k}`).join(',')}`;
  if (type === REG_SZ) return `MACHINE\\${key}=1,"${rng.int(0, 20)}"`;
  return `MACHINE\\${key}=4,${rng.chance(0.7) ? rng.int(0, 1) : rng.int(2, 900)}`;
}

// --- registry.pol -----------------------------------------------------------------------------------

const polRecordBytes = (e) => 2 * (e.key.length + e.valueName.length) + 26 + polDataBytes(e);

function polDataBytes(e) {
  if (e.type === REG_DWORD) return 4;
  if (Array.isArray(e.data)) return 2 * (e.data.reduce((n, s) => n + s.length + 1, 0) + 1);
  return 2 * (e.data.length + 1);
}

/**
 * Registry.pol entries (for test/helpers/pol-writer.ts) with `records` records, about `targetBytes` long once
 * encoded: a few keys per area holding several values, as ADMX policies write them, and the rest of the size
 * in one long string the way a real file's large values (lists, certificates, scripts) carry it.
 */
export function polEntries(rng, pool, records, targetBytes, root) {
  const entries = [];
  let key = '';
  for (let i = 0; i < records; i++) {
    if (i === 0 || rng.chance(0.3)) key = `${root}\\${rng.pick(AREAS).replace(/ /g, '')}${rng.chance(0.4) ? `\\${rng.pick(OBJECTS).replace(/[^A-Za-z]/g, '')}` : ''}`;
    const name = `${rng.pick(VERBS).replace(/ /g, '')}${rng.pick(OBJECTS).replace(/[^A-Za-z]/g, '').slice(0, rng.int(6, 24))}`;
    const roll = rng.next();
    if (roll < 0.65) entries.push({ key, valueName: name, type: REG_DWORD, data: rng.chance(0.7) ? rng.int(0, 1) : rng.int(2, 86400) });
    else if (roll < 0.85) entries.push({ key, valueName: name, type: REG_SZ, data: prose(rng, pool, rng.int(4, 40)) });
    else if (roll < 0.92) entries.push({ key, valueName: `**del.${name}`, type: REG_SZ, data: ' ' });
    else if (roll < 0.96) entries.push({ key, valueName: name, type: REG_EXPAND_SZ, data: `%ProgramFiles%\\Bench\\${name}.exe` });
    else entries.push({ key, valueName: name, type: REG_MULTI_SZ, data: Array.from({ length: rng.int(1, 4) }, (_, k) => `${name}${k}`) });
  }
  const room = targetBytes - 8 - entries.reduce((n, e) => n + polRecordBytes(e), 0);
  if (room > 8 && entries.length > 0) {
    const i = entries.findLastIndex((e) => e.type === REG_SZ && !e.valueName.startsWith('**')) ;
    const at = i >= 0 ? i : entries.length - 1;
    const before = polRecordBytes(entries[at]) - polDataBytes(entries[at]);
    entries[at] = { ...entries[at], type: REG_SZ, data: prose(rng, pool, Math.floor((room + polRecordBytes(entries[at]) - before) / 2) - 1).replace(/&\w+;/g, '') };
  }
  return entries;
}

// --- Backup.xml and bkupInfo.xml --------------------------------------------------------------------

export function bkupInfoXml(gpo) {
  const cdata = (tag, v) => `<${tag}><![CDATA[${v}]]></${tag}>`;
  return (
    '<BackupInst xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest">' +
    cdata('GPOGuid', gpo.id) + cdata('GPODomain', DOMAIN) + cdata('GPODomainGuid', gpo.domainGuid.toLowerCase()) +
    cdata('GPODomainController', `dc01.${DOMAIN}`) + cdata('BackupTime', gpo.backupTime) + cdata('ID', gpo.backupId) +
    cdata('Comment', '') + cdata('GPODisplayName', gpo.name) + '</BackupInst>'
  );
}

/** Backup.xml, `targetBytes` long: the security descriptor (hex bytes) takes the size, as in GPMC's files. */
export function backupXml(rng, gpo, files, targetBytes) {
  const cdata = (tag, v) => `<${tag}><![CDATA[${v}]]></${tag}>`;
  const machineCses = [files.machinePol && `[${REGISTRY_CSE}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]`, files.inf && `[${SECURITY_CSE}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]`].filter(Boolean).join('');
  const fsObject = (cse, desc, path, location) =>
    `\t\t<GroupPolicyExtension bkp:ID="${cse}" bkp:DescName="${desc}"><FSObjectFile bkp:Path="${path}" bkp:SourceExpandedPath="\\\\dc01.${DOMAIN}\\sysvol\\${DOMAIN}\\Policies\\${gpo.id}\\${location.slice(14)}" bkp:Location="${location}"/></GroupPolicyExtension>`;
  const extensions = [
    files.machinePol && fsObject(REGISTRY_CSE, 'Registry', '%GPO_MACH_FSPATH%\\registry.pol', 'DomainSysvol\\GPO\\Machine\\registry.pol'),
    files.userPol && fsObject(REGISTRY_CSE, 'Registry', '%GPO_USER_FSPATH%\\registry.pol', 'DomainSysvol\\GPO\\User\\registry.pol'),
    files.inf && fsObject(SECURITY_CSE, 'Security', '%GPO_MACH_FSPATH%\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf', 'DomainSysvol\\GPO\\Machine\\microsoft\\windows nt\\SecEdit\\GptTmpl.inf'),
  ].filter(Boolean);
  const build = (sdBytes) =>
    [
      '<?xml version="1.0" encoding="utf-8"?><!-- Copyright (c) Microsoft Corporation.  All rights reserved. --><GroupPolicyBackupScheme bkp:version="2.0" bkp:type="GroupPolicyBackupTemplate" xmlns:bkp="http://www.microsoft.com/GroupPolicy/GPOOperations" xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations">',
      `\t<GroupPolicyObject><SecurityGroups><Group bkp:Source="FromDACL"><Sid><![CDATA[${DOMAIN_SID}-512]]></Sid><SamAccountName><![CDATA[Domain Admins]]></SamAccountName><Type><![CDATA[DomainGlobal]]></Type><NetBIOSDomainName><![CDATA[${NETBIOS}]]></NetBIOSDomainName><DnsDomainName><![CDATA[${DOMAIN}]]></DnsDomainName><UPN><![CDATA[Domain Admins@${DOMAIN}]]></UPN></Group></SecurityGroups><FilePaths/><GroupPolicyCoreSettings>` +
        cdata('ID', gpo.id) + cdata('Domain', DOMAIN) +
        `<SecurityDescriptor>${Array.from({ length: sdBytes }, () => rng.int(0, 255).toString(16).padStart(2, '0')).join(' ')}</SecurityDescriptor>` +
        cdata('DisplayName', gpo.name) + cdata('Options', 0) + cdata('UserVersionNumber', gpo.userVersion * 65537) +
        cdata('MachineVersionNumber', gpo.machineVersion * 65537) + (machineCses ? cdata('MachineExtensionGuids', `[${machineCses}]`) : '<MachineExtensionGuids/>') +
        (files.userPol ? cdata('UserExtensionGuids', `[${REGISTRY_CSE}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]`) : '<UserExtensionGuids/>') +
        '<WMIFilter/><WMIFilterName/></GroupPolicyCoreSettings>',
      ...extensions,
      '\t</GroupPolicyObject>',
      '</GroupPolicyBackupScheme>',
      '',
    ].join(NL);
  const bare = build(0).length;
  return build(Math.max(20, Math.floor((targetBytes - bare) / 3)));
}
