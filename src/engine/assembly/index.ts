// binlens ARM64 engine: flat numeric exports over one linear memory.
// See src/engine/README.md for the contract; src/arm64/engine.ts wraps it.
//
// Buffers (all little-endian):
//   input    words to scan/decode; the host copies a chunk of code here
//   output   ASCII text written by decodeOne/disasm/mnemonicName
//   records  one 16-byte record per instruction from disasm:
//            u32 end of its text (offset from outputPtr), u16 mnemonic id,
//            u16 flags (RF_*), u64 branch/literal target
//   counts   u32 per mnemonic id, accumulated by scan
//   hits     u64 addresses found by scan (`svc #0` right after `mov x8, #0x8b`)

import { Mn, isPac } from './mnemonics';
import { setOut, outPos, curTarget, hasTarget, mn, beginInsn, setApple, chr, lineAddress } from './out';
import { decodeInsn, setFastPath } from './decode';
import { pacBti } from './pac';
import { analyzeFn, fnResult } from './func';

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

/** 1: the straight-line writers of fast.ts for the most frequent forms (the default); 0: the general decoders only (tests). */
export function setFastDecode(on: u32): void {
  setFastPath(on != 0);
}

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
    store<u16>(rec, flags, 6);
    store<u64>(rec, hasTarget ? curTarget : 0, 8);
    rec += REC_SIZE;
    n++;
  }
  return n;
}

/** Bytes of text the last disasmLines call wrote at outputPtr(). */
let linesLen: u32 = 0;
export function linesLength(): u32 {
  return linesLen;
}

/**
 * Text only, for a reader of the whole listing (the CLI, the benchmark):
 * decode the words at input[from, from + len) whose first is at `vaddr`, up
 * to `maxInsns`, each as one line `TEXT\n`, or `ADDRESS:\tTEXT\n` (address in
 * lowercase hex without 0x) with `withAddress`; no records. Stops early when
 * the output buffer is full. Returns the number of instructions decoded;
 * linesLength() is the text's length.
 */
export function disasmLines(from: u32, len: u32, vaddr: u64, maxInsns: u32, withAddress: bool): u32 {
  let n: u32 = 0;
  const words = len >> 2;
  const limit = words < maxInsns ? words : maxInsns;
  const outEnd = outBase + OUT_CAP - 512;
  setOut(outBase);
  const src = inPtr + from;
  while (n < limit && outPos < outEnd) {
    const addr = vaddr + (<u64>n << 2);
    if (withAddress) lineAddress(addr);
    decodeInsn(load<u32>(src + (<usize>n << 2)), addr);
    chr(10);
    n++;
  }
  linesLen = <u32>(outPos - outBase);
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

// Per top byte, a mask and value (8 bytes per entry) that every word the slow
// path cares about matches: the PAC/BTI encodings (pac.ts) and SVC #0. Most
// top bytes get mask 0 / value 1, which no word matches, so the hot loop is
// one table lookup, an AND and a compare per word.
const SCAN_FILTER: usize = memory.data(256 * 8);

function initScanFilter(): void {
  for (let t: u32 = 0; t < 256; t++) {
    store<u32>(SCAN_FILTER + (t << 3), 0);
    store<u32>(SCAN_FILTER + (t << 3), 1, 4);
  }
  setFilter(0xd5, 0xfffff01f, 0xd503201f); // HINT
  setFilter(0xda, 0xffff0000, 0xdac10000); // data-processing (1 source), opcode2 = 1
  setFilter(0x9a, 0xffe0fc00, 0x9ac03000); // PACGA
  setFilter(0xd6, 0x00000800, 0x00000800); // RETAA/BRAAZ/…: bit 11 set, plain RET/BR/BLR have it clear
  setFilter(0xd7, 0x00000800, 0x00000800); // BRAA/BLRAA/…
  setFilter(0xf8, 0xff200400, 0xf8200400); // LDRAA/LDRAB
  setFilter(0x55, 0xffc0001f, 0x5500001f); // RETAASPPC/RETABSPPC
  setFilter(0xf3, 0xffc0001f, 0xf380001f); // AUTIASPPC/AUTIBSPPC
  setFilter(0xd4, 0xffffffff, SVC_0); // SVC #0, for rt_sigreturn
}

// The vector pre-filter: four words at a time, a top byte `t` is a candidate
// when NIB_HI[t >> 4] & NIB_LO[t & 15] is not zero. Each high nibble that
// has a filtered top byte gets its own bit, so the test is exact: it passes
// for precisely the top bytes setFilter registered (at most eight high
// nibbles; a ninth would trap at start-up).
const NIB_HI: usize = memory.data(16);
const NIB_LO: usize = memory.data(16);
let nibBits: u32 = 0;

function setFilter(top: u32, mask: u32, value: u32): void {
  store<u32>(SCAN_FILTER + (top << 3), mask);
  store<u32>(SCAN_FILTER + (top << 3), value, 4);
  const hi = top >> 4;
  let bit = <u32>load<u8>(NIB_HI + hi);
  if (bit == 0) {
    if (nibBits == 8) unreachable();
    bit = 1 << nibBits;
    nibBits++;
    store<u8>(NIB_HI + hi, <u8>bit);
  }
  store<u8>(NIB_LO + (top & 15), load<u8>(NIB_LO + (top & 15)) | <u8>bit);
}
initScanFilter();

function scanSlow(w: u32, prev: u32, at: u64): void {
  if (w == SVC_0) {
    if ((prev == MOV_X8_139 || prev == MOV_W8_139) && hitCount < HIT_CAP) {
      store<u64>(hitBase + (<usize>hitCount << 3), at);
      hitCount++;
    }
    return;
  }
  const id = pacBti(w);
  if (id != Mn.UNKNOWN) {
    const c = countsBase + (<usize>id << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
}

/**
 * Count PAC/BTI instructions by mnemonic and find rt_sigreturn sequences over
 * input[from, from + len), first word at `vaddr`. Returns the words scanned.
 */
export function scan(from: u32, len: u32, vaddr: u64): u32 {
  const words = len >> 2;
  const src = inPtr + from;
  const end = src + (<usize>words << 2);
  const vend = src + (<usize>(words >> 2) << 4);
  const hiTable = v128.load(NIB_HI);
  const loTable = v128.load(NIB_LO);
  let p = src;
  // Two groups of four per iteration: their tests overlap.
  const vend2 = src + (<usize>(words >> 3) << 5);
  for (; p < vend2; p += 32) {
    const v = v128.load(p);
    const u = v128.load(p, 16);
    const hitV = candidates(v, hiTable, loTable);
    const hitU = candidates(u, hiTable, loTable);
    if (v128.any_true(hitV)) scanGroup(p, src, vaddr);
    if (v128.any_true(hitU)) scanGroup(p + 16, src, vaddr);
  }
  for (; p < vend; p += 16) {
    const v = v128.load(p);
    if (v128.any_true(candidates(v, hiTable, loTable))) scanGroup(p, src, vaddr);
  }
  for (; p < end; p += 4) scanWord(p, src, vaddr);
  if (words > 0) prevWord = load<u32>(end - 4);
  scannedWords += words;
  return words;
}

/** Non-zero in byte 0 of each lane whose word's top byte has a filter entry (NIB_HI/NIB_LO). */
@inline function candidates(v: v128, hiTable: v128, loTable: v128): v128 {
  return v128.and(v128.swizzle(hiTable, i32x4.shr_u(v, 28)), v128.swizzle(loTable, v128.and(i32x4.shr_u(v, 24), i32x4.splat(15))));
}

/** The exact per-word filter on four words. */
@inline function scanGroup(p: usize, src: usize, vaddr: u64): void {
  scanWord(p, src, vaddr);
  scanWord(p + 4, src, vaddr);
  scanWord(p + 8, src, vaddr);
  scanWord(p + 12, src, vaddr);
}

/** The exact per-word filter, then the slow path for a word that passes it. */
@inline function scanWord(p: usize, src: usize, vaddr: u64): void {
  const w = load<u32>(p);
  const f = SCAN_FILTER + ((w >> 24) << 3);
  if ((w & load<u32>(f)) == load<u32>(f, 4)) {
    scanSlow(w, p > src ? load<u32>(p - 4) : prevWord, vaddr + <u64>(p - src));
  }
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
/** analyzeFunction with every word classified (the reference for the table-driven flags pass; tests only). */
export function analyzeFunctionReference(from: u32, len: u32): u32 {
  return analyzeFn(inPtr + from, len >> 2, true);
}
/** Byte offset (from the function start) of the first return that is reached with a signed, unauthenticated LR; -1 when none. */
export function fnUnauthReturn(): i32 {
  return fnResult.unauthAt;
}

// Many functions per call: the host lists (u32 input offset, u32 byte
// length) pairs here and gets (u32 FN_* flags, i32 unauthAt) back in place,
// so a binary with 100,000 functions costs a handful of calls, not 200,000.
const FN_BATCH_CAP: u32 = 8192;
const fnBatch: usize = heap.alloc(FN_BATCH_CAP * 8);

export function fnBatchPtr(): usize {
  return fnBatch;
}
export function fnBatchCap(): u32 {
  return FN_BATCH_CAP;
}
/** Analyze the first `n` functions listed at fnBatchPtr() (each must lie inside the input buffer). */
export function analyzeBatch(n: u32): void {
  if (n > FN_BATCH_CAP) n = FN_BATCH_CAP;
  for (let i: u32 = 0; i < n; i++) {
    const e = fnBatch + (<usize>i << 3);
    const from = load<u32>(e);
    const len = load<u32>(e, 4);
    const ok = <u64>from + <u64>len <= <u64>inCap;
    store<u32>(e, ok ? analyzeFn(inPtr + from, len >> 2) : 0);
    store<i32>(e, ok ? fnResult.unauthAt : -1, 4);
  }
}
