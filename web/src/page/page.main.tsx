// The sync health page at / (web/index.html): React and Apollo Client, built by Vite (web/vite.config.mts).
import './page.css';

import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { createLiveClient } from '../shared/live-client';
import { loadWebConfig } from '../shared/web-config';
import { createApolloClient } from './apollo-client';
import { LiveClientContext } from './live-context';
import { SyncHealthPage } from './sync-health.page';

void loadWebConfig().then((config) => {
  const container = document.getElementById('root');
  if (!container) throw new Error('the page has no #root element');
  createRoot(container).render(
    <StrictMode>
      <ApolloProvider client={createApolloClient(config.graphqlPath)}>
        <LiveClientContext.Provider value={createLiveClient(config.graphqlPath)}>
          <SyncHealthPage config={config} />
        </LiveClientContext.Provider>
      </ApolloProvider>
    </StrictMode>,
  );
});
