import type { Page } from 'playwright-core';

import { READ_SCOPE } from '../../src/auth/caller';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { jwtAuth, READ_WRITE, startTestIssuer, type TestIssuer } from '../support/auth';
import { describeInBrowser, graphqlOperations, merchantRow, useBrowser } from '../support/browser';
import { useHarness } from '../support/harness';

// The web UI against the real server with AUTH_MODE=jwt: a real key set endpoint on 127.0.0.1 and
// tokens signed with jose (test/support/auth.ts), pasted into the page's token field as a person would.
// What a caller without a token, with a token for one company only, and with a read-only token sees;
// the subscription that follows a sync carries the token in connection_init; the explorer sends it too.

const A = SEEDED_COMPANY_IDS.succeeded; // Harbour Coffee Roasters
const B = SEEDED_COMPANY_IDS.failed; // Northwind Outdoor Gear

const row = merchantRow;
const stateCell = (page: Page, companyId: string) => row(page, companyId).locator('td.cell-state');

describeInBrowser('the web UI with AUTH_MODE=jwt, in a browser', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => issuer.close());
  const h = useHarness(() => ({ config: { auth: jwtAuth({ jwksUrl: issuer.jwksUrl }) }, simulator: { syncDurationMs: 1_500 } }));
  const chromium = useBrowser();

  /** The page at /, with `token` typed into the token field (none: left empty). */
  async function openPage(token?: string): Promise<Page> {
    const { page } = await chromium.open();
    await page.goto(`${h.baseUrl}/`);
    if (token !== undefined) {
      await page.getByLabel('Access token').fill(token);
      await page.getByRole('button', { name: 'Use token' }).click();
    }
    return page;
  }

  it('asks a caller without a token to sign in (UNAUTHENTICATED), and nothing reaches Codat', async () => {
    const page = await openPage();
    const banner = page.locator('.banner .error-note');
    await banner.waitFor();
    expect(await banner.locator('.error-summary').textContent()).toBe(
      'Sign in first: this subgraph needs an access token. Paste yours in the Access token field above.',
    );
    expect(await banner.locator('.error-code').textContent()).toBe('UNAUTHENTICATED');
    expect(h.simulator.requests()).toEqual([]);
  });

  it("shows company A to a token allowed A only, says B is not allowed (FORBIDDEN), and follows A's sync over a subscription carrying the token", async () => {
    const token = await issuer.sign({ scope: READ_WRITE, codat_company_ids: [A] });
    const page = await openPage(token);
    const operations = graphqlOperations(page);
    await stateCell(page, A).locator('.state[data-state="SUCCEEDED"]').waitFor();
    const refused = stateCell(page, B).locator('.error-note');
    await refused.waitFor();
    expect(await refused.locator('.error-summary').textContent()).toBe(
      'Your token does not give access to this merchant. Ask for a token that covers it.',
    );
    expect(await refused.locator('.error-code').textContent()).toBe('FORBIDDEN');
    // Only A was asked of Codat: B was refused before any call.
    expect(new Set(h.simulator.requests().map((r) => r.companyId))).toEqual(new Set([A]));

    const init = new Promise<unknown>((resolveInit) =>
      page.on('websocket', (ws) =>
        ws.on('framesent', (frame) => {
          const payload = String(frame.payload);
          if (payload.includes('connection_init')) resolveInit(JSON.parse(payload));
        }),
      ),
    );
    await page.getByRole('button', { name: 'Sync Harbour Coffee Roasters now' }).click();
    await stateCell(page, A).locator('.state[data-state="IN_PROGRESS"]').waitFor();
    await stateCell(page, A).locator('.state[data-state="SUCCEEDED"]').waitFor({ timeout: 15_000 });
    await stateCell(page, A).getByText('Following the sync you requested').waitFor({ state: 'detached' });
    expect(await init).toEqual({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } });
    // The server accepted the socket's token: the sync was followed over it, never by polling.
    expect(operations).toContain('RequestSync');
    expect(operations).not.toContain('FollowSync');
    expect(h.simulator.requests().filter((r) => r.operationId === 'request-sync')).toHaveLength(1);
  });

  it('refuses "Sync now" to a read-only token in words, before any call to Codat', async () => {
    const page = await openPage(await issuer.sign({ scope: READ_SCOPE, codat_company_ids: [A] }));
    await stateCell(page, A).locator('.state[data-state="SUCCEEDED"]').waitFor();
    await page.getByRole('button', { name: 'Sync Harbour Coffee Roasters now' }).click();
    const refusal = row(page, A).locator('td[data-label="Action"] .error-note');
    await refusal.waitFor();
    expect(await refusal.locator('.error-summary').textContent()).toBe(
      'Your token may look but not start syncs (it lacks the commerce-sync:write scope). Ask for a token that allows it.',
    );
    expect(await refusal.locator('.error-code').textContent()).toBe('FORBIDDEN');
    expect(h.simulator.requests().filter((r) => r.operationId === 'request-sync')).toEqual([]);
  });

  it("sends the page's token from the explorer: introspection and a query answer", async () => {
    const page = await openPage(await issuer.sign({ scope: READ_SCOPE, codat_company_ids: [A] }));
    await stateCell(page, A).locator('.state').waitFor();
    const query = `query ExplorerCheck { commerceSyncStatus(companyId: "${A}") { companyId state } }`;
    const introspected = page.waitForResponse((r) => (r.request().postData() ?? '').includes('IntrospectionQuery'));
    // The same tab, so the same sessionStorage: the token set on the page applies here.
    await page.goto(`${h.baseUrl}/explorer?query=${encodeURIComponent(query)}`);
    const introspection = await introspected;
    expect(introspection.status()).toBe(200);
    expect((await introspection.request().allHeaders()).authorization).toMatch(/^Bearer /);
    await page.locator('.graphiql-query-editor .view-lines').filter({ hasText: 'ExplorerCheck' }).waitFor();
    const ran = page.waitForResponse((r) => (r.request().postData() ?? '').includes('ExplorerCheck'));
    await page.getByRole('button', { name: /Execute query/ }).click();
    expect((await ran).status()).toBe(200);
    await page.locator('.result-window').filter({ hasText: 'SUCCEEDED' }).waitFor();
    const answer = ((await page.locator('.result-window').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(answer).toContain(`"companyId": "${A}"`);
    expect(answer).not.toContain('UNAUTHENTICATED');
  });
});
