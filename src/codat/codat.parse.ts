import type * as Codat from './codat.dto';

/**
 * Checks that a 2xx body has the shape the spec promises before anything downstream trusts it.
 *
 * Deliberately lenient where Codat is known to be loose and strict where our schema depends on it:
 * - unknown properties are ignored (Codat adds fields over time; the spec's `additionalProperties: false`
 *   would turn every addition into an outage);
 * - `syncStatusCode` may arrive as a numeric string (the spec's own SyncStatus example has `"4200,"`);
 * - a field of the wrong type, or a body that is not an object, is a bad response.
 * Each function returns the value or a message saying what was wrong.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): Kind | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : 'other';
}

const SYNC_FIELDS: Record<string, Kind> = {
  companyId: 'string',
  commerceSyncId: 'string',
  syncId: 'string',
  syncStatus: 'string',
  errorMessage: 'string',
  syncExceptionMessage: 'string',
  syncUtc: 'string',
  dataPushed: 'boolean',
  dataConnections: 'array',
  syncDateRangeUtc: 'object',
};

const CONNECTION_REQUIRED = ['id', 'integrationId', 'sourceId', 'platformName', 'linkUrl', 'status', 'created', 'sourceType'];

/** Reads `syncStatusCode`, accepting a numeric string such as "4200" or "4200,". */
function readStatusCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const match = /^\s*(\d+)\D*$/.exec(value);
    if (match) return Number(match[1]);
  }
  return undefined;
}

function parseSyncLike<T extends object>(body: unknown, what: string): ParseResult<T> {
  if (!isObject(body)) return { ok: false, problem: `${what} is not a JSON object` };
  for (const [field, expected] of Object.entries(SYNC_FIELDS)) {
    const actual = kindOf(body[field]);
    if (body[field] === undefined || actual === 'null') continue;
    if (actual !== expected) return { ok: false, problem: `${what}.${field} is ${actual}, expected ${expected}` };
  }
  const code = readStatusCode(body.syncStatusCode);
  if (code === undefined) return { ok: false, problem: `${what}.syncStatusCode is missing or not an integer` };
  if (Array.isArray(body.dataConnections)) {
    for (const [i, connection] of body.dataConnections.entries()) {
      if (!isObject(connection)) return { ok: false, problem: `${what}.dataConnections[${i}] is not an object` };
      const missing = CONNECTION_REQUIRED.find((k) => typeof connection[k] !== 'string');
      if (missing) return { ok: false, problem: `${what}.dataConnections[${i}].${missing} is missing` };
    }
  }
  return { ok: true, value: { ...body, syncStatusCode: code } as T };
}

export function parseSyncStatus(body: unknown): ParseResult<Codat.SyncStatus> {
  return parseSyncLike<Codat.SyncStatus>(body, 'SyncStatus');
}

export function parseCompanySyncStatus(body: unknown): ParseResult<Codat.CompanySyncStatus> {
  return parseSyncLike<Codat.CompanySyncStatus>(body, 'CompanySyncStatus');
}

export function parseSyncSummary(body: unknown): ParseResult<Codat.SyncSummary> {
  return parseSyncLike<Codat.SyncSummary>(body, 'SyncSummary');
}

export function parseCompanySyncStatusList(body: unknown): ParseResult<Codat.CompanySyncStatus[]> {
  if (!Array.isArray(body)) return { ok: false, problem: 'list of CompanySyncStatus is not a JSON array' };
  const items: Codat.CompanySyncStatus[] = [];
  for (const [i, item] of body.entries()) {
    const parsed = parseSyncLike<Codat.CompanySyncStatus>(item, `CompanySyncStatus[${i}]`);
    if (!parsed.ok) return parsed;
    items.push(parsed.value);
  }
  return { ok: true, value: items };
}

/** Reads Codat's `ErrorMessage` from an error body, tolerating anything (proxies answer HTML too). */
export function parseErrorMessage(body: unknown): Codat.ErrorMessage {
  if (!isObject(body)) return {};
  const message: Codat.ErrorMessage = {};
  if (typeof body.error === 'string') message.error = body.error;
  if (typeof body.correlationId === 'string') message.correlationId = body.correlationId;
  if (typeof body.service === 'string') message.service = body.service;
  if (typeof body.statusCode === 'number') message.statusCode = body.statusCode;
  if (typeof body.canBeRetried === 'string') message.canBeRetried = body.canBeRetried;
  if (typeof body.detailedErrorCode === 'number') message.detailedErrorCode = body.detailedErrorCode;
  if (isObject(body.validation)) message.validation = body.validation as Codat.ErrorValidation;
  return message;
}
