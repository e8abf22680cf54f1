// One folder-table row per file: what `file` would say, a little richer.
// Small on purpose: a folder of thousands of files keeps only these.

import type { Target } from './targets.ts';
import type { Compatibility, Format, Report, SliceReport } from './types.ts';

export interface SliceSummary {
  arch: string;
  fileType: string;
  fileTypeRaw: string;
  platform: string | null;
  minOS: string | null;
  linkage: SliceReport['linkage'];
  /** Short labels of the protections and facts worth a glance (PIE, NX, RELRO, BTI, …). */
  features: string[];
}

/** One cell of the folder table's verdict columns. */
export interface VerdictCell {
  target: Target;
  verdict: Compatibility['verdict'];
  /** The matrix's one-sentence reason, for the cell's title. */
  reason: string;
}

export interface FileSummary {
  name: string;
  size: number;
  format: Format;
  /** Set when the file is not ELF or Mach-O: what it is instead. */
  notBinary: { kind: string; reason: string } | null;
  slices: SliceSummary[];
  errors: number;
  /** The first error in plain words, for the row's tooltip. */
  firstError: string | null;
  warnings: number;
  /** The compatibility matrix in short, when verdicts were computed (the pipeline always does). */
  verdicts?: VerdictCell[];
  /** Findings by severity. */
  findings?: { error: number; warning: number; info: number };
}

export function keyFeatures(s: SliceReport): string[] {
  const f = s.features;
  const out: string[] = [];
  if (f.pie) out.push('PIE');
  if (f.nx) out.push('NX');
  if (f.relro === 'full') out.push('RELRO');
  else if (f.relro === 'partial') out.push('partial RELRO');
  if (f.canary) out.push('canary');
  if (f.fortify) out.push('FORTIFY');
  if (f.bti) out.push('BTI');
  if (f.pac) out.push('PAC');
  if (f.ibt) out.push('IBT');
  if (f.shstk) out.push('SHSTK');
  const cs = s.codeSignature;
  if (cs) out.push(cs.adhoc ? (cs.linkerSigned ? 'linker-signed' : 'ad-hoc signed') : 'signed');
  if (s.encryption && s.encryption.cryptid !== 0) out.push('encrypted');
  if (s.stripped) out.push('stripped');
  if (s.go) out.push(s.go.version ?? 'Go');
  return out;
}

export function summarize(r: Report): FileSummary {
  const e = r.errors[0];
  return {
    name: r.file.name,
    size: r.file.size,
    format: r.format,
    notBinary: r.notBinary ?? null,
    slices: r.slices.map((s) => ({
      arch: s.arch,
      fileType: s.fileType,
      fileTypeRaw: s.fileTypeRaw,
      platform: s.platform,
      minOS: s.minOS,
      linkage: s.linkage,
      features: keyFeatures(s),
    })),
    errors: r.errors.length,
    firstError: e ? `${e.message} (${e.field} at ${e.offset})` : null,
    warnings: r.warnings.length,
    ...(r.compatibility ? { verdicts: r.compatibility.map((c) => ({ target: c.target, verdict: c.verdict, reason: c.reason })) } : {}),
    ...(r.findings ? { findings: countFindings(r) } : {}),
  };
}

function countFindings(r: Report): { error: number; warning: number; info: number } {
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of r.findings ?? []) n[f.severity]++;
  return n;
}
