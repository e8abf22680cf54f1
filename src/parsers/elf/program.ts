// Program headers (gABI "Program Header"): the segments a loader maps.

import type { Problems, Reader } from '../reader.ts';
import { PF_R, PF_W, PF_X, PT_LOAD } from './constants.ts';
import { PHDR32_SIZE, PHDR64_SIZE, tableEntries, type ElfHeader } from './header.ts';

export interface ProgramHeader {
  index: number;
  /** File offset of this header. */
  at: number;
  p_type: number;
  p_flags: number;
  p_offset: number;
  p_vaddr: bigint;
  p_paddr: bigint;
  p_filesz: number;
  p_memsz: number;
  p_align: bigint;
}

/** Upper bound on program headers read; real files have tens. */
export const MAX_PHNUM = 65536;

export function readProgramHeaders(r: Reader, h: ElfHeader, problems: Problems): ProgramHeader[] {
  if (h.e_phnum === 0 || h.e_phoff === 0) return [];
  const size = h.is64 ? PHDR64_SIZE : PHDR32_SIZE;
  const count = tableEntries(r, problems, { field: 'e_phnum', offset: h.e_phoff, count: h.e_phnum, size, max: MAX_PHNUM });
  const out: ProgramHeader[] = [];
  for (let i = 0; i < count; i++) {
    const at = h.e_phoff + i * size;
    const ph = problems.try(() => readOne(r, h.is64, at, i), null);
    if (ph) out.push(ph);
  }
  return out;
}

function readOne(r: Reader, is64: boolean, at: number, index: number): ProgramHeader {
  if (is64) {
    return {
      index,
      at,
      p_type: r.u32(at, 'p_type'),
      p_flags: r.u32(at + 4, 'p_flags'),
      p_offset: r.u64n(at + 8, 'p_offset'),
      p_vaddr: r.u64(at + 16, 'p_vaddr'),
      p_paddr: r.u64(at + 24, 'p_paddr'),
      p_filesz: r.u64n(at + 32, 'p_filesz'),
      p_memsz: r.u64n(at + 40, 'p_memsz'),
      p_align: r.u64(at + 48, 'p_align'),
    };
  }
  return {
    index,
    at,
    p_type: r.u32(at, 'p_type'),
    p_offset: r.u32(at + 4, 'p_offset'),
    p_vaddr: BigInt(r.u32(at + 8, 'p_vaddr')),
    p_paddr: BigInt(r.u32(at + 12, 'p_paddr')),
    p_filesz: r.u32(at + 16, 'p_filesz'),
    p_memsz: r.u32(at + 20, 'p_memsz'),
    p_flags: r.u32(at + 24, 'p_flags'),
    p_align: BigInt(r.u32(at + 28, 'p_align')),
  };
}

export function permString(p_flags: number): string {
  return (p_flags & PF_R ? 'r' : '-') + (p_flags & PF_W ? 'w' : '-') + (p_flags & PF_X ? 'x' : '-');
}

/**
 * Maps virtual addresses to file offsets through the PT_LOAD segments, the
 * way a loader would: only the file-backed part (p_filesz) has bytes.
 */
export class AddressMap {
  private readonly loads: ProgramHeader[];
  constructor(phdrs: ProgramHeader[]) {
    this.loads = phdrs.filter((p) => p.p_type === PT_LOAD);
  }
  get empty(): boolean {
    return this.loads.length === 0;
  }
  /** File offset of `addr`, when at least `length` bytes from there are file-backed in one segment. */
  offsetOf(addr: bigint, length = 1): number | null {
    for (const p of this.loads) {
      if (addr >= p.p_vaddr && addr - p.p_vaddr + BigInt(length) <= BigInt(p.p_filesz)) {
        return p.p_offset + Number(addr - p.p_vaddr);
      }
    }
    return null;
  }
  /** File-backed bytes available from `addr` to the end of its segment (0 when unmapped). */
  bytesAfter(addr: bigint): number {
    for (const p of this.loads) {
      if (addr >= p.p_vaddr && addr < p.p_vaddr + BigInt(p.p_filesz)) return p.p_filesz - Number(addr - p.p_vaddr);
    }
    return 0;
  }
}
