// The report: a versioned, documented data type (docs/report.md), the contract
// between the analysis and everything that shows it. The CLI's JSON, the page,
// permalinks and exports all derive from it. Addresses and
// file offsets are `0x…` lowercase hex strings so 64-bit values survive JSON.

import type { Target } from './targets.ts';

export const REPORT_SCHEMA = 1 as const;

export type Hex = string;

/** `0x`-prefixed lowercase hex, the way the report writes addresses and offsets. */
export function hex(v: number | bigint): Hex {
  return '0x' + v.toString(16);
}

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
  /**
   * Set when the file ends before structures its headers place in it (an interrupted download or copy, usually):
   * each one that runs past the end. Absent for a complete file.
   */
  truncated?: Truncation;
  /** "Will it run there?" per target platform (src/verdict). Absent until verdicts are computed. */
  compatibility?: Compatibility[];
  /** Problems and notable facts, each with evidence and a fix (src/verdict, docs/findings.md). */
  findings?: Finding[];
}

/** Where a file ends, and what its headers place beyond that. */
export interface Truncation {
  /** The file's size, as an offset: the first byte that is not there. */
  end: Hex;
  /** Each structure that runs past the end, in the order the parser met them. */
  missing: MissingPart[];
}

/**
 * What a structure is to the system's loader, which decides what happens when the file is run or loaded:
 * `header` (ELF or mach header), `program-headers`, `interpreter` (PT_INTERP), `segment` (PT_LOAD, LC_SEGMENT),
 * `dynamic` (PT_DYNAMIC), `load-commands`, `code-signature` (LC_CODE_SIGNATURE), `linkedit` (data in __LINKEDIT
 * that dyld reads: symbol table, fixups, exports), `slice` (a universal file's slice); and two the loader never
 * reads: `section-headers`, `section`.
 */
export type MissingKind =
  | 'header'
  | 'program-headers'
  | 'interpreter'
  | 'segment'
  | 'dynamic'
  | 'load-commands'
  | 'code-signature'
  | 'linkedit'
  | 'slice'
  | 'section-headers'
  | 'section';

export interface MissingPart {
  /** The `index` of the slice it belongs to (0 in a thin file); null for a universal file's own header. */
  slice: number | null;
  kind: MissingKind;
  /** The structure in the spec's words: `program headers`, `PT_LOAD (program header 2, rw-)`, `segment __TEXT`, `slice 1 (arm64)`. */
  what: string;
  /** Spec name of the field that places it (`e_phoff`, `p_filesz`, `LC_SEGMENT_64.filesize`, `fat_arch.size`). */
  field: string;
  /** The bytes it needs: absolute file offsets, `start` included, `end` not. */
  start: Hex;
  end: Hex;
  /** For `segment`: its index in `slices[slice].segments`. */
  segment?: number;
}

export interface Compatibility {
  target: Target;
  verdict: 'native' | 'rosetta' | 'no' | 'unknown';
  /** One sentence. */
  reason: string;
  /** What a person would see when it fails (`exec format error`, `Killed: 9`, dyld's message), or null. */
  error: string | null;
  /** The facts the verdict rests on (slice, load command, interpreter path, missing library, minimum OS…). */
  evidence: string[];
  /** Index of the slice that would be used on that target, when there is one. */
  slice?: number | null;
}

export interface Finding {
  /** Stable id documented in docs/findings.md, e.g. `macho-unsigned-arm64`. */
  id: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  detail: string;
  evidence: string[];
  /** Concrete commands or steps, or null when there is no fix to give. */
  fix: string | null;
  /** Slice index the finding is about, when it is about one. */
  slice?: number;
}

export type LibraryKind = 'needed' | 'load' | 'weak' | 'reexport' | 'lazy' | 'upward';

export interface Library {
  name: string;
  kind: LibraryKind;
  /** Mach-O `current_version` / `compatibility_version` as a.b.c. */
  currentVersion?: string;
  compatibilityVersion?: string;
  /** Mach-O: the index in `loadCommands` of the command that loads it. */
  command?: number;
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
  /** ELF: names of the sections inside this segment, as readelf's "Section to Segment mapping" lists them. */
  sections?: string[];
  /** Mach-O maxprot as `rwx`. */
  maxPerms?: string;
  /** Mach-O segment flags (`SG_READ_ONLY`, …). */
  flags?: string[];
}

export interface Section {
  name: string;
  /** Mach-O segment name; "" for ELF (its segments list their sections instead). */
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
  /**
   * Mach-O library ordinal as dyld reads it: 1.. the dylib load commands in file order;
   * 0 this image, -1 main executable, -2 flat lookup, -3 weak lookup (library is then null).
   */
  ordinal?: number;
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
  /** CodeDirectory version (`0x20400`) of the CodeDirectory the CDHash comes from. */
  version?: string;
  /** CS_EXECSEG_* flags of that CodeDirectory (CS_EXECSEG_MAIN_BINARY, CS_EXECSEG_JIT, …). */
  execSegFlags?: string[];
  /** Every CodeDirectory's hash type and CDHash (codesign's CandidateCDHash lines). */
  candidates?: { hashType: string; cdHash: string | null }[];
  /** The signature checked against the bytes it signs (docs/report.md, "codeSignature.validation"). */
  validation?: SignatureValidation;
}

/** What checking a signature against the slice's bytes found. */
export interface SignatureValidation {
  /** `unsupported`: a hash type or layout binlens cannot check (the reasons say which). */
  status: 'valid' | 'invalid' | 'unsupported';
  /** Bytes per code page of the CodeDirectory the kernel uses (4096 or 16384); 0 when it has none. */
  pageSize: number;
  /** Code pages that CodeDirectory signs (its code slots). */
  pages: number;
  /** Indexes of the pages whose bytes do not match their hash, ascending (at most 4096 listed). */
  badPages: number[];
  /** The first of them: the page's offset in the slice and the segment and section its bytes belong to. */
  firstBad: SignatureBadPage | null;
  /** Special slots by name (`requirements`, `entitlements`, `entitlements-der`, …): each blob against its slot. */
  specialSlots: Record<string, 'valid' | 'invalid' | 'missing'>;
  /** The CMS signature, when the SuperBlob carries one with content. */
  cms: SignatureCms | null;
  /** Sentences: every mismatch and everything that could not be checked, first the one that decides. */
  reasons: string[];
}

export interface SignatureBadPage {
  /** Offset of the page in the slice, `0x…`. */
  offset: string;
  /** The segment whose file range holds the page (`__TEXT`), or null. */
  segment: string | null;
  /** The first section with bytes in the page (`__TEXT,__text`), or null (header and load commands, padding). */
  section: string | null;
}

export interface SignatureCms {
  /** Certificates from the signer up: each one's subject and issuer (RFC 4514 text) and its notAfter (ISO 8601). */
  chain: { subject: string; issuer: string; notAfter: string }[];
  /** The signed signingTime attribute (ISO 8601), or null. */
  signingTime: string | null;
  /** The genTime of an RFC 3161 timestamp token among the unsigned attributes (a secure timestamp), or null. */
  timestamp: string | null;
  /** Whether the CDHashes the CMS signs are those of the CodeDirectories; null when it signs none binlens can read. */
  cdHashesMatch: boolean | null;
}

/** Mach-O dyld fixups: what LC_DYLD_INFO opcodes or LC_DYLD_CHAINED_FIXUPS chains ask dyld to do. */
export interface MachOFixups {
  /** `LC_DYLD_INFO_ONLY`, `LC_DYLD_INFO` or `LC_DYLD_CHAINED_FIXUPS`. */
  source: string;
  rebases: number;
  binds: number;
  lazyBinds: number;
  weakBinds: number;
  /** arm64e signed pointers (chained fixups, threaded binds). */
  authRebases: number;
  authBinds: number;
  /** Chained fixups: entries in the imports table. */
  imports: number;
  /** DYLD_CHAINED_PTR_* names in use; empty for LC_DYLD_INFO. */
  pointerFormats: string[];
}

export interface Encryption {
  cryptid: number;
  offset: Hex;
  size: number;
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
  /** `unknown` when the structures that decide it lie past the end of the file. */
  linkage: 'static' | 'dynamic' | 'unknown';
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
  /**
   * Counts as `llvm-nm` prints them for this slice (`table` is `.symtab`, `LC_SYMTAB` or null when there is
   * none); ELF `dynamic` counts what `llvm-nm -D` prints, present when the file has a `.dynsym`.
   */
  symbols: { defined: number; undefined: number; table: string | null; dynamic?: { defined: number; undefined: number } };
  imports: Import[];
  exports: number;
  codeSignature: CodeSignature | null;
  encryption: Encryption | null;
  features: Features;
  functionStarts: number | null;
  /** Mach-O: rebase and bind counts (absent for files dyld does not fix up). */
  fixups?: MachOFixups;
  loadCommands?: LoadCommand[];
  notes?: Note[];
  /** ELF flags (FLAGS, FLAGS_1 names) or Mach-O header flags. */
  flags: string[];
  stripped: boolean;
  /** What the ARM64 engine observed in the code (src/arm64); absent for other architectures. */
  arm64?: Arm64Summary;
  /** Go build info and function table (src/parsers/go); absent for non-Go slices. */
  go?: GoInfo;
  /**
   * Fields of this slice whose values are unknown or partial because the bytes they come from lie past the end
   * of the file (`linkage`, `interpreter`, `libraries`, `features`, `symbols`, `codeSignature`…, by field name).
   * They hold what could be read; readers show them as unknown. Absent for a complete slice.
   */
  incomplete?: string[];
}

export interface MnemonicCounts {
  total: number;
  /** Lowercase mnemonic as LLVM spells it (`paciasp`, `retab`, `bti`) → count. */
  byMnemonic: Record<string, number>;
}

export interface Sigtramp {
  address: Hex;
  /** Function symbol containing it, when known. */
  symbol: string | null;
  /** `linux-rt-sigreturn`, `go-sigtramp`, `go-cgo-sigtramp`, `go-sigreturn`, `darwin-sigtramp`. */
  kind: string;
  /** Whether the path through it is PAC-signed. */
  pacSigned?: boolean;
  /** A few instructions of disassembly around it. */
  snippet?: string[];
}

/** One protection (PAC or BTI) asked three separate questions. */
export interface Arm64Protection {
  /** What the file declares: ELF's GNU property note, Mach-O's CPU subtype (arm64e); null when the format has no way to say. */
  declared: boolean | null;
  /** Where the declaration was read, or why there is none. */
  declaredBy: string;
  /** What the code does inside known functions (PAC: any PAC instruction; BTI: any BTI instruction); null when no function bounds are known. */
  does: boolean | null;
  /** The figures behind `does`, in words. */
  doesBy: string;
  /** Whether the system enforces it for this file when it runs; null when binlens does not know the platform's rules. */
  enforced: boolean | null;
  /** Why, and on what hardware. */
  enforcedBy: string;
}

export interface Arm64Summary {
  /** Instruction words scanned over a linear sweep of every executable section, as llvm-objdump -d walks them. */
  instructions: number;
  /** PAC and BTI instructions of that sweep (data words in code included, as llvm-objdump prints them). */
  pac: MnemonicCounts;
  bti: MnemonicCounts;
  sigtramps: Sigtramp[];
  /** Per-function verdicts in summary; the full table is paged from the worker. */
  functions?: {
    total: number;
    /** Functions that sign their return address. */
    signing: number;
    /** Non-leaf functions (ones that save the link register). */
    nonLeaf: number;
    /** Functions whose entry is a BTI landing pad. */
    btiEntry: number;
    /** Functions that sign the return address but return at least once without authenticating it. */
    unauthenticatedReturns: { address: Hex; name: string | null }[];
    /** Where the boundaries came from: `symtab`, `LC_SYMTAB`, `dynsym`, `eh_frame`, `eh_frame_hdr`, `LC_FUNCTION_STARTS`, `pclntab`. */
    sources: string[];
  };
  /** Declared against observed, in plain words. */
  notes?: string[];
  /**
   * The same counts inside the known functions only (data-in-code marked by `$d` left out): what the code does,
   * where the sweep also reads data words between functions. Absent when no function boundaries are known.
   */
  inFunctions?: { instructions: number; pac: MnemonicCounts; bti: MnemonicCounts };
  /** PAC and BTI: what the file declares, what its code does, what the system enforces. */
  protection?: { pac: Arm64Protection; bti: Arm64Protection };
}

export interface GoModule {
  path: string;
  version: string;
  sum: string;
  /** Replacement module, when `=>` appears in `go version -m`. */
  replace?: GoModule | null;
}

export interface GoInfo {
  /** `go1.19.8`; null when the slice is Go (it has a function table) but has no build info blob. */
  version: string | null;
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  /**
   * Build settings keyed exactly as `go version -m` prints them (`-ldflags`, `CGO_ENABLED`, `vcs.revision`).
   * Values are unquoted (as runtime/debug.BuildSetting holds them); `go version -m` quotes a value that
   * contains a space, tab, CR, LF, `"` or a backquote (src/parsers/go/modinfo.ts formatSetting).
   */
  settings: Record<string, string>;
  /** True when the symbol table is gone (`-ldflags=-s`). */
  stripped: boolean;
  /** Functions recovered from the function table (pclntab). */
  functions: number;
  /** pclntab layout: `1.2`, `1.16`, `1.18`, `1.20`. */
  pclntabVersion?: string | null;
  /** Where `version` came from: `buildinfo`, `runtime.buildVersion (symbol)`, `runtime.buildVersion (string header in data)`. */
  versionSource?: string | null;
  /** Build-info blob layout: `pointer` (Go 1.13–1.17), `inline` (Go 1.18+); null when there is no blob. */
  buildInfoLayout?: 'pointer' | 'inline' | null;
  /** Source files named by the function table. */
  files?: number;
  /** Plain facts for findings (src/parsers/go/facts.ts). */
  facts?: GoFacts;
  /** Problems met while reading the Go structures; the rest of this GoInfo still holds. */
  warnings?: string[];
}

export interface GoFacts {
  /** cgo linked in: the CGO_ENABLED setting, else runtime/cgo functions in the function table; null when neither says. */
  cgo: boolean | null;
  cgoSource: string | null;
  /** Built with -trimpath: the `-trimpath` setting, else whether the function table's source paths are relative. */
  trimpath: boolean | null;
  trimpathSource: string | null;
  /** Build-machine directories leaked through absolute source paths outside GOROOT (at most 10). */
  buildPaths: string[];
  /** The build machine's GOROOT, when absolute file names show it. */
  goroot: string | null;
  /** Release support of the Go version on the day of analysis. */
  support: { major: string | null; supported: boolean | null; current: string[]; reason: string };
  /** Architecture level setting (`GOARM64`, `GOAMD64`, `GOARM`, `GO386`, `GOPPC64`, `GORISCV64`, `GOMIPS`, `GOMIPS64`), or null when not recorded. */
  archLevel: { key: string; value: string } | null;
}
