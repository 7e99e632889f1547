import { randomUUID } from 'node:crypto';

import type { CodatApi } from '../codat/codat.api';
import { UpstreamError, type UpstreamErrorDetails } from '../codat/codat.errors';
import type { PollerKey, PollerListener, PollerRegistry, PollOutcome } from '../live/poller-registry';
import type { Logger } from '../observability/logger';
import { DELETE_IF_MINE, redisScript, type RedisConnection } from './redis-connection';
import { namespacePrefix, tenantPrefix } from './shared-state.api';

export interface RedisPollerRegistryOptions {
  /** REDIS_KEY_PREFIX: each tenant's keys are under `${REDIS_KEY_PREFIX}<tenant>:poll:`. */
  keyPrefix: string;
  /** LIVE_POLL_LEASE_MS: a lease not renewed for this long is free; renewed every third of it. */
  leaseMs: number;
  /** How long a poll's outcome is kept for subscribers joining on other instances (more than the idle pace). */
  lastOutcomeTtlMs: number;
  /** How long a follower's "a subscriber of mine waits for a change" lasts unless said again (a few active polls). */
  eagerTtlMs: number;
  logger: Logger;
}

type Message =
  | { c: string; t: 'outcome'; o: WireOutcome }
  | { c: string; t: 'wake' }
  /** The holder gave its lease up (its last subscriber left, or it stops): followers bid at once. */
  | { c: string; t: 'released' };

/** A poll outcome as it travels: an error is its UpstreamError's plain details (anything else, `null`: masked). */
type WireOutcome = { ok: true; status: unknown } | { ok: false; failure: UpstreamErrorDetails | null };

/**
 * One poller per tenant and company across the fleet (live/poller-registry.ts's `PollerRegistry`, with
 * REDIS_URL). The instance that holds a company's lease, `<tenant prefix>poll:lease:<company>` (taken
 * when free, with a TTL of `leaseMs`, renewed every third of it while it polls), runs the in-memory poller
 * (`local`) for it and publishes every outcome on `<tenant prefix>poll`; the other instances with
 * subscribers for the company hear the outcomes there and hand them to their own subscribers. A
 * follower bids for the lease every third of `leaseMs`, so when a holder crashes its lease expires and
 * a follower takes over within `leaseMs` and a third; a holder that stops, or whose last subscriber
 * leaves, releases it and says so, and a follower takes over at once. A mutation on a follower wakes the
 * holder's poller through the channel.
 *
 * Redis down (at start or later): every instance polls its own subscribers' companies with `local`, as
 * a single instance does, so nobody misses an event; once Redis answers again, the instances bid again
 * and all but one go back to listening. The pace is the holder's (poll-schedule.ts), quickened while
 * any follower's subscriber waits for a change (`<tenant prefix>poll:eager:<company>`).
 */
export class RedisPollerRegistry implements PollerRegistry {
  private readonly entries = new Map<string, FleetEntry>();
  private readonly channels = new Set<string>();
  private readonly token = randomUUID();
  private readonly claim: (...args: (string | number)[]) => Promise<unknown>;
  private readonly release: (...args: (string | number)[]) => Promise<unknown>;
  private readonly ticker: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly local: PollerRegistry,
    private readonly options: RedisPollerRegistryOptions,
  ) {
    this.claim = redisScript(redis.command, 'ccsLeaseClaim', 1, CLAIM);
    this.release = redisScript(redis.command, 'ccsDeleteIfMine', 1, DELETE_IF_MINE);
    redis.onChange((up) => {
      for (const entry of [...this.entries.values()]) void (up ? this.tend(entry) : this.goLocal(entry, false));
    });
    this.ticker = setInterval(
      () => {
        for (const entry of [...this.entries.values()]) void this.tend(entry);
      },
      Math.max(50, Math.floor(options.leaseMs / 3)),
    );
    this.ticker.unref();
  }

  subscribe(key: PollerKey, source: CodatApi, listener: PollerListener): () => void {
    const name = entryName(key);
    let entry = this.entries.get(name);
    const first = !entry;
    if (!entry) {
      entry = { key, source, listeners: new Map(), mode: 'starting', last: undefined, remoteEager: false, busy: false };
      this.entries.set(name, entry);
      this.listen(key.tenant);
    }
    const joined = entry;
    joined.listeners.set(listener, joined.mode === 'polling' ? this.local.subscribe(key, source, listener) : undefined);
    if (first) void this.tend(joined);
    else if (joined.mode === 'following') this.greetFollower(joined, listener);
    return () => {
      const leave = joined.listeners.get(listener);
      if (!joined.listeners.delete(listener)) return;
      leave?.();
      if (joined.listeners.size === 0) void this.drop(joined);
    };
  }

  wake(key: PollerKey): void {
    const entry = this.entries.get(entryName(key));
    if (entry?.mode === 'polling') {
      this.local.wake(key);
      return;
    }
    // The poller is elsewhere (or nowhere): whoever holds the lease reads now.
    this.publish(key, { c: key.companyId, t: 'wake' });
  }

  size(): number {
    return this.local.size();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.ticker);
    for (const entry of [...this.entries.values()]) void this.drop(entry);
    this.local.close();
  }

  /** Decides (again) who polls `entry`'s company: bid for the lease, keep it, or listen. One at a time per entry. */
  private async tend(entry: FleetEntry): Promise<void> {
    if (entry.busy || this.closed || !this.isCurrent(entry)) return;
    entry.busy = true;
    try {
      if (!this.redis.up()) {
        this.goLocal(entry, false);
        return;
      }
      const lease = this.keys(entry.key).lease;
      // One command whatever our part: keeps our lease, takes a free one, or says it is another's.
      const claimed = await this.claim(lease, this.token, this.options.leaseMs);
      if (claimed === 0) {
        // Another instance's (or we lost ours while Redis was away and another took it): listen.
        this.goFollow(entry);
      } else if (!this.isCurrent(entry)) {
        // The last subscriber left while we bid: hand the lease straight back.
        await this.release(lease, this.token);
      } else {
        if (claimed === 2) this.options.logger.debug({ event: 'live.lease', companyId: entry.key.companyId }, 'polling for the fleet');
        this.goLocal(entry, true);
      }
    } catch {
      // A command failed: poll for ourselves until Redis answers again.
      this.goLocal(entry, false);
    } finally {
      entry.busy = false;
    }
  }

  /** Polls here, through `local`: as the lease holder (publishing), or on our own while Redis is away. */
  private goLocal(entry: FleetEntry, holding: boolean): void {
    if (!this.isCurrent(entry)) return;
    if (entry.mode !== 'polling') {
      entry.mode = 'polling';
      entry.last = undefined;
      for (const listener of entry.listeners.keys()) entry.listeners.set(listener, this.local.subscribe(entry.key, entry.source, listener));
    }
    if (holding && !entry.publisher) {
      entry.publisher = this.local.subscribe(entry.key, entry.source, {
        eager: () => entry.remoteEager,
        onOutcome: (outcome) => void this.share(entry, outcome),
      });
    } else if (!holding && entry.publisher) {
      entry.publisher();
      entry.publisher = undefined;
    }
    entry.holding = holding;
  }

  /** Hears the holder's outcomes instead of polling. */
  private goFollow(entry: FleetEntry): void {
    if (!this.isCurrent(entry) || entry.mode === 'following') return;
    entry.publisher?.();
    entry.publisher = undefined;
    entry.holding = false;
    entry.mode = 'following';
    for (const [listener, leave] of entry.listeners) {
      leave?.();
      entry.listeners.set(listener, undefined);
    }
    // What the holder saw last, or a poll now: subscribers that joined before we knew who polls, or
    // while we polled ourselves, hear from the holder at once.
    void this.catchUp(entry);
  }

  private async share(entry: FleetEntry, outcome: PollOutcome): Promise<void> {
    if (!entry.holding || !this.redis.up()) return;
    const keys = this.keys(entry.key);
    const wire = JSON.stringify({ c: entry.key.companyId, t: 'outcome', o: toWire(outcome) } satisfies Message);
    try {
      await this.redis.command.set(keys.last, wire, 'PX', this.options.lastOutcomeTtlMs);
      await this.redis.command.publish(keys.channel, wire);
      entry.remoteEager = (await this.redis.command.exists(keys.eager)) === 1;
    } catch {
      // Redis went away: the followers poll for themselves (redis.onChange).
    }
  }

  private greetFollower(entry: FleetEntry, listener: PollerListener): void {
    const last = entry.last;
    if (last) queueMicrotask(() => entry.listeners.has(listener) && listener.onOutcome(last));
    // A subscriber waiting for a change (a sync to appear): the holder reads now, and then keeps the
    // active pace while the flag lasts, as a local poller quickens for a subscriber of its own.
    if (listener.eager?.()) void this.sayEager(entry).then(() => this.publish(entry.key, { c: entry.key.companyId, t: 'wake' }));
  }

  /** A new follower: the holder's latest outcome if it is kept, else ask the holder to poll. */
  private async catchUp(entry: FleetEntry): Promise<void> {
    try {
      const kept = await this.redis.command.get(this.keys(entry.key).last);
      const message = kept ? parseMessage(kept) : undefined;
      if (message?.t === 'outcome' && !entry.last) this.heard(entry, fromWire(message.o));
      else if (!message) this.publish(entry.key, { c: entry.key.companyId, t: 'wake' });
    } catch {
      // Redis went away meanwhile: goLocal follows from onChange.
    }
    void this.sayEager(entry);
  }

  private async sayEager(entry: FleetEntry): Promise<void> {
    if (entry.mode !== 'following' || ![...entry.listeners.keys()].some((l) => l.eager?.() ?? false)) return;
    await this.redis.command.set(this.keys(entry.key).eager, '1', 'PX', this.options.eagerTtlMs).catch(() => undefined);
  }

  private heard(entry: FleetEntry, outcome: PollOutcome): void {
    if (entry.mode !== 'following') return;
    entry.last = outcome;
    for (const listener of [...entry.listeners.keys()]) listener.onOutcome(outcome);
    void this.sayEager(entry);
  }

  private async drop(entry: FleetEntry): Promise<void> {
    if (this.entries.get(entryName(entry.key)) === entry) this.entries.delete(entryName(entry.key));
    for (const leave of entry.listeners.values()) leave?.();
    entry.listeners.clear();
    entry.publisher?.();
    entry.publisher = undefined;
    entry.mode = 'stopped';
    if (!entry.holding) return;
    entry.holding = false;
    if (!this.redis.up()) return;
    // Both sent at once, in order on one connection: on shutdown they are out before the connection closes.
    const released = this.release(this.keys(entry.key).lease, this.token);
    this.publish(entry.key, { c: entry.key.companyId, t: 'released' });
    // Redis away: the lease expires by itself.
    await released.catch(() => undefined);
  }

  /** Subscribes, once per tenant, to the tenant's poll channel. */
  private listen(tenant: string): void {
    const channel = this.keys({ tenant, companyId: '' }).channel;
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    this.redis.subscribe(channel, (raw) => {
      const message = parseMessage(raw);
      if (!message) return;
      const entry = this.entries.get(entryName({ tenant, companyId: message.c }));
      if (!entry) return;
      if (message.t === 'outcome') this.heard(entry, fromWire(message.o));
      else if (message.t === 'wake' && entry.mode === 'polling' && entry.holding) this.local.wake(entry.key);
      else if (message.t === 'released' && entry.mode === 'following') void this.tend(entry);
    });
  }

  private publish(key: PollerKey, message: Message): void {
    if (!this.redis.up()) return;
    this.redis.command.publish(this.keys(key).channel, JSON.stringify(message)).catch(() => undefined);
  }

  private isCurrent(entry: FleetEntry): boolean {
    return !this.closed && this.entries.get(entryName(entry.key)) === entry;
  }

  private keys(key: PollerKey): { lease: string; last: string; eager: string; channel: string } {
    const poll = namespacePrefix(tenantPrefix(this.options.keyPrefix, key.tenant), 'poll');
    return {
      lease: `${poll}lease:${key.companyId}`,
      last: `${poll}last:${key.companyId}`,
      eager: `${poll}eager:${key.companyId}`,
      channel: poll.slice(0, -1),
    };
  }
}

interface FleetEntry {
  key: PollerKey;
  /** The first subscriber's `CodatApi` (its tenant's): the local poller reads through it. */
  source: CodatApi;
  /** Each local subscriber, with its way out of `local` while this instance polls. */
  listeners: Map<PollerListener, (() => void) | undefined>;
  mode: 'starting' | 'polling' | 'following' | 'stopped';
  /** While polling: whether we hold the fleet's lease (else Redis is away and we poll for ourselves). */
  holding?: boolean;
  /** While holding: the local poller's listener that shares its outcomes. */
  publisher?: () => void;
  /** While following: the holder's latest outcome, for subscribers who join later. */
  last: PollOutcome | undefined;
  /** While holding: a follower's subscriber waits for a change, so the active pace applies. */
  remoteEager: boolean;
  busy: boolean;
}

function entryName(key: PollerKey): string {
  return `${key.tenant}\u0000${key.companyId}`;
}

function toWire(outcome: PollOutcome): WireOutcome {
  if (outcome.ok) return { ok: true, status: outcome.status };
  return { ok: false, failure: outcome.error instanceof UpstreamError ? { ...outcome.error.details } : null };
}

function fromWire(wire: WireOutcome): PollOutcome {
  if (wire.ok) return { ok: true, status: wire.status as Extract<PollOutcome, { ok: true }>['status'] };
  // Not an UpstreamError: the subscribers see it masked, as they would have on the holder.
  return { ok: false, error: wire.failure ? new UpstreamError(wire.failure) : new Error('poll failed') };
}

function parseMessage(raw: string): Message | undefined {
  try {
    const message = JSON.parse(raw) as Partial<Message>;
    return typeof message.c === 'string' && typeof message.t === 'string' ? (message as Message) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * KEYS: the lease. ARGV: this instance's token, the lease's life. 1: it was ours, and lives on; 2: it
 * was free, and is ours now; 0: it is another instance's.
 */
const CLAIM = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not owner then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 2
end
return 0
`;
