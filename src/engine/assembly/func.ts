// Per-function return-address protection: does the function sign LR, does
// every return authenticate it, is its entry a BTI landing pad, does it call
// or save LR (non-leaf)?
//
// "Authenticates before every return" is a small forward data flow over the
// function's instructions, so shrink-wrapped early returns (taken before LR
// was ever signed) are not reported: each instruction gets the set of LR
// states it can be reached with — never signed (U), signed (S),
// authenticated (A). Signing sets {S}, authenticating sets {A}; a plain RET
// reached with S in its set returns with a signed, unauthenticated LR.
// Code reached only through an indirect branch (jump tables) gets the states
// seen at the function's indirect branches.

import { Mn } from './mnemonics';
import { pacBti, dp1PacMnemonic } from './pac';

export const FN_SIGNS: u32 = 1; // signs LR somewhere
export const FN_AUTH: u32 = 2; // authenticates LR somewhere (AUT* or RETAA/RETAB)
export const FN_BTI_ENTRY: u32 = 4; // first instruction is BTI c/j/jc
export const FN_NONLEAF: u32 = 8; // calls (BL/BLR*) or stores x30
export const FN_UNAUTH_RET: u32 = 16; // a plain RET can be reached with a signed, unauthenticated LR
export const FN_RETURNS: u32 = 32; // has a return of any kind
export const FN_PAC_ENTRY: u32 = 64; // first instruction is PACIASP/PACIBSP (an implicit BTI c landing pad)

const ST_U: u8 = 1;
const ST_S: u8 = 2;
const ST_A: u8 = 4;

// What an instruction does for the analysis.
const K_OTHER: u8 = 0;
const K_SIGN: u8 = 1;
const K_AUTH: u8 = 2;
const K_RET: u8 = 3; // plain RET (any register)
const K_AUTH_RET: u8 = 4; // RETAA/RETAB/RET*SPPC*: authenticate and return
const K_JUMP: u8 = 5; // B: no fallthrough
const K_COND: u8 = 6; // conditional branch: fallthrough + target
const K_INDIRECT: u8 = 7; // BR/BRAA…: no fallthrough, unknown targets
const K_CALL: u8 = 8; // BL/BLR…: falls through
const K_STOP: u8 = 9; // ERET, UDF…: no fallthrough

class FnResult {
  flags: u32 = 0;
  unauthAt: i32 = -1;
}
export const fnResult = new FnResult();

let scratchCap: u32 = 0;
let stateBuf: usize = 0;
let kindBuf: usize = 0;
let targetBuf: usize = 0;

function ensureScratch(n: u32): void {
  if (n <= scratchCap) return;
  scratchCap = (n + 4095) & ~4095;
  stateBuf = heap.alloc(scratchCap);
  kindBuf = heap.alloc(scratchCap);
  targetBuf = heap.alloc(<usize>scratchCap << 2);
}

/** Classify word `w` at index `i` of `n`; branch targets (as instruction index, -1 outside) go to targetBuf when n > 0. */
function classify(w: u32, i: i32, n: i32): u8 {
  let t: i32 = -1;
  let k = K_OTHER;
  const top6 = w >> 26;
  if (top6 == 0x05) {
    // B imm26
    t = i + ((<i32>(w << 6)) >> 6);
    k = K_JUMP;
  } else if (top6 == 0x25) {
    k = K_CALL;
  } else if ((w & 0xfe000000) == 0x54000000) {
    // B.cond / BC.cond; cond AL/NV still falls through in the encoding's eyes, keep it simple
    t = i + ((<i32>(w << 8)) >> 13);
    k = K_COND;
  } else if ((w & 0x7e000000) == 0x34000000) {
    // CBZ/CBNZ
    t = i + ((<i32>(w << 8)) >> 13);
    k = K_COND;
  } else if ((w & 0x7e000000) == 0x36000000) {
    // TBZ/TBNZ
    t = i + ((<i32>(w << 13)) >> 18);
    k = K_COND;
  } else if ((w & 0xfe000000) == 0xd6000000) {
    const m = pacBti(w);
    if (m == Mn.RETAA || m == Mn.RETAB || m == Mn.RETAASPPCR || m == Mn.RETABSPPCR) k = K_AUTH_RET;
    else if (m == Mn.BLRAA || m == Mn.BLRAB || m == Mn.BLRAAZ || m == Mn.BLRABZ) k = K_CALL;
    else if (m == Mn.BRAA || m == Mn.BRAB || m == Mn.BRAAZ || m == Mn.BRABZ) k = K_INDIRECT;
    else if (m == Mn.ERETAA || m == Mn.ERETAB) k = K_STOP;
    else if ((w & 0xfffffc1f) == 0xd65f0000) k = K_RET;
    else if ((w & 0xfffffc1f) == 0xd63f0000) k = K_CALL;
    else if ((w & 0xfffffc1f) == 0xd61f0000) k = K_INDIRECT;
    else if (w == 0xd69f03e0 || w == 0xd6bf03e0) k = K_STOP; // ERET, DRPS
  } else if ((w & 0xffe0001f) == 0x5500001f || (w & 0xffe0001f) == 0x5520001f) {
    k = K_AUTH_RET; // RETAASPPC/RETABSPPC
  } else if ((w >> 16) == 0) {
    k = K_STOP; // UDF
  } else {
    const m = pacBti(w);
    if (m != Mn.UNKNOWN) k = pacKind(m, w);
  }
  if (n > 0) store<i32>(targetBuf + (<usize>i << 2), t >= 0 && t < n ? t : -1);
  return k;
}

function pacKind(m: Mn, w: u32): u8 {
  switch (m) {
    case Mn.PACIASP:
    case Mn.PACIBSP:
    case Mn.PACIAZ:
    case Mn.PACIBZ:
    case Mn.PACIASPPC:
    case Mn.PACIBSPPC:
    case Mn.PACNBIASPPC:
    case Mn.PACNBIBSPPC:
      return K_SIGN;
    case Mn.AUTIASP:
    case Mn.AUTIBSP:
    case Mn.AUTIAZ:
    case Mn.AUTIBZ:
    case Mn.AUTIASPPC:
    case Mn.AUTIBSPPC:
    case Mn.AUTIASPPCR:
    case Mn.AUTIBSPPCR:
      return K_AUTH;
    case Mn.PACIA:
    case Mn.PACIB:
      return (w & 31) == 30 ? K_SIGN : K_OTHER;
    case Mn.AUTIA:
    case Mn.AUTIB:
      return (w & 31) == 30 ? K_AUTH : K_OTHER;
    default:
      return K_OTHER;
  }
}

/** STP/STNP of a 64-bit pair including x30, or STR x30 (unsigned offset, pre/post-index). */
@inline function storesLr(w: u32): bool {
  if ((w & 0xfe400000) == 0xa8000000) return (w & 31) == 30 || ((w >> 10) & 31) == 30;
  if ((w & 0xffc0001f) == 0xf900001e) return true;
  return (w & 0xffe0041f) == 0xf800041e;
}

@inline function noFallthrough(k: u8): bool {
  return k == K_JUMP || k == K_INDIRECT || k == K_RET || k == K_AUTH_RET || k == K_STOP;
}

/** The flags one instruction kind contributes (K_INDIRECT contributes none: it only steers the data flow). */
@inline function kindFlags(k: u8): u32 {
  if (k == K_SIGN) return FN_SIGNS;
  if (k == K_AUTH) return FN_AUTH;
  if (k == K_AUTH_RET) return FN_AUTH | FN_RETURNS;
  if (k == K_RET) return FN_RETURNS;
  if (k == K_CALL) return FN_NONLEAF;
  return 0;
}

// Per top byte, what the flags pass must look at: 1 the instruction kind
// (BL, branch register, HINT and data-processing PAC forms, AUTI*SPPC), 2 only
// whether it stores x30 (STP/STNP, STR/STUR of a 64-bit register). Every other
// top byte is a kind that sets no flag (B, B.cond, CBZ, TBZ, UDF, PACGA…) and
// never stores x30, so most words cost one table lookup.
const FLAG_TOP: usize = memory.data(256);
function initFlagTop(): void {
  for (let t: u32 = 0x94; t <= 0x97; t++) store<u8>(FLAG_TOP + t, 1);
  store<u8>(FLAG_TOP + 0xd5, 1);
  store<u8>(FLAG_TOP + 0xd6, 1);
  store<u8>(FLAG_TOP + 0xd7, 1);
  store<u8>(FLAG_TOP + 0xda, 1);
  store<u8>(FLAG_TOP + 0xf3, 1);
  store<u8>(FLAG_TOP + 0xa8, 2);
  store<u8>(FLAG_TOP + 0xa9, 2);
  store<u8>(FLAG_TOP + 0xf8, 2);
  store<u8>(FLAG_TOP + 0xf9, 2);
}
initFlagTop();

/** FN_SIGNS/AUTH/RETURNS/NONLEAF of `n` words at `p`: what the per-word loop of the full analysis sets, without its buffers. */
function flagsOf(p: usize, n: u32): u32 {
  let flags: u32 = 0;
  const end = p + (<usize>n << 2);
  for (let q = p; q < end; q += 4) {
    const w = load<u32>(q);
    const t = load<u8>(FLAG_TOP + (w >> 24));
    if (t == 0) continue;
    if (t == 1) flags |= kindFlags(classify(w, 0, 0));
    else if (storesLr(w)) flags |= FN_NONLEAF;
  }
  return flags;
}

/**
 * The flags of flagsOf by classifying every word, as the analysis first did:
 * kept as the reference the tests hold the table-driven pass to.
 */
function flagsOfReference(p: usize, n: u32): u32 {
  let flags: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const w = load<u32>(p + (<usize>i << 2));
    flags |= kindFlags(classify(w, 0, 0));
    if (storesLr(w)) flags |= FN_NONLEAF;
  }
  return flags;
}

/**
 * Analyze `n` words at `p` as one function. Result flags are returned;
 * details in fnResult. `reference`: take the flags from flagsOfReference.
 */
export function analyzeFn(p: usize, n: u32, reference: bool = false): u32 {
  fnResult.flags = 0;
  fnResult.unauthAt = -1;
  if (n == 0) return 0;
  const ni = <i32>n;
  let flags = reference ? flagsOfReference(p, n) : flagsOf(p, n);
  const first = load<u32>(p);
  const fm = pacBti(first);
  if (fm == Mn.BTI) {
    const h = (first >> 5) & 127;
    if (h != 32) flags |= FN_BTI_ENTRY; // plain `bti` is a landing pad for nothing
  } else if (fm == Mn.PACIASP || fm == Mn.PACIBSP) flags |= FN_PAC_ENTRY;

  // The data flow only matters when LR is signed somewhere and there is a plain RET.
  if ((flags & FN_SIGNS) != 0) {
    ensureScratch(n);
    let hasIndirect = false;
    for (let i = 0; i < ni; i++) {
      const k = classify(load<u32>(p + (<usize>i << 2)), i, ni);
      store<u8>(kindBuf + i, k);
      store<u8>(stateBuf + i, 0);
      if (k == K_INDIRECT) hasIndirect = true;
    }
    store<u8>(stateBuf, ST_U);
    let indirectStates: u8 = 0;
    for (let pass = 0; pass < 64; pass++) {
      let changed = false;
      for (let i = 0; i < ni; i++) {
        const s = load<u8>(stateBuf + i);
        if (s == 0) continue;
        const k = load<u8>(kindBuf + i);
        let o = s;
        if (k == K_SIGN) o = ST_S;
        else if (k == K_AUTH) o = ST_A;
        if (k == K_INDIRECT) indirectStates |= s;
        const fall = !noFallthrough(k);
        if (fall && i + 1 < ni) {
          const a = stateBuf + i + 1;
          const old = load<u8>(a);
          if ((old | o) != old) store<u8>(a, old | o);
        }
        if (k == K_JUMP || k == K_COND) {
          const t = load<i32>(targetBuf + (<usize>i << 2));
          if (t >= 0) {
            const a = stateBuf + t;
            const old = load<u8>(a);
            if ((old | o) != old) {
              store<u8>(a, old | o);
              if (t <= i) changed = true;
            }
          }
        }
      }
      if (!changed) {
        if (hasIndirect && indirectStates != 0) {
          // Seed code that no direct edge reaches (jump-table targets: an
          // unreached instruction right after one that does not fall
          // through) with the states seen at the indirect branches.
          for (let i = 1; i < ni; i++) {
            if (load<u8>(stateBuf + i) != 0 || !noFallthrough(load<u8>(kindBuf + i - 1))) continue;
            store<u8>(stateBuf + i, indirectStates);
            changed = true;
          }
        }
        if (!changed) break;
      }
    }
    for (let i = 0; i < ni; i++) {
      if (load<u8>(kindBuf + i) == K_RET && (load<u8>(stateBuf + i) & ST_S) != 0) {
        flags |= FN_UNAUTH_RET;
        fnResult.unauthAt = i << 2;
        break;
      }
    }
  }
  fnResult.flags = flags;
  return flags;
}
