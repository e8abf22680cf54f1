// Branches, exception generation and system instructions (op0 = 101x):
// B/BL, B.cond/BC.cond, CBZ/CBNZ, TBZ/TBNZ, the branch-register family with
// its PAC forms, SVC/HVC/SMC/BRK/HLT/TCANCEL/DCPS*, the HINT space, barriers,
// PSTATE writes, WFET/WFIT, SYS/SYSL/SYSP with their aliases, MRS/MSR and
// MRRS/MSRR. Names of system registers and SYS aliases come from sysreg.ts.

import { Mn } from './mnemonics';
import { mn, str, chr, dec, gpr, gprSp, x, immHex, immPrintHex, immDec, target, opBegin, condText, setOutBack } from './out';
import { pc } from './pc';
import { hintPacBti, branchRegPac } from './pac';
import { SYSREGS, SYS_ALIASES, SYSL_ALIASES, TLBIP_ALIASES, NAME_OFFSETS, NAME_BLOB, SYS_NO_NAME } from './sysreg';

export function decodeBranchSys(w: u32): bool {
  const top = w >> 24;
  if ((w & 0x7c000000) == 0x14000000) {
    mn((w >> 31) != 0 ? Mn.BL : Mn.B);
    target(pc + <u64>(<i64>((<i32>(w << 6)) >> 4)));
    return true;
  }
  if ((w & 0x7e000000) == 0x34000000) {
    mn((w >> 24) & 1 ? Mn.CBNZ : Mn.CBZ);
    gpr(w & 31, (w >> 31) != 0);
    target(pc + <u64>(<i64>((<i32>(w << 8)) >> 13 << 2)));
    return true;
  }
  if ((w & 0x7e000000) == 0x36000000) {
    mn((w >> 24) & 1 ? Mn.TBNZ : Mn.TBZ);
    const b = ((w >> 26) & 32) | ((w >> 19) & 31);
    gpr(w & 31, b >= 32);
    immHex(<i64>b);
    target(pc + <u64>(<i64>((<i32>(w << 13)) >> 18 << 2)));
    return true;
  }
  if (top == 0x54) {
    mn((w >> 4) & 1 ? Mn.BC_COND : Mn.B_COND);
    chr(46);
    condText(w & 15);
    target(pc + <u64>(<i64>((<i32>(w << 8)) >> 13 << 2)));
    return true;
  }
  if (top == 0x55) return retSpPc(w);
  if (top == 0xd4) return exception(w);
  if (top == 0xd5) {
    if ((w & 0x00c00000) == 0) return system(w);
    if ((w & 0x00c00000) == 0x00400000) return systemPair(w);
    return false;
  }
  if (top == 0xd6 || top == 0xd7) return branchReg(w);
  return false;
}

/** RETAASPPC/RETABSPPC <label> (FEAT_PAuth_LR): the label is pc - imm16 * 4. */
function retSpPc(w: u32): bool {
  if ((w & 0xffc0001f) != 0x5500001f) return false;
  mn((w >> 21) & 1 ? Mn.RETABSPPC : Mn.RETAASPPC);
  target(pc - (<u64>((w >> 5) & 0xffff) << 2));
  return true;
}

function exception(w: u32): bool {
  const opc = (w >> 21) & 7;
  const ll = w & 3;
  const op2 = (w >> 2) & 7;
  const imm = <u64>((w >> 5) & 0xffff);
  if (op2 != 0) return false;
  switch (opc) {
    case 0:
      if (ll == 0) return false;
      mn(ll == 1 ? Mn.SVC : ll == 2 ? Mn.HVC : Mn.SMC);
      immPrintHex(imm);
      return true;
    case 1:
    case 2:
    case 3:
      if (ll != 0) return false;
      mn(opc == 1 ? Mn.BRK : opc == 2 ? Mn.HLT : Mn.TCANCEL);
      immPrintHex(imm);
      return true;
    case 5:
      if (ll == 0) return false;
      mn(ll == 1 ? Mn.DCPS1 : ll == 2 ? Mn.DCPS2 : Mn.DCPS3);
      if (imm != 0) immPrintHex(imm);
      return true;
    default:
      return false;
  }
}

function branchReg(w: u32): bool {
  const p = branchRegPac(w);
  if (p != Mn.UNKNOWN) {
    mn(p);
    switch (p) {
      case Mn.BRAA:
      case Mn.BRAB:
      case Mn.BLRAA:
      case Mn.BLRAB:
        x((w >> 5) & 31);
        gprSp(w & 31, true);
        break;
      case Mn.BRAAZ:
      case Mn.BRABZ:
      case Mn.BLRAAZ:
      case Mn.BLRABZ:
        x((w >> 5) & 31);
        break;
      case Mn.RETAASPPCR:
      case Mn.RETABSPPCR:
        x(w & 31);
        break;
      default:
        break;
    }
    return true;
  }
  const rn = (w >> 5) & 31;
  if ((w & 0xfffffc1f) == 0xd61f0000) {
    mn(Mn.BR);
    x(rn);
    return true;
  }
  if ((w & 0xfffffc1f) == 0xd63f0000) {
    mn(Mn.BLR);
    x(rn);
    return true;
  }
  if ((w & 0xfffffc1f) == 0xd65f0000) {
    mn(Mn.RET);
    if (rn != 30) x(rn);
    return true;
  }
  if (w == 0xd69f03e0) {
    mn(Mn.ERET);
    return true;
  }
  if (w == 0xd6bf03e0) {
    mn(Mn.DRPS);
    return true;
  }
  return false;
}

// ------------------------------------------------------------------ system

function system(w: u32): bool {
  const l = (w >> 21) & 1;
  const op0 = (w >> 19) & 3;
  const op1 = (w >> 16) & 7;
  const crn = (w >> 12) & 15;
  const crm = (w >> 8) & 15;
  const op2 = (w >> 5) & 7;
  const rt = w & 31;
  if (l == 0 && op0 == 0) {
    if (crn == 2 && op1 == 3 && rt == 31) return hint((crm << 3) | op2);
    if (crn == 3 && op1 == 3 && rt == 31 && barrier(crm, op2)) return true;
    if (crn == 4 && rt == 31 && pstate(op1, crm, op2)) return true;
    if (op1 == 3 && crn == 1 && crm == 0 && op2 <= 1) {
      mn(op2 == 0 ? Mn.WFET : Mn.WFIT);
      x(rt);
      return true;
    }
  }
  if (op0 == 1) return l == 0 ? sys(w, rt) : sysl(w, rt);
  if (l == 0) {
    mn(Mn.MSR);
    sysregOp(w, 2);
    x(rt);
  } else {
    mn(Mn.MRS);
    x(rt);
    sysregOp(w, 1);
  }
  return true;
}

function hint(h: u32): bool {
  const p = hintPacBti(h);
  if (p != Mn.UNKNOWN) {
    mn(p);
    if (p == Mn.BTI) {
      const t = (h >> 1) & 3;
      if (t != 0) {
        opBegin();
        str(t == 1 ? 'c' : t == 2 ? 'j' : 'jc');
      }
    }
    return true;
  }
  switch (h) {
    case 0: mn(Mn.NOP); return true;
    case 1: mn(Mn.YIELD); return true;
    case 2: mn(Mn.WFE); return true;
    case 3: mn(Mn.WFI); return true;
    case 4: mn(Mn.SEV); return true;
    case 5: mn(Mn.SEVL); return true;
    case 6: mn(Mn.DGH); return true;
    case 16: mn(Mn.ESB); return true;
    case 17:
      mn(Mn.PSB);
      opBegin();
      str('csync');
      return true;
    case 18:
      mn(Mn.TSB);
      opBegin();
      str('csync');
      return true;
    case 19:
      mn(Mn.GCSB);
      opBegin();
      str('dsync');
      return true;
    case 20: mn(Mn.CSDB); return true;
    case 22: mn(Mn.CLRBHB); return true;
    case 40:
      mn(Mn.CHKFEAT);
      x(16);
      return true;
    default:
      mn(Mn.HINT);
      immHex(<i64>h);
      return true;
  }
}

// DMB/DSB option names by CRm (Arm ARM C6.2 DMB); empty: printed as #imm.
const BARRIER_NAMES =
  '      ' + 'oshld ' + 'oshst ' + 'osh   ' + '      ' + 'nshld ' + 'nshst ' + 'nsh   ' +
  '      ' + 'ishld ' + 'ishst ' + 'ish   ' + '      ' + 'ld    ' + 'st    ' + 'sy    ';

function barrierName(crm: u32): bool {
  const src = changetype<usize>(BARRIER_NAMES) + (<usize>crm * 12);
  if (load<u16>(src) == 32) return false;
  opBegin();
  for (let i: usize = 0; i < 6; i++) {
    const c = load<u16>(src + (i << 1));
    if (c == 32) break;
    chr(c);
  }
  return true;
}

function barrier(crm: u32, op2: u32): bool {
  switch (op2) {
    case 1: {
      // DSB with the nXS qualifier (FEAT_XS): CRm = imm2:10
      if ((crm & 3) != 2) return false;
      mn(Mn.DSB);
      opBegin();
      const d = crm >> 2;
      str(d == 0 ? 'oshnxs' : d == 1 ? 'nshnxs' : d == 2 ? 'ishnxs' : 'synxs');
      return true;
    }
    case 2:
      mn(Mn.CLREX);
      if (crm != 15) immHex(<i64>crm);
      return true;
    case 3:
      if (crm != 0) return false;
      mn(Mn.TCOMMIT);
      return true;
    case 4:
      if (crm == 0) {
        mn(Mn.SSBB);
        return true;
      }
      if (crm == 4) {
        mn(Mn.PSSBB);
        return true;
      }
      if (crm == 12) {
        // DSB #12 is Armv8-R's DFB, which LLVM prints by that name.
        mn(Mn.DSB);
        return dfb();
      }
      mn(Mn.DSB);
      if (!barrierName(crm)) immDec(<i64>crm);
      return true;
    case 5:
      mn(Mn.DMB);
      if (!barrierName(crm)) immDec(<i64>crm);
      return true;
    case 6:
      mn(Mn.ISB);
      if (crm != 15) immDec(<i64>crm);
      return true;
    case 7:
      mn(Mn.SB);
      return true;
    default:
      return false;
  }
}

/** Rewrite the just-written `dsb` as `dfb` (same id: a data barrier). */
function dfb(): bool {
  setOutBack(3);
  str('dfb');
  return true;
}

function pstate(op1: u32, crm: u32, op2: u32): bool {
  if (op1 == 0) {
    if (op2 == 0) {
      if (crm != 0) return false;
      mn(Mn.CFINV);
      return true;
    }
    if (op2 == 1) {
      mn(Mn.XAFLAG);
      return true;
    }
    if (op2 == 2) {
      mn(Mn.AXFLAG);
      return true;
    }
    if (op2 == 3) return pstateField('UAO', crm);
    if (op2 == 4) return pstateField('PAN', crm);
    if (op2 == 5) return pstateField('SPSel', crm);
    return false;
  }
  if (op1 == 1 && op2 == 0) {
    if (crm <= 1) return pstateField('ALLINT', crm);
    if (crm <= 3) return pstateField('PM', crm & 1);
    return false;
  }
  if (op1 == 3) {
    switch (op2) {
      case 1: return pstateField('SSBS', crm);
      case 2: return pstateField('DIT', crm);
      case 3: {
        // SMSTART/SMSTOP: MSR SVCR*, #imm (CRm = 0b0 SM ZA imm)
        if ((crm & 8) != 0 || (crm & 6) == 0) return false;
        mn(crm & 1 ? Mn.SMSTART : Mn.SMSTOP);
        const f = (crm >> 1) & 3;
        if (f == 1) {
          opBegin();
          str('sm');
        } else if (f == 2) {
          opBegin();
          str('za');
        }
        return true;
      }
      case 4: return pstateField('TCO', crm);
      case 6: return pstateField('DAIFSet', crm);
      case 7: return pstateField('DAIFClr', crm);
      default: return false;
    }
  }
  return false;
}

function pstateField(name: string, imm: u32): bool {
  mn(Mn.MSR);
  opBegin();
  str(name);
  immHex(<i64>imm);
  return true;
}

// ------------------------------------------------------- system registers

function putName(i: u32): void {
  const a = <usize>unchecked(NAME_OFFSETS[i]);
  const b = <usize>unchecked(NAME_OFFSETS[i + 1]);
  const src = changetype<usize>(NAME_BLOB);
  for (let k = a; k < b; k++) chr(load<u16>(src + (k << 1)));
}

/** Index of the first table entry with `key` in its low `bits` bits, or -1. */
function findKey(table: StaticArray<u32>, key: u32, mask: u32): i32 {
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((unchecked(table[mid]) & mask) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo < table.length && (unchecked(table[lo]) & mask) == key ? lo : -1;
}

/** The system register operand: LLVM's name for this access (1 read, 2 write), else `S<op0>_<op1>_C<n>_C<m>_<op2>`. */
function sysregOp(w: u32, access: u32): void {
  opBegin();
  sysregText(w, access);
}

function sysregText(w: u32, access: u32): void {
  const op0 = (w >> 19) & 3;
  if (op0 >= 2) {
    const key = (w >> 5) & 0x7fff;
    let i = findKey(SYSREGS, key, 0x7fff);
    if (i >= 0) {
      for (; i < SYSREGS.length; i++) {
        const e = unchecked(SYSREGS[i]);
        if ((e & 0x7fff) != key) break;
        if (((e >> 15) & access) != 0) {
          putName(e >> 17);
          return;
        }
      }
    }
  }
  chr(83); // S
  dec(op0);
  chr(95);
  dec((w >> 16) & 7);
  chr(95);
  chr(67);
  dec((w >> 12) & 15);
  chr(95);
  chr(67);
  dec((w >> 8) & 15);
  chr(95);
  dec((w >> 5) & 7);
}

// SYS alias kinds (sysreg.ts SYS_KIND_NAMES order) → mnemonic ids.
const KIND_MN: StaticArray<i32> = [
  Mn.AT, Mn.DC, Mn.IC, Mn.TLBI, Mn.BRB, Mn.CFP, Mn.DVP, Mn.CPP, Mn.COSP, Mn.GCSPUSHM, Mn.GCSPOPM, Mn.GCSSS1, Mn.GCSSS2,
  Mn.GCSPUSHX, Mn.GCSPOPCX, Mn.GCSPOPX, Mn.TRCIT,
];

/** `#op1, cN, cM, #op2` as SYS/SYSL/SYSP print them. */
function sysOperands(w: u32): void {
  immHex(<i64>((w >> 16) & 7));
  opBegin();
  chr(99);
  dec((w >> 12) & 15);
  opBegin();
  chr(99);
  dec((w >> 8) & 15);
  immHex(<i64>((w >> 5) & 7));
}

function sys(w: u32, rt: u32): bool {
  const key = (w >> 5) & 0x3fff;
  const i = findKey(SYS_ALIASES, key, 0x3fff);
  if (i >= 0) {
    const e = unchecked(SYS_ALIASES[i]);
    const mode = (e >> 14) & 3;
    if (mode != 2 || rt == 31) {
      const kind = (e >> 16) & 31;
      mn(<Mn>unchecked(KIND_MN[kind]));
      const name = e >> 21;
      if (name != SYS_NO_NAME) {
        opBegin();
        putName(name);
      }
      if (mode == 0) x(rt);
      return true;
    }
  }
  mn(Mn.SYS);
  sysOperands(w);
  if (rt != 31) x(rt);
  return true;
}

function sysl(w: u32, rt: u32): bool {
  const key = (w >> 5) & 0x3fff;
  const i = findKey(SYSL_ALIASES, key, 0x3fff);
  if (i >= 0) {
    mn(<Mn>unchecked(KIND_MN[(unchecked(SYSL_ALIASES[i]) >> 16) & 31]));
    if (rt != 31) x(rt);
    return true;
  }
  mn(Mn.SYSL);
  x(rt);
  sysOperands(w);
  return true;
}

/** 128-bit system instructions (FEAT_D128): SYSP/TLBIP, MSRR, MRRS; the register pair must start even. */
function systemPair(w: u32): bool {
  const l = (w >> 21) & 1;
  const op0 = (w >> 19) & 3;
  const rt = w & 31;
  if (op0 == 1 && l == 0) {
    if (rt != 31 && (rt & 1) != 0) return false;
    const key = (w >> 5) & 0x3fff;
    const i = findKey(TLBIP_ALIASES, key, 0x3fff);
    if (i >= 0) {
      mn(Mn.TLBIP);
      opBegin();
      putName(unchecked(TLBIP_ALIASES[i]) >> 16);
    } else {
      mn(Mn.SYSP);
      sysOperands(w);
      if (rt == 31) return true;
    }
    pair(rt);
    return true;
  }
  if ((rt & 1) != 0) return false;
  if (l == 0) {
    mn(Mn.MSRR);
    opBegin();
    sysregText(w, 2);
    pair(rt);
  } else {
    mn(Mn.MRRS);
    pair(rt);
    opBegin();
    sysregText(w, 1);
  }
  return true;
}

/** `xN, xN+1`; xzr pairs with xzr. */
function pair(rt: u32): void {
  x(rt);
  x(rt == 31 ? 31 : rt + 1);
}

