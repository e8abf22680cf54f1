import type { Image } from './image.ts';
import type { Reader } from './reader.ts';
import type { Cut } from './truncation.ts';
import type { Format, ReportError, SliceReport } from '../report/types.ts';

// What the format parsers hand to the analyses above them (src/report holds the report itself).

/** One row of the symbol table, as the symbol view pages it. */
export interface SymbolRow {
  name: string;
  /** The name as the string table holds it, when the parser took a version off it (`printf@GLIBC_2.17` in an ELF .symtab); absent when it is `name`. */
  rawName?: string;
  /** Address (st_value, n_value, a Go function's entry); null for undefined symbols. */
  address: bigint | null;
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
  /** Not in the file's symbol table: recovered from another source (Go's function table). */
  recovered?: boolean;
}

/** What a format parser returns for one slice: its report, and lazily its big tables. */
export interface ParsedSlice {
  report: SliceReport;
  /** The slice's bytes (a window of the file; offsets in the report are relative to it). */
  reader: Reader;
  /** The slice as the loader maps it, in typed values: loadable segments, sections, dynamic relocations. */
  image: Image;
  /**
   * The symbols `llvm-nm` lists (no debugging entries), in symbol-table order.
   * Memoized by the parser. Empty for a stripped ELF file: llvm-nm does not
   * fall back to .dynsym.
   */
  symbols(): SymbolRow[];
  /** ELF `.dynsym` rows with their GNU versions (the symbol view's fallback for stripped files); absent for Mach-O. */
  dynamicSymbols?(): SymbolRow[];
  /** ELF: the version names the object defines (SHT_GNU_verdef, without the base entry naming the object); absent for Mach-O. */
  versionDefinitions?(): string[];
  /** Function entry addresses the format records apart from symbols (Mach-O LC_FUNCTION_STARTS); empty when none. */
  functionStarts(): bigint[];
  /** ELF: function ranges from the FDEs of `.eh_frame`, read on the first call and kept; absent for Mach-O. */
  unwindFunctions?(): UnwindFunctions;
  /**
   * ELF AArch64/ARM mapping symbols (`$x`, `$d`) in address order: where code
   * and data-in-code begin, so a linear sweep treats data as llvm-objdump does.
   * Empty when the file has none (stripped files, Mach-O).
   */
  mappingSymbols(): { address: bigint; kind: 'code' | 'data' }[];
}

/** Function ranges from call frame information (one FDE per function), as parallel arrays in record order. */
export interface UnwindFunctions {
  /** `eh_frame` (the section), `eh_frame_hdr` (found through PT_GNU_EH_FRAME without section headers), or null when there is none. */
  source: 'eh_frame' | 'eh_frame_hdr' | null;
  count: number;
  /** Address the starts are relative to (the records' own address). */
  base: bigint;
  /** FDE initial_location − `base`, exact as a number; NaN for one 2^53 bytes or more away. */
  start: number[];
  /** FDE address_range in bytes; NaN when it does not fit 2^53. */
  size: number[];
  /** Malformed records (skipped), with file offsets. */
  errors: ReportError[];
  warnings: string[];
}

export interface ParsedFile {
  format: Format;
  slices: ParsedSlice[];
  errors: ReportError[];
  warnings: string[];
  /** Structures past the end of the file (their `part`s are Report.truncated.missing); absent for a complete file. */
  missing?: Cut[];
}
