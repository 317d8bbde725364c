// Inputs for the HTML report tests that the samples do not cover: a directory scan's result (the real scan needs the
// Samba DC of the ldap project), names chosen to break out of HTML and script, a result of 10,000 findings, and a
// small OU with its links as LDIF and its GPOs as a SYSVOL copy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditResult } from '../../src/audit/result.js';
import { DirectoryEvaluator } from '../../src/engine/evaluate-directory.js';
import type { DirectoryScanSummary, DirectoryUser } from '../../src/model/directory.js';
import type { Finding } from '../../src/model/findings.js';
import { SEVERITY_RANK } from '../../src/model/severity.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { gpoReport, KEYS, sz, writeFixture } from '../helpers/gpo-fixtures.js';
import { writeRegistryPol } from '../helpers/pol-writer.js';
import { RULES } from '../reporters/fixture.js';

export const HOSTILE = {
  gpoName: '<img src=x onerror=alert(1)>',
  value: '</script><script>alert(2)</script>',
  fileName: `it's "quoted" & <odd>.xml`,
  userName: 'x</script><script>alert(3)</script>',
} as const;

const SCAN: DirectoryScanSummary = {
  server: 'ldaps://dc1.corp.example.test:636',
  baseDn: 'DC=corp,DC=example,DC=test',
  filter: '(&(objectCategory=person)(objectClass=user))',
  entriesRead: 5,
  inScope: 5,
  pages: 1,
  elapsedMs: 840,
};

function directoryUser(n: number, sAMAccountName: string, extra: Record<string, string[]> = {}): DirectoryUser {
  return {
    dn: `CN=${sAMAccountName.replace(/[,=+<>#;"\\]/g, (c) => `\\${c}`)},OU=Staff ${n},DC=corp,DC=example,DC=test`,
    sAMAccountName,
    attributes: { samaccountname: [sAMAccountName], mail: [`user${n}@corp.example.test`], useraccountcontrol: ['512'], ...extra },
  };
}

/** What `gpaudit ldap scan` hands its reporter: the shipped directory rules run over five users, as a scan does. */
export function directoryResult(): AuditResult {
  const { ruleSet } = loadRuleSet([]);
  const rules = ruleSet!.rules.filter((r) => r.checks.length > 0 && r.checks.every((c) => c.match.kind === 'directory'));
  const evaluator = new DirectoryEvaluator(rules, { server: SCAN.server, baseDn: SCAN.baseDn });
  const users = [
    directoryUser(1, 'jdoe'),
    directoryUser(2, 'a.very.long.user.name.over.twenty'),
    directoryUser(3, HOSTILE.userName),
    directoryUser(4, 'nomail', { mail: [] }),
    directoryUser(5, 'shell', { loginshell: ['/bin/ksh'] }),
  ];
  for (const u of users) evaluator.addUser(u);
  const findings = evaluator.finish().findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return {
    tool: { name: 'gpaudit', version: '0.1.0' },
    rules,
    findings,
    notEvaluated: [],
    inputs: [],
    problems: [],
    notices: [],
    directory: SCAN,
    failOn: 'low',
    configuration: { rules: ['builtin'] },
    root: '/srv/scan',
    pathOf: () => undefined,
  };
}

/** A GPO report whose GPO name, value and file name try to break out of the page. */
export function writeHostileEstate(dir: string): string {
  const fixture = gpoReport([sz('HKLM', KEYS.system, 'LegalNoticeCaption', HOSTILE.value)], {
    gpo: { id: '{0BADC0DE-0000-4000-8000-00000000BAD1}', name: HOSTILE.gpoName, domain: 'corp.example.test' },
    fileName: HOSTILE.fileName,
  });
  writeFixture(dir, fixture.files);
  return dir;
}

/**
 * `count` findings over count/5 GPOs, two locations each (a report and a Registry.pol byte offset), one in fifty
 * waived: the size of a large estate's first audit.
 */
export function bigResult(count: number): AuditResult {
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const rule = RULES[i % RULES.length]!;
    const g = Math.floor(i / 5);
    const setting = `HKLM\\Software\\Policies\\Example\\Value${i % 97} = ${i} (REG_DWORD)`;
    findings.push({
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      tags: rule.tags,
      message: `${rule.title}: ${setting}`,
      gpo: { id: `{${String(g).padStart(8, '0')}-0000-4000-8000-000000000000}`, name: `Estate GPO ${g}`, domain: 'corp.example.test' },
      locations: [
        { file: `estate/gpo-${g}/gpreport.xml`, format: 'gpo-report', position: { line: 100 + (i % 400) }, setting },
        { file: `estate/gpo-${g}/DomainSysvol/GPO/Machine/registry.pol`, format: 'registry-pol', position: { byteOffset: 8 + 64 * (i % 50) }, setting },
      ],
      fingerprint: i.toString(16).padStart(32, '0'),
      ...(i % 50 === 0 ? { suppressed: { waiver: { rule: rule.id, gpo: `Estate GPO ${g}`, reason: 'accepted for the pilot', expires: '2099-12-31' } } } : {}),
    });
  }
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return {
    tool: { name: 'gpaudit', version: '0.1.0' },
    rules: RULES,
    findings,
    notEvaluated: [],
    inputs: [],
    problems: [],
    notices: [],
    failOn: 'low',
    configuration: { rules: ['builtin'] },
    root: '/srv/estate',
    pathOf: () => undefined,
  };
}

export const DOMAIN = 'DC=corp,DC=test';
export const WS = `OU=WorkSpaces,${DOMAIN}`;
const guid = (n: number) => `{0000000${n}-AAAA-4BBB-8CCC-00000000000${n}}`;

/**
 * A small OU: GPO 1 linked at it turns off Windows Installer (a finding), GPO 2's link is disabled, GPO 3 is linked
 * nowhere. Written as cli-policy.test.ts does, smaller. Returns the LDIF file and the SYSVOL Policies folder.
 */
export function writeOuEstate(dir: string): { ldif: string; sysvol: string } {
  const link = (n: number, options: number) => `[LDAP://cn=${guid(n)},cn=policies,cn=system,${DOMAIN};${options}]`;
  const entries = [
    `dn: ${DOMAIN}\nobjectClass: top\nobjectClass: domain\nobjectClass: domainDNS\n`,
    `dn: ${WS}\nobjectClass: top\nobjectClass: organizationalUnit\nou: WorkSpaces\ngPLink: ${link(1, 0)}${link(2, 1)}\ngPOptions: 0\n`,
  ];
  const sysvol = join(dir, 'Policies');
  for (const n of [1, 2, 3]) {
    entries.push(
      `dn: CN=${guid(n)},CN=Policies,CN=System,${DOMAIN}\nobjectClass: top\nobjectClass: container\nobjectClass: groupPolicyContainer\ncn: ${guid(n)}\n` +
        `displayName: OU GPO ${n}\nflags: 0\nversionNumber: 1\ngPCFileSysPath: \\\\corp.test\\SysVol\\corp.test\\Policies\\${guid(n)}\n`,
    );
    const gpo = join(sysvol, guid(n));
    mkdirSync(join(gpo, 'Machine'), { recursive: true });
    writeFileSync(join(gpo, 'GPT.INI'), `[General]\r\nVersion=1\r\ndisplayName=OU GPO ${n}\r\n`);
    writeFileSync(join(gpo, 'Machine', 'Registry.pol'), writeRegistryPol([{ key: KEYS.installer, valueName: 'DisableMSI', type: 4, data: 2 }]));
  }
  const ldif = join(dir, 'links.ldif');
  writeFileSync(ldif, entries.join('\n'));
  return { ldif, sysvol };
}
