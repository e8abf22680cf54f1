// tar archives (POSIX.1-1988 ustar, POSIX.1-2001 pax, GNU): 512-byte headers,
// each followed by the member's body padded to 512. Read front to back from a
// ByteStream; a member's body is read only when the caller asks for it, and
// skipped otherwise (free on a random-access source). Long names come from a
// GNU `L`/`K` record or a pax `path`/`linkpath`/`size` record before the header.

import { UnitError, type Budget } from './limits.ts';
import type { ByteStream } from './stream.ts';
import { ChunkStream, SourceStream, WindowSource } from './stream.ts';
import { concat, type ByteSource } from '../parsers/reader.ts';

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface ArchiveEntry {
  /** The name as the archive spells it (not yet normalized). */
  name: string;
  type: EntryType;
  size: number;
  mode: number;
  /** Symlink or hard-link target. */
  linkname: string;
}

/** A member's body, read on request while the walk stands on it. */
export interface Body {
  readonly size: number;
  /** The first `n` bytes (fewer when the body is shorter). */
  head(n: number): Promise<Uint8Array>;
  /** The whole body (capped by the caller's limit, checked before reading). */
  all(): Promise<Uint8Array>;
  /** The body as a window of the archive's source, when the archive is random-access (no copy). */
  window(): ByteSource | null;
  /** The body as a stream (a window's stream, or the archive's own stream up to the body's end). */
  stream(): ByteStream;
  /** Where the body starts in the archive's source, when the archive is random-access. */
  readonly offset?: number;
}

const BLOCK = 512;
/** Longest GNU long-name or pax record binlens reads. */
const MAX_META = 1 << 20;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function cstr(b: Uint8Array, at: number, len: number): string {
  let end = at;
  while (end < at + len && b[end] !== 0) end++;
  return utf8.decode(b.subarray(at, end));
}

/** An octal field, or GNU's base-256 form (high bit of the first byte set) for sizes of 8 GiB and more. */
function numeric(b: Uint8Array, at: number, len: number): number {
  if (b[at]! & 0x80) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + b[at + i]!;
    return v;
  }
  const s = latin1
    .decode(b.subarray(at, at + len))
    .replace(/[\0 ]+$/, '')
    .trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return NaN;
  return parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  const want = numeric(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === want;
}

/** The ustar magic at offset 257 (POSIX and GNU headers both have it), whatever the checksum says. */
export function hasUstarMagic(head: Uint8Array): boolean {
  return head.length >= 262 && head[257] === 0x75 && head[258] === 0x73 && head[259] === 0x74 && head[260] === 0x61 && head[261] === 0x72;
}

/** Whether the first 512 bytes look like a tar header (ustar magic, or a v7 header with a valid checksum). */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < BLOCK) return false;
  if (head[257] === 0x75 && head[258] === 0x73 && head[259] === 0x74 && head[260] === 0x61 && head[261] === 0x72) return checksumOk(head);
  return head[0] !== 0 && checksumOk(head);
}

function typeOf(flag: number): EntryType {
  switch (flag) {
    case 0:
    case 0x30: // '0'
    case 0x37: // '7' contiguous file
      return 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x35:
      return 'dir';
    default:
      return 'other';
  }
}

/** pax extended header records: `LEN KEY=VALUE\n`. */
function paxRecords(b: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < b.length) {
    let sp = at;
    while (sp < b.length && b[sp] !== 0x20) sp++;
    const len = Number(latin1.decode(b.subarray(at, sp)));
    if (!Number.isSafeInteger(len) || len <= 0 || at + len > b.length) break;
    const rec = utf8.decode(b.subarray(sp + 1, at + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    at += len;
  }
  return out;
}

/**
 * Walks a tar stream: yields each entry with its body; the body must be used
 * before asking for the next entry, which skips what is left of it.
 */
export async function* tarEntries(stream: ByteStream, budget: Budget, where: string): AsyncGenerator<{ entry: ArchiveEntry; body: Body }> {
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Map<string, string> | null = null;
  for (;;) {
    const h = await stream.read(BLOCK);
    if (h.length === 0) return; // a tar without its end blocks (common in layers written by some tools)
    if (h.length < BLOCK)
      throw new UnitError('format', `the tar archive ends inside a header at offset ${stream.position - h.length}`, where);
    if (h.every((x) => x === 0)) return;
    if (!checksumOk(h))
      throw new UnitError(
        'format',
        `bad tar header checksum at offset ${stream.position - BLOCK}: the archive is damaged or not a tar`,
        where,
      );
    const flag = h[156]!;
    let size = numeric(h, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0)
      throw new UnitError('format', `bad tar size field at offset ${stream.position - BLOCK + 124}`, where);
    // Metadata records that describe the next header.
    if (flag === 0x4c /* L */ || flag === 0x4b /* K */ || flag === 0x78 /* x */ || flag === 0x67 /* g */) {
      if (size > MAX_META) throw new UnitError('limit', `a tar metadata record of ${size} bytes (limit ${MAX_META})`, where);
      const data = await stream.read(size);
      if (data.length < size) throw new UnitError('format', 'the tar archive ends inside a metadata record', where);
      await stream.skip(pad(size));
      budget.entry(where);
      if (flag === 0x4c) longName = cstr(data, 0, data.length);
      else if (flag === 0x4b) longLink = cstr(data, 0, data.length);
      else if (flag === 0x78) pax = paxRecords(data);
      continue;
    }
    let name = cstr(h, 0, 100);
    const ustar = h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[260] === 0x61 && h[261] === 0x72;
    // POSIX ustar splits long names into prefix/name; GNU's header uses those bytes for times.
    if (ustar && h[262] === 0 && h[345] !== 0) name = `${cstr(h, 345, 155)}/${name}`;
    let linkname = cstr(h, 157, 100);
    if (longName !== null) name = longName;
    if (longLink !== null) linkname = longLink;
    if (pax) {
      name = pax.get('path') ?? name;
      linkname = pax.get('linkpath') ?? linkname;
      const ps = pax.get('size');
      if (ps !== undefined && /^\d+$/.test(ps)) size = Number(ps);
    }
    longName = longLink = null;
    pax = null;
    const type = typeOf(flag);
    // Links and directories carry no body, whatever the size field says.
    const bodySize = type === 'file' || type === 'other' ? size : 0;
    const entry: ArchiveEntry = { name, type, size: bodySize, mode: numeric(h, 100, 8) || 0, linkname };
    budget.entry(name);
    const body = memberBody(stream, bodySize, name);
    yield { entry, body };
    const left = body.unread();
    const skipped = await stream.skip(left + pad(bodySize));
    if (skipped < left)
      throw new UnitError('format', `the tar archive ends inside '${name.slice(0, 200)}' (${bodySize} bytes announced)`, where);
  }
}

/**
 * The body of the member that starts at the stream's position, `size` bytes:
 * read in place where the stream has a source (fetched ahead first), else
 * from the stream as asked, its first bytes kept for what follows. `unread()`:
 * what the stream has yet to pass over once the walk moves on.
 */
export function memberBody(stream: ByteStream, size: number, name: string): Body & { unread(): number } {
  const start = stream.position;
  let used = 0;
  let headBuf: Uint8Array | null = null;
  const window = (source: ByteSource) => new WindowSource(source, start, Math.min(size, source.size - start));
  return {
    size,
    offset: stream.source ? start : undefined,
    head: async (n) => {
      if (headBuf && headBuf.length >= Math.min(n, size)) return headBuf.subarray(0, Math.min(n, headBuf.length));
      if (stream.source) {
        await stream.source.prefetch?.(start, Math.min(n, size));
        return stream.source.read(start, Math.min(n, size));
      }
      if (used > 0) throw new UnitError('format', 'internal: head after body read', name);
      headBuf = await stream.read(Math.min(n, size));
      used = headBuf.length;
      return headBuf;
    },
    all: async () => {
      if (stream.source) {
        await stream.source.prefetch?.(start, size);
        return stream.source.read(start, size);
      }
      const rest = await stream.read(size - used);
      used += rest.length;
      if (!headBuf || headBuf.length === 0) return rest;
      headBuf = concat([headBuf, rest]);
      return headBuf;
    },
    window: () => (stream.source ? window(stream.source) : null),
    stream: () => {
      if (stream.source) return new SourceStream(window(stream.source));
      const already = headBuf;
      const chunks = async function* (): AsyncGenerator<Uint8Array> {
        if (already && already.length) yield already;
        while (used < size) {
          const c = await stream.read(Math.min(1 << 20, size - used));
          if (c.length === 0) return;
          used += c.length;
          yield c;
        }
      };
      return new ChunkStream(chunks());
    },
    unread: () => size - (stream.source ? 0 : used),
  };
}

function pad(n: number): number {
  return (BLOCK - (n % BLOCK)) % BLOCK;
}
