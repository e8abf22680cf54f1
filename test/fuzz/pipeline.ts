// The full analysis the page runs on a dropped file, through each module's
// public function: analyze() and the lazy tables of every slice, Go
// forensics, the ARM64 engine, verdicts, and the permalink round trip.
// Modules that have not landed yet are skipped (dynamic import), so the
// fuzzer works while the project grows.

import { analyze, type Analysis } from '../../src/parsers/analyze.ts';
import { ChunkedSource, MemorySource, type ByteSource } from '../../src/parsers/reader.ts';
import type { ParsedSlice } from '../../src/parsers/types.ts';
import type { GoInfo, Report, Arm64Summary, SliceReport } from '../../src/report/types.ts';

/** The day Go release support is judged on: fixed, so a case gives the same result on any day. */
export const FUZZ_TODAY = new Date('2026-11-25T00:00:00Z');

interface GoModule {
  goForSlice(slice: ParsedSlice, today?: Date): GoInfo | undefined;
  goFunctionsForSlice?(slice: ParsedSlice): { entry: bigint; end: bigint; name: string }[];
}
interface Arm64Module {
  analyzeArm64(
    slice: ParsedSlice,
    engine: unknown,
    functions?: { address: bigint; name: string | null; size?: number | null }[],
  ): Arm64Summary;
  listing?(slice: ParsedSlice, engine: unknown, from: { section?: string; start?: bigint }, count: number): unknown[];
}
interface VerdictModule {
  computeVerdicts(
    report: Report,
    parse: { slices: ParsedSlice[]; missing: Analysis['missing'] },
    options?: { today?: string },
  ): { compatibility: Report['compatibility']; findings: Report['findings'] };
}
interface ReportModule {
  buildReport(
    source: ByteSource,
    name: string,
    opts: { engine?: unknown; skipHash?: boolean; verdict?: { today?: string }; onProgress?: (stage: string, fraction: number) => void },
  ): { report: Report; slices: { parsed: ParsedSlice }[]; missing: Analysis['missing'] };
}
interface SignatureModule {
  verifySignatures(analysis: ReturnType<ReportModule['buildReport']>, opts: { verdict?: { today?: string } }): Promise<unknown>;
}
interface ShareModule {
  encodePermalink(report: Report, options: { base: string }): Promise<{ url: string }>;
  decodePermalink(link: string): Promise<{ ok: true } | { ok: false; error: string }>;
}

export interface Stages {
  /** The page's own pipeline (src/report/pipeline.ts), when it exists: the fuzzer then runs exactly what the worker runs. */
  report: ReportModule | null;
  go: GoModule | null;
  arm64: Arm64Module | null;
  engine: unknown;
  verdict: VerdictModule | null;
  share: ShareModule | null;
  /** The signature stage (src/report/signatures.ts): every signed Mach-O slice checked against its bytes. */
  signatures?: SignatureModule | null;
  /** Why a stage is missing, for the run's header. */
  missing: string[];
}

async function optional<T>(
  path: string,
  check: (m: Record<string, unknown>) => boolean,
  missing: string[],
  what: string,
): Promise<T | null> {
  try {
    const m = (await import(/* @vite-ignore */ path)) as Record<string, unknown>;
    if (check(m)) return m as T;
    missing.push(`${what}: ${path} lacks the expected exports`);
  } catch (e) {
    missing.push(`${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  return null;
}

export async function loadStages(): Promise<Stages> {
  const missing: string[] = [];
  const report = await optional<ReportModule>(
    '../../src/report/pipeline.ts',
    (m) => typeof m.buildReport === 'function',
    missing,
    'report pipeline',
  );
  const go = await optional<GoModule>('../../src/parsers/go/index.ts', (m) => typeof m.goForSlice === 'function', missing, 'Go');
  const arm64 = await optional<Arm64Module>('../../src/arm64/scan.ts', (m) => typeof m.analyzeArm64 === 'function', missing, 'ARM64');
  let engine: unknown = null;
  if (arm64) {
    const node = await optional<{ loadEngine(): Promise<unknown> }>(
      '../../src/arm64/node.ts',
      (m) => typeof m.loadEngine === 'function',
      missing,
      'ARM64 engine',
    );
    try {
      engine = node ? await node.loadEngine() : null;
    } catch (e) {
      missing.push(`ARM64 engine: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const verdict = await optional<VerdictModule>(
    '../../src/verdict/index.ts',
    (m) => typeof m.computeVerdicts === 'function',
    missing,
    'verdicts',
  );
  let share: ShareModule | null = null;
  for (const p of ['../../src/share/permalink.ts', '../../src/share/index.ts']) {
    const quiet: string[] = [];
    share = await optional<ShareModule>(
      p,
      (m) => typeof m.encodePermalink === 'function' && typeof m.decodePermalink === 'function',
      quiet,
      'permalinks',
    );
    if (share) break;
  }
  if (!share) missing.push('permalinks: src/share has no encodePermalink/decodePermalink yet');
  const signatures = await optional<SignatureModule>(
    '../../src/report/signatures.ts',
    (m) => typeof m.verifySignatures === 'function',
    missing,
    'signatures',
  );
  return { report, go, arm64, engine: arm64 && engine ? engine : null, verdict, share, signatures, missing };
}

/** A failure the fuzzer reports: anything but a FormatError out of analyze(), or a report error whose field is `internal`. */
export class Crash extends Error {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    const c = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${stage}: ${c}`);
    this.name = 'Crash';
  }
  /** Where it was thrown: the first stack frame inside src/. */
  get where(): string {
    const stack = this.cause instanceof Error ? (this.cause.stack ?? '') : '';
    const line = stack.split('\n').find((l) => l.includes('/src/'));
    return line
      ? line
          .trim()
          .replace(/^at\s+/, '')
          .replace(/\(?(file:\/\/)?\/[^)]*\/(src\/[^):]+:\d+):\d+\)?/, '$2')
      : this.stage;
  }
  /** Stable identity for counting distinct crashes: stage, error type and place. */
  get signature(): string {
    const type = this.cause instanceof Error ? this.cause.name : typeof this.cause;
    return `${this.stage} | ${type} | ${this.where}`;
  }
}

export interface CaseResult {
  format: string;
  slices: number;
  errors: number;
  /** The permalink encoder refused the report as too big for any link (a documented outcome, not a crash). */
  tooBigToShare: boolean;
  /** Milliseconds per stage. */
  ms: Record<string, number>;
}

export interface RunOptions {
  /** Read through a ChunkedSource with small chunks, as the worker reads big files. */
  chunked?: boolean;
  /** Also hash the file (the page does; fuzzing skips it by default: it does not depend on structure). */
  hash?: boolean;
  /** Make a permalink of the report and open it again (default true). */
  share?: boolean;
}

function isArm64(s: SliceReport): boolean {
  return s.arch === 'arm64' || s.arch === 'arm64e' || s.arch === 'aarch64';
}

async function stage<T>(name: string, ms: Record<string, number>, f: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } catch (e) {
    throw new Crash(name, e);
  } finally {
    ms[name] = (ms[name] ?? 0) + performance.now() - t0;
  }
}

/**
 * Runs the whole analysis on `bytes`. Resolves with a small summary; rejects
 * with a Crash when any stage throws, or when analyze() reports an internal
 * error (a non-FormatError it caught). FormatErrors thrown by the lazy tables
 * or later stages are crashes too: past the headers every parser records a
 * problem and goes on, so the page never loses a report to one bad table.
 */
export async function runPipeline(bytes: Uint8Array, name: string, stages: Stages, opts: RunOptions = {}): Promise<CaseResult> {
  const ms: Record<string, number> = {};
  const source: ByteSource = opts.chunked ? new ChunkedSource(new MemorySource(bytes), 4096, 8) : new MemorySource(bytes);
  const report = stages.report ? await pagePipeline(source, name, stages, ms, opts) : await separateStages(source, name, stages, ms, opts);
  await stage('report', ms, () => checkNumbers(report, 'report'));
  // The report crosses postMessage and is saved as JSON: it must be plain data.
  await stage('json', ms, () => JSON.stringify(report));
  await stage('json', ms, () => structuredClone(report));
  let tooBigToShare = false;
  if (stages.share && opts.share !== false) {
    // A report too big for any link is refused with a message the page shows
    // ("links hold at most …"); a link binlens wrote must always open again.
    const link = await stage('permalink', ms, async () => {
      try {
        return await stages.share!.encodePermalink(report, { base: 'https://binlens.invalid/' });
      } catch (e) {
        if (e instanceof Error && /links hold at most/.test(e.message)) return null;
        throw e;
      }
    });
    if (link === null) tooBigToShare = true;
    else {
      const back = await stage('permalink', ms, () => stages.share!.decodePermalink(link.url));
      if (!back.ok) throw new Crash('permalink', new Error(`a link binlens wrote does not open: ${back.error}`));
    }
  }
  return { format: report.format, slices: report.slices.length, errors: report.errors.length, tooBigToShare, ms };
}

const PAGE_STAGES = ['hash', 'parse', 'go', 'arm64', 'verdict'];

/** src/report/pipeline.ts as the worker runs it, timed per stage from its progress calls; then the lazy tables the page pages. */
async function pagePipeline(
  source: ByteSource,
  name: string,
  stages: Stages,
  ms: Record<string, number>,
  opts: RunOptions,
): Promise<Report> {
  let current = opts.hash ? 'hash' : 'parse';
  let since = performance.now();
  const onProgress = (st: string, fraction: number) => {
    const now = performance.now();
    ms[st] = (ms[st] ?? 0) + now - since;
    since = now;
    current = fraction >= 1 ? (PAGE_STAGES[PAGE_STAGES.indexOf(st) + 1] ?? 'verdict') : st;
  };
  let full: ReturnType<ReportModule['buildReport']>;
  try {
    full = stages.report!.buildReport(source, name, {
      engine: stages.engine,
      skipHash: !opts.hash,
      verdict: { today: '2026-11-25' },
      onProgress,
    });
  } catch (e) {
    throw new Crash(current, e);
  }
  ms[current] = (ms[current] ?? 0) + performance.now() - since;
  if (stages.signatures)
    await stage('signatures', ms, () => stages.signatures!.verifySignatures(full, { verdict: { today: '2026-11-25' } }));
  const report = full.report;
  checkInternal(report);
  for (let i = 0; i < full.slices.length; i++) {
    const s = full.slices[i]!.parsed;
    await lazyTables(s, stages, ms);
    const bug = report.slices[i]?.go?.warnings?.find((w) => /, internal\)$/.test(w));
    if (bug) throw new Crash('go', new Error(`Go warning from an internal error: ${bug}`));
  }
  return report;
}

/** .eh_frame's function ranges (ELF): a binlens bug there is an `internal` error, never a thrown one. */
function unwind(s: ParsedSlice): void {
  const u = s.unwindFunctions?.();
  const internal = u?.errors.find((e) => e.field === 'internal');
  if (internal) throw new Crash('unwindFunctions', new Error(internal.message));
}

function checkInternal(report: Report): void {
  const internal = report.errors.find((e) => e.field === 'internal');
  if (internal) throw new Crash('analyze', new Error(`report error with field internal: ${internal.message}`));
}

/** What the page asks of a kept slice later: its symbol table, mapping symbols, function starts, a listing page. */
async function lazyTables(s: ParsedSlice, stages: Stages, ms: Record<string, number>): Promise<void> {
  await stage('symbols', ms, () => s.symbols());
  await stage('mappingSymbols', ms, () => s.mappingSymbols());
  await stage('functionStarts', ms, () => s.functionStarts());
  await stage('unwindFunctions', ms, () => unwind(s));
  if (stages.arm64?.listing && stages.engine && isArm64(s.report))
    await stage('listing', ms, () => stages.arm64!.listing!(s, stages.engine, {}, 64));
}

/** The same stages called one by one, for when src/report/pipeline.ts is absent. */
async function separateStages(
  source: ByteSource,
  name: string,
  stages: Stages,
  ms: Record<string, number>,
  opts: RunOptions,
): Promise<Report> {
  const a = await stage('analyze', ms, () => analyze(source, name, { skipHash: !opts.hash }));
  const internal = a.report.errors.find((e) => e.field === 'internal');
  if (internal) throw new Crash('analyze', new Error(`report error with field internal: ${internal.message}`));
  const report = a.report;
  for (let i = 0; i < a.slices.length; i++) {
    const s = a.slices[i]!;
    const r = report.slices[i]!;
    await stage('symbols', ms, () => s.symbols());
    await stage('mappingSymbols', ms, () => s.mappingSymbols());
    await stage('functionStarts', ms, () => s.functionStarts());
    await stage('unwindFunctions', ms, () => unwind(s));
    let goFns: { address: bigint; name: string | null; size: number }[] = [];
    if (stages.go) {
      const go = await stage('go', ms, () => stages.go!.goForSlice(s, FUZZ_TODAY));
      if (go) {
        const bug = go.warnings?.find((w) => /, internal\)$/.test(w));
        if (bug) throw new Crash('go', new Error(`Go warning from an internal error: ${bug}`));
        r.go = go;
        if (stages.go.goFunctionsForSlice) {
          goFns = await stage('go', ms, () =>
            stages.go!.goFunctionsForSlice!(s).map((f) => ({ address: f.entry, name: f.name, size: Number(f.end - f.entry) })),
          );
        }
      }
    }
    if (stages.arm64 && stages.engine && isArm64(r)) {
      r.arm64 = await stage('arm64', ms, () => stages.arm64!.analyzeArm64(s, stages.engine, goFns));
      if (stages.arm64.listing) await stage('arm64', ms, () => stages.arm64!.listing!(s, stages.engine, {}, 64));
    }
  }
  if (stages.verdict) {
    const v = await stage('verdict', ms, () =>
      stages.verdict!.computeVerdicts(report, { slices: a.slices, missing: a.missing }, { today: '2026-11-25' }),
    );
    report.compatibility = v.compatibility;
    report.findings = v.findings;
  }
  return report;
}

/**
 * Every number in a report is a count, size or index shown to a person and
 * written to JSON: it must be finite and exact (a 64-bit value past 2^53
 * would be shown rounded). Throws naming the first path that breaks it.
 */
export function checkNumbers(v: unknown, path: string): void {
  const bad = firstBadNumber(v);
  if (bad) throw new Error(`${path}${bad.path} is ${bad.what}`);
}

function firstBadNumber(v: unknown): { path: string; what: string } | null {
  if (typeof v === 'number') {
    return !Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER ? { path: '', what: `${v}: not an exact number` } : null;
  }
  if (typeof v === 'bigint') return { path: '', what: `a bigint (${v}): reports hold hex strings for 64-bit values` };
  if (v === null || typeof v !== 'object') return null;
  // The path is built only on the way out of a failure: reports can hold hundreds of thousands of values.
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === null || typeof x === 'string' || typeof x === 'boolean') continue;
      const b = firstBadNumber(x);
      if (b) return { path: `[${i}]${b.path}`, what: b.what };
    }
    return null;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x === null || typeof x === 'string' || typeof x === 'boolean') continue;
    const b = firstBadNumber(x);
    if (b) return { path: `.${k}${b.path}`, what: b.what };
  }
  return null;
}
