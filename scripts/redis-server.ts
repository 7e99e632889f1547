/**
 * Debian's redis-server for the demos and the benchmark (`npm run cluster`, `npm run bench`): started on
 * a free 127.0.0.1 port (or `port`), without persistence, and stopped by its PID. The tests have their
 * own (test/support/redis.ts), which can also kill and restart it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const HOST = '127.0.0.1';

export interface RedisServerProcess {
  /** e.g. redis://127.0.0.1:43121 */
  url: string;
  /** SIGTERM, resolved once it has exited. */
  stop(): Promise<void>;
}

/** The redis-server binary on PATH or in the usual folders, or undefined. */
export function redisServerBinary(): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  return folders.map((folder) => join(folder, 'redis-server')).find((path) => existsSync(path));
}

export async function startRedisServer(port = 0): Promise<RedisServerProcess> {
  const binary = redisServerBinary();
  if (!binary) throw new Error('no redis-server found: apt-get install -y redis-server, or set REDIS_URL');
  const redisPort = port || (await freePort());
  const child = spawn(binary, ['--port', String(redisPort), '--bind', HOST, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await accepting(redisPort, 10_000);
  return {
    url: `redis://${HOST}:${redisPort}`,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** Resolves once something accepts connections on the port (redis-server takes a moment). */
async function accepting(portNumber: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: HOST, port: portNumber });
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${portNumber}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
