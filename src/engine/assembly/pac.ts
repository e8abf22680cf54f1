// Pointer authentication and BTI: which word is which PAC/BTI instruction.
// One function serves both the fast scan (counts) and the decoders (text),
// so the two can never disagree. Encodings: Arm ARM C6 (PACIASP…, the HINT
// space C5.2.4, data-processing 1 source, branch register, LDRAA/LDRAB) and
// FEAT_PAuth_LR (Armv9.5: *SPPC, *171615, PACM).

import { Mn } from './mnemonics';

/** HINT #imm → PAC/BTI mnemonic, or UNKNOWN. */
export function hintPacBti(h: u32): Mn {
  switch (h) {
    case 7: return Mn.XPACLRI;
    case 8: return Mn.PACIA1716;
    case 10: return Mn.PACIB1716;
    case 12: return Mn.AUTIA1716;
    case 14: return Mn.AUTIB1716;
    case 24: return Mn.PACIAZ;
    case 25: return Mn.PACIASP;
    case 26: return Mn.PACIBZ;
    case 27: return Mn.PACIBSP;
    case 28: return Mn.AUTIAZ;
    case 29: return Mn.AUTIASP;
    case 30: return Mn.AUTIBZ;
    case 31: return Mn.AUTIBSP;
    case 32:
    case 34:
    case 36:
    case 38:
      return Mn.BTI;
    case 39: return Mn.PACM;
    default: return Mn.UNKNOWN;
  }
}

/** Data-processing (1 source) opcode (bits 15:10) with opcode2 = 1 → PAC mnemonic, or UNKNOWN. */
export function dp1PacMnemonic(op: u32, rn: u32, rd: u32): Mn {
  if (op < 8) return <Mn>(<u32>Mn.PACIA + op);
  if (op < 16) return rn == 31 ? <Mn>(<u32>Mn.PACIZA + op - 8) : Mn.UNKNOWN;
  if (op == 16) return rn == 31 ? Mn.XPACI : Mn.UNKNOWN;
  if (op == 17) return rn == 31 ? Mn.XPACD : Mn.UNKNOWN;
  if (rd != 30) return Mn.UNKNOWN;
  if (op == 0x24) return Mn.AUTIASPPCR;
  if (op == 0x25) return Mn.AUTIBSPPCR;
  if (rn != 31) return Mn.UNKNOWN;
  switch (op) {
    case 0x20: return Mn.PACNBIASPPC;
    case 0x21: return Mn.PACNBIBSPPC;
    case 0x22: return Mn.PACIA171615;
    case 0x23: return Mn.PACIB171615;
    case 0x28: return Mn.PACIASPPC;
    case 0x29: return Mn.PACIBSPPC;
    case 0x2e: return Mn.AUTIA171615;
    case 0x2f: return Mn.AUTIB171615;
    default: return Mn.UNKNOWN;
  }
}

/** Branch (register) PAC forms → mnemonic, or UNKNOWN. */
export function branchRegPac(w: u32): Mn {
  switch (w) {
    case 0xd65f0bff: return Mn.RETAA;
    case 0xd65f0fff: return Mn.RETAB;
    case 0xd69f0bff: return Mn.ERETAA;
    case 0xd69f0fff: return Mn.ERETAB;
    default: break;
  }
  switch (w & 0xfffffc1f) {
    case 0xd61f081f: return Mn.BRAAZ;
    case 0xd61f0c1f: return Mn.BRABZ;
    case 0xd63f081f: return Mn.BLRAAZ;
    case 0xd63f0c1f: return Mn.BLRABZ;
    default: break;
  }
  switch (w & 0xfffffc00) {
    case 0xd71f0800: return Mn.BRAA;
    case 0xd71f0c00: return Mn.BRAB;
    case 0xd73f0800: return Mn.BLRAA;
    case 0xd73f0c00: return Mn.BLRAB;
    default: break;
  }
  const m = w & 0xffffffe0;
  if (m == 0xd65f0be0) return Mn.RETAASPPCR; // Rm = 31 is RETAA, caught above
  if (m == 0xd65f0fe0) return Mn.RETABSPPCR;
  return Mn.UNKNOWN;
}

/** The PAC or BTI mnemonic of `w`, or UNKNOWN when it is neither. */
export function pacBti(w: u32): Mn {
  switch (w >> 24) {
    case 0xd5:
      if ((w & 0xfffff01f) == 0xd503201f) return hintPacBti((w >> 5) & 127);
      return Mn.UNKNOWN;
    case 0xda:
      if ((w & 0xffff0000) == 0xdac10000) return dp1PacMnemonic((w >> 10) & 63, (w >> 5) & 31, w & 31);
      return Mn.UNKNOWN;
    case 0x9a:
      return (w & 0xffe0fc00) == 0x9ac03000 ? Mn.PACGA : Mn.UNKNOWN;
    case 0xd6:
    case 0xd7:
      return branchRegPac(w);
    case 0xf8:
      if ((w & 0xff200400) == 0xf8200400) return (w >> 23) & 1 ? Mn.LDRAB : Mn.LDRAA;
      return Mn.UNKNOWN;
    case 0x55:
      if ((w & 0xffe0001f) == 0x5500001f) return Mn.RETAASPPC;
      if ((w & 0xffe0001f) == 0x5520001f) return Mn.RETABSPPC;
      return Mn.UNKNOWN;
    case 0xf3:
      if ((w & 0xffe0001f) == 0xf380001f) return Mn.AUTIASPPC;
      if ((w & 0xffe0001f) == 0xf3a0001f) return Mn.AUTIBSPPC;
      return Mn.UNKNOWN;
    default:
      return Mn.UNKNOWN;
  }
}
