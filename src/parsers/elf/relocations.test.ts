// Dynamic and object-file relocations against llvm-readelf -r: every entry of every RELA and REL section, with
// its r_offset, r_info (symbol and type) and, for RELA, the addend of the base-relative ones.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBytes } from '../../../test/corpus.ts';
import { parseFile } from '../analyze.ts';
import { MemorySource } from '../reader.ts';

interface Entry {
  offset: bigint;
  info: bigint;
  addend: bigint | null;
}

/** llvm-readelf -r --wide: one line per entry, `Offset Info Type [Sym. Value] [Name + Addend | Addend]`. */
function readelfRelocations(path: string): Entry[] {
  const out = spawnSync('llvm-readelf-19', ['-r', '--wide', path], { encoding: 'utf8' }).stdout;
  const entries: Entry[] = [];
  let rela = false;
  for (const line of out.split('\n')) {
    const head = /^Relocation section '[^']+' at offset 0x[0-9a-f]+ contains \d+ entries:/.exec(line);
    if (head) {
      rela = / Addend$/.test(out.split('\n')[out.split('\n').indexOf(line) + 1] ?? '');
      continue;
    }
    const m = /^([0-9a-f]{8,16}) +([0-9a-f]{8,16}) +\S+(.*)$/.exec(line);
    if (!m) continue;
    const tail = m[3]!.trim();
    // RELA: the addend ends the line, `+ 7a0` / `- 10` after a symbol, or alone for a base-relative entry.
    const add = /(?:([+-]) )?([0-9a-f]+)$/.exec(tail);
    const addend = !rela ? null : add ? (add[1] === '-' ? -1n : 1n) * BigInt('0x' + add[2]) : 0n;
    entries.push({ offset: BigInt('0x' + m[1]), info: BigInt('0x' + m[2]), addend });
  }
  return entries;
}

const FILES = ['elf/bin/aarch64-glibc-pie-pacbti', 'elf/bin/x86_64-glibc-pie', 'elf/bin/armv7-bare.o', 'elf/bin/i386-static'];
const hasReadelf = spawnSync('llvm-readelf-19', ['--version']).status === 0;

describe.skipIf(!hasReadelf)('relocations', () => {
  for (const rel of FILES) {
    it(`${rel}: the entries llvm-readelf -r lists`, () => {
      const slice = parseFile(new MemorySource(fixtureBytes(rel))).slices[0]!;
      const is64 = slice.report.bits === 64;
      const ours = slice.image.relocations().map((r) => ({
        offset: r.offset,
        info: is64 ? (BigInt(r.symbol) << 32n) | BigInt(r.type) : (BigInt(r.symbol) << 8n) | BigInt(r.type),
        addend: r.addend,
      }));
      const theirs = readelfRelocations(join(FIXTURES, rel));
      expect(ours.map((r) => [r.offset, r.info])).toEqual(theirs.map((r) => [r.offset, r.info]));
      // Base-relative entries: the addend is the pointer the loader writes (Go's build info reads it).
      const relative = (e: Entry[]) => e.filter((x) => x.info >> (is64 ? 32n : 8n) === 0n).map((x) => x.addend);
      expect(relative(ours)).toEqual(relative(theirs));
    });
  }
  it('reads some: the fixtures have RELA and REL sections', () => {
    expect(readelfRelocations(join(FIXTURES, 'elf/bin/aarch64-glibc-pie-pacbti')).length).toBeGreaterThan(0);
    expect(readelfRelocations(join(FIXTURES, 'elf/bin/armv7-bare.o')).every((e) => e.addend === null)).toBe(true);
  });
});
