import type { FileOutcome, NormalisedUnit, EstateSummary as SettingsSummary } from '../model/unit.js';
import { formatProblem, type Problem } from '../model/problems.js';
import { describeSetting, formatGpo, formatLocation } from '../model/describe.js';

export type { EstateSummary as SettingsSummary } from '../model/unit.js';

/**
 * A settings reporter receives units as they are read (so an estate streams through in bounded memory) and
 * closes with the run's outcomes and problems.
 */
export interface SettingsReporter {
  unit(unit: NormalisedUnit): void;
  end(outcomes: FileOutcome[], problems: Problem[], summary: SettingsSummary): void;
}

export type Write = (chunk: string) => void;

export function textSettingsReporter(write: Write): SettingsReporter {
  return {
    unit(unit) {
      for (const g of unit.gpos) {
        if (g.settings.length === 0 && !g.info) continue;
        write(`GPO ${formatGpo(g.gpo)}\n`);
        const state = g.info?.rsop
          ? Object.entries(g.info.rsop).map(([side, r]) => `  RSoP ${side}: ${r.applied ? 'applied' : 'not applied'}\n`).join('')
          : '';
        write(state);
        if (g.info?.unreadExtensions?.length) write(`  not evaluated (extensions gpaudit does not model): ${g.info.unreadExtensions.join(', ')}\n`);
        for (const s of g.settings) {
          const rsop = s.provenance.rsop ? ` (precedence ${s.provenance.rsop.precedence}${s.provenance.rsop.winner ? ', winner' : ''})` : '';
          write(`  ${describeSetting(s)}\n      at ${formatLocation(s.provenance)}${rsop}\n`);
        }
        if (g.settings.length === 0) write('  (no settings)\n');
        write('\n');
      }
    },
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
  return {
    unit(unit) {
      for (const g of unit.gpos) {
        write(`${first ? '\n' : ',\n'}${JSON.stringify(g)}`);
        first = false;
      }
    },
    end(outcomes, problems, summary) {
      write(`\n],"inputs":${JSON.stringify(outcomes)},"problems":${JSON.stringify(problems)},"summary":${JSON.stringify(summary)}}\n`);
    },
  };
}
