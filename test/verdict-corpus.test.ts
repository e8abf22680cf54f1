// Golden test: the compatibility matrix of every corpus file against the
// hand-written table in expected-verdicts.ts.

import { describe, expect, it } from 'vitest';
import { TARGETS } from '../src/report/targets.ts';
import { corpusFiles, hasCorpus } from './corpus.ts';
import { COLUMNS, EXPECTED, EXPECTED_MACOS_12, letter } from './expected-verdicts.ts';
import { reportOf, verdictsOf } from './verdict-support.ts';

describe('expected-verdict table', () => {
  it('uses the matrix columns in order and one letter per column', () => {
    expect(COLUMNS).toEqual([...TARGETS]);
    for (const [name, e] of Object.entries(EXPECTED)) expect(e.row, name).toMatch(/^[nr?-]{7}$/);
  });
});

describe.skipIf(!hasCorpus)('corpus verdicts', () => {
  it('has an expected row for every corpus file and no row for a missing one', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(corpusFiles());
  });

  for (const name of Object.keys(EXPECTED).sort()) {
    it(name, () => {
      const e = EXPECTED[name]!;
      const v = verdictsOf({ corpus: name });
      const got = v.compatibility.map((c) => letter(c.verdict)).join('');
      const reasons = v.compatibility.map((c) => `${c.target}: ${c.verdict} (${c.reason})`).join('\n');
      expect(got, `${name}\n${reasons}`).toBe(e.row);
      for (const [t, slice] of Object.entries(e.slices ?? {})) {
        expect(v.compatibility.find((c) => c.target === t)!.slice, `${name} ${t}`).toBe(slice);
      }
      for (const [t, text] of Object.entries(e.errors ?? {})) {
        expect(v.compatibility.find((c) => c.target === t)!.error ?? '', `${name} ${t}`).toContain(text);
      }
    });
  }

  it('follows the macOS 12.0 target where the minimum OS is higher', () => {
    for (const name of Object.keys(EXPECTED)) {
      const v = verdictsOf({ corpus: name }, { minVersions: { macos: '12.0' } });
      const base = EXPECTED[name]!.row;
      COLUMNS.forEach((t, i) => {
        const want = EXPECTED_MACOS_12[name]?.[t];
        const got = v.compatibility[i]!.verdict;
        if (want) expect(got, `${name} ${t}`).toBe(want);
        else expect(letter(got), `${name} ${t}`).toBe(base[i]);
      });
    }
  });

  it('computes the verdicts of the whole corpus quickly', () => {
    const names = corpusFiles();
    for (const n of names) reportOf({ corpus: n });
    const t0 = performance.now();
    for (const n of names) verdictsOf({ corpus: n }, { minVersions: { macos: '12.0', ios: '15.0' } });
    const perFile = (performance.now() - t0) / names.length;
    // A report with thousands of imports takes well under a millisecond; 20 ms leaves room for slow CI machines.
    expect(perFile).toBeLessThan(20);
  });
});
