import { describe, expect, it } from 'vitest';
import { addressOfRow, makeListingIndex, rowOfAddress, sectionOfRow, windowAround } from './listingIndex.ts';

const bytes = (n: number) => ({ byteLength: n });

describe('listing index', () => {
  // Two ranges of .text split by data-in-code, then __stubs; a trailing partial word is not an instruction.
  const ix = makeListingIndex([
    { section: '.text', address: 0x1000n, bytes: bytes(16) },
    { section: '.text', address: 0x1020n, bytes: bytes(10) },
    { section: '.empty', address: 0x1100n, bytes: bytes(2) },
    { section: '__stubs', address: 0x2000n, bytes: bytes(8) },
  ]);

  it('numbers every instruction in range order', () => {
    expect(ix.total).toBe(4 + 2 + 2);
    expect(ix.ranges.map((r) => [r.section, r.address, r.start, r.count])).toEqual([
      ['.text', 0x1000n, 0, 4],
      ['.text', 0x1020n, 4, 2],
      ['__stubs', 0x2000n, 6, 2],
    ]);
  });

  it('maps rows to addresses and back, across range gaps', () => {
    for (let i = 0; i < ix.total; i++) expect(rowOfAddress(ix, addressOfRow(ix, i)!)).toBe(i);
    expect(addressOfRow(ix, 3)).toBe(0x100cn);
    expect(addressOfRow(ix, 4)).toBe(0x1020n);
    expect(addressOfRow(ix, 7)).toBe(0x2004n);
    expect(sectionOfRow(ix, 6)).toBe('__stubs');
  });

  it('says null for rows past the end and addresses outside the code', () => {
    expect(addressOfRow(ix, 8)).toBeNull();
    expect(addressOfRow(ix, -1)).toBeNull();
    expect(addressOfRow(ix, 1.5)).toBeNull();
    expect(rowOfAddress(ix, 0x1010n)).toBeNull(); // the data between the two .text ranges
    expect(rowOfAddress(ix, '0x2008')).toBeNull();
    expect(rowOfAddress(ix, 'not hex')).toBeNull();
    // An address inside an instruction word is that instruction.
    expect(rowOfAddress(ix, '0x1006')).toBe(1);
  });

  it('centres a window on a row, clamped to the listing', () => {
    expect(windowAround(5_000_000, 2_500_000, 100_000)).toEqual({ start: 2_450_000, count: 100_000 });
    expect(windowAround(5_000_000, 10, 100_000)).toEqual({ start: 0, count: 100_000 });
    expect(windowAround(5_000_000, 4_999_999, 100_000)).toEqual({ start: 4_900_000, count: 100_000 });
    expect(windowAround(300, 250, 100_000)).toEqual({ start: 0, count: 300 });
    expect(windowAround(0, 0, 100)).toEqual({ start: 0, count: 0 });
  });
});
