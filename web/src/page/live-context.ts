import { createContext, useContext } from 'react';
import type { Client } from 'graphql-ws';

/** The page's one subscriptions client (web/src/shared/live-client.ts), given by page.main.tsx. */
export const LiveClientContext = createContext<Client | undefined>(undefined);

export function useLiveClient(): Client {
  const client = useContext(LiveClientContext);
  if (!client) throw new Error('useLiveClient() needs a LiveClientContext provider (page.main.tsx)');
  return client;
}
