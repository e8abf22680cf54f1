// Data Processing -- Scalar Floating-Point and Advanced SIMD (Arm ARM C4.1.95,
// op0 = x111): the group dispatch on bits 31:28, the scalar FP groups
// (data processing 1/2/3 source, compare, conditional compare and select,
// immediate, conversions to and from integer and fixed point) and the
// cryptographic extensions with bits 31:28 = 1100 (SHA512, SHA3, SM3, SM4).
// Advanced SIMD proper is in advsimd.ts.

import { Mn } from './mnemonics';
import { gpr, immHex, cond } from './out';
import { T_16B, T_4S, T_2D, T_D, T_S, A_NONE, mnv, vreg, velem, sreg, fzero, fpImm8 } from './simd_out';
import { decodeAdvSimdVector, decodeAdvSimdScalar } from './advsimd';

export function decodeFpSimd(w: u32): bool {
  const top = w >> 28;
  if ((top & 5) == 1) return fpScalar(w); // x0x1
  if ((top & 8) != 0) return top == 12 ? crypto(w) : false;
  if ((top & 1) == 0) return decodeAdvSimdVector(w); // 0xx0
  return decodeAdvSimdScalar(w); // 01x1
}

@inline function rd(w: u32): u32 {
  return w & 31;
}
@inline function rn(w: u32): u32 {
  return (w >> 5) & 31;
}
@inline function rm(w: u32): u32 {
  return (w >> 16) & 31;
}

/** Register size letter index for ftype (00 s, 01 d, 11 h), or 0xff for 10. */
@inline function ftSize(ftype: u32): u32 {
  return ftype == 0 ? 2 : ftype == 1 ? 3 : ftype == 3 ? 1 : 0xff;
}

// =========================================================== scalar FP

function fpScalar(w: u32): bool {
  const ftype = (w >> 22) & 3;
  if ((w & 0x01000000) != 0) return fpDp3(w, ftype);
  if ((w & 0x00200000) == 0) return fpFixed(w, ftype);
  const low = (w >> 10) & 63;
  switch (low & 3) {
    case 1:
      return fpCondCompare(w, ftype);
    case 2:
      return fpDp2(w, ftype);
    case 3:
      return fpCondSelect(w, ftype);
  }
  if ((low & 7) == 4) return fpImm(w, ftype);
  if ((low & 15) == 8) return fpCompare(w, ftype);
  if ((low & 31) == 16) return fpDp1(w, ftype);
  if (low == 0) return fpInt(w, ftype);
  return false;
}

/** M and S (bits 31, 29) must be zero outside the conversions. */
@inline function msZero(w: u32): bool {
  return (w & 0xa0000000) == 0;
}

function fpDp3(w: u32, ftype: u32): bool {
  const s = ftSize(ftype);
  if (!msZero(w) || s == 0xff) return false;
  const o = (((w >> 21) & 1) << 1) | ((w >> 15) & 1);
  const id = o == 0 ? Mn.FMADD : o == 1 ? Mn.FMSUB : o == 2 ? Mn.FNMADD : Mn.FNMSUB;
  mnv(id, false, A_NONE);
  sreg(rd(w), s);
  sreg(rn(w), s);
  sreg(rm(w), s);
  sreg((w >> 10) & 31, s);
  return true;
}

function fpDp2(w: u32, ftype: u32): bool {
  const s = ftSize(ftype);
  if (!msZero(w) || s == 0xff) return false;
  let id: Mn;
  switch ((w >> 12) & 15) {
    case 0: id = Mn.FMUL; break;
    case 1: id = Mn.FDIV; break;
    case 2: id = Mn.FADD; break;
    case 3: id = Mn.FSUB; break;
    case 4: id = Mn.FMAX; break;
    case 5: id = Mn.FMIN; break;
    case 6: id = Mn.FMAXNM; break;
    case 7: id = Mn.FMINNM; break;
    case 8: id = Mn.FNMUL; break;
    default: return false;
  }
  mnv(id, false, A_NONE);
  sreg(rd(w), s);
  sreg(rn(w), s);
  sreg(rm(w), s);
  return true;
}

function fpDp1(w: u32, ftype: u32): bool {
  if (!msZero(w)) return false;
  const opc = (w >> 15) & 63;
  const s = ftSize(ftype);
  if (opc == 6) {
    // BFCVT: single to BFloat16
    if (ftype != 1) return false;
    mnv(Mn.BFCVT, false, A_NONE);
    sreg(rd(w), 1);
    sreg(rn(w), 2);
    return true;
  }
  if (s == 0xff) return false;
  if ((opc & 0x3c) == 4) {
    // FCVT between precisions: bits 16:15 give the destination type
    const ds = ftSize(opc & 3);
    if (ds == 0xff || (opc & 3) == ftype) return false;
    mnv(Mn.FCVT, false, A_NONE);
    sreg(rd(w), ds);
    sreg(rn(w), s);
    return true;
  }
  let id: Mn;
  switch (opc) {
    case 0: id = Mn.FMOV; break;
    case 1: id = Mn.FABS; break;
    case 2: id = Mn.FNEG; break;
    case 3: id = Mn.FSQRT; break;
    case 8: id = Mn.FRINTN; break;
    case 9: id = Mn.FRINTP; break;
    case 10: id = Mn.FRINTM; break;
    case 11: id = Mn.FRINTZ; break;
    case 12: id = Mn.FRINTA; break;
    case 14: id = Mn.FRINTX; break;
    case 15: id = Mn.FRINTI; break;
    case 16: id = Mn.FRINT32Z; break;
    case 17: id = Mn.FRINT32X; break;
    case 18: id = Mn.FRINT64Z; break;
    case 19: id = Mn.FRINT64X; break;
    default: return false;
  }
  if (opc >= 16 && ftype == 3) return false;
  mnv(id, false, A_NONE);
  sreg(rd(w), s);
  sreg(rn(w), s);
  return true;
}

function fpCompare(w: u32, ftype: u32): bool {
  const s = ftSize(ftype);
  if (!msZero(w) || s == 0xff) return false;
  if (((w >> 14) & 3) != 0 || (w & 7) != 0) return false;
  mnv((w & 0x10) != 0 ? Mn.FCMPE : Mn.FCMP, false, A_NONE);
  sreg(rn(w), s);
  if ((w & 8) != 0) fzero();
  else sreg(rm(w), s);
  return true;
}

function fpCondCompare(w: u32, ftype: u32): bool {
  const s = ftSize(ftype);
  if (!msZero(w) || s == 0xff) return false;
  mnv((w & 0x10) != 0 ? Mn.FCCMPE : Mn.FCCMP, false, A_NONE);
  sreg(rn(w), s);
  sreg(rm(w), s);
  immHex(w & 15);
  cond((w >> 12) & 15);
  return true;
}

function fpCondSelect(w: u32, ftype: u32): bool {
  const s = ftSize(ftype);
  if (!msZero(w) || s == 0xff) return false;
  mnv(Mn.FCSEL, false, A_NONE);
  sreg(rd(w), s);
  sreg(rn(w), s);
  sreg(rm(w), s);
  cond((w >> 12) & 15);
  return true;
}

function fpImm(w: u32, ftype: u32): bool {
  const s = ftSize(ftype);
  if (!msZero(w) || s == 0xff || ((w >> 5) & 31) != 0) return false;
  mnv(Mn.FMOV, false, A_NONE);
  sreg(rd(w), s);
  fpImm8((w >> 13) & A_NONE);
  return true;
}

/** Conversion between FP and fixed point (bit 21 = 0). */
function fpFixed(w: u32, ftype: u32): bool {
  const sf = w >> 31;
  const s = ftSize(ftype);
  if ((w & 0x20000000) != 0 || s == 0xff) return false;
  const scale = (w >> 10) & 63;
  if (sf == 0 && scale < 32) return false;
  const rmop = (w >> 16) & 31; // rmode:opcode
  let id: Mn;
  let toInt: bool;
  switch (rmop) {
    case 0x02: id = Mn.SCVTF; toInt = false; break;
    case 0x03: id = Mn.UCVTF; toInt = false; break;
    case 0x18: id = Mn.FCVTZS; toInt = true; break;
    case 0x19: id = Mn.FCVTZU; toInt = true; break;
    default: return false;
  }
  mnv(id, false, A_NONE);
  if (toInt) {
    gpr(rd(w), sf != 0);
    sreg(rn(w), s);
  } else {
    sreg(rd(w), s);
    gpr(rn(w), sf != 0);
  }
  immHex(64 - scale);
  return true;
}

/** Conversion between FP and integer (bits 15:10 = 0). */
function fpInt(w: u32, ftype: u32): bool {
  const sf = w >> 31;
  if ((w & 0x20000000) != 0) return false;
  const rmode = (w >> 19) & 3;
  const opc = (w >> 16) & 7;
  const s = ftSize(ftype);
  if (opc >= 6) {
    // FMOV (general)
    if (rmode == 1) {
      if (sf == 0 || ftype != 2) return false;
      mnv(Mn.FMOV, false, T_D);
      if (opc == 6) {
        gpr(rd(w), true);
        velem(rn(w), T_D, 1);
      } else {
        velem(rd(w), T_D, 1);
        gpr(rn(w), true);
      }
      return true;
    }
    if (rmode == 3 && opc == 6 && sf == 0 && ftype == 1) {
      mnv(Mn.FJCVTZS, false, A_NONE);
      gpr(rd(w), false);
      sreg(rn(w), 3);
      return true;
    }
    if (rmode != 0 || s == 0xff) return false;
    if (ftype == 0 && sf != 0) return false;
    if (ftype == 1 && sf == 0) return false;
    mnv(Mn.FMOV, false, A_NONE);
    if (opc == 6) {
      gpr(rd(w), sf != 0);
      sreg(rn(w), s);
    } else {
      sreg(rd(w), s);
      gpr(rn(w), sf != 0);
    }
    return true;
  }
  if (s == 0xff) return false;
  let id: Mn;
  if (opc < 2) {
    const u = opc == 1;
    switch (rmode) {
      case 0: id = u ? Mn.FCVTNU : Mn.FCVTNS; break;
      case 1: id = u ? Mn.FCVTPU : Mn.FCVTPS; break;
      case 2: id = u ? Mn.FCVTMU : Mn.FCVTMS; break;
      default: id = u ? Mn.FCVTZU : Mn.FCVTZS;
    }
  } else {
    if (rmode != 0) return false;
    id = opc == 2 ? Mn.SCVTF : opc == 3 ? Mn.UCVTF : opc == 4 ? Mn.FCVTAS : Mn.FCVTAU;
  }
  mnv(id, false, A_NONE);
  if (opc == 2 || opc == 3) {
    sreg(rd(w), s);
    gpr(rn(w), sf != 0);
  } else {
    gpr(rd(w), sf != 0);
    sreg(rn(w), s);
  }
  return true;
}

// ============================================================== crypto

/** Bits 31:28 = 1100: SHA512, SHA3 (EOR3, BCAX, RAX1, XAR), SM3, SM4. */
function crypto(w: u32): bool {
  if ((w & 0x01000000) != 0) return false;
  const op = (w >> 21) & 7; // bits 23:21
  if (op == 2 && (w & 0xc000) == 0x8000) return sm3tt(w);
  if (op < 3) {
    // four-register: EOR3, BCAX, SM3SS1 (bit 15 = 0)
    if ((w & 0x8000) != 0) return false;
    const id = op == 0 ? Mn.EOR3 : op == 1 ? Mn.BCAX : Mn.SM3SS1;
    const t = op == 2 ? T_4S : T_16B;
    if (!mnv(id, false, t)) return true;
    vreg(rd(w), t);
    vreg(rn(w), t);
    vreg(rm(w), t);
    vreg((w >> 10) & 31, t);
    return true;
  }
  if (op == 4) {
    // XAR
    if (!mnv(Mn.XAR, false, T_2D)) return true;
    vreg(rd(w), T_2D);
    vreg(rn(w), T_2D);
    vreg(rm(w), T_2D);
    immHex((w >> 10) & 63);
    return true;
  }
  if (op == 6) {
    // SHA512SU0, SM4E: 1100 1110 1100 0000 1000 opcode
    if ((w & 0x001ff000) != 0x00008000) return false;
    const opc = (w >> 10) & 3;
    if (opc > 1) return false;
    const t = opc == 0 ? T_2D : T_4S;
    if (!mnv(opc == 0 ? Mn.SHA512SU0 : Mn.SM4E, false, t)) return true;
    vreg(rd(w), t);
    vreg(rn(w), t);
    return true;
  }
  if (op == 3) {
    // SHA512 three-register (bit 15 = 1, bits 13:12 = 00)
    if ((w & 0xb000) != 0x8000) return false;
    const o = (w >> 14) & 1;
    const opc = (w >> 10) & 3;
    if (o == 0) {
      if (opc < 2) {
        if (!mnv(opc == 0 ? Mn.SHA512H : Mn.SHA512H2, false, T_2D)) return true;
        sreg(rd(w), 4);
        sreg(rn(w), 4);
        vreg(rm(w), T_2D);
        return true;
      }
      const id = opc == 2 ? Mn.SHA512SU1 : Mn.RAX1;
      if (!mnv(id, false, T_2D)) return true;
      vreg(rd(w), T_2D);
      vreg(rn(w), T_2D);
      vreg(rm(w), T_2D);
      return true;
    }
    if (opc == 3) return false;
    const id = opc == 0 ? Mn.SM3PARTW1 : opc == 1 ? Mn.SM3PARTW2 : Mn.SM4EKEY;
    if (!mnv(id, false, T_4S)) return true;
    vreg(rd(w), T_4S);
    vreg(rn(w), T_4S);
    vreg(rm(w), T_4S);
    return true;
  }
  return false;
}

/** SM3TT1A, SM3TT1B, SM3TT2A, SM3TT2B: 1100 1110 010 Rm 10 imm2 opcode. */
function sm3tt(w: u32): bool {
  const opc = (w >> 10) & 3;
  const id = opc == 0 ? Mn.SM3TT1A : opc == 1 ? Mn.SM3TT1B : opc == 2 ? Mn.SM3TT2A : Mn.SM3TT2B;
  if (!mnv(id, false, T_4S)) return true;
  vreg(rd(w), T_4S);
  vreg(rn(w), T_4S);
  velem(rm(w), T_S, (w >> 12) & 3);
  return true;
}
