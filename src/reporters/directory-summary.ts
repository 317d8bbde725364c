import type { DirectoryScanSummary } from '../model/directory.js';
import { printable } from './printable.js';

/**
 * The summary line of a directory scan, in place of the file counts of a GPO audit, e.g.
 * `Directory: 1,234 entries read from ldaps://dc1:636 (base DC=corp,DC=example), 1,200 in scope, 2 pages, 3.4 s`.
 * The server and base DN come from the network (the base DN from the rootDSE): control characters are shown escaped.
 */
export function directorySummaryLine(directory: DirectoryScanSummary): string {
  const read = `${count(directory.entriesRead)} ${directory.entriesRead === 1 ? 'entry' : 'entries'} read`;
  const where = `from ${printable(directory.server)} (base ${printable(directory.baseDn)})`;
  const pages = `${count(directory.pages)} ${directory.pages === 1 ? 'page' : 'pages'}`;
  return `Directory: ${read} ${where}, ${count(directory.inScope)} in scope, ${pages}, ${seconds(directory.elapsedMs)}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}
