// A table that lives in the worker, seen through pages of rows. The list asks
// for row i; a row that is not here yet schedules its page and shows as a
// placeholder until it arrives. Only a bounded number of pages is kept, so
// scrolling through 500,000 symbols holds a few thousand rows at most.

import { isCancelled } from '../../workers/client.ts';
import type { Page, TableQuery } from '../../report/tables.ts';

export const PAGE_SIZE = 200;
const KEEP_PAGES = 40;
const QUERY_DELAY_MS = 140;

export class PagedRows<R, F extends string> {
  /** The search text as typed. */
  query = $state('');
  filter: F = $state() as F;
  /** Rows in the whole table; null until the first page arrives. */
  total = $state<number | null>(null);
  /** Rows matching the current query and filter. */
  matched = $state(0);
  /** A page is on its way for the current query. */
  pending = $state(false);
  error = $state<string | null>(null);
  /** Bumped on every new query; views scroll back to the top on it. */
  version = $state(0);
  /** Sort order the table names; "" keeps the table's own order. */
  sort = $state('');
  descending = $state(false);

  private pages = $state.raw(new Map<number, R[]>());
  private inflight = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The query and filter the loaded pages belong to. */
  private asked = { query: '', filter: '' as F, sort: '', descending: false };

  constructor(
    private readonly fetchPage: (q: TableQuery<F>) => Promise<Page<R>>,
    filter: F,
    readonly pageSize = PAGE_SIZE,
  ) {
    this.filter = filter;
    this.reload();
  }

  /** Row i of the current match, or undefined while its page is loading (reading it asks for it). */
  row(i: number): R | undefined {
    const p = Math.floor(i / this.pageSize);
    const page = this.pages.get(p);
    if (page) return page[i - p * this.pageSize];
    // Not during rendering: state changes wait for a microtask.
    if (this.error === null && !this.inflight.has(p)) queueMicrotask(() => void this.load(p));
    return undefined;
  }

  setQuery(q: string): void {
    this.query = q;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), QUERY_DELAY_MS);
  }

  setFilter(f: F): void {
    this.filter = f;
    clearTimeout(this.timer);
    this.reload();
  }

  /** Sorts by a column; the same column again reverses the order. */
  setSort(key: string, descending?: boolean): void {
    if (descending !== undefined) this.descending = descending;
    else this.descending = this.sort === key ? !this.descending : false;
    this.sort = key;
    clearTimeout(this.timer);
    this.reload();
  }

  /** Drops the pages and asks again from the top (new query, or a retry after an error). */
  reload(): void {
    this.asked = { query: this.query, filter: this.filter, sort: this.sort, descending: this.descending };
    this.version++;
    this.inflight.clear();
    this.error = null;
    // The count stays until the new one arrives, so the list does not collapse and jump.
    this.pages = new Map();
    void this.load(0);
  }

  private async load(p: number): Promise<void> {
    if (this.pages.has(p) || this.inflight.has(p)) return;
    const version = this.version;
    this.inflight.add(p);
    if (p === 0) this.pending = true;
    try {
      const res = await this.fetchPage({ ...this.asked, offset: p * this.pageSize, limit: this.pageSize });
      if (version !== this.version) return;
      const next = new Map(this.pages);
      next.set(p, res.rows);
      if (next.size > KEEP_PAGES) {
        // Evict the pages farthest from the one just read.
        const far = [...next.keys()].sort((a, b) => Math.abs(b - p) - Math.abs(a - p));
        for (const k of far.slice(0, next.size - KEEP_PAGES)) next.delete(k);
      }
      this.pages = next;
      this.total = res.total;
      this.matched = res.matched;
    } catch (e) {
      if (version !== this.version) return;
      if (isCancelled(e)) {
        // The worker was stopped for other work (a folder scan cancelled);
        // ask again: the file is reopened in the fresh worker.
        this.inflight.delete(p);
        queueMicrotask(() => void this.load(p));
        return;
      }
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (version === this.version) {
        this.inflight.delete(p);
        if (p === 0) this.pending = false;
      }
    }
  }

  /** Stops a pending query timer (the view is going away). */
  dispose(): void {
    clearTimeout(this.timer);
    this.version++;
  }
}
