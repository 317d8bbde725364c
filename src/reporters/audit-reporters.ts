import type { AuditReporter } from './audit-output-types.js';
import { jsonAuditReporter } from './audit-json.js';
import { textAuditReporter } from './audit-text.js';
import { htmlAuditReporter } from './html.js';
import { junitAuditReporter } from './junit.js';
import { sarifAuditReporter } from './sarif.js';

export type { AuditReporter, AuditReporterOptions } from './audit-output-types.js';

export const AUDIT_FORMATS = ['text', 'json', 'sarif', 'junit', 'html'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export const AUDIT_REPORTERS: Readonly<Record<AuditFormat, AuditReporter>> = {
  text: textAuditReporter,
  json: jsonAuditReporter,
  sarif: sarifAuditReporter,
  junit: junitAuditReporter,
  html: htmlAuditReporter,
};
