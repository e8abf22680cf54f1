// Call frame information in .eh_frame (LSB Core 5.0 "Exception Frames";
// DWARF 5 §6.4.1 as .eh_frame amends it): one FDE per function, covering
// [initial_location, initial_location + address_range). The unwinder needs
// it, so `strip` keeps it: in a stripped file the FDEs are where function
// starts and sizes come from once the symbols are gone.
//
// Only what function bounds need is read: each CIE's augmentation (for the
// FDE pointer encoding) and each FDE's two addresses. The CFA programs are
// not interpreted. Records are walked as LLVM's DWARFDebugFrame::parse walks
// them (llvm-dwarfdump --eh-frame): in order, up to a zero terminator or the
// end of the section, an FDE naming a CIE that precedes it.

import { FormatError, LimitError, Problems, hex, type Reader } from '../reader.ts';
import type { UnwindFunctions } from '../types.ts';
import { ET_REL, PT_GNU_EH_FRAME } from './constants.ts';
import type { ElfHeader } from './header.ts';
import type { AddressMap, ProgramHeader } from './program.ts';
import { tableReader, type SectionHeader } from './sections.ts';

// DW_EH_PE_* pointer encodings (LSB Core "DWARF Exception Header Encoding").
const DW_EH_PE_absptr = 0x00;
const DW_EH_PE_uleb128 = 0x01;
const DW_EH_PE_udata2 = 0x02;
const DW_EH_PE_udata4 = 0x03;
const DW_EH_PE_udata8 = 0x04;
const DW_EH_PE_sleb128 = 0x09;
const DW_EH_PE_sdata2 = 0x0a;
const DW_EH_PE_sdata4 = 0x0b;
const DW_EH_PE_sdata8 = 0x0c;
const DW_EH_PE_pcrel = 0x10;
const DW_EH_PE_datarel = 0x30;
const DW_EH_PE_omit = 0xff;

/**
 * Most FDEs read from one file. Each takes at least 16 bytes of the file, so
 * this is reached only by an .eh_frame of 64 MB or more; real programs have
 * up to about a million (a browser), and nothing is allocated from a count
 * the file claims.
 */
export const MAX_FDES = 1 << 22;

/** Longest augmentation string read; real ones are a few letters (`zPLR`, `zRB`). */
const MAX_AUGMENTATION = 64;

interface Cie {
  /** DW_EH_PE_* of FDE addresses ('R' augmentation; absptr without it). */
  fdeEncoding: number;
  /** The augmentation string starts with 'z': each FDE has an augmentation length. */
  z: boolean;
}

/** Where the records are: a reader over them and the address of their first byte. */
interface FrameData {
  r: Reader;
  address: bigint;
  source: 'eh_frame' | 'eh_frame_hdr';
}

/**
 * Function ranges from the FDEs of an ELF file's .eh_frame, found through
 * its section header or, without section headers, through PT_GNU_EH_FRAME's
 * eh_frame_ptr. Relocatable objects are skipped (their FDE addresses wait
 * for relocation). Malformed records are listed in `errors` and skipped.
 */
export function readUnwindFunctions(
  r: Reader,
  h: ElfHeader,
  sections: SectionHeader[],
  phdrs: ProgramHeader[],
  map: AddressMap,
): UnwindFunctions {
  const problems = new Problems();
  const out: UnwindFunctions = { source: null, count: 0, base: 0n, start: [], size: [], errors: [], warnings: [] };
  if (h.e_type !== ET_REL) {
    const data = problems.try(() => frameData(r, h, sections, phdrs, map, problems), null);
    if (data) {
      out.source = data.source;
      walk(data, h.is64, out, problems);
    }
  }
  out.errors = problems.errors.map((e) => ({ message: e.message, offset: hex(e.offset), field: e.field }));
  out.warnings = problems.warnings;
  return out;
}

function frameData(
  r: Reader,
  h: ElfHeader,
  sections: SectionHeader[],
  phdrs: ProgramHeader[],
  map: AddressMap,
  problems: Problems,
): FrameData | null {
  const sec = sections.find((s) => s.name === '.eh_frame' && s.sh_size > 0);
  if (sec) {
    if (!r.has(sec.sh_offset, sec.sh_size)) {
      problems.error(
        new FormatError(
          `.eh_frame: ${sec.sh_size} bytes at ${hex(sec.sh_offset)} run past the end of the file`,
          r.base + sec.sh_offset,
          '.eh_frame',
          sec.sh_size,
        ),
      );
      return null;
    }
    return { r: tableReader(r, sec.sh_offset, sec.sh_size, '.eh_frame'), address: sec.sh_addr, source: 'eh_frame' };
  }
  // No section header names it (sections stripped away): .eh_frame_hdr,
  // which PT_GNU_EH_FRAME maps, points at it (LSB Core ".eh_frame_hdr").
  const ph = phdrs.find((p) => p.p_type === PT_GNU_EH_FRAME);
  if (!ph || ph.p_filesz < 8) return null;
  r.check(ph.p_offset, ph.p_filesz, 'PT_GNU_EH_FRAME');
  const version = r.u8(ph.p_offset, '.eh_frame_hdr.version');
  if (version !== 1)
    throw new FormatError(`.eh_frame_hdr version ${version} (only 1 is defined)`, r.base + ph.p_offset, '.eh_frame_hdr.version', version);
  const enc = r.u8(ph.p_offset + 1, '.eh_frame_hdr.eh_frame_ptr_enc');
  const hdr = { r: r.sub(ph.p_offset, ph.p_filesz), address: ph.p_vaddr };
  const p = readPointer(hdr.r, 4, enc, h.is64, hdr.address + 4n, hdr.address, '.eh_frame_hdr.eh_frame_ptr');
  const at = map.offsetOf(p.value);
  if (at === null)
    throw new FormatError(
      `.eh_frame_hdr: eh_frame_ptr ${hex(p.value)} is not in the file`,
      r.base + ph.p_offset + 4,
      '.eh_frame_hdr.eh_frame_ptr',
      p.value,
    );
  // The records run to a zero terminator (the unwinder stops there) or the end of their segment.
  return {
    r: tableReader(r, at, Math.min(map.bytesAfter(p.value), r.remaining(at)), '.eh_frame'),
    address: p.value,
    source: 'eh_frame_hdr',
  };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// eslint-disable-next-line max-lines-per-function -- one pass over the CIEs and FDEs of .eh_frame with the bounds checks of each record, as the format lays them out
function walk(d: FrameData, is64: boolean, out: UnwindFunctions, problems: Problems): void {
  const { r } = d;
  const cies = new Map<number, Cie | null>();
  // Addresses are kept relative to the records' own address, as numbers: a
  // pc-relative pointer (nearly every FDE) is then its field's offset plus
  // the stored value, with no BigInt per record.
  out.base = d.address;
  const wrap = is64 ? 0 : 2 ** 32;
  const baseNum = Number(d.address);
  let at = 0;
  while (at + 4 <= r.length) {
    const start = at;
    let length = r.u32(at, '.eh_frame.length');
    at += 4;
    if (length === 0) break; // the terminator
    if (length === 0xffffffff) {
      // DWARF64 extended length; the CIE id/pointer stays 4 bytes in .eh_frame.
      if (!r.has(at, 8)) return problems.error(recordError(r, start, `extended length runs past the end of ${d.source}`, length));
      const n = r.u64(at, '.eh_frame.length');
      if (n > MAX_SAFE) return problems.error(recordError(r, start, `length ${hex(n)} is too large`, n));
      length = Number(n);
      at += 8;
    }
    const end = at + length;
    if (length < 4 || end > r.length) {
      // The rest cannot be framed: stop, as LLVM does.
      return problems.error(recordError(r, start, `length ${hex(length)} runs past the end of .eh_frame (${hex(r.length)} bytes)`, length));
    }
    const idAt = at;
    const id = r.u32(idAt, '.eh_frame.CIE_id');
    if (id === 0) {
      cies.set(
        start,
        problems.try(() => readCie(r, start, idAt + 4, end, is64, d.address), null),
      );
    } else if (out.count >= MAX_FDES) {
      problems.error(
        new LimitError(`more than ${MAX_FDES} FDEs in .eh_frame: the rest are not read`, r.base + start, '.eh_frame', MAX_FDES),
      );
      return;
    } else {
      // CIE_pointer: subtracted from its own offset, it gives the CIE's start.
      const cie = cies.get(idAt - id);
      if (cie === undefined) {
        problems.error(recordError(r, start, `FDE's CIE pointer ${hex(id)} does not lead to a CIE before it`, id, '.eh_frame.CIE_pointer'));
      } else if (cie !== null) {
        try {
          const field = idAt + 4;
          const enc = cie.fdeEncoding;
          let rel: number;
          let next: number;
          if (enc === (DW_EH_PE_pcrel | DW_EH_PE_sdata4)) {
            rel = field + r.i32(field, '.eh_frame.pc_begin');
            next = field + 4;
          } else {
            const begin = readPointer(r, field, enc, is64, d.address + BigInt(field), null, '.eh_frame.pc_begin');
            const v = is64 ? begin.value : BigInt.asUintN(32, begin.value);
            const delta = v - d.address;
            rel = delta > MAX_SAFE || delta < -MAX_SAFE ? NaN : Number(delta);
            next = begin.next;
          }
          // A 32-bit address space wraps around.
          if (wrap && !Number.isNaN(rel)) {
            const abs = baseNum + rel;
            if (abs >= wrap) rel -= wrap;
            else if (abs < 0) rel += wrap;
          }
          let size: number;
          if ((enc & 0x0f) === DW_EH_PE_sdata4) {
            size = r.i32(next, '.eh_frame.pc_range');
            if (size < 0) size = NaN;
            next += 4;
          } else if ((enc & 0x0f) === DW_EH_PE_udata4) {
            size = r.u32(next, '.eh_frame.pc_range');
            next += 4;
          } else {
            const range = readPointer(r, next, enc & 0x0f, is64, 0n, null, '.eh_frame.pc_range');
            size = range.value > MAX_SAFE ? NaN : Number(range.value);
            // (A negative sdata range reads as a huge unsigned one: NaN above.)
            next = range.next;
          }
          if (next > end) throw recordError(r, start, 'FDE addresses run past its end', length);
          out.start.push(rel);
          out.size.push(size);
          out.count++;
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
          problems.error(e);
        }
      }
      // A CIE that could not be read was reported once; its FDEs are skipped quietly.
    }
    at = end;
  }
}

function recordError(r: Reader, start: number, what: string, value: number | bigint, field = '.eh_frame'): FormatError {
  return new FormatError(`.eh_frame record at offset ${hex(start)}: ${what}`, r.base + start, field, value);
}

/** The CIE fields after its id (version onward), up to the FDE pointer encoding. */
function readCie(r: Reader, start: number, from: number, end: number, is64: boolean, base: bigint): Cie {
  const err = (what: string, value: number) => recordError(r, start, what, value, '.eh_frame.CIE');
  let at = from;
  const version = r.u8(at++, '.eh_frame.CIE.version');
  const aug = r.cstringEx(at, Math.min(MAX_AUGMENTATION, end - at), '.eh_frame.CIE.augmentation');
  if (aug.truncated) throw err('augmentation string is not terminated', version);
  at = aug.end + 1;
  if (version >= 4) at += 2; // address_size, segment_selector_size
  at = r.ulebn(at, '.eh_frame.CIE.code_alignment_factor').next;
  at = r.sleb(at, '.eh_frame.CIE.data_alignment_factor').next;
  at = version === 1 ? at + 1 : r.ulebn(at, '.eh_frame.CIE.return_address_register').next;
  const cie: Cie = { fdeEncoding: DW_EH_PE_absptr, z: false };
  let augEnd = -1;
  const s = aug.value;
  for (let i = 0; i < s.length; i++) {
    switch (s[i]) {
      case 'z': {
        if (i !== 0) throw err(`'z' is not the first augmentation character ("${s}")`, i);
        const n = r.ulebn(at, '.eh_frame.CIE.augmentation_length');
        at = n.next;
        augEnd = at + n.value;
        cie.z = true;
        break;
      }
      case 'L':
        at++; // LSDA encoding
        break;
      case 'P': {
        const enc = r.u8(at++, '.eh_frame.CIE.personality_encoding');
        at = readPointer(r, at, enc, is64, base + BigInt(at), null, '.eh_frame.CIE.personality').next;
        break;
      }
      case 'R':
        cie.fdeEncoding = r.u8(at++, '.eh_frame.CIE.fde_encoding');
        break;
      case 'S': // signal frame
      case 'B': // AArch64: return addresses signed with the B key
      case 'G': // AArch64: MTE-tagged frame
        break;
      default:
        throw err(`unknown augmentation character in "${s}"`, s.charCodeAt(i));
    }
  }
  if (augEnd >= 0 && at !== augEnd) throw err(`augmentation data ends at ${hex(at - from)}, its length says ${hex(augEnd - from)}`, augEnd);
  if (at > end) throw err('runs past its end', at);
  if (cie.fdeEncoding === DW_EH_PE_omit) throw err('FDE pointer encoding is DW_EH_PE_omit', DW_EH_PE_omit);
  return cie;
}

/**
 * A DW_EH_PE-encoded pointer at `at`: the value format in the low nibble,
 * how it applies in the high one — absolute, or relative to the pointer's
 * own address (`pc`) or to `data` (.eh_frame_hdr's start; datarel means
 * nothing inside .eh_frame). Text- and function-relative and aligned
 * pointers are not used by the FDEs of any linker binlens knows: errors.
 */
function readPointer(
  r: Reader,
  at: number,
  enc: number,
  is64: boolean,
  pc: bigint,
  data: bigint | null,
  field: string,
): { value: bigint; next: number } {
  let v: bigint;
  let next: number;
  switch (enc & 0x0f) {
    case DW_EH_PE_absptr:
      v = is64 ? r.u64(at, field) : BigInt(r.u32(at, field));
      next = at + (is64 ? 8 : 4);
      break;
    case DW_EH_PE_uleb128: {
      const l = r.uleb(at, field);
      v = l.value;
      next = l.next;
      break;
    }
    case DW_EH_PE_sleb128: {
      const l = r.sleb(at, field);
      v = l.value;
      next = l.next;
      break;
    }
    case DW_EH_PE_udata2:
      v = BigInt(r.u16(at, field));
      next = at + 2;
      break;
    case DW_EH_PE_udata4:
      v = BigInt(r.u32(at, field));
      next = at + 4;
      break;
    case DW_EH_PE_udata8:
      v = r.u64(at, field);
      next = at + 8;
      break;
    case DW_EH_PE_sdata2:
      v = BigInt((r.u16(at, field) << 16) >> 16);
      next = at + 2;
      break;
    case DW_EH_PE_sdata4:
      v = BigInt(r.i32(at, field));
      next = at + 4;
      break;
    case DW_EH_PE_sdata8:
      v = r.i64(at, field);
      next = at + 8;
      break;
    default:
      throw new FormatError(`${field}: unknown pointer encoding ${hex(enc)}`, r.base + at, field, enc);
  }
  // DW_EH_PE_indirect (0x80) says the value is where the pointer is stored
  // (a personality routine's GOT slot); the address itself is what is read.
  const app = enc & 0x70;
  if (app === DW_EH_PE_pcrel) v += pc;
  else if (app === DW_EH_PE_datarel && data !== null) v += data;
  else if (app !== 0) throw new FormatError(`${field}: pointer encoding ${hex(enc)} is not supported here`, r.base + at, field, enc);
  return { value: BigInt.asUintN(64, v), next };
}
