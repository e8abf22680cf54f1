// Go forensics benchmark: build info plus full function recovery (names and
// source files of every function) on the largest Go binary of the corpus,
// against `go version -m` on the same file in the same run.
//
//   npx tsx bench/go.ts            (bench/run.ts calls benchGo())

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFile } from '../src/parsers/analyze.ts';
import { readBuildInfo } from '../src/parsers/go/buildinfo.ts';
import { goForSlice, goFunctions, goFunctionsForSlice } from '../src/parsers/go/index.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { CORPUS, corpusFiles, hasCorpus } from '../test/corpus.ts';
import { goImage, type SynthFunc } from '../test/go-synth.ts';
import { median } from './timing.ts';

export interface GoBenchResult {
  file: string;
  bytes: number;
  functions: number;
  /** Median milliseconds: parse + build info + every function's name and file, bytes already in memory. */
  binlensMs: number;
  /** Median milliseconds: parse + build info only (the work `go version -m` does). */
  buildInfoMs: number;
  /** Median milliseconds of `go version -m FILE` (process start included), or null without a Go toolchain. */
  goVersionMs: number | null;
  /** binlensMs / goVersionMs. */
  ratio: number | null;
  runs: number;
}

function isGo(path: string): boolean {
  const b = readFileSync(path);
  return parseFile(new MemorySource(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))).slices.some((s) => goForSlice(s) !== undefined);
}

/** The largest Go binary in the corpus, or null when the corpus is absent. */
export function largestGoBinary(): string | null {
  if (!hasCorpus) return null;
  const bySize = corpusFiles()
    .map((n) => join(CORPUS, 'bin', n))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  return bySize.find(isGo) ?? null;
}

export function benchGo(opts: { file?: string; runs?: number } = {}): GoBenchResult | null {
  const file = opts.file ?? largestGoBinary();
  if (!file) return null;
  const runs = opts.runs ?? 7;
  const b = readFileSync(file);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const ours: number[] = [];
  let functions = 0;
  // One untimed run warms the JIT, as a page that has analyzed a file before would be.
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    functions = 0;
    for (const s of parseFile(new MemorySource(bytes)).slices) {
      if (!goForSlice(s)) continue;
      const fns = goFunctionsForSlice(s);
      functions += fns.length;
      for (const f of fns) void f.file;
    }
    if (i > 0) ours.push(performance.now() - t);
  }
  const infoOnly: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    for (const s of parseFile(new MemorySource(bytes)).slices) readBuildInfo(s.image);
    if (i > 0) infoOnly.push(performance.now() - t);
  }
  const theirs: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const r = spawnSync('go', ['version', '-m', file], { encoding: 'utf8' });
    if (r.error || r.status !== 0) break;
    if (i > 0) theirs.push(performance.now() - t);
  }
  const binlensMs = median(ours);
  const goVersionMs = theirs.length ? median(theirs) : null;
  return {
    file,
    bytes: bytes.length,
    functions,
    binlensMs,
    buildInfoMs: median(infoOnly),
    goVersionMs,
    ratio: goVersionMs ? binlensMs / goVersionMs : null,
    runs,
  };
}

export function formatGoBench(r: GoBenchResult | null): string {
  if (!r) return 'go: skipped (no corpus)';
  const go = r.goVersionMs === null ? 'go version -m: not available' : `go version -m ${r.goVersionMs.toFixed(1)} ms`;
  const ratio = r.ratio === null ? '' : `, ratio ${r.ratio.toFixed(2)}× (${r.ratio < 1 ? 'binlens faster' : 'go faster'})`;
  return `go: ${r.file.split('/').pop()} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.functions} functions): binlens build info + all functions ${r.binlensMs.toFixed(1)} ms (build info alone ${r.buildInfoMs.toFixed(1)} ms); ${go}${ratio} [median of ${r.runs}]`;
}

/**
 * Median ms to recover `n` functions (entry, end, name, file) from a
 * synthetic Go 1.20 function table: the "100,000 functions in well
 * under a second", independent of which binaries are at hand.
 */
export function benchSyntheticFunctions(n = 100_000, runs = 5): { functions: number; ms: number } {
  const files = ['/build/src/app/main.go', 'example.com/lib/lib.go'];
  const funcs: SynthFunc[] = Array.from({ length: n }, (_, i) => ({
    name: `example.com/pkg${i % 97}.Func${i}`,
    offset: i * 0x40,
    file: i % 2,
  }));
  const times: number[] = [];
  let got = 0;
  for (let r = 0; r < runs; r++) {
    // A fresh image each run: goFunctions memoizes per image.
    const { image } = goImage({
      table: { version: '1.20', littleEndian: true, ptrSize: 8, funcs, end: n * 0x40, files },
      moduledata: true,
    });
    const t = performance.now();
    const fns = goFunctions(image);
    for (const f of fns) if (f.name.length === 0 || f.file === undefined) break;
    times.push(performance.now() - t);
    got = fns.length;
  }
  return { functions: got, ms: median(times) };
}

export function formatSyntheticBench(r: { functions: number; ms: number }): string {
  return `go: synthetic function table: ${r.functions} functions recovered (names and files) in ${r.ms.toFixed(0)} ms`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatGoBench(benchGo()));
  console.log(formatSyntheticBench(benchSyntheticFunctions()));
}
