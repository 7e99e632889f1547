import { createHash } from 'node:crypto';

import type { IdempotencyRecord, IdempotencyStore, MemoryIdempotencyStore } from '../sync/sync.idempotency';
import type { RedisConnection } from './redis-connection';

/**
 * Idempotency records in Redis (sync/sync.idempotency.ts's `IdempotencyStore`), under `prefix` (e.g.
 * `ccs:idem:`), one JSON value per key with the record's TTL; the key is a SHA-256 of the record's own
 * key (tenant, company, the client's key), so a client's text never shapes a Redis key.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    const redisKey = this.keyOf(key);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const taken = await this.redis.command.set(redisKey, JSON.stringify(record), 'PX', ttlMs, 'NX');
      if (taken === 'OK') return undefined;
      const existing = await this.redis.command.get(redisKey);
      // Gone between the two commands (it expired): try to take it again.
      if (existing !== null) return JSON.parse(existing) as IdempotencyRecord;
    }
    throw new Error('idempotency record kept changing');
  }

  async put(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    await this.redis.command.set(this.keyOf(key), JSON.stringify(record), 'PX', ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.redis.command.del(this.keyOf(key));
  }

  private keyOf(key: string): string {
    return `${this.prefix}${createHash('sha256').update(key).digest('hex')}`;
  }
}

/**
 * The records with REDIS_URL: fleet-wide in Redis, and always written to this instance's own store too.
 * The local copy is read first: whatever this instance sent, it remembers, even if Redis lost it (a
 * restart without persistence) or is away; so a repeat that reaches the same instance is never sent
 * twice. While Redis is away, a repeat that reaches another instance cannot be recognised there: that
 * is the one thing a fleet without Redis cannot promise.
 */
export class SharedIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly shared: RedisIdempotencyStore,
    private readonly local: MemoryIdempotencyStore,
  ) {}

  async claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    const known = this.local.get(key);
    if (known) return known;
    if (this.redis.up()) {
      try {
        const existing = await this.shared.claim(key, record, ttlMs);
        if (existing) {
          // Another instance's record, once settled, is remembered here too.
          if (existing.state !== 'pending') await this.local.put(key, existing, ttlMs);
          return existing;
        }
        await this.local.put(key, record, ttlMs);
        return undefined;
      } catch {
        // Redis did not answer: this instance decides alone, as without REDIS_URL.
      }
    }
    return this.local.claim(key, record, ttlMs);
  }

  async put(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    await this.local.put(key, record, ttlMs);
    if (this.redis.up()) await this.shared.put(key, record, ttlMs).catch(() => undefined);
  }

  async delete(key: string): Promise<void> {
    await this.local.delete(key);
    if (this.redis.up()) await this.shared.delete(key).catch(() => undefined);
  }
}
