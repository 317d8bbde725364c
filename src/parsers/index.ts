import type { InputFormat } from '../model/settings.js';
import { parseBackupMetadata } from './backup-metadata.js';
import type { Parser } from './common.js';
import { parseGpoReport } from './gpo-report.js';
import { parseGppPowerOptions } from './gpp-power.js';
import { parseGppRegistry } from './gpp-registry.js';
import { parseGptIni } from './gpt-ini.js';
import { parseRegistryPol } from './registry-pol.js';
import { parseRsop } from './rsop.js';
import { parseSecurityTemplate } from './security-template.js';

/** One parser per input format; a format without a parser does not compile. */
export const PARSERS: Readonly<Record<InputFormat, Parser>> = {
  'gpo-report': parseGpoReport,
  rsop: parseRsop,
  'security-template': parseSecurityTemplate,
  'registry-pol': parseRegistryPol,
  'gpp-registry': parseGppRegistry,
  'gpp-power': parseGppPowerOptions,
  'backup-metadata': parseBackupMetadata,
  'gpt-ini': parseGptIni,
};

export type { Parser } from './common.js';
