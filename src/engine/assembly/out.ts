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
/** 0 until the current instruction has an operand (the next one is preceded by a TAB), then 1. */
let opCount: i32 = 0;
/** Mnemonic id of the instruction being decoded. */
export let curMn: Mn = Mn.UNKNOWN;

// Speed: V8 keeps a wasm global in memory and reads it again after every
// store to linear memory, so each cursor update is a store-to-load round
// trip on the critical path. Every formatter below therefore reads `outPos`
// once, writes through a local (the `…At(p, …)` helpers take and return the
// position), and stores it once.

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
  const p = outPos;
  store<u8>(p, <u8>c);
  outPos = p + 1;
}

/** Append an ASCII string literal. */
export function str(s: string): void {
  const n = s.length;
  const src = changetype<usize>(s);
  const p = outPos;
  for (let i = 0; i < n; i++) store<u8>(p + i, load<u16>(src + (<usize>i << 1)));
  outPos = p + n;
}

@inline function decAt(p: usize, v: u64): usize {
  if (v < 10) {
    store<u8>(p, 48 + <u32>v);
    return p + 1;
  }
  if (v < 100) {
    // register numbers, shift amounts: no 64-bit division
    const u = <u32>v;
    const t = u / 10;
    store<u8>(p, 48 + t);
    store<u8>(p, 48 + u - t * 10, 1);
    return p + 2;
  }
  return decLongAt(p, v);
}

function decLongAt(p: usize, v: u64): usize {
  let n: usize = 0;
  let t = v;
  while (t > 0) {
    t /= 10;
    n++;
  }
  const end = p + n;
  let q = end;
  while (v > 0) {
    q--;
    store<u8>(q, 48 + <u32>(v % 10));
    v /= 10;
  }
  return end;
}

/** Unsigned decimal. */
export function dec(v: u64): void {
  outPos = decAt(outPos, v);
}

/** Signed decimal. */
export function sdec(v: i64): void {
  let p = outPos;
  if (v < 0) {
    store<u8>(p, 45);
    p++;
    v = -v;
  }
  outPos = decAt(p, <u64>v);
}

/**
 * The eight hex digits of `v` as ASCII bytes, most significant digit in the
 * lowest byte (so a little-endian store writes them in reading order): the
 * nibbles are spread one per byte, then each becomes '0'–'9' or 'a'–'f'
 * without a branch or a table.
 */
@inline function hex8(v: u32): u64 {
  let t = (<u64>v >> 16) | ((<u64>v & 0xffff) << 32);
  t = ((t & 0x0000ff000000ff00) >> 8) | ((t & 0x000000ff000000ff) << 16);
  t = ((t & 0x00f000f000f000f0) >> 4) | ((t & 0x000f000f000f000f) << 8);
  const letter = ((t + 0x0606060606060606) >> 4) & 0x0101010101010101;
  return t + 0x3030303030303030 + letter * 0x27;
}

// Two hex digits per byte value, as a little-endian u16 (high digit first).
const HEX2: usize = memory.data(512);
function initHex2(): void {
  for (let i: u32 = 0; i < 256; i++) {
    const hi = i >> 4;
    const lo = i & 15;
    store<u16>(HEX2 + (i << 1), <u16>((hi < 10 ? 48 + hi : 87 + hi) | ((lo < 10 ? 48 + lo : 87 + lo) << 8)));
  }
}
initHex2();

/**
 * Hex digits of `v` (no prefix) at `p`. Offsets and small immediates (below
 * 0x100) come from a table; longer values use whole 8-byte stores (the
 * buffer always has room past the cursor).
 */
@inline export function hexDigitsAt(p: usize, v: u64): usize {
  if (v < 0x100) {
    const d = load<u16>(HEX2 + (<usize>v << 1));
    if (v < 0x10) {
      store<u8>(p, d >> 8);
      return p + 1;
    }
    store<u16>(p, d);
    return p + 2;
  }
  return hexLongAt(p, v);
}

function hexLongAt(p: usize, v: u64): usize {
  const n = <usize>((67 - <u32>clz<u64>(v)) >> 2);
  if (n <= 8) {
    store<u64>(p, hex8(<u32>v) >> (<u64>(8 - n) << 3));
    return p + n;
  }
  store<u64>(p, hex8(<u32>(v >> 32)) >> (<u64>(16 - n) << 3));
  p += n - 8;
  store<u64>(p, hex8(<u32>v));
  return p + 8;
}

/** Lowercase hex digits without prefix. */
export function hexDigits(v: u64): void {
  outPos = hexDigitsAt(outPos, v);
}

/** `ADDRESS:<TAB>` starting a listing line (lowercase hex without 0x). */
export function lineAddress(a: u64): void {
  const p = hexDigitsAt(outPos, a);
  store<u16>(p, 0x093a); // ":\t"
  outPos = p + 2;
}

/** `0x…` of an unsigned value. */
export function hex(v: u64): void {
  const p = outPos;
  store<u16>(p, 0x7830); // "0x"
  outPos = hexDigitsAt(p + 2, v);
}

/** MCInstPrinter::formatHex: `-0x10` for negatives. */
export function shex(v: i64): void {
  let p = outPos;
  if (v < 0) {
    store<u8>(p, 45);
    p++;
    v = -v;
  }
  store<u16>(p, 0x7830); // "0x"
  outPos = hexDigitsAt(p + 2, <u64>v);
}

// ----------------------------------------------------------- instruction

/** Start an instruction: its mnemonic from the table. */
export function mn(id: Mn): void {
  curMn = id;
  opCount = 0;
  const src = MN_BYTES + mnNameOff(id);
  const p = outPos;
  store<u64>(p, load<u64>(src));
  store<u64>(p, load<u64>(src, 8), 8);
  outPos = p + mnNameLen(id);
}

/** Start an instruction whose printed mnemonic is the table name plus a suffix (`ldaddal`, `b.eq`, `ldrsb`). */
export function mnSuffix(id: Mn, suffix: string): void {
  mn(id);
  str(suffix);
}

/** Separator at `p` before the next operand: TAB before the first, ", " after that. */
@inline function sepAt(p: usize): usize {
  if (opCount == 0) {
    store<u8>(p, 9);
    opCount = 1;
    return p + 1;
  }
  store<u16>(p, 0x202c); // ", "
  return p + 2;
}

/** Separator before the next operand: TAB before the first, ", " after that. */
@inline export function sep(): void {
  outPos = sepAt(outPos);
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

@inline export function regAt(p: usize, k: u32, n: u32): usize {
  const i = (k << 5) | n;
  store<u32>(p, load<u32>(REG_WORDS + (i << 2)));
  return p + load<u8>(REG_LENS + i);
}

/** General register as an operand where 31 is the zero register (`x3`, `wzr`). */
export function gpr(n: u32, sf: bool): void {
  outPos = regAt(sepAt(outPos), <u32>sf, n);
}

export function gprText(n: u32, sf: bool): void {
  outPos = regAt(outPos, <u32>sf, n);
}

/** General register where 31 is the stack pointer (`sp`, `wsp`). */
export function gprSp(n: u32, sf: bool): void {
  outPos = regAt(sepAt(outPos), 2 | <u32>sf, n);
}

export function gprSpText(n: u32, sf: bool): void {
  outPos = regAt(outPos, 2 | <u32>sf, n);
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
  const p = sepAt(outPos);
  store<u8>(p, load<u8>(FP_LETTERS + size));
  outPos = decAt(p + 1, n);
}

export function fprText(n: u32, size: u32): void {
  const p = outPos;
  store<u8>(p, load<u8>(FP_LETTERS + size));
  outPos = decAt(p + 1, n);
}
const FP_LETTERS = memory.data<u8>([98, 104, 115, 100, 113]); // b h s d q

// ------------------------------------------------------- straight-line writers

// For decoders that write a whole instruction through one local position
// (fast.ts): start it, then finish it with `outPos = p`.

/** Mnemonic `id` at `p`; its operands follow with their own separators. */
@inline export function mnAt(p: usize, id: Mn): usize {
  curMn = id;
  opCount = 1;
  const src = MN_BYTES + mnNameOff(id);
  store<u64>(p, load<u64>(src));
  store<u64>(p, load<u64>(src, 8), 8);
  return p + mnNameLen(id);
}

@inline export function setTarget(a: u64): void {
  curTarget = a;
  hasTarget = true;
}

// ------------------------------------------------------------ immediates

/** `#0x10` / `#-0x10` at `p`. */
@inline export function immHexAt(p: usize, v: i64): usize {
  if (v < 0) {
    store<u32>(p, 0x78302d23); // "#-0x"
    return hexDigitsAt(p + 4, <u64>(-v));
  }
  store<u32>(p, 0x783023); // "#0x"
  return hexDigitsAt(p + 3, <u64>v);
}

/** `#0x10` / `#-0x10`: MCInstPrinter::formatImm with hex on (AArch64InstPrinter::printImm). */
export function immHex(v: i64): void {
  outPos = immHexAt(sepAt(outPos), v);
}

/** `#0xffffffff00000000`: an unsigned 64-bit value (logical immediates). */
export function immHexU(v: u64): void {
  const p = sepAt(outPos);
  store<u32>(p, 0x783023); // "#0x"
  outPos = hexDigitsAt(p + 3, v);
}

/** `#12`: operands LLVM always prints in decimal (shift amounts, bit positions, lsb/width, nzcv…). */
export function immDec(v: i64): void {
  let p = sepAt(outPos);
  store<u8>(p, 35);
  p++;
  if (v < 0) {
    store<u8>(p, 45);
    p++;
    v = -v;
  }
  outPos = decAt(p, <u64>v);
}

/** `#0` / `#0x1`: AArch64InstPrinter::printImmHex, C's `%#llx` (zero has no prefix). */
export function immPrintHex(v: u64): void {
  const p = sepAt(outPos);
  if (v == 0) {
    store<u16>(p, 0x3023); // "#0"
    outPos = p + 2;
    return;
  }
  store<u32>(p, 0x783023); // "#0x"
  outPos = hexDigitsAt(p + 3, v);
}

/** A branch or literal target: absolute address as llvm-objdump prints it (`0x400280`). */
export function target(a: u64): void {
  const p = sepAt(outPos);
  store<u16>(p, 0x7830); // "0x"
  outPos = hexDigitsAt(p + 2, a);
  curTarget = a;
  hasTarget = true;
}

/** Branch/literal target of the current instruction, when it has one. */
export let curTarget: u64 = 0;
export let hasTarget: bool = false;

// ----------------------------------------------------- shifts, extends, cond

const SHIFT_NAMES = 'lsllsrasrror';

@inline function shiftAt(p: usize, kind: u32): usize {
  const src = changetype<usize>(SHIFT_NAMES) + (<usize>kind * 6);
  store<u8>(p, load<u16>(src));
  store<u8>(p, load<u16>(src, 2), 1);
  store<u8>(p, load<u16>(src, 4), 2);
  return p + 3;
}

/** `lsl #3` as a separate operand (shift: 0 lsl, 1 lsr, 2 asr, 3 ror). */
export function shift(kind: u32, amount: u32): void {
  const p = shiftAt(sepAt(outPos), kind);
  store<u16>(p, 0x2320); // " #"
  outPos = decAt(p + 2, amount);
}

export function shiftText(kind: u32): void {
  outPos = shiftAt(outPos, kind);
}

const EXTEND_NAMES = 'uxtbuxthuxtwuxtxsxtbsxthsxtwsxtx';
/** `uxtw`, `sxtx`… (option 0..7). */
export function extendText(option: u32): void {
  const src = changetype<usize>(EXTEND_NAMES) + (<usize>option * 8);
  const p = outPos;
  for (let i: usize = 0; i < 4; i++) store<u8>(p + i, load<u16>(src + (i << 1)));
  outPos = p + 4;
}

const COND_NAMES = 'eqnehslomiplvsvchilsgeltgtlealnv';

@inline export function condAt(p: usize, c: u32): usize {
  const src = changetype<usize>(COND_NAMES) + (<usize>(c & 15) * 4);
  store<u8>(p, load<u16>(src));
  store<u8>(p, load<u16>(src, 2), 1);
  return p + 2;
}

export function condText(c: u32): void {
  outPos = condAt(outPos, c);
}

/** Condition as an operand (`csel x0, x1, x2, eq`). */
export function cond(c: u32): void {
  outPos = condAt(sepAt(outPos), c);
}

// --------------------------------------------------------------- memory

/** `[xN` at `p` (base may be sp). */
@inline export function memOpenAt(p: usize, n: u32): usize {
  store<u8>(p, 91); // [
  return regAt(p + 1, 3, n);
}

/** `, #imm` at `p` inside a memory operand. */
@inline export function memImmAt(p: usize, v: i64): usize {
  store<u16>(p, 0x202c); // ", "
  return immHexAt(p + 2, v);
}

/** `[xN` (base may be sp), opening a memory operand. */
export function memOpen(n: u32): void {
  outPos = memOpenAt(sepAt(outPos), n);
}

/** `, #imm` inside a memory operand; nothing when zero and `omitZero`. */
export function memImm(v: i64, omitZero: bool): void {
  if (v == 0 && omitZero) return;
  outPos = memImmAt(outPos, v);
}

/** `]` or `]!`. */
export function memClose(writeback: bool): void {
  const p = outPos;
  store<u16>(p, 0x215d); // "]!"
  outPos = p + (writeback ? 2 : 1);
}

/** `[xN]` */
export function memBase(n: u32): void {
  const p = memOpenAt(sepAt(outPos), n);
  store<u8>(p, 93); // ]
  outPos = p + 1;
}

/**
 * A whole immediate-offset memory operand: `[xN, #imm]`, `[xN]` when the
 * offset is zero and `omitZero`, `[xN, #imm]!` with `writeback`.
 */
export function memOperand(n: u32, v: i64, omitZero: bool, writeback: bool): void {
  let p = memOpenAt(sepAt(outPos), n);
  if (v != 0 || !omitZero) p = memImmAt(p, v);
  store<u16>(p, 0x215d); // "]!"
  outPos = p + (writeback ? 2 : 1);
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
