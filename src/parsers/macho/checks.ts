// Consistency checks across a Mach-O image's load commands, the ones LLVM's
// MachOObjectFile makes before it accepts a file ("truncated or malformed
// object (…)") and Go's debug/macho makes in NewFile: tables that point past
// the symbol table or the file, sections outside their segment, commands of
// the wrong size or given twice. Each is recorded as an error with the
// command's offset; the rest of the image is still read.

import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import { ONCE_LINKEDIT, type MachImage } from './loader.ts';
import { isZerofill, MH_DSYM, MH_DYLIB, MH_DYLIB_STUB } from './constants.ts';

/** Commands whose size is fixed (loader.h), by name. */
const FIXED_SIZE: Record<string, number> = {
  LC_SYMTAB: 24,
  LC_DYSYMTAB: 80,
  LC_UUID: 24,
  LC_MAIN: 24,
  LC_DYLD_INFO: 48,
  LC_DYLD_INFO_ONLY: 48,
  LC_SOURCE_VERSION: 16,
  LC_CODE_SIGNATURE: 16,
  LC_SEGMENT_SPLIT_INFO: 16,
  LC_FUNCTION_STARTS: 16,
  LC_DATA_IN_CODE: 16,
  LC_DYLIB_CODE_SIGN_DRS: 16,
  LC_LINKER_OPTIMIZATION_HINT: 16,
  LC_DYLD_EXPORTS_TRIE: 16,
  LC_DYLD_CHAINED_FIXUPS: 16,
};

/** Commands an image may hold at most once (LLVM: "more than one … command"). */
const ONCE = new Set([
  'LC_SYMTAB',
  'LC_DYSYMTAB',
  'LC_UUID',
  'LC_MAIN',
  'LC_SOURCE_VERSION',
  'LC_ID_DYLIB',
  'LC_UNIXTHREAD',
  ...ONCE_LINKEDIT,
]);

// eslint-disable-next-line max-lines-per-function -- LLVM's checks on a Mach-O image (MachOObjectFile) one after another in its order, each a guarded error
export function checkImage(r: Reader, img: MachImage, problems: Problems): void {
  const at = (offset: number) => r.base + offset;
  const err = (offset: number, field: string, message: string, value?: number | bigint) =>
    problems.error(new FormatError(message, at(offset), field, value));
  const fileSize = r.source.size - r.base;

  const seen = new Map<string, number>();
  for (const c of img.commands) {
    const size = FIXED_SIZE[c.name];
    if (size !== undefined && c.cmdsize !== size)
      err(
        c.offset + 4,
        `${c.name}.cmdsize`,
        `${c.name} at ${hex(c.offset)}: cmdsize ${c.cmdsize}, but the command is ${size} bytes`,
        c.cmdsize,
      );
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    if (n === 2 && ONCE.has(c.name)) err(c.offset, c.name, `more than one ${c.name}: the first is used`);
  }
  const dyldInfo = img.commands.filter((x) => x.name === 'LC_DYLD_INFO' || x.name === 'LC_DYLD_INFO_ONLY');
  if (dyldInfo.length > 1)
    err(dyldInfo[1]!.offset, dyldInfo[1]!.name, 'more than one LC_DYLD_INFO or LC_DYLD_INFO_ONLY: the first is used');

  const ft = img.header.filetype;
  if ((ft === MH_DYLIB || ft === MH_DYLIB_STUB) && !img.idDylib)
    err(12, 'LC_ID_DYLIB', 'a dynamic library (MH_DYLIB) without LC_ID_DYLIB: it has no install name for dyld to record', ft);

  // LC_DYSYMTAB: its ranges of the symbol table, and its own tables in the file.
  const dcmd = img.commands.find((c) => c.name === 'LC_DYSYMTAB');
  const d = img.dysymtab;
  if (dcmd && d) {
    if (!img.symtab)
      err(dcmd.offset, 'LC_DYSYMTAB', 'LC_DYSYMTAB without an LC_SYMTAB: its symbol ranges index a table the file does not have');
    else {
      const nsyms = img.symtab.nsyms;
      for (const [i, n, what] of [
        ['ilocalsym', 'nlocalsym', 'local'],
        ['iextdefsym', 'nextdefsym', 'external'],
        ['iundefsym', 'nundefsym', 'undefined'],
      ] as const) {
        const first = d[i]!;
        const count = d[n]!;
        if (count === 0) continue;
        if (first > nsyms)
          err(
            dcmd.offset,
            `LC_DYSYMTAB.${i}`,
            `LC_DYSYMTAB ${i} ${first} (the first ${what} symbol) is past the ${nsyms} symbols of LC_SYMTAB`,
            first,
          );
        else if (first + count > nsyms)
          err(
            dcmd.offset,
            `LC_DYSYMTAB.${n}`,
            `LC_DYSYMTAB ${i} ${first} + ${n} ${count} runs past the ${nsyms} symbols of LC_SYMTAB`,
            count,
          );
      }
    }
    const is64 = img.header.is64;
    for (const [off, n, size, what] of [
      ['tocoff', 'ntoc', 8, 'table of contents'],
      ['modtaboff', 'nmodtab', is64 ? 56 : 52, 'module table'],
      ['extrefsymoff', 'nextrefsyms', 4, 'external reference table'],
      ['indirectsymoff', 'nindirectsyms', 4, 'indirect symbol table'],
      ['extreloff', 'nextrel', 8, 'external relocation table'],
      ['locreloff', 'nlocrel', 8, 'local relocation table'],
    ] as const) {
      const o = d[off]!;
      const count = d[n]!;
      if (count === 0) continue;
      if (o + count * size > fileSize)
        err(
          dcmd.offset,
          `LC_DYSYMTAB.${n}`,
          `LC_DYSYMTAB ${what}: ${count} entries of ${size} bytes at ${hex(o)} run past the end of the file (${hex(fileSize)})`,
          count,
        );
    }
  }

  // Segments and their sections (LLVM's parseSegmentLoadCommand).
  const noFileChecks = ft === MH_DYLIB_STUB || ft === MH_DSYM;
  for (const cmd of img.commands) {
    if (cmd.body.kind !== 'segment') continue;
    const s = cmd.body.segment;
    const where = cmd.offset;
    if (s.vmsize !== 0n && BigInt(s.filesize) > s.vmsize)
      err(
        where,
        `${s.cmd}.filesize`,
        `segment ${s.segname}: filesize ${hex(s.filesize)} is larger than vmsize ${hex(s.vmsize)}`,
        s.filesize,
      );
    for (const x of s.sections) {
      const name = `${x.segname},${x.sectname}`;
      const zerofill = isZerofill(x.type);
      if (!noFileChecks && !zerofill && x.size > BigInt(s.filesize))
        err(
          where,
          'section.size',
          `section ${name}: size ${hex(x.size)} is larger than its segment's filesize (${hex(s.filesize)})`,
          x.size,
        );
      else if (!noFileChecks && !zerofill && x.size !== 0n && BigInt(x.offset) + x.size > BigInt(fileSize)) {
        err(
          where,
          'section.offset',
          `section ${name}: offset ${hex(x.offset)} + size ${hex(x.size)} runs past the end of the file (${hex(fileSize)})`,
          x.offset,
        );
      }
      if (!noFileChecks && x.size !== 0n && x.addr < s.vmaddr)
        err(where, 'section.addr', `section ${name}: addr ${hex(x.addr)} is below its segment's vmaddr ${hex(s.vmaddr)}`, x.addr);
      else if (s.vmsize !== 0n && x.size !== 0n && x.addr + x.size > s.vmaddr + s.vmsize) {
        err(
          where,
          'section.addr',
          `section ${name}: addr ${hex(x.addr)} + size ${hex(x.size)} runs past its segment (${hex(s.vmaddr)} + ${hex(s.vmsize)})`,
          x.addr,
        );
      }
      if (x.nreloc !== 0 && x.reloff + x.nreloc * 8 > fileSize)
        err(where, 'section.reloff', `section ${name}: ${x.nreloc} relocations at ${hex(x.reloff)} run past the end of the file`, x.nreloc);
    }
  }
}
