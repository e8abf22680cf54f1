// The executable-stack and W+X findings read the program headers' types and
// flags as the parser handed them up, not the report's names for them.

import { describe, expect, it } from 'vitest';
import { analyze } from '../parsers/analyze.ts';
import { MemorySource } from '../parsers/reader.ts';
import { fixtureBytes } from '../../test/corpus.ts';
import { computeVerdicts } from './index.ts';

describe('exec-stack and wx-segment', () => {
  it('fire on a PT_GNU_STACK and a PT_LOAD that ask for rwx, however the report names their types and flags', () => {
    const rel = 'verdict/bin/gcc-arm64-linux-execstack-rwx';
    const a = analyze(new MemorySource(fixtureBytes(rel)), 'tool', { skipHash: true });
    const ids = () => computeVerdicts(a.report, a, { today: '2026-11-25' }).findings.map((f) => f.id);
    expect(ids()).toEqual(expect.arrayContaining(['exec-stack', 'wx-segment']));
    // As llvm-readobj names the types and readelf prints the flags.
    for (const s of a.report.slices[0]!.segments) {
      s.type = `PT_${s.type}`;
      s.perms = s.perms.toUpperCase().replace('X', 'E').replace(/-/g, ' ');
    }
    expect(ids()).toEqual(expect.arrayContaining(['exec-stack', 'wx-segment']));
  });
});
