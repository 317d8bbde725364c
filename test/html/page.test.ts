// The HTML report's safety nets that need no browser: escaping, the JSON data block, and a CSP whose hashes are the
// hashes of the style and script the page carries (a mismatch would leave the page unstyled and dead).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../src/reporters/html/escape.js';
import { htmlAuditReporter } from '../../src/reporters/html.js';
import { richResult } from '../reporters/fixture.js';

describe('escaping', () => {
  it('escapes markup and quotes, and shows control characters', () => {
    expect(escapeHtml(`<img src=x onerror=alert(1)> & "a" 'b'`)).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;a&quot; &#39;b&#39;');
    expect(escapeHtml('a\u0000b\u001bc\td\ne')).toBe('a\\x00b\\x1bc\td\ne');
  });

  it('the JSON data block never holds <, > or &, and reads back as what went in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = jsonForScript(value);
        expect(text).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(jsonForScript({ v: '</script><!--' })).toBe('{"v":"\\u003c/script\\u003e\\u003c!--"}');
  });
});

describe('the page', () => {
  const html = htmlAuditReporter(richResult(), { color: false, generatedAt: new Date('2026-01-02T03:04:05Z') });
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)![1]!.replaceAll('&#39;', "'");
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

  it('allows exactly its own style and script, and nothing from anywhere else', () => {
    const style = html.match(/<style>([\s\S]*?)<\/style>/)![1]!;
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `style-src ${sha(style)}`,
      `script-src ${sha(scripts[0]!)}`,
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(csp).not.toContain('unsafe');
  });

  it('has no inline style attribute or event handler the CSP would refuse', () => {
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('states the time it was given, and what was audited', () => {
    expect(html).toContain('<time datetime="2026-01-02T03:04:05.000Z">2026-01-02 03:04:05 UTC</time>');
    expect(html).toContain('baseline.json');
    expect(html).toContain('Incomplete:');
  });
});
