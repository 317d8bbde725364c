import type { AuditResult } from '../audit/result.js';
import { tallyFindings, type FindingList } from '../model/findings.js';
import type { AuditReporter, AuditWriter } from './audit-output-types.js';

/** The string form of a writer: one implementation per format, and the string is only ever the chunks joined. */
export function reporterOf(writer: AuditWriter): AuditReporter {
  return (result, options) => {
    const chunks: string[] = [];
    writer(result, options, (chunk) => chunks.push(chunk));
    return chunks.join('');
  };
}

/**
 * The result with a list that carries its tally: summaries and the exit code ask for the counts more than once, and
 * a list without a tally would be read again for each.
 */
export function withTally(result: AuditResult<FindingList>): AuditResult<FindingList> {
  const findings = result.findings;
  if (findings.tally) return result;
  const tally = tallyFindings(findings);
  return { ...result, findings: { length: findings.length, tally, [Symbol.iterator]: () => findings[Symbol.iterator]() } };
}

/**
 * Writes `JSON.stringify(document, null, 2)` as it would read with `items` (each through `toJson`) in place of the
 * empty array `document` holds under `key`, without a string or array of all the items: the document is stringified
 * around the empty array, and each item alone, its lines indented to the depth it sits at. `indent` is the key's
 * indentation, which with the key names it: JSON.stringify escapes newlines in strings, so `\n` + indent + key
 * occurs only where the key itself is.
 */
export function writeJsonSpliced<T>(
  document: unknown,
  key: string,
  indent: string,
  items: Iterable<T>,
  toJson: (item: T) => unknown,
  write: (chunk: string) => void,
): void {
  const text = JSON.stringify(document, null, 2);
  const open = `\n${indent}${JSON.stringify(key)}: [`;
  const at = text.indexOf(`${open}]`);
  if (at < 0) throw new Error(`writeJsonSpliced: no empty ${key} array at indentation ${indent.length}`);
  write(text.slice(0, at + open.length));
  const itemIndent = `${indent}  `;
  let separator = '\n';
  for (const item of items) {
    write(`${separator}${itemIndent}${JSON.stringify(toJson(item), null, 2).replaceAll('\n', `\n${itemIndent}`)}`);
    separator = ',\n';
  }
  if (separator !== '\n') write(`\n${indent}`);
  write(text.slice(at + open.length));
}
