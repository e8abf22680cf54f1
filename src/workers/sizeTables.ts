// The size map as the page sees it: one level at a time. The trees of a
// slice (src/size: by section, by group) stay in the worker; the page asks
// for a node's biggest children (the treemap draws them, the rest as one
// "others" tile) and pages through all of them sorted as it likes (the
// table), by node id. A file of 100,000 symbols never crosses whole.

import type { GroupNode } from '../size/groups.ts';
import type { SizeKind, SizeNode } from '../size/sizeMap.ts';
import { PagedTable } from '../report/tables.ts';

/** `sections`: slice → segment → section → symbol (or Go package → function); `groups`: Go module → package, crate, namespace. */
export const SIZE_VIEWS = ['sections', 'groups'] as const;
export type SizeView = (typeof SIZE_VIEWS)[number];

/** One node, without its children. */
export interface SizeItem {
  /** Ask for its children with this id (in the same view). */
  id: number;
  /** As shown: demangled when the name is mangled. */
  name: string;
  /** The name as the file holds it, when `name` is demangled. */
  raw?: string;
  kind: SizeKind;
  /** Bytes of the file. */
  size: number;
  /** A section's size as llvm-size -A prints it (memory size for zero-fill). */
  sectionSize?: number;
  /** Sized by the distance to the next symbol (Mach-O). */
  derived?: true;
  /** Go modules: main, std, dependency, generated, unknown. */
  moduleKind?: string;
  /** How many children it has (0: a leaf). */
  children: number;
}

export interface SizeLevel {
  node: SizeItem;
  /** From the root down to the node's parent: the breadcrumb. */
  path: SizeItem[];
  /** The biggest children, biggest first (at most the limit asked for). */
  children: SizeItem[];
  /** The rest of the children, as one figure; null when all are in `children`. */
  others: { count: number; size: number } | null;
}

export type SizeFilter = 'all';

/** Most children one level returns for drawing. */
export const MAX_LEVEL = 500;

class Indexed {
  readonly nodes: SizeNode[] = [];
  /** Demangles a symbol's name as it is shown (the trees may hold them as the file does); memoized. */
  names: (name: string) => string | null = () => null;
  readonly parent: number[] = [];
  private readonly ids = new Map<SizeNode, number>();
  private readonly tables = new Map<number, PagedTable<SizeItem, SizeFilter>>();

  constructor(root: SizeNode) {
    // Depth first with an explicit stack: a deep tree must not overflow the call stack.
    const stack: [SizeNode, number][] = [[root, -1]];
    while (stack.length > 0) {
      const [n, p] = stack.pop()!;
      this.ids.set(n, this.nodes.length);
      this.nodes.push(n);
      this.parent.push(p);
      const id = this.nodes.length - 1;
      for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i]!, id]);
    }
  }

  node(id: number): SizeNode {
    const n = Number.isInteger(id) ? this.nodes[id] : undefined;
    if (!n) throw new RangeError(`no size-map node ${String(id)}`);
    return n;
  }

  item(n: SizeNode): SizeItem {
    const demangled = n.demangled ?? (n.kind === 'symbol' ? this.names(n.name) : null) ?? undefined;
    const it: SizeItem = { id: this.ids.get(n)!, name: demangled ?? n.name, kind: n.kind, size: n.size, children: n.children.length };
    if (demangled !== undefined) it.raw = n.name;
    if (n.sectionSize !== undefined) it.sectionSize = n.sectionSize;
    if (n.derived) it.derived = true;
    const mk = (n as GroupNode).moduleKind;
    if (mk) it.moduleKind = mk;
    return it;
  }

  level(id: number, limit: number): SizeLevel {
    const n = this.node(id);
    const path: SizeItem[] = [];
    for (let p = this.parent[id]!; p >= 0; p = this.parent[p]!) path.unshift(this.item(this.nodes[p]!));
    const max = Math.max(0, Math.min(MAX_LEVEL, Math.floor(Number.isFinite(limit) ? limit : 0)));
    // Children are kept biggest first (src/size sorts them).
    const shown = n.children.slice(0, max);
    const rest = n.children.length - shown.length;
    return {
      node: this.item(n),
      path,
      children: shown.map((c) => this.item(c)),
      others: rest > 0 ? { count: rest, size: n.children.slice(max).reduce((t, c) => t + c.size, 0) } : null,
    };
  }

  table(id: number): PagedTable<SizeItem, SizeFilter> {
    let t = this.tables.get(id);
    if (!t) {
      const n = this.node(id);
      t = new PagedTable<SizeItem, SizeFilter>(() => n.children.map((c) => this.item(c)), {
        text: (r) => (r.raw === undefined ? r.name : `${r.name}\n${r.raw}`),
        filters: { all: () => true },
        sorts: {
          name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
          kind: (a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
          size: (a, b) => a.size - b.size,
        },
      });
      // One node's table at a time is enough: the page shows one level.
      this.tables.clear();
      this.tables.set(id, t);
    }
    return t;
  }
}

/** A slice's two size trees, indexed for the page's requests; the grouping is made when it is first asked for. */
export class SizeTables {
  private readonly views: Partial<Record<SizeView, Indexed>> = {};
  private readonly build: Record<SizeView, () => SizeNode>;

  private readonly names: (name: string) => string | null;

  /** `demangle`: names shown demangled, one at a time as they are sent, when the trees hold them as the file does. */
  constructor(map: SizeNode, groups: SizeNode | (() => SizeNode), demangle: ((name: string) => string | null) | null = null) {
    this.build = { sections: () => map, groups: typeof groups === 'function' ? groups : () => groups };
    const memo = new Map<string, string | null>();
    this.names = demangle
      ? (name) => {
          let d = memo.get(name);
          if (d === undefined) memo.set(name, (d = demangle(name)));
          return d;
        }
      : () => null;
  }

  private view(v: SizeView): Indexed {
    if (!(SIZE_VIEWS as readonly string[]).includes(v))
      throw new RangeError(`unknown size view "${String(v)}" (known: ${SIZE_VIEWS.join(', ')})`);
    let ix = this.views[v];
    if (!ix) {
      ix = this.views[v] = new Indexed(this.build[v]());
      ix.names = this.names;
    }
    return ix;
  }

  /** A node (0: the slice) with its `limit` biggest children and the rest summed. */
  level(v: SizeView, id: number, limit: number): SizeLevel {
    return this.view(v).level(id, limit);
  }

  /** Every child of a node, as a paged, sortable table. */
  children(v: SizeView, id: number): PagedTable<SizeItem, SizeFilter> {
    return this.view(v).table(id);
  }

  /** Nodes in a view (the root counts). */
  count(v: SizeView): number {
    return this.view(v).nodes.length;
  }
}
