// <mach-o/fat.h>: the universal header. Always big-endian; fat_arch entries are
// 20 bytes (FAT_MAGIC) or 32 bytes with 64-bit offset and size (FAT_MAGIC_64).

import { FormatError, type Problems, type Reader, hex } from '../reader.ts';
import { archOf, cpuTypeName } from './machine.ts';

export const FAT_MAGIC = 0xcafebabe;
export const FAT_CIGAM = 0xbebafeca;
export const FAT_MAGIC_64 = 0xcafebabf;
export const FAT_CIGAM_64 = 0xbfbafeca;

/** lipo and LLVM refuse slice alignments above 2^15. */
export const MAX_FAT_ALIGN = 15;

export interface FatArch {
  index: number;
  cputype: number;
  cpusubtype: number;
  offset: number;
  size: number;
  align: number;
  /** Usable: inside the file. */
  ok: boolean;
}

export interface FatHeader {
  magic: number;
  nfat_arch: number;
  arches: FatArch[];
}

export function isFatMagic(be: number): boolean {
  return be === FAT_MAGIC || be === FAT_MAGIC_64;
}

/** Reads the fat header and its arch table; slices outside the file are recorded and marked not ok. */
// eslint-disable-next-line max-lines-per-function -- the fat header, its arch table and each slice's checks in LLVM's order
export function readFatHeader(file: Reader, problems: Problems): FatHeader {
  const r = file.withEndian(false);
  const magic = r.u32(0, 'fat_header.magic');
  const is64 = magic === FAT_MAGIC_64;
  const nfat_arch = r.u32(4, 'fat_header.nfat_arch');
  const entry = is64 ? 32 : 20;
  // nfat_arch comes from the file: it must fit in the bytes after the header.
  if (nfat_arch * entry > r.length - 8) {
    throw new FormatError(
      `fat_header.nfat_arch ${nfat_arch} entries of ${entry} bytes do not fit in the file (${r.length - 8} bytes after the header)`,
      r.base + 4,
      'fat_header.nfat_arch',
      nfat_arch,
    );
  }
  const tableEnd = 8 + nfat_arch * entry;
  const arches: FatArch[] = [];
  for (let i = 0; i < nfat_arch; i++) {
    const at = 8 + i * entry;
    const a: FatArch = {
      index: i,
      cputype: r.u32(at, 'fat_arch.cputype'),
      cpusubtype: r.u32(at + 4, 'fat_arch.cpusubtype'),
      offset: is64 ? r.u64n(at + 8, 'fat_arch_64.offset') : r.u32(at + 8, 'fat_arch.offset'),
      size: is64 ? r.u64n(at + 16, 'fat_arch_64.size') : r.u32(at + 12, 'fat_arch.size'),
      align: is64 ? r.u32(at + 24, 'fat_arch_64.align') : r.u32(at + 16, 'fat_arch.align'),
      ok: true,
    };
    const name = `slice ${i} (${archOf(a.cputype, a.cpusubtype).arch})`;
    if (!r.has(a.offset, a.size) || a.size === 0) {
      problems.error(
        new FormatError(
          `${name}: offset ${hex(a.offset)} + size ${hex(a.size)} lies outside the file (${hex(r.length)} bytes)`,
          r.base + at + 8,
          'fat_arch.offset',
          a.offset,
        ),
      );
      a.ok = false;
    } else if (a.offset < tableEnd) {
      problems.error(
        new FormatError(
          `${name}: starts at ${hex(a.offset)}, inside the fat header and arch table (which end at ${hex(tableEnd)})`,
          r.base + at + 8,
          'fat_arch.offset',
          a.offset,
        ),
      );
    }
    // lipo, LLVM (MachOUniversalBinary) and xnu (fatfile_validate_fatarches) refuse these files outright.
    if (a.align > MAX_FAT_ALIGN)
      problems.error(
        new FormatError(
          `${name}: align 2^${a.align} is larger than 2^${MAX_FAT_ALIGN}`,
          r.base + at + (is64 ? 24 : 16),
          'fat_arch.align',
          a.align,
        ),
      );
    else if (a.offset % 2 ** a.align !== 0)
      problems.error(
        new FormatError(`${name}: offset ${hex(a.offset)} is not aligned to 2^${a.align}`, r.base + at + 8, 'fat_arch.offset', a.offset),
      );
    arches.push(a);
  }
  const placed = arches.filter((a) => a.ok).sort((x, y) => x.offset - y.offset);
  for (let i = 1; i < placed.length; i++) {
    const p = placed[i - 1]!;
    const q = placed[i]!;
    if (q.offset < p.offset + p.size) {
      problems.error(
        new FormatError(
          `slices ${p.index} and ${q.index} overlap (${hex(p.offset)}+${hex(p.size)} and ${hex(q.offset)})`,
          r.base + 8 + q.index * entry + 8,
          'fat_arch.offset',
          q.offset,
        ),
      );
    }
  }
  const seen = new Map<string, number>();
  for (const a of arches) {
    const key = `${a.cputype}/${(a.cpusubtype & 0xffffff) >>> 0}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      problems.error(
        new FormatError(
          `slices ${prev} and ${a.index} have the same architecture (${cpuTypeName(a.cputype)} subtype ${a.cpusubtype & 0xffffff})`,
          r.base + 8 + a.index * entry,
          'fat_arch.cputype',
          a.cputype,
        ),
      );
    } else seen.set(key, a.index);
  }
  return { magic, nfat_arch, arches };
}
