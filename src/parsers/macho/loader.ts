// <mach-o/loader.h>: the mach header and the load commands, decoded in file
// order into a plain model. Every command is kept (unknown ones as `LC_0x…`
// with their raw size); a command whose contents are malformed is recorded
// with its error and the walk goes on, since its cmdsize still says where the
// next one starts. A broken walk itself (cmdsize < 8, misaligned, past
// sizeofcmds) stops it: nothing after that point can be trusted.

import { FormatError, Problems, Reader, hex } from '../reader.ts';
import { CPU_TYPE_ARM } from './machine.ts';
import {
  LC_ATOM_INFO,
  LC_BUILD_VERSION,
  LC_CODE_SIGNATURE,
  LC_DATA_IN_CODE,
  LC_DYLD_CHAINED_FIXUPS,
  LC_DYLD_ENVIRONMENT,
  LC_DYLD_EXPORTS_TRIE,
  LC_DYLD_INFO,
  LC_DYLD_INFO_ONLY,
  LC_DYLIB_CODE_SIGN_DRS,
  LC_DYSYMTAB,
  LC_ENCRYPTION_INFO,
  LC_ENCRYPTION_INFO_64,
  LC_FILESET_ENTRY,
  LC_FUNCTION_STARTS,
  LC_FUNCTION_VARIANT_FIXUPS,
  LC_FUNCTION_VARIANTS,
  LC_FVMFILE,
  LC_ID_DYLIB,
  LC_ID_DYLINKER,
  LC_IDFVMLIB,
  LC_LAZY_LOAD_DYLIB,
  LC_LAZY_LOAD_DYLIB_INFO,
  LC_LINKER_OPTIMIZATION_HINT,
  LC_LINKER_OPTION,
  LC_LOAD_DYLIB,
  LC_LOAD_DYLINKER,
  LC_LOAD_UPWARD_DYLIB,
  LC_LOAD_WEAK_DYLIB,
  LC_LOADFVMLIB,
  LC_MAIN,
  LC_NOTE,
  LC_PREBIND_CKSUM,
  LC_PREBOUND_DYLIB,
  LC_REEXPORT_DYLIB,
  LC_ROUTINES,
  LC_ROUTINES_64,
  LC_RPATH,
  LC_SEGMENT,
  LC_SEGMENT_64,
  LC_SEGMENT_SPLIT_INFO,
  LC_SOURCE_VERSION,
  LC_SUB_CLIENT,
  LC_SUB_FRAMEWORK,
  LC_SUB_LIBRARY,
  LC_SUB_UMBRELLA,
  LC_SYMSEG,
  LC_SYMTAB,
  LC_TARGET_TRIPLE,
  LC_THREAD,
  LC_TWOLEVEL_HINTS,
  LC_UNIXTHREAD,
  LC_UUID,
  LC_VERSION_MIN_IPHONEOS,
  LC_VERSION_MIN_MACOSX,
  LC_VERSION_MIN_TVOS,
  LC_VERSION_MIN_WATCHOS,
  loadCommandName,
  MH_CIGAM,
  MH_CIGAM_64,
  MH_MAGIC,
  MH_MAGIC_64,
  SECTION_TYPE,
  sourceVersion,
  DYSYMTAB_FIELDS,
} from './constants.ts';

// ---- the model ----

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

/** A dylib-loading command (not `LC_ID_DYLIB`) and its index in `MachImage.commands`. */
export interface LoadedDylib extends DylibCommand {
  command: number;
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

export interface BuildVersion {
  platform: number;
  minos: number;
  sdk: number;
  tools: { tool: number; version: number }[];
}

export interface DyldInfo {
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
}

export interface Encryption {
  cmd: string;
  cryptoff: number;
  cryptsize: number;
  cryptid: number;
}

export interface Note {
  data_owner: string;
  offset: bigint;
  size: bigint;
}

export interface FilesetEntry {
  vmaddr: bigint;
  fileoff: bigint;
  entry_id: string;
}

/**
 * A load command's contents by command family, as loader.h's structs hold them (Go's debug/macho Segment, Dylib,
 * Rpath …; gimli's LoadCommandVariant). `other` keeps the bytes of the commands nothing reads (LC_IDENT, LC_PREPAGE,
 * unknown numbers) and of a command whose contents are malformed.
 */
export type LoadCommandBody =
  | { kind: 'segment'; segment: MachSegment }
  | { kind: 'dylib'; dylib: DylibCommand }
  /** A command that is one lc_str: the dylinker's or an environment's name, an rpath, the sub_* names, the triple. */
  | { kind: 'string'; field: 'name' | 'path' | 'umbrella' | 'sub_umbrella' | 'client' | 'sub_library' | 'triple'; value: string }
  | { kind: 'uuid'; uuid: string }
  | { kind: 'build_version'; build: BuildVersion }
  | { kind: 'version_min'; version: number; sdk: number }
  | { kind: 'main'; entryoff: bigint; stacksize: bigint }
  | { kind: 'thread'; states: ThreadState[] }
  | { kind: 'symtab'; symtab: Symtab }
  | { kind: 'dysymtab'; dysymtab: Record<string, number> }
  | { kind: 'dyld_info'; dyldInfo: DyldInfo }
  | { kind: 'linkedit_data'; data: LinkeditData }
  | { kind: 'source_version'; version: string }
  /** `pad` is encryption_info_command_64's; null for the 32-bit command. */
  | { kind: 'encryption'; encryption: Encryption; pad: number | null }
  | { kind: 'linker_option'; strings: string[] }
  | { kind: 'note'; note: Note }
  | { kind: 'fileset_entry'; entry: FilesetEntry }
  | { kind: 'routines'; init_address: bigint; init_module: bigint }
  | { kind: 'twolevel_hints'; offset: number; nhints: number }
  | { kind: 'symseg'; offset: number; size: number }
  | { kind: 'prebind_cksum'; cksum: number }
  | { kind: 'prebound_dylib'; name: string; nmodules: number }
  | { kind: 'fvmlib'; name: string; minor_version: number; header_addr: number }
  | { kind: 'fvmfile'; name: string; header_addr: number }
  | { kind: 'other'; bytes: Uint8Array };

export interface Symtab {
  symoff: number;
  nsyms: number;
  stroff: number;
  strsize: number;
}

export interface LoadCommandRecord {
  cmd: number;
  name: string;
  cmdsize: number;
  /** Offset of the command in the slice. */
  offset: number;
  body: LoadCommandBody;
  /** Set when the command's contents could not be decoded (its body is then `other`). */
  error?: string;
}

export interface MachImage {
  header: MachHeader;
  commands: LoadCommandRecord[];
  segments: MachSegment[];
  sections: MachSection[];
  /** Load commands that bring in a dylib (ordinals index this list from 1). */
  /** The libraries it loads, in the order dyld numbers them (library ordinals), each with its command's index. */
  dylibs: LoadedDylib[];
  idDylib: DylibCommand | null;
  rpaths: string[];
  dylinker: string | null;
  uuid: string | null;
  buildVersion: BuildVersion | null;
  versionMin: { cmd: string; version: number; sdk: number } | null;
  main: { entryoff: bigint; stacksize: bigint } | null;
  threads: { cmd: string; states: ThreadState[] }[];
  symtab: Symtab | null;
  dysymtab: Record<string, number> | null;
  dyldInfo: DyldInfo | null;
  /** linkedit_data_command payloads by command name (first of each kind). */
  linkedit: Map<string, LinkeditData>;
  sourceVersion: string | null;
  encryption: Encryption | null;
  notes: Note[];
  linkerOptions: string[][];
  filesetEntries: FilesetEntry[];
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
    const c = r.sub(at, cmdsize);
    let rec: LoadCommandRecord;
    try {
      rec = { cmd, name, cmdsize, offset: at, body: decodeCommand(c, cmd, name, img, problems) };
      addToImage(img, rec, i, problems);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      problems.error(e);
      rec = { cmd, name, cmdsize, offset: at, body: { kind: 'other', bytes: c.bytes(0, cmdsize, name) }, error: e.message };
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

/** Decodes one command's contents; it reads the image (the CPU type, how many segments and sections came before) but does not change it. */
type Decoder = (c: Reader, cmd: number, name: string, img: Readonly<MachImage>, problems: Problems) => LoadCommandBody;

function decodeCommand(c: Reader, cmd: number, name: string, img: Readonly<MachImage>, problems: Problems): LoadCommandBody {
  return (DECODERS.get(cmd) ?? decodeOther)(c, cmd, name, img, problems);
}

/** LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB, LC_LOAD_UPWARD_DYLIB, LC_ID_DYLIB. */
function decodeDylib(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 24, name);
  const dylib: DylibCommand = {
    cmd: name,
    name: lcStr(c, 8, 24, `${name}.dylib.name`),
    timestamp: c.u32(12, `${name}.dylib.timestamp`),
    current_version: c.u32(16, `${name}.dylib.current_version`),
    compatibility_version: c.u32(20, `${name}.dylib.compatibility_version`),
  };
  return { kind: 'dylib', dylib };
}

/** LC_LOAD_DYLINKER, LC_ID_DYLINKER, LC_DYLD_ENVIRONMENT. */
function decodeDylinker(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 12, name);
  return { kind: 'string', field: 'name', value: lcStr(c, 8, 12, `${name}.name`) };
}

/** LC_RPATH. */
function decodeRpath(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 12, name);
  return { kind: 'string', field: 'path', value: lcStr(c, 8, 12, 'LC_RPATH.path') };
}

const SUB_STRING_FIELDS = new Map<number, 'umbrella' | 'sub_umbrella' | 'client' | 'sub_library' | 'triple'>([
  [LC_SUB_FRAMEWORK, 'umbrella'],
  [LC_SUB_UMBRELLA, 'sub_umbrella'],
  [LC_SUB_CLIENT, 'client'],
  [LC_SUB_LIBRARY, 'sub_library'],
  [LC_TARGET_TRIPLE, 'triple'],
]);

/** LC_SUB_FRAMEWORK, LC_SUB_UMBRELLA, LC_SUB_CLIENT, LC_SUB_LIBRARY, LC_TARGET_TRIPLE. */
function decodeSubString(c: Reader, cmd: number, name: string): LoadCommandBody {
  const field = SUB_STRING_FIELDS.get(cmd)!;
  need(c, 12, name);
  return { kind: 'string', field, value: lcStr(c, 8, 12, `${name}.${field}`) };
}

/** LC_UUID. */
function decodeUuid(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 24, name);
  const b = c.bytes(8, 16, 'LC_UUID.uuid');
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  return { kind: 'uuid', uuid: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
}

/** LC_BUILD_VERSION. */
function decodeBuildVersion(c: Reader, _cmd: number, name: string): LoadCommandBody {
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
  return { kind: 'build_version', build: { platform, minos, sdk, tools } };
}

/** LC_VERSION_MIN_MACOSX, LC_VERSION_MIN_IPHONEOS, LC_VERSION_MIN_TVOS, LC_VERSION_MIN_WATCHOS. */
function decodeVersionMin(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 16, name);
  return { kind: 'version_min', version: c.u32(8, `${name}.version`), sdk: c.u32(12, `${name}.sdk`) };
}

/** LC_MAIN. */
function decodeMain(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 24, name);
  return { kind: 'main', entryoff: c.u64(8, 'LC_MAIN.entryoff'), stacksize: c.u64(16, 'LC_MAIN.stacksize') };
}

/** LC_THREAD, LC_UNIXTHREAD. */
function decodeThread(c: Reader, _cmd: number, name: string, img: Readonly<MachImage>): LoadCommandBody {
  return { kind: 'thread', states: readThreadStates(c, img.header.cputype, name) };
}

/** LC_SYMTAB. */
function decodeSymtab(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 24, name);
  const symtab = {
    symoff: c.u32(8, 'LC_SYMTAB.symoff'),
    nsyms: c.u32(12, 'LC_SYMTAB.nsyms'),
    stroff: c.u32(16, 'LC_SYMTAB.stroff'),
    strsize: c.u32(20, 'LC_SYMTAB.strsize'),
  };
  return { kind: 'symtab', symtab };
}

/** LC_DYSYMTAB. */
function decodeDysymtab(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 80, name);
  const dysymtab: Record<string, number> = {};
  DYSYMTAB_FIELDS.forEach((k, i) => (dysymtab[k] = c.u32(8 + i * 4, `LC_DYSYMTAB.${k}`)));
  return { kind: 'dysymtab', dysymtab };
}

const DYLD_INFO_FIELDS = [
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

/** LC_DYLD_INFO, LC_DYLD_INFO_ONLY. */
function decodeDyldInfo(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 48, name);
  const dyldInfo = { cmd: name } as DyldInfo;
  DYLD_INFO_FIELDS.forEach((k, i) => (dyldInfo[k] = c.u32(8 + i * 4, `${name}.${k}`)));
  return { kind: 'dyld_info', dyldInfo };
}

/** LC_CODE_SIGNATURE, LC_SEGMENT_SPLIT_INFO, LC_FUNCTION_STARTS, LC_DATA_IN_CODE, LC_DYLIB_CODE_SIGN_DRS, LC_LINKER_OPTIMIZATION_HINT, LC_DYLD_EXPORTS_TRIE, LC_DYLD_CHAINED_FIXUPS, LC_ATOM_INFO, LC_FUNCTION_VARIANTS, LC_FUNCTION_VARIANT_FIXUPS, LC_LAZY_LOAD_DYLIB_INFO. */
function decodeLinkeditData(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 16, name);
  return { kind: 'linkedit_data', data: { cmd: name, dataoff: c.u32(8, `${name}.dataoff`), datasize: c.u32(12, `${name}.datasize`) } };
}

/** LC_SOURCE_VERSION. */
function decodeSourceVersion(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 16, name);
  return { kind: 'source_version', version: sourceVersion(c.u64(8, 'LC_SOURCE_VERSION.version')) };
}

/** LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64. */
function decodeEncryption(c: Reader, cmd: number, name: string): LoadCommandBody {
  const is64 = cmd === LC_ENCRYPTION_INFO_64;
  need(c, is64 ? 24 : 20, name);
  const encryption = {
    cmd: name,
    cryptoff: c.u32(8, `${name}.cryptoff`),
    cryptsize: c.u32(12, `${name}.cryptsize`),
    cryptid: c.u32(16, `${name}.cryptid`),
  };
  return { kind: 'encryption', encryption, pad: is64 ? c.u32(20, `${name}.pad`) : null };
}

/** LC_LINKER_OPTION. */
function decodeLinkerOption(c: Reader, _cmd: number, name: string): LoadCommandBody {
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
      throw new FormatError(`LC_LINKER_OPTION: string ${i} of ${count} lies past the command`, c.base + at, 'LC_LINKER_OPTION.strings', i);
    const s = c.cstringEx(at, c.length - at, 'LC_LINKER_OPTION.strings');
    strings.push(s.value);
    at = s.end + 1;
  }
  return { kind: 'linker_option', strings };
}

/** LC_NOTE. */
function decodeNote(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 40, name);
  const note = {
    data_owner: c.fixedString(8, 16, 'LC_NOTE.data_owner'),
    offset: c.u64(24, 'LC_NOTE.offset'),
    size: c.u64(32, 'LC_NOTE.size'),
  };
  return { kind: 'note', note };
}

/** LC_FILESET_ENTRY. */
function decodeFilesetEntry(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 32, name);
  const entry = {
    vmaddr: c.u64(8, 'LC_FILESET_ENTRY.vmaddr'),
    fileoff: c.u64(16, 'LC_FILESET_ENTRY.fileoff'),
    entry_id: lcStr(c, 24, 32, 'LC_FILESET_ENTRY.entry_id'),
  };
  return { kind: 'fileset_entry', entry };
}

/** LC_ROUTINES, LC_ROUTINES_64. */
function decodeRoutines(c: Reader, cmd: number, name: string): LoadCommandBody {
  const is64 = cmd === LC_ROUTINES_64;
  need(c, is64 ? 72 : 40, name);
  const init_address = c.addr(8, is64, `${name}.init_address`);
  return { kind: 'routines', init_address, init_module: c.addr(is64 ? 16 : 12, is64, `${name}.init_module`) };
}

/** LC_TWOLEVEL_HINTS. */
function decodeTwolevelHints(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 16, name);
  return { kind: 'twolevel_hints', offset: c.u32(8, `${name}.offset`), nhints: c.u32(12, `${name}.nhints`) };
}

/** LC_SYMSEG. */
function decodeSymseg(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 16, name);
  return { kind: 'symseg', offset: c.u32(8, `${name}.offset`), size: c.u32(12, `${name}.size`) };
}

/** LC_PREBIND_CKSUM. */
function decodePrebindCksum(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 12, name);
  return { kind: 'prebind_cksum', cksum: c.u32(8, 'LC_PREBIND_CKSUM.cksum') };
}

/** LC_PREBOUND_DYLIB. */
function decodePreboundDylib(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 20, name);
  const dylib = lcStr(c, 8, 20, 'LC_PREBOUND_DYLIB.name');
  return { kind: 'prebound_dylib', name: dylib, nmodules: c.u32(12, 'LC_PREBOUND_DYLIB.nmodules') };
}

/** LC_LOADFVMLIB, LC_IDFVMLIB. */
function decodeFvmlib(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 20, name);
  const lib = lcStr(c, 8, 20, `${name}.fvmlib.name`);
  const minor_version = c.u32(12, `${name}.fvmlib.minor_version`);
  return { kind: 'fvmlib', name: lib, minor_version, header_addr: c.u32(16, `${name}.fvmlib.header_addr`) };
}

/** LC_FVMFILE. */
function decodeFvmfile(c: Reader, _cmd: number, name: string): LoadCommandBody {
  need(c, 16, name);
  const file = lcStr(c, 8, 16, 'LC_FVMFILE.name');
  return { kind: 'fvmfile', name: file, header_addr: c.u32(12, 'LC_FVMFILE.header_addr') };
}

/** LC_IDENT, LC_PREPAGE and unknown commands: kept as their bytes. */
function decodeOther(c: Reader, _cmd: number, name: string): LoadCommandBody {
  return { kind: 'other', bytes: c.bytes(0, c.length, name) };
}

/** The decoder of each command family, by command number; the rest are kept raw (decodeOther). */
const DECODERS = new Map<number, Decoder>([
  [LC_SEGMENT, decodeSegment],
  [LC_SEGMENT_64, decodeSegment],
  [LC_LOAD_DYLIB, decodeDylib],
  [LC_LOAD_WEAK_DYLIB, decodeDylib],
  [LC_REEXPORT_DYLIB, decodeDylib],
  [LC_LAZY_LOAD_DYLIB, decodeDylib],
  [LC_LOAD_UPWARD_DYLIB, decodeDylib],
  [LC_ID_DYLIB, decodeDylib],
  [LC_LOAD_DYLINKER, decodeDylinker],
  [LC_ID_DYLINKER, decodeDylinker],
  [LC_DYLD_ENVIRONMENT, decodeDylinker],
  [LC_RPATH, decodeRpath],
  [LC_SUB_FRAMEWORK, decodeSubString],
  [LC_SUB_UMBRELLA, decodeSubString],
  [LC_SUB_CLIENT, decodeSubString],
  [LC_SUB_LIBRARY, decodeSubString],
  [LC_TARGET_TRIPLE, decodeSubString],
  [LC_UUID, decodeUuid],
  [LC_BUILD_VERSION, decodeBuildVersion],
  [LC_VERSION_MIN_MACOSX, decodeVersionMin],
  [LC_VERSION_MIN_IPHONEOS, decodeVersionMin],
  [LC_VERSION_MIN_TVOS, decodeVersionMin],
  [LC_VERSION_MIN_WATCHOS, decodeVersionMin],
  [LC_MAIN, decodeMain],
  [LC_THREAD, decodeThread],
  [LC_UNIXTHREAD, decodeThread],
  [LC_SYMTAB, decodeSymtab],
  [LC_DYSYMTAB, decodeDysymtab],
  [LC_DYLD_INFO, decodeDyldInfo],
  [LC_DYLD_INFO_ONLY, decodeDyldInfo],
  [LC_CODE_SIGNATURE, decodeLinkeditData],
  [LC_SEGMENT_SPLIT_INFO, decodeLinkeditData],
  [LC_FUNCTION_STARTS, decodeLinkeditData],
  [LC_DATA_IN_CODE, decodeLinkeditData],
  [LC_DYLIB_CODE_SIGN_DRS, decodeLinkeditData],
  [LC_LINKER_OPTIMIZATION_HINT, decodeLinkeditData],
  [LC_DYLD_EXPORTS_TRIE, decodeLinkeditData],
  [LC_DYLD_CHAINED_FIXUPS, decodeLinkeditData],
  [LC_ATOM_INFO, decodeLinkeditData],
  [LC_FUNCTION_VARIANTS, decodeLinkeditData],
  [LC_FUNCTION_VARIANT_FIXUPS, decodeLinkeditData],
  [LC_LAZY_LOAD_DYLIB_INFO, decodeLinkeditData],
  [LC_SOURCE_VERSION, decodeSourceVersion],
  [LC_ENCRYPTION_INFO, decodeEncryption],
  [LC_ENCRYPTION_INFO_64, decodeEncryption],
  [LC_LINKER_OPTION, decodeLinkerOption],
  [LC_NOTE, decodeNote],
  [LC_FILESET_ENTRY, decodeFilesetEntry],
  [LC_ROUTINES, decodeRoutines],
  [LC_ROUTINES_64, decodeRoutines],
  [LC_TWOLEVEL_HINTS, decodeTwolevelHints],
  [LC_SYMSEG, decodeSymseg],
  [LC_PREBIND_CKSUM, decodePrebindCksum],
  [LC_PREBOUND_DYLIB, decodePreboundDylib],
  [LC_LOADFVMLIB, decodeFvmlib],
  [LC_IDFVMLIB, decodeFvmlib],
  [LC_FVMFILE, decodeFvmfile],
]);

/** LC_SEGMENT, LC_SEGMENT_64 and the sections that follow it in the command. */
function decodeSegment(c: Reader, cmd: number, name: string, img: Readonly<MachImage>, problems: Problems): LoadCommandBody {
  const is64 = cmd === LC_SEGMENT_64;
  const segSize = is64 ? 72 : 56;
  const sectSize = is64 ? 80 : 68;
  need(c, segSize, name);
  const w = is64 ? 8 : 4;
  const segment: MachSegment = {
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
  // The sections follow the segment inside the same command; a count that does
  // not fit would read into the next command.
  const room = Math.floor((c.length - segSize) / sectSize);
  let n = segment.nsects;
  if (n > room) {
    problems.error(
      new FormatError(
        `${name} ${segment.segname}: nsects ${segment.nsects} sections do not fit in cmdsize ${c.length} (room for ${room})`,
        c.base + 32 + 4 * w,
        `${name}.nsects`,
        segment.nsects,
      ),
    );
    n = room;
  }
  for (let i = 0; i < n; i++) segment.sections.push(readSection(c, segSize + i * sectSize, is64, img.sections.length + i + 1));
  return { kind: 'segment', segment };
}

/** A section (or section_64) header at `s` in its segment command; `ordinal` is the n_sect that names it. */
function readSection(c: Reader, s: number, is64: boolean, ordinal: number): MachSection {
  const w = is64 ? 8 : 4;
  const flags = c.u32(s + 32 + 2 * w + 16, 'section.flags');
  return {
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
    ordinal,
  };
}

/**
 * What the image keeps of a decoded command. dyld and LLVM use the first of the commands that may appear once
 * (a second is an error or a warning: checks.ts, here); libraries, rpaths, threads, notes and the like add up.
 */
function addToImage(img: MachImage, rec: LoadCommandRecord, index: number, problems: Problems): void {
  const b = rec.body;
  switch (b.kind) {
    case 'segment':
      img.segments.push(b.segment);
      img.sections.push(...b.segment.sections);
      break;
    case 'dylib':
      if (rec.cmd !== LC_ID_DYLIB) img.dylibs.push({ ...b.dylib, command: index });
      else if (!img.idDylib) img.idDylib = b.dylib;
      break;
    case 'string':
      if (rec.cmd === LC_LOAD_DYLINKER && img.dylinker === null) img.dylinker = b.value;
      else if (rec.cmd === LC_RPATH) img.rpaths.push(b.value);
      else if (rec.cmd === LC_TARGET_TRIPLE) img.targetTriple = b.value;
      break;
    case 'uuid':
      img.uuid ??= b.uuid;
      break;
    case 'build_version':
      if (img.buildVersion) problems.warn('more than one LC_BUILD_VERSION; the first is used');
      else img.buildVersion = b.build;
      break;
    case 'version_min':
      img.versionMin ??= { cmd: rec.name, version: b.version, sdk: b.sdk };
      break;
    case 'main':
      img.main ??= { entryoff: b.entryoff, stacksize: b.stacksize };
      break;
    case 'thread':
      img.threads.push({ cmd: rec.name, states: b.states });
      break;
    case 'symtab':
      img.symtab ??= b.symtab;
      break;
    case 'dysymtab':
      img.dysymtab ??= b.dysymtab;
      break;
    case 'dyld_info':
      img.dyldInfo ??= b.dyldInfo;
      break;
    case 'linkedit_data':
      if (!img.linkedit.has(rec.name)) img.linkedit.set(rec.name, b.data);
      else if (!ONCE_LINKEDIT.has(rec.name)) problems.warn(`more than one ${rec.name}; the first is used`);
      break;
    case 'source_version':
      img.sourceVersion ??= b.version;
      break;
    case 'encryption':
      img.encryption ??= b.encryption;
      break;
    case 'linker_option':
      img.linkerOptions.push(b.strings);
      break;
    case 'note':
      img.notes.push(b.note);
      break;
    case 'fileset_entry':
      img.filesetEntries.push(b.entry);
      break;
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
