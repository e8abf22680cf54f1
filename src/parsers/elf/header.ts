// The ELF header (gABI "ELF Header"), with the extended numbering of
// "Sections / Special Sections": when a count or index does not fit its
// 16-bit field, the real value lives in section header 0.

import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import {
  EI_ABIVERSION,
  EI_CLASS,
  EI_DATA,
  EI_NIDENT,
  EI_OSABI,
  EI_VERSION,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  EV_CURRENT,
  PN_XNUM,
  SHN_LORESERVE,
  SHN_XINDEX,
} from './constants.ts';

export interface ElfHeader {
  is64: boolean;
  littleEndian: boolean;
  ei_version: number;
  ei_osabi: number;
  ei_abiversion: number;
  e_type: number;
  e_machine: number;
  e_version: number;
  e_entry: bigint;
  e_phoff: number;
  e_shoff: number;
  e_flags: number;
  e_ehsize: number;
  e_phentsize: number;
  /** Number of program headers, after PN_XNUM is resolved through section 0's sh_info. */
  e_phnum: number;
  e_shentsize: number;
  /** Number of section headers, after e_shnum == 0 is resolved through section 0's sh_size. */
  e_shnum: number;
  /** Section name string table index, after SHN_XINDEX is resolved through section 0's sh_link. */
  e_shstrndx: number;
  /** The 16-bit fields as written, before extended numbering. */
  raw: { e_phnum: number; e_shnum: number; e_shstrndx: number };
}

export const EHDR32_SIZE = 52;
export const EHDR64_SIZE = 64;
export const PHDR32_SIZE = 32;
export const PHDR64_SIZE = 56;
export const SHDR32_SIZE = 40;
export const SHDR64_SIZE = 64;

/**
 * Reads e_ident and the header. `r` may have either byte order: the header's
 * own EI_DATA decides. Throws a FormatError only when the header itself
 * cannot be read (not ELF, unknown class or byte order, too short); smaller
 * inconsistencies are recorded in `problems`.
 */
export function readHeader(file: Reader, problems: Problems): ElfHeader {
  file.check(0, EI_NIDENT, 'e_ident');
  const magic = file.bytes(0, 4, 'e_ident[EI_MAG]');
  if (magic[0] !== 0x7f || magic[1] !== 0x45 || magic[2] !== 0x4c || magic[3] !== 0x46) {
    throw new FormatError('not an ELF file: e_ident does not start with 7f 45 4c 46', 0, 'e_ident[EI_MAG]');
  }
  const cls = file.u8(EI_CLASS, 'e_ident[EI_CLASS]');
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) {
    throw new FormatError(`e_ident[EI_CLASS] is ${cls}, neither ELFCLASS32 (1) nor ELFCLASS64 (2)`, EI_CLASS, 'e_ident[EI_CLASS]', cls);
  }
  const data = file.u8(EI_DATA, 'e_ident[EI_DATA]');
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
    throw new FormatError(`e_ident[EI_DATA] is ${data}, neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)`, EI_DATA, 'e_ident[EI_DATA]', data);
  }
  const is64 = cls === ELFCLASS64;
  const r = file.withEndian(data === ELFDATA2LSB);
  const ehsize = is64 ? EHDR64_SIZE : EHDR32_SIZE;
  r.check(0, ehsize, is64 ? 'Elf64_Ehdr' : 'Elf32_Ehdr');

  const ei_version = r.u8(EI_VERSION, 'e_ident[EI_VERSION]');
  if (ei_version !== EV_CURRENT) {
    problems.error(
      new FormatError(`e_ident[EI_VERSION] is ${ei_version}, expected EV_CURRENT (1)`, EI_VERSION, 'e_ident[EI_VERSION]', ei_version),
    );
  }
  const w = is64 ? 8 : 4;
  const h: ElfHeader = {
    is64,
    littleEndian: r.littleEndian,
    ei_version,
    ei_osabi: r.u8(EI_OSABI, 'e_ident[EI_OSABI]'),
    ei_abiversion: r.u8(EI_ABIVERSION, 'e_ident[EI_ABIVERSION]'),
    e_type: r.u16(16, 'e_type'),
    e_machine: r.u16(18, 'e_machine'),
    e_version: r.u32(20, 'e_version'),
    e_entry: r.addr(24, is64, 'e_entry'),
    e_phoff: 0,
    e_shoff: 0,
    e_flags: r.u32(24 + 3 * w, 'e_flags'),
    e_ehsize: r.u16(28 + 3 * w, 'e_ehsize'),
    e_phentsize: r.u16(30 + 3 * w, 'e_phentsize'),
    e_phnum: r.u16(32 + 3 * w, 'e_phnum'),
    e_shentsize: r.u16(34 + 3 * w, 'e_shentsize'),
    e_shnum: r.u16(36 + 3 * w, 'e_shnum'),
    e_shstrndx: r.u16(38 + 3 * w, 'e_shstrndx'),
    raw: { e_phnum: 0, e_shnum: 0, e_shstrndx: 0 },
  };
  h.raw = { e_phnum: h.e_phnum, e_shnum: h.e_shnum, e_shstrndx: h.e_shstrndx };
  // An offset too large for a JS number cannot point inside the file anyway: treat it as absent.
  h.e_phoff = problems.try(() => r.word(24 + w, is64, 'e_phoff'), 0);
  h.e_shoff = problems.try(() => r.word(24 + 2 * w, is64, 'e_shoff'), 0);

  if (h.e_version !== EV_CURRENT) {
    problems.warn(`e_version is ${h.e_version}, expected EV_CURRENT (1)`);
  }
  if (h.e_ehsize !== ehsize) {
    problems.error(new FormatError(`e_ehsize is ${h.e_ehsize}, expected ${ehsize} for this class`, 28 + 3 * w, 'e_ehsize', h.e_ehsize));
  }
  if (
    h.e_phoff !== 0 &&
    h.e_phnum !== 0 &&
    !entrySizeIs(problems, 'e_phentsize', h.e_phentsize, is64 ? PHDR64_SIZE : PHDR32_SIZE, 30 + 3 * w)
  )
    h.e_phnum = 0;
  if (h.e_shoff !== 0 && !entrySizeIs(problems, 'e_shentsize', h.e_shentsize, is64 ? SHDR64_SIZE : SHDR32_SIZE, 34 + 3 * w)) h.e_shoff = 0;
  if (h.e_shoff === 0) {
    h.e_shnum = 0;
    h.e_shstrndx = 0;
  } else {
    resolveExtendedNumbering(r, h, problems);
  }
  return h;
}

/** Whether a table's entry size is the one its class defines; when not, the table is ignored and that is recorded. */
function entrySizeIs(problems: Problems, field: 'e_phentsize' | 'e_shentsize', size: number, expected: number, at: number): boolean {
  if (size === expected) return true;
  const table = field === 'e_phentsize' ? 'program headers' : 'section headers';
  problems.error(new FormatError(`${field} is ${size}, expected ${expected}: ${table} ignored`, at, field, size));
  return false;
}

/**
 * How many entries of the program or section header table to read: at most `max`, and only as many whole ones as
 * the file holds from `offset` (a forged count allocates nothing); each cut is one recorded problem at the table.
 */
export function tableEntries(
  r: Reader,
  problems: Problems,
  table: { field: 'e_phnum' | 'e_shnum'; offset: number; count: number; size: number; max: number },
): number {
  const { field, offset, size, max } = table;
  let count = table.count;
  if (count > max) {
    problems.error(new FormatError(`${field} is ${count}; reading only the first ${max}`, offset, field, count));
    count = max;
  }
  // Read as many whole headers as the file holds; the rest is one recorded problem.
  const fit = Math.floor(r.remaining(offset) / size);
  if (fit < count) {
    const what = field === 'e_phnum' ? 'program header table' : 'section header table';
    problems.error(
      new FormatError(`${what} at ${hex(offset)} claims ${count} entries of ${size} bytes but the file holds ${fit}`, offset, field, count),
    );
    count = fit;
  }
  return count;
}

function resolveExtendedNumbering(r: Reader, h: ElfHeader, problems: Problems): void {
  const needShnum = h.raw.e_shnum === 0;
  const needStrndx = h.raw.e_shstrndx === SHN_XINDEX;
  const needPhnum = h.raw.e_phnum === PN_XNUM;
  if (!needShnum && !needStrndx && !needPhnum) return;
  const at = h.e_shoff;
  const size = h.is64 ? SHDR64_SIZE : SHDR32_SIZE;
  if (!r.has(at, size)) {
    problems.error(
      new FormatError(`section header 0 at ${hex(at)} lies outside the file; extended numbering cannot be resolved`, at, 'e_shoff', at),
    );
    if (needShnum) h.e_shnum = 0;
    if (needStrndx) h.e_shstrndx = 0;
    if (needPhnum) h.e_phnum = 0;
    return;
  }
  if (needShnum) {
    // sh_size of section 0 holds the count; 0 there too means there are no sections.
    const n = problems.try(() => r.word(at + (h.is64 ? 32 : 20), h.is64, 'sh_size[0] (e_shnum)'), 0);
    h.e_shnum = n;
  }
  if (needStrndx) h.e_shstrndx = r.u32(at + (h.is64 ? 40 : 24), 'sh_link[0] (e_shstrndx)');
  if (needPhnum) h.e_phnum = r.u32(at + (h.is64 ? 44 : 28), 'sh_info[0] (e_phnum)');
  if (!needStrndx && h.e_shstrndx >= SHN_LORESERVE) h.e_shstrndx = 0;
}
