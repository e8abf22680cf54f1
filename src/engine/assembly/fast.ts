// The most frequent instructions of compiled code, written straight through
// one local position: MOV (register), ADD/SUB/CMP (immediate), ADRP/ADR,
// LDR/STR of a general register with an unsigned offset, LDP/STP of general
// registers, B/BL, B.cond, CBZ/CBNZ. Together they are about two thirds of
// what compilers emit (Biome: mov 17%, add 11%, ldr 10%, bl 7%, str 5%,
// ldp/stp 9%, b 4%, cmp 4%, adrp 3%, b.cond 5%, cbz/cbnz 3%). The general
// decoders print the same words the same way (test/arm64-cli-disasm.test.ts
// and the random-word comparison in src/engine/tools keep them equal); this
// path only skips their calls and cursor round trips.

import { Mn } from './mnemonics';
import { outPos, setOut, mnAt, regAt, hexDigitsAt, immHexAt, memOpenAt, memImmAt, setTarget, condAt } from './out';

// regAt's register kinds: 0 w, 1 x (31 is the zero register), 2 wsp, 3 sp forms.

// Each returns false, writing nothing, for a word that is not its form;
// decodeInsn tries them inside the encoding group they belong to.

/** ORR Rd, ZR, Rm (no shift): MOV (register). Group op0 = x101. */
@inline export function fastMov(w: u32): bool {
  if ((w & 0x7fe0ffe0) != 0x2a0003e0) return false;
  const k = w >> 31;
  let p = mnAt(outPos, Mn.MOV);
  store<u8>(p, 9);
  p = regAt(p + 1, k, w & 31);
  store<u16>(p, 0x202c);
  setOut(regAt(p + 2, k, (w >> 16) & 31));
  return true;
}

/**
 * ADD/ADDS/SUB/SUBS (immediate) with their aliases: MOV to or from SP (ADD
 * #0), CMP/CMN (flags set, Rd = ZR); and ADRP/ADR. Group op0 = 100x.
 */
@inline export function fastDpImm(w: u32, pc: u64): bool {
  if ((w & 0x1f000000) == 0x10000000) {
    // ADR / ADRP
    let imm = <i64>((((w >> 5) & 0x7ffff) << 2) | ((w >> 29) & 3));
    imm = (imm << 43) >> 43;
    const page = (w >> 31) != 0;
    const a = page ? (pc & ~(<u64>0xfff)) + (<u64>imm << 12) : pc + <u64>imm;
    let p = mnAt(outPos, page ? Mn.ADRP : Mn.ADR);
    store<u8>(p, 9);
    p = regAt(p + 1, 1, w & 31);
    store<u32>(p, 0x7830202c); // ", 0x"
    setOut(hexDigitsAt(p + 4, a));
    setTarget(a);
    return true;
  }
  if ((w & 0x1f800000) != 0x11000000) return false;
  const sf = w >> 31;
  const rd = w & 31;
  const rn = (w >> 5) & 31;
  const imm = (w >> 10) & 0xfff;
  const sh = (w >> 22) & 1;
  const sub = (w >> 30) & 1;
  const flags = (w >> 29) & 1;
  let p: usize;
  if (flags != 0) {
    if (rd == 31) {
      p = mnAt(outPos, sub != 0 ? Mn.CMP : Mn.CMN);
      store<u8>(p, 9);
      p = regAt(p + 1, 2 | sf, rn);
    } else {
      p = mnAt(outPos, sub != 0 ? Mn.SUBS : Mn.ADDS);
      store<u8>(p, 9);
      p = regAt(p + 1, sf, rd);
      store<u16>(p, 0x202c);
      p = regAt(p + 2, 2 | sf, rn);
    }
  } else {
    const mov = sub == 0 && sh == 0 && imm == 0 && (rd == 31 || rn == 31);
    p = mnAt(outPos, mov ? Mn.MOV : sub != 0 ? Mn.SUB : Mn.ADD);
    store<u8>(p, 9);
    p = regAt(p + 1, 2 | sf, rd);
    store<u16>(p, 0x202c);
    p = regAt(p + 2, 2 | sf, rn);
    if (mov) {
      setOut(p);
      return true;
    }
  }
  store<u16>(p, 0x202c);
  p = immHexAt(p + 2, <i64>imm);
  if (sh != 0) {
    store<u64>(p, 0x3123206c736c202c); // ", lsl #1"
    store<u8>(p, 0x32, 8); // "2"
    p += 9;
  }
  setOut(p);
  return true;
}

/** B / BL, B.cond / BC.cond, CBZ / CBNZ. Group op0 = 101x. */
@inline export function fastBranch(w: u32, pc: u64): bool {
  let p: usize;
  let a: u64;
  if ((w & 0x7c000000) == 0x14000000) {
    a = pc + <u64>(<i64>((<i32>(w << 6)) >> 4));
    p = mnAt(outPos, (w >> 31) != 0 ? Mn.BL : Mn.B);
    store<u32>(p, 0x783009); // "\t0x"
    p += 3;
  } else if ((w & 0xff000000) == 0x54000000) {
    a = pc + <u64>(<i64>((<i32>(w << 8)) >> 13 << 2));
    p = mnAt(outPos, (w & 0x10) != 0 ? Mn.BC_COND : Mn.B_COND);
    store<u8>(p, 46); // .
    p = condAt(p + 1, w & 15);
    store<u32>(p, 0x783009); // "\t0x"
    p += 3;
  } else if ((w & 0x7e000000) == 0x34000000) {
    a = pc + <u64>(<i64>((<i32>(w << 8)) >> 13 << 2));
    p = mnAt(outPos, (w & 0x01000000) != 0 ? Mn.CBNZ : Mn.CBZ);
    store<u8>(p, 9);
    p = regAt(p + 1, w >> 31, w & 31);
    store<u32>(p, 0x7830202c); // ", 0x"
    p += 4;
  } else {
    return false;
  }
  setOut(hexDigitsAt(p, a));
  setTarget(a);
  return true;
}

/**
 * LDR/STR Wt/Xt, [Xn|SP, #imm] (unsigned offset) and LDP/STP of W or X
 * registers (post-index, signed offset, pre-index). Group op0 = x1x0.
 */
@inline export function fastLdSt(w: u32): bool {
  let p: usize;
  if ((w & 0xbf800000) == 0xb9000000) {
    const size = w >> 30;
    p = mnAt(outPos, (w & 0x00400000) != 0 ? Mn.LDR : Mn.STR);
    store<u8>(p, 9);
    p = regAt(p + 1, size & 1, w & 31);
    store<u16>(p, 0x202c);
    p = memOpenAt(p + 2, (w >> 5) & 31);
    const imm = <i64>(((w >> 10) & 0xfff) << size);
    if (imm != 0) p = memImmAt(p, imm);
    store<u8>(p, 93); // ]
    setOut(p + 1);
    return true;
  }
  if ((w & 0x7e000000) != 0x28000000 || (w & 0x01800000) == 0) return false;
  const k = w >> 31;
  const idx = (w >> 23) & 3;
  const off = <i64>((<i32>(w << 10)) >> 25) << (2 + k);
  p = mnAt(outPos, (w & 0x00400000) != 0 ? Mn.LDP : Mn.STP);
  store<u8>(p, 9);
  p = regAt(p + 1, k, w & 31);
  store<u16>(p, 0x202c);
  p = regAt(p + 2, k, (w >> 10) & 31);
  store<u16>(p, 0x202c);
  p = memOpenAt(p + 2, (w >> 5) & 31);
  if (idx == 1) {
    // [Xn], #imm
    store<u8>(p, 93);
    store<u16>(p, 0x202c, 1);
    p = immHexAt(p + 3, off);
  } else {
    if (off != 0 || idx == 3) p = memImmAt(p, off);
    store<u16>(p, 0x215d); // "]!"
    p += idx == 3 ? 2 : 1;
  }
  setOut(p);
  return true;
}
