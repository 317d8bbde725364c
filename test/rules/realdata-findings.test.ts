// Expected WorkSpaces findings for real GPOs of the corpus, decided by reading the files (UTF-16 decoded with iconv,
// Registry.pol records listed one by one), not by running gpaudit. Each GPO is audited alone, as
// `gpaudit audit <folder-or-file>`, so the audit-wide reminder for "Don't display last signed-in" appears exactly
// when nothing in that GPO sets DontDisplayLastUserName.
//
// Checked in every GPO below and absent unless a comment says otherwise: HideFastUserSwitching, DisableMSI,
// DontDisplayLockedUserId, Deny_All, NoViewOnDrive, restricted groups (no real GPO here has RestrictedGroups or a
// `__Members` line), GPP power plans (the only PowerOptions.xml holds an XP GlobalPowerOptions item, no V2 plan), and
// PowerSettings values other than 0e796bdb-... (require a password on wake, which no rule checks) and abfc2519-...
// (not in these GPOs).
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { builtinCatalog } from '../../src/admx/load.js';
import type { AuditResult } from '../../src/audit/result.js';
import { runAudit } from '../../src/audit/run-audit.js';
import type { SourcePosition } from '../../src/model/settings.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { REALDATA, describeCorpus } from '../helpers/realdata.js';

const BANNER = 'workspaces-logon-banner';
const NET_MISSING = 'workspaces-network-logon-users-missing';
const INTERACTIVE = 'workspaces-interactive-logon-users-missing';
const RDP = 'workspaces-remote-desktop-logon-right-missing';
const REMINDER = 'workspaces-last-signed-in-displayed';

const INF = 'DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf';
const REPORT = 'gpreport.xml';
/** The file itself, for a loose export. */
const SELF = '.';

type At = [file: string, position: SourcePosition];

interface ExpectedFinding {
  rule: string;
  /** GPO display name; null for the audit-wide reminder and for a loose file that names no GPO. */
  gpo: string | null;
  /** Every location, file relative to the audited folder (or SELF). Empty for the reminder. */
  at: At[];
}

interface RealGpo {
  title: string;
  /** Backup-GPO folder or loose file, relative to the corpus. */
  path: string;
  findings: ExpectedFinding[];
  /** Set when the engine disagrees with the expectation because of a bug; the set assertion is then `it.fails`. */
  bug?: string;
}

const line = (n: number): SourcePosition => ({ line: n });
const reminder: ExpectedFinding = { rule: REMINDER, gpo: null, at: [] };

const DOD_W10 = 'DoD Windows 10 STIG Computer v2r3';
const DOD_2019_MS = 'DoD Windows Server 2019 Member Server STIG Computer v2r3';
const DOD_2019_DC = 'DoD Windows Server 2019 Domain Controller STIG Computer v2r3';
const DOD_W81 = 'DoD Windows 8 and 8.1 STIG Computer v1r22';
const DOD_2012_MS = 'DoD Windows Server 2012 R2 Member Server STIG Computer v3r3';
const SOS_W8 = 'DoD - Windows 8 - Computer';
const MSFT_W10 = 'MSFT Windows 10 1909 - Computer';
const MSFT_DC = 'MSFT Windows Server 1909 - Domain Controller';
const MSFT_W11 = 'MSFT Windows 11 24H2 - Computer';
const SHB = 'DoD Windows 10 STIG - Computer (SHB v10.1.0)';
const SHB_DRAFT = 'DoD Windows 10 DRAFT STIG - Computer';

const CASES: RealGpo[] = [
  {
    // DISA banner-only GPO. GptTmpl.inf line 4: LegalNoticeCaption=1,"US Department of Defense Warning Statement";
    // line 5: LegalNoticeText=7,You are accessing a U.S. Government (USG) Information System...; gpreport.xml shows the
    // same two Security Options (SecurityOptions elements at lines 135 and 144). Nothing sets DontDisplayLastUserName.
    title: 'DoD - Banner (DISA, repackaged)',
    path: 'simeononsecurity__Standalone-Windows-STIG-Script/Files/GPOs/DoD/DoD - Banner/{2C3FC71B-6D02-4342-A231-6446F4038C96}',
    findings: [
      { rule: BANNER, gpo: 'DoD - Banner', at: [[REPORT, line(135)], [REPORT, line(144)], [INF, line(4)], [INF, line(5)]] },
      reminder,
    ],
  },
  {
    // GptTmpl.inf line 44: LegalNoticeText=7,You are accessing a U.S. Government (USG)...; line 45: LegalNoticeCaption=1,
    // "US Department of Defense Warning Statement" (report SecurityOptions at 546 and 555).
    // Line 62: SeNetworkLogonRight = *S-1-5-32-544,*S-1-5-32-555 (Administrators, Remote Desktop Users: no users group,
    // no Domain Computers) -> users-missing (report UserRightsAssignment at 348).
    // Line 64: SeInteractiveLogonRight = *S-1-5-32-544,*S-1-5-32-545 (has Users: pass). Line 73: SeDenyNetworkLogonRight =
    // ADD YOUR DOMAIN ADMINS,ADD YOUR ENTERPRISE ADMINS,*S-1-5-32-546,*S-1-5-113 (no users group: pass).
    // No SeRemoteInteractiveLogonRight, no DontDisplayLastUserName (reminder). registry.pol: only 0e796bdb-... power values.
    title: 'DoD Windows 10 STIG Computer v2r3 (DISA, January 2022 package)',
    path: 'cloudcap10__stig-group-policy-objects/DoD Windows 10 V2R3/GPOs/{F55ED5BB-AD6E-4D34-949D-4FC120C7CAF5}',
    findings: [
      { rule: BANNER, gpo: DOD_W10, at: [[REPORT, line(546)], [REPORT, line(555)], [INF, line(44)], [INF, line(45)]] },
      { rule: NET_MISSING, gpo: DOD_W10, at: [[REPORT, line(348)], [INF, line(62)]] },
      reminder,
    ],
  },
  {
    // GptTmpl.inf lines 46/47: LegalNoticeText=7,You are accessing... / LegalNoticeCaption=1,"US Department of Defense
    // Warning Statement" (report 558, 567). Line 66: SeNetworkLogonRight = *S-1-5-32-544,*S-1-5-11 (Authenticated
    // Users: pass). Line 68: SeInteractiveLogonRight = *S-1-5-32-544 (no BUILTIN\Users) -> interactive (report 342).
    // Line 76: SeDenyNetworkLogonRight = placeholders, Guests, Local account (pass). No DontDisplayLastUserName.
    title: 'DoD Windows Server 2019 Member Server STIG Computer v2r3',
    path: 'cloudcap10__stig-group-policy-objects/DoD Windows Server 2019 MS and DC V2R3/GPOs/{3C3787A8-9432-46C5-9ABD-7B372550381A}',
    findings: [
      { rule: BANNER, gpo: DOD_2019_MS, at: [[REPORT, line(558)], [REPORT, line(567)], [INF, line(46)], [INF, line(47)]] },
      { rule: INTERACTIVE, gpo: DOD_2019_MS, at: [[REPORT, line(342)], [INF, line(68)]] },
      reminder,
    ],
  },
  {
    // GptTmpl.inf lines 48/49: LegalNoticeText / LegalNoticeCaption (report 533, 542). Line 66: SeNetworkLogonRight =
    // *S-1-5-32-544,*S-1-5-11,*S-1-5-9 (pass). Line 68: SeInteractiveLogonRight = *S-1-5-32-544 -> interactive
    // (report 308). Line 76: SeDenyNetworkLogonRight = *S-1-5-32-546 (pass). Line 95: SeRemoteInteractiveLogonRight =
    // *S-1-5-32-544 (no Remote Desktop Users, no users group) -> rdp right missing (report 361).
    title: 'DoD Windows Server 2019 Domain Controller STIG Computer v2r3',
    path: 'cloudcap10__stig-group-policy-objects/DoD Windows Server 2019 MS and DC V2R3/GPOs/{8B300D49-EDC9-43B8-B8AA-E8A8EBC519B4}',
    findings: [
      { rule: BANNER, gpo: DOD_2019_DC, at: [[REPORT, line(533)], [REPORT, line(542)], [INF, line(48)], [INF, line(49)]] },
      { rule: INTERACTIVE, gpo: DOD_2019_DC, at: [[REPORT, line(308)], [INF, line(68)]] },
      { rule: RDP, gpo: DOD_2019_DC, at: [[REPORT, line(361)], [INF, line(95)]] },
      reminder,
    ],
  },
  {
    // GptTmpl.inf lines 64/65: LegalNoticeText / LegalNoticeCaption (report 642, 633). Line 72:
    // DontDisplayLastUserName=4,1 and line 73: DisableCAD=4,0 (both pass, and the first silences the reminder).
    // Line 86: SeDenyNetworkLogonRight = placeholders, Guests, Local account (pass). Line 89: SeNetworkLogonRight =
    // *S-1-5-32-544 -> users-missing (report 381). Line 90: SeInteractiveLogonRight = Administrators, Users (pass).
    // Line 91: "SeRemoteInteractiveLogonRight =" (defined, granted to no one) -> rdp right missing (report 398).
    title: 'DoD Windows 8 and 8.1 STIG Computer v1r22',
    path: 'cloudcap10__stig-group-policy-objects/DoD Windows 8 and 8.1 v1r22/GPOs/{28BE86D7-949F-4D8B-89B9-621EB89BF9BE}',
    findings: [
      { rule: BANNER, gpo: DOD_W81, at: [[REPORT, line(633)], [REPORT, line(642)], [INF, line(64)], [INF, line(65)]] },
      { rule: NET_MISSING, gpo: DOD_W81, at: [[REPORT, line(381)], [INF, line(89)]] },
      { rule: RDP, gpo: DOD_W81, at: [[REPORT, line(398)], [INF, line(91)]] },
    ],
  },
  {
    // GptTmpl.inf line 25: DisableCAD=4,0 and line 26: DontDisplayLastUserName=4,1 (pass, no reminder). Lines 33/34:
    // LegalNoticeCaption / LegalNoticeText (report 601, 610). Line 89: SeNetworkLogonRight = *S-1-5-11,*S-1-5-32-544
    // (pass). Line 90: SeInteractiveLogonRight = *S-1-5-32-544 -> interactive (report 342). Line 91:
    // SeRemoteInteractiveLogonRight = *S-1-5-32-544 -> rdp right missing (report 384).
    title: 'DoD Windows Server 2012 R2 Member Server STIG Computer v3r3',
    path: 'cloudcap10__stig-group-policy-objects/DoD Windows Server 2012 R2 MS and DC V3R3/GPOs/{B3355D21-5FEE-4413-9CBC-8FBFAA6CF290}',
    findings: [
      { rule: BANNER, gpo: DOD_2012_MS, at: [[REPORT, line(601)], [REPORT, line(610)], [INF, line(33)], [INF, line(34)]] },
      { rule: INTERACTIVE, gpo: DOD_2012_MS, at: [[REPORT, line(342)], [INF, line(90)]] },
      { rule: RDP, gpo: DOD_2012_MS, at: [[REPORT, line(384)], [INF, line(91)]] },
    ],
  },
  {
    // The repackaged Windows 8 STIG with the banner moved out to "DoD - Banner": no LegalNotice* anywhere.
    // GptTmpl.inf line 70: DontDisplayLastUserName=4,1, line 71: DisableCAD=4,0 (pass). Line 85: SeDenyNetworkLogonRight
    // = *S-1-5-32-546,*S-1-5-113 (pass). Line 88: SeNetworkLogonRight = *S-1-5-32-544 -> users-missing (report 351).
    // Line 90: "SeRemoteInteractiveLogonRight =" -> rdp right missing (report 368, an element with no Member).
    title: 'DoD - Windows 8 - Computer (repackaged, banner split out)',
    path: 'simeononsecurity__Standalone-Windows-STIG-Script/Files/GPOs/DoD/Windows/DoD - Windows 8 - Computer/{2199EA28-42D1-4F0C-8043-EDD3A546BD9A}',
    findings: [
      { rule: NET_MISSING, gpo: SOS_W8, at: [[REPORT, line(351)], [INF, line(88)]] },
      { rule: RDP, gpo: SOS_W8, at: [[REPORT, line(368)], [INF, line(90)]] },
    ],
  },
  {
    // Microsoft security baseline. GptTmpl.inf line 18: SeDenyNetworkLogonRight = *S-1-5-113 (pass). Line 19:
    // SeNetworkLogonRight = *S-1-5-32-555,*S-1-5-32-544 -> users-missing (report 245). Line 25: SeInteractiveLogonRight
    // = *S-1-5-32-545,*S-1-5-32-544 (pass). No banner, no DontDisplayLastUserName (reminder).
    title: 'MSFT Windows 10 1909 - Computer (Microsoft baseline)',
    path: 'simeononsecurity__Windows-Optimize-Harden-Debloat/Files/GPOs/Microsoft/Windows 10 1909 Baseline/GPOs/{ECA4D7B0-93B4-47C2-BC43-8AC523D4D75E}',
    findings: [{ rule: NET_MISSING, gpo: MSFT_W10, at: [[REPORT, line(245)], [INF, line(19)]] }, reminder],
  },
  {
    // Microsoft baseline for DCs. GptTmpl.inf line 13: SeRemoteInteractiveLogonRight = *S-1-5-32-544 -> rdp (report 253).
    // Line 20: SeInteractiveLogonRight = *S-1-5-32-544 -> interactive (report 207). No SeNetworkLogonRight.
    title: 'MSFT Windows Server 1909 - Domain Controller (Microsoft baseline)',
    path: 'simeononsecurity__Windows-Optimize-Harden-Debloat/Files/GPOs/Microsoft/Windows 10 1909 Baseline/GPOs/{ABC66265-8884-49F9-9621-0213E3566A6B}',
    findings: [
      { rule: INTERACTIVE, gpo: MSFT_DC, at: [[REPORT, line(207)], [INF, line(20)]] },
      { rule: RDP, gpo: MSFT_DC, at: [[REPORT, line(253)], [INF, line(13)]] },
      reminder,
    ],
  },
  {
    // Microsoft Windows 11 24H2 baseline re-imported into a lab domain. GptTmpl.inf line 18: SeDenyNetworkLogonRight =
    // *S-1-5-113 (pass). Line 19: SeNetworkLogonRight = *S-1-5-32-544,*S-1-5-32-555 -> users-missing (report 245).
    // Line 25: SeInteractiveLogonRight = Administrators, Users (pass).
    title: 'MSFT Windows 11 24H2 - Computer (Microsoft baseline, GPO backup)',
    path: 'raandree__GpoReport/GpoBackup/{DAD42DA1-8499-42FE-A1CD-9E39196D8B98}',
    findings: [{ rule: NET_MISSING, gpo: MSFT_W11, at: [[REPORT, line(245)], [INF, line(19)]] }, reminder],
  },
  {
    // NSA Secure Host Baseline: no banner (the SHB leaves it to the site). GptTmpl.inf line 64: SeNetworkLogonRight =
    // *S-1-5-32-544 -> users-missing (report 322). Line 66: interactive = Administrators, Users (pass). Line 74:
    // SeDenyNetworkLogonRight = *S-1-5-32-546 (pass).
    title: 'nsacyber: DoD Windows 10 STIG - Computer (SHB v10.1.0)',
    path: 'nsacyber__Windows-Secure-Host-Baseline/Windows/Group Policy Objects/Computer/{A2A38432-E322-437F-9975-B7CC7F16F4AA}',
    findings: [{ rule: NET_MISSING, gpo: SHB, at: [[REPORT, line(322)], [INF, line(64)]] }, reminder],
  },
  {
    // GptTmpl.inf line 24: SeNetworkLogonRight = *S-1-5-32-544 -> users-missing (report 396). Line 27: interactive =
    // Users, Administrators (pass). Line 35: SeDenyNetworkLogonRight = Domain Admins,Enterprise Admins,*S-1-5-32-546,
    // *S-1-5-113 (pass). Lines 86/87: LegalNoticeText / LegalNoticeCaption (report 580, 571). Its Registry.xml sets only
    // LocalAccountTokenFilterPolicy.
    title: 'nsacyber: DoD Windows 10 DRAFT STIG - Computer',
    path: 'nsacyber__Windows-Secure-Host-Baseline/Windows/Group Policy Objects/Computer/{AC662460-6494-4818-A303-FADC513B9876}',
    findings: [
      { rule: BANNER, gpo: SHB_DRAFT, at: [[REPORT, line(571)], [REPORT, line(580)], [INF, line(86)], [INF, line(87)]] },
      { rule: NET_MISSING, gpo: SHB_DRAFT, at: [[REPORT, line(396)], [INF, line(24)]] },
      reminder,
    ],
  },
  {
    // User-side GPO: only User\registry.pol with no value any rule looks at. Nothing but the reminder.
    title: 'nsacyber: DoD Windows 10 STIG - User (SHB v10.1.0)',
    path: 'nsacyber__Windows-Secure-Host-Baseline/Windows/Group Policy Objects/User/{B30BE6B3-794A-43CC-B6A4-52C447CEE0A7}',
    findings: [reminder],
  },
  {
    // Lab GPO with every Preferences type. PowerOptions.xml holds only a GlobalPowerOptions (Windows XP) item, which the
    // power rules (GlobalPowerOptionsV2 plans) do not look at; Registry.xml writes SYSTEM\Maps and SYSTEM\HardwareConfig.
    title: 'raandree: AllPreferences1 (Preferences of every type)',
    path: 'raandree__GpoReport/GpoBackup/{FF584826-3215-4323-ACA3-CEFEF30DFBD2}',
    findings: [reminder],
  },
  {
    // gpresult /x of a lab DC. Line 486: UserRightsAssignment from {6AC1786C-...} (Default Domain Controllers Policy,
    // Precedence 1): SeInteractiveLogonRight = Administrators, Backup Operators, Account Operators, Server Operators,
    // Print Operators, ENTERPRISE DOMAIN CONTROLLERS (names only, no BUILTIN\Users) -> interactive. SeNetworkLogonRight
    // (line 540) holds Everyone and Authenticated Users (pass). No deny/RDP rights, no banner, no DontDisplayLastUserName.
    title: 'laymanstake: RSoP of a domain controller',
    path: 'laymanstake__laymanstake/rsop.xml',
    findings: [{ rule: INTERACTIVE, gpo: 'Default Domain Controllers Policy', at: [[SELF, line(486)]] }, reminder],
  },
  {
    // GPMC modelling RSoP (PlanningData). Line 1595: SeNetworkLogonRight = Administrators, Remote Desktop Users from
    // {08F4E747-...}, which the ComputerResults GPO list (line 957) names "MSFT Windows 11 24H2 - Computer" and applies
    // (AppliedOrder 1) -> users-missing. Interactive (line 1551) holds Users; deny (line 1576) holds Local account only.
    // The UserResults list (line 313) lists the same GPO as unreadable there, named by its GUID.
    title: 'raandree: RSoP (planning) of the Windows 11 24H2 baseline',
    path: 'raandree__GpoReport/tests/TestData/Win11-24H2-MSFT-BaselineTest on Win11-24H2-MSFT-BaselineTest.xml',
    findings: [{ rule: NET_MISSING, gpo: MSFT_W11, at: [[SELF, line(1595)]] }, reminder],
  },
  {
    // Real secedit /export of a workstation (UTF-16LE). Line 40: DontDisplayLastUserName=4,1 (pass, no reminder).
    // Line 46: LegalNoticeCaption=1,"" and line 47: LegalNoticeText=7, : an empty caption and text are not a banner.
    // Line 92: SeNetworkLogonRight = Everyone, Administrators, Users, Backup Operators (pass). Line 105: interactive holds
    // *S-1-5-32-545 (pass). Line 114: SeDenyNetworkLogonRight = Guest (pass). Line 118: SeRemoteInteractiveLogonRight =
    // Administrators, Remote Desktop Users (pass). Nothing at all.
    title: 'Tsumihara: secedit /export (secpol.cfg)',
    path: 'Tsumihara__STIG/secpol.cfg',
    findings: [],
  },
  {
    // Hand-edited GptTmpl.inf (UTF-8 with BOM), loose, so no GPO. Line 22: SeNetworkLogonRight = *S-1-5-32-544,
    // *S-1-5-32-555 -> users-missing. Line 24: interactive holds Users; line 33: deny = Local account, Guests (pass).
    title: 'Tsumihara: hand-edited GptTmpl.inf',
    path: 'Tsumihara__STIG/GptTmpl.inf',
    findings: [{ rule: NET_MISSING, gpo: null, at: [[SELF, line(22)]] }, reminder],
  },
];

describeCorpus('WorkSpaces findings on real GPOs', () => {
  const loaded = loadRuleSet([]);
  const catalog = builtinCatalog();
  const results = new Map<string, AuditResult>();

  function auditOf(path: string): AuditResult {
    let result = results.get(path);
    if (!result) {
      const target = join(REALDATA, path);
      result = runAudit([target], { rules: loaded.ruleSet?.rules ?? [], catalog, failOn: 'low', waivers: [], today: '2026-11-26', cwd: process.cwd(), root: REALDATA, version: 'test' });
      results.set(path, result);
    }
    return result;
  }

  const key = (f: { rule: string; gpo: string | null }) => `${f.rule} @ ${f.gpo ?? '(none)'}`;
  const rel = (path: string, file: string) => {
    const target = join(REALDATA, path);
    return file === target ? SELF : file.startsWith(`${target}/`) ? file.slice(target.length + 1) : file;
  };
  const sortAt = (list: At[]) => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

  it('uses at least ten real GPOs', () => {
    expect(loaded.errors).toEqual([]);
    expect(CASES.length).toBeGreaterThanOrEqual(10);
  });

  for (const c of CASES) {
    const assertSet = c.bug ? it.fails : it;
    assertSet(`${c.title}: exactly the expected (rule, GPO) pairs`, () => {
      const result = auditOf(c.path);
      expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(result.findings.map((f) => key({ rule: f.ruleId, gpo: f.gpo?.name ?? null })).sort()).toEqual(c.findings.map(key).sort());
    });

    it(`${c.title}: files and lines of each finding`, () => {
      const result = auditOf(c.path);
      // A GPO expected to give nothing: the loop below would check nothing, so say what "nothing" means.
      if (c.findings.length === 0) expect(result.findings).toEqual([]);
      for (const e of c.findings) {
        // Matched by rule alone where a known bug names the GPO wrongly, so the locations are still checked.
        const found = result.findings.filter((f) => f.ruleId === e.rule && (c.bug !== undefined || (f.gpo?.name ?? null) === e.gpo));
        expect(found, key(e)).toHaveLength(1);
        const at = found[0]!.locations.map((l): At => [rel(c.path, l.file), l.position]);
        expect(sortAt(at), key(e)).toEqual(sortAt(e.at));
        if (e.rule === REMINDER) expect(found[0]!.severity).toBe('info');
      }
    });
  }
});
