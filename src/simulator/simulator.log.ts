import { performance } from 'node:perf_hooks';
import type { BehaviourKind } from './simulator.behaviour';
import type { OperationId } from './simulator.wire';

// What the simulator received, for tests to assert on ("one POST with this body", "never more than
// 10 at once"). Times are performance.now() milliseconds: monotonic, so durations and overlaps are
// exact even if the wall clock moves.

export interface RecordedRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** The query string including '?', or ''. */
  readonly query: string;
  /** The spec operation the path matched, or null for a path the simulator does not serve. */
  readonly operationId: OperationId | null;
  /** The {companyId} path segment as sent (even when it names no company), or null. */
  readonly companyId: string | null;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when there was none. */
  readonly body: unknown;
  /** The Authorization header exactly as received. */
  readonly authorization: string | undefined;
  /** The behaviour that answered instead of the normal handler, if any. */
  readonly behaviour: BehaviourKind | null;
  readonly startedAt: number;
  /** When the exchange ended (response sent, or connection closed); null while in flight. */
  readonly finishedAt: number | null;
  /** The status sent; null while in flight or when no response was sent (hang, reset). */
  readonly status: number | null;
}

type MutableRecordedRequest = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

export type RequestLogInit = Pick<RecordedRequest, 'method' | 'path' | 'query' | 'operationId' | 'companyId' | 'authorization'>;

export class RequestLog {
  private entries: MutableRecordedRequest[] = [];
  /** Kept apart from `entries`, which clear() empties while requests may still be in flight. */
  private readonly open = new Set<MutableRecordedRequest>();
  private peak = 0;

  /** Records a request as it arrives; the returned entry is completed by the server. */
  begin(init: RequestLogInit): MutableRecordedRequest {
    const entry: MutableRecordedRequest = {
      ...init,
      body: undefined,
      behaviour: null,
      startedAt: performance.now(),
      finishedAt: null,
      status: null,
    };
    this.entries.push(entry);
    this.open.add(entry);
    this.peak = Math.max(this.peak, this.open.size);
    return entry;
  }

  /** Idempotent: 'close' can follow 'finish' for the same exchange. */
  end(entry: MutableRecordedRequest, status: number | null): void {
    if (entry.finishedAt !== null) return;
    entry.finishedAt = performance.now();
    entry.status = status;
    this.open.delete(entry);
  }

  /** Ends every open exchange without a status: the server is closing and has dropped their sockets. */
  endAll(): void {
    for (const entry of this.open) this.end(entry, null);
  }

  /** Snapshots: later progress of a request does not change an array a test already holds. */
  snapshot(): readonly RecordedRequest[] {
    return this.entries.map((entry) => Object.freeze({ ...entry }));
  }

  /** Forgets the entries and restarts the peak from what is in flight now. */
  clear(): void {
    this.entries = [];
    this.peak = this.open.size;
  }

  inFlight(): number {
    return this.open.size;
  }

  peakConcurrency(): number {
    return this.peak;
  }
}
