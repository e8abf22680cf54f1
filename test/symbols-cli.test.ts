// `binlens symbols` against llvm-nm-19: every symbol llvm-nm lists, in its
// order (`-p`, symbol-table order), with the same address, size and
// defined/undefined, the raw name as the string table holds it — over every
// fixture binary and the corpus. A stripped ELF file is compared with
// `llvm-nm -D` (its .dynsym), which also prints each name's version after
// an `@`, which the RAW column leaves out (the string table does not hold it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { symbolLine } from '../src/cli/commands/symbols.ts';
import { openBinary } from '../src/cli/binary.ts';
import { symbolRows } from '../src/workers/symbolTable.ts';
import { fixtureBinaries } from './binaries.ts';
import { CORPUS, corpusFiles, hasCorpus } from './corpus.ts';

const NM = 'llvm-nm-19';
const hasNm = spawnSync(NM, ['--version']).status === 0;
if (!hasNm) console.warn(`symbols: the llvm-nm comparison is skipped, ${NM} is not installed`);

interface NmRow {
  address: string;
  size: string;
  letter: string;
  name: string;
}

function nm(path: string, dynamic: boolean, arch: string | null): NmRow[] | null {
  const args = ['-p', '-S', '--no-llvm-bc', ...(dynamic ? ['-D'] : []), ...(arch ? [`--arch=${arch}`] : []), path];
  const r = spawnSync(NM, args, { encoding: 'latin1', maxBuffer: 256 << 20 });
  if (r.status !== 0) return null;
  const rows: NmRow[] = [];
  for (const line of r.stdout.split('\n')) {
    // "ADDRESS SIZE L NAME", blanks for an undefined symbol's address and size.
    const m = /^([0-9a-f]+| +) (?:([0-9a-f]+)| +) (\S) (.*)$/.exec(line);
    if (!m) continue;
    let name = m[4]!;
    if (dynamic) name = name.replace(/@@?[^@]*$/, '');
    rows.push({ address: m[1]!.trim(), size: m[2] ?? '', letter: m[3]!, name });
  }
  return rows;
}

const cases = [...fixtureBinaries(), ...(hasCorpus ? corpusFiles().map((n) => join(CORPUS, 'bin', n)) : [])];

describe.skipIf(!hasNm)('binlens symbols lists what llvm-nm-19 lists', () => {
  for (const path of cases) {
    it(path.slice(path.indexOf(hasCorpus && path.startsWith(CORPUS) ? 'bin/' : 'fixtures/')), () => {
      let f: ReturnType<typeof openBinary>;
      try {
        f = openBinary(path);
      } catch {
        return; // not a binary binlens reads (a README): nothing to list
      }
      try {
        const universal = f.report.format === 'macho-fat';
        for (const s of f.slices) {
          const { rows, source } = symbolRows(s, null);
          const want = nm(path, source.table === 'dynsym', universal ? s.report.arch : null) ?? [];
          const got = rows.map((r) => symbolLine(r, null, s.report.arch === 'arm').split('\t'));
          expect(got.map((g) => g[4]), `${s.report.arch}: names`).toEqual(want.map((w) => w.name));
          for (let i = 0; i < want.length; i++) {
            const [address, size, kind] = got[i]!;
            const w = want[i]!;
            const undef = w.address === '';
            expect(kind === 'undefined', `${w.name}: undefined`).toBe(undef);
            if (undef) continue;
            expect(BigInt(`0x${address}`), `${w.name}: address`).toBe(BigInt(`0x${w.address}`));
            // llvm-nm prints 0 for every Mach-O size: the format records none, and binlens leaves the column empty.
            if (f.report.format === 'elf') expect(size === '' ? 0n : BigInt(`0x${size}`), `${w.name}: size`).toBe(BigInt(`0x${w.size || '0'}`));
            else expect(size).toBe('');
          }
        }
      } finally {
        f.close();
      }
    });
  }
});
