import type { IncomingMessage } from 'node:http';

export type RequestBody = { kind: 'read'; text: string } | { kind: 'too-large' };

/**
 * Reads the whole body, up to `limit` bytes (`MAX_BODY_BYTES`). A declared Content-Length over the limit
 * is refused before a byte is read; a chunked body is counted as it arrives and refused as soon as it
 * passes the limit, so a large body never sits in memory.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return { kind: 'too-large' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return { kind: 'too-large' };
    chunks.push(buffer);
  }
  return { kind: 'read', text: Buffer.concat(chunks).toString('utf8') };
}

export type ParsedBody = { kind: 'parsed'; value: unknown } | { kind: 'invalid-json'; reason: string };

const JSON_MEDIA_TYPE = /^application\/(graphql-response\+)?json\s*(;|$)/i;

/**
 * What Apollo's `executeHTTPGraphQLRequest` expects as `body`: the parsed object for a JSON request, the
 * text otherwise (Apollo then refuses other content types itself, with CSRF prevention for the "simple"
 * ones), nothing for an empty body. A JSON body that does not parse is answered by the edge, as
 * `expressMiddleware` and `startStandaloneServer` do: handing Apollo the raw string would make it say
 * "POST body missing, invalid Content-Type, or JSON object has no keys", which names the wrong problem.
 */
export function parseBody(contentType: string | undefined, text: string): ParsedBody {
  if (text === '') return { kind: 'parsed', value: undefined };
  if (!JSON_MEDIA_TYPE.test(contentType ?? '')) return { kind: 'parsed', value: text };
  try {
    return { kind: 'parsed', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'invalid-json', reason: jsonErrorReason(error) };
  }
}

/**
 * The parser's reason, without the excerpt of the body V8 sometimes quotes (`Unexpected token 'x',
 * "xyz"... is not valid JSON`): the position is what helps, and a body is no thing to echo.
 */
function jsonErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const reason = message.replace(/,\s*(\.\.\.)?".*is not valid JSON$/s, '').trim();
  return reason === '' ? 'unreadable JSON' : reason;
}
