import { randomUUID } from 'node:crypto';

import type { FleetSlot, FleetSlots } from '../codat/company-slots';
import { pauseUnless } from '../lib/pause';
import { redisScript, type RedisConnection } from './redis-connection';

/**
 * Codat's per-company bound across the fleet (codat/company-slots.ts's `FleetSlots`): a semaphore per
 * company in Redis, under `prefix` (e.g. `ccs:slots:`), as a sorted set of leases scored by their
 * expiry in Redis's own clock. A lease lives `leaseMs` (the attempt's own bound, CODAT_TIMEOUT_MS, plus
 * a margin: the pipeline takes it just before the attempt), so a crashed instance's slots come free by
 * themselves. A full semaphore is polled every few milliseconds until the caller's wait runs out, or
 * its `stop` signal aborts.
 * With Redis down (or a command failing) the slot is a no-op: the per-instance bound alone holds.
 */
export class RedisFleetSlots implements FleetSlots {
  private readonly take: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly perCompany: number,
    private readonly leaseMs: number,
  ) {
    this.take = redisScript(redis.command, 'ccsSlotTake', 1, TAKE_SLOT);
  }

  async acquire(companyId: string, maxWaitMs: number, stop: AbortSignal): Promise<FleetSlot | 'timed-out'> {
    const key = `${this.prefix}${companyId}`;
    const lease = randomUUID();
    const giveUpAt = Date.now() + maxWaitMs;
    for (;;) {
      // A closing client takes no slot: the wait ends where it stands.
      if (stop.aborted) return 'timed-out';
      if (!this.redis.up()) return NO_SLOT;
      let taken: unknown;
      try {
        taken = await this.take(key, this.perCompany, this.leaseMs, lease);
      } catch {
        return NO_SLOT;
      }
      if (taken === 1) {
        return { release: () => void this.redis.command.zrem(key, lease).catch(() => undefined) };
      }
      const left = giveUpAt - Date.now();
      if (left <= 0) return 'timed-out';
      await pauseUnless(Math.min(left, POLL_MS + Math.random() * POLL_MS), stop);
    }
  }
}

/** How often a full semaphore is looked at again (plus as much again at random, so waiters spread out). */
const POLL_MS = 5;

const NO_SLOT: FleetSlot = { release: () => undefined };

/** KEYS: the company's set. ARGV: slots, lease ms, lease id. Drops expired leases, then takes one if there is room. */
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;
