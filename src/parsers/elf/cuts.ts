// What of an ELF file lies past its end, structure by structure, and which
// report fields that leaves unknown. Read from the parsed headers, in the
// order Linux's loader meets them (fs/binfmt_elf.c load_elf_binary): program
// headers, PT_INTERP, the PT_LOAD segments; then what ld.so reads (the
// dynamic section and its strings) and what only tools read (sections).

import { Cuts, type Fact } from '../truncation.ts';
import type { Reader } from '../reader.ts';
import {
  DT_STRSZ,
  DT_STRTAB,
  ET_DYN,
  PF_X,
  PT_DYNAMIC,
  PT_INTERP,
  PT_LOAD,
  SHF_EXECINSTR,
  SHT_DYNSYM,
  SHT_NOBITS,
  SHT_NOTE,
  SHT_STRTAB,
  SHT_SYMTAB,
} from './constants.ts';
import type { DynamicInfo } from './dynamic.ts';
import { PHDR32_SIZE, PHDR64_SIZE, SHDR32_SIZE, SHDR64_SIZE, type ElfHeader } from './header.ts';
import { permString, type AddressMap, type ProgramHeader } from './program.ts';
import type { SectionHeader } from './sections.ts';

/** What the dynamic section decides (DT_NEEDED, DT_RUNPATH, DT_SONAME, DT_FLAGS, DT_SYMTAB, DT_FLAGS_1). */
const FROM_DYNAMIC: Fact[] = [
  'linkage',
  'libraries',
  'libraryDetails',
  'rpaths',
  'rpathDetails',
  'installName',
  'flags',
  'features',
  'imports',
  'exports',
];

/** Everything the program headers decide (PT_DYNAMIC among them): with them cut short, none of it is known. */
const FROM_PROGRAM_HEADERS: Fact[] = ['segments', 'interpreter', ...FROM_DYNAMIC, 'platform', 'minOS', 'buildId', 'notes', 'arm64'];

export function elfCuts(
  r: Reader,
  h: ElfHeader,
  phdrs: ProgramHeader[],
  sections: SectionHeader[],
  dynamic: DynamicInfo | null,
  map: AddressMap,
): Cuts {
  const cuts = new Cuts(0);
  // DF_1_PIE in DT_FLAGS_1 tells a PIE from a shared library (elfFileType).
  const dynFacts: Fact[] = h.e_type === ET_DYN ? [...FROM_DYNAMIC, 'fileType'] : FROM_DYNAMIC;

  const phsize = h.is64 ? PHDR64_SIZE : PHDR32_SIZE;
  if (h.e_phoff !== 0 && h.e_phnum > 0) {
    cuts.need(
      r,
      h.e_phoff,
      h.e_phnum * phsize,
      { kind: 'program-headers', what: 'program headers', field: 'e_phoff' },
      h.e_type === ET_DYN ? [...FROM_PROGRAM_HEADERS, 'fileType'] : FROM_PROGRAM_HEADERS,
    );
  }
  phdrs.forEach((p, i) => {
    if (p.p_type === PT_INTERP) {
      cuts.need(r, p.p_offset, p.p_filesz, { kind: 'interpreter', what: 'PT_INTERP', field: 'p_filesz' }, ['interpreter', 'platform']);
    } else if (p.p_type === PT_DYNAMIC) {
      cuts.need(r, p.p_offset, p.p_filesz, { kind: 'dynamic', what: 'PT_DYNAMIC', field: 'p_filesz' }, dynFacts);
    } else if (p.p_type === PT_LOAD && p.p_filesz > 0) {
      const what = `PT_LOAD (program header ${p.index}, ${permString(p.p_flags)})`;
      cuts.need(r, p.p_offset, p.p_filesz, { kind: 'segment', what, field: 'p_filesz', segment: i }, p.p_flags & PF_X ? ['arm64'] : []);
    }
  });

  // The dynamic section's strings (DT_NEEDED, DT_SONAME, DT_RUNPATH names) at DT_STRTAB.
  const strtab = dynamic?.get(DT_STRTAB);
  const strsz = dynamic?.get(DT_STRSZ);
  if (strtab !== undefined && strsz !== undefined && strsz <= BigInt(Number.MAX_SAFE_INTEGER)) {
    const off = map.offsetOf(strtab);
    if (off !== null && off + Number(strsz) > r.source.size - r.base)
      cuts.unknown('libraries', 'libraryDetails', 'rpaths', 'rpathDetails', 'installName');
  }

  const shsize = h.is64 ? SHDR64_SIZE : SHDR32_SIZE;
  if (h.e_shoff !== 0 && h.e_shnum > 0) {
    cuts.need(r, h.e_shoff, h.e_shnum * shsize, { kind: 'section-headers', what: 'section headers', field: 'e_shoff' }, [
      'sections',
      'symbols',
      'stripped',
      'arm64',
    ]);
  }
  const linkedFrom = new Map<number, number>();
  for (const s of sections) if (s.sh_type === SHT_SYMTAB || s.sh_type === SHT_DYNSYM) linkedFrom.set(s.sh_link, s.sh_type);
  for (const s of sections) {
    if (s.index === 0 || s.sh_type === SHT_NOBITS || s.sh_size === 0) continue;
    const facts = sectionFacts(s, linkedFrom.get(s.index));
    const what = `section [${s.index}] ${s.name || '(unnamed)'}`;
    if (!dynamic || dynamic.source !== 'SHT_DYNAMIC' || s.sh_offset !== dynamic.offset) {
      cuts.need(r, s.sh_offset, s.sh_size, { kind: 'section', what, field: 'sh_size' }, facts);
    } else {
      cuts.need(r, s.sh_offset, s.sh_size, { kind: 'section', what, field: 'sh_size' }, [...facts, ...dynFacts]);
    }
  }
  return cuts;
}

/** The report fields a section's contents decide. */
function sectionFacts(s: SectionHeader, linkedFrom: number | undefined): Fact[] {
  const facts: Fact[] = [];
  if (s.sh_type === SHT_SYMTAB) facts.push('symbols', 'features');
  if (s.sh_type === SHT_DYNSYM) facts.push('imports', 'exports', 'symbols', 'features');
  if (s.sh_type === SHT_STRTAB && linkedFrom === SHT_SYMTAB) facts.push('symbols', 'features');
  if (s.sh_type === SHT_STRTAB && linkedFrom === SHT_DYNSYM) facts.push('imports', 'exports', 'symbols', 'features');
  if (s.sh_type === SHT_NOTE) facts.push('notes', 'buildId', 'features', 'platform', 'minOS');
  if (s.sh_flags & BigInt(SHF_EXECINSTR)) facts.push('arm64');
  return facts;
}
