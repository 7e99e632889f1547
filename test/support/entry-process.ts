import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The built entry point (`pretest` builds it), run as `npm start` runs it. */
export const BUILT_ENTRY = resolve(__dirname, '../../dist/src/index.js');

const running: ChildProcess[] = [];

export interface EntryProcess {
  child: ChildProcess;
  /** The base URL (e.g. http://127.0.0.1:41234) once the start line (`event: "start"`) is out; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** The JSON log lines on stdout so far (complete lines only). */
  logLines(): Record<string, unknown>[];
}

/** Starts the entry point on 127.0.0.1, port 0, with only the given environment (plus PATH). */
export function startEntryProcess(env: Record<string, string>): EntryProcess {
  const child = spawn(process.execPath, [BUILT_ENTRY], {
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': 'exit' can come while the pipes still hold output we have not read, and tests read
  // the last lines once the process has ended.
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const logLines = (): Record<string, unknown>[] =>
    stdout
      .split('\n')
      .slice(0, -1) // the text after the last newline is a line still being written
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const ready = new Promise<string>((res, rej) => {
    const onData = (): void => {
      const start = logLines().find((l) => l.event === 'start');
      if (typeof start?.url !== 'string') return;
      child.stdout.off('data', onData);
      res(start.url.replace(/\/graphql$/, ''));
    };
    child.stdout.on('data', onData);
    void exited.then((code) => rej(new Error(`exited ${code}: ${stderr}`)));
  });
  // Tests that expect a failed start never await `ready`.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => ({ stdout, stderr }), logLines };
}

/** For afterEach: a failed assertion must not leave a server running and jest waiting for it. */
export function killEntryProcesses(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}
