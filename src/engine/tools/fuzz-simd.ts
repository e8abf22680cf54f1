// Differential check of the FP/SIMD decoder groups against llvm-objdump-19,
// group by group, in LLVM's generic syntax (ELF) and in the Apple syntax
// llvm-objdump uses for Mach-O:
//   npx tsx src/engine/tools/fuzz-simd.ts                 all groups, both syntaxes
//   npx tsx src/engine/tools/fuzz-simd.ts --group copy --n 50000 --show 10 --syntax apple
//   npx tsx src/engine/tools/fuzz-simd.ts --list
//   npx tsx src/engine/tools/fuzz-simd.ts --wasm /tmp/arm64.wasm   (an engine built elsewhere)
//   npx tsx src/engine/tools/fuzz-simd.ts --group fpsimd-all --sweep
// --sweep replaces the random words by two structural sweeps of the group:
// every value of bits 31:10 (register fields 9:0 random), then every value of
// bits 31:21, 15:10 and 4:0 (bits 20:16 and 9:5 random), so every opcode,
// size, immediate and low-field combination is seen once.
// Words are random with (w & mask) == value for each group's fixed bits
// (Arm ARM C4.1 encoding tables). Exit status 1 when any word disagrees.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from '../../arm64/node.ts';
import { Arm64Engine } from '../../arm64/engine.ts';
import { LLVM_MC, OBJDUMP, normalizeLlvmText } from './llvm.ts';
import { rng } from './llvm-probe.ts';

/** name, mask, value: the fixed bits of each encoding group. */
export const SIMD_GROUPS: [string, number, number][] = [
  ['fp-dp1', 0x5f207c00, 0x1e204000],
  ['fp-dp2', 0x5f200c00, 0x1e200800],
  ['fp-dp3', 0x5f000000, 0x1f000000],
  ['fp-compare', 0x5f203c00, 0x1e202000],
  ['fp-ccmp', 0x5f200c00, 0x1e200400],
  ['fp-csel', 0x5f200c00, 0x1e200c00],
  ['fp-imm', 0x5f201c00, 0x1e201000],
  ['fp-fixed', 0x5f200000, 0x1e000000],
  ['fp-int', 0x5f20fc00, 0x1e200000],
  ['simd-three-same', 0x9f200400, 0x0e200400],
  ['simd-three-diff', 0x9f200c00, 0x0e200000],
  ['simd-two-misc', 0x9f3e0c00, 0x0e200800],
  ['simd-two-misc-fp16', 0x9f7e0c00, 0x0e780800],
  ['simd-across', 0x9f3e0c00, 0x0e300800],
  ['simd-three-same-fp16', 0x9f60c400, 0x0e400400],
  ['simd-three-ext', 0x9f208400, 0x0e008400],
  ['simd-copy', 0x9fe08400, 0x0e000400],
  ['simd-modified-imm', 0x9ff80400, 0x0f000400],
  ['simd-shift-imm', 0x9f800400, 0x0f000400],
  ['simd-by-element', 0x9f000400, 0x0f000000],
  ['simd-permute', 0xbf208c00, 0x0e000800],
  ['simd-extract', 0xbf208400, 0x2e000000],
  ['simd-table', 0xbf208c00, 0x0e000000],
  ['simd-scalar-three-same', 0xdf200400, 0x5e200400],
  ['simd-scalar-three-diff', 0xdf200c00, 0x5e200000],
  ['simd-scalar-two-misc', 0xdf3e0c00, 0x5e200800],
  ['simd-scalar-pairwise', 0xdf3e0c00, 0x5e300800],
  ['simd-scalar-copy', 0xdfe08400, 0x5e000400],
  ['simd-scalar-fp16', 0xdf600400, 0x5e400400],
  ['simd-scalar-three-ext', 0xdf208400, 0x5e008400],
  ['simd-scalar-shift-imm', 0xdf800400, 0x5f000400],
  ['simd-scalar-by-element', 0xdf000400, 0x5f000000],
  ['crypto-aes', 0xff3e0c00, 0x4e280800],
  ['crypto-sha', 0xff000000, 0x5e000000],
  ['crypto-sha512-sm', 0xff000000, 0xce000000],
  ['simd-ldst-multiple', 0xbf800000, 0x0c000000],
  ['simd-ldst-multiple-post', 0xbf800000, 0x0c800000],
  ['simd-ldst-single', 0xbf800000, 0x0d000000],
  ['simd-ldst-single-post', 0xbf800000, 0x0d800000],
  ['fpsimd-all', 0x0e000000, 0x0e000000],
];

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}

/** xorshift32: reproducible words for a seed. */

/** llvm-objdump's text of each word; `apple` assembles a Mach-O object so the Apple printer is used. */
export function llvmTextsFor(words: number[], apple: boolean): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'binlens-simd-'));
  try {
    const src = ['.text'];
    for (const w of words) src.push(`.inst 0x${(w >>> 0).toString(16).padStart(8, '0')}`);
    writeFileSync(join(dir, 'a.s'), src.join('\n') + '\n');
    const triple = apple ? 'arm64-apple-macos' : 'aarch64';
    execFileSync(LLVM_MC, [`-triple=${triple}`, '-filetype=obj', join(dir, 'a.s'), '-o', join(dir, 'a.o')]);
    const out = execFileSync(OBJDUMP, ['-d', '--no-show-raw-insn', join(dir, 'a.o')], { maxBuffer: 1 << 30 }).toString('latin1');
    const texts: string[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s*\t(.*)$/.exec(line);
      if (m) texts.push(normalizeLlvmText(m[2]!));
    }
    if (texts.length !== words.length) throw new Error(`llvm-objdump gave ${texts.length} lines for ${words.length} words`);
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The two structural sweeps described at the top, for words with (w & mask) == value. */
function sweep(mask: number, value: number, next: () => number): number[] {
  const words: number[] = [];
  for (const enumerated of [0xfffffc00, 0xffe0fc1f]) {
    const bits: number[] = [];
    for (let b = 0; b < 32; b++) if ((enumerated >>> b) & 1 && !((mask >>> b) & 1)) bits.push(b);
    if (bits.length > 22) throw new Error('group too wide to sweep');
    const random = ~(enumerated | mask) >>> 0;
    for (let v = 0; v < 2 ** bits.length; v++) {
      let w = (value & mask) >>> 0;
      for (let k = 0; k < bits.length; k++) if ((v >>> k) & 1) w |= 1 << bits[k]!;
      words.push((w | (next() & random)) >>> 0);
    }
  }
  return words;
}

async function main(): Promise<void> {
  if (process.argv.includes('--list')) {
    for (const [name, mask, value] of SIMD_GROUPS)
      console.log(`${name.padEnd(28)} mask ${mask.toString(16).padStart(8, '0')} value ${value.toString(16).padStart(8, '0')}`);
    return;
  }
  const wasm = arg('wasm', '');
  const engine = wasm ? await Arm64Engine.fromBytes(readFileSync(wasm)) : await loadEngine();
  const only = arg('group', '');
  const n = parseInt(arg('n', '20000'), 10);
  const seed = parseInt(arg('seed', '1'), 10);
  const show = parseInt(arg('show', '3'), 10);
  const syntaxes = arg('syntax', 'both') === 'both' ? ['llvm', 'apple'] : [arg('syntax', 'llvm')];
  const groups = SIMD_GROUPS.filter(([name]) => !only || only.split(',').includes(name));
  if (groups.length === 0) throw new Error(`no group ${only} (see --list)`);
  let bad = 0;
  for (const syntax of syntaxes) {
    const apple = syntax === 'apple';
    engine.setSyntax(apple ? 'apple' : 'llvm');
    for (const [name, mask, value] of groups) {
      const next = rng(seed);
      const words = process.argv.includes('--sweep') ? sweep(mask, value, next) : [];
      if (words.length === 0) for (let i = 0; i < n; i++) words.push(((next() & ~mask) | (value & mask)) >>> 0);
      const want: string[] = [];
      for (let i = 0; i < words.length; i += 200000) for (const t of llvmTextsFor(words.slice(i, i + 200000), apple)) want.push(t);
      let same = 0;
      let known = 0;
      const diffs: string[] = [];
      words.forEach((w, i) => {
        const got = engine.decodeOne(w, BigInt(i * 4)).text;
        const exp = want[i]!;
        if (exp !== '<unknown>') known++;
        if (got === exp) same++;
        else if (diffs.length < show) diffs.push(`   ${w.toString(16).padStart(8, '0')}  llvm: ${exp.padEnd(44)} engine: ${got}`);
      });
      bad += words.length - same;
      const rate = ((100 * same) / words.length).toFixed(3);
      console.log(`${syntax.padEnd(5)} ${name.padEnd(28)} ${same}/${words.length} ${rate}% (${known} decodable)`);
      for (const d of diffs) console.log(d);
    }
  }
  engine.setSyntax('llvm');
  if (bad > 0) process.exitCode = 1;
}

if (process.argv[1] && process.argv[1].endsWith('fuzz-simd.ts')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
