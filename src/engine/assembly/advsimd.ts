// Advanced SIMD (Arm ARM C4.1.95, "Data Processing -- Scalar Floating-Point
// and Advanced SIMD", op0 = 0xx0 vector and 01x1 scalar): three same /
// different, two-register miscellaneous, across lanes, copy, modified
// immediate, shift by immediate, by element, permute, extract, table lookup,
// the three-register extension (dot products, complex, FP8), scalar forms.
// Spelling and the choice of aliases follow llvm-objdump-19 (checked with
// src/engine/tools/fuzz-simd.ts); LLVM's Apple syntax is handled by mnv()
// and the register writers of simd_out.ts.

import { Mn } from './mnemonics';
import { chr, str, dec, gpr, immHex, immDec, opBegin } from './out';
import {
  T_8B, T_16B, T_4H, T_8H, T_2S, T_4S, T_1D, T_2D, T_1Q, T_2H, T_4B, T_B, T_H, T_S, T_D, T_2B,
  A_NONE, A_ONLY, A_GEN, arr, elt, mnv, vreg, velem, vlist, sreg, fzero, izero, fpImm8, imm64Padded,
} from './simd_out';

@inline function rd(w: u32): u32 {
  return w & 31;
}
@inline function rn(w: u32): u32 {
  return (w >> 5) & 31;
}
@inline function rm(w: u32): u32 {
  return (w >> 16) & 31;
}

/** `op vd.T, vn.T, vm.T` */
function same3(id: Mn, t: u32, w: u32): bool {
  if (!mnv(id, false, t)) return true;
  vreg(rd(w), t);
  vreg(rn(w), t);
  vreg(rm(w), t);
  return true;
}

/** `op vd.Td, vn.Tn` */
function two(id: Mn, td: u32, tn: u32, w: u32, at: u32): bool {
  if (!mnv(id, false, at)) return true;
  vreg(rd(w), td);
  vreg(rn(w), tn);
  return true;
}

/** FP arrangement for sz/Q (2s/4s/2d), or 0xff for the reserved 1d. */
@inline function fpT(sz: u32, q: u32): u32 {
  return sz != 0 ? (q != 0 ? T_2D : 0xff) : q != 0 ? T_4S : T_2S;
}

// ============================================================== vector

/** op0 = 0xx0 (bit 28 = 0, bit 31 = 0). */
export function decodeAdvSimdVector(w: u32): bool {
  if ((w & 0x01000000) != 0) {
    // op1 = 1x
    if ((w & 0x400) == 0) return byElement(w, false);
    if ((w & 0x00800000) != 0) return false;
    if (((w >> 19) & 15) == 0) return modifiedImm(w);
    return shiftImm(w, false);
  }
  if ((w & 0x00200000) != 0) {
    const b1110 = (w >> 10) & 3;
    if ((b1110 & 1) != 0) return threeSame(w);
    if (b1110 == 0) return threeDiff(w);
    const b2017 = (w >> 17) & 15;
    if (b2017 == 0) return twoMisc(w);
    if (b2017 == 8) return acrossLanes(w);
    if (b2017 == 12 && (w & 0x00400000) != 0) return twoMiscFp16(w);
    if (b2017 == 4 && (w & 0xe0c00000) == 0x40000000) return aes(w);
    return false;
  }
  // bit 21 = 0
  if ((w & 0x400) != 0) {
    if ((w & 0x8000) != 0) return threeExt(w);
    if (((w >> 22) & 3) == 0) return copy(w);
    // bits 22:21 = 10, 15:14 = 00: three same FP16 (bit 23 is `a`)
    if ((w & 0x00400000) != 0 && (w & 0x4000) == 0) return threeSameFp16(w);
    return false;
  }
  if ((w & 0x20000000) != 0) return (w & 0x8000) == 0 ? extract(w) : false;
  if ((w & 0x8000) != 0) return false;
  if ((w & 0x800) != 0) return permute(w);
  return tableLookup(w);
}

// ------------------------------------------------------------ three same

function threeSame(w: u32): bool {
  const q = (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 11) & 31;
  if (opc >= 0x18) return threeSameFp(w, (w >> 23) & 1, fpT(size & 1, q), opc - 0x18, false);
  if (opc == 3) {
    let id: Mn;
    if (u == 0) {
      if (size == 2 && rn(w) == rm(w)) {
        const t = q != 0 ? T_16B : T_8B;
        if (!mnv(Mn.MOV, false, t)) return true;
        vreg(rd(w), t);
        vreg(rn(w), t);
        return true;
      }
      id = size == 0 ? Mn.AND : size == 1 ? Mn.BIC : size == 2 ? Mn.ORR : Mn.ORN;
    } else id = size == 0 ? Mn.EOR : size == 1 ? Mn.BSL : size == 2 ? Mn.BIT : Mn.BIF;
    return same3(id, q != 0 ? T_16B : T_8B, w);
  }
  let id: Mn = Mn.UNKNOWN;
  // 0: any size but 1d; 1: no 64-bit elements; 2: h and s only; 3: bytes only
  let cls = 0;
  switch ((u << 5) | opc) {
    case 0x00: id = Mn.SHADD; cls = 1; break;
    case 0x01: id = Mn.SQADD; break;
    case 0x02: id = Mn.SRHADD; cls = 1; break;
    case 0x04: id = Mn.SHSUB; cls = 1; break;
    case 0x05: id = Mn.SQSUB; break;
    case 0x06: id = Mn.CMGT; break;
    case 0x07: id = Mn.CMGE; break;
    case 0x08: id = Mn.SSHL; break;
    case 0x09: id = Mn.SQSHL; break;
    case 0x0a: id = Mn.SRSHL; break;
    case 0x0b: id = Mn.SQRSHL; break;
    case 0x0c: id = Mn.SMAX; cls = 1; break;
    case 0x0d: id = Mn.SMIN; cls = 1; break;
    case 0x0e: id = Mn.SABD; cls = 1; break;
    case 0x0f: id = Mn.SABA; cls = 1; break;
    case 0x10: id = Mn.ADD; break;
    case 0x11: id = Mn.CMTST; break;
    case 0x12: id = Mn.MLA; cls = 1; break;
    case 0x13: id = Mn.MUL; cls = 1; break;
    case 0x14: id = Mn.SMAXP; cls = 1; break;
    case 0x15: id = Mn.SMINP; cls = 1; break;
    case 0x16: id = Mn.SQDMULH; cls = 2; break;
    case 0x17: id = Mn.ADDP; break;
    case 0x20: id = Mn.UHADD; cls = 1; break;
    case 0x21: id = Mn.UQADD; break;
    case 0x22: id = Mn.URHADD; cls = 1; break;
    case 0x24: id = Mn.UHSUB; cls = 1; break;
    case 0x25: id = Mn.UQSUB; break;
    case 0x26: id = Mn.CMHI; break;
    case 0x27: id = Mn.CMHS; break;
    case 0x28: id = Mn.USHL; break;
    case 0x29: id = Mn.UQSHL; break;
    case 0x2a: id = Mn.URSHL; break;
    case 0x2b: id = Mn.UQRSHL; break;
    case 0x2c: id = Mn.UMAX; cls = 1; break;
    case 0x2d: id = Mn.UMIN; cls = 1; break;
    case 0x2e: id = Mn.UABD; cls = 1; break;
    case 0x2f: id = Mn.UABA; cls = 1; break;
    case 0x30: id = Mn.SUB; break;
    case 0x31: id = Mn.CMEQ; break;
    case 0x32: id = Mn.MLS; cls = 1; break;
    case 0x33: id = Mn.PMUL; cls = 3; break;
    case 0x34: id = Mn.UMAXP; cls = 1; break;
    case 0x35: id = Mn.UMINP; cls = 1; break;
    case 0x36: id = Mn.SQRDMULH; cls = 2; break;
    default: return false;
  }
  if (size == 3 && (q == 0 || cls != 0)) return false;
  if (cls == 2 && size == 0) return false;
  if (cls == 3 && size != 0) return false;
  return same3(id, arr(size, q), w);
}

// Three same FP, opcode 11xxx (and the FP16 table with the same order).
// Index: u << 4 | a << 3 | opcode low 3 bits.
const FP3: StaticArray<Mn> = [
  Mn.FMAXNM, Mn.FMLA, Mn.FADD, Mn.FMULX, Mn.FCMEQ, Mn.FMLAL, Mn.FMAX, Mn.FRECPS,
  Mn.FMINNM, Mn.FMLS, Mn.FSUB, Mn.FAMAX, Mn.UNKNOWN, Mn.FMLSL, Mn.FMIN, Mn.FRSQRTS,
  Mn.FMAXNMP, Mn.FMLAL2, Mn.FADDP, Mn.FMUL, Mn.FCMGE, Mn.FACGE, Mn.FMAXP, Mn.FDIV,
  Mn.FMINNMP, Mn.FMLSL2, Mn.FABD, Mn.FAMIN, Mn.FCMGT, Mn.FACGT, Mn.FMINP, Mn.FSCALE,
];

function threeSameFp(w: u32, a: u32, t: u32, op: u32, half: bool): bool {
  const u = (w >> 29) & 1;
  const id = unchecked(FP3[(u << 4) | (a << 3) | op]);
  if (id == Mn.UNKNOWN) return false;
  if (id == Mn.FMLAL || id == Mn.FMLSL || id == Mn.FMLAL2 || id == Mn.FMLSL2) {
    if (half || (w & 0x00400000) != 0) return false;
    const q = (w >> 30) & 1;
    const td = q != 0 ? T_4S : T_2S;
    const tn = q != 0 ? T_4H : T_2H;
    if (!mnv(id, false, A_ONLY)) return true;
    vreg(rd(w), td);
    vreg(rn(w), tn);
    vreg(rm(w), tn);
    return true;
  }
  if (t == 0xff) return false;
  return same3(id, t, w);
}

/** Three same FP16: bits 22:21 = 10 (a = bit 23), bits 15:14 = 00. */
function threeSameFp16(w: u32): bool {
  const q = (w >> 30) & 1;
  const op = (w >> 11) & 7;
  const u = (w >> 29) & 1;
  const a = (w >> 23) & 1;
  if (u == 0 && op == 5) return false;
  if (u == 0 && a == 1 && op == 4) return false;
  return threeSameFp(w, a, q != 0 ? T_8H : T_4H, op, true);
}

// ------------------------------------------------------- three different

function threeDiff(w: u32): bool {
  const q = (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 15;
  let id: Mn = Mn.UNKNOWN;
  // 0 long (Ta, Tb, Tb), 1 wide (Ta, Ta, Tb), 2 narrow (Tb, Ta, Ta)
  let form = 0;
  let sat = false; // sqdml*: h and s only
  switch ((u << 4) | opc) {
    case 0x00: id = Mn.SADDL; break;
    case 0x01: id = Mn.SADDW; form = 1; break;
    case 0x02: id = Mn.SSUBL; break;
    case 0x03: id = Mn.SSUBW; form = 1; break;
    case 0x04: id = Mn.ADDHN; form = 2; break;
    case 0x05: id = Mn.SABAL; break;
    case 0x06: id = Mn.SUBHN; form = 2; break;
    case 0x07: id = Mn.SABDL; break;
    case 0x08: id = Mn.SMLAL; break;
    case 0x09: id = Mn.SQDMLAL; sat = true; break;
    case 0x0a: id = Mn.SMLSL; break;
    case 0x0b: id = Mn.SQDMLSL; sat = true; break;
    case 0x0c: id = Mn.SMULL; break;
    case 0x0d: id = Mn.SQDMULL; sat = true; break;
    case 0x0e: {
      // PMULL: 8b -> 8h, or 1d -> 1q (FEAT_PMULL)
      let ta: u32, tb: u32;
      if (size == 0) {
        ta = T_8H;
        tb = arr(0, q);
      } else if (size == 3) {
        ta = T_1Q;
        tb = q != 0 ? T_2D : T_1D;
      } else return false;
      if (!mnv(Mn.PMULL, q != 0, ta)) return true;
      vreg(rd(w), ta);
      vreg(rn(w), tb);
      vreg(rm(w), tb);
      return true;
    }
    case 0x10: id = Mn.UADDL; break;
    case 0x11: id = Mn.UADDW; form = 1; break;
    case 0x12: id = Mn.USUBL; break;
    case 0x13: id = Mn.USUBW; form = 1; break;
    case 0x14: id = Mn.RADDHN; form = 2; break;
    case 0x15: id = Mn.UABAL; break;
    case 0x16: id = Mn.RSUBHN; form = 2; break;
    case 0x17: id = Mn.UABDL; break;
    case 0x18: id = Mn.UMLAL; break;
    case 0x1a: id = Mn.UMLSL; break;
    case 0x1c: id = Mn.UMULL; break;
    default: return false;
  }
  if (size == 3) return false;
  if (sat && size == 0) return false;
  const ta = arr(size + 1, 1);
  const tb = arr(size, q);
  if (form == 2) {
    if (!mnv(id, q != 0, tb)) return true;
    vreg(rd(w), tb);
    vreg(rn(w), ta);
    vreg(rm(w), ta);
    return true;
  }
  if (!mnv(id, q != 0, ta)) return true;
  vreg(rd(w), ta);
  vreg(rn(w), form == 1 ? ta : tb);
  vreg(rm(w), tb);
  return true;
}

// ------------------------------------------------------ two-register misc

function twoMisc(w: u32): bool {
  const q = (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 31;
  const t = arr(size, q);
  let id: Mn = Mn.UNKNOWN;
  switch ((u << 5) | opc) {
    case 0x00: // REV64
      if (size == 3) return false;
      return two(Mn.REV64, t, t, w, t);
    case 0x01:
      if (size != 0) return false;
      return two(Mn.REV16, t, t, w, t);
    case 0x20:
      if (size > 1) return false;
      return two(Mn.REV32, t, t, w, t);
    case 0x02: id = Mn.SADDLP; break;
    case 0x06: id = Mn.SADALP; break;
    case 0x22: id = Mn.UADDLP; break;
    case 0x26: id = Mn.UADALP; break;
    case 0x03: id = Mn.SUQADD; break;
    case 0x23: id = Mn.USQADD; break;
    case 0x07: id = Mn.SQABS; break;
    case 0x27: id = Mn.SQNEG; break;
    case 0x0b: id = Mn.ABS; break;
    case 0x2b: id = Mn.NEG; break;
    case 0x04:
    case 0x24:
      if (size == 3) return false;
      return two(u != 0 ? Mn.CLZ : Mn.CLS, t, t, w, t);
    case 0x05:
      if (size != 0) return false;
      return two(Mn.CNT, t, t, w, t);
    case 0x25:
      if (size == 0) return two(Mn.MVN, t, t, w, t);
      if (size == 1) return two(Mn.RBIT, arr(0, q), arr(0, q), w, arr(0, q));
      return false;
    case 0x08:
    case 0x09:
    case 0x0a:
    case 0x28:
    case 0x29: {
      if (size == 3 && q == 0) return false;
      const cid = opc == 8 ? (u != 0 ? Mn.CMGE : Mn.CMGT) : opc == 9 ? (u != 0 ? Mn.CMLE : Mn.CMEQ) : Mn.CMLT;
      if (!mnv(cid, false, t)) return true;
      vreg(rd(w), t);
      vreg(rn(w), t);
      izero();
      return true;
    }
    case 0x12:
    case 0x14:
    case 0x32:
    case 0x34: {
      // XTN, SQXTN, SQXTUN, UQXTN: narrow
      if (size == 3) return false;
      const nid = opc == 0x12 ? (u != 0 ? Mn.SQXTUN : Mn.XTN) : u != 0 ? Mn.UQXTN : Mn.SQXTN;
      if (!mnv(nid, q != 0, t)) return true;
      vreg(rd(w), t);
      vreg(rn(w), arr(size + 1, 1));
      return true;
    }
    case 0x33: {
      // SHLL: shift by the element width
      if (size == 3) return false;
      const ta = arr(size + 1, 1);
      if (!mnv(Mn.SHLL, q != 0, ta)) return true;
      vreg(rd(w), ta);
      vreg(rn(w), t);
      immDec(8 << size);
      return true;
    }
    default:
      return twoMiscFp(w, false);
  }
  // the pairwise-long forms
  if (id == Mn.SADDLP || id == Mn.SADALP || id == Mn.UADDLP || id == Mn.UADALP) {
    if (size == 3) return false;
    const ta = arr(size + 1, q);
    return two(id, ta, t, w, ta);
  }
  if (size == 3 && q == 0) return false;
  return two(id, t, t, w, t);
}

// FP two-register misc, index u << 6 | a << 5 | opcode (opcode 0x0c..0x1f used).
function fpMiscId(u: u32, a: u32, opc: u32): Mn {
  switch ((u << 6) | (a << 5) | opc) {
    case 0x18: return Mn.FRINTN;
    case 0x19: return Mn.FRINTM;
    case 0x1a: return Mn.FCVTNS;
    case 0x1b: return Mn.FCVTMS;
    case 0x1c: return Mn.FCVTAS;
    case 0x1d: return Mn.SCVTF;
    case 0x1e: return Mn.FRINT32Z;
    case 0x1f: return Mn.FRINT64Z;
    case 0x2c: return Mn.FCMGT;
    case 0x2d: return Mn.FCMEQ;
    case 0x2e: return Mn.FCMLT;
    case 0x2f: return Mn.FABS;
    case 0x38: return Mn.FRINTP;
    case 0x39: return Mn.FRINTZ;
    case 0x3a: return Mn.FCVTPS;
    case 0x3b: return Mn.FCVTZS;
    case 0x3c: return Mn.URECPE;
    case 0x3d: return Mn.FRECPE;
    case 0x58: return Mn.FRINTA;
    case 0x59: return Mn.FRINTX;
    case 0x5a: return Mn.FCVTNU;
    case 0x5b: return Mn.FCVTMU;
    case 0x5c: return Mn.FCVTAU;
    case 0x5d: return Mn.UCVTF;
    case 0x5e: return Mn.FRINT32X;
    case 0x5f: return Mn.FRINT64X;
    case 0x6c: return Mn.FCMGE;
    case 0x6d: return Mn.FCMLE;
    case 0x6f: return Mn.FNEG;
    case 0x79: return Mn.FRINTI;
    case 0x7a: return Mn.FCVTPU;
    case 0x7b: return Mn.FCVTZU;
    case 0x7c: return Mn.URSQRTE;
    case 0x7d: return Mn.FRSQRTE;
    case 0x7f: return Mn.FSQRT;
  }
  return Mn.UNKNOWN;
}

function twoMiscFp(w: u32, half: bool): bool {
  const q = (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const a = (w >> 23) & 1;
  const sz = (w >> 22) & 1;
  const opc = (w >> 12) & 31;
  if (!half) {
    // conversions between precisions
    if (opc == 0x16) {
      if (u == 0 && a == 0) {
        // FCVTN: 4s -> 4h, 2d -> 2s
        const td = sz != 0 ? arr(2, q) : arr(1, q);
        if (!mnv(Mn.FCVTN, q != 0, A_GEN)) return true;
        vreg(rd(w), td);
        vreg(rn(w), sz != 0 ? T_2D : T_4S);
        return true;
      }
      if (u == 0 && a == 1 && sz == 0) {
        const td = arr(1, q);
        if (!mnv(Mn.BFCVTN, q != 0, td)) return true;
        vreg(rd(w), td);
        vreg(rn(w), T_4S);
        return true;
      }
      if (u == 1 && a == 0 && sz == 1) {
        if (!mnv(Mn.FCVTXN, q != 0, A_GEN)) return true;
        vreg(rd(w), arr(2, q));
        vreg(rn(w), T_2D);
        return true;
      }
      return false;
    }
    if (opc == 0x17) {
      if (u == 0 && a == 0) {
        const td = sz != 0 ? T_2D : T_4S;
        if (!mnv(Mn.FCVTL, q != 0, A_GEN)) return true;
        vreg(rd(w), td);
        vreg(rn(w), sz != 0 ? arr(2, q) : arr(1, q));
        return true;
      }
      if (u == 1) {
        // FP8 to half/bfloat16 (FEAT_FP8)
        const id = a == 0 ? (sz == 0 ? Mn.F1CVTL : Mn.F2CVTL) : sz == 0 ? Mn.BF1CVTL : Mn.BF2CVTL;
        if (!mnv(id, q != 0, T_8H)) return true;
        vreg(rd(w), T_8H);
        vreg(rn(w), arr(0, q));
        return true;
      }
      return false;
    }
  }
  if (opc < 0x0c) return false;
  const id = fpMiscId(u, a, opc);
  if (id == Mn.UNKNOWN) return false;
  let t: u32;
  if (half) {
    if (id == Mn.FRINT32Z || id == Mn.FRINT64Z || id == Mn.FRINT32X || id == Mn.FRINT64X) return false;
    if (id == Mn.URECPE || id == Mn.URSQRTE) return false;
    t = q != 0 ? T_8H : T_4H;
  } else {
    if ((id == Mn.URECPE || id == Mn.URSQRTE) && sz != 0) return false;
    t = fpT(sz, q);
    if (t == 0xff) return false;
  }
  if (!mnv(id, false, t)) return true;
  vreg(rd(w), t);
  vreg(rn(w), t);
  if (id == Mn.FCMGT || id == Mn.FCMEQ || id == Mn.FCMLT || id == Mn.FCMGE || id == Mn.FCMLE) fzero();
  return true;
}

/** Two-register misc FP16: bits 21:17 = 11100 (bit 22 = 1). */
function twoMiscFp16(w: u32): bool {
  return twoMiscFp(w, true);
}

// ------------------------------------------------------------ across lanes

function acrossLanes(w: u32): bool {
  const q = (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 31;
  if (opc == 0x0c || opc == 0x0f) {
    // FMAXNMV/FMINNMV/FMAXV/FMINV: half precision with U = 0, single with U = 1
    if ((size & 1) != 0) return false;
    const mx = (size & 2) == 0;
    const id = opc == 0x0c ? (mx ? Mn.FMAXNMV : Mn.FMINNMV) : mx ? Mn.FMAXV : Mn.FMINV;
    let tn: u32;
    let ds: u32;
    if (u == 0) {
      tn = q != 0 ? T_8H : T_4H;
      ds = 1;
    } else {
      if (q == 0) return false;
      tn = T_4S;
      ds = 2;
    }
    if (!mnv(id, false, tn)) return true;
    sreg(rd(w), ds);
    vreg(rn(w), tn);
    return true;
  }
  let id: Mn;
  let wide = false;
  switch ((u << 5) | opc) {
    case 0x03: id = Mn.SADDLV; wide = true; break;
    case 0x0a: id = Mn.SMAXV; break;
    case 0x1a: id = Mn.SMINV; break;
    case 0x1b: id = Mn.ADDV; break;
    case 0x23: id = Mn.UADDLV; wide = true; break;
    case 0x2a: id = Mn.UMAXV; break;
    case 0x3a: id = Mn.UMINV; break;
    default: return false;
  }
  if (size == 3 || (size == 2 && q == 0)) return false;
  const tn = arr(size, q);
  if (!mnv(id, false, tn)) return true;
  sreg(rd(w), wide ? size + 1 : size);
  vreg(rn(w), tn);
  return true;
}

// ---------------------------------------------------------------- crypto

/** AES: 0100 1110 0010 1000 0 opcode 10 (size = 00). */
function aes(w: u32): bool {
  const opc = (w >> 12) & 31;
  let id: Mn;
  switch (opc) {
    case 4: id = Mn.AESE; break;
    case 5: id = Mn.AESD; break;
    case 6: id = Mn.AESMC; break;
    case 7: id = Mn.AESIMC; break;
    default: return false;
  }
  return two(id, T_16B, T_16B, w, T_16B);
}

// ------------------------------------------------------------------ copy

/** Element size from imm5's lowest set bit (0 b .. 3 d), 4 when none. */
@inline function imm5Size(imm5: u32): u32 {
  return imm5 == 0 ? 4 : <u32>ctz(imm5);
}

function copy(w: u32): bool {
  const q = (w >> 30) & 1;
  const op = (w >> 29) & 1;
  const imm5 = (w >> 16) & 31;
  const imm4 = (w >> 11) & 15;
  const size = imm5Size(imm5);
  if (size > 3) return false;
  const idx = imm5 >> (size + 1);
  if (op == 1) {
    // INS (element): mov vd.T[i], vn.T[j]
    if (q == 0) return false;
    const j = imm4 >> size;
    if (!mnv(Mn.MOV, false, elt(size))) return true;
    velem(rd(w), elt(size), idx);
    velem(rn(w), elt(size), j);
    return true;
  }
  switch (imm4) {
    case 0: {
      // DUP (element)
      if (size == 3 && q == 0) return false;
      const t = arr(size, q);
      if (!mnv(Mn.DUP, false, t)) return true;
      vreg(rd(w), t);
      velem(rn(w), elt(size), idx);
      return true;
    }
    case 1: {
      // DUP (general)
      if (size == 3 && q == 0) return false;
      const t = arr(size, q);
      if (!mnv(Mn.DUP, false, t)) return true;
      vreg(rd(w), t);
      gpr(rn(w), size == 3);
      return true;
    }
    case 3: {
      // INS (general): mov vd.T[i], rn
      if (q == 0) return false;
      if (!mnv(Mn.MOV, false, elt(size))) return true;
      velem(rd(w), elt(size), idx);
      gpr(rn(w), size == 3);
      return true;
    }
    case 5: {
      // SMOV
      if (size >= 2 + q) return false;
      if (!mnv(Mn.SMOV, false, elt(size))) return true;
      gpr(rd(w), q != 0);
      velem(rn(w), elt(size), idx);
      return true;
    }
    case 7: {
      // UMOV; the 32/64-bit element forms print as MOV
      if (q == 0 ? size == 3 : size != 3) return false;
      const id = size >= 2 ? Mn.MOV : Mn.UMOV;
      if (!mnv(id, false, elt(size))) return true;
      gpr(rd(w), q != 0);
      velem(rn(w), elt(size), idx);
      return true;
    }
  }
  return false;
}

// ------------------------------------------------------- modified immediate

function modifiedImm(w: u32): bool {
  const q = (w >> 30) & 1;
  const op = (w >> 29) & 1;
  const cmode = (w >> 12) & 15;
  const o2 = (w >> 11) & 1;
  const imm8 = (((w >> 16) & 7) << 5) | ((w >> 5) & 31);
  const d = rd(w);
  if (o2 != 0) {
    // FMOV (vector, half precision)
    if (cmode != 15 || op != 0) return false;
    const t = q != 0 ? T_8H : T_4H;
    if (!mnv(Mn.FMOV, false, t)) return true;
    vreg(d, t);
    fpImm8(imm8);
    return true;
  }
  if (cmode < 8 || (cmode & 12) == 8) {
    // 32-bit (cmode 0xxx) or 16-bit (10xx) shifted immediate
    const h = cmode >= 8;
    const t = h ? (q != 0 ? T_8H : T_4H) : q != 0 ? T_4S : T_2S;
    const amount = ((cmode >> 1) & (h ? 1 : 3)) * 8;
    let id: Mn;
    if ((cmode & 1) == 0) id = op != 0 ? Mn.MVNI : Mn.MOVI;
    else id = op != 0 ? Mn.BIC : Mn.ORR;
    if (!mnv(id, false, t)) return true;
    vreg(d, t);
    immHex(imm8);
    if (amount != 0) {
      opBegin();
      str('lsl #');
      dec(amount);
    }
    return true;
  }
  if ((cmode & 14) == 12) {
    // 32-bit shifting ones: msl #8 / #16
    const t = q != 0 ? T_4S : T_2S;
    if (!mnv(op != 0 ? Mn.MVNI : Mn.MOVI, false, t)) return true;
    vreg(d, t);
    immHex(imm8);
    opBegin();
    str('msl #');
    dec((cmode & 1) != 0 ? 16 : 8);
    return true;
  }
  if (cmode == 14) {
    if (op == 0) {
      const t = q != 0 ? T_16B : T_8B;
      if (!mnv(Mn.MOVI, false, t)) return true;
      vreg(d, t);
      immHex(imm8);
      return true;
    }
    // 64-bit: each bit of imm8 is a byte of ones
    let v: u64 = 0;
    for (let i: u32 = 0; i < 8; i++) if (((imm8 >> i) & 1) != 0) v |= (<u64>0xff) << (<u64>i * 8);
    if (q == 0) {
      mnv(Mn.MOVI, false, A_NONE);
      sreg(d, 3);
    } else {
      if (!mnv(Mn.MOVI, false, T_2D)) return true;
      vreg(d, T_2D);
    }
    imm64Padded(v);
    return true;
  }
  // cmode 1111: FMOV single (op 0) or double (op 1, Q 1)
  if (op != 0 && q == 0) return false;
  const t = op != 0 ? T_2D : q != 0 ? T_4S : T_2S;
  if (!mnv(Mn.FMOV, false, t)) return true;
  vreg(d, t);
  fpImm8(imm8);
  return true;
}

// ------------------------------------------------------- shift by immediate

/** Vector (scalar = false) or scalar shift by immediate; immh = bits 22:19 is nonzero. */
function shiftImm(w: u32, scalar: bool): bool {
  const q = scalar ? 1 : (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const immh = (w >> 19) & 15;
  const immhb = (w >> 16) & 127;
  const opc = (w >> 11) & 31;
  const size: u32 = 31 - <u32>clz(immh); // 0 b .. 3 d
  const esize: u32 = 8 << size;
  const right = 2 * esize - immhb;
  const left = immhb - esize;
  let id: Mn = Mn.UNKNOWN;
  // 0 right shift, 1 left shift, 2 narrowing right shift, 3 long left shift, 4 fixed-point conversion
  let kind = 0;
  switch ((u << 5) | opc) {
    case 0x00: id = Mn.SSHR; break;
    case 0x02: id = Mn.SSRA; break;
    case 0x04: id = Mn.SRSHR; break;
    case 0x06: id = Mn.SRSRA; break;
    case 0x0a: id = Mn.SHL; kind = 1; break;
    case 0x0e: id = Mn.SQSHL; kind = 1; break;
    case 0x10: id = Mn.SHRN; kind = 2; break;
    case 0x11: id = Mn.RSHRN; kind = 2; break;
    case 0x12: id = Mn.SQSHRN; kind = 2; break;
    case 0x13: id = Mn.SQRSHRN; kind = 2; break;
    case 0x14: id = Mn.SSHLL; kind = 3; break;
    case 0x1c: id = Mn.SCVTF; kind = 4; break;
    case 0x1f: id = Mn.FCVTZS; kind = 4; break;
    case 0x20: id = Mn.USHR; break;
    case 0x22: id = Mn.USRA; break;
    case 0x24: id = Mn.URSHR; break;
    case 0x26: id = Mn.URSRA; break;
    case 0x28: id = Mn.SRI; break;
    case 0x2a: id = Mn.SLI; kind = 1; break;
    case 0x2c: id = Mn.SQSHLU; kind = 1; break;
    case 0x2e: id = Mn.UQSHL; kind = 1; break;
    case 0x30: id = Mn.SQSHRUN; kind = 2; break;
    case 0x31: id = Mn.SQRSHRUN; kind = 2; break;
    case 0x32: id = Mn.UQSHRN; kind = 2; break;
    case 0x33: id = Mn.UQRSHRN; kind = 2; break;
    case 0x34: id = Mn.USHLL; kind = 3; break;
    case 0x3c: id = Mn.UCVTF; kind = 4; break;
    case 0x3f: id = Mn.FCVTZU; kind = 4; break;
    default: return false;
  }
  if (kind == 4) {
    if (size == 0) return false;
    if (scalar) {
      if (!mnv(id, false, A_NONE)) return true;
      sreg(rd(w), size);
      sreg(rn(w), size);
    } else {
      if (size == 3 && q == 0) return false;
      const t = arr(size, q);
      if (!mnv(id, false, t)) return true;
      vreg(rd(w), t);
      vreg(rn(w), t);
    }
    immHex(right);
    return true;
  }
  if (kind == 2) {
    if (size == 3) return false;
    if (scalar) {
      if (id == Mn.SHRN || id == Mn.RSHRN) return false;
      if (!mnv(id, false, A_NONE)) return true;
      sreg(rd(w), size);
      sreg(rn(w), size + 1);
    } else {
      const tb = arr(size, q);
      if (!mnv(id, q != 0, tb)) return true;
      vreg(rd(w), tb);
      vreg(rn(w), arr(size + 1, 1));
    }
    immHex(right);
    return true;
  }
  if (kind == 3) {
    if (scalar || size == 3) return false;
    const ta = arr(size + 1, 1);
    if (!mnv(id, q != 0, ta)) return true;
    vreg(rd(w), ta);
    vreg(rn(w), arr(size, q));
    immHex(left);
    return true;
  }
  if (scalar) {
    // Only the 64-bit forms exist for the plain shifts and accumulates.
    if (size != 3 && !(id == Mn.SQSHL || id == Mn.UQSHL || id == Mn.SQSHLU)) return false;
    if (!mnv(id, false, A_NONE)) return true;
    sreg(rd(w), size);
    sreg(rn(w), size);
  } else {
    if (size == 3 && q == 0) return false;
    const t = arr(size, q);
    if (!mnv(id, false, t)) return true;
    vreg(rd(w), t);
    vreg(rn(w), t);
  }
  immHex(kind == 1 ? left : right);
  return true;
}

// ------------------------------------------------------------ by element

/** Vector (scalar = false) or scalar x indexed element. */
function byElement(w: u32, scalar: bool): bool {
  const q = scalar ? 1 : (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 15;
  const l = (w >> 21) & 1;
  const m = (w >> 20) & 1;
  const h = (w >> 11) & 1;
  const rm4 = (w >> 16) & 15;
  // index and Rm for h (H:L:M, 4-bit Rm), s (H:L, 5-bit Rm), d (H)
  let id: Mn = Mn.UNKNOWN;
  // 0 same-type FP, 1 same-type integer, 2 long integer, 3 dot/fp8 and other special forms
  let kind = 0;
  switch ((u << 4) | opc) {
    case 0x01: id = Mn.FMLA; break;
    case 0x05: id = Mn.FMLS; break;
    case 0x09: id = Mn.FMUL; break;
    case 0x19: id = Mn.FMULX; break;
    case 0x08: id = Mn.MUL; kind = 1; break;
    case 0x0c: id = Mn.SQDMULH; kind = 1; break;
    case 0x0d: id = Mn.SQRDMULH; kind = 1; break;
    case 0x10: id = Mn.MLA; kind = 1; break;
    case 0x14: id = Mn.MLS; kind = 1; break;
    case 0x1d: id = Mn.SQRDMLAH; kind = 1; break;
    case 0x1f: id = Mn.SQRDMLSH; kind = 1; break;
    case 0x02: id = Mn.SMLAL; kind = 2; break;
    case 0x03: id = Mn.SQDMLAL; kind = 2; break;
    case 0x06: id = Mn.SMLSL; kind = 2; break;
    case 0x07: id = Mn.SQDMLSL; kind = 2; break;
    case 0x0a: id = Mn.SMULL; kind = 2; break;
    case 0x0b: id = Mn.SQDMULL; kind = 2; break;
    case 0x12: id = Mn.UMLAL; kind = 2; break;
    case 0x16: id = Mn.UMLSL; kind = 2; break;
    case 0x1a: id = Mn.UMULL; kind = 2; break;
    default:
      if (scalar) return false;
      return byElementSpecial(w);
  }
  if (kind == 0) {
    // FP: h (size 00, index H:L:M), s (10, H:L), d (11, H with L = 0)
    let es: u32;
    let idx: u32;
    let mreg = rm(w);
    if (size == 0) {
      es = 1;
      idx = (h << 2) | (l << 1) | m;
      mreg = rm4;
    } else if (size == 2) {
      es = 2;
      idx = (h << 1) | l;
    } else if (size == 3) {
      if (l != 0 || (!scalar && q == 0)) return false;
      es = 3;
      idx = h;
    } else return false;
    if (scalar) {
      if (!mnv(id, false, elt(es))) return true;
      sreg(rd(w), es);
      sreg(rn(w), es);
    } else {
      const t = es == 1 ? arr(1, q) : fpT(es - 2, q);
      if (!mnv(id, false, t)) return true;
      vreg(rd(w), t);
      vreg(rn(w), t);
    }
    velem(mreg, elt(es), idx);
    return true;
  }
  // integer: h or s elements
  let idx: u32;
  let mreg: u32;
  if (size == 1) {
    idx = (h << 2) | (l << 1) | m;
    mreg = rm4;
  } else if (size == 2) {
    idx = (h << 1) | l;
    mreg = rm(w);
  } else return false;
  if (kind == 1) {
    if (id == Mn.MUL || id == Mn.MLA || id == Mn.MLS) {
      if (scalar) return false;
    }
    if (scalar) {
      if (!mnv(id, false, elt(size))) return true;
      sreg(rd(w), size);
      sreg(rn(w), size);
    } else {
      const t = arr(size, q);
      if (!mnv(id, false, t)) return true;
      vreg(rd(w), t);
      vreg(rn(w), t);
    }
    velem(mreg, elt(size), idx);
    return true;
  }
  // long
  if (scalar) {
    if (id != Mn.SQDMLAL && id != Mn.SQDMLSL && id != Mn.SQDMULL) return false;
    if (!mnv(id, false, elt(size))) return true;
    sreg(rd(w), size + 1);
    sreg(rn(w), size);
  } else {
    const ta = arr(size + 1, 1);
    if (!mnv(id, q != 0, ta)) return true;
    vreg(rd(w), ta);
    vreg(rn(w), arr(size, q));
  }
  velem(mreg, elt(size), idx);
  return true;
}

/** By-element forms outside the classic table: FMLAL/FMLSL, dot products, BF16, FP8, FCMLA. */
function byElementSpecial(w: u32): bool {
  const q = (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 15;
  const l = (w >> 21) & 1;
  const m = (w >> 20) & 1;
  const h = (w >> 11) & 1;
  const rm4 = (w >> 16) & 15;
  const hlm = (h << 2) | (l << 1) | m;
  const hl = (h << 1) | l;
  switch ((u << 6) | (opc << 2) | size) {
    case 0x02: // 0 0000 10 FMLAL
    case 0x12: // 0 0100 10 FMLSL
    case 0x62: // 1 1000 10 FMLAL2
    case 0x72: {
      // 1 1100 10 FMLSL2
      const id = opc == 0 ? Mn.FMLAL : opc == 4 ? Mn.FMLSL : opc == 8 ? Mn.FMLAL2 : Mn.FMLSL2;
      if (!mnv(id, false, A_NONE)) return true;
      vreg(rd(w), q != 0 ? T_4S : T_2S);
      vreg(rn(w), q != 0 ? T_4H : T_2H);
      velem(rm4, T_H, hlm);
      return true;
    }
    case 0x00: // FP8 FDOT to single: 4b[i]
      if (!mnv(Mn.FDOT, false, A_NONE)) return true;
      vreg(rd(w), q != 0 ? T_4S : T_2S);
      vreg(rn(w), q != 0 ? T_16B : T_8B);
      velem(rm(w), T_4B, hl);
      return true;
    case 0x01: // FP8 FDOT to half: 2b[i]
      if (!mnv(Mn.FDOT, false, A_NONE)) return true;
      vreg(rd(w), q != 0 ? T_8H : T_4H);
      vreg(rn(w), q != 0 ? T_16B : T_8B);
      velem(rm4, T_2B, hlm);
      return true;
    case 0x03: {
      // FP8 FMLALB/FMLALT (Q selects T): b[i] with i = H:L:M:bit 19, Rm = bits 18:16
      const idx = (h << 3) | (l << 2) | (m << 1) | ((w >> 19) & 1);
      if (!mnv(q != 0 ? Mn.FMLALT : Mn.FMLALB, false, A_NONE)) return true;
      vreg(rd(w), T_8H);
      vreg(rn(w), T_16B);
      velem((w >> 16) & 7, T_B, idx);
      return true;
    }
    case 0x3a: // SDOT
    case 0x7a: // UDOT
    case 0x3c: // SUDOT
    case 0x3e: {
      // USDOT
      const id = u != 0 ? Mn.UDOT : size == 0 ? Mn.SUDOT : opc == 14 ? Mn.SDOT : Mn.USDOT;
      if (!mnv(id, false, A_NONE)) return true;
      vreg(rd(w), q != 0 ? T_4S : T_2S);
      vreg(rn(w), q != 0 ? T_16B : T_8B);
      velem(rm(w), T_4B, hl);
      return true;
    }
    case 0x3d: // BFDOT
      if (!mnv(Mn.BFDOT, false, A_NONE)) return true;
      vreg(rd(w), q != 0 ? T_4S : T_2S);
      vreg(rn(w), q != 0 ? T_8H : T_4H);
      velem(rm(w), T_2H, hl);
      return true;
    case 0x3f: // BFMLALB/BFMLALT
      if (!mnv(q != 0 ? Mn.BFMLALT : Mn.BFMLALB, false, A_ONLY)) return true;
      vreg(rd(w), T_4S);
      vreg(rn(w), T_8H);
      velem(rm4, T_H, hlm);
      return true;
    case 0x60: // FP8 FMLALLBB/FMLALLTB
    case 0x61: {
      // FMLALLBT/FMLALLTT
      const id = size == 0 ? (q != 0 ? Mn.FMLALLTB : Mn.FMLALLBB) : q != 0 ? Mn.FMLALLTT : Mn.FMLALLBT;
      if (!mnv(id, false, A_NONE)) return true;
      vreg(rd(w), T_4S);
      vreg(rn(w), T_16B);
      velem((w >> 16) & 7, T_B, (h << 3) | (l << 2) | (m << 1) | ((w >> 19) & 1));
      return true;
    }
  }
  // FCMLA (by element): U = 1, opcode 0rr1, size 01 (h, index H:L) or 10 (s, index H)
  if (u == 1 && (opc & 9) == 1) {
    const rot = (opc >> 1) & 3;
    let t: u32;
    let idx: u32;
    let es: u32;
    if (size == 1) {
      if (q == 0 && h != 0) return false;
      t = q != 0 ? T_8H : T_4H;
      idx = hl;
      es = T_H;
    } else if (size == 2) {
      if (q == 0 || l != 0) return false;
      t = T_4S;
      idx = h;
      es = T_S;
    } else return false;
    if (!mnv(Mn.FCMLA, false, t)) return true;
    vreg(rd(w), t);
    vreg(rn(w), t);
    velem(rm(w), es, idx);
    immDec(rot * 90);
    return true;
  }
  return false;
}

// -------------------------------------------------- three-register extension

function threeExt(w: u32): bool {
  const q = (w >> 30) & 1;
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 11) & 15;
  switch ((u << 6) | (opc << 2) | size) {
    case 0x0a: // SDOT
    case 0x0e: // USDOT
    case 0x4a: {
      // UDOT
      const id = u != 0 ? Mn.UDOT : opc == 2 ? Mn.SDOT : Mn.USDOT;
      if (!mnv(id, false, A_ONLY)) return true;
      vreg(rd(w), q != 0 ? T_4S : T_2S);
      vreg(rn(w), q != 0 ? T_16B : T_8B);
      vreg(rm(w), q != 0 ? T_16B : T_8B);
      return true;
    }
    case 0x12: // SMMLA
    case 0x16: // USMMLA
    case 0x52: {
      // UMMLA
      if (q == 0) return false;
      const id = u != 0 ? Mn.UMMLA : opc == 4 ? Mn.SMMLA : Mn.USMMLA;
      if (!mnv(id, false, A_ONLY)) return true;
      vreg(rd(w), T_4S);
      vreg(rn(w), T_16B);
      vreg(rm(w), T_16B);
      return true;
    }
    case 0x20: // FMLALLBB/FMLALLTB
    case 0x21: {
      // FMLALLBT/FMLALLTT
      const id = size == 0 ? (q != 0 ? Mn.FMLALLTB : Mn.FMLALLBB) : q != 0 ? Mn.FMLALLTT : Mn.FMLALLBT;
      if (!mnv(id, false, A_ONLY)) return true;
      vreg(rd(w), T_4S);
      vreg(rn(w), T_16B);
      vreg(rm(w), T_16B);
      return true;
    }
    case 0x38: // FP8 FCVTN from single
    case 0x39: {
      // from half
      const tn = size == 0 ? T_4S : q != 0 ? T_8H : T_4H;
      // LLVM has no Apple spelling for the FCVTN2 form of this encoding.
      if (!mnv(Mn.FCVTN, size == 0 && q != 0, size == 0 && q != 0 ? A_ONLY : A_GEN)) return true;
      vreg(rd(w), q != 0 ? T_16B : T_8B);
      vreg(rn(w), tn);
      vreg(rm(w), tn);
      return true;
    }
    case 0x3c: // FP8 FDOT to single
    case 0x3d: {
      // to half
      const td = size == 0 ? (q != 0 ? T_4S : T_2S) : q != 0 ? T_8H : T_4H;
      if (!mnv(Mn.FDOT, false, A_ONLY)) return true;
      vreg(rd(w), td);
      vreg(rn(w), q != 0 ? T_16B : T_8B);
      vreg(rm(w), q != 0 ? T_16B : T_8B);
      return true;
    }
    case 0x3f: // FP8 FMLALB/FMLALT
      if (!mnv(q != 0 ? Mn.FMLALT : Mn.FMLALB, false, A_ONLY)) return true;
      vreg(rd(w), T_8H);
      vreg(rn(w), T_16B);
      vreg(rm(w), T_16B);
      return true;
    case 0x41: // SQRDMLAH
    case 0x42:
    case 0x45: // SQRDMLSH
    case 0x46:
      return same3(opc == 0 ? Mn.SQRDMLAH : Mn.SQRDMLSH, arr(size, q), w);
    case 0x75: // BFMMLA
      if (q == 0) return false;
      if (!mnv(Mn.BFMMLA, false, A_ONLY)) return true;
      vreg(rd(w), T_4S);
      vreg(rn(w), T_8H);
      vreg(rm(w), T_8H);
      return true;
    case 0x7d: // BFDOT
      if (!mnv(Mn.BFDOT, false, A_ONLY)) return true;
      vreg(rd(w), q != 0 ? T_4S : T_2S);
      vreg(rn(w), q != 0 ? T_8H : T_4H);
      vreg(rm(w), q != 0 ? T_8H : T_4H);
      return true;
    case 0x7f: // BFMLALB/BFMLALT
      if (!mnv(q != 0 ? Mn.BFMLALT : Mn.BFMLALB, false, A_ONLY)) return true;
      vreg(rd(w), T_4S);
      vreg(rn(w), T_8H);
      vreg(rm(w), T_8H);
      return true;
  }
  if (u == 1 && (opc & 8) != 0) {
    // FCMLA (opcode 10rr) and FCADD (opcode 11r0)
    if (size == 0) return false;
    if (size == 3 && q == 0) return false;
    const t = arr(size, q);
    if ((opc & 4) == 0) {
      if (!mnv(Mn.FCMLA, false, t)) return true;
      vreg(rd(w), t);
      vreg(rn(w), t);
      vreg(rm(w), t);
      immDec((opc & 3) * 90);
      return true;
    }
    if ((opc & 1) != 0) return false;
    if (!mnv(Mn.FCADD, false, t)) return true;
    vreg(rd(w), t);
    vreg(rn(w), t);
    vreg(rm(w), t);
    immDec((opc & 2) != 0 ? 270 : 90);
    return true;
  }
  return false;
}

// ---------------------------------------------- permute, extract, tables

function permute(w: u32): bool {
  const q = (w >> 30) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 7;
  let id: Mn;
  switch (opc) {
    case 1: id = Mn.UZP1; break;
    case 2: id = Mn.TRN1; break;
    case 3: id = Mn.ZIP1; break;
    case 5: id = Mn.UZP2; break;
    case 6: id = Mn.TRN2; break;
    case 7: id = Mn.ZIP2; break;
    default: return false;
  }
  if (size == 3 && q == 0) return false;
  return same3(id, arr(size, q), w);
}

function extract(w: u32): bool {
  const q = (w >> 30) & 1;
  const imm4 = (w >> 11) & 15;
  if (((w >> 22) & 3) != 0) return false;
  if (q == 0 && imm4 >= 8) return false;
  const t = q != 0 ? T_16B : T_8B;
  if (!mnv(Mn.EXT, false, t)) return true;
  vreg(rd(w), t);
  vreg(rn(w), t);
  vreg(rm(w), t);
  immHex(imm4);
  return true;
}

function tableLookup(w: u32): bool {
  const q = (w >> 30) & 1;
  const op2 = (w >> 22) & 3;
  if (op2 == 0) {
    const len = ((w >> 13) & 3) + 1;
    const t = q != 0 ? T_16B : T_8B;
    if (!mnv((w & 0x1000) != 0 ? Mn.TBX : Mn.TBL, false, t)) return true;
    vreg(rd(w), t);
    vlist(rn(w), len, T_16B);
    vreg(rm(w), t);
    return true;
  }
  // LUTI2/LUTI4 (FEAT_LUT): Q = 1
  if (q == 0) return false;
  const b1210 = (w >> 10) & 7;
  let id: Mn;
  let t: u32;
  let regs: u32 = 1;
  let idx: u32;
  if (op2 == 2) {
    if (b1210 != 4) return false;
    id = Mn.LUTI2;
    t = T_16B;
    idx = (w >> 13) & 3;
  } else if (op2 == 3) {
    if ((b1210 & 3) != 0) return false;
    id = Mn.LUTI2;
    t = T_8H;
    idx = (w >> 12) & 7;
  } else {
    id = Mn.LUTI4;
    if ((w & 0x3c00) == 0x2000) {
      t = T_16B;
      idx = (w >> 14) & 1;
    } else if (b1210 == 4) {
      t = T_8H;
      regs = 2;
      idx = (w >> 13) & 3;
    } else return false;
  }
  if (!mnv(id, false, A_GEN)) return true;
  vreg(rd(w), t);
  vlist(rn(w), regs, t);
  opBegin();
  chr(118);
  dec(rm(w));
  chr(91);
  dec(idx);
  chr(93);
  return true;
}

// =============================================================== scalar

/** op0 = 01x1 (bits 31:30 = 01, bit 28 = 1): Advanced SIMD scalar and SHA. */
export function decodeAdvSimdScalar(w: u32): bool {
  if ((w & 0x01000000) != 0) {
    if ((w & 0x400) == 0) return byElement(w, true);
    if ((w & 0x00800000) != 0) return false;
    if (((w >> 19) & 15) == 0) return false;
    return shiftImm(w, true);
  }
  if ((w & 0x00200000) != 0) {
    const b1110 = (w >> 10) & 3;
    if ((b1110 & 1) != 0) return scalarThreeSame(w);
    if (b1110 == 0) return scalarThreeDiff(w);
    const b2017 = (w >> 17) & 15;
    if (b2017 == 0) return scalarTwoMisc(w, false);
    if (b2017 == 8) return scalarPairwise(w);
    if (b2017 == 12 && (w & 0x00400000) != 0) return scalarTwoMisc(w, true);
    if (b2017 == 4 && (w & 0xe0c00000) == 0x40000000) return sha2(w);
    return false;
  }
  if ((w & 0x400) != 0) {
    if ((w & 0x8000) != 0) return scalarThreeExt(w);
    if (((w >> 22) & 3) == 0) return scalarCopy(w);
    if ((w & 0x00400000) != 0 && (w & 0x4000) == 0) return scalarThreeSameFp16(w);
    return false;
  }
  if ((w & 0xe0000c00) == 0x40000000 && (w & 0x8000) == 0) return sha3(w);
  return false;
}

function scalarCopy(w: u32): bool {
  const imm5 = (w >> 16) & 31;
  if (((w >> 29) & 1) != 0 || ((w >> 11) & 15) != 0) return false;
  const size = imm5Size(imm5);
  if (size > 3) return false;
  // DUP (element), scalar: LLVM prints the MOV alias
  if (!mnv(Mn.MOV, false, A_NONE)) return true;
  sreg(rd(w), size);
  velem(rn(w), elt(size), imm5 >> (size + 1));
  return true;
}

function scalarThreeSame(w: u32): bool {
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 11) & 31;
  if (opc >= 0x18) {
    const a = (w >> 23) & 1;
    const sz = (w >> 22) & 1;
    return scalarFp3(w, u, a, opc & 7, 2 + sz);
  }
  let id: Mn = Mn.UNKNOWN;
  // 0: any size, 1: d only, 2: h and s only
  let cls = 0;
  switch ((u << 5) | opc) {
    case 0x01: id = Mn.SQADD; break;
    case 0x05: id = Mn.SQSUB; break;
    case 0x06: id = Mn.CMGT; cls = 1; break;
    case 0x07: id = Mn.CMGE; cls = 1; break;
    case 0x08: id = Mn.SSHL; cls = 1; break;
    case 0x09: id = Mn.SQSHL; break;
    case 0x0a: id = Mn.SRSHL; cls = 1; break;
    case 0x0b: id = Mn.SQRSHL; break;
    case 0x10: id = Mn.ADD; cls = 1; break;
    case 0x11: id = Mn.CMTST; cls = 1; break;
    case 0x16: id = Mn.SQDMULH; cls = 2; break;
    case 0x21: id = Mn.UQADD; break;
    case 0x25: id = Mn.UQSUB; break;
    case 0x26: id = Mn.CMHI; cls = 1; break;
    case 0x27: id = Mn.CMHS; cls = 1; break;
    case 0x28: id = Mn.USHL; cls = 1; break;
    case 0x29: id = Mn.UQSHL; break;
    case 0x2a: id = Mn.URSHL; cls = 1; break;
    case 0x2b: id = Mn.UQRSHL; break;
    case 0x30: id = Mn.SUB; cls = 1; break;
    case 0x31: id = Mn.CMEQ; cls = 1; break;
    case 0x36: id = Mn.SQRDMULH; cls = 2; break;
    default: return false;
  }
  if (cls == 1 && size != 3) return false;
  if (cls == 2 && (size == 0 || size == 3)) return false;
  if (!mnv(id, false, A_NONE)) return true;
  sreg(rd(w), size);
  sreg(rn(w), size);
  sreg(rm(w), size);
  return true;
}

/** Scalar three-same FP (single/double, or half with es = 1). */
function scalarFp3(w: u32, u: u32, a: u32, op: u32, es: u32): bool {
  let id: Mn = Mn.UNKNOWN;
  switch ((u << 4) | (a << 3) | op) {
    case 0x03: id = Mn.FMULX; break;
    case 0x04: id = Mn.FCMEQ; break;
    case 0x07: id = Mn.FRECPS; break;
    case 0x0f: id = Mn.FRSQRTS; break;
    case 0x14: id = Mn.FCMGE; break;
    case 0x15: id = Mn.FACGE; break;
    case 0x1a: id = Mn.FABD; break;
    case 0x1c: id = Mn.FCMGT; break;
    case 0x1d: id = Mn.FACGT; break;
    default: return false;
  }
  if (!mnv(id, false, A_NONE)) return true;
  sreg(rd(w), es);
  sreg(rn(w), es);
  sreg(rm(w), es);
  return true;
}

function scalarThreeSameFp16(w: u32): bool {
  return scalarFp3(w, (w >> 29) & 1, (w >> 23) & 1, (w >> 11) & 7, 1);
}

function scalarThreeExt(w: u32): bool {
  const size = (w >> 22) & 3;
  const opc = (w >> 11) & 15;
  if (((w >> 29) & 1) == 0 || opc > 1 || size == 0 || size == 3) return false;
  if (!mnv(opc == 0 ? Mn.SQRDMLAH : Mn.SQRDMLSH, false, A_NONE)) return true;
  sreg(rd(w), size);
  sreg(rn(w), size);
  sreg(rm(w), size);
  return true;
}

function scalarThreeDiff(w: u32): bool {
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 15;
  if (((w >> 29) & 1) != 0 || size == 0 || size == 3) return false;
  let id: Mn;
  switch (opc) {
    case 9: id = Mn.SQDMLAL; break;
    case 11: id = Mn.SQDMLSL; break;
    case 13: id = Mn.SQDMULL; break;
    default: return false;
  }
  if (!mnv(id, false, A_NONE)) return true;
  sreg(rd(w), size + 1);
  sreg(rn(w), size);
  sreg(rm(w), size);
  return true;
}

function scalarTwoMisc(w: u32, half: bool): bool {
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 31;
  if (!half) {
    let id: Mn = Mn.UNKNOWN;
    let cls = 0; // 0 any size, 1 d only, 2 narrow
    switch ((u << 5) | opc) {
      case 0x03: id = Mn.SUQADD; break;
      case 0x07: id = Mn.SQABS; break;
      case 0x08: id = Mn.CMGT; cls = 1; break;
      case 0x09: id = Mn.CMEQ; cls = 1; break;
      case 0x0a: id = Mn.CMLT; cls = 1; break;
      case 0x0b: id = Mn.ABS; cls = 1; break;
      case 0x14: id = Mn.SQXTN; cls = 2; break;
      case 0x23: id = Mn.USQADD; break;
      case 0x27: id = Mn.SQNEG; break;
      case 0x28: id = Mn.CMGE; cls = 1; break;
      case 0x29: id = Mn.CMLE; cls = 1; break;
      case 0x2b: id = Mn.NEG; cls = 1; break;
      case 0x32: id = Mn.SQXTUN; cls = 2; break;
      case 0x34: id = Mn.UQXTN; cls = 2; break;
    }
    if (id != Mn.UNKNOWN) {
      if (cls == 1 && size != 3) return false;
      if (cls == 2) {
        if (size == 3) return false;
        if (!mnv(id, false, A_NONE)) return true;
        sreg(rd(w), size);
        sreg(rn(w), size + 1);
        return true;
      }
      if (!mnv(id, false, A_NONE)) return true;
      sreg(rd(w), size);
      sreg(rn(w), size);
      if (opc >= 8 && opc <= 10) izero();
      return true;
    }
    if (u == 1 && opc == 0x16) {
      // FCVTXN d -> s
      if (size != 1) return false;
      if (!mnv(Mn.FCVTXN, false, A_NONE)) return true;
      sreg(rd(w), 2);
      sreg(rn(w), 3);
      return true;
    }
  }
  if (opc < 0x0c) return false;
  const a = (w >> 23) & 1;
  let id = fpMiscId(u, a, opc);
  if (u == 0 && a == 1 && opc == 0x1f) id = Mn.FRECPX;
  switch (id) {
    case Mn.FCVTNS:
    case Mn.FCVTMS:
    case Mn.FCVTAS:
    case Mn.SCVTF:
    case Mn.FCVTPS:
    case Mn.FCVTZS:
    case Mn.FCVTNU:
    case Mn.FCVTMU:
    case Mn.FCVTAU:
    case Mn.UCVTF:
    case Mn.FCVTPU:
    case Mn.FCVTZU:
    case Mn.FRECPE:
    case Mn.FRSQRTE:
    case Mn.FRECPX:
    case Mn.FCMGT:
    case Mn.FCMEQ:
    case Mn.FCMLT:
    case Mn.FCMGE:
    case Mn.FCMLE:
      break;
    default:
      return false;
  }
  const es = half ? 1 : 2 + ((w >> 22) & 1);
  if (!mnv(id, false, A_NONE)) return true;
  sreg(rd(w), es);
  sreg(rn(w), es);
  if (id == Mn.FCMGT || id == Mn.FCMEQ || id == Mn.FCMLT || id == Mn.FCMGE || id == Mn.FCMLE) fzero();
  return true;
}

function scalarPairwise(w: u32): bool {
  const u = (w >> 29) & 1;
  const size = (w >> 22) & 3;
  const opc = (w >> 12) & 31;
  if (u == 0 && opc == 0x1b) {
    if (size != 3) return false;
    if (!mnv(Mn.ADDP, false, T_2D)) return true;
    sreg(rd(w), 3);
    vreg(rn(w), T_2D);
    return true;
  }
  const a = (w >> 23) & 1;
  let id: Mn;
  switch ((a << 5) | opc) {
    case 0x0c: id = Mn.FMAXNMP; break;
    case 0x0d: id = Mn.FADDP; break;
    case 0x0f: id = Mn.FMAXP; break;
    case 0x2c: id = Mn.FMINNMP; break;
    case 0x2f: id = Mn.FMINP; break;
    default: return false;
  }
  // U = 0: half precision (sz must be 0); U = 1: single or double
  let es: u32;
  let t: u32;
  if (u == 0) {
    if ((size & 1) != 0) return false;
    es = 1;
    t = T_2H;
  } else {
    es = 2 + (size & 1);
    t = es == 3 ? T_2D : T_2S;
  }
  if (!mnv(id, false, t)) return true;
  sreg(rd(w), es);
  vreg(rn(w), t);
  return true;
}

// ------------------------------------------------------------------ SHA

/** SHA1/SHA256 three-register: 0101 1110 000 Rm 0 opcode 00. */
function sha3(w: u32): bool {
  if (((w >> 22) & 3) != 0) return false;
  const opc = (w >> 12) & 7;
  let id: Mn;
  switch (opc) {
    case 0: id = Mn.SHA1C; break;
    case 1: id = Mn.SHA1P; break;
    case 2: id = Mn.SHA1M; break;
    case 3: id = Mn.SHA1SU0; break;
    case 4: id = Mn.SHA256H; break;
    case 5: id = Mn.SHA256H2; break;
    case 6: id = Mn.SHA256SU1; break;
    default: return false;
  }
  if (!mnv(id, false, T_4S)) return true;
  if (opc == 3 || opc == 6) {
    vreg(rd(w), T_4S);
    vreg(rn(w), T_4S);
  } else {
    sreg(rd(w), 4);
    sreg(rn(w), opc < 3 ? 2 : 4);
  }
  vreg(rm(w), T_4S);
  return true;
}

/** SHA1/SHA256 two-register: 0101 1110 0010 1000 opcode 10. */
function sha2(w: u32): bool {
  const opc = (w >> 12) & 31;
  if (opc == 0) {
    if (!mnv(Mn.SHA1H, false, A_NONE)) return true;
    sreg(rd(w), 2);
    sreg(rn(w), 2);
    return true;
  }
  if (opc == 1) return two(Mn.SHA1SU1, T_4S, T_4S, w, T_4S);
  if (opc == 2) return two(Mn.SHA256SU0, T_4S, T_4S, w, T_4S);
  return false;
}

