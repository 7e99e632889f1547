// The sync health page at / (web/index.html): React and Apollo Client, built by Vite (web/vite.config.mts).
import './page.css';

import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { loadWebConfig } from '../shared/web-config';
import { createApolloClient } from './apollo-client';
import { SyncHealthPage } from './sync-health.page';

void loadWebConfig().then((config) => {
  const container = document.getElementById('root');
  if (!container) throw new Error('the page has no #root element');
  createRoot(container).render(
    <StrictMode>
      <ApolloProvider client={createApolloClient(config.graphqlPath)}>
        <SyncHealthPage config={config} />
      </ApolloProvider>
    </StrictMode>,
  );
});
