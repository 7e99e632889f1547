import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

import * as ts from 'typescript';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { all, envOf, readDockerfile, type Stage } from '../support/dockerfile';
import { startSimulator, TEST_API_KEY } from '../support/simulator';

/**
 * The container image without a Docker engine: the Dockerfile's runtime stage repeated step by step in a
 * temporary folder standing for its WORKDIR. Its COPY lines are read from the Dockerfile (not restated
 * here), its RUN lines run as written, and the server starts with its CMD and ENV, in production, against
 * a simulator this test starts as "Codat". The build stage's output (`COPY --from=build /app/dist`) is
 * this checkout's dist/, which `npm test` has just built with the same `npm run build`.
 */
const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const stages = readDockerfile(join(ROOT, 'Dockerfile'));
const build = stages.find((s) => s.name === 'build');
const runtime = stages.at(-1) as Stage;

/** The build stage's WORKDIR, against which its paths (`/app/dist`) are read. */
const buildDir = (build && all(build, 'WORKDIR').at(-1)?.args[0]) ?? '/';

/** Paths in the Dockerfile are POSIX; a source of `COPY` is relative to the build context (the repo root). */
function copySources(stage: Stage, from?: string): { sources: string[]; dest: string }[] {
  return all(stage, 'COPY')
    .filter((c) => c.flags.from === from)
    .map((c) => ({ sources: c.args.slice(0, -1), dest: c.args.at(-1) ?? '.' }));
}

/** `.dockerignore`'s patterns as tests on a context-relative path: a name, a folder or a simple `*` glob. */
function ignored(path: string): boolean {
  const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return patterns.some((pattern) => {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`);
    return re.test(path) || path.split('/').some((part) => re.test(part));
  });
}

/** Signals a process group (a child started with `detached: true`), ignoring one that is already gone. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already exited
  }
}

describe('the Dockerfile', () => {
  it('has a build stage and a runtime stage on Node 24: production, non-root, health-checked on /healthz, stopped by SIGTERM', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    for (const stage of stages) expect(stage.image).toMatch(/^node:24(\.|-|$)/);
    const env = Object.assign({}, ...all(runtime, 'ENV').map(envOf)) as Record<string, string>;
    expect(env.NODE_ENV).toBe('production');
    const user = all(runtime, 'USER').at(-1)?.args[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
    const health = all(runtime, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]?.exec).toBe(true);
    expect(health[0]?.args.join(' ')).toContain('/healthz');
    expect(all(runtime, 'STOPSIGNAL').map((s) => s.args[0])).toEqual(['SIGTERM']);
    // Exec form: node is PID 1 and gets the signal itself.
    expect(all(runtime, 'CMD').at(-1)).toMatchObject({ exec: true, args: ['node', 'dist/src/index.js'] });
  });

  it('builds from what it copies: every file the build compiles is under a COPY of the build stage', () => {
    if (!build) throw new Error('no build stage');
    expect(all(build, 'RUN').map((r) => r.raw)).toContain('npm run build');
    const copied = copySources(build).flatMap((c) => c.sources);
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.build.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    const compiled = config?.fileNames.map((f) => relative(ROOT, f).split('\\').join('/')) ?? [];
    expect(compiled.length).toBeGreaterThan(50);
    // The config files tsc reads, and each compiled file's relative imports, must be in the context too.
    const needed = new Set([...compiled, 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json']);
    // `npm run build` builds the web UI too (scripts/build-web.ts): Vite's config and the two pages.
    for (const file of ['web/vite.config.mts', 'web/index.html', 'web/explorer/index.html']) needed.add(file);
    for (const file of compiled) {
      for (const [, spec] of readFileSync(join(ROOT, file), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = posix.normalize(posix.join(posix.dirname(file), spec ?? ''));
        const found = [`${target}.ts`, `${target}/index.ts`, target].find((candidate) => existsSync(join(ROOT, candidate)));
        if (found) needed.add(found);
      }
    }
    const covered = (path: string): boolean => copied.some((source) => path === source || path.startsWith(`${source.replace(/\/$/, '')}/`));
    expect([...needed].filter((path) => !covered(path))).toEqual([]);
    // …and none of it is left out of the build context.
    expect(copied.filter(ignored)).toEqual([]);
    expect(['node_modules', 'dist', '.git'].every(ignored)).toBe(true);
  });
});

describe('the image, its steps repeated without Docker', () => {
  let workdir: string;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'codat-image-'));
    env = {};
    for (const instruction of runtime.instructions) {
      switch (instruction.keyword) {
        case 'WORKDIR':
          break; // the temporary folder stands for it
        case 'ENV':
          Object.assign(env, envOf(instruction));
          break;
        case 'COPY': {
          const from = instruction.flags.from;
          const [dest = '.', ...reversed] = [...instruction.args].reverse();
          for (const source of reversed.reverse()) {
            // A COPY --from=build source is a path in the build stage, which `npm run build` filled as it filled ours.
            const origin = from === undefined ? join(ROOT, source) : join(ROOT, posix.relative(buildDir, source));
            if (from !== undefined && from !== build?.name) throw new Error(`unknown stage ${from}`);
            const into = dest.endsWith('/') || reversed.length > 1 ? join(workdir, dest, posix.basename(source)) : join(workdir, dest);
            mkdirSync(dirname(into), { recursive: true });
            cpSync(origin, into, { recursive: true });
          }
          break;
        }
        case 'RUN':
          // As written, flags such as --mount=type=cache aside; npm's cache here is warm from the checkout's own install.
          await run('sh', ['-c', instruction.args.join(' ')], {
            cwd: workdir,
            env: {
              PATH: process.env.PATH,
              HOME: process.env.HOME,
              ...env,
              npm_config_prefer_offline: 'true',
              npm_config_update_notifier: 'false',
            },
          });
          break;
        default:
          break; // USER, EXPOSE, HEALTHCHECK, STOPSIGNAL, CMD: used below
      }
    }
  }, 180_000);

  afterAll(() => {
    for (const child of children) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  it('holds the production dependencies only, the compiled server and no sources', () => {
    expect(existsSync(join(workdir, 'node_modules/@apollo/server'))).toBe(true);
    expect(existsSync(join(workdir, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(workdir, 'node_modules/jest'))).toBe(false);
    expect(statSync(join(workdir, 'dist/src/index.js')).isFile()).toBe(true);
    expect(existsSync(join(workdir, 'src'))).toBe(false);
    expect(existsSync(join(workdir, 'test'))).toBe(false);
  });

  /** Starts a command in the image's folder with its ENV, as the container would, on loopback. */
  function start(command: string[], extra: Record<string, string>) {
    const [file = '', ...args] = command;
    const child = spawn(file === 'node' ? process.execPath : file, args, {
      cwd: workdir,
      // Its own process group, so that a terminal's Ctrl-C can be imitated for npm start (npm does not pass SIGTERM on).
      detached: true,
      // HOST: 127.0.0.1 instead of the image's 0.0.0.0 (nothing here may listen beyond loopback); PORT 0 for a free port.
      env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', ...env, HOST: '127.0.0.1', PORT: '0', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    // 'close', not 'exit': the test reads the output to its last line once the process has ended.
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const ready = new Promise<string>((done, fail) => {
      child.stdout?.on('data', () => {
        // The start line (JSON; its msg is the banner, whose last line names the upstream).
        const match = /ready at (http:\/\/[^\s"\\]+)\/graphql[\s\S]*Upstream:/.exec(output);
        if (match?.[1]) done(match[1]);
      });
      void exited.then((code) => fail(new Error(`exited ${code}: ${output}`)));
    });
    return { child, ready, exited, output: () => output };
  }

  async function healthcheck(port: string): Promise<number> {
    const [file = '', ...args] = all(runtime, 'HEALTHCHECK')[0]?.args ?? [];
    try {
      await run(file === 'node' ? process.execPath : file, args, { cwd: workdir, env: { ...env, PORT: port } });
      return 0;
    } catch (error) {
      return (error as { code?: number }).code ?? -1;
    }
  }

  it("starts with the image's CMD and ENV in production, answers, passes its HEALTHCHECK, and stops on its STOPSIGNAL", async () => {
    const simulator = await startSimulator();
    try {
      const command = all(runtime, 'CMD').at(-1)?.args ?? [];
      const server = start(command, { AUTH_MODE: 'none', CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url });
      const base = await server.ready;
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state } }` }),
      });
      expect(await res.json()).toEqual({ data: { commerceSyncStatus: { state: 'SUCCEEDED' } } });
      expect(simulator.requests()).toHaveLength(1);
      // Production: no landing page.
      expect(await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text()).not.toContain('Sandbox');

      const port = new URL(base).port;
      expect(await healthcheck(port)).toBe(0);
      const signal = (all(runtime, 'STOPSIGNAL')[0]?.args[0] ?? 'SIGTERM') as NodeJS.Signals;
      server.child.kill(signal);
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('"event":"shutdown.done"');
      // The same check fails once nothing answers, so it is not one that always passes.
      expect(await healthcheck(port)).not.toBe(0);
    } finally {
      await simulator.close();
    }
  });

  it('starts with npm start too, without building (its prestart finds no sources)', async () => {
    const simulator = await startSimulator();
    try {
      const server = start(['npm', 'start', '--silent'], { AUTH_MODE: 'none', CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url });
      const base = await server.ready;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(server.output()).not.toMatch(/building it|tsc/);
      // Ctrl-C in a terminal signals the whole group: npm, its shell and the server.
      killGroup(server.child.pid ?? 0, 'SIGINT');
      await server.exited;
      // …and the server itself is gone, not orphaned.
      const up = (): Promise<boolean> =>
        fetch(`${base}/healthz`).then(
          () => true,
          () => false,
        );
      for (let tries = 0; (await up()) && tries < 200; tries++) await new Promise((r) => setTimeout(r, 50));
      expect(await up()).toBe(false);
    } finally {
      await simulator.close();
    }
  });
});
