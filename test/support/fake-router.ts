import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a router's callback endpoint received: the callback protocol's messages, in order. */
export interface CallbackMessage {
  kind: string;
  action: 'check' | 'next' | 'complete';
  id: string;
  verifier: string;
  payload?: {
    data?: Record<string, { state: string; commerceSyncId: string | null }> | null;
    errors?: { extensions?: { code?: string } }[];
  };
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The test playing Apollo Router's side of the HTTP callback protocol: a local server at its callback URL. */
export class FakeRouter {
  readonly messages: CallbackMessage[] = [];
  /** Status answered to `check` (heartbeats included); 204 as the router does, 404 to end the subscription. */
  checkStatus = 204;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const message = JSON.parse(body) as CallbackMessage;
        this.messages.push(message);
        res.statusCode = message.action === 'check' ? this.checkStatus : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  of(id: string, action?: CallbackMessage['action']): CallbackMessage[] {
    return this.messages.filter((m) => m.id === id && (action === undefined || m.action === action));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The router's POST: the subscription with the callback extension (Apollo Router's subgraph request in callback mode). */
export async function subscribeByCallback(
  graphqlUrl: string,
  router: FakeRouter,
  id: string,
  query: string,
  variables: Record<string, unknown>,
) {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      query,
      variables,
      extensions: { subscription: { callbackUrl: router.url, subscriptionId: id, verifier: `verifier-${id}`, heartbeatIntervalMs: 100 } },
    }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}
