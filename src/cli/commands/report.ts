// `report FILE... [--json]`: the versioned report for each file.

import { basename } from 'node:path';
import type { Report, SignatureValidation, SliceReport } from '../../report/types.ts';
import { killsOnIntel, pageWords, resignFix } from '../../verdict/signature.ts';
import { entitlementList } from '../../verdict/entitlements.ts';
import { notarizationChecklist } from '../../verdict/notarization.ts';
import { unreadableReport } from '../../report/unreadable.ts';
import { InputError, openFile } from '../fileSource.ts';
import { engineOrNull, hashProgressFor, reportFor } from '../reportFile.ts';
import { problemLine } from '../binary.ts';
import { errorLine, q, writeText } from '../output.ts';
import type { Args } from '../args.ts';
import { fromLinkCommand } from './link.ts';
import { writeStats } from '../stats.ts';
import { needs } from '../../verdict/truncated.ts';
import { isArchiveHead } from '../../units/walk.ts';
import type { UnitReport } from '../../units/types.ts';
import { unitFromPath } from '../unitSource.ts';
import { textUnit } from './check.ts';

export async function reportCommand(args: Args): Promise<number> {
  if (args.flags.has('from-link')) return fromLinkCommand(args, textReport);
  const files = args.positional;
  if (files.length === 0) {
    process.stderr.write('usage: binlens report FILE... [--json]\n');
    return 64;
  }
  const reports: (Report | UnitReport)[] = [];
  let status = 0;
  const engine = await engineOrNull();
  for (const path of files) {
    // An archive (an image tarball, a release .tar.gz) gets the unit report (docs/report.md, "The unit report").
    if (isUnitFile(path)) {
      const u = await unitFromPath(path);
      for (const e of u.errors) errorLine(`binlens report: ${q(path)}: ${q(e)}`);
      if (u.errors.length) status = 2;
      reports.push(u);
      continue;
    }
    let r: Report;
    try {
      r = await reportFor(path, engine, { onHashProgress: hashProgressFor(path, args) });
    } catch (e) {
      // A path that is not a readable file (missing, a directory, a device,
      // no permission) still gets a report, and the same line as the other
      // commands give; anything else is a bug and goes to main's handler.
      if (!(e instanceof InputError)) throw e;
      r = unreadableReport(basename(path), 0, e.reason);
    }
    const problem = problemLine(r, path);
    if (problem) {
      errorLine(`binlens report: ${problem}`);
      status = 2;
    }
    reports.push(r);
  }
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
  } else {
    writeText(reports.map((r) => ('unitSchema' in r ? textUnit(r) : textReport(r))).join('\n'));
  }
  if (args.flags.has('stats')) writeStats();
  return status;
}

/** A regular file whose first bytes start a tar archive or compressed data (which may hold one). */
function isUnitFile(path: string): boolean {
  try {
    const f = openFile(path);
    try {
      return isArchiveHead(f.source.read(0, Math.min(f.source.size, 512)));
    } finally {
      f.close();
    }
  } catch {
    return false;
  }
}

export function textReport(r: Report): string {
  const lines: string[] = [
    `${q(r.file.name)}: ${r.format}${r.slices.length > 1 ? ` (${r.slices.length} slices)` : ''}, ${r.file.size} bytes, sha256 ${q(r.file.sha256)}`,
  ];
  if (r.notBinary) lines.push(`  ${q(r.notBinary.reason)}`);
  if (r.truncated) {
    lines.push(`  cut short: the file ends at ${q(r.truncated.end)}; what is marked unknown below rests on the missing part`);
    for (const p of r.truncated.missing) lines.push(`      ${q(needs(p))}`);
  }
  for (const s of r.slices) lines.push(...textSlice(s, r.file.name, r));
  for (const e of r.errors) lines.push(`  error at ${q(e.offset)} (${q(e.field)}): ${q(e.message)}`);
  for (const w of r.warnings) lines.push(`  warning: ${q(w)}`);
  return lines.join('\n') + '\n';
}

/** Every string of a slice is escaped: a link's sender writes all of them, a binary most. */
function textSlice(s: SliceReport, name: string, report?: Report): string[] {
  const os = s.platform ? `${q(s.platform)}${s.minOS ? ' ' + q(s.minOS) : ''}` : 'unknown platform';
  const out = [
    `  [${s.index}] ${q(s.arch)} ${s.bits}-bit ${q(s.endian)}-endian ${q(s.fileType)} (${q(s.fileTypeRaw)}), ${os}, ${s.linkage === 'unknown' ? 'linkage unknown (file truncated)' : q(s.linkage)}${s.interpreter ? ', interpreter ' + q(s.interpreter) : ''}`,
  ];
  if (s.entry) out.push(`      entry ${q(s.entry)}`);
  if (s.uuid) out.push(`      uuid ${q(s.uuid)}`);
  if (s.buildId) out.push(`      build-id ${q(s.buildId)}`);
  for (const l of s.libraryDetails) out.push(`      ${q(l.kind).padEnd(8)} ${q(l.name)}`);
  for (const r of s.rpathDetails) out.push(`      ${q(r.source).padEnd(10)} ${q(r.path)}`);
  const unknown = (field: keyof SliceReport) => s.incomplete?.includes(field) ?? false;
  if (unknown('libraries'))
    out.push(`      libraries: unknown (file truncated)${s.libraryDetails.length ? '; those listed are what could be read' : ''}`);
  out.push(
    `      symbols: ${unknown('symbols') ? 'unknown (file truncated)' : `${s.symbols.defined} defined, ${s.symbols.undefined} undefined${s.stripped ? ' (stripped)' : ''}`}`,
  );
  const f = s.features;
  const yn = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : 'no');
  out.push(
    unknown('features')
      ? '      features: unknown (file truncated)'
      : `      features: pie ${yn(f.pie)}, nx ${yn(f.nx)}, relro ${q(String(f.relro ?? 'n/a'))}, canary ${yn(f.canary)}, fortify ${yn(f.fortify)}, bti declared ${yn(f.bti)}, pac declared ${yn(f.pac)}`,
  );
  // What the code does and what the system enforces are separate answers (slices[].arm64.protection).
  const p = s.arm64?.protection;
  if (p) {
    const three = (x: typeof p.pac) =>
      `declared ${yn(x.declared)}, code ${x.does === null ? 'unknown' : yn(x.does)}, enforced ${x.enforced === null ? 'unknown' : yn(x.enforced)}`;
    out.push(`      pac: ${three(p.pac)}; bti: ${three(p.bti)}`);
  }
  if (unknown('codeSignature')) out.push('      signature: unknown (file truncated)');
  else if (s.codeSignature) {
    const c = s.codeSignature;
    out.push(
      `      signature: ${c.adhoc ? 'ad-hoc' : 'signed'}${c.linkerSigned ? ' (linker-signed)' : ''}, identifier ${q(c.identifier ?? '-')}, team ${q(c.teamId ?? '-')}, cdhash ${q(c.cdHash ?? '-')}`,
    );
    if (c.validation) out.push(...validationLines(s, c.validation, name));
  }
  for (const e of entitlementList(s.codeSignature?.entitlements ?? null)) {
    out.push(
      `      entitlement ${q(e.key)} = ${q(e.value)}: ${e.meaning}${e.notarization === 'rejected' ? ' (notarization rejects it)' : e.notarization === 'needs a profile' ? ' (needs a provisioning profile)' : ''}`,
    );
  }
  const notary = report ? notarizationChecklist(report, s) : null;
  if (notary) {
    out.push('      notarization preflight (offline):');
    const mark = { pass: 'ok  ', fail: 'FAIL', unknown: '?   ', na: 'n/a ' } as const;
    for (const it of notary)
      out.push(`        ${mark[it.state]} ${it.requirement}${it.state === 'fail' || it.state === 'unknown' ? `: ${q(it.detail)}` : ''}`);
  }
  return out;
}

/** The signature check in a few lines: the verdict, where it fails, what to do (all from report fields). */
function validationLines(s: SliceReport, v: SignatureValidation, name: string): string[] {
  const out: string[] = [];
  const slots = Object.entries(v.specialSlots);
  if (v.status === 'valid') {
    out.push(
      `      signature matches: all ${v.pages} pages of ${v.pageSize} bytes${slots.length ? `, ${slots.map(([k]) => q(k)).join(', ')}` : ''}${v.cms ? `; CMS ${v.cms.cdHashesMatch === false ? 'does not sign these CodeDirectories' : 'signs these CodeDirectories'}` : ''}`,
    );
  } else if (v.status === 'unsupported') {
    out.push('      signature not checked:');
  } else {
    out.push(`      signature DOES NOT MATCH the file${v.firstBad ? `: ${q(pageWords(v))}` : ''}`);
    const arm = s.arch === 'arm64' || s.arch === 'arm64e';
    out.push(
      arm
        ? '      on Apple Silicon the kernel kills it ("Killed: 9"; log: "CODE SIGNING: … rejecting invalid page")'
        : `      on Intel and under Rosetta 2 the kernel kills it only when the signature asks to (CS_KILL, CS_HARD, hardened runtime): ${s.codeSignature && killsOnIntel(s.codeSignature) ? 'this one does' : 'this one does not'}; Gatekeeper still rejects a downloaded copy`,
    );
  }
  for (const r of v.reasons) out.push(`        - ${q(r)}`);
  if (v.cms) {
    for (const [i, c] of v.cms.chain.entries())
      out.push(`      certificate ${i}: ${q(c.subject)} (issuer ${q(c.issuer)}, expires ${q(c.notAfter)})`);
    out.push(
      `      signing time ${q(v.cms.signingTime ?? '-')}, secure timestamp ${q(v.cms.timestamp ?? 'none')}; revocation and notarization cannot be checked offline`,
    );
  }
  if (v.status === 'invalid' && s.codeSignature) {
    out.push('      fix:');
    for (const l of resignFix(name, s.codeSignature).split('\n')) out.push(`        ${q(l)}`);
  }
  return out;
}
