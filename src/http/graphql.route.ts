import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

import { headerValue } from '../lib/headers';
import { atPaths, type HttpExchange, type HttpRoute } from './http-route';
import { graphqlErrorBody, sendJson } from './json-response';
import { parseBody, readBody } from './request-body';

export interface GraphQLRouteOptions<TContext extends BaseContext, TCaller> {
  /** Started by the edge's lifecycle before the server listens. */
  apollo: ApolloServer<TContext>;
  /** Where GraphQL is served, e.g. '/graphql' (and so '/graphql/'). */
  path: string;
  /** `MAX_BODY_BYTES`: larger bodies are answered 413 before any parsing. */
  maxBodyBytes: number;
  /** The per-request context, built from what the edge resolved (request id, logger, caller). */
  context(exchange: HttpExchange<TCaller>): Promise<TContext>;
}

/**
 * Our node:http integration of Apollo Server (what `expressMiddleware` or `startStandaloneServer` do for
 * theirs): body limit, JSON parsing, header conversion, then `executeHTTPGraphQLRequest`, whose answer is
 * written back, streamed when Apollo streams (incremental delivery). Apollo's own integration suite
 * runs against it (test/integration/http-edge.conformance.test.ts).
 */
export function graphqlRoute<TContext extends BaseContext, TCaller>(options: GraphQLRouteOptions<TContext, TCaller>): HttpRoute<TCaller> {
  const { apollo, maxBodyBytes } = options;
  return {
    name: 'graphql',
    matches: atPaths(options.path),
    async handle(exchange) {
      const { request, response } = exchange;
      const body = await readBody(request, maxBodyBytes);
      if (body.kind === 'too-large') {
        sendJson(response, { status: 413, body: graphqlErrorBody(`Request body larger than ${maxBodyBytes} bytes`, 'BAD_REQUEST') });
        request.resume();
        return;
      }
      const headers = toHeaderMap(request.headers);
      const parsed = parseBody(headers.get('content-type'), body.text);
      if (parsed.kind === 'invalid-json') {
        sendJson(response, { status: 400, body: graphqlErrorBody(`The request body is not valid JSON: ${parsed.reason}`, 'BAD_REQUEST') });
        return;
      }
      // A target without `?` has an empty search: its URL is then never parsed (src/http/http-edge.ts).
      const search = request.url?.includes('?') ? exchange.url.search : '';
      const answer = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (request.method ?? 'GET').toUpperCase(), headers, search, body: parsed.value },
        context: () => options.context(exchange),
      });
      for (const [name, value] of answer.headers) response.setHeader(name, value);
      response.statusCode = answer.status ?? 200;
      // A complete answer is written without an await; incremental delivery (@defer) part by part, as Apollo yields them.
      if (answer.body.kind === 'complete') response.end(answer.body.string);
      else await writeParts(response, answer.body.asyncIterator);
    },
  };
}

/**
 * A browser asking for Apollo's landing page: a GET that accepts HTML and carries no operation. It runs
 * nothing, so the composition root may serve it to a caller without a credential (the page then asks
 * for one, like any client); anything that does carry an operation is not this.
 */
export function isLandingPageRequest(request: IncomingMessage, url: URL): boolean {
  return request.method === 'GET' && /\btext\/html\b/.test(request.headers.accept ?? '') && !url.searchParams.has('query');
}

/** node:http's headers (lower-case names; repeated ones as arrays) as Apollo's HeaderMap. */
function toHeaderMap(headers: IncomingHttpHeaders): HeaderMap {
  const map = new HeaderMap();
  for (const [name, value] of Object.entries(headers)) {
    const joined = headerValue(value);
    if (joined !== undefined) map.set(name, joined);
  }
  return map;
}

async function writeParts(res: ServerResponse, parts: AsyncIterableIterator<string>): Promise<void> {
  for await (const chunk of parts) res.write(chunk);
  res.end();
}
