// FP/SIMD decoder groups (fpsimd.ts, advsimd.ts, simd_ldst.ts): known words
// in LLVM's generic syntax (ELF) and in the Apple syntax llvm-objdump uses for
// Mach-O, then, when llvm-objdump-19 is installed, random words of every
// encoding group compared with it (src/engine/tools/fuzz-simd.ts does the
// same with more words).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { hasLlvm } from '../src/engine/tools/llvm.ts';
import { SIMD_GROUPS, llvmTextsFor } from '../src/engine/tools/fuzz-simd.ts';

// word, llvm-objdump-19 text for an ELF object, for a Mach-O object
const KNOWN: [number, string, string][] = [
  [0x1e2e1000, 'fmov\ts0, #1.00000000', 'fmov\ts0, #1.00000000'],
  [0x1e781001, 'fmov\td1, #-0.12500000', 'fmov\td1, #-0.12500000'],
  [0x1ee7f002, 'fmov\th2, #31.00000000', 'fmov\th2, #31.00000000'],
  [0x1f420c20, 'fmadd\td0, d1, d2, d3', 'fmadd\td0, d1, d2, d3'],
  [0x1fe69ca4, 'fnmsub\th4, h5, h6, h7', 'fnmsub\th4, h5, h6, h7'],
  [0x1e251883, 'fdiv\ts3, s4, s5', 'fdiv\ts3, s4, s5'],
  [0x1e6b8949, 'fnmul\td9, d10, d11', 'fnmul\td9, d10, d11'],
  [0x1e61c020, 'fsqrt\td0, d1', 'fsqrt\td0, d1'],
  [0x1e63c020, 'fcvt\th0, d1', 'fcvt\th0, d1'],
  [0x1e634083, 'bfcvt\th3, s4', 'bfcvt\th3, s4'],
  [0x1e69c062, 'frint64x\td2, d3', 'frint64x\td2, d3'],
  [0x1e202008, 'fcmp\ts0, #0.0', 'fcmp\ts0, #0.0'],
  [0x1e622030, 'fcmpe\td1, d2', 'fcmpe\td1, d2'],
  [0x1e221423, 'fccmp\ts1, s2, #0x3, ne', 'fccmp\ts1, s2, #0x3, ne'],
  [0x1e623c20, 'fcsel\td0, d1, d2, lo', 'fcsel\td0, d1, d2, lo'],
  [0x9e42d020, 'scvtf\td0, x1, #0xc', 'scvtf\td0, x1, #0xc'],
  [0x1e198083, 'fcvtzu\tw3, s4, #0x20', 'fcvtzu\tw3, s4, #0x20'],
  [0x9e780020, 'fcvtzs\tx0, d1', 'fcvtzs\tx0, d1'],
  [0x1ee30062, 'ucvtf\th2, w3', 'ucvtf\th2, w3'],
  [0x9e660020, 'fmov\tx0, d1', 'fmov\tx0, d1'],
  [0x9eaf0062, 'fmov\tv2.d[1], x3', 'fmov.d\tv2[1], x3'],
  [0x9eae00a4, 'fmov\tx4, v5.d[1]', 'fmov.d\tx4, v5[1]'],
  [0x1e7e0020, 'fjcvtzs\tw0, d1', 'fjcvtzs\tw0, d1'],
  [0x1ee400c5, 'fcvtas\tw5, h6', 'fcvtas\tw5, h6'],
  [0x4e228420, 'add\tv0.16b, v1.16b, v2.16b', 'add.16b\tv0, v1, v2'],
  [0x4ea41c83, 'mov\tv3.16b, v4.16b', 'mov.16b\tv3, v4'],
  [0x0ea51c83, 'orr\tv3.8b, v4.8b, v5.8b', 'orr.8b\tv3, v4, v5'],
  [0x6e631c41, 'bsl\tv1.16b, v2.16b, v3.16b', 'bsl.16b\tv1, v2, v3'],
  [0x0e63b441, 'sqdmulh\tv1.4h, v2.4h, v3.4h', 'sqdmulh.4h\tv1, v2, v3'],
  [0x2e229c20, 'pmul\tv0.8b, v1.8b, v2.8b', 'pmul.8b\tv0, v1, v2'],
  [0x4e62cc20, 'fmla\tv0.2d, v1.2d, v2.2d', 'fmla.2d\tv0, v1, v2'],
  [0x0e22ec20, 'fmlal\tv0.2s, v1.2h, v2.2h', 'fmlal'],
  [0x4ea3dc41, 'famax\tv1.4s, v2.4s, v3.4s', 'famax.4s\tv1, v2, v3'],
  [0x4e421420, 'fadd\tv0.8h, v1.8h, v2.8h', 'fadd.8h\tv0, v1, v2'],
  [0x4e220020, 'saddl2\tv0.8h, v1.16b, v2.16b', 'saddl2.8h\tv0, v1, v2'],
  [0x2e621020, 'uaddw\tv0.4s, v1.4s, v2.4h', 'uaddw.4s\tv0, v1, v2'],
  [0x4e224020, 'addhn2\tv0.16b, v1.8h, v2.8h', 'addhn2.16b\tv0, v1, v2'],
  [0x0ee2e020, 'pmull\tv0.1q, v1.1d, v2.1d', 'pmull.1q\tv0, v1, v2'],
  [0x4e25e083, 'pmull2\tv3.8h, v4.16b, v5.16b', 'pmull2.8h\tv3, v4, v5'],
  [0x0ea2d020, 'sqdmull\tv0.2d, v1.2s, v2.2s', 'sqdmull.2d\tv0, v1, v2'],
  [0x4ea00820, 'rev64\tv0.4s, v1.4s', 'rev64.4s\tv0, v1'],
  [0x4e205820, 'cnt\tv0.16b, v1.16b', 'cnt.16b\tv0, v1'],
  [0x2e205820, 'mvn\tv0.8b, v1.8b', 'mvn.8b\tv0, v1'],
  [0x6e605820, 'rbit\tv0.16b, v1.16b', 'rbit.16b\tv0, v1'],
  [0x4ee09820, 'cmeq\tv0.2d, v1.2d, #0', 'cmeq.2d\tv0, v1, #0'],
  [0x0ef8e820, 'fcmlt\tv0.4h, v1.4h, #0.0', 'fcmlt.4h\tv0, v1, #0.0'],
  [0x4e212820, 'xtn2\tv0.16b, v1.8h', 'xtn2.16b\tv0, v1'],
  [0x2e613820, 'shll\tv0.4s, v1.4h, #16', 'shll.4s\tv0, v1, #16'],
  [0x0e216820, 'fcvtn\tv0.4h, v1.4s', 'fcvtn\tv0.4h, v1.4s'],
  [0x4e617820, 'fcvtl2\tv0.2d, v1.4s', 'fcvtl2\tv0.2d, v1.4s'],
  [0x7e616820, 'fcvtxn\ts0, d1', 'fcvtxn\ts0, d1'],
  [0x4ea16820, 'bfcvtn2\tv0.8h, v1.4s', 'bfcvtn2.8h\tv0, v1'],
  [0x4e61e820, 'frint32z\tv0.2d, v1.2d', 'frint32z.2d\tv0, v1'],
  [0x4ea1c820, 'urecpe\tv0.4s, v1.4s', 'urecpe.4s\tv0, v1'],
  [0x6e303820, 'uaddlv\th0, v1.16b', 'uaddlv.16b\th0, v1'],
  [0x4e30c820, 'fmaxnmv\th0, v1.8h', 'fmaxnmv.8h\th0, v1'],
  [0x6eb0f820, 'fminv\ts0, v1.4s', 'fminv.4s\ts0, v1'],
  [0x4e284820, 'aese\tv0.16b, v1.16b', 'aese.16b\tv0, v1'],
  [0x4e287862, 'aesimc\tv2.16b, v3.16b', 'aesimc.16b\tv2, v3'],
  [0x4e140420, 'dup\tv0.4s, v1.s[2]', 'dup.4s\tv0, v1[2]'],
  [0x4e080c60, 'dup\tv0.2d, x3', 'dup.2d\tv0, x3'],
  [0x4e1f1c20, 'mov\tv0.b[15], w1', 'mov.b\tv0[15], w1'],
  [0x6e0e7420, 'mov\tv0.h[3], v1.h[7]', 'mov.h\tv0[3], v1[7]'],
  [0x4e0e2c20, 'smov\tx0, v1.h[3]', 'smov.h\tx0, v1[3]'],
  [0x0e133c20, 'umov\tw0, v1.b[9]', 'umov.b\tw0, v1[9]'],
  [0x4e183c20, 'mov\tx0, v1.d[1]', 'mov.d\tx0, v1[1]'],
  [0x0e0c3c62, 'mov\tw2, v3.s[1]', 'mov.s\tw2, v3[1]'],
  [0x6f05e540, 'movi\tv0.2d, #0xff00ff00ff00ff00', 'movi.2d\tv0, #0xff00ff00ff00ff00'],
  [0x2f00e400, 'movi\td0, #0000000000000000', 'movi\td0, #0000000000000000'],
  [0x4f006640, 'movi\tv0.4s, #0x12, lsl #24', 'movi.4s\tv0, #0x12, lsl #24'],
  [0x6f00d640, 'mvni\tv0.4s, #0x12, msl #16', 'mvni.4s\tv0, #0x12, msl #16'],
  [0x4f00b420, 'orr\tv0.8h, #0x1, lsl #8', 'orr.8h\tv0, #0x1, lsl #8'],
  [0x2f0717e0, 'bic\tv0.2s, #0xff', 'bic.2s\tv0, #0xff'],
  [0x4f04f480, 'fmov\tv0.4s, #-2.50000000', 'fmov.4s\tv0, #-2.50000000'],
  [0x4f03fc00, 'fmov\tv0.8h, #0.50000000', 'fmov.8h\tv0, #0.50000000'],
  [0x4f400420, 'sshr\tv0.2d, v1.2d, #0x40', 'sshr.2d\tv0, v1, #0x40'],
  [0x0f0f5420, 'shl\tv0.8b, v1.8b, #0x7', 'shl.8b\tv0, v1, #0x7'],
  [0x6f0d8c20, 'sqrshrun2\tv0.16b, v1.8h, #0x3', 'sqrshrun2.16b\tv0, v1, #0x3'],
  [0x2f08a420, 'ushll\tv0.8h, v1.8b, #0x0', 'ushll.8h\tv0, v1, #0x0'],
  [0x4f3de420, 'scvtf\tv0.4s, v1.4s, #0x3', 'scvtf.4s\tv0, v1, #0x3'],
  [0x7f7f4420, 'sri\td0, d1, #0x1', 'sri\td0, d1, #0x1'],
  [0x7f0e9420, 'uqshrn\tb0, h1, #0x2', 'uqshrn\tb0, h1, #0x2'],
  [0x5f1bfc20, 'fcvtzs\th0, h1, #0x5', 'fcvtzs\th0, h1, #0x5'],
  [0x6f720820, 'mla\tv0.8h, v1.8h, v2.h[7]', 'mla.8h\tv0, v1, v2[7]'],
  [0x4fc21820, 'fmla\tv0.2d, v1.2d, v2.d[1]', 'fmla.2d\tv0, v1, v2[1]'],
  [0x4f3f9820, 'fmul\tv0.8h, v1.8h, v15.h[7]', 'fmul.8h\tv0, v1, v15[7]'],
  [0x4f522020, 'smlal2\tv0.4s, v1.8h, v2.h[1]', 'smlal2.4s\tv0, v1, v2[1]'],
  [0x5f723020, 'sqdmlal\ts0, h1, v2.h[3]', 'sqdmlal.h\ts0, h1, v2[3]'],
  [0x7fc29820, 'fmulx\td0, d1, v2.d[1]', 'fmulx.d\td0, d1, v2[1]'],
  [0x4fa2e820, 'sdot\tv0.4s, v1.16b, v2.4b[3]', 'sdot\tv0, v1, v2[3]'],
  [0x0f62f020, 'bfdot\tv0.2s, v1.4h, v2.2h[1]', 'bfdot\tv0, v1, v2[1]'],
  [0x6f623820, 'fcmla\tv0.8h, v1.8h, v2.h[3], #90', 'fcmla.8h\tv0, v1, v2[3], #90'],
  [0x6e82dc20, 'fcmla\tv0.4s, v1.4s, v2.4s, #270', 'fcmla.4s\tv0, v1, v2, #270'],
  [0x6ec2e420, 'fcadd\tv0.2d, v1.2d, v2.2d, #90', 'fcadd.2d\tv0, v1, v2, #90'],
  [0x2e829420, 'udot\tv0.2s, v1.8b, v2.8b', 'udot'],
  [0x4e82a420, 'smmla\tv0.4s, v1.16b, v2.16b', 'smmla'],
  [0x6ec2fc20, 'bfmlalt\tv0.4s, v1.8h, v2.8h', 'bfmlalt'],
  [0x6e828420, 'sqrdmlah\tv0.4s, v1.4s, v2.4s', 'sqrdmlah.4s\tv0, v1, v2'],
  [0x4e023820, 'zip1\tv0.16b, v1.16b, v2.16b', 'zip1.16b\tv0, v1, v2'],
  [0x4ec26820, 'trn2\tv0.2d, v1.2d, v2.2d', 'trn2.2d\tv0, v1, v2'],
  [0x6e027820, 'ext\tv0.16b, v1.16b, v2.16b, #0xf', 'ext.16b\tv0, v1, v2, #0xf'],
  [0x4e0343c0, 'tbl\tv0.16b, { v30.16b, v31.16b, v0.16b }, v3.16b', 'tbl.16b\tv0, { v30, v31, v0 }, v3'],
  [0x0e021020, 'tbx\tv0.8b, { v1.16b }, v2.8b', 'tbx.8b\tv0, { v1 }, v2'],
  [0x4e827020, 'luti2\tv0.16b, { v1.16b }, v2[3]', 'luti2\tv0.16b, { v1.16b }, v2[3]'],
  [0x4e433020, 'luti4\tv0.8h, { v1.8h, v2.8h }, v3[1]', 'luti4\tv0.8h, { v1.8h, v2.8h }, v3[1]'],
  [0x5ef1b820, 'addp\td0, v1.2d', 'addp.2d\td0, v1'],
  [0x5e30d820, 'faddp\th0, v1.2h', 'faddp.2h\th0, v1'],
  [0x7e70c820, 'fmaxnmp\td0, v1.2d', 'fmaxnmp.2d\td0, v1'],
  [0x5e1f0420, 'mov\tb0, v1.b[15]', 'mov\tb0, v1[15]'],
  [0x5e220c20, 'sqadd\tb0, b1, b2', 'sqadd\tb0, b1, b2'],
  [0x7ee23c20, 'cmhs\td0, d1, d2', 'cmhs\td0, d1, d2'],
  [0x7ec21420, 'fabd\th0, h1, h2', 'fabd\th0, h1, h2'],
  [0x7ea2ec20, 'facgt\ts0, s1, s2', 'facgt\ts0, s1, s2'],
  [0x5ea29020, 'sqdmlal\td0, s1, s2', 'sqdmlal\td0, s1, s2'],
  [0x5e603820, 'suqadd\th0, h1', 'suqadd\th0, h1'],
  [0x7ea12820, 'sqxtun\ts0, d1', 'sqxtun\ts0, d1'],
  [0x5ee1f820, 'frecpx\td0, d1', 'frecpx\td0, d1'],
  [0x5ea0d820, 'fcmeq\ts0, s1, #0.0', 'fcmeq\ts0, s1, #0.0'],
  [0x7e828c20, 'sqrdmlsh\ts0, s1, s2', 'sqrdmlsh\ts0, s1, s2'],
  [0x5e020020, 'sha1c\tq0, s1, v2.4s', 'sha1c.4s\tq0, s1, v2'],
  [0x5e025020, 'sha256h2\tq0, q1, v2.4s', 'sha256h2.4s\tq0, q1, v2'],
  [0x5e281820, 'sha1su1\tv0.4s, v1.4s', 'sha1su1.4s\tv0, v1'],
  [0x5e280820, 'sha1h\ts0, s1', 'sha1h\ts0, s1'],
  [0x5e282820, 'sha256su0\tv0.4s, v1.4s', 'sha256su0.4s\tv0, v1'],
  [0xce628020, 'sha512h\tq0, q1, v2.2d', 'sha512h.2d\tq0, q1, v2'],
  [0xcec08020, 'sha512su0\tv0.2d, v1.2d', 'sha512su0.2d\tv0, v1'],
  [0xce020c20, 'eor3\tv0.16b, v1.16b, v2.16b, v3.16b', 'eor3.16b\tv0, v1, v2, v3'],
  [0xce220c20, 'bcax\tv0.16b, v1.16b, v2.16b, v3.16b', 'bcax.16b\tv0, v1, v2, v3'],
  [0xce628c20, 'rax1\tv0.2d, v1.2d, v2.2d', 'rax1.2d\tv0, v1, v2'],
  [0xce82fc20, 'xar\tv0.2d, v1.2d, v2.2d, #0x3f', 'xar.2d\tv0, v1, v2, #0x3f'],
  [0xce420c20, 'sm3ss1\tv0.4s, v1.4s, v2.4s, v3.4s', 'sm3ss1.4s\tv0, v1, v2, v3'],
  [0xce42bc20, 'sm3tt2b\tv0.4s, v1.4s, v2.s[3]', 'sm3tt2b.4s\tv0, v1, v2[3]'],
  [0xce62c020, 'sm3partw1\tv0.4s, v1.4s, v2.4s', 'sm3partw1.4s\tv0, v1, v2'],
  [0xcec08420, 'sm4e\tv0.4s, v1.4s', 'sm4e.4s\tv0, v1'],
  [0xce62c820, 'sm4ekey\tv0.4s, v1.4s, v2.4s', 'sm4ekey.4s\tv0, v1, v2'],
  [0x4c407000, 'ld1\t{ v0.16b }, [x0]', 'ld1.16b\t{ v0 }, [x0]'],
  [0x4cdf2c20, 'ld1\t{ v0.2d, v1.2d, v2.2d, v3.2d }, [x1], #64', 'ld1.2d\t{ v0, v1, v2, v3 }, [x1], #64'],
  [0x4c82abff, 'st1\t{ v31.4s, v0.4s }, [sp], x2', 'st1.4s\t{ v31, v0 }, [sp], x2'],
  [0x4c408440, 'ld2\t{ v0.8h, v1.8h }, [x2]', 'ld2.8h\t{ v0, v1 }, [x2]'],
  [0x0c9f0060, 'st4\t{ v0.8b, v1.8b, v2.8b, v3.8b }, [x3], #32', 'st4.8b\t{ v0, v1, v2, v3 }, [x3], #32'],
  [0x4d40b080, 'ld3\t{ v0.s, v1.s, v2.s }[3], [x4]', 'ld3.s\t{ v0, v1, v2 }[3], [x4]'],
  [0x4d9f84a0, 'st1\t{ v0.d }[1], [x5], #8', 'st1.d\t{ v0 }[1], [x5], #8'],
  [0x4de778c0, 'ld4\t{ v0.h, v1.h, v2.h, v3.h }[7], [x6], x7', 'ld4.h\t{ v0, v1, v2, v3 }[7], [x6], x7'],
  [0x4d40c900, 'ld1r\t{ v0.4s }, [x8]', 'ld1r.4s\t{ v0 }, [x8]'],
  [0x0dffed20, 'ld4r\t{ v0.1d, v1.1d, v2.1d, v3.1d }, [x9], #32', 'ld4r.1d\t{ v0, v1, v2, v3 }, [x9], #32'],
  [0x4debc140, 'ld2r\t{ v0.16b, v1.16b }, [x10], x11', 'ld2r.16b\t{ v0, v1 }, [x10], x11'],
  [0x4d418400, 'ldap1\t{ v0.d }[1], [x0]', 'ldap1\t{ v0.d }[1], [x0]'],
  [0x0d0187e1, 'stl1\t{ v1.d }[0], [sp]', 'stl1\t{ v1.d }[0], [sp]'],
];

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

function text(word: number, syntax: 'llvm' | 'apple'): string {
  engine.setSyntax(syntax);
  try {
    return engine.decodeOne(word, 0n).text;
  } finally {
    engine.setSyntax('llvm');
  }
}

describe('FP/SIMD words print as llvm-objdump-19 prints them', () => {
  it.each(KNOWN.map(([w, elf, macho]) => [w.toString(16).padStart(8, '0'), elf, macho, w] as const))('%s %s', (_hex, elf, macho, w) => {
    expect(text(w, 'llvm')).toBe(elf);
    expect(text(w, 'apple')).toBe(macho);
  });

  it('gives every FP/SIMD instruction a mnemonic id (not UNKNOWN)', () => {
    for (const [w, elf] of KNOWN) {
      const d = engine.decodeOne(w, 0n);
      expect(d.id, elf).not.toBe(0);
    }
  });

  it('prints <unknown> for unallocated encodings of the groups', () => {
    // three same with 64-bit elements and Q = 0; FP16 three same opcode 101 with U = 0;
    // SHA three-register with size 01; structure load with reserved opcode 0001
    for (const w of [0x0ee08400, 0x0e402c00, 0x5e400000, 0x0c401000]) expect(text(w, 'llvm')).toBe('<unknown>');
  });
});

const N = 1500;
describe.skipIf(!hasLlvm())('random words of each FP/SIMD group agree with llvm-objdump-19', () => {
  it.each(SIMD_GROUPS.map(([name, mask, value]) => [name, mask, value] as const))(
    '%s',
    (name, mask, value) => {
      // xorshift32 seeded per group: reproducible
      let s = (mask ^ value ^ 0x9e3779b9) >>> 0 || 1;
      const words: number[] = [];
      for (let i = 0; i < N; i++) {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        words.push(((s & ~mask) | (value & mask)) >>> 0);
      }
      for (const apple of [false, true]) {
        const want = llvmTextsFor(words, apple);
        const bad: string[] = [];
        words.forEach((w, i) => {
          const got = text(w, apple ? 'apple' : 'llvm');
          if (got !== want[i] && bad.length < 5) bad.push(`${w.toString(16).padStart(8, '0')} llvm: ${want[i]} engine: ${got}`);
        });
        expect(bad, `${name} ${apple ? 'apple' : 'llvm'}`).toEqual([]);
      }
    },
    60_000,
  );
});
