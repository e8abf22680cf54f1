// op0 = 0010: SVE and SVE2 (Arm ARM C4.1.x "SVE encodings"), and the table
// interpreter shared with sme.ts.
//
// The encodings are data: src/engine/spec/sve.txt lists each one as a bit
// pattern and the operand text llvm-objdump prints, and tools/gen-sve.ts
// compiles it into sve_table.ts (mask/value, mnemonic id, byte program per
// encoding, bucketed by ten opcode bits). A word is tried against the
// encodings of its bucket, most specific first; the first whose program runs
// to the end wins. A program checks its conditions (an alias's register
// equality, a reserved size) and writes the operands; rejecting rewinds the
// text and moves on, so reserved and aliased encodings need no special code.

import { mn, chr, outPos, setOut, sdec, shex, hex, dec } from './out';
import { decodeBitMask, bitmaskOk } from './dp_imm';
import { SVE_ENTRIES, SVE_BUCKETS, SVE_LIST, sveKey, PROG, MAP_OFFS, MAP_BLOB } from './sve_table';

export function decodeSve(w: u32): bool {
  return runTable(w, SVE_ENTRIES, SVE_BUCKETS, SVE_LIST, sveKey(w));
}

/** Try the entries of bucket `key` in order; true when one printed the instruction. */
export function runTable(w: u32, entries: usize, buckets: usize, list: usize, key: u32): bool {
  const from = load<u32>(buckets + (<usize>key << 2));
  const to = load<u32>(buckets + (<usize>key << 2), 4);
  const start = outPos;
  for (let i = from; i < to; i++) {
    const e = entries + (<usize>load<u16>(list + (<usize>i << 1)) << 4);
    if ((w & load<u32>(e)) != load<u32>(e, 4)) continue;
    if (runProg(w, PROG + <usize>load<u32>(e, 8), load<u32>(e, 12))) return true;
    setOut(start);
  }
  return false;
}

// Program opcodes and output formats: see tools/gen-sve.ts (OP, FORMATS).
const STACK: usize = memory.data(8 * 32);

/**
 * Run an encoding's program: its conditions first (an alias's register
 * equality, a reserved value), then the text. The mnemonic `id` is written
 * before the first text, so a rejected condition writes nothing.
 */
function runProg(w: u32, p: usize, id: u32): bool {
  let sp: usize = STACK;
  let named = false;
  while (true) {
    const op = <u32>load<u8>(p);
    p++;
    if (op >= 6 && op <= 23) {
      // binary operators
      sp -= 8;
      const b = load<i64>(sp);
      const a = load<i64>(sp - 8);
      let r: i64 = 0;
      switch (op) {
        case 6: r = a + b; break;
        case 7: r = a - b; break;
        case 8: r = a * b; break;
        case 9: if (b == 0) return false; r = a / b; break;
        case 10: if (b == 0) return false; r = a % b; break;
        case 11: r = a << b; break;
        case 12: r = a >> b; break;
        case 13: r = a & b; break;
        case 14: r = a | b; break;
        case 15: r = a ^ b; break;
        case 16: r = <i64>(a == b); break;
        case 17: r = <i64>(a != b); break;
        case 18: r = <i64>(a < b); break;
        case 19: r = <i64>(a <= b); break;
        case 20: r = <i64>(a > b); break;
        case 21: r = <i64>(a >= b); break;
        case 22: r = <i64>(a != 0 && b != 0); break;
        default: r = <i64>(a != 0 || b != 0); break;
      }
      store<i64>(sp - 8, r);
      continue;
    }
    if (!named && (op <= 1 || op == 32)) {
      mn(id);
      named = true;
    }
    switch (op) {
      case 0:
        return true;
      case 1: {
        // literal text: 8 bytes at a time (the output buffer has slack past
        // the end; PROG is padded so the last read stays inside it)
        const n = <usize>load<u8>(p);
        const o = outPos;
        for (let i: usize = 0; i < n; i += 8) store<u64>(o + i, load<u64>(p + 1 + i));
        setOut(o + n);
        p += n + 1;
        break;
      }
      case 2:
      case 3: {
        const lo = <u32>load<u8>(p);
        const width = <u32>load<u8>(p, 1);
        p += 2;
        let v = <i64>((w >> lo) & ((1 << width) - 1));
        if (op == 3) v = (v << (64 - width)) >> (64 - width);
        store<i64>(sp, v);
        sp += 8;
        break;
      }
      case 4:
        store<i64>(sp, <i64>load<i32>(p));
        p += 4;
        sp += 8;
        break;
      case 5: {
        const bits = <i64>load<u8>(p);
        p++;
        const v = load<i64>(sp - 8);
        store<i64>(sp - 8, (v << (64 - bits)) >> (64 - bits));
        break;
      }
      case 24:
        store<i64>(sp - 8, <i64>(load<i64>(sp - 8) == 0));
        break;
      case 25:
        store<i64>(sp - 8, -load<i64>(sp - 8));
        break;
      case 26: {
        const v = load<i64>(sp - 8);
        store<i64>(sp - 8, v == 0 ? -1 : 63 - clz<i64>(v));
        break;
      }
      case 27: {
        const v = load<i64>(sp - 8);
        store<i64>(sp - 8, v == 0 ? -1 : ctz<i64>(v));
        break;
      }
      case 28: {
        const x = <u32>load<i64>(sp - 8);
        const v = decodeBitMask((x >> 12) & 1, (x >> 6) & 63, x & 63, true);
        if (!bitmaskOk) return false;
        store<i64>(sp - 8, <i64>v);
        break;
      }
      case 29: {
        sp -= 8;
        store<i64>(sp - 8, <i64>repeats(<u64>load<i64>(sp - 8), <u32>load<i64>(sp)));
        break;
      }
      case 33:
        store<i64>(sp - 8, <i64>movPreferred(<u64>load<i64>(sp - 8)));
        break;
      case 34:
        p += <usize>load<u16>(p) + 2;
        break;
      case 30:
        sp -= 8;
        if (load<i64>(sp) == 0) return false;
        break;
      case 31: {
        const off = <usize>load<u16>(p);
        p += 2;
        sp -= 8;
        if (load<i64>(sp) == 0) p += off;
        break;
      }
      case 32: {
        const fmt = <u32>load<u8>(p);
        const arg = <u32>load<u16>(p, 1);
        p += 3;
        sp -= 8;
        if (!format(load<i64>(sp), fmt, arg)) return false;
        break;
      }
      default:
        return false;
    }
  }
}

function format(v: i64, fmt: u32, arg: u32): bool {
  switch (fmt) {
    case 0:
      sdec(v);
      return true;
    case 1:
      shex(v);
      return true;
    case 2:
      hex(<u64>v & 0xff);
      return true;
    case 3:
      hex(<u64>v & 0xffff);
      return true;
    case 4:
      hex(<u64>v & 0xffffffff);
      return true;
    case 5:
      hex(<u64>v);
      return true;
    case 6:
      return mapText(v, arg);
    case 9:
      fp8(<u32>v & 0xff);
      return true;
    default:
      return false;
  }
}

/** Entry `v` of map `id`; `?` rejects the encoding, `#` prints `#` and the value in hex (unnamed patterns, prefetch operations). */
function mapText(v: i64, id: u32): bool {
  // map: u16 entry count, u16 offset per entry (from the map's start), then length-prefixed texts
  const m = MAP_BLOB + <usize>load<u32>(MAP_OFFS + (<usize>id << 2));
  const count = <i64>load<u16>(m);
  if (v < 0 || v >= count) return false;
  const p = m + <usize>load<u16>(m + 2 + (<usize>v << 1));
  const n = <usize>load<u8>(p);
  if (n == 1) {
    const c = <u32>load<u8>(p, 1);
    if (c == 63) return false; // ?
    if (c == 35) {
      chr(35);
      shex(v);
      return true;
    }
  }
  const o = outPos;
  for (let i: usize = 0; i < n; i += 8) store<u64>(o + i, load<u64>(p + 1 + i));
  setOut(o + n);
  return true;
}

/** VFPExpandImm(imm8) as LLVM prints an FP immediate, `%.8f` (exact: every value is ±n/128). */
function fp8(imm8: u32): void {
  if ((imm8 & 0x80) != 0) chr(45);
  const mant: u32 = 16 + (imm8 & 15);
  const cd: i32 = <i32>((imm8 >> 4) & 3);
  const e: i32 = (imm8 & 0x40) != 0 ? cd - 3 : cd + 1;
  const n: u32 = mant << <u32>(e + 3); // value * 128
  dec(n >> 7);
  chr(46);
  let frac: u32 = (n & 127) * 781250;
  let div: u32 = 10000000;
  for (let i = 0; i < 8; i++) {
    chr(48 + frac / div);
    frac %= div;
    div /= 10;
  }
}

/** `v` is one `bits`-wide element repeated (LLVM's isSVEMaskOfIdenticalElements). */
function repeats(v: u64, bits: u32): bool {
  if (bits >= 64) return true;
  const e = v & ((<u64>1 << bits) - 1);
  for (let b: u32 = bits; b < 64; b += bits) if (((v >> b) & ((<u64>1 << bits) - 1)) != e) return false;
  return true;
}

/**
 * The element value `e` (sign-extended from `bits`) is a DUP/CPY immediate
 * of that element size: a signed byte, or a signed 16-bit multiple of 256.
 */
function cpyImm(e: i64, bits: u32): bool {
  const t = bits >= 64 ? e : (e << (64 - bits)) >> (64 - bits);
  if ((e & 0xff) != 0) return <i64>(<i8>e) == t;
  if ((e & 0xff00) != 0) return <i64>(<i16>e) == t;
  return e == 0;
}

/**
 * DUPM prints as `mov` unless a DUP immediate at some element size where the
 * value repeats gives the same value (then llvm-objdump keeps `dupm`).
 */
function movPreferred(v: u64): bool {
  if (cpyImm(<i64>v, 64)) return false;
  if (repeats(v, 32) && cpyImm(<i64>(<i32>v), 32)) return false;
  if (repeats(v, 16) && cpyImm(<i64>(<i16>v), 16)) return false;
  if (repeats(v, 8) && cpyImm(<i64>(<i8>v), 8)) return false;
  return true;
}
