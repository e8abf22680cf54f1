// <mach-o/nlist.h>: the LC_SYMTAB symbol table, read and classified the way
// llvm-nm lists it (MachOObjectFile::getSymbolFlags): N_STAB debugging entries
// are left out; a symbol is undefined when it is external, N_UNDF and has
// n_value 0 (N_UNDF with a value is a common symbol, which llvm-nm counts as
// defined).

import { FormatError, StringBudget, type Problems, type Reader, hex } from '../reader.ts';
import type { SymbolRow } from '../types.ts';
import { type MachImage } from './loader.ts';
import {
  MH_TWOLEVEL,
  S_ATTR_PURE_INSTRUCTIONS,
  S_ATTR_SOME_INSTRUCTIONS,
  S_THREAD_LOCAL_REGULAR,
  S_THREAD_LOCAL_VARIABLES,
  S_THREAD_LOCAL_ZEROFILL,
} from './constants.ts';

export const N_STAB = 0xe0;
export const N_PEXT = 0x10;
export const N_TYPE = 0x0e;
export const N_EXT = 0x01;
export const N_UNDF = 0x0;
export const N_ABS = 0x2;
export const N_SECT = 0xe;
export const N_PBUD = 0xc;
export const N_INDR = 0xa;
export const N_WEAK_REF = 0x40;
export const N_WEAK_DEF = 0x80;

export const SELF_LIBRARY_ORDINAL = 0x0;
export const MAX_LIBRARY_ORDINAL = 0xfd;
export const DYNAMIC_LOOKUP_ORDINAL = 0xfe;
export const EXECUTABLE_ORDINAL = 0xff;

export interface Nlist {
  n_strx: number;
  n_type: number;
  n_sect: number;
  n_desc: number;
  n_value: bigint;
}

export interface SymbolTable {
  /** Entries that fit in the file (nsyms may claim more). */
  entries: Nlist[];
  /** String table window; null when it lies outside the file. */
  strings: Reader | null;
  defined: number;
  undefined: number;
  stabs: number;
  /** Defined symbols that are not external: what `strip` removes. */
  localDefined: number;
  /** What reading names from `strings` may cost (made on first use). */
  budget?: StringBudget;
}

export function isUndefined(n: Nlist): boolean {
  return (n.n_type & N_EXT) !== 0 && (n.n_type & N_TYPE) === N_UNDF && n.n_value === 0n;
}

/** GET_LIBRARY_ORDINAL(n_desc). */
export function libraryOrdinal(n_desc: number): number {
  return (n_desc >> 8) & 0xff;
}

// eslint-disable-next-line max-lines-per-function -- the nlist table read and checked entry by entry with LLVM's checks
export function readSymbolTable(r: Reader, img: MachImage, problems: Problems): SymbolTable | null {
  const st = img.symtab;
  if (!st) return null;
  const is64 = img.header.is64;
  const size = is64 ? 16 : 12;
  let nsyms = st.nsyms;
  if (!r.has(st.symoff, nsyms * size)) {
    const fit = Math.max(0, Math.floor(r.remaining(st.symoff) / size));
    problems.error(
      new FormatError(
        `LC_SYMTAB: ${nsyms} symbols at ${hex(st.symoff)} run past the end of the file; reading the ${fit} that fit`,
        r.base + st.symoff,
        'LC_SYMTAB.nsyms',
        nsyms,
      ),
    );
    nsyms = fit;
  }
  let strings: Reader | null = null;
  if (r.has(st.stroff, st.strsize)) strings = r.sub(st.stroff, st.strsize);
  else {
    problems.error(
      new FormatError(
        `LC_SYMTAB: string table at ${hex(st.stroff)} (+${hex(st.strsize)}) runs past the end of the file`,
        r.base + st.stroff,
        'LC_SYMTAB.strsize',
        st.strsize,
      ),
    );
    const left = r.remaining(st.stroff);
    if (left > 0) strings = r.sub(st.stroff, Math.min(left, st.strsize));
  }
  const entries: Nlist[] = new Array(nsyms);
  let defined = 0;
  let undefinedCount = 0;
  let stabs = 0;
  let localDefined = 0;
  let badStrx = 0;
  let badSect = 0;
  const nsects = img.sections.length;
  const strsize = strings ? strings.length : 0;
  for (let i = 0; i < nsyms; i++) {
    const at = st.symoff + i * size;
    const n: Nlist = {
      n_strx: r.u32(at, 'nlist.n_strx'),
      n_type: r.u8(at + 4, 'nlist.n_type'),
      n_sect: r.u8(at + 5, 'nlist.n_sect'),
      n_desc: r.u16(at + 6, 'nlist.n_desc'),
      n_value: is64 ? r.u64(at + 8, 'nlist.n_value') : BigInt(r.u32(at + 8, 'nlist.n_value')),
    };
    entries[i] = n;
    if (n.n_strx >= strsize && n.n_strx !== 0) badStrx++;
    // N_SECT symbols number their section from 1 in file order (NO_SECT is 0).
    if ((n.n_type & N_STAB) === 0 && (n.n_type & N_TYPE) === N_SECT && n.n_sect > nsects) badSect++;
    if (n.n_type & N_STAB) stabs++;
    else if (isUndefined(n)) undefinedCount++;
    else {
      defined++;
      if (!(n.n_type & N_EXT)) localDefined++;
    }
  }
  if (badStrx) {
    problems.error(
      new FormatError(
        `LC_SYMTAB: ${badStrx} symbols have an n_strx past the string table (${strsize} bytes)`,
        r.base + st.symoff,
        'nlist.n_strx',
        badStrx,
      ),
    );
  }
  if (badSect) {
    problems.error(
      new FormatError(
        `LC_SYMTAB: ${badSect} symbols name a section (n_sect) past the ${nsects} sections of the file`,
        r.base + st.symoff,
        'nlist.n_sect',
        badSect,
      ),
    );
  }
  return { entries, strings, defined, undefined: undefinedCount, stabs, localDefined };
}

export function symbolName(t: SymbolTable, n: Nlist): string | null {
  if (!t.strings || n.n_strx >= t.strings.length) return null;
  return (t.budget ??= new StringBudget(t.strings.length)).cstring(t.strings, n.n_strx, t.strings.length - n.n_strx, 'nlist.n_strx').value;
}

/**
 * Rows as llvm-nm lists them (N_STAB left out), in table order.
 * `exported` holds the names the export trie lists.
 */
export function symbolRows(t: SymbolTable, img: MachImage, exported: Set<string>): SymbolRow[] {
  const twoLevel = (img.header.flags & MH_TWOLEVEL) !== 0;
  const rows: SymbolRow[] = [];
  for (const n of t.entries) {
    if (n.n_type & N_STAB) continue;
    let name = symbolName(t, n);
    // Recorded as an error when the table was read; the row stays visible.
    if (name === null) name = n.n_strx === 0 ? '' : `<bad string index ${n.n_strx}>`;
    const kind = n.n_type & N_TYPE;
    const undef = isUndefined(n);
    let type = 'other';
    let section: string | null = null;
    if (kind === N_SECT) {
      const s = img.sections[n.n_sect - 1];
      if (s) {
        section = s.sectname;
        if (s.type === S_THREAD_LOCAL_REGULAR || s.type === S_THREAD_LOCAL_ZEROFILL || s.type === S_THREAD_LOCAL_VARIABLES) type = 'tls';
        else if (s.flags & (S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS)) type = 'func';
        else type = 'object';
      }
    } else if (kind === N_INDR) type = 'indirect';
    else if (kind === N_UNDF && n.n_value !== 0n && n.n_type & N_EXT) type = 'common';
    let library: string | null = null;
    if (undef && twoLevel) {
      const ord = libraryOrdinal(n.n_desc);
      if (ord >= 1 && ord <= MAX_LIBRARY_ORDINAL) library = img.dylibs[ord - 1]?.name ?? null;
    }
    rows.push({
      name,
      address: undef ? null : n.n_value,
      size: null,
      defined: !undef,
      type,
      bind: n.n_desc & (N_WEAK_DEF | N_WEAK_REF) ? 'weak' : n.n_type & N_EXT ? 'global' : 'local',
      section,
      library,
      version: null,
      exported: !undef && exported.has(name),
    });
  }
  return rows;
}
