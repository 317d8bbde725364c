// `npm run samples`: write the generated files of samples/ (see samples.ts); the hand-written ones stay as they are.
// Usage: main.js [samples folder, default: samples under the current directory]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sampleFiles } from './samples.js';

const root = resolve(process.argv[2] ?? 'samples');
for (const file of sampleFiles(root)) {
  const target = join(root, ...file.path.split('/'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.bytes);
  console.log(`wrote samples/${file.path} (${file.bytes.length} bytes)`);
}
