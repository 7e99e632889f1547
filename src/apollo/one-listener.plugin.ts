import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContext,
  GraphQLRequestContextDidEncounterErrors,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestContextWillSendResponse,
} from '@apollo/server';

/**
 * A request listener with only the shared hooks, each Apollo's hook of that name; unlike Apollo's, a hook
 * may finish synchronously (ours do), and then costs no promise.
 */
export interface SharedRequestListener<TContext extends BaseContext> {
  didResolveOperation?(requestContext: GraphQLRequestContextDidResolveOperation<TContext>): void | Promise<void>;
  didEncounterErrors?(requestContext: GraphQLRequestContextDidEncounterErrors<TContext>): void | Promise<void>;
  willSendResponse?(requestContext: GraphQLRequestContextWillSendResponse<TContext>): void | Promise<void>;
}

/** The hooks of `SharedRequestListener`, for the check that a part has no other. */
const SHARED_HOOKS: ReadonlySet<string> = new Set<keyof SharedRequestListener<BaseContext>>([
  'didResolveOperation',
  'didEncounterErrors',
  'willSendResponse',
]);

/** A plugin whose only job is such a listener (none for a request it has nothing to do with). */
export interface SharedRequestPlugin<TContext extends BaseContext> {
  requestDidStart(requestContext: GraphQLRequestContext<TContext>): SharedRequestListener<TContext> | undefined;
}

/**
 * Several of our plugins as one request listener, their hooks called in the order given. For Apollo,
 * each listener costs every request its own round of every hook: each stage is a `Promise.all` over the
 * listeners, and `responseForOperation` is an `await` per listener. Counted on a cached status query:
 * 161 promises per request with four listeners of ours, 121 with this one and synchronous hooks (the bare
 * floor, with Apollo's one listener: 65). So the plugins that only check an operation or report on its
 * response run in one listener.
 *
 * The semantics stay those of separate listeners. Every part's hook runs, and the first error thrown is
 * the one Apollo sees, as with its `Promise.all`. The order is explicit: a part listed first runs first
 * (the stale-read entries are added before the report counts the errors).
 * A part that returns any other hook, or its listener in a promise, is refused loudly: it would silently
 * never run here.
 */
export function oneRequestListener<TContext extends BaseContext>(
  parts: readonly SharedRequestPlugin<TContext>[],
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart(requestContext) {
      const listeners: SharedRequestListener<TContext>[] = [];
      for (const part of parts) {
        const listener = part.requestDidStart(requestContext);
        if (!listener) continue;
        if (typeof (listener as { then?: unknown }).then === 'function')
          throw new Error("oneRequestListener: a part's requestDidStart must return its listener, not a promise");
        for (const hook in listener) {
          if (!SHARED_HOOKS.has(hook)) throw new Error(`oneRequestListener: the "${hook}" hook cannot run in the shared listener`);
        }
        listeners.push(listener);
      }
      if (listeners.length === 0) return undefined;
      return {
        didResolveOperation: (ctx) => everyOne(listeners, (l) => l.didResolveOperation?.(ctx)),
        didEncounterErrors: (ctx) => everyOne(listeners, (l) => l.didEncounterErrors?.(ctx)),
        willSendResponse: (ctx) => everyOne(listeners, (l) => l.willSendResponse?.(ctx)),
      };
    },
  };
}

/** Runs the hook of every listener in turn; then, if any threw, throws the first error (as Apollo's `Promise.all` would). */
async function everyOne<T>(listeners: readonly T[], hook: (listener: T) => void | Promise<void>): Promise<void> {
  let first: unknown;
  let failed = false;
  for (const listener of listeners) {
    try {
      const pending = hook(listener);
      if (pending) await pending;
    } catch (error) {
      if (!failed) first = error;
      failed = true;
    }
  }
  if (failed) throw first;
}
