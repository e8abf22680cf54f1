// `check PATH... [--target T]... [--json] [--sarif]`: will the thing I ship
// run there? Each PATH is a unit (a binary, an archive, a container image
// tarball, a folder); each entry point is checked on each target. Exit 0 when
// every entry point runs on every target, 1 when one does not (one line per
// failure on stderr: the unit, the member inside it, the target, the error as
// the system prints it), 2 when a PATH cannot be read.

import type { Target } from '../../report/targets.ts';
import { isTarget, TARGETS } from '../../report/targets.ts';
import type { UnitReport } from '../../units/types.ts';
import type { Args } from '../args.ts';
import { InputError } from '../fileSource.ts';
import { errorLine, q, writeText } from '../output.ts';
import { unitFromPath } from '../unitSource.ts';
import { unitSarif } from '../../units/sarif.ts';

export const CHECK_USAGE = 'usage: binlens check PATH... [--target T]... [--json] [--sarif]\n';

/** `--target a --target b` and `--target=a,b`. */
export function targetsOf(argv: string[]): { targets: Target[] | undefined; bad: string | null } {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--target' && i + 1 < argv.length) out.push(...argv[++i]!.split(','));
    else if (a.startsWith('--target=')) out.push(...a.slice('--target='.length).split(','));
  }
  const bad = out.find((t) => !isTarget(t)) ?? null;
  return { targets: out.length ? (out as Target[]) : undefined, bad };
}

export async function checkCommand(args: Args, argv: string[]): Promise<number> {
  const paths = args.positional;
  const { targets, bad } = targetsOf(argv);
  if (paths.length === 0) {
    process.stderr.write(CHECK_USAGE);
    return 64;
  }
  if (bad !== null) {
    errorLine(`binlens check: unknown target '${q(bad)}' (targets: ${TARGETS.join(', ')})`);
    return 64;
  }
  let status = 0;
  const reports: UnitReport[] = [];
  for (const path of paths) {
    let r: UnitReport;
    try {
      r = await unitFromPath(path, { targets });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errorLine(`binlens check: ${q(path)}: ${e.reason}`);
      status = 2;
      continue;
    }
    reports.push(r);
    if (r.errors.length) {
      for (const e of r.errors) errorLine(`binlens check: ${q(path)}: ${q(e)}`);
      status = 2;
      continue;
    }
    const lines = failureLines(path, r);
    for (const l of lines) errorLine(l);
    if (lines.length && status === 0) status = 1;
  }
  if (args.flags.has('sarif')) process.stdout.write(JSON.stringify(unitSarif(reports), null, 2) + '\n');
  else if (args.flags.has('json')) process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
  else writeText(reports.map(textUnit).join(''));
  return status;
}

/**
 * One line per failure, as `check` writes them on stderr: the unit as given, the member inside it, the target,
 * the error as the system prints it (its first line). A target binlens cannot decide, and a unit with nothing to
 * check, get a line too: neither is a pass.
 */
export function failureLines(path: string, r: UnitReport): string[] {
  const out: string[] = [];
  for (const t of r.targets) {
    for (const f of t.failures) {
      const member = f.member || f.entry;
      out.push(`${q(path)}${member ? `: ${q(member)}` : ''}: ${t.target}: ${q(f.error.split('\n')[0]!)}`);
    }
    if (t.verdict === 'unknown') out.push(`${q(path)}: ${t.target}: cannot tell: ${q(t.reason)}`);
  }
  if (r.targets.length === 0) out.push(`${q(path)}: no program or library to check`);
  return out;
}

export function textUnit(r: UnitReport): string {
  const lines: string[] = [];
  const binaries = r.members.filter((m) => m.format !== 'other' && m.format !== 'archive').length;
  lines.push(`${q(r.file.name)}: ${r.kind} (${q(r.container)}), ${r.members.length} files, ${binaries} ELF/Mach-O`);
  for (const im of r.images) {
    const libc = im.libc.kind ? `${im.libc.kind}${im.libc.version ? ' ' + im.libc.version : ''}` : 'no C library';
    lines.push(
      `  image ${im.index}: ${q(im.platform)}${im.reference ? ` ${q(im.reference)}` : ''}, ${im.layers} layers, ${libc}, entry ${im.entryPoints.map(q).join(' ') || '(none)'}`,
    );
  }
  for (const t of r.targets) {
    lines.push(`  ${t.target}: ${t.verdict === 'runs' ? 'runs' : t.verdict === 'no' ? 'does not run' : 'unknown'} — ${q(t.reason)}`);
    for (const f of t.failures) lines.push(`      ${q(f.member || f.entry)} [${f.step}]: ${q(f.error.split('\n')[0]!)}`);
  }
  const sig = r.bundle?.signature;
  if (sig) {
    const nested = sig.nested.filter((n) => n.status === 'valid').length;
    lines.push(
      `  signature: ${sig.status} — Info.plist ${sig.infoPlist}, CodeResources ${sig.codeResources}, ${sig.files.checked} of ${sig.files.sealed} sealed files checked, ${nested} of ${sig.nested.length} nested Mach-O files validly signed`,
    );
    for (const why of sig.reasons) lines.push(`      ${q(why)}`);
  }
  const notary = r.bundle?.notarization;
  if (notary) {
    const failed = notary.filter((i) => i.state === 'fail').length;
    lines.push(
      `  notarization preflight (Apple's requirements, offline): ${failed ? `${failed} of ${notary.length} fail` : `none of ${notary.length} fails`}`,
    );
    for (const i of notary) {
      lines.push(`      ${i.state.padEnd(7)} ${q(i.requirement)}: ${q(i.detail)}`);
      if (i.state === 'fail' && i.notaryMessage) lines.push(`              the notary log says: ${q(i.notaryMessage)}`);
      if (i.state !== 'pass') for (const f of i.files) lines.push(`              ${q(f)}`);
    }
  }
  for (const e of r.errors) lines.push(`  error: ${q(e)}`);
  for (const w of r.warnings) lines.push(`  warning: ${q(w)}`);
  return lines.join('\n') + '\n';
}
