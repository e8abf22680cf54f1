// The worker's tables of one opened file, handed down the report's views as one
// value instead of a fetcher per table. A report opened from a link has none:
// the binary is not attached, and each view says so where it needs one.

import type {
  FunctionFilter,
  FunctionRow,
  ListingLine,
  Page,
  ShownSymbol,
  SizeFilter,
  SizeItem,
  SizeLevel,
  SizeView,
  SliceInfo,
  SymbolFilter,
  TableQuery,
} from '../../workers/client.ts';

/** What the page asks the worker about one slice: pages of rows, the listing's lines, the size map. */
export interface SliceTables {
  symbols: (q: TableQuery<SymbolFilter>) => Promise<Page<ShownSymbol>>;
  functions: (q: TableQuery<FunctionFilter>) => Promise<Page<FunctionRow>>;
  listing: (from: number, count: number) => Promise<ListingLine[]>;
  sliceInfo: () => Promise<SliceInfo>;
  sizeLevel: (view: SizeView, node: number, limit: number) => Promise<SizeLevel>;
  sizeChildren: (view: SizeView, node: number, q: TableQuery<SizeFilter>) => Promise<Page<SizeItem>>;
}

/** A file's tables: those of each slice, by its index. */
export type FileTables = (slice: number) => SliceTables;
