// Every FP/SIMD/crypto word (op0 = x111) and every Advanced SIMD structure
// load/store word of every arm64 corpus file and fixture, against
// llvm-objdump-19 -d (Apple syntax for Mach-O slices). The target is exact
// agreement: a FP/SIMD word that prints differently fails the file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { CORPUS, FIXTURES, hasCorpus } from './corpus.ts';
import { hasObjdump, objdumpSlices } from './arm64-objdump.ts';

/** Words decoded by fpsimd.ts/advsimd.ts (op0 = x111) or simd_ldst.ts. */
export function isFpSimdWord(w: number): boolean {
  return ((w >>> 25) & 7) === 7 || ((w & 0xbe000000) >>> 0) === 0x0c000000;
}

function looksArm64(path: string): boolean {
  const b = readFileSync(path).subarray(0, 64);
  if (b.length < 20) return false;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, false) === 0x7f454c46) return dv.getUint16(18, b[5] !== 2) === 183;
  if (dv.getUint32(0, true) === 0xfeedfacf) return dv.getUint32(4, true) === 0x0100000c;
  const be = dv.getUint32(0, false);
  return be === 0xcafebabe || be === 0xcafebabf;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (st.isFile() && st.size >= 20) out.push(p);
  }
  return out;
}

const haveObjdump = hasObjdump();
const files: [string, string][] = [];
if (haveObjdump) {
  if (hasCorpus) for (const f of readdirSync(join(CORPUS, 'bin')).sort()) files.push([f, join(CORPUS, 'bin', f)]);
  for (const p of walk(FIXTURES)) files.push([relative(FIXTURES, p), p]);
}
const arm64 = files.filter(([, p]) => looksArm64(p));

describe.skipIf(!haveObjdump || arm64.length === 0)('FP/SIMD words of real binaries print as llvm-objdump-19 prints them', () => {
  let engine: Arm64Engine;
  let all = 0;
  beforeAll(async () => {
    engine = await loadEngine();
  });

  it.each(arm64)('%s', (name, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    let total = 0;
    const bad: string[] = [];
    let badCount = 0;
    for (const slice of objdumpSlices(path, bytes)) {
      engine.setSyntax(slice.macho ? 'apple' : 'llvm');
      for (const l of slice.lines) {
        if (!isFpSimdWord(l.word)) continue;
        total++;
        const got = engine.decodeOne(l.word, l.address).text;
        if (got !== l.text) {
          badCount++;
          if (bad.length < 10) bad.push(`${l.word.toString(16).padStart(8, '0')} llvm: ${l.text} | engine: ${got}`);
        }
      }
    }
    engine.setSyntax('llvm');
    all += total;
    console.log(`fp/simd agreement ${name}: ${total - badCount}/${total}`);
    expect(bad).toEqual([]);
  }, 600_000);

  it('found FP/SIMD words to check', () => {
    expect(all).toBeGreaterThan(hasCorpus ? 10000 : 0);
  });
});
