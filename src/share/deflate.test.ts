import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { codeLengths, deflateRaw } from './deflate.ts';
import { inflateRaw } from './inflate.ts';

function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** Inputs that reach every path: empty, tiny, runs, long matches, far matches, text, noise, and block boundaries. */
function samples(): [string, Uint8Array][] {
  const r = prng(9);
  const out: [string, Uint8Array][] = [
    ['empty', new Uint8Array()],
    ['one byte', new Uint8Array([0x41])],
    ['two bytes', new Uint8Array([1, 2])],
    ['zeros', new Uint8Array(300_000)],
    ['abc repeated', new TextEncoder().encode('abc'.repeat(50_000))],
  ];
  for (let k = 0; k < 60; k++) {
    const alphabet = 1 + Math.floor(r() * 255);
    const b = new Uint8Array(Math.floor(r() * (k % 10 === 0 ? 150_000 : 3000)));
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * alphabet);
    out.push([`noise ${k} over ${alphabet} values`, b]);
  }
  // Repeats far apart (distances near the 32 KiB window) and text-like JSON.
  const far = new Uint8Array(100_000);
  for (let i = 0; i < far.length; i++) far[i] = i < 32_760 ? Math.floor(r() * 256) : far[i - 32_760]!;
  out.push(['matches at the window edge', far]);
  const json = JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ name: `_sym_${i % 700}`, address: '0x' + (0x100000 + i * 16).toString(16), library: i % 3 ? 'libc.so.6' : null })));
  out.push(['JSON rows', new TextEncoder().encode(json)]);
  return out;
}

describe('deflateRaw', () => {
  it('writes DEFLATE that zlib and DecompressionStream read back exactly', async () => {
    for (const [what, input] of samples()) {
      const packed = deflateRaw(input)!;
      expect(Buffer.compare(inflateRawSync(packed), Buffer.from(input)), what).toBe(0);
      const back = await inflateRaw(packed, input.length + 1);
      expect(back instanceof Uint8Array && Buffer.compare(Buffer.from(back), Buffer.from(input)) === 0, what).toBe(true);
    }
  });

  it('compresses like zlib does at its default level', async () => {
    const { deflateRawSync } = await import('node:zlib');
    let ours = 0;
    let zlib = 0;
    for (const [, input] of samples()) {
      ours += deflateRaw(input)!.length;
      zlib += deflateRawSync(input).length;
    }
    expect(ours / zlib).toBeLessThan(1.05);
  });

  it('is deterministic, and gives up past max', () => {
    const input = samples().at(-1)![1];
    expect(deflateRaw(input)).toEqual(deflateRaw(input));
    const size = deflateRaw(input)!.length;
    expect(deflateRaw(input, size)).not.toBeNull();
    expect(deflateRaw(input, size - 1)).toBeNull();
    expect(deflateRaw(new Uint8Array(500_000).map((_, i) => (i * 2654435761) >>> 24), 1000)).toBeNull();
  });

  it('stores incompressible data instead of expanding it', () => {
    const r = prng(3);
    const noise = new Uint8Array(100_000).map(() => Math.floor(r() * 256));
    expect(deflateRaw(noise)!.length).toBeLessThan(noise.length + 64);
  });
});

describe('codeLengths', () => {
  it('gives a complete prefix code within the length limit, shortest codes to the most frequent', () => {
    const fib = [1, 1];
    while (fib.length < 40) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
    const r = prng(5);
    const cases = [fib, fib.slice(0, 20), [5, 0, 0, 7], [3, 3], Array.from({ length: 286 }, () => Math.floor(r() * 1000)), Array.from({ length: 19 }, (_, i) => 2 ** i)];
    for (const freq of cases) {
      for (const limit of [7, 15]) {
        const used = freq.filter((f) => f > 0).length;
        if (used > 2 ** limit) continue;
        const len = codeLengths(freq, limit);
        const kraft = [...len].reduce((s, l) => s + (l ? 2 ** -l : 0), 0);
        expect(Math.max(...len)).toBeLessThanOrEqual(limit);
        freq.forEach((f, i) => expect(f > 0 ? len[i]! > 0 : len[i] === 0).toBe(true));
        if (used > 1) expect(kraft).toBeCloseTo(1, 12);
        for (let i = 0; i < freq.length; i++) for (let j = 0; j < freq.length; j++) if (freq[i]! > freq[j]! && freq[j]! > 0) expect(len[i]!).toBeLessThanOrEqual(len[j]!);
      }
    }
  });
});
