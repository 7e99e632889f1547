import { createHash, randomUUID } from 'node:crypto';
import { OUTCOMES, SYNC_STATUS_CODES, type CompanyRecord, type SyncOutcome, type SyncRecord } from './simulator.store';
import { DAY_MS, formatCodatDateTime, parseCodatDateTime, randomSubMillisecondTicks, startOfUtcDay } from './simulator.time';
import type { Connection, DataConnectionError, DataConnectionStatus, SourceType } from './simulator.wire';

// The companies every simulator starts with, and the generator behind addCompany().
//
// Seeded data is fixed (ids and dates), so tests and the README can name it. Sync for Commerce runs a
// daily sync shortly after midnight UTC that pushes the previous calendar day's sales; the seeded
// histories follow that pattern (docs.codat.io/commerce/data-synchronization).

/** The ids of the seeded companies. */
export const SEEDED_COMPANY_IDS = {
  /** Latest sync succeeded: 2000 "Complete", dataPushed true. */
  succeeded: '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11',
  /** Latest sync failed with 5130 (data push error) after earlier successes. */
  failed: '8b2e4c6d-1a3f-4b5c-8d7e-9f0a1b2c3d44',
  /** Latest sync still running: 1000 "Pushing"; an earlier one succeeded. */
  inProgress: '5d7f9a1b-3c5e-4f7a-9b1c-2d4e6f8a0b55',
  /** Linked yesterday, never synced. */
  neverSynced: 'a1b3c5d7-e9f1-4a2b-8c4d-6e8f0a2b4c66',
  /** Five data connections covering every status: Linked, PendingAuth, Deauthorized, Unlinked. */
  multiConnection: 'e6f8a0b2-c4d6-4e8f-a1b3-c5d7e9f1a377',
} as const;

export const SEEDED_COMPANIES: readonly { id: string; name: string; description: string }[] = [
  {
    id: SEEDED_COMPANY_IDS.succeeded,
    name: 'Harbour Coffee Roasters',
    description: 'Latest sync succeeded (2000 Complete, dataPushed true); four daily syncs, one of them 2040 (nothing to push).',
  },
  {
    id: SEEDED_COMPANY_IDS.failed,
    name: 'Northwind Outdoor Gear',
    description: 'Latest sync failed with 5130 PushError (Xero rejected an archived account); the three daily syncs before it succeeded.',
  },
  {
    id: SEEDED_COMPANY_IDS.inProgress,
    name: 'Lumen Lighting Co',
    description: 'Latest sync in progress (1000 Pushing, never finishes); the sync before it succeeded.',
  },
  {
    id: SEEDED_COMPANY_IDS.neverSynced,
    name: 'Fresh Start Bakery',
    description: 'Commerce and accounting connections linked, never synced: status NotStarted (code 0), no syncs, no latest sync.',
  },
  {
    id: SEEDED_COMPANY_IDS.multiConnection,
    name: 'Atlas Home & Garden',
    description: 'Five connections (commerce Linked and Deauthorized, accounting Linked, PendingAuth and Unlinked); latest sync succeeded.',
  },
];

// Platforms. Keys and names are Codat's (lqai from the spec's example; gbol, qhyg and tgff from the
// Sync for Commerce setup page). integrationId/sourceId for Partner Commerce and QuickBooks Online come
// from the spec's SyncStatus example; the others are made up.
interface Platform {
  readonly integrationId: string;
  readonly integrationKey: string;
  readonly sourceId: string;
  readonly sourceType: SourceType;
  readonly platformName: string;
}

const PLATFORMS = {
  partnerCommerce: {
    integrationId: '3485371f-930d-4614-997a-5dfa2cec546c',
    integrationKey: 'lqai',
    sourceId: 'c4f9fa2d-cb83-4a3f-9b36-45b4af190e81',
    sourceType: 'Commerce',
    platformName: 'Partner Commerce',
  },
  quickBooksOnline: {
    integrationId: 'adeb7fe9-4c64-4848-9e0d-175317876b6f',
    integrationKey: 'qhyg',
    sourceId: 'afe268b1-289e-4496-b890-3d65e9ce1acb',
    sourceType: 'Accounting',
    platformName: 'QuickBooks Online',
  },
  xero: {
    integrationId: '7d5b0b7e-2f0c-4f0e-9c53-2a1f4f1b8c90',
    integrationKey: 'gbol',
    sourceId: '0c1e6a4f-58d2-4b8a-a7e3-95f3d2c61b07',
    sourceType: 'Accounting',
    platformName: 'Xero',
  },
  sageBusinessCloud: {
    integrationId: '1f9a3c5e-7b2d-4e6f-8a0b-c2d4e6f8a1b3',
    integrationKey: 'tgff',
    sourceId: '6b8d0f2a-4c6e-4a8b-9d1f-3e5a7c9b1d2f',
    sourceType: 'Accounting',
    platformName: 'Sage Business Cloud Accounting',
  },
} as const satisfies Record<string, Platform>;

/** A name-based UUID (v5 layout over SHA-1): seeded sync and connection ids stay the same on every start. */
function stableUuid(name: string): string {
  const hex = createHash('sha1').update(`codat-simulator:${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface ConnectionSeed {
  readonly platform: Platform;
  readonly status: DataConnectionStatus;
  readonly created: string;
  readonly lastSync: string | null;
  readonly errors?: DataConnectionError[];
}

function connection(companyId: string, id: string, seed: ConnectionSeed): Connection {
  return {
    id,
    ...seed.platform,
    linkUrl: `https://link-api.codat.io/companies/${companyId}/connections/${id}/start`,
    status: seed.status,
    lastSync: seed.lastSync,
    created: seed.created,
    dataConnectionErrors: seed.errors ?? [],
  };
}

function parseSeedDate(text: string): number {
  const ms = parseCodatDateTime(text);
  if (ms === undefined) throw new Error(`Bad seed date ${text}`);
  return ms;
}

const PUSH_ERROR: SyncOutcome = {
  code: SYNC_STATUS_CODES.dataPushError,
  status: 'PushError',
  errorMessage:
    "The day's sales could not be written to Xero: account code '4000' (Sales - Outdoor Equipment) is archived. Map sales to an active account and retry.",
  exceptionMessage:
    "Xero returned 400 ValidationException for Invoice: Account code '4000' has been archived, or has been deleted. Each line item must reference a valid account.",
  dataPushed: false,
};

/**
 * A seeded company: ids of its connections and syncs are derived from the company id, and each
 * `[syncUtc, outcome]` is a daily sync that ran at syncUtc and pushed the previous calendar day.
 */
function seededCompany(
  id: string,
  configStart: string,
  connections: readonly ConnectionSeed[],
  dailySyncs: readonly (readonly [string, SyncOutcome])[],
): CompanyRecord {
  return {
    id,
    name: SEEDED_COMPANIES.find((c) => c.id === id)?.name ?? id,
    configStartMs: parseSeedDate(configStart),
    connections: connections.map((seed, n) => connection(id, stableUuid(`${id}:connection:${n + 1}`), seed)),
    syncs: dailySyncs.map(([syncUtc, outcome], n): SyncRecord => {
      const startedAtMs = parseSeedDate(syncUtc);
      const finishMs = startOfUtcDay(startedAtMs);
      return {
        syncId: stableUuid(`${id}:sync:${n + 1}`),
        commerceSyncId: stableUuid(`${id}:commerce-sync:${n + 1}`),
        startedAtMs,
        syncUtc,
        range: { startMs: finishMs - DAY_MS, finishMs },
        outcome,
        requested: false,
      };
    }),
  };
}

/** Fresh records for the seeded companies (a new copy per simulator, so tests do not share state). */
export function createSeededCompanies(): CompanyRecord[] {
  const { partnerCommerce, xero, quickBooksOnline, sageBusinessCloud } = PLATFORMS;
  const { complete, completeNoData, pushing } = OUTCOMES;
  return [
    seededCompany(
      SEEDED_COMPANY_IDS.succeeded,
      '2025-05-21',
      [
        { platform: partnerCommerce, status: 'Linked', created: '2025-05-20T08:15:02Z', lastSync: '2025-06-04T00:12:41.1837465Z' },
        { platform: xero, status: 'Linked', created: '2025-05-20T08:21:44Z', lastSync: '2025-06-04T00:13:05.9026311Z' },
      ],
      [
        ['2025-06-01T00:12:19.4417203Z', complete],
        ['2025-06-02T00:11:58.0738126Z', completeNoData],
        ['2025-06-03T00:12:33.6290417Z', complete],
        ['2025-06-04T00:12:41.1837465Z', complete],
      ],
    ),
    seededCompany(
      SEEDED_COMPANY_IDS.failed,
      '2025-05-01',
      [
        { platform: partnerCommerce, status: 'Linked', created: '2025-04-28T13:02:51Z', lastSync: '2025-06-04T00:14:22.7305518Z' },
        { platform: xero, status: 'Linked', created: '2025-04-28T13:09:17Z', lastSync: '2025-06-04T00:14:09.2214936Z' },
      ],
      [
        ['2025-06-01T00:13:47.3358172Z', complete],
        ['2025-06-02T00:14:05.8861293Z', complete],
        ['2025-06-03T00:13:12.5092847Z', completeNoData],
        ['2025-06-04T00:14:22.7305518Z', PUSH_ERROR],
      ],
    ),
    seededCompany(
      SEEDED_COMPANY_IDS.inProgress,
      '2025-06-01',
      [
        { platform: partnerCommerce, status: 'Linked', created: '2025-05-30T10:41:08Z', lastSync: '2025-06-04T00:10:03.4471936Z' },
        { platform: quickBooksOnline, status: 'Linked', created: '2025-05-30T10:44:56Z', lastSync: '2025-06-03T00:11:27.6642013Z' },
      ],
      [
        ['2025-06-03T00:11:27.6642013Z', complete],
        ['2025-06-04T00:10:03.4471936Z', pushing],
      ],
    ),
    seededCompany(
      SEEDED_COMPANY_IDS.neverSynced,
      '2025-06-03',
      [
        { platform: partnerCommerce, status: 'Linked', created: '2025-06-03T16:47:12Z', lastSync: null },
        { platform: quickBooksOnline, status: 'Linked', created: '2025-06-03T16:52:30Z', lastSync: null },
      ],
      [],
    ),
    seededCompany(
      SEEDED_COMPANY_IDS.multiConnection,
      '2025-03-01',
      [
        // The merchant re-linked their store: the old commerce connection lost its authorization.
        {
          platform: partnerCommerce,
          status: 'Deauthorized',
          created: '2025-02-26T09:05:33Z',
          lastSync: '2025-05-17T00:09:51.2208364Z',
          errors: [
            {
              statusCode: '401',
              statusText: 'Unauthorized',
              errorMessage: 'The merchant revoked access to their store; the connection must be re-linked.',
              erroredOnUtc: '2025-05-18T00:09:14.0071529Z',
              status: 'Active',
              resolvedOnUtc: null,
            },
          ],
        },
        { platform: partnerCommerce, status: 'Linked', created: '2025-05-19T14:30:00Z', lastSync: '2025-06-04T00:09:48.9153307Z' },
        { platform: xero, status: 'Linked', created: '2025-02-26T09:12:41Z', lastSync: '2025-06-04T00:10:16.3380641Z' },
        // Moving to QuickBooks Online: authorization started but not finished.
        { platform: quickBooksOnline, status: 'PendingAuth', created: '2025-06-02T11:20:07Z', lastSync: null },
        // A Sage connection the merchant tried first and unlinked.
        { platform: sageBusinessCloud, status: 'Unlinked', created: '2025-02-25T17:48:22Z', lastSync: null },
      ],
      [
        ['2025-06-03T00:10:02.5516724Z', complete],
        ['2025-06-04T00:10:16.3380641Z', complete],
      ],
    ),
  ];
}

/** The kinds of company a test can add. */
export interface NewCompanySpec {
  /** A UUID; a random one when omitted. */
  id?: string;
  name?: string;
  /** The latest sync's state: 'succeeded' (2000), 'failed' (5130 after successes), 'in-progress' (1000), 'never'. */
  state: 'succeeded' | 'failed' | 'in-progress' | 'never';
  /** How many data connections, all Linked, alternating commerce and accounting. Default 2. */
  connections?: number;
}

/**
 * A company for addCompany(): its daily syncs ran shortly after midnight on the days before `nowMs`
 * (never later than now), so its history looks current whatever clock the simulator uses.
 */
export function createCompany(spec: NewCompanySpec, nowMs: number): CompanyRecord {
  const id = spec.id ?? randomUUID(); // SimulatorStore.add() refuses an id that is not a UUID
  const count = spec.connections ?? 2;
  if (!(Number.isInteger(count) && count >= 0)) throw new Error(`connections must be an integer >= 0, got ${String(count)}`);

  const today = startOfUtcDay(nowMs);
  const created = formatCodatDateTime(today - 30 * DAY_MS + 9 * 3_600_000);
  const daily = (daysAgo: number, outcome: SyncOutcome): SyncRecord => {
    const startedAtMs = today - daysAgo * DAY_MS + 12 * 60_000;
    return {
      syncId: randomUUID(),
      commerceSyncId: randomUUID(),
      startedAtMs,
      syncUtc: formatCodatDateTime(startedAtMs, randomSubMillisecondTicks()),
      range: { startMs: today - (daysAgo + 1) * DAY_MS, finishMs: today - daysAgo * DAY_MS },
      outcome,
      requested: false,
    };
  };
  const history = ((): SyncRecord[] => {
    switch (spec.state) {
      case 'succeeded':
        return [daily(3, OUTCOMES.complete), daily(2, OUTCOMES.complete), daily(1, OUTCOMES.complete)];
      case 'failed':
        return [daily(3, OUTCOMES.complete), daily(2, OUTCOMES.complete), daily(1, PUSH_ERROR)];
      case 'in-progress':
        return [daily(2, OUTCOMES.complete), daily(1, OUTCOMES.pushing)];
      case 'never':
        return [];
      default:
        throw new Error(`Unknown state "${String(spec.state)}"`);
    }
  })();
  const lastSync = history.at(-1)?.syncUtc ?? null;

  const connections = Array.from({ length: count }, (_, n) => {
    const connectionId = randomUUID();
    const platform = n % 2 === 0 ? PLATFORMS.partnerCommerce : PLATFORMS.xero;
    return connection(id, connectionId, { platform, status: 'Linked', created, lastSync });
  });

  return { id, name: spec.name ?? `Test company ${id.slice(0, 8)}`, configStartMs: today - 30 * DAY_MS, connections, syncs: history };
}
