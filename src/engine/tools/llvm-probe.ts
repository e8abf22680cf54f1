// Learning an encoding space from LLVM's behaviour (development aid for the
// table-driven groups, sve.ts and sme.ts): llvm-mc-19 -show-inst names the
// LLVM opcode of each word, and flipping one bit at a time shows which bits
// the opcode fixes. Prints one line per opcode: its pattern (0/1 fixed,
// x free), name and an example text, sorted by pattern.
//   npx tsx src/engine/tools/llvm-probe.ts --mask 0x1e000000 --value 0x04000000 [--n 50000] [--seed 1]
//   npx tsx src/engine/tools/llvm-probe.ts --mask 0x9e000000 --value 0x80000000 --sweep   (every encoding, slow)
//   npx tsx src/engine/tools/llvm-probe.ts --words 0x04000000,0x2518e3e0   (one line per word)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LLVM_MC, normalizeLlvmText } from './llvm.ts';

export interface McInsn {
  /** LLVM opcode name (`ADD_ZPmZ_B`); '' for an invalid encoding. */
  op: string;
  text: string;
  /** MCOperands as printed by -show-inst (`Reg:265`, `Imm:31`). */
  operands: string[];
}

/** llvm-mc's disassembly of each word with its MCInst. */
export function mcInsns(words: readonly number[]): McInsn[] {
  const src = words.map((w) => [0, 8, 16, 24].map((s) => '0x' + ((w >>> s) & 255).toString(16)).join(' ')).join('\n') + '\n';
  const r = spawnSync(LLVM_MC, ['--disassemble', '-triple=aarch64', '-mattr=+all', '--print-imm-hex', '-show-inst'], {
    input: src,
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  const stdout = r.stdout.toString('latin1');
  const stderr = r.stderr.toString('latin1');
  const invalid = new Set<number>();
  for (const m of stderr.matchAll(/<stdin>:(\d+):\d+: warning: invalid instruction encoding/g)) invalid.add(Number(m[1]) - 1);
  const valid: McInsn[] = [];
  let cur: McInsn | null = null;
  for (const line of stdout.split('\n')) {
    const start = /^\t(.*?)\s*\/\/ <MCInst #\d+ (\w+)(>?)$/.exec(line);
    if (start) {
      cur = { op: start[2]!, text: normalizeLlvmText(start[1]!), operands: [] };
      valid.push(cur);
      continue;
    }
    const opnd = /^\s*\/\/\s+<MCOperand (\S+?)>/.exec(line);
    if (opnd && cur) cur.operands.push(opnd[1]!);
  }
  const out: McInsn[] = [];
  let v = 0;
  for (let i = 0; i < words.length; i++) {
    if (invalid.has(i)) out.push({ op: '', text: '<unknown>', operands: [] });
    else out.push(valid[v++] ?? { op: '?', text: '?', operands: [] });
  }
  if (v !== valid.length) throw new Error(`llvm-mc: ${valid.length} instructions for ${words.length - invalid.size} valid words`);
  return out;
}

/** xorshift32: reproducible words for a seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export interface OpcodePattern {
  op: string;
  /** Bits that keep the opcode when flipped in at least one sample. */
  free: number;
  value: number;
  example: string;
  exampleWord: number;
  samples: number;
}

/** For each opcode seen in `words`, the bits it leaves free (flip probing over up to `perOp` samples). */
export function opcodePatterns(words: readonly number[], perOp = 6): OpcodePattern[] {
  const insns = mcInsns(words);
  const byOp = new Map<string, number[]>();
  insns.forEach((d, i) => {
    if (!d.op) return;
    let l = byOp.get(d.op);
    if (!l) byOp.set(d.op, (l = []));
    l.push(words[i]!);
  });
  const probes: number[] = [];
  const owners: { op: string; base: number }[] = [];
  for (const [op, ws] of byOp) {
    for (const base of ws.slice(0, perOp)) {
      for (let b = 0; b < 32; b++) probes.push((base ^ (1 << b)) >>> 0);
      owners.push({ op, base });
    }
  }
  const flipped = mcInsns(probes);
  const res = new Map<string, OpcodePattern>();
  owners.forEach(({ op, base }, k) => {
    let free = 0;
    for (let b = 0; b < 32; b++) if (flipped[k * 32 + b]!.op === op) free |= 1 << b;
    const r = res.get(op);
    if (r) {
      r.free |= free;
      r.samples++;
    } else {
      const idx = words.indexOf(base);
      res.set(op, { op, free: free >>> 0, value: base, example: insns[idx]!.text, exampleWord: base, samples: 1 });
    }
  });
  for (const r of res.values()) {
    r.free >>>= 0;
    r.value = (r.value & ~r.free) >>> 0;
  }
  return [...res.values()];
}

export function patternString(free: number, value: number): string {
  let s = '';
  for (let b = 31; b >= 0; b--) s += (free >>> b) & 1 ? 'x' : (value >>> b) & 1 ? '1' : '0';
  return s;
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const list = arg('words', '');
  if (list) {
    const ws = list.split(',').map((s) => parseInt(s, 16) >>> 0);
    const pats = opcodePatterns(ws, 1);
    const insns = mcInsns(ws);
    ws.forEach((w, i) => {
      const d = insns[i]!;
      const p = pats.find((q) => q.op === d.op);
      console.log(
        `${w.toString(16).padStart(8, '0')}  ${p ? patternString(p.free, p.value) : ''.padEnd(32)}  ${d.op.padEnd(22)} ${d.text}   [${d.operands.join(' ')}]`,
      );
    });
  } else {
    const mask = parseInt(arg('mask', '0'), 16) >>> 0;
    const value = parseInt(arg('value', '0'), 16) >>> 0;
    const n = parseInt(arg('n', '50000'), 10);
    const next = rng(parseInt(arg('seed', '1'), 10));
    let words: number[] = [];
    if (process.argv.includes('--sweep')) {
      // Every value of bits 31:10 under the mask, each with a few low-bit
      // settings (all zeros, all ones, Rd=31 or Rn=31 alone, random): finds the
      // encodings that fix many bits, which random words almost never hit.
      // One word per opcode is kept for the flip probing.
      const lowBits = parseInt(arg('sweep-low', '10'), 10);
      const lowMask = (1 << lowBits) - 1;
      const lows = lowBits >= 10 ? [0, 0x3ff, 0x3e0, 0x01f, 0x00f, 0x3ef] : [0, lowMask];
      for (let i = 0; i < (lowBits >= 10 ? 4 : 2); i++) lows.push(next() & lowMask);
      const seen = new Map<string, number>();
      const hiFree = ~mask & ~lowMask;
      const batch: number[] = [];
      const flush = () => {
        const ds = mcInsns(batch);
        ds.forEach((d, i) => {
          if (d.op && !seen.has(d.op)) seen.set(d.op, batch[i]!);
        });
        batch.length = 0;
      };
      // enumerate the free high bits: iterate a counter over their positions
      const pos: number[] = [];
      for (let b = lowBits; b < 32; b++) if ((hiFree >>> b) & 1) pos.push(b);
      for (let c = 0; c < 1 << pos.length; c++) {
        let w = value & mask;
        pos.forEach((b, j) => {
          if ((c >>> j) & 1) w |= 1 << b;
        });
        for (const lo of lows) batch.push(((w & ~lowMask) | (lo & ~mask & lowMask) | (value & mask & lowMask)) >>> 0);
        if (batch.length >= 400000) flush();
      }
      flush();
      // add random words around each found opcode so the patterns get several samples
      for (const w of seen.values()) {
        words.push(w);
        for (let i = 0; i < 24; i++) words.push((w ^ (next() & lowMask) ^ (1 << (next() % 32))) >>> 0);
      }
      words = words.filter((w) => (w & mask) >>> 0 === (value & mask) >>> 0);
    } else for (let i = 0; i < n; i++) words.push(((next() & ~mask) | (value & mask)) >>> 0);
    const pats = opcodePatterns(words);
    pats.sort((a, b) => (patternString(a.free, a.value) < patternString(b.free, b.value) ? -1 : 1));
    for (const p of pats) console.log(`${patternString(p.free, p.value)}  ${p.op.padEnd(24)} ${p.example}`);
  }
}
