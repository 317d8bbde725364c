// The resultant policy of one OU (`gpaudit policy --ou`, `gpaudit audit --ou`): where the links and containers come
// from (a live directory, LDIF exports, GPO reports), which GPOs reach the OU on each side (src/policy), their
// settings (GPO exports named on the command line, else their `{GUID}` folder under --sysvol), and which GPO wins
// each setting. Semantics and sources: docs/effective-policy.md.
import type { PolicyCatalog } from '../admx/catalog.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LdapConnection } from '../ldap/client.js';
import type { ConnectOptions } from '../ldap/connect-options.js';
import { readPolicyData } from '../ldap/policy-data.js';
import type { FindingLocation } from '../model/findings.js';
import type { GpoFact } from '../model/gpo-health.js';
import type { GpoInfo } from '../model/gpo.js';
import { splitVersion, type DirectoryPolicyData, type GpoSide, type GroupPolicyContainer, type ScopeOfManagement } from '../model/gpo-links.js';
import { guidKey, registryKey } from '../model/keys.js';
import type { Problem } from '../model/problems.js';
import type { Hive, Setting } from '../model/settings.js';
import type { FileOutcome, GpoSettings, InputPath, NormalisedUnit } from '../model/unit.js';
import { listSysvol, splitDirectoryExports, type LdifInput } from '../pipeline/directory-exports.js';
import { readEstate } from '../pipeline/read-estate.js';
import { estateOptions } from './estate-options.js';
import { containerPath, effectiveGpoList, type AppliedGpo, type EffectiveGpoList, type SecurityVerdict } from '../policy/effective.js';
import { policyDataFromReports } from '../policy/from-reports.js';
import { directoryHealthFacts, reportHealthFacts, type SysvolFolder } from '../policy/health.js';
import { loopbackUserList, type LoopbackGpo, type LoopbackMode } from '../policy/loopback.js';
import { resultantSettings, winningSettingsByGpo, type ResultantSetting } from '../policy/resultant.js';
import { securityVerdict } from '../policy/security-filter.js';
import type { Ace } from '../model/security-descriptor.js';

export interface PolicyRunOptions {
  /** The OU: a DN, or a canonical name (`corp.example.com/WorkSpaces`) when the data comes from GPO reports. */
  ou: string;
  /** The users' own OU, for loopback merge mode (and the user side without loopback). */
  userOu?: string;
  /** The site whose links count (a live directory only). */
  site?: string;
  /** A live directory to read the links, containers and ACLs from. */
  connect?: ConnectOptions;
  /** The folder holding the `{GUID}` folders. */
  sysvol?: string;
  /** GPO exports, LDIF exports, Backup-GPO folders: anything `audit` reads, plus LDIF. */
  paths: string[];
  catalog: PolicyCatalog;
  cwd: string;
  root: string;
  hive?: Hive;
  maxFileBytes?: number;
}

/** One side's GPO list, with the GPOs that arrived through loopback marked. */
export interface PolicySideResult extends EffectiveGpoList {
  applied: (AppliedGpo & { from?: LoopbackGpo['from'] })[];
}

export interface ResultantPolicy {
  ou: string;
  userOu?: string;
  sources: { directory?: { url: string; domain: string }; ldif?: string[]; reports?: string[]; sysvol?: string; site?: string };
  loopback?: { mode: LoopbackMode; gpo: { id: string; name?: string } };
  computer: PolicySideResult;
  user: PolicySideResult;
  /** gpresult's view: per side, each setting's winner and what it overrides. */
  settings: Record<GpoSide, Map<string, ResultantSetting>>;
  /** The rules' view: per applied GPO (best precedence first), the settings it wins on either side. */
  winners: { gpo: AppliedGpo & { side: GpoSide[] }; group: GpoSettings; display: string; outcomes: readonly FileOutcome[] }[];
  /** GPOs that reach the OU whose settings no input carried (no export, no --sysvol folder). */
  settingsNotRead: { id: string; name?: string }[];
  facts: GpoFact[];
  assumptions: string[];
  /** Every file outcome, including GPO files read that do not reach the OU. */
  outcomes: FileOutcome[];
  problems: Problem[];
  pathOf: (display: string) => InputPath | undefined;
}

/** Where `UserPolicyMode` lives ("Configure user Group Policy loopback processing mode"). */
const LOOPBACK_KEY = registryKey('HKLM', 'Software\\Policies\\Microsoft\\Windows\\System', 'UserPolicyMode');

interface LinkData {
  data: DirectoryPolicyData;
  security: (id: string, side: GpoSide) => SecurityVerdict | undefined;
  /** The DN of a container, for health findings. */
  dnOf: (gpc: GroupPolicyContainer) => string;
  server: string;
}

/**
 * read (directory or LDIF, GPO exports, --sysvol) → the GPO lists of both sides → the settings each applied GPO wins.
 * Never throws for bad input: what could not be read is a problem, what could not be decided an assumption.
 * A directory that cannot be reached or an OU that does not exist is an LdapScanError (the caller's exit 2).
 */
export async function readResultantPolicy(options: PolicyRunOptions): Promise<ResultantPolicy> {
  const problems: Problem[] = [];
  const assumptions: string[] = [];
  const sources: ResultantPolicy['sources'] = {};
  if (options.site) sources.site = options.site;

  // 1. Directory data named as files (LDIF) and the GPO exports.
  const split = splitDirectoryExports(options.paths, { cwd: options.cwd, ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}) });
  problems.push(...split.problems);
  const units = new Map<string, { group: GpoSettings; display: string; outcomes: readonly FileOutcome[] }>();
  const outcomes: FileOutcome[] = [];
  const infos: { info: GpoInfo; file: string }[] = [];
  const pathOfs: ((display: string) => InputPath | undefined)[] = [];
  const readUnits = (paths: string[]): void => {
    if (paths.length === 0) return;
    const estate = readEstate(paths, estateOptions(options), (unit) => keepUnit(unit));
    outcomes.push(...estate.outcomes);
    problems.push(...estate.problems);
    pathOfs.push(estate.pathOf);
  };
  const keepUnit = (unit: NormalisedUnit): void => {
    for (const group of unit.gpos) {
      if (group.info) for (const s of group.info.sources) if (s.format === 'gpo-report') infos.push({ info: group.info, file: s.file });
      if (!group.gpo.id) {
        if (group.settings.length > 0) {
          problems.push({ file: unit.display, code: 'skipped-entry', severity: 'warning', message: 'no GPO identity (GUID) in this input: its settings cannot be placed in the OU\'s policy and are not counted' });
        }
        continue;
      }
      const id = guidKey(group.gpo.id);
      const known = units.get(id);
      // The same GPO from two inputs (a report and its backup): one group with every setting.
      if (known) known.group = { ...known.group, settings: [...known.group.settings, ...group.settings] };
      else units.set(id, { group, display: unit.display, outcomes: unit.outcomes });
    }
  };
  readUnits(split.rest);

  // 2. Links and containers: the directory, else LDIF, else the reports' LinksTo.
  const links = await linkData(options, split.ldif, infos, sources, problems);
  const sysvol = options.sysvol !== undefined ? listSysvol(options.sysvol, options.cwd) : undefined;
  if (sysvol) {
    sources.sysvol = options.sysvol!;
    problems.push(...sysvol.problems);
  }
  checkTarget(options.ou, links.data, problems, assumptions);
  if (options.userOu) checkTarget(options.userOu, links.data, problems, assumptions);
  // A container on the OU's path whose links could not be read leaves its policy incomplete: an error. Elsewhere the
  // reader's own warning says enough.
  const paths = [options.ou, ...(options.userOu ? [options.userOu] : [])].map((t) => containerPath(t));
  for (const s of links.data.skipped) {
    const p = containerPath(s.dn);
    if (!paths.some((t) => p.length <= t.length && p.every((part, i) => part === t[i]))) continue;
    problems.push({ file: links.server || s.dn, code: 'skipped-entry', severity: 'error', message: `${s.dn} is on the path of the OU, and ${s.reason}: the GPOs it links are not known` });
  }

  const listFor = (target: string, side: GpoSide): EffectiveGpoList =>
    effectiveGpoList({
      target,
      soms: links.data.soms,
      gpcs: links.data.gpcs,
      side,
      security: (id) => links.security(id, side),
      // A directory read covers the OU's path only; LDIF exports and reports list every link.
      linksOffPathKnown: !options.connect,
      ...(sysvol && sysvol.folders.size > 0 ? { sysvolPresent: (id: string) => sysvol.folders.has(guidKey(id)) } : {}),
    });

  // 3. Settings of the GPOs that reach the OU: from the exports, else their SYSVOL folder (read only those).
  const ensureSettings = (applied: readonly AppliedGpo[]): void => {
    if (!sysvol) return;
    const missing = applied.map((g) => guidKey(g.id)).filter((id) => !units.has(id) && sysvol.folders.has(id));
    readUnits(missing.map((id) => sysvol.folders.get(id)!.display));
  };
  const settingsByGpo = (): Map<string, Setting[]> => new Map([...units].map(([id, u]) => [id, u.group.settings]));

  const computer: PolicySideResult = listFor(options.ou, 'computer');
  ensureSettings(computer.applied);
  const computerWins = winningSettingsByGpo(computer.applied, settingsByGpo(), 'computer');

  // 4. Loopback: the computer side's winning UserPolicyMode decides whose user-side GPOs reach users here.
  const loopback = findLoopback(computer.applied, computerWins);
  let user: PolicySideResult;
  if (loopback) {
    const ownList = listFor(options.ou, 'user');
    if (loopback.mode === 'merge' && !options.userOu) {
      assumptions.push(`loopback merge: the users' own OU is not known (give --user-ou): only the user side of ${options.ou} is counted`);
    }
    const usersOwn = loopback.mode === 'merge' && options.userOu ? listFor(options.userOu, 'user') : undefined;
    const applied = loopbackUserList(usersOwn?.applied ?? [], ownList.applied, loopback.mode);
    // A GPO that reaches the users through one list is not "not applied" because the other list lacks it.
    const reached = new Set(applied.map((g) => g.id));
    const notApplied = [...ownList.notApplied, ...(usersOwn?.notApplied.filter((n) => !ownList.notApplied.some((o) => o.id === n.id)) ?? [])];
    user = {
      applied,
      notApplied: notApplied.filter((n) => !reached.has(n.id)),
      assumptions: [...ownList.assumptions, ...(usersOwn?.assumptions ?? [])],
    };
  } else {
    user = listFor(options.userOu ?? options.ou, 'user');
  }
  ensureSettings(user.applied);
  const userWins = winningSettingsByGpo(user.applied, settingsByGpo(), 'user');
  assumptions.push(...new Set([...computer.assumptions, ...user.assumptions]));

  // 5. What reaches the OU, per GPO, for the rules; what wins per setting, for people.
  const all = settingsByGpo();
  const settings = {
    computer: resultantSettings(computer.applied, all, { side: 'computer' }),
    user: resultantSettings(user.applied, all, { side: 'user' }),
  };
  const winners: ResultantPolicy['winners'] = [];
  const settingsNotRead = new Map<string, { id: string; name?: string }>();
  for (const [side, list, wins] of [
    ['computer', computer.applied, computerWins],
    ['user', user.applied, userWins],
  ] as const) {
    for (const gpo of list) {
      const id = guidKey(gpo.id);
      const unit = units.get(id);
      if (!unit) {
        if (!settingsNotRead.has(id)) {
          settingsNotRead.set(id, { id, ...(gpo.name ? { name: gpo.name } : {}) });
          const folder = sysvol?.folders.get(id);
          // A folder that could not be read already has its own line (permissions, a vanished folder): not twice.
          if (folder && problems.some((p) => p.file === folder.display || p.file.startsWith(`${folder.display}/`))) continue;
          const how = folder ? `its folder ${folder.display} holds nothing gpaudit could read` : sysvol ? `its folder is not under --sysvol ${options.sysvol}` : 'give --sysvol or its export';
          problems.push({ file: gpo.name ? `GPO "${gpo.name}" ${id}` : `GPO ${id}`, code: 'io-error', severity: 'error', message: `reaches ${options.ou} (precedence ${gpo.precedence}, ${side} side) but no input holds its settings (${how}): they are not evaluated` });
        }
        continue;
      }
      // SYSVOL folders rarely name their GPO (GPT.INI's displayName is optional): the container's name stands in.
      const ref = unit.group.gpo.name === undefined && gpo.name !== undefined ? { ...unit.group.gpo, name: gpo.name } : unit.group.gpo;
      winners.push({ gpo: { ...gpo, side: [side] }, group: { ...unit.group, gpo: ref, settings: wins.get(id) ?? [] }, display: unit.display, outcomes: unit.outcomes });
    }
  }

  // 6. Health: directory against SYSVOL for the GPOs read, and every report's own two versions.
  const facts: GpoFact[] = [];
  if (links.data.gpcs.length > 0 && sysvol && sysvol.folders.size > 0 && (options.connect || split.ldif.length > 0)) {
    const folders = new Map<string, SysvolFolder>();
    const gpcIds = new Set(links.data.gpcs.map((g) => guidKey(g.id)));
    for (const [id, f] of sysvol.folders) {
      const read = gptIniOf(units.get(id)?.group);
      // A folder no container names was never read: its GPT.INI (when there is one) is still where a reviewer looks.
      const orphan = !gpcIds.has(id) && !read.gptIni ? gptIniIn(f.path, f.display) : undefined;
      folders.set(id, { id, display: f.display, ...read, ...(orphan ? { gptIni: orphan } : {}) });
    }
    facts.push(...directoryHealthFacts({ gpcs: links.data.gpcs, dnOf: links.dnOf, server: links.server, sysvol: folders }));
  }
  for (const { info, file } of infos) {
    const fact = reportHealthFacts(info, file);
    if (fact) facts.push(fact);
  }

  return {
    ou: options.ou,
    ...(options.userOu ? { userOu: options.userOu } : {}),
    sources,
    ...(loopback ? { loopback } : {}),
    computer,
    user,
    settings,
    winners: mergeSides(winners),
    settingsNotRead: [...settingsNotRead.values()],
    facts,
    assumptions,
    outcomes,
    problems,
    pathOf: (display) => {
      for (const p of pathOfs) {
        const found = p(display);
        if (found) return found;
      }
      return undefined;
    },
  };
}

async function linkData(
  options: PolicyRunOptions,
  ldif: LdifInput[],
  infos: { info: GpoInfo; file: string }[],
  sources: ResultantPolicy['sources'],
  problems: Problem[],
): Promise<LinkData> {
  const fromReports = policyDataFromReports(infos.map((i) => i.info));
  problems.push(...fromReports.problems.map((message): Problem => ({ file: infos[0]?.file ?? '(reports)', code: 'skipped-entry', severity: 'warning', message })));
  const reportSecurity = (id: string, side: GpoSide): SecurityVerdict | undefined => (side === 'user' ? fromReports.userSecurity : fromReports.security).get(guidKey(id));
  const gpcDn = (domainDn: string) => (gpc: GroupPolicyContainer) => `CN=${gpc.id},CN=Policies,CN=System,${domainDn}`;

  if (options.connect) {
    const connection = await LdapConnection.open(options.connect);
    try {
      const read = await readPolicyData(connection, { target: options.ou, aclsOnPathOnly: true, ...(options.site ? { site: options.site } : {}) });
      // The users' OU sits on another path: its containers' links, and the ACLs of the GPOs linked there, are read too.
      const users = options.userOu ? await readPolicyData(connection, { target: options.userOu, aclsOnPathOnly: true, ...(options.site ? { site: options.site } : {}) }) : undefined;
      const aclByGpo = new Map([...(users?.aclByGpo ?? []), ...read.aclByGpo]);
      const names = new Map([...(users?.names ?? []), ...read.names]);
      sources.directory = { url: connection.endpoint.url, domain: read.domainDn };
      problems.push(...[...read.problems, ...(users?.problems ?? [])].map((message): Problem => ({ file: connection.endpoint.url, code: 'skipped-entry', severity: 'warning', message })));
      const soms = users ? mergeSoms([...read.data.soms, ...users.data.soms]) : read.data.soms;
      const data = withReportGpcs({ ...read.data, soms }, fromReports.data.gpcs);
      return {
        data,
        security: (id, side) => {
          // `null` is a NULL DACL (everyone has every right): a verdict too. Only a DACL not read falls back.
          const acl = aclByGpo.get(guidKey(id));
          if (acl !== undefined) return securityVerdict(acl, side, read.domainSid, (sid) => names.get(sid));
          return reportSecurity(id, side);
        },
        dnOf: gpcDn(read.domainDn),
        server: connection.endpoint.url,
      };
    } finally {
      await connection.close();
    }
  }
  if (ldif.length > 0) {
    sources.ldif = ldif.map((l) => l.file);
    const merged: DirectoryPolicyData = { soms: mergeSoms(ldif.flatMap((l) => l.data.soms)), gpcs: ldif.flatMap((l) => l.data.gpcs), skipped: ldif.flatMap((l) => l.data.skipped) };
    const domain = merged.soms.find((s) => s.kind === 'domain')?.dn ?? '';
    // DACLs exported with the SD flags control decide as the directory's would; without the domain SID, Domain
    // Computers cannot be told from any other group, so only what the SIDs alone decide is used.
    const dacls = new Map(ldif.flatMap((l) => [...(l.security?.dacls ?? new Map<string, Ace[] | null>())]));
    const domainSid = ldif.map((l) => l.security?.domainSid).find((s) => s !== undefined) ?? domainSidFromDacls(dacls.values());
    return {
      data: withReportGpcs(merged, fromReports.data.gpcs),
      security: (id, side) => {
        const dacl = dacls.get(guidKey(id));
        if (dacl !== undefined && domainSid) return securityVerdict(dacl, side, domainSid);
        return reportSecurity(id, side);
      },
      dnOf: gpcDn(domain),
      server: ldif.map((l) => l.file).join(', '),
    };
  }
  if (infos.length > 0) sources.reports = [...new Set(infos.map((i) => i.file))];
  return { data: fromReports.data, security: reportSecurity, dnOf: (gpc) => gpc.id, server: '' };
}

/**
 * The domain's SID when the export left out the domain head's objectSid: every GPO's DACL grants Domain Admins
 * (<domain SID>-512) full control, so the prefix of that trustee is the domain's.
 */
function domainSidFromDacls(dacls: Iterable<Ace[] | null>): string | undefined {
  for (const dacl of dacls) {
    for (const ace of dacl ?? []) {
      const m = 'trustee' in ace ? /^(S-1-5-21-\d+-\d+-\d+)-512$/.exec(ace.trustee) : null;
      if (m) return m[1];
    }
  }
  return undefined;
}

/** Containers the directory (or LDIF) did not describe but a report did: kept, so a link to them is not `gpo-missing`. */
function withReportGpcs(data: DirectoryPolicyData, fromReports: GroupPolicyContainer[]): DirectoryPolicyData {
  const known = new Set(data.gpcs.map((g) => guidKey(g.id)));
  return { ...data, gpcs: [...data.gpcs, ...fromReports.filter((g) => !known.has(guidKey(g.id)))] };
}

/** The same container from two LDIF files: one, with the links of the first that has any. */
function mergeSoms(soms: ScopeOfManagement[]): ScopeOfManagement[] {
  const out = new Map<string, ScopeOfManagement>();
  for (const s of soms) {
    const key = `${s.kind}:${containerPath(s.dn).join('/')}`;
    const known = out.get(key);
    if (!known) out.set(key, s);
    else if (known.links.length === 0 && s.links.length > 0) out.set(key, { ...s, blockInheritance: s.blockInheritance ?? known.blockInheritance });
  }
  return [...out.values()];
}

/**
 * An OU the data does not know. From the directory, a missing OU already failed the read (noSuchObject); from LDIF,
 * an OU the export does not hold is an error (its links cannot be known); from reports, which only list containers
 * with links, it can only be said.
 */
function checkTarget(target: string, data: DirectoryPolicyData, problems: Problem[], assumptions: string[]): void {
  const path = containerPath(target).join('/');
  const known = data.soms.some((s) => containerPath(s.dn).join('/') === path);
  if (known) return;
  if (data.soms.some((s) => s.kind === 'domain') && data.gpcs.length > 0 && data.soms.some((s) => s.kind === 'ou')) {
    problems.push({ file: target, code: 'skipped-entry', severity: 'error', message: `the OU ${target} is not in the directory data given (check the DN, or export it too): its own links are not known` });
  } else {
    assumptions.push(`${target} itself has no links in the data given (GPO reports list only containers with links)`);
  }
}

function findLoopback(applied: readonly AppliedGpo[], wins: Map<string, Setting[]>): ResultantPolicy['loopback'] {
  for (const gpo of [...applied].sort((a, b) => a.precedence - b.precedence)) {
    for (const s of wins.get(guidKey(gpo.id)) ?? []) {
      const values = s.kind === 'registry' ? [s] : s.kind === 'admin-template' ? s.registry : [];
      for (const r of values) {
        if (registryKey(r.hive, r.key, r.valueName) !== LOOPBACK_KEY) continue;
        const op = r.operation;
        if (op.op !== 'set' && op.op !== 'set-if-absent') return undefined;
        const mode = Number(op.data.value);
        if (mode === 1 || mode === 2) return { mode: mode === 1 ? 'merge' : 'replace', gpo: { id: gpo.id, ...(gpo.name ? { name: gpo.name } : {}) } };
        return undefined;
      }
    }
  }
  return undefined;
}

/** A GPO that wins settings on both sides is one entry for the rules. */
function mergeSides(winners: ResultantPolicy['winners']): ResultantPolicy['winners'] {
  const out = new Map<string, ResultantPolicy['winners'][number]>();
  for (const w of winners) {
    const id = guidKey(w.gpo.id);
    const known = out.get(id);
    if (!known) out.set(id, w);
    else
      out.set(id, {
        ...known,
        // The better of the two precedences: a finding names the GPO once.
        gpo: { ...known.gpo, precedence: Math.min(known.gpo.precedence, w.gpo.precedence), side: [...known.gpo.side, ...w.gpo.side] },
        group: { ...known.group, settings: [...known.group.settings, ...w.group.settings] },
      });
  }
  return [...out.values()].sort((a, b) => a.gpo.precedence - b.gpo.precedence);
}

/** The GPT.INI of a folder that was not read, found without regard to case. */
function gptIniIn(path: string, display: string): FindingLocation | undefined {
  let name: string | undefined;
  try {
    name = readdirSync(path).find((n) => n.toLowerCase() === 'gpt.ini');
  } catch {
    return undefined;
  }
  return name ? { file: join(display, name), format: 'gpt-ini', position: { line: 1 }, setting: 'GPT.INI of a folder no groupPolicyContainer names' } : undefined;
}

/** GPT.INI's version and where it was read, from the unit of a SYSVOL folder. */
function gptIniOf(group: GpoSettings | undefined): Partial<Pick<SysvolFolder, 'version' | 'gptIni'>> {
  const info = group?.info;
  const source = info?.sources.find((s) => s.format === 'gpt-ini');
  const v = info?.versions;
  if (!info || !source || v?.computer?.sysvol === undefined || v.user?.sysvol === undefined) return {};
  const version = { computer: v.computer.sysvol, user: v.user.sysvol };
  const raw = (version.user << 16) + version.computer;
  const gptIni: FindingLocation = { file: source.file, format: 'gpt-ini', position: { line: info.versionsLine ?? 1 }, setting: `Version=${raw} (computer ${version.computer}, user ${version.user})` };
  return { version: splitVersion(raw), gptIni };
}
