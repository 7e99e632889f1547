import { SimulatedError, validationItem } from './simulator.errors';
import { isUuid, type CompanyRecord, type DateRangeMs, type SimulatorStore } from './simulator.store';
import { formatCodatDateTime, parseCodatDateTime } from './simulator.time';
import type { ErrorValidationItem, OperationId } from './simulator.wire';

// The seven Sync for Commerce operations the simulator serves, matched by method and path exactly as
// the spec writes them (case-sensitive, no trailing slash, query string ignored). Any other request
// is a 404.

export interface RouteMatch {
  readonly operationId: OperationId;
  readonly companyId: string;
  readonly syncId?: string;
}

/** The request body as read off the socket. */
export type RequestBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'invalid'; readonly text: string; readonly reason: string };

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly operationId: OperationId;
}

const SEGMENT = '([^/]+)';

// Order matters: "list", "latest" and "lastSuccessful" would otherwise be read as a {syncId}.
const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: new RegExp(`^/meta/companies/${SEGMENT}/sync/commerce/status$`), operationId: 'get-sync-status' },
  { method: 'GET', pattern: new RegExp(`^/companies/${SEGMENT}/sync/commerce/syncs/list/status$`), operationId: 'list-syncs' },
  { method: 'GET', pattern: new RegExp(`^/companies/${SEGMENT}/sync/commerce/syncs/latest/status$`), operationId: 'get-latest-sync' },
  {
    method: 'GET',
    pattern: new RegExp(`^/companies/${SEGMENT}/sync/commerce/syncs/lastSuccessful/status$`),
    operationId: 'get-last-successful-sync',
  },
  { method: 'GET', pattern: new RegExp(`^/companies/${SEGMENT}/sync/commerce/syncs/${SEGMENT}/status$`), operationId: 'get-sync-by-id' },
  { method: 'POST', pattern: new RegExp(`^/companies/${SEGMENT}/sync/commerce/latest$`), operationId: 'request-sync' },
  {
    method: 'POST',
    pattern: new RegExp(`^/meta/companies/${SEGMENT}/sync/commerce/historic$`),
    operationId: 'request-sync-for-date-range',
  },
];

export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const companyId = decodeSegment(match[1] ?? '');
    const syncId = match[2] === undefined ? undefined : decodeSegment(match[2]);
    return syncId === undefined ? { operationId: route.operationId, companyId } : { operationId: route.operationId, companyId, syncId };
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Runs one operation against the store: the 200 body, or a SimulatedError. */
export function handleOperation(store: SimulatorStore, route: RouteMatch, body: RequestBody): unknown {
  const company = requireCompany(store, route.companyId);
  switch (route.operationId) {
    // get-sync-status: GET /meta/companies/{companyId}/sync/commerce/status → SyncStatus
    case 'get-sync-status':
      return store.syncStatus(company);

    // list-syncs: GET /companies/{companyId}/sync/commerce/syncs/list/status → CompanySyncStatus[]
    // A company that never synced has an empty list (the company exists; there is just nothing in it).
    case 'list-syncs':
      return store.listSyncs(company);

    // get-latest-sync: GET /companies/{companyId}/sync/commerce/syncs/latest/status → CompanySyncStatus
    // No sync yet is a 404: there is no CompanySyncStatus to return and the spec lists 404 for this operation.
    case 'get-latest-sync':
      return store.latestSync(company) ?? notFound(`No sync was found for company ${company.id}`);

    // get-last-successful-sync: GET /companies/{companyId}/sync/commerce/syncs/lastSuccessful/status → CompanySyncStatus
    case 'get-last-successful-sync':
      return store.lastSuccessfulSync(company) ?? notFound(`No successful sync was found for company ${company.id}`);

    // get-sync-by-id: GET /companies/{companyId}/sync/commerce/syncs/{syncId}/status → CompanySyncStatus
    // Looks up `syncId`, not `commerceSyncId` (the id a SyncSummary carries): the two differ, as in Codat's examples.
    case 'get-sync-by-id': {
      const syncId = route.syncId ?? '';
      const sync = isUuid(syncId) ? store.syncById(company, syncId) : undefined;
      return sync ?? notFound(`No sync was found with ID ${syncId} for company ${company.id}`);
    }

    // request-sync: POST /companies/{companyId}/sync/commerce/latest, body SyncToLatestArgs → SyncSummary
    // The range runs from the last successful sync's finish (or the configured start date) to syncTo or now.
    // A second request while one is running is accepted and starts another sync: Codat documents no
    // refusal, and guards against double-posting inside the sync itself (status 5080, duplication protection).
    case 'request-sync': {
      const syncToMs = readSyncTo(body);
      const range = store.latestSyncRange(company, syncToMs);
      if (range.finishMs <= range.startMs) {
        throw invalid([
          validationItem(
            'syncTo',
            `syncTo (${formatCodatDateTime(range.finishMs)}) must be later than the start of the sync range (${formatCodatDateTime(range.startMs)}), the end of the last successful sync.`,
            'DateRange',
          ),
        ]);
      }
      return store.startSync(company, range);
    }

    // request-sync-for-date-range: POST /meta/companies/{companyId}/sync/commerce/historic, body SyncRange → SyncSummary
    // Refused when the range overlaps one requested before (by either POST), so the same sales are not pushed twice.
    case 'request-sync-for-date-range': {
      const range = readDateRange(body);
      const overlap = store.findRequestedOverlap(company, range);
      if (overlap) {
        throw new SimulatedError(400, 'Date overlaps with a previous sync date range', [
          validationItem(
            'dateRange',
            `${formatCodatDateTime(range.startMs)} to ${formatCodatDateTime(range.finishMs)} overlaps ${formatCodatDateTime(overlap.range.startMs)} to ${formatCodatDateTime(overlap.range.finishMs)} (commerceSyncId ${overlap.commerceSyncId}).`,
            'DateRangeOverlap',
          ),
        ]);
      }
      return store.startSync(company, range);
    }
  }
}

// An id that is not a UUID names no company, so it is a 404 like any unknown id. A 400 would be
// defensible, but the GET operations list no 400 in the spec, and ASP.NET's {id:guid} route
// constraint (Codat runs on .NET) answers a non-GUID segment with 404 too.
function requireCompany(store: SimulatorStore, companyId: string): CompanyRecord {
  const company = isUuid(companyId) ? store.find(companyId) : undefined;
  return company ?? notFound(`No company was found with ID ${companyId}`);
}

function notFound(message: string): never {
  throw new SimulatedError(404, message);
}

function invalid(errors: ErrorValidationItem[]): SimulatedError {
  return new SimulatedError(400, 'The request is not valid.', errors);
}

function jsonObject(body: RequestBody, required: boolean): Record<string, unknown> | undefined {
  if (body.kind === 'invalid') {
    throw invalid([validationItem('body', `The request body is not valid JSON: ${body.reason}`, 'JsonSyntax')]);
  }
  const value = body.kind === 'json' ? body.value : undefined;
  if (value === undefined || value === null) {
    if (required) throw invalid([validationItem('body', 'A request body is required.', 'Required')]);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid([validationItem('body', 'The request body must be a JSON object.', 'Type')]);
  }
  return value as Record<string, unknown>;
}

/** SyncToLatestArgs: `{}`, `{"syncTo": null}` or `{"syncTo": "<date-time>"}`; no body counts as `{}` (the body is optional). */
function readSyncTo(body: RequestBody): number | undefined {
  const syncTo = jsonObject(body, false)?.syncTo;
  if (syncTo === undefined || syncTo === null) return undefined;
  const errors: ErrorValidationItem[] = [];
  const ms = readDateTime(syncTo, 'syncTo', errors);
  if (ms === undefined) throw invalid(errors);
  return ms;
}

/** SyncRange: `{"dateRange": {"start": "<date-time>", "finish": "<date-time>"}}`, finish after start. */
function readDateRange(body: RequestBody): DateRangeMs {
  const dateRange = jsonObject(body, true)?.dateRange;
  if (typeof dateRange !== 'object' || dateRange === null || Array.isArray(dateRange)) {
    throw invalid([validationItem('dateRange', 'The dateRange field is required and must be an object.', 'Required')]);
  }
  const { start, finish } = dateRange as Record<string, unknown>;
  const errors: ErrorValidationItem[] = [];
  const startMs = readDateTime(start, 'dateRange.start', errors);
  const finishMs = readDateTime(finish, 'dateRange.finish', errors);
  if (startMs === undefined || finishMs === undefined) throw invalid(errors);
  if (finishMs <= startMs) {
    throw invalid([validationItem('dateRange.finish', 'The finish date must be later than the start date.', 'DateRange')]);
  }
  return { startMs, finishMs };
}

function readDateTime(value: unknown, itemId: string, errors: ErrorValidationItem[]): number | undefined {
  if (value === undefined || value === null) {
    errors.push(validationItem(itemId, `The ${itemId} field is required.`, 'Required'));
    return undefined;
  }
  const ms = typeof value === 'string' ? parseCodatDateTime(value) : undefined;
  if (ms === undefined) {
    errors.push(validationItem(itemId, `${JSON.stringify(value)} is not a valid date-time.`, 'DateTime'));
  }
  return ms;
}
