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
          const got = rows.map((r) => symbolLine(r, null).split('\t'));
          expect(
            got.map((g) => g[4]),
            `${s.report.arch}: names`,
          ).toEqual(want.map((w) => w.name));
          for (let i = 0; i < want.length; i++) {
            const [address, size, kind] = got[i]!;
            const w = want[i]!;
            const undef = w.address === '';
            expect(kind === 'undefined', `${w.name}: undefined`).toBe(undef);
            if (undef) continue;
            expect(BigInt(`0x${address}`), `${w.name}: address`).toBe(BigInt(`0x${w.address}`));
            // llvm-nm prints 0 for every Mach-O size: the format records none, and binlens leaves the column empty.
            if (f.report.format === 'elf')
              expect(size === '' ? 0n : BigInt(`0x${size}`), `${w.name}: size`).toBe(BigInt(`0x${w.size || '0'}`));
            else expect(size).toBe('');
          }
        }
      } finally {
        f.close();
      }
    });
  }
});

describe('binlens symbols, run as a user would', () => {
  const ROOT = join(import.meta.dirname, '..');
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

  it('prints ADDRESS, SIZE, KIND, DEMANGLED and RAW, demangled as llvm-cxxfilt does', () => {
    const r = cli('symbols', join(ROOT, 'fixtures/names/bin/cxx-x86_64-linux.o'));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.every((l) => l.split('\t').length === 5)).toBe(true);
    expect(lines).toContain('\t\tundefined\toperator delete(void*, unsigned long)\t_ZdlPvm');
    expect(
      lines.some((l) =>
        /^[0-9a-f]+\t[0-9a-f]+\tfunc\tint outer::call<with_lambdas\(int\)::'lambda'\(int\)>\(with_lambdas\(int\)::'lambda'\(int\)\)\t_ZN5outer4callIZ12with_lambdasiEUliE_EEiT_$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(lines).toContain('\t\tundefined\tvtable for __cxxabiv1::__class_type_info\t_ZTVN10__cxxabiv117__class_type_infoE');
  });

  it('Mach-O and Rust v0: the C underscore comes off before demangling, RAW keeps it', () => {
    const mac = cli('symbols', join(ROOT, 'fixtures/names/bin/cxx-arm64-macos.o'));
    expect(mac.stdout).toMatch(/\tfunc\touter::\(anonymous namespace\)::hidden\(int\)\t__ZN5outer12_GLOBAL__N_16hiddenEi\n/);
    const v0 = cli('symbols', join(ROOT, 'fixtures/names/bin/rust-v0-x86_64-linux.o'));
    expect(v0.stdout).toMatch(/\tfunc\tnames::use_all::\{closure#0\}\t_RNCNvCs[0-9A-Za-z_]+_5names7use_all0B3_\n/);
  });

  it('a stripped ELF file lists .dynsym, versions kept out of RAW; --arch picks a slice', () => {
    const r = cli('symbols', join(ROOT, 'fixtures/elf/bin/aarch64-glibc-pie-now-stripped'));
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(10);
    const u = cli('symbols', join(ROOT, 'fixtures/macho/bin/lld-universal-macos-exe'), '--arch', 'x86_64');
    expect(u.status).toBe(0);
    expect(u.stdout).not.toContain('# ');
    const bad = cli('symbols', join(ROOT, 'fixtures/macho/bin/lld-universal-macos-exe'), '--arch', 'ppc');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
