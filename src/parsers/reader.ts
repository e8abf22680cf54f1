// The one place that decodes integers and strings from a binary. Every parser
// reads through a Reader; no parser indexes a byte array by itself.
//
// A Reader views a window [base, base + length) of a ByteSource. Offsets given
// to its methods are relative to the window; errors report absolute file
// offsets so a user can find the byte in a hex editor.

import { hex } from '../report/types.ts';

/** Random access to the bytes of a file. Implementations must not read past `size`. */
export interface ByteSource {
  readonly size: number;
  /** Bytes [offset, offset + length). The result may be a view; callers must not mutate it. */
  read(offset: number, length: number): Uint8Array;
  /**
   * Fetches [offset, offset + length) ahead without blocking, where the source
   * can (a ChunkedSource with an asynchronous reader), so that the reads that
   * follow find the bytes in memory. Callers that can wait call it; parsers never do.
   */
  prefetch?(offset: number, length: number): Promise<void>;
}

/** A malformed structure: where it is, which field, and the bad value. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    message: string,
    /** Absolute file offset of the offending bytes. */
    readonly offset: number,
    /** Spec name of the field or structure, e.g. `e_shoff` or `LC_SEGMENT_64.fileoff`. */
    readonly field: string,
    readonly value?: number | bigint,
  ) {
    // Malformed input is data, not a bug in binlens: a hostile file can make
    // tens of thousands of these, and a stack trace each costs more than the
    // whole parse (65,000 bogus section headers: 1.4 s of the 1.9 s).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** Thrown when a bounded loop or a cap is hit: the input is not wrong, only too big to show whole. */
export class LimitError extends FormatError {}

/** A whole file (or any byte array) already in memory. Reads are views, never copies. */
export class MemorySource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.byteLength;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, offset + length);
  }
}

/** How long a read may be, in chunks, before it goes past a ChunkedSource's cache (when not all of them are held). */
const LONG_READ = 4;

/**
 * Wraps a slow source (Blob slices in a worker, fs reads in Node) with a small
 * cache of fixed-size chunks, so parsers can read field by field without
 * pulling the whole file into memory: at most `maxChunks` chunks are held, the
 * least recently read dropped first. A read longer than LONG_READ chunks goes
 * to the source past the cache (it would push out most of it), unless every
 * chunk it spans is held.
 *
 * With `fetch`, an asynchronous read of the same bytes, chunks are fetched
 * ahead where the caller can wait (`prefetch`: a unit's walk, before a member
 * is parsed), and the synchronous reads that follow find them held. In a
 * worker that is Blob.arrayBuffer(), whose garbage is collected early, where
 * the source's reads are FileReaderSync's, collected late.
 */
export class ChunkedSource implements ByteSource {
  readonly size: number;
  private readonly cache = new Map<number, Uint8Array>();
  constructor(
    private readonly inner: ByteSource,
    private readonly chunkSize = 1 << 20,
    private readonly maxChunks = 16,
    private readonly fetch?: (offset: number, length: number) => Promise<Uint8Array>,
  ) {
    this.size = inner.size;
  }

  /** Bytes held in the cache now. */
  get held(): number {
    let n = 0;
    for (const c of this.cache.values()) n += c.byteLength;
    return n;
  }

  /** Chunk `index`'s offset and length. */
  private span(index: number): [number, number] {
    const start = index * this.chunkSize;
    return [start, Math.min(this.chunkSize, this.size - start)];
  }

  /** A held chunk, made the most recent (Map iterates in insertion order); undefined when it is not held. */
  private cached(index: number): Uint8Array | undefined {
    const c = this.cache.get(index);
    if (c) {
      this.cache.delete(index);
      this.cache.set(index, c);
    }
    return c;
  }

  private hold(index: number, bytes: Uint8Array): Uint8Array {
    this.cache.set(index, bytes);
    if (this.cache.size > this.maxChunks) this.cache.delete(this.cache.keys().next().value as number);
    return bytes;
  }

  private chunk(index: number): Uint8Array {
    return this.cached(index) ?? this.hold(index, this.inner.read(...this.span(index)));
  }

  /** Fetches the chunks under a range ahead, those not held, when there is an asynchronous reader and they fit in half the cache. */
  async prefetch(offset: number, length: number): Promise<void> {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(offset + length, this.size));
    if (!this.fetch || end === start) return;
    const first = Math.floor(start / this.chunkSize);
    const last = Math.floor((end - 1) / this.chunkSize);
    if (last - first + 1 > this.maxChunks / 2) return;
    for (let i = first; i <= last; i++) if (!this.cached(i)) this.hold(i, await this.fetch(...this.span(i)));
  }

  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(offset + length, this.size));
    if (end === start) return new Uint8Array(0);
    const first = Math.floor(start / this.chunkSize);
    const last = Math.floor((end - 1) / this.chunkSize);
    if (first === last) {
      const at = start - first * this.chunkSize;
      return this.chunk(first).subarray(at, at + end - start);
    }
    if (end - start > this.chunkSize * LONG_READ && !this.holds(first, last)) return this.inner.read(start, end - start);
    const out = new Uint8Array(end - start);
    for (let i = first; i <= last; i++) {
      const c = this.chunk(i);
      const base = i * this.chunkSize;
      const from = Math.max(start, base);
      out.set(c.subarray(from - base, Math.min(end, base + c.byteLength) - base), from - start);
    }
    return out;
  }

  private holds(first: number, last: number): boolean {
    for (let i = first; i <= last; i++) if (!this.cache.has(i)) return false;
    return true;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');

/** Longest C string the reader will return; longer ones are cut and flagged. */
export const MAX_CSTRING = 64 * 1024;

export interface Leb {
  value: bigint;
  /** Offset of the byte after the number, relative to the reader's window. */
  next: number;
}

export class Reader {
  /** Absolute file offset of the window's first byte. */
  readonly base: number;
  readonly length: number;
  /** The window's bytes when the source is in memory; null for chunked sources. */
  private readonly mem: Uint8Array | null;
  private readonly view: DataView | null;

  constructor(
    readonly source: ByteSource,
    readonly littleEndian = true,
    base = 0,
    length = source.size - base,
  ) {
    if (base < 0 || length < 0 || base + length > source.size) {
      throw new FormatError(`window [${hex(base)}, +${hex(length)}) lies outside the file (${source.size} bytes)`, base, 'window', length);
    }
    this.base = base;
    this.length = length;
    // An in-memory source is read directly: one DataView over the window.
    if (source instanceof MemorySource) {
      this.mem = source.read(base, length);
      this.view = new DataView(this.mem.buffer, this.mem.byteOffset, this.mem.byteLength);
    } else {
      this.mem = null;
      this.view = null;
    }
  }

  static of(bytes: Uint8Array, littleEndian = true): Reader {
    return new Reader(new MemorySource(bytes), littleEndian);
  }

  /** A reader over part of this one (a fat slice, a section, a blob), with its own byte order. */
  sub(offset: number, length: number, littleEndian = this.littleEndian): Reader {
    this.check(offset, length, 'range');
    return new Reader(this.source, littleEndian, this.base + offset, length);
  }

  withEndian(littleEndian: boolean): Reader {
    return new Reader(this.source, littleEndian, this.base, this.length);
  }

  /** True when [offset, offset + length) lies inside the window. */
  has(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= this.length;
  }

  /** Bytes left in the window after `offset` (0 when past the end). */
  remaining(offset: number): number {
    return offset >= this.length || offset < 0 ? 0 : this.length - offset;
  }

  check(offset: number, length: number, field: string): void {
    if (!this.has(offset, length)) {
      throw new FormatError(
        `${field}: ${length} bytes at ${hex(this.base + offset)} run past the end of the data (${hex(this.base + this.length)})`,
        this.base + offset,
        field,
        length,
      );
    }
  }

  /**
   * Throws unless `count` records of `size` bytes fit at `offset`. Call this
   * before allocating or looping on a count taken from the file.
   */
  checkTable(offset: number, count: number, size: number, field: string): void {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new FormatError(`${field}: bad count ${count}`, this.base + offset, field, count);
    }
    this.check(offset, count * size, field);
  }

  private dv(offset: number, length: number, field: string): [DataView, number] {
    this.check(offset, length, field);
    if (this.view) return [this.view, offset];
    const b = this.source.read(this.base + offset, length);
    return [new DataView(b.buffer, b.byteOffset, b.byteLength), 0];
  }

  // u8, u16 and u32 read an in-memory window directly when the field lies
  // in it (offsets are integers below 2^32 there): symbol and string tables
  // are read a field at a time, and the checked path's allocations were a
  // third of a folder scan's parse.
  u8(offset: number, field = 'u8'): number {
    if (this.mem && offset >>> 0 === offset && offset < this.length) return this.mem[offset]!;
    const [v, at] = this.dv(offset, 1, field);
    return v.getUint8(at);
  }
  u16(offset: number, field = 'u16'): number {
    if (this.view && offset >>> 0 === offset && offset + 2 <= this.length) return this.view.getUint16(offset, this.littleEndian);
    const [v, at] = this.dv(offset, 2, field);
    return v.getUint16(at, this.littleEndian);
  }
  u32(offset: number, field = 'u32'): number {
    if (this.view && offset >>> 0 === offset && offset + 4 <= this.length) return this.view.getUint32(offset, this.littleEndian);
    const [v, at] = this.dv(offset, 4, field);
    return v.getUint32(at, this.littleEndian);
  }
  i32(offset: number, field = 'i32'): number {
    const [v, at] = this.dv(offset, 4, field);
    return v.getInt32(at, this.littleEndian);
  }
  u64(offset: number, field = 'u64'): bigint {
    const [v, at] = this.dv(offset, 8, field);
    return v.getBigUint64(at, this.littleEndian);
  }
  i64(offset: number, field = 'i64'): bigint {
    const [v, at] = this.dv(offset, 8, field);
    return v.getBigInt64(at, this.littleEndian);
  }
  /** A 64-bit value used as a size, offset or count: must fit a JS number exactly. */
  u64n(offset: number, field = 'u64'): number {
    const v = this.u64(offset, field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError(`${field}: value ${hex(v)} is too large`, this.base + offset, field, v);
    }
    return Number(v);
  }
  /** 32- or 64-bit unsigned word as a number (ELF `Elf_Addr`/`Elf_Off`, Mach-O sizes). */
  word(offset: number, is64: boolean, field = 'word'): number {
    return is64 ? this.u64n(offset, field) : this.u32(offset, field);
  }
  /** 32- or 64-bit address kept exact as bigint. */
  addr(offset: number, is64: boolean, field = 'addr'): bigint {
    return is64 ? this.u64(offset, field) : BigInt(this.u32(offset, field));
  }

  /** A view of `length` bytes; a copy only when the source is chunked and the range spans chunks. */
  bytes(offset: number, length: number, field = 'bytes'): Uint8Array {
    this.check(offset, length, field);
    if (this.mem) return this.mem.subarray(offset, offset + length);
    return this.source.read(this.base + offset, length);
  }

  /** Unsigned LEB128. Longer than 10 bytes, or running off the end, is a FormatError. */
  uleb(offset: number, field = 'uleb128'): Leb {
    let result = 0n;
    let shift = 0n;
    let at = offset;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8(at, field);
      at++;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return { value: BigInt.asUintN(64, result), next: at };
      shift += 7n;
    }
    throw new FormatError(`${field}: ULEB128 longer than 10 bytes`, this.base + offset, field);
  }

  /** Unsigned LEB128 that must fit a JS number (counts, offsets, ordinals). */
  ulebn(offset: number, field = 'uleb128'): { value: number; next: number } {
    // Fast path without BigInt: up to 7 bytes (49 bits) are exact as numbers.
    // Hot in Go pc-value tables and Mach-O export tries.
    let small = 0;
    let scale = 1;
    for (let i = 0, at = offset; i < 7; i++, at++, scale *= 128) {
      const byte = this.u8(at, field);
      small += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return { value: small, next: at + 1 };
    }
    const { value, next } = this.uleb(offset, field);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError(`${field}: value ${hex(value)} is too large`, this.base + offset, field, value);
    }
    return { value: Number(value), next };
  }

  sleb(offset: number, field = 'sleb128'): Leb {
    let result = 0n;
    let shift = 0n;
    let at = offset;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8(at, field);
      at++;
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) {
        if (byte & 0x40 && shift < 64n) result |= -1n << shift;
        return { value: BigInt.asIntN(64, result), next: at };
      }
    }
    throw new FormatError(`${field}: SLEB128 longer than 10 bytes`, this.base + offset, field);
  }

  /**
   * NUL-terminated string starting at `offset`, decoded as UTF-8. Stops at the
   * window's end or after `max` bytes; `truncated` says whether a NUL was found.
   */
  cstringEx(offset: number, max = MAX_CSTRING, field = 'string'): { value: string; end: number; truncated: boolean } {
    this.check(offset, 0, field);
    if (offset >= this.length)
      throw new FormatError(`${field}: string offset ${hex(offset)} is past the end`, this.base + offset, field, offset);
    const limit = Math.min(this.length - offset, max);
    if (this.mem) {
      const end = this.mem.indexOf(0, offset);
      const stop = end === -1 || end - offset > limit ? offset + limit : end;
      return { value: decodeUtf8(this.mem, offset, stop), end: stop, truncated: stop !== end };
    }
    // Chunked source: scan forward in pieces.
    const parts: Uint8Array[] = [];
    let at = offset;
    while (at < offset + limit) {
      const n = Math.min(4096, offset + limit - at);
      const piece = this.source.read(this.base + at, n);
      const z = piece.indexOf(0);
      if (z !== -1) {
        parts.push(piece.subarray(0, z));
        at += z;
        return { value: utf8.decode(concat(parts)), end: at, truncated: false };
      }
      parts.push(piece.slice());
      at += n;
    }
    return { value: utf8.decode(concat(parts)), end: at, truncated: true };
  }

  /**
   * Where the NUL-terminated string at `offset` ends, as cstringEx finds it
   * (same limits, same errors), without decoding it: a name that is checked
   * but not kept.
   */
  cstringSpan(offset: number, max = MAX_CSTRING, field = 'string'): { end: number; truncated: boolean } {
    if (!this.mem) {
      const { end, truncated } = this.cstringEx(offset, max, field);
      return { end, truncated };
    }
    this.check(offset, 0, field);
    if (offset >= this.length)
      throw new FormatError(`${field}: string offset ${hex(offset)} is past the end`, this.base + offset, field, offset);
    const limit = Math.min(this.length - offset, max);
    const end = this.mem.indexOf(0, offset);
    const stop = end === -1 || end - offset > limit ? offset + limit : end;
    return { end: stop, truncated: stop !== end };
  }

  cstring(offset: number, max = MAX_CSTRING, field = 'string'): string {
    return this.cstringEx(offset, max, field).value;
  }

  /** `length` bytes decoded as UTF-8: a counted string (Go's string headers, varint-prefixed data), not NUL-terminated. */
  utf8(offset: number, length: number, field = 'string'): string {
    return utf8.decode(this.bytes(offset, length, field));
  }

  /** A fixed-width, NUL-padded name field such as Mach-O `segname[16]`. Decoded byte for byte. */
  fixedString(offset: number, width: number, field = 'name'): string {
    const b = this.bytes(offset, width, field);
    const z = b.indexOf(0);
    return latin1.decode(z === -1 ? b : b.subarray(0, z));
  }
}

/**
 * Bytes [start, end) of `b` as UTF-8. A short ASCII run (symbol names,
 * library names, version strings: nearly every string of a binary) is built
 * in JavaScript; a call into the TextDecoder costs more than the decoding
 * itself at that size. Anything else goes to the TextDecoder, which gives
 * the same text for ASCII.
 */
function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return utf8.decode(b.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x80) return utf8.decode(b.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

/** The parts one after another, in a new array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

// The report's way of writing an address or offset, for the parsers that write one.
export { hex };

/**
 * Most problems listed per Problems collector. A damaged table yields one
 * error per entry (every symbol name out of range, every section offset too
 * large); past this many the rest add nothing a reader can act on, only
 * megabytes to the report. The count of the rest is kept in `dropped`.
 */
export const MAX_PROBLEMS = 1000;

/** Bytes kept of one name once its string table's budget is spent. */
export const CUT_NAME = 256;

/**
 * What one string table may cost to read. Names are decoded one by one, and
 * nothing stops a forged table from pointing thousands of symbols at one long
 * unterminated run (a 3 MB Mach-O made 7,000 names of 360 KB each: a gigabyte
 * of strings). Real tables decode about their own size (a little more where
 * the linker merged suffixes), so once four times the table plus 1 MB has
 * been decoded, further names are cut to CUT_NAME bytes and end in `…`.
 */
export class StringBudget {
  private left: number;
  /** Names cut so far. */
  cut = 0;
  constructor(tableSize: number) {
    this.left = 4 * tableSize + (1 << 20);
  }
  /** The NUL-terminated string at `offset` of `r`, at most `max` bytes: `cut` says the budget shortened it. */
  cstring(r: Reader, offset: number, max: number, field: string): { value: string; truncated: boolean; cut: boolean } {
    const limit = this.left > 0 ? max : Math.min(max, CUT_NAME);
    const s = r.cstringEx(offset, limit, field);
    this.left -= s.end - offset;
    if (s.truncated && limit < max) {
      this.cut++;
      return { value: s.value + '…', truncated: true, cut: true };
    }
    return { value: s.value, truncated: s.truncated, cut: false };
  }
  /** cstring's accounting and outcome without the string: what `cstring` would have charged and said. */
  span(r: Reader, offset: number, max: number, field: string): { truncated: boolean; cut: boolean } {
    const limit = this.left > 0 ? max : Math.min(max, CUT_NAME);
    const s = r.cstringSpan(offset, limit, field);
    this.left -= s.end - offset;
    return { truncated: s.truncated, cut: s.truncated && limit < max };
  }
}

/** Collects problems found while parsing, so a parser can record one and go on. */
export class Problems {
  readonly errors: FormatError[] = [];
  readonly warnings: string[] = [];
  /** Errors not listed because MAX_PROBLEMS were already recorded. */
  dropped = 0;
  private record(e: FormatError): void {
    if (this.errors.length < MAX_PROBLEMS) {
      this.errors.push(e);
      return;
    }
    if (this.dropped++ === 0) this.warn(`more than ${MAX_PROBLEMS} problems in this file: only the first ${MAX_PROBLEMS} are listed`);
  }
  /** Records a FormatError; anything else is a bug in binlens and is kept under the field `internal` (the fuzz tests fail on it). */
  error(e: unknown, fallbackOffset = 0): void {
    if (e instanceof FormatError) this.record(e);
    else this.record(new FormatError(`internal error: ${e instanceof Error ? e.message : String(e)}`, fallbackOffset, 'internal'));
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
  /** Runs `f`; on a FormatError records it and returns `fallback`. Other exceptions propagate (they are bugs). */
  try<T>(f: () => T, fallback: T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof FormatError) {
        this.record(e);
        return fallback;
      }
      throw e;
    }
  }
}
