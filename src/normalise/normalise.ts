import type { GpoSettings, NormalisedUnit, UnitRead } from '../model/unit.js';
import type { PolicyCatalog } from '../admx/catalog.js';
import type { GpoInfo } from '../model/gpo.js';
import { gpoKey, guidKey } from '../model/keys.js';
import { resolveNamesWithinInput } from '../model/principals.js';
import type { AdminTemplateSetting, GpoRef, Principal, RegistrySetting, Setting } from '../model/settings.js';

/**
 * The normalise stage: give every setting its GPO's full identity (a Registry.pol knows only its folder,
 * the report beside it knows the name), map administrative-template policies to the registry values they
 * write, and annotate registry values with the policy that writes them.
 */
export function normaliseUnit(read: UnitRead, catalog: PolicyCatalog): NormalisedUnit {
  const infos = mergeGpoInfos(read.results.flatMap((r) => r.gpos));
  const byId = new Map<string, GpoInfo>();
  for (const info of infos) if (info.ref.id) byId.set(guidKey(info.ref.id), info);
  const unitGpo = read.unit.kind === 'file' ? undefined : (infos[0]?.ref ?? read.unit.gpo);

  const groups = new Map<string, GpoSettings>();
  const groupFor = (ref: GpoRef): GpoSettings => {
    const key = gpoKey(ref);
    let g = groups.get(key);
    if (!g) {
      const info = ref.id ? byId.get(guidKey(ref.id)) : undefined;
      g = { gpo: ref, ...(info ? { info } : {}), settings: [] };
      groups.set(key, g);
    }
    return g;
  };
  // GPOs described by metadata but holding no settings are still listed: an empty GPO is worth seeing.
  for (const info of infos) groupFor(info.ref);

  const completed = new Map<GpoRef, GpoRef>();
  resolveNamesWithinInput(read.results.flatMap((r) => r.settings.flatMap(principalsOf)));
  for (const result of read.results) {
    for (const setting of result.settings) {
      // Settings of one file share one GpoRef object, so each distinct ref is completed once, not per setting.
      let gpo = completed.get(setting.provenance.gpo);
      if (!gpo) {
        gpo = completeRef(setting.provenance.gpo, byId, unitGpo);
        completed.set(setting.provenance.gpo, gpo);
      }
      setting.provenance.gpo = gpo;
      if (setting.kind === 'admin-template') mapAdminTemplate(setting, catalog);
      else if (setting.kind === 'registry' && !setting.policy) annotatePolicy(setting, catalog);
      groupFor(gpo).settings.push(setting);
    }
  }
  return { display: read.unit.display, gpos: [...groups.values()], problems: read.problems, outcomes: read.outcomes };
}

function principalsOf(s: Setting): Principal[] {
  if (s.kind === 'privilege-right') return s.principals;
  if (s.kind === 'group-membership') return [s.group, ...(s.members ?? []), ...(s.memberOf ?? [])];
  return [];
}

function completeRef(ref: GpoRef, byId: Map<string, GpoInfo>, unitGpo: GpoRef | undefined): GpoRef {
  const known = ref.id ? byId.get(guidKey(ref.id))?.ref : undefined;
  if (known) return { ...known, ...ref, ...(known.name && !ref.name ? { name: known.name } : {}) };
  if (!ref.id && unitGpo) return { ...unitGpo, ...ref };
  return ref;
}

/** Several files can describe one GPO (Backup.xml, bkupInfo.xml, gpreport.xml): one entry per GPO. */
function mergeGpoInfos(list: GpoInfo[]): GpoInfo[] {
  const out: GpoInfo[] = [];
  const byKey = new Map<string, GpoInfo>();
  for (const info of list) {
    const key = info.ref.id !== undefined ? guidKey(info.ref.id) : info.rsop ? `rsop:${info.ref.name}` : undefined;
    const existing = key ? byKey.get(key) : undefined;
    if (!existing) {
      const copy: GpoInfo = {
        ...info,
        ref: { ...info.ref },
        links: [...info.links],
        sources: [...info.sources],
        ...(info.rsop ? { rsop: { ...info.rsop } } : {}),
        ...(info.versions ? { versions: mergeVersions(undefined, info.versions) } : {}),
      };
      out.push(copy);
      if (key) byKey.set(key, copy);
      continue;
    }
    existing.ref = { ...existing.ref, ...info.ref, ...(existing.ref.name && !info.ref.name ? { name: existing.ref.name } : {}) };
    if (info.rsop) existing.rsop = { ...existing.rsop, ...info.rsop };
    existing.sources.push(...info.sources);
    if (existing.links.length === 0) existing.links = [...info.links];
    existing.computerEnabled ??= info.computerEnabled;
    existing.userEnabled ??= info.userEnabled;
    existing.backupId ??= info.backupId;
    existing.wmiFilter ??= info.wmiFilter;
    existing.filterDataAvailable ??= info.filterDataAvailable;
    existing.permissions ??= info.permissions;
    if (info.versions) existing.versions = mergeVersions(existing.versions, info.versions);
    existing.versionsLine ??= info.versionsLine;
    if (info.unreadExtensions) existing.unreadExtensions = [...new Set([...(existing.unreadExtensions ?? []), ...info.unreadExtensions])];
  }
  return out;
}

/** A report gives both halves of each side's version, GPT.INI the SYSVOL one: each value from the first file that has it. */
function mergeVersions(a: GpoInfo['versions'], b: NonNullable<GpoInfo['versions']>): GpoInfo['versions'] {
  const out = { ...a };
  for (const side of ['computer', 'user'] as const) if (b[side]) out[side] = { ...b[side], ...a?.[side] };
  return out;
}

function mapAdminTemplate(setting: AdminTemplateSetting, catalog: PolicyCatalog): void {
  const def = catalog.findByDisplayName(setting.scope, setting.displayName, setting.category);
  if (!def) {
    setting.unmappedReason = 'no ADMX definition loaded for this policy name (load the PolicyDefinitions folder with --admx, and --lang for a non-English report)';
    return;
  }
  setting.policyId = def.id;
  const { values, unresolved } = def.registryValues(setting.state, setting.elements);
  setting.registry = values.map(
    (v): RegistrySetting => ({
      kind: 'registry',
      hive: v.hive,
      key: v.key,
      valueName: v.valueName,
      operation: v.op === 'set' ? { op: 'set', data: v.data } : { op: 'delete' },
      policy: { id: def.id, displayName: setting.displayName, state: setting.state },
      provenance: setting.provenance,
    }),
  );
  if (unresolved.length > 0) setting.unmappedReason = `some values could not be derived: ${unresolved.join('; ')}`;
}

function annotatePolicy(setting: RegistrySetting, catalog: PolicyCatalog): void {
  if (!setting.valueName) return;
  const def = catalog.findByRegistryValue(setting.hive, setting.key, setting.valueName);
  if (!def) return;
  setting.policy = { id: def.id, displayName: def.displayName, state: setting.operation.op === 'delete' ? 'disabled' : 'enabled' };
}
