#!/usr/bin/env node
// XML library comparison on every real GPO report XML under /work/shared/realdata: each library parses all of
// them, three rounds, each library in its own child process so one's JIT and heap do not colour another's.
//
//   node bench/xml-libs.mjs [--rounds 3] [--json]         all libraries, a table (or JSON)
//   node bench/xml-libs.mjs --lib saxes [--rounds 3]      one library, one line of JSON (what the parent runs)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gpoReportFiles, listFiles, REALDATA, realdataPresent } from './lib/corpus.mjs';
import { table } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
const noop = () => {};

// What each gives that gpaudit needs: namespace URIs (reports are read by namespace, never by prefix) and the
// line of each element (every setting's provenance).
export const LIBRARIES = {
  saxes: {
    package: 'saxes',
    gives: 'namespace URIs, line+column',
    setup: () => {
      const { SaxesParser } = require('saxes');
      return (text) => {
        const p = new SaxesParser({ xmlns: true, position: true });
        p.on('opentag', noop);
        p.on('closetag', noop);
        p.on('text', noop);
        p.write(text).close();
      };
    },
  },
  sax: {
    package: 'sax',
    gives: 'namespace URIs, line+column',
    setup: () => {
      const sax = require('sax');
      return (text) => {
        const p = sax.parser(true, { xmlns: true, position: true });
        p.onopentag = noop;
        p.onclosetag = noop;
        p.ontext = noop;
        p.write(text).close();
      };
    },
  },
  saxen: {
    package: 'saxen',
    gives: 'namespace URIs; line only by rescanning from the start (getContext), so none here',
    setup: () => {
      const { Parser } = require('saxen');
      return (text) => {
        const p = new Parser();
        p.ns({ 'http://www.microsoft.com/GroupPolicy/Settings': 'gp', 'http://www.w3.org/2001/XMLSchema-instance': 'xsi' });
        p.on('openTag', (_name, attrs) => attrs());
        p.on('closeTag', noop);
        p.on('text', noop);
        p.parse(text);
      };
    },
  },
  'fast-xml-parser': {
    package: 'fast-xml-parser',
    gives: 'prefixed names only (no URIs), no lines; builds a whole object tree',
    setup: () => {
      const { XMLParser } = require('fast-xml-parser');
      const parser = new XMLParser({ ignoreAttributes: false });
      return (text) => parser.parse(text);
    },
  },
  xml2js: {
    package: 'xml2js',
    gives: 'namespace URIs (xmlns option), no lines; builds a whole object tree',
    setup: () => {
      const { Parser } = require('xml2js');
      return (text) => {
        let failure;
        new Parser({ xmlns: true }).parseString(text, (err) => (failure = err));
        if (failure) throw failure;
      };
    },
  },
};

function packageVersion(name) {
  const main = require.resolve(name);
  const root = main.slice(0, main.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length);
  return JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version;
}

export async function loadReports() {
  const { decodeText } = await import('../dist/codecs/decode.js');
  const files = gpoReportFiles(listFiles(REALDATA));
  return files.map((f) => decodeText(readFileSync(f)).text);
}

async function runOne(name, rounds) {
  const texts = await loadReports();
  const parse = LIBRARIES[name].setup();
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    for (const t of texts) parse(t);
    ms.push(performance.now() - t0);
  }
  return { lib: name, version: packageVersion(LIBRARIES[name].package), files: texts.length, chars: texts.reduce((n, t) => n + t.length, 0), ms };
}

/** Every library in turn, each in a fresh `node` so none inherits another's warmed-up state. */
export function compareLibraries(rounds = 3) {
  if (!realdataPresent()) return { skipped: `no real corpus at ${REALDATA}` };
  const script = fileURLToPath(import.meta.url);
  const results = Object.keys(LIBRARIES).map((name) =>
    JSON.parse(execFileSync(process.execPath, ['--expose-gc', script, '--lib', name, '--rounds', String(rounds)], { encoding: 'utf8', maxBuffer: 1 << 20 })),
  );
  return { results };
}

export function librariesTable({ results }) {
  const best = (r) => Math.min(...r.ms);
  const base = best(results.find((r) => r.lib === 'saxes'));
  const rows = results.map((r) => [
    `${r.lib} ${r.version}`,
    r.ms.map((m) => m.toFixed(0)).join(' / '),
    `${best(r).toFixed(0)}`,
    `${(best(r) / base).toFixed(2)}×`,
    `${(r.chars / 1e6 / (best(r) / 1000)).toFixed(0)}`,
    LIBRARIES[r.lib].gives,
  ]);
  return table(['library', 'ms per round (1 / 2 / 3)', 'best ms', 'vs saxes', 'M chars/s', 'gives'], rows);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const rounds = Number(arg('--rounds', 3));
  const lib = arg('--lib');
  if (lib) console.log(JSON.stringify(await runOne(lib, rounds)));
  else {
    const comparison = compareLibraries(rounds);
    if (comparison.skipped) console.log(`XML library comparison skipped: ${comparison.skipped}`);
    else if (process.argv.includes('--json')) console.log(JSON.stringify(comparison, null, 2));
    else {
      const { files, chars } = comparison.results[0];
      console.log(`${files} real GPO report XML files, ${(chars / 1e6).toFixed(1)} M characters, ${rounds} rounds each\n`);
      console.log(librariesTable(comparison));
    }
  }
}
