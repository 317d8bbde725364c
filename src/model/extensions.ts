// What the client-side extensions of a GPO report or RSoP that gpaudit does NOT read could write, so that a rule
// whose setting such an extension can set is reported "not evaluated" for that GPO instead of passing silently.
//
// Keyed by the namespace of the extension's xsi:type, never by its <Name> (localised). An extension whose namespace
// is not in this table could write anything: every rule is not evaluated for its GPO.
//
// Extensions gpaudit reads (gp-xml.ts: Security, Registry = administrative templates, Auditing, Windows/Registry =
// GPP Registry, PowerOptions = GPP Power Options) are not listed here.
//
// | namespace (…/GroupPolicy/Settings/…) | report name (en)         | can write what rules read                                      |
// |--------------------------------------|--------------------------|----------------------------------------------------------------|
// | Lugs                                 | Local Users and Groups   | group members (adds to Remote Desktop Users…); account policies (renames / disables Administrator and Guest) |
// | Services                             | Services                 | registry under SYSTEM\CurrentControlSet\Services only          |
// | Environment                          | Environment Variables    | registry under …\Session Manager\Environment and HKCU\Environment only |
// | DataSources                          | Data Sources             | registry under Software\ODBC only                              |
// | FolderOptions                        | Folder Options           | registry under …\CurrentVersion\Explorer and Software\Classes only |
// | StartMenu                            | Start Menu               | registry under …\CurrentVersion\Explorer only                  |
// | ControlPanel/Internet                | Internet Settings        | registry under Internet Explorer / Internet Settings keys only |
// | Files, Folders, IniFiles, Shortcuts, DriveMaps, Printers, NetworkShares, Devices | (same) | nothing: files, drives, shares, printers and device state are not settings any rule reads |
// | ScheduledTasks, Scripts, SoftwareInstallation | (same)          | nothing declared: they run programs, whose effects no static audit can see (documented, not guessed) |
// | FolderRedirection                    | Folder Redirection       | nothing                                                        |
// | WindowsFirewall                      | Windows Firewall         | registry under Software\Policies\Microsoft\WindowsFirewall only |
// | PublicKey                            | Public Key Policies      | registry under …\SystemCertificates and …\Cryptography policy keys only |
// | nrpt                                 | Name Resolution Policy   | registry under …\DNSClient\DnsPolicyConfig only               |
// | eqos                                 | Policy-based QoS         | registry under Software\Policies\Microsoft\Windows\QoS only    |
// | SRPV2                                | AppLocker                | registry under Software\Policies\Microsoft\Windows\SrpV2 only  |
//
// "Registry under K only" is matched on the rule's key (any hive, without case): a rule reading a value below K is
// not evaluated, any other registry rule is. None of these writes user rights, restricted groups or power plans.

import type { Hive } from './settings.js';
import { canonicalKey } from './keys.js';

const GP = 'http://www.microsoft.com/GroupPolicy/Settings';

/** A setting a rule reads, as far as deciding whether an unread extension could write it needs to know. */
export type RuleTarget =
  | { kind: 'registry'; hive: Hive; key: string }
  | { kind: 'right' | 'groupMembers' | 'accountPolicy' | 'powerPlan' };

interface Reach {
  /** Kinds other than registry values the extension can write. */
  kinds?: readonly Exclude<RuleTarget['kind'], 'registry'>[];
  /** Registry keys (any hive) below which it writes values; absent: it writes none a rule could read. */
  registryUnder?: readonly string[];
}

const NOTHING: Reach = {};
const CURRENT_VERSION = 'Software\\Microsoft\\Windows\\CurrentVersion';

export const EXTENSION_REACH: Readonly<Record<string, Reach>> = {
  // Group Policy Preferences
  [`${GP}/Lugs`]: { kinds: ['groupMembers', 'accountPolicy'] },
  [`${GP}/Services`]: { registryUnder: ['SYSTEM\\CurrentControlSet\\Services'] },
  [`${GP}/Environment`]: { registryUnder: ['SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment', 'Environment'] },
  [`${GP}/DataSources`]: { registryUnder: ['Software\\ODBC'] },
  [`${GP}/FolderOptions`]: { registryUnder: [`${CURRENT_VERSION}\\Explorer`, 'Software\\Classes'] },
  [`${GP}/StartMenu`]: { registryUnder: [`${CURRENT_VERSION}\\Explorer`] },
  [`${GP}/ControlPanel/Internet`]: { registryUnder: ['Software\\Microsoft\\Internet Explorer', `${CURRENT_VERSION}\\Internet Settings`] },
  [`${GP}/Files`]: NOTHING,
  [`${GP}/Folders`]: NOTHING,
  [`${GP}/IniFiles`]: NOTHING,
  [`${GP}/Shortcuts`]: NOTHING,
  [`${GP}/DriveMaps`]: NOTHING,
  [`${GP}/Printers`]: NOTHING,
  [`${GP}/NetworkShares`]: NOTHING,
  [`${GP}/Devices`]: NOTHING,
  [`${GP}/ScheduledTasks`]: NOTHING,
  // Policies
  [`${GP}/Scripts`]: NOTHING,
  [`${GP}/SoftwareInstallation`]: NOTHING,
  [`${GP}/FolderRedirection`]: NOTHING,
  [`${GP}/WindowsFirewall`]: { registryUnder: ['Software\\Policies\\Microsoft\\WindowsFirewall'] },
  [`${GP}/PublicKey`]: { registryUnder: ['Software\\Policies\\Microsoft\\SystemCertificates', 'Software\\Policies\\Microsoft\\Cryptography'] },
  [`${GP}/nrpt`]: { registryUnder: ['Software\\Policies\\Microsoft\\Windows NT\\DNSClient\\DnsPolicyConfig'] },
  [`${GP}/eqos`]: { registryUnder: ['Software\\Policies\\Microsoft\\Windows\\QoS'] },
  [`${GP}/SRPV2`]: { registryUnder: ['Software\\Policies\\Microsoft\\Windows\\SrpV2'] },
};

/**
 * The report extension a stand-alone Preferences file (by its root element) holds the items of, so a `Groups.xml`
 * found in a backup counts as the "Local Users and Groups" extension does inside a GPO report. A root not listed
 * names no namespace gpaudit knows: it could write anything.
 */
export const GPP_FILE_EXTENSIONS: Readonly<Record<string, { name: string; namespace: string }>> = {
  Groups: { name: 'Local Users and Groups', namespace: `${GP}/Lugs` },
  NTServices: { name: 'Services', namespace: `${GP}/Services` },
  EnvironmentVariables: { name: 'Environment Variables', namespace: `${GP}/Environment` },
  DataSources: { name: 'Data Sources', namespace: `${GP}/DataSources` },
  FolderOptions: { name: 'Folder Options', namespace: `${GP}/FolderOptions` },
  StartMenuTaskbar: { name: 'Start Menu', namespace: `${GP}/StartMenu` },
  InternetSettings: { name: 'Internet Settings', namespace: `${GP}/ControlPanel/Internet` },
  Files: { name: 'Files', namespace: `${GP}/Files` },
  Folders: { name: 'Folders', namespace: `${GP}/Folders` },
  IniFiles: { name: 'Ini Files', namespace: `${GP}/IniFiles` },
  Shortcuts: { name: 'Shortcuts', namespace: `${GP}/Shortcuts` },
  Drives: { name: 'Drive Maps', namespace: `${GP}/DriveMaps` },
  Printers: { name: 'Printers', namespace: `${GP}/Printers` },
  NetworkShareSettings: { name: 'Network Shares', namespace: `${GP}/NetworkShares` },
  Devices: { name: 'Devices', namespace: `${GP}/Devices` },
  ScheduledTasks: { name: 'Scheduled Tasks', namespace: `${GP}/ScheduledTasks` },
};

/** Could an extension gpaudit does not read, identified by its namespace, write this setting? Unknown ones: yes. */
export function extensionCanSet(namespace: string, target: RuleTarget): boolean {
  const reach = Object.hasOwn(EXTENSION_REACH, namespace) ? EXTENSION_REACH[namespace]! : undefined;
  if (!reach) return true;
  if (target.kind !== 'registry') return reach.kinds?.includes(target.kind) ?? false;
  const key = canonicalKey(target.key);
  return (reach.registryUnder ?? []).some((under) => {
    const prefix = canonicalKey(under);
    return key === prefix || key.startsWith(`${prefix}\\`);
  });
}
