import { RequestSyncOnceDocument, RequestSyncRangeOnceDocument } from '../__generated__/operations';
import { startHarness, useHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';

// Idempotent sync requests on one instance (src/sync/sync.idempotency.ts): the first request with a key
// sends its POST; repeats get its answer, wait for it, are refused with other arguments, or say that its
// outcome is unknown. Fleet-wide with Redis: test/integration/several-instances.test.ts.

function posts(h: Harness): number {
  return h.simulator.requests().filter((r) => r.method === 'POST').length;
}

describe('idempotent sync requests', () => {
  const h = useHarness({ simulator: { syncDurationMs: 60_000 } });

  it('answers a repeat within 24 h with the first answer, without a second POST', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const first = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'order-1' });
    const again = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'order-1' });
    expect(first.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(posts(h)).toBe(1);
    // Another key is another request.
    const other = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'order-2' });
    expect(other.data?.requestSync?.commerceSyncId).not.toBe(first.data?.requestSync?.commerceSyncId);
    expect(posts(h)).toBe(2);
  });

  it('takes the key from the Idempotency-Key header too, and refuses a header and an argument that differ', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const first = await h.execute(RequestSyncOnceDocument, { companyId }, { 'idempotency-key': 'hdr-1' });
    const byArgument = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'hdr-1' });
    expect(byArgument.data).toEqual(first.data);
    const clash = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'hdr-2' }, { 'idempotency-key': 'hdr-1' });
    expect(clash.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'idempotencyKey' });
    expect(posts(h)).toBe(1);
  });

  it('refuses the same key with other arguments (BAD_USER_INPUT), and a malformed key, without a POST', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'k-args' });
    const other = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'k-args', syncTo: '2030-01-01T00:00:00Z' });
    expect(other.data?.requestSync).toBeNull();
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const range = await h.execute(RequestSyncRangeOnceDocument, {
      companyId,
      idempotencyKey: 'k-args',
      start: '2020-01-01T00:00:00Z',
      end: '2020-02-01T00:00:00Z',
    });
    expect(range.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const malformed = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'has space' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(posts(h)).toBe(1);
  });

  it('makes a concurrent duplicate wait for the first one’s answer: one POST, the same commerceSyncId', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const gate = h.simulator.hold(companyId, { operationId: 'request-sync', times: 1 });
    const first = h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'dup' });
    await waitFor(() => h.simulator.inFlight() === 1, 'the first POST to be in flight');
    const second = h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'dup' });
    const third = h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'dup' });
    gate.release();
    const answers = await Promise.all([first, second, third]);
    const ids = answers.map((a) => a.data?.requestSync?.commerceSyncId);
    expect(ids[0]).toEqual(expect.any(String));
    expect(new Set(ids).size).toBe(1);
    expect(posts(h)).toBe(1);
  });

  it('leaves no record when Codat refused the first request: the same key may be tried again', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    h.simulator.setBehaviour(companyId, { kind: 'status', status: 409 }, { operationId: 'request-sync', times: 1 });
    const refused = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'again' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UPSTREAM_REJECTED');
    const retried = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'again' });
    expect(retried.errors).toBeUndefined();
    expect(posts(h)).toBe(2);
  });

  it('keeps historic requests apart by their range', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const vars = { companyId, idempotencyKey: 'range-1', start: '2021-01-01T00:00:00Z', end: '2021-02-01T00:00:00Z' };
    const first = await h.execute(RequestSyncRangeOnceDocument, vars);
    const again = await h.execute(RequestSyncRangeOnceDocument, vars);
    expect(first.errors).toBeUndefined();
    // Without the key Codat would refuse the overlapping repeat (UPSTREAM_REJECTED); with it, the first answer.
    expect(again.data).toEqual(first.data);
    expect(posts(h)).toBe(1);
  });
});

describe('a first request whose outcome is unknown', () => {
  it('is recorded as such: a repeat answers UPSTREAM_OUTCOME_UNKNOWN with the original time, and nothing is sent again', async () => {
    const h = await startHarness({ config: { codatTimeoutMs: 200 } });
    try {
      const companyId = h.simulator.addCompany({ state: 'succeeded' });
      h.simulator.setBehaviour(companyId, { kind: 'hang' }, { operationId: 'request-sync' });
      const before = Date.now();
      const first = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'lost' });
      expect(first.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      h.simulator.clearBehaviours();
      const repeat = await h.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'lost' });
      expect(repeat.data?.requestSync).toBeNull();
      const extensions = repeat.errors?.[0]?.extensions;
      expect(extensions?.code).toBe('UPSTREAM_OUTCOME_UNKNOWN');
      const requestedAt = Date.parse(String(extensions?.requestedAt));
      expect(requestedAt).toBeGreaterThanOrEqual(before - 1);
      expect(requestedAt).toBeLessThanOrEqual(Date.now());
      expect(posts(h)).toBe(1);
    } finally {
      await h.close();
    }
  });
});
