import { LRUCache } from 'lru-cache';

import { outcomeUnknown, UpstreamError } from '../codat/codat.errors';
import { badUserInput, codedError } from '../errors';

/**
 * Idempotent sync requests. `requestSync` and `requestSyncRange` take an `idempotencyKey` (argument, or the
 * `Idempotency-Key` header); the first request with a key sends its POST, and for 24 h a repeat (same
 * caller's tenant, same company, same key) gets the first one's answer without a second POST:
 * - a repeat while the first is still on its way waits for its answer;
 * - a repeat with other arguments is BAD_USER_INPUT: a key names one request;
 * - a first POST that was sent and got no answer (`outcomeUnknown()`, codat/codat.errors.ts) is recorded
 *   as such, and a repeat answers UPSTREAM_OUTCOME_UNKNOWN with the time of the first request rather
 *   than send a POST that could start a second sync;
 * - a first POST that Codat answered with an error, or that never left (a limit of ours, the circuit),
 *   leaves no record: it started nothing, so the same key may be tried again.
 * The records live in an `IdempotencyStore`: in memory per instance, or in Redis for the fleet
 * (src/shared-state/), chosen by the composition root.
 */

/** What is known about the first request made with one key. */
export interface IdempotencyRecord {
  /** `pending`: sent or about to be; `done`: Codat's answer is in `answer`; `unknown`: sent, no answer came. */
  state: 'pending' | 'done' | 'unknown';
  /** The operation and its arguments: a repeat must carry the same. */
  fingerprint: string;
  /** When the first request claimed the key (epoch ms). */
  requestedAtMs: number;
  /** `done`: Codat's SyncSummary, as it came. */
  answer?: unknown;
}

/** Where records live. Keys are opaque strings built here (tenant, company, key). */
export interface IdempotencyStore {
  /** Stores `record` unless the key has one; resolves with the record already there, or undefined when this one was stored. */
  claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined>;
  /** Replaces the key's record. */
  put(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  /** Forgets the key. */
  delete(key: string): Promise<void>;
}

/** One instance's records: a bounded LRU (oldest go first past `maxEntries`), each for its TTL. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly lru: LRUCache<string, IdempotencyRecord>;

  constructor(maxEntries: number) {
    this.lru = new LRUCache({ max: maxEntries, ttlAutopurge: false });
  }

  claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    const existing = this.lru.get(key);
    if (existing) return Promise.resolve(existing);
    this.lru.set(key, record, { ttl: ttlMs });
    return Promise.resolve(undefined);
  }

  /** The record under `key`, for a shared store's fallback (src/shared-state/). */
  get(key: string): IdempotencyRecord | undefined {
    return this.lru.get(key);
  }

  put(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    this.lru.set(key, record, { ttl: ttlMs });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.lru.delete(key);
    return Promise.resolve();
  }
}

/** One sync request as the records see it. */
export interface IdempotentRequest {
  /** The caller's tenant (auth/caller.ts): records are never shared across tenants. */
  tenant: string;
  companyId: string;
  /** The key as the client sent it. */
  key: string;
  /** The spec's operationId and the arguments as sent, which a repeat must match. */
  operation: string;
  args: unknown;
}

export interface IdempotentSyncs {
  /** Sends through `send` the first time; answers repeats from the record (see the top of this file). */
  run<T>(request: IdempotentRequest, send: () => Promise<T>): Promise<T>;
}

export interface IdempotentSyncsOptions {
  /** How long a record answers repeats: 24 h (config.ts's idempotencyTtlMs). */
  ttlMs: number;
  /**
   * How long a pending record may wait for its answer (CODAT_DEADLINE_MS plus a margin: no POST runs
   * longer). Past it the first request's instance is taken to have gone mid-request, and the outcome to be unknown.
   */
  pendingMaxMs: number;
  /** How often a repeat looks at a pending record. */
  pollMs: number;
  /** Epoch ms; default Date.now. */
  now?: () => number;
}

/** Keys are the client's own words: printable ASCII, at most 255 characters (as the IETF Idempotency-Key draft suggests). */
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The key to use: the argument or the header, whichever is given; both must agree when both are.
 * Undefined when there is none (the request is simply sent, as before).
 */
export function idempotencyKeyOf(argument: string | null | undefined, header: string | undefined): string | undefined {
  const key = argument ?? header;
  if (key === undefined) return undefined;
  if (argument != null && header !== undefined && argument !== header) {
    throw badUserInput('idempotencyKey and the Idempotency-Key header differ; send one, or the same in both', {
      argumentName: 'idempotencyKey',
    });
  }
  if (!KEY.test(key)) {
    throw badUserInput('idempotencyKey must be 1 to 255 printable ASCII characters without spaces', { argumentName: 'idempotencyKey' });
  }
  return key;
}

export function createIdempotentSyncs(store: IdempotencyStore, options: IdempotentSyncsOptions): IdempotentSyncs {
  const now = options.now ?? Date.now;
  return {
    async run<T>(request: IdempotentRequest, send: () => Promise<T>): Promise<T> {
      const key = JSON.stringify([request.tenant, request.companyId, request.key]);
      const fingerprint = JSON.stringify([request.operation, request.args]);
      for (;;) {
        const mine: IdempotencyRecord = { state: 'pending', fingerprint, requestedAtMs: now() };
        const existing = await store.claim(key, mine, options.ttlMs);
        if (!existing) return sendOnce(store, key, mine, options.ttlMs, send);
        if (existing.fingerprint !== fingerprint) {
          throw badUserInput(
            'This idempotencyKey was used for another request (other operation or arguments); use a new key for a new request',
            { argumentName: 'idempotencyKey' },
          );
        }
        if (existing.state === 'done') return existing.answer as T;
        if (existing.state === 'unknown' || now() - existing.requestedAtMs > options.pendingMaxMs) throw outcomeUnknownError(existing);
        await sleep(options.pollMs);
      }
    },
  };
}

/** The first request with the key: sends, then records what came of it. */
async function sendOnce<T>(
  store: IdempotencyStore,
  key: string,
  mine: IdempotencyRecord,
  ttlMs: number,
  send: () => Promise<T>,
): Promise<T> {
  let answer: T;
  try {
    answer = await send();
  } catch (error) {
    if (error instanceof UpstreamError && outcomeUnknown(error.details)) {
      await store.put(key, { ...mine, state: 'unknown' }, ttlMs).catch(() => undefined);
    } else {
      await store.delete(key).catch(() => undefined);
    }
    throw error;
  }
  await store.put(key, { ...mine, state: 'done', answer }, ttlMs).catch(() => undefined);
  return answer;
}

function outcomeUnknownError(record: IdempotencyRecord): Error {
  const requestedAt = new Date(record.requestedAtMs).toISOString();
  return codedError(
    'UPSTREAM_OUTCOME_UNKNOWN',
    `The first request with this idempotencyKey was sent to Codat at ${requestedAt} and no answer came: Codat may or may not have started that sync. It is not sent again; check commerceSyncStatus, then use a new key if a sync is still needed.`,
    { requestedAt },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
