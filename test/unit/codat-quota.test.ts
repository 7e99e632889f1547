import { CodatQuota } from '../../src/codat/codat.quota';
import { RequestWindow } from '../../src/codat/request-window';

// The quota rules (src/codat/codat.quota.ts) and the per-minute window (src/codat/request-window.ts),
// with a clock the test moves.

const RESET = Date.UTC(2025, 5, 2);

function quotaAt(start: number, reserve = 0.05): { quota: CodatQuota; clock: { now: number } } {
  const clock = { now: start };
  return { quota: new CodatQuota(reserve, () => clock.now), clock };
}

describe('CodatQuota', () => {
  it('lets everything through until an answer says otherwise', () => {
    const { quota } = quotaAt(RESET - 60_000);
    expect(quota.view()).toEqual({ pressure: 'normal' });
    expect(quota.refusal('GET')).toBeUndefined();
  });

  it('holds reads back under the reserve, and keeps the reserve for sync requests', () => {
    const { quota, clock } = quotaAt(RESET - 3_600_000);
    quota.observe({ limit: 100, remaining: 5, resetAtMs: RESET }, 200, undefined);
    expect(quota.pressure()).toBe('normal');
    quota.observe({ limit: 100, remaining: 4, resetAtMs: RESET }, 200, undefined);
    expect(quota.pressure()).toBe('reserve');
    expect(quota.refusal('GET')).toBe(3600);
    expect(quota.refusal('POST')).toBeUndefined();
    quota.observe({ limit: 100, remaining: 0, resetAtMs: RESET }, 200, undefined);
    expect(quota.pressure()).toBe('exhausted');
    expect(quota.refusal('POST')).toBe(3600);
    clock.now = RESET - 1_500;
    expect(quota.refusal('GET')).toBe(2);
  });

  it('with no reserve, refuses only once nothing is left', () => {
    const { quota } = quotaAt(RESET - 10_000, 0);
    quota.observe({ limit: 50, remaining: 1, resetAtMs: RESET }, 200, undefined);
    expect(quota.refusal('GET')).toBeUndefined();
    quota.observe({ limit: 50, remaining: 0, resetAtMs: RESET }, 200, undefined);
    expect(quota.refusal('GET')).toBe(10);
  });

  it('keeps the smallest count of a window, whatever order concurrent answers arrive in', () => {
    const { quota } = quotaAt(RESET - 10_000);
    quota.observe({ limit: 100, remaining: 40, resetAtMs: RESET }, 200, undefined);
    quota.observe({ limit: 100, remaining: 42, resetAtMs: RESET }, 200, undefined);
    expect(quota.view().remaining).toBe(40);
    // A new window replaces it.
    quota.observe({ limit: 100, remaining: 99, resetAtMs: RESET + 86_400_000 }, 200, undefined);
    expect(quota.view().remaining).toBe(99);
  });

  it('forgets a window once its reset time passed, keeping the limit', () => {
    const { quota, clock } = quotaAt(RESET - 1_000);
    quota.observe({ limit: 100, remaining: 0, resetAtMs: RESET }, 429, 1);
    expect(quota.pressure()).toBe('exhausted');
    clock.now = RESET;
    expect(quota.view()).toEqual({ limit: 100, pressure: 'normal' });
    expect(quota.refusal('GET')).toBeUndefined();
  });

  it('reads a long 429 without quota headers as a spent quota, and a short one as a burst', () => {
    const { quota, clock } = quotaAt(RESET - 100_000);
    quota.observe(undefined, 429, 1);
    expect(quota.pressure()).toBe('normal');
    quota.observe(undefined, 429, 120);
    expect(quota.pressure()).toBe('exhausted');
    expect(quota.refusal('POST')).toBe(120);
    clock.now += 120_000;
    expect(quota.pressure()).toBe('normal');
  });

  it('does not block on a 429 for concurrency while quota is left', () => {
    const { quota } = quotaAt(RESET - 100_000);
    quota.observe({ limit: 100, remaining: 60, resetAtMs: RESET }, 429, 1);
    expect(quota.pressure()).toBe('normal');
  });
});

describe('RequestWindow', () => {
  it('lets `limit` requests through in any sliding window, and says how long the next one waits', () => {
    const window = new RequestWindow(3, 60_000);
    for (const t of [0, 10_000, 20_000]) {
      expect(window.waitMs(t)).toBe(0);
      window.record(t);
    }
    expect(window.waitMs(30_000)).toBe(30_000);
    expect(window.waitMs(60_000)).toBe(0);
    window.record(60_000);
    // The oldest is now 10 000: the next fits at 70 000.
    expect(window.waitMs(61_000)).toBe(9_000);
    expect(window.waitMs(70_000)).toBe(0);
  });
});

describe('CompanySlots', () => {
  it('runs at most `perCompany` calls of one company at once, others freely, and forgets idle companies', async () => {
    const { CompanySlots } = await import('../../src/codat/company-slots');
    const slots = new CompanySlots(2);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const call = () =>
      slots.run('busy', async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      });
    const calls = [call(), call(), call(), call()];
    const other = slots.run('quiet', async () => 'not held up');
    await expect(other).resolves.toBe('not held up');
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(calls);
    expect(peak).toBe(2);
    expect(slots.size).toBe(0);
  });
});
