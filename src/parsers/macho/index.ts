// Mach-O: thin images and universal (fat) files, bytes in, report out. Each
// slice is parsed through its own window of the file (`r.sub(offset, size)`),
// so every offset in a slice report is relative to the slice while errors
// carry absolute file offsets. A slice that fails keeps the others; a
// structure that fails inside a slice is recorded and the rest still read.

import { FormatError, Problems, type Reader, hex } from '../reader.ts';
import type { ParsedFile, ParsedSlice, SymbolRow } from '../types.ts';
import type {
  CodeSignature,
  Features,
  FileType,
  Import,
  LibraryKind,
  MachOFixups,
  ReportError,
  Section,
  Segment,
  SliceReport,
} from '../../report/types.ts';
import {
  readCodeSignature,
  codeDirectoryFlagNames,
  execSegFlagNames,
  hashTypeName,
  CS_ADHOC,
  CS_LINKER_SIGNED,
  type CodeSignatureInfo,
} from './cs-blobs.ts';
import { countRebases, readBinds, type BindRecord, BIND_SYMBOL_FLAGS_WEAK_IMPORT, type ThreadedResult } from './dyld-info.ts';
import {
  readExportTrie,
  type ExportEntry,
  EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE,
  EXPORT_SYMBOL_FLAGS_KIND_MASK,
  EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION,
} from './export-trie.ts';
import { readFatHeader, isFatMagic, FAT_MAGIC_64, type FatArch } from './fat.ts';
import { chainedFixups, pointerFormatName, type ChainedFixups } from './fixup-chains.ts';
import { commandSummary } from './describe.ts';
import { readLoadCommands, readMachHeader, textSegment, type MachHeader, type MachImage } from './loader.ts';
import {
  fileTypeName,
  headerFlagNames,
  isZerofill,
  S_ATTR_PURE_INSTRUCTIONS,
  S_ATTR_SOME_INSTRUCTIONS,
  VM_PROT_EXECUTE,
  VM_PROT_READ,
  VM_PROT_WRITE,
  LC_LAZY_LOAD_DYLIB,
  LC_LOAD_DYLIB,
  LC_LOAD_UPWARD_DYLIB,
  LC_LOAD_WEAK_DYLIB,
  LC_REEXPORT_DYLIB,
  loadCommandName,
  MH_ALLOW_STACK_EXECUTION,
  MH_BUNDLE,
  MH_CORE,
  MH_DYLDLINK,
  MH_DYLIB,
  MH_DYLIB_STUB,
  MH_DYLINKER,
  MH_EXECUTE,
  MH_NO_HEAP_EXECUTION,
  MH_OBJECT,
  MH_PIE,
  MH_MAGIC_64,
  MH_CIGAM_64,
  osVersion,
  packedVersion,
  platformName,
  protString,
  sectionAttributeNames,
  sectionTypeName,
  segmentFlagNames,
  SG_READ_ONLY,
} from './constants.ts';
import { archOf, cpuTypeName, CPU_TYPE_ARM64, CPU_SUBTYPE_ARM64E } from './machine.ts';
import { goBuildIdInText } from '../go/buildid.ts';
import { machoCuts } from './cuts.ts';
import { checkImage } from './checks.ts';
import { Cuts, type Cut } from '../truncation.ts';
import { makeImage, type Image, type ImageLoad, type ImageSection } from '../image.ts';
import {
  N_EXT,
  N_PEXT,
  N_STAB,
  N_TYPE,
  N_UNDF,
  N_WEAK_REF,
  isUndefined,
  libraryOrdinal,
  readSymbolTable,
  symbolName,
  symbolRows,
  MAX_LIBRARY_ORDINAL,
  type SymbolTable,
} from './nlist.ts';

/** Everything the Mach-O parser decoded for one slice, beyond the report (tests, CLI, detailed views). */
export interface MachODetails {
  image: MachImage;
  /** The fat_arch entry the slice came from; null for thin files. */
  fatArch: FatArch | null;
  symtab: SymbolTable | null;
  rebases: number | null;
  /** Bind, lazy-bind and weak-bind records from LC_DYLD_INFO, in stream order per table. */
  binds: BindRecord[];
  chained: ChainedFixups | null;
  /** Export trie entries (LC_DYLD_EXPORTS_TRIE or LC_DYLD_INFO export_off); null when the image has none. */
  exports: ExportEntry[] | null;
  codeSignature: CodeSignatureInfo | null;
  /** Image base: vmaddr of the segment holding the mach header. */
  base: bigint;
}

export interface MachOSlice extends ParsedSlice {
  macho: MachODetails;
}

export function parseMachO(r: Reader): ParsedFile {
  const magic = r.withEndian(false).u32(0, 'magic');
  const errors: ReportError[] = [];
  const warnings: string[] = [];
  const slices: ParsedSlice[] = [];
  const missing: Cut[] = [];
  const done = (format: ParsedFile['format']): ParsedFile => ({ format, slices, errors, warnings, ...(missing.length ? { missing } : {}) });
  if (isFatMagic(magic)) {
    const problems = new Problems();
    const head = new Cuts(null);
    const fat = problems.try(() => readFatHeader(r, problems), null);
    if (!fat) {
      // The arch table itself runs past the end (readFatHeader's error says how far).
      const entry = magic === FAT_MAGIC_64 ? 32 : 20;
      const n = r.length >= 8 ? r.withEndian(false).u32(4, 'fat_header.nfat_arch') : 1;
      head.need(r, 0, 8 + n * entry, { kind: 'header', what: 'fat header and arch table', field: 'fat_header.nfat_arch' });
    }
    collect(problems, '', errors, warnings);
    missing.push(...head.missing);
    if (!fat) return done('macho-fat');
    for (const a of fat.arches) {
      const label = `slice ${a.index} (${archOf(a.cputype, a.cpusubtype).arch}): `;
      const cuts = new Cuts(a.index);
      // A slice cut short by the end of the file is read as far as it goes: what is there still says what it is.
      const partial = !a.ok && a.size > 0 && a.offset < r.length;
      if (!a.ok) {
        const arch = archOf(a.cputype, a.cpusubtype).arch;
        cuts.need(r, a.offset, a.size, { kind: 'slice', what: `slice ${a.index} (${arch})`, field: 'fat_arch.size', arch });
        if (!partial) {
          missing.push(...cuts.missing);
          continue;
        }
      }
      const p = new Problems();
      let slice: MachOSlice | null = null;
      try {
        slice = parseSlice(r.sub(a.offset, partial ? r.length - a.offset : a.size), a.index, a.offset, a, p, cuts);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        p.error(e);
      }
      if (slice) {
        if (slice.macho.image.header.cputype !== a.cputype) {
          p.warn(`fat_arch says ${cpuTypeName(a.cputype)} but the slice's header says ${cpuTypeName(slice.macho.image.header.cputype)}`);
        }
        slices.push(slice);
      }
      collect(p, label, errors, warnings);
      missing.push(...cuts.missing);
    }
    return done('macho-fat');
  }
  const p = new Problems();
  const cuts = new Cuts(0);
  try {
    slices.push(parseSlice(r, 0, 0, null, p, cuts));
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    p.error(e);
  }
  collect(p, '', errors, warnings);
  missing.push(...cuts.missing);
  return done('macho');
}

function collect(p: Problems, label: string, errors: ReportError[], warnings: string[]): void {
  for (const e of p.errors) errors.push({ message: label + e.message, offset: hex(e.offset), field: e.field });
  for (const w of p.warnings) warnings.push(label + w);
}

const DYLIB_KINDS = new Map<string, LibraryKind>([
  [loadCommandName(LC_LOAD_DYLIB), 'load'],
  [loadCommandName(LC_LOAD_WEAK_DYLIB), 'weak'],
  [loadCommandName(LC_REEXPORT_DYLIB), 'reexport'],
  [loadCommandName(LC_LAZY_LOAD_DYLIB), 'lazy'],
  [loadCommandName(LC_LOAD_UPWARD_DYLIB), 'upward'],
]);

function fileTypeOf(filetype: number): FileType {
  switch (filetype) {
    case MH_EXECUTE:
      return 'executable';
    case MH_DYLIB:
    case MH_DYLIB_STUB:
      return 'shared-library';
    case MH_BUNDLE:
      return 'bundle';
    case MH_OBJECT:
      return 'object';
    case MH_DYLINKER:
      return 'dylinker';
    case MH_CORE:
      return 'core';
    default:
      return 'other';
  }
}

const VERSION_MIN_PLATFORMS: Record<string, string> = {
  LC_VERSION_MIN_MACOSX: 'macos',
  LC_VERSION_MIN_IPHONEOS: 'ios',
  LC_VERSION_MIN_TVOS: 'tvos',
  LC_VERSION_MIN_WATCHOS: 'watchos',
};

/** A linkedit range of the slice as its own reader, or null (recorded) when it lies outside the file. */
function linkeditRange(r: Reader, off: number, size: number, field: string, problems: Problems): Reader | null {
  if (size === 0) return null;
  if (!r.has(off, size)) {
    problems.error(
      new FormatError(`${field}: ${size} bytes at ${hex(off)} run past the end of the file (${hex(r.length)})`, r.base + off, field, size),
    );
    return null;
  }
  return r.sub(off, size);
}

// eslint-disable-next-line max-lines-per-function -- the slice report built field by field in docs/report.md's order; the steps that read the tables are functions
export function parseSlice(
  raw: Reader,
  index: number,
  offset: number,
  fatArch: FatArch | null,
  problems: Problems,
  cuts = new Cuts(index),
): MachOSlice {
  // A file cut inside its mach header: xnu refuses it (the load commands it reads are not there).
  const magic = raw.length >= 4 ? raw.withEndian(false).u32(0, 'mach_header.magic') : 0;
  const headerSize = magic === MH_MAGIC_64 || magic === MH_CIGAM_64 ? 32 : 28;
  cuts.need(raw, 0, headerSize, { kind: 'header', what: 'mach header', field: 'mach_header' });
  const header: MachHeader = readMachHeader(raw);
  const r = raw.withEndian(header.littleEndian);
  const img = readLoadCommands(r, header, problems);
  machoCuts(r, img, cuts);
  checkImage(r, img, problems);
  const text = textSegment(img);
  const base = text ? text.vmaddr : 0n;
  const { arch, subtype, ptrAuthAbi } = archOf(header.cputype, header.cpusubtype);

  const symtab = problems.try(() => readSymbolTable(r, img, problems), null);
  const { rebases, binds, threaded, exports } = readDyldInfo(r, img, problems);

  let chained: ChainedFixups | null = null;
  const cf = img.linkedit.get('LC_DYLD_CHAINED_FIXUPS');
  if (cf && cf.datasize > 0) chained = chainedFixups(r, cf.dataoff, cf.datasize, img, problems);

  let cs: CodeSignatureInfo | null = null;
  const csCmd = img.linkedit.get('LC_CODE_SIGNATURE');
  if (csCmd) cs = readCodeSignature(r, csCmd.dataoff, csCmd.datasize, problems);

  const fsCmd = img.linkedit.get('LC_FUNCTION_STARTS');
  const fsData = fsCmd ? linkeditRange(r, fsCmd.dataoff, fsCmd.datasize, 'LC_FUNCTION_STARTS.dataoff', problems) : null;
  const functionStartCount = fsCmd ? functionStarts(fsData, base, problems).length : null;

  const imports = importsOf(img, binds, chained, symtab, problems, r);
  const { segments, sections } = segmentAndSectionRows(r, img, problems);

  // Go keeps its build ID at the start of __text (ELF files carry it in a note).
  const textSection = img.sections.find((x) => x.segname === '__TEXT' && x.sectname === '__text' && !isZerofill(x.type));
  const goBuildId = textSection ? goBuildIdInText(r, textSection.offset, Number(textSection.size)) : null;

  const fixups = fixupSummary(img, rebases, binds, threaded, chained);
  const codeSignature = codeSignatureReport(cs);
  const features = featuresOf(header, arch, img, imports, symtab);

  const report: SliceReport = {
    index,
    offset: hex(offset),
    size: r.length,
    arch,
    ...(arch === 'arm64e' ? { ptrAuthAbi: ptrAuthAbi ?? null } : {}),
    cpu: { type: header.cputype, subtype, name: cpuTypeName(header.cputype) },
    bits: header.is64 ? 64 : 32,
    endian: header.littleEndian ? 'little' : 'big',
    fileType: fileTypeOf(header.filetype),
    fileTypeRaw: fileTypeName(header.filetype),
    ...platformOf(img),
    entry: entryOf(img, base),
    linkage: linkageOf(img, cuts),
    interpreter: img.dylinker,
    libraries: img.dylibs.map((d) => d.name),
    libraryDetails: img.dylibs.map((d) => ({
      name: d.name,
      kind: DYLIB_KINDS.get(d.cmd) ?? 'load',
      currentVersion: packedVersion(d.current_version),
      compatibilityVersion: packedVersion(d.compatibility_version),
      command: d.command,
    })),
    rpaths: [...img.rpaths],
    rpathDetails: img.rpaths.map((p) => ({ path: p, source: 'LC_RPATH' })),
    installName: img.idDylib?.name ?? null,
    uuid: img.uuid,
    buildId: null,
    ...(goBuildId ? { goBuildId } : {}),
    segments,
    sections,
    symbols: { defined: symtab?.defined ?? 0, undefined: symtab?.undefined ?? 0, table: symtab ? 'LC_SYMTAB' : null },
    imports,
    exports: exports ? exports.length : countExternalDefinitions(symtab),
    codeSignature,
    encryption: img.encryption
      ? { cryptid: img.encryption.cryptid, offset: hex(img.encryption.cryptoff), size: img.encryption.cryptsize }
      : null,
    features,
    functionStarts: functionStartCount,
    ...(fixups ? { fixups } : {}),
    loadCommands: img.commands.map((c) => ({ cmd: c.name, cmdsize: c.cmdsize, offset: hex(c.offset), summary: commandSummary(c) })),
    notes: img.notes.map((n) => ({ owner: n.data_owner, type: 'LC_NOTE', description: `${n.size} bytes at ${hex(n.offset)}` })),
    flags: headerFlagNames(header.flags),
    stripped: isStripped(symtab),
  };
  const incomplete = cuts.incomplete(report);
  if (incomplete) report.incomplete = incomplete;

  let rows: SymbolRow[] | null = null;
  let starts: bigint[] | null = null;
  return {
    report,
    reader: r,
    image: machoImage(report, r, img, segments, sections),
    symbols: () => (rows ??= symbolsWithExports(img, symtab, exports, base)),
    functionStarts: () => (starts ??= functionStarts(fsData, base, null)),
    mappingSymbols: () => [],
    macho: { image: img, fatArch, symtab, rebases, binds, chained, exports, codeSignature: cs, base },
  };
}

/** LC_DYLD_INFO's rebase count, bind records and export trie, with LC_DYLD_EXPORTS_TRIE's exports after it. */
function readDyldInfo(
  r: Reader,
  img: MachImage,
  problems: Problems,
): { rebases: number | null; binds: BindRecord[]; threaded: ThreadedResult; exports: ExportEntry[] | null } {
  let rebases: number | null = null;
  const binds: BindRecord[] = [];
  const threaded: ThreadedResult = { rebases: 0 };
  let exports: ExportEntry[] | null = null;
  const di = img.dyldInfo;
  if (di) {
    const rb = linkeditRange(r, di.rebase_off, di.rebase_size, `${di.cmd}.rebase_off`, problems);
    rebases = rb ? countRebases(rb, img, problems) : 0;
    for (const [table, off, size, name] of [
      ['bind', di.bind_off, di.bind_size, 'bind_off'],
      ['lazy', di.lazy_bind_off, di.lazy_bind_size, 'lazy_bind_off'],
      ['weak', di.weak_bind_off, di.weak_bind_size, 'weak_bind_off'],
    ] as const) {
      const s = linkeditRange(r, off, size, `${di.cmd}.${name}`, problems);
      if (s) binds.push(...readBinds(s, table, img, r, problems, threaded));
    }
    const ex = linkeditRange(r, di.export_off, di.export_size, `${di.cmd}.export_off`, problems);
    if (ex) exports = readExportTrie(ex, 'export trie', problems);
  }
  const trieCmd = img.linkedit.get('LC_DYLD_EXPORTS_TRIE');
  if (trieCmd) {
    const t = linkeditRange(r, trieCmd.dataoff, trieCmd.datasize, 'LC_DYLD_EXPORTS_TRIE.dataoff', problems);
    if (t) exports = [...(exports ?? []), ...readExportTrie(t, 'LC_DYLD_EXPORTS_TRIE', problems)];
    else exports ??= [];
  }
  return { rebases, binds, threaded, exports };
}

/** LC_FUNCTION_STARTS: ULEB128 deltas from the image base; a zero delta ends the list. A bad delta ends it too (recorded when `p` is given). */
function functionStarts(data: Reader | null, base: bigint, p: Problems | null): bigint[] {
  const out: bigint[] = [];
  if (!data) return out;
  let addr = base;
  try {
    for (let at = 0; at < data.length;) {
      const d = data.uleb(at, 'LC_FUNCTION_STARTS');
      at = d.next;
      if (d.value === 0n) break;
      addr += d.value;
      out.push(addr);
    }
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    p?.error(e);
  }
  return out;
}

/** Platform, minimum OS and SDK: LC_BUILD_VERSION, else LC_VERSION_MIN_*; null when neither is there. */
function platformOf(img: MachImage): { platform: string | null; minOS: string | null; sdk: string | null } {
  if (img.buildVersion) {
    const b = img.buildVersion;
    return { platform: platformName(b.platform), minOS: osVersion(b.minos), sdk: b.sdk ? osVersion(b.sdk) : null };
  }
  if (img.versionMin) {
    const v = img.versionMin;
    return { platform: VERSION_MIN_PLATFORMS[v.cmd] ?? null, minOS: osVersion(v.version), sdk: v.sdk ? osVersion(v.sdk) : null };
  }
  return { platform: null, minOS: null, sdk: null };
}

/** LC_MAIN's entry offset from the image base, else the first thread state's program counter. */
function entryOf(img: MachImage, base: bigint): string | null {
  if (img.main) return hex(BigInt.asUintN(64, base + img.main.entryoff));
  const pc = img.threads.flatMap((t) => t.states).find((s) => s.pc !== null)?.pc;
  return pc !== undefined && pc !== null ? hex(pc) : null;
}

/**
 * dyld loads an image when the static linker marked it for dyld (MH_DYLDLINK), or when it names a dynamic linker or
 * dylibs; anything else (kernels, firmware, objects, -static executables) is static, unless the file is cut before
 * the commands that would say.
 */
function linkageOf(img: MachImage, cuts: Cuts): SliceReport['linkage'] {
  if (img.header.flags & MH_DYLDLINK || img.dylinker !== null || img.dylibs.length > 0) return 'dynamic';
  return cuts.facts.has('linkage') ? 'unknown' : 'static';
}

/** The report's segments and sections. */
function segmentAndSectionRows(r: Reader, img: MachImage, problems: Problems): { segments: Segment[]; sections: Section[] } {
  // Report sizes are JSON numbers: a 64-bit vmsize or section size past 2^53
  // (only a damaged or hostile file has one) cannot be shown exactly, so it
  // is recorded as a problem and shown as the largest exact number.
  const safeSize = (v: bigint, field: string): number => {
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    problems.error(new FormatError(`${field}: value ${hex(v)} is too large`, r.base, field, v));
    return Number.MAX_SAFE_INTEGER;
  };
  const segments: Segment[] = img.segments.map((s) => ({
    name: s.segname,
    address: hex(s.vmaddr),
    size: safeSize(s.vmsize, `${s.segname}.vmsize`),
    offset: hex(s.fileoff),
    fileSize: s.filesize,
    perms: protString(s.initprot),
    type: s.cmd,
    maxPerms: protString(s.maxprot),
    flags: segmentFlagNames(s.flags),
  }));
  const sections: Section[] = img.sections.map((s) => ({
    name: s.sectname,
    segment: s.segname,
    address: hex(s.addr),
    size: safeSize(s.size, `${s.segname},${s.sectname}.size`),
    offset: hex(isZerofill(s.type) ? 0 : s.offset),
    type: sectionTypeName(s.type),
    flags: sectionAttributeNames(s.flags).join(' '),
  }));
  return { segments, sections };
}

/** The symbol table's rows, then the exports it does not list (stripped images), marked recovered. */
function symbolsWithExports(img: MachImage, symtab: SymbolTable | null, exports: ExportEntry[] | null, base: bigint): SymbolRow[] {
  const exportedNames = new Set((exports ?? []).map((e) => e.name));
  const rows = symtab ? symbolRows(symtab, img, exportedNames) : [];
  const listed = new Set(rows.filter((s) => s.defined).map((s) => s.name));
  for (const e of exports ?? []) {
    if (listed.has(e.name)) continue;
    const kind = e.flags & EXPORT_SYMBOL_FLAGS_KIND_MASK;
    rows.push({
      name: e.name,
      address: e.address === null ? null : BigInt.asUintN(64, kind === EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE ? e.address : base + e.address),
      size: null,
      defined: true,
      type: kind === 1 ? 'tls' : 'other',
      bind: e.flags & EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION ? 'weak' : 'global',
      section: null,
      library: e.reexport ? (img.dylibs[e.reexport.ordinal - 1]?.name ?? null) : null,
      version: null,
      exported: true,
      recovered: true,
    });
  }
  return rows;
}

function libraryFor(img: MachImage, ordinal: number): string | null {
  return ordinal >= 1 ? (img.dylibs[ordinal - 1]?.name ?? null) : null;
}

/**
 * Imports, one per (symbol, ordinal): from the bind and lazy-bind opcodes, the
 * chained-fixup imports table, or, for images with neither (classic and
 * MH_OBJECT files), the undefined external symbols with their two-level ordinal.
 * Weak-bind entries are left out: they coalesce weak definitions, not imports.
 */
function importsOf(
  img: MachImage,
  binds: BindRecord[],
  chained: ChainedFixups | null,
  symtab: SymbolTable | null,
  problems: Problems,
  r: Reader,
): Import[] {
  const out = new Map<string, Import>();
  let badOrdinals = 0;
  const add = (name: string, ordinal: number, weak: boolean): void => {
    const key = `${ordinal}\0${name}`;
    const have = out.get(key);
    if (have) {
      if (weak) have.weak = true;
      return;
    }
    const library = libraryFor(img, ordinal);
    if (ordinal >= 1 && library === null) badOrdinals++;
    out.set(key, { name, library, weak, ordinal });
  };
  if (chained) {
    for (const i of chained.imports) add(i.name ?? `<import ${i.name_offset}>`, i.lib_ordinal, i.weak_import);
  }
  for (const b of binds) {
    if (b.table === 'weak') continue;
    add(b.symbol, b.ordinal, (b.flags & BIND_SYMBOL_FLAGS_WEAK_IMPORT) !== 0);
  }
  if (!chained && !img.dyldInfo && symtab) {
    const twoLevel = (img.header.flags & 0x80) !== 0;
    for (const n of symtab.entries) {
      if (n.n_type & N_STAB || !isUndefined(n)) continue;
      const name = symbolName(symtab, n);
      if (name === null) continue;
      let ord = -2;
      if (twoLevel) {
        const o = libraryOrdinal(n.n_desc);
        // nlist ordinals: 0 self, 1..0xfd dylibs, 0xfe dynamic lookup, 0xff main executable.
        ord = o <= MAX_LIBRARY_ORDINAL ? o : o === 0xfe ? -2 : -1;
      }
      add(name, ord, (n.n_desc & N_WEAK_REF) !== 0);
    }
  }
  if (badOrdinals) {
    problems.error(
      new FormatError(
        `${badOrdinals} imports name a library ordinal past the ${img.dylibs.length} dylib load commands`,
        r.base,
        'library ordinal',
        badOrdinals,
      ),
    );
  }
  return [...out.values()];
}

function fixupSummary(
  img: MachImage,
  rebases: number | null,
  binds: BindRecord[],
  threaded: ThreadedResult,
  chained: ChainedFixups | null,
): MachOFixups | undefined {
  if (chained) {
    return {
      source: 'LC_DYLD_CHAINED_FIXUPS',
      rebases: chained.counts.rebases,
      binds: chained.counts.binds,
      lazyBinds: 0,
      weakBinds: 0,
      authRebases: chained.counts.authRebases,
      authBinds: chained.counts.authBinds,
      imports: chained.imports.length,
      pointerFormats: chained.pointerFormats.map(pointerFormatName),
    };
  }
  if (img.dyldInfo) {
    const count = (t: string): number => binds.filter((b) => b.table === t && !b.strong).length;
    return {
      source: img.dyldInfo.cmd,
      rebases: (rebases ?? 0) + threaded.rebases,
      binds: count('bind'),
      lazyBinds: count('lazy'),
      weakBinds: count('weak'),
      authRebases: 0,
      authBinds: binds.filter((b) => b.auth).length,
      imports: 0,
      pointerFormats: [],
    };
  }
  return undefined;
}

/** The slice as dyld maps it, in typed values: the same numbers as the report's segments and sections, before they are written as text. */
function machoImage(report: SliceReport, r: Reader, img: MachImage, segments: Segment[], sections: Section[]): Image {
  // A section names its segment (segname), as getsectbyname looks it up.
  const named = new Map<string, number[]>();
  img.sections.forEach((s, i) => {
    const list = named.get(s.segname);
    if (list) list.push(i);
    else named.set(s.segname, [i]);
  });
  const loads: ImageLoad[] = img.segments.map((s, i) => ({
    row: i,
    sections: named.get(s.segname) ?? [],
    vaddr: s.vmaddr,
    offset: s.fileoff,
    filesz: s.filesize,
    memsz: segments[i]!.size,
    r: (s.initprot & VM_PROT_READ) !== 0,
    w: (s.initprot & VM_PROT_WRITE) !== 0,
    x: (s.initprot & VM_PROT_EXECUTE) !== 0,
  }));
  const imageSections: ImageSection[] = img.sections.map((s, i) => ({
    name: s.sectname,
    segment: s.segname,
    addr: s.addr,
    offset: isZerofill(s.type) ? 0 : s.offset,
    size: sections[i]!.size,
    nobits: isZerofill(s.type),
    code: (s.flags & S_ATTR_PURE_INSTRUCTIONS) !== 0,
    instructions: (s.flags & (S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS)) !== 0,
    alloc: true,
  }));
  return makeImage('macho', report, r, loads, imageSections);
}

function codeSignatureReport(cs: CodeSignatureInfo | null): CodeSignature | null {
  if (!cs) return null;
  const cd = cs.best;
  return {
    adhoc: cd ? (cd.flags & CS_ADHOC) !== 0 : false,
    linkerSigned: cd ? (cd.flags & CS_LINKER_SIGNED) !== 0 : false,
    identifier: cd?.identifier ?? null,
    teamId: cd?.teamId ?? null,
    cdHash: cd?.cdHash ?? null,
    hashType: cd ? hashTypeName(cd.hashType) : null,
    flags: cd ? codeDirectoryFlagNames(cd.flags) : [],
    entitlements: cs.entitlementsXml ?? cs.entitlementsDerText,
    entitlementsDer: cs.entitlementsDerSize,
    requirements: cs.requirements,
    hasCmsSignature: cs.hasCmsSignature,
    ...(cd ? { version: hex(cd.version) } : {}),
    ...(cd?.execSegFlags != null ? { execSegFlags: execSegFlagNames(cd.execSegFlags) } : {}),
    candidates: cs.codeDirectories.map((c) => ({ hashType: hashTypeName(c.hashType), cdHash: c.cdHash })),
  };
}

function featuresOf(h: MachHeader, arch: string, img: MachImage, imports: Import[], symtab: SymbolTable | null): Features {
  const sources: Record<string, string> = {};
  let pie: boolean | null;
  if (h.filetype === MH_EXECUTE) {
    pie = (h.flags & MH_PIE) !== 0;
    sources.pie = pie ? 'MH_PIE set in the mach header' : 'MH_PIE not set: loaded at its linked address';
  } else if (h.filetype === MH_DYLIB || h.filetype === MH_BUNDLE) {
    pie = true;
    sources.pie = `${fileTypeName(h.filetype)}: dyld always slides dylibs and bundles; PIE applies to executables`;
  } else {
    pie = null;
    sources.pie = `${fileTypeName(h.filetype)}: not a loadable image`;
  }
  const nx = h.filetype === MH_OBJECT ? null : (h.flags & MH_ALLOW_STACK_EXECUTION) === 0;
  sources.nx =
    nx === null
      ? 'MH_OBJECT: decided when linked'
      : `${nx ? 'MH_ALLOW_STACK_EXECUTION not set: non-executable stack' : 'MH_ALLOW_STACK_EXECUTION set: executable stack'}; MH_NO_HEAP_EXECUTION ${h.flags & MH_NO_HEAP_EXECUTION ? 'set' : 'not set'}`;
  const dataConst = img.segments.find((s) => s.segname === '__DATA_CONST');
  sources.relro = `Mach-O has no RELRO; dyld makes __DATA_CONST read-only after fixups${dataConst ? ` (this image has __DATA_CONST${dataConst.flags & SG_READ_ONLY ? ', SG_READ_ONLY' : ''})` : ' (this image has no __DATA_CONST)'}`;

  const names = new Set<string>(imports.map((i) => i.name));
  if (symtab)
    for (const n of symtab.entries)
      if (!(n.n_type & N_STAB) && (n.n_type & N_TYPE) === N_UNDF && n.n_type & N_EXT) names.add(symbolName(symtab, n) ?? '');
  const known = imports.length > 0 || symtab !== null;
  const canaryHits = ['___stack_chk_guard', '___stack_chk_fail'].filter((n) => names.has(n));
  const fortifyHits = [...names].filter((n) => /^___\w+_chk$/.test(n) && !n.startsWith('___stack_chk')).sort();
  const where = imports.length ? 'imports' : 'undefined symbols';
  const canary = known ? canaryHits.length > 0 : null;
  sources.canary = !known
    ? 'no imports or symbol table to look in'
    : canary
      ? `${canaryHits.join(', ')} in ${where}`
      : `no ___stack_chk_guard or ___stack_chk_fail in ${where}`;
  const fortify = known ? fortifyHits.length > 0 : null;
  sources.fortify = !known
    ? sources.canary
    : fortify
      ? `${fortifyHits.slice(0, 5).join(', ')}${fortifyHits.length > 5 ? ', …' : ''} in ${where}`
      : `no ___*_chk functions in ${where}`;

  let pac: boolean | null = null;
  if (h.cputype === CPU_TYPE_ARM64) {
    pac = (h.cpusubtype & 0xffffff) === CPU_SUBTYPE_ARM64E;
    // What the file declares; what its code does and what the system enforces are slices[].arm64.protection.
    sources.pac = pac
      ? 'CPU_SUBTYPE_ARM64E: declares the arm64e ABI, which signs return addresses and code pointers'
      : `${arch} (CPU subtype ${h.cpusubtype & 0xffffff}, not CPU_SUBTYPE_ARM64E): does not declare the arm64e pointer-authentication ABI`;
  } else sources.pac = `${arch}: pointer authentication is an arm64e feature`;
  sources.bti = 'Mach-O has no BTI declaration; Apple platforms do not use BTI';
  sources.ibt = 'macOS does not use CET';
  sources.shstk = sources.ibt;
  return { pie, nx, relro: null, canary, fortify, bti: null, pac, ibt: null, shstk: null, sources };
}

/** External definitions (N_EXT, not N_PEXT): what a classic image exports when it has no export trie. */
function countExternalDefinitions(t: SymbolTable | null): number {
  if (!t) return 0;
  let n = 0;
  for (const e of t.entries) if (!(e.n_type & N_STAB) && e.n_type & N_EXT && !(e.n_type & N_PEXT) && !isUndefined(e)) n++;
  return n;
}

/**
 * Stripped: no LC_SYMTAB, or a symbol table with neither local definitions nor
 * debugging (N_STAB) entries. `strip` removes exactly those and keeps the
 * external symbols dyld needs, so what is left says nothing about the code.
 */
function isStripped(t: SymbolTable | null): boolean {
  return !t || t.entries.length === 0 || (t.localDefined === 0 && t.stabs === 0);
}
