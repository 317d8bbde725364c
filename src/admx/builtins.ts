import type {
  AdmlDocument,
  AdmxEnumElement,
  AdmxPolicy,
  AdmxValue,
  PresentationControl,
} from './types.js';
import type { PolicySource } from './resolve.js';

// Built-in definitions for the policies the WorkSpaces rules look at, written in the shape the ADMX/ADML
// parsers produce so the same resolver and mapping serve both. The facts (names, keys, value names, numbers,
// en-US display strings and labels) were read from Windows' own templates: Logon, MSI and Power from the
// copies in the real-data corpus (a test checks these against the parsed files), windows.admx, WindowsExplorer
// and RemovableStorage from a public central store and Microsoft's ADMX-backed policy documentation.
// de-DE names are left out: no source reliable enough was found.

const LANGUAGE = 'en-US';

const str = (stringId: string) => ({ stringId });
const dword = (value: number): AdmxValue => ({ kind: 'decimal', value });
const sz = (value: string): AdmxValue => ({ kind: 'string', value });

function adml(stem: string, strings: Record<string, string>, presentations: Record<string, PresentationControl[]> = {}): AdmlDocument {
  return { file: `builtin:${LANGUAGE}/${stem}.adml`, language: LANGUAGE, strings, presentations };
}

/** A policy whose registry value is the on/off switch itself (no elements). */
function switchPolicy(name: string, cls: AdmxPolicy['class'], key: string, valueName: string, parentCategory: string, enabled: number, disabled: number, displayName = name): AdmxPolicy {
  return {
    name,
    class: cls,
    displayName: str(displayName),
    key,
    valueName,
    parentCategory,
    enabledValue: dword(enabled),
    disabledValue: dword(disabled),
    elements: [],
  };
}

/** A policy with one element, shown through a presentation of the same name as the policy. */
function elementPolicy(name: string, displayName: string, key: string, parentCategory: string, element: AdmxPolicy['elements'][number]): AdmxPolicy {
  return { name, class: 'Machine', displayName: str(displayName), presentation: name, key, parentCategory, elements: [element] };
}

function seconds(id: string, valueName: 'ACSettingIndex' | 'DCSettingIndex') {
  return { type: 'decimal' as const, id, valueName, storeAsText: false };
}

// ---------------------------------------------------------------------------------------------
// windows.admx: the base categories other files hang theirs from.

const WINDOWS: PolicySource = {
  admx: {
    file: 'builtin:windows.admx',
    stem: 'windows',
    namespace: 'Microsoft.Policies.Windows',
    prefixes: { windows: 'Microsoft.Policies.Windows' },
    categories: [
      { name: 'System', displayName: str('System') },
      { name: 'WindowsComponents', displayName: str('WindowsComponents') },
      { name: 'WindowsExplorer', displayName: str('WindowsExplorer'), parentCategory: 'WindowsComponents' },
    ],
    policies: [],
  },
  adml: [adml('windows', { System: 'System', WindowsComponents: 'Windows Components', WindowsExplorer: 'File Explorer' })],
};

// ---------------------------------------------------------------------------------------------
// Logon.admx

const SYSTEM_POLICIES = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';

const LOGON: PolicySource = {
  admx: {
    file: 'builtin:Logon.admx',
    stem: 'Logon',
    namespace: 'Microsoft.Policies.WindowsLogon',
    prefixes: { logon: 'Microsoft.Policies.WindowsLogon', windows: 'Microsoft.Policies.Windows' },
    categories: [{ name: 'Logon', displayName: str('Logon'), parentCategory: 'windows:System' }],
    policies: [switchPolicy('HideFastUserSwitching', 'Machine', SYSTEM_POLICIES, 'HideFastUserSwitching', 'Logon', 1, 0)],
  },
  adml: [adml('Logon', { Logon: 'Logon', HideFastUserSwitching: 'Hide entry points for Fast User Switching' })],
};

// ---------------------------------------------------------------------------------------------
// MSI.admx

const INSTALLER = 'Software\\Policies\\Microsoft\\Windows\\Installer';

const DISABLE_MSI: AdmxEnumElement = {
  type: 'enum',
  id: 'DisableMSI',
  valueName: 'DisableMSI',
  items: [
    { displayName: str('DisableAlways'), value: dword(2) },
    { displayName: str('DisableNonManaged'), value: dword(1) },
    { displayName: str('DisableNever'), value: dword(0) },
  ],
};

const DISABLE_USER_INSTALLS: AdmxEnumElement = {
  type: 'enum',
  id: 'MSI_DisableUserInstallsBox',
  valueName: 'DisableUserInstalls',
  items: [
    { displayName: str('MSI_AllowUser'), value: dword(0) },
    { displayName: str('MSI_HideUser'), value: dword(1) },
  ],
};

const MSI: PolicySource = {
  admx: {
    file: 'builtin:MSI.admx',
    stem: 'MSI',
    namespace: 'Microsoft.Policies.MSI',
    prefixes: { msi: 'Microsoft.Policies.MSI', windows: 'Microsoft.Policies.Windows', products: 'Microsoft.Policies.Products' },
    categories: [{ name: 'MSI', displayName: str('MSI'), parentCategory: 'windows:WindowsComponents' }],
    policies: [
      elementPolicy('DisableMSI', 'DisableMSI', INSTALLER, 'MSI', DISABLE_MSI),
      elementPolicy('MSI_DisableUserInstalls', 'MSI_DisableUserInstalls', INSTALLER, 'MSI', DISABLE_USER_INSTALLS),
    ],
  },
  adml: [
    adml(
      'MSI',
      {
        MSI: 'Windows Installer',
        DisableMSI: 'Turn off Windows Installer',
        DisableAlways: 'Always',
        DisableNonManaged: 'For non-managed applications only',
        DisableNever: 'Never',
        MSI_DisableUserInstalls: 'Prohibit User Installs',
        MSI_AllowUser: 'Allow User Installs',
        MSI_HideUser: 'Hide User Installs',
      },
      {
        DisableMSI: [{ kind: 'dropdownList', refId: 'DisableMSI', label: 'Disable Windows Installer' }],
        MSI_DisableUserInstalls: [{ kind: 'dropdownList', refId: 'MSI_DisableUserInstallsBox', label: 'User Install Behavior:' }],
      },
    ),
  ],
};

// ---------------------------------------------------------------------------------------------
// Power.admx

const POWER_SETTINGS = 'Software\\Policies\\Microsoft\\Power\\PowerSettings';
/** Power setting GUIDs: STANDBYIDLE, HIBERNATEIDLE, DISKIDLE, UNATTENDSLEEP. */
const STANDBY_IDLE = `${POWER_SETTINGS}\\29F6C1DB-86DA-48C5-9FDB-F2B67B1F44DA`;
const HIBERNATE_IDLE = `${POWER_SETTINGS}\\9D7815A6-7EE4-497E-8888-515A05F02364`;
const DISK_IDLE = `${POWER_SETTINGS}\\6738E2C4-E8A5-4A42-B16A-E040E769756E`;
const UNATTENDED_SLEEP = `${POWER_SETTINGS}\\7bc4a2f9-d8fc-4469-b07b-33eb785aaca0`;

/** In-box power plan GUIDs, as InboxActiveSchemeOverride writes them. */
export const POWER_PLANS = {
  balanced: '381b4222-f694-41f0-9685-ff5bb260df2e',
  powerSaver: 'a1841308-3541-4fab-bc81-f71556f20b4a',
  highPerformance: '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c',
} as const;

const POWER_CATEGORY = 'PowerManagementCat';
const SLEEP_CATEGORY = 'PowerSleepSettingsCat';
const DISK_CATEGORY = 'PowerHardDiskSettingsCat';

function timeoutPolicy(name: string, displayName: string, key: string, parentCategory: string, elementId: string, valueName: 'ACSettingIndex' | 'DCSettingIndex', presentation = name): AdmxPolicy {
  return { ...elementPolicy(name, displayName, key, parentCategory, seconds(elementId, valueName)), presentation };
}

const POWER: PolicySource = {
  admx: {
    file: 'builtin:Power.admx',
    stem: 'Power',
    namespace: 'Microsoft.Policies.PowerManagement',
    prefixes: { power: 'Microsoft.Policies.PowerManagement', windows: 'Microsoft.Policies.Windows' },
    categories: [
      { name: POWER_CATEGORY, displayName: str(POWER_CATEGORY), parentCategory: 'windows:System' },
      { name: DISK_CATEGORY, displayName: str(DISK_CATEGORY), parentCategory: POWER_CATEGORY },
      { name: SLEEP_CATEGORY, displayName: str(SLEEP_CATEGORY), parentCategory: POWER_CATEGORY },
    ],
    policies: [
      elementPolicy('InboxActiveSchemeOverride_2', 'InboxActiveSchemeOverride', POWER_SETTINGS, POWER_CATEGORY, {
        type: 'enum',
        id: 'InboxActiveSchemeOverrideEnter',
        valueName: 'ActivePowerScheme',
        items: [
          { displayName: str('Power_Plan_GUID_Typical_Savings'), value: sz(POWER_PLANS.balanced) },
          { displayName: str('Power_Plan_GUID_Max_Power_Savings'), value: sz(POWER_PLANS.powerSaver) },
          { displayName: str('Power_Plan_GUID_Min_Power_Savings'), value: sz(POWER_PLANS.highPerformance) },
        ],
      }),
      elementPolicy('CustomActiveSchemeOverride_2', 'CustomActiveSchemeOverride', POWER_SETTINGS, POWER_CATEGORY, {
        type: 'text',
        id: 'CustomActiveSchemeOverrideEnter',
        valueName: 'ActivePowerScheme',
        expandable: false,
      }),
      timeoutPolicy('ACStandbyTimeOut_2', 'ACStandbyTimeOut', STANDBY_IDLE, SLEEP_CATEGORY, 'EnterACStandbyTimeOut', 'ACSettingIndex'),
      timeoutPolicy('DCStandbyTimeOut_2', 'DCStandbyTimeOut', STANDBY_IDLE, SLEEP_CATEGORY, 'EnterDCStandbyTimeOut', 'DCSettingIndex'),
      timeoutPolicy('ACHibernateTimeOut_2', 'ACHibernateTimeOut', HIBERNATE_IDLE, SLEEP_CATEGORY, 'EnterACHibernateTimeOut', 'ACSettingIndex'),
      timeoutPolicy('DCHibernateTimeOut_2', 'DCHibernateTimeOut', HIBERNATE_IDLE, SLEEP_CATEGORY, 'EnterDCHibernateTimeOut', 'DCSettingIndex'),
      timeoutPolicy('UnattendedSleepTimeOutAC', 'UnattendedSleepTimeOutAC', UNATTENDED_SLEEP, SLEEP_CATEGORY, 'EnterUnattendedSleepTimeOut', 'ACSettingIndex', 'UnattendedSleepTimeOut'),
      timeoutPolicy('UnattendedSleepTimeOutDC', 'UnattendedSleepTimeOutDC', UNATTENDED_SLEEP, SLEEP_CATEGORY, 'EnterUnattendedSleepTimeOut', 'DCSettingIndex', 'UnattendedSleepTimeOut'),
      timeoutPolicy('DiskACPowerDownTimeOut_2', 'DiskACPowerDownTimeOut', DISK_IDLE, DISK_CATEGORY, 'EnterDiskACPowerDownTimeOut', 'ACSettingIndex'),
      timeoutPolicy('DiskDCPowerDownTimeOut_2', 'DiskDCPowerDownTimeOut', DISK_IDLE, DISK_CATEGORY, 'EnterDiskDCPowerDownTimeOut', 'DCSettingIndex'),
    ],
  },
  adml: [
    adml(
      'Power',
      {
        PowerManagementCat: 'Power Management',
        PowerSleepSettingsCat: 'Sleep Settings',
        PowerHardDiskSettingsCat: 'Hard Disk Settings',
        InboxActiveSchemeOverride: 'Select an active power plan',
        Power_Plan_GUID_Typical_Savings: 'Automatic (recommended)',
        Power_Plan_GUID_Max_Power_Savings: 'Power Saver',
        Power_Plan_GUID_Min_Power_Savings: 'High Performance',
        CustomActiveSchemeOverride: 'Specify a custom active power plan',
        ACStandbyTimeOut: 'Specify the system sleep timeout (plugged in)',
        DCStandbyTimeOut: 'Specify the system sleep timeout (on battery)',
        ACHibernateTimeOut: 'Specify the system hibernate timeout (plugged in)',
        DCHibernateTimeOut: 'Specify the system hibernate timeout (on battery)',
        UnattendedSleepTimeOutAC: 'Specify the unattended sleep timeout (plugged in)',
        UnattendedSleepTimeOutDC: 'Specify the unattended sleep timeout (on battery)',
        DiskACPowerDownTimeOut: 'Turn Off the hard disk (plugged in)',
        DiskDCPowerDownTimeOut: 'Turn Off the hard disk (on battery)',
      },
      {
        InboxActiveSchemeOverride_2: [{ kind: 'dropdownList', refId: 'InboxActiveSchemeOverrideEnter', label: 'Active Power Plan:' }],
        CustomActiveSchemeOverride_2: [{ kind: 'textBox', refId: 'CustomActiveSchemeOverrideEnter', label: 'Custom Active Power Plan (GUID):' }],
        ACStandbyTimeOut_2: [{ kind: 'decimalTextBox', refId: 'EnterACStandbyTimeOut', label: 'System Sleep Timeout (seconds):' }],
        DCStandbyTimeOut_2: [{ kind: 'decimalTextBox', refId: 'EnterDCStandbyTimeOut', label: 'System Sleep Timeout (seconds):' }],
        ACHibernateTimeOut_2: [{ kind: 'decimalTextBox', refId: 'EnterACHibernateTimeOut', label: 'System Hibernate Timeout (seconds):' }],
        DCHibernateTimeOut_2: [{ kind: 'decimalTextBox', refId: 'EnterDCHibernateTimeOut', label: 'System Hibernate Timeout (seconds):' }],
        UnattendedSleepTimeOut: [{ kind: 'decimalTextBox', refId: 'EnterUnattendedSleepTimeOut', label: 'Unattended Sleep Timeout (seconds):' }],
        DiskACPowerDownTimeOut_2: [{ kind: 'decimalTextBox', refId: 'EnterDiskACPowerDownTimeOut', label: 'Turn Off the Hard Disk (seconds):' }],
        DiskDCPowerDownTimeOut_2: [{ kind: 'decimalTextBox', refId: 'EnterDiskDCPowerDownTimeOut', label: 'Turn Off the Hard Disk (seconds):' }],
      },
    ),
  ],
};

// ---------------------------------------------------------------------------------------------
// RemovableStorage.admx. Policy names, key, value name, display name and category are Microsoft's
// (ADMX_RemovableStorage CSP documentation); the file's own category and string ids are not, nor
// verified: they only link this built-in together.

const REMOVABLE_STORAGE = 'Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices';
const RSA_CATEGORY = 'RemovableStorageAccess';

const REMOVABLE: PolicySource = {
  admx: {
    file: 'builtin:RemovableStorage.admx',
    stem: 'RemovableStorage',
    namespace: 'Microsoft.Policies.RemovableStorageAccess',
    prefixes: { removablestorageaccess: 'Microsoft.Policies.RemovableStorageAccess', windows: 'Microsoft.Policies.Windows' },
    categories: [{ name: RSA_CATEGORY, displayName: str(RSA_CATEGORY), parentCategory: 'windows:System' }],
    policies: [
      switchPolicy('RemovableStorageClasses_DenyAll_Access_1', 'User', REMOVABLE_STORAGE, 'Deny_All', RSA_CATEGORY, 1, 0, 'RemovableStorageClasses_DenyAll_Access'),
      switchPolicy('RemovableStorageClasses_DenyAll_Access_2', 'Machine', REMOVABLE_STORAGE, 'Deny_All', RSA_CATEGORY, 1, 0, 'RemovableStorageClasses_DenyAll_Access'),
    ],
  },
  adml: [
    adml('RemovableStorage', {
      [RSA_CATEGORY]: 'Removable Storage Access',
      RemovableStorageClasses_DenyAll_Access: 'All Removable Storage classes: Deny all access',
    }),
  ],
};

// ---------------------------------------------------------------------------------------------
// WindowsExplorer.admx

const EXPLORER_POLICIES = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer';

/** NoViewOnDrive / NoDrives masks: bit 0 = A, bit 1 = B, ... bit 25 = Z. */
export const DRIVE_MASKS = { AB: 3, C: 4, D: 8, ABC: 7, ABCD: 15, all: 67108863, none: 0 } as const;

const WINDOWS_EXPLORER: PolicySource = {
  admx: {
    file: 'builtin:WindowsExplorer.admx',
    stem: 'WindowsExplorer',
    namespace: 'Microsoft.Policies.WindowsExplorer',
    prefixes: {
      windowsexplorer: 'Microsoft.Policies.WindowsExplorer',
      windows: 'Microsoft.Policies.Windows',
      inetres: 'Microsoft.Policies.InternetExplorer',
    },
    categories: [],
    policies: [
      {
        name: 'NoViewOnDrive',
        class: 'User',
        displayName: str('NoViewOnDrive'),
        presentation: 'NoViewOnDrive',
        key: EXPLORER_POLICIES,
        parentCategory: 'windows:WindowsExplorer',
        elements: [
          {
            type: 'enum',
            id: 'NoDrivesDropdown',
            valueName: 'NoViewOnDrive',
            items: [
              { displayName: str('ABOnly'), value: dword(DRIVE_MASKS.AB) },
              { displayName: str('COnly'), value: dword(DRIVE_MASKS.C) },
              { displayName: str('DOnly'), value: dword(DRIVE_MASKS.D) },
              { displayName: str('ABConly'), value: dword(DRIVE_MASKS.ABC) },
              { displayName: str('ABCDOnly'), value: dword(DRIVE_MASKS.ABCD) },
              { displayName: str('ALLDrives'), value: dword(DRIVE_MASKS.all) },
              { displayName: str('RestNoDrives'), value: dword(DRIVE_MASKS.none) },
            ],
          },
        ],
      },
    ],
  },
  adml: [
    adml(
      'WindowsExplorer',
      {
        NoViewOnDrive: 'Prevent access to drives from My Computer',
        ABOnly: 'Restrict A and B drives only',
        COnly: 'Restrict C drive only',
        DOnly: 'Restrict D drive only',
        ABConly: 'Restrict A, B and C drives only',
        ABCDOnly: 'Restrict A, B, C and D drives only',
        ALLDrives: 'Restrict all drives',
        RestNoDrives: 'Do not restrict drives',
      },
      { NoViewOnDrive: [{ kind: 'dropdownList', refId: 'NoDrivesDropdown', label: 'Pick one of the following combinations' }] },
    ),
  ],
};

/** Every built-in source. windows.admx comes last: it only supplies categories. */
export const BUILTIN_SOURCES: readonly PolicySource[] = [LOGON, MSI, POWER, REMOVABLE, WINDOWS_EXPLORER, WINDOWS];

