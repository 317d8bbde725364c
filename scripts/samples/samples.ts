// gpaudit's own sample exports under samples/{broken,clean}: hand-designed content, not copies of real exports.
// `samples/broken` trips every GPO rule in every format that can carry its setting; `samples/clean` trips none.
//
// This module only computes the files (sampleFiles); main.ts writes them (`npm run samples`), and
// test/samples.test.ts checks that samples/ is exactly what it computes. The encoders are the test fixtures'
// (test/helpers/gpo-fixtures.ts, test/helpers/pol-writer.ts): Registry.pol samples are built by the fixture
// builder from the same setting constructors the rule tests use, and every UTF-16 file goes through the same
// encoder. The report, RSoP, template and backup documents keep their own fixed layout below, because the
// README and the tests quote their line numbers and byte offsets.
//
// Hand-written (read, never written): gpp/**/Registry.xml, gpp/**/PowerOptions.xml (also copied into the SYSVOL
// sample) and security-template/*.inf.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS, PLANS, deleted, dword, multiSz, registryPol, sz, utf16leWithBom, type FixtureSetting } from '../../test/helpers/gpo-fixtures.js';

export interface SampleFile {
  /** Relative to samples/, `/`-separated. */
  path: string;
  bytes: Uint8Array;
}

type Kind = 'broken' | 'clean';
const KINDS: readonly Kind[] = ['broken', 'clean'];

/** Every generated file of samples/, in a stable order; `samplesRoot` is read for the hand-written files copied. */
export function sampleFiles(samplesRoot: string): SampleFile[] {
  return [...gpoReports(), ...rsopReports(), ...registryPols(), ...backupAndSysvolFolders(samplesRoot)];
}

/** The hand-written files of samples/, which sampleFiles reads but never writes. */
export const HAND_WRITTEN: readonly string[] = KINDS.flatMap((kind) => [
  `${kind}/gpp/Machine/Preferences/PowerOptions/PowerOptions.xml`,
  `${kind}/gpp/Machine/Preferences/Registry/Registry.xml`,
  `${kind}/security-template/GptTmpl.inf`,
  ...(kind === 'broken' ? [`${kind}/security-template/secedit-export-ansi.inf`] : []),
]);

// ---------------------------------------------------------------------------------------------
// Encodings, as Windows tools write each file

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
/** LF line ends become CRLF (CRLF ones stay), then UTF-16LE with BOM: PowerShell and GPMC output. */
const utf16Crlf = (text: string): Uint8Array => utf16leWithBom(text.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n'));

// ---------------------------------------------------------------------------------------------
// GPO report XML (Get-GPOReport -ReportType Xml)

const DOMAIN = 'corp.example.test';
const DOM_SID = 'S-1-5-21-1004336348-1177238915-682003330';
const T = 'http://www.microsoft.com/GroupPolicy/Types';

type Principal = readonly [sid: string, name: string];
const ADMIN: Principal = ['S-1-5-32-544', 'BUILTIN\\Administrators'];
const USERS: Principal = ['S-1-5-32-545', 'BUILTIN\\Users'];
const RDU: Principal = ['S-1-5-32-555', 'BUILTIN\\Remote Desktop Users'];
const DU: Principal = [`${DOM_SID}-513`, 'CORP\\Domain Users'];
const DC: Principal = [`${DOM_SID}-515`, 'CORP\\Domain Computers'];

function member([sid, name]: Principal): string {
  const s = sid ? `<SID xmlns="${T}">${sid}</SID>` : '';
  const n = name ? `<Name xmlns="${T}">${name}</Name>` : '';
  return `<q1:Member>${s}${n}</q1:Member>`;
}

function right(name: string, members: readonly Principal[]): string {
  return `        <q1:UserRightsAssignment>
          <q1:Name>${name}</q1:Name>
          ${members.map(member).join('')}
        </q1:UserRightsAssignment>
`;
}

const SYSTEM_KEY_NAME = 'MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';

function secoptNum(key: string, value: number, display: string): string {
  return `        <q1:SecurityOptions>
          <q1:KeyName>${SYSTEM_KEY_NAME}\\${key}</q1:KeyName>
          <q1:SettingNumber>${value}</q1:SettingNumber>
          <q1:Display>
            <q1:Name>${display}</q1:Name>
            <q1:Units />
            <q1:DisplayBoolean>${value ? 'true' : 'false'}</q1:DisplayBoolean>
          </q1:Display>
        </q1:SecurityOptions>
`;
}

function secoptStr(key: string, value: string, display: string): string {
  return `        <q1:SecurityOptions>
          <q1:KeyName>${SYSTEM_KEY_NAME}\\${key}</q1:KeyName>
          <q1:SettingString>"${value}"</q1:SettingString>
          <q1:Display>
            <q1:Name>${display}</q1:Name>
            <q1:Units />
            <q1:DisplayString>"${value}"</q1:DisplayString>
          </q1:Display>
        </q1:SecurityOptions>
`;
}

function secoptMulti(key: string, values: readonly string[], display: string): string {
  const vs = values.map((v) => `<q1:Value>${v}</q1:Value>`).join('');
  return `        <q1:SecurityOptions>
          <q1:KeyName>${SYSTEM_KEY_NAME}\\${key}</q1:KeyName>
          <q1:SettingStrings>${vs}</q1:SettingStrings>
          <q1:Display>
            <q1:Name>${display}</q1:Name>
            <q1:Units />
            <q1:DisplayStrings>${vs}</q1:DisplayStrings>
          </q1:Display>
        </q1:SecurityOptions>
`;
}

function locked(value: number, displayText: string): string {
  return `        <q1:SecurityOptions>
          <q1:KeyName>${SYSTEM_KEY_NAME}\\DontDisplayLockedUserId</q1:KeyName>
          <q1:SettingNumber>${value}</q1:SettingNumber>
          <q1:Display>
            <q1:Name>Interactive logon: Display user information when the session is locked</q1:Name>
            <q1:Units />
            <q1:DisplayString>${displayText}</q1:DisplayString>
          </q1:Display>
        </q1:SecurityOptions>
`;
}

function restricted(group: Principal, members: readonly Principal[]): string {
  const ms = members.map(([s, n]) => `<q1:Member><SID xmlns="${T}">${s}</SID><Name xmlns="${T}">${n}</Name></q1:Member>`).join('');
  return `        <q1:RestrictedGroups>
          <q1:GroupName><SID xmlns="${T}">${group[0]}</SID><Name xmlns="${T}">${group[1]}</Name></q1:GroupName>
          ${ms}
        </q1:RestrictedGroups>
`;
}

function securityExt(body: string): string {
  return `    <ExtensionData>
      <Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="q1:SecuritySettings">
${body}        <q1:Blocked>false</q1:Blocked>
      </Extension>
      <Name>Security</Name>
    </ExtensionData>
`;
}

function policy(name: string, state: 'Enabled' | 'Disabled', category: string, elements = ''): string {
  return `        <q2:Policy>
          <q2:Name>${name}</q2:Name>
          <q2:State>${state}</q2:State>
          <q2:Explain>Explanation text as GPMC shows it.</q2:Explain>
          <q2:Supported>At least Windows Vista</q2:Supported>
          <q2:Category>${category}</q2:Category>
${elements}        </q2:Policy>
`;
}

function dropdown(label: string, value: string): string {
  return `          <q2:DropDownList>
            <q2:Name>${label}</q2:Name>
            <q2:State>Enabled</q2:State>
            <q2:Value>
              <q2:Name>${value}</q2:Name>
            </q2:Value>
          </q2:DropDownList>
`;
}

function numeric(label: string, value: number): string {
  return `          <q2:Numeric>
            <q2:Name>${label}</q2:Name>
            <q2:State>Enabled</q2:State>
            <q2:Value>${value}</q2:Value>
          </q2:Numeric>
`;
}

function extraReg(key: string, name: string, valueXml: string): string {
  return `        <q2:RegistrySetting>
          <q2:KeyPath>${key}</q2:KeyPath>
          <q2:AdmSetting>false</q2:AdmSetting>
          <q2:Value>
            <q2:Name>${name}</q2:Name>
            ${valueXml}
          </q2:Value>
        </q2:RegistrySetting>
`;
}

function registryExt(body: string): string {
  return `    <ExtensionData>
      <Extension xmlns:q2="http://www.microsoft.com/GroupPolicy/Settings/Registry" xsi:type="q2:RegistrySettings">
${body}      </Extension>
      <Name>Registry</Name>
    </ExtensionData>
`;
}

type Link = readonly [somName: string, somPath: string, noOverride: boolean];
const WS_OU: Link = ['WorkSpaces', `${DOMAIN}/WorkSpaces`, false];

/** One `<GPO>` element; `rootAttrs` false for a GPO inside a `<report>` (the namespace goes on separately). */
/** `sysvolBehind`: SYSVOL's computer version lags the directory's by this much (replication behind: gpo-version-mismatch). */
function gpo(guid: string, name: string, computer: string, user = '', links: readonly Link[] = [], rootAttrs = true, sysvolBehind = 0): string {
  const ns = rootAttrs
    ? ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings"'
    : '';
  const ls = links
    .map(
      ([n, p, e]) => `  <LinksTo>
    <SOMName>${n}</SOMName>
    <SOMPath>${p}</SOMPath>
    <Enabled>true</Enabled>
    <NoOverride>${e ? 'true' : 'false'}</NoOverride>
  </LinksTo>
`,
    )
    .join('');
  return `<GPO${ns}>
  <Identifier>
    <Identifier xmlns="${T}">${guid}</Identifier>
    <Domain xmlns="${T}">${DOMAIN}</Domain>
  </Identifier>
  <Name>${name}</Name>
  <IncludeComments>true</IncludeComments>
  <CreatedTime>2026-10-01T09:00:00</CreatedTime>
  <ModifiedTime>2026-11-20T16:30:00</ModifiedTime>
  <ReadTime>2026-11-25T08:00:00.0000000Z</ReadTime>
  <FilterDataAvailable>true</FilterDataAvailable>
  <Computer>
    <VersionDirectory>7</VersionDirectory>
    <VersionSysvol>${7 - sysvolBehind}</VersionSysvol>
    <Enabled>true</Enabled>
${computer}  </Computer>
  <User>
    <VersionDirectory>2</VersionDirectory>
    <VersionSysvol>2</VersionSysvol>
    <Enabled>true</Enabled>
${user}  </User>
${ls}</GPO>
`;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-16"?>';

function logonSecurity(broken: boolean): string {
  if (broken) {
    return (
      right('SeNetworkLogonRight', [ADMIN, DC]) +
      right('SeDenyNetworkLogonRight', [DU]) +
      right('SeInteractiveLogonRight', [ADMIN]) +
      right('SeRemoteInteractiveLogonRight', [ADMIN]) +
      secoptStr('LegalNoticeCaption', 'Authorised use only', 'Interactive logon: Message title for users attempting to log on') +
      secoptMulti('LegalNoticeText', ['This WorkSpace is for authorised staff.', 'Activity is logged, monitored, and reviewed.'], 'Interactive logon: Message text for users attempting to log on') +
      secoptNum('DontDisplayLastUserName', 0, "Interactive logon: Don't display last signed-in") +
      secoptNum('DisableCAD', 1, 'Interactive logon: Do not require CTRL+ALT+DEL') +
      locked(3, 'Do not display user information') +
      restricted(RDU, [ADMIN])
    );
  }
  return (
    right('SeNetworkLogonRight', [ADMIN, DU]) +
    right('SeDenyNetworkLogonRight', [['', 'Guest']]) +
    right('SeInteractiveLogonRight', [ADMIN, USERS]) +
    right('SeRemoteInteractiveLogonRight', [ADMIN, RDU]) +
    secoptNum('DontDisplayLastUserName', 1, "Interactive logon: Don't display last signed-in") +
    secoptNum('DisableCAD', 0, 'Interactive logon: Do not require CTRL+ALT+DEL') +
    locked(1, 'User display name, domain and user names') +
    restricted(RDU, [DU])
  );
}

function templates(broken: boolean): [computer: string, user: string] {
  const b = broken;
  const c =
    policy('Hide entry points for Fast User Switching', b ? 'Enabled' : 'Disabled', 'System/Logon') +
    policy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', dropdown('Disable Windows Installer', b ? 'Always' : 'Never')) +
    policy('Select an active power plan', 'Enabled', 'System/Power Management', dropdown('Active Power Plan:', b ? 'Power Saver' : 'High Performance')) +
    policy('Specify the system sleep timeout (plugged in)', 'Enabled', 'System/Power Management/Sleep Settings', numeric('System Sleep Timeout (seconds):', b ? 900 : 0)) +
    policy('Turn Off the hard disk (plugged in)', 'Enabled', 'System/Power Management/Hard Disk Settings', numeric('Turn Off the Hard Disk (seconds):', b ? 600 : 0)) +
    policy('Turn Off the hard disk (on battery)', 'Enabled', 'System/Power Management/Hard Disk Settings', numeric('Turn Off the Hard Disk (seconds):', 1200)) +
    policy('All Removable Storage classes: Deny all access', b ? 'Enabled' : 'Disabled', 'System/Removable Storage Access');
  const u = policy(
    'Prevent access to drives from My Computer',
    'Enabled',
    'Windows Components/File Explorer',
    dropdown('Pick one of the following combinations', b ? 'Restrict C drive only' : 'Restrict A and B drives only'),
  );
  return [registryExt(c), registryExt(u)];
}

function gpoReports(): SampleFile[] {
  return KINDS.flatMap((kind) => {
    const b = kind === 'broken';
    const tag = b ? 'B' : 'C';
    // One GPO, as Get-GPOReport -ReportType Xml writes it: UTF-16LE with BOM, CRLF.
    const single = gpo(`{6E4D2A10-${tag}001-4C1A-9A5E-2F60C1D0A001}`, `WorkSpaces - Logon Security (${kind})`, securityExt(logonSecurity(b)), '', [WS_OU]);
    // Get-GPOReport -All: a <report> root holding several GPOs, here re-saved as UTF-8 (the declaration still says utf-16).
    const [c, u] = templates(b);
    const legacy = registryExt(extraReg(KEYS.winlogon, 'LegalNoticeCaption', b ? '<q2:String>Legacy banner title</q2:String>' : '<q2:String></q2:String>'));
    const body =
      gpo(`{6E4D2A10-${tag}002-4C1A-9A5E-2F60C1D0A002}`, `WorkSpaces - Desktop Templates (${kind})`, c, u, [WS_OU], false) +
      gpo(`{6E4D2A10-${tag}003-4C1A-9A5E-2F60C1D0A003}`, `Legacy Winlogon Tweaks (${kind})`, legacy, '', [[DOMAIN, DOMAIN, true]], false, b ? 1 : 0);
    const all =
      '<report xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings">\n' +
      body.replaceAll('<GPO>', '<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings">') +
      '</report>\n';
    return [
      { path: `${kind}/gpo-report/WorkSpaces-Logon-Security.xml`, bytes: utf16Crlf(`${XML_DECLARATION}\n${single}`) },
      { path: `${kind}/gpo-report/All-GPOs.xml`, bytes: utf8(`${XML_DECLARATION}\n${all}`) },
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// RSoP XML (gpresult /x)

type RsopGpo = 'ddp' | 'ws' | 'kiosk';

function rsopReport(kind: Kind): string {
  const broken = kind === 'broken';
  const tag = broken ? 'B' : 'C';
  const GPOS: Record<RsopGpo, readonly [id: string, name: string]> = {
    ddp: ['{31B2F340-016D-11D2-945F-00C04FB984F9}', 'Default Domain Policy'],
    ws: [`{6E4D2A10-${tag}001-4C1A-9A5E-2F60C1D0A001}`, 'WorkSpaces - Logon Security'],
    kiosk: ['{0C3A7E52-9D1B-4F6E-8A2C-5B7D9E1F3A40}', 'Old Kiosk Lockdown'],
  };

  const base = (key: RsopGpo, prec: number) =>
    `<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings/Base"><Identifier xmlns="${T}">${GPOS[key][0]}</Identifier><Domain xmlns="${T}">${DOMAIN}</Domain></GPO>
          <Precedence xmlns="http://www.microsoft.com/GroupPolicy/Settings/Base">${prec}</Precedence>
`;

  const gpoEntry = (key: RsopGpo, appliedOrder: number, filterAllowed = true) => {
    const [gid, name] = GPOS[key];
    return `    <GPO>
      <Name>${name}</Name>
      <Path>
        <Identifier xmlns="${T}">${gid}</Identifier>
        <Domain xmlns="${T}">${DOMAIN}</Domain>
      </Path>
      <VersionDirectory>4</VersionDirectory>
      <VersionSysvol>4</VersionSysvol>
      <Enabled>true</Enabled>
      <IsValid>true</IsValid>
      <FilterAllowed>${filterAllowed ? 'true' : 'false'}</FilterAllowed>
      <AccessDenied>false</AccessDenied>
      <Link>
        <SOMPath>${DOMAIN}/WorkSpaces</SOMPath>
        <SOMOrder>1</SOMOrder>
        <AppliedOrder>${appliedOrder}</AppliedOrder>
        <LinkOrder>1</LinkOrder>
        <Enabled>true</Enabled>
        <NoOverride>false</NoOverride>
      </Link>
      <SecurityFilter>NT AUTHORITY\\Authenticated Users</SecurityFilter>
      <ExtensionName>Security</ExtensionName>
      <ExtensionName>Registry</ExtensionName>
    </GPO>
`;
  };

  const secopt = (key: string, g: RsopGpo, prec: number, valueXml: string) => `        <q1:SecurityOptions>
          ${base(g, prec)}          <q1:KeyName>${SYSTEM_KEY_NAME}\\${key}</q1:KeyName>
          ${valueXml}
        </q1:SecurityOptions>
`;

  const rsopRight = (name: string, g: RsopGpo, prec: number, members: readonly Principal[]) => {
    const ms = members.map(([s, n]) => `<q1:Member><SID xmlns="${T}">${s}</SID><Name xmlns="${T}">${n}</Name></q1:Member>`).join('');
    return `        <q1:UserRightsAssignment>
          ${base(g, prec)}          <q1:Name>${name}</q1:Name>
          ${ms}
        </q1:UserRightsAssignment>
`;
  };

  const rsopPolicy = (name: string, state: 'Enabled' | 'Disabled', category: string, g: RsopGpo, prec: number, elements = '') => `        <q2:Policy>
          ${base(g, prec)}          <q2:Name>${name}</q2:Name>
          <q2:State>${state}</q2:State>
          <q2:Category>${category}</q2:Category>
${elements}        </q2:Policy>
`;

  const installer = (value: string) =>
    `          <q2:DropDownList><q2:Name>Disable Windows Installer</q2:Name><q2:State>Enabled</q2:State><q2:Value><q2:Name>${value}</q2:Name></q2:Value></q2:DropDownList>\n`;

  let sec = '';
  let reg = '';
  if (broken) {
    sec += secopt('DontDisplayLastUserName', 'ws', 1, '<q1:SettingNumber>0</q1:SettingNumber>');
    sec += secopt('DontDisplayLastUserName', 'ddp', 2, '<q1:SettingNumber>1</q1:SettingNumber>');
    sec += secopt('LegalNoticeCaption', 'ddp', 1, '<q1:SettingString>"Authorised use only"</q1:SettingString>');
    sec += rsopRight('SeNetworkLogonRight', 'ws', 1, [ADMIN, DC]);
    reg += rsopPolicy('Hide entry points for Fast User Switching', 'Enabled', 'System/Logon', 'ws', 1);
    reg += rsopPolicy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', 'ws', 1, installer('For non-managed applications only'));
  } else {
    sec += secopt('DontDisplayLastUserName', 'ws', 1, '<q1:SettingNumber>1</q1:SettingNumber>');
    sec += secopt('DontDisplayLastUserName', 'ddp', 2, '<q1:SettingNumber>0</q1:SettingNumber>');
    sec += rsopRight('SeNetworkLogonRight', 'ws', 1, [ADMIN, DU]);
    reg += rsopPolicy('Hide entry points for Fast User Switching', 'Disabled', 'System/Logon', 'ws', 1);
    reg += rsopPolicy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', 'ws', 1, installer('Never'));
  }
  return `${XML_DECLARATION}
<Rsop xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Rsop">
  <ReadTime>2026-11-25T08:15:00.0000000Z</ReadTime>
  <DataType>LoggedData</DataType>
  <ComputerResults>
    <Version>2228228</Version>
    <Name>CORP\\WSAMZN-0001$</Name>
    <Domain>${DOMAIN}</Domain>
    <SOM>${DOMAIN}/WorkSpaces</SOM>
    <Site>Default-First-Site-Name</Site>
    <SlowLink>false</SlowLink>
${gpoEntry('ddp', 1)}${gpoEntry('ws', 2)}${gpoEntry('kiosk', 0, false)}    <ExtensionData>
      <Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="q1:SecuritySettings" xmlns="http://www.microsoft.com/GroupPolicy/Settings">
${sec}      </Extension>
      <Name>Security</Name>
    </ExtensionData>
    <ExtensionData>
      <Extension xmlns:q2="http://www.microsoft.com/GroupPolicy/Settings/Registry" xsi:type="q2:RegistrySettings" xmlns="http://www.microsoft.com/GroupPolicy/Settings">
${reg}      </Extension>
      <Name>Registry</Name>
    </ExtensionData>
  </ComputerResults>
</Rsop>
`;
}

function rsopReports(): SampleFile[] {
  return KINDS.map((kind) => ({ path: `${kind}/rsop/gpresult-WSAMZN-0001.xml`, bytes: utf16Crlf(rsopReport(kind)) }));
}

// ---------------------------------------------------------------------------------------------
// Registry.pol, built by the fixture builder from the rule tests' setting constructors

const BACKUP_ID: Record<Kind, string> = { broken: '{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5B01}', clean: '{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5C01}' };
const SYSVOL_GUID: Record<Kind, string> = { broken: '{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}', clean: '{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7C01}' };

/** Registry.pol files: path -> settings, in record order. Machine files hold HKLM values, User files HKCU. */
const POL_SAMPLES: Record<string, FixtureSetting[]> = {
  'broken/registry-pol/Machine/Registry.pol': [
    dword('HKLM', KEYS.system, 'HideFastUserSwitching', 1),
    sz('HKLM', KEYS.system, 'LegalNoticeCaption', 'Authorised use only'),
    sz('HKLM', KEYS.system, 'LegalNoticeText', 'This system is for authorised users.'),
    dword('HKLM', KEYS.installer, 'DisableMSI', 2),
    sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.powerSaver),
    dword('HKLM', KEYS.standby, 'ACSettingIndex', 900),
    dword('HKLM', KEYS.disk, 'ACSettingIndex', 600),
    dword('HKLM', KEYS.disk, 'DCSettingIndex', 1200),
    dword('HKLM', KEYS.removable, 'Deny_All', 1),
    deleted('HKLM', KEYS.installer, 'DisableUserInstalls'), // "Prohibit User Installs" set to Disabled
    multiSz('HKLM', 'Software\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002', 'EccCurves', ['NistP384', 'NistP256']),
  ],
  'broken/registry-pol/User/Registry.pol': [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 12)],
  'clean/registry-pol/Machine/Registry.pol': [
    dword('HKLM', KEYS.system, 'HideFastUserSwitching', 0),
    dword('HKLM', KEYS.installer, 'DisableMSI', 0),
    sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.highPerformance),
    dword('HKLM', KEYS.standby, 'ACSettingIndex', 0),
    dword('HKLM', KEYS.disk, 'ACSettingIndex', 0),
    dword('HKLM', KEYS.disk, 'DCSettingIndex', 1200),
    deleted('HKLM', KEYS.removable, 'Deny_All'),
  ],
  // 3 = drives A and B (bit 0 = A, bit 1 = B)
  'clean/registry-pol/User/Registry.pol': [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 3)],

  // The Backup-GPO sample: these values are also what its gpreport.xml shows (backupAndSysvolFolders).
  [`broken/backups/${BACKUP_ID.broken}/DomainSysvol/GPO/Machine/registry.pol`]: [
    dword('HKLM', KEYS.system, 'HideFastUserSwitching', 1),
    dword('HKLM', KEYS.installer, 'DisableMSI', 1),
    sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.powerSaver),
    dword('HKLM', KEYS.standby, 'ACSettingIndex', 1800),
  ],
  [`clean/backups/${BACKUP_ID.clean}/DomainSysvol/GPO/Machine/registry.pol`]: [
    dword('HKLM', KEYS.system, 'HideFastUserSwitching', 0),
    dword('HKLM', KEYS.installer, 'DisableMSI', 0),
    sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.highPerformance),
    dword('HKLM', KEYS.standby, 'ACSettingIndex', 0),
  ],
  // The SYSVOL sample: a Policies folder as copied from \\domain\SYSVOL, with Windows' mixed-case folder names.
  [`broken/sysvol/Policies/${SYSVOL_GUID.broken}/MACHINE/Registry.pol`]: [
    dword('HKLM', KEYS.removable, 'Deny_All', 1),
    sz('HKLM', KEYS.winlogon, 'LegalNoticeText', 'Unauthorised access is prohibited.'),
  ],
  [`broken/sysvol/Policies/${SYSVOL_GUID.broken}/User/registry.pol`]: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 8)],
  [`clean/sysvol/Policies/${SYSVOL_GUID.clean}/MACHINE/Registry.pol`]: [deleted('HKLM', KEYS.removable, 'Deny_All')],
  [`clean/sysvol/Policies/${SYSVOL_GUID.clean}/User/registry.pol`]: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 0)],
};

function registryPols(): SampleFile[] {
  return Object.entries(POL_SAMPLES).map(([path, settings]) => {
    // The folder decides the hive; the builder names the file by it, so both names are this one path.
    const { files } = registryPol(settings, { machine: path, user: path });
    if (files.length !== 1) throw new Error(`${path}: settings of both hives`);
    return { path, bytes: files[0]!.bytes };
  });
}

// ---------------------------------------------------------------------------------------------
// Backup-GPO and SYSVOL folders around those Registry.pol files

function bkupInst(gpoGuid: string, backupId: string, name: string): string {
  return (
    `<BackupInst xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest"><GPOGuid><![CDATA[${gpoGuid}]]></GPOGuid>` +
    `<GPODomain><![CDATA[${DOMAIN}]]></GPODomain><GPODomainGuid><![CDATA[{5f0e1d2c-3b4a-4968-8776-a5b4c3d2e1f0}]]></GPODomainGuid>` +
    `<GPODomainController><![CDATA[dc1.${DOMAIN}]]></GPODomainController><BackupTime><![CDATA[2026-11-20T17:05:00]]></BackupTime>` +
    `<ID><![CDATA[${backupId}]]></ID><Comment><![CDATA[]]></Comment><GPODisplayName><![CDATA[${name}]]></GPODisplayName></BackupInst>`
  );
}

function backupXml(gpoGuid: string, name: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><GroupPolicyBackupScheme bkp:version="2.0" bkp:type="GroupPolicyBackupTemplate" xmlns:bkp="http://www.microsoft.com/GroupPolicy/GPOOperations" xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations">
    <GroupPolicyObject><SecurityGroups/><FilePaths/><GroupPolicyCoreSettings><ID><![CDATA[${gpoGuid}]]></ID><Domain><![CDATA[${DOMAIN}]]></Domain><SecurityDescriptor>01 00 04 9c</SecurityDescriptor><DisplayName><![CDATA[${name}]]></DisplayName><Options><![CDATA[0]]></Options><UserVersionNumber><![CDATA[0]]></UserVersionNumber><MachineVersionNumber><![CDATA[196611]]></MachineVersionNumber><MachineExtensionGuids><![CDATA[[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}][{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]]]></MachineExtensionGuids><UserExtensionGuids/><WMIFilter/></GroupPolicyCoreSettings>
        <GroupPolicyExtension bkp:ID="{35378EAC-683F-11D2-A89A-00C04FBBCFA2}" bkp:DescName="Registry"><FSObjectFile bkp:Path="%GPO_MACH_FSPATH%\\registry.pol" bkp:Location="DomainSysvol\\GPO\\Machine\\registry.pol"/></GroupPolicyExtension>
        <GroupPolicyExtension bkp:ID="{827D319E-6EAC-11D2-A4EA-00C04F79F83A}" bkp:DescName="Security"><FSObjectFile bkp:Path="%GPO_MACH_FSPATH%\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf" bkp:Location="DomainSysvol\\GPO\\Machine\\microsoft\\windows nt\\SecEdit\\GptTmpl.inf"/></GroupPolicyExtension>
    </GroupPolicyObject>
</GroupPolicyBackupScheme>`;
}

/** GptTmpl.inf as GPMC writes it into a backup: [Unicode], [Registry Values], [Privilege Rights], [Version]. */
function inf(rights: readonly (readonly [string, readonly string[]])[], values: readonly (readonly [string, string])[]): string {
  const lines = ['[Unicode]', 'Unicode=yes', '[Registry Values]'];
  lines.push(...values.map(([k, v]) => `${SYSTEM_KEY_NAME}\\${k}=${v}`));
  lines.push('[Privilege Rights]', ...rights.map(([r, ps]) => `${r} = ${ps.join(',')}`));
  lines.push('[Version]', 'signature="$CHICAGO$"', 'Revision=1', '');
  return lines.join('\n');
}

function backupAndSysvolFolders(samplesRoot: string): SampleFile[] {
  return KINDS.flatMap((kind) => {
    const b = kind === 'broken';
    const tag = b ? 'B' : 'C';
    const gpoGuid = `{9A1F0C3E-${tag}010-4D2B-8E6F-7A8B9C0D1E2F}`;
    const backupId = BACKUP_ID[kind];
    const name = `WorkSpaces - Desktop Baseline (${kind})`;
    const base = `${kind}/backups`;
    const folder = `${base}/${backupId}`;
    const memberOf: Principal = b ? DC : DU;
    const sec = right('SeNetworkLogonRight', [ADMIN, memberOf]) + secoptNum('DontDisplayLastUserName', b ? 0 : 1, "Interactive logon: Don't display last signed-in");
    const reg =
      policy('Hide entry points for Fast User Switching', b ? 'Enabled' : 'Disabled', 'System/Logon') +
      policy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', dropdown('Disable Windows Installer', b ? 'For non-managed applications only' : 'Never')) +
      policy('Select an active power plan', 'Enabled', 'System/Power Management', dropdown('Active Power Plan:', b ? 'Power Saver' : 'High Performance')) +
      policy('Specify the system sleep timeout (plugged in)', 'Enabled', 'System/Power Management/Sleep Settings', numeric('System Sleep Timeout (seconds):', b ? 1800 : 0));
    const report = gpo(gpoGuid, name, securityExt(sec) + registryExt(reg), '', [WS_OU]);

    // SYSVOL: GPT.INI with a display name, Samba-style ASCII GptTmpl.inf with LF endings, and the GPP power plan.
    const gpoDir = `${kind}/sysvol/Policies/${SYSVOL_GUID[kind]}`;
    const rdp = b ? ['*S-1-5-32-544'] : ['*S-1-5-32-544', '*S-1-5-32-555'];
    const local = b ? ['*S-1-5-32-544'] : ['*S-1-5-32-544', '*S-1-5-32-545'];
    const powerOptions = 'Machine/Preferences/PowerOptions/PowerOptions.xml';

    return [
      { path: `${folder}/gpreport.xml`, bytes: utf16Crlf(`${XML_DECLARATION}\n${report}`) },
      { path: `${folder}/Backup.xml`, bytes: utf8(backupXml(gpoGuid, name)) },
      { path: `${folder}/bkupInfo.xml`, bytes: utf8(bkupInst(gpoGuid, backupId, name)) },
      {
        path: `${base}/manifest.xml`,
        bytes: utf8(
          '<Backups xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest" xmlns:mfst="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest" mfst:version="1.0">' +
            bkupInst(gpoGuid, backupId, name) +
            '</Backups>',
        ),
      },
      {
        path: `${folder}/DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf`,
        bytes: utf16Crlf(inf([['SeNetworkLogonRight', ['*S-1-5-32-544', `*${memberOf[0]}`]]], [['DontDisplayLastUserName', `4,${b ? 0 : 1}`]])),
      },
      { path: `${gpoDir}/GPT.INI`, bytes: utf8(`[General]\r\nVersion=65539\r\ndisplayName=WorkSpaces - Device Restrictions (${kind})\r\n`) },
      {
        path: `${gpoDir}/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf`,
        bytes: utf8(
          `[Privilege Rights]\nSeRemoteInteractiveLogonRight = ${rdp.join(',')}\nSeInteractiveLogonRight = ${local.join(',')}\n` +
            `[Registry Values]\n${SYSTEM_KEY_NAME}\\DisableCAD=4,${b ? 1 : 0}\n`,
        ),
      },
      // The hand-written GPP power plan of the same kind, copied as it is.
      { path: `${gpoDir}/${powerOptions}`, bytes: new Uint8Array(readFileSync(join(samplesRoot, kind, 'gpp', ...powerOptions.split('/')))) },
    ];
  });
}
