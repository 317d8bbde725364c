#!/usr/bin/env node
// Writes the Registry.pol samples under samples/{broken,clean}/registry-pol/{Machine,User}/Registry.pol.
// Usage: node scripts/make-pol-samples.mjs   (from the project root; needs only the typescript dev dependency)
//
// The encoder is test/helpers/pol-writer.ts, the one the tests use. Node 20 cannot import TypeScript, and tsx is
// not a dependency, so the file is transpiled with the project's own typescript and imported from memory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from '../lib/import-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const REG_SZ = 1;
const REG_DWORD = 4;
const REG_MULTI_SZ = 7;

const SYSTEM = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
const INSTALLER = 'Software\\Policies\\Microsoft\\Windows\\Installer';
const POWER = 'Software\\Policies\\Microsoft\\Power\\PowerSettings';
const SLEEP = `${POWER}\\29F6C1DB-86DA-48C5-9FDB-F2B67B1F44DA`; // STANDBYIDLE: system sleep timeout, seconds
const DISK = `${POWER}\\6738E2C4-E8A5-4A42-B16A-E040E769756E`; // DISKIDLE: turn off hard disk after, seconds
const STORAGE = 'Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices';
const EXPLORER = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer';
const POWER_SAVER = 'a1841308-3541-4fab-bc81-f71556f20b4a';
const HIGH_PERFORMANCE = '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c';

const dword = (key, valueName, data) => ({ key, valueName, type: REG_DWORD, data });
const sz = (key, valueName, data) => ({ key, valueName, type: REG_SZ, data });
// GPMC writes a single space as the data of a `**del.` record; the client ignores it.
const del = (key, valueName) => sz(key, `**del.${valueName}`, ' ');

const SAMPLES = {
  'broken/registry-pol/Machine/Registry.pol': [
    dword(SYSTEM, 'HideFastUserSwitching', 1),
    sz(SYSTEM, 'LegalNoticeCaption', 'Authorised use only'),
    sz(SYSTEM, 'LegalNoticeText', 'This system is for authorised users.'),
    dword(INSTALLER, 'DisableMSI', 2),
    sz(POWER, 'ActivePowerScheme', POWER_SAVER),
    dword(SLEEP, 'ACSettingIndex', 900),
    dword(DISK, 'ACSettingIndex', 600),
    dword(DISK, 'DCSettingIndex', 1200),
    dword(STORAGE, 'Deny_All', 1),
    del(INSTALLER, 'DisableUserInstalls'), // "Prohibit User Installs" set to Disabled
    { key: 'Software\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002', valueName: 'EccCurves', type: REG_MULTI_SZ, data: ['NistP384', 'NistP256'] },
  ],
  'broken/registry-pol/User/Registry.pol': [dword(EXPLORER, 'NoViewOnDrive', 12)],
  'clean/registry-pol/Machine/Registry.pol': [
    dword(SYSTEM, 'HideFastUserSwitching', 0),
    dword(INSTALLER, 'DisableMSI', 0),
    sz(POWER, 'ActivePowerScheme', HIGH_PERFORMANCE),
    dword(SLEEP, 'ACSettingIndex', 0),
    dword(DISK, 'ACSettingIndex', 0),
    dword(DISK, 'DCSettingIndex', 1200),
    del(STORAGE, 'Deny_All'),
  ],
  // 3 = drives A and B (bit 0 = A, bit 1 = B)
  'clean/registry-pol/User/Registry.pol': [dword(EXPLORER, 'NoViewOnDrive', 3)],

  // The Backup-GPO sample: these values are also what its gpreport.xml shows (scripts/samples/folders.py).
  'broken/backups/{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5B01}/DomainSysvol/GPO/Machine/registry.pol': [
    dword(SYSTEM, 'HideFastUserSwitching', 1),
    dword(INSTALLER, 'DisableMSI', 1),
    sz(POWER, 'ActivePowerScheme', POWER_SAVER),
    dword(SLEEP, 'ACSettingIndex', 1800),
  ],
  'clean/backups/{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5C01}/DomainSysvol/GPO/Machine/registry.pol': [
    dword(SYSTEM, 'HideFastUserSwitching', 0),
    dword(INSTALLER, 'DisableMSI', 0),
    sz(POWER, 'ActivePowerScheme', HIGH_PERFORMANCE),
    dword(SLEEP, 'ACSettingIndex', 0),
  ],
  // The SYSVOL sample: a Policies folder as copied from \\domain\SYSVOL, with Windows' mixed-case folder names.
  'broken/sysvol/Policies/{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}/MACHINE/Registry.pol': [
    dword(STORAGE, 'Deny_All', 1),
    sz('Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', 'LegalNoticeText', 'Unauthorised access is prohibited.'),
  ],
  'broken/sysvol/Policies/{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}/User/registry.pol': [dword(EXPLORER, 'NoViewOnDrive', 8)],
  'clean/sysvol/Policies/{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7C01}/MACHINE/Registry.pol': [del(STORAGE, 'Deny_All')],
  'clean/sysvol/Policies/{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7C01}/User/registry.pol': [dword(EXPLORER, 'NoViewOnDrive', 0)],
};

const { writeRegistryPol } = await importTs(join(root, 'test/helpers/pol-writer.ts'));
for (const [relative, entries] of Object.entries(SAMPLES)) {
  const target = join(root, 'samples', relative);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, writeRegistryPol(entries));
  console.log(`wrote samples/${relative} (${entries.length} records)`);
}
