import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogDestination } from '../../src/observability/log-destination';
import { waitFor } from '../support/wait';

// A reader that stops reading: a FIFO opened read-write and non-blocking, so writes fill the kernel's
// pipe buffer (64 KiB on Linux) and then meet EAGAIN, as stdout does when a log shipper stalls.

describe('log destination with a reader that stopped reading', () => {
  let dir: string;
  let fd: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
    const fifo = join(dir, 'stdout');
    execFileSync('mkfifo', [fifo]);
    fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  function drain(): string {
    const buffer = Buffer.alloc(1 << 16);
    let text = '';
    for (;;) {
      try {
        const read = readSync(fd, buffer, 0, buffer.length, null);
        if (read <= 0) return text;
        text += buffer.toString('utf8', 0, read);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return text;
        throw error;
      }
    }
  }

  it('holds at most its bound in memory, drops the rest, and says how many once the reader is back', async () => {
    const destination = createLogDestination({ format: 'json', fd, maxPendingBytes: 100_000 });
    const line = `${JSON.stringify({ level: 'info', msg: 'x'.repeat(90) })}\n`;
    const lines = 5_000; // about 500 KB: the pipe takes 64 KiB, memory 100 KB, the rest is dropped
    for (let i = 0; i < lines; i += 1) destination.write(line);

    let seen = '';
    await waitFor(
      () => {
        seen += drain();
        return seen.includes('"event":"log.dropped"');
      },
      'the log.dropped line',
      10_000,
    );
    await destination.close();
    seen += drain();
    const written = seen.split('\n').filter((l) => l.includes('"msg":"xxx'));
    const notice = JSON.parse(seen.split('\n').find((l) => l.includes('log.dropped')) ?? '{}') as { dropped: number; level: string };
    expect(notice.level).toBe('warn');
    expect(notice.dropped).toBeGreaterThan(0);
    // Every line is either written whole or counted as dropped.
    expect(written.length + notice.dropped).toBe(lines);
    expect(written.every((l) => `${l}\n` === line)).toBe(true);
  });
});

describe('log destination batching', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every line whole and in order across many batches, multi-byte text and a line larger than a batch included', async () => {
    const file = join(dir, 'out.log');
    const fd = openSync(file, 'w');
    const destination = createLogDestination({ format: 'json', fd });
    const expected: string[] = [];
    const write = (line: string): void => {
      expected.push(line);
      destination.write(line);
    };
    for (let i = 0; i < 3_000; i += 1) {
      // About 1 MB in all: many batches, the buffers taking turns; some lines straddle a batch's end.
      write(`${JSON.stringify({ i, msg: i % 7 === 0 ? `Zürich → 東京 ${'é'.repeat(i % 50)}` : 'x'.repeat(i % 400) })}\n`);
      if (i === 1_500) write(`${JSON.stringify({ msg: 'ü'.repeat(200_000) })}\n`);
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await destination.close();
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(expected.join(''));
  });
});
