import { createServer } from 'node:net';

import type { Config } from '../../src/config';
import type { SimulatorBehaviour } from '../../src/simulator';

// The fault matrix: each way Codat can fail, as a behaviour of the simulator, with what the caller must
// see. test/integration/resilience.test.ts checks each row's code, attempts and timing;
// test/integration/leaks.test.ts drives every row again and scans everything the service produced.

// Small figures so the matrix runs in a few seconds: 2 retries (3 attempts), backoff from 40 ms (equal
// jitter: 20-40 ms, then 30-60 ms), 600 ms per attempt (well above a normal answer on a busy machine, so
// only the rows meant to time out do). A Retry-After of 1 s fits under maxDelayMs.
export const FAULT_MATRIX_CONFIG = {
  codatTimeoutMs: 600,
  codatMaxRetries: 2,
  codatBackoff: { baseDelayMs: 40, factor: 1.5, maxDelayMs: 1_500 },
  codatDeadlineMs: 5_000,
} satisfies Partial<Config>;
/** Lower bounds of the two gaps between three attempts, from FAULT_MATRIX_CONFIG's backoff. */
export const MIN_GAPS = [20, 30];

export interface FaultRow {
  name: string;
  behaviour: SimulatorBehaviour;
  /** Only the first N requests misbehave; unset: all of them. */
  times?: number;
  /** The error code, or null when the retries recovered and data came back. */
  code: string | null;
  attempts: number;
  /** Lower bounds for the gaps between consecutive attempts. */
  minGapsMs?: number[];
  extensions?: Record<string, unknown>;
}

export const FAULT_ROWS: FaultRow[] = [
  { name: '404', behaviour: { kind: 'status', status: 404 }, code: 'NOT_FOUND', attempts: 1 },
  { name: '401', behaviour: { kind: 'status', status: 401 }, code: 'UPSTREAM_AUTH_FAILED', attempts: 1 },
  { name: '403', behaviour: { kind: 'status', status: 403 }, code: 'UPSTREAM_AUTH_FAILED', attempts: 1 },
  { name: '402', behaviour: { kind: 'status', status: 402 }, code: 'UPSTREAM_ACCOUNT_LIMIT', attempts: 1 },
  {
    name: '400',
    behaviour: { kind: 'status', status: 400, error: 'Invalid company id' },
    code: 'UPSTREAM_REJECTED',
    attempts: 1,
    extensions: { codatMessage: 'Invalid company id', upstream: expect.objectContaining({ status: 400 }) },
  },
  {
    name: '409',
    behaviour: { kind: 'status', status: 409 },
    code: 'UPSTREAM_REJECTED',
    attempts: 1,
    extensions: { codatMessage: expect.any(String) },
  },
  {
    name: '429 (Retry-After: 1) then OK',
    behaviour: { kind: 'status', status: 429, retryAfter: '1' },
    times: 1,
    code: null,
    attempts: 2,
    minGapsMs: [1_000],
  },
  {
    name: '429 always (Retry-After: 0)',
    behaviour: { kind: 'status', status: 429, retryAfter: '0' },
    code: 'RATE_LIMITED',
    attempts: 3,
    minGapsMs: MIN_GAPS,
    extensions: { retryAfterSeconds: 0 },
  },
  {
    name: '429 always (Retry-After: 3600)',
    behaviour: { kind: 'status', status: 429, retryAfter: '3600' },
    code: 'RATE_LIMITED',
    attempts: 1,
    extensions: { retryAfterSeconds: 3600 },
  },
  { name: '500 then OK', behaviour: { kind: 'status', status: 500 }, times: 1, code: null, attempts: 2, minGapsMs: [20] },
  { name: '500 always', behaviour: { kind: 'status', status: 500 }, code: 'UPSTREAM_UNAVAILABLE', attempts: 3, minGapsMs: MIN_GAPS },
  { name: '503 always', behaviour: { kind: 'status', status: 503 }, code: 'UPSTREAM_UNAVAILABLE', attempts: 3, minGapsMs: MIN_GAPS },
  { name: 'slow (1 s) then OK', behaviour: { kind: 'slow', delayMs: 1_000 }, times: 1, code: null, attempts: 2, minGapsMs: [20] },
  { name: 'hang', behaviour: { kind: 'hang' }, code: 'UPSTREAM_TIMEOUT', attempts: 3, minGapsMs: MIN_GAPS },
  { name: 'reset', behaviour: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE', attempts: 3, minGapsMs: MIN_GAPS },
  { name: 'non-JSON 200', behaviour: { kind: 'non-json' }, code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
  { name: 'wrong-shaped JSON 200', behaviour: { kind: 'wrong-shape' }, code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
];

/** Faults on a mutation: whatever happens, the POST is sent once (a POST is never retried once sent). */
export const POST_FAULT_ROWS = [
  ['500', { kind: 'status', status: 500 }, 'UPSTREAM_UNAVAILABLE'],
  ['503', { kind: 'status', status: 503 }, 'UPSTREAM_UNAVAILABLE'],
  ['429', { kind: 'status', status: 429, retryAfter: '0' }, 'RATE_LIMITED'],
  ['a timeout', { kind: 'hang' }, 'UPSTREAM_TIMEOUT'],
  ['a reset', { kind: 'reset' }, 'UPSTREAM_UNAVAILABLE'],
] as const satisfies readonly (readonly [string, SimulatorBehaviour, string])[];

/** A loopback port with nothing listening on it: connecting is refused before any byte is sent. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
