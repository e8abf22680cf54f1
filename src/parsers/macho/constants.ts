// <mach-o/loader.h>'s numbers and the names binlens prints for them: header
// magic, file types and flags, load command numbers, section types and
// attributes, segment flags, platforms and tools, and the packed versions.

import { hex } from '../reader.ts';

export const MH_MAGIC = 0xfeedface;
export const MH_CIGAM = 0xcefaedfe;
export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_CIGAM_64 = 0xcffaedfe;

export const MH_OBJECT = 0x1;
export const MH_EXECUTE = 0x2;
export const MH_FVMLIB = 0x3;
export const MH_CORE = 0x4;
export const MH_PRELOAD = 0x5;
export const MH_DYLIB = 0x6;
export const MH_DYLINKER = 0x7;
export const MH_BUNDLE = 0x8;
export const MH_DYLIB_STUB = 0x9;
export const MH_DSYM = 0xa;
export const MH_KEXT_BUNDLE = 0xb;
export const MH_FILESET = 0xc;
export const MH_GPU_EXECUTE = 0xd;
export const MH_GPU_DYLIB = 0xe;

const FILETYPE_NAMES = new Map<number, string>([
  [MH_OBJECT, 'MH_OBJECT'],
  [MH_EXECUTE, 'MH_EXECUTE'],
  [MH_FVMLIB, 'MH_FVMLIB'],
  [MH_CORE, 'MH_CORE'],
  [MH_PRELOAD, 'MH_PRELOAD'],
  [MH_DYLIB, 'MH_DYLIB'],
  [MH_DYLINKER, 'MH_DYLINKER'],
  [MH_BUNDLE, 'MH_BUNDLE'],
  [MH_DYLIB_STUB, 'MH_DYLIB_STUB'],
  [MH_DSYM, 'MH_DSYM'],
  [MH_KEXT_BUNDLE, 'MH_KEXT_BUNDLE'],
  [MH_FILESET, 'MH_FILESET'],
  [MH_GPU_EXECUTE, 'MH_GPU_EXECUTE'],
  [MH_GPU_DYLIB, 'MH_GPU_DYLIB'],
]);

export function fileTypeName(filetype: number): string {
  return FILETYPE_NAMES.get(filetype) ?? `MH_${hex(filetype >>> 0)}`;
}

export const MH_NOUNDEFS = 0x1;
export const MH_DYLDLINK = 0x4;
export const MH_TWOLEVEL = 0x80;
export const MH_ALLOW_STACK_EXECUTION = 0x20000;
export const MH_PIE = 0x200000;
export const MH_NO_HEAP_EXECUTION = 0x1000000;

const MH_FLAG_NAMES: [number, string][] = [
  [0x1, 'MH_NOUNDEFS'],
  [0x2, 'MH_INCRLINK'],
  [0x4, 'MH_DYLDLINK'],
  [0x8, 'MH_BINDATLOAD'],
  [0x10, 'MH_PREBOUND'],
  [0x20, 'MH_SPLIT_SEGS'],
  [0x40, 'MH_LAZY_INIT'],
  [0x80, 'MH_TWOLEVEL'],
  [0x100, 'MH_FORCE_FLAT'],
  [0x200, 'MH_NOMULTIDEFS'],
  [0x400, 'MH_NOFIXPREBINDING'],
  [0x800, 'MH_PREBINDABLE'],
  [0x1000, 'MH_ALLMODSBOUND'],
  [0x2000, 'MH_SUBSECTIONS_VIA_SYMBOLS'],
  [0x4000, 'MH_CANONICAL'],
  [0x8000, 'MH_WEAK_DEFINES'],
  [0x10000, 'MH_BINDS_TO_WEAK'],
  [0x20000, 'MH_ALLOW_STACK_EXECUTION'],
  [0x40000, 'MH_ROOT_SAFE'],
  [0x80000, 'MH_SETUID_SAFE'],
  [0x100000, 'MH_NO_REEXPORTED_DYLIBS'],
  [0x200000, 'MH_PIE'],
  [0x400000, 'MH_DEAD_STRIPPABLE_DYLIB'],
  [0x800000, 'MH_HAS_TLV_DESCRIPTORS'],
  [0x1000000, 'MH_NO_HEAP_EXECUTION'],
  [0x2000000, 'MH_APP_EXTENSION_SAFE'],
  [0x4000000, 'MH_NLIST_OUTOFSYNC_WITH_DYLDINFO'],
  [0x8000000, 'MH_SIM_SUPPORT'],
  [0x10000000, 'MH_IMPLICIT_PAGEZERO'],
  [0x80000000, 'MH_DYLIB_IN_CACHE'],
];

/** Names of the set bits; bits with no name are kept as one `0x…` entry. */
export function flagNames(value: number, table: [number, string][]): string[] {
  const out: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) >>> 0 === bit >>> 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) out.push(hex(rest));
  return out;
}

export function headerFlagNames(flags: number): string[] {
  return flagNames(flags, MH_FLAG_NAMES);
}

export const LC_REQ_DYLD = 0x80000000;
export const LC_SEGMENT = 0x1;
export const LC_SYMTAB = 0x2;
export const LC_SYMSEG = 0x3;
export const LC_THREAD = 0x4;
export const LC_UNIXTHREAD = 0x5;
export const LC_LOADFVMLIB = 0x6;
export const LC_IDFVMLIB = 0x7;
export const LC_IDENT = 0x8;
export const LC_FVMFILE = 0x9;
export const LC_PREPAGE = 0xa;
export const LC_DYSYMTAB = 0xb;
export const LC_LOAD_DYLIB = 0xc;
export const LC_ID_DYLIB = 0xd;
export const LC_LOAD_DYLINKER = 0xe;
export const LC_ID_DYLINKER = 0xf;
export const LC_PREBOUND_DYLIB = 0x10;
export const LC_ROUTINES = 0x11;
export const LC_SUB_FRAMEWORK = 0x12;
export const LC_SUB_UMBRELLA = 0x13;
export const LC_SUB_CLIENT = 0x14;
export const LC_SUB_LIBRARY = 0x15;
export const LC_TWOLEVEL_HINTS = 0x16;
export const LC_PREBIND_CKSUM = 0x17;
export const LC_LOAD_WEAK_DYLIB = (0x18 | LC_REQ_DYLD) >>> 0;
export const LC_SEGMENT_64 = 0x19;
export const LC_ROUTINES_64 = 0x1a;
export const LC_UUID = 0x1b;
export const LC_RPATH = (0x1c | LC_REQ_DYLD) >>> 0;
export const LC_CODE_SIGNATURE = 0x1d;
export const LC_SEGMENT_SPLIT_INFO = 0x1e;
export const LC_REEXPORT_DYLIB = (0x1f | LC_REQ_DYLD) >>> 0;
export const LC_LAZY_LOAD_DYLIB = 0x20;
export const LC_ENCRYPTION_INFO = 0x21;
export const LC_DYLD_INFO = 0x22;
export const LC_DYLD_INFO_ONLY = (0x22 | LC_REQ_DYLD) >>> 0;
export const LC_LOAD_UPWARD_DYLIB = (0x23 | LC_REQ_DYLD) >>> 0;
export const LC_VERSION_MIN_MACOSX = 0x24;
export const LC_VERSION_MIN_IPHONEOS = 0x25;
export const LC_FUNCTION_STARTS = 0x26;
export const LC_DYLD_ENVIRONMENT = 0x27;
export const LC_MAIN = (0x28 | LC_REQ_DYLD) >>> 0;
export const LC_DATA_IN_CODE = 0x29;
export const LC_SOURCE_VERSION = 0x2a;
export const LC_DYLIB_CODE_SIGN_DRS = 0x2b;
export const LC_ENCRYPTION_INFO_64 = 0x2c;
export const LC_LINKER_OPTION = 0x2d;
export const LC_LINKER_OPTIMIZATION_HINT = 0x2e;
export const LC_VERSION_MIN_TVOS = 0x2f;
export const LC_VERSION_MIN_WATCHOS = 0x30;
export const LC_NOTE = 0x31;
export const LC_BUILD_VERSION = 0x32;
export const LC_DYLD_EXPORTS_TRIE = (0x33 | LC_REQ_DYLD) >>> 0;
export const LC_DYLD_CHAINED_FIXUPS = (0x34 | LC_REQ_DYLD) >>> 0;
export const LC_FILESET_ENTRY = (0x35 | LC_REQ_DYLD) >>> 0;
export const LC_ATOM_INFO = 0x36;
export const LC_FUNCTION_VARIANTS = 0x37;
export const LC_FUNCTION_VARIANT_FIXUPS = 0x38;
export const LC_TARGET_TRIPLE = 0x39;
export const LC_LAZY_LOAD_DYLIB_INFO = 0x3a;

export const LC_NAMES = new Map<number, string>([
  [LC_SEGMENT, 'LC_SEGMENT'],
  [LC_SYMTAB, 'LC_SYMTAB'],
  [LC_SYMSEG, 'LC_SYMSEG'],
  [LC_THREAD, 'LC_THREAD'],
  [LC_UNIXTHREAD, 'LC_UNIXTHREAD'],
  [LC_LOADFVMLIB, 'LC_LOADFVMLIB'],
  [LC_IDFVMLIB, 'LC_IDFVMLIB'],
  [LC_IDENT, 'LC_IDENT'],
  [LC_FVMFILE, 'LC_FVMFILE'],
  [LC_PREPAGE, 'LC_PREPAGE'],
  [LC_DYSYMTAB, 'LC_DYSYMTAB'],
  [LC_LOAD_DYLIB, 'LC_LOAD_DYLIB'],
  [LC_ID_DYLIB, 'LC_ID_DYLIB'],
  [LC_LOAD_DYLINKER, 'LC_LOAD_DYLINKER'],
  [LC_ID_DYLINKER, 'LC_ID_DYLINKER'],
  [LC_PREBOUND_DYLIB, 'LC_PREBOUND_DYLIB'],
  [LC_ROUTINES, 'LC_ROUTINES'],
  [LC_SUB_FRAMEWORK, 'LC_SUB_FRAMEWORK'],
  [LC_SUB_UMBRELLA, 'LC_SUB_UMBRELLA'],
  [LC_SUB_CLIENT, 'LC_SUB_CLIENT'],
  [LC_SUB_LIBRARY, 'LC_SUB_LIBRARY'],
  [LC_TWOLEVEL_HINTS, 'LC_TWOLEVEL_HINTS'],
  [LC_PREBIND_CKSUM, 'LC_PREBIND_CKSUM'],
  [LC_LOAD_WEAK_DYLIB, 'LC_LOAD_WEAK_DYLIB'],
  [LC_SEGMENT_64, 'LC_SEGMENT_64'],
  [LC_ROUTINES_64, 'LC_ROUTINES_64'],
  [LC_UUID, 'LC_UUID'],
  [LC_RPATH, 'LC_RPATH'],
  [LC_CODE_SIGNATURE, 'LC_CODE_SIGNATURE'],
  [LC_SEGMENT_SPLIT_INFO, 'LC_SEGMENT_SPLIT_INFO'],
  [LC_REEXPORT_DYLIB, 'LC_REEXPORT_DYLIB'],
  [LC_LAZY_LOAD_DYLIB, 'LC_LAZY_LOAD_DYLIB'],
  [LC_ENCRYPTION_INFO, 'LC_ENCRYPTION_INFO'],
  [LC_DYLD_INFO, 'LC_DYLD_INFO'],
  [LC_DYLD_INFO_ONLY, 'LC_DYLD_INFO_ONLY'],
  [LC_LOAD_UPWARD_DYLIB, 'LC_LOAD_UPWARD_DYLIB'],
  [LC_VERSION_MIN_MACOSX, 'LC_VERSION_MIN_MACOSX'],
  [LC_VERSION_MIN_IPHONEOS, 'LC_VERSION_MIN_IPHONEOS'],
  [LC_FUNCTION_STARTS, 'LC_FUNCTION_STARTS'],
  [LC_DYLD_ENVIRONMENT, 'LC_DYLD_ENVIRONMENT'],
  [LC_MAIN, 'LC_MAIN'],
  [LC_DATA_IN_CODE, 'LC_DATA_IN_CODE'],
  [LC_SOURCE_VERSION, 'LC_SOURCE_VERSION'],
  [LC_DYLIB_CODE_SIGN_DRS, 'LC_DYLIB_CODE_SIGN_DRS'],
  [LC_ENCRYPTION_INFO_64, 'LC_ENCRYPTION_INFO_64'],
  [LC_LINKER_OPTION, 'LC_LINKER_OPTION'],
  [LC_LINKER_OPTIMIZATION_HINT, 'LC_LINKER_OPTIMIZATION_HINT'],
  [LC_VERSION_MIN_TVOS, 'LC_VERSION_MIN_TVOS'],
  [LC_VERSION_MIN_WATCHOS, 'LC_VERSION_MIN_WATCHOS'],
  [LC_NOTE, 'LC_NOTE'],
  [LC_BUILD_VERSION, 'LC_BUILD_VERSION'],
  [LC_DYLD_EXPORTS_TRIE, 'LC_DYLD_EXPORTS_TRIE'],
  [LC_DYLD_CHAINED_FIXUPS, 'LC_DYLD_CHAINED_FIXUPS'],
  [LC_FILESET_ENTRY, 'LC_FILESET_ENTRY'],
  [LC_ATOM_INFO, 'LC_ATOM_INFO'],
  [LC_FUNCTION_VARIANTS, 'LC_FUNCTION_VARIANTS'],
  [LC_FUNCTION_VARIANT_FIXUPS, 'LC_FUNCTION_VARIANT_FIXUPS'],
  [LC_TARGET_TRIPLE, 'LC_TARGET_TRIPLE'],
  [LC_LAZY_LOAD_DYLIB_INFO, 'LC_LAZY_LOAD_DYLIB_INFO'],
]);

export function loadCommandName(cmd: number): string {
  return LC_NAMES.get(cmd >>> 0) ?? `LC_${hex(cmd >>> 0)}`;
}

// Section types (flags & SECTION_TYPE) and attributes (flags & SECTION_ATTRIBUTES).
export const SECTION_TYPE = 0xff;
export const S_ZEROFILL = 0x1;
export const S_GB_ZEROFILL = 0xc;
export const S_THREAD_LOCAL_REGULAR = 0x11;
export const S_THREAD_LOCAL_ZEROFILL = 0x12;
export const S_THREAD_LOCAL_VARIABLES = 0x13;
export const S_ATTR_PURE_INSTRUCTIONS = 0x80000000;
export const S_ATTR_SOME_INSTRUCTIONS = 0x400;

const SECTION_TYPE_NAMES = [
  'S_REGULAR',
  'S_ZEROFILL',
  'S_CSTRING_LITERALS',
  'S_4BYTE_LITERALS',
  'S_8BYTE_LITERALS',
  'S_LITERAL_POINTERS',
  'S_NON_LAZY_SYMBOL_POINTERS',
  'S_LAZY_SYMBOL_POINTERS',
  'S_SYMBOL_STUBS',
  'S_MOD_INIT_FUNC_POINTERS',
  'S_MOD_TERM_FUNC_POINTERS',
  'S_COALESCED',
  'S_GB_ZEROFILL',
  'S_INTERPOSING',
  'S_16BYTE_LITERALS',
  'S_DTRACE_DOF',
  'S_LAZY_DYLIB_SYMBOL_POINTERS',
  'S_THREAD_LOCAL_REGULAR',
  'S_THREAD_LOCAL_ZEROFILL',
  'S_THREAD_LOCAL_VARIABLES',
  'S_THREAD_LOCAL_VARIABLE_POINTERS',
  'S_THREAD_LOCAL_INIT_FUNCTION_POINTERS',
  'S_INIT_FUNC_OFFSETS',
];

export function sectionTypeName(type: number): string {
  return SECTION_TYPE_NAMES[type] ?? `S_${hex(type)}`;
}

// Attribute names without the S_ATTR_ prefix, as otool and llvm-objdump print them.
const SECTION_ATTRIBUTE_NAMES: [number, string][] = [
  [0x80000000, 'PURE_INSTRUCTIONS'],
  [0x40000000, 'NO_TOC'],
  [0x20000000, 'STRIP_STATIC_SYMS'],
  [0x10000000, 'NO_DEAD_STRIP'],
  [0x08000000, 'LIVE_SUPPORT'],
  [0x04000000, 'SELF_MODIFYING_CODE'],
  [0x02000000, 'DEBUG'],
  [0x00000400, 'SOME_INSTRUCTIONS'],
  [0x00000200, 'EXT_RELOC'],
  [0x00000100, 'LOC_RELOC'],
];

export function sectionAttributeNames(flags: number): string[] {
  return flagNames((flags & ~SECTION_TYPE) >>> 0, SECTION_ATTRIBUTE_NAMES);
}

export function isZerofill(type: number): boolean {
  return type === S_ZEROFILL || type === S_GB_ZEROFILL || type === S_THREAD_LOCAL_ZEROFILL;
}

export const SG_READ_ONLY = 0x10;
const SEGMENT_FLAG_NAMES: [number, string][] = [
  [0x1, 'SG_HIGHVM'],
  [0x2, 'SG_FVMLIB'],
  [0x4, 'SG_NORELOC'],
  [0x8, 'SG_PROTECTED_VERSION_1'],
  [0x10, 'SG_READ_ONLY'],
];

export function segmentFlagNames(flags: number): string[] {
  return flagNames(flags, SEGMENT_FLAG_NAMES);
}

export const VM_PROT_READ = 1;
export const VM_PROT_WRITE = 2;
export const VM_PROT_EXECUTE = 4;

/** VM_PROT_READ/WRITE/EXECUTE as `rwx` with `-` for each missing one. */
export function protString(prot: number): string {
  return (prot & VM_PROT_READ ? 'r' : '-') + (prot & VM_PROT_WRITE ? 'w' : '-') + (prot & VM_PROT_EXECUTE ? 'x' : '-');
}

// build_version_command.platform, as binlens names platforms.
const PLATFORM_NAMES = new Map<number, string>([
  [1, 'macos'],
  [2, 'ios'],
  [3, 'tvos'],
  [4, 'watchos'],
  [5, 'bridgeos'],
  [6, 'maccatalyst'],
  [7, 'ios-simulator'],
  [8, 'tvos-simulator'],
  [9, 'watchos-simulator'],
  [10, 'driverkit'],
  [11, 'visionos'],
  [12, 'visionos-simulator'],
  [13, 'firmware'],
  [14, 'sepos'],
]);

export function platformName(platform: number): string {
  return PLATFORM_NAMES.get(platform) ?? `platform-${platform >>> 0}`;
}

const TOOL_NAMES = new Map<number, string>([
  [1, 'clang'],
  [2, 'swift'],
  [3, 'ld'],
  [4, 'lld'],
  [1024, 'metal'],
  [1025, 'airlld'],
  [1026, 'airnt'],
  [1027, 'airnt-plugin'],
  [1028, 'airpack'],
  [1031, 'gpuarchiver'],
  [1032, 'metal-framework'],
]);

export function toolName(tool: number): string {
  return TOOL_NAMES.get(tool) ?? `tool-${tool >>> 0}`;
}

/** X.Y.Z packed in nibbles xxxx.yy.zz (build_version_command.minos, sdk; version_min_command; a dylib's current and compatibility versions). */
export function packedVersion(v: number): string {
  return `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/**
 * An OS version (minos, sdk) the way Apple's tools print it (`otool -l`,
 * `vtool -show`): X.Y, and .Z only when it is not zero — `12.0`, `10.13.4`.
 */
export function osVersion(v: number): string {
  const z = v & 0xff;
  return `${v >>> 16}.${(v >>> 8) & 0xff}${z ? `.${z}` : ''}`;
}

/** LC_SOURCE_VERSION: A.B.C.D.E packed as a24.b10.c10.d10.e10. */
export function sourceVersion(v: bigint): string {
  const a = v >> 40n;
  const b = (v >> 30n) & 0x3ffn;
  const c = (v >> 20n) & 0x3ffn;
  const d = (v >> 10n) & 0x3ffn;
  const e = v & 0x3ffn;
  return `${a}.${b}.${c}.${d}.${e}`;
}

/** LC_DYSYMTAB's eighteen 32-bit fields after cmd and cmdsize, in loader.h's order (struct dysymtab_command). */
export const DYSYMTAB_FIELDS = [
  'ilocalsym',
  'nlocalsym',
  'iextdefsym',
  'nextdefsym',
  'iundefsym',
  'nundefsym',
  'tocoff',
  'ntoc',
  'modtaboff',
  'nmodtab',
  'extrefsymoff',
  'nextrefsyms',
  'indirectsymoff',
  'nindirectsyms',
  'extreloff',
  'nextrel',
  'locreloff',
  'nlocrel',
];
