import type { FileOutcome } from '../model/unit.js';
import type { GpoInfo } from '../model/gpo.js';
import type { Problem } from '../model/problems.js';
import type { GpoRef, Setting } from '../model/settings.js';
import type { SettingsSummary } from './settings-output.js';

/**
 * The JSON document `gpaudit settings --format json` writes. schemas/settings-output.schema.json is generated
 * from this type (`npm run schema`); a test fails when the two drift apart.
 */
export interface SettingsOutput {
  $schema: string;
  /** Bumped on any incompatible change. */
  schemaVersion: 1;
  tool: { name: 'gpaudit'; version: string };
  /** One entry per GPO per input unit (a backup or SYSVOL folder, or a loose file), in the order read. */
  gpos: {
    gpo: GpoRef;
    info?: GpoInfo;
    settings: Setting[];
  }[];
  /** What became of every file: read, failed, unsupported (recognised, not audited) or unknown. */
  inputs: FileOutcome[];
  problems: Problem[];
  summary: SettingsSummary;
}
