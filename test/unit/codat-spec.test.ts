import { readFileSync } from 'node:fs';
import path from 'node:path';

import { CODAT_SPEC_PATH, CODAT_SPEC_SHA256, loadCodatSpec, sha256OfFile } from '../support/codat-spec';

/** The spec as plain JSON, to build test bodies from Codat's own examples. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const raw = JSON.parse(readFileSync(CODAT_SPEC_PATH, 'utf8')) as any;
const FIXTURE_README_PATH = path.join(path.dirname(CODAT_SPEC_PATH), 'README.md');

const companyId = '782575ae-c4f8-4a0b-8041-4ffa193aaab7';
const syncId = 'afe076de-4d1b-44d8-8b4a-717463af00c5';

const valid = { valid: true, errors: [] };
const invalid = (...errors: string[]) => ({ valid: false, errors });

type SyncStatusBody = Record<string, unknown> & { dataConnections: Record<string, unknown>[] };

/** Codat's `SyncStatus` example "4200", whose `syncStatusCode` is the string "4200," (sic). */
function syncStatusExampleAsPublished(): SyncStatusBody {
  return structuredClone(raw.components.schemas.SyncStatus['x-examples']['4200']);
}
/** The same example with `syncStatusCode` as the integer its schema demands. */
function syncStatusExample(): SyncStatusBody {
  return { ...syncStatusExampleAsPublished(), syncStatusCode: 4200 };
}
function companySyncStatusExamples(): Record<string, unknown>[] {
  return Object.values(structuredClone(raw.components.schemas.CompanySyncStatus['x-examples']));
}
/** The spec has no `SyncSummary` example: one built from its schema, every property present. */
function syncSummary(): Record<string, unknown> {
  const { dataConnections } = syncStatusExample();
  return {
    syncDateRangeUtc: { start: '2024-01-01T00:00:00Z', finish: '2024-02-01T00:00:00Z' },
    companyId,
    commerceSyncId: '78ab9424-bb29-47d2-b808-4c6e651efd6d',
    syncStatusCode: 1000,
    syncStatus: 'Started',
    errorMessage: null,
    syncExceptionMessage: null,
    syncUtc: '2024-02-01T00:00:01.1234567Z',
    dataConnections,
    dataPushed: false,
  };
}

const SYNC_OPERATIONS = {
  'get-sync-status': { method: 'GET', path: '/meta/companies/{companyId}/sync/commerce/status' },
  'list-syncs': { method: 'GET', path: '/companies/{companyId}/sync/commerce/syncs/list/status' },
  'get-latest-sync': { method: 'GET', path: '/companies/{companyId}/sync/commerce/syncs/latest/status' },
  'get-last-successful-sync': {
    method: 'GET',
    path: '/companies/{companyId}/sync/commerce/syncs/lastSuccessful/status',
  },
  'get-sync-by-id': { method: 'GET', path: '/companies/{companyId}/sync/commerce/syncs/{syncId}/status' },
  'request-sync': { method: 'POST', path: '/companies/{companyId}/sync/commerce/latest' },
  'request-sync-for-date-range': { method: 'POST', path: '/meta/companies/{companyId}/sync/commerce/historic' },
} as const;
const SINGLE_SYNC_OPERATIONS = ['get-latest-sync', 'get-last-successful-sync', 'get-sync-by-id'];

describe('Codat spec fixture', () => {
  it('is the unmodified upstream file', () => {
    expect(sha256OfFile(CODAT_SPEC_PATH)).toBe(CODAT_SPEC_SHA256);
  });

  it('is the file its README records: the same checksum, the upstream commit, the spec and version', () => {
    const readme = readFileSync(FIXTURE_README_PATH, 'utf8');
    expect(readme).toContain(`SHA-256: \`${CODAT_SPEC_SHA256}\``);
    expect(readme).toMatch(/`codatio\/oas`[^]*commit `[0-9a-f]{40}`/);
    expect(raw).toMatchObject({ openapi: '3.1.0', info: { title: 'Sync for Commerce', version: '1.1' } });
  });
});

describe('loadCodatSpec', () => {
  it('loads once and caches', () => {
    expect(loadCodatSpec()).toBe(loadCodatSpec());
  });
});

describe('validateResponse', () => {
  const spec = loadCodatSpec();

  describe('SyncStatus (get-sync-status 200)', () => {
    it("accepts Codat's example once syncStatusCode is an integer", () => {
      expect(spec.validateResponse('get-sync-status', 200, syncStatusExample())).toEqual(valid);
    });

    it('rejects Codat\'s own example as published: its syncStatusCode is the string "4200,"', () => {
      const body = syncStatusExampleAsPublished();
      expect(body.syncStatusCode).toBe('4200,');
      expect(spec.validateResponse('get-sync-status', 200, body)).toEqual(invalid('/syncStatusCode must be integer'));
    });

    it('rejects a property the schema does not have (additionalProperties: false)', () => {
      expect(spec.validateResponse('get-sync-status', 200, { ...syncStatusExample(), state: 'FAILED' })).toEqual(
        invalid("(root) must NOT have additional property 'state'"),
      );
    });

    it('rejects a misnamed property inside a data connection', () => {
      const body = syncStatusExample();
      body.dataConnections[0] = { ...body.dataConnections[0], connectionStatus: 'Linked' };
      expect(spec.validateResponse('get-sync-status', 200, body)).toEqual(
        invalid("/dataConnections/0 must NOT have additional property 'connectionStatus'"),
      );
    });

    it('rejects wrong types', () => {
      expect(spec.validateResponse('get-sync-status', 200, { ...syncStatusExample(), syncStatusCode: '2000', dataPushed: 'no' })).toEqual(
        invalid('/syncStatusCode must be integer', '/dataPushed must be boolean'),
      );
    });

    it('enforces int32 on syncStatusCode', () => {
      expect(spec.validateResponse('get-sync-status', 200, { ...syncStatusExample(), syncStatusCode: 2 ** 31 })).toEqual(
        invalid('/syncStatusCode must match format "int32"'),
      );
      expect(spec.validateResponse('get-sync-status', 200, { ...syncStatusExample(), syncStatusCode: 2000.5 })).toEqual(
        invalid('/syncStatusCode must be integer', '/syncStatusCode must match format "int32"'),
      );
    });

    it('enforces formats (uuid, guid, uri) and enums', () => {
      const body = { ...syncStatusExample(), companyId: 'company-1', commerceSyncId: 'sync-1' };
      body.dataConnections[0] = { ...body.dataConnections[0], sourceType: 'commerce', linkUrl: 'not a url' };
      expect(spec.validateResponse('get-sync-status', 200, body)).toEqual(
        invalid(
          '/companyId must match format "uuid"',
          '/commerceSyncId must match format "guid"',
          '/dataConnections/0/sourceType must be one of "Accounting", "Banking", "BankFeed", "Commerce", "Expense", "Other", "Unknown"',
          '/dataConnections/0/linkUrl must match format "uri"',
        ),
      );
    });

    it('accepts null where the spec says nullable (with type, with $ref, on arrays and nested enums)', () => {
      const body = {
        ...syncStatusExample(),
        syncStatus: null,
        errorMessage: null,
        syncExceptionMessage: null,
        syncUtc: null, // `$ref` + `nullable`
      };
      body.dataConnections[0] = {
        ...body.dataConnections[0],
        lastSync: null,
        dataConnectionErrors: [{ status: null }], // `enum` + `nullable`
        connectionInfo: null,
      };
      expect(spec.validateResponse('get-sync-status', 200, body)).toEqual(valid);
      expect(spec.validateResponse('get-sync-status', 200, { ...syncStatusExample(), dataConnections: null })).toEqual(valid);
    });

    it('rejects null where the spec does not say nullable', () => {
      const body = { ...syncStatusExample(), companyId: null, syncStatusCode: null, dataPushed: null };
      body.dataConnections[0] = { ...body.dataConnections[0], created: null, status: null };
      expect(spec.validateResponse('get-sync-status', 200, body)).toEqual(
        invalid(
          '/companyId must be string',
          '/syncStatusCode must be integer',
          '/dataPushed must be boolean',
          '/dataConnections/0/status must be string',
          '/dataConnections/0/status must be one of "PendingAuth", "Linked", "Unlinked", "Deauthorized"',
          '/dataConnections/0/created must be string',
        ),
      );
    });

    it('reports a wrong type under a nullable $ref without the null branch noise', () => {
      expect(spec.validateResponse('get-sync-status', 200, { ...syncStatusExample(), syncUtc: 20230412 })).toEqual(
        invalid('/syncUtc must be string'),
      );
    });

    it('rejects a missing required property of a data connection', () => {
      const body = syncStatusExample();
      delete body.dataConnections[1]!.sourceType;
      expect(spec.validateResponse('get-sync-status', 200, body)).toEqual(
        invalid("/dataConnections/1 must have required property 'sourceType'"),
      );
    });
  });

  describe('CompanySyncStatus (list-syncs, get-latest-sync, get-last-successful-sync, get-sync-by-id 200)', () => {
    it("accepts Codat's examples", () => {
      const examples = companySyncStatusExamples();
      expect(examples).toHaveLength(2);
      expect(spec.validateResponse('list-syncs', 200, examples)).toEqual(valid);
      expect(spec.validateResponse('list-syncs', 200, [])).toEqual(valid);
      for (const operationId of SINGLE_SYNC_OPERATIONS) {
        for (const example of examples) expect(spec.validateResponse(operationId, 200, example)).toEqual(valid);
      }
    });

    it('accepts null in its nullable properties, including companyId and syncId', () => {
      const body = {
        companyId: null,
        syncId: null,
        syncStatusCode: 1000,
        syncStatus: null,
        errorMessage: null,
        syncExceptionMessage: null,
        syncUtc: null,
        dataPushed: false,
      };
      for (const operationId of SINGLE_SYNC_OPERATIONS) {
        expect(spec.validateResponse(operationId, 200, body)).toEqual(valid);
      }
    });

    it('rejects an extra property, a wrong type and a non-array list', () => {
      const [example] = companySyncStatusExamples();
      expect(spec.validateResponse('get-latest-sync', 200, { ...example, commerceSyncId: syncId })).toEqual(
        invalid("(root) must NOT have additional property 'commerceSyncId'"),
      );
      expect(spec.validateResponse('list-syncs', 200, [{ ...example, syncStatusCode: '2000' }])).toEqual(
        invalid('/0/syncStatusCode must be integer'),
      );
      expect(spec.validateResponse('list-syncs', 200, example)).toEqual(invalid('(root) must be array'));
    });

    it('rejects null where not nullable', () => {
      const [example] = companySyncStatusExamples();
      expect(spec.validateResponse('get-sync-by-id', 200, { ...example, dataPushed: null })).toEqual(
        invalid('/dataPushed must be boolean'),
      );
    });
  });

  describe('SyncSummary (request-sync, request-sync-for-date-range 200)', () => {
    it('accepts a full body', () => {
      expect(spec.validateResponse('request-sync', 200, syncSummary())).toEqual(valid);
      expect(spec.validateResponse('request-sync-for-date-range', 200, syncSummary())).toEqual(valid);
    });

    it('accepts nulls where nullable', () => {
      const body = { ...syncSummary(), syncStatus: null, syncUtc: null, dataConnections: null };
      expect(spec.validateResponse('request-sync', 200, body)).toEqual(valid);
    });

    it('rejects our GraphQL name syncDateRange for the wire name syncDateRangeUtc', () => {
      const { syncDateRangeUtc, ...rest } = syncSummary();
      expect(spec.validateResponse('request-sync', 200, { ...rest, syncDateRange: syncDateRangeUtc })).toEqual(
        invalid("(root) must NOT have additional property 'syncDateRange'"),
      );
    });

    it('rejects null where not nullable and extras in syncDateRangeUtc', () => {
      const body = { ...syncSummary(), syncDateRangeUtc: { start: null, finish: '2024-02-01T00:00:00Z', end: 'x' } };
      expect(spec.validateResponse('request-sync-for-date-range', 200, body)).toEqual(
        invalid("/syncDateRangeUtc must NOT have additional property 'end'", '/syncDateRangeUtc/start must be string'),
      );
    });
  });

  describe('ErrorMessage (via #/components/responses/...)', () => {
    const notFoundExamples = Object.values(raw.components.responses['Not-Found'].content['application/json'].examples);

    it("accepts Codat's 404 examples for every sync operation", () => {
      expect(notFoundExamples.length).toBeGreaterThan(0);
      for (const operationId of Object.keys(SYNC_OPERATIONS)) {
        for (const example of notFoundExamples) {
          expect(spec.validateResponse(operationId, 404, (example as { value: unknown }).value)).toEqual(valid);
        }
      }
    });

    it('accepts the other documented error statuses', () => {
      const body = {
        statusCode: 429,
        service: 'PublicApi',
        error: 'You have made too many requests',
        correlationId: '7eb40d6b415d7fcfe2ec8b3ba5c8ef55',
        canBeRetried: 'Unknown',
        detailedErrorCode: 0,
        validation: null,
      };
      for (const status of [401, 402, 403, 429, 500, 503]) {
        expect(spec.validateResponse('get-sync-status', status, { ...body, statusCode: status })).toEqual(valid);
      }
      expect(spec.validateResponse('request-sync', 400, { ...body, statusCode: 400 })).toEqual(valid);
    });

    it('rejects a wrong type in an error body', () => {
      expect(spec.validateResponse('get-sync-status', 404, { statusCode: '404', canBeRetried: false })).toEqual(
        invalid('/statusCode must be integer', '/canBeRetried must be string'),
      );
    });

    it('rejects a status the operation does not document', () => {
      expect(spec.validateResponse('get-sync-status', 400, {})).toEqual(invalid('get-sync-status documents no response for status 400'));
      expect(spec.validateResponse('list-syncs', 418, {})).toEqual(invalid('list-syncs documents no response for status 418'));
    });
  });

  it('throws for an unknown operationId', () => {
    expect(() => spec.validateResponse('get-sync-statuses', 200, {})).toThrow("Codat spec has no operation 'get-sync-statuses'");
  });
});

describe('validateRequestBody', () => {
  const spec = loadCodatSpec();

  describe('request-sync (SyncToLatestArgs)', () => {
    it('accepts {}, a syncTo date, a null syncTo and no body (the body is optional)', () => {
      expect(spec.validateRequestBody('request-sync', {})).toEqual(valid);
      expect(spec.validateRequestBody('request-sync', { syncTo: '2024-01-01T00:00:00Z' })).toEqual(valid);
      expect(spec.validateRequestBody('request-sync', { syncTo: null })).toEqual(valid);
      expect(spec.validateRequestBody('request-sync', undefined)).toEqual(valid);
    });

    it('rejects a syncTo that is not a string, and a body that is not an object', () => {
      expect(spec.validateRequestBody('request-sync', { syncTo: 1704067200000 })).toEqual(invalid('/syncTo must be string'));
      expect(spec.validateRequestBody('request-sync', '2024-01-01T00:00:00Z')).toEqual(invalid('(root) must be object'));
    });
  });

  describe('request-sync-for-date-range (SyncRange)', () => {
    it('accepts a dateRange with start and finish', () => {
      expect(
        spec.validateRequestBody('request-sync-for-date-range', {
          dateRange: { start: '2024-01-01T00:00:00Z', finish: '2024-02-01T00:00:00Z' },
        }),
      ).toEqual(valid);
    });

    it('rejects start and finish without the dateRange wrapper', () => {
      expect(
        spec.validateRequestBody('request-sync-for-date-range', {
          start: '2024-01-01T00:00:00Z',
          finish: '2024-02-01T00:00:00Z',
        }),
      ).toEqual(invalid("(root) must have required property 'dateRange'"));
    });

    it('rejects a dateRange without finish, or with null dates', () => {
      expect(spec.validateRequestBody('request-sync-for-date-range', { dateRange: { start: '2024-01-01T00:00:00Z' } })).toEqual(
        invalid("/dateRange must have required property 'finish'"),
      );
      expect(
        spec.validateRequestBody('request-sync-for-date-range', {
          dateRange: { start: null, finish: '2024-02-01T00:00:00Z' },
        }),
      ).toEqual(invalid('/dateRange/start must be string'));
    });

    it('rejects an empty object, but (as the spec says) not a missing body', () => {
      expect(spec.validateRequestBody('request-sync-for-date-range', {})).toEqual(
        invalid("(root) must have required property 'dateRange'"),
      );
      // The spec does not mark this requestBody `required: true`, so by OpenAPI's rules no body at
      // all is allowed; only a body that is sent must carry dateRange.
      expect(spec.validateRequestBody('request-sync-for-date-range', undefined)).toEqual(valid);
    });
  });

  it('accepts no body and rejects a body for operations that take none', () => {
    expect(spec.validateRequestBody('get-sync-status', undefined)).toEqual(valid);
    expect(spec.validateRequestBody('get-sync-status', {})).toEqual(invalid('get-sync-status takes no request body'));
  });
});

describe('operation', () => {
  const spec = loadCodatSpec();

  it.each(Object.entries(SYNC_OPERATIONS))('%s is %j', (operationId, expected) => {
    expect(spec.operation(operationId)).toEqual(expected);
  });

  it('throws for an unknown operationId', () => {
    expect(() => spec.operation('nope')).toThrow("Codat spec has no operation 'nope'");
  });
});

describe('matchOperation', () => {
  const spec = loadCodatSpec();

  it.each([
    ['GET', `/meta/companies/${companyId}/sync/commerce/status`, 'get-sync-status'],
    ['GET', `/companies/${companyId}/sync/commerce/syncs/list/status`, 'list-syncs'],
    ['GET', `/companies/${companyId}/sync/commerce/syncs/latest/status`, 'get-latest-sync'],
    ['GET', `/companies/${companyId}/sync/commerce/syncs/lastSuccessful/status`, 'get-last-successful-sync'],
    ['GET', `/companies/${companyId}/sync/commerce/syncs/${syncId}/status`, 'get-sync-by-id'],
    ['POST', `/companies/${companyId}/sync/commerce/latest`, 'request-sync'],
    ['POST', `/meta/companies/${companyId}/sync/commerce/historic`, 'request-sync-for-date-range'],
  ])('%s %s is %s', (method, concretePath, operationId) => {
    expect(spec.matchOperation(method, concretePath)).toBe(operationId);
  });

  it('round-trips every sync operation through its own template', () => {
    for (const operationId of Object.keys(SYNC_OPERATIONS)) {
      const { method, path: template } = spec.operation(operationId);
      const concrete = template.replace('{companyId}', companyId).replace('{syncId}', syncId);
      expect(spec.matchOperation(method, concrete)).toBe(operationId);
    }
  });

  it('prefers literal segments over templates (list/latest/lastSuccessful vs {syncId})', () => {
    expect(spec.matchOperation('GET', '/companies/c/sync/commerce/syncs/list/status')).toBe('list-syncs');
    expect(spec.matchOperation('GET', '/companies/c/sync/commerce/syncs/latest/status')).toBe('get-latest-sync');
    expect(spec.matchOperation('GET', '/companies/c/sync/commerce/syncs/lastSuccessful/status')).toBe('get-last-successful-sync');
    expect(spec.matchOperation('GET', '/companies/c/sync/commerce/syncs/listing/status')).toBe('get-sync-by-id');
  });

  it('ignores method case, query strings, a trailing slash and an absolute URL', () => {
    expect(spec.matchOperation('get', `/companies/${companyId}/sync/commerce/syncs/latest/status?x=1`)).toBe('get-latest-sync');
    expect(spec.matchOperation('POST', `https://api.codat.io/companies/${companyId}/sync/commerce/latest/`)).toBe('request-sync');
  });

  it('finds nothing for the wrong method or an unknown path', () => {
    expect(spec.matchOperation('POST', `/meta/companies/${companyId}/sync/commerce/status`)).toBeUndefined();
    expect(spec.matchOperation('GET', `/companies/${companyId}/sync/commerce/latest`)).toBeUndefined();
    expect(spec.matchOperation('GET', `/companies/${companyId}/sync/commerce/syncs/status`)).toBeUndefined();
    expect(spec.matchOperation('GET', `/meta/companies/${companyId}/sync/commerce/status/extra`)).toBeUndefined();
    expect(spec.matchOperation('GET', `/meta/companies//sync/commerce/status`)).toBeUndefined();
  });
});
