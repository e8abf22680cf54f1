// Readers for the text LLVM 19's tools print about Mach-O files, so the golden
// tests can compare the parser field by field with the corpus oracles:
//   llvm-readobj --file-headers --sections --needed-libs --macho-segment
//     --macho-version-min --macho-dysymtab      → parseReadobj
//   llvm-objdump --macho --private-headers      → parseObjdumpHeaders
//   llvm-objdump --macho --bind --lazy-bind --weak-bind → parseBinds
//   llvm-objdump --macho --chained-fixups --exports-trie → parseFixupsExports
//   file                                        → parseFileMachO
// Values stay text; the tests turn them into numbers where they compare them.

/** A node of llvm-readobj's nested `Name {` / `Name [` / `Key: value` output. */
export interface RNode {
  name: string;
  value: string;
  children: RNode[] | null;
}

/** One `File:` block of llvm-readobj output (one per slice of a universal file). */
export interface ReadobjSlice {
  file: string;
  format: string;
  arch: string;
  addressSize: string;
  nodes: RNode[];
}

export function parseReadobj(text: string): ReadobjSlice[] {
  const slices: ReadobjSlice[] = [];
  let cur: ReadobjSlice | null = null;
  const stack: RNode[][] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (stack.length === 0) {
      const top = /^(File|Format|Arch|AddressSize): (.*)$/.exec(line);
      if (top) {
        if (top[1] === 'File') {
          cur = { file: top[2]!, format: '', arch: '', addressSize: '', nodes: [] };
          slices.push(cur);
        } else if (cur) {
          if (top[1] === 'Format') cur.format = top[2]!;
          if (top[1] === 'Arch') cur.arch = top[2]!;
          if (top[1] === 'AddressSize') cur.addressSize = top[2]!;
        }
        continue;
      }
    }
    if (!cur) continue;
    const into = stack.length ? stack[stack.length - 1]! : cur.nodes;
    const t = line.trim();
    let m: RegExpExecArray | null;
    if (t === '}' || t === ']') {
      stack.pop();
    } else if ((m = /^(.*?) \{$/.exec(t))) {
      const n: RNode = { name: m[1]!, value: '', children: [] };
      into.push(n);
      stack.push(n.children!);
    } else if ((m = /^(.*?) \[(?: \((.*)\))?$/.exec(t))) {
      const n: RNode = { name: m[1]!, value: m[2] ?? '', children: [] };
      into.push(n);
      stack.push(n.children!);
    } else if ((m = /^([A-Za-z0-9_]+):(?: (.*))?$/.exec(t))) {
      into.push({ name: m[1]!, value: m[2] ?? '', children: null });
    } else {
      into.push({ name: t, value: '', children: null });
    }
  }
  return slices;
}

export function child(n: RNode[] | null | undefined, name: string): RNode | undefined {
  return n?.find((c) => c.name === name);
}

export function value(n: RNode[] | null | undefined, name: string): string | undefined {
  return child(n, name)?.value;
}

/** `Regular (0x0)` → 0n; `0x1F` → 31n; `1616` → 1616n; `r-x` → null. */
export function num(v: string | undefined): bigint | null {
  if (v === undefined) return null;
  const paren = /\((0x[0-9a-fA-F]+)\)\s*$/.exec(v);
  // Other trailing notes, e.g. llvm-objdump's `size 0x… (past end of file)`, are dropped.
  const s = (paren ? paren[1]! : v.replace(/\s*\([^)]*\)\s*$/, '')).trim();
  if (/^0x[0-9a-fA-F]+$/.test(s)) return BigInt(s);
  if (/^-?\d+$/.test(s)) return BigInt(s);
  return null;
}

// ---- llvm-objdump --macho --private-headers ----

export interface FatArchText {
  architecture: string;
  fields: Map<string, string>;
}

export interface ObjdumpCommand {
  index: number;
  /** key/value pairs in order (keys repeat in LC_BUILD_VERSION's tool list). */
  fields: [string, string][];
  sections: Map<string, string>[];
  /** LC_THREAD / LC_UNIXTHREAD register values by name. */
  registers: Map<string, string>;
}

export interface ObjdumpSlice {
  label: string;
  header: {
    magic: string;
    cputype: string;
    cpusubtype: string;
    caps: string;
    filetype: string;
    ncmds: number;
    sizeofcmds: number;
    flags: string[];
  };
  commands: ObjdumpCommand[];
}

export interface ObjdumpHeaders {
  fat: { magic: string; nfat_arch: number; arches: FatArchText[] } | null;
  slices: ObjdumpSlice[];
}

const MULTI_WORD_KEYS = ['time stamp', 'current version', 'compatibility version'];

function splitKey(t: string): [string, string] {
  for (const k of MULTI_WORD_KEYS) if (t === k || t.startsWith(k + ' ')) return [k, t.slice(k.length).trim()];
  const m = /^(\S+)\s*(.*)$/.exec(t)!;
  return [m[1]!, m[2]!];
}

export function parseObjdumpHeaders(text: string): ObjdumpHeaders {
  const out: ObjdumpHeaders = { fat: null, slices: [] };
  const lines = text.split('\n');
  let slice: ObjdumpSlice | null = null;
  let cmd: ObjdumpCommand | null = null;
  let section: Map<string, string> | null = null;
  let arch: FatArchText | null = null;
  let mode: 'none' | 'fat' | 'header' | 'cmd' = 'none';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (!t) continue;
    if (t === 'Fat headers') {
      out.fat = { magic: '', nfat_arch: 0, arches: [] };
      mode = 'fat';
      continue;
    }
    if (mode === 'fat' && !/:$/.test(t)) {
      const [k, v] = splitKey(t);
      if (k === 'fat_magic') out.fat!.magic = v;
      else if (k === 'nfat_arch') out.fat!.nfat_arch = Number(v);
      else if (k === 'architecture') {
        arch = { architecture: v, fields: new Map() };
        out.fat!.arches.push(arch);
      } else arch?.fields.set(k, v);
      continue;
    }
    if (/^\S.*:$/.test(line) && !line.startsWith('Load command')) {
      slice = { label: t.slice(0, -1), header: null as unknown as ObjdumpSlice['header'], commands: [] };
      out.slices.push(slice);
      mode = 'none';
      continue;
    }
    if (!slice) continue;
    if (t === 'Mach header') {
      // Column titles, then one row of values.
      const row = lines[i + 2]!.trim().split(/\s+/);
      const [magic, cputype, cpusubtype, caps, filetype, ncmds, sizeofcmds, ...flags] = row;
      slice.header = {
        magic: magic!,
        cputype: cputype!,
        cpusubtype: cpusubtype!,
        caps: caps!,
        filetype: filetype!,
        ncmds: Number(ncmds),
        sizeofcmds: Number(sizeofcmds),
        flags: flags.length === 1 && flags[0] === '0x00000000' ? [] : flags,
      };
      i += 2;
      mode = 'header';
      continue;
    }
    const lc = /^Load command (\d+)$/.exec(t);
    if (lc) {
      cmd = { index: Number(lc[1]), fields: [], sections: [], registers: new Map() };
      slice.commands.push(cmd);
      section = null;
      mode = 'cmd';
      continue;
    }
    if (mode !== 'cmd' || !cmd) continue;
    if (t === 'Section') {
      section = new Map();
      cmd.sections.push(section);
      continue;
    }
    const [k, v] = splitKey(t);
    if (section) {
      section.set(k, v);
      continue;
    }
    const isThread = cmd.fields.some(([a, b]) => a === 'cmd' && (b === 'LC_UNIXTHREAD' || b === 'LC_THREAD'));
    if (isThread && k !== 'cmd' && k !== 'cmdsize' && k !== 'flavor' && k !== 'count') {
      // Register lines: several `name value` pairs on one line.
      const toks = t.split(/\s+/);
      for (let j = 0; j + 1 < toks.length; j += 2) cmd.registers.set(toks[j]!, toks[j + 1]!);
      continue;
    }
    cmd.fields.push([k, v]);
  }
  return out;
}

export function field(c: ObjdumpCommand, key: string): string | undefined {
  return c.fields.find(([k]) => k === key)?.[1];
}

// ---- llvm-objdump --macho --bind --lazy-bind --weak-bind ----

export interface BindRow {
  segment: string;
  section: string;
  address: bigint;
  type: string;
  addend: bigint;
  dylib: string;
  symbol: string;
  weakImport: boolean;
}

export interface WeakBindRow {
  strong: boolean;
  segment: string;
  section: string;
  address: bigint | null;
  type: string;
  addend: bigint;
  symbol: string;
}

export interface BindTables {
  label: string;
  bind: BindRow[];
  lazy: BindRow[];
  weak: WeakBindRow[];
}

export function parseBinds(text: string): BindTables[] {
  const out: BindTables[] = [];
  let cur: BindTables | null = null;
  let table: 'bind' | 'lazy' | 'weak' | null = null;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    if (/^\S.*:$/.test(line) && !/table:$/.test(t)) {
      cur = { label: t.slice(0, -1), bind: [], lazy: [], weak: [] };
      out.push(cur);
      table = null;
      continue;
    }
    if (!cur) continue;
    if (t === 'Bind table:') table = 'bind';
    else if (t === 'Lazy bind table:') table = 'lazy';
    else if (t === 'Weak bind table:') table = 'weak';
    else if (t.startsWith('segment ')) continue;
    else if (table) {
      const tok = t.split(/\s+/);
      if (table === 'weak') {
        if (tok[0] === 'strong')
          cur.weak.push({ strong: true, segment: '', section: '', address: null, type: '', addend: 0n, symbol: tok.slice(1).join(' ') });
        else {
          const [segment, section, address] = tok;
          let k = 3;
          const type = tok[k] === 'text' ? `${tok[k++]} ${tok[k++]}` : tok[k++]!;
          const addend = BigInt(tok[k++]!);
          cur.weak.push({
            strong: false,
            segment: segment!,
            section: section!,
            address: BigInt(address!),
            type,
            addend,
            symbol: tok.slice(k).join(' '),
          });
        }
      } else {
        const [segment, section, address] = tok;
        let k = 3;
        let type = 'pointer';
        let addend = 0n;
        if (table === 'bind') {
          type = tok[k] === 'text' ? `${tok[k++]} ${tok[k++]}` : tok[k++]!;
          addend = BigInt(tok[k++]!);
        }
        const dylib = tok[k++]!;
        let rest = tok.slice(k).join(' ');
        const weakImport = rest.endsWith(' (weak_import)');
        if (weakImport) rest = rest.slice(0, -' (weak_import)'.length);
        cur[table].push({ segment: segment!, section: section!, address: BigInt(address!), type, addend, dylib, symbol: rest, weakImport });
      }
    }
  }
  return out;
}

// ---- llvm-objdump --macho --chained-fixups --exports-trie ----

export interface FixupsExports {
  label: string;
  header: Map<string, string> | null;
  segCount: number | null;
  segOffsets: { index: number; offset: number; name: string }[];
  starts: { index: number; name: string; fields: Map<string, string>; pageStarts: number[] }[];
  imports: { index: number; libOrdinal: number; libName: string; weakImport: number; nameOffset: number; name: string }[];
  exports: { address: bigint; name: string; flags: string[] }[];
}

export function parseFixupsExports(text: string): FixupsExports[] {
  const out: FixupsExports[] = [];
  let cur: FixupsExports | null = null;
  let mode: 'none' | 'header' | 'image' | 'segment' | 'import' | 'exports' = 'none';
  let start: FixupsExports['starts'][number] | null = null;
  let imp: FixupsExports['imports'][number] | null = null;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    if (/^\S.*:$/.test(line) && t !== 'Exports trie:') {
      cur = { label: t.slice(0, -1), header: null, segCount: null, segOffsets: [], starts: [], imports: [], exports: [] };
      out.push(cur);
      mode = 'none';
      continue;
    }
    if (!cur) continue;
    let m: RegExpExecArray | null;
    if (t.startsWith('chained fixups header')) {
      cur.header = new Map();
      mode = 'header';
    } else if (t === 'chained starts in image') mode = 'image';
    else if ((m = /^chained starts in segment (\d+) \((.*)\)$/.exec(t))) {
      start = { index: Number(m[1]), name: m[2]!, fields: new Map(), pageStarts: [] };
      cur.starts.push(start);
      mode = 'segment';
    } else if ((m = /^dyld chained import\[(\d+)\]$/.exec(t))) {
      imp = { index: Number(m[1]), libOrdinal: 0, libName: '', weakImport: 0, nameOffset: 0, name: '' };
      cur.imports.push(imp);
      mode = 'import';
    } else if (t === 'Exports trie:') mode = 'exports';
    else if (mode === 'header' && (m = /^(\w+)\s*= (\S+)/.exec(t))) cur.header!.set(m[1]!, m[2]!);
    else if (mode === 'image' && (m = /^seg_count = (\d+)$/.exec(t))) cur.segCount = Number(m[1]);
    else if (mode === 'image' && (m = /^seg_offset\[(\d+)\] = (\d+) \((.*)\)$/.exec(t)))
      cur.segOffsets.push({ index: Number(m[1]), offset: Number(m[2]), name: m[3]! });
    else if (mode === 'segment' && (m = /^page_start\[(\d+)\] = (\d+)/.exec(t))) start!.pageStarts.push(Number(m[2]));
    else if (mode === 'segment' && (m = /^(\w+) = (\S+)/.exec(t))) start!.fields.set(m[1]!, m[2]!);
    else if (mode === 'import' && (m = /^lib_ordinal = (-?\d+) \((.*)\)$/.exec(t))) {
      imp!.libOrdinal = Number(m[1]);
      imp!.libName = m[2]!;
    } else if (mode === 'import' && (m = /^weak_import = (\d+)$/.exec(t))) imp!.weakImport = Number(m[1]);
    else if (mode === 'import' && (m = /^name_offset = (\d+) \((.*)\)$/.exec(t))) {
      imp!.nameOffset = Number(m[1]);
      imp!.name = m[2]!;
    } else if (mode === 'exports' && (m = /^(0x[0-9A-Fa-f]+)\s+(\S+)(.*)$/.exec(t))) {
      const flags = [...m[3]!.matchAll(/\[([^\]]+)\]/g)].map((x) => x[1]!);
      cur.exports.push({ address: BigInt(m[1]!), name: m[2]!, flags });
    }
  }
  return out;
}

// ---- file(1) ----

export interface FileSliceText {
  bits: number;
  arch: string;
  kind: string;
  flags: string[];
}

export interface FileText {
  universal: number | null;
  slices: FileSliceText[];
}

function parseFileThin(t: string): FileSliceText | null {
  const m = /Mach-O (?:(64|32)-bit )?(\S+)(?: \S+\))? (.*?)(?:, flags:<(.*)>)?$/.exec(t.trim());
  if (!m) return null;
  return { bits: m[1] === '64' ? 64 : 32, arch: m[2]!, kind: m[3]!.trim(), flags: (m[4] ?? '').split('|').filter(Boolean) };
}

export function parseFileMachO(text: string): FileText {
  const t = text.trim();
  const u = /^Mach-O universal binary with (\d+) architectures?: (.*)$/.exec(t);
  if (!u) {
    const s = parseFileThin(t);
    return { universal: null, slices: s ? [s] : [] };
  }
  const parts = [...u[2]!.matchAll(/\[(.*?)\](?= \[|$)/g)].map((x) => x[1]!.replace(/\\012- /g, ' ').replace(/^\s*\S+:\s*/, ''));
  return { universal: Number(u[1]), slices: parts.map(parseFileThin).filter((s): s is FileSliceText => s !== null) };
}

// ---- LLVM's names ----

/**
 * llvm::object::MachOObjectFile::guessLibraryShortName, as llvm-objdump uses
 * it in the dylib column: `/usr/lib/libSystem.B.dylib` → `libSystem`,
 * `…/Foo.framework/Versions/A/Foo` → `Foo`, `libz.1.dylib` → `libz`.
 */
export function libraryShortName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const fw = /([^/]+)\.framework\/(?:Versions\/[^/]+\/)?([^/]+)$/.exec(path);
  if (fw && fw[1] === fw[2]!.replace(/_(debug|profile)$/, '')) return fw[1]!;
  let name = base;
  if (name.endsWith('.dylib')) name = name.slice(0, -'.dylib'.length);
  else if (name.endsWith('.so')) name = name.slice(0, -'.so'.length);
  name = name.replace(/_(debug|profile)$/, '');
  const dot = name.indexOf('.');
  if (dot > 0) name = name.slice(0, dot);
  return name;
}

/** llvm-objdump's ordinalName for bind rows. */
export function ordinalLabel(ordinal: number, libraries: string[]): string {
  if (ordinal === 0) return 'this-image';
  if (ordinal === -1) return 'main-executable';
  if (ordinal === -2) return 'flat-namespace';
  if (ordinal === -3) return 'weak';
  const lib = libraries[ordinal - 1];
  return lib === undefined ? '<<bad library ordinal>>' : libraryShortName(lib);
}
