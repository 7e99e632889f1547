import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BehaviourRules, type BehaviourOptions, type SimulatorBehaviour } from './simulator.behaviour';
import { SimulatedError, defaultErrorText, toErrorMessage } from './simulator.errors';
import { CompanyConcurrency, DailyBudget, DEFAULT_COMPANY_CONCURRENCY, DEFAULT_DAILY_REQUEST_BUDGET } from './simulator.limits';
import { RequestLog, type RecordedRequest } from './simulator.log';
import { handleOperation, matchRoute, type RequestBody, type RouteMatch } from './simulator.routes';
import { createCompany, createSeededCompanies, type NewCompanySpec } from './simulator.seed';
import { SimulatorStore } from './simulator.store';

// An embedded stand-in for Codat's Sync for Commerce API: a real HTTP server on loopback, so the app's
// client is exercised over the same path (sockets, headers, timeouts) it uses against api.codat.io.
// It serves the seven sync operations of Codat's spec (test/fixtures/codat/Codat-Sync-Commerce.json) with the spec's
// shapes and status codes, checks the API key like Codat does, and lets tests make it misbehave.

export interface SimulatorOptions {
  /** The key clients must send as `Authorization: Basic base64(apiKey)`. */
  apiKey: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** How long a requested sync stays at 1000 before its outcome shows. Default 3000 ms. */
  syncDurationMs?: number;
  /** The simulator's clock, for syncUtc, sync ranges and sync progress. Default: the real clock. */
  now?: () => Date;
  /**
   * Requests the client may make per UTC day (Codat: 1,000 per connected company plus 1,000); once spent,
   * every request is answered 429 with Retry-After until 00:00 UTC. Default 1,000,000, which no ordinary
   * test reaches; a quota test sets e.g. 50.
   */
  dailyRequestBudget?: number;
  /** Requests one company may have in flight (Codat: 10); one more is answered 429 at once. Default 10. */
  companyConcurrency?: number;
}

const DEFAULT_SYNC_DURATION_MS = 3000;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export class CodatSimulator {
  private readonly server: Server;
  private readonly store: SimulatorStore;
  private readonly behaviours = new BehaviourRules();
  private readonly log = new RequestLog();
  private readonly budget: DailyBudget;
  private readonly concurrency: CompanyConcurrency;
  private readonly expectedCredentials: string;
  /** The key clients must send. */
  readonly apiKey: string;
  private readonly nowMs: () => number;
  private baseUrl = '';
  private closing: Promise<void> | undefined;

  private constructor(options: SimulatorOptions) {
    if (!options.apiKey) throw new Error('CodatSimulator needs a non-empty apiKey');
    this.apiKey = options.apiKey;
    const syncDurationMs = options.syncDurationMs ?? DEFAULT_SYNC_DURATION_MS;
    if (!(Number.isFinite(syncDurationMs) && syncDurationMs >= 0)) {
      throw new Error(`syncDurationMs must be a finite number >= 0, got ${String(syncDurationMs)}`);
    }
    const now = options.now ?? (() => new Date());
    this.nowMs = () => now().getTime();
    this.expectedCredentials = Buffer.from(options.apiKey, 'utf8').toString('base64');
    this.store = new SimulatorStore(this.nowMs, syncDurationMs);
    this.budget = new DailyBudget(options.dailyRequestBudget ?? DEFAULT_DAILY_REQUEST_BUDGET, this.nowMs);
    this.concurrency = new CompanyConcurrency(options.companyConcurrency ?? DEFAULT_COMPANY_CONCURRENCY);
    for (const company of createSeededCompanies()) this.store.add(company);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  /** Starts a simulator with the seeded companies and resolves once it listens. */
  static async start(options: SimulatorOptions): Promise<CodatSimulator> {
    const simulator = new CodatSimulator(options);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      simulator.server.once('error', reject);
      simulator.server.listen(options.port ?? 0, host, () => {
        simulator.server.off('error', reject);
        resolve();
      });
    });
    const { port } = simulator.server.address() as AddressInfo;
    simulator.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return simulator;
  }

  /** The base URL, e.g. http://127.0.0.1:43121 (no trailing slash): use it in place of https://api.codat.io. */
  get url(): string {
    return this.baseUrl;
  }

  /**
   * Makes requests for `companyId` (or every company, '*') misbehave, optionally only for one
   * operation and only for the first `times` matching requests. See BehaviourRules for precedence.
   */
  setBehaviour(companyId: string | '*', behaviour: SimulatorBehaviour, options?: BehaviourOptions): void {
    this.behaviours.add(companyId, behaviour, options);
  }

  /**
   * Holds matching requests (the first `times` of them, or all until cleared) unanswered until
   * `release()`, then answers them normally. For tests that need a call to stay in flight until other
   * callers have joined it, without guessing a delay.
   */
  hold(companyId: string | '*', options?: BehaviourOptions): { release(): void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.setBehaviour(companyId, { kind: 'held', released }, options);
    return { release };
  }

  clearBehaviours(): void {
    this.behaviours.clear();
  }

  requests(): readonly RecordedRequest[] {
    return this.log.snapshot();
  }

  /** Empties the request log and restarts peakConcurrency() (overall and per company) from the requests in flight now. */
  clearLog(): void {
    this.log.clear();
    this.concurrency.resetPeaks();
  }

  /**
   * The most requests in flight at once since start or the last clearLog(): overall, or for one company
   * (counted from arrival until its answer was written, refused ones included).
   */
  peakConcurrency(companyId?: string): number {
    return companyId === undefined ? this.log.peakConcurrency() : this.concurrency.peak(companyId);
  }

  /** What is left of today's request budget (`X-Rate-Limit-Remaining` of the next answer, before it is counted). */
  quotaRemaining(): number {
    return this.budget.remaining();
  }

  /** The daily request budget (`X-Rate-Limit-Limit`). */
  get dailyRequestBudget(): number {
    return this.budget.limit;
  }

  inFlight(): number {
    return this.log.inFlight();
  }

  /** Adds a company whose sync history matches `spec.state`; returns its id. */
  addCompany(spec: NewCompanySpec): string {
    const company = createCompany(spec, this.nowMs());
    this.store.add(company);
    return company.id;
  }

  /** Stops listening and destroys every connection, hanging ones included. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
      // The responses' own 'close' events may come a tick later; the log should not wait for them.
      this.log.endAll();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const [path = '/', query = ''] = splitOnce(req.url ?? '/', '?');
    const route = matchRoute(method, path);
    const entry = this.log.begin({
      method,
      path,
      query: query === '' ? '' : `?${query}`,
      operationId: route?.operationId ?? null,
      companyId: route?.companyId ?? null,
      authorization: req.headers.authorization,
    });
    // 'close' fires once the response is sent or the connection is gone, whichever ends the exchange.
    res.on('close', () => this.log.end(entry, res.headersSent ? res.statusCode : null));

    let body: RequestBody;
    try {
      body = parseBody(await readText(req));
    } catch {
      res.destroy(); // the client went away mid-body
      return;
    }
    entry.body = body.kind === 'json' ? body.value : body.kind === 'invalid' ? body.text : undefined;

    // Codat's limits come before anything else, behaviours included: its gateway counts requests before
    // the API handles them. Every answer carries the budget as it stands after this request.
    const slot = route ? this.concurrency.enter(route.companyId) : { admitted: true, leave: () => {} };
    res.once('close', slot.leave);
    try {
      if (!slot.admitted) {
        this.withQuotaHeaders(res);
        sendError(res, new SimulatedError(429, companyConcurrencyText(this.concurrency.limit), [], { 'Retry-After': '1' }));
        return;
      }
      if (!this.budget.take()) {
        this.withQuotaHeaders(res);
        const retryAfter = String(this.budget.secondsUntilReset());
        sendError(res, new SimulatedError(429, DAILY_BUDGET_TEXT, [], { 'Retry-After': retryAfter }));
        return;
      }
      this.withQuotaHeaders(res);
      await this.answer(req, res, route, method, path, body, entry);
    } finally {
      // Counted out once the answer is written; a held, slow or hanging request stays counted until its 'close'.
      if (res.writableEnded) slot.leave();
    }
  }

  private withQuotaHeaders(res: ServerResponse): void {
    for (const [name, value] of Object.entries(this.budget.headers())) res.setHeader(name, value);
  }

  /** The answer to an admitted request: a behaviour's, or the operation's. */
  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: RouteMatch | undefined,
    method: string,
    path: string,
    body: RequestBody,
    entry: { behaviour: RecordedRequest['behaviour'] },
  ): Promise<void> {
    const behaviour = this.behaviours.take(route?.companyId ?? null, route?.operationId ?? null);
    entry.behaviour = behaviour?.kind ?? null;
    switch (behaviour?.kind) {
      case undefined:
        break;
      case 'hang':
        return; // never answer; close() or the client ends it
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'status': {
        const headers: Record<string, string> = behaviour.retryAfter === undefined ? {} : { 'Retry-After': behaviour.retryAfter };
        sendError(res, new SimulatedError(behaviour.status, behaviour.error ?? defaultErrorText(behaviour.status), [], headers));
        return;
      }
      case 'non-json':
        sendText(res, 200, 'text/html; charset=utf-8', MAINTENANCE_PAGE);
        return;
      case 'wrong-shape':
        sendText(res, 200, JSON_CONTENT_TYPE, JSON.stringify(behaviour.body ?? wrongShapeBody(route)));
        return;
      case 'slow':
        await waitUnlessClosed(behaviour.delayMs, res);
        if (res.destroyed) return;
        break;
      case 'held':
        await Promise.race([behaviour.released, new Promise((resolve) => res.once('close', resolve))]);
        if (res.destroyed) return;
        break;
    }

    try {
      this.authorize(req.headers.authorization);
      if (!route) throw new SimulatedError(404, `No resource matches ${method} ${path}`);
      sendText(res, 200, JSON_CONTENT_TYPE, JSON.stringify(handleOperation(this.store, route, body)));
    } catch (error) {
      sendError(res, error instanceof SimulatedError ? error : new SimulatedError(500, defaultErrorText(500)));
    }
  }

  // Codat's auth_header scheme: "Basic " then the base64 of the API key. Checked on every request,
  // before the path, so an unauthenticated caller learns nothing about which routes exist.
  private authorize(header: string | undefined): void {
    const [scheme = '', credentials = ''] = splitOnce(header ?? '', ' ');
    if (scheme.toLowerCase() !== 'basic' || credentials.trim() !== this.expectedCredentials) {
      throw new SimulatedError(401, defaultErrorText(401));
    }
  }
}

/** Codat's words for the two limits (its "Rate limits" page). */
const companyConcurrencyText = (limit: number): string =>
  `Too many concurrent requests for this company: at most ${limit} may be in flight; retry shortly.`;
const DAILY_BUDGET_TEXT = 'The daily request limit has been reached; it resets at 00:00 UTC (see Retry-After).';

const MAINTENANCE_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Down for maintenance</title></head>' +
  '<body><h1>We will be back soon</h1><p>The service is undergoing maintenance.</p></body></html>\n';

/** JSON that parses but breaks the operation's schema: an object for a list, a non-integer code, a string boolean. */
function wrongShapeBody(route: RouteMatch | undefined): unknown {
  if (route?.operationId === 'list-syncs') return { hello: 1 };
  return { companyId: route?.companyId ?? null, syncStatusCode: { value: 2000 }, dataPushed: 'yes' };
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, ''] : [text.slice(0, index), text.slice(index + separator.length)];
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): RequestBody {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'invalid', text, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Resolves after `ms`, or as soon as the connection closes, so a slow answer never outlives close(). */
function waitUnlessClosed(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: SimulatedError): void {
  sendText(res, error.status, JSON_CONTENT_TYPE, JSON.stringify(toErrorMessage(error)), error.headers);
}
