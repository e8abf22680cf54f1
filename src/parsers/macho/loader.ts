// <mach-o/loader.h>: the mach header and the load commands, decoded in file
// order into a plain model. Every command is kept (unknown ones as `LC_0x…`
// with their raw size); a command whose contents are malformed is recorded
// with its error and the walk goes on, since its cmdsize still says where the
// next one starts. A broken walk itself (cmdsize < 8, misaligned, past
// sizeofcmds) stops it: nothing after that point can be trusted.

import { FormatError, Problems, Reader, hex } from '../reader.ts';
import { CPU_TYPE_ARM } from './machine.ts';

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

const LC_NAMES = new Map<number, string>([
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

// ---- the model ----

export type FieldValue = number | bigint | string | string[] | null;

export interface MachHeader {
  magic: number;
  is64: boolean;
  littleEndian: boolean;
  cputype: number;
  cpusubtype: number;
  filetype: number;
  ncmds: number;
  sizeofcmds: number;
  flags: number;
  /** mach_header_64.reserved; null for 32-bit headers. */
  reserved: number | null;
  /** 28 or 32. */
  size: number;
}

export interface MachSection {
  sectname: string;
  segname: string;
  addr: bigint;
  size: bigint;
  offset: number;
  align: number;
  reloff: number;
  nreloc: number;
  flags: number;
  type: number;
  reserved1: number;
  reserved2: number;
  /** section_64 only. */
  reserved3: number | null;
  /** 1-based ordinal used by nlist n_sect, in file order over all segments. */
  ordinal: number;
}

export interface MachSegment {
  cmd: 'LC_SEGMENT' | 'LC_SEGMENT_64';
  segname: string;
  vmaddr: bigint;
  vmsize: bigint;
  fileoff: number;
  filesize: number;
  maxprot: number;
  initprot: number;
  nsects: number;
  flags: number;
  sections: MachSection[];
  /** Position among the segment commands (chained fixups and bind opcodes index segments this way). */
  index: number;
}

export interface DylibCommand {
  cmd: string;
  name: string;
  timestamp: number;
  current_version: number;
  compatibility_version: number;
}

export interface LinkeditData {
  cmd: string;
  dataoff: number;
  datasize: number;
}

export interface ThreadState {
  flavor: number;
  flavorName: string;
  count: number;
  /** Program counter from the state, when the flavor carries one. */
  pc: bigint | null;
}

export interface LoadCommandRecord {
  cmd: number;
  name: string;
  cmdsize: number;
  /** Offset of the command in the slice. */
  offset: number;
  /** Decoded fields under their loader.h names. */
  fields: Record<string, FieldValue>;
  summary: string;
  /** Set when the command's contents could not be decoded. */
  error?: string;
}

export interface MachImage {
  header: MachHeader;
  commands: LoadCommandRecord[];
  segments: MachSegment[];
  sections: MachSection[];
  /** Load commands that bring in a dylib (ordinals index this list from 1). */
  dylibs: DylibCommand[];
  idDylib: DylibCommand | null;
  rpaths: string[];
  dylinker: string | null;
  uuid: string | null;
  buildVersion: { platform: number; minos: number; sdk: number; tools: { tool: number; version: number }[] } | null;
  versionMin: { cmd: string; version: number; sdk: number } | null;
  main: { entryoff: bigint; stacksize: bigint } | null;
  threads: { cmd: string; states: ThreadState[] }[];
  symtab: { symoff: number; nsyms: number; stroff: number; strsize: number } | null;
  dysymtab: Record<string, number> | null;
  dyldInfo: {
    cmd: string;
    rebase_off: number;
    rebase_size: number;
    bind_off: number;
    bind_size: number;
    weak_bind_off: number;
    weak_bind_size: number;
    lazy_bind_off: number;
    lazy_bind_size: number;
    export_off: number;
    export_size: number;
  } | null;
  /** linkedit_data_command payloads by command name (first of each kind). */
  linkedit: Map<string, LinkeditData>;
  sourceVersion: string | null;
  encryption: { cmd: string; cryptoff: number; cryptsize: number; cryptid: number } | null;
  notes: { data_owner: string; offset: bigint; size: bigint }[];
  linkerOptions: string[][];
  filesetEntries: { entry_id: string; vmaddr: bigint; fileoff: bigint }[];
  targetTriple: string | null;
}

const MAX_LINKER_OPTION_STRINGS = 4096;

/** linkedit_data commands LLVM refuses to see twice (MachOObjectFile: "more than one … command"); checks.ts reports them. */
export const ONCE_LINKEDIT = new Set([
  'LC_CODE_SIGNATURE',
  'LC_SEGMENT_SPLIT_INFO',
  'LC_FUNCTION_STARTS',
  'LC_DATA_IN_CODE',
  'LC_DYLIB_CODE_SIGN_DRS',
  'LC_LINKER_OPTIMIZATION_HINT',
  'LC_DYLD_EXPORTS_TRIE',
  'LC_DYLD_CHAINED_FIXUPS',
]);
const MAX_TOOLS = 1024;

export function readMachHeader(r: Reader): MachHeader {
  r.check(0, 28, 'mach_header');
  const be = r.withEndian(false).u32(0, 'mach_header.magic');
  let littleEndian: boolean;
  if (be === MH_MAGIC || be === MH_MAGIC_64) littleEndian = false;
  else if (be === MH_CIGAM || be === MH_CIGAM_64) littleEndian = true;
  else throw new FormatError(`not a Mach-O header: magic ${hex(be)}`, r.base, 'mach_header.magic', be);
  const is64 = be === MH_MAGIC_64 || be === MH_CIGAM_64;
  const h = r.withEndian(littleEndian);
  const size = is64 ? 32 : 28;
  h.check(0, size, is64 ? 'mach_header_64' : 'mach_header');
  return {
    magic: h.u32(0),
    is64,
    littleEndian,
    cputype: h.u32(4, 'cputype'),
    cpusubtype: h.u32(8, 'cpusubtype'),
    filetype: h.u32(12, 'filetype'),
    ncmds: h.u32(16, 'ncmds'),
    sizeofcmds: h.u32(20, 'sizeofcmds'),
    flags: h.u32(24, 'flags'),
    reserved: is64 ? h.u32(28, 'reserved') : null,
    size,
  };
}

function emptyImage(header: MachHeader): MachImage {
  return {
    header,
    commands: [],
    segments: [],
    sections: [],
    dylibs: [],
    idDylib: null,
    rpaths: [],
    dylinker: null,
    uuid: null,
    buildVersion: null,
    versionMin: null,
    main: null,
    threads: [],
    symtab: null,
    dysymtab: null,
    dyldInfo: null,
    linkedit: new Map(),
    sourceVersion: null,
    encryption: null,
    notes: [],
    linkerOptions: [],
    filesetEntries: [],
    targetTriple: null,
  };
}

/** Walks the load commands of the slice `r` (already in the slice's byte order). */
export function readLoadCommands(r: Reader, header: MachHeader, problems: Problems): MachImage {
  const img = emptyImage(header);
  const start = header.size;
  let end = start + header.sizeofcmds;
  if (end > r.length) {
    problems.error(
      new FormatError(
        `sizeofcmds ${header.sizeofcmds} runs past the end of the file (${r.length - start} bytes after the header)`,
        r.base + 20,
        'sizeofcmds',
        header.sizeofcmds,
      ),
    );
    end = r.length;
  }
  if (header.ncmds * 8 > header.sizeofcmds) {
    problems.error(
      new FormatError(
        `ncmds ${header.ncmds} load commands cannot fit in sizeofcmds ${header.sizeofcmds} (each is at least 8 bytes)`,
        r.base + 16,
        'ncmds',
        header.ncmds,
      ),
    );
  }
  // 64-bit images align every command to 8 bytes, 32-bit ones to 4 (loader.h).
  const align = header.is64 ? 8 : 4;
  let at = start;
  for (let i = 0; i < header.ncmds; i++) {
    if (at + 8 > end) {
      problems.error(new FormatError(`load command ${i} at ${hex(at)} lies past sizeofcmds`, r.base + at, 'load_command', i));
      break;
    }
    const cmd = r.u32(at, 'load_command.cmd');
    const cmdsize = r.u32(at + 4, 'load_command.cmdsize');
    const name = loadCommandName(cmd);
    if (cmdsize < 8) {
      problems.error(
        new FormatError(`load command ${i} (${name}) has cmdsize ${cmdsize}, less than 8`, r.base + at + 4, `${name}.cmdsize`, cmdsize),
      );
      break;
    }
    if (cmdsize % align !== 0) {
      problems.error(
        new FormatError(
          `load command ${i} (${name}) cmdsize ${cmdsize} is not a multiple of ${align}`,
          r.base + at + 4,
          `${name}.cmdsize`,
          cmdsize,
        ),
      );
      break;
    }
    if (at + cmdsize > end) {
      problems.error(
        new FormatError(
          `load command ${i} (${name}) at ${hex(at)} with cmdsize ${cmdsize} runs past the end of the load commands (${hex(end)})`,
          r.base + at + 4,
          `${name}.cmdsize`,
          cmdsize,
        ),
      );
      break;
    }
    const rec: LoadCommandRecord = { cmd, name, cmdsize, offset: at, fields: {}, summary: '' };
    try {
      decodeCommand(r.sub(at, cmdsize), rec, img, problems);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      problems.error(e);
      rec.error = e.message;
      if (!rec.summary) rec.summary = `malformed: ${e.message}`;
    }
    img.commands.push(rec);
    at += cmdsize;
  }
  checkSegmentRanges(r, img, problems);
  return img;
}

function need(c: Reader, size: number, name: string): void {
  if (c.length < size) {
    throw new FormatError(
      `${name}: cmdsize ${c.length} is smaller than the command structure (${size} bytes)`,
      c.base + 4,
      `${name}.cmdsize`,
      c.length,
    );
  }
}

/** An lc_str: a string at an offset from the start of the command, ending inside it. */
function lcStr(c: Reader, fieldAt: number, minOffset: number, field: string): string {
  const off = c.u32(fieldAt, field);
  if (off < minOffset || off >= c.length) {
    throw new FormatError(
      `${field}: string offset ${off} lies outside the command (${minOffset}..${c.length})`,
      c.base + fieldAt,
      field,
      off,
    );
  }
  return c.cstringEx(off, c.length - off, field).value;
}

function decodeCommand(c: Reader, rec: LoadCommandRecord, img: MachImage, problems: Problems): void {
  const f = rec.fields;
  const name = rec.name;
  switch (rec.cmd) {
    case LC_SEGMENT:
    case LC_SEGMENT_64:
      decodeSegment(c, rec, img, problems);
      return;
    case LC_LOAD_DYLIB:
    case LC_LOAD_WEAK_DYLIB:
    case LC_REEXPORT_DYLIB:
    case LC_LAZY_LOAD_DYLIB:
    case LC_LOAD_UPWARD_DYLIB:
    case LC_ID_DYLIB: {
      need(c, 24, name);
      const d: DylibCommand = {
        cmd: name,
        name: lcStr(c, 8, 24, `${name}.dylib.name`),
        timestamp: c.u32(12, `${name}.dylib.timestamp`),
        current_version: c.u32(16, `${name}.dylib.current_version`),
        compatibility_version: c.u32(20, `${name}.dylib.compatibility_version`),
      };
      Object.assign(f, {
        name: d.name,
        timestamp: d.timestamp,
        current_version: packedVersion(d.current_version),
        compatibility_version: packedVersion(d.compatibility_version),
      });
      rec.summary = `${d.name} (current ${packedVersion(d.current_version)}, compatibility ${packedVersion(d.compatibility_version)})`;
      if (rec.cmd === LC_ID_DYLIB) {
        // A second one is an error (checks.ts); the first is used.
        if (!img.idDylib) img.idDylib = d;
      } else img.dylibs.push(d);
      return;
    }
    case LC_LOAD_DYLINKER:
    case LC_ID_DYLINKER:
    case LC_DYLD_ENVIRONMENT: {
      need(c, 12, name);
      const s = lcStr(c, 8, 12, `${name}.name`);
      f.name = s;
      rec.summary = s;
      if (rec.cmd === LC_LOAD_DYLINKER && img.dylinker === null) img.dylinker = s;
      return;
    }
    case LC_RPATH: {
      need(c, 12, name);
      const s = lcStr(c, 8, 12, 'LC_RPATH.path');
      f.path = s;
      rec.summary = s;
      img.rpaths.push(s);
      return;
    }
    case LC_SUB_FRAMEWORK:
    case LC_SUB_UMBRELLA:
    case LC_SUB_CLIENT:
    case LC_SUB_LIBRARY:
    case LC_TARGET_TRIPLE: {
      const key = {
        [LC_SUB_FRAMEWORK]: 'umbrella',
        [LC_SUB_UMBRELLA]: 'sub_umbrella',
        [LC_SUB_CLIENT]: 'client',
        [LC_SUB_LIBRARY]: 'sub_library',
        [LC_TARGET_TRIPLE]: 'triple',
      }[rec.cmd]!;
      need(c, 12, name);
      const s = lcStr(c, 8, 12, `${name}.${key}`);
      f[key] = s;
      rec.summary = s;
      if (rec.cmd === LC_TARGET_TRIPLE) img.targetTriple = s;
      return;
    }
    case LC_UUID: {
      need(c, 24, name);
      const b = c.bytes(8, 16, 'LC_UUID.uuid');
      const h = Array.from(b, (x) => x.toString(16).padStart(2, '0'))
        .join('')
        .toUpperCase();
      const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      f.uuid = uuid;
      rec.summary = uuid;
      if (img.uuid === null) img.uuid = uuid;
      return;
    }
    case LC_BUILD_VERSION: {
      need(c, 24, name);
      const platform = c.u32(8, 'LC_BUILD_VERSION.platform');
      const minos = c.u32(12, 'LC_BUILD_VERSION.minos');
      const sdk = c.u32(16, 'LC_BUILD_VERSION.sdk');
      const ntools = c.u32(20, 'LC_BUILD_VERSION.ntools');
      if (ntools > MAX_TOOLS)
        throw new FormatError(`LC_BUILD_VERSION.ntools ${ntools} is implausible`, c.base + 20, 'LC_BUILD_VERSION.ntools', ntools);
      c.checkTable(24, ntools, 8, 'LC_BUILD_VERSION.tools');
      const tools: { tool: number; version: number }[] = [];
      for (let i = 0; i < ntools; i++)
        tools.push({ tool: c.u32(24 + i * 8, 'build_tool_version.tool'), version: c.u32(28 + i * 8, 'build_tool_version.version') });
      Object.assign(f, {
        platform: platformName(platform),
        minos: packedVersion(minos),
        sdk: sdk === 0 ? null : packedVersion(sdk),
        ntools,
        tools: tools.map((t) => `${toolName(t.tool)} ${packedVersion(t.version)}`),
      });
      rec.summary = `${platformName(platform)} ${packedVersion(minos)}, SDK ${sdk === 0 ? 'n/a' : packedVersion(sdk)}${tools.length ? ', ' + tools.map((t) => `${toolName(t.tool)} ${packedVersion(t.version)}`).join(', ') : ''}`;
      if (img.buildVersion) problems.warn('more than one LC_BUILD_VERSION; the first is used');
      else img.buildVersion = { platform, minos, sdk, tools };
      return;
    }
    case LC_VERSION_MIN_MACOSX:
    case LC_VERSION_MIN_IPHONEOS:
    case LC_VERSION_MIN_TVOS:
    case LC_VERSION_MIN_WATCHOS: {
      need(c, 16, name);
      const version = c.u32(8, `${name}.version`);
      const sdk = c.u32(12, `${name}.sdk`);
      f.version = packedVersion(version);
      f.sdk = sdk === 0 ? null : packedVersion(sdk);
      rec.summary = `${packedVersion(version)}, SDK ${sdk === 0 ? 'n/a' : packedVersion(sdk)}`;
      if (!img.versionMin) img.versionMin = { cmd: name, version, sdk };
      return;
    }
    case LC_MAIN: {
      need(c, 24, name);
      const entryoff = c.u64(8, 'LC_MAIN.entryoff');
      const stacksize = c.u64(16, 'LC_MAIN.stacksize');
      f.entryoff = entryoff;
      f.stacksize = stacksize;
      rec.summary = `entryoff ${hex(entryoff)}${stacksize ? `, stacksize ${hex(stacksize)}` : ''}`;
      if (!img.main) img.main = { entryoff, stacksize };
      return;
    }
    case LC_THREAD:
    case LC_UNIXTHREAD: {
      const states = readThreadStates(c, img.header.cputype, name);
      const first = states[0];
      f.flavor = first ? first.flavorName : null;
      f.count = first ? first.count : null;
      f.pc = first?.pc ?? null;
      rec.summary = states.map((s) => `${s.flavorName}${s.pc !== null ? ` pc ${hex(s.pc)}` : ''}`).join(', ') || 'no thread state';
      img.threads.push({ cmd: name, states });
      return;
    }
    case LC_SYMTAB: {
      need(c, 24, name);
      const st = {
        symoff: c.u32(8, 'LC_SYMTAB.symoff'),
        nsyms: c.u32(12, 'LC_SYMTAB.nsyms'),
        stroff: c.u32(16, 'LC_SYMTAB.stroff'),
        strsize: c.u32(20, 'LC_SYMTAB.strsize'),
      };
      Object.assign(f, st);
      rec.summary = `${st.nsyms} symbols at ${hex(st.symoff)}, strings at ${hex(st.stroff)} (+${hex(st.strsize)})`;
      if (!img.symtab) img.symtab = st;
      return;
    }
    case LC_DYSYMTAB: {
      need(c, 80, name);
      const keys = [
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
      const d: Record<string, number> = {};
      keys.forEach((k, i) => (d[k] = c.u32(8 + i * 4, `LC_DYSYMTAB.${k}`)));
      Object.assign(f, d);
      rec.summary = `${d.nlocalsym} local, ${d.nextdefsym} external, ${d.nundefsym} undefined; ${d.nindirectsyms} indirect symbols`;
      if (!img.dysymtab) img.dysymtab = d;
      return;
    }
    case LC_DYLD_INFO:
    case LC_DYLD_INFO_ONLY: {
      need(c, 48, name);
      const keys = [
        'rebase_off',
        'rebase_size',
        'bind_off',
        'bind_size',
        'weak_bind_off',
        'weak_bind_size',
        'lazy_bind_off',
        'lazy_bind_size',
        'export_off',
        'export_size',
      ] as const;
      const d = { cmd: name } as NonNullable<MachImage['dyldInfo']>;
      keys.forEach((k, i) => (d[k] = c.u32(8 + i * 4, `${name}.${k}`)));
      for (const k of keys) f[k] = d[k];
      rec.summary = `rebase ${d.rebase_size}, bind ${d.bind_size}, weak bind ${d.weak_bind_size}, lazy bind ${d.lazy_bind_size}, export ${d.export_size} bytes`;
      if (!img.dyldInfo) img.dyldInfo = d;
      return;
    }
    case LC_CODE_SIGNATURE:
    case LC_SEGMENT_SPLIT_INFO:
    case LC_FUNCTION_STARTS:
    case LC_DATA_IN_CODE:
    case LC_DYLIB_CODE_SIGN_DRS:
    case LC_LINKER_OPTIMIZATION_HINT:
    case LC_DYLD_EXPORTS_TRIE:
    case LC_DYLD_CHAINED_FIXUPS:
    case LC_ATOM_INFO:
    case LC_FUNCTION_VARIANTS:
    case LC_FUNCTION_VARIANT_FIXUPS:
    case LC_LAZY_LOAD_DYLIB_INFO: {
      need(c, 16, name);
      const d: LinkeditData = { cmd: name, dataoff: c.u32(8, `${name}.dataoff`), datasize: c.u32(12, `${name}.datasize`) };
      f.dataoff = d.dataoff;
      f.datasize = d.datasize;
      rec.summary = `${d.datasize} bytes at ${hex(d.dataoff)}`;
      // A second one of the kinds LLVM refuses twice is an error (checks.ts); the first is used.
      if (!img.linkedit.has(name)) img.linkedit.set(name, d);
      else if (!ONCE_LINKEDIT.has(name)) problems.warn(`more than one ${name}; the first is used`);
      return;
    }
    case LC_SOURCE_VERSION: {
      need(c, 16, name);
      const v = sourceVersion(c.u64(8, 'LC_SOURCE_VERSION.version'));
      f.version = v;
      rec.summary = v;
      if (img.sourceVersion === null) img.sourceVersion = v;
      return;
    }
    case LC_ENCRYPTION_INFO:
    case LC_ENCRYPTION_INFO_64: {
      need(c, rec.cmd === LC_ENCRYPTION_INFO_64 ? 24 : 20, name);
      const e = {
        cmd: name,
        cryptoff: c.u32(8, `${name}.cryptoff`),
        cryptsize: c.u32(12, `${name}.cryptsize`),
        cryptid: c.u32(16, `${name}.cryptid`),
      };
      f.cryptoff = e.cryptoff;
      f.cryptsize = e.cryptsize;
      f.cryptid = e.cryptid;
      if (rec.cmd === LC_ENCRYPTION_INFO_64) f.pad = c.u32(20, `${name}.pad`);
      rec.summary = `cryptid ${e.cryptid} (${e.cryptid ? 'encrypted' : 'not encrypted'}), ${e.cryptsize} bytes at ${hex(e.cryptoff)}`;
      if (!img.encryption) img.encryption = e;
      return;
    }
    case LC_LINKER_OPTION: {
      need(c, 12, name);
      const count = c.u32(8, 'LC_LINKER_OPTION.count');
      const strings: string[] = [];
      let at = 12;
      // Each string takes at least one byte: the count cannot exceed the bytes left.
      if (count > c.length - 12 || count > MAX_LINKER_OPTION_STRINGS) {
        throw new FormatError(
          `LC_LINKER_OPTION.count ${count} does not fit in cmdsize ${c.length}`,
          c.base + 8,
          'LC_LINKER_OPTION.count',
          count,
        );
      }
      for (let i = 0; i < count; i++) {
        if (at >= c.length)
          throw new FormatError(
            `LC_LINKER_OPTION: string ${i} of ${count} lies past the command`,
            c.base + at,
            'LC_LINKER_OPTION.strings',
            i,
          );
        const s = c.cstringEx(at, c.length - at, 'LC_LINKER_OPTION.strings');
        strings.push(s.value);
        at = s.end + 1;
      }
      f.count = count;
      f.strings = strings;
      rec.summary = strings.join(' ');
      img.linkerOptions.push(strings);
      return;
    }
    case LC_NOTE: {
      need(c, 40, name);
      const n = {
        data_owner: c.fixedString(8, 16, 'LC_NOTE.data_owner'),
        offset: c.u64(24, 'LC_NOTE.offset'),
        size: c.u64(32, 'LC_NOTE.size'),
      };
      Object.assign(f, n);
      rec.summary = `${n.data_owner}: ${n.size} bytes at ${hex(n.offset)}`;
      img.notes.push(n);
      return;
    }
    case LC_FILESET_ENTRY: {
      need(c, 32, name);
      const e = {
        vmaddr: c.u64(8, 'LC_FILESET_ENTRY.vmaddr'),
        fileoff: c.u64(16, 'LC_FILESET_ENTRY.fileoff'),
        entry_id: lcStr(c, 24, 32, 'LC_FILESET_ENTRY.entry_id'),
      };
      Object.assign(f, e);
      rec.summary = `${e.entry_id} at ${hex(e.vmaddr)} (file offset ${hex(e.fileoff)})`;
      img.filesetEntries.push(e);
      return;
    }
    case LC_ROUTINES:
    case LC_ROUTINES_64: {
      const is64 = rec.cmd === LC_ROUTINES_64;
      need(c, is64 ? 72 : 40, name);
      f.init_address = c.addr(8, is64, `${name}.init_address`);
      f.init_module = c.addr(is64 ? 16 : 12, is64, `${name}.init_module`);
      rec.summary = `init_address ${hex(f.init_address as bigint)}`;
      return;
    }
    case LC_TWOLEVEL_HINTS:
    case LC_SYMSEG: {
      need(c, 16, name);
      const [a, b] = rec.cmd === LC_TWOLEVEL_HINTS ? ['offset', 'nhints'] : ['offset', 'size'];
      f[a!] = c.u32(8, `${name}.${a}`);
      f[b!] = c.u32(12, `${name}.${b}`);
      rec.summary = `${b} ${f[b!]} at ${hex(f[a!] as number)}`;
      return;
    }
    case LC_PREBIND_CKSUM: {
      need(c, 12, name);
      f.cksum = c.u32(8, 'LC_PREBIND_CKSUM.cksum');
      rec.summary = `cksum ${hex(f.cksum as number)}`;
      return;
    }
    case LC_PREBOUND_DYLIB: {
      need(c, 20, name);
      f.name = lcStr(c, 8, 20, 'LC_PREBOUND_DYLIB.name');
      f.nmodules = c.u32(12, 'LC_PREBOUND_DYLIB.nmodules');
      rec.summary = f.name;
      return;
    }
    case LC_LOADFVMLIB:
    case LC_IDFVMLIB: {
      need(c, 20, name);
      f.name = lcStr(c, 8, 20, `${name}.fvmlib.name`);
      f.minor_version = c.u32(12, `${name}.fvmlib.minor_version`);
      f.header_addr = c.u32(16, `${name}.fvmlib.header_addr`);
      rec.summary = f.name;
      return;
    }
    case LC_FVMFILE: {
      need(c, 16, name);
      f.name = lcStr(c, 8, 16, 'LC_FVMFILE.name');
      f.header_addr = c.u32(12, 'LC_FVMFILE.header_addr');
      rec.summary = f.name;
      return;
    }
    default:
      // LC_IDENT, LC_PREPAGE and unknown commands: kept with their size only.
      rec.summary = LC_NAMES.has(rec.cmd)
        ? `${rec.cmdsize} bytes`
        : `unknown load command ${hex(rec.cmd >>> 0)}, ${rec.cmdsize} bytes kept raw`;
  }
}

function decodeSegment(c: Reader, rec: LoadCommandRecord, img: MachImage, problems: Problems): void {
  const is64 = rec.cmd === LC_SEGMENT_64;
  const name = rec.name;
  const segSize = is64 ? 72 : 56;
  const sectSize = is64 ? 80 : 68;
  need(c, segSize, name);
  const w = is64 ? 8 : 4;
  const seg: MachSegment = {
    cmd: is64 ? 'LC_SEGMENT_64' : 'LC_SEGMENT',
    segname: c.fixedString(8, 16, `${name}.segname`),
    vmaddr: c.addr(24, is64, `${name}.vmaddr`),
    vmsize: c.addr(24 + w, is64, `${name}.vmsize`),
    fileoff: c.word(24 + 2 * w, is64, `${name}.fileoff`),
    filesize: c.word(24 + 3 * w, is64, `${name}.filesize`),
    maxprot: c.u32(24 + 4 * w, `${name}.maxprot`),
    initprot: c.u32(28 + 4 * w, `${name}.initprot`),
    nsects: c.u32(32 + 4 * w, `${name}.nsects`),
    flags: c.u32(36 + 4 * w, `${name}.flags`),
    sections: [],
    index: img.segments.length,
  };
  Object.assign(rec.fields, {
    segname: seg.segname,
    vmaddr: seg.vmaddr,
    vmsize: seg.vmsize,
    fileoff: seg.fileoff,
    filesize: seg.filesize,
    maxprot: protString(seg.maxprot),
    initprot: protString(seg.initprot),
    nsects: seg.nsects,
    flags: segmentFlagNames(seg.flags),
  });
  rec.summary = `${seg.segname || '(unnamed)'} ${hex(seg.vmaddr)} +${hex(seg.vmsize)} ${protString(seg.initprot)}, file ${hex(seg.fileoff)} +${hex(seg.filesize)}, ${seg.nsects} section${seg.nsects === 1 ? '' : 's'}`;
  img.segments.push(seg);
  // The sections follow the segment inside the same command; a count that does
  // not fit would read into the next command.
  const room = Math.floor((c.length - segSize) / sectSize);
  let n = seg.nsects;
  if (n > room) {
    problems.error(
      new FormatError(
        `${name} ${seg.segname}: nsects ${seg.nsects} sections do not fit in cmdsize ${c.length} (room for ${room})`,
        c.base + 32 + 4 * w,
        `${name}.nsects`,
        seg.nsects,
      ),
    );
    n = room;
  }
  for (let i = 0; i < n; i++) {
    const s = segSize + i * sectSize;
    const flags = c.u32(s + 32 + 2 * w + 16, 'section.flags');
    const sect: MachSection = {
      sectname: c.fixedString(s, 16, 'section.sectname'),
      segname: c.fixedString(s + 16, 16, 'section.segname'),
      addr: c.addr(s + 32, is64, 'section.addr'),
      size: c.addr(s + 32 + w, is64, 'section.size'),
      offset: c.u32(s + 32 + 2 * w, 'section.offset'),
      align: c.u32(s + 36 + 2 * w, 'section.align'),
      reloff: c.u32(s + 40 + 2 * w, 'section.reloff'),
      nreloc: c.u32(s + 44 + 2 * w, 'section.nreloc'),
      flags,
      type: flags & SECTION_TYPE,
      reserved1: c.u32(s + 52 + 2 * w, 'section.reserved1'),
      reserved2: c.u32(s + 56 + 2 * w, 'section.reserved2'),
      reserved3: is64 ? c.u32(s + 76, 'section.reserved3') : null,
      ordinal: img.sections.length + 1,
    };
    seg.sections.push(sect);
    img.sections.push(sect);
  }
}

// ---- thread states (<mach/*/thread_status.h>) ----

const X86_FLAVORS = new Map<number, string>([
  [1, 'x86_THREAD_STATE32'],
  [2, 'x86_FLOAT_STATE32'],
  [3, 'x86_EXCEPTION_STATE32'],
  [4, 'x86_THREAD_STATE64'],
  [5, 'x86_FLOAT_STATE64'],
  [6, 'x86_EXCEPTION_STATE64'],
  [7, 'x86_THREAD_STATE'],
  [8, 'x86_FLOAT_STATE'],
  [9, 'x86_EXCEPTION_STATE'],
  [10, 'x86_DEBUG_STATE32'],
  [11, 'x86_DEBUG_STATE64'],
  [12, 'x86_DEBUG_STATE'],
]);
const ARM_FLAVORS = new Map<number, string>([
  [1, 'ARM_THREAD_STATE'],
  [2, 'ARM_VFP_STATE'],
  [3, 'ARM_EXCEPTION_STATE'],
  [4, 'ARM_DEBUG_STATE'],
  [6, 'ARM_THREAD_STATE64'],
  [7, 'ARM_EXCEPTION_STATE64'],
  [9, 'ARM_THREAD_STATE32'],
  [14, 'ARM_DEBUG_STATE32'],
  [15, 'ARM_DEBUG_STATE64'],
  [16, 'ARM_NEON_STATE'],
  [17, 'ARM_NEON_STATE64'],
]);
const PPC_FLAVORS = new Map<number, string>([
  [1, 'PPC_THREAD_STATE'],
  [2, 'PPC_FLOAT_STATE'],
  [3, 'PPC_EXCEPTION_STATE'],
  [4, 'PPC_VECTOR_STATE'],
  [5, 'PPC_THREAD_STATE64'],
  [6, 'PPC_EXCEPTION_STATE64'],
]);

function readThreadStates(c: Reader, cputype: number, name: string): ThreadState[] {
  const family = cputype & 0xffffff;
  const table = family === 7 ? X86_FLAVORS : family === 12 ? ARM_FLAVORS : family === 18 ? PPC_FLAVORS : null;
  const states: ThreadState[] = [];
  let at = 8;
  // Each flavor/count pair takes 8 bytes, so the command's size bounds the loop.
  while (at + 8 <= c.length) {
    const flavor = c.u32(at, `${name}.flavor`);
    const count = c.u32(at + 4, `${name}.count`);
    const bytes = count * 4;
    if (bytes > c.length - at - 8) {
      throw new FormatError(`${name}: thread state count ${count} runs past cmdsize ${c.length}`, c.base + at + 4, `${name}.count`, count);
    }
    const state = c.sub(at + 8, bytes);
    states.push({ flavor, flavorName: table?.get(flavor) ?? `flavor-${flavor}`, count, pc: threadPc(state, family, cputype, flavor) });
    at += 8 + bytes;
  }
  return states;
}

/** Offset of the program counter in each state layout (x86 rip/eip, ARM pc, PPC srr0). */
function threadPc(s: Reader, family: number, cputype: number, flavor: number): bigint | null {
  const u64 = (o: number): bigint | null => (s.has(o, 8) ? s.u64(o, 'thread_state.pc') : null);
  const u32 = (o: number): bigint | null => (s.has(o, 4) ? BigInt(s.u32(o, 'thread_state.pc')) : null);
  if (family === 7) {
    if (flavor === 4) return u64(16 * 8); // rip after rax..r15
    if (flavor === 1) return u32(10 * 4); // eip after eax..esp, ss, eflags
    if (flavor === 7 && s.has(0, 8)) {
      // x86_THREAD_STATE: an x86_state_hdr {flavor, count} before the real state.
      const inner = s.u32(0, 'x86_state_hdr.flavor');
      if (inner === 4) return u64(8 + 16 * 8);
      if (inner === 1) return u32(8 + 10 * 4);
    }
    return null;
  }
  if (family === 12) {
    if (flavor === 6) return u64(32 * 8); // x0..x28, fp, lr, sp, pc
    if (flavor === 9) return u32(15 * 4); // r0..r12, sp, lr, pc
    if (flavor === 1) {
      // On arm64 ARM_THREAD_STATE is the unified state: a header, then 32 or 64.
      if (cputype !== CPU_TYPE_ARM && s.has(0, 8)) {
        const inner = s.u32(0, 'arm_state_hdr.flavor');
        if (inner === 6) return u64(8 + 32 * 8);
        if (inner === 9) return u32(8 + 15 * 4);
        return null;
      }
      return u32(15 * 4);
    }
    return null;
  }
  if (family === 18) {
    if (flavor === 1) return u32(0); // srr0
    if (flavor === 5) return u64(0);
  }
  return null;
}

// ---- cross-command checks ----

function checkSegmentRanges(r: Reader, img: MachImage, problems: Problems): void {
  const withData = img.segments.filter((s) => s.filesize > 0);
  for (const s of withData) {
    if (s.fileoff + s.filesize > r.length) {
      problems.error(
        new FormatError(
          `segment ${s.segname}: fileoff ${hex(s.fileoff)} + filesize ${hex(s.filesize)} runs past the end of the file (${hex(r.length)})`,
          r.base + s.fileoff,
          `${s.cmd}.filesize`,
          s.filesize,
        ),
      );
    }
  }
  const sorted = [...withData].sort((a, b) => a.fileoff - b.fileoff);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.fileoff < a.fileoff + a.filesize) {
      problems.warn(
        `segments ${a.segname} and ${b.segname} overlap in the file (${hex(a.fileoff)}+${hex(a.filesize)} and ${hex(b.fileoff)})`,
      );
    }
  }
}

/** The segment holding the mach header (fileoff 0, non-empty): its vmaddr is the image base dyld slides. */
export function textSegment(img: MachImage): MachSegment | null {
  return img.segments.find((s) => s.fileoff === 0 && s.filesize > 0) ?? img.segments.find((s) => s.segname === '__TEXT') ?? null;
}
