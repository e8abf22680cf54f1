// Where the structures of an (unmutated) ELF or Mach-O file are: the fields
// worth corrupting (counts, sizes, offsets, list links, tags), the regions
// with their own encodings (string tables, ULEB streams, export tries,
// chained-fixup pages) and the structural boundaries to truncate at.
//
// This walker is deliberately independent of src/parsers: it reads only the
// few fields it needs with a DataView, follows the specs (ELF gABI, GNU
// symbol versioning, <mach-o/loader.h>, <mach-o/fixup-chains.h>, Apple's
// code-signing blobs, Go's pclntab and build-info headers), and gives up on a
// structure quietly, because its only job is to aim mutations. Section and
// segment extents come from the parsed report of the original file.

import type { Report } from '../../src/report/types.ts';
import { DYSYMTAB_FIELDS } from '../../src/parsers/macho/constants.ts';

export type FieldKind = 'count' | 'size' | 'offset' | 'next' | 'index' | 'tag' | 'value' | 'chain';

export interface Field {
  at: number;
  width: 1 | 2 | 4 | 8;
  le: boolean;
  kind: FieldKind;
  /** Spec name (`e_shnum`, `LC_SYMTAB.nsyms`, `vn_next`). */
  name: string;
  /** Family, for choosing fairly between big tables and small headers. */
  group: string;
  /** File offset the field's offsets are relative to (a fat slice, a table). */
  base: number;
}

export type RegionKind = 'strtab' | 'uleb' | 'trie' | 'table' | 'code' | 'blob' | 'lcstr';

export interface Region {
  at: number;
  size: number;
  kind: RegionKind;
  name: string;
}

export interface Layout {
  format: 'elf' | 'macho' | 'other';
  size: number;
  fields: Field[];
  regions: Region[];
  /** File offsets where a structure starts or ends, sorted, without duplicates. */
  boundaries: number[];
  /** Mach-O load commands (absolute offset, cmdsize) per slice, for overlap and zero-size mutations. */
  loadCommands: { at: number; size: number; end: number; le: boolean }[];
  /** Byte ranges holding headers and tables (where mutations are most often aimed). */
  hot: { at: number; size: number }[];
}

class View {
  readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  ok(at: number, n: number): boolean {
    return Number.isSafeInteger(at) && at >= 0 && n >= 0 && at + n <= this.bytes.length;
  }
  u8(at: number): number {
    return this.ok(at, 1) ? this.bytes[at]! : 0;
  }
  u16(at: number, le: boolean): number {
    return this.ok(at, 2) ? this.dv.getUint16(at, le) : 0;
  }
  u32(at: number, le: boolean): number {
    return this.ok(at, 4) ? this.dv.getUint32(at, le) : 0;
  }
  u64(at: number, le: boolean): number {
    if (!this.ok(at, 8)) return 0;
    const v = this.dv.getBigUint64(at, le);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }
  word(at: number, is64: boolean, le: boolean): number {
    return is64 ? this.u64(at, le) : this.u32(at, le);
  }
}

class Builder {
  readonly fields: Field[] = [];
  readonly regions: Region[] = [];
  readonly bounds = new Set<number>();
  readonly lcs: Layout['loadCommands'] = [];
  readonly hot: Layout['hot'] = [];
  constructor(readonly v: View) {}
  field(at: number, width: Field['width'], le: boolean, kind: FieldKind, name: string, group: string, base = 0): void {
    if (this.v.ok(at, width) && this.fields.length < 200_000) this.fields.push({ at, width, le, kind, name, group, base });
  }
  region(at: number, size: number, kind: RegionKind, name: string): void {
    if (size > 0 && this.v.ok(at, Math.min(size, this.v.bytes.length - at))) {
      this.regions.push({ at, size: Math.min(size, this.v.bytes.length - at), kind, name });
    }
  }
  bound(...xs: number[]): void {
    for (const x of xs) if (Number.isSafeInteger(x) && x > 0 && x < this.v.bytes.length) this.bounds.add(x);
  }
  heat(at: number, size: number): void {
    if (size > 0 && at >= 0 && at < this.v.bytes.length) this.hot.push({ at, size: Math.min(size, this.v.bytes.length - at) });
  }
}

export function layoutOf(bytes: Uint8Array, report: Report | null): Layout {
  const v = new View(bytes);
  const b = new Builder(v);
  let format: Layout['format'] = 'other';
  try {
    if (v.u32(0, false) === 0x7f454c46) {
      format = 'elf';
      elf(b);
    } else {
      const m = v.u32(0, false);
      if (m === 0xcafebabe || m === 0xcafebabf) {
        format = 'macho';
        fat(b, m === 0xcafebabf);
      } else if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(m)) {
        format = 'macho';
        macho(b, 0, bytes.length);
      }
    }
  } catch {
    // The walker only aims mutations: a structure it cannot follow is skipped.
  }
  if (report) fromReport(b, report);
  return {
    format,
    size: bytes.length,
    fields: b.fields,
    regions: b.regions,
    boundaries: [...b.bounds].sort((x, y) => x - y),
    loadCommands: b.lcs,
    hot: b.hot,
  };
}

/** Section and segment extents, and Go tables, from the parsed report of the original file. */
function fromReport(b: Builder, report: Report): void {
  for (const s of report.slices) {
    const base = Number(BigInt(s.offset));
    b.bound(base, base + s.size);
    for (const seg of s.segments) {
      const off = base + Number(BigInt(seg.offset));
      b.bound(off, off + seg.fileSize);
    }
    for (const sec of s.sections) {
      const off = base + Number(BigInt(sec.offset));
      if (sec.type === 'NOBITS' || sec.type.endsWith('ZEROFILL')) continue;
      b.bound(off, off + sec.size);
      if (/^(\.go|__go)pclntab$|^\.gopclntab$|^__gopclntab$/.test(sec.name)) goPclntab(b, off, sec.size);
      if (sec.name === '.go.buildinfo' || sec.name === '__go_buildinfo') goBuildInfo(b, off, sec.size);
      if ((/X/.test(sec.flags) && !sec.flags.includes('_')) || sec.flags.includes('PURE_INSTRUCTIONS'))
        b.region(off, sec.size, 'code', sec.name);
    }
  }
}

// ------------------------------------------------------------------ ELF

const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_RELA = 4;
const SHT_DYNAMIC = 6;
const SHT_NOTE = 7;
const SHT_REL = 9;
const SHT_DYNSYM = 11;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHT_GNU_HASH = 0x6ffffff6;
const SHT_HASH = 5;
const PT_DYNAMIC = 2;
const PT_NOTE = 4;

// d_tag values whose d_val is a string-table offset, a size or a count.
const DT_STRING = new Set([1, 14, 15, 29]); // DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH
const DT_SIZE = new Set([2, 8, 9, 10, 11, 18, 19, 35]); // PLTRELSZ, RELASZ, RELAENT, STRSZ, SYMENT, RELSZ, RELENT, RELRSZ
const DT_COUNT = new Set([0x6fffffff, 0x6ffffffd, 0x6ffffff9, 0x6ffffffa]); // VERNEEDNUM, VERDEFNUM, RELACOUNT, RELCOUNT

function elf(b: Builder): void {
  const v = b.v;
  const is64 = v.u8(4) === 2;
  const le = v.u8(5) !== 2;
  const W = is64 ? 8 : 4;
  const g = 'elf-header';
  const ehsize = is64 ? 64 : 52;
  b.bound(16, ehsize);
  b.heat(0, ehsize);
  const o = is64
    ? { phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 }
    : { phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48, shstrndx: 50 };
  b.field(4, 1, le, 'tag', 'EI_CLASS', g);
  b.field(5, 1, le, 'tag', 'EI_DATA', g);
  b.field(16, 2, le, 'tag', 'e_type', g);
  b.field(18, 2, le, 'tag', 'e_machine', g);
  b.field(o.phoff, W, le, 'offset', 'e_phoff', g);
  b.field(o.shoff, W, le, 'offset', 'e_shoff', g);
  b.field(o.phentsize, 2, le, 'size', 'e_phentsize', g);
  b.field(o.phnum, 2, le, 'count', 'e_phnum', g);
  b.field(o.shentsize, 2, le, 'size', 'e_shentsize', g);
  b.field(o.shnum, 2, le, 'count', 'e_shnum', g);
  b.field(o.shstrndx, 2, le, 'index', 'e_shstrndx', g);
  const phoff = v.word(o.phoff, is64, le);
  const shoff = v.word(o.shoff, is64, le);
  const phentsize = v.u16(o.phentsize, le);
  const shentsize = v.u16(o.shentsize, le);
  let phnum = v.u16(o.phnum, le);
  let shnum = v.u16(o.shnum, le);
  if (shoff && shnum === 0 && v.ok(shoff, shentsize)) {
    // Extended numbering (gABI): the real count sits in section 0's sh_size.
    shnum = v.word(shoff + (is64 ? 32 : 20), is64, le);
    b.field(shoff + (is64 ? 32 : 20), W, le, 'count', 'sh_size (e_shnum overflow)', g);
  }
  if (phnum === 0xffff && shoff) phnum = v.u32(shoff + (is64 ? 44 : 28), le);
  phnum = Math.min(phnum, 4096);
  shnum = Math.min(shnum, 65536);

  if (phoff && phentsize) {
    b.bound(phoff, phoff + phnum * phentsize);
    b.heat(phoff, phnum * phentsize);
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (!v.ok(at, phentsize)) break;
      b.bound(at + phentsize);
      const gp = 'elf-phdr';
      const type = v.u32(at, le);
      b.field(at, 4, le, 'tag', 'p_type', gp);
      const f = is64
        ? { offset: 8, vaddr: 16, filesz: 32, memsz: 40, align: 48 }
        : { offset: 4, vaddr: 8, filesz: 16, memsz: 20, align: 28 };
      b.field(at + f.offset, W, le, 'offset', 'p_offset', gp);
      b.field(at + f.vaddr, W, le, 'value', 'p_vaddr', gp);
      b.field(at + f.filesz, W, le, 'size', 'p_filesz', gp);
      b.field(at + f.memsz, W, le, 'size', 'p_memsz', gp);
      b.field(at + f.align, W, le, 'value', 'p_align', gp);
      const off = v.word(at + f.offset, is64, le);
      const filesz = v.word(at + f.filesz, is64, le);
      b.bound(off, off + filesz);
      if (type === PT_NOTE) notes(b, off, filesz, le);
      if (type === PT_DYNAMIC) dynamic(b, off, filesz, is64, le);
    }
  }

  if (!shoff || !shentsize) return;
  b.bound(shoff, shoff + shnum * shentsize);
  b.heat(shoff, shnum * shentsize);
  const secs: { type: number; offset: number; size: number; link: number; info: number; entsize: number }[] = [];
  const f = is64
    ? { name: 0, type: 4, flags: 8, addr: 16, offset: 24, size: 32, link: 40, info: 44, entsize: 56 }
    : { name: 0, type: 4, flags: 8, addr: 12, offset: 16, size: 20, link: 24, info: 28, entsize: 36 };
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (!v.ok(at, shentsize)) break;
    b.bound(at + shentsize);
    const gs = 'elf-shdr';
    b.field(at + f.name, 4, le, 'offset', 'sh_name', gs);
    b.field(at + f.type, 4, le, 'tag', 'sh_type', gs);
    b.field(at + f.flags, W, le, 'value', 'sh_flags', gs);
    b.field(at + f.addr, W, le, 'value', 'sh_addr', gs);
    b.field(at + f.offset, W, le, 'offset', 'sh_offset', gs);
    b.field(at + f.size, W, le, 'size', 'sh_size', gs);
    b.field(at + f.link, 4, le, 'index', 'sh_link', gs);
    b.field(at + f.info, 4, le, 'index', 'sh_info', gs);
    b.field(at + f.entsize, W, le, 'size', 'sh_entsize', gs);
    secs.push({
      type: v.u32(at + f.type, le),
      offset: v.word(at + f.offset, is64, le),
      size: v.word(at + f.size, is64, le),
      link: v.u32(at + f.link, le),
      info: v.u32(at + f.info, le),
      entsize: v.word(at + f.entsize, is64, le),
    });
  }
  for (const s of secs) {
    if (s.type === 8) continue; // SHT_NOBITS
    b.bound(s.offset, s.offset + s.size);
    switch (s.type) {
      case SHT_STRTAB:
        b.region(s.offset, s.size, 'strtab', 'SHT_STRTAB');
        break;
      case SHT_SYMTAB:
      case SHT_DYNSYM:
        symbols(b, s.offset, s.size, is64, le);
        break;
      case SHT_DYNAMIC:
        dynamic(b, s.offset, s.size, is64, le);
        break;
      case SHT_NOTE:
        notes(b, s.offset, s.size, le);
        break;
      case SHT_GNU_VERNEED:
        verneed(b, s.offset, s.size, s.info, le);
        break;
      case SHT_GNU_VERDEF:
        verdef(b, s.offset, s.size, s.info, le);
        break;
      case SHT_GNU_VERSYM:
      case SHT_RELA:
      case SHT_REL:
      case SHT_HASH:
      case SHT_GNU_HASH:
        b.region(s.offset, s.size, 'table', `sh_type ${s.type}`);
        if (s.type === SHT_GNU_HASH) {
          b.field(s.offset, 4, le, 'count', 'nbuckets', 'elf-gnu-hash');
          b.field(s.offset + 8, 4, le, 'count', 'bloom_size', 'elf-gnu-hash');
        }
        if (s.type === SHT_HASH) {
          b.field(s.offset, 4, le, 'count', 'nbucket', 'elf-hash');
          b.field(s.offset + 4, 4, le, 'count', 'nchain', 'elf-hash');
        }
        break;
    }
  }
}

function symbols(b: Builder, off: number, size: number, is64: boolean, le: boolean): void {
  const ent = is64 ? 24 : 16;
  const n = Math.min(Math.floor(size / ent), 256);
  b.region(off, size, 'table', 'symbols');
  for (let i = 1; i < n; i++) {
    const at = off + i * ent;
    b.field(at, 4, le, 'offset', 'st_name', 'elf-sym');
    if (is64) {
      b.field(at + 4, 1, le, 'tag', 'st_info', 'elf-sym');
      b.field(at + 6, 2, le, 'index', 'st_shndx', 'elf-sym');
      b.field(at + 8, 8, le, 'value', 'st_value', 'elf-sym');
      b.field(at + 16, 8, le, 'size', 'st_size', 'elf-sym');
    } else {
      b.field(at + 4, 4, le, 'value', 'st_value', 'elf-sym');
      b.field(at + 8, 4, le, 'size', 'st_size', 'elf-sym');
      b.field(at + 12, 1, le, 'tag', 'st_info', 'elf-sym');
      b.field(at + 14, 2, le, 'index', 'st_shndx', 'elf-sym');
    }
  }
}

function dynamic(b: Builder, off: number, size: number, is64: boolean, le: boolean): void {
  const W = is64 ? 8 : 4;
  b.heat(off, size);
  for (let at = off; at + 2 * W <= off + size && b.v.ok(at, 2 * W); at += 2 * W) {
    const tag = b.v.word(at, is64, le);
    b.field(at, W, le, 'tag', 'd_tag', 'elf-dynamic');
    const kind: FieldKind = DT_STRING.has(tag) ? 'offset' : DT_SIZE.has(tag) ? 'size' : DT_COUNT.has(tag) ? 'count' : 'value';
    b.field(at + W, W, le, kind, `d_val (tag ${tag})`, 'elf-dynamic');
    if (tag === 0) break;
  }
}

function notes(b: Builder, off: number, size: number, le: boolean): void {
  b.heat(off, size);
  let at = off;
  for (let i = 0; i < 64 && at + 12 <= off + size && b.v.ok(at, 12); i++) {
    const namesz = b.v.u32(at, le);
    const descsz = b.v.u32(at + 4, le);
    b.field(at, 4, le, 'size', 'n_namesz', 'elf-note');
    b.field(at + 4, 4, le, 'size', 'n_descsz', 'elf-note');
    b.field(at + 8, 4, le, 'tag', 'n_type', 'elf-note');
    const next = at + 12 + align4(namesz) + align4(descsz);
    b.bound(next);
    if (next <= at) break;
    at = next;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

// GNU symbol versioning (LSB): Elf_Verneed / Elf_Vernaux and Elf_Verdef /
// Elf_Verdaux are lists linked by relative offsets, ended by a zero link.
function verneed(b: Builder, off: number, size: number, count: number, le: boolean): void {
  const g = 'elf-verneed';
  b.heat(off, size);
  let at = off;
  for (let i = 0; i < Math.min(count, 64) && b.v.ok(at, 16); i++) {
    b.field(at, 2, le, 'value', 'vn_version', g);
    b.field(at + 2, 2, le, 'count', 'vn_cnt', g);
    b.field(at + 4, 4, le, 'offset', 'vn_file', g);
    b.field(at + 8, 4, le, 'next', 'vn_aux', g, at);
    b.field(at + 12, 4, le, 'next', 'vn_next', g, at);
    let aux = at + b.v.u32(at + 8, le);
    const cnt = b.v.u16(at + 2, le);
    for (let k = 0; k < Math.min(cnt, 64) && b.v.ok(aux, 16); k++) {
      b.field(aux + 6, 2, le, 'index', 'vna_other', g);
      b.field(aux + 8, 4, le, 'offset', 'vna_name', g);
      b.field(aux + 12, 4, le, 'next', 'vna_next', g, aux);
      const n = b.v.u32(aux + 12, le);
      if (n === 0) break;
      aux += n;
    }
    const next = b.v.u32(at + 12, le);
    if (next === 0) break;
    at += next;
  }
}

function verdef(b: Builder, off: number, size: number, count: number, le: boolean): void {
  const g = 'elf-verdef';
  b.heat(off, size);
  let at = off;
  for (let i = 0; i < Math.min(count, 64) && b.v.ok(at, 20); i++) {
    b.field(at + 4, 2, le, 'index', 'vd_ndx', g);
    b.field(at + 6, 2, le, 'count', 'vd_cnt', g);
    b.field(at + 12, 4, le, 'next', 'vd_aux', g, at);
    b.field(at + 16, 4, le, 'next', 'vd_next', g, at);
    const aux = at + b.v.u32(at + 12, le);
    if (b.v.ok(aux, 8)) {
      b.field(aux, 4, le, 'offset', 'vda_name', g);
      b.field(aux + 4, 4, le, 'next', 'vda_next', g, aux);
    }
    const next = b.v.u32(at + 16, le);
    if (next === 0) break;
    at += next;
  }
}

// ---------------------------------------------------------------- Mach-O

function fat(b: Builder, is64: boolean): void {
  const v = b.v;
  const g = 'fat';
  b.field(4, 4, false, 'count', 'nfat_arch', g);
  const n = Math.min(v.u32(4, false), 64);
  const ent = is64 ? 32 : 20;
  b.bound(8, 8 + n * ent);
  b.heat(0, 8 + n * ent);
  for (let i = 0; i < n; i++) {
    const at = 8 + i * ent;
    b.field(at, 4, false, 'tag', 'fat_arch.cputype', g);
    b.field(at + 4, 4, false, 'value', 'fat_arch.cpusubtype', g);
    b.field(at + 8, is64 ? 8 : 4, false, 'offset', 'fat_arch.offset', g);
    b.field(at + (is64 ? 16 : 12), is64 ? 8 : 4, false, 'size', 'fat_arch.size', g);
    b.field(at + (is64 ? 24 : 16), 4, false, 'value', 'fat_arch.align', g);
    const off = is64 ? v.u64(at + 8, false) : v.u32(at + 8, false);
    const size = is64 ? v.u64(at + 16, false) : v.u32(at + 12, false);
    b.bound(off, off + size);
    if (off > 0 && v.ok(off, 28)) macho(b, off, Math.min(size, v.bytes.length - off));
  }
}

const LC_SEGMENT = 0x1;
const LC_SYMTAB = 0x2;
const LC_DYSYMTAB = 0xb;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const LC_FUNCTION_STARTS = 0x26;
const LC_DATA_IN_CODE = 0x29;
const LC_DYLD_INFO = 0x22;
const LC_DYLD_EXPORTS_TRIE = 0x80000033;
const LC_DYLD_CHAINED_FIXUPS = 0x80000034;
const LC_BUILD_VERSION = 0x32;
const LC_MAIN = 0x80000028;
const LC_ENCRYPTION_INFO = 0x21;
const LC_ENCRYPTION_INFO_64 = 0x2c;
const LC_NOTE = 0x31;
const LC_LINKER_OPTION = 0x2d;
// Commands whose body starts with an lc_str offset (dylib, dylinker, rpath, sub_* names).
const LC_STR_AT_8 = new Set([
  0xc, 0xd, 0xe, 0xf, 0x10, 0x12, 0x13, 0x14, 0x15, 0x80000018, 0x8000001c, 0x8000001f, 0x20, 0x80000023, 0x27, 0x35,
]);
// linkedit_data_command: dataoff, datasize.
const LINKEDIT_DATA = new Set([
  LC_CODE_SIGNATURE,
  0x1e,
  LC_FUNCTION_STARTS,
  LC_DATA_IN_CODE,
  0x2b,
  0x2e,
  LC_DYLD_EXPORTS_TRIE,
  LC_DYLD_CHAINED_FIXUPS,
  0x80000035,
]);

function macho(b: Builder, base: number, size: number): void {
  const v = b.v;
  const magic = v.u32(base, false);
  const le = magic === 0xcffaedfe || magic === 0xcefaedfe;
  const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
  const g = 'macho-header';
  const hdr = is64 ? 32 : 28;
  b.bound(base + hdr, base + size);
  b.field(base + 4, 4, le, 'tag', 'cputype', g, base);
  b.field(base + 12, 4, le, 'tag', 'filetype', g, base);
  b.field(base + 16, 4, le, 'count', 'ncmds', g, base);
  b.field(base + 20, 4, le, 'size', 'sizeofcmds', g, base);
  b.field(base + 24, 4, le, 'value', 'flags', g, base);
  const ncmds = Math.min(v.u32(base + 16, le), 4096);
  const sizeofcmds = v.u32(base + 20, le);
  b.bound(base + hdr + sizeofcmds);
  b.heat(base, hdr + sizeofcmds);
  const segs: { fileoff: number; vmaddr: number }[] = [];
  const later: (() => void)[] = [];
  let at = base + hdr;
  for (let i = 0; i < ncmds && v.ok(at, 8); i++) {
    const cmd = v.u32(at, le);
    const cmdsize = v.u32(at + 4, le);
    const lg = 'macho-lc';
    b.field(at, 4, le, 'tag', 'cmd', lg, base);
    b.field(at + 4, 4, le, 'size', 'cmdsize', lg, base);
    b.lcs.push({ at, size: cmdsize, end: base + hdr + sizeofcmds, le });
    b.bound(at + cmdsize);
    const name = `lc 0x${cmd.toString(16)}`;
    if (cmd === LC_SEGMENT_64 || cmd === LC_SEGMENT) {
      const W = cmd === LC_SEGMENT_64 ? 8 : 4;
      const sg = 'macho-segment';
      const p = at + 24;
      b.field(p, W, le, 'value', 'vmaddr', sg, base);
      b.field(p + W, W, le, 'size', 'vmsize', sg, base);
      b.field(p + 2 * W, W, le, 'offset', 'fileoff', sg, base);
      b.field(p + 3 * W, W, le, 'size', 'filesize', sg, base);
      b.field(p + 4 * W + 8, 4, le, 'count', 'nsects', sg, base);
      const vmaddr = W === 8 ? v.u64(p, le) : v.u32(p, le);
      const fileoff = W === 8 ? v.u64(p + 16, le) : v.u32(p + 8, le);
      segs.push({ fileoff, vmaddr });
      const nsects = Math.min(v.u32(p + 4 * W + 8, le), 256);
      const secSize = W === 8 ? 80 : 68;
      for (let k = 0; k < nsects; k++) {
        const s = p + 4 * W + 16 + k * secSize;
        if (!v.ok(s, secSize)) break;
        const sc = 'macho-section';
        b.field(s + 32, W, le, 'value', 'addr', sc, base);
        b.field(s + 32 + W, W, le, 'size', 'size', sc, base);
        b.field(s + 32 + 2 * W, 4, le, 'offset', 'offset', sc, base);
        b.field(s + 36 + 2 * W, 4, le, 'value', 'align', sc, base);
        b.field(s + 40 + 2 * W, 4, le, 'offset', 'reloff', sc, base);
        b.field(s + 44 + 2 * W, 4, le, 'count', 'nreloc', sc, base);
        b.field(s + 48 + 2 * W, 4, le, 'tag', 'flags', sc, base);
      }
    } else if (cmd === LC_SYMTAB) {
      const sg = 'macho-symtab';
      b.field(at + 8, 4, le, 'offset', 'symoff', sg, base);
      b.field(at + 12, 4, le, 'count', 'nsyms', sg, base);
      b.field(at + 16, 4, le, 'offset', 'stroff', sg, base);
      b.field(at + 20, 4, le, 'size', 'strsize', sg, base);
      const symoff = base + v.u32(at + 8, le);
      const nsyms = v.u32(at + 12, le);
      const stroff = base + v.u32(at + 16, le);
      const strsize = v.u32(at + 20, le);
      const ent = is64 ? 16 : 12;
      b.bound(symoff, symoff + nsyms * ent, stroff, stroff + strsize);
      b.region(stroff, strsize, 'strtab', 'LC_SYMTAB strings');
      b.region(symoff, nsyms * ent, 'table', 'nlist');
      for (let k = 0; k < Math.min(nsyms, 256); k++) {
        const s = symoff + k * ent;
        b.field(s, 4, le, 'offset', 'n_strx', 'macho-nlist', stroff);
        b.field(s + 4, 1, le, 'tag', 'n_type', 'macho-nlist', base);
        b.field(s + 5, 1, le, 'index', 'n_sect', 'macho-nlist', base);
        b.field(s + 6, 2, le, 'value', 'n_desc', 'macho-nlist', base);
      }
    } else if (cmd === LC_DYSYMTAB) {
      DYSYMTAB_FIELDS.forEach((n, k) =>
        b.field(at + 8 + 4 * k, 4, le, n.startsWith('n') ? 'count' : n.endsWith('off') ? 'offset' : 'index', n, 'macho-dysymtab', base),
      );
    } else if (cmd === LC_DYLD_INFO || cmd === (LC_DYLD_INFO | 0x80000000)) {
      const names = ['rebase', 'bind', 'weak_bind', 'lazy_bind', 'export'];
      names.forEach((n, k) => {
        b.field(at + 8 + 8 * k, 4, le, 'offset', `${n}_off`, 'macho-dyld-info', base);
        b.field(at + 12 + 8 * k, 4, le, 'size', `${n}_size`, 'macho-dyld-info', base);
        const off = base + v.u32(at + 8 + 8 * k, le);
        const sz = v.u32(at + 12 + 8 * k, le);
        b.bound(off, off + sz);
        b.heat(off, Math.min(sz, 4096));
        b.region(off, sz, n === 'export' ? 'trie' : 'uleb', `${n} opcodes`);
      });
    } else if (LINKEDIT_DATA.has(cmd)) {
      b.field(at + 8, 4, le, 'offset', 'dataoff', 'macho-linkedit', base);
      b.field(at + 12, 4, le, 'size', 'datasize', 'macho-linkedit', base);
      const off = base + v.u32(at + 8, le);
      const sz = v.u32(at + 12, le);
      b.bound(off, off + sz);
      if (cmd === LC_FUNCTION_STARTS) b.region(off, sz, 'uleb', 'function starts');
      else if (cmd === LC_DYLD_EXPORTS_TRIE) b.region(off, sz, 'trie', 'exports trie');
      else if (cmd === LC_DATA_IN_CODE) b.region(off, sz, 'table', 'data in code');
      else if (cmd === LC_CODE_SIGNATURE) later.push(() => codeSignature(b, off, sz));
      else if (cmd === LC_DYLD_CHAINED_FIXUPS) later.push(() => chainedFixups(b, base, off, sz, le, segs));
      else b.region(off, sz, 'blob', name);
    } else if (LC_STR_AT_8.has(cmd)) {
      b.field(at + 8, 4, le, 'offset', 'lc_str.offset', 'macho-lcstr', at);
      b.region(at + v.u32(at + 8, le), cmdsize - v.u32(at + 8, le), 'lcstr', name);
    } else if (cmd === LC_BUILD_VERSION) {
      b.field(at + 8, 4, le, 'tag', 'platform', 'macho-build', base);
      b.field(at + 20, 4, le, 'count', 'ntools', 'macho-build', base);
    } else if (cmd === LC_MAIN) {
      b.field(at + 8, 8, le, 'offset', 'entryoff', 'macho-main', base);
    } else if (cmd === LC_ENCRYPTION_INFO || cmd === LC_ENCRYPTION_INFO_64) {
      b.field(at + 8, 4, le, 'offset', 'cryptoff', 'macho-crypt', base);
      b.field(at + 12, 4, le, 'size', 'cryptsize', 'macho-crypt', base);
      b.field(at + 16, 4, le, 'value', 'cryptid', 'macho-crypt', base);
    } else if (cmd === LC_NOTE) {
      b.field(at + 24, 8, le, 'offset', 'LC_NOTE.offset', 'macho-note', base);
      b.field(at + 32, 8, le, 'size', 'LC_NOTE.size', 'macho-note', base);
    } else if (cmd === LC_LINKER_OPTION) {
      b.field(at + 8, 4, le, 'count', 'LC_LINKER_OPTION.count', 'macho-lc', base);
    }
    if (cmdsize < 8) break;
    at += cmdsize;
  }
  for (const f of later) {
    try {
      f();
    } catch {
      // aim only
    }
  }
}

// <mach-o/fixup-chains.h>: header, starts_in_image, starts_in_segment, and
// the chains threaded through the pointers of each page.
function chainedFixups(
  b: Builder,
  base: number,
  off: number,
  size: number,
  le: boolean,
  segs: { fileoff: number; vmaddr: number }[],
): void {
  const v = b.v;
  const g = 'macho-chained';
  b.heat(off, Math.min(size, 4096));
  b.field(off, 4, le, 'value', 'fixups_version', g, off);
  b.field(off + 4, 4, le, 'offset', 'starts_offset', g, off);
  b.field(off + 8, 4, le, 'offset', 'imports_offset', g, off);
  b.field(off + 12, 4, le, 'offset', 'symbols_offset', g, off);
  b.field(off + 16, 4, le, 'count', 'imports_count', g, off);
  b.field(off + 20, 4, le, 'tag', 'imports_format', g, off);
  b.field(off + 24, 4, le, 'tag', 'symbols_format', g, off);
  const starts = off + v.u32(off + 4, le);
  const imports = off + v.u32(off + 8, le);
  const syms = off + v.u32(off + 12, le);
  b.bound(starts, imports, syms, off + size);
  b.region(syms, off + size - syms, 'strtab', 'chained fixups symbols');
  const segCount = Math.min(v.u32(starts, le), 64);
  b.field(starts, 4, le, 'count', 'seg_count', g, off);
  for (let i = 0; i < segCount; i++) {
    b.field(starts + 4 + 4 * i, 4, le, 'offset', 'seg_info_offset', g, starts);
    const so = v.u32(starts + 4 + 4 * i, le);
    if (so === 0) continue;
    const s = starts + so;
    b.field(s, 4, le, 'size', 'starts_in_segment.size', g, starts);
    b.field(s + 4, 2, le, 'size', 'page_size', g, starts);
    b.field(s + 6, 2, le, 'tag', 'pointer_format', g, starts);
    b.field(s + 8, 8, le, 'offset', 'segment_offset', g, base);
    b.field(s + 16, 4, le, 'value', 'max_valid_pointer', g, starts);
    b.field(s + 20, 2, le, 'count', 'page_count', g, starts);
    const pageSize = v.u16(s + 4, le);
    const pageCount = Math.min(v.u16(s + 20, le), 4096);
    const seg = segs[i];
    for (let p = 0; p < pageCount; p++) {
      b.field(s + 22 + 2 * p, 2, le, 'offset', 'page_start', g, 0);
      const ps = v.u16(s + 22 + 2 * p, le);
      if (ps === 0xffff || ps & 0x8000 || !seg) continue;
      // The first pointer of the page's chain: its `next` bits link the chain.
      const ptr = base + seg.fileoff + p * pageSize + ps;
      b.field(ptr, 8, le, 'chain', 'chained pointer', g, base);
    }
  }
}

// Code signing (xnu osfmk/kern/cs_blobs.h): big-endian SuperBlob, BlobIndex
// entries, CodeDirectory with its counts and offsets.
function codeSignature(b: Builder, off: number, size: number): void {
  const v = b.v;
  const g = 'codesign';
  b.heat(off, Math.min(size, 1024));
  b.field(off + 4, 4, false, 'size', 'SuperBlob.length', g, off);
  b.field(off + 8, 4, false, 'count', 'SuperBlob.count', g, off);
  const count = Math.min(v.u32(off + 8, false), 32);
  for (let i = 0; i < count; i++) {
    const ix = off + 12 + 8 * i;
    b.field(ix, 4, false, 'tag', 'BlobIndex.type', g, off);
    b.field(ix + 4, 4, false, 'offset', 'BlobIndex.offset', g, off);
    const blob = off + v.u32(ix + 4, false);
    b.bound(blob);
    const magic = v.u32(blob, false);
    b.field(blob, 4, false, 'tag', 'blob.magic', g, blob);
    b.field(blob + 4, 4, false, 'size', 'blob.length', g, blob);
    b.bound(blob + v.u32(blob + 4, false));
    if (magic === 0xfade0c02) {
      const version = v.u32(blob + 8, false);
      b.field(blob + 8, 4, false, 'value', 'CodeDirectory.version', g, blob);
      b.field(blob + 16, 4, false, 'offset', 'hashOffset', g, blob);
      b.field(blob + 20, 4, false, 'offset', 'identOffset', g, blob);
      b.field(blob + 24, 4, false, 'count', 'nSpecialSlots', g, blob);
      b.field(blob + 28, 4, false, 'count', 'nCodeSlots', g, blob);
      b.field(blob + 32, 4, false, 'size', 'codeLimit', g, blob);
      b.field(blob + 36, 1, false, 'size', 'hashSize', g, blob);
      b.field(blob + 37, 1, false, 'tag', 'hashType', g, blob);
      b.field(blob + 39, 1, false, 'value', 'pageSize', g, blob);
      if (version >= 0x20100) b.field(blob + 44, 4, false, 'offset', 'scatterOffset', g, blob);
      if (version >= 0x20200) b.field(blob + 48, 4, false, 'offset', 'teamOffset', g, blob);
      if (version >= 0x20300) b.field(blob + 56, 8, false, 'size', 'codeLimit64', g, blob);
      if (version >= 0x20400) b.field(blob + 80, 8, false, 'value', 'execSegFlags', g, blob);
      b.region(blob + v.u32(blob + 20, false), 64, 'strtab', 'CodeDirectory identifier');
    } else if (magic === 0xfade7172) {
      b.region(blob + 8, v.u32(blob + 4, false) - 8, 'blob', 'DER entitlements');
    } else if (magic === 0xfade7171) {
      b.region(blob + 8, v.u32(blob + 4, false) - 8, 'blob', 'entitlements');
    } else if (magic === 0xfade0c01) {
      b.field(blob + 8, 4, false, 'count', 'Requirements.count', g, blob);
    }
  }
}

// ------------------------------------------------------------------- Go

// runtime/symtab.go pcHeader: magic, pad, minLC, ptrSize, then nfunc,
// nfiles (1.16+), textStart (1.18+) and the offsets of its sub-tables.
function goPclntab(b: Builder, off: number, size: number): void {
  const v = b.v;
  const g = 'go-pclntab';
  if (!v.ok(off, 16)) return;
  const le = v.u32(off, true) >>> 0 >= 0xfffffff0 ? true : false;
  const magic = v.u32(off, le);
  const ptr = v.u8(off + 7);
  if (ptr !== 4 && ptr !== 8) return;
  b.heat(off, 128);
  b.field(off, 4, le, 'tag', 'pcHeader.magic', g, off);
  b.field(off + 7, 1, le, 'size', 'pcHeader.ptrSize', g, off);
  b.field(off + 8, ptr as 4 | 8, le, 'count', 'nfunc', g, off);
  if (magic === 0xfffffffb) {
    // Go 1.2: nfunc then the functab of (pc, funcoff) pairs.
    for (let i = 0; i < 16; i++) b.field(off + 8 + ptr + i * ptr, ptr as 4 | 8, le, 'offset', 'functab', g, off);
    return;
  }
  const names =
    magic === 0xfffffffa
      ? ['nfiles', 'funcnameOffset', 'cuOffset', 'filetabOffset', 'pctabOffset', 'pclnOffset']
      : ['nfiles', 'textStart', 'funcnameOffset', 'cuOffset', 'filetabOffset', 'pctabOffset', 'pclnOffset'];
  names.forEach((n, i) =>
    b.field(off + 8 + ptr * (i + 1), ptr as 4 | 8, le, n.startsWith('n') ? 'count' : n === 'textStart' ? 'value' : 'offset', n, g, off),
  );
  b.bound(off + size);
}

// debug/buildinfo: 14-byte magic, pointer size, flags; the inline layout
// (flags bit 2) then holds two varint-prefixed strings at offset 32.
function goBuildInfo(b: Builder, off: number, size: number): void {
  const g = 'go-buildinfo';
  b.heat(off, 64);
  b.field(off + 14, 1, true, 'size', 'ptrSize', g, off);
  b.field(off + 15, 1, true, 'tag', 'flags', g, off);
  if (b.v.u8(off + 15) & 2) b.region(off + 32, Math.min(size - 32, 16), 'uleb', 'buildinfo varint');
  else {
    b.field(off + 16, 8, true, 'value', 'runtime.buildVersion pointer', g, off);
    b.field(off + 24, 8, true, 'value', 'runtime.modinfo pointer', g, off);
  }
}
