# gpaudit's own sample gpresult /x output (hand-written, not a copy of a real export).
import os, sys
ROOT = sys.argv[1]
T = 'http://www.microsoft.com/GroupPolicy/Types'
DOM_SID = 'S-1-5-21-1004336348-1177238915-682003330'
GPOS = {
    'ddp': ('{31B2F340-016D-11D2-945F-00C04FB984F9}', 'Default Domain Policy'),
    'ws': ('{6E4D2A10-{T}001-4C1A-9A5E-2F60C1D0A001}', 'WorkSpaces - Logon Security'),
    'kiosk': ('{0C3A7E52-9D1B-4F6E-8A2C-5B7D9E1F3A40}', 'Old Kiosk Lockdown'),
}

def base(key, prec):
    gid = GPOS[key][0]
    return f'''<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings/Base"><Identifier xmlns="{T}">{gid}</Identifier><Domain xmlns="{T}">corp.example.test</Domain></GPO>
          <Precedence xmlns="http://www.microsoft.com/GroupPolicy/Settings/Base">{prec}</Precedence>
'''

def gpo_entry(key, applied_order, filter_allowed=True):
    gid, name = GPOS[key]
    return f'''    <GPO>
      <Name>{name}</Name>
      <Path>
        <Identifier xmlns="{T}">{gid}</Identifier>
        <Domain xmlns="{T}">corp.example.test</Domain>
      </Path>
      <VersionDirectory>4</VersionDirectory>
      <VersionSysvol>4</VersionSysvol>
      <Enabled>true</Enabled>
      <IsValid>true</IsValid>
      <FilterAllowed>{'true' if filter_allowed else 'false'}</FilterAllowed>
      <AccessDenied>false</AccessDenied>
      <Link>
        <SOMPath>corp.example.test/WorkSpaces</SOMPath>
        <SOMOrder>1</SOMOrder>
        <AppliedOrder>{applied_order}</AppliedOrder>
        <LinkOrder>1</LinkOrder>
        <Enabled>true</Enabled>
        <NoOverride>false</NoOverride>
      </Link>
      <SecurityFilter>NT AUTHORITY\\Authenticated Users</SecurityFilter>
      <ExtensionName>Security</ExtensionName>
      <ExtensionName>Registry</ExtensionName>
    </GPO>
'''

def secopt(key, gpo, prec, value_xml):
    return f'''        <q1:SecurityOptions>
          {base(gpo, prec)}          <q1:KeyName>MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\{key}</q1:KeyName>
          {value_xml}
        </q1:SecurityOptions>
'''

def right(name, gpo, prec, members):
    ms = ''.join(f'<q1:Member><SID xmlns="{T}">{s}</SID><Name xmlns="{T}">{n}</Name></q1:Member>' for s, n in members)
    return f'''        <q1:UserRightsAssignment>
          {base(gpo, prec)}          <q1:Name>{name}</q1:Name>
          {ms}
        </q1:UserRightsAssignment>
'''

def policy(name, state, category, gpo, prec, elements=''):
    return f'''        <q2:Policy>
          {base(gpo, prec)}          <q2:Name>{name}</q2:Name>
          <q2:State>{state}</q2:State>
          <q2:Category>{category}</q2:Category>
{elements}        </q2:Policy>
'''

def write(kind, broken):
    tag = 'B' if broken else 'C'
    global GPOS
    g = dict(GPOS); g['ws'] = (GPOS['ws'][0].replace('{T}', tag), GPOS['ws'][1])
    GPOS_local = g
    GPOS.update(g)
    sec = ''
    if broken:
        sec += secopt('DontDisplayLastUserName', 'ws', 1, '<q1:SettingNumber>0</q1:SettingNumber>')
        sec += secopt('DontDisplayLastUserName', 'ddp', 2, '<q1:SettingNumber>1</q1:SettingNumber>')
        sec += secopt('LegalNoticeCaption', 'ddp', 1, '<q1:SettingString>"Authorised use only"</q1:SettingString>')
        sec += right('SeNetworkLogonRight', 'ws', 1, [('S-1-5-32-544', 'BUILTIN\\Administrators'), (f'{DOM_SID}-515', 'CORP\\Domain Computers')])
        reg = policy('Hide entry points for Fast User Switching', 'Enabled', 'System/Logon', 'ws', 1)
        reg += policy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', 'ws', 1,
                      '          <q2:DropDownList><q2:Name>Disable Windows Installer</q2:Name><q2:State>Enabled</q2:State><q2:Value><q2:Name>For non-managed applications only</q2:Name></q2:Value></q2:DropDownList>\n')
    else:
        sec += secopt('DontDisplayLastUserName', 'ws', 1, '<q1:SettingNumber>1</q1:SettingNumber>')
        sec += secopt('DontDisplayLastUserName', 'ddp', 2, '<q1:SettingNumber>0</q1:SettingNumber>')
        sec += right('SeNetworkLogonRight', 'ws', 1, [('S-1-5-32-544', 'BUILTIN\\Administrators'), (f'{DOM_SID}-513', 'CORP\\Domain Users')])
        reg = policy('Hide entry points for Fast User Switching', 'Disabled', 'System/Logon', 'ws', 1)
        reg += policy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', 'ws', 1,
                      '          <q2:DropDownList><q2:Name>Disable Windows Installer</q2:Name><q2:State>Enabled</q2:State><q2:Value><q2:Name>Never</q2:Name></q2:Value></q2:DropDownList>\n')
    text = f'''<?xml version="1.0" encoding="utf-16"?>
<Rsop xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Rsop">
  <ReadTime>2026-11-25T08:15:00.0000000Z</ReadTime>
  <DataType>LoggedData</DataType>
  <ComputerResults>
    <Version>2228228</Version>
    <Name>CORP\\WSAMZN-0001$</Name>
    <Domain>corp.example.test</Domain>
    <SOM>corp.example.test/WorkSpaces</SOM>
    <Site>Default-First-Site-Name</Site>
    <SlowLink>false</SlowLink>
{gpo_entry('ddp', 1)}{gpo_entry('ws', 2)}{gpo_entry('kiosk', 0, filter_allowed=False)}    <ExtensionData>
      <Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="q1:SecuritySettings" xmlns="http://www.microsoft.com/GroupPolicy/Settings">
{sec}      </Extension>
      <Name>Security</Name>
    </ExtensionData>
    <ExtensionData>
      <Extension xmlns:q2="http://www.microsoft.com/GroupPolicy/Settings/Registry" xsi:type="q2:RegistrySettings" xmlns="http://www.microsoft.com/GroupPolicy/Settings">
{reg}      </Extension>
      <Name>Registry</Name>
    </ExtensionData>
  </ComputerResults>
</Rsop>
'''
    path = f'{ROOT}/{kind}/rsop/gpresult-WSAMZN-0001.xml'
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'wb').write(b'\xff\xfe' + text.replace('\n', '\r\n').encode('utf-16-le'))

ORIG = dict(GPOS)
write('broken', True)
GPOS = dict(ORIG)
write('clean', False)
