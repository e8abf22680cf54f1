// Loads and stores (op0 = x1x0, Arm ARM C4.1.88): exclusives, ordered and
// compare-and-swap; LDAPUR/STLUR; literal loads and PRFM; pairs (incl. LDPSW,
// LDNP/STNP, STGP); register forms with unscaled, post/pre-index,
// unprivileged, unsigned-offset and register-offset addressing; LSE atomics
// with their ST* aliases; LDRAA/LDRAB; MTE tag loads/stores. The FP/SIMD
// register variants of the same encodings (V = 1) are decoded here too,
// since only the register printed differs; the Advanced SIMD structure
// loads/stores go to simd_ldst.ts.

import { Mn } from './mnemonics';
import { mn, str, chr, dec, gpr, gprSp, fpr, x, immHex, target, memOpen, memImm, memClose, memBase, memOperand, opBegin, gprText, extendText, hex, apple } from './out';
import { pc } from './pc';
import { decodeSimdLdSt } from './simd_ldst';
import { pacBti } from './pac';

export function decodeLdSt(w: u32): bool {
  const v = (w >> 26) & 1;
  const b2928 = (w >> 28) & 3;
  const op2 = (w >> 23) & 3;
  if (b2928 == 0) {
    if (v != 0) return (w >> 31) == 0 ? decodeSimdLdSt(w) : false;
    if ((w & 0x01000000) == 0) return exclusive(w);
    return false;
  }
  if (b2928 == 1) {
    if ((w >> 24) == 0xd9 && (w & 0x00200000) != 0) return memTags(w);
    if ((op2 & 2) == 0) return literal(w);
    const op4 = (w >> 10) & 3;
    if (((w >> 21) & 1) != 0) return v == 0 && op4 != 1 ? lse128Rcw(w, op4) : false;
    if (op4 == 0) return v == 0 ? rcpcUnscaled(w) : false;
    if (op4 == 1) return mops(w);
    if (op4 == 2) return v == 0 ? rcpc3(w) : rcpc3Simd(w);
    return w == 0xd91f0c00 + (w & 0x3ff) || w == 0xd91f1c00 + (w & 0x3ff) ? gcsStore(w) : false;
  }
  if (b2928 == 2) return pair(w);
  // b2928 == 3: load/store register
  if ((op2 & 2) != 0) return unsignedImm(w);
  const op4 = (w >> 10) & 3;
  if (((w >> 21) & 1) == 0) return imm9(w, op4);
  if (op4 == 2) return regOffset(w);
  if (op4 == 0) return v == 0 ? atomic(w) : false;
  return v == 0 ? ldra(w) : false;
}

// ------------------------------------------------------------ helpers

/**
 * Register operand for a transfer of `size` (0 b, 1 h, 2 s/w, 3 d/x, 4 q).
 * `v`: FP/SIMD register; otherwise a general register, 64-bit when `sf`.
 */
function rt(n: u32, v: u32, size: u32, sf: bool): void {
  if (v != 0) fpr(n, size);
  else gpr(n, sf);
}

/** `[xn, #imm]` / `[xn]`. */
@inline function memOffset(rn: u32, imm: i64): void {
  memOperand(rn, imm, true, false);
}

/** `[xn, #imm]!` */
@inline function memPre(rn: u32, imm: i64): void {
  memOperand(rn, imm, false, true);
}

/** `[xn], #imm` */
function memPost(rn: u32, imm: i64): void {
  memBase(rn);
  immHex(imm);
}

@inline function simm9(w: u32): i64 {
  return <i64>((<i32>(w << 11)) >> 23);
}

// Prefetch operation names (Arm ARM C6.2.249): type (PLD, PLI, PST) × target
// (L1, L2, L3, SLC) × policy (KEEP, STRM); 0x18–0x1f have no name.
function prfop(op: u32): void {
  opBegin();
  if (op >= 0x18) {
    chr(35);
    hex(op);
    return;
  }
  const t = op >> 3;
  str(t == 0 ? 'pld' : t == 1 ? 'pli' : 'pst');
  const l = (op >> 1) & 3;
  if (l == 3) str('slc');
  else {
    chr(108);
    dec(l + 1);
  }
  str((op & 1) != 0 ? 'strm' : 'keep');
}

/** RPRFM operation names (PLDKEEP 0, PSTKEEP 1, PLDSTRM 4, PSTSTRM 5), else #imm. */
function rprfop(op: u32): void {
  opBegin();
  if (op == 0) str('pldkeep');
  else if (op == 1) str('pstkeep');
  else if (op == 4) str('pldstrm');
  else if (op == 5) str('pststrm');
  else {
    chr(35);
    hex(op);
  }
}

// ------------------------------------------------------- exclusive, CAS

function exclusive(w: u32): bool {
  const size = w >> 30;
  const o2 = (w >> 23) & 1;
  const l = (w >> 22) & 1;
  const o1 = (w >> 21) & 1;
  const rs = (w >> 16) & 31;
  const o0 = (w >> 15) & 1;
  const rt2 = (w >> 10) & 31;
  const rn = (w >> 5) & 31;
  const rtn = w & 31;
  const sf = size == 3;
  if (o2 == 0 && o1 == 0) {
    // STXR/STLXR/LDXR/LDAXR{B,H}
    if (l == 0) mn(o0 != 0 ? Mn.STLXR : Mn.STXR);
    else mn(o0 != 0 ? Mn.LDAXR : Mn.LDXR);
    sizeSuffix(size);
    if (l == 0) gpr(rs, false);
    gpr(rtn, sf);
    memBase(rn);
    return true;
  }
  if (o2 == 0 && o1 == 1) {
    if ((size & 2) != 0) {
      // STXP/STLXP/LDXP/LDAXP
      const psf = size == 3;
      if (l == 0) mn(o0 != 0 ? Mn.STLXP : Mn.STXP);
      else mn(o0 != 0 ? Mn.LDAXP : Mn.LDXP);
      if (l == 0) gpr(rs, false);
      gpr(rtn, psf);
      gpr(rt2, psf);
      memBase(rn);
      return true;
    }
    // CASP{A,L,AL}: even register pairs
    if (rt2 != 31 || (rs & 1) != 0 || (rtn & 1) != 0) return false;
    mn(Mn.CASP);
    if (l != 0) chr(97);
    if (o0 != 0) chr(108);
    const psf = size == 1;
    gpr(rs, psf);
    gpr(rs == 31 ? 31 : rs + 1, psf);
    gpr(rtn, psf);
    gpr(rtn == 31 ? 31 : rtn + 1, psf);
    memBase(rn);
    return true;
  }
  if (o2 == 1 && o1 == 0) {
    // STLLR/STLR/LDLAR/LDAR{B,H}
    if (l == 0) mn(o0 != 0 ? Mn.STLR : Mn.STLLR);
    else mn(o0 != 0 ? Mn.LDAR : Mn.LDLAR);
    sizeSuffix(size);
    gpr(rtn, sf);
    memBase(rn);
    return true;
  }
  // CAS{A,L,AL}{B,H}
  if (rt2 != 31) return false;
  mn(Mn.CAS);
  if (l != 0) chr(97);
  if (o0 != 0) chr(108);
  sizeSuffix(size);
  gpr(rs, sf);
  gpr(rtn, sf);
  memBase(rn);
  return true;
}

/** `b` / `h` for byte and halfword accesses. */
function sizeSuffix(size: u32): void {
  if (size == 0) chr(98);
  else if (size == 1) chr(104);
}

// ---------------------------------------------------------------- literal

function literal(w: u32): bool {
  if ((w & 0x3b000000) != 0x18000000) return false;
  const opc = w >> 30;
  const v = (w >> 26) & 1;
  const addr = pc + <u64>(<i64>((<i32>(w << 8)) >> 13 << 2));
  if (v != 0) {
    if (opc == 3) return false;
    mn(Mn.LDR);
    fpr(w & 31, opc + 2);
  } else if (opc == 3) {
    mn(Mn.PRFM);
    prfop(w & 31);
  } else {
    mn(opc == 2 ? Mn.LDRSW : Mn.LDR);
    gpr(w & 31, opc != 0);
  }
  target(addr);
  return true;
}

// -------------------------------------------------- RCPC unscaled (LDAPUR)

function rcpcUnscaled(w: u32): bool {
  if ((w & 0x3f000000) != 0x19000000) return false;
  const size = w >> 30;
  const opc = (w >> 22) & 3;
  const rn = (w >> 5) & 31;
  let sf = false;
  if (opc == 0) {
    mn(Mn.STLUR);
    sizeSuffix(size);
    sf = size == 3;
  } else if (opc == 1) {
    mn(Mn.LDAPUR);
    sizeSuffix(size);
    sf = size == 3;
  } else if (size == 0) {
    mn(Mn.LDAPURSB);
    sf = opc == 2;
  } else if (size == 1) {
    mn(Mn.LDAPURSH);
    sf = opc == 2;
  } else if (size == 2 && opc == 2) {
    mn(Mn.LDAPURSW);
    sf = true;
  } else return false;
  gpr(w & 31, sf);
  memOffset(rn, simm9(w));
  return true;
}

// ------------------------------------------- RCPC3, MOPS, LSE128, RCW, GCS

/** LDIAPP/STILP (pair), LDAPR post-index, STLR pre-index (FEAT_LRCPC3); size = 1x. */
function rcpc3(w: u32): bool {
  const size = w >> 30;
  if (size < 2) return false;
  const sf = size == 3;
  const opc = (w >> 22) & 3;
  const rt2 = (w >> 16) & 31;
  const o2 = (w >> 12) & 15;
  const rn = (w >> 5) & 31;
  const rtn = w & 31;
  if (opc < 2) {
    if (o2 > 1) return false;
    mn(opc == 0 ? Mn.STILP : Mn.LDIAPP);
    gpr(rtn, sf);
    gpr(rt2, sf);
    memOpen(rn);
    if (o2 == 1) memClose(false);
    // The writeback amount is part of the encoding; LLVM prints it in decimal.
    else if (opc == 0) {
      str(sf ? ', #-16]!' : ', #-8]!');
    } else {
      str(sf ? '], #16' : '], #8');
    }
    return true;
  }
  if (rt2 != 0 || o2 != 0) return false;
  mn(opc == 2 ? Mn.STLR : Mn.LDAPR);
  gpr(rtn, sf);
  memOpen(rn);
  if (opc == 2) str(sf ? ', #-8]!' : ', #-4]!');
  else str(sf ? '], #8' : '], #4');
  return true;
}

/** STLUR/LDAPUR of a FP/SIMD register (FEAT_LRCPC3): size:opc picks b/h/s/d/q. */
function rcpc3Simd(w: u32): bool {
  if ((w & 0x3f000000) != 0x1d000000) return false;
  const size = w >> 30;
  const opc = (w >> 22) & 3;
  let reg = size;
  if ((opc & 2) != 0) {
    if (size != 0) return false;
    reg = 4;
  }
  mn((opc & 1) != 0 ? Mn.LDAPUR : Mn.STLUR);
  fpr(w & 31, reg);
  // LLVM 19's Apple-syntax string for these drops the offset; match it.
  if (apple) memBase((w >> 5) & 31);
  else memOffset((w >> 5) & 31, simm9(w));
  return true;
}

// FEAT_MOPS option suffixes by op2 (CPY*: read/write unprivileged and non-temporal; SET*: t, n).
const CPY_SUFFIX: StaticArray<string> = ['', 'wt', 'rt', 't', 'wn', 'wtwn', 'rtwn', 'twn', 'rn', 'wtrn', 'rtrn', 'trn', 'n', 'wtn', 'rtn', 'tn'];
const SET_SUFFIX: StaticArray<string> = ['', 't', 'n', 'tn'];

/** CPYF*, CPY*, SET*, SETG* (FEAT_MOPS): `cpyfp [xd]!, [xs]!, xn!`, `setp [xd]!, xn!, xs`. */
function mops(w: u32): bool {
  if ((w >> 30) != 0) return false;
  const o0 = (w >> 26) & 1;
  const op1 = (w >> 22) & 3;
  const rs = (w >> 16) & 31;
  const op2 = (w >> 12) & 15;
  const rn = (w >> 5) & 31;
  const rd = w & 31;
  if (op1 == 3) {
    const stage = op2 >> 2;
    if (stage == 3) return false;
    if (rd == 31 || rd == rn || rd == rs || rn == rs) return false;
    mn(<Mn>((o0 != 0 ? <u32>Mn.SETGP : <u32>Mn.SETP) + stage));
    str(unchecked(SET_SUFFIX[op2 & 3]));
    memOpen(rd);
    memClose(true);
    opBegin();
    gprText(rn, true);
    chr(33);
    x(rs);
    return true;
  }
  if (rd == 31 || rs == 31 || rd == rs || rd == rn || rs == rn) return false;
  mn(<Mn>((o0 != 0 ? <u32>Mn.CPYP : <u32>Mn.CPYFP) + op1));
  str(unchecked(CPY_SUFFIX[op2]));
  memOpen(rd);
  memClose(true);
  memOpen(rs);
  memClose(true);
  opBegin();
  gprText(rn, true);
  chr(33);
  return true;
}

/**
 * LDCLRP/LDSETP/SWPP (FEAT_LSE128) and the RCW* read-check-write atomics
 * (FEAT_THE) in the op0 = xx01 space: size 00 (RCW*) or 01 (RCWS*).
 */
function lse128Rcw(w: u32, op4: u32): bool {
  if ((w & 0x3f000000) != 0x19000000) return false;
  const size = w >> 30;
  if (size > 1) return false;
  const a = (w >> 23) & 1;
  const r = (w >> 22) & 1;
  const rs = (w >> 16) & 31;
  const o3 = (w >> 15) & 1;
  const opc = (w >> 12) & 7;
  const rn = (w >> 5) & 31;
  const rtn = w & 31;
  const s = size == 1;
  if (op4 != 0) {
    // RCW[S]CAS (op4 = 10) and RCW[S]CASP (op4 = 11, even register pairs)
    if (o3 != 0 || opc != 0) return false;
    if (op4 == 2) {
      mn(s ? Mn.RCWSCAS : Mn.RCWCAS);
      orderSuffix(a, r);
      x(rs);
      x(rtn);
    } else {
      if ((rs & 1) != 0 || (rtn & 1) != 0) return false;
      mn(s ? Mn.RCWSCASP : Mn.RCWCASP);
      orderSuffix(a, r);
      x(rs);
      x(rs == 31 ? 31 : rs + 1);
      x(rtn);
      x(rtn == 31 ? 31 : rtn + 1);
    }
    memBase(rn);
    return true;
  }
  let m: Mn = Mn.UNKNOWN;
  if (o3 == 0) {
    if (opc == 1) m = s ? Mn.UNKNOWN : Mn.LDCLRP;
    else if (opc == 3) m = s ? Mn.UNKNOWN : Mn.LDSETP;
  } else {
    if (opc == 0) m = s ? Mn.UNKNOWN : Mn.SWPP;
    else if (opc == 1) m = s ? Mn.RCWSCLRP : Mn.RCWCLRP;
    else if (opc == 2) m = s ? Mn.RCWSSWPP : Mn.RCWSWPP;
    else if (opc == 3) m = s ? Mn.RCWSSETP : Mn.RCWSETP;
  }
  if (m == Mn.UNKNOWN || rtn == 31 || rs == 31) return false;
  mn(m);
  orderSuffix(a, r);
  x(rtn);
  x(rs);
  memBase(rn);
  return true;
}

/** GCSSTR/GCSSTTR Xt, [Xn|SP]. */
function gcsStore(w: u32): bool {
  mn((w >> 12) & 1 ? Mn.GCSSTTR : Mn.GCSSTR);
  x(w & 31);
  memBase((w >> 5) & 31);
  return true;
}

// ------------------------------------------------------------------ pairs

function pair(w: u32): bool {
  const opc = w >> 30;
  const v = (w >> 26) & 1;
  const idx = (w >> 23) & 3;
  const l = (w >> 22) & 1;
  const imm7 = <i64>((<i32>(w << 10)) >> 25);
  const rt2 = (w >> 10) & 31;
  const rn = (w >> 5) & 31;
  const rtn = w & 31;
  let scale: u32;
  let size: u32 = 0;
  let sf = false;
  if (v != 0) {
    if (opc == 3) return false;
    size = opc + 2;
    scale = size;
    mn(idx == 0 ? (l != 0 ? Mn.LDNP : Mn.STNP) : l != 0 ? Mn.LDP : Mn.STP);
  } else if (opc == 1) {
    if (idx == 0) return false;
    if (l == 0) {
      // STGP (FEAT_MTE): offset scaled by 16
      mn(Mn.STGP);
      x(rtn);
      x(rt2);
      pairMem(idx, rn, imm7 << 4);
      return true;
    }
    mn(Mn.LDPSW);
    scale = 2;
    sf = true;
  } else if (opc == 3) {
    return false;
  } else {
    sf = opc == 2;
    scale = sf ? 3 : 2;
    mn(idx == 0 ? (l != 0 ? Mn.LDNP : Mn.STNP) : l != 0 ? Mn.LDP : Mn.STP);
  }
  rt(rtn, v, size, sf);
  rt(rt2, v, size, sf);
  pairMem(idx, rn, imm7 << scale);
  return true;
}

function pairMem(idx: u32, rn: u32, off: i64): void {
  if (idx == 1) memPost(rn, off);
  else if (idx == 3) memPre(rn, off);
  else memOffset(rn, off);
}

// ----------------------------------------------------- single registers

// What a (size, V, opc) combination transfers.
const K_NONE: u32 = 0;
const K_STORE: u32 = 1;
const K_LOAD: u32 = 2;
const K_LOAD_SX: u32 = 3; // sign-extending to x
const K_LOAD_SW: u32 = 4; // sign-extending to w
const K_PRFM: u32 = 5;

let regSize: u32 = 0; // 0..4 (b h s d q)
let regSf = false;

/** Classify an access and set regSize/regSf; returns a K_* kind. */
function access(size: u32, v: u32, opc: u32): u32 {
  if (v != 0) {
    if ((opc & 2) != 0) {
      if (size != 0) return K_NONE;
      regSize = 4;
    } else regSize = size;
    return (opc & 1) != 0 ? K_LOAD : K_STORE;
  }
  regSize = size;
  switch (opc) {
    case 0:
      regSf = size == 3;
      return K_STORE;
    case 1:
      regSf = size == 3;
      return K_LOAD;
    case 2:
      if (size == 3) return K_PRFM;
      regSf = true;
      return K_LOAD_SX;
    default:
      if (size >= 2) return K_NONE;
      regSf = false;
      return K_LOAD_SW;
  }
}

/**
 * Mnemonic for kind/size: base is LDR/LDUR/LDTR, the store and signed ids
 * follow it in the same order in Mn (LDR, LDRB, LDRH, LDRSB, LDRSH, LDRSW,
 * STR, STRB, STRH).
 */
function ldstMn(base: Mn, kind: u32, size: u32, v: u32): Mn {
  const b = <u32>base;
  if (v != 0) return <Mn>(kind == K_STORE ? b + 6 : b);
  switch (kind) {
    case K_STORE:
      return <Mn>(b + 6 + (size == 0 ? 1 : size == 1 ? 2 : 0));
    case K_LOAD:
      return <Mn>(b + (size == 0 ? 1 : size == 1 ? 2 : 0));
    default:
      return <Mn>(b + (size == 0 ? 3 : size == 1 ? 4 : 5));
  }
}

function transferReg(rtn: u32, v: u32): void {
  if (v != 0) fpr(rtn, regSize);
  else gpr(rtn, regSf);
}

function unsignedImm(w: u32): bool {
  const size = w >> 30;
  const v = (w >> 26) & 1;
  const opc = (w >> 22) & 3;
  const kind = access(size, v, opc);
  if (kind == K_NONE) return false;
  const imm12 = <i64>((w >> 10) & 0xfff);
  const rn = (w >> 5) & 31;
  if (kind == K_PRFM) {
    mn(Mn.PRFM);
    prfop(w & 31);
    memOffset(rn, imm12 << 3);
    return true;
  }
  mn(ldstMn(Mn.LDR, kind, size, v));
  transferReg(w & 31, v);
  memOffset(rn, imm12 << (v != 0 ? regSize : size));
  return true;
}

function imm9(w: u32, op4: u32): bool {
  const size = w >> 30;
  const v = (w >> 26) & 1;
  const opc = (w >> 22) & 3;
  const kind = access(size, v, opc);
  if (kind == K_NONE) return false;
  const rn = (w >> 5) & 31;
  const imm = simm9(w);
  if (kind == K_PRFM) {
    if (op4 != 0) return false;
    mn(Mn.PRFUM);
    prfop(w & 31);
    memOffset(rn, imm);
    return true;
  }
  switch (op4) {
    case 0:
      mn(ldstMn(Mn.LDUR, kind, size, v));
      transferReg(w & 31, v);
      memOffset(rn, imm);
      return true;
    case 1:
      mn(ldstMn(Mn.LDR, kind, size, v));
      transferReg(w & 31, v);
      memPost(rn, imm);
      return true;
    case 2:
      if (v != 0) return false;
      mn(ldstMn(Mn.LDTR, kind, size, v));
      transferReg(w & 31, v);
      memOffset(rn, imm);
      return true;
    default:
      mn(ldstMn(Mn.LDR, kind, size, v));
      transferReg(w & 31, v);
      memPre(rn, imm);
      return true;
  }
}

function regOffset(w: u32): bool {
  const size = w >> 30;
  const v = (w >> 26) & 1;
  const opc = (w >> 22) & 3;
  const option = (w >> 13) & 7;
  if ((option & 2) == 0) return false;
  const kind = access(size, v, opc);
  if (kind == K_NONE) return false;
  const s = (w >> 12) & 1;
  if (kind == K_PRFM) {
    const t = w & 31;
    if (t >= 0x18) {
      // RPRFM (FEAT_RPRFM): operation = option<2>:option<0>:S:Rt<2:0>
      mn(Mn.RPRFM);
      rprfop(((option >> 2) << 5) | ((option & 1) << 4) | (s << 3) | (t & 7));
      x((w >> 16) & 31);
      memBase((w >> 5) & 31);
      return true;
    }
    mn(Mn.PRFM);
    prfop(t);
  } else {
    mn(ldstMn(Mn.LDR, kind, size, v));
    transferReg(w & 31, v);
  }
  const amount = v != 0 ? regSize : size;
  memOpen((w >> 5) & 31);
  chr(44);
  chr(32);
  gprText((w >> 16) & 31, (option & 1) != 0);
  const byteAccess = amount == 0;
  if (option == 3) {
    // LSL: omitted when S = 0; byte accesses print `lsl #0`.
    if (s != 0) {
      str(', lsl #');
      dec(byteAccess ? 0 : amount);
    }
  } else {
    chr(44);
    chr(32);
    extendText(option);
    if (s != 0) {
      str(' #');
      dec(byteAccess ? 0 : amount);
    }
  }
  memClose(false);
  return true;
}

// ------------------------------------------------------------ atomics

function atomic(w: u32): bool {
  const size = w >> 30;
  const a = (w >> 23) & 1;
  const r = (w >> 22) & 1;
  const rs = (w >> 16) & 31;
  const o3 = (w >> 15) & 1;
  const opc = (w >> 12) & 7;
  const rn = (w >> 5) & 31;
  const rtn = w & 31;
  const sf = size == 3;
  if (o3 != 0) {
    if (size < 2 && opc >= 1 && opc <= 3) {
      // RCW[S]CLR/SWP/SET (FEAT_THE): 64-bit registers whatever the size field says
      mn(<Mn>(<u32>(size == 0 ? Mn.RCWCLR : Mn.RCWSCLR) + (opc == 1 ? 0 : opc == 2 ? 4 : 2)));
      orderSuffix(a, r);
      x(rs);
      x(rtn);
      memBase(rn);
      return true;
    }
    if (size == 3 && opc != 0 && opc != 4) return ld64b(w, opc, rs, rn, rtn);
    if (opc == 0) {
      mn(Mn.SWP);
      orderSuffix(a, r);
      sizeSuffix(size);
      gpr(rs, sf);
      gpr(rtn, sf);
      memBase(rn);
      return true;
    }
    if (opc == 4 && a == 1 && r == 0 && rs == 31) {
      mn(Mn.LDAPR);
      sizeSuffix(size);
      gpr(rtn, sf);
      memBase(rn);
      return true;
    }
    return false;
  }
  if (a == 0 && rtn == 31) {
    mn(<Mn>(<u32>Mn.STADD + opc));
    if (r != 0) chr(108);
    sizeSuffix(size);
    gpr(rs, sf);
    memBase(rn);
    return true;
  }
  mn(<Mn>(<u32>Mn.LDADD + opc));
  orderSuffix(a, r);
  sizeSuffix(size);
  gpr(rs, sf);
  gpr(rtn, sf);
  memBase(rn);
  return true;
}

/** LD64B/ST64B (Rs = 31), ST64BV/ST64BV0 (FEAT_LS64). */
function ld64b(w: u32, opc: u32, rs: u32, rn: u32, rtn: u32): bool {
  // Xt names eight consecutive registers starting at an even one (x0…x22).
  if (((w >> 22) & 3) != 0 || (rtn & 1) != 0 || rtn > 22) return false;
  if (opc == 5 || opc == 1) {
    if (rs != 31) return false;
    mn(opc == 5 ? Mn.LD64B : Mn.ST64B);
  } else if (opc == 3 || opc == 2) {
    mn(opc == 3 ? Mn.ST64BV : Mn.ST64BV0);
    x(rs);
  } else return false;
  x(rtn);
  memBase(rn);
  return true;
}

function orderSuffix(a: u32, r: u32): void {
  if (a != 0) chr(97);
  if (r != 0) chr(108);
}

// ---------------------------------------------------------- LDRAA/LDRAB

function ldra(w: u32): bool {
  const m = pacBti(w);
  if (m == Mn.UNKNOWN) return false;
  mn(m);
  x(w & 31);
  const s = (w >> 22) & 1;
  const imm = <i64>((<i32>(((s << 9) | ((w >> 12) & 0x1ff)) << 22)) >> 22) << 3;
  if ((w >> 11) & 1) memPre((w >> 5) & 31, imm);
  else memOffset((w >> 5) & 31, imm);
  return true;
}

// ------------------------------------------------------------- MTE tags

function memTags(w: u32): bool {
  const opc = (w >> 22) & 3;
  const op2 = (w >> 10) & 3;
  const imm9v = (<i64>((<i32>(w << 11)) >> 23)) << 4;
  const rn = (w >> 5) & 31;
  const rtn = w & 31;
  if (op2 == 0) {
    if (opc == 1) {
      mn(Mn.LDG);
      x(rtn);
      memOffset(rn, imm9v);
      return true;
    }
    if (((w >> 12) & 0x1ff) != 0) return false;
    mn(opc == 0 ? Mn.STZGM : opc == 2 ? Mn.STGM : Mn.LDGM);
    x(rtn);
    memBase(rn);
    return true;
  }
  mn(opc == 0 ? Mn.STG : opc == 1 ? Mn.STZG : opc == 2 ? Mn.ST2G : Mn.STZ2G);
  gprSp(rtn, true);
  if (op2 == 1) memPost(rn, imm9v);
  else if (op2 == 3) memPre(rn, imm9v);
  else memOffset(rn, imm9v);
  return true;
}

