import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

import { waitFor } from './wait';

// A real Redis for the tests that share state between instances: Debian's redis-server, started per
// test file on a free 127.0.0.1 port without persistence, and stopped by its PID. Where the binary is
// missing, those tests are skipped with a loud line (and under CI=true, .ci/run's no-skipped-test check
// turns the skip into a failure; .ci/run installs the package first).

/** The redis-server binary on PATH (or in an sbin folder), or undefined. */
export const REDIS_SERVER: string | undefined = findBinary('redis-server');

function findBinary(name: string): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin'];
  return folders.map((folder) => join(folder, name)).find((path) => path && existsSync(path));
}

/**
 * `describe`, or, where no redis-server exists, `describe.skip` with a line saying so: the tests show as
 * skipped in jest's report, never as passes.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_SERVER) {
    describe(name, body);
    return;
  }
  console.warn(
    `\n*** SKIPPING "${name}": no redis-server binary found. Install Debian's redis-server (apt-get install -y redis-server) to run the Redis tests; CI (.ci/run) installs it and fails on skipped tests. ***\n`,
  );
  describe.skip(name, body);
}

export interface RedisServer {
  /** e.g. redis://127.0.0.1:43121 (with the password when one was asked for). */
  url: string;
  port: number;
  /** The server's PID while it runs. */
  pid(): number | undefined;
  /** SIGKILL, as a crash would: no goodbye to the clients. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  restart(): Promise<void>;
  /** One command over a plain socket (no client library in tests), e.g. `command('KEYS', '*')`. */
  command(...args: string[]): Promise<unknown>;
  /** Stops it (SIGTERM, then SIGKILL if it lingers). Safe to call twice. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts redis-server on a free loopback port: `--save ''` and `--appendonly no`, so a restart comes back empty. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error('no redis-server binary');
  const binary = REDIS_SERVER;
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    if (options.password) args.push('--requirepass', options.password);
    const started = spawn(binary, args, { stdio: 'ignore' });
    child = started;
    let exited = false;
    started.once('exit', () => (exited = true));
    await waitFor(() => exited || ready, `redis-server on port ${port} to accept connections`, 10_000).catch(async (error: unknown) => {
      started.kill('SIGKILL');
      throw error;
    });
    if (exited) throw new Error(`redis-server exited at start (port ${port})`);
  }

  // Polled by launch(): a PING answered means the server is up.
  let ready = false;
  const poll = setInterval(() => {
    if (!child || child.exitCode !== null || ready) return;
    void send(port, options.password, ['PING'])
      .then((reply) => (ready = reply === 'PONG'))
      .catch(() => undefined);
  }, 20);

  async function terminate(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    child = undefined;
    ready = false;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }

  await launch();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    pid: () => child?.pid,
    kill: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
    command: (...args) => send(port, options.password, args),
    async stop() {
      clearInterval(poll);
      await terminate('SIGTERM');
    },
  };
}

/** Sends one command in RESP and reads one reply (simple strings, errors, integers, bulk strings, arrays of them). */
function send(port: number, password: string | undefined, args: string[]): Promise<unknown> {
  const commands = password ? [['AUTH', password], args] : [args];
  const encoded = commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('');
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error('redis did not answer')));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const replies: unknown[] = [];
      let rest = buffer;
      while (rest.length > 0) {
        const parsed = parseReply(rest);
        if (!parsed) return; // incomplete: wait for more
        replies.push(parsed.value);
        rest = rest.slice(parsed.length);
      }
      if (replies.length < commands.length) return;
      socket.end();
      const last = replies[replies.length - 1];
      if (last instanceof Error) reject(last);
      else resolve(last);
    });
    socket.write(encoded);
  });
}

function parseReply(text: string): { value: unknown; length: number } | undefined {
  const end = text.indexOf('\r\n');
  if (end === -1) return undefined;
  const type = text[0];
  const line = text.slice(1, end);
  switch (type) {
    case '+':
      return { value: line, length: end + 2 };
    case '-':
      return { value: new Error(line), length: end + 2 };
    case ':':
      return { value: Number(line), length: end + 2 };
    case '$': {
      const size = Number(line);
      if (size === -1) return { value: null, length: end + 2 };
      if (text.length < end + 2 + size + 2) return undefined;
      return { value: text.slice(end + 2, end + 2 + size), length: end + 2 + size + 2 };
    }
    case '*': {
      const count = Number(line);
      let offset = end + 2;
      const items: unknown[] = [];
      for (let i = 0; i < count; i += 1) {
        const item = parseReply(text.slice(offset));
        if (!item) return undefined;
        items.push(item.value);
        offset += item.length;
      }
      return { value: items, length: offset };
    }
    default:
      throw new Error(`unexpected reply from redis: ${JSON.stringify(text.slice(0, 20))}`);
  }
}
