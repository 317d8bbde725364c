// Debian's Chromium, driven headless by playwright-core (which never downloads a browser of its own), for the HTML
// report tests. Like test/helpers/samba.ts: without Chromium the suite is skipped with one line, except under
// CI=true, where a missing browser fails the run.
import { existsSync } from 'node:fs';
import type { Browser, ConsoleMessage, Page, Request } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * As root Chromium needs --no-sandbox. The rest keep it from reaching out on its own (component updates, sync,
 * background services, QUIC probes): this machine's network is closed, and a report test must see only the page's
 * own requests.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let announced = false;

export function describeBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM} is not installed`;
  if (process.env.CI === 'true') throw new Error(`CI=true but the browser tests cannot run: ${reason}`);
  if (!announced) {
    console.warn(`HTML report browser tests skipped: ${reason}; to run them, as root: bash scripts/install-system-deps.sh && npx vitest run --project unit test/html`);
    announced = true;
  }
  describe.skip(name, body);
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** What a page did while the test watched it. */
export interface PageLog {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** A page that records console errors, uncaught errors, every request and every dialog (dismissed at once). */
export async function watchedPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
  const log: PageLog = { consoleErrors: [], pageErrors: [], requests: [], dialogs: [] };
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => log.pageErrors.push(e.message));
  page.on('request', (r: Request) => log.requests.push(r.url()));
  page.on('dialog', (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { page, log };
}
