import { randomUUID } from 'node:crypto';

import type { FlightOutcome, FlightTurn, SharedFlights } from '../codat/codat.cache';
import { DELETE_IF_MINE, redisScript, type RedisConnection } from './redis-connection';

/**
 * Fleet-wide coalescing of identical reads (codat/codat.cache.ts's `SharedFlights`), under `prefix`
 * (e.g. `ccs:flight:`). The first instance to miss sets a marker `<prefix><flight key>` (SET NX, living
 * `waitMs`) and calls Codat; the others see the marker and wait for its outcome on `<prefix>done`. The
 * leader stores the answer first (the cache does), then removes its marker, then publishes: so a follower
 * that checks the marker after it started listening either finds it gone (the outcome was published, or
 * is about to be unnecessary: it looks in the store again) or is sure to hear the outcome.
 * A follower waits at most `waitMs` (a crashed leader's marker is gone by then too), and not at all
 * once Redis is down: then each instance calls for itself.
 */
export class RedisFlights implements SharedFlights {
  private readonly listeners = new Map<string, Set<(outcome: FlightOutcome | undefined) => void>>();
  private confirmed = 0;
  private readonly release: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly waitMs: number,
  ) {
    this.release = redisScript(redis.command, 'ccsDeleteIfMine', 1, DELETE_IF_MINE);
    redis.subscribe(this.channel, (message) => this.heard(message));
    redis.onChange((up) => {
      if (!up) this.wakeAll();
    });
  }

  async join(flightKey: string): Promise<FlightTurn> {
    if (!this.redis.up()) return alone();
    const marker = `${this.prefix}${flightKey}`;
    const token = randomUUID();
    try {
      const taken = await this.redis.command.set(marker, token, 'PX', this.waitMs, 'NX');
      if (taken === 'OK') return { lead: true, finish: (outcome) => this.finish(flightKey, marker, token, outcome) };
      const outcome = this.listen(flightKey);
      if ((await this.redis.command.exists(marker)) === 0) {
        outcome.resolve(undefined);
        return { lead: false, outcome: undefined, missed: true };
      }
      this.confirmed += 1;
      const heard = await outcome.promise.finally(() => (this.confirmed -= 1));
      return heard ? { lead: false, outcome: heard } : { lead: false, outcome: undefined, missed: false };
    } catch {
      return alone();
    }
  }

  /** Followers that saw the leader's marker after they started listening: sure to hear its outcome (or their bound). */
  waiting(): number {
    return this.confirmed;
  }

  private async finish(flightKey: string, marker: string, token: string, outcome: FlightOutcome | undefined): Promise<void> {
    try {
      await this.release(marker, token);
      // `null`: nothing to share (an unexpected failure); the followers call for themselves at once.
      await this.redis.command.publish(this.channel, JSON.stringify({ key: flightKey, outcome: outcome ?? null }));
    } catch {
      // Redis went away: the followers are woken by the connection's change, or by their bound.
    }
  }

  private listen(flightKey: string): {
    promise: Promise<FlightOutcome | undefined>;
    resolve: (outcome: FlightOutcome | undefined) => void;
  } {
    let resolve!: (outcome: FlightOutcome | undefined) => void;
    const promise = new Promise<FlightOutcome | undefined>((r) => (resolve = r));
    const timer = setTimeout(() => resolve(undefined), this.waitMs);
    const settle = (outcome: FlightOutcome | undefined): void => {
      clearTimeout(timer);
      this.stopListening(flightKey, settle);
      resolve(outcome);
    };
    let set = this.listeners.get(flightKey);
    if (!set) {
      set = new Set();
      this.listeners.set(flightKey, set);
    }
    set.add(settle);
    void promise.then(() => this.stopListening(flightKey, settle));
    return { promise, resolve: settle };
  }

  private stopListening(flightKey: string, settle: (outcome: FlightOutcome | undefined) => void): void {
    const set = this.listeners.get(flightKey);
    if (!set) return;
    set.delete(settle);
    if (set.size === 0) this.listeners.delete(flightKey);
  }

  private heard(message: string): void {
    let parsed: { key?: unknown; outcome?: FlightOutcome | null };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.key !== 'string') return;
    for (const settle of [...(this.listeners.get(parsed.key) ?? [])]) settle(parsed.outcome ?? undefined);
  }

  private wakeAll(): void {
    for (const set of [...this.listeners.values()]) for (const settle of [...set]) settle(undefined);
  }

  private get channel(): string {
    return `${this.prefix}done`;
  }
}

function alone(): FlightTurn {
  return { lead: true, finish: () => Promise.resolve() };
}
