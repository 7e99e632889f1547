import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

/** An answer the edge gives itself, without Apollo: a status, a JSON body and any extra headers. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The body of an error answered before GraphQL runs, shaped like Apollo's own so clients read one format. */
export function graphqlErrorBody(message: string, code: string): { errors: { message: string; extensions: { code: string } }[] } {
  return { errors: [{ message, extensions: { code } }] };
}

/** The one way the edge answers JSON on a response (health, 404, 413, invalid JSON, a refused caller). */
export function sendJson(res: ServerResponse, answer: JsonAnswer): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.setHeader('content-type', JSON_TYPE);
  res.end(JSON.stringify(answer.body));
}

/**
 * The same answer written on a raw socket, for an upgrade request (WebSocket) the edge refuses: node:http
 * hands those over as a socket, not a response. The socket is closed after the answer.
 */
export function sendJsonOnSocket(socket: Duplex, answer: JsonAnswer, extraHeaders: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(answer.body);
  const headers = {
    ...answer.headers,
    ...extraHeaders,
    'content-type': JSON_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
