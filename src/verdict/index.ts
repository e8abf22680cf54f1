// "Will it run there?": the compatibility matrix and the findings for a
// report. Pure: a report and options in, plain data out; no bytes are read.

import type { Compatibility, Finding, Report } from '../report/types.ts';
import { compatibilityMatrix } from './compatibility.ts';
import { makeCtx, type Ctx, type Parse, type VerdictOptions } from './context.ts';
import { archFindings } from './findings-arch.ts';
import { arm64Findings } from './findings-arm64.ts';
import { elfFindings } from './findings-elf.ts';
import { goFindings } from './findings-go.ts';
import { hygieneFindings } from './findings-hygiene.ts';
import { importFindings } from './findings-imports.ts';
import { machoFindings } from './findings-macho.ts';
import { pathFindings } from './findings-paths.ts';
import { finding } from './registry.ts';
import { needs } from './truncated.ts';
import { shellQuote } from './paths.ts';

export type { Parse, VerdictOptions } from './context.ts';
export { FINDINGS, FINDING_IDS, type FindingId } from './registry.ts';

export interface Verdicts {
  compatibility: Compatibility[];
  findings: Finding[];
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/** The verdicts on a report, with the parse it was written from beside it (`Parse`: the analysis's slices and cuts). */
export function computeVerdicts(report: Report, parse: Parse, options: VerdictOptions = {}): Verdicts {
  const c = makeCtx(report, parse, options);
  const compatibility = compatibilityMatrix(c);
  // A file cut short gets that one finding: every other check would rest on bytes that are not there.
  if (report.truncated) return { compatibility, findings: [truncatedFinding(c)] };
  const all = [
    ...reportFindings(c),
    ...archFindings(c),
    ...elfFindings(c),
    ...pathFindings(c),
    ...machoFindings(c),
    ...importFindings(c),
    ...hygieneFindings(c),
    ...arm64Findings(c),
    ...goFindings(c),
  ];
  const findings = merge(all).sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return { compatibility, findings };
}

function reportFindings(c: Ctx): Finding[] {
  const r = c.report;
  if (r.errors.length === 0) return [];
  return [
    finding('report-incomplete', {
      title: 'Parts of the file could not be read',
      detail: `binlens met ${r.errors.length} problem${r.errors.length === 1 ? '' : 's'} reading this file, so the verdicts and findings rest on the parts it could read and may miss something. A truncated download or a damaged file is the usual cause.`,
      evidence: r.errors.slice(0, 5).map((e) => `${e.field} at ${e.offset}: ${e.message}`),
      fix: null,
    }),
  ];
}

function truncatedFinding(c: Ctx): Finding {
  const t = c.report.truncated!;
  const first = t.missing[0];
  const more = t.missing.length - 1;
  const f = shellQuote(c.name);
  return finding('file-truncated', {
    title: `The file is cut short: it ends at ${t.end}`,
    detail:
      `The file has ${c.report.file.size} bytes, but its headers place data past that${first ? `: its ${needs(first)}${more ? ` (and ${more} more part${more === 1 ? '' : 's'} past the end)` : ''}` : ''}. ` +
      'An interrupted download or copy is the usual cause. A copy like this does not run anywhere as built, and binlens leaves out its other checks, which would rest on bytes that are not there.',
    evidence: [
      `file ends at ${t.end} (${c.report.file.size} bytes)`,
      ...t.missing.map(needs),
      ...(c.report.file.sha256 ? [`SHA-256 of this copy: ${c.report.file.sha256}`] : []),
    ],
    fix: `# download or copy it again, then compare its checksum with the one the publisher gives:\nshasum -a 256 ${f}    # macOS\nsha256sum ${f}        # Linux`,
  });
}

/** The same finding from several slices of a universal file becomes one, without a slice number. */
function merge(fs: Finding[]): Finding[] {
  const out: Finding[] = [];
  const byKey = new Map<string, Finding>();
  for (const f of fs) {
    const key = `${f.id}\u0000${f.title}\u0000${f.detail}\u0000${f.fix ?? ''}`;
    const prev = byKey.get(key);
    if (!prev) {
      const copy = { ...f, evidence: [...f.evidence] };
      byKey.set(key, copy);
      out.push(copy);
      continue;
    }
    delete prev.slice;
    for (const e of f.evidence) if (!prev.evidence.includes(e)) prev.evidence.push(e);
  }
  return out;
}
