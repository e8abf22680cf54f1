// Size map benchmark: `binlens size FILE --by symbol` (parse, symbol table,
// demangling, the section tree and its grouping, one line per symbol) against
// `llvm-nm-19 -S --size-sort FILE` followed by `llvm-size-19 -A FILE` — the
// figures the size map agrees with — on the same files in the same run.
// Files: Biome's arm64 executable (91 MB, stripped: llvm-nm finds no symbols,
// so the size map has its sections only) and the Node binary running the
// bench (Debian's is 99 MB with about 100,000 symbols, mostly C++).
//
//   npx tsx bench/size.ts [FILE...]      (bench/run.ts calls benchSize())

import { realpathSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { biomeBinary } from './arm64.ts';
import { CLI, ensureCliBundle } from './report.ts';
import { timeShell } from './timing.ts';

export interface SizeBenchRow {
  file: string;
  bytes: number;
  /** Symbol lines of `binlens size --by symbol` (functions of Go's table included). */
  symbols: number;
  /** Symbols llvm-nm-19 -S --size-sort lists. */
  nmSymbols: number;
  /** Median ms of the binlens CLI process, output discarded. */
  binlensMs: number | null;
  /** Median ms of llvm-nm-19 -S --size-sort, then llvm-size-19 -A, output discarded. */
  llvmMs: number | null;
  /** binlensMs / llvmMs. */
  ratio: number | null;
  runs: number;
}

function countLines(cmd: string, args: string[], keep: (line: string) => boolean): number {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout.split('\n').filter(keep).length : 0;
}

export function benchSize(files?: string[], runs = 3): SizeBenchRow[] {
  ensureCliBundle();
  const list = files ?? [biomeBinary(), realpathSync(process.execPath)].filter((f): f is string => f !== null);
  const out: SizeBenchRow[] = [];
  for (const file of list) {
    // One untimed run of each: the file is in the page cache for both.
    const binlensMs = timeShell('"$1" "$2" size "$3" --by symbol >/dev/null', [process.execPath, CLI, file], runs + 1);
    const llvmMs = timeShell('llvm-nm-19 -S --size-sort "$1" >/dev/null 2>&1 && llvm-size-19 -A "$1" >/dev/null', [file], runs + 1);
    out.push({
      file,
      bytes: statSync(file).size,
      symbols: countLines(process.execPath, [CLI, 'size', file, '--by', 'symbol'], (l) => /\t(symbol|function)\t/.test(l)),
      nmSymbols: countLines('llvm-nm-19', ['-S', '--size-sort', file], (l) => /^[0-9a-f]+ [0-9a-f]+ /.test(l)),
      binlensMs,
      llvmMs,
      ratio: binlensMs !== null && llvmMs !== null && llvmMs > 0 ? binlensMs / llvmMs : null,
      runs,
    });
  }
  return out;
}

export function formatSizeBench(rows: SizeBenchRow[]): string {
  const lines = ['Size map: binlens size FILE --by symbol vs llvm-nm-19 -S --size-sort + llvm-size-19 -A (median, same run)'];
  if (rows.length === 0) lines.push('  no file (Biome could not be fetched)');
  for (const r of rows) {
    const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} ms`);
    lines.push(
      `  ${r.file.split('/').slice(-2).join('/')} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.symbols.toLocaleString('en-US')} symbols; llvm-nm ${r.nmSymbols.toLocaleString('en-US')}): ` +
        `binlens ${ms(r.binlensMs)}, llvm ${ms(r.llvmMs)}, ratio ${r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}x`}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = process.argv.slice(2);
  console.log(formatSizeBench(benchSize(files.length > 0 ? files : undefined)));
}
