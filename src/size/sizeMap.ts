// Where the bytes of a file go: file → slice → segment → section → symbol
// (or, for Go, package), with the bytes nothing names shown as such. Pure:
// it reads the parsed slices' tables, never the bytes. Section sizes are
// llvm-size -A's; symbol sizes llvm-nm -S's; Go functions are sized by the
// function table's own bounds (entry to the next entry), grouped by package
// the way go-size-analyzer attributes code. It reads the typed image
// (ParsedSlice.image: the loadable segments, the sections each holds); the
// report's rows only name the segments.

import type { ImageSection } from '../parsers/image.ts';
import type { GoFunction } from '../parsers/go/index.ts';
import type { ParsedSlice, SymbolRow } from '../parsers/types.ts';
import { GO_GENERATED, goPackage, isGoGenerated, NO_GO_PACKAGE } from './names.ts';

export type SizeKind =
  | 'file'
  | 'slice'
  | 'segment'
  | 'section'
  | 'symbol'
  | 'package'
  | 'function'
  | 'outside'
  | 'unattributed'
  // the groupings of groups.ts: Go modules, Rust crates, C++ namespaces, the names that say neither
  | 'module'
  | 'crate'
  | 'namespace'
  | 'names';

export interface SizeNode {
  name: string;
  kind: SizeKind;
  /** Bytes of the file this node covers (a zero-fill section covers none). */
  size: number;
  /** A section's size as llvm-size -A prints it (its memory size for zero-fill sections). */
  sectionSize?: number;
  /** A symbol's name as llvm-cxxfilt-19 prints it, when it is mangled and a demangler was given. */
  demangled?: string;
  /**
   * A symbol sized by the distance to the next symbol of its section (or the
   * section's end): Mach-O records no symbol sizes (llvm-nm -S prints zeros),
   * and bloaty and cargo-bloat size them this way.
   */
  derived?: true;
  children: SizeNode[];
}

function node(name: string, kind: SizeKind, size: number, children: SizeNode[] = []): SizeNode {
  return { name, kind, size, children };
}

/** The rest of `total` that `children` leave, as its own child (never negative: overlapping parts are not subtracted twice). */
function withRest(parent: SizeNode, label: string): SizeNode {
  const used = parent.children.reduce((n, c) => n + c.size, 0);
  if (parent.size > used) parent.children.push(node(label, 'unattributed', parent.size - used));
  parent.children.sort((a, b) => b.size - a.size);
  return parent;
}

/** Zero-fill sections take memory, not file bytes. */
function fileBytes(s: ImageSection): number {
  return s.nobits ? 0 : s.size;
}

/** Demangles one symbol name; null when it is not mangled (src/demangle's Demangler, bound to the file's format). */
export type SizeDemangler = (name: string) => string | null;

export interface SizeMapOptions {
  /** Symbol names demangled for display and grouping; without it, names stay as the file holds them. */
  demangle?: SizeDemangler | null;
  /** Go: module paths of the build info, for package paths whose last element has an unescaped dot (names.ts goPackage). */
  goModulePaths?: readonly string[];
}

function symbolNode(r: SymbolRow, size: number, demangle: SizeDemangler | null | undefined): SizeNode {
  const n = node(r.name, 'symbol', size);
  const d = demangle ? demangle(r.name) : null;
  if (d !== null) n.demangled = d;
  return n;
}

function symbolChildren(sec: ImageSection, rows: SymbolRow[], demangle?: SizeDemangler | null): SizeNode[] {
  const start = sec.addr;
  const end = start + BigInt(sec.size);
  const seen = new Set<string>();
  const out: SizeNode[] = [];
  const unsized: { at: bigint; row: SymbolRow }[] = [];
  for (const r of rows) {
    if (!r.defined || r.address === null || r.section !== sec.name) continue;
    if (r.type === 'section' || r.type === 'file') continue;
    const a = r.address;
    if (a < start || a >= end) continue;
    if (r.size === null) {
      unsized.push({ at: a, row: r });
      continue;
    }
    if (!r.size) continue;
    // Aliases (the same bytes under two names) count once.
    const key = `${r.address}:${r.size}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(symbolNode(r, r.size, demangle));
  }
  // Mach-O: each symbol runs to the next address a symbol of the section starts at.
  unsized.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  for (let i = 0; i < unsized.length; i++) {
    const { at, row } = unsized[i]!;
    if (i > 0 && unsized[i - 1]!.at === at) continue;
    let j = i + 1;
    while (j < unsized.length && unsized[j]!.at === at) j++;
    const next = j < unsized.length ? unsized[j]!.at : end;
    const n = symbolNode(row, Number(next - at), demangle);
    n.derived = true;
    if (n.size > 0) out.push(n);
  }
  return out;
}

/** A Go function's package node name (names.ts): functions that name none are grouped as such. */
function goPackageName(name: string, modules: readonly string[]): string {
  return goPackage(name, modules) || (isGoGenerated(name) ? GO_GENERATED : NO_GO_PACKAGE);
}

function goChildren(sec: ImageSection, fns: GoFunction[], modules: readonly string[]): SizeNode[] {
  const start = sec.addr;
  const end = start + BigInt(sec.size);
  const byPackage = new Map<string, SizeNode>();
  for (const f of fns) {
    if (f.entry < start || f.entry >= end) continue;
    const size = Number((f.end < end ? f.end : end) - f.entry);
    const pkg = goPackageName(f.name, modules);
    let p = byPackage.get(pkg);
    if (!p) byPackage.set(pkg, (p = node(pkg, 'package', 0)));
    p.size += size;
    p.children.push(node(f.name, 'function', size));
  }
  for (const p of byPackage.values()) p.children.sort((a, b) => b.size - a.size);
  return [...byPackage.values()];
}

/** One slice's bytes: its segments and their sections, what lies outside every segment, and the rest. */
export function sliceSizeMap(slice: ParsedSlice, goFunctions: GoFunction[] | null = null, opts: SizeMapOptions = {}): SizeNode {
  const r = slice.report;
  let rows: SymbolRow[];
  try {
    rows = slice.symbols();
    // A stripped ELF file: its .dynsym, as the symbol list and `llvm-nm -D` show it.
    if (rows.length === 0 && slice.dynamicSymbols) rows = slice.dynamicSymbols();
  } catch {
    rows = [];
  }
  const fns = goFunctions ?? [];
  // Each section looks only at the rows that name it (100,000 symbols × 40 sections otherwise).
  const bySection = new Map<string, SymbolRow[]>();
  for (const row of rows) {
    if (!row.defined || row.section === null) continue;
    let list = bySection.get(row.section);
    if (!list) bySection.set(row.section, (list = []));
    list.push(row);
  }
  const sectionNode = (s: ImageSection): SizeNode => {
    const n = node(s.name, 'section', fileBytes(s));
    n.sectionSize = s.size;
    if (n.size > 0) {
      let kids = fns.length > 0 ? goChildren(s, fns, opts.goModulePaths ?? []) : [];
      // A Go binary's data sections are sized by its symbols, when it has them.
      if (kids.length === 0) kids = symbolChildren(s, bySection.get(s.name) ?? [], opts.demangle);
      // Children measure memory; a section's own bytes bound them.
      const sum = kids.reduce((t, k) => t + k.size, 0);
      if (kids.length > 0 && sum <= n.size) {
        n.children = kids;
        withRest(n, 'unattributed (in no symbol)');
      }
    }
    return n;
  };
  const { loads, sections } = slice.image;
  const placed = new Set<ImageSection>();
  const segments: SizeNode[] = loads.map((load) => {
    const inside = load.sections.map((i) => sections[i]!).filter((s) => !placed.has(s));
    inside.forEach((s) => placed.add(s));
    // ELF segments have no names: their type, permissions and address tell them apart.
    const seg = r.segments[load.row]!;
    const n = node(
      slice.image.format === 'macho' ? seg.name : `${seg.type} ${seg.perms} ${seg.address}`,
      'segment',
      load.filesz,
      inside.map(sectionNode),
    );
    return withRest(n, 'unattributed (in no section)');
  });
  const outside = sections.filter((s) => !placed.has(s) && fileBytes(s) > 0);
  const parts = [...segments];
  if (outside.length > 0) {
    const o = node('sections outside any segment', 'outside', 0, outside.map(sectionNode));
    o.size = o.children.reduce((t, c) => t + c.size, 0);
    o.children.sort((a, b) => b.size - a.size);
    parts.push(o);
  }
  return withRest(node(r.arch, 'slice', r.size, parts), 'unattributed (in no segment or section)');
}

/** The whole file: each slice, and the bytes between them (a universal file's header and alignment). */
export function fileSizeMap(
  name: string,
  size: number,
  slices: { slice: ParsedSlice; go: GoFunction[] | null; demangle?: SizeDemangler | null }[],
): SizeNode {
  return withRest(
    node(
      name,
      'file',
      size,
      slices.map((s) => sliceSizeMap(s.slice, s.go, { demangle: s.demangle ?? null })),
    ),
    'unattributed (universal header and padding)',
  );
}

/** Every node with its path from the root, depth first: the table's rows. */
export function flatten(root: SizeNode): { path: string[]; node: SizeNode }[] {
  const out: { path: string[]; node: SizeNode }[] = [];
  const walk = (n: SizeNode, path: string[]) => {
    const p = [...path, n.name];
    out.push({ path: p, node: n });
    for (const c of n.children) walk(c, p);
  };
  walk(root, []);
  return out;
}
