// Load one dependency-free TypeScript module from a plain Node script, using the project's own compiler,
// so scripts and benchmarks share the test helpers' code instead of keeping copies.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export async function importTs(path) {
  const { outputText } = ts.transpileModule(readFileSync(path, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
}
