import type { IncomingMessage } from 'node:http';

export type RequestBody = { kind: 'read'; text: string } | { kind: 'too-large' };

/**
 * Reads the whole body, up to `limit` bytes (`MAX_BODY_BYTES`). A declared Content-Length over the limit
 * is refused before a byte is read; a chunked body is counted as it arrives and refused as soon as it
 * passes the limit (the request is destroyed then, so a large body never sits in memory). Plain stream
 * events rather than `for await`: the async iterator costs a request more than reading a small body does.
 * Rejects when the request errors or closes before its end (the client went away).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  if (req.destroyed) return Promise.reject(new Error('The request closed before its body ended'));
  return new Promise<RequestBody>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.destroy();
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve({ kind: 'read', text: body.toString('utf8') });
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      done();
      reject(new Error('The request closed before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
