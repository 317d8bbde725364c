#!/usr/bin/env node
// The README's output excerpts are the real output of the commands they show, so they cannot drift.
// Each excerpt is a marker followed by a fenced block:
//
//   <!-- output: gpaudit audit samples/broken/backups -->
//   ```text
//   ...what that command prints, run from the repository root...
//   ```
//
// `node scripts/readme-excerpts.mjs` rewrites the blocks (npm run readme); `--check` prints the stale ones and
// exits 1 (test/readme.test.ts runs it). Needs the build (dist/).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
const MARKER = /^<!-- output: gpaudit (.+?) -->\n```text\n[\s\S]*?^```$/gm;

/** stdout of one gpaudit command, as a user at the repository root sees it when piped (no colour). */
export function commandOutput(args) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return r.stdout.replace(/\n+$/, '');
}

export function regenerate(text) {
  return text.replace(MARKER, (_block, command) => {
    const args = command.trim().split(/\s+/);
    return `<!-- output: gpaudit ${command} -->\n\`\`\`text\n${commandOutput(args)}\n\`\`\``;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(README, 'utf8');
  const fresh = regenerate(current);
  if (process.argv.includes('--check')) {
    if (fresh !== current) {
      const stale = [...current.matchAll(MARKER)].filter((m) => !fresh.includes(m[0])).map((m) => `gpaudit ${m[1]}`);
      process.stderr.write(`README.md: stale output excerpt(s), run \`npm run readme\`: ${stale.join('; ')}\n`);
      process.exit(1);
    }
  } else if (fresh !== current) {
    writeFileSync(README, fresh);
  }
}
