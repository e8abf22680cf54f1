import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './base64url.ts';
import { arr, bool, EncodeContext, enumOf, int, nullable, obj, opt, record, ShapeError, str, token, type Codec } from './codec.ts';
import { crc32 } from './crc32.ts';
import { deflateRaw, inflateRaw } from './compression.ts';

function roundTrip<T>(c: Codec<T>, v: T, cx = new EncodeContext()): { json: unknown; back: T } {
  const json = JSON.parse(JSON.stringify(c.enc(v, cx)));
  return { json, back: c.dec(json) };
}

function shapeError(f: () => unknown): ShapeError {
  try {
    f();
  } catch (e) {
    if (e instanceof ShapeError) return e;
    throw e;
  }
  throw new Error('no ShapeError');
}

describe('base64url', () => {
  it('round-trips every length and matches Node', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff);
      const s = toBase64url(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(fromBase64url(s)).toEqual(b);
    }
  });
  it('refuses padding, other alphabets, impossible lengths and stray bits', () => {
    expect(fromBase64url('AAA=')).toMatch(/not base64url/);
    expect(fromBase64url('A+/A')).toMatch(/not base64url/);
    expect(fromBase64url('AAAAA')).toMatch(/cannot be base64url/);
    expect(fromBase64url('AB')).toMatch(/stray bits/); // 'AA' is the only encoding of one zero byte
    expect(fromBase64url('éA')).toMatch(/not base64url/);
  });
});

describe('crc32', () => {
  it('is the zlib CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });
});

describe('platform compression', () => {
  it('round-trips through CompressionStream and DecompressionStream, and stops at the caps', async () => {
    const text = new TextEncoder().encode('binlens '.repeat(10_000));
    const packed = (await deflateRaw(text))!;
    expect(packed.length).toBeLessThan(1000);
    expect(await inflateRaw(packed, 1 << 20)).toEqual(text);
    // Node's own zlib reads what the platform stream wrote: it is plain raw DEFLATE.
    const { inflateRawSync } = await import('node:zlib');
    expect(Buffer.compare(inflateRawSync(packed), Buffer.from(text))).toBe(0);
    expect(await inflateRaw(packed, 100)).toMatch(/inflates to more than 100 bytes/);
    expect(await deflateRaw(new Uint8Array(), 100)).not.toBeNull();
    expect(await deflateRaw(crypto.getRandomValues(new Uint8Array(60_000)), 1000)).toBeNull();
    expect(await inflateRaw(new Uint8Array([0xff, 0xff, 0xff]), 100)).toMatch(/not valid compressed data/);
    expect(await inflateRaw(packed.subarray(0, packed.length - 10), 1 << 20)).toMatch(/not valid compressed data/);
  });
});

describe('codec', () => {
  interface Row {
    name: string;
    kind: 'a' | 'b';
    size: number;
    flag: boolean;
    note?: string;
    parent?: string | null;
    tags: string[];
  }
  const row = obj<Row>({
    name: str(8),
    kind: enumOf(['a', 'b'] as const),
    size: int(0, 100),
    flag: bool,
    note: opt(str(100)),
    parent: opt(nullable(str(100))),
    tags: arr(str(10), { max: 3, table: 'tags' }),
  });

  it('writes positional arrays with a mask of the optional fields present, and reads them back', () => {
    const v: Row = { name: 'x', kind: 'b', size: 7, flag: true, parent: null, tags: ['t'] };
    const { json, back } = roundTrip(row, v);
    expect(json).toEqual([0b10, 'x', 1, 7, 1, null, ['t']]);
    expect(back).toEqual(v);
    expect('note' in back).toBe(false);
    expect(roundTrip(row, { ...v, note: 'n', parent: 'p' }).back).toEqual({ ...v, note: 'n', parent: 'p' });
  });

  it('cuts long strings (counted) and tables past their limit (recorded)', () => {
    const cx = new EncodeContext(new Map([['tags', 1]]));
    const { back } = roundTrip(row, { name: 'abcdefghijk', kind: 'a', size: 0, flag: false, tags: ['1', '2'] }, cx);
    expect(back.name).toBe('abcdefg…');
    expect(cx.truncatedStrings).toBe(1);
    expect(back.tags).toEqual(['1']);
    expect(cx.cutsReport.get('tags')).toEqual({ kept: 1, total: 2 });
    expect(cx.longest.get('tags')).toBe(2);
  });

  it('does not split a surrogate pair when cutting', () => {
    const cx = new EncodeContext();
    const out = str(4).enc('ab😀😀', cx) as string;
    expect(out).toBe('ab…');
  });

  it('says where a decoded value is wrong', () => {
    const good = [0, 'x', 0, 1, 0, []];
    expect(shapeError(() => row.dec([0, 5, 0, 1, 0, []])).message).toMatch(/expected a string, found the number 5/);
    expect(shapeError(() => row.dec([0, 'x', 2, 1, 0, []])).message).toMatch(/expected one of 2 values/);
    expect(shapeError(() => row.dec([0, 'x', 0, 101, 0, []])).message).toMatch(/101 is outside 0..100/);
    expect(shapeError(() => row.dec([0, 'x', 0, 1.5, 0, []])).message).toMatch(/expected an exact integer/);
    expect(shapeError(() => row.dec([0, 'x', 0, 1, 2, []])).message).toMatch(/expected 0 or 1/);
    expect(shapeError(() => row.dec([0, 'x', 0, 1, 0, ['a', 'b', 'c', 'd']])).message).toMatch(/4 entries is more than 3/);
    const e = shapeError(() => row.dec([0, 'x', 0, 1, 0, ['a', 12]]));
    expect(e.where()).toBe('tags[1]');
    expect(shapeError(() => row.dec([0, 'x', 0, 1])).where()).toBe('flag');
    expect(shapeError(() => row.dec({ 0: 1 })).message).toMatch(/expected an object \(as an array\)/);
    expect(shapeError(() => row.dec([-1, ...good.slice(1)])).message).toMatch(/field mask/);
    expect(row.dec(good)).toEqual({ name: 'x', kind: 'a', size: 1, flag: false, tags: [] });
  });

  it('ignores trailing elements and unknown mask bits (fields added by a later binlens)', () => {
    expect(row.dec([0b1100, 'x', 0, 1, 0, [], 'later', 42])).toEqual({ name: 'x', kind: 'a', size: 1, flag: false, tags: [] });
  });

  it('checks tokens against their pattern', () => {
    const hex = token(10, /^0x[0-9a-f]+$/);
    expect(hex.dec('0x1f')).toBe('0x1f');
    expect(() => hex.dec('0x1F')).toThrow(ShapeError);
    expect(() => hex.dec('0x' + '1'.repeat(20))).toThrow(ShapeError);
  });

  it('reads records into own data properties, whatever their keys', () => {
    const rec = record(20, str(10), { max: 4 });
    const v = rec.dec(['__proto__', 'a', 'constructor', 'b', 'toString', 'c']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toBe('a');
    expect(shapeError(() => rec.dec(['k', 'a', 'k', 'b'])).message).toMatch(/repeated key/);
    expect(shapeError(() => rec.dec(['k'])).message).toMatch(/pairs/);
    expect(shapeError(() => rec.dec(Array(10).fill('k'))).message).toMatch(/5 keys is more than 4/);
    const e = shapeError(() => rec.dec(['a b', 5]));
    expect(e.where()).toBe('["a b"]');
  });
});
