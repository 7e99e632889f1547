import type { CallOrigin, CodatApi, CodatOperation, CodatOperations } from './codat.api';
import { formatCodatDate } from './codat-dates';
import type * as Codat from './codat.dto';
import { parseCompanySyncStatus, parseCompanySyncStatusList, parseSyncStatus, parseSyncSummary, type ParseResult } from './codat.parse';
import type { QuotaView } from './codat.quota';
import { CodatSender, type CodatRequest, type SendOptions } from './codat.send';
import type { CircuitStateName } from './circuit-breaker';
import type { AnswerKind } from './sync-state';

export type { CodatAttemptEvent, CodatClientHooks, CodatRetryEvent } from './codat.events';

/**
 * The endpoint table: each `CodatApi` method is one line here, naming the spec operation
 * (`test/fixtures/codat/Codat-Sync-Commerce.json`, checked by test/unit/codat-endpoints.test.ts), its
 * method and path template, how its body is built and how its answer is read. The HTTP client
 * (`createCodatHttpClient`) and the cross-request cache (codat.cache.ts) are both built from it, so an
 * operation is declared once.
 */
export interface Endpoint<A extends unknown[], T> {
  /** The spec's operationId. */
  operation: CodatOperation;
  method: 'GET' | 'POST';
  /** The spec's path template; its placeholders take the method's first arguments, in order (ids, encoded). */
  path: string;
  /** POSTs: the request body, from the method's arguments. */
  body?: (...args: A) => unknown;
  /** Checks a 2xx body's shape (codat.parse.ts). */
  parse: (body: unknown) => ParseResult<T>;
  /** GETs: how the answer ages, for the cache (sync-state.ts's freshness rules). */
  answer?: AnswerKind;
}

/** One entry per `CodatApi` operation, with that method's arguments and answer. */
export type EndpointTable = {
  readonly [K in keyof CodatOperations]: Endpoint<Parameters<CodatOperations[K]>, Awaited<ReturnType<CodatOperations[K]>>>;
};

/** One string argument per `{placeholder}` of a path template. */
type PathArgs<P extends string> = P extends `${string}{${string}}${infer Rest}` ? [string, ...PathArgs<Rest>] : [];

/** A GET whose arguments are the path's ids. */
function get<P extends string, T>(
  operation: CodatOperation,
  path: P,
  parse: (body: unknown) => ParseResult<T>,
  answer: AnswerKind = 'current',
): Endpoint<PathArgs<P>, T> {
  return { operation, method: 'GET', path, parse, answer };
}

/** A POST on the company in its first argument, with a body built from all of them. */
function post<A extends [companyId: string, ...rest: unknown[]], T>(
  operation: CodatOperation,
  path: string,
  body: (...args: A) => unknown,
  parse: (body: unknown) => ParseResult<T>,
): Endpoint<A, T> {
  return { operation, method: 'POST', path, body, parse };
}

/** The spec's SyncToLatestArgs: `{}` means "up to now" on Codat's side. */
function syncToLatest(_companyId: string, options: { syncTo?: Date } = {}): Codat.SyncToLatestArgs {
  return options.syncTo ? { syncTo: formatCodatDate(options.syncTo) } : {};
}

/** The spec's SyncRange. */
function syncRange(_companyId: string, range: { start: Date; finish: Date }): Codat.SyncRange {
  return { dateRange: { start: formatCodatDate(range.start), finish: formatCodatDate(range.finish) } };
}

export const CODAT_ENDPOINTS: EndpointTable = {
  getSyncStatus: get('get-sync-status', '/meta/companies/{companyId}/sync/commerce/status', parseSyncStatus),
  listSyncs: get('list-syncs', '/companies/{companyId}/sync/commerce/syncs/list/status', parseCompanySyncStatusList),
  getLatestSync: get('get-latest-sync', '/companies/{companyId}/sync/commerce/syncs/latest/status', parseCompanySyncStatus),
  getLastSuccessfulSync: get(
    'get-last-successful-sync',
    '/companies/{companyId}/sync/commerce/syncs/lastSuccessful/status',
    parseCompanySyncStatus,
  ),
  getSyncById: get('get-sync-by-id', '/companies/{companyId}/sync/commerce/syncs/{syncId}/status', parseCompanySyncStatus, 'one-sync'),
  requestSync: post('request-sync', '/companies/{companyId}/sync/commerce/latest', syncToLatest, parseSyncSummary),
  requestSyncForDateRange: post(
    'request-sync-for-date-range',
    '/meta/companies/{companyId}/sync/commerce/historic',
    syncRange,
    parseSyncSummary,
  ),
};

/** Any entry of the table, with its arguments as the method received them. */
export type AnyEndpoint = Endpoint<never[], unknown>;

const OPERATION_NAMES = Object.keys(CODAT_ENDPOINTS) as (keyof CodatOperations)[];

/** What a view's methods hand their table entry and arguments to (`apiFromEndpoints`). */
export type EndpointCall = (name: keyof CodatOperations, endpoint: AnyEndpoint, args: readonly unknown[]) => Promise<unknown>;

/**
 * A `CodatApi` whose every method hands its table entry and its arguments to the call that `callsFor`
 * gave for whom the view is: how the client and the cache wrapper get their methods from the one table.
 * Every GraphQL request makes a view (`onBehalfOf`), so a view is one small object, its methods on a
 * prototype. Two earlier shapes cost the server under load 20 to 30 MB of peak RSS and up to a third more
 * CPU per cached request (`npm run bench`): views kept in a WeakMap by origin, and views whose closures
 * referred back to the view; the old generation grew though a heap snapshot after the load held nothing
 * of them. The methods need their view as `this`, as every caller here calls them. A view asked for its
 * own origin is itself, and `undefined` gives the first view. Each entry's types match its method's
 * (`EndpointTable`), so the one cast below only forgets which method is which. `answerNow`, when given,
 * is every view's (`CodatApi.answerNow`: an answer given at once is nobody's call).
 */
export function apiFromEndpoints(callsFor: (origin: CallOrigin | undefined) => EndpointCall, answerNow?: CodatApi['answerNow']): CodatApi {
  class View {
    readonly call: EndpointCall;
    constructor(readonly origin: CallOrigin | undefined) {
      this.call = callsFor(origin);
    }
    onBehalfOf(origin: CallOrigin | undefined): CodatApi {
      if (origin === this.origin) return this as unknown as CodatApi;
      return origin === undefined ? root : (new View(origin) as unknown as CodatApi);
    }
  }
  for (const name of OPERATION_NAMES) {
    const endpoint = CODAT_ENDPOINTS[name] as unknown as AnyEndpoint;
    Object.defineProperty(View.prototype, name, {
      value: function (this: View, ...args: unknown[]) {
        return this.call(name, endpoint, args);
      },
    });
  }
  if (answerNow) Object.defineProperty(View.prototype, 'answerNow', { value: answerNow });
  const root = new View(undefined) as unknown as CodatApi;
  return root;
}

/** The request an entry makes for these arguments. Every operation here is about the company in the first one. */
export function requestFor<T>(endpoint: Endpoint<never[], T>, args: readonly unknown[], origin?: CallOrigin): CodatRequest<T> {
  let next = 0;
  // Ids are validated above src/codat/; encoding each segment is defence in depth against `../`.
  const path = endpoint.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(args[next++])));
  return {
    operation: endpoint.operation,
    method: endpoint.method,
    path,
    companyId: String(args[0]),
    body: endpoint.body?.(...(args as never[])),
    parse: endpoint.parse,
    origin,
  };
}

/** The HTTP client: `CodatApi` over `send()`, plus what the composition root needs to run it. */
export interface CodatClient extends CodatApi {
  /** The circuit breaker's state for this base URL, for readiness checks and metrics. */
  circuitState(): CircuitStateName;
  /**
   * Codat's daily quota as the last answers said (`X-Rate-Limit-*`), for the `codat_quota_*` metrics; its
   * `pressure` is the hook pollers read to slow down (anything but 'normal': poll less).
   */
  quota(): QuotaView;
  /** Closes pooled upstream connections; call when the server stops. */
  close(): Promise<void>;
}

export type CodatClientOptions = SendOptions;

/** The axios-backed `CodatApi`: every method is its table entry sent through the one pipeline (codat.send.ts). */
export function createCodatHttpClient(options: CodatClientOptions): CodatClient {
  const sender = new CodatSender(options);
  return Object.assign(
    apiFromEndpoints((origin) => (_name, endpoint, args) => sender.send(requestFor(endpoint, args, origin))),
    {
      circuitState: () => sender.circuitState(),
      quota: () => sender.quotaView(),
      close: () => sender.close(),
    },
  );
}
