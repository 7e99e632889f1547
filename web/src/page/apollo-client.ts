// Apollo Client as the page uses it: one HTTP link to the subgraph on the same origin, the caller's
// token on every request (auth-token.ts), and a cache that knows a sync status by its company, so the
// status a followed sync polls (sync-follow.hook.ts) and the one in the table are the same object: the
// row updates as the poll answers, without refetching the table. Every operation asks for
// `errorPolicy: 'all'`: partial answers are the rule here (one merchant failing must not blank the others).
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';

import { authorizationHeaders } from '../shared/auth-token';

export function createApolloClient(graphqlPath: string): ApolloClient {
  const withToken = new SetContextLink((previous) => ({ headers: { ...previous.headers, ...authorizationHeaders() } }));
  return new ApolloClient({
    link: ApolloLink.from([withToken, new HttpLink({ uri: graphqlPath })]),
    cache: new InMemoryCache({
      possibleTypes: { _Entity: ['Company'] },
      typePolicies: {
        CommerceSyncStatus: { keyFields: ['companyId'] },
        // Syncs and summaries are shown where they were asked for; nothing else refers to them.
        CommerceSync: { keyFields: false },
        CommerceSyncSummary: { keyFields: false },
      },
    }),
  });
}
