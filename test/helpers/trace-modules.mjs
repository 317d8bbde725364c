// `node --import ./test/helpers/trace-modules.mjs …` with GPAUDIT_TRACE_MODULES=<file>: appends to that file the URL
// of every module the process loads, one a line (ES modules through a load hook, CommonJS modules from the require
// cache at exit). test/startup.test.ts uses it to check what `--version` and an audit load.
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const file = process.env.GPAUDIT_TRACE_MODULES;
if (file) {
  register(new URL('./trace-modules-hooks.mjs', import.meta.url), { data: { file } });
  process.on('exit', () => {
    const cjs = Object.keys(createRequire(import.meta.url).cache).map((p) => pathToFileURL(p).href);
    if (cjs.length > 0) appendFileSync(file, `${cjs.join('\n')}\n`);
  });
}
