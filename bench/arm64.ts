// ARM64 engine benchmark: the PAC/BTI classify-and-count scan and full
// disassembly text over every text section of the largest arm64 corpus file
// and of Biome's arm64 Linux executable (npm package @biomejs/cli-linux-arm64,
// fetched with `npm pack` into .cache/, never committed), against
// `llvm-objdump-19 -d FILE | grep -c .` on the same file in the same run.
//
//   npx tsx bench/arm64.ts [FILE...]      (bench/run.ts calls benchArm64())

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFile } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { analyzeArm64, codeRanges, syntaxOf } from '../src/arm64/scan.ts';
import { CORPUS, corpusFiles, hasCorpus } from '../test/corpus.ts';
import { CLI, ensureCliBundle } from './report.ts';

const ROOT = resolve(import.meta.dirname ?? '.', '..');
const CACHE = join(ROOT, '.cache', 'bench');
const OBJDUMP = process.env.LLVM_OBJDUMP ?? 'llvm-objdump-19';
const BIOME_PACKAGE = '@biomejs/cli-linux-arm64';
// npm's "integrity" of that version: the same bytes on every machine.
const BIOME_VERSION = '2.6.9';
const BIOME_INTEGRITY = 'sha512-x73OpQSuQLuvNfzXWEjf0mK95NxlJQX4eG/jmuSrGWOz+/jcLUE4N/21yBu3n0X+wa8bJ3NsWNvmNacLnyc2CQ==';

export interface Arm64BenchResult {
  file: string;
  /** Bytes of code swept (every text section, data-in-code left out). */
  textBytes: number;
  instructions: number;
  /** Classify-and-count scan (PAC/BTI counts, rt_sigreturn search) incl. copying chunks in: GB/s of text, wall clock. */
  scanGBps: number;
  /** The same by CPU time of this process. */
  scanCpuGBps: number;
  /** A plain JS loop over a Uint32Array that classifies each word by a top-byte table (the brief's yardstick), same run. */
  jsLoopGBps: number;
  /** Full disassembly text written by the engine (one line per instruction, as `binlens disasm` prints without addresses): MB/s of code, wall clock. */
  disasmMBps: number;
  /** The same by CPU time. */
  disasmCpuMBps: number;
  /** Load average (1 minute) when the run ended: numbers from a busy machine are lower. */
  loadAverage: number;
  /** Disassembly with a row object per instruction in TypeScript (what the listing pays): MB/s of code. */
  rowsMBps: number;
  /** Whole analyzeArm64 (scan + every function + trampolines), milliseconds. */
  analyzeMs: number;
  /** `llvm-objdump-19 -d FILE | grep -c .`, milliseconds (null when llvm-objdump-19 is missing). */
  objdumpMs: number | null;
  /** MB/s of code for llvm-objdump's disassembly. */
  objdumpMBps: number | null;
  /** Engine disassembly speed over llvm-objdump's. */
  disasmVsObjdump: number | null;
  /** File size in bytes (the CLI reads a file under 256 MB whole). */
  fileBytes: number;
  /** `binlens disasm FILE` (a whole process: every text section, ADDRESS<TAB>TEXT lines to /dev/null), ms; and `llvm-objdump-19 -d FILE` the same way. */
  cliDisasmMs: number | null;
  objdumpListingMs: number | null;
  /** Peak RSS of `binlens report FILE` (its --stats line), and of the same process on a 1 KB file: bytes. */
  cliPeak: number | null;
  cliBaseline: number | null;
}

/** Peak RSS the CLI reports for one file (`report --stats`), bytes; null when it cannot be read. */
function cliPeakRss(path: string): number | null {
  ensureCliBundle();
  const r = spawnSync(process.execPath, [CLI, 'report', path, '--json', '--stats'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const m = /peak RSS ([\d.]+) MB/.exec(r.stderr ?? '');
  return m ? Number(m[1]) * 1048576 : null;
}

/** Biome's arm64 Linux executable (~91 MB), fetched once with npm pack into .cache/bench, pinned by version and checksum; null when that fails. */
export function biomeBinary(): string | null {
  mkdirSync(CACHE, { recursive: true });
  const dir = join(CACHE, `biome-${BIOME_VERSION}`);
  const exe = join(dir, 'package', 'biome');
  if (existsSync(exe)) return exe;
  const packed = spawnSync('npm', ['pack', `${BIOME_PACKAGE}@${BIOME_VERSION}`, '--pack-destination', CACHE, '--silent'], {
    encoding: 'utf8',
  });
  if (packed.status !== 0) return null;
  const tgz = join(CACHE, `biomejs-cli-linux-arm64-${BIOME_VERSION}.tgz`);
  if (!existsSync(tgz)) return null;
  const got = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
  if (got !== BIOME_INTEGRITY) {
    console.error(`bench: ${BIOME_PACKAGE}@${BIOME_VERSION} checksum mismatch (expected ${BIOME_INTEGRITY}, got ${got}); left out`);
    return null;
  }
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', dir]);
  return existsSync(exe) ? exe : null;
}

/** The largest arm64 file of the corpus. */
export function largestArm64CorpusFile(): string | null {
  if (!hasCorpus) return null;
  const files = corpusFiles()
    .map((n) => join(CORPUS, 'bin', n))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  for (const f of files) {
    const b = readFileSync(f);
    if (parseFile(new MemorySource(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))).slices.some((s) => s.report.arch === 'arm64'))
      return f;
  }
  return null;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Run `fn` until at least `minMs` have passed (and at least twice); seconds
 * per run, by the wall clock and by this process's CPU time (the second is
 * less disturbed when other processes share the machine).
 */
function timeIt(fn: () => void, minMs = 1500): { wall: number; cpu: number } {
  fn(); // warm up: the first run also tiers the wasm up
  let runs = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let t = t0;
  while (runs < 2 || t - t0 < minMs) {
    fn();
    runs++;
    t = performance.now();
  }
  return { wall: (t - t0) / runs / 1000, cpu: (cpuSeconds() - c0) / runs };
}

export async function benchArm64File(path: string): Promise<Arm64BenchResult> {
  const engine = await loadEngine();
  const b = readFileSync(path);
  const slice = parseFile(new MemorySource(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))).slices.find((s) =>
    s.report.arch.startsWith('arm64'),
  );
  if (!slice) throw new Error(`${path}: no arm64 slice`);
  const ranges = codeRanges(slice);
  const textBytes = ranges.reduce((n, r) => n + r.bytes.byteLength, 0);
  engine.setSyntax(syntaxOf(slice));

  const scanS = timeIt(() => {
    engine.scanReset();
    for (const r of ranges) engine.scan(r.bytes, r.address, false);
  });
  // The yardstick: classify by top byte in plain JS, over the same bytes.
  const table = new Uint8Array(256);
  for (const t of [0xd5, 0xda, 0x9a, 0xd6, 0xd7, 0xf8, 0x55, 0xf3, 0xd4]) table[t] = 1;
  const words = ranges.map((r) => new Uint32Array(r.bytes.buffer.slice(r.bytes.byteOffset, r.bytes.byteOffset + r.bytes.byteLength)));
  let hits = 0;
  const jsS = timeIt(() => {
    hits = 0;
    for (const u of words) for (let i = 0; i < u.length; i++) hits += table[u[i]! >>> 24]!;
  });
  if (hits < 0) throw new Error('unreachable');

  let instructions = 0;
  const disasmS = timeIt(() => {
    instructions = 0;
    for (const r of ranges) instructions += engine.disasmTextOnly(r.bytes, r.address).instructions;
  });
  const rowsS = timeIt(() => {
    let n = 0;
    for (const r of ranges) engine.disasm(r.bytes, r.address, () => n++);
  }, 500);
  const t0 = performance.now();
  analyzeArm64(slice, engine);
  const analyzeMs = performance.now() - t0;

  let objdumpMs: number | null = null;
  if (spawnSync(OBJDUMP, ['--version']).status === 0) {
    const t1 = performance.now();
    const r = spawnSync('sh', ['-c', `"${OBJDUMP}" -d "$1" | grep -c .`, 'sh', path], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status === 0) objdumpMs = performance.now() - t1;
  }
  // The listing as a user gets it, each tool a whole process writing to /dev/null.
  const listing = (cmd: string[]): number | null => {
    const t = performance.now();
    const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'ignore', 'ignore'] });
    return r.status === 0 ? performance.now() - t : null;
  };
  ensureCliBundle();
  const cliDisasmMs = listing([process.execPath, CLI, 'disasm', path]);
  const objdumpListingMs = objdumpMs === null ? null : listing([OBJDUMP, '-d', '--no-show-raw-insn', path]);
  const mb = textBytes / 1e6;
  // Memory: the CLI on this file, over the same process on a file with nothing in it.
  const tiny = join(CACHE, 'tiny.bin');
  if (!existsSync(tiny)) writeFileSync(tiny, new Uint8Array(1024));
  const cliBaseline = cliPeakRss(tiny);
  const cliPeak = cliPeakRss(path);
  return {
    fileBytes: b.byteLength,
    cliDisasmMs,
    objdumpListingMs,
    cliPeak,
    cliBaseline,
    file: basename(path),
    textBytes,
    instructions,
    scanGBps: textBytes / 1e9 / scanS.wall,
    scanCpuGBps: textBytes / 1e9 / scanS.cpu,
    jsLoopGBps: textBytes / 1e9 / jsS.wall,
    disasmMBps: mb / disasmS.wall,
    disasmCpuMBps: mb / disasmS.cpu,
    loadAverage: loadavg()[0]!,
    rowsMBps: mb / rowsS.wall,
    analyzeMs,
    objdumpMs,
    objdumpMBps: objdumpMs === null ? null : mb / (objdumpMs / 1000),
    disasmVsObjdump: objdumpMs === null ? null : objdumpMs / 1000 / disasmS.wall,
  };
}

/** The benchmark over the largest arm64 corpus file and Biome (when it can be fetched), or the given files. */
export async function benchArm64(files?: string[]): Promise<Arm64BenchResult[]> {
  const list = files ?? [largestArm64CorpusFile(), biomeBinary()].filter((f): f is string => f !== null);
  const out: Arm64BenchResult[] = [];
  for (const f of list) out.push(await benchArm64File(f));
  return out;
}

const mbs = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

export function formatArm64Bench(rs: Arm64BenchResult[]): string {
  const lines = ['ARM64 engine'];
  for (const r of rs) {
    lines.push(
      `  ${r.file}: ${(r.textBytes / 1e6).toFixed(1)} MB of code, ${r.instructions} instructions (load average ${r.loadAverage.toFixed(1)})`,
      `    scan (PAC/BTI counts)     ${r.scanGBps.toFixed(2)} GB/s (${r.scanCpuGBps.toFixed(2)} GB/s of CPU time; plain JS top-byte loop ${r.jsLoopGBps.toFixed(2)} GB/s)`,
      `    disassembly text          ${r.disasmMBps.toFixed(0)} MB/s (${r.disasmCpuMBps.toFixed(0)} MB/s of CPU time)` +
        (r.disasmVsObjdump === null
          ? ''
          : `  (${r.disasmVsObjdump.toFixed(1)}x llvm-objdump-19 -d | grep -c: ${r.objdumpMBps!.toFixed(1)} MB/s, ${(r.objdumpMs! / 1000).toFixed(2)} s)`),
      `    disassembly rows (TS)     ${r.rowsMBps.toFixed(0)} MB/s`,
      ...(r.cliDisasmMs === null
        ? []
        : [
            `    binlens disasm (process)  ${(r.cliDisasmMs / 1000).toFixed(2)} s` +
              (r.objdumpListingMs === null
                ? ''
                : `  (llvm-objdump-19 -d --no-show-raw-insn ${(r.objdumpListingMs / 1000).toFixed(2)} s: ${(r.objdumpListingMs / r.cliDisasmMs).toFixed(1)}x)`),
          ]),
      `    analyzeArm64 (scan + functions + trampolines) ${r.analyzeMs.toFixed(0)} ms`,
    );
    if (r.cliPeak !== null && r.cliBaseline !== null) {
      const over = r.cliPeak - r.cliBaseline;
      const beyond = over - r.fileBytes;
      lines.push(
        `    CLI peak memory           ${mbs(r.cliPeak)} (a 1 KB file: ${mbs(r.cliBaseline)}): ${mbs(over)} for this file = the file read whole ${mbs(r.fileBytes)} ` +
          `+ ${mbs(Math.max(0, beyond))} of analysis (${(Math.max(0, beyond) / r.textBytes).toFixed(2)}x the code; ${(over / r.textBytes).toFixed(2)}x with the file)`,
      );
    }
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  benchArm64(args.length > 0 ? args : undefined).then(
    (rs) => console.log(formatArm64Bench(rs)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
