// Decoder unit tests on words whose expected text is llvm-objdump-19's
// (`llvm-objdump -d --no-show-raw-insn`, comments and annotations removed),
// recorded from LLVM 19 for the whole PAC/BTI family, the complete HINT
// space, and the aliases LLVM prefers. Each table is decoded at address
// 4 * index, as it was laid out for llvm-objdump (PC-relative targets).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { MNEMONICS_FILE, namesLine } from '../src/engine/tools/gen-mnemonics.ts';
import { rng } from './rng.ts';

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
  engine.setSyntax('llvm');
});

function check(table: [number, string][]): void {
  const got = table.map(([w], i) => engine.decodeOne(w, BigInt(i * 4)).text);
  expect(got).toEqual(table.map(([, t]) => t));
}

// Every pointer-authentication instruction (FEAT_PAuth and FEAT_PAuth_LR) and BTI.
const PAC: [number, string][] = [
  [0xd503233f, 'paciasp'],
  [0xd503237f, 'pacibsp'],
  [0xd50323bf, 'autiasp'],
  [0xd50323ff, 'autibsp'],
  [0xd503231f, 'paciaz'],
  [0xd503235f, 'pacibz'],
  [0xd503239f, 'autiaz'],
  [0xd50323df, 'autibz'],
  [0xd503211f, 'pacia1716'],
  [0xd503215f, 'pacib1716'],
  [0xd503219f, 'autia1716'],
  [0xd50321df, 'autib1716'],
  [0xd50320ff, 'xpaclri'],
  [0xdac10020, 'pacia\tx0, x1'],
  [0xdac10420, 'pacib\tx0, x1'],
  [0xdac10820, 'pacda\tx0, x1'],
  [0xdac10c20, 'pacdb\tx0, x1'],
  [0xdac11020, 'autia\tx0, x1'],
  [0xdac11420, 'autib\tx0, x1'],
  [0xdac11820, 'autda\tx0, x1'],
  [0xdac11c20, 'autdb\tx0, x1'],
  [0xdac123e0, 'paciza\tx0'],
  [0xdac127e0, 'pacizb\tx0'],
  [0xdac12be0, 'pacdza\tx0'],
  [0xdac12fe0, 'pacdzb\tx0'],
  [0xdac133e0, 'autiza\tx0'],
  [0xdac137e0, 'autizb\tx0'],
  [0xdac13be0, 'autdza\tx0'],
  [0xdac13fe0, 'autdzb\tx0'],
  [0xdac143e0, 'xpaci\tx0'],
  [0xdac147e0, 'xpacd\tx0'],
  [0x9ac13020, 'pacga\tx0, x1, x1'],
  [0xd65f0bff, 'retaa'],
  [0xd65f0fff, 'retab'],
  [0xd71f0820, 'braa\tx1, x0'],
  [0xd71f0c20, 'brab\tx1, x0'],
  [0xd61f083f, 'braaz\tx1'],
  [0xd61f0c3f, 'brabz\tx1'],
  [0xd73f0820, 'blraa\tx1, x0'],
  [0xd73f0c20, 'blrab\tx1, x0'],
  [0xd63f083f, 'blraaz\tx1'],
  [0xd63f0c3f, 'blrabz\tx1'],
  [0xd69f0bff, 'eretaa'],
  [0xd69f0fff, 'eretab'],
  [0xf8200420, 'ldraa\tx0, [x1]'],
  [0xf8a00420, 'ldrab\tx0, [x1]'],
  [0xf8200c20, 'ldraa\tx0, [x1, #0x0]!'],
  [0xf8a00c20, 'ldrab\tx0, [x1, #0x0]!'],
  [0xf87ff420, 'ldraa\tx0, [x1, #-0x8]'],
  [0xf83ffc20, 'ldraa\tx0, [x1, #0xff8]!'],
  [0xd503241f, 'bti'],
  [0xd503245f, 'bti\tc'],
  [0xd503249f, 'bti\tj'],
  [0xd50324df, 'bti\tjc'],
  [0xd50324ff, 'pacm'],
  [0xdac1a3fe, 'paciasppc'],
  [0xdac1a7fe, 'pacibsppc'],
  [0xdac183fe, 'pacnbiasppc'],
  [0xdac187fe, 'pacnbibsppc'],
  [0xdac1901e, 'autiasppcr\tx0'],
  [0xdac1941e, 'autibsppcr\tx0'],
  [0xd65f0be1, 'retaasppcr\tx1'],
  [0xd65f0fe1, 'retabsppcr\tx1'],
  [0x5500003f, 'retaasppc\t0xf8'],
  [0xf380003f, 'autiasppc\t0xfc'],
  [0xdac18bfe, 'pacia171615'],
  [0xdac18ffe, 'pacib171615'],
  [0xdac1bbfe, 'autia171615'],
  [0xdac1bffe, 'autib171615'],
];

// HINT #0..#127 (CRm:op2), including the PAC and BTI hints.
const HINT: [number, string][] = [
  [0xd503201f, 'nop'],
  [0xd503203f, 'yield'],
  [0xd503205f, 'wfe'],
  [0xd503207f, 'wfi'],
  [0xd503209f, 'sev'],
  [0xd50320bf, 'sevl'],
  [0xd50320df, 'dgh'],
  [0xd50320ff, 'xpaclri'],
  [0xd503211f, 'pacia1716'],
  [0xd503213f, 'hint\t#0x9'],
  [0xd503215f, 'pacib1716'],
  [0xd503217f, 'hint\t#0xb'],
  [0xd503219f, 'autia1716'],
  [0xd50321bf, 'hint\t#0xd'],
  [0xd50321df, 'autib1716'],
  [0xd50321ff, 'hint\t#0xf'],
  [0xd503221f, 'esb'],
  [0xd503223f, 'psb\tcsync'],
  [0xd503225f, 'tsb\tcsync'],
  [0xd503227f, 'gcsb\tdsync'],
  [0xd503229f, 'csdb'],
  [0xd50322bf, 'hint\t#0x15'],
  [0xd50322df, 'clrbhb'],
  [0xd50322ff, 'hint\t#0x17'],
  [0xd503231f, 'paciaz'],
  [0xd503233f, 'paciasp'],
  [0xd503235f, 'pacibz'],
  [0xd503237f, 'pacibsp'],
  [0xd503239f, 'autiaz'],
  [0xd50323bf, 'autiasp'],
  [0xd50323df, 'autibz'],
  [0xd50323ff, 'autibsp'],
  [0xd503241f, 'bti'],
  [0xd503243f, 'hint\t#0x21'],
  [0xd503245f, 'bti\tc'],
  [0xd503247f, 'hint\t#0x23'],
  [0xd503249f, 'bti\tj'],
  [0xd50324bf, 'hint\t#0x25'],
  [0xd50324df, 'bti\tjc'],
  [0xd50324ff, 'pacm'],
  [0xd503251f, 'chkfeat\tx16'],
  [0xd503253f, 'hint\t#0x29'],
  [0xd503255f, 'hint\t#0x2a'],
  [0xd503257f, 'hint\t#0x2b'],
  [0xd503259f, 'hint\t#0x2c'],
  [0xd50325bf, 'hint\t#0x2d'],
  [0xd50325df, 'hint\t#0x2e'],
  [0xd50325ff, 'hint\t#0x2f'],
  [0xd503261f, 'hint\t#0x30'],
  [0xd503263f, 'hint\t#0x31'],
  [0xd503265f, 'hint\t#0x32'],
  [0xd503267f, 'hint\t#0x33'],
  [0xd503269f, 'hint\t#0x34'],
  [0xd50326bf, 'hint\t#0x35'],
  [0xd50326df, 'hint\t#0x36'],
  [0xd50326ff, 'hint\t#0x37'],
  [0xd503271f, 'hint\t#0x38'],
  [0xd503273f, 'hint\t#0x39'],
  [0xd503275f, 'hint\t#0x3a'],
  [0xd503277f, 'hint\t#0x3b'],
  [0xd503279f, 'hint\t#0x3c'],
  [0xd50327bf, 'hint\t#0x3d'],
  [0xd50327df, 'hint\t#0x3e'],
  [0xd50327ff, 'hint\t#0x3f'],
  [0xd503281f, 'hint\t#0x40'],
  [0xd503283f, 'hint\t#0x41'],
  [0xd503285f, 'hint\t#0x42'],
  [0xd503287f, 'hint\t#0x43'],
  [0xd503289f, 'hint\t#0x44'],
  [0xd50328bf, 'hint\t#0x45'],
  [0xd50328df, 'hint\t#0x46'],
  [0xd50328ff, 'hint\t#0x47'],
  [0xd503291f, 'hint\t#0x48'],
  [0xd503293f, 'hint\t#0x49'],
  [0xd503295f, 'hint\t#0x4a'],
  [0xd503297f, 'hint\t#0x4b'],
  [0xd503299f, 'hint\t#0x4c'],
  [0xd50329bf, 'hint\t#0x4d'],
  [0xd50329df, 'hint\t#0x4e'],
  [0xd50329ff, 'hint\t#0x4f'],
  [0xd5032a1f, 'hint\t#0x50'],
  [0xd5032a3f, 'hint\t#0x51'],
  [0xd5032a5f, 'hint\t#0x52'],
  [0xd5032a7f, 'hint\t#0x53'],
  [0xd5032a9f, 'hint\t#0x54'],
  [0xd5032abf, 'hint\t#0x55'],
  [0xd5032adf, 'hint\t#0x56'],
  [0xd5032aff, 'hint\t#0x57'],
  [0xd5032b1f, 'hint\t#0x58'],
  [0xd5032b3f, 'hint\t#0x59'],
  [0xd5032b5f, 'hint\t#0x5a'],
  [0xd5032b7f, 'hint\t#0x5b'],
  [0xd5032b9f, 'hint\t#0x5c'],
  [0xd5032bbf, 'hint\t#0x5d'],
  [0xd5032bdf, 'hint\t#0x5e'],
  [0xd5032bff, 'hint\t#0x5f'],
  [0xd5032c1f, 'hint\t#0x60'],
  [0xd5032c3f, 'hint\t#0x61'],
  [0xd5032c5f, 'hint\t#0x62'],
  [0xd5032c7f, 'hint\t#0x63'],
  [0xd5032c9f, 'hint\t#0x64'],
  [0xd5032cbf, 'hint\t#0x65'],
  [0xd5032cdf, 'hint\t#0x66'],
  [0xd5032cff, 'hint\t#0x67'],
  [0xd5032d1f, 'hint\t#0x68'],
  [0xd5032d3f, 'hint\t#0x69'],
  [0xd5032d5f, 'hint\t#0x6a'],
  [0xd5032d7f, 'hint\t#0x6b'],
  [0xd5032d9f, 'hint\t#0x6c'],
  [0xd5032dbf, 'hint\t#0x6d'],
  [0xd5032ddf, 'hint\t#0x6e'],
  [0xd5032dff, 'hint\t#0x6f'],
  [0xd5032e1f, 'hint\t#0x70'],
  [0xd5032e3f, 'hint\t#0x71'],
  [0xd5032e5f, 'hint\t#0x72'],
  [0xd5032e7f, 'hint\t#0x73'],
  [0xd5032e9f, 'hint\t#0x74'],
  [0xd5032ebf, 'hint\t#0x75'],
  [0xd5032edf, 'hint\t#0x76'],
  [0xd5032eff, 'hint\t#0x77'],
  [0xd5032f1f, 'hint\t#0x78'],
  [0xd5032f3f, 'hint\t#0x79'],
  [0xd5032f5f, 'hint\t#0x7a'],
  [0xd5032f7f, 'hint\t#0x7b'],
  [0xd5032f9f, 'hint\t#0x7c'],
  [0xd5032fbf, 'hint\t#0x7d'],
  [0xd5032fdf, 'hint\t#0x7e'],
  [0xd5032fff, 'hint\t#0x7f'],
];

// Aliases LLVM prints instead of the underlying instruction, and their edges.
const ALIAS: [number, string][] = [
  [0xd2801168, 'mov\tx8, #0x8b'],
  [0x52800520, 'mov\tw0, #0x29'],
  [0x92800000, 'mov\tx0, #-0x1'],
  [0x12800000, 'mov\tw0, #-0x1'],
  [0x12bfffe0, 'movn\tw0, #0xffff, lsl #16'],
  [0xd2a00020, 'mov\tx0, #0x10000'],
  [0xf2a00020, 'movk\tx0, #0x1, lsl #16'],
  [0xd2e00020, 'mov\tx0, #0x1000000000000'],
  [0xb200f3fb, 'mov\tx27, #0x5555555555555555'],
  [0xb24053fb, 'mov\tx27, #0x1fffff'],
  [0x320003e0, 'orr\tw0, wzr, #0x1'],
  [0xaa0103e0, 'mov\tx0, x1'],
  [0x2a0103e0, 'mov\tw0, w1'],
  [0x910003fd, 'mov\tx29, sp'],
  [0x910003e0, 'mov\tx0, sp'],
  [0x11000000, 'add\tw0, w0, #0x0'],
  [0xaa2103e0, 'mvn\tx0, x1'],
  [0xaa2113e0, 'mvn\tx0, x1, lsl #4'],
  [0xeb01001f, 'cmp\tx0, x1'],
  [0x6b01001f, 'cmp\tw0, w1'],
  [0xab01001f, 'cmn\tx0, x1'],
  [0x2b01001f, 'cmn\tw0, w1'],
  [0xf100041f, 'cmp\tx0, #0x1'],
  [0x7100a87f, 'cmp\tw3, #0x2a'],
  [0xb100041f, 'cmn\tx0, #0x1'],
  [0x31000c1f, 'cmn\tw0, #0x3'],
  [0xea01001f, 'tst\tx0, x1'],
  [0x6a01001f, 'tst\tw0, w1'],
  [0xf200001f, 'tst\tx0, #0x100000001'],
  [0x7200001f, 'tst\tw0, #0x1'],
  [0xeb21c01f, 'cmp\tx0, w1, sxtw'],
  [0xcb0103e0, 'neg\tx0, x1'],
  [0xeb0103e0, 'negs\tx0, x1'],
  [0xcb010be0, 'neg\tx0, x1, lsl #2'],
  [0xda0103e0, 'ngc\tx0, x1'],
  [0xfa0103e0, 'ngcs\tx0, x1'],
  [0xd37ff800, 'lsl\tx0, x0, #1'],
  [0xd341fc00, 'lsr\tx0, x0, #1'],
  [0x9341fc00, 'asr\tx0, x0, #1'],
  [0x53017c00, 'lsr\tw0, w0, #1'],
  [0x13017c00, 'asr\tw0, w0, #1'],
  [0x131f7c00, 'asr\tw0, w0, #31'],
  [0xd3441c20, 'ubfx\tx0, x1, #4, #4'],
  [0xd37c1c20, 'ubfiz\tx0, x1, #4, #8'],
  [0x93441c20, 'sbfx\tx0, x1, #4, #4'],
  [0x937c1c20, 'sbfiz\tx0, x1, #4, #8'],
  [0xb37c1c20, 'bfi\tx0, x1, #4, #8'],
  [0xb3441c20, 'bfxil\tx0, x1, #4, #4'],
  [0xb37c1fe0, 'bfi\tx0, xzr, #4, #8'],
  [0x93407c20, 'sxtw\tx0, w1'],
  [0x93401c20, 'sxtb\tx0, w1'],
  [0x93403c20, 'sxth\tx0, w1'],
  [0x13001c20, 'sxtb\tw0, w1'],
  [0x13003c20, 'sxth\tw0, w1'],
  [0x53001c20, 'uxtb\tw0, w1'],
  [0x53003c20, 'uxth\tw0, w1'],
  [0x9a9f17e0, 'cset\tx0, eq'],
  [0x1a9f17e0, 'cset\tw0, eq'],
  [0xda9f13e0, 'csetm\tx0, eq'],
  [0x9a811420, 'cinc\tx0, x1, eq'],
  [0xda811020, 'cinv\tx0, x1, eq'],
  [0xda811420, 'cneg\tx0, x1, eq'],
  [0x9a820420, 'csinc\tx0, x1, x2, eq'],
  [0xda820020, 'csinv\tx0, x1, x2, eq'],
  [0xda820420, 'csneg\tx0, x1, x2, eq'],
  [0x9b027c20, 'mul\tx0, x1, x2'],
  [0x9b02fc20, 'mneg\tx0, x1, x2'],
  [0x9b220c20, 'smaddl\tx0, w1, w2, x3'],
  [0x9ba27c20, 'umull\tx0, w1, w2'],
  [0x9b227c20, 'smull\tx0, w1, w2'],
  [0x9ba2fc20, 'umnegl\tx0, w1, w2'],
  [0x9b22fc20, 'smnegl\tx0, w1, w2'],
  [0x9b427c20, 'smulh\tx0, x1, x2'],
  [0x9bc27c20, 'umulh\tx0, x1, x2'],
  [0x1ac22020, 'lsl\tw0, w1, w2'],
  [0x1ac22420, 'lsr\tw0, w1, w2'],
  [0x1ac22820, 'asr\tw0, w1, w2'],
  [0x1ac22c20, 'ror\tw0, w1, w2'],
  [0x93c10c20, 'ror\tx0, x1, #0x3'],
  [0x13810c20, 'ror\tw0, w1, #0x3'],
  [0x93c20c20, 'extr\tx0, x1, x2, #0x3'],
  [0xdac00c20, 'rev\tx0, x1'],
  [0xdac00820, 'rev32\tx0, x1'],
  [0x5ac00820, 'rev\tw0, w1'],
  [0xdac00420, 'rev16\tx0, x1'],
  [0x00000000, 'udf\t#0x0'],
  [0x0000ffff, 'udf\t#0xffff'],
  [0x0fffffff, '<unknown>'],
];

describe('ARM64 decoder: text as llvm-objdump-19 prints it', () => {
  it('pointer authentication and BTI', () => check(PAC));
  it('the whole HINT space', () => check(HINT));
  it('preferred aliases', () => check(ALIAS));

  it('classifies PAC and BTI mnemonics for the listing and the scan', () => {
    for (const [w, text] of PAC) {
      const d = engine.decodeOne(w);
      const name = text.split('\t')[0]!;
      expect(engine.mnemonics[d.id]).toBe(name);
      expect(name === 'bti' ? engine.isBti(d.id) : engine.isPac(d.id)).toBe(true);
    }
    const nop = engine.decodeOne(0xd503201f);
    expect(engine.isPac(nop.id) || engine.isBti(nop.id)).toBe(false);
  });

  it('reports branch and literal targets', () => {
    expect(engine.decodeOne(0x94000000 | 0x10, 0x1000n)).toMatchObject({ text: 'bl\t0x1040', target: 0x1040n });
    expect(engine.decodeOne(0x17ffffff, 0x1000n)).toMatchObject({ text: 'b\t0xffc', target: 0xffcn });
    expect(engine.decodeOne(0x58000040, 0x1000n)).toMatchObject({ text: 'ldr\tx0, 0x1008', target: 0x1008n });
    expect(engine.decodeOne(0xd503201f, 0x1000n).target).toBeNull();
  });

  it('decoding never allocates (a literal or concatenation in a decoder would grow memory per word)', () => {
    let s = 0x9e3779b9;
    const words = new Uint8Array(1 << 20);
    const dv = new DataView(words.buffer);
    for (let i = 0; i < words.length; i += 4) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      dv.setUint32(i, s >>> 0, true);
    }
    engine.disasmTextOnly(words, 0n); // first use may size buffers
    const before = engine.memoryBytes;
    for (const syntax of ['llvm', 'apple'] as const) {
      engine.setSyntax(syntax);
      for (let k = 0; k < 4; k++) engine.disasmTextOnly(words, 0x1000n);
    }
    engine.setSyntax('llvm');
    expect(engine.memoryBytes).toBe(before);
  });

  it('the straight-line writers (fast.ts) print what the general decoders print', () => {
    // Each fast form and the encodings around it: random fields, with the
    // register and immediate values that select an alias made common.
    const forms: [number, number][] = [
      [0x7fe0ffe0, 0x2a0003e0],
      [0x7f000000, 0x2a000000], // MOV (register), other logical
      [0x1f800000, 0x11000000],
      [0x1f000000, 0x10000000],
      [0x1f000000, 0x11000000], // ADD/SUB/CMP imm, ADR/ADRP
      [0xbf800000, 0xb9000000],
      [0x3f000000, 0x39000000], // LDR/STR unsigned offset, all sizes and V
      [0x7e000000, 0x28000000],
      [0x3e000000, 0x28000000], // LDP/STP, all pairs
      [0x7c000000, 0x14000000],
      [0xfe000000, 0x54000000],
      [0x7e000000, 0x34000000], // B/BL, B.cond/BC.cond, CBZ/CBNZ
    ];
    const next = rng(0xfa57);
    const at = [0n, 0x400000n, 0x100003f00n, 0xfffffffffff00000n];
    let compared = 0;
    for (const syntax of ['llvm', 'apple'] as const) {
      engine.setSyntax(syntax);
      for (const [mask, value] of forms) {
        for (let i = 0; i < 4000; i++) {
          let w = ((next() & ~mask) | value) >>> 0;
          if (i % 4 === 1) w = (w | 0x3e0) >>> 0; // Rn = 31
          if (i % 4 === 2) w = (w | 31) >>> 0; // Rd/Rt = 31
          if (i % 8 === 3) w = (w & ~0x3ffc00) >>> 0; // immediate 0
          const address = at[i % at.length]!;
          engine.setFastDecode(false);
          const general = engine.decodeOne(w, address);
          engine.setFastDecode(true);
          const fast = engine.decodeOne(w, address);
          if (fast.text !== general.text || fast.id !== general.id || fast.target !== general.target) {
            expect({ word: w.toString(16), syntax, ...fast }).toEqual({ word: w.toString(16), syntax, ...general });
          }
          compared++;
        }
      }
    }
    engine.setSyntax('llvm');
    expect(compared).toBe(2 * forms.length * 4000);
  });

  it('the mnemonic name table is generated from enum Mn', () => {
    const source = readFileSync(MNEMONICS_FILE, 'utf8');
    expect(source).toContain(namesLine(source));
    expect(engine.mnemonics[0]).toBe('<unknown>');
  });
});
