// Verdicts never throw, whatever the parsers made of a damaged file: the
// small fixtures truncated and with bytes flipped, then analyzed and judged.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { computeVerdicts, FINDINGS } from '../src/verdict/index.ts';
import { TARGETS } from '../src/report/targets.ts';
import { FIXTURES, fixtureBytes } from './corpus.ts';
import { rngUnit as rng } from './rng.ts';

/** Deterministic xorshift32, so a failure replays. */

const small = ['verdict/bin', 'macho/bin'].flatMap((d) =>
  readdirSync(join(FIXTURES, d))
    .filter((f) => statSync(join(FIXTURES, d, f)).size < 100_000)
    .map((f) => `${d}/${f}`),
);

function check({ report: r, slices, missing }: Analysis) {
  const v = computeVerdicts(r, { slices, missing }, { minVersions: { macos: '11.0', ios: '14.0' }, today: '2026-11-25' });
  expect(v.compatibility.map((c) => c.target)).toEqual([...TARGETS]);
  for (const f of v.findings) expect(FINDINGS[f.id as keyof typeof FINDINGS]).toBe(f.severity);
}

describe('damaged files', () => {
  it('has small fixtures to damage', () => {
    expect(small.length).toBeGreaterThan(10);
  });

  for (const rel of small) {
    it(rel, () => {
      const bytes = fixtureBytes(rel);
      const next = rng(bytes.length);
      for (let i = 0; i < 24; i++) {
        const b = bytes.slice(0, i % 3 === 0 ? Math.floor(next() * bytes.length) : bytes.length);
        for (let k = 0; k < 8 && b.length > 0; k++) b[Math.floor(next() * Math.min(b.length, 4096))] = Math.floor(next() * 256);
        check(analyze(new MemorySource(b), rel, { skipHash: true }));
      }
    });
  }
});
