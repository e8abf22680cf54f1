// The tests' seeded random numbers: xorshift32 (Marsaglia), so a failing case
// is reproduced from its seed alone.

/** Unsigned 32-bit values; seed 0 is taken as 1 (xorshift never leaves 0). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** The same sequence as fractions in [0, 1). */
export function rngUnit(seed: number): () => number {
  const next = rng(seed);
  return () => next() / 0x100000000;
}
