/**
 * What can be wrong with a rules file or a configuration file.
 * - `yaml-syntax`: not well-formed YAML (also duplicate keys, unknown tags, alias limits, invalid UTF-8).
 * - `schema`: wrong shape: wrong type, missing property, too few items, two operators in one condition.
 * - `unknown-property`: a property, matcher or condition the format does not have.
 * - `invalid-value`: right type, wrong value: not in the allowed set, bad pattern, not kebab-case, not a real date.
 * - `duplicate-id`: a rule id defined twice in one file.
 * - `extends-cycle`, `extends-missing`: the `extends` chain loops or names a file that does not exist.
 * - `bad-regex`: a `regex` condition that does not compile or is not linear-time safe, a `charactersOutside` body
 *   that is not one character class.
 * - `bad-principal`: a principal that is not a SID, `rid:<n>` or a known alias.
 * - `incomplete-rule`: after merging every file, a rule still lacks required fields.
 * - `io-error`: the file cannot be read, is not a file, or is over the size limit.
 */
export type RuleFileErrorCode =
  | 'yaml-syntax'
  | 'schema'
  | 'unknown-property'
  | 'invalid-value'
  | 'duplicate-id'
  | 'extends-cycle'
  | 'extends-missing'
  | 'bad-regex'
  | 'bad-principal'
  | 'incomplete-rule'
  | 'io-error';

export interface RuleFileError {
  file: string;
  /** 1-based; 0 when the error concerns the whole file (it could not be read). */
  line: number;
  /** 1-based; 0 together with line 0. */
  column: number;
  /** JSON pointer into the file's data, e.g. `/rules/x/checks/0/when`; empty for the whole document. */
  path: string;
  code: RuleFileErrorCode;
  message: string;
}

/** `rules.yaml:12:7: /rules/x/severity: must be one of critical, high, medium, low, info (got "hgih")` */
export function formatRuleFileError(e: RuleFileError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return e.path ? `${where}: ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}

export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
