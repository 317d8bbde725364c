// The shell every HTML report shares: one file, nothing fetched. The Content-Security-Policy lets the page run the
// one script and apply the one stylesheet it carries (by hash) and nothing else: no remote load, no inline event
// handler, no injected <script>, even if some input string were to slip past the escaping.
import { createHash } from 'node:crypto';
import { escapeHtml, jsonForScript } from './escape.js';

export interface PageParts {
  title: string;
  /** The page's markup between <body> and the scripts: landmarks, headings, sections. */
  body: string;
  css: string;
  /** Classic scripts, run in order at the end of the body. */
  scripts: string[];
  /** Handed to the scripts as a JSON data block with this element id. */
  data?: { id: string; value: unknown };
}

export function htmlPage(parts: PageParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${sourceHash(parts.css)}`,
    `script-src ${parts.scripts.map(sourceHash).join(' ') || "'none'"}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const data = parts.data ? `<script type="application/json" id="${escapeHtml(parts.data.id)}">${jsonForScript(parts.data.value)}</script>\n` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${parts.css}</style>`,
    '</head>',
    '<body>',
    parts.body,
    `${data}${parts.scripts.map((s) => `<script>${s}</script>`).join('\n')}`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A CSP source expression for exactly this element content (the browser hashes the text between the tags). */
function sourceHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}
