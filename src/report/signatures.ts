// The signature stage: after the parse, every Mach-O slice with
// LC_CODE_SIGNATURE is checked against its bytes (src/parsers/macho/codesign),
// `codeSignature.validation` is filled in, and the verdicts are made again
// with it. Hashing is asynchronous (WebCrypto), so this stage is too; the
// page's worker and the CLI run it, and both write the same report.

import type { MachOSlice } from '../parsers/macho/index.ts';
import type { ByteSource } from '../parsers/reader.ts';
import type { Report } from '../report/types.ts';
import { verifyCodeSignature, type VerifyOptions } from '../parsers/macho/codesign/verify.ts';
import type { DigestMany } from '../parsers/macho/codesign/digest.ts';
import { computeVerdicts } from '../verdict/index.ts';
import { finishReport, parseStage, type FullAnalysis, type PipelineOptions } from './pipeline.ts';

export interface SignatureOptions extends PipelineOptions {
  digest?: DigestMany;
  /**
   * Awaited between the parse (and the early answer) and the later stages:
   * the page's worker reads a big file whole here, once its answer is out.
   */
  afterParse?: () => Promise<void>;
}

/**
 * buildReport, then the signature stage: the report the page and the CLI show.
 * The early answer (`onVerdict`, the matrix right after the parse) is handed on
 * only for files without a code signature: for a signed Mach-O file the answer
 * depends on the check, and an early "runs" that turns into "killed" a moment
 * later would be wrong, so its answer comes with the whole report.
 */
export async function buildVerifiedReport(source: ByteSource, name: string, opts: SignatureOptions = {}): Promise<FullAnalysis> {
  const early = opts.onVerdict;
  const onVerdict = early ? (r: Report) => void (r.slices.some((s) => s.codeSignature) ? undefined : early(r)) : undefined;
  const parsed = parseStage(source, name, { ...opts, onVerdict });
  if (opts.afterParse) await opts.afterParse();
  return verifySignatures(finishReport(parsed, opts), opts);
}

/** The CMS reader (PKI.js and ASN.1js) is loaded only when a signature carries a CMS blob. */
const readCms: NonNullable<VerifyOptions['cms']> = async (blob, directories, digest) => {
  const { readCmsSignature } = await import('../parsers/macho/codesign/cms.ts');
  return readCmsSignature(blob, directories, digest);
};

export async function verifySignatures(a: FullAnalysis, opts: SignatureOptions = {}): Promise<FullAnalysis> {
  let changed = false;
  for (let i = 0; i < a.slices.length; i++) {
    const parsed = a.slices[i]!.parsed as Partial<MachOSlice>;
    const cs = parsed.macho?.codeSignature;
    const sr = a.report.slices[i];
    if (!parsed.macho || !cs || !sr?.codeSignature) continue;
    const validation = await verifyCodeSignature(parsed.reader!, parsed.macho.image, cs, {
      digest: opts.digest,
      cancelled: opts.cancelled,
      cms: readCms,
    });
    sr.codeSignature = { ...sr.codeSignature, validation };
    changed = true;
  }
  if (!changed) return a;
  const parse = { slices: a.slices.map((s) => s.parsed), missing: a.missing };
  const v = computeVerdicts(a.report, parse, { ...(opts.today ? { today: opts.today } : {}), ...opts.verdict });
  a.report.compatibility = v.compatibility;
  a.report.findings = v.findings;
  return a;
}
