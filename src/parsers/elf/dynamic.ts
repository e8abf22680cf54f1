// The dynamic section (gABI "Dynamic Section"): what the dynamic linker
// reads. Found through PT_DYNAMIC, as the loader finds it; the SHT_DYNAMIC
// section is the fallback for files without program headers (objects, some
// debug files). Its strings live at DT_STRTAB, a virtual address.

import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import {
  DT_AARCH64_AUTH_RELR,
  DT_ANDROID_RELR,
  DT_CREL,
  DT_GNU_HASH,
  DT_HASH,
  DT_JMPREL,
  DT_REL,
  DT_RELA,
  DT_RELR,
  DT_SYMTAB,
  DT_SYMTAB_SHNDX,
  DT_SYMENT,
  EM_AARCH64,
  DT_BIND_NOW,
  DT_FLAGS,
  DT_FLAGS_1,
  DT_NEEDED,
  DT_NULL,
  DT_RPATH,
  DT_RUNPATH,
  DT_SONAME,
  DT_STRSZ,
  DT_STRTAB,
  PT_DYNAMIC,
  SHT_DYNAMIC,
  SHT_NOBITS,
  df1Names,
  dfNames,
} from './constants.ts';
import type { ElfHeader } from './header.ts';
import type { AddressMap, ProgramHeader } from './program.ts';
import { StringTable, type SectionHeader } from './sections.ts';

export interface DynamicEntry {
  /** File offset of the entry. */
  at: number;
  d_tag: bigint;
  d_val: bigint;
}

export interface DynamicInfo {
  /** Entries up to and including DT_NULL, in file order. */
  entries: DynamicEntry[];
  /** Where the table was found: `PT_DYNAMIC` or `SHT_DYNAMIC`. */
  source: string;
  offset: number;
  strtab: StringTable | null;
  needed: string[];
  soname: string | null;
  rpaths: { path: string; source: 'DT_RPATH' | 'DT_RUNPATH' }[];
  /** DT_FLAGS value, or null when absent. */
  flags: bigint | null;
  /** DT_FLAGS_1 value, or null when absent. */
  flags1: bigint | null;
  bindNow: boolean;
  /** First value of a tag, or undefined. */
  get(tag: number): bigint | undefined;
}

/** Cap on dynamic entries walked: real tables have under a hundred. */
export const MAX_DYNAMIC = 1 << 16;

// eslint-disable-next-line max-lines-per-function -- one pass over the DT_* entries with a case per tag, then the checks the loader makes on them
export function readDynamic(
  r: Reader,
  h: ElfHeader,
  phdrs: ProgramHeader[],
  sections: SectionHeader[],
  map: AddressMap,
  problems: Problems,
): DynamicInfo | null {
  let offset: number;
  let size: number;
  let source: string;
  let linkSection: SectionHeader | undefined;
  const pt = phdrs.find((p) => p.p_type === PT_DYNAMIC);
  const sh = sections.find((s) => s.sh_type === SHT_DYNAMIC);
  if (pt) {
    offset = pt.p_offset;
    size = pt.p_filesz;
    source = 'PT_DYNAMIC';
    // The section that covers the same bytes gives the fallback string table.
    linkSection = sh && sh.sh_offset === offset ? sections[sh.sh_link] : undefined;
  } else if (sh && sh.sh_type !== SHT_NOBITS) {
    offset = sh.sh_offset;
    size = sh.sh_size;
    source = 'SHT_DYNAMIC';
    linkSection = sections[sh.sh_link];
  } else {
    return null;
  }
  const entsize = h.is64 ? 16 : 8;
  // A size that is not a whole number of entries: the table is malformed (llvm-readobj: "invalid PT_DYNAMIC size").
  if (pt && pt.p_filesz % entsize !== 0) {
    problems.error(
      new FormatError(
        `PT_DYNAMIC p_filesz ${hex(pt.p_filesz)} is not a multiple of the entry size (${hex(entsize)})`,
        pt.at + (h.is64 ? 32 : 16),
        'PT_DYNAMIC.p_filesz',
        pt.p_filesz,
      ),
    );
  }
  for (const s of sections) {
    if (s.sh_type === SHT_DYNAMIC && s.sh_size % entsize !== 0) {
      problems.error(
        new FormatError(
          `SHT_DYNAMIC section [${s.index}] ${s.name}: sh_size ${hex(s.sh_size)} is not a multiple of the entry size (${hex(entsize)})`,
          s.at + (h.is64 ? 32 : 20),
          'sh_size',
          s.sh_size,
        ),
      );
    }
  }
  const fit = Math.floor(r.remaining(offset) / entsize);
  let count = Math.floor(size / entsize);
  if (fit < count) {
    problems.error(
      new FormatError(`dynamic table at ${hex(offset)} claims ${count} entries but the file holds ${fit}`, offset, source, count),
    );
    count = fit;
  }
  if (count > MAX_DYNAMIC) {
    problems.error(new FormatError(`dynamic table has ${count} entries; reading the first ${MAX_DYNAMIC}`, offset, source, count));
    count = MAX_DYNAMIC;
  }
  const entries: DynamicEntry[] = [];
  let sawNull = false;
  for (let i = 0; i < count; i++) {
    const at = offset + i * entsize;
    const d_tag = h.is64 ? r.i64(at, 'd_tag') : BigInt(r.i32(at, 'd_tag'));
    const d_val = h.is64 ? r.u64(at + 8, 'd_val') : BigInt(r.u32(at + 4, 'd_val'));
    entries.push({ at, d_tag, d_val });
    if (d_tag === BigInt(DT_NULL)) {
      sawNull = true;
      break;
    }
  }
  if (!sawNull && entries.length > 0) problems.warn(`dynamic table at ${hex(offset)} has no DT_NULL terminator`);

  const first = (tag: number) => entries.find((e) => e.d_tag === BigInt(tag))?.d_val;
  checkPointers(entries, h, map, problems);
  const syment = entries.find((e) => e.d_tag === BigInt(DT_SYMENT));
  const symSize = h.is64 ? 24n : 16n;
  if (syment && syment.d_val !== symSize) {
    problems.error(
      new FormatError(
        `DT_SYMENT ${syment.d_val} is not the size of a symbol (${symSize})`,
        syment.at + (h.is64 ? 8 : 4),
        'DT_SYMENT',
        syment.d_val,
      ),
    );
  }
  const strtab = dynamicStrings(r, map, first(DT_STRTAB), first(DT_STRSZ), linkSection, problems);

  const info: DynamicInfo = {
    entries,
    source,
    offset,
    strtab,
    needed: [],
    soname: null,
    rpaths: [],
    flags: first(DT_FLAGS) ?? null,
    flags1: first(DT_FLAGS_1) ?? null,
    bindNow: first(DT_BIND_NOW) !== undefined,
    get: first,
  };
  const str = (e: DynamicEntry, what: string): string | null => {
    if (!strtab) {
      problems.error(new FormatError(`${what}: no string table to read it from (DT_STRTAB unmapped)`, e.at, what, e.d_val));
      return null;
    }
    const at = e.d_val <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(e.d_val) : -1;
    return problems.try(() => strtab.get(at, what), null);
  };
  for (const e of entries) {
    const tag = e.d_tag;
    if (tag === BigInt(DT_NEEDED)) {
      const s = str(e, 'DT_NEEDED');
      if (s !== null) info.needed.push(s);
    } else if (tag === BigInt(DT_SONAME)) {
      info.soname ??= str(e, 'DT_SONAME');
    } else if (tag === BigInt(DT_RPATH) || tag === BigInt(DT_RUNPATH)) {
      const src = tag === BigInt(DT_RPATH) ? 'DT_RPATH' : 'DT_RUNPATH';
      const s = str(e, src);
      // ld.so splits the value on ':' into a search list (elf/dl-load.c, fillin_rpath).
      if (s !== null) for (const path of s.split(':')) if (path !== '') info.rpaths.push({ path, source: src });
    }
  }
  return info;
}

function dynamicStrings(
  r: Reader,
  map: AddressMap,
  strtabAddr: bigint | undefined,
  strsz: bigint | undefined,
  linkSection: SectionHeader | undefined,
  problems: Problems,
): StringTable | null {
  if (strtabAddr !== undefined && !map.empty) {
    const off = map.offsetOf(strtabAddr);
    if (off !== null) {
      const avail = map.bytesAfter(strtabAddr);
      let size = strsz !== undefined && strsz <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(strsz) : avail;
      if (size > avail) {
        problems.error(
          new FormatError(
            `DT_STRSZ ${hex(size)}: the dynamic string table at ${hex(strtabAddr)} runs past the end of its segment (${hex(avail)} bytes there); reading those`,
            off,
            'DT_STRSZ',
            size,
          ),
        );
        size = avail;
      }
      return StringTable.of(r, off, size, 'DT_STRTAB');
    }
    // checkPointers has recorded it; ld.so would read the strings at an address nothing is mapped at.
  }
  if (linkSection && linkSection.sh_type !== SHT_NOBITS && linkSection.index !== 0) {
    return StringTable.of(r, linkSection.sh_offset, linkSection.sh_size, linkSection.name || `section ${linkSection.index}`);
  }
  return null;
}

/**
 * The d_ptr entries that locate tables ld.so reads (and llvm-readobj maps, ELFDumper::parseDynamicTable): each
 * must point into the file-backed part of a PT_LOAD segment. Relocations read from an unmapped address fault.
 */
const MAPPED_TAGS = new Map<bigint, string>([
  [BigInt(DT_HASH), 'DT_HASH'],
  [BigInt(DT_GNU_HASH), 'DT_GNU_HASH'],
  [BigInt(DT_STRTAB), 'DT_STRTAB'],
  [BigInt(DT_SYMTAB), 'DT_SYMTAB'],
  [BigInt(DT_RELA), 'DT_RELA'],
  [BigInt(DT_REL), 'DT_REL'],
  [BigInt(DT_RELR), 'DT_RELR'],
  [BigInt(DT_ANDROID_RELR), 'DT_ANDROID_RELR'],
  [BigInt(DT_CREL), 'DT_CREL'],
  [BigInt(DT_JMPREL), 'DT_JMPREL'],
  [BigInt(DT_SYMTAB_SHNDX), 'DT_SYMTAB_SHNDX'],
]);

function checkPointers(entries: DynamicEntry[], h: ElfHeader, map: AddressMap, problems: Problems): void {
  // Without PT_LOAD segments (objects, debug files) there is nothing to map against.
  if (map.empty) return;
  const seen = new Set<bigint>();
  for (const e of entries) {
    const name =
      MAPPED_TAGS.get(e.d_tag) ??
      (h.e_machine === EM_AARCH64 && e.d_tag === BigInt(DT_AARCH64_AUTH_RELR) ? 'DT_AARCH64_AUTH_RELR' : undefined);
    if (!name || seen.has(e.d_tag)) continue;
    if (map.offsetOf(e.d_val) === null) {
      seen.add(e.d_tag);
      problems.error(
        new FormatError(`${name} ${hex(e.d_val)} is not in any PT_LOAD segment's file contents`, e.at + (h.is64 ? 8 : 4), name, e.d_val),
      );
    }
  }
}

/** FLAGS, FLAGS_1 and BIND_NOW by readelf's names, each once, in that order. */
export function dynamicFlagNames(d: DynamicInfo): string[] {
  const out: string[] = [];
  if (d.flags !== null) out.push(...dfNames(d.flags));
  if (d.bindNow && !out.includes('BIND_NOW')) out.push('BIND_NOW');
  if (d.flags1 !== null) for (const n of df1Names(d.flags1)) if (!out.includes(n)) out.push(n);
  return out;
}
