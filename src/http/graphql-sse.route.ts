import type { ServerResponse } from 'node:http';

import { createHandler, type HandlerOptions } from 'graphql-sse';

import { headerValue } from '../lib/headers';
import type { HttpExchange, HttpRoute } from './http-route';
import { graphqlErrorBody, sendJson } from './json-response';
import { readBody } from './request-body';

export interface EventStreamRouteOptions<TFacts, TCaller> {
  /** `MAX_BODY_BYTES`. */
  maxBodyBytes: number;
  /** graphql-sse's handler options (schema, hooks), built by the composition root: this file knows no schema. */
  handler: HandlerOptions<unknown, TFacts>;
  /** What the handler's hooks get as `request.context` for one exchange (request id, logger, caller). */
  factsOf(exchange: HttpExchange<TCaller>): TFacts;
}

const EVENT_STREAM = 'text/event-stream';

/**
 * GraphQL over Server-Sent Events (graphql-sse, "distinct connections" mode) on the same path as the
 * route it wraps: a request that accepts `text/event-stream` is served as an event stream, any other
 * goes to `route` (Apollo, as JSON). For browsers behind proxies that drop WebSockets. The body is read
 * with the edge's limit before graphql-sse sees it.
 */
export function withEventStream<TFacts, TCaller>(
  route: HttpRoute<TCaller>,
  options: EventStreamRouteOptions<TFacts, TCaller>,
): HttpRoute<TCaller> {
  const handle = createHandler<unknown, TFacts>(options.handler);
  return {
    ...route,
    name: `${route.name}+sse`,
    // Not an async function itself: a JSON request is handed on as it is, at no extra promise, and
    // without splitting its Accept header when the media type is not in it at all.
    handle(exchange) {
      const accept = headerValue(exchange.request.headers.accept) ?? '';
      if (!accept.includes(EVENT_STREAM) || !accept.split(',').some((part) => part.trim().split(';')[0] === EVENT_STREAM))
        return route.handle(exchange);
      return serveEventStream(exchange);
    },
  };

  async function serveEventStream(exchange: HttpExchange<TCaller>): Promise<void> {
    const { request, response } = exchange;
    const body = await readBody(request, options.maxBodyBytes);
    if (body.kind === 'too-large') {
      sendJson(response, {
        status: 413,
        body: graphqlErrorBody(`Request body larger than ${options.maxBodyBytes} bytes`, 'BAD_REQUEST'),
      });
      request.resume();
      return;
    }
    const [answer, init] = await handle({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: {
        // graphql-sse compares Accept exactly; this request did ask for an event stream.
        get: (name) => (name.toLowerCase() === 'accept' ? EVENT_STREAM : headerValue(request.headers[name.toLowerCase()])),
      },
      body: body.text === '' ? null : body.text,
      raw: request,
      context: options.factsOf(exchange),
    });
    response.writeHead(init.status, init.statusText, init.headers);
    if (!answer || typeof answer === 'string') {
      response.end(answer ?? undefined);
      return;
    }
    await stream(response, answer);
  }
}

/** Writes the events as graphql-sse yields them; the client going away ends the operation. */
async function stream(response: ServerResponse, events: AsyncGenerator<string, void, undefined>): Promise<void> {
  const stop = (): void => void events.return(undefined);
  response.once('close', stop);
  try {
    for await (const event of events) {
      if (!response.writable) break;
      await new Promise<void>((resolve, reject) => response.write(event, (error) => (error ? reject(error) : resolve())));
    }
  } finally {
    response.off('close', stop);
    response.end();
  }
}
