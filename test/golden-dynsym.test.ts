// `symbols.dynamic` counts what `llvm-nm -D` prints (defined vs undefined),
// checked against llvm-nm-19 itself on every corpus ELF file and the ELF
// fixtures when it is installed (CI installs llvm-19).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { CORPUS, FIXTURES, corpusBytes, corpusFiles, fixtureBytes, hasCorpus } from './corpus.ts';

const NM = 'llvm-nm-19';
const hasNm = spawnSync(NM, ['--version']).status === 0;
if (!hasNm) console.warn(`dynamic symbol counts: skipped, ${NM} is not installed`);

function nmDynamic(path: string): { defined: number; undefined: number } | null {
  const r = spawnSync(NM, ['-D', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return null;
  let defined = 0;
  let undef = 0;
  for (const line of r.stdout.split('\n')) {
    const m = /^(?:[0-9a-f]+| +) ([A-Za-z?-]) /.exec(line);
    if (!m) continue;
    if (m[1] === 'U' || m[1] === 'w' || m[1] === 'v') {
      // llvm-nm prints undefined weak symbols as `w`/`v` with blank addresses.
      if (line.startsWith(' ')) undef++;
      else defined++;
    } else defined++;
  }
  return { defined, undefined: undef };
}

const cases: { name: string; path: string; bytes: () => Uint8Array }[] = [
  ...(hasCorpus ? corpusFiles().map((n) => ({ name: `corpus/${n}`, path: join(CORPUS, 'bin', n), bytes: () => corpusBytes(n) })) : []),
  ...readdirSync(join(FIXTURES, 'elf', 'bin')).map((n) => ({
    name: `fixtures/elf/${n}`,
    path: join(FIXTURES, 'elf', 'bin', n),
    bytes: () => fixtureBytes(`elf/bin/${n}`),
  })),
];

describe.skipIf(!hasNm)('symbols.dynamic equals llvm-nm -D', () => {
  for (const c of cases) {
    it(c.name, () => {
      const bytes = c.bytes();
      if (bytes[0] !== 0x7f || bytes[1] !== 0x45) return;
      const slice = analyze(new MemorySource(bytes), c.name, { skipHash: true }).report.slices[0]!;
      const want = nmDynamic(c.path);
      if (want === null || (want.defined === 0 && want.undefined === 0)) {
        expect(slice.symbols.dynamic ?? { defined: 0, undefined: 0 }).toEqual({ defined: 0, undefined: 0 });
        return;
      }
      expect(slice.symbols.dynamic).toEqual(want);
    });
  }
});
