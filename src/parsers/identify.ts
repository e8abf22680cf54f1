// Which format a file is, from its first bytes; and for files that are not
// ELF or Mach-O, what they look like instead, so the page can say why it
// cannot analyze them.

import type { ByteSource } from './reader.ts';
import type { Format } from '../report/types.ts';
import { withArticle } from '../text/article.ts';

export interface Identity {
  format: Format;
  /** Human name of what the file is ("ELF", "Mach-O universal", "PNG image", …). */
  kind: string;
  /** For non-binaries: one sentence on why binlens cannot analyze it. */
  reason: string;
}

const MH_MAGIC = 0xfeedface;
const MH_CIGAM = 0xcefaedfe;
const MH_MAGIC_64 = 0xfeedfacf;
const MH_CIGAM_64 = 0xcffaedfe;
const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;

interface Signature {
  bytes: number[];
  at?: number;
  kind: string;
  hint?: string;
}

// Common files people drop by mistake next to their binaries.
const SIGNATURES: Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: 'PNG image' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: 'PDF document' },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    kind: 'ZIP archive',
    hint: 'Unzip it and drop the binary inside (a .jar, .whl, .apk, .ipa or .xcarchive is a ZIP too).',
  },
  {
    bytes: [0x1f, 0x8b],
    kind: 'gzip-compressed data',
    hint: 'Decompress it first (for an npm package: tar xzf the .tgz and drop package/bin/…).',
  },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], kind: 'Zstandard-compressed data', hint: 'Decompress it first.' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], kind: 'XZ-compressed data', hint: 'Decompress it first.' },
  { bytes: [0x42, 0x5a, 0x68], kind: 'bzip2-compressed data', hint: 'Decompress it first.' },
  { bytes: [0x75, 0x73, 0x74, 0x61, 0x72], at: 257, kind: 'tar archive', hint: 'Extract it and drop the binary inside.' },
  {
    bytes: [0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e, 0x0a],
    kind: 'ar archive (static library or .deb)',
    hint: 'A static library holds object files; extract one with `ar x`.',
  },
  // A thin archive (GNU ar T, llvm-ar --thin) lists its members by path: the object files stay where they were.
  {
    bytes: [0x21, 0x3c, 0x74, 0x68, 0x69, 0x6e, 0x3e, 0x0a],
    kind: 'ar archive (thin static library)',
    hint: 'A thin archive only names its object files, which stay outside it: `ar t` lists them; drop those files instead.',
  },
  { bytes: [0x00, 0x61, 0x73, 0x6d], kind: 'WebAssembly module' },
  { bytes: [0x4d, 0x5a], kind: 'Windows PE/DOS executable', hint: 'binlens reads ELF and Mach-O; Windows binaries are not supported yet.' },
  {
    bytes: [0x78, 0x61, 0x72, 0x21],
    kind: 'xar archive (macOS .pkg)',
    hint: 'Expand it with `pkgutil --expand` and drop the binary inside.',
  },
  { bytes: [0x64, 0x65, 0x78, 0x0a], kind: 'Android DEX bytecode' },
];

function be32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export function identify(source: ByteSource): Identity {
  const head = source.read(0, Math.min(source.size, 512));
  if (head.length === 0) return { format: 'unknown', kind: 'empty file', reason: 'The file is empty (0 bytes).' };
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) {
    return { format: 'elf', kind: 'ELF', reason: '' };
  }
  if (head.length >= 4) {
    const m = be32(head, 0);
    if (m === MH_MAGIC || m === MH_CIGAM || m === MH_MAGIC_64 || m === MH_CIGAM_64) {
      return { format: 'macho', kind: 'Mach-O', reason: '' };
    }
    // 0xcafebabe is also a Java class file; `file` tells them apart by the
    // next word: a fat header's nfat_arch is small, a class file's version is >= 45.
    if ((m === FAT_MAGIC || m === FAT_MAGIC_64) && head.length >= 8) {
      const n = be32(head, 4);
      if (n > 0 && n <= 30) return { format: 'macho-fat', kind: 'Mach-O universal', reason: '' };
      if (m === FAT_MAGIC) {
        return {
          format: 'unknown',
          kind: 'Java class file',
          reason: 'This is compiled Java bytecode (magic 0xcafebabe with a class-file version), not a native executable.',
        };
      }
    }
  }
  for (const s of SIGNATURES) {
    const at = s.at ?? 0;
    if (head.length >= at + s.bytes.length && s.bytes.every((v, i) => head[at + i] === v)) {
      return {
        format: 'unknown',
        kind: s.kind,
        reason: `This is ${withArticle(s.kind)}, not an ELF or Mach-O binary.${s.hint ? ' ' + s.hint : ''}`,
      };
    }
  }
  if (head[0] === 0x23 && head[1] === 0x21) {
    const line = new TextDecoder().decode(head.subarray(0, Math.max(2, head.indexOf(0x0a)))).slice(0, 80);
    return {
      format: 'unknown',
      kind: 'script',
      reason: `This is a script (${line}), not a compiled binary: it runs through its interpreter.`,
    };
  }
  if (looksLikeText(head)) {
    return {
      format: 'unknown',
      kind: 'text',
      reason:
        'This is a text file, not a compiled binary: ELF files start with 7f 45 4c 46, Mach-O files with fe ed fa ce/cf or ca fe ba be.',
    };
  }
  const magic = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return {
    format: 'unknown',
    kind: 'unrecognized data',
    reason: `The file starts with ${magic}, which is neither an ELF (7f 45 4c 46) nor a Mach-O (fe ed fa ce/cf, ca fe ba be) header.`,
  };
}

function looksLikeText(b: Uint8Array): boolean {
  let printable = 0;
  for (const c of b) {
    if (c === 0) return false;
    if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f) || c >= 0x80) printable++;
  }
  return printable === b.length;
}
