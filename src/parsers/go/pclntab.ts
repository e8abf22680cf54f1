// Go's function table, the "pc-line table" (runtime.pclntab / pcHeader),
// for the four layouts Go has written since 1.2 (golang.org/s/go12symtab,
// runtime/symtab.go, debug/gosym/pclntab.go):
//
//   magic       layout  Go       header after magic,pad,pad,quantum,ptrsize
//   0xfffffffb  1.2     1.2–1.15 nfunc; functab {entry, funcoff uintptr}…; end pc; u32 fileoff
//   0xfffffffa  1.16    1.16–1.17 nfunc, nfiles, funcnameOffset, cuOffset, filetabOffset, pctabOffset, pclnOffset
//   0xfffffff0  1.18    1.18–1.19 nfunc, nfiles, textStart, then the five offsets of 1.16
//   0xfffffff1  1.20    1.20+    same as 1.18 (the magic changed with the funcID/funcFlag encoding)
//
// From 1.16 the header words are pointer sized; every offset is from the
// start of the header. From 1.18 the functab holds {entryoff, funcoff} as
// uint32, entry PCs relative to textStart (moduledata.text).

import { FormatError, MemorySource, StringBudget, hex, type Reader } from '../reader.ts';

export type PclntabVersion = '1.2' | '1.16' | '1.18' | '1.20';

export const PCLNTAB_MAGICS: ReadonlyArray<readonly [number, PclntabVersion]> = [
  [0xfffffffb, '1.2'],
  [0xfffffffa, '1.16'],
  [0xfffffff0, '1.18'],
  [0xfffffff1, '1.20'],
];

export interface PclntabHeader {
  version: PclntabVersion;
  magic: number;
  littleEndian: boolean;
  /** Instruction size quantum (1 on x86, 4 on arm64 and most RISC). */
  quantum: number;
  ptrSize: 4 | 8;
  nfunc: number;
  /** File table entries (1.2: nfiletab, counting its own count word). */
  nfiles: number;
  /** pcHeader.textStart as stored in the file (1.18+); 0 when left to a relocation or not written. */
  textStart: bigint;
  /** Offsets from the start of the header. 1.2 has one table for names, pc-value data and _func records: all 0. */
  funcnameOffset: number;
  cuOffset: number;
  filetabOffset: number;
  pctabOffset: number;
  pclnOffset: number;
  /** Where the functab starts and how wide each of its two fields is. */
  functabOffset: number;
  functabFieldSize: 4 | 8;
  /** Header size in bytes (where the first table may start). */
  headerSize: number;
}

/** Value of the last uvarint() read. */
let uvarintValue = 0;

/**
 * Reader.ulebn on raw bytes: the offset after an unsigned LEB128 at `at`
 * (its value in uvarintValue), or -1 where ulebn would throw or take its
 * BigInt path (more than 7 bytes).
 */
function uvarint(dv: DataView, at: number, size: number): number {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++, at++, scale *= 128) {
    if (at < 0 || at >= size) return -1;
    const b = dv.getUint8(at);
    v += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      uvarintValue = v;
      return at + 1;
    }
  }
  return -1;
}

/** The layout whose magic is at `at`, or null; checks the two pad bytes, quantum and pointer size as debug/gosym does. */
export function sniffPclntab(r: Reader, at = 0): { version: PclntabVersion; littleEndian: boolean } | null {
  if (!r.has(at, 8)) return null;
  const b = r.bytes(at, 8, 'pcHeader');
  if (b[4] !== 0 || b[5] !== 0) return null;
  if (b[6] !== 1 && b[6] !== 2 && b[6] !== 4) return null;
  if (b[7] !== 4 && b[7] !== 8) return null;
  const le = r.withEndian(true).u32(at, 'pcHeader.magic');
  const be = r.withEndian(false).u32(at, 'pcHeader.magic');
  for (const [magic, version] of PCLNTAB_MAGICS) {
    if (le === magic) return { version, littleEndian: true };
    if (be === magic) return { version, littleEndian: false };
  }
  return null;
}

/** Parses and bounds-checks the header of the table that starts at offset 0 of `window`. */
// eslint-disable-next-line max-lines-per-function -- the pclntab header of each Go layout (1.2, 1.16, 1.18, 1.20) field by field, as debug/gosym reads it
export function parsePclntabHeader(window: Reader): PclntabHeader {
  const sniff = sniffPclntab(window, 0);
  if (!sniff) {
    const magic = window.has(0, 4) ? window.u32(0, 'pcHeader.magic') : 0;
    throw new FormatError(`not a Go function table: magic ${hex(magic)}`, window.base, 'pcHeader.magic', magic);
  }
  const r = window.withEndian(sniff.littleEndian);
  const quantum = r.u8(6, 'pcHeader.minLC');
  const ptrSize = r.u8(7, 'pcHeader.ptrSize') as 4 | 8;
  const word = (i: number, field: string): number => r.word(8 + i * ptrSize, ptrSize === 8, field);
  const size = r.length;
  const h: PclntabHeader = {
    version: sniff.version,
    magic: r.u32(0, 'pcHeader.magic'),
    littleEndian: sniff.littleEndian,
    quantum,
    ptrSize,
    nfunc: word(0, 'pcHeader.nfunc'),
    nfiles: 0,
    textStart: 0n,
    funcnameOffset: 0,
    cuOffset: 0,
    filetabOffset: 0,
    pctabOffset: 0,
    pclnOffset: 0,
    functabOffset: 0,
    functabFieldSize: sniff.version === '1.18' || sniff.version === '1.20' ? 4 : ptrSize,
    headerSize: 8 + ptrSize,
  };
  const fieldSize = h.functabFieldSize;
  if (h.version === '1.2') {
    h.functabOffset = 8 + ptrSize;
    h.headerSize = h.functabOffset;
  } else {
    let i = 1;
    h.nfiles = word(i++, 'pcHeader.nfiles');
    if (h.version !== '1.16') h.textStart = r.addr(8 + i++ * ptrSize, ptrSize === 8, 'pcHeader.textStart');
    h.funcnameOffset = word(i++, 'pcHeader.funcnameOffset');
    h.cuOffset = word(i++, 'pcHeader.cuOffset');
    h.filetabOffset = word(i++, 'pcHeader.filetabOffset');
    h.pctabOffset = word(i++, 'pcHeader.pctabOffset');
    h.pclnOffset = word(i++, 'pcHeader.pclnOffset');
    h.headerSize = 8 + i * ptrSize;
    for (const [field, v] of [
      ['funcnameOffset', h.funcnameOffset],
      ['cuOffset', h.cuOffset],
      ['filetabOffset', h.filetabOffset],
      ['pctabOffset', h.pctabOffset],
      ['pclnOffset', h.pclnOffset],
    ] as const) {
      if (v < h.headerSize || v > size) {
        throw new FormatError(
          `pcHeader.${field} ${hex(v)} lies outside the table (${hex(size)} bytes)`,
          r.base + 8,
          `pcHeader.${field}`,
          v,
        );
      }
    }
    h.functabOffset = h.pclnOffset;
  }
  // nfunc entries of two fields plus the end PC: checked against the bytes
  // present before anything loops on it.
  const functabBytes = (h.nfunc * 2 + 1) * fieldSize;
  if (!Number.isSafeInteger(functabBytes) || h.functabOffset + functabBytes > size) {
    throw new FormatError(
      `pcHeader.nfunc ${h.nfunc}: a functab of ${functabBytes} bytes at ${hex(h.functabOffset)} does not fit the table (${hex(size)} bytes)`,
      r.base + 8,
      'pcHeader.nfunc',
      h.nfunc,
    );
  }
  if (h.version === '1.2') {
    const fileoff = r.u32(h.functabOffset + functabBytes, 'filetab offset');
    h.filetabOffset = fileoff;
    h.nfiles = r.u32(fileoff, 'nfiletab');
    r.checkTable(fileoff, h.nfiles, 4, 'filetab');
  } else if (h.nfiles > size - h.filetabOffset) {
    // Every file name takes at least its NUL.
    throw new FormatError(
      `pcHeader.nfiles ${h.nfiles} exceeds the bytes of the file table`,
      r.base + 8 + ptrSize,
      'pcHeader.nfiles',
      h.nfiles,
    );
  }
  return h;
}

/**
 * Every function of a table as numbers, read in one pass without building a
 * string or an object per function: what the report needs (how many
 * functions, their extents, a few names by byte comparison) and the quick
 * way to materialize them all. Offsets are into `bytes`, the table window.
 */
export interface FuncIndex {
  /** Entry PCs, count + 1 of them (the last is the table's end PC). */
  entries: Float64Array;
  /** Where each function's name starts and its length in bytes (to the NUL, at most NAME_MAX). */
  nameAt: Uint32Array;
  nameLen: Uint32Array;
  /** 1 when the name bytes are all ASCII (a name is then its bytes, one character each). */
  nameAscii: Uint8Array;
  /** Where each function's source file name starts, or -1 when it has none (assembly stubs, linker-made functions). */
  fileAt: Int32Array;
  bytes: Uint8Array;
}

/** Longest name or file name read (bytes); StringBudget cuts further to CUT_NAME. */
const NAME_MAX = 4096;

/**
 * Random access to the functions of one table. Entry PCs are read on demand;
 * names and files are decoded when asked for and cached.
 */
export class FuncTable {
  readonly count: number;
  private readonly r: Reader;
  private readonly sz0: number;
  private readonly funcdataBase: number;
  private readonly nameBase: number;
  private readonly pctabBase: number;
  private readonly names = new Map<number, string>();
  private readonly strings = new Map<number, string>();
  private budget: StringBudget | null = null;
  private fast: FuncIndex | null | undefined;

  constructor(
    window: Reader,
    readonly header: PclntabHeader,
    /** Base of entry offsets (moduledata.text) for 1.18+; ignored before. */
    readonly textStart: bigint,
  ) {
    this.r = window.littleEndian === header.littleEndian ? window : window.withEndian(header.littleEndian);
    this.count = header.nfunc;
    const modern = header.version === '1.18' || header.version === '1.20';
    // _func starts with the entry: uintptr before 1.18, uint32 offset after.
    this.sz0 = modern ? 4 : header.ptrSize;
    this.funcdataBase = header.version === '1.2' ? 0 : header.pclnOffset;
    this.nameBase = header.version === '1.2' ? 0 : header.funcnameOffset;
    this.pctabBase = header.version === '1.2' ? 0 : header.pctabOffset;
  }

  private field(at: number, what: string): number | bigint {
    const r = this.r;
    return this.header.functabFieldSize === 4 ? r.u32(at, what) : r.u64(at, what);
  }

  /** Entry PC of function i; `entry(count)` is the end of the last function. */
  entry(i: number): bigint {
    const v = this.field(this.header.functabOffset + 2 * i * this.header.functabFieldSize, 'functab.entry');
    return this.header.functabFieldSize === 4 && (this.header.version === '1.18' || this.header.version === '1.20')
      ? this.textStart + BigInt(v)
      : BigInt(v);
  }

  /** Every entry PC plus the end PC: count + 1 values. */
  entries(): bigint[] {
    const out = new Array<bigint>(this.count + 1);
    for (let i = 0; i <= this.count; i++) out[i] = this.entry(i);
    return out;
  }

  /** Offset of function i's _func record within the table. */
  funcOffset(i: number): number {
    const v = this.field(this.header.functabOffset + (2 * i + 1) * this.header.functabFieldSize, 'functab.funcoff');
    const off = this.funcdataBase + Number(v);
    if (!this.r.has(off, this.sz0 + 4)) {
      throw new FormatError(
        `functab[${i}].funcoff ${hex(v)} points outside the table`,
        this.r.base + this.header.functabOffset,
        'functab.funcoff',
        v,
      );
    }
    return off;
  }

  /** The _func field n (1-based after the entry; debug/gosym numbering: 1 nameoff, 5 pcfile, 8 cuOffset). */
  private funcField(i: number, n: number): number {
    return this.r.u32(this.funcOffset(i) + this.sz0 + (n - 1) * 4, '_func');
  }

  name(i: number): string {
    const off = this.funcField(i, 1);
    let s = this.names.get(off);
    if (s === undefined) {
      s = (this.budget ??= new StringBudget(this.r.length)).cstring(this.r, this.nameBase + off, 4096, '_func.nameoff').value;
      this.names.set(off, s);
    }
    return s;
  }

  private cstr(at: number, field: string): string {
    let s = this.strings.get(at);
    if (s === undefined) {
      s = (this.budget ??= new StringBudget(this.r.length)).cstring(this.r, at, 4096, field).value;
      this.strings.set(at, s);
    }
    return s;
  }

  /** Source file at the function's entry PC, or undefined (assembly stubs, linker-made functions). */
  file(i: number): string | undefined {
    const pcfile = this.funcField(i, 5);
    if (pcfile === 0) return undefined;
    const fno = this.firstValue(this.pctabBase + pcfile);
    if (fno === null) return undefined;
    const h = this.header;
    if (h.version === '1.2') {
      if (fno <= 0 || fno >= h.nfiles) return undefined;
      return this.cstr(this.r.u32(h.filetabOffset + 4 * fno, 'filetab'), 'filetab name');
    }
    if (fno < 0) return undefined;
    const cu = this.funcField(i, 8);
    if (cu === 0xffffffff) return undefined;
    const at = h.cuOffset + (cu + fno) * 4;
    if (at + 4 > h.filetabOffset && h.filetabOffset > h.cuOffset) return undefined;
    const fileOff = this.r.u32(at, 'cutab');
    if (fileOff === 0xffffffff) return undefined;
    return this.cstr(h.filetabOffset + fileOff, 'filetab name');
  }

  /**
   * The value a pc-value table gives at the function's entry: the first
   * (value delta, pc delta) pair, value starting at -1 (runtime.pcvalue).
   */
  private firstValue(at: number): number | null {
    let val = -1;
    // A zero pc delta means the pair covers no bytes; a few are tolerated.
    for (let step = 0; step < 8; step++) {
      const v = this.r.ulebn(at, 'pcvalue');
      if (v.value === 0 && step > 0) return null;
      const u = v.value;
      const delta = u & 1 ? -Math.floor(u / 2) - 1 : Math.floor(u / 2);
      val += delta;
      const pc = this.r.ulebn(v.next, 'pcvalue');
      if (pc.value > 0) return val;
      at = pc.next;
    }
    return null;
  }

  /**
   * The whole table as numbers (FuncIndex), or null when it cannot stand in
   * for name(i)/file(i) exactly: the bytes are not in memory, an entry is not
   * exact as a number, a function's record, name or file would not read
   * (those are counted and reported one by one by the slower path), or the
   * names are long enough to reach the StringBudget (which then cuts them).
   * Memoized.
   */
  index(): FuncIndex | null {
    if (this.fast === undefined) this.fast = this.buildIndex();
    return this.fast;
  }

  private buildIndex(): FuncIndex | null {
    const r = this.r;
    if (!(r.source instanceof MemorySource)) return null;
    const h = this.header;
    const n = this.count;
    const bytes = r.bytes(0, r.length);
    const size = bytes.byteLength;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, size);
    const le = h.littleEndian;
    const fs = h.functabFieldSize;
    const modern = h.version === '1.18' || h.version === '1.20';
    const base = modern ? Number(this.textStart) : 0;
    if (modern && !(this.textStart <= BigInt(Number.MAX_SAFE_INTEGER - 0xffffffff))) return null;
    const entries = new Float64Array(n + 1);
    // The functab was checked against the table's size by parsePclntabHeader.
    for (let i = 0, at = h.functabOffset; i <= n; i++, at += 2 * fs) {
      if (fs === 4) entries[i] = base + dv.getUint32(at, le);
      else {
        const hi = dv.getUint32(le ? at + 4 : at, le);
        if (hi >= 0x200000) return null;
        entries[i] = hi * 0x100000000 + dv.getUint32(le ? at : at + 4, le);
      }
    }
    const nameAt = new Uint32Array(n);
    const nameLen = new Uint32Array(n);
    const nameAscii = new Uint8Array(n);
    const fileAt = new Int32Array(n);
    const fileLen = new Map<number, number>();
    const sz0 = this.sz0;
    let spent = 0;
    const cstr = (at: number): number => {
      // cstringEx's stop: the NUL, else NAME_MAX bytes or the end of the table.
      const limit = Math.min(size - at, NAME_MAX);
      const end = bytes.indexOf(0, at);
      return end === -1 || end - at > limit ? limit : end - at;
    };
    for (let i = 0; i < n; i++) {
      const fo =
        this.funcdataBase +
        (fs === 4
          ? dv.getUint32(h.functabOffset + (2 * i + 1) * 4, le)
          : Number(this.field(h.functabOffset + (2 * i + 1) * 8, 'functab.funcoff')));
      if (!(fo + sz0 + 4 <= size)) return null;
      const at = this.nameBase + dv.getUint32(fo + sz0, le);
      if (at >= size) return null;
      let len = 0;
      let ascii = 1;
      const limit = Math.min(size - at, NAME_MAX);
      for (; len < limit; len++) {
        const b = bytes[at + len]!;
        if (b === 0) break;
        if (b >= 0x80) ascii = 0;
      }
      nameAt[i] = at;
      nameLen[i] = len;
      nameAscii[i] = ascii;
      spent += len;
      const file = this.fileOffset(dv, fo, size);
      if (file === null) return null;
      fileAt[i] = file;
      if (file >= 0 && !fileLen.has(file)) {
        const l = cstr(file);
        fileLen.set(file, l);
        spent += l;
      }
    }
    // Names decoded one by one share a StringBudget; if these could use it up
    // the cut names would differ, so the slower path decides.
    if (spent >= 4 * size + (1 << 20)) return null;
    return { entries, nameAt, nameLen, nameAscii, fileAt, bytes };
  }

  /**
   * file(i)'s lookup on raw bytes: where the file name starts, -1 for none,
   * or null where file(i) would throw (a read past the table).
   */
  private fileOffset(dv: DataView, fo: number, size: number): number | null {
    const h = this.header;
    const le = h.littleEndian;
    const f5 = fo + this.sz0 + 16;
    if (f5 + 4 > size) return null;
    const pcfile = dv.getUint32(f5, le);
    if (pcfile === 0) return -1;
    // runtime.pcvalue's first step, as firstValue reads it.
    let at = this.pctabBase + pcfile;
    let val = -1;
    let fno: number | null = null;
    for (let step = 0; step < 8; step++) {
      const v = uvarint(dv, at, size);
      if (v < 0) return null;
      const u = uvarintValue;
      if (u === 0 && step > 0) break;
      val += u & 1 ? -Math.floor(u / 2) - 1 : Math.floor(u / 2);
      const pc = uvarint(dv, v, size);
      if (pc < 0) return null;
      if (uvarintValue > 0) {
        fno = val;
        break;
      }
      at = pc;
    }
    if (fno === null) return -1;
    let fileOff: number;
    if (h.version === '1.2') {
      if (fno <= 0 || fno >= h.nfiles) return -1;
      const at2 = h.filetabOffset + 4 * fno;
      if (at2 + 4 > size) return null;
      fileOff = dv.getUint32(at2, le);
    } else {
      if (fno < 0) return -1;
      const f8 = fo + this.sz0 + 28;
      if (f8 + 4 > size) return null;
      const cu = dv.getUint32(f8, le);
      if (cu === 0xffffffff) return -1;
      const at2 = h.cuOffset + (cu + fno) * 4;
      if (at2 + 4 > h.filetabOffset && h.filetabOffset > h.cuOffset) return -1;
      if (!(at2 >= 0 && at2 + 4 <= size)) return null;
      const off = dv.getUint32(at2, le);
      if (off === 0xffffffff) return -1;
      fileOff = h.filetabOffset + off;
    }
    return fileOff < size ? fileOff : null;
  }

  /** Every file name in the table, in table order. */
  files(limit = 1 << 20): string[] {
    const h = this.header;
    const out: string[] = [];
    if (h.version === '1.2') {
      for (let i = 1; i < h.nfiles && out.length < limit; i++)
        out.push(this.cstr(this.r.u32(h.filetabOffset + 4 * i, 'filetab'), 'filetab name'));
      return out;
    }
    const end = h.pctabOffset > h.filetabOffset ? h.pctabOffset : this.r.length;
    let at = h.filetabOffset;
    for (let i = 0; i < h.nfiles && at < end && out.length < limit; i++) {
      const s = this.r.cstringEx(at, end - at, 'filetab');
      out.push(s.value);
      at = s.end + 1;
    }
    return out;
  }

  /**
   * Structural checks that a real table passes: entries never go down, the
   * first and last are in executable code, and a sample of records has
   * readable names. Returns the first problem or null.
   */
  validate(isCode: (address: bigint) => boolean): string | null {
    if (this.count === 0) return 'no functions';
    let prev = -1n;
    for (let i = 0; i <= this.count; i++) {
      const e = this.entry(i);
      if (e < prev) return `functab entry ${i} (${hex(e)}) is below entry ${i - 1} (${hex(prev)})`;
      prev = e;
    }
    if (!isCode(this.entry(0))) return `first function entry ${hex(this.entry(0))} is not in executable code`;
    if (!isCode(this.entry(this.count - 1))) return `last function entry ${hex(this.entry(this.count - 1))} is not in executable code`;
    // A sample rather than all: the full walk happens when names are read.
    const step = Math.max(1, Math.floor(this.count / 64));
    for (let i = 0; i < this.count; i += step) {
      // Names are Go identifiers with package paths: never empty, never control characters.
      const name = this.name(i);
      // eslint-disable-next-line no-control-regex -- a name with control bytes is not a readable name
      if (name.length === 0 || /[\x00-\x1f\x7f\ufffd]/.test(name)) return `function ${i} has no readable name`;
    }
    return null;
  }
}
