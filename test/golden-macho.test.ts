// Golden tests: every Mach-O file in the corpus (those whose llvm-readobj
// oracle says "Format: Mach-O"), field by field against what llvm-readobj,
// llvm-objdump --macho, llvm-nm and file say. Each field is its own soft
// assertion, so one run lists every disagreement with file, field, expected
// and got.
//
// Universal files: llvm-readobj prints every slice; llvm-objdump and llvm-nm
// print only the slice of the host's architecture when the file has one
// (x86_64 where the oracles were made). The slice those oracles describe is
// found from the Mach header llvm-objdump printed.

import { afterAll, describe, expect, it } from 'vitest';
import { Reader } from '../src/parsers/reader.ts';
import { parseMachO, type MachOSlice } from '../src/parsers/macho/index.ts';
import { commandFields } from '../src/parsers/macho/describe.ts';
import { type LoadCommandRecord } from '../src/parsers/macho/loader.ts';
import { sectionAttributeNames, sectionTypeName } from '../src/parsers/macho/constants.ts';
import { BIND_SYMBOL_FLAGS_WEAK_IMPORT, BIND_TYPE_NAMES } from '../src/parsers/macho/dyld-info.ts';
import { corpusBytes, corpusFiles, hasCorpus, oracle, SKIP_MESSAGE } from './corpus.ts';
import {
  child,
  field,
  num,
  ordinalLabel,
  parseBinds,
  parseFileMachO,
  parseFixupsExports,
  parseObjdumpHeaders,
  parseReadobj,
  value,
  type ObjdumpCommand,
} from './macho-oracles.ts';

const files = corpusFiles().filter((f) => /^Format: Mach-O/m.test(oracle(f, 'llvm-readobj.txt') ?? ''));
let compared = 0;

/** One field, one assertion: the message names the file and the field. */
function same<T>(file: string, what: string, got: T, expected: T): void {
  compared++;
  expect.soft(got, `${file}: ${what}`).toEqual(expected);
}

afterAll(() => {
  if (hasCorpus) console.log(`golden-macho: ${compared} fields compared over ${files.length} Mach-O files`);
});

const big = (v: number | bigint | string | null | undefined): bigint | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? num(v) : BigInt(v);

/** Versions as numbers padded to five parts: llvm prints `12.0`, binlens `12.0.0`. */
function version(v: string | null | undefined): string | null {
  if (v === null || v === undefined || v === 'n/a') return null;
  const p = v.split('.').map(Number);
  while (p.length < 5) p.push(0);
  return p.join('.');
}

// LLVM's spellings, mapped to binlens's.
const LLVM_PLATFORMS: Record<string, string> = {
  macos: 'macos',
  ios: 'ios',
  tvos: 'tvos',
  watchos: 'watchos',
  bridgeos: 'bridgeos',
  macCatalyst: 'maccatalyst',
  iossim: 'ios-simulator',
  tvossim: 'tvos-simulator',
  watchossim: 'watchos-simulator',
  driverkit: 'driverkit',
  xros: 'visionos',
  xrsimulator: 'visionos-simulator',
};
const OBJDUMP_SUBTYPES: Record<string, Record<string, number>> = {
  ARM64: { ALL: 0, V8: 1, E: 2 },
  X86_64: { ALL: 3, H: 8 },
  I386: { ALL: 3 },
};
const FAT_SUBTYPES: Record<string, number> = {
  CPU_SUBTYPE_ARM64_ALL: 0,
  CPU_SUBTYPE_ARM64_V8: 1,
  CPU_SUBTYPE_ARM64E: 2,
  CPU_SUBTYPE_X86_64_ALL: 3,
  CPU_SUBTYPE_X86_64_H: 8,
  CPU_SUBTYPE_I386_ALL: 3,
};
const THREAD_COUNTS: Record<string, number> = {
  x86_THREAD_STATE64_COUNT: 42,
  x86_THREAD_STATE32_COUNT: 16,
  ARM_THREAD_STATE64_COUNT: 68,
  ARM_THREAD_STATE_COUNT: 17,
};
const FILE_KINDS: Record<string, string> = {
  executable: 'executable',
  object: 'object',
  'dynamically linked shared library': 'shared-library',
  bundle: 'bundle',
  'dynamic linker': 'dylinker',
  core: 'core',
};

function llvmFormat(arch: string, bits: number): string {
  if (bits === 64)
    return arch.startsWith('arm64') ? 'Mach-O arm64' : arch.startsWith('x86_64') ? 'Mach-O 64-bit x86-64' : `Mach-O 64-bit ${arch}`;
  return arch === 'i386'
    ? 'Mach-O 32-bit i386'
    : arch === 'arm64_32'
      ? 'Mach-O arm64 (ILP32)'
      : arch.startsWith('arm')
        ? 'Mach-O arm'
        : `Mach-O 32-bit ${arch}`;
}

function llvmArch(arch: string): string {
  return arch.startsWith('arm64') && arch !== 'arm64_32'
    ? 'aarch64'
    : arch.startsWith('x86_64')
      ? 'x86_64'
      : arch === 'i386'
        ? 'i386'
        : arch;
}

/** `PureInstructions` → `PURE_INSTRUCTIONS` (llvm-readobj's attribute spelling). */
function snake(s: string): string {
  return s === 'NoTOC' ? 'NO_TOC' : s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

const stripMH = (f: string): string => f.replace(/^MH_/, '');

describe.skipIf(!hasCorpus)(`Mach-O golden (${hasCorpus ? 'corpus' : SKIP_MESSAGE})`, () => {
  it('finds Mach-O files with oracles in the corpus', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files)('%s', (name) => {
    const parsed = parseMachO(Reader.of(corpusBytes(name)));
    const slices = parsed.slices as MachOSlice[];
    const headers = parseObjdumpHeaders(oracle(name, 'macho-headers.txt') ?? '');
    // The slices llvm-objdump and llvm-nm describe: those whose header it printed.
    const dumped = headers.slices.map((h) => slices.find((s) => s.report.cpu.name === `CPU_TYPE_${h.header.cputype}`) ?? null);

    it('parses without recorded problems', () => {
      same(name, 'errors', parsed.errors, []);
      same(name, 'warnings', parsed.warnings, []);
    });

    it('llvm-readobj: header, sections, libraries, segments, version, dysymtab', () => {
      const ro = parseReadobj(oracle(name, 'llvm-readobj.txt')!);
      same(name, 'slice count', slices.length, ro.length);
      ro.forEach((o, si) => {
        const s = slices[si];
        if (!s) return;
        const r = s.report;
        const img = s.macho.image;
        const h = img.header;
        const at = slices.length > 1 ? `slice ${si} ` : '';
        same(name, `${at}Format`, llvmFormat(r.arch, r.bits), o.format);
        same(name, `${at}Arch`, llvmArch(r.arch), o.arch);
        same(name, `${at}AddressSize`, `${r.bits}bit`, o.addressSize);
        const mh = child(o.nodes, 'MachHeader')!.children;
        same(name, `${at}Magic`, big(h.magic), num(value(mh, 'Magic')));
        same(name, `${at}CpuType`, big(r.cpu.type), num(value(mh, 'CpuType')));
        same(name, `${at}CpuSubType`, big(r.cpu.subtype), num(value(mh, 'CpuSubType')));
        same(name, `${at}FileType`, big(h.filetype), num(value(mh, 'FileType')));
        same(name, `${at}NumOfLoadCommands`, big(h.ncmds), num(value(mh, 'NumOfLoadCommands')));
        same(name, `${at}load commands read`, big(r.loadCommands!.length), num(value(mh, 'NumOfLoadCommands')));
        same(name, `${at}SizeOfLoadCommands`, big(h.sizeofcmds), num(value(mh, 'SizeOfLoadCommands')));
        const flags = child(mh, 'Flags')!;
        same(name, `${at}Flags value`, big(h.flags), num(flags.value));
        same(name, `${at}Flags names`, [...r.flags].sort(), flags.children!.map((f) => f.name.split(' ')[0]!).sort());
        same(name, `${at}Reserved`, big(h.reserved), num(value(mh, 'Reserved')));

        const secs = child(o.nodes, 'Sections')!.children!;
        same(name, `${at}section count`, r.sections.length, secs.length);
        secs.forEach((sn, i) => {
          const c = sn.children!;
          const rs = r.sections[i];
          const is = img.sections[i];
          if (!rs || !is) return;
          const w = `${at}section ${i}`;
          same(name, `${w} Name`, rs.name, value(c, 'Name')!.replace(/ \(.*\)$/, ''));
          same(name, `${w} Segment`, rs.segment, value(c, 'Segment')!.replace(/ \(.*\)$/, ''));
          same(name, `${w} Address`, big(rs.address), num(value(c, 'Address')));
          same(name, `${w} Size`, big(rs.size), num(value(c, 'Size')));
          same(name, `${w} Offset`, big(is.offset), num(value(c, 'Offset')));
          if (!['S_ZEROFILL', 'S_GB_ZEROFILL', 'S_THREAD_LOCAL_ZEROFILL'].includes(rs.type))
            same(name, `${w} report offset`, big(rs.offset), num(value(c, 'Offset')));
          same(name, `${w} Alignment`, big(is.align), num(value(c, 'Alignment')));
          same(name, `${w} RelocationOffset`, big(is.reloff), num(value(c, 'RelocationOffset')));
          same(name, `${w} RelocationCount`, big(is.nreloc), num(value(c, 'RelocationCount')));
          same(name, `${w} Type`, rs.type, sectionTypeName(Number(num(value(c, 'Type')))));
          const attrs = child(c, 'Attributes')!;
          same(name, `${w} Attributes value`, big(is.flags >>> 8), num(attrs.value));
          same(
            name,
            `${w} Attributes names`,
            rs.flags ? rs.flags.split(' ').sort() : [],
            attrs.children!.map((a) => snake(a.name.split(' ')[0]!)).sort(),
          );
          same(name, `${w} Reserved1`, big(is.reserved1), num(value(c, 'Reserved1')));
          same(name, `${w} Reserved2`, big(is.reserved2), num(value(c, 'Reserved2')));
          same(name, `${w} Reserved3`, big(is.reserved3 ?? 0), num(value(c, 'Reserved3')));
        });

        // llvm-readobj lists LC_ID_DYLIB with the needed libraries, sorted.
        const needed = child(o.nodes, 'NeededLibraries')!.children!.map((n) => n.name);
        same(name, `${at}NeededLibraries`, [...r.libraries, ...(r.installName ? [r.installName] : [])].sort(), needed);

        const segs = o.nodes.filter((n) => n.name === 'Segment');
        same(name, `${at}segment count`, r.segments.length, segs.length);
        const segCmds = img.commands.filter((c) => c.name === 'LC_SEGMENT_64' || c.name === 'LC_SEGMENT');
        segs.forEach((sn, i) => {
          const c = sn.children!;
          const rs = r.segments[i];
          const is = img.segments[i];
          if (!rs || !is) return;
          const w = `${at}segment ${i}`;
          same(name, `${w} Cmd`, rs.type, value(c, 'Cmd'));
          same(name, `${w} Name`, rs.name, value(c, 'Name'));
          same(name, `${w} Size`, big(segCmds[i]?.cmdsize), num(value(c, 'Size')));
          same(name, `${w} vmaddr`, big(rs.address), num(value(c, 'vmaddr')));
          same(name, `${w} vmsize`, big(rs.size), num(value(c, 'vmsize')));
          same(name, `${w} fileoff`, big(rs.offset), num(value(c, 'fileoff')));
          same(name, `${w} filesize`, big(rs.fileSize), num(value(c, 'filesize')));
          same(name, `${w} maxprot`, rs.maxPerms, value(c, 'maxprot'));
          same(name, `${w} initprot`, rs.perms, value(c, 'initprot'));
          same(name, `${w} nsects`, big(is.nsects), num(value(c, 'nsects')));
          same(name, `${w} flags`, big(is.flags), num(value(c, 'flags')));
        });

        const mv = child(o.nodes, 'MinVersion');
        if (mv) {
          const c = mv.children!;
          const rec = img.commands.find((x) => x.name === value(c, 'Cmd'));
          same(name, `${at}MinVersion Cmd`, rec?.name, value(c, 'Cmd'));
          same(name, `${at}MinVersion Size`, big(rec?.cmdsize), num(value(c, 'Size')));
          if (value(c, 'Platform') !== undefined)
            same(name, `${at}MinVersion Platform`, r.platform, LLVM_PLATFORMS[value(c, 'Platform')!] ?? value(c, 'Platform'));
          same(name, `${at}MinVersion Version`, version(r.minOS), version(value(c, 'Version')));
          same(name, `${at}MinVersion SDK`, version(r.sdk), version(value(c, 'SDK')));
        }
        const ds = child(o.nodes, 'Dysymtab');
        if (ds) {
          for (const n of ds.children!) same(name, `${at}Dysymtab ${n.name}`, big(img.dysymtab?.[n.name]), num(n.value));
        }
      });
    });

    it('llvm-objdump --private-headers: fat header, mach header, every load command', () => {
      if (headers.fat) {
        same(name, 'nfat_arch', slices.length, headers.fat.nfat_arch);
        headers.fat.arches.forEach((a, i) => {
          const s = slices[i];
          const fa = s?.macho.fatArch;
          if (!s || !fa) return;
          const w = `fat arch ${i}`;
          same(name, `${w} architecture`, s.report.arch, a.architecture);
          same(name, `${w} cputype`, s.report.cpu.name, a.fields.get('cputype'));
          same(name, `${w} cpusubtype`, s.report.cpu.subtype, FAT_SUBTYPES[a.fields.get('cpusubtype')!]);
          same(name, `${w} capabilities`, big((fa.cpusubtype >>> 24) & 0xff), num(a.fields.get('capabilities')));
          same(name, `${w} offset`, big(fa.offset), num(a.fields.get('offset')));
          same(name, `${w} report offset`, big(s.report.offset), num(a.fields.get('offset')));
          same(name, `${w} size`, big(s.report.size), num(a.fields.get('size')));
          same(name, `${w} align`, fa.align, Number(/^2\^(\d+)/.exec(a.fields.get('align')!)![1]));
        });
      }
      same(
        name,
        'slices printed by llvm-objdump found',
        dumped.every((d) => d !== null),
        true,
      );
      headers.slices.forEach((o, hi) => {
        const s = dumped[hi];
        if (!s) return;
        const r = s.report;
        const img = s.macho.image;
        const h = img.header;
        const at = slices.length > 1 ? `${r.arch} ` : '';
        same(name, `${at}magic`, h.is64 ? 'MH_MAGIC_64' : 'MH_MAGIC', o.header.magic);
        same(name, `${at}cpusubtype`, r.cpu.subtype, OBJDUMP_SUBTYPES[o.header.cputype]?.[o.header.cpusubtype]);
        const caps = (h.cpusubtype >>> 24) & 0xff;
        same(
          name,
          `${at}caps`,
          caps & 0x80 && h.cputype === 0x1000007 ? 'LIB64' : `0x${caps.toString(16).padStart(2, '0')}`,
          o.header.caps,
        );
        same(name, `${at}filetype`, stripMH(r.fileTypeRaw), o.header.filetype);
        same(name, `${at}ncmds`, h.ncmds, o.header.ncmds);
        same(name, `${at}sizeofcmds`, h.sizeofcmds, o.header.sizeofcmds);
        same(name, `${at}flags`, r.flags.map(stripMH), o.header.flags.map(stripMH));
        same(name, `${at}load command count`, img.commands.length, o.commands.length);
        o.commands.forEach((oc, i) => {
          const rec = img.commands[i];
          if (rec) compareCommand(name, `${at}load command ${i}`, rec, oc, s);
        });
      });
    });

    it('llvm-objdump --bind --lazy-bind --weak-bind: every row', () => {
      const tables = parseBinds(oracle(name, 'macho-binds.txt') ?? '');
      tables.forEach((t, ti) => {
        const s = dumped[ti];
        if (!s) return;
        const img = s.macho.image;
        const libs = s.report.libraries;
        const sectionOf = (addr: bigint | null, segIndex: number): string => {
          const seg = img.segments[segIndex];
          const sec = seg?.sections.find((x) => addr !== null && addr >= x.addr && addr < x.addr + x.size);
          return sec?.sectname ?? '';
        };
        for (const table of ['bind', 'lazy'] as const) {
          const mine = s.macho.binds.filter((b) => b.table === table);
          same(name, `${table} row count`, mine.length, t[table].length);
          t[table].forEach((o, i) => {
            const b = mine[i];
            if (!b) return;
            const w = `${table} row ${i}`;
            same(name, `${w} segment`, img.segments[b.segIndex]?.segname, o.segment);
            same(name, `${w} section`, sectionOf(b.address, b.segIndex), o.section);
            same(name, `${w} address`, b.address, o.address);
            if (table === 'bind') {
              same(name, `${w} type`, BIND_TYPE_NAMES[b.type], o.type);
              same(name, `${w} addend`, b.addend, o.addend);
            }
            same(name, `${w} dylib`, ordinalLabel(b.ordinal, libs), o.dylib);
            same(name, `${w} symbol`, b.symbol, o.symbol);
            if (table === 'bind') same(name, `${w} weak_import`, (b.flags & BIND_SYMBOL_FLAGS_WEAK_IMPORT) !== 0, o.weakImport);
          });
        }
        const weak = s.macho.binds.filter((b) => b.table === 'weak');
        same(name, 'weak row count', weak.length, t.weak.length);
        t.weak.forEach((o, i) => {
          const b = weak[i];
          if (!b) return;
          same(name, `weak row ${i} strong`, b.strong === true, o.strong);
          same(name, `weak row ${i} symbol`, b.symbol, o.symbol);
          if (o.strong) return;
          same(name, `weak row ${i} segment`, img.segments[b.segIndex]?.segname, o.segment);
          same(name, `weak row ${i} section`, sectionOf(b.address, b.segIndex), o.section);
          same(name, `weak row ${i} address`, b.address, o.address);
          same(name, `weak row ${i} type`, BIND_TYPE_NAMES[b.type], o.type);
          same(name, `weak row ${i} addend`, b.addend, o.addend);
        });
        // Imports come from the same binds: every bound symbol is an import.
        const imported = new Set(
          s.report.imports.map(
            (x) =>
              `${x.name} ${x.library === null ? ordinalLabel(x.ordinal ?? -2, libs) : ordinalLabel(libs.indexOf(x.library) + 1, libs)}`,
          ),
        );
        for (const o of [...t.bind, ...t.lazy])
          same(name, `import ${o.symbol} from ${o.dylib}`, imported.has(`${o.symbol} ${o.dylib}`), true);
      });
    });

    it('llvm-objdump --chained-fixups --exports-trie: header, starts, imports, exports', () => {
      const fe = parseFixupsExports(oracle(name, 'macho-fixups-exports.txt') ?? '');
      fe.forEach((o, oi) => {
        const s = dumped[oi];
        if (!s) return;
        const cf = s.macho.chained;
        const img = s.macho.image;
        same(name, 'has chained fixups', cf !== null, o.header !== null);
        if (o.header && cf) {
          for (const [k, v] of o.header) same(name, `chained header ${k}`, big(cf.header[k as keyof typeof cf.header]), num(v));
          same(name, 'seg_count', cf.seg_info_offset.length, o.segCount);
          for (const so of o.segOffsets) {
            same(name, `seg_offset[${so.index}]`, cf.seg_info_offset[so.index], so.offset);
            same(name, `seg_offset[${so.index}] segment`, img.segments[so.index]?.segname, so.name);
          }
          same(name, 'starts in segment count', cf.starts.length, o.starts.length);
          for (const st of o.starts) {
            const m = cf.starts.find((x) => x.segIndex === st.index);
            same(name, `starts in segment ${st.index} present`, m !== undefined, true);
            if (!m) continue;
            same(name, `starts in segment ${st.index} name`, img.segments[st.index]?.segname, st.name);
            for (const [k, v] of st.fields)
              same(name, `starts in segment ${st.index} ${k}`, big(m[k as keyof typeof m] as number | bigint), num(v));
            same(name, `starts in segment ${st.index} page_start`, m.page_start, st.pageStarts);
          }
          same(name, 'import count', cf.imports.length, o.imports.length);
          for (const im of o.imports) {
            const m = cf.imports[im.index];
            if (!m) continue;
            same(name, `import[${im.index}] lib_ordinal`, m.lib_ordinal, im.libOrdinal);
            same(name, `import[${im.index}] library`, ordinalLabel(m.lib_ordinal, s.report.libraries), im.libName);
            same(name, `import[${im.index}] weak_import`, m.weak_import ? 1 : 0, im.weakImport);
            same(name, `import[${im.index}] name_offset`, m.name_offset, im.nameOffset);
            same(name, `import[${im.index}] name`, m.name, im.name);
          }
        }
        const ex = s.macho.exports ?? [];
        same(name, 'export count', ex.length, o.exports.length);
        // Without an export trie the report counts external definitions, which LC_DYSYMTAB also counts.
        same(name, 'report exports', s.report.exports, s.macho.exports ? o.exports.length : (img.dysymtab?.nextdefsym ?? 0));
        o.exports.forEach((oe, i) => {
          const e = ex[i];
          if (!e) return;
          same(name, `export ${i} name`, e.name, oe.name);
          const addr = e.address === null ? null : e.kind === 'absolute' ? e.address : s.macho.base + e.address;
          if (!oe.flags.some((f) => f.startsWith('re-export'))) same(name, `export ${i} address`, addr, oe.address);
          const flags: string[] = [];
          if (e.kind === 'thread-local') flags.push('per-thread');
          if (e.kind === 'absolute') flags.push('absolute');
          if (e.attributes.includes('weak')) flags.push('weak_def');
          if (e.attributes.includes('re-export')) flags.push('re-export');
          same(
            name,
            `export ${i} flags`,
            flags,
            oe.flags.map((f) => f.split(/[ :(]/)[0]!).filter((f) => f !== 'resolver'),
          );
        });
        const rows = s.symbols().filter((x) => x.exported);
        same(name, 'exported symbol rows', rows.length, o.exports.length);
      });
    });

    it('llvm-nm: defined and undefined counts', () => {
      const def = oracle(name, 'nm-defined.count');
      const undef = oracle(name, 'nm-undefined.count');
      const shown = dumped.filter((d): d is MachOSlice => d !== null);
      same(
        name,
        'nm defined',
        shown.reduce((n, s) => n + s.report.symbols.defined, 0),
        Number(def),
      );
      same(
        name,
        'nm undefined',
        shown.reduce((n, s) => n + s.report.symbols.undefined, 0),
        Number(undef),
      );
      for (const s of shown) {
        const rows = s.symbols().filter((x) => !x.recovered);
        same(name, `${s.report.arch} symbol rows defined`, rows.filter((x) => x.defined).length, s.report.symbols.defined);
        same(name, `${s.report.arch} symbol rows undefined`, rows.filter((x) => !x.defined).length, s.report.symbols.undefined);
      }
    });

    it('file: architecture, type, flags, universal slices', () => {
      const f = parseFileMachO(oracle(name, 'file.txt')!);
      same(name, 'universal', parsed.format === 'macho-fat' ? slices.length : null, f.universal);
      same(name, 'file slice count', slices.length, f.slices.length);
      f.slices.forEach((o, i) => {
        const s = slices[i];
        if (!s) return;
        same(name, `slice ${i} bits`, s.report.bits, o.bits);
        same(name, `slice ${i} arch`, s.report.arch, o.arch);
        same(name, `slice ${i} type`, s.report.fileType, FILE_KINDS[o.kind]);
        same(name, `slice ${i} flags`, s.report.flags.map(stripMH), o.flags);
      });
    });
  });
});

/** Compares one `Load command N` block of llvm-objdump with the parsed command. */
function compareCommand(file: string, at: string, rec: LoadCommandRecord, o: ObjdumpCommand, s: MachOSlice): void {
  same(file, `${at} cmd`, rec.name, field(o, 'cmd'));
  same(file, `${at} cmdsize`, big(rec.cmdsize), num(field(o, 'cmdsize')));
  const f = commandFields(rec);
  const tools: string[] = [];
  for (let i = 0; i < o.fields.length; i++) {
    const [k, v] = o.fields[i]!;
    if (k === 'cmd' || k === 'cmdsize') continue;
    const w = `${at} (${rec.name}) ${k}`;
    if (rec.name === 'LC_BUILD_VERSION' && k === 'tool') {
      tools.push(`${v} ${version(o.fields[i + 1]?.[1])}`);
      i++;
      continue;
    }
    if (rec.name === 'LC_UNIXTHREAD' || rec.name === 'LC_THREAD') {
      if (k === 'flavor') same(file, w, f.flavor, v);
      else if (k === 'count') same(file, w, f.count, THREAD_COUNTS[v] ?? Number(v));
      continue;
    }
    switch (k) {
      case 'name':
      case 'path':
        same(file, w, f[k], v.replace(/ \(offset \d+\)$/, ''));
        break;
      case 'time stamp':
        same(file, w, big(f.timestamp as number), BigInt(v.split(' ')[0]!));
        break;
      case 'current version':
      case 'compatibility version':
        same(file, w, version(f[k.replace(' ', '_')] as string), version(v));
        break;
      case 'minos':
      case 'sdk':
      case 'version':
        same(file, w, version(f[k] as string | null), version(v));
        break;
      case 'platform':
        same(file, w, f.platform, LLVM_PLATFORMS[v] ?? v);
        break;
      case 'uuid':
      case 'segname':
      case 'maxprot':
      case 'initprot':
        same(file, w, f[k], v);
        break;
      case 'flags':
        same(file, w, f.flags, v === '(none)' ? [] : v.split(' '));
        break;
      default:
        same(file, `${w} decoded`, k in f, true);
        if (k in f) same(file, w, big(f[k] as number | bigint), num(v));
    }
  }
  if (rec.name === 'LC_BUILD_VERSION')
    same(
      file,
      `${at} tools`,
      (f.tools as string[]).map((t) => `${t.split(' ')[0]} ${version(t.split(' ')[1])}`),
      tools,
    );
  if (rec.name === 'LC_UNIXTHREAD' || rec.name === 'LC_THREAD') {
    const pc = o.registers.get('rip') ?? o.registers.get('pc') ?? o.registers.get('eip') ?? o.registers.get('srr0');
    same(file, `${at} pc`, f.pc, pc === undefined ? null : BigInt(pc));
    if (pc !== undefined && !s.macho.image.main) same(file, `${at} entry`, s.report.entry, `0x${BigInt(pc).toString(16)}`);
  }
  if (rec.name === 'LC_MAIN') same(file, `${at} entry`, big(s.report.entry), s.macho.base + (f.entryoff as bigint));
  if (rec.name === 'LC_SEGMENT_64' || rec.name === 'LC_SEGMENT') {
    const seg = s.macho.image.segments.find((x) => x.segname === f.segname && x.vmaddr === f.vmaddr);
    same(file, `${at} section count`, seg?.sections.length, o.sections.length);
    o.sections.forEach((os, j) => {
      const sec = seg?.sections[j];
      if (!sec) return;
      const w = `${at} section ${j}`;
      same(file, `${w} sectname`, sec.sectname, os.get('sectname'));
      same(file, `${w} segname`, sec.segname, os.get('segname'));
      same(file, `${w} addr`, sec.addr, num(os.get('addr')));
      same(file, `${w} size`, sec.size, num(os.get('size')));
      same(file, `${w} offset`, big(sec.offset), num(os.get('offset')));
      same(file, `${w} align`, sec.align, Number(/^2\^(\d+)/.exec(os.get('align')!)![1]));
      same(file, `${w} reloff`, big(sec.reloff), num(os.get('reloff')));
      same(file, `${w} nreloc`, big(sec.nreloc), num(os.get('nreloc')));
      same(file, `${w} type`, sectionTypeName(sec.type), os.get('type'));
      same(
        file,
        `${w} attributes`,
        sectionAttributeNames(sec.flags),
        os.get('attributes') === '(none)' ? [] : os.get('attributes')!.split(' '),
      );
      same(file, `${w} reserved1`, big(sec.reserved1), num(os.get('reserved1')!.split(' ')[0]));
      same(file, `${w} reserved2`, big(sec.reserved2), num(os.get('reserved2')!.split(' ')[0]));
    });
  }
}
