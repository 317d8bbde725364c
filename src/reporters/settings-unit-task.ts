// `gpaudit settings` on one unit, wherever the unit is read (pipeline/read-estate-pool.ts): the unit's part of the
// report is made where its settings are, and only that text crosses back to the thread that writes the report.
import type { NormalisedUnit } from '../model/unit.js';
import type { UnitTask } from '../model/unit-task.js';
import { settingsRenderer, type RenderedUnit, type SettingsFormat } from './settings-output.js';

export interface SettingsTaskInit {
  format: SettingsFormat;
}

export function createUnitTask(init: SettingsTaskInit): (unit: NormalisedUnit) => RenderedUnit {
  return settingsRenderer(init.format);
}

export function settingsUnitTask(format: SettingsFormat): UnitTask<SettingsTaskInit, RenderedUnit> {
  return { module: new URL('./settings-unit-task.js', import.meta.url).href, init: { format }, create: createUnitTask };
}
