import type { Principal } from './settings.js';

/** Well-known SIDs that policies grant rights to. Names are the English ones Windows shows. */
const WELL_KNOWN_SIDS: Readonly<Record<string, string>> = {
  'S-1-0-0': 'Nobody',
  'S-1-1-0': 'Everyone',
  'S-1-3-0': 'Creator Owner',
  'S-1-3-1': 'Creator Group',
  'S-1-5-1': 'Dialup',
  'S-1-5-2': 'Network',
  'S-1-5-3': 'Batch',
  'S-1-5-4': 'Interactive',
  'S-1-5-6': 'Service',
  'S-1-5-7': 'Anonymous Logon',
  'S-1-5-9': 'Enterprise Domain Controllers',
  'S-1-5-10': 'Self',
  'S-1-5-11': 'Authenticated Users',
  'S-1-5-13': 'Terminal Server User',
  'S-1-5-14': 'Remote Interactive Logon',
  'S-1-5-17': 'IUSR',
  'S-1-5-18': 'SYSTEM',
  'S-1-5-19': 'Local Service',
  'S-1-5-20': 'Network Service',
  'S-1-5-113': 'Local account',
  'S-1-5-114': 'Local account and member of Administrators group',
  'S-1-5-32-544': 'BUILTIN\\Administrators',
  'S-1-5-32-545': 'BUILTIN\\Users',
  'S-1-5-32-546': 'BUILTIN\\Guests',
  'S-1-5-32-547': 'BUILTIN\\Power Users',
  'S-1-5-32-548': 'BUILTIN\\Account Operators',
  'S-1-5-32-549': 'BUILTIN\\Server Operators',
  'S-1-5-32-550': 'BUILTIN\\Print Operators',
  'S-1-5-32-551': 'BUILTIN\\Backup Operators',
  'S-1-5-32-552': 'BUILTIN\\Replicator',
  'S-1-5-32-554': 'BUILTIN\\Pre-Windows 2000 Compatible Access',
  'S-1-5-32-555': 'BUILTIN\\Remote Desktop Users',
  'S-1-5-32-558': 'BUILTIN\\Performance Monitor Users',
  'S-1-5-32-559': 'BUILTIN\\Performance Log Users',
  'S-1-5-32-562': 'BUILTIN\\Distributed COM Users',
  'S-1-5-32-568': 'BUILTIN\\IIS_IUSRS',
  'S-1-5-32-573': 'BUILTIN\\Event Log Readers',
  'S-1-5-32-578': 'BUILTIN\\Hyper-V Administrators',
  'S-1-5-32-580': 'BUILTIN\\Remote Management Users',
  'S-1-5-80-0': 'All Services',
  'S-1-5-83-0': 'NT VIRTUAL MACHINE\\Virtual Machines',
  'S-1-5-90-0': 'Window Manager\\Window Manager Group',
  'S-1-15-2-1': 'All Application Packages',
};

/** Domain-relative RIDs (S-1-5-21-<domain>-RID). */
const DOMAIN_RIDS: Readonly<Record<number, string>> = {
  500: 'Administrator',
  501: 'Guest',
  502: 'krbtgt',
  512: 'Domain Admins',
  513: 'Domain Users',
  514: 'Domain Guests',
  515: 'Domain Computers',
  516: 'Domain Controllers',
  517: 'Cert Publishers',
  518: 'Schema Admins',
  519: 'Enterprise Admins',
  520: 'Group Policy Creator Owners',
  521: 'Read-only Domain Controllers',
  525: 'Protected Users',
  526: 'Key Admins',
  527: 'Enterprise Key Admins',
  553: 'RAS and IAS Servers',
};

type NameTarget = { sid: string } | { rid: number };

/**
 * Names of well-known principals in common Windows display languages (en, de, fr, es, nl, it, pt), lower-cased
 * and without any `DOMAIN\` or `BUILTIN\` prefix. Only names that are unambiguous across languages are listed.
 */
const NAME_TABLE: ReadonlyArray<[NameTarget, string[]]> = [
  [{ sid: 'S-1-1-0' }, ['everyone', 'jeder', 'tout le monde', 'todos', 'iedereen', 'tutti']],
  [{ sid: 'S-1-5-11' }, ['authenticated users', 'authentifizierte benutzer', 'utilisateurs authentifiés', 'usuarios autentificados', 'geverifieerde gebruikers', 'utenti autenticati', 'usuários autenticados']],
  [{ sid: 'S-1-5-7' }, ['anonymous logon', 'anonymous-anmeldung', 'ouverture de session anonyme', 'inicio de sesión anónimo', 'anoniem aanmelden', 'accesso anonimo']],
  [{ sid: 'S-1-5-2' }, ['network', 'netzwerk', 'réseau', 'red', 'netwerk', 'rete']],
  [{ sid: 'S-1-5-4' }, ['interactive', 'interaktiv', 'interactif', 'interactivo', 'interactief', 'interattivo']],
  [{ sid: 'S-1-5-6' }, ['service', 'dienst', 'servicio', 'servizio']],
  [{ sid: 'S-1-5-9' }, ['enterprise domain controllers', 'domänencontroller der organisation', "contrôleurs de domaine d'entreprise"]],
  [{ sid: 'S-1-5-18' }, ['system', 'local system', 'nt authority\\system']],
  [{ sid: 'S-1-5-19' }, ['local service', 'lokaler dienst', 'service local', 'servicio local']],
  [{ sid: 'S-1-5-20' }, ['network service', 'netzwerkdienst', 'service réseau', 'servicio de red']],
  [{ sid: 'S-1-5-113' }, ['local account', 'lokales konto', 'compte local', 'cuenta local']],
  [{ sid: 'S-1-5-114' }, ['local account and member of administrators group']],
  [{ sid: 'S-1-5-32-544' }, ['administrators', 'administratoren', 'administrateurs', 'administradores', 'administratori']],
  [{ sid: 'S-1-5-32-545' }, ['users', 'benutzer', 'utilisateurs', 'usuarios', 'gebruikers', 'utenti', 'usuários']],
  [{ sid: 'S-1-5-32-546' }, ['guests', 'gäste', 'invités', 'invitados', 'gasten', 'guest', 'convidados']],
  [{ sid: 'S-1-5-32-547' }, ['power users', 'hauptbenutzer', 'utilisateurs avec pouvoir', 'usuarios avanzados']],
  [{ sid: 'S-1-5-32-548' }, ['account operators', 'konten-operatoren', 'opérateurs de compte', 'opers. de cuentas']],
  [{ sid: 'S-1-5-32-549' }, ['server operators', 'server-operatoren', 'opérateurs de serveur', 'operadores de servidores']],
  [{ sid: 'S-1-5-32-550' }, ['print operators', 'druck-operatoren', "opérateurs d'impression", 'operadores de impresión']],
  [{ sid: 'S-1-5-32-551' }, ['backup operators', 'sicherungs-operatoren', 'opérateurs de sauvegarde', 'operadores de copia de seguridad']],
  [{ sid: 'S-1-5-32-554' }, ['pre-windows 2000 compatible access', 'prä-windows 2000 kompatibler zugriff']],
  [{ sid: 'S-1-5-32-555' }, ['remote desktop users', 'remotedesktopbenutzer', 'utilisateurs du bureau à distance', 'usuarios de escritorio remoto', 'gebruikers van extern bureaublad']],
  [{ sid: 'S-1-5-32-580' }, ['remote management users', 'remoteverwaltungsbenutzer']],
  [{ rid: 512 }, ['domain admins', 'domänen-admins', 'admins du domaine', 'admins. del dominio', 'domeinadministrators']],
  [{ rid: 513 }, ['domain users', 'domänen-benutzer', 'utilisateurs du domaine', 'usuarios del dominio', 'domeingebruikers', 'utenti del dominio']],
  [{ rid: 514 }, ['domain guests', 'domänen-gäste', 'invités du domaine', 'invitados del dominio']],
  [{ rid: 515 }, ['domain computers', 'domänencomputer', 'ordinateurs du domaine', 'equipos del dominio', 'domeincomputers', 'computer del dominio']],
  [{ rid: 516 }, ['domain controllers', 'domänencontroller', 'contrôleurs de domaine', 'controladores de dominio', 'domeincontrollers']],
  [{ rid: 519 }, ['enterprise admins', 'organisations-admins', 'administrateurs de l’entreprise', "administrateurs de l'entreprise"]],
  // Local accounts that secedit writes by name (`SeDenyNetworkLogonRight = Guest`); their SID is machine-relative.
  [{ rid: 501 }, ['gast', 'invité', 'invitado']],
];

const BY_NAME = new Map<string, NameTarget>();
for (const [target, names] of NAME_TABLE) for (const n of names) BY_NAME.set(n, target);
// The plain English account name `Guest` is the local Guest account (RID 501) in templates, not BUILTIN\Guests.
BY_NAME.set('guest', { rid: 501 });

const SID_RE = /^S-1-\d+(?:-\d+)+$/i;

export function isSid(text: string): boolean {
  return SID_RE.test(text);
}

/** RID of a domain- or machine-relative SID (S-1-5-21-a-b-c-RID), else undefined. */
function domainRid(sid: string): number | undefined {
  const m = /^S-1-5-21-\d+-\d+-\d+-(\d+)$/i.exec(sid);
  return m ? Number(m[1]) : undefined;
}

/**
 * Build a principal from whatever the input gives: a SID, a name, or both (`*S-1-5-32-544` in templates,
 * `<SID>`/`<Name>` in reports). The SID wins; a name alone resolves only through the well-known table.
 */
export function principal(input: { sid?: string; name?: string }): Principal {
  const rawSid = input.sid?.trim().replace(/^\*/, '');
  const name = input.name?.trim() || undefined;
  if (rawSid && isSid(rawSid)) {
    const sid = rawSid.toUpperCase();
    const rid = domainRid(sid);
    return { sid, ...(rid !== undefined ? { rid } : {}), name: name ?? wellKnownName(sid), resolution: 'input-sid' };
  }
  const candidate = name ?? rawSid;
  if (!candidate) return { resolution: 'unresolved' };
  const bare = candidate.toLowerCase().replace(/^(?:builtin|nt authority|vordefiniert|nt-autorität|autorite nt)\\/, '');
  const target = BY_NAME.get(bare) ?? BY_NAME.get(bare.replace(/^[^\\]+\\/, ''));
  if (target && 'sid' in target) return { sid: target.sid, name: candidate, resolution: 'well-known-name' };
  if (target) return { rid: target.rid, name: candidate, resolution: 'well-known-name' };
  return { name: candidate, resolution: 'unresolved' };
}

/**
 * Resolve names through the SIDs the same input pairs them with: a template lists `CORP\svc-app` while the report
 * beside it gives `<SID>` and `<Name>` for it. Only a name the input pairs with exactly one SID counts. Normalise
 * calls this once per unit, over every principal its settings name; the principals are completed in place.
 */
export function resolveNamesWithinInput(principals: readonly Principal[]): void {
  const seen = new Map<string, string | null>();
  for (const p of principals) {
    if (p.resolution !== 'input-sid' || !p.sid || !p.name) continue;
    const key = p.name.toLowerCase();
    const prev = seen.get(key);
    seen.set(key, prev === undefined || prev === p.sid ? p.sid : null);
  }
  for (const p of principals) {
    if (p.sid || !p.name) continue;
    const sid = seen.get(p.name.toLowerCase());
    if (!sid) continue;
    p.sid = sid;
    const rid = domainRid(sid);
    if (rid !== undefined) p.rid = rid;
    p.resolution = 'input-name-match';
  }
}

function wellKnownName(sid: string): string | undefined {
  const known = WELL_KNOWN_SIDS[sid];
  if (known) return known;
  const rid = domainRid(sid);
  return rid === undefined ? undefined : DOMAIN_RIDS[rid];
}

/** Display form: `BUILTIN\Users (S-1-5-32-545)`, `CONTOSO\Domain Users (RID 513, domain SID unknown)`, or the bare name. */
export function describePrincipal(p: Principal): string {
  const name = p.name ?? (p.sid ? wellKnownName(p.sid) : undefined) ?? (p.rid !== undefined ? DOMAIN_RIDS[p.rid] : undefined);
  if (p.sid) return name ? `${name} (${p.sid})` : p.sid;
  if (p.rid !== undefined) return `${name ?? 'unknown'} (RID ${p.rid}, domain SID unknown)`;
  return `${name ?? '(unnamed)'} (unresolved name)`;
}

// --- Principals as rules name them -------------------------------------------------------------
// A rule names a principal by SID, by `rid:<n>` (a domain group of any domain) or by one of these aliases.

export type SpecTarget = { sid: string } | { rid: number };

/**
 * Names a rule may use instead of a SID. Domain groups are RIDs because their SID depends on the domain, which a
 * rule cannot know; `rid:513` matches Domain Users of any domain.
 */
export const PRINCIPAL_ALIASES: Readonly<Record<string, SpecTarget>> = {
  everyone: { sid: 'S-1-1-0' },
  'authenticated-users': { sid: 'S-1-5-11' },
  'builtin-users': { sid: 'S-1-5-32-545' },
  administrators: { sid: 'S-1-5-32-544' },
  guests: { sid: 'S-1-5-32-546' },
  'remote-desktop-users': { sid: 'S-1-5-32-555' },
  'domain-users': { rid: 513 },
  'domain-admins': { rid: 512 },
  'domain-guests': { rid: 514 },
  'domain-computers': { rid: 515 },
  'domain-controllers': { rid: 516 },
  interactive: { sid: 'S-1-5-4' },
  network: { sid: 'S-1-5-2' },
  'local-account': { sid: 'S-1-5-113' },
};

const RID_SPEC = /^rid:(\d{1,10})$/;
const MAX_RID = 0xffffffff;

/** What a spec stands for, or undefined when it is not a SID, `rid:<n>` or a known alias. */
export function resolvePrincipalSpec(spec: string): SpecTarget | undefined {
  if (Object.hasOwn(PRINCIPAL_ALIASES, spec)) return PRINCIPAL_ALIASES[spec];
  if (isSid(spec)) return { sid: spec.toUpperCase() };
  const rid = RID_SPEC.exec(spec);
  if (rid) {
    const n = Number(rid[1]);
    return n <= MAX_RID ? { rid: n } : undefined;
  }
  return undefined;
}

/**
 * True when a principal is the one a target names: the same SID, or a domain SID (or a well-known domain group
 * named without one) with the target's RID. A principal left unresolved is nobody: matching by name would give
 * different findings per display language. principal() and resolveNamesWithinInput() leave the SID upper case and
 * the RID of a domain SID set; a principal built by hand is read the same way.
 */
export function principalIs(p: Principal, target: SpecTarget): boolean {
  if (p.resolution === 'unresolved') return false;
  if ('sid' in target) return p.sid !== undefined && p.sid.toUpperCase() === target.sid;
  return (p.rid ?? (p.sid ? domainRid(p.sid) : undefined)) === target.rid;
}

export function isValidPrincipalSpec(spec: unknown): spec is string {
  return typeof spec === 'string' && resolvePrincipalSpec(spec) !== undefined;
}

