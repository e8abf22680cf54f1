// `go-functions FILE [--arch A]`: the functions of a Go binary's function
// table, one `ADDRESS<TAB>NAME` line each (address lowercase hex without 0x),
// in table (address) order. Works on stripped binaries: the table is what
// the Go runtime itself uses for stack traces, so it is always there.
// A file that is not Go: one line on stderr, exit status 2.

import { parseFile } from '../../parsers/analyze.ts';
import { goFunctionsForSlice } from '../../parsers/go/index.ts';
import type { ParsedSlice } from '../../parsers/types.ts';
import { openFile } from '../fileSource.ts';
import { flag, type Args } from '../args.ts';

const USAGE = 'usage: binlens go-functions FILE [--arch A]\n';

export async function goFunctionsCommand(args: Args): Promise<number> {
  const path = args.positional[0];
  if (path === undefined || args.positional.length > 1) {
    process.stderr.write(USAGE);
    return 64;
  }
  const arch = flag(args, 'arch');
  let f;
  try {
    f = openFile(path);
  } catch (e) {
    process.stderr.write(`binlens go-functions: cannot read ${path}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    return 2;
  }
  try {
    const parsed = parseFile(f.source);
    if (parsed.format === 'unknown') {
      process.stderr.write(`binlens go-functions: ${path}: not an ELF or Mach-O binary\n`);
      return 2;
    }
    let slices: ParsedSlice[] = parsed.slices;
    if (arch !== undefined) {
      slices = slices.filter((s) => s.report.arch === arch);
      if (slices.length === 0) {
        process.stderr.write(`binlens go-functions: ${path}: no ${arch} slice (the file has ${parsed.slices.map((s) => s.report.arch).join(', ') || 'none'})\n`);
        return 2;
      }
    }
    // The first Go slice; in a universal file without --arch, say which one was picked.
    const goSlices = slices.map((s) => ({ s, fns: goFunctionsForSlice(s) })).filter((x) => x.fns.length > 0);
    const chosen = goSlices[0];
    if (!chosen) {
      process.stderr.write(`binlens go-functions: ${path}: not a Go binary (no Go function table${arch ? ` in the ${arch} slice` : ''})\n`);
      return 2;
    }
    if (goSlices.length > 1) {
      process.stderr.write(`binlens go-functions: ${path} has ${goSlices.length} Go slices; listing ${chosen.s.report.arch} (choose with --arch)\n`);
    }
    const lines: string[] = [];
    for (const fn of chosen.fns) lines.push(`${fn.entry.toString(16)}\t${fn.name}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    f.close();
  }
}
