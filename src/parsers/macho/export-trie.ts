// The export trie (<mach-o/loader.h> "export information", used by
// LC_DYLD_INFO.export_off and LC_DYLD_EXPORTS_TRIE). Each node: a ULEB
// terminal size, the terminal payload (flags, then an address, a re-export or
// a stub/resolver pair), a child count byte, and per child an edge label and a
// ULEB child offset. Offsets come from the file, so a malicious trie can point
// back to an ancestor: the walk keeps a visited set and a depth cap.

import { FormatError, LimitError, type Problems, type Reader, hex } from '../reader.ts';

export const EXPORT_SYMBOL_FLAGS_KIND_MASK = 0x03;
export const EXPORT_SYMBOL_FLAGS_KIND_REGULAR = 0x00;
export const EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL = 0x01;
export const EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE = 0x02;
export const EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION = 0x04;
export const EXPORT_SYMBOL_FLAGS_REEXPORT = 0x08;
export const EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER = 0x10;
export const EXPORT_SYMBOL_FLAGS_STATIC_RESOLVER = 0x20;

/** Deepest trie binlens follows; real tries are as deep as the longest name's distinct prefixes. */
export const MAX_TRIE_DEPTH = 1024;
export const MAX_EXPORTS = 1 << 20;
const MAX_NAME = 64 * 1024;

/**
 * Characters of export names a trie of `size` bytes may yield. A trie shares
 * prefixes, so its names add up to more than its size (a few times, for C++
 * namespaces), but a forged one can hang thousands of exports under one
 * 64 KB prefix: an 80 KB trie gave 100 MB of names and 30 s of hashing them.
 */
export function exportNameBudget(size: number): number {
  return 16 * size + (16 << 20);
}

export interface ExportEntry {
  name: string;
  flags: number;
  /** `regular`, `thread-local` or `absolute` (EXPORT_SYMBOL_FLAGS_KIND_*). */
  kind: string;
  /** Flag names: `weak`, `re-export`, `stub-and-resolver`, `static-resolver`. */
  attributes: string[];
  /** Offset from the image base (absolute value for `absolute`); null for re-exports. */
  address: bigint | null;
  /** Re-exports: the dylib ordinal and the name there (empty = same name). */
  reexport: { ordinal: number; name: string } | null;
  /** Stub-and-resolver: offset of the resolver function. */
  resolver: bigint | null;
}

const KIND_NAMES = ['regular', 'thread-local', 'absolute', 'kind-3'];

export function exportFlagNames(flags: number): string[] {
  const out: string[] = [];
  if (flags & EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION) out.push('weak');
  if (flags & EXPORT_SYMBOL_FLAGS_REEXPORT) out.push('re-export');
  if (flags & EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER) out.push('stub-and-resolver');
  if (flags & EXPORT_SYMBOL_FLAGS_STATIC_RESOLVER) out.push('static-resolver');
  const unknown = flags & ~0x3f;
  if (unknown) out.push(hex(unknown));
  return out;
}

/**
 * All terminal entries, in the order llvm-objdump --exports-trie lists them:
 * depth first through the children as stored, a node's own export after its
 * children (LLVM's ExportEntry iterator).
 */
// eslint-disable-next-line max-lines-per-function -- the trie walk with its loop, depth and cycle guards in one place (LLVM's ExportEntry iterator), so no step escapes a guard
export function readExportTrie(t: Reader, field: string, problems: Problems): ExportEntry[] {
  const out: ExportEntry[] = [];
  if (t.length === 0) return out;
  const visited = new Set<number>();
  // Explicit stack: the trie's depth comes from the file.
  type Item = { node: number; prefix: string; depth: number } | { emit: ExportEntry };
  const stack: Item[] = [{ node: 0, prefix: '', depth: 0 }];
  let nameChars = 0;
  const budget = exportNameBudget(t.length);
  try {
    while (stack.length) {
      const item = stack.pop()!;
      if ('emit' in item) {
        if (out.length >= MAX_EXPORTS)
          throw new LimitError(`${field}: more than ${MAX_EXPORTS} exports; the rest are not listed`, t.base, field, out.length);
        nameChars += item.emit.name.length;
        if (nameChars > budget) {
          throw new LimitError(
            `${field}: export names add up to more than ${budget} characters (${t.length}-byte trie); the rest are not listed`,
            t.base,
            field,
            out.length,
          );
        }
        out.push(item.emit);
        continue;
      }
      const { node, prefix, depth } = item;
      if (visited.has(node)) {
        problems.error(
          new FormatError(
            `${field}: node at ${hex(node)} is reached twice (the trie has a cycle or shared node)`,
            t.base + node,
            field,
            node,
          ),
        );
        continue;
      }
      visited.add(node);
      if (depth > MAX_TRIE_DEPTH) {
        problems.error(new LimitError(`${field}: trie deeper than ${MAX_TRIE_DEPTH} levels`, t.base + node, field, depth));
        continue;
      }
      const term = t.ulebn(node, `${field}.terminal_size`);
      let at = term.next;
      const childrenAt = at + term.value;
      if (term.value > 0) {
        if (!t.has(at, term.value))
          throw new FormatError(
            `${field}: terminal of ${term.value} bytes at ${hex(at)} runs past the trie`,
            t.base + node,
            field,
            term.value,
          );
        const flagsLeb = t.ulebn(at, `${field}.flags`);
        const flags = flagsLeb.value;
        at = flagsLeb.next;
        const entry: ExportEntry = {
          name: prefix,
          flags,
          kind: KIND_NAMES[flags & EXPORT_SYMBOL_FLAGS_KIND_MASK]!,
          attributes: exportFlagNames(flags),
          address: null,
          reexport: null,
          resolver: null,
        };
        if (flags & EXPORT_SYMBOL_FLAGS_REEXPORT) {
          const ord = t.ulebn(at, `${field}.ordinal`);
          const name = t.cstringEx(ord.next, Math.min(MAX_NAME, childrenAt - ord.next), `${field}.import_name`);
          entry.reexport = { ordinal: ord.value, name: name.value };
        } else {
          const addr = t.uleb(at, `${field}.address`);
          entry.address = addr.value;
          if (flags & EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER) entry.resolver = t.uleb(addr.next, `${field}.resolver`).value;
        }
        stack.push({ emit: entry });
      }
      const childCount = t.u8(childrenAt, `${field}.child_count`);
      at = childrenAt + 1;
      const children: { node: number; prefix: string; depth: number }[] = [];
      for (let i = 0; i < childCount; i++) {
        const edge = t.cstringEx(at, MAX_NAME, `${field}.edge`);
        if (edge.truncated) throw new FormatError(`${field}: edge label at ${hex(at)} is not terminated`, t.base + at, field);
        const child = t.ulebn(edge.end + 1, `${field}.child_offset`);
        at = child.next;
        if (child.value >= t.length) {
          throw new FormatError(
            `${field}: child offset ${hex(child.value)} lies past the trie (${t.length} bytes)`,
            t.base + edge.end + 1,
            `${field}.child_offset`,
            child.value,
          );
        }
        if (prefix.length + edge.value.length > MAX_NAME)
          throw new LimitError(`${field}: symbol name longer than ${MAX_NAME}`, t.base + at, field);
        children.push({ node: child.value, prefix: prefix + edge.value, depth: depth + 1 });
      }
      // Push in reverse so children are visited in stored order.
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    problems.error(e);
  }
  return out;
}
