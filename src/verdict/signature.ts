// What a signature that does not match its file means for each Mac, and the
// words for it. The kernel checks every page of a signed file against its hash
// as the page comes in (xnu bsd/kern/ubc_subr.c cs_validate_page); on a
// mismatch it logs "rejecting invalid page" (osfmk/vm/vm_fault.c) and, when
// the process must stay valid, kills it with SIGKILL: the shell prints
// "Killed: 9". Apple Silicon requires valid signatures of all arm64 code;
// x86_64 code (an Intel Mac, or Rosetta 2) is killed only when the signature's
// flags ask for it (CS_KILL, CS_HARD) or the hardened runtime (CS_RUNTIME) does.

import { hex, type CodeSignature, type SignatureValidation, type SliceReport } from '../report/types.ts';
import type { Slice } from './context.ts';
import { shellQuote } from './paths.ts';

export function invalidSignature(s: SliceReport): SignatureValidation | null {
  const v = s.codeSignature?.validation;
  return v && v.status === 'invalid' ? v : null;
}

/** "…, verified: all 13 pages match" / "…, does not match (page 3 of __TEXT)". */
export function validationPhrase(v: SignatureValidation | undefined): string {
  if (!v) return '';
  if (v.status === 'valid')
    return `, verified: all ${v.pages} page${v.pages === 1 ? '' : 's'} and ${Object.keys(v.specialSlots).length} special slot${Object.keys(v.specialSlots).length === 1 ? '' : 's'} match`;
  if (v.status === 'unsupported') return ', not checked (see the signature)';
  return v.firstBad ? `, does not match: ${pageWords(v)}` : ', does not match';
}

/** "page 3 (0x3000–0x4000) of __TEXT, in __TEXT,__text". */
export function pageWords(v: SignatureValidation): string {
  const p = v.firstBad;
  if (!p) return '';
  // firstBad is the first bad page: its offset is that page's index times the page size.
  const start = v.badPages[0]! * v.pageSize;
  const more = v.badPages.length > 1 ? ` and ${v.badPages.length - 1} more` : '';
  return `page ${v.badPages[0]} (${p.offset}–${hex(start + v.pageSize)}) ${p.segment ? `of ${p.segment}` : 'outside every segment'}${p.section ? `, in ${p.section}` : ''}${more}`;
}

/** The x86_64 kernel kills on a bad page only when the signature asks it to. */
export function killsOnIntel(sig: CodeSignature): string | null {
  const why = sig.flags.filter((f) => f === 'kill' || f === 'hard' || f === 'runtime');
  return why.length
    ? why.map((f) => (f === 'runtime' ? 'the hardened runtime (CS_RUNTIME)' : `CS_${f.toUpperCase()}`)).join(' and ')
    : null;
}

/** What the shell prints, and the kernel's log line (osfmk/vm/vm_fault.c) when a page is at fault. */
export function killedError(name: string, x: Slice): string {
  const v = x.s.codeSignature?.validation;
  if (!v?.firstBad) return 'Killed: 9';
  // The first bad page's offset in the file: where the slice starts, and that page's index times the page size (firstBad.offset).
  const fileOffset = hex(x.parsed.reader.base + v.badPages[0]! * v.pageSize);
  return `Killed: 9\n# log show --predicate 'sender == "kernel"' --last 5m:\nCODE SIGNING: process …[${name.slice(0, 32)}]: rejecting invalid page at address 0x… from offset ${fileOffset} in file "/path/to/${name}" (…)`;
}

/** The fix, in the order to do it: edits first, then one signature over the result. */
export function resignFix(name: string, sig: CodeSignature): string {
  const f = shellQuote(name);
  const identity = sig.adhoc ? '-' : `"Developer ID Application: NAME (${sig.teamId ?? 'TEAMID'})"`;
  const lines = [
    '# make every change first (install_name_tool, strip, patching), then sign once:',
    `codesign --force --sign - ${f}            # ad-hoc: enough to run on this Mac`,
  ];
  if (!sig.adhoc) lines.push(`codesign --force --sign ${identity} --options runtime --timestamp ${f}   # to distribute`);
  lines.push(`codesign --verify --strict --verbose=2 ${f}`);
  return lines.join('\n');
}
