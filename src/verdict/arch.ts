// What a slice's CPU means for the targets binlens judges. The CPU type and
// subtype numbers are the file's own (Mach-O cputype / ELF e_machine); the
// arch string is only a fallback, because its spelling belongs to the parser.

import type { Report, SliceReport } from '../report/types.ts';

export type ArchKind = 'arm64' | 'arm64e' | 'x86_64' | 'i386' | 'arm' | 'arm64_32' | 'ppc' | 'other';

// <mach/machine.h>
const CPU_ARCH_ABI64 = 0x01000000;
const CPU_ARCH_ABI64_32 = 0x02000000;
const CPU_TYPE_X86 = 7;
const CPU_TYPE_ARM = 12;
const CPU_TYPE_POWERPC = 18;
const CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
const CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
const CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
const CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;
const CPU_SUBTYPE_MASK = 0xff000000;
const CPU_SUBTYPE_ARM64E = 2;
const CPU_SUBTYPE_X86_64_H = 8;
/** Set in an arm64e subtype's capability bits when the pointer-auth ABI is versioned. */
const CPU_SUBTYPE_PTRAUTH_ABI = 0x80000000;

// ELF e_machine (gABI)
const EM_386 = 3;
const EM_PPC = 20;
const EM_PPC64 = 21;
const EM_ARM = 40;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;

export function isMachO(report: Report): boolean {
  return report.format === 'macho' || report.format === 'macho-fat';
}

export function isElf(report: Report): boolean {
  return report.format === 'elf';
}

export function archKind(report: Report, s: SliceReport): ArchKind {
  const type = s.cpu.type >>> 0;
  if (isMachO(report)) {
    const sub = (s.cpu.subtype & ~CPU_SUBTYPE_MASK) >>> 0;
    if (type === CPU_TYPE_ARM64) return sub === CPU_SUBTYPE_ARM64E ? 'arm64e' : 'arm64';
    if (type === CPU_TYPE_X86_64) return 'x86_64';
    if (type === CPU_TYPE_X86) return 'i386';
    if (type === CPU_TYPE_ARM) return 'arm';
    if (type === CPU_TYPE_ARM64_32) return 'arm64_32';
    if (type === CPU_TYPE_POWERPC || type === CPU_TYPE_POWERPC64) return 'ppc';
  } else if (isElf(report)) {
    if (type === EM_AARCH64) return s.endian === 'little' && s.bits === 64 ? 'arm64' : 'other';
    if (type === EM_X86_64) return s.bits === 64 ? 'x86_64' : 'other';
    if (type === EM_386) return 'i386';
    if (type === EM_ARM) return s.endian === 'little' ? 'arm' : 'other';
    if (type === EM_PPC || type === EM_PPC64) return 'ppc';
  }
  return archFromName(s.arch);
}

function archFromName(name: string): ArchKind {
  const n = name.toLowerCase();
  if (n === 'arm64e') return 'arm64e';
  if (n === 'arm64' || n === 'aarch64') return 'arm64';
  if (n === 'x86_64' || n === 'x86-64' || n === 'amd64' || n === 'x86_64h') return 'x86_64';
  if (n === 'i386' || n === 'x86' || n === '386' || n === 'i686') return 'i386';
  if (n.startsWith('arm')) return 'arm';
  return 'other';
}

/** x86_64h: the Haswell subtype, preferred by dyld on Haswell and later Intel Macs. */
export function isX86_64h(s: SliceReport): boolean {
  return s.cpu.type >>> 0 === CPU_TYPE_X86_64 && (s.cpu.subtype & ~CPU_SUBTYPE_MASK) === CPU_SUBTYPE_X86_64_H;
}

/**
 * The arm64e pointer-auth ABI version, or null when the subtype does not
 * version it. xnu (bsd/kern/kern_exec.c) treats version 0 and unversioned
 * slices as the "preview" ABI that only Apple's own binaries may use.
 */
export function ptrAuthVersion(s: SliceReport): number | null {
  if (s.ptrAuthAbi) return s.ptrAuthAbi.version;
  const caps = s.cpu.subtype >>> 0;
  if ((caps & CPU_SUBTYPE_PTRAUTH_ABI) === 0) return null;
  return (caps >>> 24) & 0x0f;
}

/** How dyld and the kernel name an architecture in their messages. */
export function dyldArchName(report: Report, s: SliceReport): string {
  const k = archKind(report, s);
  if (k === 'x86_64' && isX86_64h(s)) return 'x86_64h';
  if (k === 'other') return s.arch;
  return k;
}
