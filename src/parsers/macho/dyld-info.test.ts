// LC_DYLD_INFO opcode streams on synthetic images: every bind opcode, the
// special ordinals, threaded binds, and streams that ask for runaway loops.

import { describe, expect, it } from 'vitest';
import { Reader } from '../reader.ts';
import { parseMachO, type MachOSlice } from './index.ts';
import { Bytes, dylib, image, lc, segment64 } from '../../../test/macho-writer.ts';

const ARM64 = 0x100000c;

interface Streams {
  rebase?: Uint8Array;
  bind?: Uint8Array;
  weak?: Uint8Array;
  lazy?: Uint8Array;
  exports?: Uint8Array;
}

/** __TEXT at 0x100000000, __DATA at 0x100001000 (file 0x1000), streams in __LINKEDIT from 0x2000. */
function withDyldInfo(st: Streams, data?: Uint8Array): { file: ReturnType<typeof parseMachO>; s: MachOSlice } {
  let at = 0x2000;
  const place = (b?: Uint8Array): [number, number] => {
    if (!b || !b.length) return [0, 0];
    const off = at;
    at += b.length;
    return [off, b.length];
  };
  const parts = [st.rebase, st.bind, st.weak, st.lazy, st.exports];
  const ranges = parts.map(place);
  const info = new Bytes();
  for (const [o, n] of ranges) info.u32(o).u32(n);
  const bytes = image({
    cputype: ARM64,
    flags: 0x85,
    commands: [
      segment64('__TEXT', 0x100000000n, 0x1000, 0, 0x1000, 5, [
        { sectname: '__text', segname: '__TEXT', addr: 0x100000800n, size: 0x100, offset: 0x800, flags: 0x80000400 },
      ]),
      segment64('__DATA', 0x100001000n, 0x1000, 0x1000, 0x1000, 3, [
        { sectname: '__got', segname: '__DATA', addr: 0x100001000n, size: 0x100, offset: 0x1000, flags: 6 },
        { sectname: '__data', segname: '__DATA', addr: 0x100001100n, size: 0xf00, offset: 0x1100 },
      ]),
      segment64('__LINKEDIT', 0x100002000n, 0x1000, 0x2000, 0x1000, 1),
      lc(0x80000022, info),
      dylib(0xc, '/usr/lib/libA.dylib'),
      dylib(0x80000018, '/usr/lib/libB.dylib'),
    ],
    size: 0x3000,
    data: [
      ...(data ? [{ at: 0x1000, bytes: data }] : []),
      ...parts.flatMap((p, i) => (p && p.length ? [{ at: ranges[i]![0], bytes: p }] : [])),
    ],
  });
  const file = parseMachO(Reader.of(bytes));
  return { file, s: file.slices[0] as MachOSlice };
}

const B = (): Bytes => new Bytes();
// Opcodes (loader.h).
const SET_ORD_IMM = 0x10,
  SET_ORD_ULEB = 0x20,
  SET_SPECIAL = 0x30,
  SET_SYM = 0x40,
  SET_TYPE = 0x50,
  SET_ADDEND = 0x60,
  SET_SEG = 0x70;
const ADD_ULEB = 0x80,
  DO_BIND = 0x90,
  DO_ADD_ULEB = 0xa0,
  DO_ADD_IMM = 0xb0,
  DO_TIMES = 0xc0,
  THREADED = 0xd0;

const row = (b: MachOSlice['macho']['binds'][number]): string =>
  `${b.table} ${b.address === null ? 'strong' : '0x' + b.address.toString(16)} ord=${b.ordinal} type=${b.type} addend=${b.addend} ${b.symbol}${b.flags & 1 ? ' weak' : ''}${b.threaded ? ' threaded' : ''}${b.auth ? ' auth' : ''}`;

describe('bind opcodes', () => {
  it('every opcode, special ordinals, addends, repeat-with-skip', () => {
    const bind = B()
      .u8(SET_ORD_IMM | 1)
      .u8(SET_SYM)
      .cstr('_a')
      .u8(SET_TYPE | 1)
      .u8(SET_SEG | 1)
      .uleb(0)
      .u8(DO_BIND)
      .u8(SET_ORD_ULEB)
      .uleb(2)
      .u8(SET_SYM | 1)
      .cstr('_weakly')
      .u8(DO_ADD_ULEB)
      .uleb(8) // binds at 0x08, then skips 8
      .u8(SET_SPECIAL | 0x0)
      .u8(SET_SYM)
      .cstr('_self')
      .u8(DO_ADD_IMM | 1) // at 0x18, then +8*1
      .u8(SET_SPECIAL | 0xf)
      .u8(SET_SYM)
      .cstr('_main')
      .u8(ADD_ULEB)
      .uleb(8)
      .u8(DO_BIND) // 0x30
      .u8(SET_SPECIAL | 0xe)
      .u8(SET_SYM)
      .cstr('_flat')
      .u8(SET_ADDEND)
      .sleb(-16)
      .u8(DO_TIMES)
      .uleb(3)
      .uleb(8) // 0x38, 0x48, 0x58
      .u8(SET_SPECIAL | 0xd)
      .u8(SET_ADDEND)
      .sleb(0)
      .u8(SET_SYM)
      .cstr('_wk')
      .u8(SET_TYPE | 3)
      .u8(DO_BIND) // 0x68
      .u8(0x00).out;
    const { file, s } = withDyldInfo({ bind });
    expect(file.errors).toEqual([]);
    expect(s.macho.binds.map(row)).toEqual([
      'bind 0x100001000 ord=1 type=1 addend=0 _a',
      'bind 0x100001008 ord=2 type=1 addend=0 _weakly weak',
      'bind 0x100001018 ord=0 type=1 addend=0 _self',
      'bind 0x100001030 ord=-1 type=1 addend=0 _main',
      'bind 0x100001038 ord=-2 type=1 addend=-16 _flat',
      'bind 0x100001048 ord=-2 type=1 addend=-16 _flat',
      'bind 0x100001058 ord=-2 type=1 addend=-16 _flat',
      'bind 0x100001068 ord=-3 type=3 addend=0 _wk',
    ]);
    expect(s.report.imports).toEqual([
      { name: '_a', library: '/usr/lib/libA.dylib', weak: false, ordinal: 1 },
      { name: '_weakly', library: '/usr/lib/libB.dylib', weak: true, ordinal: 2 },
      { name: '_self', library: null, weak: false, ordinal: 0 },
      { name: '_main', library: null, weak: false, ordinal: -1 },
      { name: '_flat', library: null, weak: false, ordinal: -2 },
      { name: '_wk', library: null, weak: false, ordinal: -3 },
    ]);
    expect(s.report.fixups).toMatchObject({ source: 'LC_DYLD_INFO_ONLY', binds: 8, lazyBinds: 0, weakBinds: 0 });
  });

  it('lazy streams keep going past BIND_OPCODE_DONE; weak streams list strong definitions', () => {
    const lazy = B()
      .u8(SET_SEG | 1)
      .uleb(0)
      .u8(SET_ORD_IMM | 1)
      .u8(SET_SYM)
      .cstr('_l1')
      .u8(DO_BIND)
      .u8(0)
      .u8(SET_SEG | 1)
      .uleb(8)
      .u8(SET_ORD_IMM | 2)
      .u8(SET_SYM)
      .cstr('_l2')
      .u8(DO_BIND)
      .u8(0).out;
    const weak = B()
      .u8(SET_SYM | 0x8)
      .cstr('_strong')
      .u8(SET_SYM)
      .cstr('_coalesced')
      .u8(SET_TYPE | 1)
      .u8(SET_SEG | 1)
      .uleb(0x10)
      .u8(DO_BIND)
      .u8(0).out;
    const { file, s } = withDyldInfo({ lazy, weak });
    expect(file.errors).toEqual([]);
    expect(s.macho.binds.map(row)).toEqual([
      'lazy 0x100001000 ord=1 type=1 addend=0 _l1',
      'lazy 0x100001008 ord=2 type=1 addend=0 _l2',
      'weak strong ord=0 type=1 addend=0 _strong',
      'weak 0x100001010 ord=0 type=1 addend=0 _coalesced',
    ]);
    expect(s.report.fixups).toMatchObject({ binds: 0, lazyBinds: 2, weakBinds: 1 });
    expect(s.report.imports.map((i) => i.name)).toEqual(['_l1', '_l2']);
  });

  it('a repeat count of 2^60 is an error, not a hang', () => {
    const bind = B()
      .u8(SET_ORD_IMM | 1)
      .u8(SET_SYM)
      .cstr('_x')
      .u8(SET_SEG | 1)
      .uleb(0)
      .u8(DO_BIND)
      .u8(DO_TIMES)
      .uleb(1n << 60n)
      .uleb(0)
      .u8(0).out;
    const t0 = performance.now();
    const { file, s } = withDyldInfo({ bind });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(s.macho.binds).toHaveLength(1);
    expect(file.errors.map((e) => e.field)).toEqual(['bind']);
    expect(file.errors[0]!.message).toMatch(/^bind: offset 0x[0-9a-f]+ lies outside segment __DATA \(vmsize 0x1000\)$/);
  });

  it('a bind outside its segment, an unknown segment, an unknown opcode', () => {
    const out = withDyldInfo({
      bind: B()
        .u8(SET_SYM)
        .cstr('_x')
        .u8(SET_SEG | 1)
        .uleb(0x1000)
        .u8(DO_BIND).out,
    });
    expect(out.file.errors[0]!.message).toBe('bind: offset 0x1000 lies outside segment __DATA (vmsize 0x1000)');
    const seg = withDyldInfo({
      bind: B()
        .u8(SET_SEG | 9)
        .uleb(0).out,
    });
    expect(seg.file.errors[0]!.message).toBe('bind: segment index 9 out of range (3 segments)');
    const op = withDyldInfo({
      bind: B()
        .u8(SET_SYM)
        .cstr('_x')
        .u8(SET_SEG | 1)
        .uleb(0)
        .u8(DO_BIND)
        .u8(0xe0).out,
    });
    expect(op.s.macho.binds).toHaveLength(1);
    expect(op.file.errors.map((e) => [e.message, e.offset])).toEqual([['bind: unknown bind opcode 0xe0 at 0x7', '0x2007']]);
  });

  it('a stream that lies outside the file', () => {
    const bytes = withDyldInfo({ bind: B().u8(0).out });
    expect(bytes.file.errors).toEqual([]);
    // Point the bind stream past the end by hand.
    const raw = image({ cputype: ARM64, commands: [lc(0x80000022, new Bytes().u32(0).u32(0).u32(0x9000).u32(16).zeros(24))], size: 0x100 });
    const file = parseMachO(Reader.of(raw));
    expect(file.errors.map((e) => e.field)).toEqual(['LC_DYLD_INFO_ONLY.bind_off']);
  });
});

describe('BIND_OPCODE_THREADED (arm64e before chained fixups)', () => {
  it('fills the ordinal table, then walks the chain: binds, auth flag, rebases', () => {
    const bind = B()
      .u8(THREADED | 0)
      .uleb(2)
      .u8(SET_ORD_IMM | 1)
      .u8(SET_SYM)
      .cstr('_t0')
      .u8(DO_BIND)
      .u8(SET_ORD_IMM | 2)
      .u8(SET_SYM | 1)
      .cstr('_t1')
      .u8(DO_BIND)
      .u8(SET_SEG | 1)
      .uleb(0x20)
      .u8(THREADED | 1)
      .u8(0).out;
    // At __DATA+0x20: bind #0 signed, next 1 (8 bytes); rebase, next 2; bind #1, next 0.
    const chain = new Bytes()
      .zeros(0x20)
      .u64((1n << 63n) | (1n << 62n) | (1n << 51n) | 0n)
      .u64((2n << 51n) | 0x1234n)
      .zeros(8)
      .u64((1n << 62n) | 1n).out;
    const { file, s } = withDyldInfo({ bind }, chain);
    expect(file.errors).toEqual([]);
    expect(s.macho.binds.map(row)).toEqual([
      'bind 0x100001020 ord=1 type=1 addend=0 _t0 threaded auth',
      'bind 0x100001038 ord=2 type=1 addend=0 _t1 weak threaded',
    ]);
    expect(s.report.fixups).toMatchObject({ rebases: 1, binds: 2, authBinds: 1 });
  });

  it('a chain that leaves the segment, an index past the table', () => {
    const bind = B()
      .u8(THREADED | 0)
      .uleb(1)
      .u8(SET_SYM)
      .cstr('_t')
      .u8(DO_BIND)
      .u8(SET_SEG | 1)
      .uleb(0xff8)
      .u8(THREADED | 1)
      .u8(0).out;
    const off = new Bytes().zeros(0xff8).u64(1n << 51n).out; // a rebase whose next points past __DATA
    const a = withDyldInfo({ bind }, off);
    expect(a.file.errors[0]!.message).toBe('bind: threaded chain reaches 0x1000, outside the file data of __DATA');
    const bad = new Bytes().zeros(0xff8).u64((1n << 62n) | 5n).out;
    const b = withDyldInfo({ bind }, bad);
    expect(b.file.errors[0]!.message).toBe('bind: threaded bind uses ordinal-table entry 5 of 1');
  });
});

describe('rebase opcodes', () => {
  it('counts every form and bounds the repeats', () => {
    const rebase = B()
      .u8(0x11)
      .u8(0x20 | 1)
      .uleb(0) // type pointer, segment 1 offset 0
      .u8(0x50 | 3) // 3 rebases
      .u8(0x60)
      .uleb(2) // 2 more
      .u8(0x70)
      .uleb(8) // one, then skip 8
      .u8(0x80)
      .uleb(2)
      .uleb(16) // two, 16 apart
      .u8(0x40 | 1)
      .u8(0x30)
      .uleb(8)
      .u8(0x50 | 1)
      .u8(0).out;
    const { file, s } = withDyldInfo({ rebase });
    expect(file.errors).toEqual([]);
    expect(s.macho.rebases).toBe(9);
    const huge = withDyldInfo({
      rebase: B()
        .u8(0x20 | 1)
        .uleb(0)
        .u8(0x60)
        .uleb(1n << 62n)
        .u8(0).out,
    });
    expect(huge.s.macho.rebases).toBe(0);
    expect(huge.file.errors[0]!.field).toBe('rebase');
  });
});
