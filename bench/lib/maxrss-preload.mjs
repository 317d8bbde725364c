// Loaded with `node --import` into a child the bench measures: on exit it writes the process's peak resident set
// (process.resourceUsage().maxRSS, in KiB) to the file named by GPAUDIT_BENCH_RSS_FILE, so peak RSS is known
// without /usr/bin/time.
import { writeFileSync } from 'node:fs';

const target = process.env.GPAUDIT_BENCH_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
