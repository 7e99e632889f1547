import { Redis } from 'ioredis';

import type { Logger } from '../observability/logger';

/**
 * The Redis behind REDIS_URL, as every shared structure here uses it: one connection for commands and
 * one for pub/sub (a subscribed connection takes no other commands), and whether both answer.
 *
 * Degradation is the point of this file. Commands never queue while Redis is away (no offline queue,
 * no retry of a command whose connection broke, each bounded by `commandTimeoutMs`): a structure that
 * finds Redis down, or whose command fails, uses its instance's own in-memory twin for that call, so a
 * client never sees an error because of Redis. ioredis reconnects in the background; once both
 * connections are back (and the subscriptions renewed), sharing resumes. Each change is logged once:
 * one warning when Redis goes (or cannot be reached at start), one line when it is back.
 * The URL is never logged: it may hold a password.
 */
export interface RedisConnection {
  /** For commands; fails at once while Redis is down. */
  readonly command: Redis;
  /** Whether both connections answer now. */
  up(): boolean;
  /** Calls `listener` with every message on `channel` (subscribed now, and again after each reconnect). */
  subscribe(channel: string, listener: (message: string) => void): void;
  /** Called on every change between up and down. */
  onChange(listener: (up: boolean) => void): void;
  /** Resolves with `up()` once both connections answer, or after `timeoutMs`. */
  whenUp(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  /** REDIS_URL. */
  url: string;
  /** Bound on one command (config.ts's redisCommandTimeoutMs). */
  commandTimeoutMs: number;
  logger: Logger;
}

/** Waits between reconnection attempts: quick at first, then every 2 s for as long as Redis is away. */
function reconnectDelayMs(attempt: number): number {
  return Math.min(100 * attempt, 2_000);
}

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const common = {
    retryStrategy: reconnectDelayMs,
    connectTimeout: 2_000,
    // Not `lazyConnect`: connecting starts now, in the background; until it is up, local structures answer.
    connectionName: 'codat-commerce-subgraph',
  };
  const command = new Redis(options.url, {
    ...common,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
  });
  // The subscriber queues its SUBSCRIBEs until it is connected, and renews them after each reconnect.
  const subscriber = new Redis(options.url, { ...common, autoResubscribe: true, maxRetriesPerRequest: 0 });

  const channels = new Map<string, ((message: string) => void)[]>();
  const changeListeners: ((up: boolean) => void)[] = [];
  const waiters = new Set<() => void>();
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  let closed = false;
  let lastProblem: string | undefined;

  const bothReady = (): boolean => command.status === 'ready' && subscriber.status === 'ready';

  function settle(): void {
    if (closed) return;
    const next = bothReady() ? 'up' : state === 'connecting' && !lastProblem ? 'connecting' : 'down';
    if (next === state) return;
    const previous = state;
    state = next;
    if (next === 'up') {
      options.logger.info(
        { event: 'redis.up', restored: previous === 'down' },
        previous === 'down'
          ? 'redis reachable again: shared structures are back in Redis'
          : 'redis connected: structures shared through it',
      );
    } else if (next === 'down') {
      options.logger.warn(
        { event: 'redis.down', problem: lastProblem ?? 'connection closed' },
        'redis unreachable: each instance uses its own in-memory structures until it is back',
      );
    }
    for (const listener of changeListeners) listener(next === 'up');
    for (const wake of [...waiters]) wake();
  }

  for (const connection of [command, subscriber]) {
    connection.on('ready', settle);
    connection.on('close', settle);
    connection.on('end', settle);
    // Without a listener ioredis prints every connection error to the console; the state change says it once.
    connection.on('error', (error: unknown) => {
      lastProblem = error instanceof Error ? ((error as Error & { code?: string }).code ?? error.message) : 'error';
      settle();
    });
  }
  subscriber.on('message', (channel: string, message: string) => {
    for (const listener of channels.get(channel) ?? []) listener(message);
  });

  return {
    command,
    up: () => state === 'up',
    subscribe(channel, listener) {
      const listeners = channels.get(channel);
      if (listeners) {
        listeners.push(listener);
        return;
      }
      channels.set(channel, [listener]);
      subscriber.subscribe(channel).catch(() => undefined);
    },
    onChange(listener) {
      changeListeners.push(listener);
    },
    whenUp(timeoutMs) {
      if (state === 'up') return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (): void => {
          if (state !== 'up' && !timedOut && !closed) return;
          clearTimeout(timer);
          waiters.delete(done);
          resolve(state === 'up');
        };
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          done();
        }, timeoutMs);
        waiters.add(done);
      });
    },
    async close() {
      closed = true;
      // A connection that is up says goodbye; one that is not stops trying to reconnect.
      const end = async (connection: Redis): Promise<void> => {
        if (connection.status !== 'ready') {
          connection.disconnect();
          return;
        }
        await connection.quit().catch(() => connection.disconnect());
      };
      await Promise.all([end(command), end(subscriber)]);
    },
  };
}

/**
 * A Lua script run with EVALSHA (ioredis sends the body once, and again should Redis have forgotten
 * it): atomic steps that would otherwise race between instances.
 */
export function redisScript(
  redis: Redis,
  name: string,
  numberOfKeys: number,
  lua: string,
): (...args: (string | number)[]) => Promise<unknown> {
  redis.defineCommand(name, { numberOfKeys, lua });
  const commands = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
  return (...args) => commands[name]!(...args);
}

/** KEYS: a marker or lease. ARGV: its holder's token. Deletes it only if it is still that holder's (flights, pollers' leases). */
export const DELETE_IF_MINE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
