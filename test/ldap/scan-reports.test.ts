// The reports of a real `gpaudit ldap scan` as their consumers take them (issue 10): the HTML report opened in headless
// Chromium (the seeded users' bad names, leading dashes, `$`, non-ASCII, over-long, show as text; the counts equal the
// JSON report's; nothing leaves the page), and the SARIF log validated by the Multitool with GitHub's and GHAzDO's
// rule kinds. The rest of those outputs' tests: test/html/report.test.ts, test/reporters/sarif-consumers.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launch, watchedPage } from '../html/browser.js';
import { cli } from '../helpers/cli.js';
import { describeSamba, samba } from '../helpers/samba.js';
import { AZURE_PIPELINES_ENV, expectCodeScanningShape, NO_PIPELINE_ENV, validateForAllConsumers, validateForGitHub } from '../reporters/ci-consumers.js';

describeSamba('gpaudit ldap scan reports against the real DC', () => {
  const base = () => ['ldap', 'scan', '--url', samba().ldapsUrl, '--ca-file', samba().caFile, '--bind-dn', samba().adminUpn];

  it('SARIF: zero errors under the Multitool\'s own, GitHub\'s and (in a pipeline) GHAzDO\'s rules; every result has a physical location', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-sarif-scan-'));
    try {
      const github = join(dir, 'github.sarif');
      const r = await cli([...base(), '--format', 'sarif', '-o', github], { GPAUDIT_LDAP_PASSWORD: samba().password, ...NO_PIPELINE_ENV });
      expect(r.code, r.stderr).toBe(1);
      expect(validateForGitHub(github)).toEqual([]);
      const log = JSON.parse(readFileSync(github, 'utf8'));
      expect(log.runs[0].results.length).toBeGreaterThan(5);
      expectCodeScanningShape(log);
      const azure = join(dir, 'azure.sarif');
      await cli([...base(), '--format', 'sarif', '-o', azure], { GPAUDIT_LDAP_PASSWORD: samba().password, ...AZURE_PIPELINES_ENV });
      expect(validateForAllConsumers(azure)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describeBrowser('in headless Chromium', () => {
    let dir: string;
    let browser: Browser;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gpaudit-html-scan-'));
      browser = await launch();
    });
    afterAll(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows the scan with the JSON report\'s counts and findings, every user name as text, requesting nothing', async () => {
      const env = { GPAUDIT_LDAP_PASSWORD: samba().password };
      const html = join(dir, 'scan.html');
      const r = await cli([...base(), '--format', 'html', '-o', html], env);
      expect(r.code, r.stderr).toBe(1);
      const json = JSON.parse((await cli([...base(), '--format', 'json'], env)).stdout) as {
        summary: { findings: Record<string, number>; suppressed: number; notEvaluated: number };
        findings: { fingerprint: string; directoryObject?: { dn: string; name?: string } }[];
      };
      expect(json.findings.length).toBeGreaterThan(5);

      const { page, log } = await watchedPage(browser);
      await page.goto(pathToFileURL(html).href);
      await page.waitForSelector('html[data-ready="true"]');
      const counts = Object.fromEntries(
        await page.locator('[data-count]').evaluateAll((nodes) => nodes.map((n) => [(n as HTMLElement).dataset.count!, Number(n.textContent!.replace(/,/g, ''))])),
      );
      expect(counts).toEqual({ ...json.summary.findings, suppressed: json.summary.suppressed, notEvaluated: json.summary.notEvaluated });
      const all = page.locator('#findings-all');
      if (await all.isVisible()) await all.click();
      const shown = await page.locator('#findings-list article.finding').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.fingerprint!));
      expect(shown.sort()).toEqual(json.findings.map((f) => f.fingerprint).sort());
      // Every DN the scan names is on the page as text, whatever characters the user name holds.
      const text = (await page.locator('#findings-list').textContent()) ?? '';
      for (const f of json.findings) if (f.directoryObject) expect(text).toContain(f.directoryObject.dn);
      expect(await page.locator('header, [role="banner"]').first().textContent()).toContain(samba().ldapsUrl.replace(/^ldaps:\/\//, ''));
      expect(log.consoleErrors).toEqual([]);
      expect(log.pageErrors).toEqual([]);
      expect(log.dialogs).toEqual([]);
      expect(log.requests).toEqual([pathToFileURL(html).href]);
      await page.close();
    });
  });
});
