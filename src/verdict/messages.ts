// What a person sees when a file does not run, worded as the tool that
// prints it words it. Sources: dyld (dyld/Loader.cpp, JustInTimeLoader.cpp,
// common/MachOFile.cpp: "Library not loaded", "incompatible architecture (have
// '…', need '…')", "no LC_RPATH's found", "built for … which is newer than
// running OS"), xnu (exec failures seen as SIGKILL), glibc's ld.so
// ("error while loading shared libraries"), musl's ldso/dynlink.c ("Error
// loading shared library", "Error relocating"), bash and zsh for execve(2)
// errors (ENOEXEC → "Exec format error", ENOENT for a missing interpreter,
// EBADARCH → "bad CPU type in executable"), and runc/Docker for containers.

import type { Target } from '../report/targets.ts';

export type LoadKind = 'exec' | 'library' | 'object' | 'other';

export const macShell = {
  /** EBADARCH: no slice the kernel can run (an arm64-only file on Intel, x86_64 without Rosetta 2). */
  badCpu: (name: string) => `zsh: bad CPU type in executable: ./${name}`,
  /** ENOEXEC for a file that is not Mach-O. */
  execFormat: (name: string) => `zsh: exec format error: ./${name}`,
  /** EBADARCH as strerror(3) words it, for launches without a shell (iOS). */
  badCpuErrno: () => `Bad CPU type in executable`,
  /** SIGKILL from the kernel's code-signing checks; bash prints the signal number. */
  killed: () => `Killed: 9`,
  /** EBADMACHO (bsd/kern/mach_loader.c LOAD_BADMACHO): zsh lowercases strerror's first letter. */
  malformed: (name: string) => `zsh: malformed Mach-o file: ./${name}`,
  /** EBADMACHO as strerror(3) words it (intro(2)), for launches without a shell (iOS). */
  malformedErrno: () => `Malformed Mach-o file`,
};

const DLOPEN_RTLD_LAZY = '0x0001';

export const dyld = {
  dlopen: (name: string, reason: string) => `dlopen(${name}, ${DLOPEN_RTLD_LAZY}): tried: '${name}' (${reason})`,
  incompatibleArch: (have: string, need: string[]) =>
    `mach-o file, but is an incompatible architecture (have '${have}', need '${need.join("' or '")}')`,
  fatMissingArch: (have: string[], need: string[]) =>
    `fat file, but missing compatible architecture (have '${have.join(',')}', need '${need.join("' or '")}')`,
  incompatiblePlatform: (name: string, have: string, need: string) =>
    `mach-o file (${name}), but incompatible platform (have '${have}', need '${need}')`,
  notMachO: () => `not a mach-o file`,
  libraryNotLoaded: (lib: string, from: string, reason: string, tooNew = '') =>
    `dyld[…]: Library not loaded: ${lib}\n  Referenced from: <UUID> ${from}${tooNew}\n  Reason: ${reason}`,
  symbolNotFound: (sym: string, from: string, expectedIn: string, tooNew = '') =>
    `dyld[…]: Symbol not found: ${sym}\n  Referenced from: <UUID> ${from}${tooNew}\n  Expected in:     <UUID> ${expectedIn}`,
  tooNew: (platform: string, minOS: string) => ` (built for ${platform} ${minOS} which is newer than running OS)`,
  flatNotFound: (sym: string) => `symbol not found in flat namespace '${sym}'`,
  /** mach_o/Universal.cpp Universal::valid, for every slice before one is picked. */
  sliceBeyondEnd: (arch: string) => `${arch} slice extends beyond end of file`,
  /** mach_o/UnsafeHeader.cpp validStructureLoadCommands. */
  loadCommandsBeyondEnd: (size: bigint, fileSize: number) => `load commands length (${size}) exceeds length of file (${fileSize})`,
  /** dyld/DyldDelegates.cpp registerCodeSignature: the kernel could not read the signature dyld hands it. */
  signatureNotRead: (path: string) => `fcntl(fd, F_ADDFILESIGS_RETURN) failed with errno=… in <UUID> '${path}'`,
  /** mach_o/UnsafeHeader.cpp validSegment. */
  segmentBeyondEnd: (segname: string) => `segment '${segname}' load command content extends beyond end of file`,
  noRpaths: () => `no LC_RPATH's found`,
  triedNoSuchFile: (path: string) => `tried: '${path}' (no such file)`,
};

export const linux = {
  /** ENOEXEC: wrong CPU, not ELF at all, or not an executable type. */
  execFormat: (name: string, target: Target) =>
    isMusl(target) ? `exec /${name}: exec format error` : `bash: ./${name}: cannot execute binary file: Exec format error`,
  /** ENOENT from execve(2) because PT_INTERP names a file that is not there. */
  missingInterpreter: (name: string, target: Target) =>
    isMusl(target) ? `exec /${name}: no such file or directory` : `bash: ./${name}: No such file or directory`,
  missingLibrary: (name: string, lib: string, target: Target) =>
    isMusl(target)
      ? `Error loading shared library ${lib}: No such file or directory (needed by /${name})`
      : `./${name}: error while loading shared libraries: ${lib}: cannot open shared object file: No such file or directory`,
  missingSymbol: (name: string, sym: string, target: Target) =>
    isMusl(target)
      ? `Error relocating /${name}: ${sym}: symbol not found`
      : `./${name}: symbol lookup error: ./${name}: undefined symbol: ${sym}`,
  /** dlopen(3) of a file whose e_machine is not the process's (glibc skips it as if absent). */
  dlopenWrongMachine: (name: string, target: Target) =>
    isMusl(target)
      ? `Error relocating ${name}: unsupported relocation type`
      : `${name}: cannot open shared object file: No such file or directory`,
  dlopenWrongClass: (name: string, cls: 32 | 64) => `${name}: wrong ELF class: ELFCLASS${cls}`,
  dlopenNotElf: (name: string, target: Target) =>
    isMusl(target) ? `Error loading shared library ${name}: Exec format error` : `${name}: invalid ELF header`,
  /** EIO from execve(2): the kernel could not read PT_INTERP's path (fs/binfmt_elf.c elf_read). */
  ioError: (name: string, target: Target) => (isMusl(target) ? `exec /${name}: input/output error` : `bash: ./${name}: Input/output error`),
  /** The shell's words for a process killed by SIGBUS and SIGSEGV. */
  busError: () => `Bus error`,
  segfault: () => `Segmentation fault`,
  /**
   * dlopen(3) of a file whose program headers are not all there: glibc's open_verify ("cannot read file data"),
   * musl's map_library (ENOEXEC).
   */
  dlopenShortRead: (name: string, target: Target) =>
    isMusl(target) ? `Error loading shared library ${name}: Exec format error` : `${name}: cannot read file data`,
};

export function isMusl(t: Target): boolean {
  return t.endsWith('-musl');
}
