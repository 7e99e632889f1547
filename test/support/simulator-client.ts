import type { CodatSimulator, OperationId } from '../../src/simulator';
import { loadCodatSpec } from './codat-spec';
import { TEST_API_KEY } from './simulator';

// Codat's side of the wire as a client sees it, for the simulator's own tests (test/simulator/): raw
// HTTP calls to a simulator over loopback, and assertions that its replies follow Codat's OpenAPI spec.
// The simulator is what every integration test calls "Codat", so it is held to Codat's spec
// (test/fixtures/codat/Codat-Sync-Commerce.json, read by ./codat-spec.ts).

/** The Authorization header Codat expects: Basic base64(key). */
export const AUTH = `Basic ${Buffer.from(TEST_API_KEY).toString('base64')}`;
/** A well-formed company id the simulator does not know. */
export const UNKNOWN_COMPANY = '0b9c6f0e-4d3a-4c1b-9e8f-7a6b5c4d3e2f';

export const SYNC_UTC_7_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
export const WHOLE_SECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const CORRELATION_ID = /^[0-9a-f]{32}$/;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read Codat's JSON freely
}

/** The paths of the spec's operations, for one company. */
export const paths = {
  status: (id: string) => `/meta/companies/${id}/sync/commerce/status`,
  list: (id: string) => `/companies/${id}/sync/commerce/syncs/list/status`,
  latest: (id: string) => `/companies/${id}/sync/commerce/syncs/latest/status`,
  lastSuccessful: (id: string) => `/companies/${id}/sync/commerce/syncs/lastSuccessful/status`,
  byId: (id: string, syncId: string) => `/companies/${id}/sync/commerce/syncs/${syncId}/status`,
  requestSync: (id: string) => `/companies/${id}/sync/commerce/latest`,
  requestRange: (id: string) => `/meta/companies/${id}/sync/commerce/historic`,
};

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  /** Default: the right key (AUTH); null: no header at all. */
  authorization?: string | null;
  signal?: AbortSignal;
}

export async function call(
  simulator: CodatSimulator,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.authorization !== null) headers.authorization = options.authorization ?? AUTH;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${simulator.url}${path}`, { method, headers, body, signal: options.signal });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const get = (simulator: CodatSimulator, path: string, options?: CallOptions) => call(simulator, 'GET', path, options);
export const post = (simulator: CodatSimulator, path: string, body: unknown, options?: CallOptions) =>
  call(simulator, 'POST', path, { ...options, body });

/** The body follows the spec for this operation and status, and the content type is Codat's. */
export function expectSpecReply(operationId: OperationId, reply: Reply, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(loadCodatSpec().validateResponse(operationId, status, reply.json).errors).toEqual([]);
}

/** Codat's ErrorMessage, with a fresh 32-hex correlationId. */
export function expectErrorMessage(operationId: OperationId, reply: Reply, status: number): void {
  expectSpecReply(operationId, reply, status);
  expect(reply.json).toMatchObject({ statusCode: status, service: 'PublicApi', detailedErrorCode: 0 });
  expect(reply.json.correlationId).toMatch(CORRELATION_ID);
  expect(typeof reply.json.error).toBe('string');
}
