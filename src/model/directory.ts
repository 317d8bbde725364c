// The directory side of the model: what a scan reads from Active Directory (the LDAP client produces it) and
// hands to the rule engine, and what a scan did. Types only.

/** One user entry, attributes normalised to arrays of strings (ldapts gives scalars or arrays). */
export interface DirectoryUser {
  dn: string;
  sAMAccountName?: string;
  /** Every attribute the scan asked for, lower-cased names, values as strings (binary ones as hex). */
  attributes: Record<string, string[]>;
}

/** Where a scan ran; recorded in findings' provenance, history and SARIF. */
export interface DirectorySource {
  /** The URL that answered, e.g. ldaps://dc1.example.test:636. */
  server: string;
  baseDn: string;
}

/** What one `gpaudit ldap scan` did, for its report's summary (AuditResult.directory). */
export interface DirectoryScanSummary {
  /** The URL that answered (of those given with --url), e.g. ldaps://dc1.example.test:636. */
  server: string;
  /** Where users were searched: --base-dn, else the server's defaultNamingContext. */
  baseDn: string;
  /** The LDAP filter sent, values escaped. */
  filter: string;
  /** Entries the server returned. */
  entriesRead: number;
  /** Entries the directory rules were evaluated against. */
  inScope: number;
  /** Search result pages. */
  pages: number;
  /** Milliseconds from connecting to the last page, connection, bind and any failover included. */
  elapsedMs: number;
}
