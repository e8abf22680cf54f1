// Broken copies of the fixtures: truncated at many lengths and with bytes
// flipped at random (a fixed seed, so failures reproduce). The parser may
// record errors but must never throw anything other than a FormatError, and
// every accessor must work on whatever it returns.

import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../test/corpus.ts';
import { FormatError, MemorySource, Reader } from '../reader.ts';
import { analyze } from '../analyze.ts';
import { parseMachO } from './index.ts';
import { rng } from '../../../test/rng.ts';

const FIXTURES = [
  'lld-arm64-macos-exe',
  'lld-arm64-macos-exe-chained',
  'lld-x86_64-macos-exe',
  'lld-universal-macos-exe',
  'lld-arm64-macos-dylib',
  'clang-arm64e-macos-obj.o',
];

/** xorshift32: small, seeded, good enough to pick offsets. */

function exercise(bytes: Uint8Array): void {
  let parsed;
  try {
    parsed = parseMachO(Reader.of(bytes));
  } catch (e) {
    // Only a header too broken to start is allowed to escape, and only as a FormatError.
    expect(e).toBeInstanceOf(FormatError);
    return;
  }
  for (const s of parsed.slices) {
    s.symbols();
    s.functionStarts();
    s.mappingSymbols();
    JSON.stringify(s.report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

describe('broken fixtures never crash the parser', () => {
  for (const name of FIXTURES) {
    it(`${name}: truncations and byte flips`, () => {
      const whole = fixtureBytes(`macho/bin/${name}`);
      // Every 64th length through the headers and load commands, then coarser.
      for (let n = 0; n < Math.min(whole.length, 4096); n += 64) exercise(whole.subarray(0, n));
      for (let n = 4096; n < whole.length; n += 997) exercise(whole.subarray(0, n));
      const next = rng(0x5eed ^ whole.length);
      for (let round = 0; round < 150; round++) {
        const b = whole.slice();
        // Mostly hit the first 4 KiB (header and load commands) where one byte changes the most.
        for (let k = 0; k < 4; k++) {
          const at = next() % 4 === 0 ? next() % b.length : next() % Math.min(b.length, 4096);
          b[at] = next() & 0xff;
        }
        exercise(b);
      }
    });
  }

  it('analyze reports no internal errors on the broken copies', () => {
    const whole = fixtureBytes('macho/bin/lld-arm64-macos-exe-chained');
    const next = rng(42);
    for (let round = 0; round < 100; round++) {
      const b = whole.slice();
      for (let k = 0; k < 8; k++) b[next() % 2048] = next() & 0xff;
      b[0] = 0xcf; // keep it a Mach-O file so the Mach-O parser runs
      b[1] = 0xfa;
      b[2] = 0xed;
      b[3] = 0xfe;
      const { report } = analyze(new MemorySource(b), 'fuzz', { skipHash: true });
      expect(report.errors.filter((e) => e.field === 'internal')).toEqual([]);
    }
  });
});
