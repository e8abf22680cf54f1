// Reports for the verdict tests: the real parsers over a corpus file or a
// fixture, Go forensics added as the report pipeline adds them, and for
// arm64 files without an engine summary in the report, the PAC/BTI counts
// llvm-objdump saw (the corpus oracle, fixtures/verdict/pac-bti-counts.txt).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arm64Engine } from '../src/arm64/engine.ts';
import { WASM_PATH } from '../src/arm64/node.ts';
import { buildReport } from '../src/report/pipeline.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { Arm64Summary, Report, SliceReport } from '../src/report/types.ts';
import { computeVerdicts, type Parse, type VerdictOptions } from '../src/verdict/index.ts';
import { corpusBytes, FIXTURES, fixtureBytes, hasCorpus, oracle } from './corpus.ts';

/** The day Go release support is judged on, so the tests do not change with the calendar. */
export const TODAY = '2026-11-25';

export type Source = { corpus: string } | { fixture: string };

export function sourceName(s: Source): string {
  return 'corpus' in s ? `corpus/${s.corpus}` : `fixtures/${s.fixture}`;
}

export function available(s: Source): boolean {
  return 'corpus' in s ? hasCorpus : existsSync(join(FIXTURES, s.fixture));
}

const cache = new Map<string, Report>();

/** The parse each report here was written from (the verdicts read it beside the report); clone() keeps it. */
const parses = new WeakMap<Report, Parse>();

/**
 * The report of an analysis (analyze(), buildReport(), buildVerifiedReport(): a report with its slices and cuts),
 * remembered with its parse so that verdictsOf() can judge it. `report` replaces the analysis's own (a copy of it).
 */
export function judged(
  a: { report: Report; slices: readonly ({ parsed: Parse['slices'][number] } | Parse['slices'][number])[]; missing: Parse['missing'] },
  report = a.report,
): Report {
  parses.set(report, { slices: a.slices.map((s) => ('parsed' in s ? s.parsed : s)), missing: a.missing });
  return report;
}

/** The parse remembered for a report made here. */
export function parseOf(r: Report): Parse {
  const p = parses.get(r);
  if (!p) throw new Error(`no parse for the report of ${r.file.name}: make it with reportOf() or judged(), copy it with clone()`);
  return p;
}

let engine: Arm64Engine | null | undefined;
/** The ARM64 engine, compiled synchronously (Node allows it); null when it is not built. */
function engineOrNull(): Arm64Engine | null {
  if (engine === undefined) {
    engine = existsSync(WASM_PATH) ? new Arm64Engine(new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM_PATH)), {})) : null;
    if (!engine)
      console.warn(`verdict tests: the ARM64 engine is not built (${WASM_PATH}); arm64 summaries come from the PAC/BTI oracle counts`);
  }
  return engine;
}

/**
 * The report of a real file, as the page computes it (parsers, Go, the ARM64
 * engine) but before verdicts. Cached; callers must not change it (use clone).
 */
export function reportOf(s: Source): Report {
  const key = sourceName(s);
  const hit = cache.get(key);
  if (hit) return hit;
  const bytes = 'corpus' in s ? corpusBytes(s.corpus) : fixtureBytes(s.fixture);
  const name = 'corpus' in s ? s.corpus : s.fixture.slice(s.fixture.lastIndexOf('/') + 1);
  const e = engineOrNull();
  const a = buildReport(new MemorySource(bytes), name, { skipHash: true, engine: e, today: TODAY });
  const { compatibility: _c, findings: _f, ...before } = a.report;
  judged(a, before);
  if (!e) {
    before.slices.forEach((slice) => {
      const counts = 'corpus' in s ? oracle(s.corpus, 'pac-bti-counts.txt') : fixtureCounts(name);
      if (counts !== null && isArm64(slice)) slice.arm64 = summaryFromCounts(counts);
    });
  }
  cache.set(key, before);
  return before;
}

export function clone<T>(x: T): T {
  const copy = structuredClone(x);
  const p = parses.get(x as Report);
  if (p) parses.set(copy as Report, p);
  return copy;
}

export function verdictsOf(s: Source | Report, options: VerdictOptions = {}) {
  const r = 'format' in s ? s : reportOf(s);
  return computeVerdicts(r, parseOf(r), { today: TODAY, ...options });
}

function isArm64(s: SliceReport): boolean {
  return s.arch === 'arm64' || s.arch === 'arm64e' || s.arch === 'aarch64';
}

let fixtureCountText: string | null | undefined;

/** One file's block of fixtures/verdict/pac-bti-counts.txt, or null. */
function fixtureCounts(name: string): string | null {
  if (fixtureCountText === undefined) {
    const p = join(FIXTURES, 'verdict', 'pac-bti-counts.txt');
    fixtureCountText = existsSync(p) ? readFileSync(p, 'utf8') : null;
  }
  if (fixtureCountText === null) return null;
  const m = new RegExp(`^== ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n((?:(?!==).*\\n)*)`, 'm').exec(fixtureCountText);
  return m ? m[1]! : null;
}

const PAC = /^(pac|aut|reta|braa|brab|blraa|blrab|eretaa|eretab|xpac|ldraa|ldrab)/;

/** An Arm64Summary holding only what a `mnemonic count` list says (no per-function facts). */
export function summaryFromCounts(text: string): Arm64Summary {
  const pac: Record<string, number> = {};
  const bti: Record<string, number> = {};
  let instructions = 0;
  for (const line of text.split('\n')) {
    const [m, n] = line.trim().split(/\s+/);
    if (!m || n === undefined) continue;
    const count = Number(n);
    if (m === 'instructions') instructions = count;
    else if (m === 'bti') bti[m] = count;
    else if (PAC.test(m)) pac[m] = count;
  }
  const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  // The corpus oracle lists mnemonics only; any instruction count > 0 is enough for the rules.
  if (instructions === 0) instructions = Math.max(1, total(pac) + total(bti));
  return { instructions, pac: { total: total(pac), byMnemonic: pac }, bti: { total: total(bti), byMnemonic: bti }, sigtramps: [] };
}
