// USER_ATTRIBUTES: what a scan asks the server for. The user and scan types are the model's (model/directory.ts).

export const USER_ATTRIBUTES = ['sAMAccountName', 'mail', 'loginShell', 'userAccountControl', 'userPrincipalName', 'displayName'] as const;
