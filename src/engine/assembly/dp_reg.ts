// Data processing — register (op0 = x101, Arm ARM C4.1.90): logical and
// add/sub (shifted), add/sub (extended), with carry, RMIF/SETF, conditional
// compare and select, 1-source (incl. the PAC data forms), 2-source, 3-source.
// Aliases as LLVM prints them: mov, mvn, tst, neg(s), cmp, cmn, ngc(s),
// cset(m), cinc, cinv, cneg, mul, mneg, smull/umull, smnegl/umnegl, lsl/lsr/
// asr/ror for the *V forms, cmpp.

import { Mn } from './mnemonics';
import { mn, chr, dec, gpr, gprSp, x, immHex, shift, cond, extendText, sep, setOutBack, apple } from './out';
import { dp1PacMnemonic } from './pac';

export function decodeDpReg(w: u32): bool {
  const op1 = (w >> 28) & 1;
  const op2 = (w >> 21) & 15;
  if (op1 == 0) {
    if ((op2 & 8) == 0) return logicalShifted(w);
    if ((op2 & 1) == 0) return addSubShifted(w);
    return addSubExtended(w);
  }
  switch (op2) {
    case 0:
      return withCarry(w);
    case 2:
      return condCompare(w);
    case 4:
      return condSelect(w);
    case 6:
      return (w >> 30) & 1 ? dp1(w) : dp2(w);
    default:
      if ((op2 & 8) != 0) return dp3(w);
      return false;
  }
}

/** `, lsl #3` after a shifted-register operand; nothing for LSL #0. */
function shiftOp(kind: u32, amount: u32): void {
  if (kind == 0 && amount == 0) return;
  shift(kind, amount);
}

// opc:N → mnemonic (a module constant: a literal inside the function would allocate per call).
const LOGICAL_IDS: StaticArray<i32> = [Mn.AND, Mn.BIC, Mn.ORR, Mn.ORN, Mn.EOR, Mn.EON, Mn.ANDS, Mn.BICS];

function logicalShifted(w: u32): bool {
  const sf = (w >> 31) != 0;
  const opc = (w >> 29) & 3;
  const sh = (w >> 22) & 3;
  const nbit = (w >> 21) & 1;
  const rm = (w >> 16) & 31;
  const imm6 = (w >> 10) & 63;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if (!sf && imm6 >= 32) return false;
  if (opc == 1 && nbit == 0 && rn == 31 && sh == 0 && imm6 == 0) {
    mn(Mn.MOV);
    gpr(rd, sf);
    gpr(rm, sf);
    return true;
  }
  if (opc == 1 && nbit == 1 && rn == 31) {
    mn(Mn.MVN);
    gpr(rd, sf);
    gpr(rm, sf);
    shiftOp(sh, imm6);
    return true;
  }
  if (opc == 3 && nbit == 0 && rd == 31) {
    mn(Mn.TST);
    gpr(rn, sf);
    gpr(rm, sf);
    shiftOp(sh, imm6);
    return true;
  }
  mn(<Mn>unchecked(LOGICAL_IDS[(opc << 1) | nbit]));
  gpr(rd, sf);
  gpr(rn, sf);
  gpr(rm, sf);
  shiftOp(sh, imm6);
  return true;
}

function addSubShifted(w: u32): bool {
  const sf = (w >> 31) != 0;
  const op = (w >> 30) & 1;
  const s = (w >> 29) & 1;
  const sh = (w >> 22) & 3;
  const rm = (w >> 16) & 31;
  const imm6 = (w >> 10) & 63;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if (sh == 3) return false;
  if (!sf && imm6 >= 32) return false;
  if (s != 0 && rd == 31) {
    mn(op != 0 ? Mn.CMP : Mn.CMN);
    gpr(rn, sf);
  } else if (op != 0 && rn == 31) {
    mn(s != 0 ? Mn.NEGS : Mn.NEG);
    gpr(rd, sf);
  } else {
    mn(op != 0 ? (s != 0 ? Mn.SUBS : Mn.SUB) : s != 0 ? Mn.ADDS : Mn.ADD);
    gpr(rd, sf);
    gpr(rn, sf);
  }
  gpr(rm, sf);
  shiftOp(sh, imm6);
  return true;
}

function addSubExtended(w: u32): bool {
  const sf = (w >> 31) != 0;
  const op = (w >> 30) & 1;
  const s = (w >> 29) & 1;
  const opt = (w >> 22) & 3;
  const rm = (w >> 16) & 31;
  const option = (w >> 13) & 7;
  const imm3 = (w >> 10) & 7;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if (opt != 0 || imm3 > 4) return false;
  if (s != 0 && rd == 31) {
    mn(op != 0 ? Mn.CMP : Mn.CMN);
    gprSp(rn, sf);
  } else {
    mn(op != 0 ? (s != 0 ? Mn.SUBS : Mn.SUB) : s != 0 ? Mn.ADDS : Mn.ADD);
    if (s != 0) gpr(rd, sf);
    else gprSp(rd, sf);
    gprSp(rn, sf);
  }
  gpr(rm, sf && (option & 3) == 3);
  // UXTX (64-bit) / UXTW (32-bit) next to SP is printed as LSL (AArch64InstPrinter::printArithExtend).
  const spInvolved = rn == 31 || (s == 0 && rd == 31);
  if (spInvolved && option == (sf ? 3 : 2)) {
    if (imm3 != 0) shift(0, imm3);
    return true;
  }
  sep();
  extendText(option);
  if (imm3 != 0) {
    chr(32);
    chr(35);
    dec(imm3);
  }
  return true;
}

function withCarry(w: u32): bool {
  const sf = (w >> 31) != 0;
  const op = (w >> 30) & 1;
  const s = (w >> 29) & 1;
  const op3 = (w >> 10) & 63;
  const rm = (w >> 16) & 31;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if ((op3 & 0x38) == 8 && sf && s == 0) {
    // ADDPT/SUBPT (FEAT_CPA): Xd|SP, Xn|SP, Xm{, LSL #imm3}
    mn(op != 0 ? Mn.SUBPT : Mn.ADDPT);
    gprSp(rd, true);
    gprSp(rn, true);
    x(rm);
    shiftOp(0, op3 & 7);
    return true;
  }
  if (op3 == 0) {
    if (op != 0 && rn == 31) {
      mn(s != 0 ? Mn.NGCS : Mn.NGC);
      gpr(rd, sf);
    } else {
      mn(op != 0 ? (s != 0 ? Mn.SBCS : Mn.SBC) : s != 0 ? Mn.ADCS : Mn.ADC);
      gpr(rd, sf);
      gpr(rn, sf);
    }
    gpr(rm, sf);
    return true;
  }
  if ((op3 & 31) == 1) {
    // RMIF (FEAT_FlagM): sf=1, op=0, S=1, o2 (bit 4) = 0
    if (!sf || op != 0 || s == 0 || (w & 16) != 0) return false;
    mn(Mn.RMIF);
    if (apple) return true; // LLVM 19's Apple-syntax string for RMIF has no operands
    x(rn);
    immHex(<i64>((w >> 15) & 63));
    immHex(<i64>(w & 15));
    return true;
  }
  if ((op3 & 15) == 2) {
    // SETF8/SETF16: sf=0, op=0, S=1, opcode2 = 0, Rd = 01101
    if (sf || op != 0 || s == 0 || rm != 0 || ((w >> 15) & 31) != 0 || rd != 13) return false;
    mn((w >> 14) & 1 ? Mn.SETF16 : Mn.SETF8);
    gpr(rn, false);
    return true;
  }
  return false;
}

function condCompare(w: u32): bool {
  const sf = (w >> 31) != 0;
  const op = (w >> 30) & 1;
  if (((w >> 29) & 1) == 0 || (w & 0x410) != 0) return false; // S = 1, o2 = 0, o3 = 0
  mn(op != 0 ? Mn.CCMP : Mn.CCMN);
  gpr((w >> 5) & 31, sf);
  const f = (w >> 16) & 31;
  if ((w >> 11) & 1) immHex(<i64>f);
  else gpr(f, sf);
  immHex(<i64>(w & 15));
  cond((w >> 12) & 15);
  return true;
}

function condSelect(w: u32): bool {
  const sf = (w >> 31) != 0;
  const op = (w >> 30) & 1;
  const op2 = (w >> 10) & 3;
  if (((w >> 29) & 1) != 0 || op2 > 1) return false;
  const rm = (w >> 16) & 31;
  const c = (w >> 12) & 15;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  const inv = c < 14; // the aliases invert the condition, so AL/NV have none
  if (op2 == 1 && rm == rn && inv) {
    if (op == 0) {
      // CSINC: cset / cinc
      if (rn == 31) {
        mn(Mn.CSET);
        gpr(rd, sf);
      } else {
        mn(Mn.CINC);
        gpr(rd, sf);
        gpr(rn, sf);
      }
    } else {
      mn(Mn.CNEG);
      gpr(rd, sf);
      gpr(rn, sf);
    }
    cond(c ^ 1);
    return true;
  }
  if (op == 1 && op2 == 0 && rm == rn && inv) {
    // CSINV: csetm / cinv
    if (rn == 31) {
      mn(Mn.CSETM);
      gpr(rd, sf);
    } else {
      mn(Mn.CINV);
      gpr(rd, sf);
      gpr(rn, sf);
    }
    cond(c ^ 1);
    return true;
  }
  mn(op == 0 ? (op2 == 0 ? Mn.CSEL : Mn.CSINC) : op2 == 0 ? Mn.CSINV : Mn.CSNEG);
  gpr(rd, sf);
  gpr(rn, sf);
  gpr(rm, sf);
  cond(c);
  return true;
}

function dp1(w: u32): bool {
  const sf = (w >> 31) != 0;
  if (((w >> 29) & 1) != 0) return false;
  const opcode2 = (w >> 16) & 31;
  const opcode = (w >> 10) & 63;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if (opcode2 == 1) {
    if (!sf) return false;
    const m = dp1PacMnemonic(opcode, rn, rd);
    if (m == Mn.UNKNOWN) return false;
    mn(m);
    if (opcode < 8) {
      x(rd);
      gprSp(rn, true);
    } else if (opcode < 18) x(rd);
    else if (m == Mn.AUTIASPPCR || m == Mn.AUTIBSPPCR) x(rn);
    return true;
  }
  if (opcode2 != 0) return false;
  let m: Mn;
  switch (opcode) {
    case 0: m = Mn.RBIT; break;
    case 1: m = Mn.REV16; break;
    case 2: m = sf ? Mn.REV32 : Mn.REV; break;
    case 3:
      if (!sf) return false;
      m = Mn.REV;
      break;
    case 4: m = Mn.CLZ; break;
    case 5: m = Mn.CLS; break;
    case 6: m = Mn.CTZ; break;
    case 7: m = Mn.CNT; break;
    case 8: m = Mn.ABS; break;
    default: return false;
  }
  mn(m);
  gpr(rd, sf);
  gpr(rn, sf);
  return true;
}

function dp2(w: u32): bool {
  const sf = (w >> 31) != 0;
  const s = (w >> 29) & 1;
  const rm = (w >> 16) & 31;
  const opcode = (w >> 10) & 63;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if (opcode == 0) {
    // SUBP/SUBPS/CMPP (FEAT_MTE)
    if (!sf) return false;
    // LLVM prints SUBPS with XZR as `subps xzr, …`, not as its CMPP alias.
    mn(s != 0 ? Mn.SUBPS : Mn.SUBP);
    x(rd);
    gprSp(rn, true);
    gprSp(rm, true);
    return true;
  }
  if (s != 0) return false;
  let m: Mn;
  switch (opcode) {
    case 2: m = Mn.UDIV; break;
    case 3: m = Mn.SDIV; break;
    case 4:
      // IRG Xd|SP, Xn|SP{, Xm}
      if (!sf) return false;
      mn(Mn.IRG);
      gprSp(rd, true);
      gprSp(rn, true);
      if (rm != 31) x(rm);
      return true;
    case 5:
      if (!sf) return false;
      mn(Mn.GMI);
      x(rd);
      gprSp(rn, true);
      x(rm);
      return true;
    case 8: m = Mn.LSL; break;
    case 9: m = Mn.LSR; break;
    case 10: m = Mn.ASR; break;
    case 11: m = Mn.ROR; break;
    case 12:
      if (!sf) return false;
      mn(Mn.PACGA);
      x(rd);
      x(rn);
      gprSp(rm, true);
      return true;
    case 24: m = Mn.SMAX; break;
    case 25: m = Mn.UMAX; break;
    case 26: m = Mn.SMIN; break;
    case 27: m = Mn.UMIN; break;
    default: {
      if (opcode < 16 || opcode > 23) return false;
      // CRC32{B,H,W,X} / CRC32C*: X forms need sf = 1, the others sf = 0
      const sz = opcode & 3;
      if ((sz == 3) != sf) return false;
      mn((opcode & 4) != 0 ? Mn.CRC32CB : Mn.CRC32B);
      setCrcSuffix(sz);
      gpr(rd, false);
      gpr(rn, false);
      gpr(rm, sz == 3);
      return true;
    }
  }
  mn(m);
  gpr(rd, sf);
  gpr(rn, sf);
  gpr(rm, sf);
  return true;
}

/** Respell the `b` of crc32b/crc32cb as h/w/x. */
function setCrcSuffix(sz: u32): void {
  if (sz == 0) return;
  setOutBack(1);
  chr(sz == 1 ? 104 : sz == 2 ? 119 : 120);
}

function dp3(w: u32): bool {
  const sf = (w >> 31) != 0;
  const op54 = (w >> 29) & 3;
  const op31 = (w >> 21) & 7;
  const o0 = (w >> 15) & 1;
  const rm = (w >> 16) & 31;
  const ra = (w >> 10) & 31;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if (op54 != 0) return false;
  if (op31 == 3 && sf) {
    // MADDPT/MSUBPT (FEAT_CPA)
    mn(o0 != 0 ? Mn.MSUBPT : Mn.MADDPT);
    x(rd);
    x(rn);
    x(rm);
    x(ra);
    return true;
  }
  if (op31 == 0) {
    if (ra == 31) {
      mn(o0 != 0 ? Mn.MNEG : Mn.MUL);
      gpr(rd, sf);
      gpr(rn, sf);
      gpr(rm, sf);
    } else {
      mn(o0 != 0 ? Mn.MSUB : Mn.MADD);
      gpr(rd, sf);
      gpr(rn, sf);
      gpr(rm, sf);
      gpr(ra, sf);
    }
    return true;
  }
  if (!sf) return false;
  if (op31 == 1 || op31 == 5) {
    const u = op31 == 5;
    if (ra == 31) mn(o0 != 0 ? (u ? Mn.UMNEGL : Mn.SMNEGL) : u ? Mn.UMULL : Mn.SMULL);
    else mn(o0 != 0 ? (u ? Mn.UMSUBL : Mn.SMSUBL) : u ? Mn.UMADDL : Mn.SMADDL);
    x(rd);
    gpr(rn, false);
    gpr(rm, false);
    if (ra != 31) x(ra);
    return true;
  }
  if ((op31 == 2 || op31 == 6) && o0 == 0) {
    mn(op31 == 6 ? Mn.UMULH : Mn.SMULH);
    x(rd);
    x(rn);
    x(rm);
    return true;
  }
  return false;
}

