// llvm-objdump-19 -d over a whole file, as the oracle of the ARM64 agreement
// test and the benchmark. Output is cached under .cache/ keyed by the file's
// hash (gzip: the text of a 10 MB Go binary is ~100 MB). Fat Mach-O files
// are split with llvm-lipo first so every slice is printed in the same
// format as a thin file.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { normalizeLlvmText as normalize } from '../src/engine/tools/llvm.ts';
import { CORPUS, FIXTURES, hasCorpus } from './corpus.ts';

export const OBJDUMP = process.env.LLVM_OBJDUMP ?? 'llvm-objdump-19';
export const LIPO = process.env.LLVM_LIPO ?? 'llvm-lipo-19';
export const CACHE = resolve(import.meta.dirname ?? '.', '..', '.cache', 'arm64-objdump');

export function hasObjdump(): boolean {
  return spawnSync(OBJDUMP, ['--version']).status === 0;
}

/** ELF e_machine EM_AARCH64, Mach-O CPU_TYPE_ARM64 (thin), or a fat file (its arm64 slices are what the tests check). */
function looksArm64(b: Uint8Array): boolean {
  if (b.length < 20) return false;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, false) === 0x7f454c46) return dv.getUint16(18, b[5] !== 2) === 183;
  if (dv.getUint32(0, true) === 0xfeedfacf) return dv.getUint32(4, true) === 0x0100000c;
  const be = dv.getUint32(0, false);
  return be === 0xcafebabe || be === 0xcafebabf;
}

function head(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(64);
    return b.subarray(0, readSync(fd, b, 0, 64, 0));
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (st.isFile() && st.size >= 20) out.push(p);
  }
  return out;
}

/** Every arm64 (or fat) binary of the corpus, when present, and of the project's fixtures: [name, path]. */
export function arm64Binaries(): [string, string][] {
  const files: [string, string][] = [];
  if (hasCorpus) for (const f of readdirSync(join(CORPUS, 'bin')).sort()) files.push([f, join(CORPUS, 'bin', f)]);
  // fixtures/malformed is broken on purpose (llvm-objdump refuses most of it): test/malformed.test.ts covers it.
  for (const p of walk(FIXTURES)) if (!relative(FIXTURES, p).startsWith('malformed/')) files.push([relative(FIXTURES, p), p]);
  return files.filter(([, p]) => looksArm64(head(p)));
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
