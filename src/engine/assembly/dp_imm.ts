// Data processing — immediate (op0 = 100x): PC-relative addressing, add/sub
// (plain, with tags, min/max), logical, move wide, bitfield, extract.
// Aliases follow LLVM's AArch64InstPrinter::printInst and the InstAliases of
// AArch64InstrInfo.td (mov, cmp, cmn, tst, lsl/lsr/asr, sxt*/uxt*, *bfiz,
// *bfx, bfi/bfxil/bfc, ror).

import { Mn } from './mnemonics';
import { mn, gpr, gprSp, immHex, immHexU, immDec, shift, target } from './out';
import { pc } from './pc';
import { pacBti } from './pac';

/** AUTIASPPC/AUTIBSPPC <label> (FEAT_PAuth_LR): the label is pc - imm16 * 4. */
function autiSpPc(w: u32): bool {
  const m = pacBti(w);
  if (m == Mn.UNKNOWN) return false;
  mn(m);
  target(pc - (<u64>((w >> 5) & 0xffff) << 2));
  return true;
}

export function decodeDpImm(w: u32): bool {
  const rd = w & 31;
  const rn = (w >> 5) & 31;
  const sf = (w >> 31) != 0;
  switch ((w >> 22) & 15) {
    case 0:
    case 1:
    case 2:
    case 3:
      return pcRel(w, rd);
    case 4:
    case 5:
      return addSubImm(w, rd, rn, sf);
    case 6:
      return addSubTags(w, rd, rn);
    case 7:
      return minMaxImm(w, rd, rn, sf);
    case 8:
    case 9:
      return logicalImm(w, rd, rn, sf);
    case 10:
    case 11:
      return moveWide(w, rd, sf);
    case 12:
    case 13:
      return bitfield(w, rd, rn, sf);
    default:
      return extract(w, rd, rn, sf);
  }
}

function pcRel(w: u32, rd: u32): bool {
  const immlo = (w >> 29) & 3;
  const immhi = (w >> 5) & 0x7ffff;
  let imm = <i64>((immhi << 2) | immlo);
  imm = (imm << 43) >> 43; // sign-extend 21 bits
  if ((w >> 31) != 0) {
    mn(Mn.ADRP);
    gpr(rd, true);
    target((pc & ~(<u64>0xfff)) + (<u64>imm << 12));
  } else {
    mn(Mn.ADR);
    gpr(rd, true);
    target(pc + <u64>imm);
  }
  return true;
}

function addSubImm(w: u32, rd: u32, rn: u32, sf: bool): bool {
  const op = (w >> 30) & 1;
  const s = (w >> 29) & 1;
  const sh = (w >> 22) & 1;
  const imm = (w >> 10) & 0xfff;
  if (s == 0 && op == 0 && sh == 0 && imm == 0 && (rd == 31 || rn == 31)) {
    mn(Mn.MOV);
    gprSp(rd, sf);
    gprSp(rn, sf);
    return true;
  }
  if (s != 0 && rd == 31) {
    mn(op != 0 ? Mn.CMP : Mn.CMN);
  } else {
    mn(op != 0 ? (s != 0 ? Mn.SUBS : Mn.SUB) : s != 0 ? Mn.ADDS : Mn.ADD);
    if (s != 0) gpr(rd, sf);
    else gprSp(rd, sf);
  }
  gprSp(rn, sf);
  immHex(<i64>imm);
  if (sh != 0) shift(0, 12);
  return true;
}

/** ADDG/SUBG (FEAT_MTE): sf=1, S=0, op3 = 0. */
function addSubTags(w: u32, rd: u32, rn: u32): bool {
  if ((w >> 29) != 4 && (w >> 29) != 6) return false; // sf=1, S=0
  mn((w >> 30) & 1 ? Mn.SUBG : Mn.ADDG);
  gprSp(rd, true);
  gprSp(rn, true);
  immHex(<i64>(((w >> 16) & 63) << 4));
  immHex(<i64>((w >> 10) & 15));
  return true;
}

/** SMAX/UMAX/SMIN/UMIN (immediate), FEAT_CSSC: op = S = 0, opc<3:2> = 0. */
function minMaxImm(w: u32, rd: u32, rn: u32, sf: bool): bool {
  if (((w >> 29) & 3) != 0) return false;
  const opc = (w >> 18) & 15;
  if (opc > 3) return false;
  const imm8 = (w >> 10) & 0xff;
  const signed = (opc & 1) == 0;
  mn(opc == 0 ? Mn.SMAX : opc == 1 ? Mn.UMAX : opc == 2 ? Mn.SMIN : Mn.UMIN);
  gpr(rd, sf);
  gpr(rn, sf);
  if (signed) immHex(<i64>(<i8>imm8));
  else immHex(<i64>imm8);
  return true;
}

/**
 * DecodeBitMasks (Arm ARM, shared pseudocode) for logical immediates: the
 * value, with `bitmaskOk` false for a reserved encoding (no AS tuples, and
 * every 64-bit value is a possible result, so the flag rides beside it).
 */
export let bitmaskOk: bool = false;
export function decodeBitMask(n: u32, immr: u32, imms: u32, is64: bool): u64 {
  bitmaskOk = false;
  const combined = (n << 6) | (~imms & 63);
  if (combined == 0) return 0;
  const len = 31 - clz<u32>(combined);
  if (len < 1) return 0;
  if (!is64 && len > 5) return 0;
  const esize: u32 = 1 << len;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s == levels) return 0;
  let welem: u64 = (<u64>1 << (s + 1)) - 1; // s + 1 <= 63 here
  // ROR within esize
  let elem: u64 = welem;
  if (r != 0) {
    const mask: u64 = esize == 64 ? ~(<u64>0) : (<u64>1 << esize) - 1;
    elem = ((welem >> r) | (welem << (esize - r))) & mask;
  }
  let v = elem;
  for (let e = esize; e < 64; e <<= 1) v |= v << e;
  bitmaskOk = true;
  return is64 ? v : v & 0xffffffff;
}

function logicalImm(w: u32, rd: u32, rn: u32, sf: bool): bool {
  const opc = (w >> 29) & 3;
  const nbit = (w >> 22) & 1;
  if (!sf && nbit != 0) return false;
  const value = decodeBitMask(nbit, (w >> 16) & 63, (w >> 10) & 63, sf);
  if (!bitmaskOk) return false;
  if (opc == 3 && rd == 31) {
    mn(Mn.TST);
    gpr(rn, sf);
    immHexU(value);
    return true;
  }
  if (opc == 1 && rn == 31 && !isAnyMovWideAlias(value, sf)) {
    mn(Mn.MOV);
    gprSp(rd, sf);
    immHex(sf ? <i64>value : <i64>(<i32>value));
    return true;
  }
  mn(opc == 0 ? Mn.AND : opc == 1 ? Mn.ORR : opc == 2 ? Mn.EOR : Mn.ANDS);
  if (opc == 3) gpr(rd, sf);
  else gprSp(rd, sf);
  gpr(rn, sf);
  immHexU(value);
  return true;
}

// AArch64_AM::isAnyMOVZMovAlias / isMOVZMovAlias / isMOVNMovAlias.
function isAnyMovzAlias(v: u64, sf: bool): bool {
  const top: u32 = sf ? 48 : 16;
  for (let s: u32 = 0; s <= top; s += 16) if ((v & ~(<u64>0xffff << s)) == 0) return true;
  return false;
}
function isAnyMovWideAlias(v: u64, sf: bool): bool {
  if (isAnyMovzAlias(v, sf)) return true;
  let n = ~v;
  if (!sf) n &= 0xffffffff;
  return isAnyMovzAlias(n, sf);
}
function isMovzAlias(v: u64, s: u32, sf: bool): bool {
  if (!sf) v &= 0xffffffff;
  if (v == 0 && s != 0) return false;
  return (v & ~(<u64>0xffff << s)) == 0;
}

function moveWide(w: u32, rd: u32, sf: bool): bool {
  const opc = (w >> 29) & 3;
  const hw = (w >> 21) & 3;
  if (opc == 1) return false;
  if (!sf && hw > 1) return false;
  const imm16 = <u64>((w >> 5) & 0xffff);
  const s = hw * 16;
  if (opc == 2) {
    const v = imm16 << s;
    if (isMovzAlias(v, s, sf)) {
      mn(Mn.MOV);
      gpr(rd, sf);
      immHex(sf ? <i64>v : <i64>(<i32>v));
      return true;
    }
  } else if (opc == 0) {
    let v = ~(imm16 << s);
    if (!sf) v &= 0xffffffff;
    if (!isAnyMovzAlias(v, sf)) {
      let nv = ~v;
      if (!sf) nv &= 0xffffffff;
      if (isMovzAlias(nv, s, sf)) {
        mn(Mn.MOV);
        gpr(rd, sf);
        immHex(sf ? <i64>v : <i64>(<i32>v));
        return true;
      }
    }
  }
  mn(opc == 0 ? Mn.MOVN : opc == 2 ? Mn.MOVZ : Mn.MOVK);
  gpr(rd, sf);
  immHex(<i64>imm16);
  if (s != 0) shift(0, s);
  return true;
}

function bitfield(w: u32, rd: u32, rn: u32, sf: bool): bool {
  const opc = (w >> 29) & 3;
  const nbit = (w >> 22) & 1;
  const immr = (w >> 16) & 63;
  const imms = (w >> 10) & 63;
  if (opc == 3) return false;
  if ((nbit != 0) != sf) return false;
  if (!sf && (immr > 31 || imms > 31)) return false;
  const width: u32 = sf ? 64 : 32;
  const top = width - 1;
  if (opc == 1) {
    // BFM: bfc / bfi / bfxil
    // No BFC: llvm-objdump 19 prints `bfi xD, xzr, …` (its BFC alias needs a
    // subtarget feature the disassembler does not set).
    if (imms < immr) {
      mn(Mn.BFI);
      gpr(rd, sf);
      gpr(rn, sf);
      immDec(<i64>((width - immr) % width));
      immDec(<i64>(imms + 1));
      return true;
    }
    mn(Mn.BFXIL);
    gpr(rd, sf);
    gpr(rn, sf);
    immDec(<i64>immr);
    immDec(<i64>(imms - immr + 1));
    return true;
  }
  const signed = opc == 0;
  if (immr == 0) {
    let m: Mn = Mn.UNKNOWN;
    if (imms == 7) m = signed ? Mn.SXTB : !sf ? Mn.UXTB : Mn.UNKNOWN;
    else if (imms == 15) m = signed ? Mn.SXTH : !sf ? Mn.UXTH : Mn.UNKNOWN;
    else if (imms == 31 && sf && signed) m = Mn.SXTW;
    if (m != Mn.UNKNOWN) {
      mn(m);
      gpr(rd, sf);
      gpr(rn, false);
      return true;
    }
  }
  if (!signed && imms != top && imms + 1 == immr) {
    mn(Mn.LSL);
    gpr(rd, sf);
    gpr(rn, sf);
    immDec(<i64>(top - imms));
    return true;
  }
  if (imms == top) {
    mn(signed ? Mn.ASR : Mn.LSR);
    gpr(rd, sf);
    gpr(rn, sf);
    immDec(<i64>immr);
    return true;
  }
  if (immr > imms) {
    mn(signed ? Mn.SBFIZ : Mn.UBFIZ);
    gpr(rd, sf);
    gpr(rn, sf);
    immDec(<i64>(width - immr));
    immDec(<i64>(imms + 1));
    return true;
  }
  mn(signed ? Mn.SBFX : Mn.UBFX);
  gpr(rd, sf);
  gpr(rn, sf);
  immDec(<i64>immr);
  immDec(<i64>(imms - immr + 1));
  return true;
}

function extract(w: u32, rd: u32, rn: u32, sf: bool): bool {
  if ((w >> 24) == 0xf3) return autiSpPc(w);
  if (((w >> 29) & 3) != 0 || ((w >> 21) & 1) != 0) return false;
  if ((((w >> 22) & 1) != 0) != sf) return false;
  const imms = (w >> 10) & 63;
  if (!sf && imms > 31) return false;
  const rm = (w >> 16) & 31;
  if (rn == rm) {
    mn(Mn.ROR);
    gpr(rd, sf);
    gpr(rn, sf);
  } else {
    mn(Mn.EXTR);
    gpr(rd, sf);
    gpr(rn, sf);
    gpr(rm, sf);
  }
  immHex(<i64>imms);
  return true;
}
