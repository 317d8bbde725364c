# gpaudit's own Backup-GPO and SYSVOL sample folders (hand-written content). The Registry.pol files in them are
# written by pol.mjs; this script writes the XML and INF files around them. Run from the project root:
#   node scripts/samples/pol.mjs && python3 scripts/samples/folders.py samples
import os, shutil, sys
sys.path.insert(0, os.path.dirname(__file__))
import reports as R  # noqa: E402  (reports.py doubles as the report-building library)

ROOT = sys.argv[1]
DOM = 'corp.example.test'
DOM_SID = R.DOM_SID

def utf16(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'wb').write(b'\xff\xfe' + text.replace('\r\n', '\n').replace('\n', '\r\n').encode('utf-16-le'))

def utf8(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'w', encoding='utf-8', newline='').write(text)

def bkup_inst(gpo_guid, backup_id, name):
    return (f'<BackupInst xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest"><GPOGuid><![CDATA[{gpo_guid}]]></GPOGuid>'
            f'<GPODomain><![CDATA[{DOM}]]></GPODomain><GPODomainGuid><![CDATA[{{5f0e1d2c-3b4a-4968-8776-a5b4c3d2e1f0}}]]></GPODomainGuid>'
            f'<GPODomainController><![CDATA[dc1.{DOM}]]></GPODomainController><BackupTime><![CDATA[2026-11-20T17:05:00]]></BackupTime>'
            f'<ID><![CDATA[{backup_id}]]></ID><Comment><![CDATA[]]></Comment><GPODisplayName><![CDATA[{name}]]></GPODisplayName></BackupInst>')

def backup_xml(gpo_guid, name):
    return f'''<?xml version="1.0" encoding="utf-8"?><GroupPolicyBackupScheme bkp:version="2.0" bkp:type="GroupPolicyBackupTemplate" xmlns:bkp="http://www.microsoft.com/GroupPolicy/GPOOperations" xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations">
    <GroupPolicyObject><SecurityGroups/><FilePaths/><GroupPolicyCoreSettings><ID><![CDATA[{gpo_guid}]]></ID><Domain><![CDATA[{DOM}]]></Domain><SecurityDescriptor>01 00 04 9c</SecurityDescriptor><DisplayName><![CDATA[{name}]]></DisplayName><Options><![CDATA[0]]></Options><UserVersionNumber><![CDATA[0]]></UserVersionNumber><MachineVersionNumber><![CDATA[196611]]></MachineVersionNumber><MachineExtensionGuids><![CDATA[[{{35378EAC-683F-11D2-A89A-00C04FBBCFA2}}{{53D6AB1B-2488-11D1-A28C-00C04FB94F17}}][{{827D319E-6EAC-11D2-A4EA-00C04F79F83A}}{{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}}]]]></MachineExtensionGuids><UserExtensionGuids/><WMIFilter/></GroupPolicyCoreSettings>
        <GroupPolicyExtension bkp:ID="{{35378EAC-683F-11D2-A89A-00C04FBBCFA2}}" bkp:DescName="Registry"><FSObjectFile bkp:Path="%GPO_MACH_FSPATH%\\registry.pol" bkp:Location="DomainSysvol\\GPO\\Machine\\registry.pol"/></GroupPolicyExtension>
        <GroupPolicyExtension bkp:ID="{{827D319E-6EAC-11D2-A4EA-00C04F79F83A}}" bkp:DescName="Security"><FSObjectFile bkp:Path="%GPO_MACH_FSPATH%\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf" bkp:Location="DomainSysvol\\GPO\\Machine\\microsoft\\windows nt\\SecEdit\\GptTmpl.inf"/></GroupPolicyExtension>
    </GroupPolicyObject>
</GroupPolicyBackupScheme>'''

def inf(rights, values):
    lines = ['[Unicode]', 'Unicode=yes', '[Registry Values]']
    lines += [f'MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\{k}={v}' for k, v in values]
    lines += ['[Privilege Rights]'] + [f'{r} = {",".join(ps)}' for r, ps in rights]
    lines += ['[Version]', 'signature="$CHICAGO$"', 'Revision=1', '']
    return '\n'.join(lines)

ADMIN = ('S-1-5-32-544', 'BUILTIN\\Administrators')
for kind in ('broken', 'clean'):
    b = kind == 'broken'
    tag = 'B' if b else 'C'
    gpo_guid = f'{{9A1F0C3E-{tag}010-4D2B-8E6F-7A8B9C0D1E2F}}'
    backup_id = f'{{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5{tag}01}}'
    name = f'WorkSpaces - Desktop Baseline ({kind})'
    base = f'{ROOT}/{kind}/backups'
    folder = f'{base}/{backup_id}'
    member = (f'{DOM_SID}-515', 'CORP\\Domain Computers') if b else (f'{DOM_SID}-513', 'CORP\\Domain Users')
    sec = R.right('SeNetworkLogonRight', [ADMIN, member]) + R.secopt_num('DontDisplayLastUserName', 0 if b else 1, "Interactive logon: Don't display last signed-in")
    reg = (R.policy('Hide entry points for Fast User Switching', 'Enabled' if b else 'Disabled', 'System/Logon') +
           R.policy('Turn off Windows Installer', 'Enabled', 'Windows Components/Windows Installer', R.dropdown('Disable Windows Installer', 'For non-managed applications only' if b else 'Never')) +
           R.policy('Select an active power plan', 'Enabled', 'System/Power Management', R.dropdown('Active Power Plan:', 'Power Saver' if b else 'High Performance')) +
           R.policy('Specify the system sleep timeout (plugged in)', 'Enabled', 'System/Power Management/Sleep Settings', R.numeric('System Sleep Timeout (seconds):', 1800 if b else 0)))
    report = R.gpo(gpo_guid, name, R.security_ext(sec) + R.registry_ext(reg), links=[R.WS_OU])
    utf16(f'{folder}/gpreport.xml', '<?xml version="1.0" encoding="utf-16"?>\n' + report)
    utf8(f'{folder}/Backup.xml', backup_xml(gpo_guid, name))
    utf8(f'{folder}/bkupInfo.xml', bkup_inst(gpo_guid, backup_id, name))
    utf8(f'{base}/manifest.xml', '<Backups xmlns="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest" xmlns:mfst="http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest" mfst:version="1.0">' + bkup_inst(gpo_guid, backup_id, name) + '</Backups>')
    utf16(f'{folder}/DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf',
          inf([('SeNetworkLogonRight', ['*S-1-5-32-544', f'*{member[0]}'])], [('DontDisplayLastUserName', f'4,{0 if b else 1}')]))

    # SYSVOL: GPT.INI with a display name, Samba-style ASCII GptTmpl.inf with LF endings, and the GPP power plan.
    sysvol_guid = f'{{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7{tag}01}}'
    gpo_dir = f'{ROOT}/{kind}/sysvol/Policies/{sysvol_guid}'
    utf8(f'{gpo_dir}/GPT.INI', f'[General]\r\nVersion=65539\r\ndisplayName=WorkSpaces - Device Restrictions ({kind})\r\n')
    rdp = ['*S-1-5-32-544'] if b else ['*S-1-5-32-544', '*S-1-5-32-555']
    local = ['*S-1-5-32-544'] if b else ['*S-1-5-32-544', '*S-1-5-32-545']
    utf8(f'{gpo_dir}/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf',
         f'[Privilege Rights]\nSeRemoteInteractiveLogonRight = {",".join(rdp)}\nSeInteractiveLogonRight = {",".join(local)}\n'
         f'[Registry Values]\nMACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\DisableCAD=4,{1 if b else 0}\n')
    src = f'{ROOT}/{kind}/gpp/Machine/Preferences/PowerOptions/PowerOptions.xml'
    dst = f'{gpo_dir}/Machine/Preferences/PowerOptions/PowerOptions.xml'
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
