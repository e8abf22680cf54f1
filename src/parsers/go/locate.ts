// Finding the function table of a slice: by section name when the section
// headers are there, else by searching for a header and confirming it through
// runtime.firstmoduledata, whose first word points at it. The module data
// also gives moduledata.text, the base of 1.18+ entry offsets, which the
// pcHeader copy of it does not reliably hold (0 in PIE files and since Go
// 1.2x, where the linker leaves it to a relocation or does not write it).

import type { Image } from '../image.ts';
import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import { GoMemory, findBytes, fileBacked, type LoadedSegment } from './memory.ts';
import { FuncTable, PCLNTAB_MAGICS, parsePclntabHeader, sniffPclntab, type PclntabHeader } from './pclntab.ts';

const SECTION_NAMES = ['.gopclntab', '__gopclntab', '.data.rel.ro.gopclntab'];
/** Header candidates tried per search before giving up: a real table is among the first few. */
const MAX_CANDIDATES = 64;

export interface ModuleData {
  address: bigint;
  /** moduledata.text, .etext, .minpc, .maxpc. */
  text: bigint;
  etext: bigint;
  minpc: bigint;
  maxpc: bigint;
  /** len(moduledata.ftab): nfunc + 1 in a consistent file. */
  nftab: bigint;
}

export interface LocatedTable {
  table: FuncTable;
  header: PclntabHeader;
  address: bigint;
  /** Slice-relative offset. */
  offset: number;
  foundBy: 'section' | 'search';
  moduledata: ModuleData | null;
  textStartSource: string;
  memory: GoMemory;
}

/** Words of moduledata before `text` etc.: 1.16+ begins with pcHeader and six slices; 1.2–1.15 with three slices. */
function moduledataIndex(h: PclntabHeader) {
  return h.version === '1.2'
    ? { nftab: 4, minpc: 10, maxpc: 11, text: 12, etext: 13, words: 14 }
    : { nftab: 17, minpc: 20, maxpc: 21, text: 22, etext: 23, words: 24 };
}

/** The runtime.firstmoduledata that points at the table at `address`, validated field by field, or null. */
export function findModuledata(mem: GoMemory, address: bigint, h: PclntabHeader): ModuleData | null {
  const ix = moduledataIndex(h);
  const p = BigInt(mem.ptrSize);
  for (const md of mem.findPointers(address)) {
    const w = (i: number) => mem.word(md + BigInt(i) * p);
    try {
      if (h.version === '1.2') {
        // pclntable []byte then ftab []functab, a slice of the same table.
        if (w(1) !== w(2)) continue;
        const ftab = w(3);
        if (ftab !== address + BigInt(h.functabOffset)) continue;
      } else {
        const funcnametab = w(1);
        if (funcnametab !== address + BigInt(h.funcnameOffset)) continue;
      }
      const [minpc, maxpc, text, etext, nftab] = [w(ix.minpc), w(ix.maxpc), w(ix.text), w(ix.etext), w(ix.nftab)];
      if (minpc === null || maxpc === null || text === null || etext === null || nftab === null) continue;
      if (minpc > maxpc || text > etext || minpc < text) continue;
      return { address: md, text, etext, minpc, maxpc, nftab };
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
    }
  }
  return null;
}

function isCodeIn(segments: LoadedSegment[]) {
  const code = segments.filter((s) => s.executable);
  return (a: bigint) => code.some((s) => a >= s.address && a < s.address + BigInt(s.fileSize));
}

interface Candidate {
  window: Reader;
  address: bigint;
  offset: number;
  foundBy: LocatedTable['foundBy'];
}

/** Tables named by section headers, then header-shaped bytes in every file-backed segment. */
function* candidates(image: Image, segments: LoadedSegment[], search: boolean): Generator<Candidate> {
  for (const name of SECTION_NAMES) {
    const s = image.sections.find((x) => x.name === name);
    if (!s || s.nobits) continue;
    const size = Math.min(s.size, image.reader.remaining(s.offset));
    if (size < 16) continue;
    yield { window: image.reader.sub(s.offset, size), address: s.addr, offset: s.offset, foundBy: 'section' };
  }
  if (!search) return;
  // Read-only data first (where Go's linker puts it), then the rest.
  const order = [...segments].sort((a, b) => rank(a) - rank(b));
  let tried = 0;
  for (const seg of order) {
    const hay = image.reader.bytes(seg.offset, seg.fileSize, 'segment');
    const alignBase = Number((4n - (seg.address % 4n)) % 4n);
    for (const [magic] of PCLNTAB_MAGICS) {
      for (const le of [true, false]) {
        const m = [magic & 0xff, (magic >>> 8) & 0xff, (magic >>> 16) & 0xff, magic >>> 24];
        const needle = new Uint8Array([...(le ? m : m.reverse()), 0, 0]);
        for (let i = findBytes(hay, needle, 0, 4, alignBase); i !== -1; i = findBytes(hay, needle, i + 1, 4, alignBase)) {
          if (++tried > MAX_CANDIDATES) return;
          const window = image.reader.sub(seg.offset + i, seg.fileSize - i);
          if (!sniffPclntab(window, 0)) continue;
          yield { window, address: seg.address + BigInt(i), offset: seg.offset + i, foundBy: 'search' };
        }
      }
    }
  }
}

function rank(s: LoadedSegment): number {
  if (!s.writable && !s.executable) return 0;
  if (!s.writable) return 1;
  return 2;
}

/**
 * Locates and opens the function table of one slice, or returns null when it
 * has none. Problems with a candidate (a named section that does not parse)
 * are recorded; the search goes on.
 */
export function locatePclntab(image: Image, problems?: Problems, search = true): LocatedTable | null {
  const segments = fileBacked(image);
  const isCode = isCodeIn(segments);
  const hasSection = image.sections.some((s) => SECTION_NAMES.includes(s.name));
  // `search`: also look for header-shaped bytes when no named section holds
  // a table (index.ts asks for it when section headers are gone or another
  // Go marker is present: external linkers merge the section away).
  let fallback: LocatedTable | null = null;
  for (const c of candidates(image, segments, search)) {
    try {
      const header = parsePclntabHeader(c.window);
      const memory = new GoMemory(image, header.ptrSize, header.littleEndian);
      const moduledata = findModuledata(memory, c.address, header);
      const { textStart, source } = textStartOf(image, memory, c.address, header, moduledata, isCode);
      const table = new FuncTable(c.window, header, textStart);
      const problem = table.validate(isCode);
      if (problem) {
        if (c.foundBy === 'section') problems?.warn(`Go function table at ${hex(c.address)}: ${problem}`);
        continue;
      }
      if (moduledata && moduledata.nftab !== BigInt(header.nfunc + 1)) {
        problems?.warn(
          `Go function table at ${hex(c.address)}: moduledata.ftab has ${moduledata.nftab} entries, the header says ${header.nfunc} functions (+1 end entry)`,
        );
      }
      const found: LocatedTable = {
        table,
        header,
        address: c.address,
        offset: c.offset,
        foundBy: c.foundBy,
        moduledata,
        textStartSource: source,
        memory,
      };
      // A named section, or a search hit the module data confirms, is taken
      // at once; an unconfirmed search hit only if nothing better turns up.
      if (c.foundBy === 'section' || moduledata) return found;
      fallback ??= found;
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      if (c.foundBy === 'section') problems?.error(e);
    }
  }
  if (fallback && hasSection) problems?.warn(`Go function table found by search at ${hex(fallback.address)}, not in its section`);
  return fallback;
}

/** The base of 1.18+ entry offsets, and where it came from. */
function textStartOf(
  image: Image,
  mem: GoMemory,
  address: bigint,
  h: PclntabHeader,
  md: ModuleData | null,
  isCode: (a: bigint) => boolean,
): { textStart: bigint; source: string } {
  if (h.version === '1.2' || h.version === '1.16') return { textStart: 0n, source: 'absolute entries (no text base before Go 1.18)' };
  const entryOff0 = (() => {
    const w = mem.readerAt(address + BigInt(h.functabOffset), 4);
    return w ? BigInt(w.u32(0, 'functab[0].entryoff')) : 0n;
  })();
  const ok = (t: bigint) => t !== 0n && isCode(t + entryOff0);
  if (md && ok(md.text))
    return { textStart: md.text, source: `moduledata.text at ${hex(md.address + BigInt(moduledataIndex(h).text * mem.ptrSize))}` };
  // pcHeader.textStart, through its dynamic relocation when the file holds 0.
  const fromHeader = mem.word(address + 8n + 2n * BigInt(h.ptrSize));
  if (fromHeader !== null && ok(fromHeader)) return { textStart: fromHeader, source: 'pcHeader.textStart' };
  // Go's internal linker puts runtime.text at the start of the text section.
  for (const name of ['.text', '__text']) {
    const s = image.sections.find((x) => x.name === name);
    if (s && ok(s.addr)) return { textStart: s.addr, source: `start of ${name} (no module data found)` };
  }
  const code = mem.segments.find((s) => s.executable);
  return { textStart: code?.address ?? 0n, source: 'start of the first executable segment (guess)' };
}
