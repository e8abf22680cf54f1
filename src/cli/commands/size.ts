// `size FILE [--arch A] [--by section|symbol|package] [--json]`: where the
// bytes of each slice go (src/size), one `BYTES<TAB>PERCENT<TAB>KIND<TAB>NAME`
// line per part, biggest first, the parts adding up to the slice:
//
//   --by section (default)  every section (file bytes: 0 for zero-fill, KIND
//                           `zerofill`), and the bytes in no section
//                           (KIND `unattributed`); sizes are llvm-size -A's
//   --by symbol             every symbol (Go: every function of the function
//                           table), sizes as llvm-nm -S gives them (Mach-O: to
//                           the next symbol), names demangled; the bytes no
//                           symbol names, by section
//   --by package            Go packages, Rust crates, C++ namespaces, the
//                           names that say none, and the unattributed bytes
//
// PERCENT is of the slice's bytes, one decimal. A universal file without
// --arch lists each slice after a `# ARCH<TAB>BYTES` line. Names are
// escaped like every string from a file. --json prints every list of each
// slice (src/size/groups.ts SliceSizes): `{ file, size, slices: [...] }`.

import { loadDemangler } from '../../demangle/node.ts';
import type { NameFormat } from '../../demangle/names.ts';
import { goFunctionsForSlice } from '../../parsers/go/index.ts';
import { sliceSizes, type SliceSizes } from '../../size/groups.ts';
import type { Args } from '../args.ts';
import { withSlices } from '../binary.ts';
import { CliError, q, writeText } from '../output.ts';

const USAGE = 'usage: binlens size FILE [--arch A] [--by section|symbol|package] [--json]\n';
const BY = ['section', 'symbol', 'package'] as const;
type By = (typeof BY)[number];

interface Line {
  size: number;
  kind: string;
  name: string;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '0.0%';
}

/** The lines of one slice for `--by`, biggest first (ties by name). */
export function sizeLines(s: SliceSizes, by: By): Line[] {
  let lines: Line[];
  if (by === 'section') {
    lines = [
      ...s.sections.map((x) => ({
        size: x.size,
        kind: x.size === 0 && x.sectionSize > 0 ? 'zerofill' : 'section',
        name: x.segment ? `${x.segment},${x.name}` : x.name,
      })),
      ...s.outside.map((x) => ({ size: x.size, kind: 'unattributed', name: x.name })),
    ];
  } else if (by === 'symbol') {
    lines = [
      ...s.symbols.map((x) => ({ size: x.size, kind: x.kind, name: x.name })),
      ...s.unattributed.map((x) => ({ size: x.size, kind: 'unattributed', name: x.name })),
    ];
  } else {
    lines = s.groups.map((g) => ({ size: g.size, kind: g.kind, name: g.name }));
  }
  return lines.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function sizeCommand(args: Args): Promise<number> {
  const byFlag = args.flags.get('by');
  const by = (byFlag === undefined ? 'section' : byFlag) as By;
  if (args.positional.length === 1 && !BY.includes(by))
    throw new CliError(`--by takes ${BY.join(', ')} (not ${typeof byFlag === 'string' ? `'${q(byFlag)}'` : 'nothing'})`, 64);
  return withSlices(args, USAGE, async ({ report, slices }) => {
    const demangler = await loadDemangler();
    const format: NameFormat = report.format === 'elf' ? 'elf' : 'macho';
    const sizes = slices.map((slice) => {
      const fns = goFunctionsForSlice(slice);
      return sliceSizes({ slice, goFunctions: fns.length > 0 ? fns : null, format, demangle: (n) => demangler.demangle(n, format) });
    });
    if (args.flags.has('json')) {
      process.stdout.write(JSON.stringify({ file: report.file.name, size: report.file.size, slices: sizes }, null, 2) + '\n');
      return 0;
    }
    const out: string[] = [];
    for (const s of sizes) {
      if (sizes.length > 1) out.push(`# ${q(s.arch)}\t${s.size}`);
      for (const l of sizeLines(s, by)) out.push(`${l.size}\t${percent(l.size, s.size)}\t${l.kind}\t${q(l.name)}`);
    }
    writeText(out.length > 0 ? out.join('\n') + '\n' : '');
    return 0;
  });
}
