// Child process for crash.test.ts: writes runs into a history as fast as it can until the parent kills it.
// argv: <compiled store.js> <history file> <findings per run>
import { pathToFileURL } from 'node:url';

const [storePath, historyPath, perRun] = process.argv.slice(2);
const { openHistory } = await import(pathToFileURL(storePath).href);
const history = openHistory(historyPath);
const count = Number(perRun);

for (let round = 0; ; round++) {
  const runId = history.startRun({
    server: 'ldap://dc1.example.test',
    baseDn: 'DC=example,DC=test',
    startedAt: new Date(),
    gpauditVersion: '0.0.0-crash-test',
    options: { round },
  });
  // Pipes are synchronous on Linux, so the parent sees this line before the next write begins.
  process.stdout.write(`started ${runId}\n`);
  if (round % 4 === 3) {
    history.failRun(runId, { endedAt: new Date(), error: 'simulated failure' });
    process.stdout.write(`failed ${runId}\n`);
    continue;
  }
  const findings = Array.from({ length: count }, (_, i) => ({
    ruleId: `LDAP-${i % 7}`,
    severity: 'high',
    message: `finding ${i} of run ${runId}`,
    fingerprint: `fp-${i}`,
    subject: { dn: `CN=user${i},OU=Staff,DC=example,DC=test`, sAMAccountName: `user${i}` },
  }));
  history.completeRun(runId, { endedAt: new Date(), counts: { scanned: count, findings: count, bySeverity: { high: count } }, findings });
  process.stdout.write(`completed ${runId}\n`);
}
