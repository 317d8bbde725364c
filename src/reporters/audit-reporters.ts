import type { AuditFormat } from './audit-formats.js';
import type { AuditReporter, AuditWriter } from './audit-output-types.js';
import { jsonAuditReporter, jsonAuditWriter } from './audit-json.js';
import { textAuditReporter, textAuditWriter } from './audit-text.js';
import { htmlAuditReporter, htmlAuditWriter } from './html.js';
import { junitAuditReporter, junitAuditWriter } from './junit.js';
import { sarifAuditReporter, sarifAuditWriter } from './sarif.js';

export type { AuditReporter, AuditReporterOptions, AuditWriter } from './audit-output-types.js';

export { AUDIT_FORMATS, type AuditFormat } from './audit-formats.js';

export const AUDIT_REPORTERS: Readonly<Record<AuditFormat, AuditReporter>> = {
  text: textAuditReporter,
  json: jsonAuditReporter,
  sarif: sarifAuditReporter,
  junit: junitAuditReporter,
  html: htmlAuditReporter,
};

/** Each format's writer: the same document as its reporter, in pieces (the reporter joins them). */
export const AUDIT_WRITERS: Readonly<Record<AuditFormat, AuditWriter>> = {
  text: textAuditWriter,
  json: jsonAuditWriter,
  sarif: sarifAuditWriter,
  junit: junitAuditWriter,
  html: htmlAuditWriter,
};
