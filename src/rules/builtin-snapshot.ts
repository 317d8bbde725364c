import { readFileSync } from 'node:fs';
import { locationKey, parseYamlText, type Location, type YamlSource } from './yaml-source.js';

// The built-in pack (rules.yaml) as the build found it: parsed, validated and with its rules' keys located, written
// by scripts/build-builtin-pack.mjs into dist/rules/builtin-pack.json next to the built loader. A start then reads
// JSON instead of loading the YAML library, parsing the file with source positions and validating it (about 100 ms
// of a small `gpaudit audit`; docs/performance.md, "Start-up"). The snapshot is used only while rules.yaml holds
// exactly the bytes it was made from; anything else (an edited rules.yaml, no snapshot as under vitest, which runs
// src/) takes the ordinary path, so what a user sees never depends on it.

export const SNAPSHOT_FORMAT = 1;

export interface BuiltinSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** rules.yaml as read, to compare with the file at run time. */
  text: string;
  /** The parsed data, exactly as the YAML parser built it (JSON-safe: the builder checks). */
  data: unknown;
  /** Every location the loader asks for on a valid pack, by locationKey. */
  known: Record<string, Location>;
}

/** Where the build writes the snapshot: beside this module in dist/rules/. */
export const SNAPSHOT_URL = new URL('./builtin-pack.json', import.meta.url);

/**
 * The built-in file as a YamlSource from the snapshot, or undefined when there is no snapshot or the file is not
 * byte for byte the one it was made from. Anything the snapshot does not hold (a location it did not record) comes
 * from parsing the file on first use.
 */
export function snapshotSource(file: string, snapshotUrl: URL = SNAPSHOT_URL): YamlSource | undefined {
  let snapshot: BuiltinSnapshot;
  let bytes: Buffer;
  try {
    snapshot = JSON.parse(readFileSync(snapshotUrl, 'utf8')) as BuiltinSnapshot;
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (snapshot.format !== SNAPSHOT_FORMAT || typeof snapshot.text !== 'string' || !bytes.equals(Buffer.from(snapshot.text, 'utf8'))) return undefined;
  return sourceFromSnapshot(file, bytes, snapshot);
}

function sourceFromSnapshot(file: string, bytes: Buffer, snapshot: BuiltinSnapshot): YamlSource {
  let parsed: YamlSource | undefined;
  const full = (): YamlSource => {
    if (parsed) return parsed;
    const { source } = parseYamlText(file, new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
    if (!source) throw new Error(`${file}: the built-in rules no longer parse, though the snapshot was made from the same bytes`);
    parsed = source;
    return source;
  };
  return {
    file,
    data: snapshot.data,
    known: new Map(Object.entries(snapshot.known)),
    rulesComplete: true,
    get doc() {
      return full().doc;
    },
    get lineCounter() {
      return full().lineCounter;
    },
  };
}
