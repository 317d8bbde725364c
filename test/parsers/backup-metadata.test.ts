// Backup-GPO metadata (bkupInfo.xml, manifest.xml, Backup.xml): which GPO a backup folder holds. Expected values are
// read off the small documents below, written in the shapes of samples/*/backups.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBackupMetadata } from '../../src/parsers/backup-metadata.js';

const MANIFEST_NS = 'http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest';
const BACKUP_NS = 'http://www.microsoft.com/GroupPolicy/GPOOperations';
const parse = (text: string, file = 'bkupInfo.xml') => parseBackupMetadata(Buffer.from(text, 'utf8'), { file });
const source = (file: string) => [{ file, format: 'backup-metadata' }];

const inst = (fields: Record<string, string>) =>
  `<BackupInst xmlns="${MANIFEST_NS}">${Object.entries(fields).map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`).join('')}</BackupInst>`;

describe('Backup-GPO metadata: bkupInfo.xml', () => {
  it('names the GPO (GUID, domain, display name) and the backup id, GUIDs in upper case with braces', () => {
    const r = parse(inst({
      GPOGuid: '9a1f0c3e-c010-4d2b-8e6f-7a8b9c0d1e2f', GPODomain: 'corp.example.test', ID: '{b0a7e5c1-0d5e-4b7b-9c4a-1f2e3d4c5c01}',
      GPODisplayName: 'Desktop Baseline',
    }));
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual([]);
    expect(r.gpos).toEqual([{
      ref: { id: '{9A1F0C3E-C010-4D2B-8E6F-7A8B9C0D1E2F}', domain: 'corp.example.test', name: 'Desktop Baseline' },
      links: [],
      sources: source('bkupInfo.xml'),
      backupId: '{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5C01}',
    }]);
  });

  it('leaves out fields that are missing or empty', () => {
    const r = parse(inst({ GPOGuid: '', GPODomain: '', GPODisplayName: '', ID: '' }));
    expect(r.problems).toEqual([]);
    expect(r.gpos).toEqual([{ ref: {}, links: [], sources: source('bkupInfo.xml') }]);
    expect(parse(inst({ GPODisplayName: 'Only a name' })).gpos).toEqual([{ ref: { name: 'Only a name' }, links: [], sources: source('bkupInfo.xml') }]);
  });

  it('reads the clean sample the way its files say', () => {
    const dir = 'samples/clean/backups/{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5C01}';
    const r = parseBackupMetadata(readFileSync(`${dir}/bkupInfo.xml`), { file: 'bkupInfo.xml' });
    expect(r.gpos).toEqual([{
      ref: { id: '{9A1F0C3E-C010-4D2B-8E6F-7A8B9C0D1E2F}', domain: 'corp.example.test', name: 'WorkSpaces - Desktop Baseline (clean)' },
      links: [], sources: source('bkupInfo.xml'), backupId: '{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5C01}',
    }]);
  });
});

describe('Backup-GPO metadata: manifest.xml', () => {
  it('names every backup it lists, in order', () => {
    const r = parse(`<Backups xmlns="${MANIFEST_NS}">${inst({ GPOGuid: '{11111111-1111-1111-1111-111111111111}', ID: '{AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA}', GPODisplayName: 'One' })}`
      + `${inst({ GPOGuid: '{22222222-2222-2222-2222-222222222222}', GPODomain: 'b.test', ID: '{BBBBBBBB-BBBB-BBBB-BBBB-BBBBBBBBBBBB}', GPODisplayName: 'Two' })}</Backups>`, 'manifest.xml');
    expect(r.problems).toEqual([]);
    expect(r.gpos).toEqual([
      { ref: { id: '{11111111-1111-1111-1111-111111111111}', name: 'One' }, links: [], sources: source('manifest.xml'), backupId: '{AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA}' },
      { ref: { id: '{22222222-2222-2222-2222-222222222222}', domain: 'b.test', name: 'Two' }, links: [], sources: source('manifest.xml'), backupId: '{BBBBBBBB-BBBB-BBBB-BBBB-BBBBBBBBBBBB}' },
    ]);
  });

  it('an empty manifest names no GPO and is no problem', () => {
    expect(parse(`<Backups xmlns="${MANIFEST_NS}"/>`)).toMatchObject({ gpos: [], problems: [] });
  });

  it('a BackupInst in another namespace is not one of the manifest\'s', () => {
    const r = parse(`<Backups xmlns="${MANIFEST_NS}"><BackupInst xmlns="urn:other"><GPODisplayName>X</GPODisplayName></BackupInst></Backups>`);
    expect(r.gpos).toEqual([]);
  });
});

describe('Backup-GPO metadata: Backup.xml', () => {
  const core = `<GroupPolicyCoreSettings><ID><![CDATA[{9a1f0c3e-c010-4d2b-8e6f-7a8b9c0d1e2f}]]></ID><Domain>corp.example.test</Domain>`
    + `<DisplayName> Desktop Baseline </DisplayName></GroupPolicyCoreSettings>`;

  it('names the GPO from GroupPolicyObject/GroupPolicyCoreSettings; a Backup.xml has no backup id', () => {
    const r = parse(`<GroupPolicyBackupScheme xmlns="${BACKUP_NS}"><GroupPolicyObject>${core}</GroupPolicyObject></GroupPolicyBackupScheme>`, 'Backup.xml');
    expect(r.problems).toEqual([]);
    expect(r.gpos).toEqual([{ ref: { id: '{9A1F0C3E-C010-4D2B-8E6F-7A8B9C0D1E2F}', domain: 'corp.example.test', name: 'Desktop Baseline' }, links: [], sources: source('Backup.xml') }]);
  });

  it('also finds GroupPolicyCoreSettings directly under the root', () => {
    const r = parse(`<GroupPolicyBackupScheme xmlns="${BACKUP_NS}">${core}</GroupPolicyBackupScheme>`, 'Backup.xml');
    expect(r.gpos.map((g) => g.ref)).toEqual([{ id: '{9A1F0C3E-C010-4D2B-8E6F-7A8B9C0D1E2F}', domain: 'corp.example.test', name: 'Desktop Baseline' }]);
  });

  it('without GroupPolicyCoreSettings it is an error at the root\'s line', () => {
    const r = parse(`<?xml version="1.0"?>\n<GroupPolicyBackupScheme xmlns="${BACKUP_NS}">\n<GroupPolicyObject/></GroupPolicyBackupScheme>`, 'Backup.xml');
    expect(r.gpos).toEqual([]);
    expect(r.problems).toEqual([{ file: 'Backup.xml', position: { line: 2 }, code: 'malformed', severity: 'error', message: 'Backup.xml has no GroupPolicyCoreSettings' }]);
  });

  it('a GroupPolicyCoreSettings in another namespace does not count', () => {
    const r = parse(`<GroupPolicyBackupScheme xmlns="${BACKUP_NS}"><GroupPolicyObject><GroupPolicyCoreSettings xmlns="urn:x"/></GroupPolicyObject></GroupPolicyBackupScheme>`, 'Backup.xml');
    expect(r.problems.map((p) => p.message)).toEqual(['Backup.xml has no GroupPolicyCoreSettings']);
  });
});

describe('Backup-GPO metadata: other XML', () => {
  it('another root is an error naming it, at its line', () => {
    const r = parse('<?xml version="1.0"?>\n\n<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings"/>', 'x.xml');
    expect(r.gpos).toEqual([]);
    expect(r.problems).toEqual([{ file: 'x.xml', position: { line: 3 }, code: 'malformed', severity: 'error', message: 'not Backup-GPO metadata: root <GPO>' }]);
  });

  it('the right root names in the wrong namespace are not Backup-GPO metadata', () => {
    for (const [root, ns] of [['BackupInst', BACKUP_NS], ['Backups', BACKUP_NS], ['GroupPolicyBackupScheme', MANIFEST_NS], ['BackupInst', '']] as const) {
      const r = parse(`<${root}${ns ? ` xmlns="${ns}"` : ''}/>`);
      expect(r.gpos, root).toEqual([]);
      expect(r.problems.map((p) => p.message), `${root} in "${ns}"`).toEqual([`not Backup-GPO metadata: root <${root}>`]);
    }
  });
});
