import type { FileOutcome, NormalisedUnit, EstateSummary as SettingsSummary } from '../model/unit.js';
import { formatProblem, type Problem } from '../model/problems.js';
import { describeSetting, formatGpo, formatLocation } from '../model/describe.js';

export type { EstateSummary as SettingsSummary } from '../model/unit.js';

/**
 * A settings reporter receives units as they are read (so an estate streams through in bounded memory) and
 * closes with the run's outcomes and problems. A unit's output is made by `render`, a pure function of the unit
 * (a worker thread can run it: settingsRenderer), and written in reading order by `written`.
 */
export interface SettingsReporter {
  unit(unit: NormalisedUnit): void;
  /** Writes what `settingsRenderer(format)` made of a unit, as `unit` would have. */
  written(rendered: RenderedUnit): void;
  end(outcomes: FileOutcome[], problems: Problem[], summary: SettingsSummary): void;
}

/** A unit's part of a settings report: text, or one JSON document per GPO (the commas are the reporter's). */
export type RenderedUnit = string[];

export type Write = (chunk: string) => void;

export type SettingsFormat = 'text' | 'json';

/** A unit's part of the report in `format`, depending on nothing but the unit. */
export function settingsRenderer(format: SettingsFormat): (unit: NormalisedUnit) => RenderedUnit {
  return format === 'json' ? (unit) => unit.gpos.map((g) => JSON.stringify(g)) : (unit) => [renderText(unit)];
}

function renderText(unit: NormalisedUnit): string {
  let out = '';
  for (const g of unit.gpos) {
    if (g.settings.length === 0 && !g.info) continue;
    out += `GPO ${formatGpo(g.gpo)}\n`;
    if (g.info?.rsop) out += Object.entries(g.info.rsop).map(([side, r]) => `  RSoP ${side}: ${r.applied ? 'applied' : 'not applied'}\n`).join('');
    if (g.info?.unreadExtensions?.length) out += `  not evaluated (extensions gpaudit does not model): ${g.info.unreadExtensions.join(', ')}\n`;
    for (const s of g.settings) {
      const rsop = s.provenance.rsop ? ` (precedence ${s.provenance.rsop.precedence}${s.provenance.rsop.winner ? ', winner' : ''})` : '';
      out += `  ${describeSetting(s)}\n      at ${formatLocation(s.provenance)}${rsop}\n`;
    }
    if (g.settings.length === 0) out += '  (no settings)\n';
    out += '\n';
  }
  return out;
}

export function textSettingsReporter(write: Write): SettingsReporter {
  const render = settingsRenderer('text');
  const written = (rendered: RenderedUnit) => {
    for (const chunk of rendered) if (chunk) write(chunk);
  };
  return {
    unit: (unit) => written(render(unit)),
    written,
    end(_outcomes, problems, summary) {
      if (problems.length > 0) {
        write('Problems:\n');
        for (const p of problems) write(`  ${formatProblem(p)}\n`);
        write('\n');
      }
      const parts = summary.knownParts > 0 ? `, ${summary.knownParts} standard backup part(s) skipped (comments, audit.csv, HTML reports)` : '';
      write(
        `${summary.files} file(s): ${summary.read} read, ${summary.failed} could not be read, ${summary.unsupported - summary.knownParts} not audited, ${summary.unknown} not recognised${parts}; ` +
          `${summary.settings} setting(s) in ${summary.gpos} GPO(s)\n`,
      );
    },
  };
}

export const SETTINGS_SCHEMA_ID = 'https://github.com/gpaudit/gpaudit/schemas/settings-output.schema.json';

/** Streams one JSON document; its shape is schemas/settings-output.schema.json. */
export function jsonSettingsReporter(write: Write, version: string): SettingsReporter {
  let first = true;
  write(`{"$schema":${JSON.stringify(SETTINGS_SCHEMA_ID)},"schemaVersion":1,"tool":{"name":"gpaudit","version":${JSON.stringify(version)}},"gpos":[`);
  const render = settingsRenderer('json');
  const written = (rendered: RenderedUnit) => {
    for (const gpo of rendered) {
      write(`${first ? '\n' : ',\n'}${gpo}`);
      first = false;
    }
  };
  return {
    unit: (unit) => written(render(unit)),
    written,
    end(outcomes, problems, summary) {
      write(`\n],"inputs":${JSON.stringify(outcomes)},"problems":${JSON.stringify(problems)},"summary":${JSON.stringify(summary)}}\n`);
    },
  };
}
