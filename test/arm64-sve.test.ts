// SVE/SVE2 (sve.ts) and SME/SME2 (sme.ts): words recorded from
// llvm-objdump-19 (the SVE code of glibc's and busybox's string functions,
// aliases, patterns, wrapping register lists, ZA tiles and vectors), the
// decoder tables in sync with src/engine/spec/*.txt, and, when llvm-objdump-19
// and llvm-mc-19 are installed, random words of every top-level SVE and SME
// group and the SVE/SME words of every arm64 corpus file and fixture.
// src/engine/tools/check-sve.ts does the same with more words.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { hasLlvm } from '../src/engine/tools/llvm.ts';
import { mcInsns } from '../src/engine/tools/llvm-probe.ts';
import { GROUPS } from '../src/engine/tools/check-sve.ts';
import { TABLE_FILE, buildTables } from '../src/engine/tools/gen-sve.ts';
import { hasCorpus } from './corpus.ts';
import { arm64Binaries, hasObjdump, objdumpSlices } from './arm64-objdump.ts';

// word, llvm-objdump-19 -d --no-show-raw-insn text
const KNOWN: [number, string][] = [
  [0xa400a020, 'ld1b\t{ z0.b }, p0/z, [x1]'],
  [0xa401a421, 'ld1b\t{ z1.b }, p1/z, [x1, #0x1, mul vl]'],
  [0xa40fa0a3, 'ld1b\t{ z3.b }, p0/z, [x5, #-0x1, mul vl]'],
  [0xe401e061, 'st1b\t{ z1.b }, p0, [x3, #0x1, mul vl]'],
  [0xe40fe083, 'st1b\t{ z3.b }, p0, [x4, #-0x1, mul vl]'],
  [0x25221fe0, 'whilelo\tp0.b, xzr, x2'],
  [0x25221ce1, 'whilelo\tp1.b, x7, x2'],
  [0x04e0e3e0, 'cntd\tx0'],
  [0x0420e3e7, 'cntb\tx7'],
  [0x2518e3e0, 'ptrue\tp0.b'],
  [0x05203820, 'mov\tz0.b, w1'],
  [0xa4024421, 'ld1b\t{ z1.b }, p1/z, [x1, x2]'],
  [0xe4024401, 'st1b\t{ z1.b }, p1, [x0, x2]'],
  [0x0423e120, 'cntb\tx0, vl16, mul #0x4'],
  [0x04f0c3e0, 'incd\tz0.d'],
  [0x04a0fbe0, 'sqdecw\tx0, w0'],
  [0x25981880, 'cmpge\tp0.s, p6/z, z4.s, #-0x8'],
  [0x2519e000, 'ptrues\tp0.b, pow2'],
  [0x04613020, 'mov\tz0.d, z1.d'],
  [0x05a0c440, 'mov\tz0.s, p1/m, z2.s'],
  [0x05c00100, 'mov\tz0.s, #0x1ff'],
  [0x05c00000, 'dupm\tz0.s, #0x1'],
  [0x05000f00, 'orr\tz0.b, z0.b, #0x88'],
  [0x05800000, 'and\tz0.s, z0.s, #0x1'],
  [0x05502000, 'mov\tz0.h, p0/z, #0x0, lsl #8'],
  [0x05d0c000, 'fmov\tz0.d, p0/m, #2.00000000'],
  [0x05d05fff, 'mov\tz31.d, p0/m, #0xffffffffffffffff'],
  [0x2538c100, 'mov\tz0.b, #0x8'],
  [0x2578c000, 'mov\tz0.h, #0x0'],
  [0x2579c100, 'fmov\tz0.h, #3.00000000'],
  [0xa560e01f, 'ld4w\t{ z31.s, z0.s, z1.s, z2.s }, p0/z, [x0]'],
  [0xa560e01c, 'ld4w\t{ z28.s - z31.s }, p0/z, [x0]'],
  [0xa4002000, 'ld1rqb\t{ z0.b }, p0/z, [x0]'],
  [0xa4042021, 'ld1rqb\t{ z1.b }, p0/z, [x1, #0x40]'],
  [0x8400c000, 'prfb\tpldl1keep, p0, [x0, x0]'],
  [0x8400c006, 'prfb\t#0x6, p0, [x0, x0]'],
  [0x84400000, 'ld1sb\t{ z0.s }, p0/z, [x0, z0.s, sxtw]'],
  [0xc5e0c000, 'ld1d\t{ z0.d }, p0/z, [x0, z0.d, lsl #3]'],
  [0xe5c0a000, 'st1d\t{ z0.d }, p0, [z0.d]'],
  [0x85bf5c00, 'ldr\tz0, [x0, #-0x1, mul vl]'],
  [0xe58003e0, 'str\tp0, [sp]'],
  [0x85800000, 'ldr\tp0, [x0]'],
  [0x25424440, 'movs\tp0.b, p1/z, p2.b'],
  [0x25014640, 'not\tp0.b, p1/z, p2.b'],
  [0x2518e400, 'pfalse\tp0.b'],
  [0x2550c440, 'ptest\tp1, p2.b'],
  [0x2519f000, 'rdffr\tp0.b'],
  [0x252c9000, 'setffr'],
  [0x25104450, 'brka\tp0.b, p1/m, p2.b'],
  [0x25205c10, 'whilelo\t{ p0.b, p1.b }, x0, x0'],
  [0x25207810, 'ptrue\tpn8.b'],
  [0x65588000, 'fadd\tz0.h, p0/m, z0.h, #0.5'],
  [0x6588a020, 'fcvt\tz0.h, p0/m, z1.s'],
  [0x4522e000, 'aese\tz0.b, z0.b, z0.b'],
  [0x05202800, 'tbl\tz0.b, { z0.b, z1.b }, z0.b'],
  [0x04a243e0, 'index\tz0.s, #-0x1, #0x2'],
  [0x0422a420, 'adr\tz0.d, [z1.d, z2.d, sxtw #1]'],
  [0x05302020, 'mov\tz0.q, q1'],
  [0x05ff2020, 'mov\tz0.b, z1.b[63]'],
  [0x04008100, 'asr\tz0.b, p0/m, z0.b, #0x8'],
  [0x44a0c813, 'smullb\tz19.s, z0.h, z0.h[1]'],
  [0x45b1d9c0, 'histcnt\tz0.s, p6/z, z14.s, z17.s'],
  [0x45219908, 'match\tp8.b, p6/z, z8.b, z1.b'],
  [0x64a05000, 'fmlalt\tz0.h, z0.b, z0.b[0]'],
  [0x6420c000, 'fmlallbb\tz0.s, z0.b, z0.b[0]'],
  [0x04203c00, 'bsl\tz0.d, z0.d, z0.d, z0.d'],
  [0x2520c000, 'add\tz0.b, z0.b, #0x0'],
  [0x05e0a3e0, 'lasta\tx0, p0, z31.d'],
  [0x8440c3e0, 'ld1rb\t{ z0.s }, p0/z, [sp]'],
  [0x841fa000, 'ldnt1b\t{ z0.s }, p0/z, [z0.s]'],
  [0xc00800ff, 'zero\t{za}'],
  [0xc0080033, 'zero\t{za0.s,za1.s}'],
  [0xc0080005, 'zero\t{za0.d, za2.d}'],
  [0xc0080000, 'zero\t{}'],
  [0xc0480001, 'zero\t{ zt0 }'],
  [0x80800000, 'fmopa\tza0.s, p0/m, p0/m, z0.s, z0.s'],
  [0xa0800003, 'smopa\tza3.s, p0/m, p0/m, z0.b, z0.b'],
  [0xa1c00007, 'usmopa\tza7.d, p0/m, p0/m, z0.h, z0.h'],
  [0xc0000000, 'mov\tza0h.b[w12, 0], p0/m, z0.b'],
  [0xc082a023, 'mov\tz3.s, p0/m, za0v.s[w13, 1]'],
  [0xc0060000, 'mov\t{ z0.b, z1.b }, za0h.b[w12, 0x0:0x1]'],
  [0xe0810000, 'ld1w\t{za0h.s[w12, 0]}, p0/z, [x0, x1, lsl #2]'],
  [0xe01f0000, 'ld1b\t{za0h.b[w12, 0]}, p0/z, [x0]'],
  [0xe100000f, 'ldr\tza[w12, 15], [x0, #0xf, mul vl]'],
  [0xe11f8000, 'ldr\tzt0, [x0]'],
  [0xa0480000, 'ld1b\t{ z0.b, z1.b }, pn8/z, [x0, #-0x10, mul vl]'],
  [0xa1000010, 'ld1b\t{ z16.b, z24.b }, pn8/z, [x0, x0]'],
  [0xa01f8000, 'ld1b\t{ z0.b - z3.b }, pn8/z, [x0, xzr]'],
  [0xc1201be0, 'fmla\tza.s[w8, 0, vgx2], { z31.s, z0.s }, z0.s'],
  [0xc1a0a800, 'smax\t{ z0.s - z3.s }, { z0.s - z3.s }, z0.s'],
  [0xc04c13e0, 'movt\tx0, zt0[8]'],
  [0xc04f33e0, 'movt\tzt0[3, mul vl], z0'],
  [0xc1600800, 'smlal\tza.s[w8, 0x0:0x1, vgx2], { z0.h, z1.h }, z0.h'],
  [0xc1206000, 'smlall\tza.s[w11, 0x0:0x3,  vgx2], { z0.b, z1.b }, z0.b'],
  [0xc0860000, 'mov\t{ z0.s, z1.s }, za0h.s[w12, 0x0:0x1]'],
  [0xc120e000, 'fcvt\tz0.h, { z0.s, z1.s }'],
  [0xc1200000, 'smlall\tza.s[w8, 0x0:0x3,  vgx2], { z0.b, z1.b }, z0.b'],
  [0x04000000, 'add\tz0.b, p0/m, z0.b, z0.b'],
  [0x04adbeef, '<unknown>'],
  [0xc0000010, '<unknown>'],
];

/** SVE (op0 = 0010) or SME (op0 = 0000 with bit 31 set). */
export function isSveSmeWord(w: number): boolean {
  const op0 = (w >>> 25) & 15;
  return op0 === 2 || (op0 === 0 && w >>> 31 === 1);
}

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

describe('SVE and SME words print as llvm-objdump-19 prints them', () => {
  it.each(KNOWN.map(([w, t]) => [w.toString(16).padStart(8, '0'), t, w] as const))('%s %s', (_hex, want, w) => {
    expect(engine.decodeOne(w, 0n).text).toBe(want);
  });

  it('gives every decoded word the mnemonic id of its printed mnemonic', () => {
    for (const [w, t] of KNOWN) {
      const d = engine.decodeOne(w, 0n);
      const printed = t.split('\t')[0];
      if (t === '<unknown>') expect(d.id, t).toBe(0);
      else expect(engine.mnemonics[d.id], t).toBe(printed);
    }
  });

  it('the same text in Apple syntax (llvm-objdump prints SVE/SME operands alike for Mach-O)', () => {
    engine.setSyntax('apple');
    try {
      for (const [w, t] of KNOWN) expect(engine.decodeOne(w, 0n).text).toBe(t);
    } finally {
      engine.setSyntax('llvm');
    }
  });
});

describe('decoder tables', () => {
  it('sve_table.ts is generated from the current spec and mnemonic table', () => {
    expect(buildTables().source === readFileSync(TABLE_FILE, 'utf8'), 'run npx tsx src/engine/tools/gen-sve.ts').toBe(true);
  });
  it('every spec mnemonic has an id', () => {
    expect(buildTables().missing).toEqual([]);
  });
});

const N = 2000;
describe.skipIf(!hasLlvm())('random words of each SVE and SME group agree with llvm-objdump-19', () => {
  it.each(GROUPS.map((g) => [g.name, g.mask, g.value] as const))(
    '%s',
    (_name, mask, value) => {
      // xorshift32 seeded per group: reproducible
      let s = (mask ^ value ^ 0x2545f491) >>> 0 || 1;
      const words: number[] = [];
      for (let i = 0; i < N; i++) {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        words.push(((s & ~mask) | (value & mask)) >>> 0);
      }
      const want = mcInsns(words);
      const bad: string[] = [];
      words.forEach((w, i) => {
        const got = engine.decodeOne(w, 0n).text;
        if (got !== want[i]!.text && bad.length < 5) bad.push(`${w.toString(16).padStart(8, '0')} llvm: ${want[i]!.text} engine: ${got}`);
      });
      expect(bad).toEqual([]);
    },
    60_000,
  );
});

const haveObjdump = hasObjdump();
const arm64 = haveObjdump ? arm64Binaries() : [];

describe.skipIf(!haveObjdump || arm64.length === 0)('SVE/SME words of real binaries print as llvm-objdump-19 prints them', () => {
  let all = 0;
  it.each(arm64)(
    '%s',
    (name, path) => {
      const bytes = new Uint8Array(readFileSync(path));
      let total = 0;
      const bad: string[] = [];
      for (const slice of objdumpSlices(path, bytes)) {
        engine.setSyntax(slice.macho ? 'apple' : 'llvm');
        for (const l of slice.lines) {
          if (!isSveSmeWord(l.word)) continue;
          total++;
          const got = engine.decodeOne(l.word, l.address).text;
          if (got !== l.text && bad.length < 10) bad.push(`${l.word.toString(16).padStart(8, '0')} llvm: ${l.text} | engine: ${got}`);
        }
      }
      engine.setSyntax('llvm');
      all += total;
      if (total > 0) console.log(`sve/sme words ${name}: ${total}`);
      expect(bad).toEqual([]);
    },
    600_000,
  );

  it('found the SVE words of glibc and busybox', () => {
    // glibc 2.36+ and a static busybox carry the A64FX/SVE memcpy, memmove, memset variants
    expect(all).toBeGreaterThan(hasCorpus ? 200 : 0);
  });
});
