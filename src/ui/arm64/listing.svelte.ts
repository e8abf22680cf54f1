// The disassembly listing as the page holds it: a window of rows over the
// whole listing (see listingIndex.ts windowAround), filled page by page from
// the worker. Only a bounded number of pages is kept, so walking through
// five million instructions holds a few thousand rows at most.

import { isCancelled, type ListingLine } from '../../workers/client.ts';
import { rowOfAddress, windowAround, type ListingIndex } from '../../arm64/listingIndex.ts';

export const LISTING_PAGE = 256;
/** Rows in the list at once: 100,000 rows of 22 px stay far under the browser's height limit. */
export const LISTING_WINDOW = 100_000;
const KEEP_PAGES = 64;

export class ListingPager {
  /** Listing row of the window's first row. */
  windowStart = $state(0);
  windowCount = $state(0);
  /** The row opened or followed last (highlighted). */
  selected = $state<number | null>(null);
  error = $state<string | null>(null);

  private pages = $state.raw(new Map<number, ListingLine[]>());
  private inflight = new Set<number>();
  private disposed = false;

  constructor(
    readonly index: ListingIndex,
    private readonly fetchRows: (from: number, count: number) => Promise<ListingLine[]>,
    readonly windowSize = LISTING_WINDOW,
  ) {
    this.windowCount = Math.min(index.total, windowSize);
  }

  /** Row `abs` of the listing, or undefined while its page is loading (reading it asks for it). */
  row(abs: number): ListingLine | undefined {
    const p = Math.floor(abs / LISTING_PAGE);
    const page = this.pages.get(p);
    if (page) return page[abs - p * LISTING_PAGE];
    if (this.error === null && !this.inflight.has(p)) queueMicrotask(() => void this.load(p));
    return undefined;
  }

  /** Moves the window so it holds `abs` (near its middle); returns the row's index in the window. */
  reveal(abs: number): number {
    if (abs < this.windowStart || abs >= this.windowStart + this.windowCount) this.recenter(abs);
    return abs - this.windowStart;
  }

  /** Centres the window on `abs`. */
  recenter(abs: number): void {
    const w = windowAround(this.index.total, abs, this.windowSize);
    this.windowStart = w.start;
    this.windowCount = w.count;
  }

  /** True when a row this close to an edge of the window has more listing beyond it. */
  nearEdge(local: number, margin: number): boolean {
    const atTop = local < margin && this.windowStart > 0;
    const atBottom = local > this.windowCount - margin && this.windowStart + this.windowCount < this.index.total;
    return atTop || atBottom;
  }

  /** Listing row of an address, or null when no code holds it. */
  rowOf(address: bigint | string): number | null {
    return rowOfAddress(this.index, address);
  }

  retry(): void {
    this.error = null;
    this.inflight.clear();
    this.pages = new Map();
  }

  dispose(): void {
    this.disposed = true;
  }

  private async load(p: number): Promise<void> {
    if (this.disposed || this.pages.has(p) || this.inflight.has(p)) return;
    this.inflight.add(p);
    try {
      const rows = await this.fetchRows(p * LISTING_PAGE, LISTING_PAGE);
      if (this.disposed) return;
      const next = new Map(this.pages);
      next.set(p, rows);
      if (next.size > KEEP_PAGES) {
        const far = [...next.keys()].sort((a, b) => Math.abs(b - p) - Math.abs(a - p));
        for (const k of far.slice(0, next.size - KEEP_PAGES)) next.delete(k);
      }
      this.pages = next;
    } catch (e) {
      if (this.disposed) return;
      if (isCancelled(e)) {
        // The worker was replaced (a cancel elsewhere); the file is reopened on the next ask.
        this.inflight.delete(p);
        queueMicrotask(() => void this.load(p));
        return;
      }
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.inflight.delete(p);
    }
  }
}
