// The disassembly listing of a slice as one numbered sequence of
// instructions: A64 instructions are all four bytes, so the code ranges the
// linear sweep walks (src/arm64/scan.ts codeRanges, in its order) number
// every instruction, and row i of the listing is an address the page can
// compute without asking the worker. Pure: shared by the worker and the page.

export interface ListingRange {
  section: string;
  /** Address of the range's first instruction. */
  address: bigint;
  /** Listing index of that instruction. */
  start: number;
  /** Instructions in the range. */
  count: number;
}

export interface ListingIndex {
  /** Instructions in the whole listing. */
  total: number;
  /** In listing order (the order llvm-objdump -d prints the sections). */
  ranges: ListingRange[];
}

export function makeListingIndex(ranges: { section: string; address: bigint; bytes: { byteLength: number } }[]): ListingIndex {
  const out: ListingRange[] = [];
  let start = 0;
  for (const r of ranges) {
    const count = Math.floor(r.bytes.byteLength / 4);
    if (count === 0) continue;
    out.push({ section: r.section, address: r.address, start, count });
    start += count;
  }
  return { total: start, ranges: out };
}

/** The range holding listing row i (binary search over the running starts). */
function rangeAt(ix: ListingIndex, i: number): ListingRange | null {
  if (!Number.isInteger(i) || i < 0 || i >= ix.total) return null;
  let lo = 0;
  let hi = ix.ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ix.ranges[mid]!.start <= i) lo = mid + 1;
    else hi = mid;
  }
  return ix.ranges[lo - 1] ?? null;
}

/** Address of listing row i, or null past the end. */
export function addressOfRow(ix: ListingIndex, i: number): bigint | null {
  const r = rangeAt(ix, i);
  return r ? r.address + BigInt(4 * (i - r.start)) : null;
}

/** Section of listing row i. */
export function sectionOfRow(ix: ListingIndex, i: number): string | null {
  return rangeAt(ix, i)?.section ?? null;
}

/**
 * Listing row of an address: the instruction that holds it (an unaligned
 * address falls in the word that covers it), or null when no code range
 * holds it (data, another segment, a different slice). A string is hex text
 * as the report writes an address or a reader types one.
 */
export function rowOfAddress(ix: ListingIndex, address: bigint | string): number | null {
  let a: bigint;
  try {
    a = typeof address === 'bigint' ? address : BigInt(address);
  } catch {
    return null;
  }
  for (const r of ix.ranges) {
    const off = a - r.address;
    if (off >= 0n && off < BigInt(4 * r.count)) return r.start + Number(off / 4n);
  }
  return null;
}

/**
 * The rows a list shows at once. A list element cannot be taller than the
 * browser allows (Chrome caps layout near 33 million pixels), and a 20 MB
 * text section is five million instructions: the page shows a window of
 * `size` rows of the listing and moves it as the reader goes.
 */
export function windowAround(total: number, row: number, size: number): { start: number; count: number } {
  const count = Math.max(0, Math.min(total, size));
  const want = Math.floor(row - count / 2);
  const start = Math.max(0, Math.min(total - count, want));
  return { start, count };
}
