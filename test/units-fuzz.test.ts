// Hostile units, the bounded run: small units of every container kind binlens opens (tar, tar+gzip, zip stored and
// deflated, a GNU ar archive, a universal static library, a .deb, a wheel, a zipped signed app), each mutated a fixed
// number of times from a fixed seed (test/fuzz/rng.ts) — bytes flipped, header fields set to extremes, ranges cut,
// repeated or zeroed — and read as a unit. Every mutant must give a unit report (errors allowed: that is the clear
// error of a damaged archive), never an exception, and within a time bound. A failing case names its seed, unit and
// index: Rng.forCase(SEED, name, i) rebuilds it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/parsers/reader.ts';
import { unitFromSource } from '../src/units/unit.ts';
import { Rng } from './fuzz/rng.ts';
import { signedApp } from './signed-app.ts';
import { ar, gzip, tar, zip } from './tar-writer.ts';

const SEED = 20261207;
const CASES = Math.max(1, Math.round(40 * Number(process.env.FUZZ_SCALE ?? 1)));
/** CPU time one mutant of these few-KB units may take (an unmutated one takes milliseconds). */
const BOUND_MS = 4000;
const ROOT = resolve(import.meta.dirname, '..');
const file = (p: string) => new Uint8Array(readFileSync(resolve(ROOT, p)));

async function seeds(): Promise<[string, Uint8Array][]> {
  const elf = file('fixtures/elf/bin/aarch64-glibc-pie-pacbti');
  const lib = file('fixtures/elf/bin/aarch64-libversioned.so.1');
  const layer = tar([
    { name: 'usr/', type: 'dir' },
    { name: 'usr/bin/hello', data: elf },
    { name: 'usr/lib/libversioned.so.1', data: lib },
    { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
  ]);
  const data = await gzip(layer);
  const info = 'pkg-1.0.dist-info';
  return [
    ['hello.tar', layer],
    ['hello.tar.gz', data],
    [
      'hello.zip',
      zip([
        ['bin/hello', elf],
        ['lib/libversioned.so.1', lib],
      ]),
    ],
    [
      'hello-deflated.zip',
      zip(
        [
          ['bin/hello', elf],
          ['lib/libversioned.so.1', lib],
        ],
        true,
      ),
    ],
    [
      'libhello.a',
      ar([
        ['hello.o', file('fixtures/elf/bin/armv7-bare.o')],
        ['b.o', file('fixtures/elf/bin/mips-bare.o')],
      ]),
    ],
    ['libgreet.a', file('fixtures/units/lib/libgreet-universal.a')],
    [
      'hello_1.0_arm64.deb',
      ar([
        ['debian-binary', '2.0\n'],
        ['control.tar.gz', await gzip(tar([{ name: './control', data: 'Package: hello\n' }]))],
        ['data.tar.gz', data],
      ]),
    ],
    [
      'pkg-1.0-cp311-cp311-manylinux2014_aarch64.whl',
      zip(
        [
          ['pkg/_m.cpython-311-aarch64-linux-gnu.so', lib],
          [`${info}/WHEEL`, 'Wheel-Version: 1.0\nTag: cp311-cp311-manylinux2014_aarch64\n'],
        ],
        true,
      ),
    ],
    ['Hello.zip', zip([...(await signedApp())], true)],
  ];
}

const EXTREMES = [0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0xffffffff];

/** One mutation: the unit's bytes with one to four changes, as `rng` picks them. */
function mutant(original: Uint8Array, rng: Rng): Uint8Array {
  let b = original.slice();
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const at = rng.int(b.length);
    switch (rng.int(6)) {
      case 0: // a byte flipped
        b[at] = b[at]! ^ (1 << rng.int(8));
        break;
      case 1: {
        // a 32-bit field set to an extreme, either byte order (sizes, offsets, counts)
        const v = EXTREMES[rng.int(EXTREMES.length)]!;
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        if (at + 4 <= b.length) dv.setUint32(at, v, rng.chance(0.5));
        break;
      }
      case 2: // an ASCII digit field (tar and ar sizes are text) set to nines
        for (let i = at; i < Math.min(b.length, at + 1 + rng.int(11)); i++) if (b[i]! >= 0x30 && b[i]! <= 0x39) b[i] = 0x39;
        break;
      case 3: // cut short
        b = b.slice(0, at);
        break;
      case 4: {
        // a range repeated (a header copied over the next one)
        const len = Math.min(1 + rng.int(1024), b.length - at);
        const to = rng.int(b.length);
        b.copyWithin(to, at, at + len);
        break;
      }
      default: // a range zeroed
        b.fill(0, at, Math.min(b.length, at + 1 + rng.int(512)));
    }
    if (b.length === 0) break;
  }
  return b;
}

describe('hostile units: mutated archives of every kind give a report or a clear error, in bounded time', async () => {
  for (const [name, bytes] of await seeds()) {
    it(`${name}: ${CASES} mutants`, async () => {
      // The original first: it must read without errors, or the mutants prove nothing.
      expect((await unitFromSource(new MemorySource(bytes), name)).errors).toEqual([]);
      const slow: string[] = [];
      for (let i = 0; i < CASES; i++) {
        const m = mutant(bytes, Rng.forCase(SEED, name, i));
        const start = process.cpuUsage();
        let report;
        try {
          report = await unitFromSource(new MemorySource(m), name);
        } catch (e) {
          throw new Error(`${SEED}:${name}:${i} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, { cause: e });
        }
        const { user, system } = process.cpuUsage(start);
        if ((user + system) / 1000 > BOUND_MS) slow.push(`${SEED}:${name}:${i} took ${Math.round((user + system) / 1000)} ms of CPU`);
        expect(report.unitSchema).toBe(1);
        for (const e of report.errors) expect(typeof e).toBe('string');
      }
      expect(slow).toEqual([]);
    });
  }
});
