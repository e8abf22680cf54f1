// Raw DEFLATE (RFC 1951) written here rather than by the platform's
// CompressionStream: browsers and Node ship different zlib builds (Chromium's
// fork hashes and matches differently), so the same report compressed twice
// gave different bytes, and at a budget's edge a different number of kept
// rows. One deterministic encoder makes the page's "Copy link" and the CLI's
// `link` print the same URL. Decoding stays with the platform
// (DecompressionStream, inflate.ts): any valid DEFLATE opens.
//
// The encoder is LZ77 over a 32 KiB window with hash chains and one-step lazy
// matching (the parameters zlib uses at its default level), then per block
// the smallest of dynamic Huffman, fixed Huffman or stored (§3.2.4-3.2.7).

const WINDOW = 1 << 15;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const HASH_BITS = 15;
const MAX_CHAIN = 128;
/** Stop looking for a longer match once one this long is found. */
const NICE = 128;
/** Try the next position for a longer match only when the current one is shorter than this. */
const LAZY = 16;
/** Symbols per block: the Huffman codes adapt to each block. */
const BLOCK_SYMBOLS = 1 << 15;

// §3.2.5: length codes 257..285 and distance codes 0..29, with their base values and extra bits.
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** §3.2.7: order in which the code length code lengths are sent. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const LENGTH_CODE = new Uint8Array(MAX_MATCH + 1);
for (let c = 0; c < 29; c++) for (let l = LENGTH_BASE[c]!; l < (c === 28 ? 259 : LENGTH_BASE[c + 1]!); l++) LENGTH_CODE[l] = c;
function distCode(d: number): number {
  let c = 0;
  while (c < 29 && DIST_BASE[c + 1]! <= d) c++;
  return c;
}
const DIST_CODE_SMALL = new Uint8Array(513);
for (let d = 1; d <= 512; d++) DIST_CODE_SMALL[d] = distCode(d);
const DIST_CODE_LARGE = new Uint8Array(256);
for (let i = 0; i < 256; i++) DIST_CODE_LARGE[i] = distCode(i * 128 + 1);
const distanceCode = (d: number) => (d <= 512 ? DIST_CODE_SMALL[d]! : DIST_CODE_LARGE[(d - 1) >> 7]!);

// §3.2.6 fixed codes.
const FIXED_LIT = new Uint8Array(288);
FIXED_LIT.fill(8, 0, 144);
FIXED_LIT.fill(9, 144, 256);
FIXED_LIT.fill(7, 256, 280);
FIXED_LIT.fill(8, 280, 288);
const FIXED_DIST = new Uint8Array(30).fill(5);

class BitWriter {
  buf: Uint8Array;
  pos = 0;
  private acc = 0;
  private n = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(64, size));
  }
  /** Writes the low `len` bits of `v`, least significant first (§3.1.1). */
  bits(v: number, len: number): void {
    this.acc |= v << this.n;
    this.n += len;
    while (this.n >= 8) {
      this.byte(this.acc & 0xff);
      this.acc >>>= 8;
      this.n -= 8;
    }
  }
  align(): void {
    if (this.n > 0) this.byte(this.acc & 0xff);
    this.acc = 0;
    this.n = 0;
  }
  byte(b: number): void {
    if (this.pos === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = b;
  }
  bytesSoFar(): number {
    return this.pos + (this.n > 0 ? 1 : 0);
  }
}

/**
 * Huffman code lengths of at most `limit` bits for these frequencies;
 * symbols of frequency 0 get length 0. Lengths come from the Huffman tree
 * (two-queue construction over symbols sorted by frequency); when the tree is
 * deeper than `limit`, the overlong codes are cut to `limit` and codes are
 * lengthened from the longest allowed length down until the Kraft sum is
 * exactly 1 again, then handed out shortest to most frequent.
 */
export function codeLengths(freq: ArrayLike<number>, limit: number): Uint8Array {
  const n = freq.length;
  const lengths = new Uint8Array(n);
  const used: number[] = [];
  for (let i = 0; i < n; i++) if (freq[i]! > 0) used.push(i);
  const m = used.length;
  if (m === 0) return lengths;
  if (m === 1) {
    lengths[used[0]!] = 1;
    return lengths;
  }
  used.sort((a, b) => freq[a]! - freq[b]! || a - b);
  const w = new Float64Array(2 * m - 1);
  const parent = new Int32Array(2 * m - 1);
  for (let i = 0; i < m; i++) w[i] = freq[used[i]!]!;
  let leaf = 0;
  let inner = m;
  let next = m;
  const pick = () => (leaf < m && (inner >= next || w[leaf]! <= w[inner]!) ? leaf++ : inner++);
  for (; next < 2 * m - 1; next++) {
    const a = pick();
    const b = pick();
    w[next] = w[a]! + w[b]!;
    parent[a] = next;
    parent[b] = next;
  }
  const depth = new Uint8Array(2 * m - 1);
  for (let k = 2 * m - 3; k >= 0; k--) depth[k] = depth[parent[k]!]! + 1;
  const count = new Uint32Array(Math.max(limit, 32) + 1);
  for (let i = 0; i < m; i++) count[Math.min(depth[i]!, limit)]!++;
  let kraft = 0;
  for (let l = 1; l <= limit; l++) kraft += count[l]! * 2 ** (limit - l);
  while (kraft > 2 ** limit) {
    count[limit]!--;
    for (let l = limit - 1; l > 0; l--) {
      if (count[l]) {
        count[l]!--;
        count[l + 1]! += 2;
        break;
      }
    }
    kraft--;
  }
  // Most frequent symbols (the end of `used`) get the shortest codes.
  let k = m - 1;
  for (let l = 1; l <= limit; l++) for (let c = count[l]!; c > 0; c--) lengths[used[k--]!] = l;
  return lengths;
}

/** Canonical codes for code lengths (§3.2.2), bit-reversed for LSB-first writing. */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const count = new Uint16Array(16);
  for (const l of lengths) if (l) count[l]!++;
  const next = new Uint16Array(16);
  let code = 0;
  for (let bits = 1; bits <= 15; bits++) {
    next[bits] = code;
    code = (code + count[bits]!) << 1;
  }
  const codes = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s]!;
    if (!l) continue;
    let c = next[l]!++;
    let r = 0;
    for (let i = 0; i < l; i++) {
      r = (r << 1) | (c & 1);
      c >>= 1;
    }
    codes[s] = r;
  }
  return codes;
}

/** Symbols of one block: literal/length symbols with their extra bits, distances as codes and extra bits. */
interface Block {
  /** Literal byte, or 256 + length code (257..285 as length code + 257), as DEFLATE numbers them. */
  lit: Uint16Array;
  litExtra: Uint16Array;
  dist: Uint8Array;
  distExtra: Uint16Array;
  count: number;
  /** Input bytes the block covers (for a stored block). */
  start: number;
  end: number;
}

/** Ensures at least two used codes so every decoder builds a complete tree (as zlib does). */
function atLeastTwo(freq: Uint32Array): void {
  let used = 0;
  for (let i = 0; i < freq.length && used < 2; i++) if (freq[i]) used++;
  for (let i = 0; used < 2 && i < freq.length; i++) {
    if (!freq[i]) {
      freq[i] = 1;
      used++;
    }
  }
}

function symbolBits(b: Block, litLen: Uint8Array, distLen: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < b.count; i++) {
    const s = b.lit[i]!;
    bits += litLen[s]!;
    if (s > 256) bits += LENGTH_EXTRA[s - 257]! + distLen[b.dist[i]!]! + DIST_EXTRA[b.dist[i]!]!;
  }
  return bits + litLen[256]!;
}

/** The code-length sequence of both trees with runs folded into 16/17/18 (§3.2.7). */
function runLengths(all: Uint8Array): { sym: number[]; extra: number[] } {
  const sym: number[] = [];
  const extra: number[] = [];
  for (let i = 0; i < all.length; ) {
    const l = all[i]!;
    let run = 1;
    while (i + run < all.length && all[i + run] === l) run++;
    i += run;
    if (l === 0) {
      while (run >= 11) {
        const r = Math.min(run, 138);
        sym.push(18), extra.push(r - 11);
        run -= r;
      }
      if (run >= 3) sym.push(17), extra.push(run - 3), (run = 0);
      while (run-- > 0) sym.push(0), extra.push(0);
    } else {
      sym.push(l), extra.push(0);
      run--;
      while (run >= 3) {
        const r = Math.min(run, 6);
        sym.push(16), extra.push(r - 3);
        run -= r;
      }
      while (run-- > 0) sym.push(l), extra.push(0);
    }
  }
  return { sym, extra };
}

const CL_EXTRA_BITS = (s: number) => (s === 16 ? 2 : s === 17 ? 3 : s === 18 ? 7 : 0);

function writeSymbols(w: BitWriter, b: Block, litLen: Uint8Array, litCode: Uint16Array, distLen: Uint8Array, distCode_: Uint16Array): void {
  for (let i = 0; i < b.count; i++) {
    const s = b.lit[i]!;
    w.bits(litCode[s]!, litLen[s]!);
    if (s > 256) {
      const lx = LENGTH_EXTRA[s - 257]!;
      if (lx) w.bits(b.litExtra[i]!, lx);
      const d = b.dist[i]!;
      w.bits(distCode_[d]!, distLen[d]!);
      if (DIST_EXTRA[d]) w.bits(b.distExtra[i]!, DIST_EXTRA[d]!);
    }
  }
  w.bits(litCode[256]!, litLen[256]!);
}

function writeBlock(w: BitWriter, b: Block, input: Uint8Array, last: boolean): void {
  const litFreq = new Uint32Array(286);
  const distFreq = new Uint32Array(30);
  for (let i = 0; i < b.count; i++) {
    const s = b.lit[i]!;
    litFreq[s]!++;
    if (s > 256) distFreq[b.dist[i]!]!++;
  }
  litFreq[256] = 1;
  atLeastTwo(litFreq);
  atLeastTwo(distFreq);
  const litLen = codeLengths(litFreq, 15);
  const distLen = codeLengths(distFreq, 15);
  let hlit = 286;
  while (hlit > 257 && litLen[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLen[hdist - 1] === 0) hdist--;
  const lengths = new Uint8Array(hlit + hdist);
  lengths.set(litLen.subarray(0, hlit));
  lengths.set(distLen.subarray(0, hdist), hlit);
  const rl = runLengths(lengths);
  const clFreq = new Uint32Array(19);
  for (const s of rl.sym) clFreq[s]!++;
  const clLen = codeLengths(clFreq, 7);
  let hclen = 19;
  while (hclen > 4 && clLen[CL_ORDER[hclen - 1]!] === 0) hclen--;

  let dynamicBits = 3 + 14 + hclen * 3 + symbolBits(b, litLen, distLen);
  for (const s of rl.sym) dynamicBits += clLen[s]! + CL_EXTRA_BITS(s);
  const fixedBits = 3 + symbolBits(b, FIXED_LIT, FIXED_DIST);
  const storedLength = b.end - b.start;
  // Stored: align, then per 65535 bytes a 3-bit header (+ alignment) and 4 bytes of LEN/NLEN.
  const storedBits = 8 * (storedLength + 5 * Math.max(1, Math.ceil(storedLength / 65535))) + 10;

  if (storedBits < dynamicBits && storedBits < fixedBits) {
    let at = b.start;
    do {
      const n = Math.min(65535, b.end - at);
      const final = last && at + n === b.end;
      w.bits(final ? 1 : 0, 3);
      w.align();
      w.byte(n & 0xff), w.byte(n >> 8), w.byte(~n & 0xff), w.byte((~n >> 8) & 0xff);
      for (let i = 0; i < n; i++) w.byte(input[at + i]!);
      at += n;
    } while (at < b.end);
    return;
  }
  if (fixedBits <= dynamicBits) {
    w.bits(last ? 1 : 0, 1);
    w.bits(1, 2);
    writeSymbols(w, b, FIXED_LIT, FIXED_LIT_CODES, FIXED_DIST, FIXED_DIST_CODES);
    return;
  }
  w.bits(last ? 1 : 0, 1);
  w.bits(2, 2);
  w.bits(hlit - 257, 5);
  w.bits(hdist - 1, 5);
  w.bits(hclen - 4, 4);
  for (let i = 0; i < hclen; i++) w.bits(clLen[CL_ORDER[i]!]!, 3);
  const clCode = canonicalCodes(clLen);
  for (let i = 0; i < rl.sym.length; i++) {
    const s = rl.sym[i]!;
    w.bits(clCode[s]!, clLen[s]!);
    if (s >= 16) w.bits(rl.extra[i]!, CL_EXTRA_BITS(s));
  }
  writeSymbols(w, b, litLen, canonicalCodes(litLen), distLen, canonicalCodes(distLen));
}

const FIXED_LIT_CODES = canonicalCodes(FIXED_LIT);
const FIXED_DIST_CODES = canonicalCodes(FIXED_DIST);

/**
 * `bytes` as raw DEFLATE, or null as soon as the output passes `max` bytes
 * (checked per block, so an oversized input is abandoned early). The same
 * input always gives the same output.
 */
export function deflateRaw(bytes: Uint8Array, max = Infinity): Uint8Array | null {
  const n = bytes.length;
  const w = new BitWriter(Math.min(n, Number.isFinite(max) ? max : n) + 64);
  const HASH_MASK = (1 << HASH_BITS) - 1;
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(WINDOW).fill(-1);
  // A block is closed at BLOCK_SYMBOLS once no lazy match is pending; the slack holds the few symbols before that.
  const room = BLOCK_SYMBOLS + 8;
  const b: Block = {
    lit: new Uint16Array(room),
    litExtra: new Uint16Array(room),
    dist: new Uint8Array(room),
    distExtra: new Uint16Array(room),
    count: 0,
    start: 0,
    end: 0,
  };

  const insert = (i: number) => {
    if (i + MIN_MATCH > n) return;
    const h = ((bytes[i]! << 10) ^ (bytes[i + 1]! << 5) ^ bytes[i + 2]!) & HASH_MASK;
    prev[i & (WINDOW - 1)] = head[h]!;
    head[h] = i;
  };
  // Longest match at i longer than `atLeast`, left in matchLen/matchDist (0 when none).
  let matchLen = 0;
  let matchDist = 0;
  const longest = (i: number, atLeast: number) => {
    matchLen = 0;
    matchDist = 0;
    const limit = Math.min(MAX_MATCH, n - i);
    if (limit < MIN_MATCH || atLeast >= limit) return;
    let best = atLeast;
    let cand = head[((bytes[i]! << 10) ^ (bytes[i + 1]! << 5) ^ bytes[i + 2]!) & HASH_MASK]!;
    // A good match already in hand needs less searching (zlib's good_length).
    let chain = atLeast >= 8 ? MAX_CHAIN >> 2 : MAX_CHAIN;
    while (cand >= 0 && i - cand < WINDOW && chain-- > 0) {
      if (bytes[cand + best] === bytes[i + best] && bytes[cand] === bytes[i]) {
        let l = 1;
        while (l < limit && bytes[cand + l] === bytes[i + l]) l++;
        if (l > best) {
          best = l;
          matchLen = l;
          matchDist = i - cand;
          if (l >= NICE || l === limit) return;
        }
      }
      const p = prev[cand & (WINDOW - 1)]!;
      if (p >= cand) return;
      cand = p;
    }
  };
  const literal = (x: number) => {
    b.lit[b.count++] = x;
  };
  const match = (len: number, dist: number) => {
    const lc = LENGTH_CODE[len]!;
    const dc = distanceCode(dist);
    b.lit[b.count] = 257 + lc;
    b.litExtra[b.count] = len - LENGTH_BASE[lc]!;
    b.dist[b.count] = dc;
    b.distExtra[b.count] = dist - DIST_BASE[dc]!;
    b.count++;
  };

  let i = 0;
  // A match found at i - 1 that waits to see whether i has a longer one (lazy matching).
  let pendLen = 0;
  let pendDist = 0;
  while (i < n || pendLen) {
    if (pendLen) {
      longest(i, pendLen);
      if (matchLen > pendLen) {
        literal(bytes[i - 1]!);
        if (matchLen < LAZY) {
          pendLen = matchLen;
          pendDist = matchDist;
          insert(i);
          i++;
        } else {
          pendLen = 0;
          match(matchLen, matchDist);
          for (let k = 0; k < matchLen; k++) insert(i + k);
          i += matchLen;
        }
      } else {
        // The match from i - 1 wins; position i - 1 is already in the chains.
        match(pendLen, pendDist);
        for (let k = 1; k < pendLen; k++) insert(i - 1 + k);
        i += pendLen - 1;
        pendLen = 0;
      }
    } else {
      longest(i, MIN_MATCH - 1);
      if (matchLen >= MIN_MATCH && matchLen < LAZY && i + 1 < n) {
        pendLen = matchLen;
        pendDist = matchDist;
        insert(i);
        i++;
      } else if (matchLen >= MIN_MATCH) {
        match(matchLen, matchDist);
        for (let k = 0; k < matchLen; k++) insert(i + k);
        i += matchLen;
      } else {
        literal(bytes[i]!);
        insert(i);
        i++;
      }
    }
    if (b.count >= BLOCK_SYMBOLS && !pendLen) {
      b.end = i;
      writeBlock(w, b, bytes, false);
      if (w.bytesSoFar() > max) return null;
      b.count = 0;
      b.start = i;
    }
  }
  b.end = n;
  writeBlock(w, b, bytes, true);
  w.align();
  if (w.pos > max) return null;
  return w.buf.slice(0, w.pos);
}
