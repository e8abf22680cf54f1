// Verdicts for a file that ends before structures its headers place in it
// (report.truncated). Such a file never "runs there": what happens depends on
// what is missing and on who reads it first, worded as the system words it.
//
// Linux executables (fs/binfmt_elf.c load_elf_binary): program headers past
// the end → load_elf_phdrs fails → ENOEXEC; PT_INTERP past the end → elf_read
// → EIO; then, past the point of no return, the PT_LOAD segments are mapped
// whatever the file's size: zeroing the end of a writable segment's last file
// page (elf_load → padzero) in a page wholly past the end fails → SIGSEGV;
// any other page wholly past the end → SIGBUS at the first touch (mmap(2));
// bytes past the end inside the last, partly backed page read as zeros.
// Shared libraries go through ld.so instead: glibc's open_verify reads the
// program headers ("cannot read file data"), musl's map_library gives ENOEXEC;
// its mappings fault the same way, in the process that loads them.
//
// Apple (bsd/kern/mach_fat.c fatfile_validate_fatarches checks every slice of
// a universal file before one is picked; bsd/kern/mach_loader.c parse_machfile
// checks sizeofcmds, load_segment each segment's fileoff + filesize, and
// load_code_signature the signature's range against the slice): LOAD_BADMACHO
// → EBADMACHO, "Malformed Mach-o file". dyld checks libraries itself
// (mach_o/Universal.cpp, mach_o/UnsafeHeader.cpp) with its own wording.

import type { Target } from '../report/targets.ts';
import type { Compatibility, MissingKind, MissingPart } from '../report/types.ts';
import { cell, type Ctx, type CutValues, type Slice } from './context.ts';
import { dyld, linux, macShell } from './messages.ts';

/** The page size the fault rules use: x86_64, and the arm64 kernels of Debian, Ubuntu and Fedora (16 and 64 KiB pages read more of the missing bytes as zeros). */
export const PAGE = 4096n;

/** The missing parts of slice `index` (its SliceReport.index), or of the universal header when null. */
export function partsOf(c: Ctx, index: number | null): CutValues[] {
  return c.missing.filter((p) => p.part.slice === index);
}

/** The parts whose names are plural: the verb agrees with them. */
const PLURAL: readonly MissingKind[] = ['program-headers', 'section-headers', 'load-commands'];

/** "segment __TEXT needs 0x0–0xb0000", "program headers need 0x40–0x238" */
export function needs(p: MissingPart): string {
  return `${p.what} ${PLURAL.includes(p.kind) ? 'need' : 'needs'} ${p.start}–${p.end}`;
}

/** "The file is cut short: it ends at 0x1000, and segment __TEXT needs 0x0–0xb0000." */
export function cutShort(c: Ctx, p: CutValues): string {
  return `The file is cut short: it ends at ${c.report.truncated!.end}, and its ${needs(p.part)}.`;
}

function evidenceOf(c: Ctx, parts: CutValues[]): string[] {
  return [`file ends at ${c.report.truncated!.end}`, ...parts.map((p) => needs(p.part))];
}

/** How the pages of a cut PT_LOAD fare: the kernel's zero-fill faults, a later touch faults, or the lost bytes read as zeros. */
function segmentFate(c: Ctx, x: Slice, p: CutValues): 'zero-fill' | 'bus' | 'zeros' {
  const size = BigInt(c.report.file.size);
  const end = p.end;
  const lastPage = ((size + PAGE - 1n) / PAGE) * PAGE;
  const row = p.part.segment;
  const load = row !== undefined ? x.parsed.image.loads.find((l) => l.row === row) : undefined;
  // elf_load: padzero(p_offset + p_filesz) clears the rest of that page when the segment has .bss; an error counts only for a writable segment.
  if (load && load.memsz > load.filesz && load.w && end % PAGE !== 0n && (end / PAGE) * PAGE >= size) return 'zero-fill';
  return end > lastPage ? 'bus' : 'zeros';
}

/**
 * Linux, for an ELF slice whose CPU the target runs. `phase`: `exec` when execve(2) itself fails (before any of
 * the program runs), `run` when the process dies once started, `maybe` when nothing certain follows.
 */
export function linuxTruncation(
  c: Ctx,
  x: Slice,
  t: Target,
  lib: boolean,
): { phase: 'exec' | 'run' | 'maybe'; cell: Compatibility } | null {
  const parts = partsOf(c, x.s.index);
  if (parts.length === 0) return null;
  const name = c.name;
  const ev = evidenceOf(c, parts);
  // Every outcome rests on the same evidence, the parts past the end; none is about one slice (ELF has one).
  const outcome = (phase: 'exec' | 'run' | 'maybe', verdict: Compatibility['verdict'], reason: string, error: string | null) => ({
    phase,
    cell: cell(t, verdict, reason, error, ev, null),
  });
  const ph = parts.find((p) => p.part.kind === 'program-headers' || p.part.kind === 'header');
  if (ph) {
    return lib
      ? outcome(
          'exec',
          'no',
          `${cutShort(c, ph)} The dynamic loader cannot read them and refuses to load it.`,
          linux.dlopenShortRead(name, t),
        )
      : outcome('exec', 'no', `${cutShort(c, ph)} The kernel cannot read them and refuses to run it (ENOEXEC).`, linux.execFormat(name, t));
  }
  const interp = parts.find((p) => p.part.kind === 'interpreter');
  if (interp && !lib) {
    return outcome(
      'exec',
      'no',
      `${cutShort(c, interp)} The kernel cannot read the interpreter's path and fails with EIO.`,
      linux.ioError(name, t),
    );
  }
  const mapped = parts.filter((p) => p.part.kind === 'segment' || p.part.kind === 'dynamic');
  const fates = mapped.map((p) => ({ p, fate: segmentFate(c, x, p) }));
  const zero = fates.find((f) => f.fate === 'zero-fill');
  if (zero && !lib) {
    return outcome(
      'run',
      'no',
      `${cutShort(c, zero.p)} The kernel maps it anyway, but zeroing the end of that segment's last page (its .bss) touches a page past the end of the file, and the program is killed with SIGSEGV before it starts.`,
      linux.segfault(),
    );
  }
  const bus = fates.find((f) => f.fate !== 'zeros');
  if (bus) {
    const who = lib ? 'The dynamic loader maps it anyway; the process that loads it' : 'The kernel maps it anyway; the program';
    return outcome(
      'run',
      'no',
      `${cutShort(c, bus.p)} ${who} is killed by SIGBUS (Bus error) when it first touches a page past the end of the file.`,
      linux.busError(),
    );
  }
  const zeros = fates[0];
  if (zeros) {
    return outcome(
      'maybe',
      'unknown',
      `${cutShort(c, zeros.p)} The missing bytes fall in the file's last page, which the system fills with zeros: it ${lib ? 'loads' : 'starts'} with part of its code or data zeroed, and what it does then cannot be known.`,
      null,
    );
  }
  return outcome(
    'maybe',
    'unknown',
    `${cutShort(c, parts[0]!)} Only tools read that part (section headers, symbols, debug information): what the loader maps is all there, so it may ${lib ? 'load' : 'start'}, but this copy is not the file that was built.`,
    null,
  );
}

/** An ELF file cut inside its header: no slice could be read, and the kernel reads the missing bytes as zeros (ENOEXEC). */
export function linuxHeaderCut(c: Ctx, t: Target): Compatibility | null {
  const p = partsOf(c, 0).find((x) => x.part.kind === 'header');
  if (!p) return null;
  return cell(
    t,
    'no',
    `${cutShort(c, p)} The kernel refuses a file without a whole ELF header (ENOEXEC).`,
    linux.execFormat(c.name, t),
    evidenceOf(c, [p]),
    null,
  );
}

/**
 * Apple targets, before a slice is picked: a universal file with a slice (or its arch table) past the end is
 * refused whole, by the kernel and by dyld alike; a thin file cut inside its mach header has no slice at all.
 */
export function appleFileTruncation(c: Ctx, t: Target, kind: 'exec' | 'library'): Compatibility | null {
  if (!c.report.truncated) return null;
  const ios = t === 'ios-arm64';
  const fatParts = c.missing.filter((p) => p.part.slice === null || p.part.kind === 'slice');
  const header = c.slices.length === 0 ? c.missing.find((p) => p.part.kind === 'header') : undefined;
  const p = fatParts[0] ?? header;
  if (!p) return null;
  const ev = evidenceOf(c, fatParts.length ? fatParts : [p]);
  if (kind === 'library') {
    const why = p.part.kind === 'slice' ? dyld.sliceBeyondEnd(p.arch ?? 'a') : 'slice is not valid mach-o file';
    return cell(
      t,
      'no',
      `${cutShort(c, p)} dyld checks every slice of a universal file before it picks one, and refuses it.`,
      dyld.dlopen(c.name, why),
      ev,
      null,
    );
  }
  const who =
    p.part.kind === 'slice' || p.part.slice === null
      ? 'The kernel checks every slice of a universal file before it picks one, so it refuses the whole file'
      : 'The kernel refuses it';
  return cell(
    t,
    'no',
    `${cutShort(c, p)} ${who} as a malformed Mach-O file (EBADMACHO).`,
    ios ? macShell.malformedErrno() : macShell.malformed(c.name),
    ev,
    null,
  );
}

/** Apple targets, for the slice the system picked. */
export function appleSliceTruncation(c: Ctx, x: Slice, t: Target, kind: 'exec' | 'library'): Compatibility | null {
  const parts = partsOf(c, x.s.index);
  if (parts.length === 0) return null;
  const ev = evidenceOf(c, parts);
  const idx = x.s.index;
  // What xnu checks, in its order: the load commands, each segment, the code signature.
  const p =
    parts.find((q) => q.part.kind === 'header' || q.part.kind === 'load-commands') ??
    parts.find((q) => q.part.kind === 'segment') ??
    parts.find((q) => q.part.kind === 'code-signature');
  if (!p) {
    const q = parts[0]!;
    return cell(
      t,
      'unknown',
      `${cutShort(c, q)} dyld reads that part when it loads the file; what it does with a table that is not there cannot be known.`,
      null,
      ev,
      idx,
    );
  }
  if (kind === 'library') {
    const kind = p.part.kind;
    const why =
      kind === 'segment'
        ? dyld.segmentBeyondEnd(segmentName(x, p))
        : kind === 'load-commands'
          ? dyld.loadCommandsBeyondEnd(p.end - BigInt(x.parsed.reader.base), c.report.file.size)
          : kind === 'code-signature'
            ? dyld.signatureNotRead(c.name)
            : 'slice is not valid mach-o file';
    return cell(t, 'no', `${cutShort(c, p)} dyld refuses to load it.`, dyld.dlopen(c.name, why), ev, idx);
  }
  return cell(
    t,
    'no',
    `${cutShort(c, p)} The kernel refuses it as a malformed Mach-O file (EBADMACHO).`,
    t === 'ios-arm64' ? macShell.malformedErrno() : macShell.malformed(c.name),
    ev,
    idx,
  );
}

/** The name of a Mach-O segment cut short, as the part names it (`(unnamed)` for an empty segname). */
function segmentName(x: Slice, p: CutValues): string {
  const seg = p.part.segment !== undefined ? x.s.segments[p.part.segment] : undefined;
  return seg?.name || '(unnamed)';
}
