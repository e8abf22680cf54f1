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
  store<u16>(outPos, 0x7830); // "0x"
  outPos += 2;
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
  if (opCount == 0) {
    store<u8>(outPos, 9);
    outPos++;
  } else {
    store<u16>(outPos, 0x202c); // ", "
    outPos += 2;
  }
  opCount++;
}

// Register names as 4-byte little-endian words and their lengths, by
// [sf][n]: x0…x30 / xzr, w0…w30 / wzr, and the SP-numbered forms (sp, wsp).
// One 4-byte store and one cursor update per register.
const REG_WORDS: usize = memory.data(4 * 32 * 4);
const REG_LENS: usize = memory.data(32 * 4);

function initRegNames(): void {
  for (let k: u32 = 0; k < 4; k++) {
    const sf = (k & 1) != 0;
    const spForm = (k & 2) != 0;
    for (let n: u32 = 0; n < 32; n++) {
      let word: u32 = sf ? 120 : 119; // x / w
      let len: u32 = 1;
      if (n == 31) {
        if (spForm) {
          word = sf ? 0x7073 : 0x707377; // "sp" / "wsp"
          len = sf ? 2 : 3;
        } else {
          word |= 0x727a00; // "zr"
          len = 3;
        }
      } else if (n < 10) {
        word |= (48 + n) << 8;
        len = 2;
      } else {
        word |= (48 + n / 10) << 8;
        word |= (48 + (n % 10)) << 16;
        len = 3;
      }
      store<u32>(REG_WORDS + ((k * 32 + n) << 2), word);
      store<u8>(REG_LENS + k * 32 + n, <u8>len);
    }
  }
}
initRegNames();

@inline function regText(k: u32, n: u32): void {
  const i = (k << 5) | n;
  store<u32>(outPos, load<u32>(REG_WORDS + (i << 2)));
  outPos += load<u8>(REG_LENS + i);
}

/** General register as an operand where 31 is the zero register (`x3`, `wzr`). */
export function gpr(n: u32, sf: bool): void {
  sep();
  regText(<u32>sf, n);
}

export function gprText(n: u32, sf: bool): void {
  regText(<u32>sf, n);
}

/** General register where 31 is the stack pointer (`sp`, `wsp`). */
export function gprSp(n: u32, sf: bool): void {
  sep();
  regText(2 | <u32>sf, n);
}

export function gprSpText(n: u32, sf: bool): void {
  regText(2 | <u32>sf, n);
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
  if (v < 0) {
    store<u32>(outPos, 0x78302d23); // "#-0x"
    outPos += 4;
    hexDigits(<u64>(-v));
  } else {
    store<u32>(outPos, 0x783023); // "#0x"
    outPos += 3;
    hexDigits(<u64>v);
  }
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
  store<u8>(outPos, 91); // [
  outPos++;
  regText(3, n);
}

/** `, #imm` inside a memory operand; nothing when zero and `omitZero`. */
export function memImm(v: i64, omitZero: bool): void {
  if (v == 0 && omitZero) return;
  if (v < 0) {
    store<u64>(outPos, 0x78302d23202c); // ", #-0x"
    outPos += 6;
    hexDigits(<u64>(-v));
  } else {
    store<u64>(outPos, 0x783023202c); // ", #0x"
    outPos += 5;
    hexDigits(<u64>v);
  }
}

/** `]` or `]!`. */
export function memClose(writeback: bool): void {
  store<u16>(outPos, 0x215d); // "]!"
  outPos += writeback ? 2 : 1;
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
