// The setting readers shared by Get-GPOReport and gpresult /x (src/parsers/gp-xml.ts), on small reports written in
// the shapes of the real exports (test/parsers/gpo-report.test.ts reads those). Each element sits on its own line so
// that the line a finding points at can be checked.
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/model/parse-result.js';
import { parseGpoReport } from '../../src/parsers/gpo-report.js';

const SEC = 'http://www.microsoft.com/GroupPolicy/Settings/Security';
const REG = 'http://www.microsoft.com/GroupPolicy/Settings/Registry';
const AUD = 'http://www.microsoft.com/GroupPolicy/Settings/Auditing';
const T = 'http://www.microsoft.com/GroupPolicy/Types';

/** One GPO "G" whose side holds one extension of namespace `ns` (prefix q); `lines` start at line 3. */
function report(ns: string, lines: string[], side: 'Computer' | 'User' = 'Computer'): ParseResult {
  const text = `<GPO xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings"><Name>G</Name>
<${side}><ExtensionData><Extension xmlns:q="${ns}" xsi:type="q:X">
${lines.join('\n')}
</Extension><Name>Ext</Name></ExtensionData></${side}></GPO>`;
  return parseGpoReport(Buffer.from(text, 'utf8'), { file: 'r.xml' });
}
const prov = (line: number) => ({ gpo: { name: 'G' }, file: 'r.xml', format: 'gpo-report', position: { line } });
const warning = (line: number, message: string) => ({ file: 'r.xml', position: { line }, code: 'skipped-entry', severity: 'warning', message });
/** The settings without provenance, for tests about values. */
const values = (r: ParseResult) => r.settings.map(({ provenance: _p, ...rest }) => rest);

describe('security settings: account policies and event logs', () => {
  it('reads account policies by section: Kerberos by its Type, the rest as System Access', () => {
    const r = report(SEC, [
      '<q:Account><q:Name>MinimumPasswordLength</q:Name><q:SettingNumber>14</q:SettingNumber><q:Type>Password</q:Type></q:Account>',
      '<q:Account><q:Name>MaxTicketAge</q:Name><q:SettingNumber>10</q:SettingNumber><q:Type>Kerberos</q:Type></q:Account>',
      '<q:Account><q:Name>ClearTextPassword</q:Name><q:SettingBoolean>false</q:SettingBoolean></q:Account>',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual([
      { kind: 'account-policy', section: 'System Access', name: 'MinimumPasswordLength', value: 14, provenance: prov(3) },
      { kind: 'account-policy', section: 'Kerberos Policy', name: 'MaxTicketAge', value: 10, provenance: prov(4) },
      { kind: 'account-policy', section: 'System Access', name: 'ClearTextPassword', value: false, provenance: prov(5) },
    ]);
  });

  it('prints unsigned numbers from 2^31 to 2^32-1 as the template\'s negative ones; others stay as written', () => {
    const numbers = ['2147483647', '2147483648', '4294967295', '4294967296', '-1', '1.5'];
    const r = report(SEC, numbers.map((n) => `<q:Account><q:Name>N${n}</q:Name><q:SettingNumber>${n}</q:SettingNumber></q:Account>`));
    expect(r.settings.map((s) => s.kind === 'account-policy' && s.value)).toEqual([2147483647, -2147483648, -1, 4294967296, -1, 1.5]);
  });

  it('an empty or non-numeric SettingNumber falls back to SettingBoolean, then to SettingString without its quotes', () => {
    const r = report(SEC, [
      '<q:Account><q:Name>A</q:Name><q:SettingNumber></q:SettingNumber><q:SettingBoolean>true</q:SettingBoolean></q:Account>',
      '<q:Account><q:Name>B</q:Name><q:SettingNumber>x</q:SettingNumber><q:SettingString>"quoted"</q:SettingString></q:Account>',
      '<q:Account><q:Name>C</q:Name><q:SettingString>"</q:SettingString></q:Account>',
      '<q:Account><q:Name>D</q:Name><q:SettingString>""</q:SettingString></q:Account>',
      '<q:Account><q:Name>E</q:Name><q:SettingString>"a</q:SettingString></q:Account>',
      '<q:Account><q:Name>F</q:Name><q:SettingBoolean>maybe</q:SettingBoolean><q:SettingString>s</q:SettingString></q:Account>',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.settings.map((s) => s.kind === 'account-policy' && [s.name, s.value])).toEqual([
      ['A', true], ['B', 'quoted'], ['C', '"'], ['D', ''], ['E', '"a'], ['F', 's'],
    ]);
  });

  it('an account policy without a name or value is skipped with a warning at its line', () => {
    const r = report(SEC, [
      '<q:Account><q:SettingNumber>1</q:SettingNumber></q:Account>',
      '<q:Account><q:Name>NoValue</q:Name></q:Account>',
    ]);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([
      warning(3, 'Account policy without a name or value was skipped'),
      warning(4, 'Account policy without a name or value was skipped'),
    ]);
  });

  it('reads event log settings as "<Log> Log/<Name>"; one missing a part is skipped with a warning', () => {
    const r = report(SEC, [
      '<q:EventLog><q:Name>MaximumLogSize</q:Name><q:SettingNumber>32768</q:SettingNumber><q:Log>Security</q:Log></q:EventLog>',
      '<q:EventLog><q:Name>MaximumLogSize</q:Name><q:SettingNumber>1</q:SettingNumber></q:EventLog>',
      '<q:EventLog><q:Log>System</q:Log><q:SettingNumber>1</q:SettingNumber></q:EventLog>',
      '<q:EventLog><q:Name>Retention</q:Name><q:Log>System</q:Log></q:EventLog>',
    ]);
    expect(r.settings).toEqual([{ kind: 'account-policy', section: 'Event Log', name: 'Security Log/MaximumLogSize', value: 32768, provenance: prov(3) }]);
    expect(r.problems).toEqual([4, 5, 6].map((line) => warning(line, 'Event log setting without a name, log or value was skipped')));
  });

  it('elements of other namespaces and security areas gpaudit does not model are passed over without a warning', () => {
    const r = report(SEC, ['<Account><Name>X</Name><SettingNumber>1</SettingNumber></Account>', '<q:SystemServices><q:Name>Svc</q:Name></q:SystemServices>']);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([]);
  });
});

describe('security settings: audit, rights and groups', () => {
  it('reads audit policy success and failure, each false when missing', () => {
    const r = report(SEC, [
      '<q:Audit><q:Name>AuditLogonEvents</q:Name><q:SuccessAttempts>true</q:SuccessAttempts><q:FailureAttempts>true</q:FailureAttempts></q:Audit>',
      '<q:Audit><q:Name>AuditPrivilegeUse</q:Name></q:Audit>',
      '<q:Audit><q:SuccessAttempts>true</q:SuccessAttempts></q:Audit>',
    ]);
    expect(r.settings).toEqual([
      { kind: 'audit', name: 'AuditLogonEvents', success: true, failure: true, provenance: prov(3) },
      { kind: 'audit', name: 'AuditPrivilegeUse', success: false, failure: false, provenance: prov(4) },
    ]);
    expect(r.problems).toEqual([warning(5, 'Audit entry without a name was skipped')]);
  });

  it('reads a user right\'s members by SID and name; a right without a name is skipped with a warning', () => {
    const r = report(SEC, [
      `<q:UserRightsAssignment><q:Name>SeBackupPrivilege</q:Name><q:Member><SID xmlns="${T}">S-1-5-32-544</SID><Name xmlns="${T}">BUILTIN\\Administrators</Name></q:Member><q:Member><Name xmlns="${T}">CORP\\svc</Name></q:Member></q:UserRightsAssignment>`,
      '<q:UserRightsAssignment><q:Member/></q:UserRightsAssignment>',
    ]);
    expect(r.settings).toEqual([{
      kind: 'privilege-right', right: 'SeBackupPrivilege',
      principals: [
        { sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators', resolution: 'input-sid' },
        { name: 'CORP\\svc', resolution: 'unresolved' },
      ],
      provenance: prov(3),
    }]);
    expect(r.problems).toEqual([warning(4, 'User right without a name was skipped')]);
  });

  it('reads a restricted group with its members and the groups it is a member of', () => {
    const r = report(SEC, [
      `<q:RestrictedGroups><q:GroupName><SID xmlns="${T}">S-1-5-32-544</SID></q:GroupName><q:Member><Name xmlns="${T}">CORP\\Admins</Name></q:Member><q:Memberof><Name xmlns="${T}">CORP\\Outer</Name></q:Memberof></q:RestrictedGroups>`,
      `<q:RestrictedGroups><q:Member><Name xmlns="${T}">CORP\\Admins</Name></q:Member></q:RestrictedGroups>`,
    ]);
    expect(values(r)).toEqual([{
      kind: 'group-membership',
      group: { sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators', resolution: 'input-sid' },
      members: [{ name: 'CORP\\Admins', resolution: 'unresolved' }],
      memberOf: [{ name: 'CORP\\Outer', resolution: 'unresolved' }],
    }]);
    expect(r.problems).toEqual([warning(4, 'Restricted group without a GroupName was skipped')]);
  });
});

describe('security settings: security options', () => {
  const KEY = 'MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
  const KEY_PATH = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';

  it('turns a KeyName into hive, key and value name, with its display name; numbers are DWORDs (negative ones wrapped)', () => {
    const r = report(SEC, [
      `<q:SecurityOptions><q:KeyName>${KEY}\\DontDisplayLastUserName</q:KeyName><q:SettingNumber>1</q:SettingNumber><q:Display><q:Name>Interactive logon: Do not display last user name</q:Name></q:Display></q:SecurityOptions>`,
      `<q:SecurityOptions><q:KeyName>${KEY}\\Neg</q:KeyName><q:SettingNumber>-1</q:SettingNumber></q:SecurityOptions>`,
    ]);
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual([
      { kind: 'registry', hive: 'HKLM', key: KEY_PATH, valueName: 'DontDisplayLastUserName', operation: { op: 'set', data: { type: 'REG_DWORD', value: 1 } },
        securityOption: { displayName: 'Interactive logon: Do not display last user name' }, provenance: prov(3) },
      { kind: 'registry', hive: 'HKLM', key: KEY_PATH, valueName: 'Neg', operation: { op: 'set', data: { type: 'REG_DWORD', value: 4294967295 } },
        securityOption: {}, provenance: prov(4) },
    ]);
  });

  it('reads multi-strings, quoted strings, and a non-numeric SettingNumber falls through to the string', () => {
    const r = report(SEC, [
      `<q:SecurityOptions><q:KeyName>${KEY}\\Multi</q:KeyName><q:SettingStrings><q:Value>a</q:Value><q:Value>b</q:Value></q:SettingStrings></q:SecurityOptions>`,
      `<q:SecurityOptions><q:KeyName>${KEY}\\Str</q:KeyName><q:SettingString>"Caption"</q:SettingString></q:SecurityOptions>`,
      `<q:SecurityOptions><q:KeyName>${KEY}\\Odd</q:KeyName><q:SettingNumber>1x</q:SettingNumber><q:SettingString>text</q:SettingString></q:SecurityOptions>`,
    ]);
    expect(r.problems).toEqual([]);
    expect(r.settings.map((s) => s.kind === 'registry' && s.operation)).toEqual([
      { op: 'set', data: { type: 'REG_MULTI_SZ', value: ['a', 'b'] } },
      { op: 'set', data: { type: 'REG_SZ', value: 'Caption' } },
      { op: 'set', data: { type: 'REG_SZ', value: 'text' } },
    ]);
  });

  it('a KeyName that is not a rooted registry path, or without a value, is skipped with a warning naming it', () => {
    const r = report(SEC, [
      '<q:SecurityOptions><q:KeyName>Software\\X\\Y</q:KeyName><q:SettingNumber>1</q:SettingNumber></q:SecurityOptions>',
      '<q:SecurityOptions><q:KeyName>MACHINE\\Top</q:KeyName><q:SettingNumber>1</q:SettingNumber></q:SecurityOptions>',
      `<q:SecurityOptions><q:KeyName>${KEY}\\Empty</q:KeyName></q:SecurityOptions>`,
      '<q:SecurityOptions><q:Display><q:Name>Nothing</q:Name></q:Display></q:SecurityOptions>',
    ]);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([
      warning(3, 'security option key "Software\\X\\Y" is not a MACHINE\\ registry path; skipped'),
      warning(4, 'security option key "MACHINE\\Top" is not a MACHINE\\ registry path; skipped'),
      warning(5, `security option ${KEY}\\Empty has no value; skipped`),
      warning(6, 'security option with neither KeyName nor SystemAccessPolicyName was skipped'),
    ]);
  });

  it('a security option naming a system access policy without a value is skipped with a warning that says so', () => {
    const r = report(SEC, [
      '<q:SecurityOptions><q:SystemAccessPolicyName>LSAAnonymousNameLookup</q:SystemAccessPolicyName></q:SecurityOptions>',
      '<q:SecurityOptions><q:SettingNumber>1</q:SettingNumber></q:SecurityOptions>',
    ]);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([
      warning(3, 'security option LSAAnonymousNameLookup has no value; skipped'),
      warning(4, 'security option with neither KeyName nor SystemAccessPolicyName was skipped'),
    ]);
  });

  it('a multi-digit SettingNumber is the DWORD; text before the digits is no number', () => {
    const r = report(SEC, [
      `<q:SecurityOptions><q:KeyName>${KEY}\\Big</q:KeyName><q:SettingNumber>3600</q:SettingNumber></q:SecurityOptions>`,
      `<q:SecurityOptions><q:KeyName>${KEY}\\Odd</q:KeyName><q:SettingNumber>x1</q:SettingNumber><q:SettingString>text</q:SettingString></q:SecurityOptions>`,
    ]);
    expect(r.problems).toEqual([]);
    expect(r.settings.map((s) => s.kind === 'registry' && s.operation)).toEqual([
      { op: 'set', data: { type: 'REG_DWORD', value: 3600 } },
      { op: 'set', data: { type: 'REG_SZ', value: 'text' } },
    ]);
  });

  it('a security option naming a system access policy is an account policy', () => {
    const r = report(SEC, ['<q:SecurityOptions><q:SystemAccessPolicyName>EnableGuestAccount</q:SystemAccessPolicyName><q:SettingNumber>0</q:SettingNumber></q:SecurityOptions>']);
    expect(r.settings).toEqual([{ kind: 'account-policy', section: 'System Access', name: 'EnableGuestAccount', value: 0, provenance: prov(3) }]);
  });
});

describe('advanced audit policy', () => {
  const GUID = '0CCE9215-69AE-11D9-BED3-505054503030';
  it('reads success and failure from the setting value bits, keyed by the subcategory GUID in lower case', () => {
    const r = report(AUD, [0, 1, 2, 3].map((v) => `<q:AuditSetting><q:SubcategoryGuid>{${GUID}}</q:SubcategoryGuid><q:SubcategoryName>Logon</q:SubcategoryName><q:SettingValue>${v}</q:SettingValue></q:AuditSetting>`));
    expect(r.problems).toEqual([]);
    expect(r.settings.map((s) => s.kind === 'audit' && [s.name, s.subcategoryGuid, s.success, s.failure])).toEqual([
      ['Logon', `{${GUID.toLowerCase()}}`, false, false],
      ['Logon', `{${GUID.toLowerCase()}}`, true, false],
      ['Logon', `{${GUID.toLowerCase()}}`, false, true],
      ['Logon', `{${GUID.toLowerCase()}}`, true, true],
    ]);
    expect(r.settings[0]!.provenance).toEqual(prov(3));
  });

  it('a subcategory named only by GUID takes the GUID as its name; one only named has no GUID', () => {
    const r = report(AUD, [
      `<q:AuditSetting><q:SubcategoryGuid>{${GUID}}</q:SubcategoryGuid><q:SettingValue>1</q:SettingValue></q:AuditSetting>`,
      '<q:AuditSetting><q:SubcategoryName>Logoff</q:SubcategoryName><q:SettingValue>2</q:SettingValue></q:AuditSetting>',
    ]);
    expect(values(r)).toEqual([
      { kind: 'audit', name: `{${GUID.toLowerCase()}}`, subcategoryGuid: `{${GUID.toLowerCase()}}`, success: true, failure: false },
      { kind: 'audit', name: 'Logoff', success: false, failure: true },
    ]);
  });

  it('an entry without subcategory or with a value that is not a whole number is skipped with a warning', () => {
    const r = report(AUD, [
      '<q:AuditSetting><q:SettingValue>1</q:SettingValue></q:AuditSetting>',
      '<q:AuditSetting><q:SubcategoryName>Logon</q:SubcategoryName><q:SettingValue>1.5</q:SettingValue></q:AuditSetting>',
      '<q:AuditSetting><q:SubcategoryName>Logon</q:SubcategoryName></q:AuditSetting>',
    ]);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([3, 4, 5].map((line) => warning(line, 'advanced audit entry without a subcategory or value was skipped')));
  });
});

describe('administrative templates', () => {
  it('reads a policy\'s state in any case, its category, and every kind of element value', () => {
    const r = report(REG, [
      '<q:Policy><q:Name>P</q:Name><q:State>ENABLED</q:State><q:Category>System/Logon</q:Category><q:Explain>e</q:Explain><q:Supported>s</q:Supported>',
      '<q:DropDownList><q:Name>Drop</q:Name><q:State>Enabled</q:State><q:Value><q:Name>Choice</q:Name></q:Value></q:DropDownList>',
      '<q:Numeric><q:Name>Num</q:Name><q:State>Enabled</q:State><q:Value>42</q:Value></q:Numeric>',
      '<q:EditText><q:Name>Edit</q:Name><q:State>Enabled</q:State><q:Value>text</q:Value></q:EditText>',
      '<q:EditText><q:Name>EmptyEdit</q:Name></q:EditText>',
      '<q:CheckBox><q:Name>On</q:Name><q:State>Enabled</q:State></q:CheckBox>',
      '<q:CheckBox><q:Name>Off</q:Name><q:State>Disabled</q:State></q:CheckBox>',
      '<q:ListBox><q:Name>List</q:Name><q:State>Enabled</q:State><q:Value><q:Element><q:Name>n1</q:Name><q:Data>d1</q:Data></q:Element><q:Element><q:Data>d2</q:Data></q:Element><q:Element/></q:Value></q:ListBox>',
      '<q:MultiText><q:Name>Multi</q:Name><q:Value><q:string>a</q:string><q:String>b</q:String><q:Other>c</q:Other></q:Value></q:MultiText>',
      '<q:MultiTextBox><q:Name>Box</q:Name><q:string>x</q:string></q:MultiTextBox>',
      '<q:Text><q:Name>Just a caption</q:Name></q:Text><q:Comment>c</q:Comment>',
      '</q:Policy>',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual([{
      kind: 'admin-template', scope: 'computer', displayName: 'P', state: 'enabled', category: 'System/Logon',
      elements: [
        { kind: 'dropdown', label: 'Drop', value: 'Choice' },
        { kind: 'numeric', label: 'Num', value: 42 },
        { kind: 'text', label: 'Edit', value: 'text' },
        { kind: 'text', label: 'EmptyEdit', value: '' },
        { kind: 'checkbox', label: 'On', value: true },
        { kind: 'checkbox', label: 'Off', value: false },
        { kind: 'list', label: 'List', entries: [{ name: 'n1', value: 'd1' }, { value: 'd2' }, { value: '' }] },
        { kind: 'multitext', label: 'Multi', value: ['a', 'b'] },
        { kind: 'multitext', label: 'Box', value: ['x'] },
      ],
      registry: [],
      provenance: prov(3),
    }]);
  });

  it('a disabled policy in the user half is read with the user scope and no category', () => {
    const r = report(REG, ['<q:Policy><q:Name>U</q:Name><q:State>Disabled</q:State></q:Policy>'], 'User');
    expect(values(r)).toEqual([{ kind: 'admin-template', scope: 'user', displayName: 'U', state: 'disabled', elements: [], registry: [] }]);
  });

  it('a policy that is neither enabled nor disabled, or has no name, is skipped with a warning', () => {
    const r = report(REG, [
      '<q:Policy><q:Name>NotConfigured</q:Name><q:State>Not Configured</q:State></q:Policy>',
      '<q:Policy><q:Name>NoState</q:Name></q:Policy>',
      '<q:Policy><q:State>Enabled</q:State></q:Policy>',
    ]);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([
      warning(3, 'administrative template policy "NotConfigured" has state "not configured"; skipped'),
      warning(4, 'administrative template policy "NoState" has state "none"; skipped'),
      warning(5, 'administrative template policy "?" has state "enabled"; skipped'),
    ]);
  });

  it('an element that is not understood, or a dropdown or number without a value, is reported at its line and left out', () => {
    const r = report(REG, [
      '<q:Policy><q:Name>P</q:Name><q:State>Enabled</q:State>',
      '<q:Slider><q:Name>S</q:Name></q:Slider>',
      '<q:DropDownList><q:Name>D</q:Name></q:DropDownList>',
      '<q:Numeric><q:Name>N</q:Name><q:Value>many</q:Value></q:Numeric>',
      '<Foreign/>',
      '</q:Policy>',
    ]);
    expect(r.settings.map((s) => s.kind === 'admin-template' && s.elements)).toEqual([[]]);
    expect(r.problems).toEqual([
      warning(4, 'policy "P": element <Slider> not understood; its value is not evaluated'),
      warning(5, 'policy "P": element <DropDownList> not understood; its value is not evaluated'),
      warning(6, 'policy "P": element <Numeric> not understood; its value is not evaluated'),
    ]);
  });
});

describe('extra registry settings', () => {
  it('reads each value type, the hive of the side, and a key without a value as a created key', () => {
    const r = report(REG, [
      '<q:RegistrySetting><q:KeyPath>Software\\A</q:KeyPath><q:Value><q:Name>Dw</q:Name><q:Number>-2</q:Number></q:Value></q:RegistrySetting>',
      '<q:RegistrySetting><q:KeyPath>Software\\A</q:KeyPath><q:Value><q:Name>Sz</q:Name><q:String>s</q:String></q:Value></q:RegistrySetting>',
      '<q:RegistrySetting><q:KeyPath>Software\\A</q:KeyPath><q:Value><q:Name>Multi</q:Name><q:MultiString><q:String>a</q:String><q:String>b</q:String></q:MultiString></q:Value></q:RegistrySetting>',
      '<q:RegistrySetting><q:KeyPath>Software\\A</q:KeyPath><q:Value><q:Name>Bin</q:Name><q:Binary>0A fF 1b</q:Binary></q:Value></q:RegistrySetting>',
      '<q:RegistrySetting><q:KeyPath>Software\\A</q:KeyPath><q:Value><q:Number>5</q:Number></q:Value></q:RegistrySetting>',
      '<q:RegistrySetting><q:KeyPath>Software\\B</q:KeyPath></q:RegistrySetting>',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual([
      { kind: 'registry', hive: 'HKLM', key: 'Software\\A', valueName: 'Dw', operation: { op: 'set', data: { type: 'REG_DWORD', value: 4294967294 } }, provenance: prov(3) },
      { kind: 'registry', hive: 'HKLM', key: 'Software\\A', valueName: 'Sz', operation: { op: 'set', data: { type: 'REG_SZ', value: 's' } }, provenance: prov(4) },
      { kind: 'registry', hive: 'HKLM', key: 'Software\\A', valueName: 'Multi', operation: { op: 'set', data: { type: 'REG_MULTI_SZ', value: ['a', 'b'] } }, provenance: prov(5) },
      { kind: 'registry', hive: 'HKLM', key: 'Software\\A', valueName: 'Bin', operation: { op: 'set', data: { type: 'REG_BINARY', value: '0aff1b' } }, provenance: prov(6) },
      { kind: 'registry', hive: 'HKLM', key: 'Software\\A', valueName: '', operation: { op: 'set', data: { type: 'REG_DWORD', value: 5 } }, provenance: prov(7) },
      { kind: 'registry', hive: 'HKLM', key: 'Software\\B', valueName: '', operation: { op: 'create-key' }, provenance: prov(8) },
    ]);
  });

  it('the user half writes to HKCU', () => {
    const r = report(REG, ['<q:RegistrySetting><q:KeyPath>Software\\U</q:KeyPath><q:Value><q:Name>V</q:Name><q:Number>1</q:Number></q:Value></q:RegistrySetting>'], 'User');
    expect(r.settings.map((s) => s.kind === 'registry' && s.hive)).toEqual(['HKCU']);
  });

  it('a setting without KeyPath or with a value of unknown type is skipped with a warning; a non-numeric Number falls through', () => {
    const r = report(REG, [
      '<q:RegistrySetting><q:Value><q:Name>V</q:Name><q:Number>1</q:Number></q:Value></q:RegistrySetting>',
      '<q:RegistrySetting><q:KeyPath>Software\\A</q:KeyPath><q:Value><q:Name>Q</q:Name><q:QWord>1</q:QWord></q:Value></q:RegistrySetting>',
      '<q:RegistrySetting><q:KeyPath>Software\\A</q:KeyPath><q:Value><q:Name>N</q:Name><q:Number>0x1</q:Number></q:Value></q:RegistrySetting>',
    ]);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([
      warning(3, 'extra registry setting without a KeyPath was skipped'),
      warning(4, 'extra registry setting Software\\A\\Q: value type not understood; skipped'),
      warning(5, 'extra registry setting Software\\A\\N: value type not understood; skipped'),
    ]);
  });

  it('elements of other namespaces in the registry extension are passed over', () => {
    const r = report(REG, ['<Policy><Name>P</Name><State>Enabled</State></Policy>', '<q:Blocked/>']);
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([]);
  });
});

describe('extensions gpaudit does not read', () => {
  it('are listed by their ExtensionData name, else the local name of their type, else "unknown extension"', () => {
    const text = `<GPO xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings"><Name>G</Name><Computer>
<ExtensionData><Extension xmlns:q="urn:a" xsi:type="q:Scripts"/><Name>Scripts</Name></ExtensionData>
<ExtensionData><Extension xmlns:q="urn:b" xsi:type="q:Firewall"/></ExtensionData>
<ExtensionData><Extension/></ExtensionData>
<ExtensionData><Name>No extension element</Name></ExtensionData>
</Computer></GPO>`;
    const r = parseGpoReport(Buffer.from(text, 'utf8'), { file: 'r.xml' });
    expect(r.gpos[0]!.unreadExtensions).toEqual(['Scripts', 'Firewall', 'unknown extension']);
    expect(r.gpos[0]!.sources[0]!.unreadExtensions).toEqual([
      { name: 'Scripts', namespace: 'urn:a', scope: 'computer' },
      { name: 'Firewall', namespace: 'urn:b', scope: 'computer' },
      { name: 'unknown extension', namespace: '', scope: 'computer' },
    ]);
  });

  it('an xsi:type without a prefix resolves in the default namespace', () => {
    const text = `<GPO xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings"><Name>G</Name><Computer>
<ExtensionData><Extension xmlns="${AUD}" xsi:type="AuditSettings"><AuditSetting><SubcategoryName>Logon</SubcategoryName><SettingValue>1</SettingValue></AuditSetting></Extension></ExtensionData>
</Computer></GPO>`;
    const r = parseGpoReport(Buffer.from(text, 'utf8'), { file: 'r.xml' });
    expect(values(r)).toEqual([{ kind: 'audit', name: 'Logon', success: true, failure: false }]);
  });
});

describe('preference extensions in a report', () => {
  it('an element that is neither the extension\'s root nor an annotation is skipped with a warning', () => {
    const r = report('http://www.microsoft.com/GroupPolicy/Settings/Windows/Registry', ['<q:GPOSettingOrder>1</q:GPOSettingOrder>', '<q:Stray/>', '<Other/>']);
    expect(r.problems).toEqual([
      warning(4, 'unknown element <Stray> in the RegistrySettings extension skipped'),
      warning(5, 'unknown element <Other> in the RegistrySettings extension skipped'),
    ]);
    const power = report('http://www.microsoft.com/GroupPolicy/Settings/PowerOptions', ['<q:Stray/>']);
    expect(power.problems).toEqual([warning(3, 'unknown element <Stray> in the PowerOptions extension skipped')]);
  });
});
