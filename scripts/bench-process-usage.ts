import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * What a server process under load costs the machine, read from Linux's /proc by its pid, so that it
 * works the same for every process the benchmark starts (dist/src/index.js as shipped has no IPC
 * channel to ask): CPU time (user + system) and resident memory. On a system without /proc the
 * figures are undefined and the benchmark prints "n/a".
 */

/** Clock ticks per second, the unit of /proc/<pid>/stat's times (almost always 100). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time the process has used so far (user + system), in milliseconds. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, so 11 and 12 after the name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size now, in bytes. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; `stop()` gives the highest value seen. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = (): void => {
    const now = rssBytes(pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
