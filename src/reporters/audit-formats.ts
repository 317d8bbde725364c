import type { AuditReporter, AuditWriter } from './audit-output-types.js';

// The format names, and each format's reporter loaded alone: importing audit-reporters.ts loads every reporter (the
// HTML one is the largest) just to print --help or to write text.
export const AUDIT_FORMATS = ['text', 'json', 'sarif', 'junit', 'html'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** The reporter of one format, the same function AUDIT_REPORTERS (audit-reporters.ts) holds for it. */
export async function loadAuditReporter(format: AuditFormat): Promise<AuditReporter> {
  return (await formatModule(format)).reporter;
}

/** The writer of one format, the same function AUDIT_WRITERS (audit-reporters.ts) holds for it. */
export async function loadAuditWriter(format: AuditFormat): Promise<AuditWriter> {
  return (await formatModule(format)).writer;
}

async function formatModule(format: AuditFormat): Promise<{ reporter: AuditReporter; writer: AuditWriter }> {
  switch (format) {
    case 'text': {
      const m = await import('./audit-text.js');
      return { reporter: m.textAuditReporter, writer: m.textAuditWriter };
    }
    case 'json': {
      const m = await import('./audit-json.js');
      return { reporter: m.jsonAuditReporter, writer: m.jsonAuditWriter };
    }
    case 'sarif': {
      const m = await import('./sarif.js');
      return { reporter: m.sarifAuditReporter, writer: m.sarifAuditWriter };
    }
    case 'junit': {
      const m = await import('./junit.js');
      return { reporter: m.junitAuditReporter, writer: m.junitAuditWriter };
    }
    case 'html': {
      const m = await import('./html.js');
      return { reporter: m.htmlAuditReporter, writer: m.htmlAuditWriter };
    }
  }
}
