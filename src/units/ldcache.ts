// /etc/ld.so.cache as glibc's ldconfig writes it (sysdeps/generic/dl-cache.h,
// the "new" format glibc has written alone since 2.32: the magic
// `glibc-ld.so.cache1.1`, then `nlibs` entries of 24 bytes whose key (the
// soname) and value (the path) are offsets of NUL-terminated strings from the
// start of that header). Older files put the libc5 format first; the new
// header then follows its entries.

export interface CacheEntry {
  soname: string;
  path: string;
  flags: number;
}

const MAGIC = 'glibc-ld.so.cache1.1';
const ENTRY = 24;
const HEADER = 48;

function findMagic(b: Uint8Array): number {
  const m = new TextEncoder().encode(MAGIC);
  // The libc5 part, when there is one, is a header and 12-byte entries: the new header starts within it.
  outer: for (let at = 0; at + m.length <= Math.min(b.length, 1 << 24); at++) {
    for (let i = 0; i < m.length; i++) if (b[at + i] !== m[i]) continue outer;
    return at;
  }
  return -1;
}

/** The cache's entries in file order; null when the bytes are not a cache binlens reads. */
export function parseLdCache(b: Uint8Array): CacheEntry[] | null {
  const at = findMagic(b);
  if (at < 0 || at + HEADER > b.length) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // The byte order is the machine's; a cache is little-endian on the targets binlens judges.
  const nlibs = v.getUint32(at + 20, true);
  if (at + HEADER + nlibs * ENTRY > b.length) return null;
  const str = (off: number): string | null => {
    const start = at + off;
    if (off <= 0 || start >= b.length) return null;
    let end = start;
    while (end < b.length && b[end] !== 0 && end - start < 4096) end++;
    return new TextDecoder().decode(b.subarray(start, end));
  };
  const out: CacheEntry[] = [];
  for (let i = 0; i < nlibs; i++) {
    const e = at + HEADER + i * ENTRY;
    const soname = str(v.getUint32(e + 4, true));
    const path = str(v.getUint32(e + 8, true));
    if (soname !== null && path !== null) out.push({ soname, path, flags: v.getInt32(e, true) });
  }
  return out;
}
