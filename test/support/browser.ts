import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Request } from 'playwright-core';

/**
 * A real browser for the web UI's tests: Debian's chromium (`apt-get install chromium`; .ci/run
 * installs it), driven by playwright-core, headless, on a fresh profile directory, and every
 * request that is not to 127.0.0.1 blocked and recorded, so a test can assert that the page needed
 * nothing from outside this machine. Never `npx playwright install`: it downloads a browser.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

/**
 * `describe` when chromium is installed; otherwise a loud skip (and under CI the no-skipped-test check,
 * scripts/check-no-skipped-tests.ts, fails the run).
 */
export const describeInBrowser: jest.Describe = hasChromium
  ? describe
  : (() => {
      console.warn(`SKIPPED: browser tests need ${CHROMIUM_PATH} (apt-get install -y chromium); .ci/run installs it.`);
      return describe.skip;
    })();

/** The flags that keep Chromium from calling Google's hosts at start (DESIGN pitfalls in README, "Web UI"). */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One Chromium for a test file: started once (a start takes seconds), a fresh context per test. */
export interface BrowserHandle {
  /** A new context (fresh cookies and storage) and page, every request beyond 127.0.0.1 blocked and recorded. */
  open(options?: BrowserOptions): Promise<BrowserSession>;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** URLs the page tried to reach beyond 127.0.0.1 (all were blocked). */
  outside: string[];
  /** Content-Security-Policy violations the browser reported (console and securitypolicyviolation events). */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  viewport?: { width: number; height: number };
  /** Fix the page's clock (Date.now, new Date) at this instant; timers still run. For stable screenshots. */
  fixedTime?: Date;
}

/**
 * Chromium for the enclosing `describe`: launched in `beforeAll`, closed in `afterAll`. After each test,
 * every session it opened is closed and checked: no request was attempted beyond 127.0.0.1, and the
 * browser reported no Content-Security-Policy violation.
 */
export function useBrowser(): BrowserHandle {
  let browser: Browser | undefined;
  const sessions = new Set<BrowserSession>();
  beforeAll(async () => {
    // playwright gives every launch a fresh profile directory of its own, removed on close.
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  });
  afterEach(async () => {
    const open = [...sessions];
    const outside: string[] = [];
    const violations: string[] = [];
    for (const session of open) {
      outside.push(...session.outside);
      violations.push(...(await session.cspViolations()));
      await session.close();
    }
    expect(outside).toEqual([]);
    expect(violations).toEqual([]);
  });
  afterAll(async () => {
    for (const session of sessions) await session.close();
    await browser?.close();
  });
  return {
    async open(options = {}) {
      if (!browser) throw new Error('useBrowser(): open() runs inside a test, after beforeAll');
      const session = await openSession(browser, options);
      sessions.add(session);
      const close = session.close;
      session.close = async () => {
        sessions.delete(session);
        await close();
      };
      return session;
    },
  };
}

async function openSession(browser: Browser, options: BrowserOptions): Promise<BrowserSession> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const outside: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort('blockedbyclient');
  });
  const consoleViolations: string[] = [];
  // Reports from the page itself; violations inside workers only reach the console.
  // (Scripts for the page are given as text: this file is compiled for Node, without the DOM's types.)
  await context.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text().slice(0, 300));
  });
  const page = await context.newPage();
  // Under jest's 30 s per test: a wait that fails says what it waited for.
  page.setDefaultTimeout(15_000);
  if (options.fixedTime) await page.clock.setFixedTime(options.fixedTime);
  return {
    context,
    page,
    outside,
    async cspViolations() {
      const reported = await page.evaluate<string[]>('window.__cspViolations ?? []').catch(() => [] as string[]);
      return [...reported, ...consoleViolations];
    },
    close: () => context.close(),
  };
}

/**
 * Where screenshots go: the README's docs/screenshots/, or `WEB_SCREENSHOTS` (relative to the repo).
 * Every run of the browser tests retakes them; with the page's clock fixed and the simulator's seeded
 * data, the same build on the same fonts gives the same bytes, so an unchanged page leaves git clean and
 * a changed one shows up in the diff beside the change.
 */
export function screenshotPath(name: string): string {
  const dir = resolve(__dirname, '../..', process.env.WEB_SCREENSHOTS ?? 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** The page's table row of one merchant. */
export const merchantRow = (page: Page, companyId: string): Locator => page.locator(`tr[data-company-id="${companyId}"]`);

/** The operation names of the GraphQL requests the page sends from now on (read the array later). */
export function graphqlOperations(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request: Request) => {
    if (new URL(request.url()).pathname !== '/graphql' || request.method() !== 'POST') return;
    const body = request.postDataJSON() as { operationName?: string } | null;
    names.push(body?.operationName ?? '(anonymous)');
  });
  return names;
}
