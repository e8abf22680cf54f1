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

import { FormatError, StringBudget, hex, type Reader } from '../reader.ts';

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
        throw new FormatError(`pcHeader.${field} ${hex(v)} lies outside the table (${hex(size)} bytes)`, r.base + 8, `pcHeader.${field}`, v);
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
    throw new FormatError(`pcHeader.nfiles ${h.nfiles} exceeds the bytes of the file table`, r.base + 8 + ptrSize, 'pcHeader.nfiles', h.nfiles);
  }
  return h;
}

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
      throw new FormatError(`functab[${i}].funcoff ${hex(v)} points outside the table`, this.r.base + this.header.functabOffset, 'functab.funcoff', v);
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

  /** Every file name in the table, in table order. */
  files(limit = 1 << 20): string[] {
    const h = this.header;
    const out: string[] = [];
    if (h.version === '1.2') {
      for (let i = 1; i < h.nfiles && out.length < limit; i++) out.push(this.cstr(this.r.u32(h.filetabOffset + 4 * i, 'filetab'), 'filetab name'));
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
      if (name.length === 0 || /[\x00-\x1f\x7f\ufffd]/.test(name)) return `function ${i} has no readable name`;
    }
    return null;
  }
}
