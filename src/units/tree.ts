// A unit's files as a tree of paths: an image's root filesystem (its layers
// applied in order, with whiteouts), an archive's members, a folder. Symbolic
// links are followed inside the root, as the kernel follows them inside a
// container's root: an absolute target starts again at the root, `..` at the
// root stays there, and more than 40 links in one lookup is ELOOP.

import type { BinaryFacts, MemberFormat } from './member.ts';
import { basename, dirname, resolveIn } from './paths.ts';

export interface FsNode {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number;
  /** Symlink target as stored. */
  target?: string;
  /** Files: what the first bytes say. */
  format?: MemberFormat;
  /** Files that are not binaries: what they are (`script`, `text`, `gzip-compressed data`). */
  kind?: string;
  /** ELF and Mach-O files: the facts the loader acts on. */
  facts?: BinaryFacts;
  /** A slice of a universal static library: its architecture (the slice is an ar archive, its objects below it). */
  slice?: string;
  /** Why a binary member could not be read. */
  problem?: string;
  /** Small documents binlens reads (configuration of the loader, package metadata). */
  data?: Uint8Array;
  /** First bytes of a script (`#!` line). */
  head?: Uint8Array;
  /** Files inside an `.app/Contents` folder: SHA-256 of the bytes, lowercase hex (what CodeResources seals). */
  sha256?: string;
  /** Where the member lives: the chain of archive member names that leads to it, outermost first. */
  locator: string[];
}

export type LayerEntry =
  { path: string; node: FsNode } | { path: string; hardlink: string; locator: string[] } | { path: string; whiteout: 'file' | 'opaque' };

/** OCI image spec (layer.md, "Whiteouts"): `.wh.<name>` deletes `<name>`, `.wh..wh..opq` empties the directory of lower layers' entries. */
export function whiteoutOf(path: string): { target: string; opaque: boolean } | null {
  const b = basename(path);
  if (b === '.wh..wh..opq') return { target: dirname(path), opaque: true };
  if (b.startsWith('.wh.')) return { target: resolveIn(dirname(path), b.slice(4)), opaque: false };
  return null;
}

export type Lookup =
  { ok: true; path: string; node: FsNode; hops: number } | { ok: false; reason: 'missing' | 'loop' | 'notdir'; path: string };

export class Tree {
  readonly nodes = new Map<string, FsNode>();

  constructor(readonly maxHops = 40) {
    this.nodes.set('/', { type: 'dir', size: 0, mode: 0o755, locator: [] });
  }

  /** Applies one layer: its whiteouts against the layers below, then its entries (OCI layer.md, "Applying changesets"). */
  apply(entries: LayerEntry[]): void {
    const below = new Set(this.nodes.keys());
    for (const e of entries) {
      if (!('whiteout' in e)) continue;
      if (e.whiteout === 'opaque') this.removeChildren(e.path, below);
      else this.remove(e.path);
    }
    for (const e of entries) {
      if ('whiteout' in e) continue;
      if ('hardlink' in e) {
        const src = this.nodes.get(e.hardlink);
        if (src && src.type !== 'dir') this.put(e.path, { ...src, locator: e.locator });
        continue;
      }
      this.put(e.path, e.node);
    }
  }

  put(path: string, node: FsNode): void {
    const prev = this.nodes.get(path);
    // A directory entry over an existing directory keeps its children; anything else replaces the path.
    if (prev?.type === 'dir' && node.type !== 'dir') this.removeChildren(path);
    this.mkdirs(dirname(path));
    this.nodes.set(path, node);
  }

  private mkdirs(dir: string): void {
    if (this.nodes.get(dir)?.type === 'dir') return;
    if (dir !== '/') this.mkdirs(dirname(dir));
    this.nodes.set(dir, { type: 'dir', size: 0, mode: 0o755, locator: [] });
  }

  remove(path: string): void {
    const prev = this.nodes.get(path);
    this.nodes.delete(path);
    if (prev?.type === 'dir') this.removeChildren(path);
  }

  private removeChildren(dir: string, only?: Set<string>): void {
    const prefix = dir === '/' ? '/' : dir + '/';
    for (const k of [...this.nodes.keys()]) if (k !== '/' && k.startsWith(prefix) && (!only || only.has(k))) this.nodes.delete(k);
  }

  /** Resolves a path, following symlinks in every component (and the last one when `follow`). */
  lookup(path: string, follow = true): Lookup {
    let hops = 0;
    let parts = path.split('/').filter(Boolean);
    let cur = '/';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part === '.') continue;
      if (part === '..') {
        cur = dirname(cur);
        continue;
      }
      const next = cur === '/' ? `/${part}` : `${cur}/${part}`;
      const node = this.nodes.get(next);
      if (!node) return { ok: false, reason: 'missing', path: next };
      const last = i === parts.length - 1;
      if (node.type === 'symlink' && (!last || follow)) {
        if (++hops > this.maxHops) return { ok: false, reason: 'loop', path: next };
        const t = node.target ?? '';
        const rest = parts.slice(i + 1);
        const base = t.startsWith('/') ? '/' : cur;
        parts = [...resolveIn(base, t).split('/').filter(Boolean), ...rest];
        cur = '/';
        i = -1;
        continue;
      }
      if (!last && node.type !== 'dir') return { ok: false, reason: 'notdir', path: next };
      cur = next;
    }
    const node = this.nodes.get(cur);
    if (!node) return { ok: false, reason: 'missing', path: cur };
    return { ok: true, path: cur, node, hops };
  }

  /** Regular files, in path order. */
  files(): [string, FsNode][] {
    return [...this.nodes.entries()].filter(([, n]) => n.type === 'file').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Entries directly inside a directory (the tree's own path, links not followed). */
  list(dir: string): string[] {
    const prefix = dir === '/' ? '/' : dir + '/';
    const out: string[] = [];
    for (const k of this.nodes.keys()) if (k.startsWith(prefix) && k !== dir && !k.slice(prefix.length).includes('/')) out.push(k);
    return out.sort();
  }
}
