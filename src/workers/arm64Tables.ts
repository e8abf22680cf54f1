// The ARM64 view's tables, built in the worker from a parsed slice and the
// engine: the per-function table (src/arm64/scan.ts arm64Functions, with the
// same function sources the report's summary counted) and pages of the
// disassembly listing (scan.ts listing) with function starts labelled and
// branch targets named from every name the file has: its symbol table, its
// .dynsym, and Go's function table when the symbols are gone.

import type { Arm64Engine } from '../arm64/engine.ts';
import {
  arm64Functions,
  reportedFunctions,
  reportedStarts,
  codeRanges,
  functionBounds,
  listing,
  type Arm64FunctionRow,
  type FunctionInfo,
  type ListingRow,
} from '../arm64/scan.ts';
import type { GoFunction } from '../parsers/go/index.ts';
import type { ParsedSlice, SymbolRow } from '../parsers/types.ts';
import { addressOfRow, makeListingIndex, type ListingIndex } from '../arm64/listingIndex.ts';
import { MAX_PAGE, PagedTable } from '../report/tables.ts';
import { hex } from '../report/types.ts';

export const FUNCTION_FILTERS = ['all', 'unauthenticated', 'signing', 'unsigned-nonleaf', 'no-bti'] as const;
export type FunctionFilter = (typeof FUNCTION_FILTERS)[number];
export const FUNCTION_SORTS = ['address', 'name', 'size', 'signs', 'authenticates', 'bti', 'nonLeaf'] as const;
export type FunctionSort = (typeof FUNCTION_SORTS)[number];

/** One row of the per-function table as the page shows it. */
export interface FunctionRow extends Arm64FunctionRow {
  /** The name came from Go's function table, not the file's symbols. */
  recovered: boolean;
  /** The name as the file holds it, when `name` is its demangled text. */
  rawName?: string;
}

/** Demangles one name; null when it is not mangled (src/demangle). */
export type NameDemangler = (name: string) => string | null;

/** A listing row with what the page needs around it. */
export interface ListingLine extends ListingRow {
  /** Listing index of this row. */
  row: number;
  /** A function starts here: its name, or "" when the file records the start but no name. */
  label: string | null;
  /** The nearest name at or below the address (`main+0x14`): where the reader is. */
  where: string | null;
}

/** Sections a name can reach: a name speaks for addresses up to the end of its own section. */
export interface Extent {
  start: bigint;
  end: bigint;
}

/**
 * Names by address: exact (for labels) and nearest-below (for `name+0x10`).
 * As llvm-objdump does, the nearest name is looked for in the address's own
 * section only: a branch into .plt is not `_init+0x70`.
 */
export class NameIndex {
  private readonly addrs: bigint[];
  private readonly names: string[];
  private readonly ends: bigint[];
  /** Addresses where a function starts, named or not. */
  readonly starts: Set<bigint>;

  constructor(entries: { address: bigint; name: string }[], starts: Iterable<bigint> = [], sections: Extent[] = []) {
    // Earlier entries win at the same address: callers list the file's own names first.
    const byAddr = new Map<bigint, string>();
    for (const e of entries) if (e.name !== '' && !byAddr.has(e.address)) byAddr.set(e.address, e.name);
    const sorted = [...byAddr.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.addrs = sorted.map((e) => e[0]);
    this.names = sorted.map((e) => e[1]);
    // A name outside every section (an absolute symbol) names its own address only.
    const secs = [...sections].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
    this.ends = this.addrs.map((a) => {
      let lo = 0;
      let hi = secs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (secs[mid]!.start <= a) lo = mid + 1;
        else hi = mid;
      }
      const x = secs[lo - 1];
      return x && a < x.end ? x.end : a + 1n;
    });
    this.starts = new Set(starts);
  }

  get size(): number {
    return this.addrs.length;
  }

  private below(a: bigint): number {
    let lo = 0;
    let hi = this.addrs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.addrs[mid]! <= a) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  exact(a: bigint): string | null {
    const i = this.below(a);
    return i >= 0 && this.addrs[i] === a ? this.names[i]! : null;
  }

  /** `name` or `name+0x10`, from the nearest name at or below the address in the same section. */
  containing(a: bigint): string | null {
    const i = this.below(a);
    if (i < 0 || a >= this.ends[i]!) return null;
    const base = this.addrs[i]!;
    return a === base ? this.names[i]! : `${this.names[i]}+0x${(a - base).toString(16)}`;
  }
}

function definedNamed(rows: SymbolRow[], demangle: NameDemangler | null = null): { address: bigint; name: string }[] {
  const out: { address: bigint; name: string }[] = [];
  for (const r of rows) {
    if (!r.defined || r.address === null || r.name === '') continue;
    if (r.type === 'section' || r.type === 'file') continue;
    out.push({ address: r.address, name: (demangle && demangle(r.name)) ?? r.name });
  }
  return out;
}

function safe(get: () => SymbolRow[]): SymbolRow[] {
  try {
    return get();
  } catch {
    return [];
  }
}

/** Go's table as function boundaries for the engine (what the pipeline gives analyzeArm64). */
export function goExtra(goFunctions: GoFunction[] | null): FunctionInfo[] {
  return (goFunctions ?? []).map((f) => ({ address: f.entry, name: f.name, size: Number(f.end - f.entry) }));
}

/** Every name the slice has for its addresses, the file's own first; demangled when `demangle` is given. */
export function nameIndex(slice: ParsedSlice, goFunctions: GoFunction[] | null, demangle: NameDemangler | null = null): NameIndex {
  const own = safe(() => slice.symbols());
  const dyn = own.length === 0 && slice.dynamicSymbols ? safe(() => slice.dynamicSymbols!()) : [];
  const go = (goFunctions ?? []).map((f) => ({ address: f.entry, name: f.name }));
  // The bounds the scan found, when it ran: working them out again took 60–480 ms for Biome's 81,381 functions.
  const fnStarts = reportedStarts(slice) ?? functionBounds(slice, goExtra(goFunctions)).fns.map((f) => f.start);
  // functionBounds already takes .dynsym when the symbol table has no function; a symbol table with only
  // objects (and a .dynsym with functions) is the rare case these starts still add.
  const dynStarts = dyn.filter((r) => r.defined && r.type === 'func' && r.address !== null).map((r) => r.address!);
  const sections = slice.image.sections
    .filter((x) => x.size > 0 && x.addr !== 0n)
    .map((x) => ({ start: x.addr, end: x.addr + BigInt(x.size) }));
  return new NameIndex([...definedNamed(own, demangle), ...definedNamed(dyn, demangle), ...go], [...fnStarts, ...dynStarts], sections);
}

const collator = new Intl.Collator('en');

const byAddress = (a: FunctionRow, b: FunctionRow): number => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/** The per-function table, with names the function sources lacked filled in from the name index. */
export function functionTable(
  slice: ParsedSlice,
  engine: Arm64Engine,
  goFunctions: GoFunction[] | null,
  names: NameIndex,
  demangle: NameDemangler | null = null,
): PagedTable<FunctionRow, FunctionFilter> {
  const goNames = new Set((goFunctions ?? []).map((f) => f.entry));
  const ownNames = new Set(definedNamed(safe(() => slice.symbols())).map((e) => e.address));
  const build = (): FunctionRow[] => {
    const found = reportedFunctions(slice, engine) ?? arm64Functions(slice, engine, goExtra(goFunctions));
    const rows = found.rows.map((r) => {
      const a = r.address;
      const demangled = r.name !== null && demangle ? demangle(r.name) : null;
      const name = demangled ?? r.name ?? names.exact(a);
      // Every field written out: an object spread here took 300–490 ms for Biome's 81,381 functions, this 20–60.
      const row: FunctionRow = {
        address: r.address,
        name,
        size: r.size,
        signs: r.signs,
        returns: r.returns,
        unauthReturn: r.unauthReturn,
        btiEntry: r.btiEntry,
        nonLeaf: r.nonLeaf,
        recovered: name !== null && goNames.has(a) && !ownNames.has(a),
      };
      if (demangled !== null) row.rawName = r.name!;
      return row;
    });
    return rows.sort(byAddress);
  };
  const flag = (f: (r: FunctionRow) => number) => (a: FunctionRow, b: FunctionRow) => f(a) - f(b) || byAddress(a, b);
  return new PagedTable<FunctionRow, FunctionFilter>(build, {
    text: (r) => `${r.name ?? ''} ${hex(r.address)}${r.rawName === undefined ? '' : `\n${r.rawName}`}`,
    filters: {
      all: () => true,
      unauthenticated: (r) => r.unauthReturn !== null,
      signing: (r) => r.signs,
      'unsigned-nonleaf': (r) => r.nonLeaf && !r.signs,
      'no-bti': (r) => !r.btiEntry,
    },
    sorts: {
      address: byAddress,
      // Unnamed functions sort after named ones.
      name: (a, b) =>
        (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) || collator.compare(a.name ?? '', b.name ?? '') || byAddress(a, b),
      size: flag((r) => r.size),
      signs: flag((r) => (r.signs ? 1 : 0)),
      authenticates: flag(authRank),
      bti: flag((r) => (r.btiEntry ? 1 : 0)),
      nonLeaf: flag((r) => (r.nonLeaf ? 1 : 0)),
    },
  });
}

/**
 * How a function stands on return-address authentication, worst first:
 * 0 signs and can return unauthenticated, 1 signs and never returns,
 * 2 does not sign, 3 signs and authenticates before every return.
 */
export function authRank(r: Arm64FunctionRow): number {
  if (!r.signs) return 2;
  if (r.unauthReturn !== null) return 0;
  return r.returns ? 3 : 1;
}

/** The listing's numbering for a slice. */
export function listingIndexOf(slice: ParsedSlice): ListingIndex {
  return makeListingIndex(codeRanges(slice));
}

/** Rows [from, from + count) of the listing. */
export function listingPage(
  slice: ParsedSlice,
  engine: Arm64Engine,
  ix: ListingIndex,
  names: NameIndex,
  from: number,
  count: number,
): ListingLine[] {
  const start = addressOfRow(ix, Math.max(0, Math.floor(from)));
  if (start === null) return [];
  const n = Math.max(0, Math.min(MAX_PAGE, Math.floor(count), ix.total - from));
  const rows = listing(slice, engine, { start }, n);
  return rows.map((r, i) => {
    const a = r.address;
    const named = names.exact(a);
    const label = named !== null && names.starts.has(a) ? named : names.starts.has(a) ? '' : null;
    const targetName = r.target !== null ? names.containing(r.target) : null;
    return { ...r, row: from + i, label, targetName, where: names.containing(a) };
  });
}
