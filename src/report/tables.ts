// Big tables stay in the worker; the page asks for one window of rows at a
// time for its current query. Each table is a PagedTable: rows made on first
// use, a case-insensitive substring search, named filters, optional named
// sort orders, and the match of the last query kept so scrolling through it
// does not re-filter or re-sort.

/** What the page asks a table for. */
export interface TableQuery<F extends string = string> {
  /** Substring to look for, case-insensitive; "" matches every row. */
  query: string;
  filter: F;
  /** First matching row wanted. */
  offset: number;
  /** Rows wanted; capped at MAX_PAGE. */
  limit: number;
  /** A sort order the table names (TableSpec.sorts); absent or "" keeps the table's own order. */
  sort?: string;
  /** Reverse the sort order. */
  descending?: boolean;
}

export interface Page<R> {
  /** Rows in the whole table (those TableSpec.counted accepts). */
  total: number;
  /** Rows matching the query and filter. */
  matched: number;
  /** Offset of rows[0] among the matching rows. */
  offset: number;
  rows: R[];
}

/** Most rows one call returns, so a bad request cannot make the worker clone the whole table. */
export const MAX_PAGE = 2000;

export interface TableSpec<R, F extends string> {
  /** The text the query is matched against. */
  text(row: R): string;
  filters: Record<F, (row: R) => boolean>;
  /** Named orders; ties keep the table's order, so a sort is stable. */
  sorts?: Record<string, (a: R, b: R) => number>;
  /**
   * Rows that count toward `total`. Rows it rejects are reachable only
   * through a filter that asks for them (recovered names in a symbol table
   * that has its own).
   */
  counted?: (row: R) => boolean;
}

export class PagedTable<R, F extends string> {
  private all: R[] | null = null;
  private lower: string[] | null = null;
  private lastKey: string | null = null;
  /** Indices of the rows matching the last query; null when every row matches. */
  private lastMatch: Uint32Array | null = null;
  private counted: number | null = null;

  constructor(
    private readonly rowsOf: () => R[],
    private readonly spec: TableSpec<R, F>,
  ) {}

  private rows(): R[] {
    this.all ??= this.rowsOf();
    return this.all;
  }

  /** Filter names this table knows. */
  filters(): F[] {
    return Object.keys(this.spec.filters) as F[];
  }

  private total(): number {
    const counted = this.spec.counted;
    this.counted ??= counted ? this.rows().reduce((n, r) => n + (counted(r) ? 1 : 0), 0) : this.rows().length;
    return this.counted;
  }

  /** Names of the sort orders this table knows. */
  sorts(): string[] {
    return Object.keys(this.spec.sorts ?? {});
  }

  private match(query: string, filter: F, sort: string, descending: boolean): Uint32Array | null {
    const key = `${filter}\u0000${sort}\u0000${descending ? 1 : 0}\u0000${query}`;
    if (key === this.lastKey) return this.lastMatch;
    const rows = this.rows();
    const keep = this.spec.filters[filter];
    let match: Uint32Array | null = null;
    const everyRow = query === '' && sort === '' && (keep === undefined || rows.every(keep));
    if (!everyRow) {
      if (query !== '') this.lower ??= rows.map((r) => this.spec.text(r).toLowerCase());
      const lower = this.lower;
      const hits = new Uint32Array(rows.length);
      let n = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (keep && !keep(row)) continue;
        if (query !== '' && !lower![i]!.includes(query)) continue;
        hits[n++] = i;
      }
      match = hits.slice(0, n);
      const cmp = sort === '' ? undefined : this.spec.sorts?.[sort];
      if (cmp) {
        const dir = descending ? -1 : 1;
        // Typed-array sort is not guaranteed stable: ties fall back to the index.
        match.sort((a, b) => dir * cmp(rows[a]!, rows[b]!) || a - b);
      }
    }
    this.lastKey = key;
    this.lastMatch = match;
    return match;
  }

  page(q: TableQuery<F>): Page<R> {
    if (!Object.hasOwn(this.spec.filters, q.filter)) {
      throw new RangeError(`unknown filter "${String(q.filter)}" (known: ${this.filters().join(', ')})`);
    }
    const sort = q.sort ?? '';
    if (sort !== '' && !Object.hasOwn(this.spec.sorts ?? {}, sort)) {
      throw new RangeError(`unknown sort "${String(sort)}" (known: ${this.sorts().join(', ') || 'none'})`);
    }
    const query = String(q.query ?? '')
      .trim()
      .toLowerCase();
    const rows = this.rows();
    const match = this.match(query, q.filter, sort, q.descending === true);
    const matched = match ? match.length : rows.length;
    const offset = clampInt(q.offset, 0, matched);
    const limit = clampInt(q.limit, 0, MAX_PAGE);
    const end = Math.min(matched, offset + limit);
    const out: R[] = [];
    for (let i = offset; i < end; i++) out.push(rows[match ? match[i]! : i]!);
    return { total: this.total(), matched, offset, rows: out };
  }
}

function clampInt(v: unknown, lo: number, hi: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : 0;
  return Math.max(lo, Math.min(hi, n));
}
