// llvm-objdump-19 -d over a whole file, as the oracle of the ARM64 agreement
// test and the benchmark. Output is cached under .cache/ keyed by the file's
// hash (gzip: the text of a 10 MB Go binary is ~100 MB). Fat Mach-O files
// are split with llvm-lipo first so every slice is printed in the same
// format as a thin file.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { normalizeLlvmText as normalize } from '../src/engine/tools/llvm.ts';

export const OBJDUMP = process.env.LLVM_OBJDUMP ?? 'llvm-objdump-19';
export const LIPO = process.env.LLVM_LIPO ?? 'llvm-lipo-19';
export const CACHE = resolve(import.meta.dirname ?? '.', '..', '.cache', 'arm64-objdump');

export function hasObjdump(): boolean {
  return spawnSync(OBJDUMP, ['--version']).status === 0;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One instruction line of llvm-objdump -d. */
export interface ObjdumpLine {
  address: bigint;
  word: number;
  /** Text with `//` comments and `<sym+off>` annotations removed. */
  text: string;
}

export interface ObjdumpSlice {
  /** `arm64` for thin files; the lipo arch name for a fat file's slice. */
  arch: string;
  /** Mach-O slices are printed in Apple syntax. */
  macho: boolean;
  lines: ObjdumpLine[];
}

function cached(key: string, produce: () => string): string {
  mkdirSync(CACHE, { recursive: true });
  const p = join(CACHE, `${key}.txt.gz`);
  if (existsSync(p)) return gunzipSync(readFileSync(p)).toString('latin1');
  const text = produce();
  writeFileSync(p, gzipSync(Buffer.from(text, 'latin1'), { level: 6 }));
  return text;
}

function objdumpText(path: string): string {
  return execFileSync(OBJDUMP, ['-d', path], { maxBuffer: 2 ** 31 }).toString('latin1');
}

// `  400210: d503245f     \tbti\tc`
const LINE = /^\s*([0-9a-f]+):\s([0-9a-f]{8})\s+\t(.*)$/;

export function parseObjdump(text: string): ObjdumpLine[] {
  const out: ObjdumpLine[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const m = LINE.exec(line);
    if (!m) continue;
    out.push({ address: BigInt('0x' + m[1]!), word: parseInt(m[2]!, 16) >>> 0, text: normalize(m[3]!) });
  }
  return out;
}

const FAT_MAGIC = [0xcafebabe, 0xcafebabf];

/** llvm-objdump's instructions for every arm64 slice of a file (cached). */
export function objdumpSlices(path: string, bytes: Uint8Array): ObjdumpSlice[] {
  const hash = sha256(bytes);
  const magicBE = bytes.length >= 4 ? ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0 : 0;
  const magicLE = bytes.length >= 4 ? ((bytes[3]! << 24) | (bytes[2]! << 16) | (bytes[1]! << 8) | bytes[0]!) >>> 0 : 0;
  const macho = magicLE === 0xfeedfacf || magicLE === 0xfeedface;
  if (!FAT_MAGIC.includes(magicBE)) {
    return [{ arch: 'arm64', macho, lines: parseObjdump(cached(hash, () => objdumpText(path))) }];
  }
  const info = execFileSync(LIPO, ['-archs', path]).toString().trim().split(/\s+/);
  const slices: ObjdumpSlice[] = [];
  for (const arch of info) {
    if (!arch.startsWith('arm64')) continue;
    const text = cached(`${hash}-${arch}`, () => {
      mkdirSync(CACHE, { recursive: true });
      const thin = join(CACHE, `${hash}-${arch}.thin`);
      execFileSync(LIPO, ['-thin', arch, '-output', thin, path]);
      return objdumpText(thin);
    });
    slices.push({ arch, macho: true, lines: parseObjdump(text) });
  }
  return slices;
}
