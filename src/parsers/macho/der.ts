// A small, bounded DER reader for the DER entitlements blob (CSMAGIC_EMBEDDED_DER_ENTITLEMENTS).
// Apple encodes the entitlements dictionary as [APPLICATION 16] { INTEGER version,
// [CONTEXT 16] { SEQUENCE { UTF8String key, value }... } }, with values that are
// BOOLEAN, INTEGER, UTF8String, SEQUENCE (array) or another [CONTEXT 16] dictionary.
// This renders that tree as JSON-style text for reading; other tags are shown
// by number and length. Depth and node count are capped: the bytes are hostile.

import { FormatError, LimitError, type Reader, hex } from '../reader.ts';

const MAX_DEPTH = 64;
const MAX_NODES = 100_000;

interface Tlv {
  cls: number;
  constructed: boolean;
  tag: number;
  /** Offset of the contents in the reader. */
  at: number;
  length: number;
  /** Offset just past the contents. */
  end: number;
}

function readTlv(r: Reader, at: number, limit: number): Tlv {
  const first = r.u8(at, 'der.tag');
  let p = at + 1;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    // High-tag-number form: base-128 digits, at most 4 of them here.
    tag = 0;
    for (let i = 0; ; i++) {
      if (i === 4) throw new FormatError('DER tag number too long', r.base + at, 'der.tag');
      const b = r.u8(p++, 'der.tag');
      tag = tag * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
  }
  const lb = r.u8(p++, 'der.length');
  let length = lb;
  if (lb & 0x80) {
    const n = lb & 0x7f;
    // DER forbids the indefinite form (0x80); four length bytes cover any blob we read.
    if (n === 0 || n > 4) throw new FormatError(`DER length form ${hex(lb)} is not allowed`, r.base + p - 1, 'der.length', lb);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + r.u8(p++, 'der.length');
  }
  if (p + length > limit)
    throw new FormatError(`DER element of ${length} bytes at ${hex(at)} runs past its container`, r.base + at, 'der.length', length);
  return { cls: first >> 6, constructed: (first & 0x20) !== 0, tag, at: p, length, end: p + length };
}

/** Renders DER entitlements as JSON-style text. Throws FormatError on malformed input. */
export function derEntitlementsText(r: Reader): string {
  let nodes = 0;
  const children = (t: Tlv): Tlv[] => {
    const out: Tlv[] = [];
    for (let p = t.at; p < t.end;) {
      if (++nodes > MAX_NODES) throw new LimitError(`DER: more than ${MAX_NODES} elements`, r.base + p, 'der');
      const c = readTlv(r, p, t.end);
      out.push(c);
      p = c.end;
    }
    return out;
  };
  const pad = (depth: number): string => '  '.repeat(depth);

  const render = (t: Tlv, depth: number): string => {
    if (depth > MAX_DEPTH) throw new LimitError(`DER: nested deeper than ${MAX_DEPTH}`, r.base + t.at, 'der');
    if (t.cls === 0 && !t.constructed) {
      if (t.tag === 1) return r.u8(t.at, 'der.boolean') ? 'true' : 'false';
      if (t.tag === 2) {
        if (t.length === 0 || t.length > 16) return `<INTEGER of ${t.length} bytes>`;
        let v = 0n;
        for (let i = 0; i < t.length; i++) v = (v << 8n) | BigInt(r.u8(t.at + i, 'der.integer'));
        if (r.u8(t.at, 'der.integer') & 0x80) v -= 1n << BigInt(8 * t.length);
        return v.toString();
      }
      if (t.tag === 12 || t.tag === 19 || t.tag === 22) return JSON.stringify(t.length ? bytesText(r, t) : '');
      if (t.tag === 5) return 'null';
    }
    if (t.cls === 0 && t.constructed && (t.tag === 16 || t.tag === 17)) {
      const items = children(t);
      if (!items.length) return '[]';
      return `[\n${items.map((c) => pad(depth + 1) + render(c, depth + 1)).join(',\n')}\n${pad(depth)}]`;
    }
    if (t.cls === 2 && t.constructed && t.tag === 16) {
      // A dictionary: each entry is SEQUENCE { UTF8String key, value }.
      const entries = children(t).map((e) => {
        const kv = e.constructed ? children(e) : [];
        const k = kv[0];
        const v = kv[1];
        if (kv.length !== 2 || !k || !v || k.cls !== 0 || k.tag !== 12)
          throw new FormatError('DER dictionary entry is not SEQUENCE { UTF8String, value }', r.base + e.at, 'der.dictionary');
        return `${pad(depth + 1)}${JSON.stringify(bytesText(r, k))}: ${render(v, depth + 1)}`;
      });
      return entries.length ? `{\n${entries.join(',\n')}\n${pad(depth)}}` : '{}';
    }
    if (t.cls === 1 && t.constructed && t.tag === 16) {
      // [APPLICATION 16] { INTEGER version, dictionary }: show the dictionary.
      const parts = children(t);
      const dict = parts.find((p) => p.cls === 2 && p.tag === 16);
      if (dict) return render(dict, depth);
    }
    return `<${['UNIVERSAL', 'APPLICATION', 'CONTEXT', 'PRIVATE'][t.cls]} ${t.tag}${t.constructed ? ' constructed' : ''}, ${t.length} bytes>`;
  };

  const top = readTlv(r, 0, r.length);
  return render(top, 0);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function bytesText(r: Reader, t: Tlv): string {
  return utf8.decode(r.bytes(t.at, t.length, 'der.string'));
}
