#!/usr/bin/env node
// The floor `gpaudit settings` is measured against: the least any tool must do with the same files. Walk them,
// read every byte, decode every text file to a string with gpaudit's own decoder (dist/codecs/decode.js, so the
// same BOM/UTF-8/UTF-16/windows-1252 rules), and tokenize every XML file with saxes, namespaces and positions
// on, handlers empty. registry.pol is binary: it is read, not decoded.
//
//   node bench/floor.mjs <folder>   → one line of JSON: files, bytes, chars, xmlFiles, xmlErrors
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { decodeText } from '../dist/codecs/decode.js';

const noop = () => {};

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

function tokenize(text) {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let failed = false;
  parser.on('opentag', noop);
  parser.on('closetag', noop);
  parser.on('text', noop);
  parser.on('error', () => {
    failed = true;
  });
  parser.write(text).close();
  return failed;
}

const totals = { files: 0, bytes: 0, chars: 0, xmlFiles: 0, xmlErrors: 0 };
for (const path of walk(process.argv[2])) {
  const bytes = readFileSync(path);
  totals.files++;
  totals.bytes += bytes.length;
  const lower = path.toLowerCase();
  if (lower.endsWith('.pol')) continue;
  const { text } = decodeText(bytes);
  totals.chars += text.length;
  if (!lower.endsWith('.xml')) continue;
  totals.xmlFiles++;
  if (tokenize(text)) totals.xmlErrors++;
}
console.log(JSON.stringify(totals));
