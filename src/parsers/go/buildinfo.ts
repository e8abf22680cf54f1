// Go build information: the 32-byte blob the linker writes into writable data
// (its own `.go.buildinfo` / `__go_buildinfo` section since Go 1.13's module
// support, found by its 16-byte-aligned magic otherwise) and the two strings it
// leads to, runtime.buildVersion and runtime.modinfo.
//
// Blob layout (cmd/link/internal/ld.(*Link).buildinfo; debug/buildinfo):
//   [0,14)  "\xff Go buildinf:"
//   14      pointer size (4 or 8)
//   15      flags: bit 0 big-endian, bit 1 inline strings (Go 1.18+)
//   [16,32) pointer layout (Go 1.13–1.17): addresses of the two string
//           headers {data pointer, length}; inline layout: zero
//   32…     inline layout only: uvarint length + bytes, version then modinfo

import type { Image } from '../image.ts';
import { FormatError, hex, type Problems } from '../reader.ts';
import { GoMemory, findBytes, fileBacked } from './memory.ts';

export const BUILDINFO_MAGIC = new Uint8Array([0xff, 0x20, 0x47, 0x6f, 0x20, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x66, 0x3a]);
const BUILDINFO_ALIGN = 16;
const BUILDINFO_SIZE = 32;
/** Longest string the pointer layout may name; runtime.modinfo of a big module graph is tens of kB. */
const MAX_STRING = 4 << 20;

export interface RawBuildInfo {
  /** runtime.buildVersion, e.g. `go1.19.8`. */
  version: string;
  /** runtime.modinfo without its 16-byte sentinels; "" when not built in module mode. */
  modinfo: string;
  layout: 'pointer' | 'inline';
  /** Virtual address of the blob. */
  address: bigint;
  /** Where it was found: the named section, or a search of writable data. */
  foundBy: 'section' | 'search';
  ptrSize: 4 | 8;
  bigEndian: boolean;
}

interface BlobSite {
  address: bigint;
  /** Slice-relative offset. */
  offset: number;
  foundBy: 'section' | 'search';
}

/** Candidate blob positions: the named section first, then writable segments. */
function blobSites(image: Image): BlobSite[] {
  const sites: BlobSite[] = [];
  const seen = new Set<number>();
  const scan = (offset: number, size: number, address: bigint, foundBy: BlobSite['foundBy']) => {
    if (!image.reader.has(offset, size)) size = image.reader.remaining(offset);
    if (size < BUILDINFO_SIZE) return;
    const hay = image.reader.bytes(offset, size, 'buildinfo');
    const alignBase = Number((BigInt(BUILDINFO_ALIGN) - (address % BigInt(BUILDINFO_ALIGN))) % BigInt(BUILDINFO_ALIGN));
    for (
      let i = findBytes(hay, BUILDINFO_MAGIC, 0, BUILDINFO_ALIGN, alignBase);
      i !== -1;
      i = findBytes(hay, BUILDINFO_MAGIC, i + 1, BUILDINFO_ALIGN, alignBase)
    ) {
      if (size - i < BUILDINFO_SIZE || seen.has(offset + i)) continue;
      seen.add(offset + i);
      sites.push({ address: address + BigInt(i), offset: offset + i, foundBy });
      if (sites.length >= 8) return;
    }
  };
  for (const s of image.sections) {
    if (s.name !== '.go.buildinfo' && s.name !== '__go_buildinfo') continue;
    if (s.nobits) continue;
    scan(s.offset, s.size, s.addr, 'section');
  }
  // Go itself reads only the first 64 kB of the first writable segment; the
  // whole of every writable segment is searched here, so a blob moved by an
  // unusual linker layout is still found.
  for (const seg of fileBacked(image)) {
    if (seg.writable) scan(seg.offset, seg.fileSize, seg.address, 'search');
  }
  return sites;
}

/**
 * Reads the build info blob of one slice. Returns null when there is none
 * (not a Go binary, or one whose blob was removed). Malformed blobs are
 * recorded in `problems` and the next candidate is tried.
 */
export function readBuildInfo(image: Image, problems?: Problems): RawBuildInfo | null {
  for (const site of blobSites(image)) {
    try {
      const got = decodeBlob(image, site);
      if (got) return got;
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      problems?.error(e);
    }
  }
  return null;
}

function decodeBlob(image: Image, site: BlobSite): RawBuildInfo | null {
  const r = image.reader;
  const ptrSize = r.u8(site.offset + 14, 'buildinfo.ptrsize');
  const flags = r.u8(site.offset + 15, 'buildinfo.flags');
  if (ptrSize !== 4 && ptrSize !== 8) {
    throw new FormatError(
      `Go build info: pointer size ${ptrSize} is neither 4 nor 8`,
      r.base + site.offset + 14,
      'buildinfo.ptrsize',
      ptrSize,
    );
  }
  // Slice-relative [offset, length) of the two strings.
  let version: Span | null;
  let mod: Span | null;
  let layout: RawBuildInfo['layout'];
  if (flags & 2) {
    layout = 'inline';
    let at = site.offset + BUILDINFO_SIZE;
    const counted = (field: string): Span => {
      const { value: n, next } = r.ulebn(at, field);
      // debug/buildinfo rejects a length that reaches the end of the data.
      if (n >= r.remaining(next)) {
        throw new FormatError(`${field}: length ${n} runs past the end of the data`, r.base + at, field, n);
      }
      at = next + n;
      return { offset: next, length: n };
    };
    version = counted('buildinfo.version');
    mod = counted('buildinfo.modinfo');
  } else {
    layout = 'pointer';
    const mem = new GoMemory(image, ptrSize, (flags & 1) === 0);
    version = goString(mem, mem.word(site.address + 16n), 'runtime.buildVersion');
    mod = goString(mem, mem.word(site.address + 16n + BigInt(ptrSize)), 'runtime.modinfo');
  }
  if (!version || version.length === 0) return null;
  let modinfo = '';
  // The go command frames modinfo with two 16-byte sentinels
  // (cmd/go/internal/modload infoStart/infoEnd), the end one after a newline.
  if (mod && mod.length >= 33 && r.u8(mod.offset + mod.length - 17, 'modinfo') === 0x0a) {
    modinfo = r.utf8(mod.offset + 16, mod.length - 32, 'runtime.modinfo');
  }
  return {
    version: r.utf8(version.offset, version.length, 'runtime.buildVersion'),
    modinfo,
    layout,
    address: site.address,
    foundBy: site.foundBy,
    ptrSize,
    bigEndian: layout === 'pointer' && (flags & 1) === 1,
  };
}

interface Span {
  offset: number;
  length: number;
}

/** Where the bytes of the Go string whose header {data, len} is at `header` lie (slice-relative), or null when unreadable. */
export function goString(mem: GoMemory, header: bigint | null, what: string): Span | null {
  if (header === null || header === 0n) return null;
  const data = mem.word(header);
  const len = mem.word(header + BigInt(mem.ptrSize));
  if (data === null || len === null) return null;
  if (len > BigInt(MAX_STRING)) {
    const at = mem.offsetOf(header, 2 * mem.ptrSize) ?? 0;
    throw new FormatError(`${what}: string length ${len} at ${hex(header)} is implausible`, mem.image.reader.base + at, what, len);
  }
  const offset = mem.offsetOf(data, Number(len));
  return offset === null ? null : { offset, length: Number(len) };
}
