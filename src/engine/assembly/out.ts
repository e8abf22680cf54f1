// The text output buffer and the operand formatters every decoder group uses.
//
// Text is written as ASCII bytes straight into linear memory (never AS
// strings per instruction): `outPos` is the write cursor. One instruction is
// `mnemonic`, then a TAB before the first operand and ", " between operands,
// exactly as llvm-objdump prints it. Formatting follows LLVM 19's
// AArch64InstPrinter with llvm-objdump's defaults (`--print-imm-hex` is on
// since LLVM 15, so most immediates are hex).

import { Mn, mnNameOff, mnNameLen, MN_BYTES } from './mnemonics';

/**
 * Apple syntax: llvm-objdump uses AArch64AppleInstPrinter for Mach-O (Darwin
 * triples), which differs only in how Advanced SIMD operands are written
 * (`umlal2.4s v31, v7, v7[0]` rather than `umlal2 v31.4s, v7.4s, v7.s[0]`).
 * Decoders of vector instructions check it; see vreg()/mnArrangement().
 */
export let apple: bool = false;
export function setApple(v: bool): void {
  apple = v;
}

/** Write cursor into linear memory (set by the caller before decoding). */
export let outPos: usize = 0;
/** Operands written so far for the current instruction (0: the next one is preceded by a TAB). */
let opCount: i32 = 0;
/** Mnemonic id of the instruction being decoded. */
export let curMn: Mn = Mn.UNKNOWN;

export function setOut(p: usize): void {
  outPos = p;
}

/** Step the cursor back over `n` bytes just written (to respell a mnemonic). */
export function setOutBack(n: u32): void {
  outPos -= n;
}

/** Reset the per-instruction state before decoding a word. */
export function beginInsn(): void {
  opCount = 0;
  curMn = Mn.UNKNOWN;
  hasTarget = false;
}

// ---------------------------------------------------------------- raw text

@inline export function chr(c: u32): void {
  store<u8>(outPos, <u8>c);
  outPos++;
}

/** Append an ASCII string literal. */
export function str(s: string): void {
  const n = s.length;
  const src = changetype<usize>(s);
  for (let i = 0; i < n; i++) store<u8>(outPos + i, load<u16>(src + (<usize>i << 1)));
  outPos += n;
}

/** Unsigned decimal. */
export function dec(v: u64): void {
  if (v < 10) {
    chr(48 + <u32>v);
    return;
  }
  if (v < 100) {
    // register numbers, shift amounts: no 64-bit division
    const u = <u32>v;
    const t = u / 10;
    store<u8>(outPos, 48 + t);
    store<u8>(outPos, 48 + u - t * 10, 1);
    outPos += 2;
    return;
  }
  let n = 0;
  let t = v;
  while (t > 0) {
    t /= 10;
    n++;
  }
  let p = outPos + n;
  outPos = p;
  while (v > 0) {
    p--;
    store<u8>(p, 48 + <u32>(v % 10));
    v /= 10;
  }
}

/** Signed decimal. */
export function sdec(v: i64): void {
  if (v < 0) {
    chr(45);
    dec(<u64>(-v));
  } else dec(<u64>v);
}

const HEX_DIGITS = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** Lowercase hex digits without prefix. */
export function hexDigits(v: u64): void {
  const n = <usize>((67 - <u32>clz<u64>(v | 1)) >> 2);
  let p = outPos + n;
  outPos = p;
  if (v <= 0xffffffff) {
    let u = <u32>v;
    do {
      p--;
      store<u8>(p, load<u8>(HEX_DIGITS + (u & 15)));
      u >>= 4;
    } while (u != 0);
    return;
  }
  do {
    p--;
    store<u8>(p, load<u8>(HEX_DIGITS + <usize>(v & 15)));
    v >>= 4;
  } while (v != 0);
}

/** `0x…` of an unsigned value. */
export function hex(v: u64): void {
  chr(48);
  chr(120);
  hexDigits(v);
}

/** MCInstPrinter::formatHex: `-0x10` for negatives. */
export function shex(v: i64): void {
  if (v < 0) {
    chr(45);
    hex(<u64>(-v));
  } else hex(<u64>v);
}

// ----------------------------------------------------------- instruction

/** Start an instruction: its mnemonic from the table. */
export function mn(id: Mn): void {
  curMn = id;
  opCount = 0;
  const src = MN_BYTES + mnNameOff(id);
  store<u64>(outPos, load<u64>(src));
  store<u64>(outPos, load<u64>(src, 8), 8);
  outPos += mnNameLen(id);
}

/** Start an instruction whose printed mnemonic is the table name plus a suffix (`ldaddal`, `b.eq`, `ldrsb`). */
export function mnSuffix(id: Mn, suffix: string): void {
  mn(id);
  str(suffix);
}

/** Separator before the next operand: TAB before the first, ", " after that. */
@inline export function sep(): void {
  if (opCount == 0) chr(9);
  else {
    chr(44);
    chr(32);
  }
  opCount++;
}

// ------------------------------------------------------------- registers

/** General register as an operand where 31 is the zero register (`x3`, `wzr`). */
export function gpr(n: u32, sf: bool): void {
  sep();
  gprText(n, sf);
}

export function gprText(n: u32, sf: bool): void {
  chr(sf ? 120 : 119);
  if (n == 31) {
    chr(122);
    chr(114);
  } else dec(n);
}

/** General register where 31 is the stack pointer (`sp`, `wsp`). */
export function gprSp(n: u32, sf: bool): void {
  sep();
  gprSpText(n, sf);
}

export function gprSpText(n: u32, sf: bool): void {
  if (n == 31) {
    if (!sf) chr(119);
    chr(115);
    chr(112);
  } else {
    chr(sf ? 120 : 119);
    dec(n);
  }
}

@inline export function x(n: u32): void {
  gpr(n, true);
}
@inline export function w(n: u32): void {
  gpr(n, false);
}
@inline export function xsp(n: u32): void {
  gprSp(n, true);
}

/** FP/SIMD scalar register `b0 h0 s0 d0 q0` (size: 0..4). */
export function fpr(n: u32, size: u32): void {
  sep();
  fprText(n, size);
}

export function fprText(n: u32, size: u32): void {
  chr(load<u8>(FP_LETTERS + size));
  dec(n);
}
const FP_LETTERS = memory.data<u8>([98, 104, 115, 100, 113]); // b h s d q

// ------------------------------------------------------------ immediates

/** `#0x10` / `#-0x10`: MCInstPrinter::formatImm with hex on (AArch64InstPrinter::printImm). */
export function immHex(v: i64): void {
  sep();
  chr(35);
  shex(v);
}

/** `#0xffffffff00000000`: an unsigned 64-bit value (logical immediates). */
export function immHexU(v: u64): void {
  sep();
  chr(35);
  hex(v);
}

/** `#12`: operands LLVM always prints in decimal (shift amounts, bit positions, lsb/width, nzcv…). */
export function immDec(v: i64): void {
  sep();
  chr(35);
  sdec(v);
}

/** `#0` / `#0x1`: AArch64InstPrinter::printImmHex, C's `%#llx` (zero has no prefix). */
export function immPrintHex(v: u64): void {
  sep();
  chr(35);
  if (v == 0) chr(48);
  else hex(v);
}

/** A branch or literal target: absolute address as llvm-objdump prints it (`0x400280`). */
export function target(a: u64): void {
  sep();
  hex(a);
  curTarget = a;
  hasTarget = true;
}

/** Branch/literal target of the current instruction, when it has one. */
export let curTarget: u64 = 0;
export let hasTarget: bool = false;

// ----------------------------------------------------- shifts, extends, cond

const SHIFT_NAMES = 'lsllsrasrror';
/** `lsl #3` as a separate operand (shift: 0 lsl, 1 lsr, 2 asr, 3 ror). */
export function shift(kind: u32, amount: u32): void {
  sep();
  shiftText(kind);
  chr(32);
  chr(35);
  dec(amount);
}

export function shiftText(kind: u32): void {
  const src = changetype<usize>(SHIFT_NAMES) + (<usize>kind * 6);
  chr(load<u16>(src));
  chr(load<u16>(src, 2));
  chr(load<u16>(src, 4));
}

const EXTEND_NAMES = 'uxtbuxthuxtwuxtxsxtbsxthsxtwsxtx';
/** `uxtw`, `sxtx`… (option 0..7). */
export function extendText(option: u32): void {
  const src = changetype<usize>(EXTEND_NAMES) + (<usize>option * 8);
  for (let i: usize = 0; i < 4; i++) chr(load<u16>(src + (i << 1)));
}

const COND_NAMES = 'eqnehslomiplvsvchilsgeltgtlealnv';
export function condText(c: u32): void {
  const src = changetype<usize>(COND_NAMES) + (<usize>(c & 15) * 4);
  chr(load<u16>(src));
  chr(load<u16>(src, 2));
}

/** Condition as an operand (`csel x0, x1, x2, eq`). */
export function cond(c: u32): void {
  sep();
  condText(c);
}

// --------------------------------------------------------------- memory

/** `[xN` (base may be sp), opening a memory operand. */
export function memOpen(n: u32): void {
  sep();
  chr(91);
  gprSpText(n, true);
}

/** `, #imm` inside a memory operand; nothing when zero and `omitZero`. */
export function memImm(v: i64, omitZero: bool): void {
  if (v == 0 && omitZero) return;
  chr(44);
  chr(32);
  chr(35);
  shex(v);
}

/** `]` or `]!`. */
export function memClose(writeback: bool): void {
  chr(93);
  if (writeback) chr(33);
}

/** `[xN]` */
export function memBase(n: u32): void {
  memOpen(n);
  chr(93);
}

/** Free text as a whole operand (`c7`, `ish`, `{ v0.16b }`). */
export function opText(s: string): void {
  sep();
  str(s);
}

/** Start a free-form operand; the caller writes its text with chr/str/dec. */
@inline export function opBegin(): void {
  sep();
}
