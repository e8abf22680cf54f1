// `symbols FILE [--arch A]`: every symbol llvm-nm lists, defined and
// undefined, one `ADDRESS<TAB>SIZE<TAB>KIND<TAB>DEMANGLED<TAB>RAW` line each,
// in symbol-table order (`llvm-nm -p`): the rows of the page's symbol list.
// A stripped ELF file lists its .dynsym (what `llvm-nm -D` lists); names
// recovered from Go's function table are not symbols and are left out (see
// go-functions). ADDRESS and SIZE are lowercase hex without 0x, empty for an
// undefined symbol or a size the format does not record (Mach-O); KIND is
// the symbol's type (func, object, section, file, tls, common, indirect,
// other), or `undefined`. DEMANGLED is the name as llvm-cxxfilt-19 prints it
// (`-_` for Mach-O), or RAW when the name is not mangled (or is Swift or D);
// RAW is the name as the string table holds it. Both are escaped like every
// string from a file in text output. A universal file without --arch lists
// each slice after a `# ARCH` line.

import { loadDemangler } from '../../demangle/node.ts';
import type { NameFormat } from '../../demangle/names.ts';
import type { SymbolRow } from '../../parsers/types.ts';
import { symbolRows } from '../../workers/symbolTable.ts';
import { withSlices } from '../binary.ts';
import { q, writeText } from '../output.ts';
import type { Args } from '../args.ts';

const USAGE = 'usage: binlens symbols FILE [--arch A]\n';

function hex(v: bigint | null): string {
  return v === null ? '' : v.toString(16);
}

/**
 * One line; `demangled` is the demangled `r.name` (a version the string table
 * holds after it is kept). An Arm (32-bit) Thumb function's address comes
 * without bit 0 from symbolRows, as llvm-nm prints it.
 */
export function symbolLine(r: SymbolRow, demangled: string | null): string {
  const size = !r.defined || r.size === null ? '' : r.size.toString(16);
  const address = r.defined ? hex(r.address) : '';
  const kind = r.defined ? r.type : 'undefined';
  const raw = r.rawName ?? r.name;
  const shown = demangled === null ? raw : demangled + raw.slice(r.name.length);
  return `${address}\t${size}\t${kind}\t${q(shown)}\t${q(raw)}`;
}

export async function symbolsCommand(args: Args): Promise<number> {
  return withSlices(args, USAGE, async ({ report, slices }) => {
    const demangler = await loadDemangler();
    const format: NameFormat = report.format === 'elf' ? 'elf' : 'macho';
    const lines: string[] = [];
    for (const s of slices) {
      if (slices.length > 1) lines.push(`# ${s.report.arch}`);
      for (const r of symbolRows(s, null).rows) lines.push(symbolLine(r, demangler.demangle(r.name, format)));
    }
    writeText(lines.length > 0 ? lines.join('\n') + '\n' : '');
    return 0;
  });
}
