// GPO health facts for the `gpo` matchers (model/gpo-health.ts): a GPO whose directory half (groupPolicyContainer)
// and SYSVOL half (GPT.INI) disagree on the version, and a GPO with one half missing. Windows compares the two
// versions before it applies a GPO; a mismatch means replication is behind or an edit was half made, and the client
// may skip the GPO or apply a stale half. docs/effective-policy.md "GPO health".
import type { FindingLocation } from '../model/findings.js';
import type { GpoFact } from '../model/gpo-health.js';
import type { GpoInfo } from '../model/gpo.js';
import type { GpoSide, GroupPolicyContainer } from '../model/gpo-links.js';
import { guidKey } from '../model/keys.js';

/** What the SYSVOL copy says about one GPO folder: its GPT.INI version (when read) and where. */
export interface SysvolFolder {
  /** `{UPPER-CASE-GUID}` from the folder name. */
  id: string;
  /** The folder as shown to the user. */
  display: string;
  /** GPT.INI `Version=` split by side; absent when GPT.INI was not read (not reaching the OU) or has none. */
  version?: Record<GpoSide, number>;
  /** The GPT.INI file, for the finding's location. */
  gptIni?: FindingLocation;
}

export interface DirectoryHealthInput {
  gpcs: readonly GroupPolicyContainer[];
  /** The DN of a GPC, for the finding (`CN={GUID},CN=Policies,CN=System,<domain>`). */
  dnOf: (gpc: GroupPolicyContainer) => string;
  /** The directory server or LDIF file the containers came from. */
  server: string;
  /** Absent without --sysvol: then nothing is said about folders. */
  sysvol?: ReadonlyMap<string, SysvolFolder>;
}

const versionText = (v: Record<GpoSide, number>): string => `${(v.user << 16) + v.computer} (computer ${v.computer}, user ${v.user})`;

/**
 * Directory against SYSVOL: one `versionMismatch` fact per GPO whose GPT.INI was read, one `sysvolMissing` fact per
 * container (true when its folder is absent) and per folder without a container (an orphan).
 */
export function directoryHealthFacts(input: DirectoryHealthInput): GpoFact[] {
  const facts: GpoFact[] = [];
  if (!input.sysvol) return facts;
  const gpcIds = new Set<string>();
  for (const gpc of input.gpcs) {
    const id = guidKey(gpc.id);
    gpcIds.add(id);
    const gpo = { id, ...(gpc.name ? { name: gpc.name } : {}) };
    const directoryObject = { dn: input.dnOf(gpc), server: input.server };
    const folder = input.sysvol.get(id);
    facts.push({
      gpo,
      fact: 'sysvolMissing',
      value: folder === undefined,
      detail: folder ? `SYSVOL folder ${folder.display}` : `the directory has the GPO, SYSVOL has no folder ${id}: clients cannot read its settings`,
      locations: [],
      directoryObject,
      subject: id,
    });
    if (folder?.version && gpc.version.computer !== undefined && gpc.version.user !== undefined) {
      const ad = gpc.version as Record<GpoSide, number>;
      const differs = ad.computer !== folder.version.computer || ad.user !== folder.version.user;
      facts.push({
        gpo,
        fact: 'versionMismatch',
        value: differs,
        detail: `directory versionNumber ${versionText(ad)}, GPT.INI Version ${versionText(folder.version)}`,
        locations: folder.gptIni ? [folder.gptIni] : [],
        directoryObject,
        subject: id,
      });
    }
  }
  for (const folder of input.sysvol.values()) {
    if (gpcIds.has(folder.id)) continue;
    facts.push({
      gpo: { id: folder.id },
      fact: 'sysvolMissing',
      value: true,
      detail: `SYSVOL folder ${folder.display} has no groupPolicyContainer in the directory (an orphan: left behind by a deleted GPO or a failed copy)`,
      locations: folder.gptIni ? [folder.gptIni] : [],
      subject: folder.id,
    });
  }
  return facts;
}

/** A GPO report's own two versions (`VersionDirectory` against `VersionSysvol`, per side), when it gives both. */
export function reportHealthFacts(info: GpoInfo, file: string): GpoFact | undefined {
  const v = info.versions;
  if (!v) return undefined;
  const sides = (['computer', 'user'] as const).filter((s) => v[s]?.directory !== undefined && v[s]?.sysvol !== undefined);
  if (sides.length === 0) return undefined;
  const differing = sides.filter((s) => v[s]!.directory !== v[s]!.sysvol);
  const text = sides.map((s) => `${s} ${v[s]!.directory} in the directory, ${v[s]!.sysvol} in SYSVOL`).join('; ');
  const id = info.ref.id !== undefined ? guidKey(info.ref.id) : undefined;
  return {
    gpo: info.ref,
    fact: 'versionMismatch',
    value: differing.length > 0,
    detail: `version ${text}`,
    locations: [{ file, format: 'gpo-report', position: { line: info.versionsLine ?? 1 }, setting: `GPO versions: ${text}` }],
    subject: id ?? info.ref.name ?? file,
  };
}
