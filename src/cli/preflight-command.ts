import { PreflightOptionsError, runPreflight, type PreflightCheck, type PreflightResult } from '../preflight/index.js';
import { UsageError } from './errors.js';

export interface PreflightFlags {
  domain: string;
  dns: string;
  dc?: string[];
  timeout: number;
  format: 'text' | 'json';
}

/** 0 when every check passed, 1 when one failed; a bad option is a UsageError (2). */
export async function preflightCommand(flags: PreflightFlags): Promise<{ text: string; code: 0 | 1 }> {
  const dnsServers = flags.dns.split(',').map((s) => s.trim()).filter(Boolean);
  let result: PreflightResult;
  try {
    result = await runPreflight({ domain: flags.domain, dnsServers, ...(flags.dc?.length ? { dcs: flags.dc } : {}), timeoutMs: flags.timeout });
  } catch (err) {
    if (err instanceof PreflightOptionsError) throw new UsageError(err.message);
    throw err;
  }
  const text = flags.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatPreflight(result);
  return { text, code: result.passed ? 0 : 1 };
}

const MARK: Record<PreflightCheck['status'], string> = { ok: 'ok', failed: 'FAILED', 'not-checked': 'not checked' };

export function formatPreflight(r: PreflightResult): string {
  const lines = [`AD Connector preflight for ${r.domain} (DNS servers ${r.dnsServers.join(', ')})`];
  if (r.domainControllers.length) {
    lines.push(`Domain controllers: ${r.domainControllers.map((d) => `${d.host} [${d.addresses.join(', ') || 'no address'}] (${d.source})`).join('; ')}`);
  }
  lines.push('');
  for (const c of r.checks) {
    const what = `${c.kind}${c.protocol && c.port ? ` ${c.protocol.toUpperCase()} ${c.port}` : ''} ${c.host && c.host !== c.target ? `${c.host} ` : ''}${c.target}`;
    lines.push(`  ${MARK[c.status].padEnd(11)} ${what}: ${c.status === 'failed' ? c.message ?? c.detail : c.detail}`);
    if (c.status === 'failed' && c.fix) lines.push(`              fix: ${c.fix}`);
  }
  lines.push('', `${r.summary.ok} ok, ${r.summary.failed} failed, ${r.summary.notChecked} not checked: ${r.passed ? 'AD Connector should be able to reach this directory' : 'fix the failures above before connecting AD Connector'}`);
  return `${lines.join('\n')}\n`;
}
