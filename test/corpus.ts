// Locates ../shared/corpus for golden tests. When it is absent the golden
// suites skip with one clear line instead of failing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = process.env.BINLENS_CORPUS ?? resolve(root, '..', 'shared', 'corpus');
export const hasCorpus = existsSync(join(CORPUS, 'bin'));
export const SKIP_MESSAGE = `golden tests skipped: no corpus at ${CORPUS} (../shared is absent)`;

if (!hasCorpus && !(globalThis as { __binlensCorpusWarned?: boolean }).__binlensCorpusWarned) {
  (globalThis as { __binlensCorpusWarned?: boolean }).__binlensCorpusWarned = true;
  console.warn(SKIP_MESSAGE);
}

/** Names of every file in corpus/bin, sorted. */
export function corpusFiles(): string[] {
  return hasCorpus ? readdirSync(join(CORPUS, 'bin')).sort() : [];
}

export function corpusBytes(name: string): Uint8Array {
  const b = readFileSync(join(CORPUS, 'bin', name));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Text of oracle/NAME.KIND (e.g. `readelf.txt`), or null when that oracle does not exist. */
export function oracle(name: string, kind: string): string | null {
  const p = join(CORPUS, 'oracle', `${name}.${kind}`);
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
}

export const FIXTURES = join(root, 'fixtures');
export function fixtureBytes(rel: string): Uint8Array {
  const b = readFileSync(join(FIXTURES, rel));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
