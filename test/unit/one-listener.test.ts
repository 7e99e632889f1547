import type { BaseContext, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';

import { oneRequestListener, type SharedRequestPlugin } from '../../src/apollo/one-listener.plugin';

type Listener = GraphQLRequestListener<BaseContext>;

/** A part that records its calls in `calls` under `name`, and throws `failWith` from didResolveOperation when given. */
function part(name: string, calls: string[], failWith?: Error): SharedRequestPlugin<BaseContext> {
  return {
    requestDidStart() {
      calls.push(`${name}.requestDidStart`);
      return {
        didResolveOperation() {
          calls.push(`${name}.didResolveOperation`);
          if (failWith) throw failWith;
        },
        // Asynchronous, as a hook may be.
        async willSendResponse() {
          calls.push(`${name}.willSendResponse`);
        },
      };
    },
  };
}

async function start(parts: SharedRequestPlugin<BaseContext>[]): Promise<Listener | undefined> {
  const listener = await oneRequestListener(parts).requestDidStart?.({} as GraphQLRequestContext<BaseContext>);
  return listener ?? undefined;
}

describe('oneRequestListener', () => {
  it('runs every part in the order given, hook by hook', async () => {
    const calls: string[] = [];
    const listener = await start([part('a', calls), part('b', calls)]);
    await listener?.didResolveOperation?.({} as never);
    await listener?.willSendResponse?.({} as never);
    expect(calls).toEqual([
      'a.requestDidStart',
      'b.requestDidStart',
      'a.didResolveOperation',
      'b.didResolveOperation',
      'a.willSendResponse',
      'b.willSendResponse',
    ]);
  });

  it('runs every part even when one throws, then throws the first error, as separate listeners would', async () => {
    const calls: string[] = [];
    const first = new Error('first');
    const listener = await start([part('a', calls, first), part('b', calls, new Error('second')), part('c', calls)]);
    await expect(listener?.didResolveOperation?.({} as never)).rejects.toBe(first);
    expect(calls.filter((c) => c.endsWith('didResolveOperation'))).toEqual([
      'a.didResolveOperation',
      'b.didResolveOperation',
      'c.didResolveOperation',
    ]);
  });

  it('is no listener at all when no part listens to this request', async () => {
    const quiet: SharedRequestPlugin<BaseContext> = { requestDidStart: () => undefined };
    expect(await start([quiet, quiet])).toBeUndefined();
  });

  it('refuses a part with a hook it would never run', async () => {
    const other = {
      requestDidStart: () => ({ executionDidStart: async () => undefined }),
    } as unknown as SharedRequestPlugin<BaseContext>;
    await expect(start([other])).rejects.toThrow('the "executionDidStart" hook cannot run in the shared listener');
  });

  it('refuses a part whose requestDidStart is asynchronous, which would hand it a promise for a listener', async () => {
    const later = { requestDidStart: async () => ({ willSendResponse: () => undefined }) } as unknown as SharedRequestPlugin<BaseContext>;
    await expect(start([later])).rejects.toThrow('requestDidStart must return its listener, not a promise');
  });
});
