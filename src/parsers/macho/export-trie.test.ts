// The export trie on hand-built tries: every terminal kind, LLVM's order,
// and tries that loop or go too deep.

import { describe, expect, it } from 'vitest';
import { Problems, Reader } from '../reader.ts';
import { readExportTrie, MAX_TRIE_DEPTH } from './export-trie.ts';
import { Bytes } from '../../../test/macho-writer.ts';

/** A node: terminal payload (or none) and children as [edge, offset]. */
function node(b: Bytes, terminal: Uint8Array | null, children: [string, number][]): void {
  if (terminal) b.uleb(terminal.length).bytes(terminal);
  else b.u8(0);
  b.u8(children.length);
  for (const [edge, off] of children) b.cstr(edge).uleb(off);
}

const term = (f: (b: Bytes) => void): Uint8Array => {
  const b = new Bytes();
  f(b);
  return b.out;
};

describe('export trie', () => {
  it('regular, weak, thread-local, absolute, re-export and stub-and-resolver entries; a node after its children', () => {
    // Offsets are fixed by hand: root 0, "_" at 0x20, leaves after.
    const b = new Bytes();
    node(b, null, [['_', 0x20]]);
    b.pad(0x20);
    node(
      b,
      term((t) => t.uleb(0).uleb(0x100)),
      [
        ['a', 0x40],
        ['b', 0x50],
        ['c', 0x60],
        ['d', 0x70],
        ['e', 0x80],
      ],
    ); // "_" itself is exported
    b.zeros(0x40 - b.length);
    node(
      b,
      term((t) => t.uleb(0x04).uleb(0x200)),
      [],
    ); // _a weak
    b.zeros(0x50 - b.length);
    node(
      b,
      term((t) => t.uleb(0x01).uleb(0x300)),
      [],
    ); // _b thread-local
    b.zeros(0x60 - b.length);
    node(
      b,
      term((t) => t.uleb(0x02).uleb(0xfffff)),
      [],
    ); // _c absolute
    b.zeros(0x70 - b.length);
    node(
      b,
      term((t) => t.uleb(0x08).uleb(2).cstr('_real')),
      [],
    ); // _d re-export
    b.zeros(0x80 - b.length);
    node(
      b,
      term((t) => t.uleb(0x10).uleb(0x400).uleb(0x480)),
      [],
    ); // _e stub and resolver
    const p = new Problems();
    const out = readExportTrie(Reader.of(b.out), 'trie', p);
    expect(p.errors).toEqual([]);
    expect(out.map((e) => [e.name, e.kind, e.attributes, e.address, e.reexport, e.resolver])).toEqual([
      ['_a', 'regular', ['weak'], 0x200n, null, null],
      ['_b', 'thread-local', [], 0x300n, null, null],
      ['_c', 'absolute', [], 0xfffffn, null, null],
      ['_d', 'regular', ['re-export'], null, { ordinal: 2, name: '_real' }, null],
      ['_e', 'regular', ['stub-and-resolver'], 0x400n, null, 0x480n],
      ['_', 'regular', [], 0x100n, null, null],
    ]);
  });

  it('a cycle back to the root is an error and the walk ends', () => {
    const b = new Bytes();
    node(
      b,
      term((t) => t.uleb(0).uleb(1)),
      [['x', 0]],
    );
    const p = new Problems();
    const out = readExportTrie(Reader.of(b.out), 'trie', p);
    expect(out.map((e) => e.name)).toEqual(['']);
    expect(p.errors.map((e) => e.message)).toEqual(['trie: node at 0x0 is reached twice (the trie has a cycle or shared node)']);
  });

  it('a trie deeper than the cap stops there', () => {
    const b = new Bytes();
    const depth = MAX_TRIE_DEPTH + 10;
    // Each node is 6 bytes: no terminal, one child "a" at the next node, its
    // offset written as a two-byte ULEB.
    for (let i = 0; i < depth; i++) {
      const next = b.length + 6;
      b.u8(0)
        .u8(1)
        .cstr('a')
        .u8((next & 0x7f) | 0x80)
        .u8(next >> 7);
    }
    node(
      b,
      term((t) => t.uleb(0).uleb(1)),
      [],
    );
    const p = new Problems();
    expect(readExportTrie(Reader.of(b.out), 'trie', p)).toEqual([]);
    expect(p.errors.map((e) => e.message)).toEqual([`trie: trie deeper than ${MAX_TRIE_DEPTH} levels`]);
  });

  it('a child offset past the end, a terminal past the end', () => {
    const b = new Bytes();
    node(b, null, [['x', 0x999]]);
    const p = new Problems();
    readExportTrie(Reader.of(b.out), 'trie', p);
    expect(p.errors.map((e) => e.message)).toEqual(['trie: child offset 0x999 lies past the trie (6 bytes)']);
    const q = new Problems();
    readExportTrie(Reader.of(new Bytes().uleb(50).u8(0).out), 'trie', q);
    expect(q.errors.map((e) => e.message)).toEqual(['trie: terminal of 50 bytes at 0x1 runs past the trie']);
  });
});
