import { nextPollDelayMs, type PollPace } from '../../src/live/poll-schedule';

const pace: PollPace = { activeMs: 2_000, idleMs: 30_000, jitter: 0.2, circuitOpenMs: 10_000 };
const middle = (): number => 0.5;
const ok = { inProgress: false, eager: false, consecutiveFailures: 0 };

describe('the shared poller pace (poll-schedule.ts)', () => {
  it('polls about every 2 s while a sync runs or a subscriber waits, about every 30 s otherwise', () => {
    expect(nextPollDelayMs({ ...ok, inProgress: true }, pace, middle)).toBe(2_000);
    expect(nextPollDelayMs({ ...ok, eager: true }, pace, middle)).toBe(2_000);
    expect(nextPollDelayMs(ok, pace, middle)).toBe(30_000);
  });

  it('spreads each delay by the jitter, both ways', () => {
    expect(nextPollDelayMs(ok, pace, () => 0)).toBe(24_000);
    expect(nextPollDelayMs(ok, pace, () => 0.999999)).toBe(36_000);
  });

  it('backs off after failed polls, doubling from the active pace up to the idle one', () => {
    const failing = (n: number) => nextPollDelayMs({ ...ok, inProgress: true, consecutiveFailures: n }, pace, middle);
    expect([1, 2, 3, 4, 5, 6, 40].map(failing)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("never polls sooner than Codat's Retry-After, nor while the circuit is open, jitter or not", () => {
    const limited = { ...ok, consecutiveFailures: 1, failure: { retryAfterSeconds: 90 } };
    expect(nextPollDelayMs(limited, pace, () => 0)).toBe(90_000);
    const open = { ...ok, consecutiveFailures: 1, failure: { circuitOpen: true } };
    expect(nextPollDelayMs(open, pace, () => 0)).toBe(10_000);
    expect(nextPollDelayMs({ ...open, consecutiveFailures: 5 }, pace, middle)).toBe(30_000);
  });

  it("slows to the idle pace, never faster, while the tenant's Codat quota is under pressure", () => {
    const pressed = { ...ok, quotaPressure: true };
    expect(nextPollDelayMs({ ...pressed, inProgress: true, eager: true }, pace, middle)).toBe(30_000);
    expect(nextPollDelayMs({ ...pressed, inProgress: true }, pace, () => 0)).toBe(30_000);
    expect(nextPollDelayMs({ ...pressed, consecutiveFailures: 1, failure: { retryAfterSeconds: 90 } }, pace, middle)).toBe(90_000);
  });
});
