// Deterministic randomness for the fuzzer: every case is a pure function of
// (seed, file key, case number), so `npm run fuzz -- --replay SEED:FILE:CASE`
// rebuilds the exact input that failed.

/** FNV-1a over a string: stable across runs and platforms. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** sfc32 seeded from a string; small, fast and good enough for choosing mutations. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(key: string) {
    this.a = fnv1a(key);
    this.b = fnv1a(key + '\u0001');
    this.c = fnv1a(key + '\u0002');
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }
  static forCase(seed: number, file: string, index: number): Rng {
    return new Rng(`${seed}:${file}:${index}`);
  }
  /** Uniform 32-bit unsigned. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Integer in [0, n); 0 when n <= 0. */
  int(n: number): number {
    if (n <= 1) return 0;
    if (n <= 0x100000000) return Math.floor((this.next() / 0x100000000) * n);
    return Math.floor(((this.next() * 0x100000 + (this.next() >>> 12)) / 2 ** 52) * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('pick from an empty list');
    return xs[this.int(xs.length)]!;
  }
  /** An item chosen with probability proportional to its weight. */
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of xs) total += w;
    let r = (this.next() / 0x100000000) * total;
    for (const [x, w] of xs) {
      r -= w;
      if (r < 0) return x;
    }
    return xs[xs.length - 1]![0];
  }
}
