// A slice's bytes by where the code comes from rather than where it sits:
// Go by module and package (from the function table, as go-size-analyzer
// attributes code), Rust by crate and C++ by namespace (from demangled
// names), each symbol once, and every byte no symbol names in one
// "unattributed" group, by the section (or header, or gap) it lies in. Built
// from a slice's size map (sizeMap.ts), so the groups add up to the slice.
//
// sliceSizes() is the small, flat form another view or a diff of two builds
// compares: sizes per section, per group and per symbol.

import type { NameFormat } from '../demangle/names.ts';
import { goForSlice, type GoFunction } from '../parsers/go/index.ts';
import type { ParsedSlice } from '../parsers/types.ts';
import { goModule, goPackage, isGoGenerated, nameGroup, NO_GO_PACKAGE, GO_GENERATED, type GoModuleKind, type GoModules } from './names.ts';
import { sliceSizeMap, type SizeDemangler, type SizeNode } from './sizeMap.ts';

/** `module` and `package`: Go; `crate`: Rust; `namespace`: C++; `names`: not mangled, Swift, or not demangled; `unattributed`: no symbol. */
export type GroupKind = 'module' | 'package' | 'crate' | 'namespace' | 'names' | 'unattributed';

export const UNATTRIBUTED_GROUP = 'unattributed (no symbol)';

export interface GroupNode extends SizeNode {
  /** Go modules: main, std, dependency, generated or unknown. */
  moduleKind?: GoModuleKind;
}

export interface GroupOptions {
  /** The slice's names demangled (src/demangle); without it C++ and Rust names fall in the "not demangled" group. */
  demangle?: SizeDemangler | null;
  /** `elf` or `macho`: how a name is read as mangled (a Mach-O name has the C underscore in front). */
  format: NameFormat;
  /** Go: module paths from the build info; read from the slice when absent. */
  goModules?: GoModules;
}

interface Leaf {
  node: SizeNode;
  /** The section (or segment, for bytes in no section) it lies in. */
  where: string;
}

/** Symbols and functions, and the nodes no symbol names (sections without symbols, the rest of a node), each once. */
function leaves(root: SizeNode): { named: Leaf[]; rest: Leaf[] } {
  const named: Leaf[] = [];
  const rest: Leaf[] = [];
  const walk = (n: SizeNode, parent: SizeNode | null) => {
    if (n.kind === 'symbol' || n.kind === 'function') {
      named.push({ node: n, where: parent?.name ?? '' });
      return;
    }
    if (n.children.length === 0) {
      if (n.size > 0) rest.push({ node: n, where: placeOf(n, parent) });
      return;
    }
    for (const c of n.children) walk(c, n);
  };
  walk(root, null);
  return { named, rest };
}

/** Where bytes no symbol names lie: a section, a segment's bytes between sections, or the bytes outside every segment. */
function placeOf(n: SizeNode, parent: SizeNode | null): string {
  if (n.kind !== 'unattributed' || !parent) return n.name;
  if (parent.kind === 'section' || parent.kind === 'package') return parent.name;
  if (parent.kind === 'segment') return `${parent.name}: in no section`;
  return 'in no segment or section';
}

function group(name: string, kind: GroupKind): GroupNode {
  return { name, kind, size: 0, children: [] };
}

function sortTree(n: SizeNode): void {
  n.children.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  n.children.forEach(sortTree);
}

/** The unattributed group: the bytes no symbol names, by where they lie, each place once. */
function unattributed(rest: Leaf[]): GroupNode {
  const g = group(UNATTRIBUTED_GROUP, 'unattributed');
  const by = new Map<string, SizeNode>();
  for (const { node, where } of rest) {
    let n = by.get(where);
    if (!n) {
      n = { name: where, kind: 'unattributed', size: 0, children: [] };
      by.set(where, n);
      g.children.push(n);
    }
    n.size += node.size;
    g.size += node.size;
  }
  return g;
}

/** Module paths that can hold a dot goPackage would cut at. */
function modulePaths(mods: GoModules): string[] {
  return [mods.main, ...mods.deps].filter((m): m is string => !!m && m.includes('.'));
}

/** Go module paths of a slice's build info. */
export function goModulesOf(slice: ParsedSlice): GoModules {
  const info = slice.report.go ?? goForSlice(slice);
  return { main: info?.main?.path ?? null, deps: (info?.deps ?? []).map((d) => d.path), path: info?.path ?? null };
}

/**
 * A slice's size map (sliceSizeMap's tree) regrouped: module → package →
 * function for Go, crate or namespace → symbol otherwise, then the
 * unattributed bytes. The root is the slice, with the same size; its parts
 * add up to it.
 */
export function groupSizeMap(sliceMap: SizeNode, opts: GroupOptions & { go: boolean }): GroupNode {
  const { named, rest } = leaves(sliceMap);
  const root: GroupNode = { name: sliceMap.name, kind: sliceMap.kind, size: sliceMap.size, children: [] };
  const top = new Map<string, GroupNode>();
  const topGroup = (name: string, kind: GroupKind): GroupNode => {
    const key = `${kind}\n${name}`;
    let g = top.get(key);
    if (!g) {
      g = group(name, kind);
      top.set(key, g);
      root.children.push(g);
    }
    return g;
  };
  if (opts.go) {
    const mods = opts.goModules ?? { main: null, deps: [] };
    const paths = modulePaths(mods);
    const packages = new Map<string, GroupNode>();
    for (const { node } of named) {
      const pkg = goPackage(node.name, paths);
      const mod = goModule(pkg, mods, pkg === '' && isGoGenerated(node.name));
      const m = topGroup(mod.name, 'module');
      m.moduleKind = mod.kind;
      const pkgName = pkg === '' ? (mod.kind === 'generated' ? GO_GENERATED : NO_GO_PACKAGE) : pkg;
      let p = packages.get(pkgName);
      if (!p) {
        p = group(pkgName, 'package');
        packages.set(pkgName, p);
        m.children.push(p);
      }
      p.children.push(node);
      p.size += node.size;
      m.size += node.size;
    }
  } else {
    for (const { node } of named) {
      const g = nameGroup(node.name, node.demangled ?? (opts.demangle ? opts.demangle(node.name) : null), opts.format);
      const t = topGroup(g.name, g.kind);
      t.children.push(node);
      t.size += node.size;
    }
  }
  const u = unattributed(rest);
  if (u.size > 0) root.children.push(u);
  sortTree(root);
  return root;
}

/** One section of a slice: bytes in the file, and its size as llvm-size -A prints it. */
export interface SectionSize {
  name: string;
  /** Mach-O segment; "" for ELF. */
  segment: string;
  /** Bytes of the file (0 for zero-fill). */
  size: number;
  /** llvm-size -A's figure (memory size for zero-fill). */
  sectionSize: number;
}

export interface GroupSize {
  name: string;
  kind: GroupKind;
  /** Go: the package's module. */
  module?: string;
  size: number;
  /** Symbols or functions in it. */
  symbols: number;
}

export interface SymbolSize {
  /** The name as shown: demangled when it is mangled and a demangler was given, else as the file holds it. */
  name: string;
  /** As the file holds it. */
  raw: string;
  /** `function`: from Go's function table; `symbol`: from the symbol table. */
  kind: 'symbol' | 'function';
  size: number;
  /** Its group's name (a Go package, a crate, a namespace). */
  group: string;
  /** The section it lies in. */
  section: string;
  /** Sized by the next symbol's address (Mach-O). */
  derived?: true;
}

/** A slice's sizes as flat lists, biggest first: what a diff of two builds compares. */
export interface SliceSizes {
  arch: string;
  /** Bytes of the file the slice covers. */
  size: number;
  /** How its symbols are grouped: `go` (module, package), `names` (crate or namespace, by each name). */
  grouping: 'go' | 'names';
  sections: SectionSize[];
  /** Packages (Go), crates, namespaces and name groups, with the unattributed bytes as a group of kind `unattributed`. */
  groups: GroupSize[];
  symbols: SymbolSize[];
  /** Bytes in no section, by where they lie (a segment's bytes between its sections, the bytes in no segment): with `sections`, the slice. */
  outside: { name: string; size: number }[];
  /** Bytes no symbol names, by the section (or gap) they lie in: with `symbols`, the slice. */
  unattributed: { name: string; size: number }[];
}

export interface SliceSizeInput {
  slice: ParsedSlice;
  /** The Go function table, when the slice is Go. */
  goFunctions: GoFunction[] | null;
  format: NameFormat;
  demangle?: SizeDemangler | null;
  /** Leave the section tree's names as the file holds them (the viewer demangles what it shows); the grouping still reads them demangled. */
  namesLater?: boolean;
}

/** The size map of one slice and its grouping, built once for both views. */
export function sliceSizeTrees(input: SliceSizeInput): { map: SizeNode; groups: GroupNode } {
  const t = lazySizeTrees(input);
  return { map: t.map, groups: t.groups() };
}

/** The section tree now, the grouping on first call (the page may never ask for it). */
export function lazySizeTrees(input: SliceSizeInput): { map: SizeNode; groups: () => GroupNode } {
  const go = !!input.goFunctions && input.goFunctions.length > 0;
  const goModules = go ? goModulesOf(input.slice) : undefined;
  const demangle = input.demangle ?? null;
  const map = sliceSizeMap(input.slice, input.goFunctions, {
    demangle: input.namesLater ? null : demangle,
    goModulePaths: goModules && modulePaths(goModules),
  });
  let groups: GroupNode | null = null;
  return { map, groups: () => (groups ??= groupSizeMap(map, { go, format: input.format, demangle, goModules })) };
}

/** Sizes per section, per group and per symbol of one slice. */
export function sliceSizes(input: SliceSizeInput): SliceSizes {
  const { map, groups } = sliceSizeTrees(input);
  return sizesOf(input.slice, map, groups);
}

/** The flat lists of a slice's two trees. */
export function sizesOf(slice: ParsedSlice, map: SizeNode, groups: GroupNode): SliceSizes {
  const sections: SectionSize[] = [];
  const symbols: SymbolSize[] = [];
  const macho = slice.image.format === 'macho';
  const outside: { name: string; size: number }[] = [];
  const walk = (n: SizeNode, segment: string, section: string, parent: SizeNode | null) => {
    if (n.kind === 'section')
      sections.push({ name: n.name, segment: macho ? segment : '', size: n.size, sectionSize: n.sectionSize ?? n.size });
    else if (n.kind === 'unattributed' && parent && parent.kind !== 'section' && n.size > 0)
      outside.push({ name: placeOf(n, parent), size: n.size });
    const seg = n.kind === 'segment' ? n.name : segment;
    const sec = n.kind === 'section' ? n.name : section;
    for (const c of n.children) walk(c, seg, sec, n);
  };
  walk(map, '', '', null);
  const sectionOf = new Map<SizeNode, string>();
  const place = (n: SizeNode, section: string) => {
    if (n.kind === 'symbol' || n.kind === 'function') sectionOf.set(n, section);
    for (const c of n.children) place(c, n.kind === 'section' ? n.name : section);
  };
  place(map, '');
  const groupList: GroupSize[] = [];
  for (const top of groups.children) {
    if (top.kind === 'module') {
      for (const p of top.children) {
        groupList.push({ name: p.name, kind: 'package', module: top.name, size: p.size, symbols: p.children.length });
        for (const f of p.children) symbols.push(symbolSize(f, p.name, sectionOf.get(f) ?? ''));
      }
    } else if (top.kind === 'unattributed') {
      groupList.push({ name: top.name, kind: 'unattributed', size: top.size, symbols: 0 });
    } else {
      groupList.push({ name: top.name, kind: top.kind as GroupKind, size: top.size, symbols: top.children.length });
      for (const s of top.children) symbols.push(symbolSize(s, top.name, sectionOf.get(s) ?? ''));
    }
  }
  groupList.sort((a, b) => b.size - a.size);
  symbols.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    arch: map.name,
    size: map.size,
    grouping: groups.children.some((c) => c.kind === 'module') ? 'go' : 'names',
    sections,
    groups: groupList,
    symbols,
    outside,
    unattributed: (groups.children.find((g) => g.kind === 'unattributed')?.children ?? []).map((c) => ({ name: c.name, size: c.size })),
  };
}

function symbolSize(n: SizeNode, group: string, section: string): SymbolSize {
  const s: SymbolSize = {
    name: n.demangled ?? n.name,
    raw: n.name,
    kind: n.kind === 'function' ? 'function' : 'symbol',
    size: n.size,
    group,
    section,
  };
  if (n.derived) s.derived = true;
  return s;
}
