import type { AuditResult } from '../../src/audit/result.js';
import type { Finding } from '../../src/model/findings.js';
import type { Rule } from '../../src/rules/types.js';
import type { Severity } from '../../src/model/severity.js';

// An audit of a small invented estate, written by hand: several GPOs, one finding read from three formats, an RSoP
// winner, a waiver, an audit-wide finding, a file that failed to parse, and names that are hostile to XML, URIs
// and terminals alike.

export const ROOT = '/srv/gp audit';

const PILOT = { id: '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}', name: 'WorkSpaces {Pilot} 100% Gäste', domain: 'corp.example' };
const DDP = { id: '{31B2F340-016D-11D2-945F-00C04FB984F9}', name: 'Default Domain Policy', domain: 'corp.example' };
const KIOSK = { id: '{0C8E2D4A-7B61-4F3E-9D2C-5A1B3C4D5E6F}', name: 'Kiosk & Lab <Test> "A" \'B\'' };

export const PILOT_DIR = 'estate/Pilot 100% {9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}';
export const FILES = {
  pilotReport: `${PILOT_DIR}/gpreport.xml`,
  pilotTemplate: `${PILOT_DIR}/DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf`,
  pilotPol: `${PILOT_DIR}/DomainSysvol/GPO/Machine/Registry.pol`,
  pilotHtml: `${PILOT_DIR}/gpreport.html`,
  rsop: 'rsop/ws-0042 gpresult.xml',
  kioskTemplate: 'estate/kiosk/GptTmpl.inf',
  cut: 'estate/broken/cut#1.xml',
};

function rule(id: string, severity: Severity, title: string, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title,
    severity,
    tags: ['workspaces'],
    checks: [],
    notConfigured: { outcome: 'pass' },
    rationale: `Why ${id} matters to WorkSpaces.`,
    remediation: `Fix ${id} in the GPO linked to the WorkSpaces OU.`,
    references: [],
    source: { file: 'rules.yaml', line: 1 },
    ...extra,
  };
}

export const RULES: Rule[] = [
  rule('workspaces-deny-network-logon-users', 'critical', 'Users are denied network logon', { tags: ['workspaces', 'rights'] }),
  rule('workspaces-logon-banner', 'high', 'An interactive logon message (logon banner) is set', {
    tags: ['workspaces', 'logon'],
    rationale: 'A logon banner puts a dialog in front of the Windows sign-in that the WorkSpaces client cannot answer.',
    remediation: 'Set "Interactive logon: Message title" to Not Defined and remove LegalNoticeCaption under HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon.',
    references: [
      { title: 'WorkSpaces troubleshooting: logon banner', url: 'https://docs.aws.amazon.com/workspaces/latest/adminguide/amazon-workspaces-troubleshooting.html#logon_banner' },
      { title: 'Shipped notes', doc: 'workspaces-guidance.md' },
    ],
  }),
  rule('workspaces-windows-installer-disabled', 'medium', 'Windows Installer is turned off'),
  rule('workspaces-last-signed-in-displayed', 'medium', 'The last signed-in user is not displayed'),
  rule('workspaces-hard-disk-turn-off', 'low', 'The hard disk turns off after a timeout'),
  rule('workspaces-pcie-link-state-power-management', 'low', 'PCI Express link state power management is on'),
];

const BANNER_CAPTION = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\LegalNoticeCaption';
export const BANNER_VALUE = `"Gäste <Hinweis> & \\"Regeln\\" 'bitte' ]]> lesen ]]> ]]>" (REG_SZ)`;

export const FINDINGS: Finding[] = [
  {
    ruleId: 'workspaces-deny-network-logon-users',
    title: 'Users are denied network logon',
    severity: 'critical',
    tags: ['workspaces', 'rights'],
    message: 'Users are denied network logon: right SeDenyNetworkLogonRight: BUILTIN\\Users (S-1-5-32-545)',
    gpo: DDP,
    rsop: { precedence: 1, winner: true },
    locations: [{ file: FILES.rsop, format: 'rsop', position: { line: 812 }, setting: 'right SeDenyNetworkLogonRight: BUILTIN\\Users (S-1-5-32-545)' }],
    fingerprint: '0f3c1e9a7b2d4c6e8a0b1c2d3e4f5a6b',
  },
  {
    ruleId: 'workspaces-logon-banner',
    title: 'An interactive logon message (logon banner) is set',
    severity: 'high',
    tags: ['workspaces', 'logon'],
    message: `An interactive logon message (logon banner) is set: ${BANNER_CAPTION} = ${BANNER_VALUE}`,
    gpo: PILOT,
    locations: [
      { file: FILES.pilotReport, format: 'gpo-report', position: { line: 120 }, setting: `${BANNER_CAPTION} = ${BANNER_VALUE}` },
      { file: FILES.pilotTemplate, format: 'security-template', position: { line: 33 }, setting: `${BANNER_CAPTION} = ${BANNER_VALUE}` },
      { file: FILES.pilotPol, format: 'registry-pol', position: { byteOffset: 1480 }, setting: `${BANNER_CAPTION} = ${BANNER_VALUE}` },
    ],
    fingerprint: '5e0d8f2a1c3b4a5968778695a4b3c2d1',
  },
  {
    ruleId: 'workspaces-windows-installer-disabled',
    title: 'Windows Installer is turned off',
    severity: 'medium',
    tags: ['workspaces'],
    message: 'Windows Installer is turned off: HKLM\\Software\\Policies\\Microsoft\\Windows\\Installer\\DisableMSI = 2 (REG_DWORD)',
    gpo: PILOT,
    locations: [{ file: FILES.pilotPol, format: 'registry-pol', position: { byteOffset: 560 }, setting: 'HKLM\\Software\\Policies\\Microsoft\\Windows\\Installer\\DisableMSI = 2 (REG_DWORD)' }],
    fingerprint: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  },
  {
    ruleId: 'workspaces-last-signed-in-displayed',
    title: 'The last signed-in user is not displayed',
    severity: 'medium',
    tags: ['workspaces'],
    message: 'The last signed-in user is not displayed: HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\DontDisplayLastUserName = 1 (REG_DWORD)',
    gpo: KIOSK,
    locations: [{ file: FILES.kioskTemplate, format: 'security-template', position: { line: 12 }, setting: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\DontDisplayLastUserName = 1 (REG_DWORD)' }],
    fingerprint: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    suppressed: {
      waiver: { rule: 'workspaces-last-signed-in-displayed', gpo: 'Kiosk & Lab <Test> "A" \'B\'', path: 'estate/kiosk/**', reason: 'Lab kiosks: approved by "Sec" & <IT> ]]> until rebuild', expires: '2099-12-31' },
    },
  },
  {
    ruleId: 'workspaces-hard-disk-turn-off',
    title: 'The hard disk turns off after a timeout',
    severity: 'low',
    tags: ['workspaces'],
    message: "No GPO sets the hard disk turn-off timeout: Windows' default (20 minutes) applies",
    locations: [],
    fingerprint: 'dddddddddddddddd0000000000000000',
  },
];

const ALL_RULE_IDS = RULES.map((r) => r.id);

export function richResult(): AuditResult {
  return {
    tool: { name: 'gpaudit', version: '0.1.0' },
    rules: RULES,
    findings: FINDINGS,
    notEvaluated: [
      ...ALL_RULE_IDS.map((ruleId) => ({ ruleId, input: FILES.cut, reason: 'the file could not be read (see problems)' })),
      { ruleId: 'workspaces-pcie-link-state-power-management', reason: 'no input that can carry power plans was read (needs one of: gpp-power)' },
    ],
    inputs: [
      { file: FILES.pilotReport, status: 'read', format: 'gpo-report' },
      { file: FILES.pilotTemplate, status: 'read', format: 'security-template' },
      { file: FILES.pilotPol, status: 'read', format: 'registry-pol' },
      { file: FILES.pilotHtml, status: 'unsupported', what: 'HTML GPO report' },
      { file: FILES.rsop, status: 'read', format: 'rsop' },
      { file: FILES.kioskTemplate, status: 'read', format: 'security-template' },
      { file: FILES.cut, status: 'failed', format: 'gpo-report' },
    ],
    problems: [
      { file: FILES.pilotHtml, code: 'unsupported-format', severity: 'warning', message: 'HTML GPO report: not audited (export with -ReportType Xml)' },
      { file: FILES.pilotPol, code: 'skipped-entry', severity: 'warning', position: { byteOffset: 2048 }, message: 'record with an unknown type 0x1234 skipped' },
      { file: FILES.cut, code: 'truncated', severity: 'error', position: { line: 88, column: 3 }, message: 'document ends inside <q1:Policy> (the file is cut short)' },
    ],
    notices: ['waiver for workspaces-logon-banner (GPO "Old & <retired>") expired on 2024-01-31 and no longer applies (reason was: migration ]]>)'],
    baseline: { file: 'baseline.json', known: 2 },
    failOn: 'medium',
    root: ROOT,
    // As the walk resolves them when gpaudit runs in ROOT: shown and root-relative alike.
    pathOf: (file: string) => (Object.values(FILES).includes(file) ? { path: `${ROOT}/${file}`, display: file, fromRoot: file } : undefined),
  };
}

export function emptyResult(): AuditResult {
  return {
    tool: { name: 'gpaudit', version: '0.1.0' },
    rules: RULES,
    findings: [],
    notEvaluated: [],
    inputs: [],
    problems: [],
    notices: [],
    failOn: 'high',
    root: ROOT,
    pathOf: () => undefined,
  };
}

// A directory scan (`gpaudit ldap scan`) of the same invented estate, and a GPO container that `audit --ou` found
// without a SYSVOL folder: findings about directory objects, with no file. DNs with an escaped comma, a slash,
// a `#` and non-ASCII letters; one finding waived by its DN.

export const DIRECTORY_SERVER = 'ldaps://dc1.corp.example:636';
export const DNS = {
  smith: 'CN=Smith\\, Anna,OU=Staff,DC=corp,DC=example',
  lab: 'CN=Jürgen/Lab #1,OU=Staff,DC=corp,DC=example',
  kiosk: 'CN=Kiosk 7,OU=Kiosks,DC=corp,DC=example',
  gpc: `CN=${DDP.id},CN=Policies,CN=System,DC=corp,DC=example`,
};

export const DIRECTORY_RULES: Rule[] = [
  rule('workspaces-user-missing-email', 'medium', 'The user has no email address', { tags: ['workspaces', 'directory'], source: { file: 'rules.yaml', line: 483 } }),
  rule('workspaces-login-shell-override', 'low', 'The user has a login shell override', { tags: ['workspaces', 'linux'], source: { file: 'rules.yaml', line: 500 } }),
  rule('gpo-sysvol-missing', 'high', 'The GPO has no folder in SYSVOL', { tags: ['gpo-health'], source: { file: 'rules.yaml', line: 436 } }),
];

function directoryFinding(ruleId: string, severity: Severity, dn: string, name: string | undefined, message: string, fingerprint: string): Finding {
  return {
    ruleId,
    title: DIRECTORY_RULES.find((r) => r.id === ruleId)!.title,
    severity,
    tags: DIRECTORY_RULES.find((r) => r.id === ruleId)!.tags,
    message,
    directoryObject: { dn, ...(name ? { name } : {}), server: DIRECTORY_SERVER },
    locations: [],
    fingerprint,
  };
}

export function directoryResult(): AuditResult {
  return {
    tool: { name: 'gpaudit', version: '0.1.0' },
    rules: DIRECTORY_RULES,
    findings: [
      directoryFinding('workspaces-user-missing-email', 'medium', DNS.smith, 'asmith', 'The user has no email address: asmith: mail (not set)', '1111111111111111aaaaaaaaaaaaaaaa'),
      directoryFinding('workspaces-login-shell-override', 'low', DNS.lab, 'jlab', 'The user has a login shell override: jlab: loginShell "/bin/zsh"', '2222222222222222bbbbbbbbbbbbbbbb'),
      {
        ...directoryFinding('workspaces-user-missing-email', 'medium', DNS.kiosk, undefined, `The user has no email address: ${DNS.kiosk}: mail (not set)`, '3333333333333333cccccccccccccccc'),
        suppressed: { waiver: { rule: 'workspaces-user-missing-email', path: 'CN=Kiosk *,OU=Kiosks,*', reason: 'Kiosk accounts have no mailbox', expires: '2099-12-31' } },
      },
      { ...directoryFinding('gpo-sysvol-missing', 'high', DNS.gpc, undefined, 'The GPO has no folder in SYSVOL: "Default Domain Policy"', '4444444444444444dddddddddddddddd'), gpo: DDP },
    ],
    notEvaluated: [],
    inputs: [],
    problems: [],
    notices: [`scanned 3 user(s) on ${DIRECTORY_SERVER} under DC=corp,DC=example in 0.2 s (filter (objectClass=user))`],
    directory: { server: DIRECTORY_SERVER, baseDn: 'DC=corp,DC=example', filter: '(objectClass=user)', entriesRead: 3, inScope: 3, pages: 1, elapsedMs: 200 },
    failOn: 'low',
    root: ROOT,
    pathOf: () => undefined,
  };
}
