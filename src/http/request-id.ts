import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Honours a caller's `x-request-id` when it is a sane token (so traces join up across services), else
 * makes one. A repeated header, or one with spaces, quotes or over 128 characters, is replaced: the id
 * goes into every log line of the request and back to the caller.
 */
export function requestIdFrom(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}
