import type { Reader } from './reader.ts';

// The report: a versioned, documented data type (docs/report.md). The CLI's
// JSON, the page and (later) the permalink all derive from it. Addresses and
// file offsets are `0x…` lowercase hex strings so 64-bit values survive JSON.

export const REPORT_SCHEMA = 1 as const;

export type Hex = string;

export type Format = 'elf' | 'macho' | 'macho-fat' | 'unknown';

export type FileType = 'executable' | 'shared-library' | 'object' | 'bundle' | 'dylinker' | 'core' | 'other';

export interface ReportError {
  message: string;
  /** Absolute file offset of the bad bytes. */
  offset: Hex;
  /** Spec name of the field or structure. */
  field: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  file: { name: string; size: number; sha256: string };
  format: Format;
  /** For `unknown`: what the file looks like instead ("PNG image", "ZIP archive", "text"), and why it is not a binary. */
  notBinary?: { kind: string; reason: string };
  errors: ReportError[];
  warnings: string[];
  slices: SliceReport[];
}

export type LibraryKind = 'needed' | 'load' | 'weak' | 'reexport' | 'lazy' | 'upward';

export interface Library {
  name: string;
  kind: LibraryKind;
  /** Mach-O `current_version` / `compatibility_version` as a.b.c. */
  currentVersion?: string;
  compatibilityVersion?: string;
}

export interface Rpath {
  path: string;
  /** `LC_RPATH`, `DT_RPATH` or `DT_RUNPATH`. */
  source: string;
}

export interface Segment {
  name: string;
  address: Hex;
  /** Memory size (vmsize / p_memsz). */
  size: number;
  offset: Hex;
  fileSize: number;
  /** `rwx` with `-` for each missing permission. */
  perms: string;
  /** ELF p_type name (`LOAD`, `GNU_STACK`, …) or Mach-O `LC_SEGMENT_64`. */
  type: string;
}

export interface Section {
  name: string;
  /** Mach-O segment name; for ELF the name of the first PT_LOAD that contains it, or "". */
  segment: string;
  address: Hex;
  size: number;
  offset: Hex;
  /** `sh_type` name or Mach-O section type (`S_REGULAR`, …). */
  type: string;
  /** ELF `W A X …` letters as readelf prints them, or Mach-O attribute names. */
  flags: string;
}

export interface Import {
  name: string;
  /** Library expected to provide it: Mach-O two-level ordinal, ELF version's file; null for flat lookup. */
  library: string | null;
  /** ELF symbol version (GLIBC_2.17), when the file names one. */
  version?: string;
  weak?: boolean;
}

export interface CodeSignature {
  adhoc: boolean;
  /** CS_LINKER_SIGNED: signed by the linker only, not by codesign. */
  linkerSigned: boolean;
  identifier: string | null;
  teamId: string | null;
  /** CDHash of the best CodeDirectory, hex, truncated to 20 bytes as codesign prints it. */
  cdHash: string | null;
  hashType: string | null;
  /** CodeDirectory flags by name (`adhoc`, `runtime`, `linker-signed`, …). */
  flags: string[];
  /** Entitlements plist text (XML) when present. */
  entitlements: string | null;
  /** Entitlements DER blob present (shown as byte count; decoded in entitlements when XML absent). */
  entitlementsDer: number | null;
  requirements: number | null;
  hasCmsSignature: boolean;
}

export interface Encryption {
  cryptid: number;
  offset: Hex;
  size: number;
}

/** A verdict and the evidence it rests on. `null` value = does not apply / unknown. */
export interface Feature<T = boolean | null> {
  value: T;
  source: string;
}

export interface Features {
  pie: boolean | null;
  nx: boolean | null;
  relro: 'none' | 'partial' | 'full' | null;
  canary: boolean | null;
  fortify: boolean | null;
  bti: boolean | null;
  pac: boolean | null;
  ibt: boolean | null;
  shstk: boolean | null;
  /** Where each verdict comes from, by feature name. */
  sources: Record<string, string>;
}

export interface LoadCommand {
  /** `LC_SEGMENT_64`, or `LC_0x…` for an unknown command (kept raw). */
  cmd: string;
  cmdsize: number;
  offset: Hex;
  /** One-line summary of what it says. */
  summary: string;
}

export interface Note {
  owner: string;
  type: string;
  description: string;
}

export interface SliceReport {
  /** Position in a fat file (0 for thin files). */
  index: number;
  /** Where the slice starts in the file. Every other offset in a SliceReport is relative to this. */
  offset: Hex;
  size: number;
  arch: string;
  /** arm64e pointer-authentication ABI version (from the CPU subtype's capability bits), else absent. */
  ptrAuthAbi?: { version: number; kernel: boolean } | null;
  cpu: { type: number; subtype: number; name: string };
  bits: 32 | 64;
  endian: 'little' | 'big';
  fileType: FileType;
  /** Format's own name for the type: `MH_EXECUTE`, `ET_DYN`, … */
  fileTypeRaw: string;
  /** `macos`, `ios`, `linux`, `freebsd`, … or null when the file does not say. */
  platform: string | null;
  minOS: string | null;
  sdk: string | null;
  entry: Hex | null;
  linkage: 'static' | 'dynamic';
  interpreter: string | null;
  libraries: string[];
  libraryDetails: Library[];
  rpaths: string[];
  rpathDetails: Rpath[];
  /** DT_SONAME or LC_ID_DYLIB install name. */
  installName: string | null;
  uuid: string | null;
  buildId: string | null;
  goBuildId?: string | null;
  segments: Segment[];
  sections: Section[];
  symbols: { defined: number; undefined: number; table: string | null };
  imports: Import[];
  exports: number;
  codeSignature: CodeSignature | null;
  encryption: Encryption | null;
  features: Features;
  functionStarts: number | null;
  loadCommands?: LoadCommand[];
  notes?: Note[];
  /** ELF flags (FLAGS, FLAGS_1 names) or Mach-O header flags. */
  flags: string[];
  stripped: boolean;
}

/** One row of the symbol table, as the symbol view pages it. */
export interface SymbolRow {
  name: string;
  /** Hex address; null for undefined symbols. */
  address: Hex | null;
  size: number | null;
  defined: boolean;
  /** `func`, `object`, `section`, `file`, `tls`, `common`, `indirect`, `other`. */
  type: string;
  /** `local`, `global`, `weak`. */
  bind: string;
  /** Section name for defined symbols. */
  section: string | null;
  /** For imports: library expected to provide it. */
  library: string | null;
  version: string | null;
  /** Exported by the dynamic table / export trie. */
  exported: boolean;
}

/** What a format parser returns for one slice: its report, and lazily its big tables. */
export interface ParsedSlice {
  report: SliceReport;
  /** The slice's bytes (a window of the file; offsets in the report are relative to it). */
  reader: Reader;
  /** Symbols as `llvm-nm` lists them (no debugging entries). Memoized by the parser. */
  symbols(): SymbolRow[];
}

export interface ParsedFile {
  format: Format;
  slices: ParsedSlice[];
  errors: ReportError[];
  warnings: string[];
}
