// Operand formatters of the FP/SIMD groups (fpsimd.ts, advsimd.ts,
// simd_ldst.ts), on top of out.ts's byte writers. Spellings follow LLVM 19's
// AArch64InstPrinter as llvm-objdump prints them: vector registers `v3.16b`,
// elements `v3.s[1]`, lists `{ v0.16b, v1.16b }` (numbers wrap at 32), FP
// immediates `#%.8f`.
//
// Apple syntax (AArch64AppleInstPrinter, Mach-O): the arrangement moves to the
// mnemonic (`add.16b v0, v1, v2`, `mov.s v0[1], w1`) and vector operands are
// bare. Some instructions have no Apple spelling of their operands in LLVM's
// tables: LLVM then prints the registers bare with a plain mnemonic
// (`sdot v0, v1, v2[1]`), or prints the mnemonic alone (`udot`). `mnv` takes
// the arrangement the Apple form appends, or A_NONE / A_ONLY for those cases,
// or A_GEN for the few that LLVM prints in generic syntax even for Mach-O.

import { Mn } from './mnemonics';
import { chr, str, dec, hexDigits, sep, fprText, mn, apple } from './out';

// Arrangement codes: for the common (size, Q) pairs the code is (size << 1) | Q.
export const T_8B: u32 = 0;
export const T_16B: u32 = 1;
export const T_4H: u32 = 2;
export const T_8H: u32 = 3;
export const T_2S: u32 = 4;
export const T_4S: u32 = 5;
export const T_1D: u32 = 6;
export const T_2D: u32 = 7;
export const T_1Q: u32 = 8;
export const T_2H: u32 = 9;
export const T_4B: u32 = 10;
export const T_B: u32 = 11; // element-size suffixes without a count (`v0.b[1]`, lane lists)
export const T_H: u32 = 12;
export const T_S: u32 = 13;
export const T_D: u32 = 14;
export const T_Q: u32 = 15;
export const T_2B: u32 = 16;

/** Apple syntax: no arrangement suffix on the mnemonic. */
export const A_NONE: u32 = 0xff;
/** Apple syntax: LLVM prints the mnemonic alone. */
export const A_ONLY: u32 = 0xfe;
/** Apple syntax: LLVM prints the generic form unchanged. */
export const A_GEN: u32 = 0xfd;

/** Vector operands are written without arrangement (Apple syntax, except A_GEN instructions). */
let bare: bool = false;

// Three characters per code, NUL-padded.
const T_NAMES = memory.data<u8>([
  56, 98, 0, 49, 54, 98, 52, 104, 0, 56, 104, 0, 50, 115, 0, 52, 115, 0, 49, 100, 0, 50, 100, 0, 49, 113, 0, 50, 104, 0,
  52, 98, 0, 98, 0, 0, 104, 0, 0, 115, 0, 0, 100, 0, 0, 113, 0, 0, 50, 98, 0,
]);

/** Arrangement for an element size (0 b .. 3 d) and Q. */
@inline export function arr(size: u32, q: u32): u32 {
  return (size << 1) | q;
}

/** Element-only code (T_B..T_D) for a size. */
@inline export function elt(size: u32): u32 {
  return T_B + size;
}

export function arrText(t: u32): void {
  const p = T_NAMES + <usize>t * 3;
  for (let i: usize = 0; i < 3; i++) {
    const c = load<u8>(p + i);
    if (c == 0) break;
    chr(c);
  }
}

/**
 * Start an FP/SIMD instruction: mnemonic, `2` when `two` (the Q-form of the
 * long/narrow/wide instructions), and in Apple syntax `.<at>`. Returns false
 * when the Apple form is the mnemonic alone (the caller then writes nothing more).
 */
export function mnv(id: Mn, two: bool, at: u32): bool {
  mn(id);
  if (two) chr(50);
  bare = apple && at != A_GEN;
  if (!apple) return true;
  if (at == A_ONLY) return false;
  if (at != A_NONE && at != A_GEN) {
    chr(46);
    arrText(at);
  }
  return true;
}

/** `v3.16b` (`v3` in Apple syntax) without separator. */
export function vText(n: u32, t: u32): void {
  chr(118);
  dec(n & 31);
  if (bare) return;
  chr(46);
  arrText(t);
}

/** `v3.16b` as an operand. */
export function vreg(n: u32, t: u32): void {
  sep();
  vText(n, t);
}

/** Element `v3.s[1]` (t: T_B..T_D, or T_4B/T_2H/T_2B for the dot-product forms). */
export function velem(n: u32, t: u32, idx: u32): void {
  sep();
  vText(n, t);
  chr(91);
  dec(idx);
  chr(93);
}

/** `{ v0.16b, v1.16b }`: `count` consecutive registers (mod 32). */
export function vlist(n: u32, count: u32, t: u32): void {
  sep();
  vlistText(n, count, t);
}

export function vlistText(n: u32, count: u32, t: u32): void {
  chr(123);
  chr(32);
  for (let i: u32 = 0; i < count; i++) {
    if (i != 0) {
      chr(44);
      chr(32);
    }
    vText((n + i) & 31, t);
  }
  chr(32);
  chr(125);
}

/** Scalar FP/SIMD register by size (0 b, 1 h, 2 s, 3 d, 4 q). */
export function sreg(n: u32, size: u32): void {
  sep();
  fprText(n, size);
}

/** `#0.0` (FP compare with zero). */
export function fzero(): void {
  sep();
  str('#0.0');
}

/** `#0` (integer compare with zero). */
export function izero(): void {
  sep();
  chr(35);
  chr(48);
}

/**
 * FP immediate of FMOV (Arm ARM VFPExpandImm of imm8) as LLVM prints it,
 * `#%.8f`. Every value is ±n/128 with n < 4096, so eight decimals are exact.
 */
export function fpImm8(imm8: u32): void {
  sep();
  chr(35);
  if ((imm8 & 0x80) != 0) chr(45);
  const mant: u32 = 16 + (imm8 & 15); // 1.efgh in sixteenths
  // Exponent NOT(b):b…b:cd - bias: cd + 1 when b = 0, cd - 3 when b = 1.
  const cd: i32 = <i32>((imm8 >> 4) & 3);
  const e: i32 = (imm8 & 0x40) != 0 ? cd - 3 : cd + 1;
  const n: u32 = mant << <u32>(e + 3); // value * 128
  dec(n >> 7);
  chr(46);
  let frac: u32 = (n & 127) * 781250; // (n mod 128) / 128 in units of 1e-8
  let div: u32 = 10000000;
  for (let i = 0; i < 8; i++) {
    chr(48 + frac / div);
    frac %= div;
    div /= 10;
  }
}

/** 64-bit MOVI immediate, LLVM's `%#016llx`: 16 zeros for 0, else 0x and at least 14 digits. */
export function imm64Padded(v: u64): void {
  sep();
  chr(35);
  if (v == 0) {
    for (let i = 0; i < 16; i++) chr(48);
    return;
  }
  chr(48);
  chr(120);
  let n = 1;
  let t = v >> 4;
  while (t != 0) {
    t >>= 4;
    n++;
  }
  for (let i = n; i < 14; i++) chr(48);
  hexDigits(v);
}
