// Which GPO wins each setting (src/policy/resultant.ts): the GPO with the best precedence in the list of
// effective.ts ([MS-GPOL]: later-applied GPOs overwrite earlier ones). Expectations come from the set-up.
import { describe, expect, it } from 'vitest';
import type { GpoLinkEntry, GroupPolicyContainer, ScopeOfManagement } from '../../src/model/gpo-links.js';
import { parseGpLink } from '../../src/model/gpo-links.js';
import { registryKey } from '../../src/model/keys.js';
import type { Setting } from '../../src/model/settings.js';
import { effectiveGpoList } from '../../src/policy/effective.js';
import { resultantSettings } from '../../src/policy/resultant.js';

const DOMAIN = 'DC=corp,DC=example,DC=test';
const POOL = `OU=Pool,OU=WorkSpaces,${DOMAIN}`;
const id = (n: number): string => `{00000000-0000-0000-0000-00000000000${n}}`;
const dn = (n: number): string => `cn=${id(n)},cn=policies,cn=system,${DOMAIN}`;
const links = (...l: [number, number][]): GpoLinkEntry[] => parseGpLink(l.map(([n, o]) => `[LDAP://${dn(n)};${o}]`).join('')).links;
const gpc = (n: number): GroupPolicyContainer => ({ id: id(n), name: `GPO-${n}`, flags: 0, version: { computer: 1, user: 1 } });

const KEY = 'Software\\Policies\\Microsoft\\Windows\\Installer';
function dword(n: number, value: number, hive: 'HKLM' | 'HKCU' = 'HKLM', valueName = 'DisableMSI'): Setting {
  return {
    kind: 'registry',
    hive,
    key: KEY,
    valueName,
    operation: { op: 'set', data: { type: 'REG_DWORD', value } },
    provenance: { gpo: { id: id(n), name: `GPO-${n}` }, file: 'registry.pol', format: 'registry-pol', position: { byteOffset: 8 } },
  };
}
const MSI = registryKey('HKLM', KEY, 'DisableMSI');

function applied(soms: ScopeOfManagement[], n: number[]) {
  return effectiveGpoList({ target: POOL, soms, gpcs: n.map(gpc), side: 'computer', security: () => 'applies' }).applied;
}

describe('resultantSettings', () => {
  it('an enforced domain GPO wins over the OU GPO setting the same value differently', () => {
    const list = applied([{ kind: 'domain', dn: DOMAIN, links: links([1, 2]) }, { kind: 'ou', dn: POOL, links: links([2, 0]) }], [1, 2]);
    const r = resultantSettings(list, new Map([[id(1), [dword(1, 2)]], [id(2), [dword(2, 0)]]]));
    const s = r.get(MSI)!;
    expect(s.winner.gpoId).toBe(id(1));
    expect(s.winner.setting).toEqual(dword(1, 2));
    expect(s.overridden.map((o) => o.gpoId)).toEqual([id(2)]);
    expect(s.orderUnknown).toBe(false);
  });

  it('within one OU, link order 1 wins; keys that only one GPO sets have no losers', () => {
    const list = applied([{ kind: 'domain', dn: DOMAIN, links: [] }, { kind: 'ou', dn: POOL, links: links([1, 0], [2, 0]) }], [1, 2]);
    const r = resultantSettings(list, new Map([[id(1), [dword(1, 1), dword(1, 1, 'HKLM', 'Other')]], [id(2), [dword(2, 2)]]]));
    expect(r.get(MSI)!.winner.gpoId).toBe(id(2));
    expect(r.get(registryKey('HKLM', KEY, 'Other'))!.overridden).toEqual([]);
  });

  it('ignores settings of GPOs not applied and, with a side, settings of the other side', () => {
    const list = applied([{ kind: 'domain', dn: DOMAIN, links: [] }, { kind: 'ou', dn: POOL, links: links([1, 0], [2, 1]) }], [1, 2]);
    const r = resultantSettings(list, new Map([[id(1), [dword(1, 1), dword(1, 1, 'HKCU')]], [id(2), [dword(2, 2)]]]), { side: 'computer' });
    expect([...r.keys()]).toEqual([MSI]);
    expect(r.get(MSI)!.overridden).toEqual([]);
  });

  it('unknown link order between winner and a loser with another value gives orderUnknown; the same value does not', () => {
    const noOrder = (n: number): GpoLinkEntry => ({ gpoId: id(n), gpoDn: dn(n), disabled: false, enforced: false });
    const soms: ScopeOfManagement[] = [
      { kind: 'domain', dn: DOMAIN, links: links([3, 0]) },
      { kind: 'ou', dn: POOL, links: [noOrder(1), noOrder(2)] },
    ];
    const list = applied(soms, [1, 2, 3]);
    expect(list.filter((a) => !a.orderKnown).map((a) => a.id).sort()).toEqual([id(1), id(2)]);
    const differ = resultantSettings(list, new Map([[id(1), [dword(1, 1)]], [id(2), [dword(2, 2)]], [id(3), [dword(3, 3)]]]));
    expect(differ.get(MSI)!.orderUnknown).toBe(true);
    expect(differ.get(MSI)!.overridden.map((o) => o.gpoId)).toContain(id(3));
    const same = resultantSettings(list, new Map([[id(1), [dword(1, 1)]], [id(2), [dword(2, 1)]], [id(3), [dword(3, 3)]]]));
    // GPO-1 and GPO-2 agree; the domain GPO is below both whatever their order.
    expect(same.get(MSI)!.orderUnknown).toBe(false);
  });

  it('keys audit settings by subcategory, not all under one key', () => {
    const audit = (n: number, name: string, success: boolean): Setting => ({
      kind: 'audit',
      name,
      success,
      failure: false,
      provenance: { gpo: { id: id(n) }, file: 'audit.csv', format: 'security-template', position: { line: 1 } },
    });
    const list = applied([{ kind: 'domain', dn: DOMAIN, links: [] }, { kind: 'ou', dn: POOL, links: links([1, 0], [2, 0]) }], [1, 2]);
    const r = resultantSettings(list, new Map([[id(1), [audit(1, 'AuditLogonEvents', true)]], [id(2), [audit(2, 'AuditPolicyChange', true)]]]));
    expect(r.size).toBe(2);
  });
});
