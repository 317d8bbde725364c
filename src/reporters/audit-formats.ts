import type { AuditReporter, AuditWriter } from './audit-output-types.js';

// The format names, and each format's reporter loaded alone: importing audit-reporters.ts loads every reporter (the
// HTML one is the largest) just to print --help or to write text.
export const AUDIT_FORMATS = ['text', 'json', 'sarif', 'junit', 'html'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** The reporter of one format, the same function AUDIT_REPORTERS (audit-reporters.ts) holds for it. */
export async function loadAuditReporter(format: AuditFormat): Promise<AuditReporter> {
  switch (format) {
    case 'text':
      return (await import('./audit-text.js')).textAuditReporter;
    case 'json':
      return (await import('./audit-json.js')).jsonAuditReporter;
    case 'sarif':
      return (await import('./sarif.js')).sarifAuditReporter;
    case 'junit':
      return (await import('./junit.js')).junitAuditReporter;
    case 'html':
      return (await import('./html.js')).htmlAuditReporter;
  }
}

/** The writer of one format, the same function AUDIT_WRITERS (audit-reporters.ts) holds for it. */
export async function loadAuditWriter(format: AuditFormat): Promise<AuditWriter> {
  switch (format) {
    case 'text':
      return (await import('./audit-text.js')).textAuditWriter;
    case 'json':
      return (await import('./audit-json.js')).jsonAuditWriter;
    case 'sarif':
      return (await import('./sarif.js')).sarifAuditWriter;
    case 'junit':
      return (await import('./junit.js')).junitAuditWriter;
    case 'html':
      return (await import('./html.js')).htmlAuditWriter;
  }
}
