// Every FP/SIMD/crypto word (op0 = x111) and every Advanced SIMD structure
// load/store word of every arm64 corpus file and fixture, against
// llvm-objdump-19 -d (Apple syntax for Mach-O slices). The target is exact
// agreement: a FP/SIMD word that prints differently fails the file.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { hasCorpus } from './corpus.ts';
import { arm64Binaries, hasObjdump, objdumpSlices } from './arm64-objdump.ts';

/** Words decoded by fpsimd.ts/advsimd.ts (op0 = x111) or simd_ldst.ts. */
export function isFpSimdWord(w: number): boolean {
  return ((w >>> 25) & 7) === 7 || (w & 0xbe000000) >>> 0 === 0x0c000000;
}

const haveObjdump = hasObjdump();
const arm64 = haveObjdump ? arm64Binaries() : [];

describe.skipIf(!haveObjdump || arm64.length === 0)('FP/SIMD words of real binaries print as llvm-objdump-19 prints them', () => {
  let engine: Arm64Engine;
  let all = 0;
  beforeAll(async () => {
    engine = await loadEngine();
  });

  it.each(arm64)(
    '%s',
    (name, path) => {
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
    },
    600_000,
  );

  it('found FP/SIMD words to check', () => {
    expect(all).toBeGreaterThan(hasCorpus ? 10000 : 0);
  });
});
