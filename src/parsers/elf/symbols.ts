// Symbol tables (gABI "Symbol Table"): .symtab (SHT_SYMTAB, the link-time
// table, removed by strip) and .dynsym (SHT_DYNSYM, what the dynamic linker
// binds). Tables can hold hundreds of thousands of entries, so entries are
// read on demand by index; only counts are computed eagerly.

import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import {
  DT_GNU_HASH,
  DT_HASH,
  DT_SYMTAB,
  EM_AARCH64,
  EM_ARM,
  EM_RISCV,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHN_XINDEX,
  SHT_DYNSYM,
  SHT_NOBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  SHT_SYMTAB_SHNDX,
  STB_GLOBAL,
  STB_GNU_UNIQUE,
  STB_LOCAL,
  STB_WEAK,
  STT_COMMON,
  STT_FILE,
  STT_FUNC,
  STT_GNU_IFUNC,
  STT_OBJECT,
  STT_SECTION,
  STT_TLS,
  STV_DEFAULT,
  STV_PROTECTED,
  shtName,
} from './constants.ts';
import type { DynamicInfo } from './dynamic.ts';
import type { ElfHeader } from './header.ts';
import type { AddressMap } from './program.ts';
import { StringTable, checkStringTable, tableReader, type SectionHeader } from './sections.ts';

/**
 * One symbol table. Entries are read by index, field by field, from a reader
 * over the table alone (copied once out of a chunked source, see tableReader).
 */
export class SymbolTable {
  /** Byte offsets of the fields inside an entry (Elf32_Sym and Elf64_Sym order them differently). */
  private readonly o: { name: number; value: number; size: number; info: number; other: number; shndx: number };
  constructor(
    readonly name: '.symtab' | '.dynsym',
    /** The section, or null when the table was found through DT_SYMTAB. */
    readonly section: SectionHeader | null,
    /** File offset of entry 0. */
    readonly offset: number,
    /** Entries, including the null entry 0. */
    readonly count: number,
    readonly is64: boolean,
    /** The entries' bytes. */
    private readonly data: Reader,
    readonly strtab: StringTable | null,
    /** SHT_SYMTAB_SHNDX entries, for symbols whose st_shndx is SHN_XINDEX. */
    private readonly shndxTable: Reader | null,
  ) {
    this.o = is64
      ? { name: 0, info: 4, other: 5, shndx: 6, value: 8, size: 16 }
      : { name: 0, value: 4, size: 8, info: 12, other: 13, shndx: 14 };
  }
  get entsize(): number {
    return this.is64 ? 24 : 16;
  }
  st_name(i: number): number {
    return this.data.u32(i * this.entsize + this.o.name, 'st_name');
  }
  st_info(i: number): number {
    return this.data.u8(i * this.entsize + this.o.info, 'st_info');
  }
  st_other(i: number): number {
    return this.data.u8(i * this.entsize + this.o.other, 'st_other');
  }
  /** st_shndx as written (SHN_XINDEX not resolved). */
  rawShndx(i: number): number {
    return this.data.u16(i * this.entsize + this.o.shndx, 'st_shndx');
  }
  /** Section index, with SHN_XINDEX resolved through SHT_SYMTAB_SHNDX. */
  st_shndx(i: number): number {
    const v = this.rawShndx(i);
    if (v === XINDEX && this.shndxTable && this.shndxTable.has(4 * i, 4)) return this.shndxTable.u32(4 * i, 'SHT_SYMTAB_SHNDX');
    return v;
  }
  st_value(i: number): bigint {
    const at = i * this.entsize + this.o.value;
    return this.is64 ? this.data.u64(at, 'st_value') : BigInt(this.data.u32(at, 'st_value'));
  }
  st_size(i: number): bigint {
    const at = i * this.entsize + this.o.size;
    return this.is64 ? this.data.u64(at, 'st_size') : BigInt(this.data.u32(at, 'st_size'));
  }
  /** st_size as a number, or null when it does not fit one exactly. */
  sizeNumber(i: number): number | null {
    const at = i * this.entsize + this.o.size;
    if (!this.is64) return this.data.u32(at, 'st_size');
    const [hi, lo] = this.halves(at, 'st_size');
    return hi < 0x200000 ? hi * 0x100000000 + lo : null;
  }
  /** The name; a bad st_name is recorded in `problems` and gives "". */
  nameOf(i: number, problems: Problems): string {
    const off = this.st_name(i);
    if (off === 0 || !this.strtab) return '';
    const strtab = this.strtab;
    // The field's name is only spelled out for an error (a string per symbol otherwise).
    return problems.try(() => strtab.get(off, () => `${this.name}[${i}].st_name`), '');
  }
  /**
   * nameOf without the name: records the same problem for a bad st_name and
   * says whether the name reads (false for a bad one, which nameOf gives as "").
   */
  checkName(i: number, problems: Problems): boolean {
    const off = this.st_name(i);
    if (off === 0 || !this.strtab) return true;
    const strtab = this.strtab;
    return problems.try(() => {
      strtab.check(off, () => `${this.name}[${i}].st_name`);
      return true;
    }, false);
  }
  private halves(at: number, field: string): [number, number] {
    const a = this.data.u32(at, field);
    const b = this.data.u32(at + 4, field);
    return this.data.littleEndian ? [b, a] : [a, b];
  }
}

// Read once per symbol in the loops below: local copies of the constants.
const XINDEX = SHN_XINDEX;
const UNDEF = SHN_UNDEF;

export interface ElfSymbol {
  index: number;
  st_name: number;
  name: string;
  st_value: bigint;
  st_size: bigint;
  st_info: number;
  st_other: number;
  /** Section index, with SHN_XINDEX resolved through SHT_SYMTAB_SHNDX. */
  st_shndx: number;
  bind: number;
  type: number;
  visibility: number;
}

const symSize = (is64: boolean) => (is64 ? 24 : 16);

/** Upper bound on entries in one table; beyond it the table is read partly. */
export const MAX_SYMBOLS = 20_000_000;

export function findSymbolTable(
  r: Reader,
  h: ElfHeader,
  sections: SectionHeader[],
  kind: '.symtab' | '.dynsym',
  problems: Problems,
): SymbolTable | null {
  const type = kind === '.symtab' ? SHT_SYMTAB : SHT_DYNSYM;
  // llvm-nm and the loader both use the first table of each type.
  const s = sections.find((x) => x.sh_type === type);
  if (!s) return null;
  const entsize = symSize(h.is64);
  if (s.sh_entsize !== entsize && s.sh_entsize !== 0) {
    problems.error(new FormatError(`${kind}: sh_entsize is ${s.sh_entsize}, expected ${entsize}`, s.at, 'sh_entsize', s.sh_entsize));
  }
  if (s.sh_size % entsize !== 0) {
    problems.error(
      new FormatError(
        `${kind}: sh_size ${hex(s.sh_size)} is not a multiple of the entry size (${entsize})`,
        s.at + (h.is64 ? 32 : 20),
        'sh_size',
        s.sh_size,
      ),
    );
  }
  let count = Math.floor(s.sh_size / entsize);
  const fit = Math.floor(r.remaining(s.sh_offset) / entsize);
  if (fit < count) {
    problems.error(
      new FormatError(`${kind} at ${hex(s.sh_offset)} claims ${count} symbols but the file holds ${fit}`, s.sh_offset, kind, count),
    );
    count = fit;
  }
  if (count > MAX_SYMBOLS) {
    problems.error(new FormatError(`${kind} has ${count} symbols; reading the first ${MAX_SYMBOLS}`, s.sh_offset, kind, count));
    count = MAX_SYMBOLS;
  }
  const link = sections[s.sh_link];
  let strtab: StringTable | null = null;
  if (link && link.index !== 0 && link.sh_type !== SHT_NOBITS && link.sh_type !== SHT_STRTAB) {
    problems.error(
      new FormatError(
        `${kind}: sh_link ${s.sh_link} names section [${link.index}] ${link.name || '(unnamed)'}, of type ${shtName(link.sh_type, h.e_machine)}, not a string table (STRTAB)`,
        s.at + (h.is64 ? 40 : 24),
        'sh_link',
        s.sh_link,
      ),
    );
  } else if (link && link.index !== 0 && link.sh_type !== SHT_NOBITS) {
    strtab = StringTable.of(r, link.sh_offset, link.sh_size, link.name || `section ${link.index}`);
    checkStringTable(r, link, problems);
  } else {
    problems.error(new FormatError(`${kind}: sh_link ${s.sh_link} does not name a string table`, s.at, 'sh_link', s.sh_link));
  }
  let shndx: Reader | null = null;
  const x = sections.find((t) => t.sh_type === SHT_SYMTAB_SHNDX && t.sh_link === s.index);
  if (x) {
    const n = Math.min(Math.floor(x.sh_size / 4), Math.floor(r.remaining(x.sh_offset) / 4));
    shndx = tableReader(r, x.sh_offset, 4 * n, 'SHT_SYMTAB_SHNDX');
  }
  const data = tableReader(r, s.sh_offset, count * entsize, kind);
  return new SymbolTable(kind, s, s.sh_offset, count, h.is64, data, strtab, shndx);
}

/**
 * .dynsym for files without section headers: DT_SYMTAB gives the start,
 * the hash table the count (DT_HASH's nchain, or the highest index a
 * DT_GNU_HASH chain reaches, plus one).
 */
export function dynsymFromDynamic(r: Reader, h: ElfHeader, map: AddressMap, dyn: DynamicInfo, problems: Problems): SymbolTable | null {
  const addr = dyn.get(DT_SYMTAB);
  if (addr === undefined) return null;
  const offset = map.offsetOf(addr);
  if (offset === null) {
    problems.warn(`DT_SYMTAB ${hex(addr)} is not inside a PT_LOAD segment`);
    return null;
  }
  const entsize = symSize(h.is64);
  let count = problems.try(() => hashCount(r, h, map, dyn), null);
  const fit = Math.floor(map.bytesAfter(addr) / entsize);
  if (count === null) {
    problems.warn('no DT_HASH or DT_GNU_HASH to size DT_SYMTAB; dynamic symbols not read');
    return null;
  }
  if (count > fit) {
    problems.error(
      new FormatError(`the hash table counts ${count} dynamic symbols but only ${fit} fit at DT_SYMTAB`, offset, 'DT_SYMTAB', count),
    );
    count = fit;
  }
  count = Math.min(count, MAX_SYMBOLS);
  return new SymbolTable('.dynsym', null, offset, count, h.is64, tableReader(r, offset, count * entsize, 'DT_SYMTAB'), dyn.strtab, null);
}

function hashCount(r: Reader, h: ElfHeader, map: AddressMap, dyn: DynamicInfo): number | null {
  const hashAddr = dyn.get(DT_HASH);
  if (hashAddr !== undefined) {
    const off = map.offsetOf(hashAddr, 8);
    if (off !== null) return r.u32(off + 4, 'DT_HASH nchain');
  }
  const gnuAddr = dyn.get(DT_GNU_HASH);
  if (gnuAddr === undefined) return null;
  const off = map.offsetOf(gnuAddr, 16);
  if (off === null) return null;
  const nbuckets = r.u32(off, 'nbuckets');
  const symoffset = r.u32(off + 4, 'symoffset');
  const bloomSize = r.u32(off + 8, 'bloom_size');
  const buckets = off + 16 + bloomSize * (h.is64 ? 8 : 4);
  r.checkTable(buckets, nbuckets, 4, 'DT_GNU_HASH buckets');
  let max = 0;
  for (let i = 0; i < nbuckets; i++) max = Math.max(max, r.u32(buckets + 4 * i, 'bucket'));
  if (max < symoffset) return symoffset;
  // Walk the chain of the highest bucket to its end (low bit set).
  const chains = buckets + 4 * nbuckets;
  let i = max;
  for (let steps = 0; steps < MAX_SYMBOLS; steps++, i++) {
    const v = r.u32(chains + 4 * (i - symoffset), 'DT_GNU_HASH chain');
    if (v & 1) return i + 1;
  }
  throw new FormatError('DT_GNU_HASH chain does not end', chains, 'DT_GNU_HASH', i);
}

export function readSymbol(t: SymbolTable, index: number): ElfSymbol {
  const st_info = t.st_info(index);
  const st_other = t.st_other(index);
  return {
    index,
    st_name: t.st_name(index),
    name: '',
    st_value: t.st_value(index),
    st_size: t.st_size(index),
    st_info,
    st_other,
    st_shndx: t.st_shndx(index),
    bind: st_info >> 4,
    type: st_info & 0xf,
    visibility: st_other & 3,
  };
}

/** Reads symbol `index` with its name; a bad name offset is recorded and the name left empty. */
export function readNamedSymbol(t: SymbolTable, index: number, problems: Problems): ElfSymbol {
  const s = readSymbol(t, index);
  s.name = t.nameOf(index, problems);
  return s;
}

export const isDefined = (s: { st_shndx: number }) => s.st_shndx !== SHN_UNDEF;

/** Bound and visible to other objects: what a shared object exports (LLVM's isExportedToOtherDSO). */
export function isExported(s: ElfSymbol): boolean {
  return (
    isDefined(s) &&
    (s.bind === STB_GLOBAL || s.bind === STB_WEAK || s.bind === STB_GNU_UNIQUE) &&
    (s.visibility === STV_DEFAULT || s.visibility === STV_PROTECTED)
  );
}

/**
 * Whether llvm-nm leaves the symbol out by default: it hides what LLVM flags
 * SF_FormatSpecific (llvm/Object/ELFObjectFile.h, getSymbolFlags): the null
 * symbol, STT_SECTION and STT_FILE symbols, and per machine the mapping
 * symbols ($x/$d on AArch64; $a/$t/$d and unnamed ones on ARM; $x/$d and the
 * `.L0 ` fake label on RISC-V). `nameStarts` peeks at the name without decoding it.
 */
export function nmHides(
  machine: number,
  index: number,
  type: number,
  nameStarts: (prefix: string) => boolean,
  nameEmpty: boolean,
): boolean {
  if (index === 0 || type === STT_SECTION || type === STT_FILE) return true;
  if (machine === EM_AARCH64) return nameStarts('$d') || nameStarts('$x');
  if (machine === EM_ARM) return nameEmpty || nameStarts('$d') || nameStarts('$t') || nameStarts('$a');
  if (machine === EM_RISCV) return nameStarts('$d') || nameStarts('$x') || nameStarts('.L0 \0');
  return false;
}

/** llvm-nm's default listing of a table, counted without building rows: defined vs undefined. */
export function countNmSymbols(machine: number, t: SymbolTable): { defined: number; undefined: number } {
  let defined = 0;
  let undefinedCount = 0;
  const strtab = t.strtab;
  const peek = strtab !== null && (machine === EM_AARCH64 || machine === EM_ARM || machine === EM_RISCV);
  for (let i = 1; i < t.count; i++) {
    const type = t.st_info(i) & 0xf;
    const st_name = peek ? t.st_name(i) : 0;
    const hidden = nmHides(
      machine,
      i,
      type,
      (p) => peek && strtab.startsWith(st_name, p),
      st_name === 0 || (peek && strtab.startsWith(st_name, '\0')),
    );
    if (hidden) continue;
    if (t.rawShndx(i) === UNDEF) undefinedCount++;
    else defined++;
  }
  return { defined, undefined: undefinedCount };
}

/** One error for the names of a table that point past its string table (llvm-readobj: "st_name (…) is past the end of the string table"). */
export function checkSymbolNames(t: SymbolTable, problems: Problems): void {
  const strtab = t.strtab;
  if (!strtab) return;
  let bad = 0;
  let firstIndex = 0;
  let firstName = 0;
  for (let i = 1; i < t.count; i++) {
    const st_name = t.st_name(i);
    if (st_name < strtab.size) continue;
    if (bad++ === 0) {
      firstIndex = i;
      firstName = st_name;
    }
  }
  if (bad) {
    problems.error(
      new FormatError(
        `${t.name}[${firstIndex}].st_name ${hex(firstName)} is past the end of its string table (${hex(strtab.size)} bytes)${bad > 1 ? `, and ${bad - 1} more` : ''}`,
        t.offset + firstIndex * t.entsize,
        'st_name',
        firstName,
      ),
    );
  }
}

/** SymbolRow.type, from st_info's type and the section index. */
export function symbolTypeName(type: number, shndx: number): string {
  if (shndx === SHN_COMMON || type === STT_COMMON) return 'common';
  switch (type) {
    case STT_FUNC:
      return 'func';
    case STT_OBJECT:
      return 'object';
    case STT_SECTION:
      return 'section';
    case STT_FILE:
      return 'file';
    case STT_TLS:
      return 'tls';
    case STT_GNU_IFUNC:
      return 'indirect';
  }
  return 'other';
}

/** SymbolRow.bind */
export function symbolBindName(bind: number): string {
  switch (bind) {
    case STB_LOCAL:
      return 'local';
    case STB_GLOBAL:
      return 'global';
    case STB_WEAK:
      return 'weak';
    case STB_GNU_UNIQUE:
      return 'unique';
  }
  return 'other';
}

/**
 * Name of the section a symbol is defined in, `*ABS*`/`*COM*` for those
 * reserved indices, or null when undefined. `raw` is st_shndx as written:
 * only SHN_XINDEX there means the resolved index is a real section (files
 * with more than 0xff00 sections); other reserved values are never sections.
 */
export function symbolSectionName(raw: number, resolved: number, sectionNames: string[]): string | null {
  if (raw === SHN_UNDEF) return null;
  if (raw === SHN_XINDEX) return sectionNames[resolved] ?? null;
  if (raw === SHN_ABS) return '*ABS*';
  if (raw === SHN_COMMON) return '*COM*';
  if (raw >= SHN_LORESERVE) return hex(raw);
  return sectionNames[raw] ?? null;
}
