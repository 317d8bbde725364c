# Generates gpaudit's own sample GPO reports (hand-written content, not copies of real exports).
import os, sys
ROOT = sys.argv[1]
DOM_SID = 'S-1-5-21-1004336348-1177238915-682003330'
T = 'http://www.microsoft.com/GroupPolicy/Types'

def member(sid, name):
    s = f'<SID xmlns="{T}">{sid}</SID>' if sid else ''
    n = f'<Name xmlns="{T}">{name}</Name>' if name else ''
    return f'<q1:Member>{s}{n}</q1:Member>'

def right(name, members):
    return f'''        <q1:UserRightsAssignment>
          <q1:Name>{name}</q1:Name>
          {"".join(member(*m) for m in members)}
        </q1:UserRightsAssignment>
'''

def secopt_num(key, value, display):
    return f'''        <q1:SecurityOptions>
          <q1:KeyName>MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\{key}</q1:KeyName>
          <q1:SettingNumber>{value}</q1:SettingNumber>
          <q1:Display>
            <q1:Name>{display}</q1:Name>
            <q1:Units />
            <q1:DisplayBoolean>{'true' if value else 'false'}</q1:DisplayBoolean>
          </q1:Display>
        </q1:SecurityOptions>
'''

def secopt_str(key, value, display):
    return f'''        <q1:SecurityOptions>
          <q1:KeyName>MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\{key}</q1:KeyName>
          <q1:SettingString>"{value}"</q1:SettingString>
          <q1:Display>
            <q1:Name>{display}</q1:Name>
            <q1:Units />
            <q1:DisplayString>"{value}"</q1:DisplayString>
          </q1:Display>
        </q1:SecurityOptions>
'''

def secopt_multi(key, values, display):
    vs = ''.join(f'<q1:Value>{v}</q1:Value>' for v in values)
    return f'''        <q1:SecurityOptions>
          <q1:KeyName>MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\{key}</q1:KeyName>
          <q1:SettingStrings>{vs}</q1:SettingStrings>
          <q1:Display>
            <q1:Name>{display}</q1:Name>
            <q1:Units />
            <q1:DisplayStrings>{vs}</q1:DisplayStrings>
          </q1:Display>
        </q1:SecurityOptions>
'''

def locked(value, display_text):
    return f'''        <q1:SecurityOptions>
          <q1:KeyName>MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\DontDisplayLockedUserId</q1:KeyName>
          <q1:SettingNumber>{value}</q1:SettingNumber>
          <q1:Display>
            <q1:Name>Interactive logon: Display user information when the session is locked</q1:Name>
            <q1:Units />
            <q1:DisplayString>{display_text}</q1:DisplayString>
          </q1:Display>
        </q1:SecurityOptions>
'''

def restricted(group_sid, group_name, members):
    ms = ''.join(f'<q1:Member><SID xmlns="{T}">{s}</SID><Name xmlns="{T}">{n}</Name></q1:Member>' for s, n in members)
    return f'''        <q1:RestrictedGroups>
          <q1:GroupName><SID xmlns="{T}">{group_sid}</SID><Name xmlns="{T}">{group_name}</Name></q1:GroupName>
          {ms}
        </q1:RestrictedGroups>
'''

def security_ext(body, prefix='q1'):
    return f'''    <ExtensionData>
      <Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="q1:SecuritySettings">
{body}        <q1:Blocked>false</q1:Blocked>
      </Extension>
      <Name>Security</Name>
    </ExtensionData>
'''

def policy(name, state, category, elements=''):
    return f'''        <q2:Policy>
          <q2:Name>{name}</q2:Name>
          <q2:State>{state}</q2:State>
          <q2:Explain>Explanation text as GPMC shows it.</q2:Explain>
          <q2:Supported>At least Windows Vista</q2:Supported>
          <q2:Category>{category}</q2:Category>
{elements}        </q2:Policy>
'''

def dropdown(label, value):
    return f'''          <q2:DropDownList>
            <q2:Name>{label}</q2:Name>
            <q2:State>Enabled</q2:State>
            <q2:Value>
              <q2:Name>{value}</q2:Name>
            </q2:Value>
          </q2:DropDownList>
'''

def numeric(label, value):
    return f'''          <q2:Numeric>
            <q2:Name>{label}</q2:Name>
            <q2:State>Enabled</q2:State>
            <q2:Value>{value}</q2:Value>
          </q2:Numeric>
'''

def extra_reg(key, name, value_xml):
    return f'''        <q2:RegistrySetting>
          <q2:KeyPath>{key}</q2:KeyPath>
          <q2:AdmSetting>false</q2:AdmSetting>
          <q2:Value>
            <q2:Name>{name}</q2:Name>
            {value_xml}
          </q2:Value>
        </q2:RegistrySetting>
'''

def registry_ext(body):
    return f'''    <ExtensionData>
      <Extension xmlns:q2="http://www.microsoft.com/GroupPolicy/Settings/Registry" xsi:type="q2:RegistrySettings">
{body}      </Extension>
      <Name>Registry</Name>
    </ExtensionData>
'''

def gpo(guid, name, computer, user='', links=(), root_attrs=True):
    ns = ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings"' if root_attrs else ''
    ls = ''.join(f'''  <LinksTo>
    <SOMName>{n}</SOMName>
    <SOMPath>{p}</SOMPath>
    <Enabled>true</Enabled>
    <NoOverride>{'true' if e else 'false'}</NoOverride>
  </LinksTo>
''' for n, p, e in links)
    return f'''<GPO{ns}>
  <Identifier>
    <Identifier xmlns="{T}">{guid}</Identifier>
    <Domain xmlns="{T}">corp.example.test</Domain>
  </Identifier>
  <Name>{name}</Name>
  <IncludeComments>true</IncludeComments>
  <CreatedTime>2026-10-01T09:00:00</CreatedTime>
  <ModifiedTime>2026-11-20T16:30:00</ModifiedTime>
  <ReadTime>2026-11-25T08:00:00.0000000Z</ReadTime>
  <FilterDataAvailable>true</FilterDataAvailable>
  <Computer>
    <VersionDirectory>7</VersionDirectory>
    <VersionSysvol>7</VersionSysvol>
    <Enabled>true</Enabled>
{computer}  </Computer>
  <User>
    <VersionDirectory>2</VersionDirectory>
    <VersionSysvol>2</VersionSysvol>
    <Enabled>true</Enabled>
{user}  </User>
{ls}</GPO>
'''

def write(path, text, utf16):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if utf16:
        data = b'\xff\xfe' + ('<?xml version="1.0" encoding="utf-16"?>\r\n' + text).replace('\n', '\r\n').replace('\r\r\n', '\r\n').encode('utf-16-le')
    else:
        data = ('<?xml version="1.0" encoding="utf-16"?>\n' + text).encode('utf-8')
    open(path, 'wb').write(data)

WS_OU = ('WorkSpaces', 'corp.example.test/WorkSpaces', False)
ADMIN = ('S-1-5-32-544', 'BUILTIN\\Administrators')
USERS = ('S-1-5-32-545', 'BUILTIN\\Users')
RDU = ('S-1-5-32-555', 'BUILTIN\\Remote Desktop Users')
DU = (f'{DOM_SID}-513', 'CORP\\Domain Users')
DC = (f'{DOM_SID}-515', 'CORP\\Domain Computers')

def logon_security(broken):
    if broken:
        return (right('SeNetworkLogonRight', [ADMIN, DC]) + right('SeDenyNetworkLogonRight', [DU]) +
                right('SeInteractiveLogonRight', [ADMIN]) + right('SeRemoteInteractiveLogonRight', [ADMIN]) +
                secopt_str('LegalNoticeCaption', 'Authorised use only', 'Interactive logon: Message title for users attempting to log on') +
                secopt_multi('LegalNoticeText', ['This WorkSpace is for authorised staff.', 'Activity is logged, monitored, and reviewed.'], 'Interactive logon: Message text for users attempting to log on') +
                secopt_num('DontDisplayLastUserName', 0, "Interactive logon: Don't display last signed-in") +
                secopt_num('DisableCAD', 1, 'Interactive logon: Do not require CTRL+ALT+DEL') +
                locked(3, 'Do not display user information') +
                restricted(*RDU, [ADMIN]))
    return (right('SeNetworkLogonRight', [ADMIN, DU]) + right('SeDenyNetworkLogonRight', [('', 'Guest')]) +
            right('SeInteractiveLogonRight', [ADMIN, USERS]) + right('SeRemoteInteractiveLogonRight', [ADMIN, RDU]) +
            secopt_num('DontDisplayLastUserName', 1, "Interactive logon: Don't display last signed-in") +
            secopt_num('DisableCAD', 0, 'Interactive logon: Do not require CTRL+ALT+DEL') +
            locked(1, 'User display name, domain and user names') +
            restricted(*RDU, [DU]))

def templates(broken):
    if broken:
        c = (policy('Hide entry points for Fast User Switching', 'Enabled', 'System/Logon') +
             policy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', dropdown('Disable Windows Installer', 'Always')) +
             policy('Select an active power plan', 'Enabled', 'System/Power Management', dropdown('Active Power Plan:', 'Power Saver')) +
             policy('Specify the system sleep timeout (plugged in)', 'Enabled', 'System/Power Management/Sleep Settings', numeric('System Sleep Timeout (seconds):', 900)) +
             policy('Turn Off the hard disk (plugged in)', 'Enabled', 'System/Power Management/Hard Disk Settings', numeric('Turn Off the Hard Disk (seconds):', 600)) +
             policy('Turn Off the hard disk (on battery)', 'Enabled', 'System/Power Management/Hard Disk Settings', numeric('Turn Off the Hard Disk (seconds):', 1200)) +
             policy('All Removable Storage classes: Deny all access', 'Enabled', 'System/Removable Storage Access'))
        u = policy('Prevent access to drives from My Computer', 'Enabled', 'Windows Components/File Explorer', dropdown('Pick one of the following combinations', 'Restrict C drive only'))
    else:
        c = (policy('Hide entry points for Fast User Switching', 'Disabled', 'System/Logon') +
             policy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', dropdown('Disable Windows Installer', 'Never')) +
             policy('Select an active power plan', 'Enabled', 'System/Power Management', dropdown('Active Power Plan:', 'High Performance')) +
             policy('Specify the system sleep timeout (plugged in)', 'Enabled', 'System/Power Management/Sleep Settings', numeric('System Sleep Timeout (seconds):', 0)) +
             policy('Turn Off the hard disk (plugged in)', 'Enabled', 'System/Power Management/Hard Disk Settings', numeric('Turn Off the Hard Disk (seconds):', 0)) +
             policy('Turn Off the hard disk (on battery)', 'Enabled', 'System/Power Management/Hard Disk Settings', numeric('Turn Off the Hard Disk (seconds):', 1200)) +
             policy('All Removable Storage classes: Deny all access', 'Disabled', 'System/Removable Storage Access'))
        u = policy('Prevent access to drives from My Computer', 'Enabled', 'Windows Components/File Explorer', dropdown('Pick one of the following combinations', 'Restrict A and B drives only'))
    return registry_ext(c), registry_ext(u)

for kind in ('broken', 'clean'):
    b = kind == 'broken'
    tag = 'B' if b else 'C'
    # One GPO, as Get-GPOReport -ReportType Xml writes it: UTF-16LE with BOM, CRLF.
    write(f'{ROOT}/{kind}/gpo-report/WorkSpaces-Logon-Security.xml',
          gpo(f'{{6E4D2A10-{tag}001-4C1A-9A5E-2F60C1D0A001}}', f'WorkSpaces - Logon Security ({kind})', security_ext(logon_security(b)), links=[WS_OU]), True)
    # Get-GPOReport -All: a <report> root holding several GPOs, here re-saved as UTF-8 (the declaration still says utf-16).
    c, u = templates(b)
    legacy = registry_ext(extra_reg('Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', 'LegalNoticeCaption', '<q2:String>Legacy banner title</q2:String>' if b else '<q2:String></q2:String>'))
    body = (gpo(f'{{6E4D2A10-{tag}002-4C1A-9A5E-2F60C1D0A002}}', f'WorkSpaces - Desktop Templates ({kind})', c, u, links=[WS_OU], root_attrs=False) +
            gpo(f'{{6E4D2A10-{tag}003-4C1A-9A5E-2F60C1D0A003}}', f'Legacy Winlogon Tweaks ({kind})', legacy, links=[('corp.example.test', 'corp.example.test', True)], root_attrs=False))
    write(f'{ROOT}/{kind}/gpo-report/All-GPOs.xml',
          '<report xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings">\n' + body.replace('<GPO>', '<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings">') + '</report>\n', False)
