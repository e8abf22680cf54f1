import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBinary } from '../cli/binary.ts';
import { goFunctionsForSlice } from '../parsers/go/index.ts';
import { sliceSizeTrees } from '../size/groups.ts';
import type { SizeNode } from '../size/sizeMap.ts';
import { MAX_LEVEL, SizeTables } from './sizeTables.ts';

const GO = join(import.meta.dirname, '..', '..', 'fixtures/go/bin/go1.19-arm64-linux-exe');

function tables(): SizeTables {
  const f = openBinary(GO);
  try {
    const slice = f.slices[0]!;
    const t = sliceSizeTrees({ slice, goFunctions: goFunctionsForSlice(slice), format: 'elf' });
    return new SizeTables(t.map, t.groups);
  } finally {
    f.close();
  }
}

describe('the size map, one level at a time', () => {
  it('a level has its biggest children, the rest as one sum, and the path back to the slice', () => {
    const t = tables();
    const root = t.level('groups', 0, 50);
    expect(root.node.kind).toBe('slice');
    expect(root.path).toEqual([]);
    const std = root.children.find((c) => c.name === 'std')!;
    expect(std.moduleKind).toBe('std');
    const pkgs = t.level('groups', std.id, 3);
    expect(pkgs.path.map((p) => p.name)).toEqual(['arm64']);
    expect(pkgs.children.map((c) => c.name)[0]).toBe('runtime');
    expect(pkgs.children).toHaveLength(3);
    // The others tile: what the three leave, counted and summed, so the level still adds up.
    expect(pkgs.others!.count).toBe(std.children - 3);
    expect(pkgs.children.reduce((n, c) => n + c.size, 0) + pkgs.others!.size).toBe(std.size);
    const runtime = t.level('groups', pkgs.children[0]!.id, 10);
    expect(runtime.path.map((p) => p.name)).toEqual(['arm64', 'std']);
    expect(runtime.children.every((c) => c.kind === 'function' || c.kind === 'symbol')).toBe(true);
  });

  it('never more than MAX_LEVEL children cross, whatever is asked', () => {
    const t = tables();
    const segments = t.level('sections', 0, 10).children.filter((c) => c.kind === 'segment');
    const textSection = segments.flatMap((s) => t.level('sections', s.id, 10).children).find((c) => c.name === '.text')!;
    // .text → Go packages → functions: runtime has more than a level holds.
    const runtime = t.level('sections', textSection.id, 1).children[0]!;
    expect(runtime.name).toBe('runtime');
    expect(runtime.children).toBeGreaterThan(MAX_LEVEL);
    const all = t.level('sections', runtime.id, 1e9);
    expect(all.children).toHaveLength(MAX_LEVEL);
    expect(all.others!.count).toBe(runtime.children - MAX_LEVEL);
    expect(t.level('sections', runtime.id, -5).children).toEqual([]);
    expect(() => t.level('sections', 1e9, 1)).toThrow(RangeError);
    expect(() => t.level('nope' as 'sections', 0, 1)).toThrow(RangeError);
  });

  it("a node's children page and sort as a table: by name, by size, searched", () => {
    const t = tables();
    const std = t.level('groups', 0, 50).children.find((c) => c.name === 'std')!;
    const runtime = t.level('groups', std.id, 1).children[0]!;
    const table = t.children('groups', runtime.id);
    const bySize = table.page({ query: '', filter: 'all', offset: 0, limit: 5, sort: 'size', descending: true });
    expect(bySize.total).toBe(runtime.children);
    expect(bySize.rows.map((r) => r.size)).toEqual([...bySize.rows.map((r) => r.size)].sort((a, b) => b - a));
    const byName = table.page({ query: '', filter: 'all', offset: 0, limit: 3, sort: 'name' });
    expect(byName.rows.map((r) => r.name)).toEqual([...byName.rows.map((r) => r.name)].sort());
    const found = table.page({ query: 'mallocgc', filter: 'all', offset: 0, limit: 10 });
    expect(found.rows.map((r) => r.name)).toContain('runtime.mallocgc');
  });

  it('a tree of 100,000 symbols: a level is bounded, the table pages', () => {
    const leaves: SizeNode[] = Array.from({ length: 100_000 }, (_, i) => ({
      name: `s${i}`,
      kind: 'symbol',
      size: 100_000 - i,
      children: [],
    }));
    const size = leaves.reduce((n, l) => n + l.size, 0);
    const root: SizeNode = { name: 'x', kind: 'slice', size, children: [{ name: '.text', kind: 'section', size, children: leaves }] };
    const t = new SizeTables(root, root);
    const text = t.level('sections', 0, 10).children[0]!;
    const level = t.level('sections', text.id, 200);
    expect(level.children).toHaveLength(200);
    expect(level.others).toEqual({ count: 99_800, size: size - level.children.reduce((n, c) => n + c.size, 0) });
    const page = t.children('sections', text.id).page({ query: '', filter: 'all', offset: 99_990, limit: 5000 });
    expect(page.rows).toHaveLength(10);
    expect(t.count('sections')).toBe(100_002);
  });

  it('names are demangled as they are sent, once each, when the trees hold them raw', () => {
    const leaf = (name: string, size: number): SizeNode => ({ name, kind: 'symbol', size, children: [] });
    const root: SizeNode = { name: 'x', kind: 'slice', size: 30, children: [leaf('_Z1fv', 20), leaf('plain', 10)] };
    const asked: string[] = [];
    const t = new SizeTables(root, root, (n) => {
      asked.push(n);
      return n === '_Z1fv' ? 'f()' : null;
    });
    const level = t.level('sections', 0, 10);
    expect(level.children.map((c) => [c.name, c.raw])).toEqual([
      ['f()', '_Z1fv'],
      ['plain', undefined],
    ]);
    t.level('sections', 0, 10);
    expect(
      t
        .children('sections', 0)
        .page({ query: 'f()', filter: 'all', offset: 0, limit: 5 })
        .rows.map((r) => r.raw),
    ).toEqual(['_Z1fv']);
    expect(asked).toEqual(['_Z1fv', 'plain']);
  });
});
