// LC_DYLD_CHAINED_FIXUPS on synthetic images: the three import formats,
// pointer formats with auth rebases and binds, 32-bit multi-starts, and
// chains that run away.

import { describe, expect, it } from 'vitest';
import { Reader } from '../reader.ts';
import { parseMachO, type MachOSlice } from './index.ts';
import { Bytes, dylib, image, linkedit, segment64 } from '../../../test/macho-writer.ts';

const ARM64 = 0x100000c;

interface Spec {
  pointerFormat: number;
  importsFormat?: number;
  imports?: Uint8Array;
  importsCount?: number;
  symbols?: Uint8Array;
  symbolsFormat?: number;
  pageStarts?: number[];
  chainStarts?: number[];
  pageSize?: number;
  segCount?: number;
  /** __DATA contents (file 0x1000..0x2000). */
  data: Uint8Array;
}

/** __TEXT, __DATA (vmaddr 0x100001000, file 0x1000, 0x1000 bytes), __LINKEDIT with the payload at 0x2000. */
function chained(spec: Spec): { file: ReturnType<typeof parseMachO>; s: MachOSlice } {
  const pageStarts = spec.pageStarts ?? [0];
  const chainStarts = spec.chainStarts ?? [];
  const segCount = spec.segCount ?? 3;
  const startsInSeg = new Bytes()
    .u32(22 + 2 * pageStarts.length + 2 * chainStarts.length)
    .u16(spec.pageSize ?? 0x1000)
    .u16(spec.pointerFormat)
    .u64(0x1000)
    .u32(0)
    .u16(pageStarts.length);
  for (const p of pageStarts) startsInSeg.u16(p);
  for (const c of chainStarts) startsInSeg.u16(c);
  const inImage = new Bytes().u32(segCount);
  for (let i = 0; i < segCount; i++) inImage.u32(i === 1 ? 4 + 4 * segCount : 0);
  inImage.bytes(startsInSeg.out).pad(8);
  const imports = spec.imports ?? new Uint8Array();
  const symbols = spec.symbols ?? new Uint8Array([0]);
  const startsOffset = 32;
  const importsOffset = startsOffset + inImage.length;
  const symbolsOffset = importsOffset + imports.length;
  const payload = new Bytes()
    .u32(0)
    .u32(startsOffset)
    .u32(importsOffset)
    .u32(symbolsOffset)
    .u32(
      spec.importsCount ??
        (spec.importsFormat === 3 ? imports.length / 16 : spec.importsFormat === 2 ? imports.length / 8 : imports.length / 4),
    )
    .u32(spec.importsFormat ?? 1)
    .u32(spec.symbolsFormat ?? 0)
    .u32(0)
    .bytes(inImage.out)
    .bytes(imports)
    .bytes(symbols).out;
  const bytes = image({
    cputype: ARM64,
    cpusubtype: 2,
    flags: 0x85,
    commands: [
      segment64('__TEXT', 0x100000000n, 0x1000, 0, 0x1000, 5),
      segment64('__DATA', 0x100001000n, 0x1000, 0x1000, 0x1000, 3),
      segment64('__LINKEDIT', 0x100002000n, 0x1000, 0x2000, 0x1000, 1),
      linkedit(0x80000034, 0x2000, payload.length),
      dylib(0xc, '/usr/lib/libA.dylib'),
      dylib(0xc, '/usr/lib/libB.dylib'),
    ],
    size: 0x3000,
    data: [
      { at: 0x1000, bytes: spec.data },
      { at: 0x2000, bytes: payload },
    ],
  });
  const file = parseMachO(Reader.of(bytes));
  return { file, s: file.slices[0] as MachOSlice };
}

const u64s = (...v: bigint[]): Uint8Array => {
  const b = new Bytes();
  for (const x of v) b.u64(x);
  return b.out;
};

describe('pointer formats', () => {
  it('DYLD_CHAINED_PTR_ARM64E: rebase, bind, auth rebase, auth bind (stride 8)', () => {
    const AUTH = 1n << 63n;
    const BIND = 1n << 62n;
    const next = (n: bigint): bigint => n << 51n;
    const { file, s } = chained({
      pointerFormat: 1,
      imports: new Bytes().u32(1 | (0 << 9)).u32(2 | (1 << 8) | (3 << 9)).out,
      symbols: new Bytes().u8(0).cstr('_a').cstr('_b').out.subarray(1),
      data: u64s(AUTH | next(1n) | 0x10n, BIND | next(1n) | 0n, AUTH | BIND | next(2n) | 1n, 0n, next(0n) | 0x20n),
    });
    expect(file.errors).toEqual([]);
    expect(s.report.fixups).toEqual({
      source: 'LC_DYLD_CHAINED_FIXUPS',
      rebases: 1,
      binds: 1,
      lazyBinds: 0,
      weakBinds: 0,
      authRebases: 1,
      authBinds: 1,
      imports: 2,
      pointerFormats: ['DYLD_CHAINED_PTR_ARM64E'],
    });
    expect(s.report.imports).toEqual([
      { name: '_a', library: '/usr/lib/libA.dylib', weak: false, ordinal: 1 },
      { name: '_b', library: '/usr/lib/libB.dylib', weak: true, ordinal: 2 },
    ]);
  });

  it('DYLD_CHAINED_PTR_ARM64E_USERLAND24 reads 24-bit bind ordinals', () => {
    const { file, s } = chained({
      pointerFormat: 12,
      imports: new Bytes().u32(1).out,
      symbols: new Bytes().cstr('_a').out,
      data: u64s((1n << 62n) | 0x000000n),
    });
    expect(file.errors).toEqual([]);
    expect(s.report.fixups).toMatchObject({ binds: 1, pointerFormats: ['DYLD_CHAINED_PTR_ARM64E_USERLAND24'] });
    const bad = chained({
      pointerFormat: 12,
      imports: new Bytes().u32(1).out,
      symbols: new Bytes().cstr('_a').out,
      data: u64s((1n << 62n) | 0x10000n),
    });
    expect(bad.file.errors.map((e) => e.message)).toEqual(['1 chained binds use an import ordinal past imports_count 1']);
  });

  it('DYLD_CHAINED_PTR_32 with several chain starts on one page (DYLD_CHAINED_PTR_START_MULTI)', () => {
    const d = new Bytes()
      .u32(0x100)
      .zeros(4)
      .u32((1 << 31) | 0)
      .zeros(4)
      .u32(0x200).out; // 0x0 rebase, 0x8 bind, 0x10 rebase
    const { file, s } = chained({
      pointerFormat: 3,
      imports: new Bytes().u32(1).out,
      symbols: new Bytes().cstr('_a').out,
      pageStarts: [0x8000 | 0],
      chainStarts: [0, 8, 0x8000 | 16],
      data: d,
    });
    expect(file.errors).toEqual([]);
    expect(s.report.fixups).toMatchObject({ rebases: 2, binds: 1, pointerFormats: ['DYLD_CHAINED_PTR_32'] });
    const open = chained({ pointerFormat: 3, pageStarts: [0x8000], chainStarts: [0, 8], data: d });
    expect(open.file.errors.map((e) => e.message)).toEqual(['chain_starts for page 0 run past dyld_chained_starts_in_segment.size']);
  });

  it('every pointer format decodes a one-entry chain', () => {
    const names: string[] = [];
    for (let format = 1; format <= 14; format++) {
      const is32 = format >= 3 && format <= 5;
      const data = is32 ? new Bytes().u32(0x10).out : u64s(0x10n);
      const { file, s } = chained({ pointerFormat: format, data });
      expect(file.errors, `format ${format}`).toEqual([]);
      expect(s.report.fixups!.rebases + s.report.fixups!.authRebases, `format ${format}`).toBe(1);
      names.push(s.report.fixups!.pointerFormats[0]!);
    }
    expect(names).toEqual([
      'DYLD_CHAINED_PTR_ARM64E',
      'DYLD_CHAINED_PTR_64',
      'DYLD_CHAINED_PTR_32',
      'DYLD_CHAINED_PTR_32_CACHE',
      'DYLD_CHAINED_PTR_32_FIRMWARE',
      'DYLD_CHAINED_PTR_64_OFFSET',
      'DYLD_CHAINED_PTR_ARM64E_KERNEL',
      'DYLD_CHAINED_PTR_64_KERNEL_CACHE',
      'DYLD_CHAINED_PTR_ARM64E_USERLAND',
      'DYLD_CHAINED_PTR_ARM64E_FIRMWARE',
      'DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE',
      'DYLD_CHAINED_PTR_ARM64E_USERLAND24',
      'DYLD_CHAINED_PTR_ARM64E_SHARED_CACHE',
      'DYLD_CHAINED_PTR_ARM64E_SEGMENTED',
    ]);
    const unknown = chained({ pointerFormat: 99, data: u64s(0n) });
    expect(unknown.file.errors.map((e) => e.field)).toEqual(['dyld_chained_starts_in_segment.pointer_format']);
  });
});

describe('imports tables', () => {
  it('DYLD_CHAINED_IMPORT_ADDEND64: 16-bit ordinals (specials 0xFFF0..0xFFFF negative), 64-bit addends', () => {
    const imports = new Bytes()
      .u64(2n | (0n << 16n) | (0n << 32n))
      .u64(-8n)
      .u64(0xfffen | (1n << 16n) | (3n << 32n))
      .u64(0x10n)
      .u64(0x0102n | (6n << 32n))
      .u64(0n).out;
    const { file, s } = chained({
      pointerFormat: 2,
      importsFormat: 3,
      imports,
      symbols: new Bytes().cstr('_x').cstr('_y').cstr('_z').out,
      data: u64s(0n),
    });
    const cf = s.macho.chained!;
    expect(cf.imports).toEqual([
      { lib_ordinal: 2, weak_import: false, name_offset: 0, name: '_x', addend: BigInt.asUintN(64, -8n) },
      { lib_ordinal: -2, weak_import: true, name_offset: 3, name: '_y', addend: 0x10n },
      { lib_ordinal: 258, weak_import: false, name_offset: 6, name: '_z', addend: 0n },
    ]);
    expect(s.report.imports[1]).toEqual({ name: '_y', library: null, weak: true, ordinal: -2 });
    // Ordinal 258 names a library the image does not load.
    expect(file.errors.map((e) => e.message)).toEqual(['1 imports name a library ordinal past the 2 dylib load commands']);
  });

  it('DYLD_CHAINED_IMPORT_ADDEND: 8-bit ordinals, 0xFF is the main executable', () => {
    const imports = new Bytes()
      .u32(0xff)
      .u32(-4 >>> 0)
      .u32(0xfd | (1 << 8) | (3 << 9))
      .u32(0).out;
    const { file, s } = chained({
      pointerFormat: 2,
      importsFormat: 2,
      imports,
      symbols: new Bytes().cstr('_m').cstr('_w').out,
      data: u64s(0n),
    });
    expect(file.errors).toEqual([]);
    expect(s.macho.chained!.imports.map((i) => [i.lib_ordinal, i.weak_import, i.name, i.addend])).toEqual([
      [-1, false, '_m', -4n],
      [-3, true, '_w', 0n],
    ]);
  });

  it('zlib-compressed symbol names: a warning, names unknown, the rest read', () => {
    const { file, s } = chained({
      pointerFormat: 2,
      imports: new Bytes().u32(1).out,
      symbolsFormat: 1,
      symbols: new Uint8Array([0x78, 0x9c, 1, 2, 3]),
      data: u64s(0n),
    });
    expect(file.errors).toEqual([]);
    expect(file.warnings).toEqual([
      'LC_DYLD_CHAINED_FIXUPS: symbol names are zlib-compressed (symbols_format 1); import names are not shown',
    ]);
    expect(s.macho.chained!.imports[0]!.name).toBeNull();
    expect(s.report.imports).toEqual([{ name: '<import 0>', library: '/usr/lib/libA.dylib', weak: false, ordinal: 1 }]);
    expect(s.report.fixups!.rebases).toBe(1);
  });

  it('an imports_count that does not fit', () => {
    const { file, s } = chained({ pointerFormat: 2, imports: new Bytes().u32(1).out, importsCount: 0x10000000, data: u64s(0n) });
    expect(file.errors.map((e) => e.field)).toEqual(['dyld_chained_import']);
    expect(s.report.fixups!.rebases).toBe(1); // the chains are still walked
  });
});

describe('runaway chains', () => {
  it('a chain whose next leaves its page stops with an error', () => {
    // next = 0x7ff * 8 bytes: far past the 0x1000-byte page.
    const { file, s } = chained({ pointerFormat: 1, data: u64s(0x7ffn << 51n) });
    expect(file.errors.map((e) => [e.field, e.message])).toEqual([
      [
        'chained_fixup.next',
        'chained fixup at segment __DATA page 0 offset 0x3ff8 runs past the page (the chain does not end inside its page)',
      ],
    ]);
    expect(s.report.fixups!.rebases).toBe(1);
  });

  it('a chain running through a whole page ends at the page, not later', () => {
    const page = new Bytes();
    for (let i = 0; i < 512; i++) page.u64(1n << 51n); // every entry says: next is 8 bytes on
    const t0 = performance.now();
    const { file, s } = chained({ pointerFormat: 1, data: page.out });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(s.report.fixups!.rebases).toBe(512);
    expect(file.errors.map((e) => e.field)).toEqual(['chained_fixup.next']);
  });

  it('page starts past the segment data, and more segments than the image has', () => {
    const past = chained({ pointerFormat: 2, pageStarts: [0, 0], data: u64s(0n) });
    expect(past.file.errors.map((e) => e.message)).toEqual([
      "chained fixup at segment __DATA page 1 offset 0x0 lies past the segment's file data (0x1000)",
    ]);
    const many = chained({ pointerFormat: 2, segCount: 9, data: u64s(0n) });
    expect(many.file.errors.map((e) => e.field)).toEqual(['dyld_chained_starts_in_image.seg_count']);
  });
});
