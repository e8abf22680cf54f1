// Go's build ID where a Mach-O file keeps it: Go's linker writes it as the
// first bytes of __TEXT,__text, `\xff Go build ID: "ID"\n \xff` (ELF files
// carry it in the .note.go.buildid note instead: elf/notes.ts). Read as
// cmd/internal/buildid does (readMacho, readRaw): the first 32 KB of the
// section, the quoted ID between the two markers.

import type { Reader } from '../reader.ts';

const PREFIX = [0xff, ...new TextEncoder().encode(' Go build ID: "')];
const END = [0x22, 0x0a, 0x20, 0xff]; // `"\n \xff`
/** cmd/internal/buildid reads this much of the section. */
const READ = 32 * 1024;
/** Build IDs are four base64 hashes and slashes, under 100 characters; a longer run is not one. */
const MAX_ID = 256;

function indexOf(hay: Uint8Array, needle: ArrayLike<number>, from = 0): number {
  const first = needle[0]!;
  for (let i = hay.indexOf(first, from); i !== -1 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** The Go build ID at the start of a text section, or null when there is none. */
export function goBuildIdInText(r: Reader, offset: number, size: number): string | null {
  const n = Math.min(size, READ, r.remaining(offset));
  if (n <= PREFIX.length) return null;
  const data = r.bytes(offset, n, '__text');
  const start = indexOf(data, PREFIX);
  if (start === -1) return null;
  const from = start + PREFIX.length;
  const end = indexOf(data.subarray(from, from + MAX_ID + END.length), END);
  if (end === -1) return null;
  // The ID is a Go quoted string; the ones the go command writes never need escapes.
  let id = '';
  for (const b of data.subarray(from, from + end)) {
    if (b < 0x20 || b > 0x7e || b === 0x5c) return null;
    id += String.fromCharCode(b);
  }
  return id;
}
