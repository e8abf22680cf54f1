// What every bench section measures with: the median of repeated runs, and a
// peer tool's wall time as a shell command with its output discarded.

import { spawnSync } from 'node:child_process';

/** The median of the runs (the upper middle one for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of a shell command (`$1`… are `args`) with its output discarded; null when it fails. */
export function timeShell(script: string, args: string[], runs: number): number | null {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync('sh', ['-c', script, 'sh', ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
    if (r.status !== 0) return null;
    times.push(performance.now() - t);
  }
  return median(times);
}
