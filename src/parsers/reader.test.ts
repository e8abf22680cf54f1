import { describe, expect, it } from 'vitest';
import { ChunkedSource, FormatError, MemorySource, Reader, type ByteSource } from './reader.ts';

const bytes = (...b: number[]) => new Uint8Array(b);

/** A source that counts reads and refuses ranges past its end, like a Blob would return short. */
class CountingSource implements ByteSource {
  reads = 0;
  constructor(private readonly data: Uint8Array) {}
  get size() {
    return this.data.byteLength;
  }
  read(offset: number, length: number) {
    this.reads++;
    if (offset < 0 || offset + length > this.data.byteLength) throw new Error('read past end');
    return this.data.slice(offset, offset + length);
  }
}

describe('Reader', () => {
  it('decodes integers in both byte orders', () => {
    const b = bytes(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);
    const le = Reader.of(b, true);
    const be = Reader.of(b, false);
    expect(le.u16(0)).toBe(0x0201);
    expect(be.u16(0)).toBe(0x0102);
    expect(le.u32(0)).toBe(0x04030201);
    expect(be.u32(0)).toBe(0x01020304);
    expect(le.u64(0)).toBe(0x0807060504030201n);
    expect(be.u64(0)).toBe(0x0102030405060708n);
    expect(be.word(0, false)).toBe(0x01020304);
    expect(Reader.of(bytes(0, 0, 0, 1, 2, 3, 4, 5), false).word(0, true)).toBe(0x0102030405);
  });

  it('throws FormatError with the absolute offset when a read runs past the window', () => {
    const r = Reader.of(new Uint8Array(16)).sub(8, 8);
    expect(r.u32(4)).toBe(0);
    try {
      r.u32(6, 'e_shoff');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      const f = e as FormatError;
      expect(f.offset).toBe(14);
      expect(f.field).toBe('e_shoff');
    }
    expect(() => r.u8(-1)).toThrow(FormatError);
    expect(() => r.bytes(0, 9)).toThrow(FormatError);
    expect(() => Reader.of(new Uint8Array(4)).sub(2, 4)).toThrow(FormatError);
  });

  it('refuses 64-bit sizes that do not fit a JS number', () => {
    const r = Reader.of(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f));
    expect(() => r.u64n(0, 'size')).toThrow(/too large/);
  });

  it('checks a table of count x size before anyone loops over it', () => {
    const r = Reader.of(new Uint8Array(64));
    expect(() => r.checkTable(0, 4, 16, 'table')).not.toThrow();
    expect(() => r.checkTable(0, 5, 16, 'table')).toThrow(FormatError);
    expect(() => r.checkTable(0, 0xffffffff, 0xffffffff, 'table')).toThrow(FormatError);
    expect(() => r.checkTable(0, -1, 16, 'table')).toThrow(FormatError);
  });

  it('reads ULEB128 and SLEB128 as in DWARF section 7.6', () => {
    const r = Reader.of(bytes(0xe5, 0x8e, 0x26, 0x7f, 0x80, 0x7f, 0x02));
    expect(r.uleb(0)).toEqual({ value: 624485n, next: 3 });
    expect(r.sleb(3)).toEqual({ value: -1n, next: 4 });
    expect(r.sleb(4)).toEqual({ value: -128n, next: 6 });
    expect(r.ulebn(6)).toEqual({ value: 2, next: 7 });
  });

  it('rejects an unterminated or overlong LEB128', () => {
    expect(() => Reader.of(bytes(0x80, 0x80)).uleb(0)).toThrow(FormatError);
    expect(() => Reader.of(new Uint8Array(12).fill(0x80)).uleb(0)).toThrow(/longer than 10 bytes/);
  });

  it('reads C strings, stopping at NUL, the window end, or the cap', () => {
    const enc = new TextEncoder();
    const r = Reader.of(new Uint8Array([...enc.encode('libz.1.dylib'), 0, ...enc.encode('tail')]));
    expect(r.cstring(0)).toBe('libz.1.dylib');
    expect(r.cstringEx(13)).toEqual({ value: 'tail', end: 17, truncated: true });
    expect(r.cstringEx(0, 4)).toEqual({ value: 'libz', end: 4, truncated: true });
    expect(() => r.cstring(17)).toThrow(FormatError);
  });

  it('decodes strings as UTF-8 whatever their length, on the ASCII path and off it', () => {
    const enc = new TextEncoder();
    const names = ['_ZN4core3fmt5write17h0123456789abcdefE', 'héllo_wörld', '名前', 'a'.repeat(64), 'a'.repeat(65), 'x\u{1F600}y', ''];
    const parts = names.flatMap((n) => [...enc.encode(n), 0]);
    // A byte that is not UTF-8 gives U+FFFD, as the TextDecoder does.
    parts.push(0x41, 0xff, 0x42, 0);
    const mem = Reader.of(new Uint8Array(parts));
    const chunked = new Reader(new ChunkedSource(new MemorySource(new Uint8Array(parts)), 8, 4));
    let at = 0;
    for (const want of [...names, 'A\uFFFDB']) {
      const got = mem.cstringEx(at);
      expect(got.value).toBe(want);
      expect(chunked.cstringEx(at)).toEqual(got);
      expect(mem.cstringSpan(at)).toEqual({ end: got.end, truncated: got.truncated });
      at = got.end + 1;
    }
  });

  it('cstringSpan ends a string where cstringEx does, with the same errors, without decoding it', () => {
    const enc = new TextEncoder();
    const b = new Uint8Array([...enc.encode('libz.1.dylib'), 0, ...enc.encode('tail')]);
    for (const r of [Reader.of(b), new Reader(new ChunkedSource(new MemorySource(b), 4, 2))]) {
      for (const [off, max] of [
        [0, 64],
        [13, 64],
        [0, 4],
        [12, 1],
      ] as const) {
        const { end, truncated } = r.cstringEx(off, max);
        expect(r.cstringSpan(off, max)).toEqual({ end, truncated });
      }
      expect(() => r.cstringSpan(17)).toThrow(FormatError);
      expect(() => r.cstringSpan(-1)).toThrow(FormatError);
    }
  });

  it('reads u8, u16 and u32 in memory as through the checked path, and refuses the same offsets', () => {
    const data = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff);
    for (const le of [true, false]) {
      const mem = Reader.of(data, le).sub(8, 40);
      const chunked = new Reader(new ChunkedSource(new MemorySource(data), 16, 2), le).sub(8, 40);
      for (let at = 0; at < 40; at++) {
        expect(mem.u8(at)).toBe(chunked.u8(at));
        if (at + 2 <= 40) expect(mem.u16(at)).toBe(chunked.u16(at));
        if (at + 4 <= 40) expect(mem.u32(at)).toBe(chunked.u32(at));
      }
      for (const bad of [-1, 40, 39.5, 1.5, NaN, 2 ** 32, Infinity]) {
        expect(() => mem.u8(bad)).toThrow(FormatError);
        expect(() => mem.u32(bad)).toThrow(FormatError);
      }
      expect(() => mem.u16(39)).toThrow(FormatError);
      expect(() => mem.u32(37)).toThrow(FormatError);
    }
  });

  it('reads fixed-width names such as segname[16]', () => {
    const r = Reader.of(new Uint8Array([0x5f, 0x5f, 0x54, 0x45, 0x58, 0x54, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(r.fixedString(0, 16)).toBe('__TEXT');
  });
});

describe('ChunkedSource', () => {
  const data = new Uint8Array(10_000).map((_, i) => i & 0xff);

  it('returns the same bytes as memory, across chunk boundaries, with bounded reads', () => {
    const inner = new CountingSource(data);
    const src = new ChunkedSource(inner, 1024, 4);
    const mem = new MemorySource(data);
    for (const [off, len] of [
      [0, 10],
      [1020, 10],
      [2047, 3000],
      [9990, 10],
    ] as const) {
      expect(Array.from(src.read(off, len))).toEqual(Array.from(mem.read(off, len)));
    }
    const r = new Reader(src, true);
    expect(r.u32(1022)).toBe(new Reader(mem, true).u32(1022));
    // Byte 5120 is the next NUL (data[i] = i & 0xff): a 100-byte cap stops before it.
    expect(r.cstringEx(5000, 100).truncated).toBe(true);
    expect(r.cstringEx(5000, 300)).toMatchObject({ end: 5120, truncated: false });
    const before = inner.reads;
    r.u8(9991);
    r.u8(9992);
    expect(inner.reads - before).toBeLessThanOrEqual(1);
  });

  it('fetches chunks ahead through its asynchronous reader, each once, and then reads them without the source', async () => {
    const inner = new CountingSource(data);
    const fetched: number[] = [];
    const src = new ChunkedSource(inner, 1024, 4, async (o, l) => {
      fetched.push(o);
      return data.slice(o, o + l);
    });
    await src.prefetch(1000, 100);
    await src.prefetch(1500, 10);
    expect(fetched).toEqual([0, 1024]);
    expect(Array.from(src.read(1000, 100))).toEqual(Array.from(data.subarray(1000, 1100)));
    expect(inner.reads).toBe(0);
    expect(src.held).toBe(2048);
    // More than half the cache could not be held together: nothing fetched.
    await src.prefetch(0, 3 * 1024);
    expect(fetched).toEqual([0, 1024]);
    // Without an asynchronous reader, prefetch fetches nothing.
    const plain = new ChunkedSource(new CountingSource(data), 1024, 4);
    await plain.prefetch(0, 100);
    expect(plain.held).toBe(0);
  });

  it('reads a long range from the cache when every chunk of it is held, else from the source', async () => {
    const inner = new CountingSource(data);
    const src = new ChunkedSource(inner, 1024, 8, async (o, l) => data.slice(o, o + l));
    expect(Array.from(src.read(100, 5000))).toEqual(Array.from(data.subarray(100, 5100)));
    expect(inner.reads).toBe(1);
    expect(src.held).toBe(0);
    await src.prefetch(0, 4 * 1024);
    await src.prefetch(4 * 1024, 1024);
    expect(Array.from(src.read(100, 5000))).toEqual(Array.from(data.subarray(100, 5100)));
    expect(inner.reads).toBe(1);
  });
});
