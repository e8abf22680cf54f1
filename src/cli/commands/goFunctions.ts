// `go-functions FILE [--arch A]`: the functions of a Go binary's function
// table, one `ADDRESS<TAB>NAME` line each (address lowercase hex without 0x),
// in table (address) order. Works on stripped binaries: the table is what
// the Go runtime itself uses for stack traces, so it is always there.
// A file that is not Go: one line on stderr, exit status 2.

import { goFunctionsForSlice } from '../../parsers/go/index.ts';
import { withSlices } from '../binary.ts';
import { CliError, errorLine, q, writeText } from '../output.ts';
import { flag, type Args } from '../args.ts';

const USAGE = 'usage: binlens go-functions FILE [--arch A]\n';

export async function goFunctionsCommand(args: Args): Promise<number> {
  const arch = flag(args, 'arch');
  return withSlices(args, USAGE, ({ path, slices }) => {
    // The first Go slice; in a universal file without --arch, say which one was picked.
    const goSlices = slices.map((s) => ({ s, fns: goFunctionsForSlice(s) })).filter((x) => x.fns.length > 0);
    const chosen = goSlices[0];
    if (!chosen) throw new CliError(`${q(path)}: not a Go binary (no Go function table${arch ? ` in the ${q(arch)} slice` : ''})`);
    if (goSlices.length > 1) {
      errorLine(`binlens go-functions: ${q(path)} has ${goSlices.length} Go slices; listing ${chosen.s.report.arch} (choose with --arch)`);
    }
    const lines: string[] = [];
    for (const fn of chosen.fns) lines.push(`${fn.entry.toString(16)}\t${q(fn.name)}`);
    writeText(lines.join('\n') + '\n');
    return 0;
  });
}
