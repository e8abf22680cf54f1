// zip archives (APPNOTE.TXT 6.3): the central directory at the end lists
// every member with its offset, so members are read by random access through
// the source (Blob.slice in the browser), never the whole file; ZIP64 records
// for archives and members past 4 GiB. Stored members are windows of the
// source, deflated ones go through the platform's DecompressionStream
// ('deflate-raw'), counted against the unit's budget like any decompression.

import type { ByteSource } from '../parsers/reader.ts';
import { UnitError, type Budget } from './limits.ts';
import { decompressed, SourceStream, WindowSource, type ByteStream } from './stream.ts';
import type { ArchiveEntry, Body } from './tar.ts';

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

export function isZipHead(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

interface CdEntry {
  name: string;
  method: number;
  csize: number;
  usize: number;
  local: number;
  mode: number;
  flags: number;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** The central directory's entries. */
function centralDirectory(src: ByteSource, budget: Budget, where: string): CdEntry[] {
  const tailLen = Math.min(src.size, 22 + 0xffff);
  const tail = src.read(src.size - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view(tail).getUint32(i, true) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new UnitError('format', 'no end of central directory record: the zip archive is cut short or damaged', where);
  const e = view(tail);
  let count = e.getUint16(at + 10, true);
  let cdSize = e.getUint32(at + 12, true);
  let cdOffset = e.getUint32(at + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = at - 20;
    if (loc < 0 || e.getUint32(loc, true) !== EOCD64_LOCATOR) throw new UnitError('format', 'ZIP64 values without a ZIP64 locator', where);
    const off = Number(e.getBigUint64(loc + 8, true));
    const rec = src.read(off, 56);
    const r = view(rec);
    if (rec.length < 56 || r.getUint32(0, true) !== EOCD64)
      throw new UnitError('format', 'bad ZIP64 end of central directory record', where);
    count = Number(r.getBigUint64(32, true));
    cdSize = Number(r.getBigUint64(40, true));
    cdOffset = Number(r.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > src.size || !Number.isSafeInteger(cdOffset + cdSize))
    throw new UnitError('format', `the central directory (${cdSize} bytes at ${cdOffset}) lies past the end of the file`, where);
  // Entries are at least 46 bytes: a count the directory cannot hold is a lie, refused before anything is allocated.
  if (count * 46 > cdSize) throw new UnitError('format', `the central directory claims ${count} entries in ${cdSize} bytes`, where);
  const cd = src.read(cdOffset, cdSize);
  const d = view(cd);
  const out: CdEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || d.getUint32(p, true) !== CDH)
      throw new UnitError('format', `bad central directory entry ${i} at offset ${cdOffset + p}`, where);
    const made = d.getUint16(p + 4, true);
    const flags = d.getUint16(p + 8, true);
    const method = d.getUint16(p + 10, true);
    let csize = d.getUint32(p + 20, true);
    let usize = d.getUint32(p + 24, true);
    const nameLen = d.getUint16(p + 28, true);
    const extraLen = d.getUint16(p + 30, true);
    const commentLen = d.getUint16(p + 32, true);
    const ext = d.getUint32(p + 38, true);
    let local = d.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length)
      throw new UnitError('format', `central directory entry ${i} runs past the directory`, where);
    const name = new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extended information (0x0001): the 64-bit values, in order, of the fields that are 0xffffffff.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = d.getUint16(x, true);
      const len = d.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (usize === 0xffffffff && q + 8 <= x + 4 + len) {
          usize = Number(d.getBigUint64(q, true));
          q += 8;
        }
        if (csize === 0xffffffff && q + 8 <= x + 4 + len) {
          csize = Number(d.getBigUint64(q, true));
          q += 8;
        }
        if (local === 0xffffffff && q + 8 <= x + 4 + len) local = Number(d.getBigUint64(q, true));
      }
      x += 4 + len;
    }
    budget.entry(name);
    // Unix permissions ride in the high half of the external attributes when the archive was made on Unix (3).
    const mode = made >> 8 === 3 ? ext >>> 16 : name.endsWith('/') ? S_IFDIR | 0o755 : 0o644;
    out.push({ name, method, csize, usize, local, mode, flags });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The members of a zip archive in central-directory order, each with its body. */
export async function* zipEntries(src: ByteSource, budget: Budget, where: string): AsyncGenerator<{ entry: ArchiveEntry; body: Body }> {
  for (const c of centralDirectory(src, budget, where)) {
    const type = (c.mode & S_IFMT) === S_IFLNK ? 'symlink' : (c.mode & S_IFMT) === S_IFDIR || c.name.endsWith('/') ? 'dir' : 'file';
    const lh = src.read(c.local, 30);
    if (lh.length < 30 || view(lh).getUint32(0, true) !== LFH)
      throw new UnitError('format', `no local header for '${c.name.slice(0, 200)}' at offset ${c.local}`, where);
    const start = c.local + 30 + view(lh).getUint16(26, true) + view(lh).getUint16(28, true);
    if (start + c.csize > src.size) throw new UnitError('format', `'${c.name.slice(0, 200)}' runs past the end of the file`, where);
    const raw = new WindowSource(src, start, c.csize);
    const member = `${where}!${c.name}`;
    if (c.flags & 1) throw new UnitError('unsupported', `'${c.name.slice(0, 200)}' is encrypted`, where);
    if (c.method !== 0 && c.method !== 8)
      throw new UnitError(
        'unsupported',
        `'${c.name.slice(0, 200)}' uses compression method ${c.method} (binlens reads stored and deflated members)`,
        where,
      );
    const open = async (): Promise<ByteStream> =>
      c.method === 0 ? new SourceStream(raw) : decompressed(new SourceStream(raw), 'deflate-raw', budget, member);
    const readAll = async (n = c.usize): Promise<Uint8Array> => {
      if (c.method === 0) return raw.read(0, Math.min(n, c.csize));
      const s = await open();
      return s.read(Math.min(n, c.usize));
    };
    const linkname = type === 'symlink' ? new TextDecoder().decode(await readAll()) : '';
    const body: Body = {
      size: type === 'file' ? c.usize : 0,
      offset: start,
      head: (n) => readAll(n),
      all: () => readAll(),
      window: () => (c.method === 0 ? raw : null),
      stream: () => {
        // A stream that opens the decompressor on first read.
        let s: ByteStream | null = null;
        const get = async () => (s ??= await open());
        return {
          get position() {
            return s?.position ?? 0;
          },
          source: c.method === 0 ? raw : null,
          read: async (n: number) => (await get()).read(n),
          skip: async (n: number) => (await get()).skip(n),
          peek: async (n: number) => (await get()).peek(n),
        };
      },
    };
    yield { entry: { name: c.name, type, size: body.size, mode: c.mode & 0o7777, linkname }, body };
  }
}
