// The loaded image as Go's runtime sees it: words at virtual addresses, the
// file-backed segments to search, and the load-time relocations that fill
// pointers in position-independent ELF files (read by elf/relocations.ts).
// Written over the typed Image so build info and function-table recovery run
// the same on ELF and Mach-O.

import type { Image } from '../image.ts';
import type { Reader } from '../reader.ts';

export interface LoadedSegment {
  address: bigint;
  /** Slice-relative file offset. */
  offset: number;
  fileSize: number;
  readable: boolean;
  writable: boolean;
  executable: boolean;
}

/** File-backed loadable segments (ELF PT_LOAD, Mach-O LC_SEGMENT*), in header order, clipped to the bytes the slice has. */
export function fileBacked(image: Image): LoadedSegment[] {
  const out: LoadedSegment[] = [];
  for (const l of image.loads) {
    if (l.filesz <= 0) continue;
    // A header that claims bytes past the end of the slice is clipped, not trusted.
    const fileSize = Math.min(l.filesz, image.reader.remaining(l.offset));
    if (fileSize <= 0) continue;
    out.push({ address: l.vaddr, offset: l.offset, fileSize, readable: l.r, writable: l.w, executable: l.x });
  }
  return out;
}

/** Index of `needle` in `hay` at or after `from`, at an offset that is a multiple of `align` (relative to `alignBase`), or -1. */
export function findBytes(hay: Uint8Array, needle: Uint8Array, from = 0, align = 1, alignBase = 0): number {
  const first = needle[0];
  if (first === undefined) return -1;
  const last = hay.length - needle.length;
  if (align > 1) {
    // Stepping over aligned positions beats indexOf when the first byte is
    // common (0x00 in a little-endian pointer): one compare per word.
    let i = from + ((((alignBase - from) % align) + align) % align);
    for (; i <= last; i += align) {
      if (hay[i] !== first) continue;
      let j = 1;
      while (j < needle.length && hay[i + j] === needle[j]) j++;
      if (j === needle.length) return i;
    }
    return -1;
  }
  let i = from;
  while (i <= last) {
    i = hay.indexOf(first, i);
    if (i === -1 || i > last) return -1;
    if ((i - alignBase) % align === 0) {
      let j = 1;
      while (j < needle.length && hay[i + j] === needle[j]) j++;
      if (j === needle.length) return i;
    }
    i++;
  }
  return -1;
}

/** `value` as the `size`-byte word it would be stored as. */
export function wordBytes(value: bigint, size: 4 | 8, littleEndian: boolean): Uint8Array {
  const b = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    b[littleEndian ? i : size - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

/**
 * Pointer-sized reads at virtual addresses, as the loader leaves them. Where
 * a base-relative dynamic relocation (ELF RELA, symbol 0: R_*_RELATIVE and
 * the like) targets a word, the loader writes the relocation's addend there
 * whatever the file holds: Go's internal linker writes the same value into
 * the file, but an external linker may leave 0 or Go's pre-link value.
 */
export class GoMemory {
  readonly segments: LoadedSegment[];
  private relocs: Map<bigint, bigint> | null = null;

  constructor(
    readonly image: Image,
    readonly ptrSize: 4 | 8,
    readonly littleEndian: boolean,
  ) {
    this.segments = fileBacked(image);
  }

  private reader(): Reader {
    return this.image.reader.littleEndian === this.littleEndian ? this.image.reader : this.image.reader.withEndian(this.littleEndian);
  }

  /** Slice-relative file offset of `n` file-backed bytes at `address`, or null. */
  offsetOf(address: bigint, n: number): number | null {
    for (const s of this.segments) {
      if (address >= s.address && address + BigInt(n) <= s.address + BigInt(s.fileSize)) return s.offset + Number(address - s.address);
    }
    return null;
  }

  /** The raw word stored at `address`, or null when it is not file-backed. */
  rawWord(address: bigint): bigint | null {
    const off = this.offsetOf(address, this.ptrSize);
    if (off === null) return null;
    const r = this.reader();
    return this.ptrSize === 8 ? r.u64(off, 'pointer') : BigInt(r.u32(off, 'pointer'));
  }

  /** The pointer the loader leaves at `address` (the relocation's addend when one targets it), or null. */
  word(address: bigint): bigint | null {
    const v = this.rawWord(address);
    if (v === null) return null;
    return this.relocations().get(address) ?? v;
  }

  /** Bytes at `address`, exactly `n` of them, or null when not all are file-backed. */
  bytes(address: bigint, n: number): Uint8Array | null {
    if (!Number.isSafeInteger(n) || n < 0) return null;
    const off = this.offsetOf(address, n);
    return off === null ? null : this.image.reader.bytes(off, n, 'bytes');
  }

  /** Reader over `n` bytes at `address` in this memory's byte order, or null. */
  readerAt(address: bigint, n: number): Reader | null {
    const off = this.offsetOf(address, n);
    return off === null ? null : this.reader().sub(off, n);
  }

  /** Addresses of pointer-aligned words in writable segments that hold `value` once loaded. */
  findPointers(value: bigint, limit = 16): bigint[] {
    const out: bigint[] = [];
    const needle = wordBytes(value, this.ptrSize, this.littleEndian);
    const relocs = this.relocations();
    for (const s of this.segments) {
      if (!s.writable) continue;
      const hay = this.image.reader.bytes(s.offset, s.fileSize, 'segment');
      // Alignment is to the word's virtual address, not its file offset.
      const base = Number(s.address % BigInt(this.ptrSize));
      const alignBase = (this.ptrSize - base) % this.ptrSize;
      for (
        let i = findBytes(hay, needle, 0, this.ptrSize, alignBase);
        i !== -1 && out.length < limit;
        i = findBytes(hay, needle, i + 1, this.ptrSize, alignBase)
      ) {
        const at = s.address + BigInt(i);
        const r = relocs.get(at);
        if (r === undefined || r === value) out.push(at);
      }
    }
    for (const [at, addend] of relocs) {
      if (out.length >= limit) break;
      if (addend === value && !out.includes(at) && this.rawWord(at) !== null) out.push(at);
    }
    return out;
  }

  /**
   * Base-relative dynamic relocations by target address (ELF RELA entries with
   * symbol 0; the addend is the unrelocated pointer). REL entries keep the
   * pointer in the file, as Mach-O rebases do, so there is nothing to add.
   */
  relocations(): Map<bigint, bigint> {
    if (this.relocs) return this.relocs;
    this.relocs = new Map();
    for (const r of this.image.relocations()) {
      if (r.symbol !== 0 || r.addend === null) continue;
      this.relocs.set(r.offset, BigInt.asUintN(this.ptrSize * 8, r.addend));
    }
    return this.relocs;
  }
}
