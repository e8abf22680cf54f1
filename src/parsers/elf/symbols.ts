// Symbol tables (gABI "Symbol Table"): .symtab (SHT_SYMTAB, the link-time
// table, removed by strip) and .dynsym (SHT_DYNSYM, what the dynamic linker
// binds). Tables can hold hundreds of thousands of entries, so entries are
// read on demand by index; only counts are computed eagerly.

import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import {
  DT_GNU_HASH,
  DT_HASH,
  DT_SYMENT,
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
} from './constants.ts';
import type { DynamicInfo } from './dynamic.ts';
import type { ElfHeader } from './header.ts';
import type { AddressMap } from './program.ts';
import { StringTable, type SectionHeader } from './sections.ts';

export interface SymbolTable {
  name: '.symtab' | '.dynsym';
  /** The section, or null when the table was found through DT_SYMTAB. */
  section: SectionHeader | null;
  offset: number;
  /** Entries, including the null entry 0. */
  count: number;
  entsize: number;
  strtab: StringTable | null;
  /** SHT_SYMTAB_SHNDX area for entries whose st_shndx is SHN_XINDEX. */
  shndx: { offset: number; count: number } | null;
}

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
  let count = Math.floor(s.sh_size / entsize);
  const fit = Math.floor(r.remaining(s.sh_offset) / entsize);
  if (fit < count) {
    problems.error(new FormatError(`${kind} at ${hex(s.sh_offset)} claims ${count} symbols but the file holds ${fit}`, s.sh_offset, kind, count));
    count = fit;
  }
  if (count > MAX_SYMBOLS) {
    problems.error(new FormatError(`${kind} has ${count} symbols; reading the first ${MAX_SYMBOLS}`, s.sh_offset, kind, count));
    count = MAX_SYMBOLS;
  }
  const link = sections[s.sh_link];
  let strtab: StringTable | null = null;
  if (link && link.index !== 0 && link.sh_type !== SHT_NOBITS) {
    strtab = StringTable.of(r, link.sh_offset, link.sh_size, link.name || `section ${link.index}`);
  } else {
    problems.error(new FormatError(`${kind}: sh_link ${s.sh_link} does not name a string table`, s.at, 'sh_link', s.sh_link));
  }
  let shndx: SymbolTable['shndx'] = null;
  const x = sections.find((t) => t.sh_type === SHT_SYMTAB_SHNDX && t.sh_link === s.index);
  if (x) shndx = { offset: x.sh_offset, count: Math.min(Math.floor(x.sh_size / 4), Math.floor(r.remaining(x.sh_offset) / 4)) };
  return { name: kind, section: s, offset: s.sh_offset, count, entsize, strtab, shndx };
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
  const syment = dyn.get(DT_SYMENT);
  if (syment !== undefined && syment !== BigInt(entsize)) {
    problems.error(new FormatError(`DT_SYMENT is ${syment}, expected ${entsize}`, offset, 'DT_SYMENT', syment));
  }
  let count = problems.try(() => hashCount(r, h, map, dyn), null);
  const fit = Math.floor(map.bytesAfter(addr) / entsize);
  if (count === null) {
    problems.warn('no DT_HASH or DT_GNU_HASH to size DT_SYMTAB; dynamic symbols not read');
    return null;
  }
  if (count > fit) {
    problems.error(new FormatError(`the hash table counts ${count} dynamic symbols but only ${fit} fit at DT_SYMTAB`, offset, 'DT_SYMTAB', count));
    count = fit;
  }
  return { name: '.dynsym', section: null, offset, count: Math.min(count, MAX_SYMBOLS), entsize, strtab: dyn.strtab, shndx: null };
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

export function readSymbol(r: Reader, h: ElfHeader, t: SymbolTable, index: number): ElfSymbol {
  const at = t.offset + index * t.entsize;
  let st_name: number, st_value: bigint, st_size: bigint, st_info: number, st_other: number, st_shndx: number;
  if (h.is64) {
    st_name = r.u32(at, 'st_name');
    st_info = r.u8(at + 4, 'st_info');
    st_other = r.u8(at + 5, 'st_other');
    st_shndx = r.u16(at + 6, 'st_shndx');
    st_value = r.u64(at + 8, 'st_value');
    st_size = r.u64(at + 16, 'st_size');
  } else {
    st_name = r.u32(at, 'st_name');
    st_value = BigInt(r.u32(at + 4, 'st_value'));
    st_size = BigInt(r.u32(at + 8, 'st_size'));
    st_info = r.u8(at + 12, 'st_info');
    st_other = r.u8(at + 13, 'st_other');
    st_shndx = r.u16(at + 14, 'st_shndx');
  }
  if (st_shndx === SHN_XINDEX && t.shndx && index < t.shndx.count) st_shndx = r.u32(t.shndx.offset + 4 * index, 'SHT_SYMTAB_SHNDX');
  return {
    index,
    st_name,
    name: '',
    st_value,
    st_size,
    st_info,
    st_other,
    st_shndx,
    bind: st_info >> 4,
    type: st_info & 0xf,
    visibility: st_other & 3,
  };
}

/** Reads symbol `index` with its name; a bad name offset is recorded and the name left empty. */
export function readNamedSymbol(r: Reader, h: ElfHeader, t: SymbolTable, index: number, problems: Problems): ElfSymbol {
  const s = readSymbol(r, h, t, index);
  if (s.st_name !== 0 && t.strtab) s.name = problems.try(() => t.strtab!.get(s.st_name, `${t.name}[${index}].st_name`), '');
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
export function nmHides(machine: number, index: number, type: number, nameStarts: (prefix: string) => boolean, nameEmpty: boolean): boolean {
  if (index === 0 || type === STT_SECTION || type === STT_FILE) return true;
  if (machine === EM_AARCH64) return nameStarts('$d') || nameStarts('$x');
  if (machine === EM_ARM) return nameEmpty || nameStarts('$d') || nameStarts('$t') || nameStarts('$a');
  if (machine === EM_RISCV) return nameStarts('$d') || nameStarts('$x') || nameStarts('.L0 \0');
  return false;
}

/** llvm-nm's default listing of a table, counted without building rows: defined vs undefined. */
export function countNmSymbols(r: Reader, h: ElfHeader, t: SymbolTable): { defined: number; undefined: number } {
  let defined = 0;
  let undefinedCount = 0;
  const strtab = t.strtab;
  const peek = strtab !== null && (h.e_machine === EM_AARCH64 || h.e_machine === EM_ARM || h.e_machine === EM_RISCV);
  const nameOff = 0;
  const infoOff = h.is64 ? 4 : 12;
  const shndxOff = h.is64 ? 6 : 14;
  for (let i = 1; i < t.count; i++) {
    const at = t.offset + i * t.entsize;
    const type = r.u8(at + infoOff, 'st_info') & 0xf;
    let st_name = 0;
    if (peek) st_name = r.u32(at + nameOff, 'st_name');
    const hidden = nmHides(
      h.e_machine,
      i,
      type,
      (p) => peek && strtab.startsWith(st_name, p),
      st_name === 0 || (peek && strtab.startsWith(st_name, '\0')),
    );
    if (hidden) continue;
    const shndx = r.u16(at + shndxOff, 'st_shndx');
    if (shndx === SHN_UNDEF) undefinedCount++;
    else defined++;
  }
  return { defined, undefined: undefinedCount };
}

/** SymbolRow.type */
export function symbolTypeName(s: ElfSymbol): string {
  if (s.st_shndx === SHN_COMMON || s.type === STT_COMMON) return 'common';
  switch (s.type) {
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

/** Name of the section a symbol is defined in, `*ABS*`/`*COM*` for the special indices, or null. */
export function symbolSectionName(s: ElfSymbol, sections: SectionHeader[]): string | null {
  if (s.st_shndx === SHN_UNDEF) return null;
  if (s.st_shndx === SHN_ABS) return '*ABS*';
  if (s.st_shndx === SHN_COMMON) return '*COM*';
  if (s.st_shndx >= SHN_LORESERVE && s.st_shndx <= 0xffff && s.st_shndx !== SHN_XINDEX) return hex(s.st_shndx);
  const sec = sections[s.st_shndx];
  return sec ? sec.name : null;
}
