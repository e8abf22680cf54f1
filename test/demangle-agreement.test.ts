// Demangled names agree with llvm-cxxfilt-19, name for name: every symbol
// name of every fixture binary and corpus file (the symbol table, .dynsym,
// imports and exports), ELF names as they are and Mach-O names with
// `llvm-cxxfilt -_` (the underscore the C compiler puts in front). For each
// name llvm-cxxfilt-19 changes, binlens's text must be the same; for each it
// leaves alone, binlens must leave it alone too. Names holding whitespace are
// left out: llvm-cxxfilt splits its input into words there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Demangler } from '../src/demangle/demangler.ts';
import { mangledName, type NameFormat } from '../src/demangle/names.ts';
import { ITANIUM_WASM, loadDemangler } from '../src/demangle/node.ts';
import { openBinary } from '../src/cli/binary.ts';
import { CORPUS, corpusFiles, hasCorpus } from './corpus.ts';
import { fixtureBinaries } from './binaries.ts';

const CXXFILT = 'llvm-cxxfilt-19';
const hasCxxfilt = spawnSync(CXXFILT, ['--version']).status === 0;
if (!hasCxxfilt) console.warn(`demangling agreement: skipped, ${CXXFILT} is not installed`);

let demangler: Demangler;
beforeAll(async () => {
  demangler = await loadDemangler();
});

function namesOf(paths: string[]): Record<NameFormat, Set<string>> {
  const out: Record<NameFormat, Set<string>> = { elf: new Set(), macho: new Set() };
  for (const path of paths) {
    let f: ReturnType<typeof openBinary>;
    try {
      f = openBinary(path);
    } catch {
      continue;
    }
    try {
      const set = out[f.report.format === 'elf' ? 'elf' : 'macho'];
      for (const s of f.slices) {
        for (const r of s.symbols()) set.add(r.name);
        for (const r of s.dynamicSymbols?.() ?? []) set.add(r.name);
        for (const i of s.report.imports) set.add(i.name);
      }
    } finally {
      f.close();
    }
  }
  return out;
}

describe('demangling', () => {
  it('shows what is not C++ or Rust as it is', () => {
    for (const n of ['main', '_start', '_ZN', '_Zfoo', '$s4main3fooyyF', '_D3foo3barFZv', ''])
      expect(demangler.demangle(n, 'elf')).toBeNull();
    expect(mangledName('_$s4main3fooyyF', 'macho')?.scheme).toBe('swift');
    expect(demangler.demangle('_$s4main3fooyyF', 'macho')).toBeNull();
    // A Mach-O name loses the C underscore first; an ELF name does not.
    expect(demangler.demangle('__Z3fooi', 'macho')).toBe('foo(int)');
    expect(demangler.demangle('__Z3fooi', 'elf')).toBeNull();
    expect(demangler.demangle('_Z3fooi.cold', 'elf')).toBe('foo(int) (.cold)');
  });

  it('survives hostile names and goes on demangling', () => {
    // Nested past the module's stack: a trap, then a fresh instance.
    const deep = `_Z1f${'P'.repeat(60_000)}v`;
    expect(demangler.demangle(deep, 'elf')).toBeNull();
    expect(demangler.demangle('_Z3fooi', 'elf')).toBe('foo(int)');
    // Each template parameter doubles the text: the 64 MiB memory cap stops it.
    let t = '_Z1fI';
    for (let i = 0; i < 40; i++) t += i === 0 ? 'i' : `S${i === 1 ? '' : (i - 2).toString(36).toUpperCase()}_`;
    const out = demangler.demangle(`${t}EvT_`, 'elf');
    expect(out === null || out.length < 64 << 20).toBe(true);
    expect(demangler.demangle('_ZN3foo3barE', 'elf')).toBe('foo::bar');
  });

  it.skipIf(!existsSync('/usr/include/wasm32-wasi/c++/v1') || spawnSync('clang-19', ['--version']).status !== 0)(
    'itanium.wasm is what src/demangle/itanium/build.sh builds',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'binlens-itanium-'));
      try {
        const r = spawnSync('sh', ['src/demangle/itanium/build.sh', join(dir, 'itanium.wasm')], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(readFileSync(join(dir, 'itanium.wasm')).equals(readFileSync(ITANIUM_WASM))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe.skipIf(!hasCxxfilt)('demangled names equal llvm-cxxfilt-19', () => {
  const paths = [...fixtureBinaries(), ...(hasCorpus ? corpusFiles().map((n) => join(CORPUS, 'bin', n)) : [])];
  const names = namesOf(paths);
  for (const format of ['elf', 'macho'] as const) {
    it(`${format} names`, () => {
      const all = [...names[format]].sort();
      // eslint-disable-next-line no-control-regex -- names with control characters cannot go through llvm-cxxfilt's line-based input
      const compared = all.filter((n) => n !== '' && !/[\s\u0000-\u001f\u007f]/.test(n));
      const r = spawnSync(CXXFILT, format === 'macho' ? ['-_'] : [], {
        input: compared.join('\n') + '\n',
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      });
      expect(r.status).toBe(0);
      const want = r.stdout.split('\n').slice(0, compared.length);
      const differing: string[] = [];
      let demangled = 0;
      for (let i = 0; i < compared.length; i++) {
        const name = compared[i]!;
        const got = demangler.demangle(name, format) ?? name;
        if (want[i] !== name) demangled++;
        if (got !== want[i]) differing.push(`${name}\n  llvm-cxxfilt-19: ${want[i]}\n  binlens:         ${got}`);
      }
      console.log(
        `demangling agreement (${format}): ${compared.length} names compared, ${demangled} demangled by ${CXXFILT}, ${compared.length - differing.length} identical, ${differing.length} differing, ${all.length - compared.length} left out (empty or holding whitespace)`,
      );
      expect(differing).toEqual([]);
      // The fixtures alone hold C++ and Rust names of every scheme, so the check cannot pass vacuously.
      expect(demangled).toBeGreaterThan(format === 'elf' ? 100 : 40);
    });
  }
});
