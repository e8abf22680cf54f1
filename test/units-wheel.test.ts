// auditwheel's per-symbol blacklist (src/units/blacklist.ts) on wheels written here around two extension modules of
// fixtures/units (build.sh): one calling glibc's __cxa_thread_atexit_impl (GLIBC_2.18, which manylinux2014 allows on
// aarch64 while blacklisting the symbol), one calling zlib's internal _tr_flush_block (blacklisted at every level).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/parsers/reader.ts';
import type { BinarySlice } from '../src/units/member.ts';
import { unitFromSource } from '../src/units/unit.ts';
import { platformTag, requiredLevel, tagProblem } from '../src/units/wheel.ts';
import type { UnitReport } from '../src/units/types.ts';
import { zip } from './tar-writer.ts';

const lib = (n: string) => new Uint8Array(readFileSync(resolve(import.meta.dirname, '..', 'fixtures', 'units', 'lib', n)));

function wheel(module: string, so: string, tags: string[]): Promise<UnitReport> {
  const info = 'pkg-1.0.dist-info';
  const file = `pkg-1.0-cp311-cp311-${tags.join('.')}.whl`;
  const bytes = zip([
    ['pkg/__init__.py', ''],
    [`pkg/${module}`, lib(so)],
    [`${info}/WHEEL`, `Wheel-Version: 1.0\nRoot-Is-Purelib: false\n${tags.map((t) => `Tag: cp311-cp311-${t}\n`).join('')}`],
  ]);
  return unitFromSource(new MemorySource(bytes), file);
}

describe("auditwheel's per-symbol blacklist", () => {
  const TLS = '_tls.cpython-311-aarch64-linux-gnu.so';
  const Z = '_z.cpython-311-aarch64-linux-gnu.so';

  it('manylinux2014_aarch64 with __cxa_thread_atexit_impl@GLIBC_2.18: the version is allowed, the symbol is not', async () => {
    const u = await wheel(TLS, 'aarch64-ext-tls-atexit.so', ['manylinux2014_aarch64']);
    expect(u.targets.map((t) => [t.target, t.verdict])).toEqual([['linux-arm64-glibc', 'no']]);
    expect(u.targets[0]!.failures).toEqual([
      {
        entry: `/pkg/${TLS}`,
        member: `/pkg/${TLS}`,
        step: 'symbol',
        error: `ImportError: /pkg/${TLS}: undefined symbol: __cxa_thread_atexit_impl`,
        reason:
          'It needs __cxa_thread_atexit_impl from libc.so.6, which auditwheel\'s manylinux_2_17 policy blacklists (not every system of manylinux2014_aarch64 has it): auditwheel repair refuses it ("depends on black-listed symbols"); build against an older glibc or vendor the library.',
      },
    ]);
    // The lowest level it meets: manylinux_2_24, the first whose policy no longer blacklists glibc's symbols.
    expect(u.wheel!.extensions).toEqual([{ path: `/pkg/${TLS}`, manylinux: 'manylinux_2_24' }]);
    const ok = await wheel(TLS, 'aarch64-ext-tls-atexit.so', ['manylinux_2_24_aarch64']);
    expect(ok.targets.map((t) => [t.target, t.verdict])).toEqual([['linux-arm64-glibc', 'runs']]);
  });

  it("zlib's internal _tr_flush_block: refused by every manylinux and musllinux policy, in the loader's words", async () => {
    const u = await wheel(Z, 'aarch64-ext-zlib-internal.so', ['manylinux_2_28_aarch64']);
    expect(u.targets[0]!.failures.map((f) => [f.step, f.error])).toEqual([
      ['symbol', `ImportError: /pkg/${Z}: undefined symbol: _tr_flush_block`],
    ]);
    expect(u.wheel!.extensions[0]!.manylinux).toBeNull();
    const musl = await wheel(Z, 'aarch64-ext-zlib-internal.so', ['musllinux_1_2_aarch64']);
    expect(musl.targets.map((t) => [t.target, t.verdict])).toEqual([['linux-arm64-musl', 'no']]);
    expect(musl.targets[0]!.failures.map((f) => [f.step, f.error])).toEqual([
      ['symbol', `ImportError: Error relocating /pkg/${Z}: _tr_flush_block: symbol not found`],
    ]);
  });
});

describe('manylinux_2_37', () => {
  // A module needing zlib's crc32_combine_gen, which auditwheel's policies blacklist up to manylinux_2_36 only.
  const slice = {
    arch: 'x86_64',
    archName: 'x86_64',
    needed: ['libz.so.1', 'libc.so.6'],
    versionNeeds: { 'libc.so.6': ['GLIBC_2.36'] },
    blacklistImports: ['crc32_combine_gen'],
    minOS: null,
  } as unknown as BinarySlice;
  const problem = (tag: string) => tagProblem(platformTag(tag)[0]!, slice, '/pkg/m.so', () => false);

  it('is a level of its own: GLIBC up to 2.36 (glibc 2.37 added no version), zlib blacklist without crc32_combine_*', () => {
    expect(problem('manylinux_2_37_x86_64')).toBeNull();
    expect(problem('manylinux_2_36_x86_64')).toMatchObject({
      step: 'symbol',
      error: 'ImportError: /pkg/m.so: undefined symbol: crc32_combine_gen',
    });
    expect(requiredLevel(slice)).toBe('manylinux_2_37');
  });
});

describe("auditwheel's symbol-version families beyond glibc's and GCC's", () => {
  const ZV = '_zv.cpython-311-aarch64-linux-gnu.so';

  it("inflateValidate@ZLIB_1.2.9: outside manylinux_2_24's ZLIB list (up to 1.2.5.2), inside manylinux_2_27's", async () => {
    const u = await wheel(ZV, 'aarch64-ext-zlib-1.2.9.so', ['manylinux_2_24_aarch64']);
    expect(u.targets.map((t) => [t.target, t.verdict])).toEqual([['linux-arm64-glibc', 'no']]);
    expect(u.targets[0]!.failures).toEqual([
      {
        entry: `/pkg/${ZV}`,
        member: `/pkg/${ZV}`,
        step: 'version',
        error: `ImportError: /lib64/libz.so.1: version \`ZLIB_1.2.9' not found (required by /pkg/${ZV})`,
        reason:
          "It needs ZLIB_1.2.9, newer than manylinux_2_24_aarch64 allows (auditwheel's manylinux_2_24 policy: ZLIB up to 1.2.5.2); it needs manylinux_2_27.",
      },
    ]);
    expect(u.wheel!.extensions).toEqual([{ path: `/pkg/${ZV}`, manylinux: 'manylinux_2_27' }]);
    const ok = await wheel(ZV, 'aarch64-ext-zlib-1.2.9.so', ['manylinux_2_27_aarch64']);
    expect(ok.targets.map((t) => [t.target, t.verdict])).toEqual([['linux-arm64-glibc', 'runs']]);
  });

  it('a level whose policy lists no version of a family refuses every version of it (LIBATOMIC on x86_64 before manylinux_2_24)', () => {
    const slice = (arch: 'x86_64' | 'arm64', v: string) =>
      ({ arch, needed: ['libatomic.so.1'], versionNeeds: { 'libatomic.so.1': [v] }, blacklistImports: [] }) as unknown as BinarySlice;
    expect(requiredLevel(slice('x86_64', 'LIBATOMIC_1.0'))).toBe('manylinux_2_24');
    expect(requiredLevel(slice('arm64', 'LIBATOMIC_1.0'))).toBe('manylinux_2_17');
    expect(requiredLevel(slice('arm64', 'LIBATOMIC_1.2'))).toBe('manylinux_2_24');
    const tag = platformTag('manylinux2014_x86_64')[0]!;
    expect(tagProblem(tag, slice('x86_64', 'LIBATOMIC_1.0'), '/pkg/_a.so', () => false)).toMatchObject({
      step: 'version',
      error: "ImportError: /lib64/libatomic.so.1: version `LIBATOMIC_1.0' not found (required by /pkg/_a.so)",
    });
    expect(tagProblem(tag, slice('x86_64', 'LIBATOMIC_1.0'), '/pkg/_a.so', () => false)!.reason).toContain('no LIBATOMIC version');
  });
});
