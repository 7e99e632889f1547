// The offline explorer at /explorer: GraphiQL with its docs, history and query-builder (explorer)
// plugins, bundled by Vite and served by the subgraph itself, so it works with no network beyond this
// server (Apollo's landing page at /graphql loads Sandbox from Apollo's CDN instead).
// Monaco, GraphiQL's editor, runs its language services in web workers: `setup-workers/vite` has Vite
// emit them as files of our own origin (the Content-Security-Policy allows workers from 'self' only).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './explorer.css';

import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { authorizationHeaders } from '../shared/auth-token';
import { liveUrl } from '../shared/live-client';
import { loadWebConfig, type WebConfig } from '../shared/web-config';

const plugins = [HISTORY_PLUGIN, explorerPlugin()];

/** A first query that answers on this server: the first suggested merchant's status, or a placeholder id. */
function defaultQuery(config: WebConfig): string {
  const first = config.merchants[0];
  const id = first?.id ?? '00000000-0000-4000-8000-000000000000';
  const name = first ? ` (${first.name})` : ' (paste a Codat company id)';
  return [
    `# The sync status of one merchant${name}. Ctrl-Enter runs it; Docs (left) lists every type and field.`,
    'query MerchantStatus {',
    `  commerceSyncStatus(companyId: "${id}") {`,
    '    state',
    '    syncStatusCode',
    '    syncStatus',
    '    syncUtc',
    '    errorMessage',
    '    dataConnections {',
    '      platformName',
    '      sourceType',
    '      status',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

function start(config: WebConfig): void {
  const fetcher = createGraphiQLFetcher({
    url: config.graphqlPath,
    // The page's token (sessionStorage), read on every request so a token set on the page applies here
    // too; headers typed in GraphiQL's own header editor win over it.
    fetch: (input, init) => fetch(input, { ...init, headers: { ...authorizationHeaders(), ...(init?.headers as Record<string, string>) } }),
    // Subscriptions run over graphql-ws on the same path, the token in connection_init.
    subscriptionUrl: liveUrl(config.graphqlPath),
    wsConnectionParams: () => {
      const { authorization } = authorizationHeaders();
      return authorization ? { Authorization: authorization } : {};
    },
  });
  // `?query=` opens a given operation (the health page links here with its own query).
  const initialQuery = new URLSearchParams(window.location.search).get('query') ?? undefined;
  const container = document.getElementById('explorer');
  if (!container) throw new Error('the explorer page has no #explorer element');
  createRoot(container).render(
    <StrictMode>
      <GraphiQL fetcher={fetcher} plugins={plugins} defaultQuery={defaultQuery(config)} initialQuery={initialQuery}>
        <GraphiQL.Logo>
          <a className="explorer-home" href="../">
            Sync health
          </a>{' '}
          · Explorer
        </GraphiQL.Logo>
      </GraphiQL>
    </StrictMode>,
  );
}

void loadWebConfig().then(start);
