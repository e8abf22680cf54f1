// The facts every verdict and finding rule reads, worked out once per report.

import type { Target } from '../report/targets.ts';
import type { Compatibility, MissingPart, Report, SliceReport } from '../report/types.ts';
import { archKind, isElf, isMachO, type ArchKind } from './arch.ts';
import type { LoadKind } from './messages.ts';

export interface VerdictOptions {
  /** The OS versions the user wants to support; findings and verdicts compare minimum OS versions with them. */
  minVersions?: { macos?: string; ios?: string };
  /** ISO date (`2026-11-25`) that "is this Go release still supported" is judged on; default: today. */
  today?: string;
}

/**
 * The parse beside the report: the values the report writes only as text (offsets as `0x…`, permissions as `rwx`,
 * a part's name inside a sentence), which the verdicts read instead of reading the text back. Structurally what
 * src/parsers hands up (`Analysis`: each ParsedSlice's reader and image, the cuts), so the verdicts import no parser.
 */
export interface Parse {
  /** The report's slices, in its order. */
  slices: readonly ParsedValues[];
  /** `report.truncated.missing` in values, in its order; empty for a whole file. */
  missing: readonly CutValues[];
}

/** One slice as parsed (ParsedSlice). */
export interface ParsedValues {
  /** Its window of the file: `base` is where the slice starts. */
  reader: { readonly base: number };
  /**
   * Its loadable segments and its PT_GNU_STACK (ELF; null without one, and for Mach-O), `row` being the segment's
   * index in the report's `segments`.
   */
  image: {
    loads: readonly { row: number; filesz: number; memsz: number; w: boolean; x: boolean }[];
    stack: { row: number; x: boolean } | null;
  };
}

/** A structure past the end of the file (src/parsers/truncation.ts Cut): the report's entry and its end, in values. */
export interface CutValues {
  part: MissingPart;
  /** Absolute file offset of the first byte after it. */
  end: bigint;
  /** For a universal file's `slice`: its architecture. */
  arch?: string;
}

export interface Slice {
  s: SliceReport;
  /** The same slice as parsed. */
  parsed: ParsedValues;
  arch: ArchKind;
  kind: LoadKind;
  /** Platform normalized: `macos`, `ios`, `maccatalyst`, `simulator`, `other`, or null when the file does not say. */
  platform: 'macos' | 'ios' | 'maccatalyst' | 'simulator' | 'linux' | 'android' | 'other' | null;
}

export interface Ctx {
  report: Report;
  /** `report.truncated.missing` in values. */
  missing: readonly CutValues[];
  options: VerdictOptions;
  name: string;
  macho: boolean;
  elf: boolean;
  fat: boolean;
  slices: Slice[];
}

export function loadKind(s: SliceReport): LoadKind {
  switch (s.fileType) {
    case 'executable':
      return 'exec';
    case 'shared-library':
    case 'bundle':
      return 'library';
    case 'object':
      return 'object';
    default:
      return 'other';
  }
}

function platformOf(p: string | null): Slice['platform'] {
  if (p === null) return null;
  const n = p.toLowerCase();
  if (n === 'macos' || n === 'macosx' || n === 'osx') return 'macos';
  if (n === 'ios') return 'ios';
  if (n === 'maccatalyst' || n === 'macabi') return 'maccatalyst';
  if (n.includes('simulator')) return 'simulator';
  if (n === 'linux' || n === 'gnu' || n === 'sysv' || n === 'none') return 'linux';
  if (n === 'android') return 'android';
  return 'other';
}

export function makeCtx(report: Report, parse: Parse, options: VerdictOptions = {}): Ctx {
  if (parse.slices.length !== report.slices.length || (report.truncated?.missing.length ?? 0) !== parse.missing.length)
    throw new Error('makeCtx: the parse is not the one the report was written from');
  return {
    report,
    missing: parse.missing,
    options,
    name: report.file.name || 'FILE',
    macho: isMachO(report),
    elf: isElf(report),
    fat: report.format === 'macho-fat',
    slices: report.slices.map((s, i) => ({
      s,
      parsed: parse.slices[i]!,
      arch: archKind(report, s),
      kind: loadKind(s),
      platform: platformOf(s.platform),
    })),
  };
}

/** Required (not weak) dependencies of a slice, with their load command or dynamic tag. */
export function requiredLibraries(s: SliceReport): { name: string; source: string }[] {
  if (s.libraryDetails.length > 0) {
    return s.libraryDetails.filter((l) => l.kind !== 'weak').map((l) => ({ name: l.name, source: librarySource(l.kind) }));
  }
  return s.libraries.map((name) => ({ name, source: 'DT_NEEDED' }));
}

export function librarySource(kind: string): string {
  switch (kind) {
    case 'needed':
      return 'DT_NEEDED';
    case 'load':
      return 'LC_LOAD_DYLIB';
    case 'weak':
      return 'LC_LOAD_WEAK_DYLIB';
    case 'reexport':
      return 'LC_REEXPORT_DYLIB';
    case 'lazy':
      return 'LC_LAZY_LOAD_DYLIB';
    case 'upward':
      return 'LC_LOAD_UPWARD_DYLIB';
    default:
      return kind;
  }
}

/** `slice 1 (arm64, MH_EXECUTE)`: how evidence names a slice. */
export function sliceLabel(c: Ctx, x: Slice): string {
  return c.fat ? `slice ${x.s.index} (${x.s.arch}, ${x.s.fileTypeRaw})` : `${x.s.arch} ${x.s.fileTypeRaw}`;
}

/** One target's verdict on the file: why, the error the user would see, the evidence read, the slice it is about. */
export function cell(
  target: Target,
  verdict: Compatibility['verdict'],
  reason: string,
  error: string | null,
  evidence: string[],
  slice: number | null,
): Compatibility {
  return { target, verdict, reason, error, evidence, slice };
}
