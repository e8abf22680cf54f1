// The symbol table as the page pages it: llvm-nm's rows, searchable by name,
// with the filters the symbol view offers.

import type { ParsedSlice, SymbolRow } from '../parsers/types.ts';
import { PagedTable } from './tables.ts';

export const SYMBOL_FILTERS = ['all', 'defined', 'undefined', 'imports', 'exports', 'functions'] as const;
export type SymbolFilter = (typeof SYMBOL_FILTERS)[number];

export function symbolTable(slice: ParsedSlice): PagedTable<SymbolRow, SymbolFilter> {
  // An import is an undefined symbol the loader binds from a library: the
  // report's import list is the authority (dyld bind info / chained fixups,
  // ELF .dynsym), so an object file's unresolved references are not counted.
  let importNames: Set<string> | null = null;
  const isImport = (r: SymbolRow): boolean => {
    importNames ??= new Set(slice.report.imports.map((i) => i.name));
    return !r.defined && (importNames.has(r.name) || r.library !== null);
  };
  return new PagedTable<SymbolRow, SymbolFilter>(() => slice.symbols(), {
    text: (r) => r.name,
    filters: {
      all: () => true,
      defined: (r) => r.defined,
      undefined: (r) => !r.defined,
      imports: isImport,
      exports: (r) => r.exported,
      functions: (r) => r.defined && r.type === 'func',
    },
  });
}
