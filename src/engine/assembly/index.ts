// binlens ARM64 engine: flat numeric exports over one linear memory.
// See src/engine/README.md for the contract; src/arm64/engine.ts wraps it.
//
// Buffers (all little-endian):
//   input    words to scan/decode; the host copies a chunk of code here
//   output   ASCII text written by decodeOne/disasm/mnemonicName
//   records  one 16-byte record per instruction from disasm:
//            u32 end of its text (offset from outputPtr), u16 mnemonic id,
//            u8 flags (RF_*), u8 0, u64 branch/literal target
//   counts   u32 per mnemonic id, accumulated by scan
//   hits     u64 addresses found by scan (`svc #0` right after `mov x8, #0x8b`)

import { Mn, isPac } from './mnemonics';
import { setOut, outPos, curTarget, hasTarget, mn, beginInsn, setApple } from './out';
import { decodeInsn } from './decode';
import { PAC_TOP, initPacTop, pacBti } from './pac';
import { analyzeFn, fnResult } from './func';

initPacTop();

let inCap: u32 = 1 << 20;
let inPtr: usize = heap.alloc(inCap);
const OUT_CAP: u32 = 2 << 20;
const outBase: usize = heap.alloc(OUT_CAP);
const REC_SIZE: u32 = 16;
const REC_CAP: u32 = 65536;
const recBase: usize = heap.alloc(REC_CAP * REC_SIZE);
const countsBase: usize = heap.alloc(<usize>Mn.COUNT * 4);
const HIT_CAP: u32 = 4096;
const hitBase: usize = heap.alloc(HIT_CAP * 8);
let hitCount: u32 = 0;
let scannedWords: u64 = 0;
/** Previous word of the current sweep (for two-word patterns across chunks). */
let prevWord: u32 = 0;

// Record flags.
const RF_TARGET: u8 = 1;
const RF_PAC: u8 = 2;
const RF_BTI: u8 = 4;

export function inputPtr(): usize {
  return inPtr;
}
export function inputCap(): u32 {
  return inCap;
}
/** Make the input buffer at least `bytes` long (its address may change). Returns the new address. */
export function reserveInput(bytes: u32): usize {
  if (bytes > inCap) {
    inCap = (bytes + 0xffff) & ~0xffff;
    inPtr = heap.alloc(inCap);
  }
  return inPtr;
}
export function outputPtr(): usize {
  return outBase;
}
export function outputCap(): u32 {
  return OUT_CAP;
}
export function recordsPtr(): usize {
  return recBase;
}
export function recordSize(): u32 {
  return REC_SIZE;
}
export function recordCap(): u32 {
  return REC_CAP;
}

// ---------------------------------------------------------------- decode

/** 0: LLVM's generic syntax (ELF); 1: Apple syntax, as llvm-objdump prints Mach-O files. */
export function setSyntax(syntax: u32): void {
  setApple(syntax == 1);
}

let lastMn: Mn = Mn.UNKNOWN;

/** Decode one word; its text is at outputPtr(), the return value is its length. */
export function decodeOne(word: u32, addr: u64): u32 {
  setOut(outBase);
  lastMn = decodeInsn(word, addr);
  return <u32>(outPos - outBase);
}
export function lastMnemonic(): u32 {
  return lastMn;
}
export function lastHasTarget(): bool {
  return hasTarget;
}
export function lastTarget(): u64 {
  return curTarget;
}

/**
 * Decode the words at input[from, from + len) whose first is at `vaddr`, up
 * to `maxInsns`, writing text lines (no newline; records hold the ends) and
 * records. Stops early when the output or record buffer is full. Returns the
 * number of instructions decoded; call again from where it stopped.
 */
export function disasm(from: u32, len: u32, vaddr: u64, maxInsns: u32): u32 {
  let n: u32 = 0;
  const words = len >> 2;
  const limit = words < maxInsns ? words : maxInsns;
  const cap = limit < REC_CAP ? limit : REC_CAP;
  const outEnd = outBase + OUT_CAP - 512;
  setOut(outBase);
  const src = inPtr + from;
  let rec = recBase;
  while (n < cap && outPos < outEnd) {
    const w = load<u32>(src + (<usize>n << 2));
    const id = decodeInsn(w, vaddr + (<u64>n << 2));
    let flags: u8 = 0;
    if (hasTarget) flags |= RF_TARGET;
    if (isPac(id)) flags |= RF_PAC;
    if (id == Mn.BTI) flags |= RF_BTI;
    store<u32>(rec, <u32>(outPos - outBase));
    store<u16>(rec, <u16>id, 4);
    store<u8>(rec, flags, 6);
    store<u8>(rec, 0, 7);
    store<u64>(rec, hasTarget ? curTarget : 0, 8);
    rec += REC_SIZE;
    n++;
  }
  return n;
}

// ------------------------------------------------------------------ scan

export function countsPtr(): usize {
  return countsBase;
}
export function hitsPtr(): usize {
  return hitBase;
}
export function hitsCount(): u32 {
  return hitCount;
}
export function scannedCount(): u64 {
  return scannedWords;
}

/** Clear counters and hits. */
export function scanReset(): void {
  memory.fill(countsBase, 0, <usize>Mn.COUNT * 4);
  hitCount = 0;
  scannedWords = 0;
  prevWord = 0;
}

/** The next scan call does not continue the previous code (a new section, or after data). */
export function scanBreak(): void {
  prevWord = 0;
}

// MOVZ X8/W8, #139 (__NR_rt_sigreturn on arm64 Linux) and SVC #0.
const MOV_X8_139: u32 = 0xd2801168;
const MOV_W8_139: u32 = 0x52801168;
const SVC_0: u32 = 0xd4000001;

/**
 * Count PAC/BTI instructions by mnemonic and find rt_sigreturn sequences over
 * input[from, from + len), first word at `vaddr`. Returns the words scanned.
 */
export function scan(from: u32, len: u32, vaddr: u64): u32 {
  const words = len >> 2;
  const src = inPtr + from;
  const end = src + (<usize>words << 2);
  let prev = prevWord;
  for (let p = src; p < end; p += 4) {
    const w = load<u32>(p);
    if (load<u8>(PAC_TOP + (w >> 24)) != 0) {
      const id = pacBti(w);
      if (id != Mn.UNKNOWN) {
        const c = countsBase + (<usize>id << 2);
        store<u32>(c, load<u32>(c) + 1);
      }
    } else if (w == SVC_0 && (prev == MOV_X8_139 || prev == MOV_W8_139) && hitCount < HIT_CAP) {
      store<u64>(hitBase + (<usize>hitCount << 3), vaddr + <u64>(p - src));
      hitCount++;
    }
    prev = w;
  }
  prevWord = prev;
  scannedWords += words;
  return words;
}

// ------------------------------------------------------------- mnemonics

export function mnemonicCount(): u32 {
  return Mn.COUNT;
}
/** Write mnemonic `id`'s name at outputPtr(); returns its length. */
export function mnemonicName(id: u32): u32 {
  if (id >= <u32>Mn.COUNT) return 0;
  setOut(outBase);
  beginInsn();
  mn(<Mn>id);
  return <u32>(outPos - outBase);
}
/** RF_PAC / RF_BTI for a mnemonic id. */
export function mnemonicFlags(id: u32): u32 {
  let f: u32 = 0;
  if (isPac(<Mn>id)) f |= RF_PAC;
  if (id == <u32>Mn.BTI) f |= RF_BTI;
  return f;
}

// -------------------------------------------------------------- functions

/** Analyze one function over input[from, from + len); returns FN_* flags (see func.ts). */
export function analyzeFunction(from: u32, len: u32): u32 {
  return analyzeFn(inPtr + from, len >> 2);
}
/** Byte offset (from the function start) of the first return that is reached with a signed, unauthenticated LR; -1 when none. */
export function fnUnauthReturn(): i32 {
  return fnResult.unauthAt;
}
