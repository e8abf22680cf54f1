// GNU symbol versioning (LSB Core, "Symbol Versioning"): .gnu.version
// (SHT_GNU_versym, one Elf_Half per .dynsym entry), .gnu.version_r
// (SHT_GNU_verneed: versions needed from each library) and .gnu.version_d
// (SHT_GNU_verdef: versions this object defines). Found by section type, or
// through DT_VERSYM / DT_VERNEED / DT_VERDEF when there are no sections.
// The needed/defined lists are linked lists inside the section (vn_next,
// vna_next, vd_next, vda_next are byte offsets): every walk is bounded by
// the section size and a step cap, so a cycle ends the walk.

import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import {
  DT_VERDEF,
  DT_VERDEFNUM,
  DT_VERNEED,
  DT_VERNEEDNUM,
  DT_VERSYM,
  SHT_GNU_VERDEF,
  SHT_GNU_VERNEED,
  SHT_GNU_VERSYM,
  SHT_NOBITS,
  VER_FLG_BASE,
  VER_FLG_WEAK,
  VER_NDX_GLOBAL,
  VERSYM_HIDDEN,
  VERSYM_VERSION,
} from './constants.ts';
import type { DynamicInfo } from './dynamic.ts';
import type { AddressMap } from './program.ts';
import type { SectionHeader, StringTable } from './sections.ts';

export interface VersionNeed {
  /** vn_file: the library the versions are expected from. */
  file: string;
  versions: { name: string; index: number; flags: number; weak: boolean }[];
}

export interface VersionDef {
  index: number;
  flags: number;
  /** vd_flags has VER_FLG_BASE: the entry names the object itself. */
  base: boolean;
  name: string;
  /** Names of the parent versions (the verdaux entries after the first). */
  parents: string[];
}

export interface SymbolVersion {
  name: string;
  /** VERSYM_HIDDEN set: `sym@VER` rather than the default `sym@@VER`. */
  hidden: boolean;
  /** Where the version comes from: a needed library (`vn_file`) or this object (null). */
  file: string | null;
  /** The versym value's index (without the hidden bit). */
  index: number;
  fromNeed: boolean;
}

export interface VersionInfo {
  needs: VersionNeed[];
  defs: VersionDef[];
  /** versym entry of dynamic symbol `i`, or null when there is no versym table or `i` is outside it. */
  versym(i: number): number | null;
  /**
   * The version a dynamic symbol carries. Defined symbols look in verdef
   * first, then verneed: a linker-made copy (.dynbss) of a library variable is
   * defined yet carries a needed version. Index 0 (local) and 1 (global) carry none.
   */
  symbolVersion(i: number, defined: boolean): SymbolVersion | null;
  /** vn_file of the library that provides version `name`, or null when none or several do. */
  fileOfVersion(name: string): string | null;
}

/** Cap on verneed/vernaux/verdef/verdaux steps. */
export const MAX_VERSION_STEPS = 1 << 16;

interface Area {
  offset: number;
  size: number;
}

function sectionArea(sections: SectionHeader[], type: number): Area | null {
  const s = sections.find((x) => x.sh_type === type);
  return s && s.sh_type !== SHT_NOBITS ? { offset: s.sh_offset, size: s.sh_size } : null;
}

function dynamicArea(map: AddressMap, dyn: DynamicInfo | null, tag: number): Area | null {
  const addr = dyn?.get(tag);
  if (addr === undefined) return null;
  const offset = map.offsetOf(addr);
  return offset === null ? null : { offset, size: map.bytesAfter(addr) };
}

export function readVersions(
  r: Reader,
  sections: SectionHeader[],
  map: AddressMap,
  dyn: DynamicInfo | null,
  dynsymCount: number,
  strtab: StringTable | null,
  problems: Problems,
): VersionInfo {
  const versymArea = sectionArea(sections, SHT_GNU_VERSYM) ?? dynamicArea(map, dyn, DT_VERSYM);
  const needArea = sectionArea(sections, SHT_GNU_VERNEED) ?? dynamicArea(map, dyn, DT_VERNEED);
  const defArea = sectionArea(sections, SHT_GNU_VERDEF) ?? dynamicArea(map, dyn, DT_VERDEF);
  const needCount = countFrom(dyn, DT_VERNEEDNUM, sections, SHT_GNU_VERNEED);
  const defCount = countFrom(dyn, DT_VERDEFNUM, sections, SHT_GNU_VERDEF);

  let versymCount = 0;
  if (versymArea) {
    versymCount = Math.min(dynsymCount, Math.floor(r.remaining(versymArea.offset) / 2), Math.floor(versymArea.size / 2));
    if (versymCount < dynsymCount) {
      problems.error(
        new FormatError(
          `.gnu.version at ${hex(versymArea.offset)} has ${versymCount} entries for ${dynsymCount} dynamic symbols`,
          versymArea.offset,
          'SHT_GNU_versym',
          versymCount,
        ),
      );
    }
  }
  const str = (off: number, field: string): string => {
    if (!strtab) throw new FormatError(`${field}: no dynamic string table`, 0, field, off);
    return strtab.get(off, field);
  };
  const needs = needArea ? problems.try(() => readNeeds(r, needArea, needCount, str, problems), []) : [];
  const defs = defArea ? problems.try(() => readDefs(r, defArea, defCount, str, problems), []) : [];

  const needByIndex = new Map<number, { name: string; file: string }>();
  // A version name can be required from several libraries (glibc's libc.so.6 and
  // libm.so.6 both define GLIBC_2.17); the name alone then does not say which.
  const fileByName = new Map<string, string | null>();
  for (const n of needs) {
    for (const v of n.versions) {
      needByIndex.set(v.index, { name: v.name, file: n.file });
      const seen = fileByName.get(v.name);
      fileByName.set(v.name, seen === undefined || seen === n.file ? n.file : null);
    }
  }
  const defByIndex = new Map<number, VersionDef>();
  for (const d of defs) if (!defByIndex.has(d.index)) defByIndex.set(d.index, d);

  const versym = (i: number): number | null =>
    versymArea && i >= 0 && i < versymCount ? r.u16(versymArea.offset + 2 * i, 'versym') : null;
  return {
    needs,
    defs,
    versym,
    fileOfVersion: (name) => fileByName.get(name) ?? null,
    symbolVersion(i, defined) {
      const v = versym(i);
      if (v === null) return null;
      const index = v & VERSYM_VERSION;
      if (index <= VER_NDX_GLOBAL) return null;
      const hidden = (v & VERSYM_HIDDEN) !== 0;
      if (defined) {
        const d = defByIndex.get(index);
        if (d) return { name: d.name, hidden, file: null, index, fromNeed: false };
      }
      const n = needByIndex.get(index);
      if (n) return { name: n.name, hidden, file: n.file, index, fromNeed: true };
      return null;
    },
  };
}

function countFrom(dyn: DynamicInfo | null, tag: number, sections: SectionHeader[], type: number): number | null {
  // sh_info of the version sections holds the entry count, as DT_VERNEEDNUM/DT_VERDEFNUM do.
  const s = sections.find((x) => x.sh_type === type);
  if (s) return s.sh_info;
  const v = dyn?.get(tag);
  return v === undefined || v > 0xffffffffn ? null : Number(v);
}

function readNeeds(
  r: Reader,
  area: Area,
  count: number | null,
  str: (off: number, field: string) => string,
  problems: Problems,
): VersionNeed[] {
  const out: VersionNeed[] = [];
  const end = Math.min(area.offset + area.size, r.length);
  const limit = count ?? MAX_VERSION_STEPS;
  let at = area.offset;
  let steps = 0;
  for (let i = 0; i < limit; i++) {
    // Elf_Verneed: vn_version, vn_cnt (Half), vn_file, vn_aux, vn_next (Word): 16 bytes.
    if (at < area.offset || at + 16 > end) {
      problems.error(new FormatError(`verneed entry ${i} at ${hex(at)} lies outside .gnu.version_r`, at, 'vn_next', at));
      break;
    }
    const vn_cnt = r.u16(at + 2, 'vn_cnt');
    const vn_file = r.u32(at + 4, 'vn_file');
    const vn_aux = r.u32(at + 8, 'vn_aux');
    const vn_next = r.u32(at + 12, 'vn_next');
    const need: VersionNeed = { file: problems.try(() => str(vn_file, 'vn_file'), `<bad vn_file ${hex(vn_file)}>`), versions: [] };
    out.push(need);
    let aux = at + vn_aux;
    for (let j = 0; j < vn_cnt; j++) {
      if (++steps > MAX_VERSION_STEPS) {
        problems.error(new FormatError(`more than ${MAX_VERSION_STEPS} vernaux entries: a vna_next cycle?`, aux, 'vna_next'));
        return out;
      }
      // Elf_Vernaux: vna_hash (Word), vna_flags, vna_other (Half), vna_name, vna_next (Word): 16 bytes.
      if (aux < area.offset || aux + 16 > end) {
        problems.error(new FormatError(`vernaux entry at ${hex(aux)} lies outside .gnu.version_r`, aux, 'vna_next', aux));
        break;
      }
      const vna_flags = r.u16(aux + 4, 'vna_flags');
      const vna_other = r.u16(aux + 6, 'vna_other');
      const vna_name = r.u32(aux + 8, 'vna_name');
      const vna_next = r.u32(aux + 12, 'vna_next');
      need.versions.push({
        name: problems.try(() => str(vna_name, 'vna_name'), `<bad vna_name ${hex(vna_name)}>`),
        index: vna_other & VERSYM_VERSION,
        flags: vna_flags,
        weak: (vna_flags & VER_FLG_WEAK) !== 0,
      });
      if (vna_next === 0) break;
      aux += vna_next;
    }
    if (vn_next === 0) break;
    if (++steps > MAX_VERSION_STEPS) {
      problems.error(new FormatError(`more than ${MAX_VERSION_STEPS} verneed entries: a vn_next cycle?`, at, 'vn_next'));
      break;
    }
    at += vn_next;
  }
  return out;
}

function readDefs(
  r: Reader,
  area: Area,
  count: number | null,
  str: (off: number, field: string) => string,
  problems: Problems,
): VersionDef[] {
  const out: VersionDef[] = [];
  const end = Math.min(area.offset + area.size, r.length);
  const limit = count ?? MAX_VERSION_STEPS;
  let at = area.offset;
  let steps = 0;
  for (let i = 0; i < limit; i++) {
    // Elf_Verdef: vd_version, vd_flags, vd_ndx, vd_cnt (Half), vd_hash, vd_aux, vd_next (Word): 20 bytes.
    if (at < area.offset || at + 20 > end) {
      problems.error(new FormatError(`verdef entry ${i} at ${hex(at)} lies outside .gnu.version_d`, at, 'vd_next', at));
      break;
    }
    const vd_flags = r.u16(at + 2, 'vd_flags');
    const vd_ndx = r.u16(at + 4, 'vd_ndx');
    const vd_cnt = r.u16(at + 6, 'vd_cnt');
    const vd_aux = r.u32(at + 12, 'vd_aux');
    const vd_next = r.u32(at + 16, 'vd_next');
    const names: string[] = [];
    let aux = at + vd_aux;
    for (let j = 0; j < vd_cnt; j++) {
      if (++steps > MAX_VERSION_STEPS) {
        problems.error(new FormatError(`more than ${MAX_VERSION_STEPS} verdaux entries: a vda_next cycle?`, aux, 'vda_next'));
        return out;
      }
      // Elf_Verdaux: vda_name, vda_next (Word): 8 bytes.
      if (aux < area.offset || aux + 8 > end) {
        problems.error(new FormatError(`verdaux entry at ${hex(aux)} lies outside .gnu.version_d`, aux, 'vda_next', aux));
        break;
      }
      const vda_name = r.u32(aux, 'vda_name');
      const vda_next = r.u32(aux + 4, 'vda_next');
      names.push(problems.try(() => str(vda_name, 'vda_name'), `<bad vda_name ${hex(vda_name)}>`));
      if (vda_next === 0) break;
      aux += vda_next;
    }
    out.push({
      index: vd_ndx & VERSYM_VERSION,
      flags: vd_flags,
      base: (vd_flags & VER_FLG_BASE) !== 0,
      name: names[0] ?? '',
      parents: names.slice(1),
    });
    if (vd_next === 0) break;
    if (++steps > MAX_VERSION_STEPS) {
      problems.error(new FormatError(`more than ${MAX_VERSION_STEPS} verdef entries: a vd_next cycle?`, at, 'vd_next'));
      break;
    }
    at += vd_next;
  }
  return out;
}
