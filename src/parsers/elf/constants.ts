// ELF constants as the System V gABI, the GNU extensions and the processor
// supplements spell them, with the names readelf (binutils 2.40) prints, so a
// report can be laid next to `readelf -W` output line by line. Values that
// are not in these tables are kept raw and shown as hex.

import { hex } from '../reader.ts';

// e_ident
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const EI_OSABI = 7;
export const EI_ABIVERSION = 8;
export const EI_NIDENT = 16;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

// e_type
export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export function etName(t: number): string {
  switch (t) {
    case ET_NONE:
      return 'ET_NONE';
    case ET_REL:
      return 'ET_REL';
    case ET_EXEC:
      return 'ET_EXEC';
    case ET_DYN:
      return 'ET_DYN';
    case ET_CORE:
      return 'ET_CORE';
  }
  if (t >= 0xfe00 && t <= 0xfeff) return `ET_LOOS+${hex(t - 0xfe00)}`;
  if (t >= 0xff00) return `ET_LOPROC+${hex(t - 0xff00)}`;
  return `ET_${hex(t)}`;
}

// e_machine
export const EM_SPARC = 2;
export const EM_386 = 3;
export const EM_68K = 4;
export const EM_MIPS = 8;
export const EM_PARISC = 15;
export const EM_SPARC32PLUS = 18;
export const EM_PPC = 20;
export const EM_PPC64 = 21;
export const EM_S390 = 22;
export const EM_ARM = 40;
export const EM_SH = 42;
export const EM_SPARCV9 = 43;
export const EM_IA_64 = 50;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;
export const EM_LOONGARCH = 258;
export const EM_ALPHA = 0x9026;

/** gABI names of the machines binlens is likely to meet; the rest print as `EM_<n>`. */
const EM_NAMES: Record<number, string> = {
  0: 'EM_NONE',
  1: 'EM_M32',
  2: 'EM_SPARC',
  3: 'EM_386',
  4: 'EM_68K',
  5: 'EM_88K',
  6: 'EM_IAMCU',
  7: 'EM_860',
  8: 'EM_MIPS',
  9: 'EM_S370',
  10: 'EM_MIPS_RS3_LE',
  15: 'EM_PARISC',
  18: 'EM_SPARC32PLUS',
  20: 'EM_PPC',
  21: 'EM_PPC64',
  22: 'EM_S390',
  23: 'EM_SPU',
  40: 'EM_ARM',
  41: 'EM_ALPHA_STD',
  42: 'EM_SH',
  43: 'EM_SPARCV9',
  50: 'EM_IA_64',
  62: 'EM_X86_64',
  75: 'EM_VAX',
  83: 'EM_AVR',
  92: 'EM_OPENRISC',
  93: 'EM_ARC_COMPACT',
  94: 'EM_XTENSA',
  105: 'EM_MSP430',
  113: 'EM_ALTERA_NIOS2',
  164: 'EM_HEXAGON',
  183: 'EM_AARCH64',
  189: 'EM_MICROBLAZE',
  190: 'EM_CUDA',
  191: 'EM_TILEGX',
  195: 'EM_ARC_COMPACT2',
  224: 'EM_AMDGPU',
  243: 'EM_RISCV',
  244: 'EM_LANAI',
  247: 'EM_BPF',
  251: 'EM_VE',
  252: 'EM_CSKY',
  258: 'EM_LOONGARCH',
  0x9026: 'EM_ALPHA',
};

export function emName(m: number): string {
  return EM_NAMES[m] ?? `EM_${m}`;
}

/**
 * The architecture in the naming scheme binlens shares with Mach-O: the names
 * `uname -m` and LLVM target triples use (arm64 as Apple and LLVM spell
 * AArch64, `_be`/`el`/`le` suffixes where the byte order is part of the name).
 */
export function archName(machine: number, is64: boolean, littleEndian: boolean): string {
  switch (machine) {
    case EM_AARCH64:
      return littleEndian ? 'arm64' : 'aarch64_be';
    case EM_X86_64:
      return 'x86_64';
    case EM_386:
      return 'i386';
    case EM_ARM:
      return littleEndian ? 'arm' : 'armeb';
    case EM_RISCV:
      return is64 ? 'riscv64' : 'riscv32';
    case EM_S390:
      return is64 ? 's390x' : 's390';
    case EM_PPC64:
      return littleEndian ? 'ppc64le' : 'ppc64';
    case EM_PPC:
      return 'ppc';
    case EM_MIPS:
      return (is64 ? 'mips64' : 'mips') + (littleEndian ? 'el' : '');
    case EM_LOONGARCH:
      return is64 ? 'loongarch64' : 'loongarch32';
    case EM_SPARCV9:
      return 'sparc64';
    case EM_SPARC:
    case EM_SPARC32PLUS:
      return 'sparc';
    case EM_IA_64:
      return 'ia64';
    case EM_68K:
      return 'm68k';
    case EM_PARISC:
      return 'hppa';
    case EM_SH:
      return 'sh';
    case EM_ALPHA:
      return 'alpha';
  }
  return `em-${machine}`;
}

// EI_OSABI values and the platform each names.
export const ELFOSABI_NONE = 0;
export const ELFOSABI_GNU = 3;
export const ELFOSABI_FREEBSD = 9;
const OSABI_PLATFORM: Record<number, string> = {
  1: 'hpux',
  2: 'netbsd',
  3: 'linux',
  4: 'hurd',
  6: 'solaris',
  7: 'aix',
  8: 'irix',
  9: 'freebsd',
  10: 'tru64',
  11: 'modesto',
  12: 'openbsd',
  13: 'openvms',
  14: 'nsk',
  15: 'aros',
  16: 'fenixos',
  17: 'cloudabi',
  18: 'openvos',
};
export function osabiPlatform(osabi: number): string | null {
  return OSABI_PLATFORM[osabi] ?? null;
}

// Program header types.
export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_SHLIB = 5;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;
export const PT_GNU_SFRAME = 0x6474e554;
export const PT_GNU_MBIND_LO = 0x6474e555;
export const PT_GNU_MBIND_HI = 0x6474f554;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

const PT_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'LOAD',
  2: 'DYNAMIC',
  3: 'INTERP',
  4: 'NOTE',
  5: 'SHLIB',
  6: 'PHDR',
  7: 'TLS',
  [PT_GNU_EH_FRAME]: 'GNU_EH_FRAME',
  [PT_GNU_STACK]: 'GNU_STACK',
  [PT_GNU_RELRO]: 'GNU_RELRO',
  [PT_GNU_PROPERTY]: 'GNU_PROPERTY',
  [PT_GNU_SFRAME]: 'GNU_SFRAME',
  0x6464e550: 'SUNW_UNWIND',
  0x65a3dbe6: 'OPENBSD_RANDOMIZE',
  0x65a3dbe7: 'OPENBSD_WXNEEDED',
  0x65a3dbe8: 'OPENBSD_NOBTCFI',
  0x65a41be6: 'OPENBSD_BOOTDATA',
};

/** Processor-specific p_type names (0x70000000..0x7fffffff) per e_machine. */
const PT_PROC_NAMES: Record<number, Record<number, string>> = {
  [EM_ARM]: { 0x70000000: 'ARM_ARCHEXT', 0x70000001: 'EXIDX' },
  [EM_AARCH64]: { 0x70000000: 'AARCH64_ARCHEXT', 0x70000001: 'AARCH64_UNWIND', 0x70000002: 'AARCH64_MEMTAG_MTE' },
  [EM_MIPS]: { 0x70000000: 'REGINFO', 0x70000001: 'RTPROC', 0x70000002: 'OPTIONS', 0x70000003: 'ABIFLAGS' },
  [EM_RISCV]: { 0x70000003: 'RISCV_ATTRIBUTES' },
  [EM_IA_64]: { 0x70000000: 'HP_OPT_ANNOT', 0x70000001: 'UNWIND' },
  [EM_S390]: { 0x70000000: 'S390_PGSTE' },
};

/** readelf's name for a p_type, or `0x…` when it has none. */
export function ptName(type: number, machine: number): string {
  if (type >= 0x70000000 && type <= 0x7fffffff) {
    const name = PT_PROC_NAMES[machine]?.[type];
    if (name) return name;
  }
  if (type >= PT_GNU_MBIND_LO && type <= PT_GNU_MBIND_HI) return `GNU_MBIND+${hex(type - PT_GNU_MBIND_LO)}`;
  return PT_NAMES[type] ?? hex(type);
}

// Section header types and special indices.
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;
export const PN_XNUM = 0xffff;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_SYMTAB_SHNDX = 18;
export const SHT_GNU_VERDEF = 0x6ffffffd;
export const SHT_GNU_VERNEED = 0x6ffffffe;
export const SHT_GNU_VERSYM = 0x6fffffff;

const SHT_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'PROGBITS',
  2: 'SYMTAB',
  3: 'STRTAB',
  4: 'RELA',
  5: 'HASH',
  6: 'DYNAMIC',
  7: 'NOTE',
  8: 'NOBITS',
  9: 'REL',
  10: 'SHLIB',
  11: 'DYNSYM',
  14: 'INIT_ARRAY',
  15: 'FINI_ARRAY',
  16: 'PREINIT_ARRAY',
  17: 'GROUP',
  18: 'SYMTAB SECTION INDICES',
  19: 'RELR',
  0x40000014: 'CREL',
  0x60000001: 'ANDROID_REL',
  0x60000002: 'ANDROID_RELA',
  0x6fff4c00: 'LLVM_ODRTAB',
  0x6fff4c01: 'LLVM_LINKER_OPTIONS',
  0x6fff4c02: 'LLVM_CALL_GRAPH_PROFILE',
  0x6fff4c03: 'LLVM_ADDRSIG',
  0x6fff4c04: 'LLVM_DEPENDENT_LIBRARIES',
  0x6fff4c05: 'LLVM_SYMPART',
  0x6fff4c06: 'LLVM_PART_EHDR',
  0x6fff4c07: 'LLVM_PART_PHDR',
  0x6fff4c08: 'LLVM_BB_ADDR_MAP_V0',
  0x6fff4c09: 'LLVM_CALL_GRAPH_PROFILE',
  0x6fff4c0a: 'LLVM_BB_ADDR_MAP',
  0x6fff4c0b: 'LLVM_OFFLOADING',
  0x6fff4c0c: 'LLVM_LTO',
  0x6fffff00: 'ANDROID_RELR',
  0x6ffffff5: 'GNU_ATTRIBUTES',
  0x6ffffff6: 'GNU_HASH',
  0x6ffffff7: 'GNU_LIBLIST',
  0x6ffffff8: 'CHECKSUM',
  0x6ffffffd: 'VERDEF',
  0x6ffffffe: 'VERNEED',
  0x6fffffff: 'VERSYM',
};

const SHT_PROC_NAMES: Record<number, Record<number, string>> = {
  [EM_ARM]: {
    0x70000001: 'ARM_EXIDX',
    0x70000002: 'ARM_PREEMPTMAP',
    0x70000003: 'ARM_ATTRIBUTES',
    0x70000004: 'ARM_DEBUGOVERLAY',
    0x70000005: 'ARM_OVERLAYSECTION',
  },
  [EM_AARCH64]: {
    0x70000003: 'AARCH64_ATTRIBUTES',
    0x70000004: 'AARCH64_AUTH_RELR',
    0x70000007: 'AARCH64_MEMTAG_GLOBALS_STATIC',
    0x70000008: 'AARCH64_MEMTAG_GLOBALS_DYNAMIC',
  },
  [EM_X86_64]: { 0x70000001: 'X86_64_UNWIND' },
  [EM_RISCV]: { 0x70000003: 'RISCV_ATTRIBUTES' },
  [EM_MIPS]: {
    0x70000006: 'MIPS_REGINFO',
    0x7000000d: 'MIPS_OPTIONS',
    0x7000001e: 'MIPS_DWARF',
    0x7000002a: 'MIPS_ABIFLAGS',
    0x70000000: 'MIPS_LIBLIST',
  },
  [EM_PARISC]: { 0x70000000: 'PARISC_EXT', 0x70000001: 'PARISC_UNWIND', 0x70000002: 'PARISC_DOC' },
  [EM_IA_64]: { 0x70000000: 'IA_64_EXT', 0x70000001: 'IA_64_UNWIND' },
};

/** readelf's name for an sh_type, or `0x…` when it has none. */
export function shtName(type: number, machine: number): string {
  if (type >= 0x70000000 && type <= 0x7fffffff) {
    const name = SHT_PROC_NAMES[machine]?.[type];
    if (name) return name;
  }
  return SHT_NAMES[type] ?? hex(type);
}

// Section flags.
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_TLS = 0x400;
const SHF_MASKOS = 0x0ff00000;
const SHF_MASKPROC = 0xf0000000;
const SHF_GNU_RETAIN = 0x200000;
const SHF_GNU_MBIND = 0x01000000;
const SHF_EXCLUDE = 0x80000000;
const SHF_X86_64_LARGE = 0x10000000;
const SHF_ARM_PURECODE = 0x20000000;

const SHF_LETTERS: Record<number, string> = {
  0x1: 'W',
  0x2: 'A',
  0x4: 'X',
  0x10: 'M',
  0x20: 'S',
  0x40: 'I',
  0x80: 'L',
  0x100: 'O',
  0x200: 'G',
  0x400: 'T',
  0x800: 'C',
  [SHF_EXCLUDE]: 'E',
};

/**
 * sh_flags as the letters of readelf's `Flg` column: lowest bit first, one
 * `o` for all unnamed OS bits, one `p` for all unnamed processor bits, `x`
 * for a bit no table knows.
 */
export function shFlagLetters(flags: bigint, machine: number, osabi: number): string {
  let out = '';
  // Only the low 32 bits carry defined flags, even in ELF64.
  let rest = Number(flags & 0xffffffffn);
  while (rest !== 0) {
    const bit = (rest & -rest) >>> 0;
    rest = (rest & ~bit) >>> 0;
    const letter = SHF_LETTERS[bit];
    if (letter) {
      out += letter;
    } else if ((machine === EM_X86_64 || machine === 180 || machine === 181) && bit === SHF_X86_64_LARGE) {
      out += 'l';
    } else if (machine === EM_ARM && bit === SHF_ARM_PURECODE) {
      out += 'y';
    } else if ((bit & SHF_MASKOS) !== 0) {
      const gnu = osabi === ELFOSABI_NONE || osabi === ELFOSABI_GNU || osabi === ELFOSABI_FREEBSD;
      if (gnu && bit === SHF_GNU_RETAIN) out += 'R';
      else if (gnu && bit === SHF_GNU_MBIND) out += 'D';
      else {
        out += 'o';
        rest = (rest & ~SHF_MASKOS) >>> 0;
      }
    } else if ((bit & SHF_MASKPROC) !== 0) {
      out += 'p';
      rest = (rest & ~SHF_MASKPROC) >>> 0;
    } else {
      out += 'x';
    }
  }
  if (flags >> 32n !== 0n) out += 'x';
  return out;
}

// Dynamic tags.
export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_PLTRELSZ = 2;
export const DT_HASH = 4;
export const DT_STRTAB = 5;
export const DT_SYMTAB = 6;
export const DT_RELA = 7;
export const DT_STRSZ = 10;
export const DT_SYMENT = 11;
export const DT_SONAME = 14;
export const DT_RPATH = 15;
export const DT_REL = 17;
export const DT_JMPREL = 23;
export const DT_BIND_NOW = 24;
export const DT_RUNPATH = 29;
export const DT_FLAGS = 30;
export const DT_SYMTAB_SHNDX = 34;
export const DT_RELR = 36;
export const DT_CREL = 0x40000026;
export const DT_ANDROID_RELR = 0x6fffe000;
export const DT_AARCH64_AUTH_RELR = 0x70000012;
export const DT_GNU_HASH = 0x6ffffef5;
export const DT_VERSYM = 0x6ffffff0;
export const DT_FLAGS_1 = 0x6ffffffb;
export const DT_VERDEF = 0x6ffffffc;
export const DT_VERDEFNUM = 0x6ffffffd;
export const DT_VERNEED = 0x6ffffffe;
export const DT_VERNEEDNUM = 0x6fffffff;

/** DT_FLAGS bits, named as readelf prints them. */
export const DF_BIND_NOW = 0x8;
const DF_NAMES: [number, string][] = [
  [0x1, 'ORIGIN'],
  [0x2, 'SYMBOLIC'],
  [0x4, 'TEXTREL'],
  [0x8, 'BIND_NOW'],
  [0x10, 'STATIC_TLS'],
];

/** DT_FLAGS_1 bits, named as readelf prints them. */
export const DF_1_NOW = 0x1;
export const DF_1_PIE = 0x08000000;
const DF_1_NAMES: [number, string][] = [
  [0x1, 'NOW'],
  [0x2, 'GLOBAL'],
  [0x4, 'GROUP'],
  [0x8, 'NODELETE'],
  [0x10, 'LOADFLTR'],
  [0x20, 'INITFIRST'],
  [0x40, 'NOOPEN'],
  [0x80, 'ORIGIN'],
  [0x100, 'DIRECT'],
  [0x200, 'TRANS'],
  [0x400, 'INTERPOSE'],
  [0x800, 'NODEFLIB'],
  [0x1000, 'NODUMP'],
  [0x2000, 'CONFALT'],
  [0x4000, 'ENDFILTEE'],
  [0x8000, 'DISPRELDNE'],
  [0x10000, 'DISPRELPND'],
  [0x20000, 'NODIRECT'],
  [0x40000, 'IGNMULDEF'],
  [0x80000, 'NOKSYMS'],
  [0x100000, 'NOHDR'],
  [0x200000, 'EDITED'],
  [0x400000, 'NORELOC'],
  [0x800000, 'SYMINTPOSE'],
  [0x1000000, 'GLOBAUDIT'],
  [0x2000000, 'SINGLETON'],
  [0x4000000, 'STUB'],
  [0x8000000, 'PIE'],
  [0x10000000, 'KMOD'],
  [0x20000000, 'WEAKFILTER'],
  [0x40000000, 'NOCOMMON'],
];

function bitNames(value: bigint, table: [number, string][]): string[] {
  const out: string[] = [];
  let rest = value;
  for (const [bit, name] of table) {
    if ((value & BigInt(bit)) !== 0n) {
      out.push(name);
      rest &= ~BigInt(bit);
    }
  }
  if (rest !== 0n) out.push(hex(rest));
  return out;
}
export const dfNames = (v: bigint): string[] => bitNames(v, DF_NAMES);
export const df1Names = (v: bigint): string[] => bitNames(v, DF_1_NAMES);

// Symbols.
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STB_GNU_UNIQUE = 10;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;
export const STT_GNU_IFUNC = 10;
export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

// GNU symbol versioning (the LSB "Symbol Versioning" chapter).
export const VER_NDX_LOCAL = 0;
export const VER_NDX_GLOBAL = 1;
export const VERSYM_HIDDEN = 0x8000;
export const VERSYM_VERSION = 0x7fff;
export const VER_FLG_BASE = 0x1;
export const VER_FLG_WEAK = 0x2;

// Notes.
export const NT_GNU_ABI_TAG = 1;
export const NT_GNU_HWCAP = 2;
export const NT_GNU_BUILD_ID = 3;
export const NT_GNU_GOLD_VERSION = 4;
export const NT_GNU_PROPERTY_TYPE_0 = 5;
export const NT_GO_BUILDID = 4;

export const GNU_PROPERTY_STACK_SIZE = 1;
export const GNU_PROPERTY_NO_COPY_ON_PROTECTED = 2;
export const GNU_PROPERTY_1_NEEDED = 0xb0008000;
export const GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0xc0000000;
export const GNU_PROPERTY_AARCH64_FEATURE_PAUTH = 0xc0000001;
export const GNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
export const GNU_PROPERTY_X86_ISA_1_NEEDED = 0xc0008002;
export const GNU_PROPERTY_X86_FEATURE_2_NEEDED = 0xc0008001;
export const GNU_PROPERTY_X86_ISA_1_USED = 0xc0010002;
export const GNU_PROPERTY_X86_FEATURE_2_USED = 0xc0010001;
export const GNU_PROPERTY_AARCH64_FEATURE_1_BTI = 0x1;
export const GNU_PROPERTY_AARCH64_FEATURE_1_PAC = 0x2;
export const GNU_PROPERTY_AARCH64_FEATURE_1_GCS = 0x4;
export const GNU_PROPERTY_X86_FEATURE_1_IBT = 0x1;
export const GNU_PROPERTY_X86_FEATURE_1_SHSTK = 0x2;

/** NT_GNU_ABI_TAG word 0: the OS, and the platform binlens calls it. */
export const GNU_ABI_TAG_OS: Record<number, { readelf: string; platform: string }> = {
  0: { readelf: 'Linux', platform: 'linux' },
  1: { readelf: 'Hurd', platform: 'hurd' },
  2: { readelf: 'Solaris', platform: 'solaris' },
  3: { readelf: 'FreeBSD', platform: 'freebsd' },
  4: { readelf: 'NetBSD', platform: 'netbsd' },
  5: { readelf: 'Syllable', platform: 'syllable' },
  6: { readelf: 'NaCl', platform: 'nacl' },
};

/** readelf's note type names by owner. Types are per owner: 1 means something else to GNU and to FreeBSD. */
const NOTE_TYPE_NAMES: Record<string, Record<number, string>> = {
  GNU: {
    1: 'NT_GNU_ABI_TAG',
    2: 'NT_GNU_HWCAP',
    3: 'NT_GNU_BUILD_ID',
    4: 'NT_GNU_GOLD_VERSION',
    5: 'NT_GNU_PROPERTY_TYPE_0',
    0x100: 'NT_GNU_BUILD_ATTRIBUTE_OPEN',
    0x101: 'NT_GNU_BUILD_ATTRIBUTE_FUNC',
  },
  Go: { 4: 'GO BUILDID' },
  FreeBSD: { 1: 'NT_FREEBSD_ABI_TAG', 2: 'NT_FREEBSD_NOINIT_TAG', 3: 'NT_FREEBSD_ARCH_TAG', 4: 'NT_FREEBSD_FEATURE_CTL' },
  NetBSD: { 1: 'NT_NETBSD_IDENT', 2: 'NT_NETBSD_EMULATION', 3: 'NT_NETBSD_PAX', 5: 'NT_NETBSD_MARCH', 6: 'NT_NETBSD_CMODEL' },
  OpenBSD: { 1: 'NT_OPENBSD_IDENT' },
  Android: { 1: 'NT_ANDROID_TYPE_IDENT', 3: 'NT_ANDROID_TYPE_KUSER', 4: 'NT_ANDROID_TYPE_MEMTAG' },
  stapsdt: { 3: 'NT_STAPSDT' },
  FDO: { 0xcafe1a7e: 'FDO_PACKAGING_METADATA' },
  Xen: { 0: 'XEN_ELFNOTE_INFO', 18: 'XEN_ELFNOTE_PHYS32_ENTRY' },
  CORE: {
    1: 'NT_PRSTATUS',
    2: 'NT_FPREGSET',
    3: 'NT_PRPSINFO',
    4: 'NT_TASKSTRUCT',
    6: 'NT_AUXV',
    0x46494c45: 'NT_FILE',
    0x53494749: 'NT_SIGINFO',
  },
  LINUX: {
    0x200: 'NT_386_TLS',
    0x202: 'NT_X86_XSTATE',
    0x400: 'NT_ARM_VFP',
    0x401: 'NT_ARM_TLS',
    0x406: 'NT_ARM_SYSTEM_CALL',
    0x407: 'NT_ARM_SVE',
    0x409: 'NT_ARM_PAC_MASK',
  },
};

export function noteTypeName(owner: string, type: number): string {
  return NOTE_TYPE_NAMES[owner]?.[type] ?? hex(type);
}
