// Mutation operators, aimed by the layout of the original file. A case is
// one to three operators applied to a copy of the file; which ones, where and
// with what values is decided by the case's Rng, so a case is replayable.

import type { Field, Layout, Region } from './layout.ts';
import type { Rng } from './rng.ts';

export type Operator =
  | 'bitflip'
  | 'byte-run'
  | 'interesting'
  | 'truncate'
  | 'inflate'
  | 'redirect'
  | 'retag'
  | 'load-command'
  | 'chain'
  | 'deep-trie'
  | 'bogus-strings'
  | 'huge-uleb'
  | 'splice';

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, in order, for the log and the regression file's note. */
  steps: string[];
}

const U32 = 0xffffffff;
const MAX64 = 0xffffffffffffffffn;

function put(b: Uint8Array, f: { at: number; width: number; le: boolean }, value: bigint): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (f.at < 0 || f.at + f.width > b.length) return;
  const v = BigInt.asUintN(f.width * 8, value);
  switch (f.width) {
    case 1:
      dv.setUint8(f.at, Number(v));
      break;
    case 2:
      dv.setUint16(f.at, Number(v), f.le);
      break;
    case 4:
      dv.setUint32(f.at, Number(v), f.le);
      break;
    default:
      dv.setBigUint64(f.at, v, f.le);
  }
}

function get(b: Uint8Array, f: { at: number; width: number; le: boolean }): bigint {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (f.at < 0 || f.at + f.width > b.length) return 0n;
  switch (f.width) {
    case 1:
      return BigInt(dv.getUint8(f.at));
    case 2:
      return BigInt(dv.getUint16(f.at, f.le));
    case 4:
      return BigInt(dv.getUint32(f.at, f.le));
    default:
      return dv.getBigUint64(f.at, f.le);
  }
}

/** A field, choosing a family first so a 5,000-symbol table does not drown the headers. */
function pickField(rng: Rng, layout: Layout, kinds?: readonly Field['kind'][]): Field | null {
  const pool = kinds ? layout.fields.filter((f) => kinds.includes(f.kind)) : layout.fields;
  if (pool.length === 0) return null;
  const groups = [...new Set(pool.map((f) => f.group))];
  const g = rng.pick(groups);
  return rng.pick(pool.filter((f) => f.group === g));
}

/** An offset biased towards headers and tables. */
function hotOffset(rng: Rng, layout: Layout, size: number): number {
  if (size === 0) return 0;
  if (layout.hot.length > 0 && rng.chance(0.6)) {
    const h = rng.pick(layout.hot);
    return Math.min(size - 1, h.at + rng.int(h.size));
  }
  if (rng.chance(0.2)) return rng.int(Math.min(size, 4096));
  return rng.int(size);
}

function boundary(rng: Rng, layout: Layout): number {
  if (layout.boundaries.length === 0) return rng.int(layout.size);
  return rng.pick(layout.boundaries);
}

function interestingValues(f: Field, size: number, old: bigint, layout: Layout, rng: Rng): bigint[] {
  const common = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, BigInt(U32), MAX64, 1n << 63n];
  const fileRel = (x: number) => BigInt(x - f.base);
  switch (f.kind) {
    case 'count':
      return [...common, old + 1n, old * 2n + 1n, old * 16n, 0x10000n, 0x1000000n, 0x10000000n, BigInt(size)];
    case 'size':
      return [...common, old + 1n, old - 1n, old * 2n, BigInt(size), BigInt(size) + 1n, fileRel(size), fileRel(size) + 1n, 0x40000000n];
    case 'offset':
      return [
        ...common,
        fileRel(size),
        fileRel(size) - 1n,
        fileRel(size) + 8n,
        fileRel(boundary(rng, layout)),
        fileRel(boundary(rng, layout)) - 4n,
        old + 1n,
        old - 8n,
        old + 0x1000n,
      ];
    case 'next':
      // List links are relative to their record: 0 ends the list early (and
      // with a larger count, revisits the same record), a small value lands
      // mid-record, a huge one leaves the file.
      return [0n, 1n, 4n, 8n, 12n, 16n, BigInt(U32), BigInt(U32) - 15n, old + 1n, old * 2n, fileRel(boundary(rng, layout))];
    case 'index':
      return [0n, 1n, old + 1n, old - 1n, 0xfff1n, 0xfff2n, 0xff00n, 0xffffn, BigInt(U32), 1000n];
    default:
      return [...common, old ^ 1n, old + 1n, old - 1n];
  }
}

// Values a type/tag field can take that the parsers give meaning to.
const TAGS: Record<string, number[]> = {
  sh_type: [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 15, 16, 17, 18, 19, 0x6ffffff6, 0x6ffffffd, 0x6ffffffe, 0x6fffffff, 0x70000003, 0x7fffffff,
  ],
  p_type: [0, 1, 2, 3, 4, 6, 7, 0x6474e550, 0x6474e551, 0x6474e552, 0x6474e553, 0x70000000],
  d_tag: [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 14, 15, 16, 20, 23, 24, 25, 26, 29, 30, 35, 36, 0x6ffffef5, 0x6ffffff0, 0x6ffffffb, 0x6ffffffc,
    0x6ffffffd, 0x6ffffffe, 0x6fffffff,
  ],
  cmd: [
    0x1, 0x2, 0xb, 0xc, 0xd, 0xe, 0xf, 0x19, 0x1b, 0x1d, 0x1e, 0x21, 0x22, 0x80000022, 0x24, 0x25, 0x26, 0x29, 0x2a, 0x2c, 0x2d, 0x2f, 0x30,
    0x31, 0x32, 0x80000018, 0x8000001c, 0x8000001f, 0x80000028, 0x80000033, 0x80000034, 0x35, 0x36,
  ],
  e_type: [0, 1, 2, 3, 4, 0xfe00, 0xff00],
  e_machine: [0, 3, 8, 20, 21, 22, 40, 62, 183, 243, 258],
  filetype: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  cputype: [7, 0x01000007, 12, 0x0100000c, 0x0200000c, 18, 0x01000012],
  pointer_format: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  imports_format: [0, 1, 2, 3, 4],
  symbols_format: [0, 1, 2],
  'blob.magic': [0xfade0c02, 0xfade0c01, 0xfade7171, 0xfade7172, 0xfade0b01, 0xfade0cc0],
  'BlobIndex.type': [0, 1, 2, 3, 4, 5, 7, 0x1000, 0x10000],
  hashType: [0, 1, 2, 3, 4, 5],
  n_type: [0x0e, 0x0f, 0x01, 0x24, 0x64, 0x66, 0x2e, 0xff],
  st_info: [0x00, 0x12, 0x22, 0x11, 0x1a, 0x16, 0x10, 0xff],
  platform: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xffffffff],
};

function truncateAt(b: Uint8Array, n: number): Uint8Array {
  return b.subarray(0, Math.max(0, Math.min(b.length, n)));
}

// Export trie (<mach-o/loader.h>): node = ULEB terminal size, [info],
// child count, then (label NUL, ULEB child offset)*.
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function deepTrie(b: Uint8Array, r: Region, rng: Rng): string {
  const style = rng.pick(['chain', 'self-loop', 'back-to-root', 'wide'] as const);
  let at = r.at;
  const end = r.at + r.size;
  const rel = () => at - r.at;
  const write = (bytes: number[]) => {
    for (const x of bytes) if (at < end) b[at++] = x;
  };
  if (style === 'wide') {
    // One node claiming 255 children whose offsets all point at the root.
    write([0, 0xff]);
    while (at + 3 <= end) write([0x61 + rng.int(26), 0, 0]);
    return `deep-trie wide ${r.name}`;
  }
  let nodes = 0;
  while (at + 8 <= end) {
    const self = rel();
    write([0, 1, 0x5f, 0]);
    const target = style === 'chain' ? rel() + 3 : style === 'self-loop' ? self : 0;
    write(uleb(target).concat([0, 0, 0]).slice(0, 3));
    nodes++;
    if (style !== 'chain' && nodes > 2) break;
  }
  return `deep-trie ${style} ${r.name} (${nodes} nodes)`;
}

function hugeUleb(b: Uint8Array, r: Region, rng: Rng): string {
  const at = Math.min(b.length - 1, r.at + rng.int(Math.max(1, r.size - 1)));
  const kind = rng.pick(['11-bytes', '10-bytes-max', 'to-end', '2^63', '2^53'] as const);
  const pattern: Record<typeof kind, number[]> = {
    '11-bytes': [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    '10-bytes-max': [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    'to-end': new Array<number>(Math.min(64, b.length - at)).fill(0xff),
    '2^63': [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    '2^53': [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10],
  };
  const p = pattern[kind];
  for (let i = 0; i < p.length && at + i < b.length; i++) b[at + i] = p[i]!;
  if (kind === 'to-end') for (let i = at; i < b.length; i++) b[i] = 0xff;
  return `huge-uleb ${kind} at 0x${at.toString(16)} in ${r.name}`;
}

function bogusStrings(b: Uint8Array, r: Region, rng: Rng): string {
  const how = rng.pick(['no-nul', 'html', 'invalid-utf8', 'all-nul'] as const);
  const from = Math.min(b.length - 1, r.at + rng.int(r.size));
  const n = Math.max(0, Math.min(r.size - (from - r.at), rng.chance(0.5) ? r.size : 1 + rng.int(256)));
  const html = new TextEncoder().encode('<img src=x onerror=alert(1)>\u202e');
  for (let i = 0; i < n && from + i < b.length; i++) {
    b[from + i] =
      how === 'no-nul'
        ? 0x41 + (i % 26)
        : how === 'html'
          ? html[i % html.length]!
          : how === 'invalid-utf8'
            ? [0xc3, 0x28, 0xff, 0xed, 0xa0, 0x80][i % 6]!
            : 0;
  }
  return `bogus-strings ${how} ${n} bytes at 0x${from.toString(16)} in ${r.name}`;
}

function loadCommand(b: Uint8Array, layout: Layout, rng: Rng): string | null {
  if (layout.loadCommands.length === 0) return null;
  const i = rng.int(layout.loadCommands.length);
  const lc = layout.loadCommands[i]!;
  const next = layout.loadCommands[i + 1];
  const how = rng.pick(['zero-size', 'tiny', 'overlap-next', 'duplicate-over-next', 'past-end', 'unaligned'] as const);
  const f = { at: lc.at + 4, width: 4, le: lc.le };
  switch (how) {
    case 'zero-size':
      put(b, f, 0n);
      break;
    case 'tiny':
      put(b, f, BigInt(rng.pick([4, 8, 12, 16])));
      break;
    case 'overlap-next':
      put(b, f, BigInt(Math.max(8, lc.size - 8 * (1 + rng.int(4)))));
      break;
    case 'duplicate-over-next': {
      if (!next || next.at >= b.length || lc.at >= b.length) return null;
      const copy = b.slice(lc.at, lc.at + Math.min(lc.size, b.length - lc.at));
      b.set(copy.subarray(0, Math.max(0, Math.min(copy.length, b.length - next.at))), next.at);
      break;
    }
    case 'past-end':
      put(b, f, BigInt(lc.end - lc.at + 8 + rng.int(64)));
      break;
    case 'unaligned':
      put(b, f, BigInt(lc.size + 1 + rng.int(3)));
      break;
  }
  return `load-command ${how} #${i} at 0x${lc.at.toString(16)}`;
}

function chain(b: Uint8Array, layout: Layout, rng: Rng): string | null {
  const f = pickField(rng, layout, ['chain', 'next']);
  if (!f) return null;
  if (f.kind === 'next') {
    const v = rng.pick([0n, 1n, 4n, 0xfffffff0n, 0xffffffffn]);
    put(b, f, v);
    return `chain ${f.name} at 0x${f.at.toString(16)} = 0x${v.toString(16)}`;
  }
  // Chained pointers keep `next` in bits 51..62 (64-bit formats): the largest
  // stride runs off the page; a stride of 1 walks into the middle of data.
  const old = get(b, f);
  const mask = 0xfffn << 51n;
  const next = rng.pick([0xfffn, 1n, 0x7ffn, BigInt(1 + rng.int(0xfff))]);
  const v = (old & ~mask) | (next << 51n) | (rng.chance(0.3) ? 1n << 63n : old & (1n << 63n));
  put(b, f, v);
  return `chain pointer at 0x${f.at.toString(16)} next=${next}`;
}

/** One mutant of `original` for this case's Rng. */
export function mutate(original: Uint8Array, layout: Layout, rng: Rng): Mutant {
  let b: Uint8Array = original.slice();
  const steps: string[] = [];
  const ops: (readonly [Operator, number])[] = [
    ['bitflip', 14],
    ['byte-run', 8],
    ['interesting', 14],
    ['truncate', 8],
    ['inflate', 12],
    ['redirect', 12],
    ['retag', 5],
    ['load-command', layout.loadCommands.length ? 6 : 0],
    ['chain', layout.fields.some((f) => f.kind === 'chain' || f.kind === 'next') ? 4 : 0],
    ['deep-trie', layout.regions.some((r) => r.kind === 'trie') ? 3 : 0],
    ['bogus-strings', layout.regions.some((r) => r.kind === 'strtab' || r.kind === 'lcstr') ? 4 : 0],
    ['huge-uleb', layout.regions.some((r) => r.kind === 'uleb' || r.kind === 'trie') ? 4 : 0],
    ['splice', 2],
  ];
  const rounds = rng.weighted([
    [1, 6],
    [2, 3],
    [3, 1],
  ] as const);
  for (let k = 0; k < rounds; k++) {
    const op = rng.weighted(ops);
    const step = apply(op, b, original, layout, rng);
    if (step === null) continue;
    if (step instanceof Uint8Array) {
      b = step;
      steps.push(`truncate to 0x${b.length.toString(16)}`);
    } else steps.push(step);
  }
  if (steps.length === 0) {
    // Every chosen operator found nothing to aim at: flip one byte.
    const at = rng.int(b.length);
    b[at] = b[at]! ^ (1 << rng.int(8));
    steps.push(`bitflip at 0x${at.toString(16)}`);
  }
  return { bytes: b, steps };
}

function apply(op: Operator, b: Uint8Array, original: Uint8Array, layout: Layout, rng: Rng): string | Uint8Array | null {
  const size = b.length;
  if (size === 0) return null;
  switch (op) {
    case 'bitflip': {
      const n = rng.range(1, 8);
      const at = hotOffset(rng, layout, size);
      for (let i = 0; i < n; i++) {
        const p = Math.min(size - 1, at + rng.int(16));
        b[p] = b[p]! ^ (1 << rng.int(8));
      }
      return `bitflip x${n} near 0x${at.toString(16)}`;
    }
    case 'byte-run': {
      const at = hotOffset(rng, layout, size);
      const n = Math.min(size - at, rng.pick([1, 2, 4, 8, 16, 64, 256]));
      const value = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x41, rng.int(256)]);
      b.fill(value, at, at + n);
      return `byte-run 0x${value.toString(16)} x${n} at 0x${at.toString(16)}`;
    }
    case 'interesting': {
      const f = pickField(rng, layout);
      if (!f) return null;
      const v = rng.pick(interestingValues(f, size, get(b, f), layout, rng));
      put(b, f, v);
      return `${f.name} at 0x${f.at.toString(16)} = 0x${BigInt.asUintN(f.width * 8, v).toString(16)}`;
    }
    case 'inflate': {
      const f = pickField(rng, layout, ['count', 'size']);
      if (!f) return null;
      const old = get(b, f);
      const v = rng.pick([old + 1n, old * 2n + 1n, old * 256n, 0x7fffffffn, 0xffffffffn, 0x10000000n, 0xffffn, 0xfffffffffffn, MAX64]);
      put(b, f, v);
      return `inflate ${f.name} at 0x${f.at.toString(16)} 0x${old.toString(16)} -> 0x${BigInt.asUintN(f.width * 8, v).toString(16)}`;
    }
    case 'redirect': {
      const f = pickField(rng, layout, ['offset']);
      if (!f) return null;
      const target = rng.chance(0.5)
        ? BigInt(boundary(rng, layout) - f.base)
        : rng.pick([BigInt(size - f.base), BigInt(size - f.base + 1), 0xffffffffn, 0n, 1n << 62n]);
      put(b, f, target);
      return `redirect ${f.name} at 0x${f.at.toString(16)} -> 0x${BigInt.asUintN(f.width * 8, target).toString(16)}`;
    }
    case 'retag': {
      const f = pickField(rng, layout, ['tag']);
      if (!f) return null;
      const choices = TAGS[f.name];
      const v = choices ? BigInt(rng.pick(choices)) : BigInt(rng.next());
      put(b, f, v);
      return `retag ${f.name} at 0x${f.at.toString(16)} = 0x${v.toString(16)}`;
    }
    case 'truncate': {
      const at = rng.chance(0.85) ? boundary(rng, layout) + rng.pick([-1, 0, 0, 0, 1, -4, 4, -8]) : rng.int(size);
      return truncateAt(b, at);
    }
    case 'load-command':
      return loadCommand(b, layout, rng);
    case 'chain':
      return chain(b, layout, rng);
    case 'deep-trie': {
      const tries = layout.regions.filter((r) => r.kind === 'trie' && r.at + r.size <= size);
      return tries.length ? deepTrie(b, rng.pick(tries), rng) : null;
    }
    case 'bogus-strings': {
      const rs = layout.regions.filter((r) => (r.kind === 'strtab' || r.kind === 'lcstr') && r.at < size);
      return rs.length ? bogusStrings(b, rng.pick(rs), rng) : null;
    }
    case 'huge-uleb': {
      const rs = layout.regions.filter((r) => (r.kind === 'uleb' || r.kind === 'trie') && r.at < size);
      return rs.length ? hugeUleb(b, rng.pick(rs), rng) : null;
    }
    case 'splice': {
      // A structure copied onto another one: a table where a header was expected.
      const from = boundary(rng, layout);
      const to = boundary(rng, layout);
      const n = Math.min(rng.pick([16, 64, 256, 1024]), original.length - from, size - to);
      if (n <= 0) return null;
      b.set(original.subarray(from, from + n), to);
      return `splice 0x${n.toString(16)} bytes 0x${from.toString(16)} -> 0x${to.toString(16)}`;
    }
  }
}
