// Top-level A64 encoding-group dispatch (Arm ARM C4.1, "A64 instruction set
// encoding": op0 = bits 28:25). Each group lives in its own file and exports
// `decodeX(w: u32): bool` which writes the instruction's text at the output
// cursor and returns true, or returns false for an encoding it does not
// decode; the dispatcher then rewinds the cursor and prints LLVM's `<unknown>`.

import { Mn } from './mnemonics';
import { mn, outPos, setOut, beginInsn, curMn, immHex } from './out';
import { decodeDpImm } from './dp_imm';
import { decodeDpReg } from './dp_reg';
import { decodeBranchSys } from './branch_sys';
import { decodeLdSt } from './ldst';
import { decodeFpSimd } from './fpsimd';
import { decodeSve } from './sve';
import { decodeSme } from './sme';
import { fastMov, fastDpImm, fastBranch, fastLdSt } from './fast';
import { setPc } from './pc';


/** fast.ts on (the default) or off: tests compare the two on the same words. */
let fast: bool = true;
export function setFastPath(on: bool): void {
  fast = on;
}

/** Decode `w` at `addr`, writing its text at the output cursor. Returns the mnemonic id (UNKNOWN for `<unknown>`). */
export function decodeInsn(w: u32, addr: u64): Mn {
  setPc(addr);
  const start = outPos;
  beginInsn();
  let ok = false;
  switch ((w >> 25) & 15) {
    case 0: // reserved (udf) and SME
      ok = (w >> 31) != 0 ? decodeSme(w) : decodeReserved(w);
      break;
    case 2:
      ok = decodeSve(w);
      break;
    case 8:
    case 9:
      if (fast && fastDpImm(w, addr)) return curMn;
      ok = decodeDpImm(w);
      break;
    case 10:
    case 11:
      if (fast && fastBranch(w, addr)) return curMn;
      ok = decodeBranchSys(w);
      break;
    case 4:
    case 6:
    case 12:
    case 14:
      if (fast && fastLdSt(w)) return curMn;
      ok = decodeLdSt(w);
      break;
    case 5:
    case 13:
      if (fast && fastMov(w)) return curMn;
      ok = decodeDpReg(w);
      break;
    case 7:
    case 15:
      ok = decodeFpSimd(w);
      break;
    default: // 0001, 0011: unallocated
      break;
  }
  if (!ok) {
    setOut(start);
    beginInsn();
    mn(Mn.UNKNOWN);
    return Mn.UNKNOWN;
  }
  return curMn;
}

/** op0 = 0000, bit 31 = 0: only UDF (op1 = bits 24:16 = 0) is allocated. */
function decodeReserved(w: u32): bool {
  if ((w >> 16) != 0) return false;
  mn(Mn.UDF);
  immHex(<i64>(w & 0xffff));
  return true;
}
