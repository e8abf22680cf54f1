// Rows that live in the worker, seen through pages. A row that is not here yet
// asks for its page and reads as undefined until the page arrives; a bounded
// number of pages is kept, the least recently read dropped first, so walking
// through 500,000 symbols or five million instructions holds a few thousand
// rows at most. A new query starts a new generation: pages of the old one are
// dropped, and its answers still on the way are ignored when they arrive.
// Plain TypeScript (vitest compiles no runes): livePages.svelte.ts makes it
// reactive through changed().

export interface PageCacheOptions<P> {
  /** Rows per page. */
  pageSize: number;
  /** Pages held at most. */
  keep: number;
  /** Asks for `limit` rows from `offset` for the current query. */
  fetch: (offset: number, limit: number) => Promise<P>;
  /** Errors after which the page is asked for again instead of failing (the worker was replaced). */
  retryOn?: (e: unknown) => boolean;
  /** A page of the current generation arrived (before `onChange`): its counts are the current ones. */
  onPage?: (page: P) => void;
  /** What row() returns may have changed: a page arrived or went, an error came or went. */
  onChange?: () => void;
}

export class PageCache<R, P extends { readonly rows: readonly R[] } = { rows: R[] }> {
  /** Pages by number, least recently read first. */
  readonly #pages = new Map<number, readonly R[]>();
  /** The page read last, so reading it again does not reorder the map. */
  #last = -1;
  readonly #inflight = new Set<number>();
  #generation = 0;
  #error: string | null = null;
  #disposed = false;
  readonly #o: PageCacheOptions<P>;

  constructor(options: PageCacheOptions<P>) {
    this.#o = options;
  }

  /** Why the last page could not be read; no page is asked for until reset(). */
  get error(): string | null {
    return this.#error;
  }

  /** Pages held now (for tests and the curious). */
  get held(): number[] {
    return [...this.#pages.keys()];
  }

  /** Row i, or undefined while its page is loading. Reading a missing row asks for its page after this task's rendering. */
  row(i: number): R | undefined {
    const p = Math.floor(i / this.#o.pageSize);
    const page = this.#pages.get(p);
    if (page) {
      if (p !== this.#last) {
        this.#pages.delete(p);
        this.#pages.set(p, page);
        this.#last = p;
      }
      return page[i - p * this.#o.pageSize];
    }
    // Not during rendering: whatever the answer changes waits for a microtask.
    if (this.#error === null && !this.#disposed && !this.#inflight.has(p)) queueMicrotask(() => void this.#load(p));
    return undefined;
  }

  /** Drops every page and forgets the answers on their way: a new query, or a retry after an error. */
  reset(): void {
    this.#generation++;
    this.#pages.clear();
    this.#last = -1;
    this.#inflight.clear();
    this.#error = null;
    this.changed();
  }

  /** Asks for row i's page now, unless it is here or on its way (a list that shows no row yet needs its counts). */
  prefetch(i: number): void {
    if (this.#error === null) void this.#load(Math.floor(i / this.#o.pageSize));
  }

  /** What row() and error return may have changed. */
  protected changed(): void {
    this.#o.onChange?.();
  }

  /** Ignores every answer from now on (the view is going away). */
  dispose(): void {
    this.#disposed = true;
    this.#generation++;
  }

  async #load(p: number): Promise<void> {
    if (this.#disposed || this.#pages.has(p) || this.#inflight.has(p)) return;
    const generation = this.#generation;
    const current = (): boolean => generation === this.#generation;
    this.#inflight.add(p);
    try {
      const page = await this.#o.fetch(p * this.#o.pageSize, this.#o.pageSize);
      if (!current()) return;
      this.#inflight.delete(p);
      this.#pages.set(p, page.rows);
      this.#last = p;
      for (const old of this.#pages.keys()) {
        if (this.#pages.size <= this.#o.keep) break;
        this.#pages.delete(old);
      }
      this.#o.onPage?.(page);
      this.changed();
    } catch (e) {
      if (!current()) return;
      this.#inflight.delete(p);
      if (this.#o.retryOn?.(e)) {
        queueMicrotask(() => void this.#load(p));
        return;
      }
      this.#error = e instanceof Error ? e.message : String(e);
      this.changed();
    }
  }
}
