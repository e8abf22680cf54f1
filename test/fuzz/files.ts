// The inputs the fuzzer mutates: every fixture binary of the project, the
// e2e fixtures, and the shared corpus when it is present. Each has a stable
// key (`fixtures/elf/bin/x`, `corpus/x`) used in case ids and replays.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CORPUS, FIXTURES, hasCorpus } from '../corpus.ts';

export const ROOT = join(FIXTURES, '..');

export interface Input {
  key: string;
  path: string;
  size: number;
}

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else out.push(p);
  }
}

function isBinary(path: string): boolean {
  const b = readFileSync(path).subarray(0, 4);
  if (b.length < 4) return false;
  const be = b.readUInt32BE(0);
  return be === 0x7f454c46 || [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xcafebabf].includes(be);
}

/** Every fixture (fixtures/<area>/bin/*, e2e/fixtures/*) and corpus file that is an ELF or Mach-O file. */
export function allInputs(): Input[] {
  const paths: string[] = [];
  for (const area of existsSync(FIXTURES) ? readdirSync(FIXTURES).sort() : []) walk(join(FIXTURES, area, 'bin'), paths);
  walk(join(ROOT, 'e2e', 'fixtures'), paths);
  const out: Input[] = paths.filter(isBinary).map((p) => ({ key: relative(ROOT, p), path: p, size: statSync(p).size }));
  if (hasCorpus) {
    for (const name of readdirSync(join(CORPUS, 'bin')).sort()) {
      const p = join(CORPUS, 'bin', name);
      out.push({ key: `corpus/${name}`, path: p, size: statSync(p).size });
    }
  }
  return out;
}

/** Minimal glob: `*` within a path segment, `**` across segments; matched against the key. */
export function globMatch(pattern: string, key: string): boolean {
  const re = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${re}$`).test(key) || key.includes(pattern);
}

export function inputByKey(key: string): Input | undefined {
  return allInputs().find((i) => i.key === key || i.key.endsWith('/' + key));
}

export function readInput(i: Input): Uint8Array {
  const b = readFileSync(i.path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
