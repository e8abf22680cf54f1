// `--stats`: like time(1), how long the whole process took and the most
// memory it held, one line on stderr (the benchmarks and tests read it).

import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory, bytes. Linux's VmHWM belongs to this
 * program alone; getrusage's maxRSS can carry the parent's size over from the
 * fork that started it, so it is only the fallback.
 */
export function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

export function writeStats(): void {
  process.stderr.write(`binlens: ${Math.round(performance.now())} ms since start, peak RSS ${(peakRss() / 1048576).toFixed(1)} MB\n`);
}
