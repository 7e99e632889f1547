import type { Page } from 'playwright-core';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { describeInBrowser, graphqlOperations, merchantRow, screenshotPath, useBrowser } from '../support/browser';
import { useHarness } from '../support/harness';

// The web UI (web/) in a real headless Chromium against the real server and the real simulator on
// 127.0.0.1: what a support person sees and does. Every request beyond 127.0.0.1 is blocked and must
// not even be attempted, and the browser must report no Content-Security-Policy violation.

const { succeeded, failed, inProgress, neverSynced, multiConnection } = SEEDED_COMPANY_IDS;

/** Shortly after the seeded syncs of 2025-06-04 (src/simulator/simulator.seed.ts): the screenshots' clock. */
const SCREENSHOT_TIME = new Date('2025-06-04T09:30:00Z');

const row = merchantRow;
const stateOf = (page: Page, companyId: string) => row(page, companyId).locator('.state');

describeInBrowser('the web UI in a browser', () => {
  const h = useHarness({ simulator: { syncDurationMs: 1_500 } });
  const chromium = useBrowser();

  describe('the sync health page at /', () => {
    it('lists the seeded merchants with their states, in one GraphQL request, and takes the screenshots', async () => {
      const { page } = await chromium.open({ fixedTime: SCREENSHOT_TIME });
      const operations = graphqlOperations(page);
      await page.goto(`${h.baseUrl}/`);

      await expect(stateOf(page, succeeded).getAttribute('data-state')).resolves.toBe('SUCCEEDED');
      await expect(stateOf(page, failed).getAttribute('data-state')).resolves.toBe('FAILED');
      await expect(stateOf(page, inProgress).getAttribute('data-state')).resolves.toBe('IN_PROGRESS');
      await expect(stateOf(page, neverSynced).textContent()).resolves.toBe('Never synced');
      await expect(stateOf(page, multiConnection).getAttribute('data-state')).resolves.toBe('SUCCEEDED');

      expect(await row(page, succeeded).locator('th').textContent()).toContain('Harbour Coffee Roasters');
      // The last successful sync and its age (the page's clock is fixed for the screenshots).
      expect(await row(page, succeeded).locator('td').nth(1).textContent()).toBe('2025-06-04 00:12 UTC · 9 hours ago');
      expect(await row(page, failed).locator('td').nth(1).textContent()).toBe('2025-06-03 00:13 UTC · yesterday');
      expect(await row(page, neverSynced).locator('td').nth(1).textContent()).toBe('None yet');
      // The failed sync's own words from Codat.
      expect(await row(page, failed).locator('td').nth(2).textContent()).toContain(
        "account code '4000' (Sales - Outdoor Equipment) is archived",
      );
      // Every connection's platform and status.
      const connections = await row(page, multiConnection).locator('.connections li').allTextContents();
      expect(connections).toEqual([
        'Partner Commerce (commerce) Deauthorized',
        'Partner Commerce (commerce) Linked',
        'Xero (accounting) Linked',
        'QuickBooks Online (accounting) Pending auth',
        'Sage Business Cloud Accounting (accounting) Unlinked',
      ]);

      // One request for the table; the server fanned it out to Codat once per company and field.
      expect(operations).toEqual(['MerchantTable']);
      const calls = h.simulator.requests().map((r) => r.operationId);
      expect(calls.filter((op) => op === 'get-sync-status')).toHaveLength(5);
      expect(calls.filter((op) => op === 'get-last-successful-sync')).toHaveLength(5);

      await page.screenshot({ path: screenshotPath('sync-health-desktop.png'), fullPage: true });
      // A phone's first screen, scrolled to the table.
      await page.setViewportSize({ width: 390, height: 844 });
      await row(page, succeeded).scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('sync-health-phone.png') });
    });

    it('"Sync now" shows the sync in progress, then succeeded, without a reload', async () => {
      const { page } = await chromium.open();
      const operations = graphqlOperations(page);
      await page.goto(`${h.baseUrl}/`);
      await stateOf(page, succeeded).waitFor();
      const navigations: string[] = [];
      page.on('framenavigated', (frame) => navigations.push(frame.url()));
      const socketFrames: string[] = [];
      page.on('websocket', (ws) => {
        expect(new URL(ws.url()).pathname).toBe('/graphql');
        ws.on('framereceived', (frame) => socketFrames.push(String(frame.payload)));
      });
      h.simulator.clearLog();

      // From the keyboard, as well as a pointer: the button takes focus and Enter presses it.
      const syncNow = page.getByRole('button', { name: 'Sync Harbour Coffee Roasters now' });
      await syncNow.focus();
      await page.keyboard.press('Enter');
      await row(page, succeeded).locator('.state[data-state="IN_PROGRESS"]').waitFor();
      expect(await stateOf(page, succeeded).textContent()).toBe('In progress (1000)');
      await row(page, succeeded).locator('.state[data-state="SUCCEEDED"]').waitFor({ timeout: 15_000 });
      await row(page, succeeded).getByText('Following the sync you requested').waitFor({ state: 'detached' });

      // The new sync is today's, and so is the last success (refetched when the sync ended).
      const today = new Date().toISOString().slice(0, 10);
      await row(page, succeeded).locator('td').nth(1).getByText(today).waitFor();
      expect(navigations).toEqual([]);
      // Sent to Codat once; followed over the subscription, not by polling nor by reloading the table.
      expect(h.simulator.requests().filter((r) => r.operationId === 'request-sync')).toHaveLength(1);
      expect(operations[0]).toBe('MerchantTable');
      expect(operations).toContain('RequestSync');
      expect(operations).not.toContain('FollowSync');
      expect(socketFrames.some((f) => f.includes('"commerceSyncProgress"') && f.includes('"SUCCEEDED"'))).toBe(true);
    });

    it('keeps following a sync through an upstream failure, saying so meanwhile, to its end', async () => {
      const { page } = await chromium.open();
      const operations = graphqlOperations(page);
      await page.goto(`${h.baseUrl}/`);
      await stateOf(page, multiConnection).waitFor();
      // The server's next status read fails, every retry of it (CODAT_MAX_RETRIES is 3: 4 attempts): the
      // subscription sends an error event, then the status again once a read works.
      h.simulator.setBehaviour(multiConnection, { kind: 'status', status: 500 }, { operationId: 'get-sync-status', times: 4 });
      await page.getByRole('button', { name: 'Sync Atlas Home & Garden now' }).click();
      const note = row(page, multiConnection).locator('.error-note');
      await note.waitFor();
      expect(await note.locator('.error-code').textContent()).toBe('UPSTREAM_UNAVAILABLE');
      await note.waitFor({ state: 'detached' });
      await row(page, multiConnection).getByText('Following the sync you requested').waitFor({ state: 'detached' });
      // The error and the recovery both came over the subscription: nothing was polled.
      expect(operations).not.toContain('FollowSync');
      expect(await stateOf(page, multiConnection).getAttribute('data-state')).toBe('SUCCEEDED');
      expect(await stateOf(page, multiConnection).textContent()).toBe('Succeeded (2000)');
    });

    it('falls back to polling when the WebSocket is refused, and still follows the sync to its end', async () => {
      const { page } = await chromium.open();
      const operations = graphqlOperations(page);
      // A proxy that will not upgrade: every WebSocket to /graphql is closed at once.
      await page.routeWebSocket(/\/graphql$/, (ws) => ws.close({ code: 1006, reason: 'no upgrades here' }));
      await page.goto(`${h.baseUrl}/`);
      await stateOf(page, failed).waitFor();
      await page.getByRole('button', { name: 'Sync Northwind Outdoor Gear now' }).click();
      // The end itself, not the follow note's absence: the note only appears once requestSync has answered.
      await row(page, failed).locator('.state[data-state="SUCCEEDED"]').waitFor({ timeout: 20_000 });
      await row(page, failed).getByText('Following the sync you requested').waitFor({ state: 'detached' });
      expect(await stateOf(page, failed).textContent()).toBe('Succeeded (2000)');
      expect(operations).toContain('FollowSync');
    });

    it("shows an upstream failure as words, with Codat's message and correlation id, and RATE_LIMITED with its retry time", async () => {
      h.simulator.setBehaviour(
        failed,
        { kind: 'status', status: 503, error: 'Sync for Commerce is down for maintenance until 10:00 UTC.' },
        { operationId: 'get-sync-status' },
      );
      h.simulator.setBehaviour(inProgress, { kind: 'status', status: 429, retryAfter: '120' }, { operationId: 'get-sync-status' });
      const { page } = await chromium.open();
      await page.goto(`${h.baseUrl}/`);

      const note = row(page, failed).locator('.error-note');
      await note.waitFor();
      expect(await note.locator('.error-summary').textContent()).toMatch(/^Codat is unavailable right now/);
      expect(await note.locator('.error-codat').textContent()).toBe(
        'Codat said: Sync for Commerce is down for maintenance until 10:00 UTC.',
      );
      expect(await note.locator('.error-correlation code').textContent()).toMatch(/^[0-9a-f]{32}$/);
      expect(await note.locator('.error-code').textContent()).toBe('UPSTREAM_UNAVAILABLE');

      const limited = row(page, inProgress).locator('.error-note');
      expect(await limited.locator('.error-summary').textContent()).toMatch(
        /^Codat's rate limit for this company was reached\. Try again in 120 seconds \(at \d\d:\d\d:\d\d UTC\)\.$/,
      );
      // Its neighbours still answer.
      expect(await stateOf(page, succeeded).getAttribute('data-state')).toBe('SUCCEEDED');
    });

    it("says Codat's refusal of an overlapping historic range in words", async () => {
      const { page } = await chromium.open();
      await page.goto(`${h.baseUrl}/`);
      const form = page.locator('form.range-form');
      await form.getByLabel('Merchant').selectOption({ label: 'Fresh Start Bakery' });
      await form.getByLabel('From (UTC day)').fill('2025-01-01');
      await form.getByLabel('Up to (UTC day)').fill('2025-02-01');
      await form.getByRole('button', { name: 'Request this period' }).click();
      await form.locator('.accepted').waitFor();
      expect(await form.locator('.accepted').textContent()).toBe(
        "Codat accepted the sync for 2025-01-01 00:00 UTC to 2025-02-01 00:00 UTC. Its progress shows in the merchant's row.",
      );

      await form.getByLabel('From (UTC day)').fill('2025-01-15');
      await form.getByRole('button', { name: 'Request this period' }).click();
      const refusal = form.locator('.error-note');
      await refusal.waitFor();
      expect(await refusal.locator('.error-summary').textContent()).toBe(
        'Codat refused the request: Date overlaps with a previous sync date range',
      );
      expect(await refusal.locator('.error-reasons li').textContent()).toMatch(
        /^2025-01-15T00:00:00Z to 2025-02-01T00:00:00Z overlaps 2025-01-01T00:00:00Z to 2025-02-01T00:00:00Z \(commerceSyncId [0-9a-f-]{36}\)\.$/,
      );
      expect(await refusal.locator('.error-correlation code').textContent()).toMatch(/^[0-9a-f]{32}$/);
      expect(h.simulator.requests().filter((r) => r.operationId === 'request-sync-for-date-range')).toHaveLength(2);
    });

    it('sends the token from the token field as a Bearer header, kept in sessionStorage only', async () => {
      const { page } = await chromium.open();
      await page.goto(`${h.baseUrl}/`);
      await stateOf(page, succeeded).waitFor();
      const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/graphql' && r.headers().authorization !== undefined);
      await page.getByLabel('Access token').fill('a-token-for-the-test');
      await page.getByRole('button', { name: 'Use token' }).click();
      expect((await sent).headers().authorization).toBe('Bearer a-token-for-the-test');
      const stored = await page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) }));
      expect(stored.session).toContain('a-token-for-the-test');
      expect(stored.local).not.toContain('a-token-for-the-test');

      // Subscriptions carry it in connection_init (a browser cannot set headers on a WebSocket).
      const init = new Promise<string>((resolveInit) =>
        page.on('websocket', (ws) =>
          ws.on('framesent', (frame) => {
            if (String(frame.payload).includes('connection_init')) resolveInit(String(frame.payload));
          }),
        ),
      );
      await page.getByRole('button', { name: 'Sync Harbour Coffee Roasters now' }).click();
      expect(JSON.parse(await init)).toEqual({ type: 'connection_init', payload: { Authorization: 'Bearer a-token-for-the-test' } });
    });

    it('adds a pasted company id, remembers it across a reload, and says when Codat does not know it', async () => {
      const { page } = await chromium.open();
      await page.goto(`${h.baseUrl}/`);
      const field = page.getByLabel('Add a merchant by Codat company id');
      await field.fill('not-an-id');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      expect(await page.getByRole('alert').textContent()).toMatch(/^That is not a Codat company id/);

      const unknown = '00000000-0000-4000-8000-000000000042';
      // By keyboard this time: Enter in the field submits it.
      await field.fill(unknown.toUpperCase());
      await field.press('Enter');
      await row(page, unknown).waitFor();
      await page.reload();
      const note = row(page, unknown).locator('.error-note');
      await note.waitFor();
      expect(await note.locator('.error-summary').textContent()).toBe(
        'Codat knows no company with this id. Check the id in the Codat portal.',
      );
      expect(await note.locator('.error-code').textContent()).toBe('NOT_FOUND');
    });
  });

  describe('the explorer at /explorer', () => {
    it('loads with no network beyond 127.0.0.1, runs a query and shows the answer', async () => {
      const { page } = await chromium.open();
      // Lumen's sync never finishes on the simulator, whatever the other tests did.
      const query = `query ExplorerCheck { commerceSyncStatus(companyId: "${inProgress}") { state syncStatusCode } }`;
      const introspected = page.waitForResponse((r) => (r.request().postData() ?? '').includes('IntrospectionQuery'));
      await page.goto(`${h.baseUrl}/explorer?query=${encodeURIComponent(query)}`);
      // GraphiQL runs what its editor holds: wait for the schema and for Monaco to show the query.
      await introspected;
      await page.locator('.graphiql-query-editor .view-lines').filter({ hasText: 'ExplorerCheck' }).waitFor();
      const ran = page.waitForResponse((r) => (r.request().postData() ?? '').includes('ExplorerCheck'));
      await page.getByRole('button', { name: /Execute query/ }).click();
      expect((await ran).status()).toBe(200);
      // Monaco draws the answer as spans of tokens, spaces as U+00A0: read the window's text as a whole.
      const answer = async (): Promise<string> => ((await page.locator('.result-window').textContent()) ?? '').replace(/\u00a0/g, ' ');
      // (Not page.waitForFunction: it evaluates a string in the page, which the explorer's CSP forbids.)
      await page.locator('.result-window').filter({ hasText: 'IN_PROGRESS' }).waitFor();
      expect(await answer()).toContain('"state": "IN_PROGRESS"');
      expect(await answer()).toContain('"syncStatusCode": 1000');
      // The docs plugin has the schema (introspection through our own server).
      await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
      await page.locator('.graphiql-doc-explorer').getByText('Root Types').waitFor();
      expect(await page.locator('.graphiql-doc-explorer').textContent()).toContain('mutation: Mutation');
    });
  });
});
