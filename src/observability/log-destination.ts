import { writeSync } from 'node:fs';

import { pino, type DestinationStream } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

/** `LOG_FORMAT`: JSON lines (the default, for log shippers) or pino-pretty's coloured text (for a terminal). */
export type LogFormat = 'json' | 'pretty';

/** Where log lines go, with what shutdown and a crash need to lose none of them. */
export interface LogDestination extends DestinationStream {
  /**
   * Writes every line still buffered, waits for the write in flight, and closes the destination; resolves
   * once all of it has reached the OS. Lines logged later are written synchronously. For the last step of
   * a shutdown, before `process.exit`.
   */
  close(): Promise<void>;
}

/**
 * How long `close()` waits for the last writes at most: after a broken pipe (EPIPE) pino turns the
 * destination into a no-op that never closes. What a slower reader has not taken by then, pino writes
 * synchronously at exit.
 */
const CLOSE_BOUND_MS = 5_000;

/**
 * Log lines off the request path: pino's asynchronous destination (SonicBoom with `sync: false`) only
 * appends a line to a buffer; the buffer goes to the file descriptor in one `write` run by libuv's thread
 * pool, and whatever arrives while that write is in flight goes out with the next one. A request never
 * waits for stdout, however slowly a log shipper reads the pipe. (A synchronous write per line cost the
 * server a third of its throughput: README, "Performance".)
 *
 * Nothing is lost when the process ends: `close()` at the end of a graceful shutdown (src/index.ts) waits
 * for the last write; on any other way out (`process.exit`, an uncaught error: crash-handler.ts) Node emits
 * `exit`, and pino, which registered this destination for it, writes what is left synchronously.
 *
 * `pretty` formats each line with pino-pretty in this process before it joins the same buffer. pino-pretty
 * is a development dependency, loaded only here: an install without dev dependencies runs with the default
 * `json` and refuses `pretty` with a message saying so.
 */
export function createLogDestination(options: { format: LogFormat; fd?: number }): LogDestination {
  const fd = options.fd ?? 1;
  const pretty = options.format === 'pretty' ? loadPrettyFormatter() : undefined;
  const buffer = pino.destination({ dest: fd, sync: false });
  let closed: Promise<void> | undefined;
  let open = true;
  const write = (line: string): void => {
    const text = pretty ? pretty(line) : line;
    if (open) {
      buffer.write(text);
      return;
    }
    try {
      writeSync(fd, text);
    } catch {
      // A line after close() that the OS will not take now (a full non-blocking pipe, a closed one) is dropped.
    }
  };
  return {
    write,
    close() {
      closed ??= new Promise<void>((resolve) => {
        open = false;
        const bound = setTimeout(resolve, CLOSE_BOUND_MS);
        buffer.once('close', () => {
          clearTimeout(bound);
          resolve();
        });
        try {
          buffer.end();
        } catch {
          clearTimeout(bound);
          resolve(); // already destroyed: nothing left to write
        }
      });
      return closed;
    },
  };
}

/** pino-pretty's formatter (a development dependency: required only when LOG_FORMAT=pretty). */
function loadPrettyFormatter(): (line: string) => string {
  let prettyFactory: (options: PrettyOptions) => (line: string) => string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ prettyFactory } = require('pino-pretty') as { prettyFactory: typeof prettyFactory });
  } catch {
    throw new Error(
      'LOG_FORMAT=pretty needs the pino-pretty package, a development dependency (install dependencies with `npm ci`); use LOG_FORMAT=json, the default, in production',
    );
  }
  // Every line has the same `service`: leave it out of the terminal.
  return prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'service' });
}
