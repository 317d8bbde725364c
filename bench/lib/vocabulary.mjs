// Words and names for the synthetic estate. Everything here is written for gpaudit's benchmark; the only facts
// taken from Windows are public constant names (user-right constants, well-known SIDs, audit subcategory names,
// security-option registry paths listed in /work/shared/docs/formats.md), which a report could not do without.

export const DOMAIN = 'bench.example.test';
export const NETBIOS = 'BENCH';
export const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';

export const WELL_KNOWN = [
  ['S-1-5-32-544', 'BUILTIN\\Administrators'],
  ['S-1-5-32-545', 'BUILTIN\\Users'],
  ['S-1-5-32-546', 'BUILTIN\\Guests'],
  ['S-1-5-32-551', 'BUILTIN\\Backup Operators'],
  ['S-1-5-32-555', 'BUILTIN\\Remote Desktop Users'],
  ['S-1-5-11', 'NT AUTHORITY\\Authenticated Users'],
  ['S-1-5-19', 'NT AUTHORITY\\LOCAL SERVICE'],
  ['S-1-5-20', 'NT AUTHORITY\\NETWORK SERVICE'],
  ['S-1-5-6', 'NT AUTHORITY\\SERVICE'],
  ['S-1-5-113', 'NT AUTHORITY\\Local account'],
  ['S-1-5-114', 'NT AUTHORITY\\Local account and member of Administrators group'],
  ['S-1-1-0', 'Everyone'],
  [`${DOMAIN_SID}-512`, `${NETBIOS}\\Domain Admins`],
  [`${DOMAIN_SID}-513`, `${NETBIOS}\\Domain Users`],
  [`${DOMAIN_SID}-515`, `${NETBIOS}\\Domain Computers`],
  [`${DOMAIN_SID}-519`, `${NETBIOS}\\Enterprise Admins`],
];

export const USER_RIGHTS = [
  'SeNetworkLogonRight', 'SeDenyNetworkLogonRight', 'SeInteractiveLogonRight', 'SeDenyInteractiveLogonRight',
  'SeRemoteInteractiveLogonRight', 'SeDenyRemoteInteractiveLogonRight', 'SeBatchLogonRight', 'SeDenyBatchLogonRight',
  'SeServiceLogonRight', 'SeDenyServiceLogonRight', 'SeBackupPrivilege', 'SeRestorePrivilege', 'SeShutdownPrivilege',
  'SeRemoteShutdownPrivilege', 'SeDebugPrivilege', 'SeTakeOwnershipPrivilege', 'SeSecurityPrivilege', 'SeSystemtimePrivilege',
  'SeTimeZonePrivilege', 'SeCreatePagefilePrivilege', 'SeCreateTokenPrivilege', 'SeCreateGlobalPrivilege',
  'SeCreatePermanentPrivilege', 'SeCreateSymbolicLinkPrivilege', 'SeEnableDelegationPrivilege', 'SeImpersonatePrivilege',
  'SeIncreaseBasePriorityPrivilege', 'SeLoadDriverPrivilege', 'SeLockMemoryPrivilege', 'SeManageVolumePrivilege',
  'SeProfileSingleProcessPrivilege', 'SeSystemEnvironmentPrivilege', 'SeTrustedCredManAccessPrivilege',
  'SeAssignPrimaryTokenPrivilege', 'SeAuditPrivilege', 'SeIncreaseQuotaPrivilege', 'SeMachineAccountPrivilege',
  'SeSystemProfilePrivilege', 'SeUndockPrivilege', 'SeChangeNotifyPrivilege', 'SeTcbPrivilege',
];

const SYSTEM = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
const LSA = 'System\\CurrentControlSet\\Control\\Lsa';
const SERVER = 'System\\CurrentControlSet\\Services\\LanManServer\\Parameters';
const NETLOGON = 'System\\CurrentControlSet\\Services\\Netlogon\\Parameters';
const WINLOGON = 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon';

// [path, registry type as in GptTmpl.inf, label]
export const SECURITY_OPTIONS = [
  [`${SYSTEM}\\LegalNoticeCaption`, 1, 'Interactive logon: Message title for users attempting to log on'],
  [`${SYSTEM}\\LegalNoticeText`, 7, 'Interactive logon: Message text for users attempting to log on'],
  [`${SYSTEM}\\DontDisplayLastUserName`, 4, "Interactive logon: Don't display last signed-in"],
  [`${SYSTEM}\\EnableLUA`, 4, 'User Account Control: Run all administrators in Admin Approval Mode'],
  [`${SYSTEM}\\ConsentPromptBehaviorAdmin`, 4, 'User Account Control: Behavior of the elevation prompt for administrators'],
  [`${SYSTEM}\\PromptOnSecureDesktop`, 4, 'User Account Control: Switch to the secure desktop when prompting for elevation'],
  [`${SYSTEM}\\FilterAdministratorToken`, 4, 'User Account Control: Admin Approval Mode for the Built-in Administrator account'],
  [`${SYSTEM}\\InactivityTimeoutSecs`, 4, 'Interactive logon: Machine inactivity limit'],
  [`${SYSTEM}\\ShutdownWithoutLogon`, 4, 'Shutdown: Allow system to be shut down without having to log on'],
  [`${SYSTEM}\\ScForceOption`, 4, 'Interactive logon: Require smart card'],
  [`${WINLOGON}\\CachedLogonsCount`, 1, 'Interactive logon: Number of previous logons to cache'],
  [`${WINLOGON}\\ScRemoveOption`, 1, 'Interactive logon: Smart card removal behavior'],
  [`${WINLOGON}\\PasswordExpiryWarning`, 4, 'Interactive logon: Prompt user to change password before expiration'],
  [`${WINLOGON}\\ForceUnlockLogon`, 4, 'Interactive logon: Require Domain Controller authentication to unlock workstation'],
  [`${LSA}\\NoLMHash`, 4, 'Network security: Do not store LAN Manager hash value on next password change'],
  [`${LSA}\\LmCompatibilityLevel`, 4, 'Network security: LAN Manager authentication level'],
  [`${LSA}\\RestrictAnonymous`, 4, 'Network access: Do not allow anonymous enumeration of SAM accounts and shares'],
  [`${LSA}\\RestrictAnonymousSAM`, 4, 'Network access: Do not allow anonymous enumeration of SAM accounts'],
  [`${LSA}\\EveryoneIncludesAnonymous`, 4, 'Network access: Let Everyone permissions apply to anonymous users'],
  [`${LSA}\\LimitBlankPasswordUse`, 4, 'Accounts: Limit local account use of blank passwords to console logon only'],
  [`${LSA}\\DisableDomainCreds`, 4, 'Network access: Do not allow storage of passwords and credentials for network authentication'],
  [`${LSA}\\ForceGuest`, 4, 'Network access: Sharing and security model for local accounts'],
  [`${LSA}\\CrashOnAuditFail`, 4, 'Audit: Shut down system immediately if unable to log security audits'],
  [`${LSA}\\MSV1_0\\NTLMMinClientSec`, 4, 'Network security: Minimum session security for NTLM SSP based clients'],
  [`${LSA}\\MSV1_0\\NTLMMinServerSec`, 4, 'Network security: Minimum session security for NTLM SSP based servers'],
  [`${SERVER}\\RequireSecuritySignature`, 4, 'Microsoft network server: Digitally sign communications (always)'],
  [`${SERVER}\\EnableSecuritySignature`, 4, 'Microsoft network server: Digitally sign communications (if client agrees)'],
  [`${SERVER}\\RestrictNullSessAccess`, 4, 'Network access: Restrict anonymous access to Named Pipes and Shares'],
  [`${SERVER}\\NullSessionPipes`, 7, 'Network access: Named Pipes that can be accessed anonymously'],
  ['System\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\RequireSecuritySignature', 4, 'Microsoft network client: Digitally sign communications (always)'],
  ['System\\CurrentControlSet\\Services\\LDAP\\LDAPClientIntegrity', 4, 'Network security: LDAP client signing requirements'],
  [`${NETLOGON}\\RequireSignOrSeal`, 4, 'Domain member: Digitally encrypt or sign secure channel data (always)'],
  [`${NETLOGON}\\SealSecureChannel`, 4, 'Domain member: Digitally encrypt secure channel data (when possible)'],
  [`${NETLOGON}\\SignSecureChannel`, 4, 'Domain member: Digitally sign secure channel data (when possible)'],
  [`${NETLOGON}\\RequireStrongKey`, 4, 'Domain member: Require strong (Windows 2000 or later) session key'],
  [`${NETLOGON}\\DisablePasswordChange`, 4, 'Domain member: Disable machine account password changes'],
  [`${NETLOGON}\\MaximumPasswordAge`, 4, 'Domain member: Maximum machine account password age'],
  ['System\\CurrentControlSet\\Control\\SecurePipeServers\\Winreg\\AllowedExactPaths\\Machine', 7, 'Network access: Remotely accessible registry paths'],
  ['System\\CurrentControlSet\\Control\\SecurePipeServers\\Winreg\\AllowedPaths\\Machine', 7, 'Network access: Remotely accessible registry paths and subpaths'],
];

// [name, Type in the report, INF section]
export const ACCOUNT_POLICIES = [
  ['MinimumPasswordAge', 'Password', 'System Access'], ['MaximumPasswordAge', 'Password', 'System Access'],
  ['MinimumPasswordLength', 'Password', 'System Access'], ['PasswordComplexity', 'Password', 'System Access'],
  ['PasswordHistorySize', 'Password', 'System Access'], ['ClearTextPassword', 'Password', 'System Access'],
  ['LockoutBadCount', 'Account Lockout', 'System Access'], ['ResetLockoutCount', 'Account Lockout', 'System Access'],
  ['LockoutDuration', 'Account Lockout', 'System Access'], ['MaxTicketAge', 'Kerberos', 'Kerberos Policy'],
  ['MaxRenewAge', 'Kerberos', 'Kerberos Policy'], ['MaxServiceAge', 'Kerberos', 'Kerberos Policy'],
  ['MaxClockSkew', 'Kerberos', 'Kerberos Policy'], ['TicketValidateClient', 'Kerberos', 'Kerberos Policy'],
];

export const SYSTEM_ACCESS_EXTRA = ['LSAAnonymousNameLookup', 'EnableAdminAccount', 'EnableGuestAccount', 'ForceLogoffWhenHourExpire', 'RequireLogonToChangePassword'];

export const AUDIT_CATEGORIES = [
  'AuditSystemEvents', 'AuditLogonEvents', 'AuditObjectAccess', 'AuditPrivilegeUse', 'AuditPolicyChange',
  'AuditAccountManage', 'AuditProcessTracking', 'AuditDSAccess', 'AuditAccountLogon',
];

export const AUDIT_SUBCATEGORIES = [
  'Audit Credential Validation', 'Audit Kerberos Authentication Service', 'Audit Kerberos Service Ticket Operations',
  'Audit Computer Account Management', 'Audit Other Account Management Events', 'Audit Security Group Management',
  'Audit User Account Management', 'Audit PNP Activity', 'Audit Process Creation', 'Audit Directory Service Access',
  'Audit Directory Service Changes', 'Audit Account Lockout', 'Audit Group Membership', 'Audit Logoff', 'Audit Logon',
  'Audit Other Logon/Logoff Events', 'Audit Special Logon', 'Audit Detailed File Share', 'Audit File Share',
  'Audit Other Object Access Events', 'Audit Removable Storage', 'Audit Audit Policy Change',
  'Audit Authentication Policy Change', 'Audit Authorization Policy Change', 'Audit MPSSVC Rule-Level Policy Change',
  'Audit Sensitive Privilege Use', 'Audit IPsec Driver', 'Audit Other System Events', 'Audit Security State Change',
  'Audit Security System Extension', 'Audit System Integrity', 'Audit Registry', 'Audit File System',
  'Audit Filtering Platform Connection', 'Audit Handle Manipulation', 'Audit Kernel Object', 'Audit SAM',
  'Audit Certification Services', 'Audit Application Generated', 'Audit Other Policy Change Events',
];

export const EVENT_LOG_SETTINGS = ['MaximumLogSize', 'AuditLogRetentionPeriod', 'RetentionDays', 'RestrictGuestAccess'];
export const EVENT_LOGS = ['System', 'Security', 'Application'];

export const SERVICES = [
  'BenchTelemetry', 'BenchUpdater', 'PrintSpoolerProxy', 'RemoteRegistryBroker', 'FaxRelay', 'MediaShareHost',
  'XboxBridge', 'WebClientHelper', 'SsdpRelay', 'UpnpHostBroker', 'BluetoothGateway', 'MapsBroker',
];

export const CATEGORY_ROOTS = [
  'Windows Components', 'System', 'Network', 'Control Panel', 'Start Menu and Taskbar', 'Desktop', 'Printers',
  'Contoso Suite', 'Browser', 'Office Apps',
];

export const AREAS = [
  'Remote Desktop Services', 'Windows Update', 'Windows Installer', 'Credentials Delegation', 'Power Management',
  'Logon', 'Event Log Service', 'File Explorer', 'Windows Defender', 'AutoPlay Policies', 'BitLocker', 'Device Guard',
  'Internet Communication Management', 'Search', 'Cloud Content', 'App Privacy', 'Windows Error Reporting',
  'Kerberos', 'Net Logon', 'Group Policy', 'Lanman Workstation', 'DNS Client', 'Printing', 'Session Time Limits',
  'Device Redirection', 'Security', 'Connections', 'Removable Storage Access', 'Sync your settings', 'Location and Sensors',
];

export const VERBS = ['Turn off', 'Turn on', 'Allow', 'Do not allow', 'Require', 'Configure', 'Prevent', 'Enable', 'Set', 'Specify', 'Restrict', 'Hide', 'Limit'];

export const OBJECTS = [
  'automatic updates', 'the sample catalog', 'remote assistance', 'clipboard redirection', 'drive redirection',
  'the lock screen camera', 'password reveal button', 'background refresh', 'Windows Ink workspace', 'telemetry uploads',
  'solicited remote help', 'fast startup', 'sleep states', 'printer redirection', 'smart card redirection',
  'session time limits', 'the consumer experience', 'auto-connect to hotspots', 'the Store application',
  'script execution', 'legacy protocols', 'cached credentials', 'network discovery', 'the news feed', 'handwriting sharing',
];

export const QUALIFIERS = [
  '', '', '', ' for all users', ' on battery', ' when plugged in', ' for new sessions', ' over metered connections',
  ' (deprecated)', ' for administrators', ' in the background', ' on domain networks', ' at logon',
];

export const SUPPORTED = [
  'At least Windows Vista', 'At least Windows 7', 'At least Windows Server 2012, Windows 8 or Windows RT',
  'At least Windows 10', 'Windows 10 or later', 'At least Windows Server 2016', 'Not supported on any platform',
];

export const FILLER_EXTENSIONS = [
  ['PublicKey', 'Public Key', 'PublicKeySettings'],
  ['WindowsFirewall', 'Windows Firewall', 'WindowsFirewallSettings'],
  ['SoftwareRestriction', 'Software Restriction', 'SoftwareRestrictionSettings'],
  ['Scripts', 'Scripts', 'Scripts'],
  ['FolderRedirection', 'Folder Redirection', 'FolderRedirectionSettings'],
  ['Lugs', 'Local Users and Groups', 'LocalUsersAndGroups'],
  ['AppLocker', 'AppLocker', 'AppLockerSettings'],
  ['InternetExplorerZoneMappings', 'Internet Explorer Zonemapping', 'IEZoneMappings'],
];

// Prose for Explain texts and padding: built from these words once, then cut into pieces. A few entities so
// that decoding them is part of the work, as it is in real reports.
const PROSE = (
  'This policy setting lets you decide whether the feature is available to users and how it behaves when a ' +
  'session starts. If you enable this policy setting, the computer applies the value you choose and users cannot ' +
  'change it in Settings. If you disable or do not configure this policy setting, the default behavior applies and ' +
  'users can change it. Note: this setting is ignored on editions that do not include the component, and a restart ' +
  'may be required before it takes effect. See the &quot;Reference&quot; section for values &amp; examples. When both ' +
  'the computer and the user setting are configured, the computer setting takes precedence over the user setting. ' +
  'Administrators should test the change on a pilot group first, because some applications expect the older ' +
  'behavior and may stop responding &lt;without warning&gt; until they are updated by their vendor.'
).split(' ');

export function buildProsePool(rng, chars) {
  const words = [];
  let length = 0;
  while (length < chars) {
    const w = rng.pick(PROSE);
    words.push(w);
    length += w.length + 1;
  }
  return words.join(' ');
}
