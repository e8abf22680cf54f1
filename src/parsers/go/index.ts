// Go forensics for one slice, without a Go toolchain: build info (version,
// modules, build settings) and the functions of the function table, the same
// on ELF and Mach-O, thin or universal, stripped or not.
//
//   goForSlice(slice)      → GoInfo for the report, or undefined for non-Go slices
//   goInfo(image)          → the same over the neutral image view
//   goFunctions(image)     → every function: entry, end, name, source file (memoized)
//   goSymbolRows(fns)      → those functions as symbol rows (`recovered: true`)

import type { Image } from '../image.ts';
import { FormatError, Problems, hex } from '../reader.ts';
import type { ParsedSlice, SymbolRow } from '../types.ts';
import type { GoInfo, SliceReport } from '../../report/types.ts';
import { readBuildInfo, type RawBuildInfo } from './buildinfo.ts';
import { goFacts } from './facts.ts';
import { locatePclntab, type LocatedTable } from './locate.ts';
import type { FuncIndex } from './pclntab.ts';
import { GoMemory } from './memory.ts';
import { parseModInfo } from './modinfo.ts';
import { findBuildVersion } from './version.ts';

export { formatGoVersionM } from './modinfo.ts';

export interface GoFunction {
  entry: bigint;
  /** Entry of the next function (or the table's end PC for the last one). */
  end: bigint;
  name: string;
  /** Source file at the entry PC; absent for assembly stubs and linker-made functions. */
  file?: string;
}

interface GoState {
  raw: RawBuildInfo | null;
  table: LocatedTable | null;
  problems: Problems;
  functions?: GoFunction[];
  files?: string[];
  info?: GoInfo | null;
}

// Keyed by the slice's report, which outlives the Image views made of it.
const states = new WeakMap<SliceReport, GoState>();

/** Sections only Go's linker makes: their presence means a search for a table without a named section is worth it. */
const GO_MARKERS = [
  '.go.buildinfo',
  '__go_buildinfo',
  '.note.go.buildid',
  '.gosymtab',
  '__gosymtab',
  '.go.module',
  '__go_module',
  '.go.fipsinfo',
  '__go_fipsinfo',
];

function stateOf(image: Image): GoState {
  let st = states.get(image.report);
  if (st) return st;
  const problems = new Problems();
  const raw = problems.try(() => readBuildInfo(image, problems), null);
  const sections = image.sections;
  // With section headers, Go's linkers always name the table; search only
  // when they are gone or another Go marker says the name was lost.
  const search = sections.length === 0 || raw !== null || !!image.report.goBuildId || sections.some((s) => GO_MARKERS.includes(s.name));
  const table = problems.try(() => locatePclntab(image, problems, search), null);
  st = { raw, table, problems };
  states.set(image.report, st);
  return st;
}

/** Every function of the slice's Go function table, in address order; [] for non-Go slices. Memoized. */
export function goFunctions(image: Image): GoFunction[] {
  const st = stateOf(image);
  if (st.functions) return st.functions;
  const ix = st.table?.table.index();
  if (ix) {
    st.functions = materialize(ix);
    return st.functions;
  }
  const out: GoFunction[] = [];
  const t = st.table?.table;
  if (t) {
    let bad = 0;
    try {
      const entries = t.entries();
      for (let i = 0; i < t.count; i++) {
        try {
          const f: GoFunction = { entry: entries[i]!, end: entries[i + 1]!, name: t.name(i) };
          const file = t.file(i);
          if (file !== undefined) f.file = file;
          out.push(f);
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
          if (bad++ === 0) st.problems.error(e);
        }
      }
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      st.problems.error(e);
    }
    if (bad > 1) st.problems.warn(`${bad} functions of the Go function table could not be read`);
  }
  st.functions = out;
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');
const encoder = new TextEncoder();

/**
 * GoFunction objects from a FuncIndex: entries made BigInt once (a
 * function's end is the next one's entry), ASCII names cut from one decode
 * of the bytes that hold them, file names decoded once each.
 */
function materialize(ix: FuncIndex): GoFunction[] {
  const n = ix.nameAt.length;
  const entries = new Array<bigint>(n + 1);
  for (let i = 0; i <= n; i++) entries[i] = BigInt(ix.entries[i]!);
  const names = nameDecoder(ix);
  const files = new Map<number, string>();
  const out = new Array<GoFunction>(n);
  for (let i = 0; i < n; i++) {
    const f: GoFunction = { entry: entries[i]!, end: entries[i + 1]!, name: names(i) };
    const at = ix.fileAt[i]!;
    if (at >= 0) {
      let file = files.get(at);
      if (file === undefined) {
        const end = ix.bytes.indexOf(0, at);
        const limit = Math.min(ix.bytes.byteLength - at, 4096);
        file = utf8.decode(ix.bytes.subarray(at, end === -1 || end - at > limit ? at + limit : end));
        files.set(at, file);
      }
      f.file = file;
    }
    out[i] = f;
  }
  return out;
}

/** name(i) of a FuncIndex, decoded as Reader.cstring decodes it (UTF-8); ASCII names are slices of one Latin-1 decode. */
function nameDecoder(ix: FuncIndex): (i: number) => string {
  const n = ix.nameAt.length;
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    if (!ix.nameAscii[i]) continue;
    lo = Math.min(lo, ix.nameAt[i]!);
    hi = Math.max(hi, ix.nameAt[i]! + ix.nameLen[i]!);
  }
  const all = lo < hi ? latin1.decode(ix.bytes.subarray(lo, hi)) : '';
  return (i) => {
    const at = ix.nameAt[i]!;
    const len = ix.nameLen[i]!;
    return ix.nameAscii[i] ? all.slice(at - lo, at - lo + len) : utf8.decode(ix.bytes.subarray(at, at + len));
  };
}

/** Whether a FuncIndex name starts with `prefix` (ASCII), as the decoded string would: UTF-8 decoding drops one leading BOM. */
function nameStartsWith(ix: FuncIndex, i: number, prefix: Uint8Array): boolean {
  let at = ix.nameAt[i]!;
  let len = ix.nameLen[i]!;
  const b = ix.bytes;
  if (len >= 3 && b[at] === 0xef && b[at + 1] === 0xbb && b[at + 2] === 0xbf) {
    at += 3;
    len -= 3;
  }
  if (len < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (b[at + k] !== prefix[k]) return false;
  return true;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const CGO_PREFIXES = [ascii('runtime/cgo.'), ascii('_cgo_')];

/**
 * The slice's Go function table by index, for the ARM64 analysis: entries and
 * sizes as numbers, names decoded only when asked for. Null when the table
 * has no FuncIndex (goFunctionsForSlice then gives the functions).
 */
export interface GoFunctionIndex {
  count: number;
  /** Entry of each function. */
  address: Float64Array;
  /** Bytes to the next entry. */
  size: Float64Array;
  name(i: number): string;
  /** name(i) is not empty. */
  named(i: number): boolean;
  /** Functions whose name is one of `names`. */
  maybeNamed(names: ReadonlySet<string>): number[];
}

export function goFunctionIndex(slice: ParsedSlice): GoFunctionIndex | null {
  const ix = stateOf(slice.image).table?.table.index();
  if (!ix) return null;
  const n = ix.nameAt.length;
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) size[i] = ix.entries[i + 1]! - ix.entries[i]!;
  const name = nameDecoder(ix);
  const isBom = (i: number) =>
    ix.nameLen[i] === 3 && ix.bytes[ix.nameAt[i]!] === 0xef && ix.bytes[ix.nameAt[i]! + 1] === 0xbb && ix.bytes[ix.nameAt[i]! + 2] === 0xbf;
  return {
    count: n,
    address: ix.entries.subarray(0, n),
    size,
    name,
    named: (i) => ix.nameLen[i]! > 0 && !isBom(i),
    maybeNamed(names) {
      // Only names of a wanted length (or 3 more: a BOM) and first byte are decoded.
      const lengths = new Set<number>();
      const firsts = new Set<number>();
      for (const s of names) {
        const b = encoder.encode(s);
        lengths.add(b.length).add(b.length + 3);
        if (b.length > 0) firsts.add(b[0]!);
      }
      firsts.add(0xef);
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const len = ix.nameLen[i]!;
        if (!lengths.has(len) || (len > 0 && !firsts.has(ix.bytes[ix.nameAt[i]!]!))) continue;
        if (names.has(name(i))) out.push(i);
      }
      return out;
    },
  };
}

/** Every source file name of the function table; [] when there is none. */
export function goFiles(image: Image): string[] {
  const st = stateOf(image);
  if (!st.files) st.files = st.table ? st.problems.try(() => st.table!.table.files(), []) : [];
  return st.files;
}

/**
 * Go build info and function-table summary of one slice, or null when the
 * slice is not Go (no build info and no function table). `symbols` is asked
 * for only when the build info blob is missing, to find runtime.buildVersion.
 */
export function goInfo(image: Image, symbols?: () => SymbolRow[], today?: Date): GoInfo | null {
  const st = stateOf(image);
  if (st.info !== undefined) return st.info;
  const { raw, table } = st;
  if (!raw && !table) {
    st.info = null;
    return null;
  }
  let version = raw?.version ?? null;
  let versionSource: string | null = raw ? 'buildinfo' : null;
  if (!raw && table) {
    const mem = new GoMemory(image, table.header.ptrSize, table.header.littleEndian);
    const found = st.problems.try(() => findBuildVersion(image, mem, symbols?.()), null);
    if (found) {
      version = found.version;
      versionSource = found.source;
    }
  }
  const mod = parseModInfo(raw?.modinfo ?? '');
  for (const p of mod.problems) st.problems.warn(`Go module info: ${p}`);
  const settings: Record<string, string> = {};
  for (const s of mod.settings) settings[s.key] = s.value;
  // The report needs how many functions there are and whether cgo's are
  // among them: read from the FuncIndex without a string per function when
  // there is one.
  const ix = table?.table.index() ?? null;
  const functions = ix ? null : goFunctions(image);
  const files = goFiles(image);
  const info: GoInfo = {
    version,
    path: mod.path,
    main: mod.main,
    deps: mod.deps,
    settings,
    stripped: image.report.stripped,
    functions: ix ? ix.nameAt.length : functions!.length,
    pclntabVersion: table?.header.version ?? null,
    versionSource,
    buildInfoLayout: raw?.layout ?? null,
    files: files.length,
    facts: goFacts({
      version,
      settings,
      files,
      cgoFunctions: ix
        ? ix.nameAt.some((_, i) => CGO_PREFIXES.some((p) => nameStartsWith(ix, i, p)))
        : functions!.some((f) => f.name.startsWith('runtime/cgo.') || f.name.startsWith('_cgo_')),
      today,
    }),
  };
  const warnings = [...st.problems.errors.map((e) => `${e.message} (at ${hex(e.offset)}, ${e.field})`), ...st.problems.warnings];
  if (warnings.length) info.warnings = warnings;
  st.info = info;
  return info;
}

/** The function table as symbol rows for the symbol view (`recovered: true`), section named from the image's code sections. */
export function goSymbolRows(functions: GoFunction[], image?: Image): SymbolRow[] {
  const code = (image?.sections ?? [])
    .filter((s) => s.size > 0 && s.instructions)
    .map((s) => ({ name: s.name, start: s.addr, end: s.addr + BigInt(s.size) }));
  return functions.map((f) => ({
    name: f.name,
    address: f.entry,
    size: Number(f.end - f.entry),
    defined: true,
    type: 'func',
    bind: 'global',
    section: code.find((s) => f.entry >= s.start && f.entry < s.end)?.name ?? null,
    library: null,
    version: null,
    exported: false,
    recovered: true,
  }));
}

/** For the report pipeline: `slices[i].go`, or undefined when the slice is not Go. */
export function goForSlice(slice: ParsedSlice, today?: Date): GoInfo | undefined {
  return goInfo(slice.image, () => slice.symbols(), today) ?? undefined;
}

/** The functions of a parsed slice (for the ARM64 analysis and the worker's symbol view). */
export function goFunctionsForSlice(slice: ParsedSlice): GoFunction[] {
  return goFunctions(slice.image);
}
