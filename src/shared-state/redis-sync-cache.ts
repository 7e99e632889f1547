import { type InMemorySyncCache, type CachedRead, type SyncCache } from '../codat/codat.cache';
import { redisScript, type RedisConnection } from './redis-connection';

/**
 * The status cache in Redis (codat/codat.cache.ts's `SyncCache`), under `prefix` (e.g. `ccs:cache:`):
 *   <prefix>e:<key>        one answer, JSON, with its own TTL
 *   <prefix>c:<companyId>  the set of the company's entry keys, for invalidation
 *   <prefix>g:<companyId>  the company's generation: a counter each invalidation moves on
 * Storing checks the generation in the same script, so an answer fetched before another instance's
 * invalidation is dropped rather than kept. An invalidation is also published on `<prefix>invalidated`,
 * so that other instances stop sharing their own in-flight reads of the company.
 * Keys of one company are touched together by the scripts: on a Redis Cluster, put the prefix in a hash tag.
 */
export class RedisSyncCache implements SyncCache {
  private readonly store: (...args: (string | number)[]) => Promise<unknown>;
  private readonly drop: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    /** How long a generation is remembered: at least as long as any entry lives. */
    private readonly generationTtlMs: number,
  ) {
    this.store = redisScript(redis.command, 'ccsCacheStore', 3, STORE_IF_SAME_GENERATION);
    this.drop = redisScript(redis.command, 'ccsCacheDropCompany', 2, DROP_COMPANY);
  }

  async get(key: string, companyId: string): Promise<{ entry?: CachedRead; generation: string }> {
    const [entry, generation] = await this.redis.command.mget(this.entryKey(key), this.generationKey(companyId));
    return { entry: entry ? (JSON.parse(entry) as CachedRead) : undefined, generation: generation ?? '0' };
  }

  async set(key: string, companyId: string, entry: CachedRead, keepMs: number, generation: string): Promise<void> {
    await this.store(
      this.entryKey(key),
      `${this.prefix}c:${companyId}`,
      this.generationKey(companyId),
      JSON.stringify(entry),
      Math.max(1, Math.round(keepMs)),
      generation,
    );
  }

  async deleteCompany(companyId: string): Promise<void> {
    await this.drop(`${this.prefix}c:${companyId}`, this.generationKey(companyId), this.generationTtlMs);
    await this.redis.command.publish(this.channel, companyId);
  }

  onRemoteInvalidation(listener: (companyId: string) => void): void {
    this.redis.subscribe(this.channel, listener);
  }

  private get channel(): string {
    return `${this.prefix}invalidated`;
  }

  private entryKey(key: string): string {
    return `${this.prefix}e:${key}`;
  }

  private generationKey(companyId: string): string {
    return `${this.prefix}g:${companyId}`;
  }
}

/** KEYS: entry, company set, generation. ARGV: entry JSON, keep ms, the generation the read started under. */
const STORE_IF_SAME_GENERATION = `
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], KEYS[1])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
`;

/** KEYS: company set, generation. ARGV: how long the generation is remembered (ms). */
const DROP_COMPANY = `
local keys = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(keys) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return #keys
`;

/**
 * The status cache with REDIS_URL: Redis while it answers, this instance's own LRU while it does not
 * (a failed command counts as "does not", for that call). Invalidations go to both. When Redis comes
 * back the local copy is emptied: it missed the fleet's invalidations meanwhile.
 */
export class SharedSyncCache implements SyncCache {
  constructor(
    private readonly redis: RedisConnection,
    private readonly shared: RedisSyncCache,
    private readonly local: InMemorySyncCache,
  ) {
    redis.onChange((up) => {
      if (up) local.clear();
    });
  }

  async get(key: string, companyId: string): Promise<{ entry?: CachedRead; generation: string }> {
    if (this.redis.up()) {
      try {
        return await this.shared.get(key, companyId);
      } catch {
        // Redis did not answer in time: this call uses the local copy.
      }
    }
    return this.local.get(key);
  }

  async set(key: string, companyId: string, entry: CachedRead, keepMs: number, generation: string): Promise<void> {
    if (this.redis.up()) {
      try {
        await this.shared.set(key, companyId, entry, keepMs, generation);
        return;
      } catch {
        // Kept locally instead.
      }
    }
    await this.local.set(key, companyId, entry, keepMs);
  }

  async deleteCompany(companyId: string): Promise<void> {
    await this.local.deleteCompany(companyId);
    if (this.redis.up()) await this.shared.deleteCompany(companyId).catch(() => undefined);
  }

  onRemoteInvalidation(listener: (companyId: string) => void): void {
    this.shared.onRemoteInvalidation(listener);
  }
}
