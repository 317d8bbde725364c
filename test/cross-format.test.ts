import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { builtinCatalog } from '../src/admx/load.js';
import { readUnit } from '../src/pipeline/read-unit.js';
import { walkInputs } from '../src/pipeline/walk.js';
import { type InputUnit } from '../src/model/unit.js';
import { registryKey } from '../src/model/keys.js';
import type { Principal, RegistryData, Setting } from '../src/model/settings.js';
import { normaliseUnit } from '../src/normalise/normalise.js';
import { corpusFiles, describeCorpus, REALDATA } from './helpers/realdata.js';

// For every Backup-GPO folder in the corpus, the GPO report that GPMC wrote into it must say the same as the
// raw files beside it: GptTmpl.inf and registry.pol. Any disagreement is a bug in one of our parsers (or a
// fact about the formats we have not understood), so it fails the test with the list of differences.

type Source = 'report' | 'raw';

/** A comparable fingerprint of one setting: [key, value] pairs; value is a canonical string. */
function facts(s: Setting): [string, string][] {
  switch (s.kind) {
    case 'privilege-right':
      return [[`right:${s.right.toLowerCase()}`, principalSet(s.principals)]];
    case 'account-policy':
      return [[`account:${s.section}:${s.name.toLowerCase()}`, typeof s.value === 'boolean' ? String(Number(s.value)) : String(s.value)]];
    case 'registry':
      if (s.operation.op !== 'set') return [[registryKey(s.hive, s.key, s.valueName), s.operation.op]];
      return [[registryKey(s.hive, s.key, s.valueName), canonicalData(s.operation.data)]];
    case 'admin-template':
      return s.registry.flatMap(facts);
    case 'group-membership':
      return [[`group:${principalKey(s.group)}`, `${principalSet(s.members ?? [])} / ${principalSet(s.memberOf ?? [])}`]];
    default:
      return [];
  }
}

function principalKey(p: Principal): string {
  return p.sid ?? (p.rid !== undefined ? `rid-${p.rid}` : (p.name ?? '?').toLowerCase());
}
const principalSet = (ps: Principal[]) => [...new Set(ps.map(principalKey))].sort().join(',');

function canonicalData(d: RegistryData): string {
  // secedit writes the few REG_BINARY security options (FullPrivilegeAuditing=3,0) as a bare number, and the
  // report shows them as SettingNumber: both carry the same number.
  if (d.type === 'REG_BINARY' && /^\d+$/.test(d.value)) return `num:${Number(d.value)}`;
  if (d.type === 'REG_MULTI_SZ') return JSON.stringify(d.value);
  if (d.type === 'REG_EXPAND_SZ' || d.type === 'REG_SZ') return `sz:${d.value}`;
  return `${typeof d.value === 'number' ? 'num' : d.type}:${d.value}`;
}

function backupUnits(): InputUnit[] {
  const dirs = [...new Set(corpusFiles((p) => p.endsWith('bkupInfo.xml')).map(dirname))];
  const units: InputUnit[] = [];
  for (const dir of dirs) {
    for (const item of walkInputs([dir], { cwd: REALDATA })) if ('unit' in item) units.push(item.unit);
  }
  return units;
}

describeCorpus('cross-format agreement in real Backup-GPO folders', () => {
  it('gpreport.xml agrees with GptTmpl.inf and registry.pol in every backup', () => {
    const units = backupUnits();
    expect(units.length).toBe(75);
    const disagreements: string[] = [];
    let compared = 0;
    let uncomparable = 0;
    for (const unit of units) {
      const norm = normaliseUnit(readUnit(unit), builtinCatalog());
      expect(norm.problems.filter((p) => p.severity === 'error'), unit.display).toEqual([]);
      const bySource: Record<Source, Map<string, string>> = { report: new Map(), raw: new Map() };
      let hasReportSide = false;
      for (const g of norm.gpos) {
        for (const s of g.settings) {
          const source: Source = s.provenance.format === 'gpo-report' ? 'report' : 'raw';
          if (source === 'report') hasReportSide = true;
          // The report's "Windows Registry" preference extension is read, so Registry.xml beside it is compared too.
          if (s.provenance.format !== 'gpo-report' && s.provenance.format !== 'security-template' && s.provenance.format !== 'registry-pol' && s.provenance.format !== 'gpp-registry') continue;
          for (const [k, v] of facts(s)) bySource[source].set(k, v);
        }
      }
      if (!hasReportSide) continue;
      // The report shows an admin-template policy only where a known ADMX names it; a raw value whose
      // key the report shows as neither an extra registry setting nor a mapped policy cannot be compared.
      for (const [k, raw] of bySource.raw) {
        const rep = bySource.report.get(k);
        if (rep === undefined) {
          if (k.startsWith('registry:')) {
            uncomparable++;
            continue;
          }
          disagreements.push(`${unit.display}: ${k} is in the raw files (${raw}) but not in gpreport.xml`);
        } else if (rep !== raw) {
          disagreements.push(`${unit.display}: ${k}: report says ${rep}, raw files say ${raw}`);
        } else compared++;
      }
      for (const [k, rep] of bySource.report) {
        if (!bySource.raw.has(k)) disagreements.push(`${unit.display}: ${k} is in gpreport.xml (${rep}) but not in the raw files`);
      }
    }
    expect(disagreements).toEqual([]);
    console.info(`cross-format: ${compared} settings agree; ${uncomparable} raw registry values belong to policies the built-in ADMX catalogue does not name`);
    expect(compared).toBeGreaterThan(1000);
  });
});
