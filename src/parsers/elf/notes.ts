// Notes (gABI "Note Section"): owner-named records. binlens reads the GNU
// build id, ABI tag and property notes, Go's build id and the BSD/Android
// identity notes. Notes are read from PT_NOTE segments, or from SHT_NOTE
// sections when the file has no PT_NOTE (objects, stripped program headers).

import { FormatError, hex, type Problems, type Reader } from '../reader.ts';
import {
  EM_386,
  EM_AARCH64,
  EM_X86_64,
  GNU_ABI_TAG_OS,
  GNU_PROPERTY_1_NEEDED,
  GNU_PROPERTY_AARCH64_FEATURE_1_AND,
  GNU_PROPERTY_AARCH64_FEATURE_1_BTI,
  GNU_PROPERTY_AARCH64_FEATURE_1_GCS,
  GNU_PROPERTY_AARCH64_FEATURE_1_PAC,
  GNU_PROPERTY_AARCH64_FEATURE_PAUTH,
  GNU_PROPERTY_NO_COPY_ON_PROTECTED,
  GNU_PROPERTY_STACK_SIZE,
  GNU_PROPERTY_X86_FEATURE_1_AND,
  GNU_PROPERTY_X86_FEATURE_1_IBT,
  GNU_PROPERTY_X86_FEATURE_1_SHSTK,
  GNU_PROPERTY_X86_FEATURE_2_NEEDED,
  GNU_PROPERTY_X86_FEATURE_2_USED,
  GNU_PROPERTY_X86_ISA_1_NEEDED,
  GNU_PROPERTY_X86_ISA_1_USED,
  NT_GNU_ABI_TAG,
  NT_GNU_BUILD_ID,
  NT_GNU_GOLD_VERSION,
  NT_GNU_PROPERTY_TYPE_0,
  NT_GO_BUILDID,
  PT_NOTE,
  SHT_NOTE,
  noteTypeName,
} from './constants.ts';
import type { ElfHeader } from './header.ts';
import type { ProgramHeader } from './program.ts';
import type { SectionHeader } from './sections.ts';

export interface ElfNote {
  /** File offset of the note header. */
  at: number;
  /** Section name or `PT_NOTE` segment the note came from. */
  container: string;
  owner: string;
  n_type: number;
  /** readelf's name for the type, or hex. */
  type: string;
  descOffset: number;
  descsz: number;
  /** One line, in the spirit of readelf -n. */
  description: string;
}

export interface GnuProperties {
  /** GNU_PROPERTY_AARCH64_FEATURE_1_AND bits, or null when absent. */
  aarch64Feature1: number | null;
  /** GNU_PROPERTY_X86_FEATURE_1_AND bits, or null when absent. */
  x86Feature1: number | null;
  x86IsaNeeded: number | null;
  x86IsaUsed: number | null;
}

export interface NotesInfo {
  notes: ElfNote[];
  buildId: string | null;
  goBuildId: string | null;
  /** From NT_GNU_ABI_TAG or a BSD/Android identity note. */
  platform: string | null;
  minOS: string | null;
  /** Which note gave the platform (`NT_GNU_ABI_TAG`, …). */
  platformSource: string | null;
  properties: GnuProperties | null;
}

/** Cap on notes read from one container. */
export const MAX_NOTES = 4096;

/** What a file without notes says: nothing (a new object: readNotes fills it in). */
export function noNotes(): NotesInfo {
  return { notes: [], buildId: null, goBuildId: null, platform: null, minOS: null, platformSource: null, properties: null };
}

export function readNotes(r: Reader, h: ElfHeader, phdrs: ProgramHeader[], sections: SectionHeader[], problems: Problems): NotesInfo {
  const info = noNotes();
  const containers: { name: string; offset: number; size: number; align: bigint }[] = [];
  const noteSections = sections.filter((s) => s.sh_type === SHT_NOTE);
  const notePhdrs = phdrs.filter((p) => p.p_type === PT_NOTE);
  // Prefer sections (they carry names, as readelf -n shows them); else segments.
  if (noteSections.length > 0) {
    for (const s of noteSections)
      containers.push({ name: s.name || `section ${s.index}`, offset: s.sh_offset, size: s.sh_size, align: s.sh_addralign });
  } else {
    for (const p of notePhdrs) containers.push({ name: 'PT_NOTE', offset: p.p_offset, size: p.p_filesz, align: p.p_align });
  }
  for (const c of containers) {
    // Notes are 4-aligned, except 8-aligned ones (NT_GNU_PROPERTY_TYPE_0 in ELF64) in an 8-aligned container.
    const align = c.align === 8n ? 8 : 4;
    readNoteContainer(r, h, c, align, info, problems);
  }
  return info;
}

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;

function readNoteContainer(
  r: Reader,
  h: ElfHeader,
  c: { name: string; offset: number; size: number },
  align: number,
  info: NotesInfo,
  problems: Problems,
): void {
  let size = c.size;
  if (!r.has(c.offset, size)) {
    problems.error(new FormatError(`${c.name}: ${size} bytes at ${hex(c.offset)} run past the end of the file`, c.offset, c.name, size));
    size = r.remaining(c.offset);
  }
  let pos = 0;
  for (let n = 0; pos + 12 <= size; n++) {
    if (n >= MAX_NOTES) {
      problems.warn(`${c.name}: more than ${MAX_NOTES} notes; the rest are not read`);
      return;
    }
    const at = c.offset + pos;
    const namesz = r.u32(at, 'n_namesz');
    const descsz = r.u32(at + 4, 'n_descsz');
    const n_type = r.u32(at + 8, 'n_type');
    const descOff = alignUp(12 + namesz, align);
    const next = alignUp(descOff + descsz, align);
    if (descOff + descsz > size - pos) {
      problems.error(
        new FormatError(
          `${c.name}: note at ${hex(at)} (n_namesz ${namesz}, n_descsz ${descsz}) runs past its container`,
          at,
          'n_descsz',
          descsz,
        ),
      );
      return;
    }
    // The name includes its NUL; some producers omit it, so stop at either.
    const owner = namesz === 0 ? '' : r.fixedString(at + 12, namesz, 'note name');
    const note: ElfNote = {
      at,
      container: c.name,
      owner,
      n_type,
      type: noteTypeName(owner, n_type),
      descOffset: at + descOff,
      descsz,
      description: '',
    };
    note.description = problems.try(() => describe(r, h, note, info), `${descsz} bytes`);
    info.notes.push(note);
    if (next <= pos) return;
    pos += next;
  }
}

function hexBytes(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function describe(r: Reader, h: ElfHeader, note: ElfNote, info: NotesInfo): string {
  const { owner, n_type: type, descOffset: d, descsz } = note;
  const desc = () => r.bytes(d, descsz, 'note desc');
  if (owner === 'GNU') {
    if (type === NT_GNU_BUILD_ID) {
      const id = hexBytes(desc());
      info.buildId ??= id;
      return `Build ID: ${id}`;
    }
    if (type === NT_GNU_ABI_TAG && descsz >= 16) {
      const os = r.u32(d, 'NT_GNU_ABI_TAG os');
      const v = [r.u32(d + 4), r.u32(d + 8), r.u32(d + 12)].join('.');
      const known = GNU_ABI_TAG_OS[os];
      if (info.platform === null) {
        info.platform = known?.platform ?? null;
        info.minOS = v;
        info.platformSource = 'NT_GNU_ABI_TAG';
      }
      return `OS: ${known?.readelf ?? `Unknown OS ${os}`}, ABI: ${v}`;
    }
    if (type === NT_GNU_GOLD_VERSION) return `Version: ${r.fixedString(d, descsz, 'NT_GNU_GOLD_VERSION')}`;
    if (type === NT_GNU_PROPERTY_TYPE_0) return 'Properties: ' + gnuProperties(r, h, d, descsz, info);
  }
  if (owner === 'Go' && type === NT_GO_BUILDID) {
    const id = r.fixedString(d, descsz, 'Go build id');
    info.goBuildId ??= id;
    return `Go build ID: ${id}`;
  }
  if (owner === 'FreeBSD' && type === 1 && descsz >= 4) {
    // __FreeBSD_version: Mmm0pp (major, minor, patch level), e.g. 1302001 is 13.2.
    const v = r.u32(d, 'NT_FREEBSD_ABI_TAG');
    setPlatform(info, 'freebsd', `${Math.floor(v / 100000)}.${Math.floor(v / 1000) % 100}`, 'NT_FREEBSD_ABI_TAG');
    return `Version: ${v}`;
  }
  if (owner === 'NetBSD' && type === 1 && descsz >= 4) {
    // __NetBSD_Version__: MMmmrrpp00.
    const v = r.u32(d, 'NT_NETBSD_IDENT');
    setPlatform(info, 'netbsd', v > 100000000 ? `${Math.floor(v / 100000000)}.${Math.floor(v / 1000000) % 100}` : null, 'NT_NETBSD_IDENT');
    return `Version: ${v}`;
  }
  if (owner === 'OpenBSD' && type === 1) {
    setPlatform(info, 'openbsd', null, 'NT_OPENBSD_IDENT');
    return 'OpenBSD';
  }
  if (owner === 'Android' && type === 1 && descsz >= 4) {
    // The NDK's crtbegin writes the minimum API level the binary was built for.
    const api = r.u32(d, 'NT_ANDROID_TYPE_IDENT');
    setPlatform(info, 'android', String(api), 'NT_ANDROID_TYPE_IDENT');
    return `Android API level ${api}`;
  }
  if (descsz <= 64) return descsz === 0 ? '' : `description data: ${hexBytes(desc())}`;
  return `${descsz} bytes of description data`;
}

function setPlatform(info: NotesInfo, platform: string, minOS: string | null, source: string): void {
  // An OS identity note outranks the GNU ABI tag, which some BSD toolchains also write.
  if (info.platformSource === null || info.platformSource === 'NT_GNU_ABI_TAG') {
    info.platform = platform;
    info.minOS = minOS;
    info.platformSource = source;
  }
}

function bitList(v: number, names: [number, string][]): string {
  const out: string[] = [];
  let rest = v;
  for (const [bit, name] of names) {
    if (v & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(`<unknown: ${hex(rest >>> 0)}>`);
  return out.join(', ');
}

const X86_ISA: [number, string][] = [
  [1, 'x86-64-baseline'],
  [2, 'x86-64-v2'],
  [4, 'x86-64-v3'],
  [8, 'x86-64-v4'],
];

/**
 * NT_GNU_PROPERTY_TYPE_0 (Linux Extensions to gABI, "Program Property"): an
 * array of pr_type, pr_datasz, data, padded to 8 bytes in ELF64 and 4 in ELF32.
 */
function gnuProperties(r: Reader, h: ElfHeader, d: number, descsz: number, info: NotesInfo): string {
  const props: GnuProperties = info.properties ?? { aarch64Feature1: null, x86Feature1: null, x86IsaNeeded: null, x86IsaUsed: null };
  info.properties = props;
  const pad = h.is64 ? 8 : 4;
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; pos + 8 <= descsz && i < 1024; i++) {
    const pr_type = r.u32(d + pos, 'pr_type');
    const pr_datasz = r.u32(d + pos + 4, 'pr_datasz');
    const data = d + pos + 8;
    if (pr_datasz > descsz - pos - 8) {
      parts.push(`<corrupt GNU_PROPERTY_TYPE, size = ${hex(pr_datasz)}>`);
      break;
    }
    const word = pr_datasz >= 4 ? r.u32(data, 'pr_data') : null;
    if (pr_type === GNU_PROPERTY_AARCH64_FEATURE_1_AND && h.e_machine === EM_AARCH64 && word !== null) {
      props.aarch64Feature1 = word;
      parts.push(
        'AArch64 feature: ' +
          bitList(word, [
            [GNU_PROPERTY_AARCH64_FEATURE_1_BTI, 'BTI'],
            [GNU_PROPERTY_AARCH64_FEATURE_1_PAC, 'PAC'],
            [GNU_PROPERTY_AARCH64_FEATURE_1_GCS, 'GCS'],
          ]),
      );
    } else if (pr_type === GNU_PROPERTY_AARCH64_FEATURE_PAUTH && h.e_machine === EM_AARCH64) {
      parts.push(`AArch64 PAuth ABI: ${pr_datasz} bytes`);
    } else if (pr_type === GNU_PROPERTY_X86_FEATURE_1_AND && (h.e_machine === EM_X86_64 || h.e_machine === EM_386) && word !== null) {
      props.x86Feature1 = word;
      parts.push(
        'x86 feature: ' +
          bitList(word, [
            [GNU_PROPERTY_X86_FEATURE_1_IBT, 'IBT'],
            [GNU_PROPERTY_X86_FEATURE_1_SHSTK, 'SHSTK'],
          ]),
      );
    } else if (pr_type === GNU_PROPERTY_X86_ISA_1_NEEDED && word !== null) {
      props.x86IsaNeeded = word;
      parts.push('x86 ISA needed: ' + bitList(word, X86_ISA));
    } else if (pr_type === GNU_PROPERTY_X86_ISA_1_USED && word !== null) {
      props.x86IsaUsed = word;
      parts.push('x86 ISA used: ' + bitList(word, X86_ISA));
    } else if (pr_type === GNU_PROPERTY_X86_FEATURE_2_NEEDED || pr_type === GNU_PROPERTY_X86_FEATURE_2_USED) {
      parts.push(`x86 feature ${pr_type === GNU_PROPERTY_X86_FEATURE_2_USED ? 'used' : 'needed'}: ${word === null ? '?' : hex(word)}`);
    } else if (pr_type === GNU_PROPERTY_STACK_SIZE) {
      parts.push(`stack size: ${pr_datasz === 8 ? hex(r.u64(data)) : word === null ? '?' : hex(word)}`);
    } else if (pr_type === GNU_PROPERTY_NO_COPY_ON_PROTECTED) {
      parts.push('no copy on protected');
    } else if (pr_type === GNU_PROPERTY_1_NEEDED) {
      parts.push(`1_needed: ${word === null ? '?' : hex(word)}`);
    } else {
      parts.push(`<unknown type ${hex(pr_type)} data size ${hex(pr_datasz)}>`);
    }
    pos += 8 + alignUp(pr_datasz, pad);
  }
  return parts.join(', ');
}
