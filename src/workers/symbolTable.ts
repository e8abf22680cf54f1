// The symbol table as the page pages it: llvm-nm's rows, searchable by name,
// with the filters the symbol view offers. Two sources stand in when the file
// has no symbol table of its own: an ELF file's .dynsym (llvm-nm does not
// fall back to it, `llvm-nm -D` does) and Go's function table, whose
// recovered names are merged into the list when the symbol table is gone and
// sit behind the "recovered" filter when it is not.

import { goSymbolRows, type GoFunction } from '../parsers/go/index.ts';
import type { ParsedSlice, SymbolRow } from '../parsers/types.ts';
import { PagedTable } from '../report/tables.ts';

export const SYMBOL_FILTERS = ['all', 'defined', 'undefined', 'imports', 'exports', 'functions', 'recovered'] as const;
export type SymbolFilter = (typeof SYMBOL_FILTERS)[number];

/** Where the rows of a slice's symbol view come from. */
export interface SymbolSource {
  /** `symtab`: the file's symbol table (LC_SYMTAB, .symtab); `dynsym`: ELF .dynsym, because .symtab is gone; `none`. */
  table: 'symtab' | 'dynsym' | 'none';
  /** Rows from that table. */
  rows: number;
  /** Function names recovered from Go's function table. */
  recovered: number;
  /** True when the recovered names are part of the list (no function symbols of its own); else behind the filter. */
  merged: boolean;
  /** Names shown demangled (C++, Rust). */
  demangled?: number;
  /** Swift names, shown as the file holds them: no maintained Swift demangler runs in a browser. */
  swift?: number;
}

/** A row of the symbol view: the file's row, with its name demangled when it is mangled (src/demangle). */
export interface ShownSymbol extends SymbolRow {
  /** The name as llvm-cxxfilt-19 prints it; absent when the name is not mangled, or is Swift or D (shown raw). */
  demangled?: string;
}

/** Demangles one name; null when it is not mangled. */
export type NameDemangler = (name: string) => string | null;

export interface SymbolView {
  source: SymbolSource;
  table: PagedTable<ShownSymbol, SymbolFilter>;
}

function safeRows(get: (() => SymbolRow[]) | undefined): SymbolRow[] {
  if (!get) return [];
  try {
    return get();
  } catch {
    // The parsers record their own problems; the view just has no rows.
    return [];
  }
}

/**
 * The rows of the symbol view and where they came from. Cheap to call: the
 * parsers memoize their tables and the Go function table is passed in.
 */
export function symbolRows(slice: ParsedSlice, goFunctions: GoFunction[] | null): { rows: SymbolRow[]; source: SymbolSource } {
  let base = safeRows(() => slice.symbols());
  let table: SymbolSource['table'] = base.length > 0 ? 'symtab' : 'none';
  if (base.length === 0) {
    const dyn = safeRows(slice.dynamicSymbols?.bind(slice));
    if (dyn.length > 0) {
      base = dyn;
      table = 'dynsym';
    }
  }
  // Arm (32-bit): bit 0 of a function symbol's value marks Thumb code, not an
  // address (ELF for the Arm Architecture, 5.5.3); llvm-nm prints it cleared.
  if (slice.report.arch === 'arm') base = base.map(thumbAddress);
  const recovered = goFunctions && goFunctions.length > 0 ? goSymbolRows(goFunctions, slice.image) : [];
  // "Stripped" as the user means it: no names for the code. A .dynsym or a
  // Mach-O symbol table left with imports only names no function of the file.
  const ownFunctions = table === 'symtab' && base.some((r) => r.defined && r.type === 'func');
  const merged = recovered.length > 0 && !ownFunctions;
  return {
    rows: recovered.length > 0 ? [...base, ...recovered] : base,
    source: { table, rows: base.length, recovered: recovered.length, merged },
  };
}

function thumbAddress(r: SymbolRow): SymbolRow {
  if (!r.defined || r.type !== 'func' || r.address === null) return r;
  return r.address & 1n ? { ...r, address: r.address & ~1n } : r;
}

export function symbolView(
  slice: ParsedSlice,
  goFunctions: GoFunction[] | null = null,
  demangle: NameDemangler | null = null,
  isSwift: ((name: string) => boolean) | null = null,
): SymbolView {
  const { rows: fileRows, source } = symbolRows(slice, goFunctions);
  const rows: ShownSymbol[] = demangle ? fileRows.map((r) => withDemangled(r, demangle)) : fileRows;
  if (demangle) source.demangled = rows.reduce((n, r) => n + (r.demangled === undefined ? 0 : 1), 0);
  if (isSwift) source.swift = fileRows.reduce((n, r) => n + (isSwift(r.name) ? 1 : 0), 0);
  // An import is an undefined symbol the loader binds from a library: the
  // report's import list is the authority (dyld bind info / chained fixups,
  // ELF .dynsym), so an object file's unresolved references are not counted.
  let importNames: Set<string> | null = null;
  const isImport = (r: SymbolRow): boolean => {
    importNames ??= new Set(slice.report.imports.map((i) => i.name));
    return !r.defined && (importNames.has(r.name) || r.library !== null);
  };
  // Recovered rows are listed only when merged, or when asked for by name.
  const shown = source.merged ? () => true : (r: SymbolRow) => r.recovered !== true;
  const table = new PagedTable<ShownSymbol, SymbolFilter>(() => rows, {
    // Searchable by either name; the newline keeps a query from matching across the two.
    text: (r) => (r.demangled === undefined ? r.name : `${r.name}\n${r.demangled}`),
    counted: shown,
    filters: {
      all: shown,
      defined: (r) => shown(r) && r.defined,
      undefined: (r) => shown(r) && !r.defined,
      imports: (r) => shown(r) && isImport(r),
      exports: (r) => shown(r) && r.exported,
      functions: (r) => shown(r) && r.defined && r.type === 'func',
      recovered: (r) => r.recovered === true,
    },
  });
  return { source, table };
}

function withDemangled(r: SymbolRow, demangle: NameDemangler): ShownSymbol {
  const d = demangle(r.name);
  return d === null ? r : { ...r, demangled: d };
}
