// The disassembly listing as the page holds it: a window of rows over the
// whole listing (see listingIndex.ts windowAround), filled from the worker
// through pageCache.ts's pages.

import { isCancelled, type ListingLine } from '../../workers/client.ts';
import { rowOfAddress, windowAround, type ListingIndex } from '../../arm64/listingIndex.ts';
import { LivePages } from '../tables/livePages.svelte.ts';

const LISTING_PAGE = 256;
/** Rows in the list at once: 100,000 rows of 22 px stay far under the browser's height limit. */
const LISTING_WINDOW = 100_000;
const KEEP_PAGES = 64;

export class ListingPager {
  /** Listing row of the window's first row. */
  windowStart = $state(0);
  windowCount = $state(0);
  /** The row opened or followed last (highlighted). */
  selected = $state<number | null>(null);

  /** The listing's rows by number, paged in as they are read. */
  readonly lines: LivePages<ListingLine>;

  constructor(
    readonly index: ListingIndex,
    fetchRows: (from: number, count: number) => Promise<ListingLine[]>,
    readonly windowSize = LISTING_WINDOW,
  ) {
    this.windowCount = Math.min(index.total, windowSize);
    this.lines = new LivePages<ListingLine>({
      pageSize: LISTING_PAGE,
      keep: KEEP_PAGES,
      fetch: async (from, count) => ({ rows: await fetchRows(from, count) }),
      // The worker was replaced (a cancel elsewhere); the file is reopened on the next ask.
      retryOn: isCancelled,
    });
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

  dispose(): void {
    this.lines.dispose();
  }
}
