import type { AuditFormat } from './audit-formats.js';
import type { AuditReporter } from './audit-output-types.js';
import { jsonAuditReporter } from './audit-json.js';
import { textAuditReporter } from './audit-text.js';
import { htmlAuditReporter } from './html.js';
import { junitAuditReporter } from './junit.js';
import { sarifAuditReporter } from './sarif.js';

export type { AuditReporter, AuditReporterOptions } from './audit-output-types.js';

export { AUDIT_FORMATS, type AuditFormat } from './audit-formats.js';

export const AUDIT_REPORTERS: Readonly<Record<AuditFormat, AuditReporter>> = {
  text: textAuditReporter,
  json: jsonAuditReporter,
  sarif: sarifAuditReporter,
  junit: junitAuditReporter,
  html: htmlAuditReporter,
};
