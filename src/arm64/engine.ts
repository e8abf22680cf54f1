// The ARM64 engine (src/engine, AssemblyScript → one .wasm) behind a typed
// wrapper. Environment-agnostic: give it a compiled WebAssembly.Module or the
// wasm bytes. Node loads the file from disk (./node.ts); the browser worker
// imports `src/engine/build/arm64.wasm?url` and compiles it once.
//
// Only numbers and one linear memory cross the boundary; this file copies
// code in, reads text and records out, and never decodes an instruction
// itself.

interface Exports {
  memory: WebAssembly.Memory;
  inputPtr(): number;
  inputCap(): number;
  reserveInput(bytes: number): number;
  outputPtr(): number;
  outputCap(): number;
  recordsPtr(): number;
  recordSize(): number;
  recordCap(): number;
  setSyntax(syntax: number): void;
  setFastDecode(on: number): void;
  decodeOne(word: number, addr: bigint): number;
  lastMnemonic(): number;
  lastHasTarget(): number;
  lastTarget(): bigint;
  disasm(from: number, len: number, vaddr: bigint, maxInsns: number): number;
  disasmLines(from: number, len: number, vaddr: bigint, maxInsns: number, withAddress: number): number;
  linesLength(): number;
  countsPtr(): number;
  hitsPtr(): number;
  hitsCount(): number;
  scannedCount(): bigint;
  scanReset(): void;
  scanBreak(): void;
  scan(from: number, len: number, vaddr: bigint): number;
  mnemonicCount(): number;
  mnemonicName(id: number): number;
  mnemonicFlags(id: number): number;
  analyzeFunction(from: number, len: number): number;
  fnUnauthReturn(): number;
  fnBatchPtr(): number;
  fnBatchCap(): number;
  analyzeBatch(n: number): void;
  analyzeFunctionReference(from: number, len: number): number;
}

/** Record flags (engine index.ts RF_*). */
export const RF_TARGET = 1;
export const RF_PAC = 2;
export const RF_BTI = 4;

/** Function analysis flags (engine func.ts FN_*). */
export const FN_SIGNS = 1;
export const FN_AUTH = 2;
export const FN_BTI_ENTRY = 4;
export const FN_NONLEAF = 8;
export const FN_UNAUTH_RET = 16;
export const FN_RETURNS = 32;
export const FN_PAC_ENTRY = 64;

export type Syntax = 'llvm' | 'apple';

export interface Decoded {
  /** Text as llvm-objdump -d --no-show-raw-insn prints it (mnemonic, TAB, operands). */
  text: string;
  /** Engine mnemonic id (a family: `ldadd` for `ldaddalh`). */
  id: number;
  /** Branch or literal target, when the instruction has one. */
  target: bigint | null;
}

export interface InsnRow {
  address: bigint;
  word: number;
  text: string;
  id: number;
  flags: number;
  target: bigint | null;
}

export interface FunctionFacts {
  flags: number;
  /** Byte offset from the function start of the first return reached with a signed, unauthenticated LR, or -1. */
  unauthReturn: number;
}

const ascii = new TextDecoder('latin1');

const SCAN_CHUNK = 256 << 10;

export class Arm64Engine {
  private readonly x: Exports;
  /** Mnemonic names by id. */
  readonly mnemonics: readonly string[];

  constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as Exports;
    const names: string[] = [];
    for (let i = 0; i < this.x.mnemonicCount(); i++) {
      const n = this.x.mnemonicName(i);
      names.push(this.text(this.x.outputPtr(), n));
    }
    this.mnemonics = names;
  }

  static async fromModule(module: WebAssembly.Module): Promise<Arm64Engine> {
    return new Arm64Engine(await WebAssembly.instantiate(module, {}));
  }

  static async fromBytes(bytes: BufferSource): Promise<Arm64Engine> {
    return Arm64Engine.fromModule(await WebAssembly.compile(bytes));
  }

  private get mem(): ArrayBuffer {
    return this.x.memory.buffer;
  }

  private text(ptr: number, len: number): string {
    return ascii.decode(new Uint8Array(this.mem, ptr, len));
  }

  /** Size of the engine's linear memory (tests check decoding never grows it). */
  get memoryBytes(): number {
    return this.mem.byteLength;
  }

  /** Largest chunk scan/disasm/analyze take in one call. */
  get inputCap(): number {
    return this.x.inputCap();
  }

  /** Grow the input buffer so a function of `bytes` fits in one call. */
  reserve(bytes: number): void {
    this.x.reserveInput(bytes);
  }

  /** Copy code into the input buffer (at most inputCap bytes). */
  load(bytes: Uint8Array): void {
    if (bytes.byteLength > this.x.inputCap())
      throw new RangeError(`chunk of ${bytes.byteLength} bytes exceeds the engine input (${this.x.inputCap()})`);
    new Uint8Array(this.mem, this.x.inputPtr(), bytes.byteLength).set(bytes);
  }

  /** `llvm`: LLVM's generic syntax (ELF); `apple`: the Apple syntax llvm-objdump uses for Mach-O. */
  setSyntax(syntax: Syntax): void {
    this.x.setSyntax(syntax === 'apple' ? 1 : 0);
  }

  /** Whether the engine writes its most frequent forms straight through (the default), or only through the general decoders (tests compare the two). */
  setFastDecode(on: boolean): void {
    this.x.setFastDecode(on ? 1 : 0);
  }

  decodeOne(word: number, address = 0n): Decoded {
    const n = this.x.decodeOne(word >>> 0, BigInt.asUintN(64, address));
    return {
      text: this.text(this.x.outputPtr(), n),
      id: this.x.lastMnemonic(),
      target: this.x.lastHasTarget() ? this.x.lastTarget() : null,
    };
  }

  /**
   * Decode the loaded input[from, from + len) whose first word is at `address`,
   * at most `max` instructions. Calls `row` for each; returns how many were
   * decoded (call again from there when fewer than asked).
   */
  disasmLoaded(from: number, len: number, address: bigint, max: number, row: (r: InsnRow) => void): number {
    const n = this.x.disasm(from, len, BigInt.asUintN(64, address), max);
    if (n === 0) return 0;
    const view = new DataView(this.mem);
    const rec = this.x.recordsPtr();
    const input = this.x.inputPtr() + from;
    // One decode of the whole text, then a slice per line.
    const all = this.text(this.x.outputPtr(), view.getUint32(rec + (n - 1) * 16, true));
    let start = 0;
    for (let i = 0; i < n; i++) {
      const r = rec + i * 16;
      const end = view.getUint32(r, true);
      const flags = view.getUint8(r + 6);
      row({
        address: BigInt.asUintN(64, address + BigInt(i * 4)),
        word: view.getUint32(input + i * 4, true),
        text: all.slice(start, end),
        id: view.getUint16(r + 4, true),
        flags,
        target: flags & RF_TARGET ? view.getBigUint64(r + 8, true) : null,
      });
      start = end;
    }
    return n;
  }

  /** Decode a whole byte range (any length; a trailing partial word is left out). */
  disasm(bytes: Uint8Array, address: bigint, row: (r: InsnRow) => void, max = Infinity): number {
    let done = 0;
    const cap = this.x.inputCap();
    for (let off = 0; off + 4 <= bytes.byteLength && done < max;) {
      const len = Math.min(cap, (bytes.byteLength - off) & ~3);
      this.load(bytes.subarray(off, off + len));
      let from = 0;
      while (from < len && done < max) {
        const n = this.disasmLoaded(from, len - from, address + BigInt(off + from), Math.min(max - done, 1 << 30), row);
        if (n === 0) break;
        from += n * 4;
        done += n;
      }
      off += len;
    }
    return done;
  }

  /**
   * The listing as text, without rows: each instruction one line, `TEXT\n`,
   * or `ADDRESS:\tTEXT\n` with `withAddress` (what `binlens disasm` prints).
   * `sink` gets the lines chunk by chunk as a view into the engine's memory,
   * valid only until it returns. Returns the number of instructions.
   */
  disasmLines(bytes: Uint8Array, address: bigint, withAddress: boolean, sink: (chunk: Uint8Array) => void, max = Infinity): number {
    let done = 0;
    for (const c of this.disasmChunks(bytes, address, withAddress, max)) {
      sink(c.text);
      done += c.instructions;
    }
    return done;
  }

  /**
   * The same lines, one engine output buffer (up to 2 MB) at a time, for a
   * caller that has to wait between chunks (a writer honouring backpressure).
   * `text` is a view into the engine's memory, valid until the next step;
   * the engine does nothing else until the generator is done.
   */
  *disasmChunks(
    bytes: Uint8Array,
    address: bigint,
    withAddress: boolean,
    max = Infinity,
  ): Generator<{ text: Uint8Array; instructions: number }> {
    let done = 0;
    const cap = this.x.inputCap();
    for (let off = 0; off + 4 <= bytes.byteLength && done < max;) {
      const len = Math.min(cap, (bytes.byteLength - off) & ~3);
      this.load(bytes.subarray(off, off + len));
      for (let from = 0; from < len && done < max;) {
        const n = this.x.disasmLines(
          from,
          len - from,
          BigInt.asUintN(64, address + BigInt(off + from)),
          Math.min(max - done, 0x7fffffff),
          withAddress ? 1 : 0,
        );
        if (n === 0) break;
        done += n;
        from += n * 4;
        yield { text: new Uint8Array(this.mem, this.x.outputPtr(), this.x.linesLength()), instructions: n };
      }
      off += len;
    }
  }

  /** Decode a byte range to text lines and drop them (what the benchmark measures). */
  disasmTextOnly(bytes: Uint8Array, address: bigint): { instructions: number; textBytes: number } {
    let textBytes = 0;
    const instructions = this.disasmLines(bytes, address, false, (chunk) => {
      textBytes += chunk.byteLength;
    });
    return { instructions, textBytes };
  }

  /** Start a new scan: counters, hits and the instruction total go to zero. */
  scanReset(): void {
    this.x.scanReset();
  }

  /** Scan code bytes at `address` (chunked); `continues` = false when it does not follow the previous call's bytes. */
  scan(bytes: Uint8Array, address: bigint, continues = false): void {
    if (!continues) this.x.scanBreak();
    // Chunks of 256 KB: copied in and scanned while they are still in the cache.
    const cap = Math.min(this.x.inputCap(), SCAN_CHUNK);
    for (let off = 0; off + 4 <= bytes.byteLength;) {
      const len = Math.min(cap, (bytes.byteLength - off) & ~3);
      this.load(bytes.subarray(off, off + len));
      this.x.scan(0, len, BigInt.asUintN(64, address + BigInt(off)));
      off += len;
    }
  }

  /** Counts by mnemonic name since scanReset (only PAC/BTI instructions are counted). */
  scanCounts(): Map<string, number> {
    const view = new Uint32Array(this.mem, this.x.countsPtr(), this.mnemonics.length);
    const out = new Map<string, number>();
    view.forEach((c, id) => {
      if (c > 0) out.set(this.mnemonics[id]!, c);
    });
    return out;
  }

  scannedWords(): number {
    return Number(this.x.scannedCount());
  }

  /** Addresses of `svc #0` that directly follow `mov x8, #0x8b` (Linux rt_sigreturn). */
  sigreturnHits(): bigint[] {
    const n = this.x.hitsCount();
    const view = new DataView(this.mem, this.x.hitsPtr(), n * 8);
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) out.push(view.getBigUint64(i * 8, true));
    return out;
  }

  isPac(id: number): boolean {
    return (this.x.mnemonicFlags(id) & RF_PAC) !== 0;
  }

  isBti(id: number): boolean {
    return (this.x.mnemonicFlags(id) & RF_BTI) !== 0;
  }

  /** Analyze the function whose code is input[from, from + len) after load(). */
  analyzeLoaded(from: number, len: number): FunctionFacts {
    const flags = this.x.analyzeFunction(from, len);
    return { flags, unauthReturn: this.x.fnUnauthReturn() };
  }

  /** Functions analyzeBatch takes per engine call. */
  get batchCap(): number {
    return this.x.fnBatchCap();
  }

  /**
   * Analyze `n` functions of the loaded input at once: `spans` holds (input
   * offset, byte length) pairs; each function's flags and unauthenticated
   * return offset go to flags[at + i] and unauth[at + i].
   */
  analyzeBatch(spans: Uint32Array, n: number, flags: Uint32Array, unauth: Int32Array, at = 0): void {
    const cap = this.x.fnBatchCap();
    for (let done = 0; done < n;) {
      const k = Math.min(cap, n - done);
      new Uint32Array(this.mem, this.x.fnBatchPtr(), 2 * k).set(spans.subarray(2 * done, 2 * (done + k)));
      this.x.analyzeBatch(k);
      // A view made after the call: analysis may grow the engine's memory.
      const out = new Int32Array(this.mem, this.x.fnBatchPtr(), 2 * k);
      for (let i = 0; i < k; i++) {
        flags[at + done + i] = out[2 * i]!;
        unauth[at + done + i] = out[2 * i + 1]!;
      }
      done += k;
    }
  }

  /** analyzeLoaded through the engine's reference flags pass (every word classified): for tests. */
  analyzeLoadedReference(from: number, len: number): FunctionFacts {
    const flags = this.x.analyzeFunctionReference(from, len);
    return { flags, unauthReturn: this.x.fnUnauthReturn() };
  }

  /** Analyze one function's bytes. */
  analyzeFunction(bytes: Uint8Array): FunctionFacts {
    if (bytes.byteLength > this.x.inputCap()) this.x.reserveInput(bytes.byteLength);
    this.load(bytes);
    return this.analyzeLoaded(0, bytes.byteLength);
  }
}
