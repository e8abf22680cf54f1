// What binlens keeps of a member: from its first bytes, what it is; for ELF
// and Mach-O members, the facts the loader acts on (parsed with the same
// parsers as a dropped file, then the bytes are let go, so a 20,000-file image
// never holds more than one binary at a time).

import { analyze } from '../parsers/analyze.ts';
import { identify } from '../parsers/identify.ts';
import { MemorySource, type ByteSource } from '../parsers/reader.ts';
import type { Compatibility, Report, SliceReport } from '../parsers/types.ts';
import { computeVerdicts } from '../verdict/index.ts';
import { archKind, type ArchKind } from '../verdict/arch.ts';
import { requiredLibraries } from '../verdict/context.ts';
import { highestGlibc } from '../verdict/versions.ts';

/** What a member's first bytes say it is. */
export type MemberFormat = 'elf' | 'macho' | 'macho-fat' | 'archive' | 'other';

export interface BinarySlice {
  arch: ArchKind;
  /** The parser's architecture name (`arm64`, `x86_64`, `riscv64`…). */
  archName: string;
  bits: 32 | 64;
  fileType: SliceReport['fileType'];
  fileTypeRaw: string;
  platform: string | null;
  minOS: string | null;
  interpreter: string | null;
  /** Required DT_NEEDED / load commands, in order. */
  needed: string[];
  rpath: string[];
  runpath: string[];
  soname: string | null;
  /** DT_FLAGS_1 DF_1_NODEFLIB: the loader skips its default directories for this object's needs. */
  nodeflib: boolean;
  /** Versions needed per library (verneed: vn_file → names). */
  versionNeeds: Record<string, string[]>;
  /** Versions this object defines (its verdef names), for libraries. */
  versionDefs: string[];
  /** The highest GLIBC_x.y it needs (its glibc floor), or null. */
  glibcFloor: string | null;
  codeSigned: boolean | null;
}

export interface BinaryFacts {
  format: 'elf' | 'macho' | 'macho-fat';
  slices: BinarySlice[];
  /** The member's own verdict per target, as a dropped file would get it. */
  compatibility: Compatibility[];
  /** Parse errors, by message (the member's full report lists them). */
  errors: string[];
}

/** How many bytes identify a member. */
export const HEAD_BYTES = 512;

export function formatOf(head: Uint8Array): MemberFormat {
  const id = identify(new MemorySource(head));
  if (id.format === 'elf' || id.format === 'macho' || id.format === 'macho-fat') return id.format;
  return 'other';
}

/** What a non-binary member is, in a few words (`gzip-compressed data`, `script`, `text`). */
export function kindOf(head: Uint8Array): string {
  return identify(new MemorySource(head)).kind;
}

/** Parses a binary member and keeps what resolution and verdicts need. */
export function binaryFacts(source: ByteSource, name: string): { facts: BinaryFacts; report: Report } {
  const { report, slices } = analyze(source, name, { skipHash: true });
  const { compatibility } = computeVerdicts(report);
  const out: BinarySlice[] = report.slices.map((s, i) => {
    const parsed = slices[i];
    const versionNeeds: Record<string, string[]> = {};
    for (const imp of s.imports) {
      if (!imp.version || !imp.library) continue;
      const list = (versionNeeds[imp.library] ??= []);
      if (!list.includes(imp.version)) list.push(imp.version);
    }
    const defs = new Set<string>(report.format === 'elf' && s.fileType === 'shared-library' ? (parsed?.versionDefinitions?.() ?? []) : []);
    return {
      arch: archKind(report, s),
      archName: s.arch,
      bits: s.bits,
      fileType: s.fileType,
      fileTypeRaw: s.fileTypeRaw,
      platform: s.platform,
      minOS: s.minOS,
      interpreter: s.interpreter,
      needed: requiredLibraries(s).map((l) => l.name),
      rpath: s.rpathDetails.filter((r) => r.source !== 'DT_RUNPATH').map((r) => r.path),
      runpath: s.rpathDetails.filter((r) => r.source === 'DT_RUNPATH').map((r) => r.path),
      soname: s.installName,
      nodeflib: s.flags.includes('NODEFLIB'),
      versionNeeds,
      versionDefs: [...defs],
      glibcFloor: highestGlibc(s.imports.map((i) => i.version ?? '')),
      codeSigned: report.format === 'elf' ? null : s.codeSignature !== null,
    };
  });
  return {
    facts: { format: report.format as BinaryFacts['format'], slices: out, compatibility, errors: report.errors.map((e) => e.message) },
    report,
  };
}
