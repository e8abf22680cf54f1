// The fuzzer's unit target: archives, packages and bundles read by the unit walker (src/units) as `check` reads them.
// Seeds are small units of every container binlens opens — built here from the project's fixtures, fixtures/units'
// archives, and the hostile shapes the unit tests build (a `..` path, archives nested past the depth limit) — and a
// case is a pure function of (seed, unit, index) like a binary case (rng.ts). A case must give a unit report (a
// damaged archive's error in `errors` is the clear error), never an exception, within its CPU bound and without one
// allocation or heap growth past MEMORY_LIMIT (allocwatch.ts).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MemorySource } from '../../src/parsers/reader.ts';
import { unitFromSource } from '../../src/units/unit.ts';
import { signedApp } from '../signed-app.ts';
import { ar, gzip, tar, zip } from '../tar-writer.ts';
import { installAllocWatch, largestAllocation, resetAllocWatch } from './allocwatch.ts';
import { cpuMs, MEMORY_LIMIT } from './core.ts';
import { Rng } from './rng.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const file = (p: string) => new Uint8Array(readFileSync(resolve(ROOT, p)));

/** The unit seeds, by name (the name is the unit's file name: it decides how a wheel or a .deb is read). */
export async function unitSeeds(): Promise<[string, Uint8Array][]> {
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
  // Five archives, each inside the next: one level past the walker's depth limit once mutated or not.
  let nested: Uint8Array = tar([{ name: 'bin/hello', data: elf }]);
  for (let i = 0; i < 5; i++) nested = tar([{ name: `level${i}.tar`, data: nested }]);
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
    ['libgreet-mixed.a', file('fixtures/units/lib/libgreet-mixed.a')],
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
          ['pkg/_m.cpython-311-aarch64-linux-gnu.so', file('fixtures/units/lib/aarch64-ext-tls-atexit.so')],
          [`${info}/WHEEL`, 'Wheel-Version: 1.0\nTag: cp311-cp311-manylinux2014_aarch64\n'],
        ],
        true,
      ),
    ],
    ['Hello.zip', zip([...(await signedApp())], true)],
    [
      'climb.tar',
      tar([
        { name: 'ok/../../etc/passwd', data: 'x' },
        { name: 'bin/hello', data: elf },
      ]),
    ],
    ['nested.tar', nested],
  ];
}

const EXTREMES = [0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0xffffffff];

/** One mutant of a unit: one to four changes, as `rng` picks them. */
export function unitMutant(original: Uint8Array, rng: Rng): { bytes: Uint8Array; steps: string[] } {
  let b = original.slice();
  const steps: string[] = [];
  for (let n = 1 + rng.int(4); n > 0 && b.length > 0; n--) {
    const at = rng.int(b.length);
    switch (rng.int(6)) {
      case 0: // a bit flipped
        b[at] = b[at]! ^ (1 << rng.int(8));
        steps.push(`flip @${at}`);
        break;
      case 1: {
        // a 32-bit field set to an extreme, either byte order (sizes, offsets, counts)
        const v = EXTREMES[rng.int(EXTREMES.length)]!;
        const little = rng.chance(0.5);
        if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v, little);
        steps.push(`u32 @${at} = ${v} ${little ? 'le' : 'be'}`);
        break;
      }
      case 2: {
        // an ASCII digit field (tar and ar write sizes as text) set to nines
        const len = 1 + rng.int(11);
        for (let i = at; i < Math.min(b.length, at + len); i++) if (b[i]! >= 0x30 && b[i]! <= 0x39) b[i] = 0x39;
        steps.push(`nines @${at}+${len}`);
        break;
      }
      case 3: // cut short
        b = b.slice(0, at);
        steps.push(`cut @${at}`);
        break;
      case 4: {
        // a range copied over another (a header repeated)
        const len = Math.min(1 + rng.int(1024), b.length - at);
        const to = rng.int(b.length);
        b.copyWithin(to, at, at + len);
        steps.push(`copy @${at}+${len} → @${to}`);
        break;
      }
      default: {
        const len = 1 + rng.int(512);
        b.fill(0, at, Math.min(b.length, at + len));
        steps.push(`zero @${at}+${len}`);
      }
    }
  }
  return { bytes: b, steps };
}

export interface UnitCaseOutcome {
  id: string;
  steps: string[];
  ms: number;
  crash: string | null;
  memory: { flagged: boolean; largestAlloc: number; largestWhat: string; heapGrowth: number };
}

/** Case `index` of the unit `name`: its mutant read as a unit, timed in CPU, its allocations watched. */
export async function runUnitCase(name: string, original: Uint8Array, seed: number, index: number): Promise<UnitCaseOutcome> {
  const { bytes, steps } = unitMutant(original, Rng.forCase(seed, `unit/${name}`, index));
  installAllocWatch();
  resetAllocWatch();
  const before = process.memoryUsage();
  const c0 = process.cpuUsage();
  let crash: string | null = null;
  try {
    const r = await unitFromSource(new MemorySource(bytes), name);
    if (r.unitSchema !== 1 || !r.errors.every((e) => typeof e === 'string')) crash = 'not a unit report';
  } catch (e) {
    crash = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  const ms = cpuMs(c0);
  const after = process.memoryUsage();
  const alloc = largestAllocation();
  const heapGrowth = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  return {
    id: `${seed}:unit/${name}:${index}`,
    steps,
    ms,
    crash,
    memory: {
      flagged: alloc.bytes > MEMORY_LIMIT || heapGrowth > MEMORY_LIMIT,
      largestAlloc: alloc.bytes,
      largestWhat: alloc.what,
      heapGrowth,
    },
  };
}
