// The one way every command opens a binary: the path checked and opened
// (src/cli/fileSource.ts), the headers parsed as `report` parses them, and one
// line saying why when the file cannot be analyzed at all — the same line,
// for the same file, from every command.

import { basename } from 'node:path';
import { analyze } from '../parsers/analyze.ts';
import type { ParsedSlice } from '../parsers/types.ts';
import type { Report } from '../report/types.ts';
import { openFile } from './fileSource.ts';
import { CliError, q } from './output.ts';
import { flag, type Args } from './args.ts';

/** One line saying why a report is not a clean parse, or null when it is. `path` as the user gave it. */
export function problemLine(r: Report, path: string): string | null {
  const e = r.errors[0];
  if (e) {
    const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more)` : '';
    // A path that could not be read has no offset to point at.
    const where = e.field === 'file' ? '' : ` at offset ${e.offset}`;
    return `${q(path)}: ${q(e.message)}${where}${more}`;
  }
  if (r.format === 'unknown') return `${q(path)}: not an ELF or Mach-O binary: ${q(r.notBinary?.reason ?? 'unrecognized format')}`;
  return null;
}

/**
 * The parsed slices of the binary at `path` (the file closed again: a slice
 * holds views of bytes in memory, or of a chunked source that stays readable
 * until `close`). Throws an InputError for a path that is not a readable file
 * and a CliError when no slice could be read.
 */
export function openBinary(path: string): { report: Report; slices: ParsedSlice[]; close(): void } {
  const f = openFile(path);
  try {
    const { report, slices } = analyze(f.source, basename(path), { skipHash: true });
    if (slices.length === 0) throw new CliError(problemLine(report, path) ?? `${q(path)}: no slice could be read`);
    return { report, slices, close: f.close };
  } catch (e) {
    f.close();
    throw e;
  }
}

/** The slices `--arch` asks for (all of them without it); a CliError naming the file's architectures when none matches. */
export function slicesFor(path: string, slices: ParsedSlice[], arch: string | undefined): ParsedSlice[] {
  if (arch === undefined) return slices;
  const chosen = slices.filter((s) => s.report.arch === arch);
  if (chosen.length === 0) {
    throw new CliError(`${q(path)}: no ${q(arch)} slice (the file has ${slices.map((s) => s.report.arch).join(', ') || 'none'})`);
  }
  return chosen;
}

/** An open binary and the slices `--arch` chose, for a one-file command. */
export interface OpenSlices {
  path: string;
  report: Report;
  slices: ParsedSlice[];
}

/**
 * The prelude of the commands that take one FILE and `--arch`: the usage on
 * stderr and exit status 64 unless there is exactly one path; else the file
 * opened, its slices chosen, `run` on them, and the file closed after.
 */
export async function withSlices(args: Args, usage: string, run: (b: OpenSlices) => Promise<number> | number): Promise<number> {
  const path = args.positional[0];
  if (path === undefined || args.positional.length > 1) {
    process.stderr.write(usage);
    return 64;
  }
  const arch = flag(args, 'arch');
  const f = openBinary(path);
  try {
    return await run({ path, report: f.report, slices: slicesFor(path, f.slices, arch) });
  } finally {
    f.close();
  }
}
