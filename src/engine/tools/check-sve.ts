// Agreement of the SVE/SME decoders with llvm-objdump-19 (via llvm-mc-19
// --print-imm-hex, which prints the same text and also names LLVM's opcode).
// Build the engine first (npm run build:engine).
//   npx tsx src/engine/tools/check-sve.ts [--space sve|sme] [--n 50000] [--seed 1] [--show 30]
//       random words of the space; disagreements grouped by LLVM opcode
//   npx tsx src/engine/tools/check-sve.ts --lines [--per 40] [--grep ld1]
//       random words of every spec line (most useful while writing the spec)
//   npx tsx src/engine/tools/check-sve.ts --listing FILE [--per 20]
//       random words of every opcode pattern of a llvm-probe.ts listing (--sweep
//       finds the rare encodings random words miss)
//   npx tsx src/engine/tools/check-sve.ts --groups [--n 20000]
//       agreement per top-level SVE/SME encoding group (the README's figures)
import { loadEngine } from '../../arm64/node.ts';
import { mcInsns, rng } from './llvm-probe.ts';
import { TABLES, parseSpec, Maps, SPEC_DIR } from './gen-sve.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}

export const SPACES: Record<string, { mask: number; value: number }> = {
  sve: { mask: 0x1e000000, value: 0x04000000 },
  sme: { mask: 0x9e000000, value: 0x80000000 },
};

/**
 * Top-level SVE groups (Arm ARM C4.1.x, "SVE encodings": op0 = bits 31:29,
 * op1 = 24:23 …) and SME groups, as mask/value under the space's mask.
 */
export const GROUPS: { name: string; mask: number; value: number }[] = [
  { name: 'SVE integer/FP data processing (op0=000)', mask: 0xfe000000, value: 0x04000000 },
  { name: 'SVE permute, predicates, int compare/misc (op0=001)', mask: 0xfe000000, value: 0x24000000 },
  { name: 'SVE multiply-add, SVE2 integer (op0=010)', mask: 0xfe000000, value: 0x44000000 },
  { name: 'SVE FP arithmetic, SVE2 misc (op0=011)', mask: 0xfe000000, value: 0x64000000 },
  { name: 'SVE 32-bit gather loads (op0=100)', mask: 0xfe000000, value: 0x84000000 },
  { name: 'SVE contiguous loads (op0=101)', mask: 0xfe000000, value: 0xa4000000 },
  { name: 'SVE 64-bit gather loads (op0=110)', mask: 0xfe000000, value: 0xc4000000 },
  { name: 'SVE stores (op0=111)', mask: 0xfe000000, value: 0xe4000000 },
  { name: 'SME FP outer products (bits 31:29=100)', mask: 0xfe000000, value: 0x80000000 },
  { name: 'SME tile moves, ZT0, SME2 multi-vector (bits 31:29=110)', mask: 0xfe000000, value: 0xc0000000 },
  { name: 'SME tile loads/stores, ldr/str za (bits 31:29=111)', mask: 0xfe000000, value: 0xe0000000 },
  { name: 'SME int outer products, SME2 ld/st (bits 31:29=101)', mask: 0xfe000000, value: 0xa0000000 },
];

interface Result {
  word: number;
  llvm: string;
  op: string;
  engine: string;
}

async function compare(words: number[]): Promise<Result[]> {
  const engine = await loadEngine();
  const want = mcInsns(words);
  return words.map((w, i) => ({ word: w, llvm: want[i]!.text, op: want[i]!.op, engine: engine.decodeOne(w, 0n).text }));
}

function report(results: Result[], show: number, keyOf: (r: Result) => string): void {
  const same = results.filter((r) => r.llvm === r.engine).length;
  const known = results.filter((r) => r.op !== '').length;
  console.log(`${same}/${results.length} identical (${((100 * same) / results.length).toFixed(3)}%), ${known} known to llvm`);
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    if (r.llvm === r.engine) continue;
    const k = keyOf(r);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  for (const [k, g] of sorted.slice(0, show)) {
    console.log(`-- ${k} x${g.length}`);
    for (const r of g.slice(0, 3))
      console.log(`   ${r.word.toString(16).padStart(8, '0')}  llvm: ${r.llvm.padEnd(44)} engine: ${r.engine}`);
  }
  if (sorted.length > show) console.log(`(${sorted.length - show} more groups)`);
}

async function main(): Promise<void> {
  const next = rng(parseInt(arg('seed', '1'), 10));
  const show = parseInt(arg('show', '30'), 10);
  if (process.argv.includes('--lines')) {
    const per = parseInt(arg('per', '40'), 10);
    const grep = new RegExp(arg('grep', '.'));
    const words: number[] = [];
    const owner: string[] = [];
    const maps = new Maps();
    for (const t of TABLES) {
      const space = SPACES[t.name.toLowerCase()]!;
      for (const e of parseSpec(t.file, readFileSync(join(SPEC_DIR, t.file), 'utf8'), maps)) {
        const label = `${t.file}:${e.line} ${e.mnemonic}`;
        if (!grep.test(label + ' ' + e.template)) continue;
        const mask = (e.mask | space.mask) >>> 0;
        const value = (e.value | (space.value & space.mask)) >>> 0;
        for (let i = 0; i < per; i++) {
          words.push(((next() & ~mask) | value) >>> 0);
          owner.push(label);
        }
      }
    }
    const results = await compare(words);
    const byWord = new Map<number, string>();
    words.forEach((w, i) => byWord.set(w, owner[i]!));
    report(results, show, (r) => byWord.get(r.word) ?? '?');
    return;
  }
  const listing = arg('listing', '');
  if (listing) {
    // every opcode of a llvm-probe.ts listing: random words of its pattern
    const per = parseInt(arg('per', '20'), 10);
    const words: number[] = [];
    for (const line of readFileSync(listing, 'utf8').split('\n')) {
      const m = /^([01x]{32})\s+(\S+)/.exec(line);
      if (!m) continue;
      let free = 0;
      let value = 0;
      for (let i = 0; i < 32; i++) {
        if (m[1]![i] === 'x') free |= 1 << (31 - i);
        else if (m[1]![i] === '1') value |= 1 << (31 - i);
      }
      for (let i = 0; i < per; i++) words.push(((next() & free) | value) >>> 0);
    }
    report(await compare(words), show, (r) => r.op || '<unknown> (llvm)');
    return;
  }
  if (process.argv.includes('--groups')) {
    const n = parseInt(arg('n', '20000'), 10);
    for (const g of GROUPS) {
      const words: number[] = [];
      for (let i = 0; i < n; i++) words.push(((next() & ~g.mask) | g.value) >>> 0);
      const results = await compare(words);
      const same = results.filter((r) => r.llvm === r.engine).length;
      const known = results.filter((r) => r.op !== '');
      const knownSame = known.filter((r) => r.llvm === r.engine).length;
      console.log(
        `${g.name.padEnd(56)} ${((100 * same) / n).toFixed(2).padStart(6)}% of ${n} words, ` +
          `${((100 * knownSame) / Math.max(1, known.length)).toFixed(2).padStart(6)}% of the ${known.length} llvm decodes`,
      );
    }
    return;
  }
  const space = SPACES[arg('space', 'sve')]!;
  const n = parseInt(arg('n', '50000'), 10);
  const grep = new RegExp(arg('grep', '.'));
  const words: number[] = [];
  for (let i = 0; i < n; i++) words.push(((next() & ~space.mask) | space.value) >>> 0);
  const results = (await compare(words)).filter((r) => grep.test(r.op || '<unknown>'));
  report(results, show, (r) => r.op || '<unknown> (llvm)');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
