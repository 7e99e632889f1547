import { write, writeSync } from 'node:fs';
import { isatty } from 'node:tty';

import type { DestinationStream } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

/**
 * `LOG_FORMAT`: JSON lines (for log shippers), pino-pretty's coloured text (for a terminal), or `auto`
 * (the default outside production, src/config.ts): text when the output is a terminal and pino-pretty is
 * installed, JSON otherwise (a pipe, a file, a container's log driver).
 */
export type LogFormat = 'json' | 'pretty' | 'auto';

/** Where log lines go, with what shutdown needs to lose none of them. */
export interface LogDestination extends DestinationStream {
  /**
   * Resolves once every line written so far has reached the file descriptor (the write in flight
   * included); lines logged later are written synchronously. For the last step of a shutdown, before
   * `process.exit`.
   */
  close(): Promise<void>;
}

/**
 * Log lines off the request path. A line is only copied, as UTF-8, into a buffer in memory; when 64 KiB
 * have gathered, or 50 ms after the first of them, they go to the file descriptor in one asynchronous
 * `write` (libuv's thread pool), and whatever arrives while that write is in flight goes out with the
 * next. So a request never waits for stdout, however slowly a log shipper reads the pipe: with nobody
 * reading, lines gather in memory and the server keeps answering (test/integration/logging-process.test.ts).
 * A synchronous write per line cost the server a third of its throughput (README, "Performance").
 *
 * Why not pino's own asynchronous destination (SonicBoom with `sync: false`): under load it issues about
 * one write per line (each a thread-pool round trip) and measures the whole buffer on every line it
 * appends, so it cost more CPU per line than the synchronous write it replaces.
 *
 * Nothing is lost when the process ends: `close()` at the end of a graceful shutdown (src/index.ts) waits
 * for the last write; on any other way out (`process.exit`, an uncaught error: crash-handler.ts) Node
 * emits `exit`, and every open destination writes what it still holds synchronously then.
 *
 * `pretty` formats each line with pino-pretty before it joins the batch. pino-pretty is a development
 * dependency, loaded only here: an install without dev dependencies runs with the default `json` and
 * refuses `pretty` with a message saying so.
 */
export function createLogDestination(options: { format: LogFormat; fd?: number; maxPendingBytes?: number }): LogDestination {
  const fd = options.fd ?? 1;
  const pretty =
    options.format === 'pretty' ? loadPrettyFormatter() : options.format === 'auto' && isatty(fd) ? tryPrettyFormatter() : undefined;
  return new BatchedLineDestination(fd, pretty, options.maxPendingBytes ?? MAX_PENDING_BYTES);
}

/**
 * At most this much text waits in memory for a reader that has stopped reading (a stalled log shipper, a
 * paused terminal): beyond it lines are dropped and counted, and one `log.dropped` line says how many
 * once writing resumes. Memory stays bounded; the server keeps answering.
 */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/**
 * A batch goes out when it holds this many bytes, or this long after its first line: under load a write
 * carries a couple of hundred lines (each write wakes a thread of the pool and the log reader: the fewer,
 * the better on a small machine); a quiet server's line reaches stdout within 50 ms.
 */
const BATCH_BYTES = 65_536;
/**
 * The room of a batch's buffer: twice a batch, so that the lines that come while a write is in flight
 * usually fit without the buffer growing.
 */
const BUFFER_BYTES = 2 * BATCH_BYTES;
const BATCH_MS = 50;
/** How long to wait before trying again when a non-blocking pipe is full (EAGAIN). */
const RETRY_FULL_MS = 10;
/** At exit, how long the synchronous write may keep retrying a full pipe before it gives up. */
const EXIT_WRITE_BOUND_MS = 2_000;

/**
 * Lines are encoded into a buffer as they come rather than joined into a string: a string that grows for
 * 50 ms outlives young-generation collections, each of which copies it, and its text would still be
 * encoded when written. Two buffers take turns under load: one being written, one filling.
 */
class BatchedLineDestination implements LogDestination {
  /** Lines gathered since the last write began: the first `heldBytes` bytes of `held`. */
  private held: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private heldBytes = 0;
  /** The buffer whose bytes are being written, and one whose write has completed, for the next batch. */
  private writing: Buffer | undefined;
  private spare: Buffer | undefined;
  /** The bytes handed to the OS and not yet confirmed written. */
  private inFlight: Buffer | undefined;
  /** Set while lines wait for the batch to fill or its time to pass. */
  private timer: NodeJS.Timeout | undefined;
  /** After EPIPE (the reader went away) or another write error, lines are dropped: logging must not break the server. */
  private broken = false;
  private closing = false;
  private readonly drained: (() => void)[] = [];
  /** Lines dropped since the last write because the held bytes had reached their bound. */
  private dropped = 0;

  constructor(
    private readonly fd: number,
    private readonly format: ((line: string) => string) | undefined,
    private readonly maxPendingBytes: number,
  ) {
    exitFlush.add(this);
  }

  write(line: string): void {
    if (this.broken) return;
    if (this.heldBytes >= this.maxPendingBytes) {
      this.dropped += 1;
      return;
    }
    const text = this.format ? this.format(line) : line;
    if (this.closing && !this.inFlight && this.heldBytes === 0) {
      this.writeNow(text);
      return;
    }
    this.hold(text);
    if (!this.inFlight) this.batch(); // else the write's completion sees to it
  }

  close(): Promise<void> {
    this.closing = true;
    if (!this.inFlight && this.heldBytes === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained.push(resolve);
      if (!this.inFlight) this.batch();
    });
  }

  /** Writes what is held, synchronously: at exit, when the event loop will not run again. */
  flushSync(): void {
    if (this.broken || this.heldBytes === 0) return;
    // A write still in flight is the thread pool's, already given to the OS; what came after goes now.
    this.writeNow(this.take());
  }

  /** Appends a line to the held bytes, the buffer growing when the line does not fit. */
  private hold(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: only a line that might not fit is measured.
    if (this.held.length - this.heldBytes < text.length * 3) {
      const needed = this.heldBytes + Buffer.byteLength(text, 'utf8');
      if (needed > this.held.length) {
        const larger = Buffer.allocUnsafe(Math.max(needed, 2 * this.held.length));
        this.held.copy(larger, 0, 0, this.heldBytes);
        this.held = larger;
      }
    }
    this.heldBytes += this.held.write(text, this.heldBytes, 'utf8');
  }

  /** The held bytes (and the dropped notice, if due) as one chunk to write; what comes next goes to another buffer. */
  private take(): Buffer {
    this.hold(this.droppedNotice());
    const chunk = this.held.subarray(0, this.heldBytes);
    this.writing = this.held;
    this.held = this.spare ?? Buffer.allocUnsafe(BUFFER_BYTES);
    this.spare = undefined;
    this.heldBytes = 0;
    return chunk;
  }

  /** Writes what has gathered now if the batch is full or a shutdown waits, else once its time has passed. */
  private batch(): void {
    if (this.heldBytes >= BATCH_BYTES || this.drained.length > 0 || this.heldBytes === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.next();
      return;
    }
    // Not kept alive for this: a graceful shutdown waits in close(), any other exit flushes synchronously.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.next();
    }, BATCH_MS).unref();
  }

  /** Starts the next asynchronous write, or tells those waiting for a drain that everything is out. */
  private next(): void {
    if (this.inFlight) return;
    if (this.broken || this.heldBytes === 0) {
      for (const resolve of this.drained.splice(0)) resolve();
      return;
    }
    this.send(this.take());
  }

  /** The line saying how many lines were dropped, once, after the batch that was full (JSON, like pino's lines). */
  private droppedNotice(): string {
    if (this.dropped === 0) return '';
    const line = JSON.stringify({
      level: 'warn',
      time: new Date().toISOString(),
      event: 'log.dropped',
      dropped: this.dropped,
      msg: `${this.dropped} log lines dropped: the log output was not being read`,
    });
    this.dropped = 0;
    return `${line}\n`;
  }

  private send(chunk: Buffer): void {
    this.inFlight = chunk;
    write(this.fd, chunk, 0, chunk.length, null, (error, written) => {
      this.inFlight = undefined;
      if (error && (error as NodeJS.ErrnoException).code === 'EAGAIN') {
        this.inFlight = chunk;
        setTimeout(() => this.send(chunk), RETRY_FULL_MS);
        return;
      }
      if (error) this.broken = true;
      else if (written < chunk.length) {
        this.send(chunk.subarray(written));
        return;
      }
      // All of it written: a buffer of the usual room serves again (one that grew is let go).
      if (!error && this.writing?.length === BUFFER_BYTES) this.spare ??= this.writing;
      this.writing = undefined;
      this.batch();
    });
  }

  /** One synchronous write of all of `data`, retrying a full non-blocking pipe for a bounded time. */
  private writeNow(data: string | Buffer): void {
    let rest = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const deadline = Date.now() + EXIT_WRITE_BOUND_MS;
    while (rest.length > 0 && !this.broken) {
      try {
        rest = rest.subarray(writeSync(this.fd, rest));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) this.broken = true;
        else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_FULL_MS);
      }
    }
  }
}

/**
 * The destinations that may hold lines, held weakly (tests make many apps in one process), each flushed
 * synchronously when the process exits. One `exit` listener for all of them.
 */
const exitFlush = (() => {
  const live = new Set<WeakRef<BatchedLineDestination>>();
  const forget = new FinalizationRegistry<WeakRef<BatchedLineDestination>>((ref) => live.delete(ref));
  let listening = false;
  return {
    add(destination: BatchedLineDestination): void {
      const ref = new WeakRef(destination);
      live.add(ref);
      forget.register(destination, ref);
      if (listening) return;
      listening = true;
      process.on('exit', () => {
        for (const each of live) each.deref()?.flushSync();
      });
    },
  };
})();

/** pino-pretty's formatter for `auto` on a terminal, or none (JSON) when it is not installed. */
function tryPrettyFormatter(): ((line: string) => string) | undefined {
  try {
    return loadPrettyFormatter();
  } catch {
    return undefined;
  }
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
