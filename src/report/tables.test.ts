import { describe, expect, it } from 'vitest';
import { MAX_PAGE, PagedTable } from './tables.ts';

interface Row {
  name: string;
  odd: boolean;
}

function table(n: number) {
  let built = 0;
  const t = new PagedTable<Row, 'all' | 'odd'>(
    () => {
      built++;
      return Array.from({ length: n }, (_, i) => ({ name: `Sym_${i}`, odd: i % 2 === 1 }));
    },
    { text: (r) => r.name, filters: { all: () => true, odd: (r) => r.odd } },
  );
  return { t, built: () => built };
}

describe('PagedTable', () => {
  it('pages the whole table when the query is empty', () => {
    const { t } = table(1000);
    const p = t.page({ query: '', filter: 'all', offset: 990, limit: 50 });
    expect(p.total).toBe(1000);
    expect(p.matched).toBe(1000);
    expect(p.offset).toBe(990);
    expect(p.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Sym_${990 + i}`));
  });

  it('matches substrings case-insensitively and counts the matches', () => {
    const { t } = table(1000);
    const p = t.page({ query: '  SYM_99 ', filter: 'all', offset: 0, limit: 100 });
    // Sym_99, Sym_990..Sym_999
    expect(p.matched).toBe(11);
    expect(p.rows.map((r) => r.name)).toEqual(['Sym_99', ...Array.from({ length: 10 }, (_, i) => `Sym_${990 + i}`)]);
  });

  it('combines the filter with the query, and pages inside the match', () => {
    const { t } = table(1000);
    const p = t.page({ query: 'sym_1', filter: 'odd', offset: 2, limit: 3 });
    // odd rows whose name contains "sym_1": 1, 11, 13, 15, 17, 19, 101, ...
    expect(p.rows.map((r) => r.name)).toEqual(['Sym_13', 'Sym_15', 'Sym_17']);
    expect(p.matched).toBe(1 + 5 + 50 + 0); // 1; 11..19 odd; 100..199 odd
    expect(p.total).toBe(1000);
  });

  it('builds the rows once and clamps bad windows', () => {
    const { t, built } = table(10);
    t.page({ query: '', filter: 'all', offset: 0, limit: 1 });
    t.page({ query: 'x', filter: 'odd', offset: 0, limit: 1 });
    expect(built()).toBe(1);
    expect(t.page({ query: '', filter: 'all', offset: 50, limit: 5 }).rows).toEqual([]);
    expect(t.page({ query: '', filter: 'all', offset: -4, limit: 2 }).offset).toBe(0);
    expect(t.page({ query: '', filter: 'all', offset: Number.NaN, limit: 2 }).rows).toHaveLength(2);
  });

  it('never returns more than MAX_PAGE rows', () => {
    const { t } = table(MAX_PAGE * 3);
    expect(t.page({ query: '', filter: 'all', offset: 0, limit: 1e9 }).rows).toHaveLength(MAX_PAGE);
  });

  it('rejects an unknown filter with the names it knows', () => {
    const { t } = table(3);
    expect(() => t.page({ query: '', filter: 'bogus' as 'all', offset: 0, limit: 1 })).toThrow(/unknown filter "bogus".*all, odd/);
  });

  it('stays fast on 500,000 rows', () => {
    const { t } = table(500_000);
    t.page({ query: '', filter: 'all', offset: 0, limit: 1 });
    const start = performance.now();
    const p = t.page({ query: 'sym_4242', filter: 'all', offset: 0, limit: 256 });
    const first = performance.now() - start;
    expect(p.matched).toBe(1 + 10 + 100); // 4242, 42420..42429, 424200..424299
    const again = performance.now();
    t.page({ query: 'sym_4242', filter: 'all', offset: 100, limit: 256 });
    expect(performance.now() - again).toBeLessThan(first + 5);
    expect(first).toBeLessThan(2000);
  });
});

describe('PagedTable sorting and counted rows', () => {
  interface Fn {
    name: string;
    size: number;
    hidden?: boolean;
  }
  const rows: Fn[] = [
    { name: 'c', size: 8 },
    { name: 'a', size: 4 },
    { name: 'b', size: 8 },
    { name: 'd', size: 2, hidden: true },
  ];
  const make = () =>
    new PagedTable<Fn, 'all' | 'hidden'>(() => rows, {
      text: (r) => r.name,
      counted: (r) => !r.hidden,
      filters: { all: (r) => !r.hidden, hidden: (r) => r.hidden === true },
      sorts: { size: (a, b) => a.size - b.size, name: (a, b) => a.name.localeCompare(b.name) },
    });

  it('sorts the match, stable on ties, both ways', () => {
    const t = make();
    const asc = t.page({ query: '', filter: 'all', offset: 0, limit: 10, sort: 'size' });
    expect(asc.rows.map((r) => r.name)).toEqual(['a', 'c', 'b']);
    const desc = t.page({ query: '', filter: 'all', offset: 0, limit: 10, sort: 'size', descending: true });
    // Ties keep the table's order in either direction.
    expect(desc.rows.map((r) => r.name)).toEqual(['c', 'b', 'a']);
    expect(t.page({ query: '', filter: 'all', offset: 1, limit: 1, sort: 'name' }).rows.map((r) => r.name)).toEqual(['b']);
  });

  it('counts only counted rows in total; a filter can still reach the others', () => {
    const t = make();
    const all = t.page({ query: '', filter: 'all', offset: 0, limit: 10 });
    expect(all.total).toBe(3);
    expect(all.matched).toBe(3);
    const hidden = t.page({ query: '', filter: 'hidden', offset: 0, limit: 10 });
    expect(hidden.rows.map((r) => r.name)).toEqual(['d']);
    expect(hidden.total).toBe(3);
  });

  it('rejects an unknown sort with the names it knows', () => {
    expect(() => make().page({ query: '', filter: 'all', offset: 0, limit: 1, sort: 'bogus' })).toThrow(/unknown sort "bogus".*size, name/);
  });
});
