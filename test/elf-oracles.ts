// Readers for the text binutils readelf (2.40, `-W`) prints, so golden tests
// can compare the ELF parser field by field with the corpus oracles. Each
// function takes the whole output and returns plain values; anything it does
// not recognise is left out rather than guessed.

export interface ReadelfHeader {
  class: string;
  data: string;
  osabi: string;
  type: string;
  machine: string;
  entry: bigint;
  phoff: number;
  shoff: number;
  /** As printed, then the value in parentheses when extended numbering applies: "0 (29)". */
  phnum: number;
  shnum: number;
  shstrndx: number;
}

export interface ReadelfSection {
  index: number;
  name: string;
  type: string;
  address: bigint;
  offset: number;
  size: number;
  entsize: number;
  flags: string;
  link: number;
  info: number;
  align: bigint;
}

export interface ReadelfSegment {
  type: string;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: number;
  /** `rwx` form of readelf's `RWE` column. */
  perms: string;
  align: bigint;
}

export interface ReadelfDynamic {
  tag: bigint;
  type: string;
  value: string;
}

export interface ReadelfNote {
  container: string;
  owner: string;
  datasize: number;
  type: string;
  description: string;
}

export interface ReadelfVerneed {
  file: string;
  versions: { name: string; flags: string; index: number }[];
}

export interface ReadelfVerdef {
  index: number;
  flags: string;
  name: string;
  parents: string[];
}

export interface Readelf {
  header: ReadelfHeader | null;
  sections: ReadelfSection[];
  segments: ReadelfSegment[];
  interpreter: string | null;
  /** Section names per segment, in segment order. */
  mapping: string[][];
  dynamic: ReadelfDynamic[];
  notes: ReadelfNote[];
  verneed: ReadelfVerneed[];
  verdef: ReadelfVerdef[];
}

function field(lines: string[], label: string): string | null {
  const l = lines.find((x) => x.trimStart().startsWith(label + ':'));
  return l ? l.slice(l.indexOf(':') + 1).trim() : null;
}

/** "29", "0 (29)" → the real value (the one in parentheses when present). */
function countField(v: string | null): number {
  if (v === null) return NaN;
  const m = /\((\d+)\)/.exec(v);
  return Number.parseInt(m ? m[1]! : v, 10);
}

export function parseReadelf(text: string): Readelf {
  const lines = text.split('\n');
  const out: Readelf = {
    header: null,
    sections: [],
    segments: [],
    interpreter: null,
    mapping: [],
    dynamic: [],
    notes: [],
    verneed: [],
    verdef: [],
  };

  const hStart = lines.findIndex((l) => l.startsWith('ELF Header:'));
  if (hStart >= 0) {
    const hl = lines.slice(hStart, hStart + 22);
    out.header = {
      class: field(hl, 'Class') ?? '',
      data: field(hl, 'Data') ?? '',
      osabi: field(hl, 'OS/ABI') ?? '',
      type: (field(hl, 'Type') ?? '').split(' ')[0]!,
      machine: field(hl, 'Machine') ?? '',
      entry: BigInt(field(hl, 'Entry point address') ?? '0'),
      phoff: Number.parseInt(field(hl, 'Start of program headers') ?? 'NaN', 10),
      shoff: Number.parseInt(field(hl, 'Start of section headers') ?? 'NaN', 10),
      phnum: countField(field(hl, 'Number of program headers')),
      shnum: countField(field(hl, 'Number of section headers')),
      shstrndx: countField(field(hl, 'Section header string table index')),
    };
  }

  // Section headers: "[Nr] Name Type Address Off Size ES Flg Lk Inf Al"; the flags column may be empty.
  const secRe =
    /^\s*\[\s*(\d+)\]\s(.*?)\s+(\S+(?: SECTION INDICES)?)\s+([0-9a-f]+)\s([0-9a-f]+)\s([0-9a-f]+)\s([0-9a-f]+)\s([A-Za-z ]{3,}?)\s*(\d+)\s+(\d+)\s+(\d+)$/;
  let inSections = false;
  let inPhdrs = false;
  let inMapping = false;
  let inDynamic = false;
  let noteContainer: string | null = null;
  let verneedActive = false;
  let verdefActive = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('Section Headers:')) {
      inSections = true;
      continue;
    }
    if (inSections) {
      if (l.startsWith('Key to Flags') || l.trim() === '') {
        inSections = false;
      } else {
        const m = secRe.exec(l);
        if (m) {
          out.sections.push({
            index: Number(m[1]),
            name: m[2]!.trim(),
            type: m[3]!,
            address: BigInt('0x' + m[4]),
            offset: Number.parseInt(m[5]!, 16),
            size: Number.parseInt(m[6]!, 16),
            entsize: Number.parseInt(m[7]!, 16),
            flags: m[8]!.trim(),
            link: Number(m[9]),
            info: Number(m[10]),
            align: BigInt(m[11]!),
          });
        }
      }
      continue;
    }
    if (l.startsWith('Program Headers:')) {
      inPhdrs = true;
      continue;
    }
    if (inPhdrs) {
      if (l.trim() === '') {
        inPhdrs = false;
        continue;
      }
      const ip = /\[Requesting program interpreter: (.*)\]$/.exec(l);
      if (ip) {
        out.interpreter = ip[1]!;
        continue;
      }
      const m =
        /^\s+(\S+)\s+(0x[0-9a-f]+)\s(0x[0-9a-f]+)\s(0x[0-9a-f]+)\s(0x[0-9a-f]+)\s(0x[0-9a-f]+)\s([R ][W ][E ])\s(0x[0-9a-f]+|0)\s*$/.exec(
          l,
        );
      if (m) {
        const f = m[7]!;
        out.segments.push({
          type: m[1]!,
          offset: Number(m[2]),
          vaddr: BigInt(m[3]!),
          paddr: BigInt(m[4]!),
          filesz: Number(m[5]),
          memsz: Number(m[6]),
          perms: (f[0] === 'R' ? 'r' : '-') + (f[1] === 'W' ? 'w' : '-') + (f[2] === 'E' ? 'x' : '-'),
          align: BigInt(m[8]!),
        });
      }
      continue;
    }
    if (l.startsWith(' Section to Segment mapping:')) {
      inMapping = true;
      continue;
    }
    if (inMapping) {
      if (l.trim() === '') {
        inMapping = false;
        continue;
      }
      const m = /^\s+(\d\d+)\s+(.*)$/.exec(l);
      if (m) out.mapping.push(m[2]!.trim() === '' ? [] : m[2]!.trim().split(/\s+/));
      else if (/^\s+\d\d+\s*$/.test(l)) out.mapping.push([]);
      continue;
    }
    if (/^Dynamic section at offset/.test(l)) {
      inDynamic = true;
      i++; // column titles
      continue;
    }
    if (inDynamic) {
      const m = /^\s+(0x[0-9a-f]+)\s+\((\S+)\)\s+(.*)$/.exec(l);
      if (!m) {
        inDynamic = false;
      } else {
        out.dynamic.push({ tag: BigInt.asIntN(64, BigInt(m[1]!)), type: m[2]!, value: m[3]!.trim() });
        continue;
      }
    }
    const dn = /^Displaying notes found in: (.*)$/.exec(l);
    if (dn) {
      noteContainer = dn[1]!.trim();
      i++; // column titles
      continue;
    }
    if (noteContainer !== null) {
      if (l.trim() === '') {
        noteContainer = null;
        continue;
      }
      const m = /^\s{2}(\S+)\s+(0x[0-9a-f]+)\t(.*?)\t\s*(.*)$/.exec(l);
      if (m) {
        out.notes.push({ container: noteContainer, owner: m[1]!, datasize: Number(m[2]), type: m[3]!.trim(), description: m[4]!.trim() });
      } else if (out.notes.length > 0) {
        // Continuation of a multi-line description (several properties in one note).
        const last = out.notes[out.notes.length - 1]!;
        last.description += (last.description ? '\n' : '') + l.trim();
      }
      continue;
    }
    if (/^Version needs section/.test(l)) {
      verneedActive = true;
      verdefActive = false;
      i++; // Addr: line
      continue;
    }
    if (/^Version definition section/.test(l)) {
      verdefActive = true;
      verneedActive = false;
      i++;
      continue;
    }
    if (verneedActive) {
      const f =
        /^\s+0x[0-9a-f]+: Version: \d+\s+File: (.*?)\s+Cnt: \d+$/.exec(l) ?? /^\s+0+: Version: \d+\s+File: (.*?)\s+Cnt: \d+$/.exec(l);
      const v = /^\s+0x[0-9a-f]+:\s+Name: (.*?)\s+Flags: (.*?)\s+Version: (\d+)$/.exec(l);
      if (f) out.verneed.push({ file: f[1]!, versions: [] });
      else if (v && out.verneed.length > 0)
        out.verneed[out.verneed.length - 1]!.versions.push({ name: v[1]!, flags: v[2]!, index: Number(v[3]) });
      else if (l.trim() === '') verneedActive = false;
      continue;
    }
    if (verdefActive) {
      const d = /^\s+(?:0x)?[0-9a-f]+: Rev: \d+\s+Flags: (.*?)\s+Index: (\d+)\s+Cnt: \d+\s+Name: (.*)$/.exec(l);
      const p = /^\s+(?:0x)?[0-9a-f]+: Parent \d+: (.*)$/.exec(l);
      if (d) out.verdef.push({ flags: d[1]!, index: Number(d[2]), name: d[3]!, parents: [] });
      else if (p && out.verdef.length > 0) out.verdef[out.verdef.length - 1]!.parents.push(p[1]!);
      else if (l.trim() === '') verdefActive = false;
      continue;
    }
  }
  return out;
}

export interface ReadelfSymbol {
  index: number;
  value: bigint;
  size: bigint;
  type: string;
  bind: string;
  vis: string;
  ndx: string;
  /** The name as printed, version suffix included. */
  printed: string;
  /** For .dynsym: the name without `@VER`/`@@VER (n)`. */
  name: string;
  version: string | null;
  /** `@` (hidden or needed) rather than `@@` (default). */
  hidden: boolean;
}

export interface ReadelfSymbolTable {
  name: string;
  count: number;
  symbols: ReadelfSymbol[];
}

/** `readelf -W --dyn-syms -s` output: every table with every entry. */
export function parseReadelfSymbols(text: string): ReadelfSymbolTable[] {
  const tables: ReadelfSymbolTable[] = [];
  let cur: ReadelfSymbolTable | null = null;
  const symRe = /^\s*(\d+):\s([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s(\S+)\s+(\S+)\s+(\S+(?: \[[^\]]*\])?)\s+(\S+)\s?(.*)$/;
  for (const l of text.split('\n')) {
    const t = /^Symbol table '(.*)' contains (\d+) entr/.exec(l);
    if (t) {
      cur = { name: t[1]!, count: Number(t[2]), symbols: [] };
      tables.push(cur);
      continue;
    }
    if (!cur) continue;
    const m = symRe.exec(l);
    if (!m) continue;
    const printed = m[8]!;
    let name = printed;
    let version: string | null = null;
    let hidden = false;
    if (cur.name === '.dynsym') {
      const v = /^(.*?)(@@?)([^@\s]+)(?: \(\d+\))?$/.exec(printed);
      if (v && v[1] !== '') {
        name = v[1]!;
        hidden = v[2] === '@';
        version = v[3]!;
      }
    }
    cur.symbols.push({
      index: Number(m[1]),
      value: BigInt('0x' + m[2]),
      size: BigInt(m[3]!),
      type: m[4]!,
      bind: m[5]!,
      vis: m[6]!,
      ndx: m[7]!,
      printed,
      name,
      version,
      hidden,
    });
  }
  return tables;
}

/** What `file` says, in the fields binlens reports. */
export interface FileSays {
  bits: number;
  endian: 'little' | 'big';
  /** `executable`, `pie executable`, `shared object`, `relocatable`, `core file`. */
  kind: string;
  linkage: 'static' | 'dynamic' | null;
  staticPie: boolean;
  interpreter: string | null;
  buildId: string | null;
  goBuildId: string | null;
  /** "for GNU/Linux 3.7.0" → ["Linux", "3.7.0"]. */
  gnuAbi: [string, string] | null;
  stripped: boolean | null;
}

export function parseFileOutput(text: string): FileSays | null {
  const m = /^ELF (32|64)-bit (LSB|MSB) (pie executable|executable|shared object|relocatable|core file)/.exec(text.trim());
  if (!m) return null;
  const link = /, (dynamically|statically|static-pie) linked/.exec(text);
  return {
    bits: Number(m[1]),
    endian: m[2] === 'LSB' ? 'little' : 'big',
    kind: m[3]!,
    linkage: link ? (link[1] === 'dynamically' ? 'dynamic' : 'static') : null,
    staticPie: link?.[1] === 'static-pie',
    interpreter: /, interpreter ([^,]+)/.exec(text)?.[1] ?? null,
    buildId: /, BuildID\[(?:sha1|md5\/uuid|xxHash)\]=([0-9a-f]+)/.exec(text)?.[1] ?? null,
    goBuildId: /, Go BuildID=([^,]+)/.exec(text)?.[1] ?? null,
    gnuAbi: ((g) => (g ? ([g[1]!, g[2]!] as [string, string]) : null))(/, for GNU\/(\S+) ([\d.]+)/.exec(text)),
    stripped: /, not stripped/.test(text) ? false : /, stripped/.test(text) ? true : null,
  };
}

/** readelf's Machine: text → e_machine, for the machines binlens names. */
export const READELF_MACHINES: Record<string, number> = {
  AArch64: 183,
  'Advanced Micro Devices X86-64': 62,
  'Intel 80386': 3,
  ARM: 40,
  'RISC-V': 243,
  'IBM S/390': 22,
  PowerPC64: 21,
  PowerPC: 20,
  'MIPS R3000': 8,
  LoongArch: 258,
  'Sparc v9': 43,
};

/** readelf's p_type or sh_type text → number, for the types it prints as `LOOS+0x…` / `LOPROC+0x…`. */
export function readelfPtypeValue(t: string): number | null {
  const m = /^(LOOS|LOPROC|LOUSER)\+0x([0-9a-f]+)$/.exec(t);
  if (!m) return null;
  const base = m[1] === 'LOOS' ? 0x60000000 : m[1] === 'LOPROC' ? 0x70000000 : 0x80000000;
  return base + Number.parseInt(m[2]!, 16);
}
