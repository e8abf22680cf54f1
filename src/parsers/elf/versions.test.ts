import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze } from '../analyze.ts';
import { MemorySource } from '../reader.ts';

const fixture = (rel: string) => {
  const b = readFileSync(new URL(`../../../${rel}`, import.meta.url));
  return analyze(new MemorySource(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)), rel, { skipHash: true }).slices[0]!;
};

describe('GNU symbol versions name the providing library by index, not by version name', () => {
  // gcc-aarch64-linux-hello needs GLIBC_2.17 from both libc.so.6 (strlen) and
  // libm.so.6 (sqrt): the name GLIBC_2.17 alone cannot say which.
  const slice = fixture('e2e/fixtures/gcc-aarch64-linux-hello');

  it('in .symtab rows', () => {
    const lib = (n: string) => slice.symbols().find((r) => r.name === n && !r.defined)?.library;
    expect(lib('strlen')).toBe('libc.so.6');
    expect(lib('sqrt')).toBe('libm.so.6');
  });

  it('in imports and .dynsym rows', () => {
    expect(slice.report.imports.find((i) => i.name === 'sqrt')).toMatchObject({ library: 'libm.so.6', version: 'GLIBC_2.17' });
    expect(slice.report.imports.find((i) => i.name === 'strlen')).toMatchObject({ library: 'libc.so.6', version: 'GLIBC_2.17' });
    const dyn = slice.dynamicSymbols?.() ?? [];
    expect(dyn.find((r) => r.name === 'sqrt')).toMatchObject({ library: 'libm.so.6', defined: false });
  });
});

describe('.dynsym rows for stripped files', () => {
  it('list what llvm-nm -D lists (no section symbols), while symbols() stays empty like llvm-nm', () => {
    const slice = fixture('fixtures/elf/bin/aarch64-glibc-pie-now-stripped');
    expect(slice.symbols()).toEqual([]);
    const dyn = slice.dynamicSymbols?.() ?? [];
    expect(dyn.length).toBeGreaterThan(0);
    expect(dyn.every((r) => r.name !== '' && r.type !== 'section')).toBe(true);
    expect(dyn.some((r) => !r.defined && r.library === 'libc.so.6')).toBe(true);
  });
});
