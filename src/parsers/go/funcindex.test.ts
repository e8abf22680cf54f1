// The function table read as numbers (FuncTable.index, goFunctionIndex and
// the report's count and cgo test) against the one-function-at-a-time reader
// it stands in for: the same functions, names, files, counts and warnings,
// on synthetic tables of every layout, hostile ones (random damage, names
// that use up the string budget, BOMs, non-ASCII) and the corpus.
import { describe, expect, it } from 'vitest';
import { goImage, type SynthFunc } from '../../../test/go-synth.ts';
import { corpusBytes, corpusFiles, hasCorpus } from '../../../test/corpus.ts';
import { parseFile } from '../analyze.ts';
import { ChunkedSource, MemorySource, Reader } from '../reader.ts';
import type { ParsedSlice } from '../types.ts';
import { goFunctionIndex, goFunctionsForSlice, goInfo } from './index.ts';
import { locatePclntab } from './locate.ts';
import type { PclntabVersion } from './pclntab.ts';
import { rng } from '../../../test/rng.ts';

/** The same slice read through a chunked source: FuncTable.index() is then null and every function is read one by one. */
function chunked(slice: ParsedSlice): ParsedSlice {
  const bytes = slice.reader.bytes(0, slice.reader.length);
  return {
    ...slice,
    report: { ...slice.report },
    reader: new Reader(new ChunkedSource(new MemorySource(bytes), 4096), slice.reader.littleEndian),
  };
}

const TODAY = new Date('2026-11-25T00:00:00Z');
const json = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString(16) : x)));

/** goInfo and goFunctions of the fast reader equal the slow reader's; returns whether the fast one was taken. */
function expectSame(slice: ParsedSlice): boolean {
  const slow = chunked(slice);
  const fastInfo = json(goInfo(slice.image, undefined, TODAY));
  expect(fastInfo).toEqual(json(goInfo(slow.image, undefined, TODAY)));
  const fns = goFunctionsForSlice(slice);
  expect(json(fns)).toEqual(json(goFunctionsForSlice(slow)));
  const ix = goFunctionIndex(slice);
  if (ix) {
    expect(ix.count).toBe(fns.length);
    for (let i = 0; i < ix.count; i++) {
      expect(ix.address[i]).toBe(Number(fns[i]!.entry));
      expect(ix.size[i]).toBe(Number(fns[i]!.end - fns[i]!.entry));
      expect(ix.named(i)).toBe(fns[i]!.name !== '');
      expect(ix.name(i)).toBe(fns[i]!.name);
    }
    const wanted = new Set(['runtime.sigtramp', 'main.main', '\u00e9t\u00e9', '']);
    expect(ix.maybeNamed(wanted)).toEqual(fns.flatMap((f, i) => (wanted.has(f.name) ? [i] : [])));
  }
  return ix !== null;
}

const NAMES = [
  'main.main',
  'runtime.sigtramp',
  'runtime/cgo.x_cgo_init',
  '_cgo_topofstack',
  '\ufeffruntime/cgo.bom',
  '\ufeff',
  '',
  '\u00e9t\u00e9',
  'a\u0000b',
  'runtime.morestack',
];

function funcs(n: number, seed: number): SynthFunc[] {
  const r = rng(seed);
  // Odd indices only: locatePclntab samples every few functions' names from 0
  // and rejects a table with an empty one.
  return Array.from({ length: n }, (_, i) => ({
    name: i % 2 === 1 && r() % 3 === 0 ? NAMES[r() % NAMES.length]! : `example.com/p${i % 7}.F${i}`,
    offset: i * 0x40,
    file: (r() % 4) - 1,
  }));
}

const LAYOUTS: { version: PclntabVersion; littleEndian: boolean; ptrSize: 4 | 8 }[] = [
  { version: '1.2', littleEndian: true, ptrSize: 8 },
  { version: '1.2', littleEndian: false, ptrSize: 4 },
  { version: '1.16', littleEndian: true, ptrSize: 8 },
  { version: '1.18', littleEndian: true, ptrSize: 8 },
  { version: '1.20', littleEndian: false, ptrSize: 4 },
  { version: '1.20', littleEndian: true, ptrSize: 8 },
];

describe('FuncTable.index: the same answers as reading function by function', () => {
  it.each(LAYOUTS)('synthetic %o', (layout) => {
    const fs = funcs(256, 7);
    const { slice } = goImage({
      table: { ...layout, funcs: fs, end: 256 * 0x40, files: ['/src/a.go', 'b.go', '\u00e9.go'] },
      moduledata: true,
    });
    expect(expectSame(slice)).toBe(true);
    expect(goInfo(slice.image, undefined, TODAY)?.facts?.cgo).toBe(true);
  });

  it('randomly damaged tables (the slower reader decides whenever a function does not read cleanly)', () => {
    let fast = 0;
    let slow = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const layout = LAYOUTS[seed % LAYOUTS.length]!;
      const { slice, file } = goImage({
        table: { ...layout, funcs: funcs(130, seed), end: 130 * 0x40, files: ['x.go', 'y.go'] },
        moduledata: true,
      });
      const table = locatePclntab(slice.image);
      const at = Number(table!.offset);
      const r = rng(seed * 31);
      // Damage the records and names after the header (a damaged header is a different test).
      for (let k = 0; k < 1 + (seed % 6); k++) {
        const p = at + 64 + (r() % Math.max(1, table!.table.header.pclnOffset + 130 * 40 - 64));
        if (p < file.length) file[p] = r() & 0xff;
      }
      if (expectSame(slice)) fast++;
      else slow++;
    }
    expect(fast).toBeGreaterThan(10);
    expect(slow).toBeGreaterThan(10);
  });

  it('names that would use up the string budget are left to the slower reader (which cuts them)', () => {
    const long = 'x'.repeat(5000);
    const fs: SynthFunc[] = Array.from({ length: 1500 }, (_, i) => ({ name: i === 0 ? long : `f${i}`, offset: i * 4, file: -1 }));
    const { slice, file } = goImage({
      table: { version: '1.20', littleEndian: true, ptrSize: 8, funcs: fs, end: 1500 * 4, files: [] },
      moduledata: true,
    });
    const t = locatePclntab(slice.image)!;
    // Every function's nameoff somewhere inside the one long name: 1,500 different strings of ~4 kB.
    const dv = new DataView(file.buffer);
    const h = t.table.header;
    for (let i = 1; i < 1500; i++) {
      const funcoff = dv.getUint32(t.offset + h.functabOffset + (2 * i + 1) * 4, true);
      dv.setUint32(t.offset + h.pclnOffset + funcoff + 4, i % 900, true);
    }
    expect(expectSame(slice)).toBe(false);
    expect(goFunctionsForSlice(slice).some((f) => f.name.endsWith('…'))).toBe(true);
  });
});

describe.skipIf(!hasCorpus)('FuncTable.index on the corpus', () => {
  const goFiles = hasCorpus ? corpusFiles() : [];
  it.each(goFiles)('%s', (name) => {
    for (const s of parseFile(new MemorySource(corpusBytes(name))).slices) {
      const isGo = goInfo(s.image) !== null;
      const fast = expectSame(s);
      if (isGo && goFunctionsForSlice(s).length > 0) expect(fast).toBe(true);
    }
  });
});
