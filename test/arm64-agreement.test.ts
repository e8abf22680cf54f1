// The engine's text for every instruction word of every arm64 file in the
// corpus (and the project's fixtures) against llvm-objdump-19 -d, line by
// line, ignoring LLVM's `//` comments and `<sym+off>` annotations. Prints the
// agreement per file and overall and the most frequent disagreeing
// encodings; requires >= 99.9% per file and overall.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { arm64Binaries, hasObjdump, objdumpSlices } from './arm64-objdump.ts';

const haveObjdump = hasObjdump();
if (!haveObjdump) console.warn('arm64 agreement tests skipped: llvm-objdump-19 is not installed');

const REQUIRED = 0.999;

const arm64Files = haveObjdump ? arm64Binaries().map(([name, path]) => ({ name, path })) : [];

interface Tally {
  same: number;
  total: number;
  groups: Map<string, { count: number; example: string }>;
}

function compareFile(engine: Arm64Engine, path: string, tally: Tally): { same: number; total: number } {
  const bytes = new Uint8Array(readFileSync(path));
  let same = 0;
  let total = 0;
  for (const slice of objdumpSlices(path, bytes)) {
    engine.setSyntax(slice.macho ? 'apple' : 'llvm');
    for (const l of slice.lines) {
      const got = engine.decodeOne(l.word, l.address).text;
      total++;
      if (got === l.text) {
        same++;
        continue;
      }
      const key = `${l.text.split('\t')[0]} ${((l.word & 0xffe00000) >>> 0).toString(16).padStart(8, '0')}`;
      const g = tally.groups.get(key);
      if (g) g.count++;
      else tally.groups.set(key, { count: 1, example: `${l.word.toString(16).padStart(8, '0')} llvm: ${l.text} | engine: ${got}` });
    }
  }
  tally.same += same;
  tally.total += total;
  return { same, total };
}

describe.skipIf(!haveObjdump || arm64Files.length === 0)('ARM64 disassembly agrees with llvm-objdump-19', () => {
  let engine: Arm64Engine;
  const tally: Tally = { same: 0, total: 0, groups: new Map() };
  beforeAll(async () => {
    engine = await loadEngine();
  });

  it.each(arm64Files.map((f) => [f.name, f.path] as const))(
    '%s',
    (name, path) => {
      const r = compareFile(engine, path, tally);
      const rate = r.total === 0 ? 1 : r.same / r.total;
      console.log(`arm64 agreement ${name}: ${r.same}/${r.total} = ${(100 * rate).toFixed(3)}%`);
      expect(rate).toBeGreaterThanOrEqual(REQUIRED);
    },
    600_000,
  );

  it('overall', () => {
    const rate = tally.total === 0 ? 1 : tally.same / tally.total;
    const top = [...tally.groups.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 25);
    console.log(
      `arm64 agreement overall: ${tally.same}/${tally.total} = ${(100 * rate).toFixed(4)}%\n` +
        `most frequent disagreements (mnemonic, top 11 bits):\n` +
        top.map(([k, g]) => `  ${String(g.count).padStart(7)}  ${k}  e.g. ${g.example}`).join('\n'),
    );
    expect(rate).toBeGreaterThanOrEqual(REQUIRED);
  });
});
