import { spawnSync } from 'node:child_process';

/**
 * Which CPUs `npm run bench`'s processes run on. Unpinned on a small machine, the load generator
 * (autocannon, in the bench process) and the server under test share the cores as the scheduler sees
 * fit from moment to moment, and so the floor and the row compared with it are measured under different
 * conditions: two runs of the same build a minute apart gave 0.57x and 0.92x the floor. Pinned, every
 * server under test runs on the last CPU (its main thread and its GC and libuv threads alike), and the
 * bench process with everything it starts otherwise (the simulator, redis-server) on the others: each
 * row and its floor get the same single core. Measured so, bare floor against shipped alone, four runs
 * of four 3 s slices gave 0.65 to 0.68x. The host's own pauses still hit single slices (a slice at a
 * fifth of its neighbours' rate), which is why bench.ts pairs each slice with one of its floor and takes
 * the median. What a pinned server answers is what one core of this machine serves; the absolute
 * figures still move with the machine, so compare rows of one run.
 *
 * Uses util-linux's `taskset` (in every Debian), over the CPUs this process is allowed; without it, with
 * a single allowed CPU, or with BENCH_PIN=0, nothing is pinned and the report says so.
 */
export interface CpuPlan {
  /** For the report: where the processes run, or why they are not pinned. */
  description: string;
  /** `command args` run on the servers' CPU: the command and arguments to start instead (unchanged when not pinned). */
  onServerCpu(command: string, args: readonly string[]): { command: string; args: string[] };
}

export function planCpus(env: NodeJS.ProcessEnv = process.env): CpuPlan {
  const unpinned = (why: string): CpuPlan => ({
    description: `not pinned (${why})`,
    onServerCpu: (command, args) => ({ command, args: [...args] }),
  });
  if (env.BENCH_PIN === '0') return unpinned('BENCH_PIN=0');
  // The CPUs this process may use (a container's cpuset may allow fewer than the machine has).
  const current = spawnSync('taskset', ['-p', '-c', String(process.pid)], { encoding: 'utf8' });
  if (current.status !== 0) return unpinned('no taskset');
  const allowed = cpuList(current.stdout.slice(current.stdout.lastIndexOf(':') + 1));
  if (allowed.length < 2) return unpinned(allowed.length === 0 ? 'no CPU list from taskset' : 'one CPU allowed');
  const server = String(allowed[allowed.length - 1]);
  const load = allowed.slice(0, -1).join(',');
  // This process first: what it starts without taskset (the simulator, redis-server) inherits it.
  const self = spawnSync('taskset', ['-a', '-p', '-c', load, String(process.pid)], { stdio: 'ignore' });
  if (self.status !== 0) return unpinned('taskset refused');
  return {
    description: `servers under test on CPU ${server}; this process (autocannon), the simulator and redis-server on CPU ${load}`,
    onServerCpu: (command, args) => ({ command: 'taskset', args: ['-c', server, command, ...args] }),
  };
}

/** taskset's list ("0-3,6") as CPU numbers, in order. */
export function cpuList(text: string): number[] {
  const list: number[] = [];
  for (const part of text.trim().split(',')) {
    const [first = '', last] = part.trim().split('-');
    const from = first === '' ? Number.NaN : Number(first);
    const to = last === undefined ? from : Number(last);
    if (!Number.isInteger(from) || !Number.isInteger(to)) continue;
    for (let cpu = from; cpu <= to; cpu += 1) list.push(cpu);
  }
  return list;
}
