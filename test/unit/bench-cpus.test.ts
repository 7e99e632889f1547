import { cpuList, planCpus } from '../../scripts/bench-cpus';

describe("bench-cpus: the benchmark's CPU plan", () => {
  it.each([
    ['0,1', [0, 1]],
    ['0-3', [0, 1, 2, 3]],
    ['0-2,6', [0, 1, 2, 6]],
    [' 4 \n', [4]],
    ['', []],
    ['x', []],
  ])('reads taskset\'s list "%s"', (text, cpus) => {
    expect(cpuList(text)).toEqual(cpus);
  });

  it('pins nothing with BENCH_PIN=0, and starts a server as it was asked', () => {
    const plan = planCpus({ BENCH_PIN: '0' });
    expect(plan.description).toBe('not pinned (BENCH_PIN=0)');
    expect(plan.onServerCpu('node', ['server.js'])).toEqual({ command: 'node', args: ['server.js'] });
  });
});
