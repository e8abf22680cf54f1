// One fuzz case from start to end: rebuild the mutant from (seed, file,
// case), run the full analysis on it, and judge the outcome. Shared by the
// runner's worker threads (test/fuzz/run.ts) and the bounded vitest suite.

import { analyze } from '../../src/parsers/analyze.ts';
import { MemorySource } from '../../src/parsers/reader.ts';
import { installAllocWatch, largestAllocation, resetAllocWatch } from './allocwatch.ts';
import { layoutOf, type Layout } from './layout.ts';
import { mutate } from './mutate.ts';
import { Rng } from './rng.ts';
import { Crash, runPipeline, type Stages } from './pipeline.ts';

/**
 * A case is a hang when its CPU time passes the largest of: 1 s; 4 times the
 * unmutated file's own time; 250 ms per MB of input. The last makes the bound
 * linear in the input: a 10 MB file whose headers claim 65,535 sections is
 * allowed to cost what reading 65,535 sections costs, not what the original
 * 13 did.
 */
export const HANG_MS = 1000;
export const HANG_FACTOR = 4;
export const HANG_MS_PER_MB = 250;
/** A case that allocates more than this at once, or grows the heap by more, is flagged. */
export const MEMORY_LIMIT = 256 * 1024 * 1024;

export interface Prepared {
  key: string;
  bytes: Uint8Array;
  layout: Layout;
  /** CPU milliseconds of the full analysis of the unmutated file (second run, JIT warm). */
  baselineMs: number;
}

export interface CaseOutcome {
  id: string;
  size: number;
  steps: string[];
  /** CPU milliseconds of the case (what the hang limit applies to). */
  ms: number;
  wallMs: number;
  chunked: boolean;
  crash: { stage: string; signature: string; message: string; stack: string } | null;
  hang: boolean;
  /** Milliseconds per pipeline stage (empty when a stage crashed). */
  stageMs: Record<string, number>;
  memory: { flagged: boolean; largestAlloc: number; largestWhat: string; heapGrowth: number; rss: number };
}

/**
 * CPU milliseconds since `start`. Cases are timed in CPU time, not wall time:
 * this machine is shared, and a case waiting for a core is not a slow case.
 */
export function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

export function caseId(seed: number, key: string, index: number): string {
  return `${seed}:${key}:${index}`;
}

export function parseCaseId(id: string): { seed: number; key: string; index: number } {
  const first = id.indexOf(':');
  const last = id.lastIndexOf(':');
  if (first < 0 || last === first) throw new Error(`case id must be SEED:FILE:CASE, got ${id}`);
  return { seed: Number(id.slice(0, first)), key: id.slice(first + 1, last), index: Number(id.slice(last + 1)) };
}

export async function prepare(key: string, bytes: Uint8Array, stages: Stages): Promise<Prepared> {
  const report = analyze(new MemorySource(bytes), key, { skipHash: true }).report;
  const layout = layoutOf(bytes, report);
  await runPipeline(bytes, key, stages).catch(() => undefined);
  const c0 = process.cpuUsage();
  await runPipeline(bytes, key, stages).catch(() => undefined);
  return { key, bytes, layout, baselineMs: cpuMs(c0) };
}

/** The mutant of case `index`: a pure function of seed, file and index. */
export function caseInput(
  p: Prepared,
  seed: number,
  index: number,
): { bytes: Uint8Array; steps: string[]; chunked: boolean; share: boolean } {
  const rng = Rng.forCase(seed, p.key, index);
  const m = mutate(p.bytes, p.layout, rng);
  // One case in five reads through a small-chunk cache, as the worker reads
  // big files. One in four makes a permalink of the report and opens it: the
  // link encoder (deflate, fitting tables to a budget) costs more than the
  // rest of the analysis, and it only sees the report, not the bytes.
  return { bytes: m.bytes, steps: m.steps, chunked: rng.int(5) === 0, share: rng.int(4) === 0 };
}

export function hangLimit(p: Prepared): number {
  return Math.max(HANG_MS, HANG_FACTOR * p.baselineMs, (HANG_MS_PER_MB * p.bytes.length) / (1 << 20));
}

export async function runBytes(
  key: string,
  bytes: Uint8Array,
  stages: Stages,
  opts: { chunked: boolean; share?: boolean; id: string; steps: string[]; hangMs: number },
): Promise<CaseOutcome> {
  installAllocWatch();
  resetAllocWatch();
  const before = process.memoryUsage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let crash: CaseOutcome['crash'] = null;
  let stageMs: Record<string, number> = {};
  try {
    stageMs = (await runPipeline(bytes, key, stages, { chunked: opts.chunked, share: opts.share ?? true })).ms;
  } catch (e) {
    const c = e instanceof Crash ? e : new Crash('harness', e);
    const cause = c.cause instanceof Error ? c.cause : null;
    crash = { stage: c.stage, signature: c.signature, message: c.message, stack: cause?.stack ?? String(c.cause) };
  }
  const wallMs = performance.now() - t0;
  const ms = cpuMs(c0);
  const after = process.memoryUsage();
  const alloc = largestAllocation();
  const heapGrowth = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  const flagged = alloc.bytes > MEMORY_LIMIT || heapGrowth > MEMORY_LIMIT;
  return {
    id: opts.id,
    size: bytes.length,
    steps: opts.steps,
    ms,
    wallMs,
    chunked: opts.chunked,
    crash,
    hang: ms > opts.hangMs,
    stageMs,
    memory: { flagged, largestAlloc: alloc.bytes, largestWhat: alloc.what, heapGrowth, rss: after.rss },
  };
}

export async function runCase(p: Prepared, seed: number, index: number, stages: Stages): Promise<CaseOutcome> {
  const input = caseInput(p, seed, index);
  return runBytes(p.key, input.bytes, stages, {
    chunked: input.chunked,
    share: input.share,
    id: caseId(seed, p.key, index),
    steps: input.steps,
    hangMs: hangLimit(p),
  });
}

/**
 * The shortest prefix of `bytes` that still crashes with the same signature
 * (a few halvings; cheap and often enough to cut a 1 MB mutant to its headers).
 */
export async function minimize(
  key: string,
  bytes: Uint8Array,
  signature: string,
  stages: Stages,
  chunked: boolean,
  budget = 40,
): Promise<Uint8Array> {
  const same = async (b: Uint8Array) => {
    try {
      await runPipeline(b, key, stages, { chunked });
      return false;
    } catch (e) {
      return e instanceof Crash && e.signature === signature;
    }
  };
  let best = bytes;
  let lo = 0;
  let hi = bytes.length;
  // Binary search for a short crashing prefix; crashes are not monotonic in
  // length, so every candidate is checked and only a crashing one is kept.
  while (budget-- > 0 && hi - lo > 16) {
    const mid = Math.floor((lo + hi) / 2);
    if (await same(bytes.subarray(0, mid))) {
      best = bytes.subarray(0, mid);
      hi = mid;
    } else lo = mid;
  }
  return best.slice();
}
