// A table that lives in the worker (src/report/tables.ts), seen through pages
// of rows for the current search, filter and sort: the query's state, over
// pageCache.ts's pages. PagedList.svelte shows it; the size map's table reads
// it too.

import { isCancelled } from '../../workers/client.ts';
import type { Page, TableQuery } from '../../report/tables.ts';
import { LivePages } from './livePages.svelte.ts';

const PAGE_SIZE = 200;
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
  /** Bumped on every new query; views scroll back to the top on it. */
  version = $state(0);
  /** Sort order the table names; "" keeps the table's own order. */
  sort = $state('');
  descending = $state(false);

  /** The current match's rows, paged in as they are read; `pages.error` says why they could not be. */
  readonly pages: LivePages<R, Page<R>>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The query and filter the cache's pages belong to. */
  #asked = { query: '', filter: '' as F, sort: '', descending: false };

  constructor(fetchPage: (q: TableQuery<F>) => Promise<Page<R>>, filter: F) {
    this.filter = filter;
    this.pages = new LivePages<R, Page<R>>({
      pageSize: PAGE_SIZE,
      keep: KEEP_PAGES,
      fetch: (offset, limit) => fetchPage({ ...this.#asked, offset, limit }),
      // The worker was stopped for other work (a folder scan cancelled): the file is reopened in the fresh one.
      retryOn: isCancelled,
      onPage: (page) => {
        this.total = page.total;
        this.matched = page.matched;
      },
    });
    this.reload();
  }

  setQuery(q: string): void {
    this.query = q;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.reload(), QUERY_DELAY_MS);
  }

  setFilter(f: F): void {
    this.filter = f;
    clearTimeout(this.#timer);
    this.reload();
  }

  /** Sorts by a column; the same column again reverses the order. */
  setSort(key: string, descending?: boolean): void {
    if (descending !== undefined) this.descending = descending;
    else this.descending = this.sort === key ? !this.descending : false;
    this.sort = key;
    clearTimeout(this.#timer);
    this.reload();
  }

  /** Asks again from the top (new query, or a retry after an error). The counts stay until the new ones arrive, so the list does not collapse and jump. */
  reload(): void {
    this.#asked = { query: this.query, filter: this.filter, sort: this.sort, descending: this.descending };
    this.version++;
    this.pages.reset();
    // The list draws no row before the first page says how many match.
    this.pages.prefetch(0);
  }

  /** Stops a pending query timer and ignores the answers still on their way (the view is going away). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.pages.dispose();
  }
}
