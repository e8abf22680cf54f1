// Whole-report benchmark: binlens's CLI (the bundled dist-cli/binlens.mjs, a
// fresh Node process per run, reading the file from disk) against the peer
// tools a user would otherwise run on the same file in the same run:
// `readelf -a` for ELF, `llvm-readobj-19 --all` for both formats, and for
// arm64 code the `llvm-objdump-19 -d | grep -c` pipeline. Also the in-process
// time of the pipeline (what the page's worker spends), and a folder of
// system binaries in one process each.
//
//   npx tsx bench/report.ts [FILE...]      (bench/run.ts calls benchReports())

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEngine } from '../src/arm64/node.ts';
import { identify } from '../src/parsers/identify.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { buildReport } from '../src/report/pipeline.ts';
import { nodeSha256 } from '../src/cli/reportFile.ts';
import { CORPUS, corpusFiles, hasCorpus } from '../test/corpus.ts';
import { median, timeShell } from './timing.ts';

export const CLI = join(import.meta.dirname, '..', 'dist-cli', 'binlens.mjs');

export interface ToolTime {
  tool: string;
  ms: number;
}

export interface FileBench {
  file: string;
  bytes: number;
  format: string;
  /** Median ms of the CLI process (`binlens report FILE --json`, output discarded). */
  cliMs: number;
  /** Median ms of the pipeline in this process (bytes in memory, engine loaded: the worker's cost). */
  inProcessMs: number;
  peers: ToolTime[];
  /** Median ms of `node -e 0`, same run: the start no Node CLI can go below. */
  nodeStartMs: number;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function ensureCliBundle(): void {
  if (existsSync(CLI)) return;
  const r = spawnSync('npm', ['run', '-s', 'build:cli'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not build the CLI bundle (npm run build:cli)');
}

function formatOf(bytes: Uint8Array): string {
  return identify(new MemorySource(bytes.subarray(0, 4096))).format;
}

export async function benchFile(path: string, runs = 5): Promise<FileBench> {
  ensureCliBundle();
  const engine = await loadEngine();
  const b = readFileSync(path);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const format = formatOf(bytes);
  const inProc: number[] = [];
  buildReport(new MemorySource(bytes), basename(path), { engine, hasher: nodeSha256 });
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    buildReport(new MemorySource(bytes), basename(path), { engine, hasher: nodeSha256 });
    inProc.push(performance.now() - t);
  }
  const cliMs = timeShell(`node "${CLI}" report "$1" --json`, [path], runs) ?? NaN;
  const peers: ToolTime[] = [];
  const add = (tool: string, script: string) => {
    const ms = timeShell(script, [path], runs);
    if (ms !== null) peers.push({ tool, ms });
  };
  // The tools people run one by one today for what one binlens report says
  // (`grep -c` exits 1 on no match: the pipeline ends in `true`).
  const report = buildReport(new MemorySource(bytes), basename(path), { engine, skipHash: true }).report;
  const arm64 = report.slices.some((s) => s.arch.startsWith('arm64'));
  const go = report.slices.some((s) => s.go);
  const together: string[] = ['file "$1"', 'sha256sum "$1"'];
  if (format === 'elf' && has('readelf')) {
    add('readelf -a', 'readelf -a -W "$1"');
    together.push('readelf -a -W "$1"');
  }
  if (has('llvm-readobj-19')) {
    add('llvm-readobj-19 --all', 'llvm-readobj-19 --all "$1"');
    if (format !== 'elf') together.push('llvm-readobj-19 --all "$1"');
  }
  if (has('llvm-nm-19')) together.push('llvm-nm-19 "$1"');
  if (arm64 && has('llvm-objdump-19')) {
    // What people run today to see PAC/BTI use; one run, it is slow.
    const ms = timeShell('llvm-objdump-19 -d "$1" | grep -c -E "pac|aut|bti"; true', [path], 1);
    if (ms !== null) peers.push({ tool: 'llvm-objdump-19 -d | grep -c', ms });
    together.push('{ llvm-objdump-19 -d "$1" | grep -c -E "pac|aut|bti"; true; }');
  }
  if (go && has('go')) together.push('go version -m "$1"');
  const all = timeShell(together.map((c) => `${c} >/dev/null 2>&1`).join('; ') + '; true', [path], arm64 ? 1 : runs);
  if (all !== null) peers.push({ tool: `all of them (${together.length} tools)`, ms: all });
  const nodeStartMs = timeShell(`"${process.execPath}" -e 0`, [], runs) ?? NaN;
  return { file: basename(path), bytes: bytes.byteLength, format, cliMs, inProcessMs: median(inProc), peers, nodeStartMs };
}

export interface FolderBench {
  folder: string;
  files: number;
  bytes: number;
  cliMs: number;
  peers: ToolTime[];
}

/** ELF files of a system folder (not symlinks), at most `limit`, sorted by name. */
export function systemBinaries(folder = '/usr/bin', limit = 300): string[] {
  if (!existsSync(folder)) return [];
  const out: string[] = [];
  for (const n of readdirSync(folder).sort()) {
    const p = join(folder, n);
    try {
      const st = statSync(p);
      if (!st.isFile() || st.size < 64) continue;
      const head = readFileSync(p).subarray(0, 4);
      if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) out.push(p);
    } catch {
      continue;
    }
    if (out.length >= limit) break;
  }
  return out;
}

/** One process each: `binlens report F1 F2 … --json` against `readelf -a F1 F2 …` and `llvm-readobj-19 --all F1 F2 …`. */
export function benchFolder(files: string[], folder: string, runs = 3): FolderBench {
  ensureCliBundle();
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const cliMs = timeShell(`node "${CLI}" report "$@" --json`, files, runs) ?? NaN;
  const peers: ToolTime[] = [];
  const r1 = timeShell('readelf -a -W "$@"', files, runs);
  if (r1 !== null) peers.push({ tool: 'readelf -a', ms: r1 });
  if (has('llvm-readobj-19')) {
    const r2 = timeShell('llvm-readobj-19 --all "$@"', files, runs);
    if (r2 !== null) peers.push({ tool: 'llvm-readobj-19 --all', ms: r2 });
  }
  return { folder, files: files.length, bytes, cliMs, peers };
}

/** The largest corpus files (or the given ones): the files where speed matters. */
export function largestFiles(n = 5): string[] {
  if (!hasCorpus) return [];
  return corpusFiles()
    .map((f) => join(CORPUS, 'bin', f))
    .sort((a, b) => statSync(b).size - statSync(a).size)
    .slice(0, n);
}

export async function benchReports(files?: string[]): Promise<{ files: FileBench[]; folder: FolderBench | null }> {
  const list = files ?? largestFiles();
  const out: FileBench[] = [];
  for (const f of list) out.push(await benchFile(f));
  const sys = systemBinaries();
  return { files: out, folder: sys.length ? benchFolder(sys, '/usr/bin') : null };
}

const ratio = (peer: number, ours: number) => `${(peer / ours).toFixed(1)}x`;

export function formatReportBench(r: { files: FileBench[]; folder: FolderBench | null }): string {
  const lines = ['Whole report (binlens CLI process, bundled; ratios = peer time / binlens time, >1 means binlens is faster)'];
  for (const f of r.files) {
    lines.push(
      `  ${f.file} (${(f.bytes / 1e6).toFixed(1)} MB, ${f.format}): binlens CLI ${f.cliMs.toFixed(0)} ms, in-process pipeline ${f.inProcessMs.toFixed(0)} ms`,
    );
    for (const p of f.peers) lines.push(`    ${p.tool.padEnd(30)} ${p.ms.toFixed(0).padStart(7)} ms   ${ratio(p.ms, f.cliMs)}`);
    const objdump = f.peers.find((p) => p.tool.startsWith('llvm-objdump'));
    if (objdump) {
      lines.push(
        `    Node's own start (node -e 0) ${f.nodeStartMs.toFixed(0)} ms: no Node CLI can beat the objdump pipeline here by more than ${ratio(objdump.ms, f.nodeStartMs)}; ` +
          `binlens spends ${(f.cliMs - f.nodeStartMs).toFixed(0)} ms past it`,
      );
    }
  }
  if (r.folder) {
    const d = r.folder;
    lines.push(
      `  folder ${d.folder}: ${d.files} ELF files, ${(d.bytes / 1e6).toFixed(1)} MB, one process each: binlens CLI ${d.cliMs.toFixed(0)} ms`,
    );
    for (const p of d.peers) lines.push(`    ${p.tool.padEnd(30)} ${p.ms.toFixed(0).padStart(7)} ms   ${ratio(p.ms, d.cliMs)}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  benchReports(args.length ? args : undefined).then(
    (r) => console.log(formatReportBench(r)),
    (e: unknown) => {
      console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
