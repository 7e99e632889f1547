import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';

import { loadConfig, type LiveConfig } from '../../src/config';

/**
 * The simulator's clock for live tests, moved by the test: a requested sync stays IN_PROGRESS until the
 * test calls `finishSyncs()`, however slow the machine, so "seen in progress, then final" never races a
 * timer. Give the simulator `{ syncDurationMs: SYNC_MS, now: clock.now }`.
 */
export class TestClock {
  static readonly SYNC_MS = 60_000;
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  /** Every sync requested so far reaches its outcome. */
  finishSyncs(): void {
    this.offsetMs += TestClock.SYNC_MS;
  }
}

/** Live-tracking settings for a test: the shipped ones, without jitter (pace assertions stay exact), and `overrides`. */
export function liveConfig(overrides: Partial<LiveConfig> = {}): LiveConfig {
  return { ...loadConfig({}).live, pollJitter: 0, ...overrides };
}

/** One event as a subscriber received it. */
export interface ReceivedEvent<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> & { code?: string } }[];
}

/** A subscription being followed by a test: what arrived so far, and how it ended. */
export interface Subscribed<T = Record<string, unknown>> {
  events: ReceivedEvent<T>[];
  /** The server sent `complete`. */
  completed: boolean;
  /** The sink's error (a protocol `error` message's errors, or a CloseEvent). */
  failure: unknown;
  /** Settles when the subscription is over (complete or error). */
  ended: Promise<void>;
  /** Leaves (sends `complete` to the server). */
  unsubscribe(): void;
}

/**
 * A real graphql-ws client over a real WebSocket (`ws`) to the server under test, as Apollo Client or
 * urql would connect: `graphql-transport-ws`, no retries (a test wants to see the close).
 */
export function liveClient(baseUrl: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...options,
  });
}

export function subscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscribed<T> {
  let settle!: () => void;
  const ended = new Promise<void>((resolve) => (settle = resolve));
  const subscribed: Subscribed<T> = {
    events: [],
    completed: false,
    failure: undefined,
    ended,
    unsubscribe: () => undefined,
  };
  subscribed.unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (event) => subscribed.events.push(event as ReceivedEvent<T>),
      error: (error) => {
        subscribed.failure = error;
        settle();
      },
      complete: () => {
        subscribed.completed = true;
        settle();
      },
    },
  );
  return subscribed;
}

export const STATUS_CHANGED = `subscription Follow($companyId: ID!) {
  commerceSyncStatusChanged(companyId: $companyId) { companyId commerceSyncId syncId syncStatusCode state syncUtc }
}`;

export const SYNC_PROGRESS = `subscription Progress($companyId: ID!, $commerceSyncId: ID!) {
  commerceSyncProgress(companyId: $companyId, commerceSyncId: $commerceSyncId) { companyId commerceSyncId syncId syncStatusCode state syncUtc }
}`;

/** A sync request for one company, answering the id a `SYNC_PROGRESS` subscription follows. */
export const requestSyncMutation = (companyId: string): string =>
  `mutation { requestSync(companyId: "${companyId}") { commerceSyncId state } }`;

export interface StatusEvent {
  companyId: string;
  commerceSyncId: string | null;
  syncId: string | null;
  syncStatusCode: number;
  state: string;
  syncUtc: string | null;
}

/** Reads a text/event-stream response into its events as they come. */
export function readEvents(response: Response): { events: { event: string; data: string }[]; done: Promise<void> } {
  const events: { event: string; data: string }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const done = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (end) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? '' });
      }
    }
  })();
  return { events, done };
}

/** One `STATUS_CHANGED` event's data. */
export type StatusChangedData = { commerceSyncStatusChanged: StatusEvent };
/** One `SYNC_PROGRESS` event's data. */
export type SyncProgressData = { commerceSyncProgress: StatusEvent };
