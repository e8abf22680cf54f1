// The whole analysis of one file, as the page's worker and the CLI run it:
// parse (src/parsers), Go build info and function table (src/parsers/go),
// the ARM64 engine's scan of every arm64 slice (src/arm64), then the
// compatibility matrix and findings (src/verdict). Pure: bytes in
// through a ByteSource, plain report out, so it runs unchanged in Node and in
// a worker. Where the file runs depends on its headers, not on its code nor on
// Go's tables, so the matrix is known right after the parse: `onVerdict` hands
// it out then (the page shows its answer while the rest is worked out, and
// while a big file's code is still being read).

import { analyze, type AnalyzeOptions, type Hasher } from '../parsers/analyze.ts';
import type { Identity } from '../parsers/identify.ts';
import { goForSlice, goFunctionIndex, goFunctionsForSlice, type GoFunction } from '../parsers/go/index.ts';
import type { ByteSource } from '../parsers/reader.ts';
import type { Cut } from '../parsers/truncation.ts';
import type { ParsedSlice } from '../parsers/types.ts';
import type { Report } from './types.ts';
import type { Arm64Engine } from '../arm64/engine.ts';
import { isA64 } from '../arm64/arch.ts';
import { analyzeArm64Table, type FunctionInfo } from '../arm64/scan.ts';
import { functionTableOf } from '../arm64/functions.ts';
import { compatibilityMatrix } from '../verdict/compatibility.ts';
import { makeCtx } from '../verdict/context.ts';
import { computeVerdicts, type VerdictOptions } from '../verdict/index.ts';

/** Stages in the order they run; progress is reported per stage. */
export type Stage = 'hash' | 'parse' | 'go' | 'arm64' | 'verdict';

export interface PipelineOptions {
  /** The ARM64 engine; without it arm64 slices get no `arm64` section (and say so in `warnings`). */
  engine?: Arm64Engine | null;
  verdict?: VerdictOptions;
  /** `fraction` is 0..1 within the stage. */
  onProgress?: (stage: Stage, fraction: number) => void;
  /** Checked between stages and between hash chunks; true stops the run with an AbortError. */
  cancelled?: () => boolean;
  skipHash?: boolean;
  /** The file's SHA-256 when already known (the page's WebCrypto digest). */
  sha256?: string;
  /** A native SHA-256 where the platform has one (the CLI passes Node's). */
  hasher?: () => Hasher;
  /** The day Go release support is judged on (`2026-11-25`); default today. Tests pin it. */
  today?: string;
  /**
   * Called once the compatibility matrix is known, right after the parse: the
   * report so far (no `findings`, no `go` or `arm64` sections). Its
   * `compatibility` is the final report's.
   */
  onVerdict?: (report: Report) => void;
  /** The file's identity when the caller has already sniffed it (AnalyzeOptions.identity). */
  identity?: Identity;
}

/** One slice's parsed state, kept by the worker for paged tables. */
export interface SliceState {
  parsed: ParsedSlice;
  /** Go's function table, when the slice is Go (memoized by src/parsers/go; built on first read). */
  readonly goFunctions: GoFunction[] | null;
}

export interface FullAnalysis {
  report: Report;
  slices: SliceState[];
  /** What lies past the end of the file, in values (`report.truncated.missing` in its order): the verdicts read these. */
  missing: Cut[];
}

function checkCancelled(opts: PipelineOptions): void {
  if (opts.cancelled?.()) throw new DOMException('analysis cancelled', 'AbortError');
}

export function buildReport(source: ByteSource, name: string, opts: PipelineOptions = {}): FullAnalysis {
  return finishReport(parseStage(source, name, opts), opts);
}

/**
 * The report after the parse, with its early answer handed out (onVerdict):
 * what finishReport goes on from. Between the two a caller may wait, as the
 * page's worker does to read a big file whole before its code is scanned.
 */
export interface ParseStage {
  parsed: Report;
  slices: ParsedSlice[];
  missing: Cut[];
}

/** The parse and, when asked for, the early answer (the first half of buildReport). */
export function parseStage(source: ByteSource, name: string, opts: PipelineOptions = {}): ParseStage {
  const analyzeOpts: AnalyzeOptions = {
    skipHash: opts.skipHash,
    sha256: opts.sha256,
    hasher: opts.hasher,
    cancelled: opts.cancelled,
    identity: opts.identity,
    onProgress: (done, total) => opts.onProgress?.('hash', total === 0 ? 1 : done / total),
  };
  const { report: parsed, slices, missing } = analyze(source, name, analyzeOpts);
  opts.onProgress?.('parse', 1);
  if (opts.onVerdict) {
    const ctx = makeCtx(
      { ...parsed, warnings: [...parsed.warnings], slices: parsed.slices.map((s) => ({ ...s })) },
      { slices, missing },
      verdictOptions(opts),
    );
    const compatibility = compatibilityMatrix(ctx);
    opts.onVerdict(answerFirst({ ...parsed, warnings: [...parsed.warnings], slices: parsed.slices.map((s) => ({ ...s })), compatibility }));
  }
  return { parsed, slices, missing };
}

function verdictOptions(opts: PipelineOptions): VerdictOptions {
  return { ...(opts.today ? { today: opts.today } : {}), ...opts.verdict };
}

/** Go's tables, the ARM64 scan and the verdicts (the second half of buildReport). */
export function finishReport({ parsed, slices, missing }: ParseStage, opts: PipelineOptions = {}): FullAnalysis {
  const warnings = [...parsed.warnings];
  const reportErrors = [...parsed.errors];
  const sliceReports = parsed.slices.map((s) => ({ ...s }));
  const verdictOpts = verdictOptions(opts);

  const gos = slices.map((p, i) => {
    checkCancelled(opts);
    const go = goForSlice(p, opts.today ? new Date(`${opts.today}T00:00:00Z`) : undefined);
    if (go) sliceReports[i]!.go = go;
    opts.onProgress?.('go', (i + 1) / slices.length);
    return go;
  });

  const states: SliceState[] = [];
  for (let i = 0; i < slices.length; i++) {
    checkCancelled(opts);
    const p = slices[i]!;
    const sr = sliceReports[i]!;
    const go = gos[i];
    if (isA64(sr.arch)) {
      // The ARM64 analysis reads function bounds from .eh_frame: a malformed
      // record is reported whether or not the engine is there to use them.
      const unwind = p.unwindFunctions?.();
      if (unwind) {
        reportErrors.push(...unwind.errors);
        warnings.push(...unwind.warnings);
      }
      if (opts.engine) {
        // Go's table by index: no object or name per function for the report.
        const infos = (): FunctionInfo[] =>
          (go ? goFunctionsForSlice(p) : []).map((f) => ({ address: f.entry, name: f.name, size: Number(f.end - f.entry) }));
        const table = (go ? goFunctionIndex(p) : null) ?? functionTableOf(infos());
        sr.arm64 = analyzeArm64Table(p, opts.engine, table, infos);
      } else if (!warnings.includes(NO_ENGINE)) {
        warnings.push(NO_ENGINE);
      }
    }
    opts.onProgress?.('arm64', (i + 1) / slices.length);
    states.push(sliceState(p, !!go));
  }

  checkCancelled(opts);
  const withSlices: Report = { ...parsed, errors: reportErrors, warnings, slices: sliceReports };
  // The matrix again, from the whole report: the early one read headers only
  // (pipeline.test.ts checks they agree; this one is what the report keeps).
  const { compatibility, findings } = computeVerdicts(withSlices, { slices, missing }, verdictOpts);
  opts.onProgress?.('verdict', 1);
  return { report: answerFirst({ ...withSlices, compatibility, findings }), slices: states, missing };
}

/** The answer first: verdicts right after what the file is, then the details (JSON keeps this order). */
function answerFirst(r: Report): Report {
  const { schema, file, format, notBinary, compatibility, findings, truncated, errors, ...rest } = r;
  return {
    schema,
    file,
    format,
    ...(notBinary ? { notBinary } : {}),
    ...(compatibility ? { compatibility } : {}),
    ...(findings ? { findings } : {}),
    ...(truncated ? { truncated } : {}),
    errors,
    ...rest,
  };
}

/** The state of one slice; its Go functions are materialized when first read (the report itself needs none). */
function sliceState(parsed: ParsedSlice, go: boolean): SliceState {
  return {
    parsed,
    get goFunctions(): GoFunction[] | null {
      return go ? goFunctionsForSlice(parsed) : null;
    },
  };
}

/** The report's warning when arm64 code went unscanned for want of the engine (the CLI repeats it on stderr). */
export const NO_ENGINE = 'The ARM64 engine was not loaded, so the code of arm64 slices was not scanned (no PAC/BTI evidence).';
