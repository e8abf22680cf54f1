// Writes tar archives for tests (ustar headers, GNU long names), so hostile
// and edge-case archives are made from code, not committed; zip archives come
// from zip-writer.mjs, which scripts/unit-images.mjs shares.

import { concat } from '../src/parsers/reader.ts';

export { zip } from './zip-writer.mjs';

export interface TarItem {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  data?: Uint8Array | string;
  linkname?: string;
  mode?: number;
}

const enc = new TextEncoder();

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, flag: string, linkname: string, mode: number): Uint8Array {
  const h = new Uint8Array(512);
  h.set(enc.encode(name).subarray(0, 100), 0);
  h.set(enc.encode(octal(mode, 8)), 100);
  h.set(enc.encode(octal(0, 8)), 108);
  h.set(enc.encode(octal(0, 8)), 116);
  h.set(enc.encode(octal(size, 12)), 124);
  h.set(enc.encode(octal(0, 12)), 136);
  h.set(enc.encode('        '), 148);
  h[156] = flag.charCodeAt(0);
  h.set(enc.encode(linkname).subarray(0, 100), 157);
  h.set(enc.encode('ustar\x0000'), 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.set(enc.encode(octal(sum, 7) + ' '), 148);
  return h;
}

function padded(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(b.length / 512) * 512);
  out.set(b);
  return out;
}

export function tar(items: TarItem[], { end = true } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const it of items) {
    const data = typeof it.data === 'string' ? enc.encode(it.data) : (it.data ?? new Uint8Array(0));
    const flag = { file: '0', dir: '5', symlink: '2', hardlink: '1' }[it.type ?? 'file'];
    if (enc.encode(it.name).length > 100) {
      const long = enc.encode(it.name + '\0');
      parts.push(header('././@LongLink', long.length, 'L', '', 0), padded(long));
    }
    parts.push(header(it.name, it.type === 'file' || !it.type ? data.length : 0, flag, it.linkname ?? '', it.mode ?? 0o755));
    if (!it.type || it.type === 'file') parts.push(padded(data));
  }
  if (end) parts.push(new Uint8Array(1024));
  return concat(parts);
}

export async function gzip(b: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([b as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/** An ar archive of [name, bytes] in the common (System V / Debian) layout: `!<arch>\n`, 60-byte headers, even-padded bodies; names up to 15 bytes. */
export function ar(items: [string, Uint8Array | string][]): Uint8Array {
  const parts: Uint8Array[] = [enc.encode('!<arch>\n')];
  for (const [name, raw] of items) {
    const data = typeof raw === 'string' ? enc.encode(raw) : raw;
    if (name.length > 15) throw new Error(`ar: name ${name} is longer than 15 bytes`);
    const field = (v: string, w: number) => v.padEnd(w, ' ');
    parts.push(
      enc.encode(
        `${field(`${name}/`, 16)}${field('0', 12)}${field('0', 6)}${field('0', 6)}${field('100644', 8)}${field(String(data.length), 10)}\`\n`,
      ),
    );
    parts.push(data);
    if (data.length & 1) parts.push(enc.encode('\n'));
  }
  return concat(parts);
}
