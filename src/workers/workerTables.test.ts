// The worker's tables over real fixtures, through the same pipeline the
// worker runs: the symbol view's sources (symbol table, .dynsym, Go's
// recovered names), the per-function table against the report's summary,
// and listing pages against the numbering the page computes by itself.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Arm64Engine } from '../arm64/engine.ts';
import { WASM_PATH, loadEngine } from '../arm64/node.ts';
import { arm64Functions, functionBounds, listing, reportedFunctions, reportedStarts } from '../arm64/scan.ts';
import { MemorySource } from '../parsers/reader.ts';
import { buildReport, type FullAnalysis } from '../report/pipeline.ts';
import { fixtureBytes } from '../../test/corpus.ts';
import { authRank, functionTable, goExtra, listingIndexOf, listingPage, nameIndex, type FunctionRow } from './arm64Tables.ts';
import { addressOfRow, rowOfAddress } from '../arm64/listingIndex.ts';
import { summarize } from '../report/summary.ts';
import { hex } from '../report/types.ts';
import { symbolView } from './symbolTable.ts';
import type { PagedTable } from '../report/tables.ts';

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

const runs = new Map<string, FullAnalysis>();
function run(rel: string): FullAnalysis {
  let a = runs.get(rel);
  if (!a) {
    a = buildReport(new MemorySource(fixtureBytes(rel)), rel.split('/').pop()!, { engine, skipHash: true });
    runs.set(rel, a);
  }
  return a;
}

function allRows<R, F extends string>(
  t: PagedTable<R, F>,
  filter: F,
  extra: { sort?: string; descending?: boolean; query?: string } = {},
): R[] {
  const out: R[] = [];
  for (let off = 0; ;) {
    const p = t.page({ query: extra.query ?? '', filter, offset: off, limit: 2000, sort: extra.sort, descending: extra.descending });
    out.push(...p.rows);
    off += p.rows.length;
    if (p.rows.length === 0 || off >= p.matched) return out;
  }
}

describe('symbol view sources', () => {
  it('a stripped ELF file lists its .dynsym and says so', () => {
    const { slices } = run('elf/bin/aarch64-glibc-pie-now-stripped');
    const s = slices[0]!;
    expect(s.parsed.symbols()).toEqual([]);
    const v = symbolView(s.parsed, s.goFunctions);
    expect(v.source.table).toBe('dynsym');
    const dyn = s.parsed.dynamicSymbols!();
    expect(v.source.rows).toBe(dyn.length);
    const page = v.table.page({ query: '', filter: 'all', offset: 0, limit: 100 });
    expect(page.total).toBe(dyn.length);
    expect(page.rows.map((r) => r.name)).toEqual(dyn.map((r) => r.name));
    expect(v.table.page({ query: '', filter: 'undefined', offset: 0, limit: 100 }).rows.some((r) => r.library !== null)).toBe(true);
  });

  it('a file with a symbol table keeps llvm-nm rows and no recovered names', () => {
    const { slices } = run('elf/bin/aarch64-glibc-pie-pacbti');
    const v = symbolView(slices[0]!.parsed, slices[0]!.goFunctions);
    expect(v.source).toEqual({ table: 'symtab', rows: slices[0]!.parsed.symbols().length, recovered: 0, merged: false });
  });

  it('Go names from the function table: behind a filter when the file has function symbols', () => {
    const { slices } = run('go/bin/go1.19-arm64-darwin-stripped');
    const s = slices[0]!;
    const v = symbolView(s.parsed, s.goFunctions);
    expect(v.source.table).toBe('symtab');
    expect(v.source.recovered).toBe(s.goFunctions!.length);
    expect(v.source.merged).toBe(false);
    const all = v.table.page({ query: 'main.main', filter: 'all', offset: 0, limit: 50 });
    expect(all.total).toBe(s.parsed.symbols().length);
    expect(all.rows.every((r) => !r.recovered)).toBe(true);
    const rec = v.table.page({ query: 'main.main', filter: 'recovered', offset: 0, limit: 50 });
    expect(rec.rows.map((r) => r.name)).toContain('main.main');
    expect(rec.rows.every((r) => r.recovered === true && r.type === 'func')).toBe(true);
  });

  it('Go names are merged when the symbol table names no function', () => {
    const { slices } = run('go/bin/go1.19-arm64-linux-exe');
    const s = slices[0]!;
    // The same slice with its symbol table gone, as `-ldflags=-s` leaves an ELF file.
    const stripped = { ...s.parsed, symbols: () => [], dynamicSymbols: () => [] };
    const v = symbolView(stripped, s.goFunctions);
    expect(v.source).toMatchObject({ table: 'none', rows: 0, merged: true });
    const p = v.table.page({ query: 'main.main', filter: 'all', offset: 0, limit: 10 });
    expect(p.total).toBe(s.goFunctions!.length);
    expect(p.rows.map((r) => r.name)).toContain('main.main');
    expect(p.rows.find((r) => r.name === 'main.main')!.section).toBe('.text');
  });
});

describe('per-function table', () => {
  it('has the rows the report counted, and its filters agree with the summary', () => {
    const { report, slices } = run('arm64/bin/aarch64-pacflow');
    const s = slices[0]!;
    const sum = report.slices[0]!.arm64!.functions!;
    const t = functionTable(s.parsed, engine, s.goFunctions, nameIndex(s.parsed, s.goFunctions));
    const rows = allRows(t, 'all');
    expect(rows).toHaveLength(sum.total);
    expect(rows.filter((r) => r.signs)).toHaveLength(sum.signing);
    expect(rows.filter((r) => r.nonLeaf)).toHaveLength(sum.nonLeaf);
    expect(rows.filter((r) => r.btiEntry)).toHaveLength(sum.btiEntry);
    const unauth = allRows(t, 'unauthenticated');
    expect(unauth.map((r) => hex(r.address)).sort()).toEqual(sum.unauthenticatedReturns.map((u) => u.address).sort());
    expect(unauth.every((r) => r.signs && r.unauthReturn !== null)).toBe(true);
    expect(allRows(t, 'signing').every((r) => r.signs)).toBe(true);
    expect(allRows(t, 'unsigned-nonleaf').every((r) => r.nonLeaf && !r.signs)).toBe(true);
  });

  it('sorts by every column, worst authentication first', () => {
    const { slices } = run('arm64/bin/aarch64-pacflow');
    const s = slices[0]!;
    const t = functionTable(s.parsed, engine, s.goFunctions, nameIndex(s.parsed, s.goFunctions));
    const byAuth = allRows(t, 'all', { sort: 'authenticates' });
    const ranks = byAuth.map(authRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).toBe(0);
    const bySize = allRows(t, 'all', { sort: 'size', descending: true }).map((r) => r.size);
    expect(bySize).toEqual([...bySize].sort((a, b) => b - a));
    const byName = allRows(t, 'all', { sort: 'name' }).map((r: FunctionRow) => r.name ?? '');
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'en')));
    const byAddr = allRows(t, 'all', { sort: 'address', descending: true }).map((r) => r.address);
    expect(byAddr).toEqual([...byAddr].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
  });

  it('names stripped Go functions from the function table and marks them recovered', () => {
    const { slices } = run('go/bin/go1.19-arm64-linux-exe');
    const s = slices[0]!;
    const stripped = { ...s.parsed, symbols: () => [], dynamicSymbols: () => [] };
    const t = functionTable(stripped, engine, s.goFunctions, nameIndex(stripped, s.goFunctions));
    const p = t.page({ query: 'main.main', filter: 'all', offset: 0, limit: 10 });
    const main = p.rows.find((r) => r.name === 'main.main');
    expect(main?.recovered).toBe(true);
    expect(main?.address).toBe(s.goFunctions!.find((f) => f.name === 'main.main')!.entry);
  });
});

describe('per-function facts from the scan', () => {
  it('the table reads the facts the report counted: the same rows and starts as working them out again, and no second analysis', () => {
    let checked = 0;
    for (const rel of [
      'elf/bin/aarch64-glibc-pie-pacbti',
      'elf/bin/aarch64-static-bti',
      'verdict/bin/go-arm64-linux-cgo-dynamic',
      'go/bin/go1.19-arm64-linux-exe',
      'go/bin/go1.19-arm64-darwin-stripped',
      'macho/bin/lld-universal-macos-exe',
    ]) {
      const a = buildReport(new MemorySource(fixtureBytes(rel)), rel, { engine, skipHash: true });
      for (const s of a.slices) {
        if (!s.parsed.report.arch.startsWith('arm64')) continue;
        const reported = reportedFunctions(s.parsed, engine);
        expect(reported, rel).not.toBeNull();
        expect(reported, rel).toEqual(arm64Functions(s.parsed, engine, goExtra(s.goFunctions)));
        expect(reportedStarts(s.parsed), rel).toEqual(functionBounds(s.parsed, goExtra(s.goFunctions)).fns.map((f) => f.start));
        // The table's rows come without the engine analyzing a function.
        const batches = engine.analyzeBatch;
        let calls = 0;
        engine.analyzeBatch = (...args) => (calls++, batches.apply(engine, args));
        try {
          allRows(functionTable(s.parsed, engine, s.goFunctions, nameIndex(s.parsed, s.goFunctions)), 'all');
        } finally {
          engine.analyzeBatch = batches;
        }
        expect(calls, rel).toBe(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('has none for a slice the report did not scan with this engine', async () => {
    const a = buildReport(new MemorySource(fixtureBytes('elf/bin/aarch64-glibc-pie-pacbti')), 'x', { engine: null, skipHash: true });
    expect(reportedFunctions(a.slices[0]!.parsed, engine)).toBeNull();
    expect(reportedStarts(a.slices[0]!.parsed)).toBeNull();
    const scanned = run('elf/bin/aarch64-glibc-pie-pacbti').slices[0]!.parsed;
    expect(reportedFunctions(scanned, await Arm64Engine.fromBytes(readFileSync(WASM_PATH)))).toBeNull();
  });
});

describe('listing pages', () => {
  it('row i is at the address the page computes, across data-in-code gaps', () => {
    const { slices } = run('arm64/bin/aarch64-pacflow');
    const s = slices[0]!;
    const ix = listingIndexOf(s.parsed);
    expect(ix.ranges.length).toBeGreaterThan(1); // the jump table splits .text
    const names = nameIndex(s.parsed, s.goFunctions);
    const rows = [];
    for (let from = 0; from < ix.total; from += 7) rows.push(...listingPage(s.parsed, engine, ix, names, from, 7));
    expect(rows).toHaveLength(ix.total);
    rows.forEach((r, i) => {
      expect(r.row).toBe(i);
      expect(r.address).toBe(addressOfRow(ix, i));
    });
    // The same text as one listing of the whole sweep.
    const whole = listing(s.parsed, engine, {}, ix.total + 10);
    expect(rows.map((r) => r.text)).toEqual(whole.slice(0, ix.total).map((r) => r.text));
    expect(rows.some((r) => r.isPac)).toBe(true);
  });

  it('labels function starts with their symbol and names branch targets', () => {
    const { slices } = run('elf/bin/aarch64-glibc-pie-pacbti');
    const s = slices[0]!;
    const ix = listingIndexOf(s.parsed);
    const rows = listingPage(s.parsed, engine, ix, nameIndex(s.parsed, s.goFunctions), 0, ix.total);
    const funcs = s.parsed
      .symbols()
      .filter((f) => f.defined && f.type === 'func' && f.address !== null && rowOfAddress(ix, f.address) !== null);
    expect(funcs.length).toBeGreaterThan(3);
    for (const f of funcs) {
      const r = rows[rowOfAddress(ix, f.address!)!]!;
      expect(r.label, f.name).not.toBeNull();
    }
    const main = rows.find((r) => r.label === 'main');
    expect(main).toBeDefined();
    const bl = rows.filter((r) => r.mnemonic === 'bl' && r.target !== null);
    expect(bl.length).toBeGreaterThan(0);
    const text = s.parsed.image.sections.find((x) => x.name === '.text')!;
    const inText = (a: bigint) => a >= text.addr && a < text.addr + BigInt(text.size);
    expect(bl.filter((r) => inText(r.target!)).length).toBeGreaterThan(0);
    expect(bl.filter((r) => inText(r.target!)).every((r) => r.targetName !== null)).toBe(true);
    // A call into .plt is not named after the last symbol of .init.
    expect(bl.filter((r) => !inText(r.target!)).every((r) => r.targetName === null)).toBe(true);
    expect(rows.filter((r) => r.mnemonic === 'paciasp').every((r) => r.isPac)).toBe(true);
  });

  it('names branch targets in a Go binary whose symbols are gone', () => {
    const { slices } = run('go/bin/go1.19-arm64-linux-exe');
    const s = slices[0]!;
    const stripped = { ...s.parsed, symbols: () => [], dynamicSymbols: () => [] };
    const ix = listingIndexOf(stripped);
    const main = s.goFunctions!.find((f) => f.name === 'main.main')!;
    const at = rowOfAddress(ix, main.entry)!;
    const rows = listingPage(stripped, engine, ix, nameIndex(stripped, s.goFunctions), at, 40);
    expect(rows[0]!.label).toBe('main.main');
    const calls = rows.filter((r) => r.mnemonic === 'bl');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((r) => r.targetName !== null && !r.targetName.includes('+'))).toBe(true);
  });

  it('asks past the end or before the start: an empty page, no throw', () => {
    const { slices } = run('elf/bin/aarch64-glibc-pie-pacbti');
    const s = slices[0]!;
    const ix = listingIndexOf(s.parsed);
    const names = nameIndex(s.parsed, s.goFunctions);
    expect(listingPage(s.parsed, engine, ix, names, ix.total, 10)).toEqual([]);
    expect(listingPage(s.parsed, engine, ix, names, ix.total - 2, 10)).toHaveLength(2);
    expect(listingPage(s.parsed, engine, ix, names, 0, 1e9).length).toBeLessThanOrEqual(2000);
  });
});

describe('folder summary', () => {
  it('carries the matrix in short and counts findings by severity', () => {
    const { report } = run('macho/bin/lld-x86_64-macos-exe');
    const sum = summarize(report);
    expect(sum.verdicts?.map((v) => v.target)).toEqual(report.compatibility!.map((c) => c.target));
    expect(sum.verdicts?.find((v) => v.target === 'macos-arm64')?.verdict).toBe('rosetta');
    const f = sum.findings!;
    expect(f.error + f.warning + f.info).toBe(report.findings!.length);
  });
});

describe('NameIndex', () => {
  it('names an address from the nearest name in its own section only', async () => {
    const { NameIndex } = await import('./arm64Tables.ts');
    const ix = new NameIndex(
      [
        { address: 0x100n, name: '_init' },
        { address: 0x200n, name: 'main' },
        { address: 0x200n, name: 'main.alias' },
        { address: 0x900n, name: 'ABS' },
      ],
      [0x200n],
      [
        { start: 0x100n, end: 0x120n }, // .init
        { start: 0x130n, end: 0x180n }, // .plt: no names
        { start: 0x200n, end: 0x300n }, // .text
      ],
    );
    expect(ix.containing(0x110n)).toBe('_init+0x10');
    expect(ix.containing(0x140n)).toBeNull();
    expect(ix.containing(0x208n)).toBe('main+0x8');
    expect(ix.exact(0x200n)).toBe('main');
    expect(ix.containing(0x900n)).toBe('ABS');
    expect(ix.containing(0x904n)).toBeNull();
    expect(ix.containing(0x50n)).toBeNull();
  });
});

describe('Arm (32-bit) Thumb functions', () => {
  it('the symbol view shows their address as llvm-nm-19 does: bit 0 (the Thumb mark) cleared', () => {
    // fixtures/elf/bin/armv7-static is built with -mthumb: st_value of step is 0x11161, llvm-nm prints 00011160.
    const s = run('elf/bin/armv7-static').slices[0]!;
    expect(s.parsed.symbols().find((r) => r.name === 'step')?.address).toBe(0x11161n);
    const rows = allRows(symbolView(s.parsed, null).table, 'all');
    const at = (name: string) => rows.find((r) => r.name === name)?.address;
    expect(at('step')).toBe(0x11160n);
    expect(at('_start')).toBe(0x11178n);
    // Data keeps its address: only function symbols carry the mark.
    expect(at('counter')).toBe(0x121a0n);
  });
});
