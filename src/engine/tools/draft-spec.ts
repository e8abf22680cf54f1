// Drafts spec lines (spec/*.txt syntax) for LLVM opcodes from their
// behaviour: for each opcode of a llvm-probe listing, random words of its
// pattern and single-bit flips show how every number in the printed text
// depends on the word's bits (a linear function of bit fields: registers,
// immediates, list starts), and the draft says so. Opcodes whose text changes
// shape with the operand values (a register omitted when it is xzr, an
// offset omitted when zero) are reported for writing by hand. Drafts are
// checked like any other line (check-sve.ts --lines) before they go in.
//   npx tsx src/engine/tools/draft-spec.ts LISTING [--grep REGEX] [--samples 12]
// LISTING: lines `PATTERN  OPCODE  text` as llvm-probe.ts prints them.
import { readFileSync } from 'node:fs';
import { mcInsns, rng } from './llvm-probe.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}

interface Slot {
  kind: 'num' | 'hex' | 'gpr';
  /** gpr: 'x' or 'w'; 31 printed as zr or sp */
  reg?: string;
  zr?: boolean;
  sp?: boolean;
}

interface Parsed {
  mnemonic: string;
  skeleton: string[]; // literal pieces of the operands, one more than slots
  slots: Slot[];
  values: number[];
}

/**
 * A list of consecutive Z registers that wraps past z31 in its range form
 * with the numbers unwrapped (`{ z30.b, z31.b, z0.b }` → `{ z30.b - z32.b }`,
 * `{ z31.b, z0.b }` → `{ z31.b, z32.b }`), so its numbers stay linear.
 */
function unwrapLists(ops: string): string {
  return ops.replace(/\{ (z\d+\.[a-z](?:, z\d+\.[a-z])+) \}/g, (all, body: string) => {
    const regs = body.split(', ').map((r) => /^z(\d+)\.([a-z])$/.exec(r)!);
    const ty = regs[0]![2];
    const first = Number(regs[0]![1]);
    for (let i = 0; i < regs.length; i++) if (regs[i]![2] !== ty || Number(regs[i]![1]) !== (first + i) % 32) return all;
    if (first + regs.length - 1 < 32) return all; // no wrap: as printed
    if (regs.length === 2) return `{ z${first}.${ty}, z${first + 1}.${ty} }`;
    return `{ z${first}.${ty} - z${first + regs.length - 1}.${ty} }`;
  });
}

/** Split operand text into literal pieces and numbers (decimal, hex, general registers). */
function parse(text: string): Parsed {
  const tab = text.indexOf('\t');
  const skeleton: string[] = [];
  const slots: Slot[] = [];
  const values: number[] = [];
  const mnemonic = tab >= 0 ? text.slice(0, tab) : text;
  let lit = '';
  const ops = unwrapLists(tab >= 0 ? text.slice(tab + 1) : '');
  const re = /\b(?:([xw])(\d+|zr|sp)|(sp))\b|(-?0x[0-9a-f]+)|(-?\d+)/g;
  let last = 0;
  for (const m of ops.matchAll(re)) {
    const at = m.index!;
    // a number glued to letters on its left is part of a name (za0h, z0): still a number slot
    lit += ops.slice(last, at);
    if (m[1] || m[3]) {
      const reg = m[1] ?? 'x';
      lit += reg;
      skeleton.push(lit);
      lit = '';
      const v = m[3] || m[2] === 'zr' || m[2] === 'sp' ? 31 : Number(m[2]);
      slots.push({ kind: 'gpr', reg, zr: m[2] === 'zr', sp: m[2] === 'sp' || !!m[3] });
      values.push(v);
    } else if (m[4]) {
      skeleton.push(lit);
      lit = '';
      slots.push({ kind: 'hex' });
      values.push(m[4].startsWith('-') ? -parseInt(m[4].slice(1), 16) : parseInt(m[4], 16));
    } else {
      skeleton.push(lit);
      lit = '';
      slots.push({ kind: 'num' });
      values.push(Number(m[5]));
    }
    last = at + m[0].length;
  }
  lit += ops.slice(last);
  skeleton.push(lit);
  return { mnemonic, skeleton, slots, values };
}

function sameShape(a: Parsed, b: Parsed): boolean {
  if (a.mnemonic !== b.mnemonic) return false;
  if (a.skeleton.length !== b.skeleton.length) return false;
  for (let i = 0; i < a.skeleton.length; i++) if (a.skeleton[i] !== b.skeleton[i]) return false;
  for (let i = 0; i < a.slots.length; i++) if (a.slots[i]!.kind !== b.slots[i]!.kind || a.slots[i]!.reg !== b.slots[i]!.reg) return false;
  return true;
}

function escapeLiteral(s: string): string {
  return s.replace(/[{}[\]\\]/g, (c) => '\\' + c);
}

interface Draft {
  line: string;
  problem?: string;
}

/**
 * Register lists whose first register is any Z register wrap past z31
 * (`{ z31.b, z0.b }`), and LLVM prints a wrapping range as a list:
 * `{ z30.b - z1.b }` is `{ z30.b, z31.b, z0.b, z1.b }`.
 */
function wrapLists(t: string): string {
  // ranges of 3 and 4 starting at an unscaled field
  t = t.replace(/\\\{ z\{\{([a-zA-Z])\}\}\.([bhsdq]) - z\{\{\1 \+ ([23])\}\}\.\2 \\\}/g, (_, f: string, ty: string, n: string) => {
    const k = Number(n);
    const list = Array.from({ length: k + 1 }, (_, i) => (i === 0 ? `z{{${f}}}.${ty}` : `z{{(${f} + ${i})%32}}.${ty}`)).join(', ');
    return `\\{ [[${f} < ${32 - k} ? z{{${f}}}.${ty} - z{{${f} + ${k}}}.${ty} :: ${list}]] \\}`;
  });
  // pairs
  t = t.replace(/z\{\{([a-zA-Z]) \+ 1\}\}/g, (_, f: string) => `z{{(${f} + 1)%32}}`);
  return t;
}

export function draft(op: string, pattern: string, samples: number, next: () => number): Draft {
  let free = 0;
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const c = pattern[i]!;
    const bit = 31 - i;
    if (c === 'x') free |= 1 << bit;
    else if (c === '1') value |= 1 << bit;
  }
  free >>>= 0;
  value >>>= 0;
  // random words of the pattern that LLVM decodes as this opcode
  const cand: number[] = [];
  for (let i = 0; i < samples * 4; i++) cand.push(((next() & free) | value) >>> 0);
  const dc = mcInsns(cand);
  const words: number[] = [];
  const texts: string[] = [];
  dc.forEach((d, i) => {
    if (d.op === op && words.length < samples) {
      words.push(cand[i]!);
      texts.push(d.text);
    }
  });
  if (words.length === 0) return { line: '', problem: 'no sample decodes as the opcode' };
  const parsed = texts.map(parse);
  const base = parsed[0]!;
  for (const p of parsed)
    if (!sameShape(base, p)) return { line: '', problem: `text changes shape: ${texts[0]} / ${p.skeleton.join('#')}` };
  // single-bit flips of the first sample
  const w0 = words[0]!;
  const flips: number[] = [];
  const bits: number[] = [];
  for (let b = 0; b < 32; b++)
    if ((free >>> b) & 1) {
      flips.push((w0 ^ (1 << b)) >>> 0);
      bits.push(b);
    }
  const fd = mcInsns(flips);
  const coef: number[][] = base.slots.map(() => []); // per slot, per bit coefficient
  const used = new Set<number>();
  const unusable: number[] = [];
  fd.forEach((d, k) => {
    const b = bits[k]!;
    if (d.op !== op) {
      unusable.push(b);
      return;
    }
    const p = parse(d.text);
    if (!sameShape(base, p)) {
      unusable.push(b);
      return;
    }
    const on = (w0 >>> b) & 1;
    base.slots.forEach((_, s) => {
      const delta = on ? base.values[s]! - p.values[s]! : p.values[s]! - base.values[s]!;
      if (delta !== 0) {
        coef[s]![b] = delta;
        used.add(b);
      }
    });
  });
  if (unusable.length > 0) return { line: '', problem: `bits ${unusable.join(',')} change the opcode or shape from the first sample` };
  // constants and validation
  const consts = base.slots.map((_, s) => {
    let v = base.values[s]!;
    for (const b of bits) if (coef[s]![b] && (w0 >>> b) & 1) v -= coef[s]![b]!;
    return v;
  });
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    for (let s = 0; s < base.slots.length; s++) {
      let v = consts[s]!;
      for (const b of bits) if (coef[s]![b] && (w >>> b) & 1) v += coef[s]![b]!;
      if (v !== parsed[k]!.values[s]) return { line: '', problem: `slot ${s} is not linear in the bits (${texts[k]})` };
    }
  }
  // fields: runs of used bits that the same slots use with doubling coefficients
  const letters = 'abcdefghijklmnopqrtuvwyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const fieldOf = new Map<number, string>();
  const fields: { letter: string; lo: number; hi: number }[] = [];
  const sig = (b: number) => base.slots.map((_, s) => (coef[s]![b] ? 1 : 0)).join('');
  const sorted = [...used].sort((a, b) => a - b);
  for (const b of sorted) {
    const prev = fields[fields.length - 1];
    const ok =
      prev &&
      prev.hi === b - 1 &&
      sig(b) === sig(prev.lo) &&
      base.slots.every((_, s) => !coef[s]![b] || coef[s]![b] === 2 * coef[s]![b - 1]!);
    if (ok) {
      prev.hi = b;
      fieldOf.set(b, prev.letter);
    } else {
      const letter = letters[fields.length];
      if (!letter) return { line: '', problem: 'too many fields' };
      fields.push({ letter, lo: b, hi: b });
      fieldOf.set(b, letter);
    }
  }
  // pattern text
  let pat = '';
  for (let b = 31; b >= 0; b--) {
    if (!((free >>> b) & 1)) pat += (value >>> b) & 1 ? '1' : '0';
    else pat += fieldOf.get(b) ?? '.';
    if (b % 4 === 0 && b > 0) pat += ' ';
  }
  // slot expressions
  const exprOf = (s: number): string => {
    const parts: string[] = [];
    for (const f of fields) {
      const c = coef[s]![f.lo];
      if (!c) continue;
      const top = coef[s]![f.hi]!;
      const width = f.hi - f.lo + 1;
      if (c < 0)
        parts.push(`-${f.letter}${c === -1 ? '' : '*' + -c}`); // a negated field (32 - imm)
      else if (top < 0 && width > 1)
        parts.push(c === 1 ? `~${f.letter}` : `~${f.letter}*${c}`); // two's complement
      else parts.push(c === 1 ? f.letter : `${f.letter}*${c}`);
    }
    const k = consts[s]!;
    if (k !== 0 || parts.length === 0) parts.push(String(k));
    return parts.join(' + ').replace(/\+ -/g, '- ');
  };
  let tmpl = escapeLiteral(base.skeleton[0]!);
  base.slots.forEach((slot, s) => {
    const e = exprOf(s);
    if (/^-?\d+$/.test(e) && slot.kind !== 'gpr') {
      // a number that never changes is text
      const v = Number(e);
      tmpl += slot.kind === 'hex' ? (v < 0 ? '-0x' + (-v).toString(16) : '0x' + v.toString(16)) : String(v);
      tmpl += escapeLiteral(base.skeleton[s + 1]!);
      return;
    }
    if (slot.kind === 'gpr') {
      // a base register (after `[`) is Xn|SP even when no sample showed sp
      const anySp = parsed.some((p) => p.slots[s]!.sp) || (slot.reg === 'x' && /\[x$/.test(base.skeleton[s]!));
      const map = slot.reg === 'x' ? (anySp ? '$XS' : '$XZ') : anySp ? '$WS' : '$WZ';
      // the register letter ends the literal before it: the map prints it
      tmpl = tmpl.slice(0, -1) + `{{${e}@${map}}}`;
    } else tmpl += `{{${e}${slot.kind === 'hex' ? ':x' : ''}}}`;
    tmpl += escapeLiteral(base.skeleton[s + 1]!);
  });
  const mnemonic = base.mnemonic;
  tmpl = wrapLists(tmpl);
  return { line: `${pat}  ${mnemonic}  ${tmpl}`.trimEnd() };
}

if (process.argv[1]?.endsWith('draft-spec.ts')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: draft-spec.ts LISTING');
  const grep = new RegExp(arg('grep', '.'));
  const samples = parseInt(arg('samples', '12'), 10);
  const next = rng(parseInt(arg('seed', '3'), 10));
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([01x]{32})\s+(\S+)\s+(.*)$/.exec(line);
    if (!m || !grep.test(m[2]!)) continue;
    const d = draft(m[2]!, m[1]!, samples, next);
    if (d.problem) console.log(`# TODO ${m[2]}: ${d.problem}  (${m[1]}  ${m[3]})`);
    else console.log(`# ${m[2]}\n${d.line}`);
  }
}
