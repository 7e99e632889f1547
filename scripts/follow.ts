/**
 * `npm run follow -- <companyId> [--sync]`: a small graphql-ws client, the copy-paste example of the
 * README's "Live tracking" section.
 *   - without --sync: follows commerceSyncStatusChanged and prints one line per event until Ctrl-C;
 *   - with --sync: starts a sync (the requestSync mutation, over HTTP), follows it with
 *     commerceSyncProgress until it is final, and exits 0 if it succeeded, 1 otherwise.
 * GRAPHQL_URL (default http://127.0.0.1:4000/graphql) says where the subgraph is; GRAPHQL_TOKEN, when
 * set, goes in `connection_init` as `Authorization: Bearer …`, as browsers must send it (a WebSocket
 * carries no headers of their choosing).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const STATUS_FIELDS = 'companyId commerceSyncId syncId syncStatusCode syncStatus state syncUtc errorMessage';

interface Status {
  commerceSyncId: string | null;
  syncStatusCode: number;
  syncStatus: string | null;
  state: string;
  syncUtc: string | null;
  errorMessage: string | null;
}

interface Event {
  data?: Record<string, Status | undefined> | null;
  errors?: readonly { message: string; extensions?: { code?: unknown } }[];
}

function line(event: Event, field: string): string {
  const status = event.data?.[field];
  if (status) {
    const message = status.errorMessage ? ` ${status.errorMessage}` : '';
    return `${new Date().toISOString()} ${status.state} ${status.syncStatusCode} ${status.syncStatus ?? ''} sync ${status.commerceSyncId ?? '-'} at ${status.syncUtc ?? '-'}${message}`;
  }
  const error = event.errors?.[0];
  return `${new Date().toISOString()} error ${String(error?.extensions?.code ?? '')}: ${error?.message ?? 'unknown'}`;
}

async function requestSync(httpUrl: string, companyId: string, token: string | undefined): Promise<string> {
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      query: 'mutation ($companyId: ID!) { requestSync(companyId: $companyId) { commerceSyncId state } }',
      variables: { companyId },
    }),
  });
  const body = (await response.json()) as { data?: { requestSync?: { commerceSyncId?: string } | null }; errors?: { message: string }[] };
  const id = body.data?.requestSync?.commerceSyncId;
  if (!id) throw new Error(`requestSync failed: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`}`);
  return id;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const companyId = args.find((a) => !a.startsWith('--'));
  if (!companyId) {
    console.error('usage: npm run follow -- <companyId> [--sync]');
    return 2;
  }
  const httpUrl = process.env.GRAPHQL_URL || 'http://127.0.0.1:4000/graphql';
  const token = process.env.GRAPHQL_TOKEN || undefined;
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 5,
  });
  process.once('SIGINT', () => void Promise.resolve(client.dispose()).then(() => process.exit(0)));

  let field = 'commerceSyncStatusChanged';
  let query = `subscription ($companyId: ID!) { commerceSyncStatusChanged(companyId: $companyId) { ${STATUS_FIELDS} } }`;
  let variables: Record<string, string> = { companyId };
  if (args.includes('--sync')) {
    const commerceSyncId = await requestSync(httpUrl, companyId, token);
    console.log(`requested sync ${commerceSyncId}`);
    field = 'commerceSyncProgress';
    query = `subscription ($companyId: ID!, $commerceSyncId: ID!) { commerceSyncProgress(companyId: $companyId, commerceSyncId: $commerceSyncId) { ${STATUS_FIELDS} } }`;
    variables = { companyId, commerceSyncId };
  }

  let last: Status | undefined;
  try {
    for await (const event of client.iterate<Record<string, Status>>({ query, variables })) {
      console.log(line(event as Event, field));
      last = (event as Event).data?.[field] ?? last;
    }
  } finally {
    await client.dispose();
  }
  // The stream ended by itself: commerceSyncProgress reached a final state (or was refused).
  return last?.state === 'SUCCEEDED' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
