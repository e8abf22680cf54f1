import { describe, expect, it } from 'vitest';
import { TARGETS, type Target } from '../../report/targets.ts';
import type { Compatibility } from '../../report/types.ts';
import type { FileSummary, SliceSummary, VerdictCell } from '../../report/summary.ts';
import type { EntryStatus, FileEntry } from '../shell/app.svelte.ts';
import {
  ariaSort,
  commonRoot,
  nameWidth,
  nextSort,
  scanned,
  SORTS,
  sortRows,
  tallyOn,
  toRow,
  type Key,
  type Row,
  type Sort,
} from './folderRows.ts';

let nextKey = 0;

function slice(over: Partial<SliceSummary> = {}): SliceSummary {
  return {
    arch: 'arm64',
    fileType: 'executable',
    fileTypeRaw: 'ET_DYN',
    platform: null,
    minOS: null,
    linkage: 'dynamic',
    features: [],
    ...over,
  };
}

function summary(over: Partial<FileSummary> = {}): FileSummary {
  return {
    name: 'x',
    size: 100,
    format: 'elf',
    notBinary: null,
    slices: [slice()],
    errors: 0,
    firstError: null,
    warnings: 0,
    ...over,
  };
}

function entry(path: string, s: FileSummary | null = summary(), status: EntryStatus = 'done'): FileEntry {
  return { key: nextKey++, file: new File([], path), path, status, summary: s };
}

function cells(v: Partial<Record<Target, Compatibility['verdict']>>): VerdictCell[] {
  return Object.entries(v).map(([target, verdict]) => ({ target: target as Target, verdict, reason: `${verdict} on ${target}` }));
}

function row(path: string, over: Partial<FileSummary> = {}): Row {
  const e = entry(path, summary(over));
  return toRow(e, e.summary!, '', TARGETS);
}

const names = (rows: Row[]) => rows.map((r) => r.name);
const sorted = (rows: Row[], key: Key, ascending = true) => names(sortRows([...rows], { key, ascending }));

describe('folder rows', () => {
  it('says what a binary is on one line, the folder root cut from its name', () => {
    const e = entry(
      'rel/bin/tool',
      summary({
        format: 'macho-fat',
        size: 4096,
        slices: [slice({ arch: 'x86_64', features: ['PIE'] }), slice({ features: ['PIE', 'PAC'] })],
      }),
    );
    const r = toRow(e, e.summary!, 'rel/', TARGETS);
    expect(r).toMatchObject({
      name: 'bin/tool',
      format: 'Mach-O universal',
      arch: 'x86_64 + arm64',
      type: 'executable',
      linkage: 'dynamic',
      size: 4096,
      features: 'PIE, PAC',
      facts: 'Mach-O universal · x86_64 + arm64 · executable · dynamic',
      verdicts: [],
      why: [],
    });
    const obj = row('a.o', { slices: [slice({ fileType: 'object' }), slice({ fileType: 'shared-library' })] });
    expect(obj.linkage).toBe('—, dynamic');
    expect(obj.type).toBe('object, shared library');
    expect(row('b.o', { slices: [slice({ fileType: 'object' })] }).facts).toBe('ELF · arm64 · object');
  });

  it('lists the targets it does not run on in the order it is given, the same reason said once', () => {
    const e = entry(
      'a',
      summary({
        verdicts: cells({ 'macos-arm64': 'no', 'linux-arm64-glibc': 'native', 'ios-arm64': 'no', 'linux-x86_64-musl': 'unknown' }),
      }),
    );
    e.summary!.verdicts![2]!.reason = e.summary!.verdicts![0]!.reason;
    const order: Target[] = ['linux-x86_64-musl', ...TARGETS.filter((t) => t !== 'linux-x86_64-musl')];
    expect(toRow(e, e.summary!, '', order).why.map((w) => [w.verdict, w.targets])).toEqual([
      ['unknown', ['linux-x86_64-musl']],
      ['no', ['macos-arm64', 'ios-arm64']],
    ]);
  });

  it('finds the folder every path starts in', () => {
    expect(commonRoot([])).toBe('');
    expect(commonRoot([{ path: 'ls' }])).toBe('');
    expect(commonRoot([{ path: '/abs/ls' }])).toBe('');
    expect(commonRoot([{ path: 'rel/bin/ls' }, { path: 'rel/lib/a.so' }])).toBe('rel/');
    expect(commonRoot([{ path: 'rel/bin/ls' }, { path: 'release/a.so' }])).toBe('');
    expect(commonRoot([{ path: 'rel/bin/ls' }, { path: 'top' }])).toBe('');
  });

  it('sorts names as a person reads numbers, and reverses', () => {
    const rows = ['bin-10', 'bin-9', 'Bin-1', 'a'].map((p) => row(p));
    expect(sorted(rows, 'name')).toEqual(['a', 'Bin-1', 'bin-9', 'bin-10']);
    expect(sorted(rows, 'name', false)).toEqual(['bin-10', 'bin-9', 'Bin-1', 'a']);
  });

  it('sorts sizes as numbers, ties by name in either direction', () => {
    const rows = [row('c', { size: 20 }), row('b', { size: 3 }), row('a', { size: 20 }), row('d', { size: 100 })];
    expect(sorted(rows, 'size')).toEqual(['b', 'a', 'c', 'd']);
    expect(sorted(rows, 'size', false)).toEqual(['d', 'a', 'c', 'b']);
  });

  it('sorts every text column, ties by name', () => {
    const rows = [
      row('z', { format: 'macho', slices: [slice({ arch: 'x86_64', fileType: 'shared-library', linkage: 'static', features: ['PIE'] })] }),
      row('y', { format: 'elf', slices: [slice({ arch: 'arm64', fileType: 'executable', linkage: 'dynamic', features: ['NX'] })] }),
      row('x', { format: 'elf', slices: [slice({ arch: 'x86_64', fileType: 'executable', linkage: 'static', features: ['BTI'] })] }),
    ];
    expect(sorted(rows, 'format')).toEqual(['x', 'y', 'z']);
    expect(sorted(rows, 'format', false)).toEqual(['z', 'x', 'y']);
    expect(sorted(rows, 'arch')).toEqual(['y', 'x', 'z']);
    expect(sorted(rows, 'arch', false)).toEqual(['x', 'z', 'y']);
    expect(sorted(rows, 'type')).toEqual(['x', 'y', 'z']);
    expect(sorted(rows, 'linkage')).toEqual(['y', 'x', 'z']);
    expect(sorted(rows, 'features')).toEqual(['x', 'y', 'z']);
    expect(sorted(rows, 'features', false)).toEqual(['z', 'y', 'x']);
  });

  it("sorts a target's column by what runs there first, a missing verdict as unknown, ties by name", () => {
    const t = 'linux-arm64-musl';
    const rows = [
      row('no', { verdicts: cells({ [t]: 'no' }) }),
      row('unknown', { verdicts: cells({ [t]: 'unknown' }) }),
      row('missing', { verdicts: cells({ 'macos-arm64': 'native' }) }),
      row('rosetta', { verdicts: cells({ [t]: 'rosetta' }) }),
      row('native-b', { verdicts: cells({ [t]: 'native' }) }),
      row('native-a', { verdicts: cells({ [t]: 'native', 'macos-arm64': 'no' }) }),
    ];
    expect(sorted(rows, t)).toEqual(['native-a', 'native-b', 'rosetta', 'missing', 'unknown', 'no']);
    expect(sorted(rows, t, false)).toEqual(['no', 'missing', 'unknown', 'rosetta', 'native-a', 'native-b']);
    expect(sorted(rows, 'macos-arm64')).toEqual(['missing', 'native-b', 'no', 'rosetta', 'unknown', 'native-a']);
  });

  it('offers every column but the targets in "Sort by", name first', () => {
    expect(SORTS.map((s) => s.key)).toEqual(['name', 'size', 'format', 'arch', 'type', 'linkage', 'features']);
  });

  it('reverses the sorted column on a second click, starts ascending on a new one or from "Sort by"', () => {
    let s: Sort = { key: 'name', ascending: true };
    s = nextSort(s, 'name');
    expect(s).toEqual({ key: 'name', ascending: false });
    expect(ariaSort(s, 'name')).toBe('descending');
    expect(ariaSort(s, 'size')).toBe('none');
    s = nextSort(s, 'name');
    expect(ariaSort(s, 'name')).toBe('ascending');
    s = nextSort(nextSort(s, 'size'), 'size');
    expect(s).toEqual({ key: 'size', ascending: false });
    expect(nextSort(s, 'size', true)).toEqual({ key: 'size', ascending: true });
    expect(nextSort(s, 'macos-arm64')).toEqual({ key: 'macos-arm64', ascending: true });
  });

  it('counts binaries, skipped files and files still waiting', () => {
    const bin = entry('bin');
    const text = entry('notes.txt', summary({ notBinary: { kind: 'text', reason: 'plain text' } }));
    const queued = entry('later', null, 'queued');
    const stopped = entry('stopped', summary(), 'stopped');
    const noSummary = entry('odd', null, 'done');
    const s = scanned([bin, text, queued, stopped, noSummary]);
    expect(s.done).toEqual([bin, text]);
    expect(s.skipped).toEqual([text]);
    expect(s.waiting).toBe(3);
    expect(scanned([])).toEqual({ done: [], skipped: [], waiting: 0 });
  });

  it("tallies a target's verdicts: native and Rosetta run, a missing verdict cannot be told", () => {
    const t = 'macos-arm64';
    const rows = [
      row('a', { verdicts: cells({ [t]: 'native' }) }),
      row('b', { verdicts: cells({ [t]: 'rosetta' }) }),
      row('c', { verdicts: cells({ [t]: 'no' }) }),
      row('d', { verdicts: cells({ [t]: 'unknown' }) }),
      row('e'),
    ];
    expect(tallyOn(rows, t)).toEqual({ runs: 2, no: 1, unknown: 2 });
    expect(tallyOn(rows, 'linux-x86_64-glibc')).toEqual({ runs: 0, no: 0, unknown: 5 });
    expect(tallyOn([], t)).toEqual({ runs: 0, no: 0, unknown: 0 });
  });

  it('fits the name column to the longest name, a damaged badge included, between 8 and 44 characters', () => {
    expect(nameWidth([])).toBe(8);
    expect(nameWidth([row('ab')])).toBe(8);
    expect(nameWidth([row('ab'), row('0123456789')])).toBe(10);
    expect(nameWidth([row('0123456789', { errors: 2 })])).toBe(19);
    expect(nameWidth([row('x'.repeat(60))])).toBe(44);
  });
});
