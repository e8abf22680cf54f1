// Where the bytes of a file go: file → slice → segment → section → symbol
// (or, for Go, package), with the bytes nothing names shown as such. Pure:
// it reads the parsed slices' tables, never the bytes. Section sizes are
// llvm-size -A's; symbol sizes llvm-nm -S's; Go functions are sized by the
// function table's own bounds (entry to the next entry), grouped by package
// the way go-size-analyzer attributes code.

import type { GoFunction } from '../parsers/go/index.ts';
import type { ParsedSlice, Section, SymbolRow } from '../parsers/types.ts';

export type SizeKind = 'file' | 'slice' | 'segment' | 'section' | 'symbol' | 'package' | 'function' | 'outside' | 'unattributed';

export interface SizeNode {
  name: string;
  kind: SizeKind;
  /** Bytes of the file this node covers (a zero-fill section covers none). */
  size: number;
  /** A section's size as llvm-size -A prints it (its memory size for zero-fill sections). */
  sectionSize?: number;
  children: SizeNode[];
}

const UNATTRIBUTED = 'unattributed';

function node(name: string, kind: SizeKind, size: number, children: SizeNode[] = []): SizeNode {
  return { name, kind, size, children };
}

/** The rest of `total` that `children` leave, as its own child (never negative: overlapping parts are not subtracted twice). */
function withRest(parent: SizeNode, label = UNATTRIBUTED): SizeNode {
  const used = parent.children.reduce((n, c) => n + c.size, 0);
  if (parent.size > used) parent.children.push(node(label, 'unattributed', parent.size - used));
  parent.children.sort((a, b) => b.size - a.size);
  return parent;
}

/** Zero-fill sections take memory, not file bytes. */
function fileBytes(s: Section): number {
  return s.type === 'NOBITS' || /ZEROFILL/.test(s.type) ? 0 : s.size;
}

/** The Go package of a function name: the import path, then the name up to its first dot (`(*T).M` and closures stay with it). */
export function goPackage(name: string): string {
  const slash = name.lastIndexOf('/', name.indexOf('(') >= 0 ? name.indexOf('(') : name.length);
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

function symbolChildren(sec: Section, rows: SymbolRow[]): SizeNode[] {
  const start = BigInt(sec.address);
  const end = start + BigInt(sec.size);
  const seen = new Set<string>();
  const out: SizeNode[] = [];
  for (const r of rows) {
    if (!r.defined || r.address === null || !r.size || r.section !== sec.name) continue;
    if (r.type === 'section' || r.type === 'file') continue;
    const a = BigInt(r.address);
    if (a < start || a >= end) continue;
    // Aliases (the same bytes under two names) count once.
    const key = `${r.address}:${r.size}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(node(r.name, 'symbol', r.size));
  }
  return out;
}

function goChildren(sec: Section, fns: GoFunction[]): SizeNode[] {
  const start = BigInt(sec.address);
  const end = start + BigInt(sec.size);
  const byPackage = new Map<string, SizeNode>();
  for (const f of fns) {
    if (f.entry < start || f.entry >= end) continue;
    const size = Number((f.end < end ? f.end : end) - f.entry);
    const pkg = goPackage(f.name);
    let p = byPackage.get(pkg);
    if (!p) byPackage.set(pkg, (p = node(pkg, 'package', 0)));
    p.size += size;
    p.children.push(node(f.name, 'function', size));
  }
  for (const p of byPackage.values()) p.children.sort((a, b) => b.size - a.size);
  return [...byPackage.values()];
}

/** One slice's bytes: its segments and their sections, what lies outside every segment, and the rest. */
export function sliceSizeMap(slice: ParsedSlice, goFunctions: GoFunction[] | null = null): SizeNode {
  const r = slice.report;
  let rows: SymbolRow[] = [];
  try {
    rows = slice.symbols();
  } catch {
    rows = [];
  }
  const fns = goFunctions ?? [];
  const sectionNode = (s: Section): SizeNode => {
    const n = node(s.name, 'section', fileBytes(s));
    n.sectionSize = s.size;
    if (n.size > 0) {
      const kids = fns.length > 0 ? goChildren(s, fns) : symbolChildren(s, rows);
      // Children measure memory; a section's own bytes bound them.
      const sum = kids.reduce((t, k) => t + k.size, 0);
      if (kids.length > 0 && sum <= n.size) {
        n.children = kids;
        withRest(n, 'not in any symbol');
      }
    }
    return n;
  };
  const macho = r.segments.some((s) => s.type.startsWith('LC_SEGMENT'));
  const loads = r.segments.filter((s) => (macho ? true : s.type === 'LOAD'));
  const placed = new Set<Section>();
  const segments: SizeNode[] = loads.map((seg) => {
    const inside = r.sections.filter((s) => (macho ? s.segment === seg.name : (seg.sections ?? []).includes(s.name)) && !placed.has(s));
    inside.forEach((s) => placed.add(s));
    const n = node(seg.name || seg.type, 'segment', seg.fileSize, inside.map(sectionNode));
    return withRest(n, 'not in any section');
  });
  const outside = r.sections.filter((s) => !placed.has(s) && fileBytes(s) > 0);
  const parts = [...segments];
  if (outside.length > 0) {
    const o = node('outside any segment', 'outside', 0, outside.map(sectionNode));
    o.size = o.children.reduce((t, c) => t + c.size, 0);
    o.children.sort((a, b) => b.size - a.size);
    parts.push(o);
  }
  return withRest(node(r.arch, 'slice', r.size, parts));
}

/** The whole file: each slice, and the bytes between them (a universal file's header and alignment). */
export function fileSizeMap(name: string, size: number, slices: { slice: ParsedSlice; go: GoFunction[] | null }[]): SizeNode {
  return withRest(
    node(
      name,
      'file',
      size,
      slices.map((s) => sliceSizeMap(s.slice, s.go)),
    ),
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
