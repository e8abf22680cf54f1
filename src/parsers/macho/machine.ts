// CPU types and subtypes (<mach/machine.h>) and the architecture names binlens
// shares with ELF: the names `uname -m`, lipo and LLVM triples use.

export const CPU_ARCH_ABI64 = 0x01000000;
export const CPU_ARCH_ABI64_32 = 0x02000000;

export const CPU_TYPE_VAX = 1;
export const CPU_TYPE_MC680x0 = 6;
export const CPU_TYPE_X86 = 7;
export const CPU_TYPE_I386 = CPU_TYPE_X86;
export const CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
export const CPU_TYPE_MIPS = 8;
export const CPU_TYPE_MC98000 = 10;
export const CPU_TYPE_HPPA = 11;
export const CPU_TYPE_ARM = 12;
export const CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
export const CPU_TYPE_MC88000 = 13;
export const CPU_TYPE_SPARC = 14;
export const CPU_TYPE_I860 = 15;
export const CPU_TYPE_POWERPC = 18;
export const CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

/** High byte of cpusubtype: capability bits, not part of the subtype proper. */
export const CPU_SUBTYPE_MASK = 0xff000000;
export const CPU_SUBTYPE_LIB64 = 0x80000000;

export const CPU_SUBTYPE_X86_64_H = 8;
export const CPU_SUBTYPE_ARM64_ALL = 0;
export const CPU_SUBTYPE_ARM64_V8 = 1;
export const CPU_SUBTYPE_ARM64E = 2;

// arm64e keeps its pointer-authentication ABI in the capability byte
// (xnu <mach/machine.h>, LLVM BinaryFormat/MachO.h): bit 31 says the ABI is
// versioned, bit 30 that it is the kernel ABI, bits 24..27 hold the version.
export const CPU_SUBTYPE_PTRAUTH_ABI = 0x80000000;
export const CPU_SUBTYPE_ARM64E_KERNEL_PTRAUTH_ABI = 0x40000000;
export const CPU_SUBTYPE_ARM64_PTR_AUTH_MASK = 0x0f000000;

const CPU_TYPE_NAMES = new Map<number, string>([
  [CPU_TYPE_VAX, 'CPU_TYPE_VAX'],
  [CPU_TYPE_MC680x0, 'CPU_TYPE_MC680x0'],
  [CPU_TYPE_X86, 'CPU_TYPE_I386'],
  [CPU_TYPE_X86_64, 'CPU_TYPE_X86_64'],
  [CPU_TYPE_MIPS, 'CPU_TYPE_MIPS'],
  [CPU_TYPE_MC98000, 'CPU_TYPE_MC98000'],
  [CPU_TYPE_HPPA, 'CPU_TYPE_HPPA'],
  [CPU_TYPE_ARM, 'CPU_TYPE_ARM'],
  [CPU_TYPE_ARM64, 'CPU_TYPE_ARM64'],
  [CPU_TYPE_ARM64_32, 'CPU_TYPE_ARM64_32'],
  [CPU_TYPE_MC88000, 'CPU_TYPE_MC88000'],
  [CPU_TYPE_SPARC, 'CPU_TYPE_SPARC'],
  [CPU_TYPE_I860, 'CPU_TYPE_I860'],
  [CPU_TYPE_POWERPC, 'CPU_TYPE_POWERPC'],
  [CPU_TYPE_POWERPC64, 'CPU_TYPE_POWERPC64'],
]);

// CPU_SUBTYPE_ARM_* → name as lipo and LLVM's triples spell it.
const ARM_SUBTYPES = new Map<number, string>([
  [0, 'arm'],
  [5, 'armv4t'],
  [6, 'armv6'],
  [7, 'armv5'],
  [8, 'xscale'],
  [9, 'armv7'],
  [10, 'armv7f'],
  [11, 'armv7s'],
  [12, 'armv7k'],
  [13, 'armv8'],
  [14, 'armv6m'],
  [15, 'armv7m'],
  [16, 'armv7em'],
  [17, 'armv8m.main'],
  [18, 'armv8m.base'],
  [19, 'armv8.1m.main'],
]);

const PPC_SUBTYPES = new Map<number, string>([
  [1, 'ppc601'],
  [3, 'ppc603'],
  [4, 'ppc603e'],
  [5, 'ppc603ev'],
  [6, 'ppc604'],
  [7, 'ppc604e'],
  [9, 'ppc750'],
  [10, 'ppc7400'],
  [11, 'ppc7450'],
  [100, 'ppc970'],
]);

export function cpuTypeName(cputype: number): string {
  return CPU_TYPE_NAMES.get(cputype) ?? `CPU_TYPE_${hex32(cputype)}`;
}

export interface Arch {
  arch: string;
  /** cpusubtype without the capability byte. */
  subtype: number;
  /** arm64e only: the pointer-auth ABI, or null when the subtype does not say it is versioned. */
  ptrAuthAbi?: { version: number; kernel: boolean } | null;
}

export function archOf(cputype: number, cpusubtype: number): Arch {
  const subtype = (cpusubtype & ~CPU_SUBTYPE_MASK) >>> 0;
  switch (cputype) {
    case CPU_TYPE_ARM64:
      if (subtype === CPU_SUBTYPE_ARM64E) {
        const versioned = (cpusubtype & CPU_SUBTYPE_PTRAUTH_ABI) !== 0;
        return {
          arch: 'arm64e',
          subtype,
          ptrAuthAbi: versioned
            ? {
                version: (cpusubtype & CPU_SUBTYPE_ARM64_PTR_AUTH_MASK) >>> 24,
                kernel: (cpusubtype & CPU_SUBTYPE_ARM64E_KERNEL_PTRAUTH_ABI) !== 0,
              }
            : null,
        };
      }
      return { arch: 'arm64', subtype };
    case CPU_TYPE_ARM64_32:
      return { arch: 'arm64_32', subtype };
    case CPU_TYPE_X86_64:
      return { arch: subtype === CPU_SUBTYPE_X86_64_H ? 'x86_64h' : 'x86_64', subtype };
    case CPU_TYPE_X86:
      return { arch: 'i386', subtype };
    case CPU_TYPE_ARM:
      return { arch: ARM_SUBTYPES.get(subtype) ?? 'arm', subtype };
    case CPU_TYPE_POWERPC:
      return { arch: PPC_SUBTYPES.get(subtype) ?? 'ppc', subtype };
    case CPU_TYPE_POWERPC64:
      return { arch: 'ppc64', subtype };
    case CPU_TYPE_MC680x0:
      return { arch: 'm68k', subtype };
    case CPU_TYPE_HPPA:
      return { arch: 'hppa', subtype };
    case CPU_TYPE_SPARC:
      return { arch: 'sparc', subtype };
    case CPU_TYPE_MC88000:
      return { arch: 'm88k', subtype };
    case CPU_TYPE_I860:
      return { arch: 'i860', subtype };
    default:
      return { arch: `cpu-${cputype >>> 0}`, subtype };
  }
}

function hex32(v: number): string {
  return '0x' + (v >>> 0).toString(16);
}
