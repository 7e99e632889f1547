import { AsyncLocalStorage } from 'node:async_hooks';

import type { Span } from '@opentelemetry/api';

import type { Logger } from './logger';

/**
 * What an upstream observation needs to know about the GraphQL request that caused it. The Codat
 * client's hooks carry no request (src/codat/ knows nothing of GraphQL), so the server runs each
 * request inside this scope and the hooks read it back.
 */
export interface RequestScope {
  requestId: string;
  logger: Logger;
  /** The GraphQL operation's span, once the plugin has started it (tracing on only). */
  span?: Span;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
