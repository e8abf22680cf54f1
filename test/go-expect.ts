// Reading what Go's own tools say (go version -m, the go-modinfo dump,
// gosymdump) into plain values, and the rules that relate a symbol table to
// the function table, for the Go golden and fixture tests.

import { readFileSync } from 'node:fs';
import { parseFile } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { ParsedFile, ParsedSlice } from '../src/parsers/types.ts';
import type { GoInfo, GoModule } from '../src/report/types.ts';
import { formatSetting } from '../src/parsers/go/modinfo.ts';
import type { GoFunction } from '../src/parsers/go/index.ts';

export function parseBytes(bytes: Uint8Array): ParsedFile {
  return parseFile(new MemorySource(bytes));
}

export function parsePath(path: string): ParsedFile {
  const b = readFileSync(path);
  return parseBytes(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

/** Build info as a Go tool printed it: settings kept as the printed `KEY=VALUE` text (quoted as Go quotes). */
export interface PrintedBuildInfo {
  version: string;
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  settings: string[];
}

/** Module lines (tab-separated, as cmd/go prints them) into values; independent of src/parsers/go. */
function readLines(version: string, lines: string[]): PrintedBuildInfo {
  const out: PrintedBuildInfo = { version, path: null, main: null, deps: [], settings: [] };
  let last: GoModule | null = null;
  for (const line of lines) {
    const cols = line.split('\t');
    const mod = (): GoModule => ({ path: cols[1]!, version: cols[2]!, sum: cols[3] ?? '' });
    if (cols[0] === 'path') out.path = cols[1]!;
    else if (cols[0] === 'mod') last = out.main = mod();
    else if (cols[0] === 'dep') out.deps.push((last = mod()));
    else if (cols[0] === '=>') last!.replace = mod();
    else if (cols[0] === 'build') out.settings.push(cols.slice(1).join('\t'));
  }
  return out;
}

/**
 * `go version -m` output for one file: the build info, or null when Go could
 * not read it (then `reason` says why: "not a Go executable", …).
 */
export function parseGoVersionM(text: string): { info: PrintedBuildInfo | null; reason: string | null } {
  const [first, ...rest] = text.replace(/\n$/, '').split('\n');
  const m = /^[^:]+: (go\S+|devel .*)$/.exec(first ?? '');
  if (!m) return { info: null, reason: (first ?? '').replace(/^[^:]+: /, '') };
  return {
    info: readLines(
      m[1]!,
      rest.map((l) => l.replace(/^\t/, '')),
    ),
    reason: null,
  };
}

/** The corpus's go-modinfo dump: `goversion V` and module lines per slice, slices separated by `---`. */
export function parseGoModinfoDump(text: string): PrintedBuildInfo[] {
  return text
    .split(/^---\n?/m)
    .map((block) => block.split('\n').filter((l) => l !== ''))
    .filter((lines) => lines[0]?.startsWith('goversion '))
    .map((lines) => readLines(lines[0]!.slice('goversion '.length), lines.slice(1)));
}

/** GoInfo in the printed form, for a whole-value comparison with a Go tool's output. */
export function printedOf(go: GoInfo): PrintedBuildInfo {
  return {
    version: go.version ?? '',
    path: go.path,
    main: go.main,
    deps: go.deps,
    settings: Object.entries(go.settings).map(([k, v]) => formatSetting(k, v)),
  };
}

export interface GosymRow {
  entry: bigint;
  end: bigint;
  name: string;
  file: string | undefined;
}

/** gosymdump output: ENTRY END NAME FILE per line. */
export function parseGosym(text: string): GosymRow[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [entry, end, name, file] = l.split('\t');
      return { entry: BigInt('0x' + entry), end: BigInt('0x' + end), name: name!, file: file ? file : undefined };
    });
}

export function functionRows(fns: GoFunction[]): GosymRow[] {
  return fns.map((f) => ({ entry: f.entry, end: f.end, name: f.name, file: f.file }));
}

/**
 * A symbol-table name as the function table spells it. Since Go 1.18 the
 * linker writes the table's names with everything between the first `[` and
 * the last `]` shortened to `[...]` (generic instantiations, cmd/link pcln.go
 * nameParts); the symbol table gives ABI wrappers and assembly an `.abi0`
 * suffix the table does not have (symtab.go mangleABIName); Mach-O prefixes
 * names with `_`.
 */
export function tableName(symbolName: string, macho: boolean, shortensGenerics: boolean): string {
  let n = macho && symbolName.startsWith('_') ? symbolName.slice(1) : symbolName;
  n = n.replace(/\.abi\d+$/, '');
  if (!shortensGenerics) return n;
  const i = n.indexOf('[');
  const j = n.lastIndexOf(']');
  return i >= 0 && j > i ? n.slice(0, i) + '[...]' + n.slice(j + 1) : n;
}

/** Linker-defined markers that are symbols but not functions. */
const MARKERS = new Set(['runtime.text', 'runtime.etext', 'go:buildid']);
/** Section symbols of C objects the Go linker linked in itself (`runtime/cgo(__TEXT/__text)`): C code, not in the Go table. */
const HOST_OBJECT_SECTION = /\((?:__TEXT\/__text|\.text)\)$/;

/**
 * `name@entry` of the symbol table's function symbols that lie in the Go text
 * the table covers, in table spelling; and the same of the recovered functions.
 */
export function symbolAndTableSets(
  slice: ParsedSlice,
  fns: GoFunction[],
  pclntabVersion: string,
): { symbols: Set<string>; table: Set<string> } {
  const shortens = pclntabVersion === '1.18' || pclntabVersion === '1.20';
  const macho = slice.report.cpu.name.startsWith('CPU_TYPE') || slice.report.segments.some((s) => s.type.startsWith('LC_'));
  const lo = fns[0]!.entry;
  const hi = fns[fns.length - 1]!.end;
  const symbols = new Set<string>();
  for (const s of slice.symbols()) {
    if (!s.defined || s.address === null || s.type !== 'func') continue;
    const a = BigInt(s.address);
    if (a < lo || a >= hi) continue;
    const n = tableName(s.name, macho, shortens);
    if (!MARKERS.has(n) && !HOST_OBJECT_SECTION.test(n)) symbols.add(`${n}@${a.toString(16)}`);
  }
  // Older linkers spell the middle dot of compiler-made names (`newFunc·1`) as `.` in the symbol table.
  return { symbols, table: new Set(fns.map((f) => `${f.name.replaceAll('·', '.')}@${f.entry.toString(16)}`)) };
}

export function difference<T>(a: Set<T>, b: Set<T>): T[] {
  return [...a].filter((x) => !b.has(x));
}
