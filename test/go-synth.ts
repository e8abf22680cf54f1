// Writers for synthetic Go structures, for tests that need cases no toolchain
// here makes (big-endian and 32-bit tables, every pclntab layout, damaged
// headers): a function table in each layout, a build-info blob in each
// layout, module data, and a neutral image that holds them.

import { makeImage, type Image, type ImageLoad, type ImageSection } from '../src/parsers/image.ts';
import { MemorySource, Reader } from '../src/parsers/reader.ts';
import type { ParsedSlice } from '../src/parsers/types.ts';
import type { Section, Segment, SliceReport } from '../src/report/types.ts';
import type { PclntabVersion } from '../src/parsers/go/pclntab.ts';

/** A growable byte buffer with typed writes in one byte order. */
export class Bytes {
  buf = new Uint8Array(256);
  length = 0;
  constructor(
    readonly littleEndian = true,
    readonly ptrSize: 4 | 8 = 8,
  ) {}
  private grow(n: number) {
    while (this.length + n > this.buf.length) {
      const b = new Uint8Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
  }
  u8(v: number) {
    this.grow(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  uint(v: number | bigint, size: number) {
    this.grow(size);
    let x = BigInt.asUintN(size * 8, BigInt(v));
    for (let i = 0; i < size; i++) {
      this.buf[this.length + (this.littleEndian ? i : size - 1 - i)] = Number(x & 0xffn);
      x >>= 8n;
    }
    this.length += size;
    return this;
  }
  u32(v: number | bigint) {
    return this.uint(v, 4);
  }
  ptr(v: number | bigint) {
    return this.uint(v, this.ptrSize);
  }
  raw(b: Uint8Array | number[]) {
    for (const x of b) this.u8(x);
    return this;
  }
  str(s: string, nul = true) {
    this.raw(new TextEncoder().encode(s));
    if (nul) this.u8(0);
    return this;
  }
  uvarint(v: number) {
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v > 0) b |= 0x80;
      this.u8(b);
    } while (v > 0);
    return this;
  }
  zeros(n: number) {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }
  align(n: number) {
    while (this.length % n) this.u8(0);
    return this;
  }
  /** Overwrites an unsigned value at `at` (for offsets known only later). */
  patch(at: number, v: number | bigint, size: number) {
    const save = this.length;
    this.length = at;
    this.uint(v, size);
    this.length = Math.max(save, this.length);
    return this;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export interface SynthFunc {
  name: string;
  /** Offset from the text start. */
  offset: number;
  /** Index into `files`, or -1 for no file. */
  file: number;
}

export interface SynthTable {
  version: PclntabVersion;
  littleEndian: boolean;
  ptrSize: 4 | 8;
  quantum?: number;
  textStart: bigint;
  funcs: SynthFunc[];
  /** End of the last function, from the text start. */
  end: number;
  files: string[];
  /** Write pcHeader.textStart (1.18+) as this value (0 as Go 1.2x and PIE files leave it). */
  headerTextStart?: bigint;
}

const MAGIC: Record<PclntabVersion, number> = { '1.2': 0xfffffffb, '1.16': 0xfffffffa, '1.18': 0xfffffff0, '1.20': 0xfffffff1 };

/** A pc-value table giving `value` over `bytes` bytes of code (runtime.pcvalue encoding). */
function pcvalue(out: Bytes, value: number, bytes: number, quantum: number) {
  const delta = value + 1; // values start at -1
  out.uvarint(delta >= 0 ? delta * 2 : -delta * 2 - 1);
  out.uvarint(Math.max(1, bytes / quantum));
  out.u8(0);
}

/** Encodes a function table in the given layout; offsets of the parts for the module data. */
export function writePclntab(t: SynthTable): { bytes: Uint8Array; funcnameOffset: number; functabOffset: number; filetabOffset: number } {
  const q = t.quantum ?? 4;
  const P = t.ptrSize;
  const b = new Bytes(t.littleEndian, P);
  const n = t.funcs.length;
  const sizes = t.funcs.map((f, i) => (t.funcs[i + 1]?.offset ?? t.end) - f.offset);
  b.u32(MAGIC[t.version]).u8(0).u8(0).u8(q).u8(P);
  if (t.version === '1.2') {
    b.ptr(n);
    const functab = b.length;
    b.zeros((2 * n + 1) * P); // patched below
    const fileoffAt = b.length;
    b.u32(0);
    const funcOffs: number[] = [];
    for (let i = 0; i < n; i++) {
      b.align(P);
      funcOffs.push(b.length);
      // entry, nameoff, args, deferreturn, pcsp, pcfile, pcln, npcdata, nfuncdata
      b.ptr(t.textStart + BigInt(t.funcs[i]!.offset));
      for (let k = 0; k < 8; k++) b.u32(0);
    }
    const nameOffs = t.funcs.map((f) => {
      const at = b.length;
      b.str(f.name);
      return at;
    });
    const fileNameOffs = t.files.map((f) => {
      const at = b.length;
      b.str(f);
      return at;
    });
    b.align(4);
    const filetab = b.length;
    b.u32(t.files.length + 1);
    for (const o of fileNameOffs) b.u32(o);
    const pcfiles = t.funcs.map((f, i) => {
      const at = b.length;
      // 1.2 file numbers index filetab from 1.
      pcvalue(b, f.file < 0 ? 0 : f.file + 1, sizes[i]!, q);
      return at;
    });
    b.patch(fileoffAt, filetab, 4);
    for (let i = 0; i < n; i++) {
      b.patch(functab + 2 * i * P, t.textStart + BigInt(t.funcs[i]!.offset), P);
      b.patch(functab + (2 * i + 1) * P, funcOffs[i]!, P);
      b.patch(funcOffs[i]! + P, nameOffs[i]!, 4);
      b.patch(funcOffs[i]! + P + 16, t.funcs[i]!.file < 0 ? 0 : pcfiles[i]!, 4);
    }
    b.patch(functab + 2 * n * P, t.textStart + BigInt(t.end), P);
    return { bytes: b.bytes(), funcnameOffset: 0, functabOffset: functab, filetabOffset: filetab };
  }
  const modern = t.version !== '1.16';
  const headerWords = modern ? 8 : 7;
  const hdr = b.length;
  for (let i = 0; i < headerWords; i++) b.ptr(0);
  const funcnameOffset = b.length;
  const nameOffs = t.funcs.map((f) => {
    const at = b.length - funcnameOffset;
    b.str(f.name);
    return at;
  });
  b.align(4);
  const cuOffset = b.length;
  const cutabAt = b.length;
  for (let i = 0; i < t.files.length; i++) b.u32(0);
  const filetabOffset = b.length;
  t.files.forEach((f, i) => {
    b.patch(cutabAt + 4 * i, b.length - filetabOffset, 4);
    b.str(f);
  });
  const pctabOffset = b.length;
  b.u8(0); // pc-value offsets of 0 mean "no table"
  const pcfiles = t.funcs.map((f, i) => {
    const at = b.length - pctabOffset;
    pcvalue(b, f.file, sizes[i]!, q);
    return at;
  });
  b.align(P);
  const pclnOffset = b.length;
  const fsz = modern ? 4 : P;
  const functab = b.length;
  b.zeros((2 * n + 1) * fsz);
  const entry = (off: number) => (modern ? BigInt(off) : t.textStart + BigInt(off));
  for (let i = 0; i < n; i++) {
    b.align(4);
    const funcoff = b.length - pclnOffset;
    b.patch(functab + 2 * i * fsz, entry(t.funcs[i]!.offset), fsz);
    b.patch(functab + (2 * i + 1) * fsz, funcoff, fsz);
    if (modern) b.u32(t.funcs[i]!.offset);
    else b.ptr(entry(t.funcs[i]!.offset));
    // nameoff, args, deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset, [startLine], funcID/flag/pad/nfuncdata
    b.u32(nameOffs[i]!)
      .u32(0)
      .u32(0)
      .u32(0)
      .u32(t.funcs[i]!.file < 0 ? 0 : pcfiles[i]!)
      .u32(0)
      .u32(0)
      .u32(t.funcs[i]!.file < 0 ? 0xffffffff : 0);
    if (t.version === '1.20') b.u32(0);
    b.u32(0);
  }
  b.patch(functab + 2 * n * fsz, entry(t.end), fsz);
  const words = [
    n,
    t.files.length,
    ...(modern ? [t.headerTextStart ?? t.textStart] : []),
    funcnameOffset,
    cuOffset,
    filetabOffset,
    pctabOffset,
    pclnOffset,
  ];
  words.forEach((w, i) => b.patch(hdr + i * P, w, P));
  return { bytes: b.bytes(), funcnameOffset, functabOffset: functab, filetabOffset };
}

export interface SynthSegment {
  name: string;
  address: bigint;
  perms: string;
  bytes: Uint8Array;
  /** ELF-style sections inside this segment: name, offset within the segment, size. */
  sections?: { name: string; at: number; size: number; type?: string }[];
}

/** A complete SliceReport with neutral defaults, for images built in tests. */
export function sliceReport(over: Partial<SliceReport>): SliceReport {
  return {
    index: 0,
    offset: '0x0',
    size: 0,
    arch: 'arm64',
    cpu: { type: 0xb7, subtype: 0, name: 'EM_AARCH64' },
    bits: 64,
    endian: 'little',
    fileType: 'executable',
    fileTypeRaw: 'ET_EXEC',
    platform: 'linux',
    minOS: null,
    sdk: null,
    entry: null,
    linkage: 'static',
    interpreter: null,
    libraries: [],
    libraryDetails: [],
    rpaths: [],
    rpathDetails: [],
    installName: null,
    uuid: null,
    buildId: null,
    segments: [],
    sections: [],
    symbols: { defined: 0, undefined: 0, table: null },
    imports: [],
    exports: 0,
    codeSignature: null,
    encryption: null,
    features: { pie: null, nx: null, relro: null, canary: null, fortify: null, bti: null, pac: null, ibt: null, shstk: null, sources: {} },
    functionStarts: null,
    flags: [],
    stripped: true,
    ...over,
  };
}

/** Lays the segments out one after another in a file and returns the slice and its image. */
export function synthImage(
  segs: SynthSegment[],
  opts: { bits?: 32 | 64; endian?: 'little' | 'big'; withSections?: boolean } = {},
): { slice: ParsedSlice; image: Image; file: Uint8Array } {
  let size = 0x100;
  const placed = segs.map((s) => {
    const offset = size;
    size += s.bytes.length + 0x100;
    return { s, offset };
  });
  const file = new Uint8Array(size);
  const segments: Segment[] = [];
  const sections: Section[] = [];
  const loads: ImageLoad[] = [];
  const imageSections: ImageSection[] = [];
  for (const { s, offset } of placed) {
    file.set(s.bytes, offset);
    const load: ImageLoad = {
      row: segments.length,
      sections: [],
      vaddr: s.address,
      offset,
      filesz: s.bytes.length,
      memsz: s.bytes.length,
      r: s.perms.includes('r'),
      w: s.perms.includes('w'),
      x: s.perms.includes('x'),
    };
    loads.push(load);
    segments.push({
      name: s.name,
      address: '0x' + s.address.toString(16),
      size: s.bytes.length,
      offset: '0x' + offset.toString(16),
      fileSize: s.bytes.length,
      perms: s.perms,
      type: 'LOAD',
    });
    if (opts.withSections !== false) {
      for (const sec of s.sections ?? []) {
        sections.push({
          name: sec.name,
          segment: '',
          address: '0x' + (s.address + BigInt(sec.at)).toString(16),
          size: sec.size,
          offset: '0x' + (offset + sec.at).toString(16),
          type: sec.type ?? 'PROGBITS',
          flags: s.perms.includes('x') ? 'AX' : s.perms.includes('w') ? 'WA' : 'A',
        });
        load.sections.push(imageSections.length);
        imageSections.push({
          name: sec.name,
          segment: '',
          addr: s.address + BigInt(sec.at),
          offset: offset + sec.at,
          size: sec.size,
          nobits: sec.type === 'NOBITS',
          code: s.perms.includes('x'),
          instructions: s.perms.includes('x'),
          alloc: true,
        });
      }
    }
  }
  const report = sliceReport({ segments, sections, size, bits: opts.bits ?? 64, endian: opts.endian ?? 'little' });
  const reader = new Reader(new MemorySource(file), (opts.endian ?? 'little') === 'little');
  const image = makeImage('elf', report, reader, loads, imageSections);
  const slice: ParsedSlice = { report, reader, image, symbols: () => [], functionStarts: () => [], mappingSymbols: () => [] };
  return { slice, image, file };
}

export const TEXT = 0x10000n;
export const RODATA = 0x40000n;
export const DATA = 0x80000n;

export interface GoImageOptions {
  table: Omit<SynthTable, 'textStart'> & { textStart?: bigint };
  /** Build info blob: inline (1.18+) or pointer (1.13–1.17) layout, or none. */
  buildinfo?: { layout: 'inline' | 'pointer'; version: string; modinfo: string } | null;
  /** Write runtime.firstmoduledata pointing at the table. */
  moduledata?: boolean;
  /** Name the sections (.gopclntab, .go.buildinfo) or leave the image without section headers. */
  withSections?: boolean;
  /** A runtime.buildVersion string header in data, for binaries without build info. */
  buildVersionVar?: string;
}

/** Sentinels cmd/go puts around runtime.modinfo (any 16 bytes; the reader only checks the newline before the end one). */
export const MODINFO_START = '0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6';
export const MODINFO_END = '\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2';

/** A Go image: text, a read-only segment with the table (and strings), a data segment with build info and module data. */
export function goImage(o: GoImageOptions) {
  const le = o.table.littleEndian;
  const P = o.table.ptrSize;
  const textStart = o.table.textStart ?? TEXT;
  const table = writePclntab({ ...o.table, textStart });
  const text = new Uint8Array(Math.max(0x100, o.table.end + 0x10));
  const ro = new Bytes(le, P).raw(table.bytes).align(16);
  const strings: Record<string, bigint> = {};
  const putString = (key: string, s: string) => {
    strings[key] = RODATA + BigInt(ro.length);
    for (const ch of s) ro.u8(ch.charCodeAt(0));
  };
  if (o.buildinfo?.layout === 'pointer') {
    putString('version', o.buildinfo.version);
    putString('modinfo', MODINFO_START + o.buildinfo.modinfo + MODINFO_END);
  }
  if (o.buildVersionVar) putString('buildVersion', o.buildVersionVar);
  const data = new Bytes(le, P);
  const dataSections: { name: string; at: number; size: number }[] = [];
  if (o.buildinfo) {
    const at = data.length;
    data.raw([0xff, 0x20, 0x47, 0x6f, 0x20, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x66, 0x3a]).u8(P);
    if (o.buildinfo.layout === 'inline') {
      data.u8(2 | (le ? 0 : 1));
      data.raw(new Uint8Array(16));
      for (const s of [o.buildinfo.version, MODINFO_START + o.buildinfo.modinfo + MODINFO_END]) {
        const enc = Uint8Array.from(s, (c) => c.charCodeAt(0));
        data.uvarint(enc.length).raw(enc);
      }
    } else {
      data.u8(le ? 0 : 1);
      // Addresses of the two string headers, which follow the blob.
      const hdrs = DATA + 32n;
      data.ptr(hdrs).ptr(hdrs + BigInt(2 * P));
      data.length = at + 32;
      data.ptr(strings.version!).ptr(o.buildinfo.version.length);
      data.ptr(strings.modinfo!).ptr(MODINFO_START.length + o.buildinfo.modinfo.length + MODINFO_END.length);
    }
    data.align(16);
    dataSections.push({ name: '.go.buildinfo', at, size: data.length - at });
  }
  if (o.buildVersionVar) {
    data.align(P);
    data.ptr(strings.buildVersion!).ptr(o.buildVersionVar.length);
  }
  if (o.moduledata) {
    data.align(32);
    const md = data.length;
    const tab = RODATA;
    if (o.table.version === '1.2') {
      // pclntable, ftab, filetab slices; findfunctab; minpc, maxpc; text, etext
      data.ptr(tab).ptr(table.bytes.length).ptr(table.bytes.length);
      data
        .ptr(tab + BigInt(table.functabOffset))
        .ptr(o.table.funcs.length + 1)
        .ptr(o.table.funcs.length + 1);
      data
        .ptr(tab + BigInt(table.filetabOffset))
        .ptr(o.table.files.length + 1)
        .ptr(o.table.files.length + 1);
      data.ptr(0);
    } else {
      // pcHeader, then funcnametab, cutab, filetab, pctab, pclntable, ftab slices, findfunctab
      data.ptr(tab);
      data
        .ptr(tab + BigInt(table.funcnameOffset))
        .ptr(1)
        .ptr(1);
      for (let i = 0; i < 4; i++) data.ptr(tab).ptr(1).ptr(1);
      data
        .ptr(tab + BigInt(table.functabOffset))
        .ptr(o.table.funcs.length + 1)
        .ptr(o.table.funcs.length + 1);
      data.ptr(0);
    }
    data.ptr(textStart + BigInt(o.table.funcs[0]?.offset ?? 0)).ptr(textStart + BigInt(o.table.end));
    data.ptr(textStart).ptr(textStart + BigInt(o.table.end));
    dataSections.push({ name: '.noptrdata', at: md, size: data.length - md });
  }
  data.align(16).raw(new Uint8Array(16));
  return synthImage(
    [
      { name: 'text', address: TEXT, perms: 'r-x', bytes: text, sections: [{ name: '.text', at: 0, size: text.length }] },
      {
        name: 'rodata',
        address: RODATA,
        perms: 'r--',
        bytes: ro.bytes(),
        sections: [{ name: '.gopclntab', at: 0, size: table.bytes.length }],
      },
      { name: 'data', address: DATA, perms: 'rw-', bytes: data.bytes(), sections: dataSections },
    ],
    { bits: P === 8 ? 64 : 32, endian: le ? 'little' : 'big', withSections: o.withSections },
  );
}
