// Advanced SIMD load/store multiple and single structure (Arm ARM C4.1.88:
// op0 = x1x0 with bits 31 = 0, 29:28 = 00, 26 = 1), with and without
// post-index, plus FEAT_LRCPC3's LDAP1/STL1. Called from ldst.ts.
//
//   0 Q 0011 00 P L 0 Rm   opcode size Rn Rt   multiple structures (P: post-index)
//   0 Q 0011 01 P L R Rm   opc S  size Rn Rt   single structure
//
// Text as llvm-objdump prints it: `ld1 { v0.16b, v1.16b }, [x0], #32`,
// `st3 { v1.s, v2.s, v3.s }[1], [x2], x4`, `ld4r { v0.8h, ... }, [sp]`;
// Apple syntax `ld1.16b { v0, v1 }, [x0]`.

import { Mn } from './mnemonics';
import { chr, dec, opBegin, memBase, gprText } from './out';
import { A_GEN, arr, elt, mnv, vlist, vlistText } from './simd_out';

export function decodeSimdLdSt(w: u32): bool {
  if ((w & 0x30000000) != 0) return false;
  const post = (w & 0x00800000) != 0;
  if (!post && ((w >> 16) & 31) != 0) {
    if ((w & 0x01000000) != 0 && ((w >> 16) & 31) == 1) return lrcpc3(w);
    return false;
  }
  return (w & 0x01000000) == 0 ? multiple(w, post) : single(w, post);
}

/** `[xn]`, then `, #imm` or `, xm` for a post-indexed access (Rm = 31: the bytes transferred, printed in decimal). */
function address(w: u32, post: bool, bytes: u32): void {
  memBase((w >> 5) & 31);
  if (!post) return;
  const m = (w >> 16) & 31;
  opBegin();
  if (m == 31) {
    chr(35);
    dec(bytes);
  } else gprText(m, true);
}

function multiple(w: u32, post: bool): bool {
  if ((w & 0x00200000) != 0) return false;
  const q = (w >> 30) & 1;
  const load = (w & 0x00400000) != 0;
  const size = (w >> 10) & 3;
  let regs: u32;
  let n: u32; // structure elements: 1 for LD1/ST1
  switch ((w >> 12) & 15) {
    case 0: regs = 4; n = 4; break;
    case 2: regs = 4; n = 1; break;
    case 4: regs = 3; n = 3; break;
    case 6: regs = 3; n = 1; break;
    case 7: regs = 1; n = 1; break;
    case 8: regs = 2; n = 2; break;
    case 10: regs = 2; n = 1; break;
    default: return false;
  }
  if (n > 1 && size == 3 && q == 0) return false;
  const t = arr(size, q);
  const id = load ? (n == 1 ? Mn.LD1 : n == 2 ? Mn.LD2 : n == 3 ? Mn.LD3 : Mn.LD4) : n == 1 ? Mn.ST1 : n == 2 ? Mn.ST2 : n == 3 ? Mn.ST3 : Mn.ST4;
  mnv(id, false, t);
  vlist(w & 31, regs, t);
  address(w, post, regs << (3 + q));
  return true;
}

function single(w: u32, post: bool): bool {
  const q = (w >> 30) & 1;
  const load = (w & 0x00400000) != 0;
  const r = (w >> 21) & 1;
  const opc = (w >> 13) & 7;
  const s = (w >> 12) & 1;
  const size = (w >> 10) & 3;
  const n = (((opc & 1) << 1) | r) + 1; // structure elements
  if (opc >= 6) {
    // LDnR: load and replicate
    if (!load || s != 0) return false;
    const t = arr(size, q);
    const id = n == 1 ? Mn.LD1R : n == 2 ? Mn.LD2R : n == 3 ? Mn.LD3R : Mn.LD4R;
    mnv(id, false, t);
    vlist(w & 31, n, t);
    address(w, post, n << size);
    return true;
  }
  let es: u32;
  let idx: u32;
  switch (opc >> 1) {
    case 0:
      es = 0;
      idx = (q << 3) | (s << 2) | size;
      break;
    case 1:
      if ((size & 1) != 0) return false;
      es = 1;
      idx = (q << 2) | (s << 1) | (size >> 1);
      break;
    default:
      if (size == 0) {
        es = 2;
        idx = (q << 1) | s;
      } else if (size == 1 && s == 0) {
        es = 3;
        idx = q;
      } else return false;
  }
  const id = load ? (n == 1 ? Mn.LD1 : n == 2 ? Mn.LD2 : n == 3 ? Mn.LD3 : Mn.LD4) : n == 1 ? Mn.ST1 : n == 2 ? Mn.ST2 : n == 3 ? Mn.ST3 : Mn.ST4;
  mnv(id, false, elt(es));
  lane(w & 31, n, es, idx);
  address(w, post, n << es);
  return true;
}

/** `{ v0.s, v1.s }[1]` */
function lane(t: u32, n: u32, es: u32, idx: u32): void {
  opBegin();
  vlistText(t, n, elt(es));
  chr(91);
  dec(idx);
  chr(93);
}

/** LDAP1/STL1 (FEAT_LRCPC3): single 64-bit lane, bits 20:16 = 00001, opcode 100, S 0, size 01. */
function lrcpc3(w: u32): bool {
  if ((w & 0x00200000) != 0 || ((w >> 10) & 63) != 0x21) return false;
  mnv((w & 0x00400000) != 0 ? Mn.LDAP1 : Mn.STL1, false, A_GEN);
  lane(w & 31, 1, 3, (w >> 30) & 1);
  memBase((w >> 5) & 31);
  return true;
}

