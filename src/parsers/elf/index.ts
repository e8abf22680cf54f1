// ELF: bytes in, one SliceReport out, with the big tables (symbols, mapping
// symbols) built only when asked for. Every read goes through the Reader;
// a malformed structure is recorded as a problem and parsing goes on.

import { FormatError, Problems, hex, type Reader } from '../reader.ts';
import type { ParsedFile, ParsedSlice, SymbolRow, UnwindFunctions } from '../types.ts';
import type { Import, Library, ReportError, Rpath, Section, Segment, SliceReport } from '../../report/types.ts';
import {
  DF_1_PIE,
  DT_SYMTAB,
  EM_AARCH64,
  EM_ARM,
  ET_CORE,
  ET_DYN,
  ET_EXEC,
  ET_REL,
  PF_R,
  PF_W,
  PF_X,
  PT_GNU_STACK,
  PT_INTERP,
  PT_LOAD,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHN_XINDEX,
  SHT_NOBITS,
  STB_WEAK,
  archName,
  emName,
  etName,
  osabiPlatform,
  ptName,
  shFlagLetters,
  shtName,
} from './constants.ts';
import { dynamicFlagNames, readDynamic, type DynamicInfo } from './dynamic.ts';
import { readUnwindFunctions } from './ehframe.ts';
import { elfFeatures, isCanarySymbol, isFortifySymbol, type SymbolEvidence } from './features.ts';
import { readHeader, type ElfHeader } from './header.ts';
import { noNotes, readNotes, type NotesInfo } from './notes.ts';
import { AddressMap, permString, readProgramHeaders, type ProgramHeader } from './program.ts';
import { readSectionHeaders, sectionInSegment, type SectionHeader } from './sections.ts';
import {
  checkSymbolNames,
  countNmSymbols,
  dynsymFromDynamic,
  findSymbolTable,
  isDefined,
  isExported,
  nmHides,
  readNamedSymbol,
  readSymbol,
  symbolBindName,
  symbolSectionName,
  symbolTypeName,
  type ElfSymbol,
  type SymbolTable,
} from './symbols.ts';
import { readVersions, type VersionInfo } from './versions.ts';
import { readRelocations } from './relocations.ts';
import { makeImage, type Image, type ImageLoad, type ImageSection } from '../image.ts';
import { elfCuts } from './cuts.ts';
import { Cuts } from '../truncation.ts';
import { EHDR32_SIZE, EHDR64_SIZE } from './header.ts';

/** Everything parsed from one ELF file, for tests and for code that needs more than the report. */
export interface ElfFile {
  header: ElfHeader;
  reader: Reader;
  programHeaders: ProgramHeader[];
  sections: SectionHeader[];
  dynamic: DynamicInfo | null;
  notes: NotesInfo;
  symtab: SymbolTable | null;
  dynsym: SymbolTable | null;
  versions: VersionInfo;
  interpreter: string | null;
  /** Virtual address → file offset through PT_LOAD. */
  map: AddressMap;
  problems: Problems;
  /** Structures past the end of the file, and the report fields they leave unknown. */
  cuts: Cuts;
  /** Every entry of a table, with names and (for .dynsym) versions, in table order. */
  readTable(t: SymbolTable): (ElfSymbol & { version: ReturnType<VersionInfo['symbolVersion']> })[];
}

export function parseElf(file: Reader): ParsedFile {
  const short = headerCut(file);
  if (short) return short;
  const elf = readElf(file);
  const slice = elfSlice(elf);
  if (elf.cuts.dropped) elf.problems.warn(`${elf.cuts.dropped} more structures run past the end of the file than are listed`);
  return {
    format: 'elf',
    slices: [slice],
    errors: elf.problems.errors.map(toReportError),
    warnings: [...elf.problems.warnings],
    ...(elf.cuts.missing.length ? { missing: elf.cuts.missing } : {}),
  };
}

/** A file cut inside its ELF header: nothing past e_ident can be trusted, and the kernel refuses it (ENOEXEC). */
function headerCut(file: Reader): ParsedFile | null {
  const cls = file.length > 4 ? file.u8(4, 'e_ident[EI_CLASS]') : 2;
  const size = cls === 1 ? EHDR32_SIZE : EHDR64_SIZE;
  if (file.length >= size) return null;
  const end = hex(file.base + file.length);
  const field = file.length < 16 ? 'e_ident' : cls === 1 ? 'Elf32_Ehdr' : 'Elf64_Ehdr';
  const cuts = new Cuts(0);
  cuts.need(file, 0, size, { kind: 'header', what: 'ELF header', field: 'e_ehsize' });
  return {
    format: 'elf',
    slices: [],
    errors: [{ message: `${field}: the ELF header needs ${size} bytes; the file ends at ${end}`, offset: hex(file.base), field }],
    warnings: [],
    missing: cuts.missing,
  };
}

function toReportError(e: FormatError): ReportError {
  return { message: e.message, offset: hex(e.offset), field: e.field };
}

/** Parses the structures; throws a FormatError only when the ELF header itself is unreadable. */
export function readElf(file: Reader): ElfFile {
  const problems = new Problems();
  const header = readHeader(file, problems);
  const r = file.withEndian(header.littleEndian);
  const programHeaders = readProgramHeaders(r, header, problems);
  const sections = readSectionHeaders(r, header, problems);
  const map = new AddressMap(programHeaders);
  const interpreter = readInterpreter(r, programHeaders, problems);
  const dynamic = problems.try(() => readDynamic(r, header, programHeaders, sections, map, problems), null);
  const notes = problems.try(() => readNotes(r, header, programHeaders, sections, problems), noNotes());
  const symtab = problems.try(() => findSymbolTable(r, header, sections, '.symtab', problems), null);
  let dynsym = problems.try(() => findSymbolTable(r, header, sections, '.dynsym', problems), null);
  if (!dynsym && dynamic && sections.length === 0) dynsym = problems.try(() => dynsymFromDynamic(r, header, map, dynamic, problems), null);
  // .symtab names are read only when its rows are asked for: checked here, against a string table that is in the
  // file (one that is not has its own error). .dynsym's are all read now, for imports and exports, each recorded.
  if (symtab && tableInFile(r, symtab, sections)) checkSymbolNames(symtab, problems);
  // ld.so finds the dynamic symbols through DT_SYMTAB; tools through the section. They must agree.
  const dtSymtab = dynamic?.get(DT_SYMTAB);
  if (dynsym?.section && dtSymtab !== undefined && dynsym.section.sh_addr !== dtSymtab && map.offsetOf(dtSymtab) !== null) {
    const e = dynamic!.entries.find((x) => x.d_tag === BigInt(DT_SYMTAB))!;
    problems.error(
      new FormatError(
        `DT_SYMTAB ${hex(dtSymtab)} and the SHT_DYNSYM section (at ${hex(dynsym.section.sh_addr)}) disagree about where the dynamic symbol table is`,
        e.at,
        'DT_SYMTAB',
        dtSymtab,
      ),
    );
  }
  const versionStrings = dynamic?.strtab ?? dynsym?.strtab ?? null;
  const versions = readVersions(r, sections, map, dynamic, dynsym?.count ?? 0, versionStrings, problems);
  const cuts = elfCuts(r, header, programHeaders, sections, dynamic, map);
  const readTable: ElfFile['readTable'] = (t) => {
    const out = [];
    for (let i = 0; i < t.count; i++) {
      const s = readNamedSymbol(t, i, problems);
      const version = t.name === '.dynsym' && i > 0 ? versions.symbolVersion(i, isDefined(s)) : null;
      out.push({ ...s, version });
    }
    return out;
  };
  return {
    header,
    reader: r,
    programHeaders,
    sections,
    dynamic,
    notes,
    symtab,
    dynsym,
    versions,
    interpreter,
    map,
    problems,
    cuts,
    readTable,
  };
}

function readInterpreter(r: Reader, phdrs: ProgramHeader[], problems: Problems): string | null {
  const p = phdrs.find((x) => x.p_type === PT_INTERP);
  if (!p) return null;
  return problems.try(() => {
    r.check(p.p_offset, p.p_filesz, 'PT_INTERP');
    if (p.p_filesz === 0) return '';
    return r.cstring(p.p_offset, p.p_filesz, 'PT_INTERP');
  }, null);
}

/**
 * What kind of file this is. e_type alone does not say: PIE executables and
 * shared libraries are both ET_DYN. The rule, in order:
 *  - ET_EXEC → executable; ET_REL → object; ET_CORE → core; other e_types → other.
 *  - ET_DYN with DF_1_PIE in DT_FLAGS_1 → executable (what `file` checks).
 *  - ET_DYN with DT_FLAGS_1 but no DF_1_PIE → shared-library: linkers that
 *    write DT_FLAGS_1 (binutils ld since 2.26, lld, mold) set DF_1_PIE on every
 *    -pie link, so its absence means -shared (musl's libc.so, which is also its loader).
 *  - ET_DYN without DT_FLAGS_1 (older or other linkers, e.g. gold):
 *      PT_INTERP and no DT_SONAME → executable (a PIE);
 *      PT_INTERP and DT_SONAME → shared-library that can also be run (glibc's libc.so.6);
 *      no PT_INTERP, an entry point and no DT_SONAME → executable (a static PIE);
 *      otherwise → shared-library.
 */
export function elfFileType(h: ElfHeader, interp: boolean, dyn: DynamicInfo | null): SliceReport['fileType'] {
  switch (h.e_type) {
    case ET_EXEC:
      return 'executable';
    case ET_REL:
      return 'object';
    case ET_CORE:
      return 'core';
    case ET_DYN:
      break;
    default:
      return 'other';
  }
  const flags1 = dyn?.flags1 ?? null;
  if (flags1 !== null) return (flags1 & BigInt(DF_1_PIE)) !== 0n ? 'executable' : 'shared-library';
  const soname = dyn?.soname != null;
  if (interp) return soname ? 'shared-library' : 'executable';
  return h.e_entry !== 0n && !soname ? 'executable' : 'shared-library';
}

/**
 * Static or dynamic, as `file` (libmagic 5.44, readelf.c dophn_exec) says
 * it: no PT_DYNAMIC → "statically linked"; PT_DYNAMIC with DT_FLAGS_1 present
 * and neither DT_NEEDED nor PT_INTERP → "static-pie linked" (static here);
 * any other PT_DYNAMIC → "dynamically linked". (libmagic after 5.45 asks for
 * DF_1_PIE rather than any DT_FLAGS_1.)
 */
export function elfLinkage(phdrs: ProgramHeader[], dyn: DynamicInfo | null): SliceReport['linkage'] {
  if (!dyn || dyn.source !== 'PT_DYNAMIC') return 'static';
  const need = dyn.needed.length + phdrs.filter((p) => p.p_type === PT_INTERP).length;
  return dyn.flags1 !== null && need === 0 ? 'static' : 'dynamic';
}

function platformOf(elf: ElfFile): { platform: string | null; minOS: string | null } {
  if (elf.notes.platform !== null) return { platform: elf.notes.platform, minOS: elf.notes.minOS };
  const fromAbi = osabiPlatform(elf.header.ei_osabi);
  if (fromAbi) return { platform: fromAbi, minOS: null };
  const i = elf.interpreter;
  if (i) {
    const base = i.slice(i.lastIndexOf('/') + 1);
    if (base.startsWith('ld-linux') || base.startsWith('ld-musl') || base === 'ld.so.1' || base.startsWith('ld64.so'))
      return { platform: 'linux', minOS: null };
    if (i === '/system/bin/linker' || i === '/system/bin/linker64') return { platform: 'android', minOS: null };
    if (base === 'ld-elf.so.1') return { platform: 'freebsd', minOS: null };
    if (base === 'ld.elf_so') return { platform: 'netbsd', minOS: null };
  }
  return { platform: null, minOS: null };
}

/** Names in .dynsym/.symtab that bear on the canary and fortify verdicts, read without building rows. */
function symbolEvidence(elf: ElfFile): SymbolEvidence {
  const ev: SymbolEvidence = { haveSymbols: false, tables: [], canary: [], fortify: [] };
  const staticLink = elf.dynamic === null;
  const scan = (t: SymbolTable | null) => {
    if (!t || !t.strtab || t.count <= 1) return;
    ev.haveSymbols = true;
    ev.tables.push(t.name);
    const strtab = t.strtab;
    for (let i = 1; i < t.count; i++) {
      // Both families of names start with "__": skip decoding everything else.
      const st_name = t.st_name(i);
      if (st_name === 0 || !strtab.startsWith(st_name, '__')) continue;
      let name = elf.problems.try(() => strtab.get(st_name), '');
      const at = name.indexOf('@');
      if (at > 0) name = name.slice(0, at);
      if (isCanarySymbol(name)) {
        if (!ev.canary.includes(name)) ev.canary.push(name);
      } else if (isFortifySymbol(name) && (t.rawShndx(i) === 0 || staticLink)) {
        if (!ev.fortify.includes(name)) ev.fortify.push(name);
      }
    }
  };
  scan(elf.dynsym);
  scan(elf.symtab);
  return ev;
}

/** Whether a section's contents lie in the file (NOBITS and absent sections have nothing to miss). */
function inFile(r: Reader, s: SectionHeader | null | undefined): boolean {
  return !s || s.sh_type === SHT_NOBITS || r.has(s.sh_offset, s.sh_size);
}

/** Whether a symbol table and its string table both lie in the file. */
function tableInFile(r: Reader, t: SymbolTable, sections: SectionHeader[]): boolean {
  return inFile(r, t.section) && inFile(r, t.section ? sections[t.section.sh_link] : undefined);
}

/** Most section × segment comparisons for the mapping (a file with 65,535 sections and 64 segments fits). */
export const MAX_MAPPING_PAIRS = 1 << 22;

// eslint-disable-next-line max-lines-per-function -- the ELF slice report built field by field in docs/report.md's order, as parseSlice does for Mach-O
function elfSlice(elf: ElfFile): ParsedSlice {
  const { header: h, reader: r, programHeaders: phdrs, sections, dynamic: dyn, notes } = elf;
  const interp = phdrs.some((p) => p.p_type === PT_INTERP);
  const fileType = elfFileType(h, interp, dyn);
  const { platform, minOS } = platformOf(elf);

  // The section-to-segment mapping compares every section with every
  // segment. Real files have tens of segments, so a product past the cap
  // means forged counts (20,000 program headers × 2,000 sections took 20 s
  // and a 21 MB report); the mapping is then left out, with a warning.
  const mapped = phdrs.length * sections.length <= MAX_MAPPING_PAIRS;
  if (!mapped) {
    elf.problems.warn(
      `section-to-segment mapping left out: ${phdrs.length} program headers × ${sections.length} sections is more than binlens compares (${MAX_MAPPING_PAIRS})`,
    );
  }
  // Each program header's sections.
  const inSegment = mapped ? phdrs.map((p) => sections.filter((s) => s.index !== 0 && sectionInSegment(s, p))) : null;
  const segments: Segment[] = phdrs.map((p, i) => {
    const type = ptName(p.p_type, h.e_machine);
    return {
      name: type,
      address: hex(p.p_vaddr),
      size: p.p_memsz,
      offset: hex(p.p_offset),
      fileSize: p.p_filesz,
      perms: permString(p.p_flags),
      type,
      ...(inSegment ? { sections: inSegment[i]!.map((s) => s.name) } : {}),
    };
  });
  const sectionRows: Section[] = sections
    .filter((s) => s.index !== 0)
    .map((s) => ({
      name: s.name,
      segment: '',
      address: hex(s.sh_addr),
      size: s.sh_size,
      offset: hex(s.sh_offset),
      type: shtName(s.sh_type, h.e_machine),
      flags: shFlagLetters(s.sh_flags, h.e_machine, h.ei_osabi),
    }));

  const libraries = dyn ? [...dyn.needed] : [];
  const libraryDetails: Library[] = libraries.map((name) => ({ name, kind: 'needed' }));
  const rpathDetails: Rpath[] = dyn ? dyn.rpaths.map((p) => ({ path: p.path, source: p.source })) : [];

  // Imports and exports come from .dynsym: what the dynamic linker binds.
  const imports: Import[] = [];
  let exports = 0;
  const dynamicCounts = { defined: 0, undefined: 0 };
  if (elf.dynsym) {
    const t = elf.dynsym;
    const strtab = t.strtab;
    for (let i = 1; i < t.count; i++) {
      const s = elf.problems.try(() => readSymbol(t, i), null);
      if (!s) break;
      if (isDefined(s)) {
        // Only counted: its name is checked (the same problems as reading it) and peeked at, not decoded.
        const names = t.checkName(i, elf.problems) && s.st_name !== 0 ? strtab : null;
        const starts = (p: string) => names !== null && names.startsWith(s.st_name, p);
        if (!nmHides(h.e_machine, i, s.type, starts, names === null || names.startsWith(s.st_name, '\0'))) dynamicCounts.defined++;
        if (isExported(s)) exports++;
        continue;
      }
      s.name = t.nameOf(i, elf.problems);
      if (!nmHides(h.e_machine, i, s.type, (p) => (p.endsWith('\0') ? s.name === p.slice(0, -1) : s.name.startsWith(p)), s.name === '')) {
        dynamicCounts.undefined++;
      }
      const v = elf.versions.symbolVersion(i, false);
      const imp: Import = { name: s.name, library: v?.file ?? null, weak: s.bind === STB_WEAK };
      if (v) imp.version = v.name;
      imports.push(imp);
    }
  }

  const nmTable = elf.symtab;
  // A table (or its string table) that is not all in the file is not counted: llvm-nm cannot read it either.
  const counts =
    nmTable && tableInFile(r, nmTable, sections)
      ? elf.problems.try(() => countNmSymbols(h.e_machine, nmTable), { defined: 0, undefined: 0 })
      : { defined: 0, undefined: 0 };
  const features = elfFeatures(h, phdrs, dyn, notes, fileType === 'executable', symbolEvidence(elf));

  const report: SliceReport = {
    index: 0,
    offset: '0x0',
    size: r.length,
    arch: archName(h.e_machine, h.is64, h.littleEndian),
    cpu: { type: h.e_machine, subtype: 0, name: emName(h.e_machine) },
    bits: h.is64 ? 64 : 32,
    endian: h.littleEndian ? 'little' : 'big',
    fileType,
    fileTypeRaw: etName(h.e_type),
    platform,
    minOS,
    sdk: null,
    entry: h.e_entry === 0n ? null : hex(h.e_entry),
    linkage: elf.cuts.facts.has('linkage') ? 'unknown' : elfLinkage(phdrs, dyn),
    interpreter: elf.interpreter,
    libraries,
    libraryDetails,
    rpaths: rpathDetails.map((p) => p.path),
    rpathDetails,
    installName: dyn?.soname ?? null,
    uuid: null,
    buildId: notes.buildId,
    goBuildId: notes.goBuildId,
    segments,
    sections: sectionRows,
    symbols: {
      defined: counts.defined,
      undefined: counts.undefined,
      table: nmTable ? '.symtab' : null,
      ...(elf.dynsym ? { dynamic: dynamicCounts } : {}),
    },
    imports,
    exports,
    codeSignature: null,
    encryption: null,
    features,
    functionStarts: null,
    notes: notes.notes.map((n) => ({ owner: n.owner, type: n.type, description: n.description })),
    flags: dyn ? dynamicFlagNames(dyn) : [],
    stripped: elf.symtab === null,
  };
  const incomplete = elf.cuts.incomplete(report);
  if (incomplete) report.incomplete = incomplete;

  let rows: SymbolRow[] | null = null;
  let dynRows: SymbolRow[] | null = null;
  let mapping: { address: bigint; kind: 'code' | 'data' }[] | null = null;
  let unwind: UnwindFunctions | null = null;
  return {
    report,
    reader: r,
    image: elfImage(report, elf, inSegment),
    symbols: () => (rows ??= symbolRows(elf)),
    dynamicSymbols: () => (dynRows ??= dynamicSymbolRows(elf)),
    versionDefinitions: () => elf.versions.defs.filter((d) => !d.base).map((d) => d.name),
    functionStarts: () => [],
    unwindFunctions: () => (unwind ??= readUnwindFunctions(r, h, sections, phdrs, elf.map)),
    mappingSymbols: () => (mapping ??= mappingSymbols(elf)),
  };
}

/**
 * The slice as the loader maps it: PT_LOAD segments with the sections each holds (`inSegment`, per program header;
 * null when the mapping was left out), the sections, the dynamic relocations (read on first use).
 */
function elfImage(report: SliceReport, elf: ElfFile, inSegment: SectionHeader[][] | null): Image {
  const { header: h, reader: r, programHeaders: phdrs, sections } = elf;
  const real = sections.filter((s) => s.index !== 0);
  const at = new Map(real.map((s, i) => [s, i]));
  const loads: ImageLoad[] = phdrs
    .map((p, row) => ({ p, row }))
    .filter(({ p }) => p.p_type === PT_LOAD)
    .map(({ p, row }) => ({
      row,
      sections: inSegment ? inSegment[row]!.map((s) => at.get(s)!) : [],
      vaddr: p.p_vaddr,
      offset: p.p_offset,
      filesz: p.p_filesz,
      memsz: p.p_memsz,
      r: (p.p_flags & PF_R) !== 0,
      w: (p.p_flags & PF_W) !== 0,
      x: (p.p_flags & PF_X) !== 0,
    }));
  const imageSections: ImageSection[] = real.map((s) => ({
    name: s.name,
    segment: '',
    addr: s.sh_addr,
    offset: s.sh_offset,
    size: s.sh_size,
    nobits: s.sh_type === SHT_NOBITS,
    code: (s.sh_flags & BigInt(SHF_EXECINSTR)) !== 0n,
    instructions: (s.sh_flags & BigInt(SHF_EXECINSTR)) !== 0n,
    alloc: (s.sh_flags & BigInt(SHF_ALLOC)) !== 0n,
  }));
  const stack = phdrs.findIndex((p) => p.p_type === PT_GNU_STACK);
  return makeImage(
    'elf',
    report,
    r,
    loads,
    imageSections,
    () => readRelocations(r, h, sections),
    stack < 0 ? null : { row: stack, x: (phdrs[stack]!.p_flags & PF_X) !== 0 },
  );
}

/**
 * The rows llvm-nm lists: .symtab without the entries it hides (see
 * nmHides). llvm-nm does not fall back to .dynsym when .symtab is gone (it
 * prints "no symbols"), so a stripped file has no rows; its dynamic symbols
 * are in the report's imports and exports.
 */
function symbolRows(elf: ElfFile): SymbolRow[] {
  const t = elf.symtab;
  if (!t) return [];
  const { header: h, sections, versions, problems } = elf;
  const exported = new Set<string>();
  // `name@VER` → the library .dynsym's version index names for it: the version
  // name alone can be required from several libraries.
  const importedFrom = new Map<string, string>();
  const dynsym = elf.dynsym;
  if (dynsym) {
    for (let i = 1; i < dynsym.count; i++) {
      const s = readNamedSymbol(dynsym, i, problems);
      if (isExported(s)) exported.add(s.name);
      else if (!isDefined(s)) {
        const v = versions.symbolVersion(i, false);
        if (v?.file) importedFrom.set(`${s.name}@${v.name}`, v.file);
      }
    }
  }
  const known = new Set<string>();
  for (const n of versions.needs) for (const v of n.versions) known.add(v.name);
  for (const d of versions.defs) known.add(d.name);
  const sectionNames = sections.map((s) => s.name);
  const machine = h.e_machine;

  const rows: SymbolRow[] = [];
  for (let i = 1; i < t.count; i++) {
    const info = t.st_info(i);
    const type = info & 0xf;
    const bind = info >> 4;
    const full = t.nameOf(i, problems);
    if (nmHides(machine, i, type, (p) => (p.endsWith('\0') ? full === p.slice(0, -1) : full.startsWith(p)), full === '')) continue;
    // GNU ld (2.35 and later) writes versioned names into .symtab as `name@VER` or `name@@VER`.
    let name = full;
    let version: string | null = null;
    const at = full.indexOf('@');
    if (at > 0) {
      const v = full.slice(full[at + 1] === '@' ? at + 2 : at + 1);
      if (known.has(v)) {
        version = v;
        name = full.slice(0, at);
      }
    }
    const raw = t.rawShndx(i);
    const shndx = raw === SHN_XINDEX ? t.st_shndx(i) : raw;
    const defined = raw !== 0;
    rows.push({
      name,
      ...(name !== full ? { rawName: full } : {}),
      address: defined ? t.st_value(i) : null,
      size: t.sizeNumber(i),
      defined,
      type: symbolTypeName(type, shndx),
      bind: symbolBindName(bind),
      section: symbolSectionName(raw, shndx, sectionNames),
      library: !defined && version !== null ? (importedFrom.get(`${name}@${version}`) ?? versions.fileOfVersion(version)) : null,
      version,
      exported: defined && bind !== 0 && exported.has(name),
    });
  }
  return rows;
}

/**
 * Every .dynsym entry but the null one, with its GNU version: what the dynamic
 * linker binds. The symbol view shows these when .symtab is gone.
 */
function dynamicSymbolRows(elf: ElfFile): SymbolRow[] {
  const t = elf.dynsym;
  if (!t) return [];
  const { versions, problems } = elf;
  const sectionNames = elf.sections.map((x) => x.name);
  const rows: SymbolRow[] = [];
  for (let i = 1; i < t.count; i++) {
    const s = problems.try(() => readNamedSymbol(t, i, problems), null);
    if (!s) break;
    // What `llvm-nm -D` hides: section and file symbols, mapping symbols.
    if (
      nmHides(elf.header.e_machine, i, s.type, (p) => (p.endsWith('\0') ? s.name === p.slice(0, -1) : s.name.startsWith(p)), s.name === '')
    )
      continue;
    const defined = isDefined(s);
    const v = versions.symbolVersion(i, defined);
    const raw = t.rawShndx(i);
    rows.push({
      name: s.name,
      address: defined ? t.st_value(i) : null,
      size: t.sizeNumber(i),
      defined,
      type: symbolTypeName(s.type, s.st_shndx),
      bind: symbolBindName(s.bind),
      section: symbolSectionName(raw, s.st_shndx, sectionNames),
      library: defined ? null : (v?.file ?? null),
      version: v?.name ?? null,
      exported: isExported(s),
    });
  }
  return rows;
}

/**
 * `$x`/`$d` (and ARM `$a`/`$t`) with an optional `.<anything>` suffix, in
 * address order (AAELF64 "Mapping symbols"). Only those in executable
 * sections: a `$d` in .rodata or .comment says nothing about the code stream.
 */
function mappingSymbols(elf: ElfFile): { address: bigint; kind: 'code' | 'data' }[] {
  const t = elf.symtab;
  const m = elf.header.e_machine;
  if (!t || !t.strtab || (m !== EM_AARCH64 && m !== EM_ARM)) return [];
  const strtab = t.strtab;
  const out: { address: bigint; kind: 'code' | 'data' }[] = [];
  for (let i = 1; i < t.count; i++) {
    const st_name = t.st_name(i);
    if (st_name === 0 || !strtab.startsWith(st_name, '$')) continue;
    const shndx = t.st_shndx(i);
    if (shndx === 0) continue;
    const sec = elf.sections[shndx];
    if (elf.sections.length > 0 && (!sec || (sec.sh_flags & BigInt(SHF_EXECINSTR)) === 0n)) continue;
    const name = elf.problems.try(() => strtab.get(st_name), '');
    const base = name.length > 2 && name[2] === '.' ? name.slice(0, 2) : name;
    let kind: 'code' | 'data' | null = null;
    if (base === '$x' || (m === EM_ARM && (base === '$a' || base === '$t'))) kind = 'code';
    else if (base === '$d') kind = 'data';
    if (kind) out.push({ address: t.st_value(i), kind });
  }
  out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return out;
}
