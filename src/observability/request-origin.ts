import type { Span } from '@opentelemetry/api';

import type { Logger } from './logger';

/**
 * The GraphQL request an upstream call is made for, as its log line and span need it. The context of
 * each request (src/context.ts) makes one and hands it to the Codat client with `CodatApi.onBehalfOf`;
 * the client carries it, opaque, down to its hooks (codat-hooks.ts), which read it back with
 * `originOf`. Carried explicitly rather than in an AsyncLocalStorage: on Node 22 an AsyncLocalStorage
 * turns on promise hooks for every promise in the process, which cost a cached request 10 to 20 % of
 * its CPU (README, "Performance").
 */
export class RequestOrigin {
  /** The GraphQL operation's span, once the request report has started it (tracing on only). */
  span: Span | undefined;
  private made: Logger | undefined;

  /**
   * `logger`: the request's logger, or how to make it. Made when first used (a Codat call's line, an
   * error): a pino child costs a request several µs, and a cached answer logs only its access line,
   * which names the request id itself (graphql-requests.ts).
   */
  constructor(
    readonly requestId: string,
    private readonly loggerSource: Logger | (() => Logger),
  ) {}

  /** The logger that stamps every line with this request's id. */
  get logger(): Logger {
    return (this.made ??= typeof this.loggerSource === 'function' ? this.loggerSource() : this.loggerSource);
  }
}

/** The request behind an upstream report's `origin`, when a request made the call (a poller's calls have none). */
export function originOf(origin: object | undefined): RequestOrigin | undefined {
  return origin instanceof RequestOrigin ? origin : undefined;
}
