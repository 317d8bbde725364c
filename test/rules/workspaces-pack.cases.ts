// The per-rule fixture matrix: for every rule of rules.yaml, settings that must fail it and settings that must
// pass it. Each case runs in every input family that can carry all of its settings (or only in `families`).
import {
  KEYS,
  MEMBERS,
  PLANS,
  deleted,
  dword,
  multiSz,
  powerPlan,
  restrictedGroup,
  right,
  sz,
  type Family,
  type FixtureSetting,
} from '../helpers/gpo-fixtures.js';
import type { Severity } from '../../src/model/severity.js';

export interface RuleCase {
  name: string;
  settings: FixtureSetting[];
  /** Indexes of the settings the finding must list as locations; default: all of them. */
  expectAt?: number[];
  /** Restrict the case to these families (it still needs each to carry every setting). */
  families?: Family[];
  /** The finding must be flagged conditional (preference item-level targeting). */
  conditional?: true;
}

export interface RuleMatrix {
  ruleId: string;
  severity: Severity;
  /** Every family that can carry the rule's settings; the matrix must hold a failing and a passing case in each. */
  families: Family[];
  fail: RuleCase[];
  pass: RuleCase[];
}

const REGISTRY_FAMILIES: Family[] = ['gpo-report', 'rsop', 'security-template', 'registry-pol', 'gpp-registry'];
const POWER_FAMILIES: Family[] = [...REGISTRY_FAMILIES, 'gpp-power'];
const RIGHT_FAMILIES: Family[] = ['gpo-report', 'rsop', 'security-template'];

const M = MEMBERS;
const sys = (name: string, value: number) => dword('HKLM', KEYS.system, name, value);

/** A full V2 plan item as GPMC writes it, with the properties a case cares about overriding the rest. */
function plan(name: string, guid: string, makeActive: boolean, overrides: Record<string, string>): FixtureSetting {
  return powerPlan(name, guid, makeActive, {
    requireWakePwdAC: 'YES',
    requireWakePwdDC: 'YES',
    turnOffHDAC: '0',
    turnOffHDDC: '20',
    sleepAfterAC: '0',
    sleepAfterDC: '0',
    linkPwrMgmtAC: 'OFF',
    linkPwrMgmtDC: 'OFF',
    ...overrides,
  });
}

/** A plan with the hard-disk timeouts given (a missing side is left out of the item). */
function diskPlan(ac: string | undefined, dc: string | undefined): FixtureSetting {
  const p = plan('High performance', PLANS.highPerformance, true, {});
  if (p.kind !== 'power-plan') throw new Error('unreachable');
  delete p.properties.turnOffHDAC;
  delete p.properties.turnOffHDDC;
  if (ac !== undefined) p.properties.turnOffHDAC = ac;
  if (dc !== undefined) p.properties.turnOffHDDC = dc;
  return p;
}

export const MATRIX: RuleMatrix[] = [
  {
    ruleId: 'workspaces-logon-banner',
    severity: 'high',
    families: REGISTRY_FAMILIES,
    fail: [
      { name: 'caption set', settings: [sz('HKLM', KEYS.system, 'LegalNoticeCaption', 'Authorised use only')] },
      { name: 'text set (two lines, one with a comma)', settings: [multiSz('HKLM', KEYS.system, 'LegalNoticeText', ['This WorkSpace is for authorised staff.', 'Activity is logged, monitored and reviewed.'])] },
      {
        name: 'caption and text: one finding, two locations',
        settings: [sz('HKLM', KEYS.system, 'LegalNoticeCaption', 'Notice'), multiSz('HKLM', KEYS.system, 'LegalNoticeText', ['Authorised use only.'])],
      },
      { name: 'legacy Winlogon caption', settings: [sz('HKLM', KEYS.winlogon, 'LegalNoticeCaption', 'Legacy banner title')] },
      { name: 'legacy Winlogon text', settings: [sz('HKLM', KEYS.winlogon, 'LegalNoticeText', 'Legacy banner text')] },
      { name: 'empty caption but a text', settings: [sz('HKLM', KEYS.system, 'LegalNoticeCaption', ''), multiSz('HKLM', KEYS.system, 'LegalNoticeText', ['Authorised use only.'])], expectAt: [1] },
    ],
    pass: [
      { name: 'empty caption and empty text are not a banner', settings: [sz('HKLM', KEYS.system, 'LegalNoticeCaption', ''), multiSz('HKLM', KEYS.system, 'LegalNoticeText', [])] },
      { name: 'empty caption alone', settings: [sz('HKLM', KEYS.system, 'LegalNoticeCaption', '')] },
      { name: 'empty legacy Winlogon caption', settings: [sz('HKLM', KEYS.winlogon, 'LegalNoticeCaption', '')] },
      { name: 'caption deleted', settings: [deleted('HKLM', KEYS.system, 'LegalNoticeCaption')] },
    ],
  },
  {
    ruleId: 'workspaces-network-logon-domain-computers',
    severity: 'high',
    families: RIGHT_FAMILIES,
    fail: [
      { name: 'Administrators and Domain Computers', settings: [right('SeNetworkLogonRight', [M.administrators, M.domainComputers])] },
      { name: 'Domain Computers only', settings: [right('SeNetworkLogonRight', [M.domainComputers])] },
    ],
    pass: [
      { name: 'Administrators and Domain Users', settings: [right('SeNetworkLogonRight', [M.administrators, M.domainUsers])] },
      { name: 'Domain Computers with Domain Users', settings: [right('SeNetworkLogonRight', [M.domainComputers, M.domainUsers])] },
      { name: 'Domain Computers with Authenticated Users', settings: [right('SeNetworkLogonRight', [M.domainComputers, M.authenticatedUsers])] },
      { name: 'only Administrators (that is users-missing)', settings: [right('SeNetworkLogonRight', [M.administrators])] },
    ],
  },
  {
    ruleId: 'workspaces-network-logon-users-missing',
    severity: 'high',
    families: RIGHT_FAMILIES,
    fail: [
      { name: 'only Administrators', settings: [right('SeNetworkLogonRight', [M.administrators])] },
      { name: 'Administrators and Backup Operators', settings: [right('SeNetworkLogonRight', [M.administrators, M.backupOperators])] },
      { name: 'defined with no holders', settings: [right('SeNetworkLogonRight', [])] },
    ],
    pass: [
      { name: 'Administrators and Domain Users', settings: [right('SeNetworkLogonRight', [M.administrators, M.domainUsers])] },
      { name: 'Authenticated Users', settings: [right('SeNetworkLogonRight', [M.administrators, M.authenticatedUsers])] },
      { name: 'Everyone', settings: [right('SeNetworkLogonRight', [M.everyone])] },
      { name: 'BUILTIN\\Users', settings: [right('SeNetworkLogonRight', [M.administrators, M.users])] },
      { name: 'Domain Computers without users (that is domain-computers)', settings: [right('SeNetworkLogonRight', [M.administrators, M.domainComputers])] },
    ],
  },
  {
    ruleId: 'workspaces-deny-network-logon-users',
    severity: 'critical',
    families: RIGHT_FAMILIES,
    fail: [
      { name: 'Domain Users denied', settings: [right('SeDenyNetworkLogonRight', [M.guest, M.domainUsers])] },
      { name: 'Everyone denied', settings: [right('SeDenyNetworkLogonRight', [M.everyone])] },
      { name: 'Authenticated Users denied', settings: [right('SeDenyNetworkLogonRight', [M.authenticatedUsers])] },
      { name: 'BUILTIN\\Users denied', settings: [right('SeDenyNetworkLogonRight', [M.users])] },
    ],
    pass: [
      { name: 'Guest only', settings: [right('SeDenyNetworkLogonRight', [M.guest])] },
      { name: 'BUILTIN\\Guests and Domain Admins', settings: [right('SeDenyNetworkLogonRight', [M.guests, M.domainAdmins])] },
      { name: 'defined with no holders', settings: [right('SeDenyNetworkLogonRight', [])] },
    ],
  },
  {
    ruleId: 'workspaces-fast-user-switching-hidden',
    severity: 'high',
    families: REGISTRY_FAMILIES,
    fail: [
      { name: 'HideFastUserSwitching 1', settings: [sys('HideFastUserSwitching', 1)] },
      { name: 'targeted preference item (conditional)', settings: [dword('HKLM', KEYS.system, 'HideFastUserSwitching', 1, { targeted: true })], families: ['gpp-registry'], conditional: true },
    ],
    pass: [
      { name: 'HideFastUserSwitching 0 (Disabled)', settings: [sys('HideFastUserSwitching', 0)] },
      { name: 'disabled preference item', settings: [dword('HKLM', KEYS.system, 'HideFastUserSwitching', 1, { disabled: true })], families: ['gpp-registry'] },
      {
        name: 'losing RSoP setting (precedence 2) is bad, the winner good',
        settings: [dword('HKLM', KEYS.system, 'HideFastUserSwitching', 0, { rsopGpo: 0, precedence: 1 }), dword('HKLM', KEYS.system, 'HideFastUserSwitching', 1, { rsopGpo: 1, precedence: 2 })],
        families: ['rsop'],
      },
    ],
  },
  {
    ruleId: 'workspaces-last-signed-in-displayed',
    severity: 'medium',
    families: REGISTRY_FAMILIES,
    fail: [{ name: 'DontDisplayLastUserName 0', settings: [sys('DontDisplayLastUserName', 0)] }],
    pass: [
      { name: 'DontDisplayLastUserName 1', settings: [sys('DontDisplayLastUserName', 1)] },
      {
        name: 'losing RSoP setting (precedence 2) is bad, the winner good',
        settings: [dword('HKLM', KEYS.system, 'DontDisplayLastUserName', 1, { rsopGpo: 0, precedence: 1 }), dword('HKLM', KEYS.system, 'DontDisplayLastUserName', 0, { rsopGpo: 1, precedence: 2 })],
        families: ['rsop'],
      },
    ],
  },
  {
    ruleId: 'workspaces-ctrl-alt-del-not-required',
    severity: 'medium',
    families: REGISTRY_FAMILIES,
    fail: [{ name: 'DisableCAD 1', settings: [sys('DisableCAD', 1)] }],
    pass: [{ name: 'DisableCAD 0', settings: [sys('DisableCAD', 0)] }],
  },
  {
    ruleId: 'workspaces-locked-user-info-hidden',
    severity: 'medium',
    families: REGISTRY_FAMILIES,
    fail: [
      { name: 'DontDisplayLockedUserId 2 (display name only)', settings: [sys('DontDisplayLockedUserId', 2)] },
      { name: 'DontDisplayLockedUserId 3 (do not display)', settings: [sys('DontDisplayLockedUserId', 3)] },
      { name: 'DontDisplayLockedUserId 4 (user name only)', settings: [sys('DontDisplayLockedUserId', 4)] },
    ],
    pass: [{ name: 'DontDisplayLockedUserId 1', settings: [sys('DontDisplayLockedUserId', 1)] }],
  },
  {
    ruleId: 'workspaces-windows-installer-disabled',
    severity: 'medium',
    families: REGISTRY_FAMILIES,
    fail: [
      { name: 'DisableMSI 1 (non-managed only)', settings: [dword('HKLM', KEYS.installer, 'DisableMSI', 1)] },
      { name: 'DisableMSI 2 (Always)', settings: [dword('HKLM', KEYS.installer, 'DisableMSI', 2)] },
    ],
    pass: [
      { name: 'DisableMSI 0 (Never)', settings: [dword('HKLM', KEYS.installer, 'DisableMSI', 0)] },
      { name: 'policy Disabled (**del.DisableMSI)', settings: [deleted('HKLM', KEYS.installer, 'DisableMSI')] },
    ],
  },
  {
    ruleId: 'workspaces-power-plan-sleeps',
    severity: 'medium',
    families: POWER_FAMILIES,
    fail: [
      { name: 'active plan Power Saver', settings: [sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.powerSaver)] },
      { name: 'active plan Balanced', settings: [sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.balanced)] },
      { name: 'a custom active plan', settings: [sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.custom)] },
      { name: 'plugged-in sleep timeout 900 s', settings: [dword('HKLM', KEYS.standby, 'ACSettingIndex', 900)] },
      {
        name: 'High performance but a sleep timeout: one finding at the timeout',
        settings: [sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.highPerformance), dword('HKLM', KEYS.standby, 'ACSettingIndex', 1800)],
        expectAt: [1],
      },
      { name: 'GPP: Balanced made active', settings: [plan('Balanced', PLANS.balanced, true, {})] },
      { name: 'GPP: High performance active, sleep after 30 min plugged in', settings: [plan('High performance', PLANS.highPerformance, true, { sleepAfterAC: '30' })] },
      { name: 'GPP: an inactive plan that sleeps', settings: [plan('Balanced', PLANS.balanced, false, { sleepAfterAC: '15' })] },
    ],
    pass: [
      { name: 'active plan High performance', settings: [sz('HKLM', KEYS.power, 'ActivePowerScheme', PLANS.highPerformance)] },
      { name: 'plugged-in sleep timeout 0 (never)', settings: [dword('HKLM', KEYS.standby, 'ACSettingIndex', 0)] },
      { name: 'only the on-battery sleep timeout', settings: [dword('HKLM', KEYS.standby, 'DCSettingIndex', 900)] },
      { name: 'GPP: High performance made active, sleepAfterAC 0', settings: [plan('High performance', PLANS.highPerformance, true, { sleepAfterAC: '0' })] },
      { name: 'GPP: Balanced edited but not made active, never sleeps', settings: [plan('Balanced', PLANS.balanced, false, { sleepAfterAC: '0' })] },
    ],
  },
  {
    ruleId: 'workspaces-hard-disk-turn-off',
    severity: 'low',
    families: POWER_FAMILIES,
    fail: [
      { name: 'AC 600 s < DC 1200 s', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 600), dword('HKLM', KEYS.disk, 'DCSettingIndex', 1200)], expectAt: [0] },
      { name: 'AC equal to DC', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 1200), dword('HKLM', KEYS.disk, 'DCSettingIndex', 1200)], expectAt: [0] },
      { name: 'AC 600 s, DC absent (compared with 1200 s)', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 600)] },
      { name: 'AC 1200 s, DC absent (equal to the default)', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 1200)] },
      { name: 'AC 600 s, DC 0 (never)', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 600), dword('HKLM', KEYS.disk, 'DCSettingIndex', 0)], expectAt: [0] },
      { name: 'GPP: AC 10 min < DC 20 min', settings: [diskPlan('10', '20')] },
      { name: 'GPP: AC 20 min, DC absent (default 20 min)', settings: [diskPlan('20', undefined)] },
    ],
    pass: [
      { name: 'AC 0 (never)', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 0), dword('HKLM', KEYS.disk, 'DCSettingIndex', 600)] },
      { name: 'AC 1800 s > DC 1200 s', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 1800), dword('HKLM', KEYS.disk, 'DCSettingIndex', 1200)] },
      { name: 'AC 1800 s, DC absent', settings: [dword('HKLM', KEYS.disk, 'ACSettingIndex', 1800)] },
      { name: 'only DC set', settings: [dword('HKLM', KEYS.disk, 'DCSettingIndex', 600)] },
      { name: 'GPP: AC 0 (never)', settings: [diskPlan('0', '20')] },
      { name: 'GPP: AC 30 min > DC 20 min', settings: [diskPlan('30', '20')] },
      { name: 'GPP: AC 30 min, DC absent', settings: [diskPlan('30', undefined)] },
    ],
  },
  {
    ruleId: 'workspaces-pcie-link-state-power-management',
    severity: 'low',
    families: POWER_FAMILIES,
    fail: [
      { name: 'GPP: linkPwrMgmtAC ON', settings: [plan('High performance', PLANS.highPerformance, true, { linkPwrMgmtAC: 'ON' })] },
      { name: 'ASPM ACSettingIndex 1 (moderate)', settings: [dword('HKLM', KEYS.aspm, 'ACSettingIndex', 1)] },
      { name: 'ASPM ACSettingIndex 2 (maximum)', settings: [dword('HKLM', KEYS.aspm, 'ACSettingIndex', 2)] },
    ],
    pass: [
      { name: 'GPP: linkPwrMgmtAC OFF', settings: [plan('High performance', PLANS.highPerformance, true, { linkPwrMgmtAC: 'OFF', linkPwrMgmtDC: 'ON' })] },
      { name: 'ASPM ACSettingIndex 0 (off)', settings: [dword('HKLM', KEYS.aspm, 'ACSettingIndex', 0)] },
      { name: 'GPP: disabled item with linkPwrMgmtAC ON', settings: [powerPlan('High performance', PLANS.highPerformance, true, { linkPwrMgmtAC: 'ON' }, { disabled: true })] },
    ],
  },
  {
    ruleId: 'workspaces-interactive-logon-users-missing',
    severity: 'high',
    families: RIGHT_FAMILIES,
    fail: [
      { name: 'only Administrators', settings: [right('SeInteractiveLogonRight', [M.administrators])] },
      { name: 'Administrators and Domain Users, no BUILTIN\\Users', settings: [right('SeInteractiveLogonRight', [M.administrators, M.domainUsers])] },
    ],
    pass: [{ name: 'Administrators and BUILTIN\\Users', settings: [right('SeInteractiveLogonRight', [M.administrators, M.users, M.backupOperators])] }],
  },
  {
    ruleId: 'workspaces-remote-desktop-logon-right-missing',
    severity: 'high',
    families: RIGHT_FAMILIES,
    fail: [{ name: 'only Administrators', settings: [right('SeRemoteInteractiveLogonRight', [M.administrators])] }],
    pass: [
      { name: 'Administrators and Remote Desktop Users', settings: [right('SeRemoteInteractiveLogonRight', [M.administrators, M.remoteDesktopUsers])] },
      { name: 'Domain Users', settings: [right('SeRemoteInteractiveLogonRight', [M.domainUsers])] },
    ],
  },
  {
    ruleId: 'workspaces-remote-desktop-users-restricted',
    severity: 'high',
    families: RIGHT_FAMILIES,
    fail: [
      { name: 'Remote Desktop Users restricted to Administrators', settings: [restrictedGroup(M.remoteDesktopUsers, [M.administrators])] },
      { name: 'Remote Desktop Users restricted to nobody', settings: [restrictedGroup(M.remoteDesktopUsers, [])] },
    ],
    pass: [
      { name: 'Remote Desktop Users with Domain Users', settings: [restrictedGroup(M.remoteDesktopUsers, [M.administrators, M.domainUsers])] },
      { name: 'another group restricted', settings: [restrictedGroup(M.administrators, [M.domainAdmins])] },
    ],
  },
  {
    ruleId: 'workspaces-removable-storage-denied',
    severity: 'high',
    families: REGISTRY_FAMILIES,
    fail: [
      { name: 'computer Deny_All 1', settings: [dword('HKLM', KEYS.removable, 'Deny_All', 1)] },
      { name: 'user Deny_All 1', settings: [dword('HKCU', KEYS.removable, 'Deny_All', 1)] },
    ],
    pass: [
      { name: 'computer Deny_All 0', settings: [dword('HKLM', KEYS.removable, 'Deny_All', 0)] },
      { name: 'user Deny_All 0', settings: [dword('HKCU', KEYS.removable, 'Deny_All', 0)] },
    ],
  },
  {
    ruleId: 'workspaces-drive-access-restricted',
    severity: 'high',
    families: REGISTRY_FAMILIES,
    fail: [
      { name: 'user NoViewOnDrive 4 (C)', settings: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 4)] },
      { name: 'user NoViewOnDrive 8 (D)', settings: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 8)] },
      { name: 'user NoViewOnDrive 12 (C and D)', settings: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 12)] },
      { name: 'user NoViewOnDrive 67108863 (all drives)', settings: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 67108863)] },
      { name: 'computer NoViewOnDrive 4 (C)', settings: [dword('HKLM', KEYS.explorer, 'NoViewOnDrive', 4)] },
    ],
    pass: [
      { name: 'user NoViewOnDrive 3 (A and B)', settings: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 3)] },
      { name: 'user NoViewOnDrive 0 (no drives)', settings: [dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 0)] },
      { name: 'computer NoViewOnDrive 3 (A and B)', settings: [dword('HKLM', KEYS.explorer, 'NoViewOnDrive', 3)] },
    ],
  },
];
