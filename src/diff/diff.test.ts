// The rules of diffReports on one real report changed one field at a time:
// each change is found, worded, and gates (or not) as docs/diff.md says.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildOf } from '../../test/diff-support.ts';
import type { Report } from '../report/types.ts';
import { diffReports, gateStatus, listDiff } from './diff.ts';
import { diffText } from './text.ts';
import type { DiffInput, SliceFacts } from './types.ts';

const FILE = 'fixtures/elf/bin/aarch64-uses-versioned';
let base: DiffInput;

beforeAll(async () => {
  base = await buildOf(FILE);
});

/** The base build with its report changed by `edit` (facts kept). */
function edited(edit: (r: Report) => void): DiffInput {
  const report = structuredClone(base.report);
  edit(report);
  return { report, facts: base.facts };
}

describe('diffReports', () => {
  it('finds nothing between a build and itself', () => {
    const d = diffReports(base, base);
    expect(d.gate).toEqual([]);
    expect(d.verdicts).toEqual([]);
    expect(d.findings).toEqual({ added: [], gone: [] });
    expect(d.matched).toHaveLength(1);
    const s = d.matched[0]!;
    expect([s.floors, s.features, s.libraries, s.rpaths, s.signature, s.go]).toEqual([
      [],
      [],
      { added: [], removed: [] },
      { added: [], removed: [] },
      null,
      null,
    ]);
    expect(s.sizes.sections).toEqual([]);
    expect(s.sizes.symbols?.counts).toEqual({ grew: 0, shrank: 0, appeared: 0, disappeared: 0 });
    expect(gateStatus(d)).toBe(0);
    expect(diffText(d)).toContain('nothing lost');
  });

  it('gates on a target lost, not on one gained', () => {
    const lost = edited((r) => {
      const c = r.compatibility!.find((x) => x.verdict === 'native')!;
      c.verdict = 'no';
    });
    const d = diffReports(base, lost);
    expect(d.verdicts.map((v) => v.change)).toEqual(['lost']);
    expect(d.gate.map((g) => g.kind)).toEqual(['target-lost']);
    const back = diffReports(lost, base);
    expect(back.verdicts.map((v) => v.change)).toEqual(['gained']);
    expect(back.gate).toEqual([]);
  });

  it('gates on a protection flag true → false and RELRO partial → none, not on the reverse or on n/a', () => {
    const worse = edited((r) => {
      r.slices[0]!.features.nx = false;
      r.slices[0]!.features.relro = 'none';
      r.slices[0]!.features.ibt = null;
    });
    const b = base.report.slices[0]!.features;
    expect([b.nx, b.relro]).toEqual([true, 'partial']);
    const d = diffReports(base, worse);
    expect(d.matched[0]!.features.map((f) => [f.flag, f.lost])).toEqual([
      ['nx', true],
      ['relro', true],
    ]);
    expect(d.gate.map((g) => g.what)).toEqual(['nx', 'relro']);
    expect(diffReports(worse, base).gate).toEqual([]);
  });

  it('gates on a glibc floor or minimum OS raised, not lowered', () => {
    const floor = base.report.slices[0]!.imports.find((i) => i.version?.startsWith('GLIBC_'));
    expect(floor).toBeDefined();
    const raised = edited((r) => {
      r.slices[0]!.imports.push({ name: 'newer', library: 'libc.so.6', version: 'GLIBC_2.99' });
    });
    const d = diffReports(base, raised);
    expect(d.matched[0]!.floors).toEqual([{ what: 'glibc', platform: null, old: '2.34', new: '2.99', direction: 'raised' }]);
    expect(d.gate.map((g) => g.kind)).toEqual(['floor-raised']);
    expect(diffReports(raised, base).matched[0]!.floors[0]!.direction).toBe('lowered');
    expect(diffReports(raised, base).gate).toEqual([]);
    const os = edited((r) => {
      r.slices[0]!.minOS = '9.0.0';
    });
    expect(diffReports(base, os).matched[0]!.floors.map((f) => [f.what, f.direction])).toEqual([['minOS', 'raised']]);
  });

  it('gates on fewer matched functions signing or landing, matched by name whatever the order', () => {
    const fns = [
      { name: 'a', signs: true, btiEntry: true },
      { name: 'b', signs: true, btiEntry: false },
      { name: 'b', signs: false, btiEntry: false },
      { name: 'gone', signs: true, btiEntry: true },
    ];
    const facts = (f: SliceFacts['functions']): DiffInput => ({ report: base.report, facts: [{ functions: f, sizes: null }] });
    const reordered = [fns[2]!, fns[0]!, fns[1]!].map((f) => ({ ...f }));
    // The second `b` of the new list is the one that signs: rank by rank, the first `b` lost it and the second gained it.
    const d = diffReports(facts(fns), facts(reordered));
    const c = d.matched[0]!.coverage!;
    expect(c.matched).toBe(3);
    expect(c.pac).toEqual({ old: 2, new: 2, lostCount: 1, gainedCount: 1, lost: ['b'], gained: ['b#2'] });
    expect(d.gate).toEqual([]);
    // A function that is gone is not a loss; one that stopped signing is.
    const off = diffReports(facts(fns), facts([{ name: 'a', signs: false, btiEntry: false }, ...fns.slice(1, 3)]));
    expect(off.gate.map((g) => g.what)).toEqual(['pac', 'bti']);
    expect(diffReports(facts(fns), facts(fns.slice(0, 3))).gate).toEqual([]);
  });

  it("matches a universal file's slices by architecture, whatever their order", async () => {
    const uni = await buildOf('fixtures/macho/bin/lld-universal-macos-exe');
    const arches = uni.report.slices.map((s) => s.arch);
    expect(arches).toEqual(['x86_64', 'arm64']);
    const swapped: DiffInput = { report: { ...uni.report, slices: [...uni.report.slices].reverse() }, facts: [...uni.facts!].reverse() };
    const d = diffReports(uni, swapped);
    expect(d.matched.map((m) => m.arch)).toEqual(['arm64', 'x86_64']);
    expect(d.slices).toEqual({ added: [], removed: [] });
    expect(d.matched.every((m) => m.sizes.sections.length === 0 && m.libraries.added.length === 0)).toBe(true);
    const thin = await buildOf('fixtures/macho/bin/lld-arm64-macos-exe');
    const t = diffReports(uni, thin);
    expect(t.slices).toEqual({ added: [], removed: ['x86_64'] });
    expect(t.matched.map((m) => m.arch)).toEqual(['arm64']);
  });

  it('says what it could not compare for builds without facts', () => {
    const d = diffReports({ report: base.report }, base);
    expect(d.matched[0]!.coverage).toBeNull();
    expect(d.matched[0]!.sizes.symbols).toBeNull();
    expect(d.notes.join('\n')).toMatch(/per-function PAC\/BTI not compared \(the old build has no function facts/);
  });

  it('lists libraries as multisets and findings whose title changed as gone and added', () => {
    expect(listDiff(['a', 'b', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a', 'b'] });
    const retitled = edited((r) => {
      r.findings![0]!.title = 'another title';
    });
    const d = diffReports(base, retitled);
    expect(d.findings.added.map((f) => f.title)).toEqual(['another title']);
    expect(d.findings.gone).toHaveLength(1);
  });

  it('escapes hostile names in its text', () => {
    const hostile = edited((r) => {
      r.slices[0]!.libraries.push('lib\u001b[2Jevil\u202e.so');
    });
    const t = diffText(diffReports(base, hostile));
    expect(t).toContain('library added: lib\\x1b[2Jevil\\u202e.so');
    expect(t.includes('\u001b') || t.includes('\u202e')).toBe(false);
  });
});
