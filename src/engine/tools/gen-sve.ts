// Compiles the SVE and SME decoder specs (src/engine/spec/sve.txt, sme.txt)
// into src/engine/assembly/sve_table.ts: per encoding, a mask/value pair, the
// mnemonic id and a small byte program that checks the operand conditions
// and prints the operands (interpreted by sve.ts, `runTable`).
//   npx tsx src/engine/tools/gen-sve.ts          (rewrite)
//   npx tsx src/engine/tools/gen-sve.ts --check  (exit 1 when stale)
//
// Spec syntax, one encoding per line (`#` starts a comment line):
//   PATTERN  MNEMONIC  TEMPLATE  [; CONDITION]
// PATTERN is 32 bit characters, MSB first (single spaces and `_` between them
// are ignored; two spaces end it): `0`/`1` fixed, `.` free and unused, a
// letter names a field (the bits of one letter concatenate in order, MSB
// first). MNEMONIC may be `name0/name1/…@f`: one encoding per value of field
// f (`-`: none; `@so` concatenates fields s and o). TEMPLATE is the operand
// text exactly as llvm-objdump prints it, with
//   {{EXPR}}         signed decimal       {{EXPR:x}}    hex (`0x10`, `-0x10`)
//   {{EXPR:u16}}     hex of the value truncated to 16 bits (also u8, u32, u64)
//   {{EXPR@bhsd}}    one character per value; {{EXPR@16b,8h,4s,2d}} comma list
//                    (`|` separates when entries hold commas);
//                    `?` rejects the encoding, `_` prints nothing
//   {{EXPR:fp8}}     an 8-bit FP immediate as LLVM prints it (`2.00000000`)
//   [[EXPR ? TEXT]]  TEXT only when EXPR is non-zero; [[EXPR ? A :: B]] A or B
//   \X              a literal X (`\]` before a closing `]]`)
// EXPR is C-like integer arithmetic over fields (`d`, `~i` sign-extended,
// `hsb(x)`/`lsb(x)` highest/lowest set bit, `sx(x, bits)` sign extension,
// `dbm(x)` the 64-bit value of a 13-bit logical immediate N:immr:imms,
// `rep(v, bits)` v repeats its low `bits`, `prefmov(v)` LLVM prints DUPM's
// value as `mov`, i.e. no DUP immediate gives it). The line matches
// only when CONDITION is non-zero. `@define NAME TEXT` defines `$NAME`; `$1`,
// `$2` in TEXT are the arguments of `$NAME(a, b)`. In a map, `#` prints `#`
// and the value in hex.
// Lines are tried most specific first (more fixed bits; a condition before none).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enumMembers, mnemonicName, MNEMONICS_FILE } from './gen-mnemonics.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SPEC_DIR = join(HERE, '..', 'spec');
export const TABLE_FILE = join(HERE, '..', 'assembly', 'sve_table.ts');

// ------------------------------------------------------------ byte program

export const OP = {
  END: 0,
  LIT: 1,
  FLD: 2,
  SFLD: 3,
  CONST: 4,
  SEXT: 5,
  ADD: 6,
  SUB: 7,
  MUL: 8,
  DIV: 9,
  MOD: 10,
  SHL: 11,
  SHR: 12,
  AND: 13,
  OR: 14,
  XOR: 15,
  EQ: 16,
  NE: 17,
  LT: 18,
  LE: 19,
  GT: 20,
  GE: 21,
  LAND: 22,
  LOR: 23,
  NOT: 24,
  NEG: 25,
  HSB: 26,
  LSB: 27,
  DBM: 28,
  REP: 29,
  REQ: 30,
  JZ: 31,
  OUT: 32,
  PREFMOV: 33,
  JMP: 34,
} as const;

/** Output formats (OUT's first argument byte); the interpreter in sve.ts mirrors these numbers. */
export const FORMATS: Record<string, number> = {
  dec: 0,
  x: 1, // formatHex of a signed value (`0x10`, `-0x10`)
  u8: 2, // hex of the value truncated to 8 bits (printImmSVE of an unsigned byte)
  u16: 3,
  u32: 4,
  u64: 5,
  map: 6,
  fp8: 9, // VFPExpandImm, %.8f
};

const BINOPS: Record<string, [number, number]> = {
  '||': [1, OP.LOR],
  '&&': [2, OP.LAND],
  '|': [3, OP.OR],
  '^': [4, OP.XOR],
  '&': [5, OP.AND],
  '==': [6, OP.EQ],
  '!=': [6, OP.NE],
  '<': [7, OP.LT],
  '<=': [7, OP.LE],
  '>': [7, OP.GT],
  '>=': [7, OP.GE],
  '<<': [8, OP.SHL],
  '>>': [8, OP.SHR],
  '+': [9, OP.ADD],
  '-': [9, OP.SUB],
  '*': [10, OP.MUL],
  '/': [10, OP.DIV],
  '%': [10, OP.MOD],
};

export interface Field {
  /** Bit positions, most significant first. */
  bits: number[];
}

class SpecError extends Error {}

/** Byte code for reading a field: contiguous runs combined with shifts and ors. */
function fieldCode(f: Field, signed: boolean, out: number[]): void {
  const runs: { lo: number; width: number }[] = [];
  for (const b of f.bits) {
    const last = runs[runs.length - 1];
    if (last && last.lo - 1 === b) {
      last.lo = b;
      last.width++;
    } else runs.push({ lo: b, width: 1 });
  }
  if (runs.length === 1) {
    out.push(signed ? OP.SFLD : OP.FLD, runs[0]!.lo, runs[0]!.width);
    return;
  }
  const total = runs.reduce((n, r) => n + r.width, 0);
  let shift = total;
  runs.forEach((r, i) => {
    shift -= r.width;
    out.push(OP.FLD, r.lo, r.width);
    if (shift > 0) out.push(OP.CONST, ...i32(shift), OP.SHL);
    if (i > 0) out.push(OP.OR);
  });
  if (signed) out.push(OP.SEXT, total);
}

function i32(v: number): number[] {
  const u = v >>> 0;
  return [u & 255, (u >>> 8) & 255, (u >>> 16) & 255, (u >>> 24) & 255];
}

// --------------------------------------------------------------- expressions

type Tok = { k: 'num'; v: number } | { k: 'id'; v: string } | { k: 'op'; v: string };

function tokenize(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|\d+)/.exec(s.slice(i));
    if (num) {
      toks.push({ k: 'num', v: Number(num[1]) });
      i += num[1]!.length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (id) {
      toks.push({ k: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%&|^<>()!~,])/.exec(s.slice(i));
    if (!op) throw new SpecError(`bad character '${c}' in expression '${s}'`);
    toks.push({ k: 'op', v: op[1]! });
    i += op[1]!.length;
  }
  return toks;
}

class ExprCompiler {
  private toks: Tok[];
  private p = 0;
  constructor(
    src: string,
    private fields: Map<string, Field>,
    private out: number[],
  ) {
    this.toks = tokenize(src);
    if (this.toks.length === 0) throw new SpecError('empty expression');
    this.binary(0);
    if (this.p !== this.toks.length) throw new SpecError(`trailing tokens in '${src}'`);
  }
  private peek(): Tok | undefined {
    return this.toks[this.p];
  }
  private expectOp(v: string): void {
    const t = this.toks[this.p++];
    if (!t || t.k !== 'op' || t.v !== v) throw new SpecError(`expected '${v}'`);
  }
  private binary(minPrec: number): void {
    this.unary();
    for (;;) {
      const t = this.peek();
      if (!t || t.k !== 'op') return;
      const b = BINOPS[t.v];
      if (!b || b[0] <= minPrec) return;
      this.p++;
      this.binary(b[0]);
      this.out.push(b[1]);
    }
  }
  private unary(): void {
    const t = this.toks[this.p++];
    if (!t) throw new SpecError('unexpected end of expression');
    if (t.k === 'num') {
      this.out.push(OP.CONST, ...i32(t.v));
      return;
    }
    if (t.k === 'op') {
      if (t.v === '(') {
        this.binary(0);
        this.expectOp(')');
        return;
      }
      if (t.v === '-') {
        this.unary();
        this.out.push(OP.NEG);
        return;
      }
      if (t.v === '!') {
        this.unary();
        this.out.push(OP.NOT);
        return;
      }
      if (t.v === '~') {
        const f = this.toks[this.p++];
        if (!f || f.k !== 'id') throw new SpecError('~ takes a field');
        fieldCode(this.field(f.v), true, this.out);
        return;
      }
      throw new SpecError(`unexpected '${t.v}'`);
    }
    const nx = this.peek();
    if (nx && nx.k === 'op' && nx.v === '(') {
      this.p++;
      const args = () => {
        this.binary(0);
      };
      const unary: Record<string, number> = { hsb: OP.HSB, lsb: OP.LSB, dbm: OP.DBM, prefmov: OP.PREFMOV };
      if (unary[t.v] !== undefined) {
        args();
        this.expectOp(')');
        this.out.push(unary[t.v]!);
        return;
      }
      if (t.v === 'rep') {
        args();
        this.expectOp(',');
        args();
        this.expectOp(')');
        this.out.push(OP.REP);
        return;
      }
      if (t.v === 'sx') {
        args();
        this.expectOp(',');
        const n = this.toks[this.p++];
        if (!n || n.k !== 'num') throw new SpecError('sx(x, bits) takes a constant width');
        this.expectOp(')');
        this.out.push(OP.SEXT, n.v);
        return;
      }
      throw new SpecError(`unknown function ${t.v}`);
    }
    fieldCode(this.field(t.v), false, this.out);
  }
  private field(name: string): Field {
    const f = this.fields.get(name);
    if (!f) throw new SpecError(`unknown field '${name}'`);
    return f;
  }
}

function compileExpr(src: string, fields: Map<string, Field>, out: number[]): void {
  new ExprCompiler(src, fields, out);
}

// ----------------------------------------------------------------- templates

export class Maps {
  list: string[][] = [];
  private index = new Map<string, number>();
  id(entries: string[]): number {
    const key = entries.join('\u0000');
    let n = this.index.get(key);
    if (n === undefined) {
      n = this.list.length;
      this.list.push(entries);
      this.index.set(key, n);
    }
    return n;
  }
}

function lit(text: string, out: number[]): void {
  for (let i = 0; i < text.length; i += 255) {
    const part = text.slice(i, i + 255);
    out.push(OP.LIT, part.length);
    for (const ch of part) {
      const c = ch.charCodeAt(0);
      if (c > 126) throw new SpecError(`non-ASCII text '${ch}'`);
      out.push(c);
    }
  }
}

/** Index of the `close` that ends a construct opened before `from`, skipping nested {{ }} and [[ ]]. */
function findClose(s: string, from: number, close: string): number {
  let i = from;
  while (i < s.length) {
    if (s[i] === '\\') {
      i += 2;
      continue;
    }
    if (s.startsWith(close, i)) return i;
    if (s.startsWith('{{', i)) {
      const j = s.indexOf('}}', i + 2);
      if (j < 0) throw new SpecError('unclosed {{');
      i = j + 2;
      continue;
    }
    if (s.startsWith('[[', i)) {
      i = findClose(s, i + 2, ']]') + 2;
      continue;
    }
    i++;
  }
  throw new SpecError(`missing ${close}`);
}

function compileTemplate(t: string, fields: Map<string, Field>, maps: Maps, out: number[]): void {
  let i = 0;
  let text = '';
  const flush = () => {
    if (text) lit(text, out);
    text = '';
  };
  while (i < t.length) {
    if (t[i] === '\\' && i + 1 < t.length) {
      text += t[i + 1];
      i += 2;
      continue;
    }
    if (t.startsWith('{{', i)) {
      flush();
      const j = t.indexOf('}}', i + 2);
      if (j < 0) throw new SpecError('unclosed {{');
      placeholder(t.slice(i + 2, j), fields, maps, out);
      i = j + 2;
      continue;
    }
    if (t.startsWith('[[', i)) {
      flush();
      const end = findClose(t, i + 2, ']]');
      const body = t.slice(i + 2, end);
      const q = body.indexOf('?');
      if (q < 0) throw new SpecError(`[[ without ? in '${body}'`);
      compileExpr(body.slice(0, q), fields, out);
      out.push(OP.JZ, 0, 0);
      const at = out.length;
      const rest = body.slice(q + 1).replace(/^ /, '');
      const els = topLevelIndex(rest, ' :: ');
      compileTemplate(els < 0 ? rest : rest.slice(0, els), fields, maps, out);
      if (els >= 0) {
        out.push(OP.JMP, 0, 0);
        patch(out, at);
        const at2 = out.length;
        compileTemplate(rest.slice(els + 4), fields, maps, out);
        patch(out, at2);
      } else patch(out, at);
      i = end + 2;
      continue;
    }
    text += t[i];
    i++;
  }
  flush();
}

/** Point the forward jump whose 16-bit offset ends at `at` to the end of `out`. */
function patch(out: number[], at: number): void {
  const off = out.length - at;
  if (off > 0xffff) throw new SpecError('optional text too long');
  out[at - 2] = off & 255;
  out[at - 1] = off >> 8;
}

/** Index of `needle` in `s` outside {{ }} and [[ ]], or -1. */
function topLevelIndex(s: string, needle: string): number {
  let i = 0;
  while (i < s.length) {
    if (s[i] === '\\') {
      i += 2;
      continue;
    }
    if (s.startsWith(needle, i)) return i;
    if (s.startsWith('{{', i)) {
      i = s.indexOf('}}', i + 2) + 2;
      if (i < 2) throw new SpecError('unclosed {{');
      continue;
    }
    if (s.startsWith('[[', i)) {
      i = findClose(s, i + 2, ']]') + 2;
      continue;
    }
    i++;
  }
  return -1;
}

function placeholder(src: string, fields: Map<string, Field>, maps: Maps, out: number[]): void {
  const at = src.indexOf('@');
  if (at >= 0) {
    compileExpr(src.slice(0, at), fields, out);
    const m = src.slice(at + 1);
    const entries = m.includes('|') ? m.split('|') : m.includes(',') ? m.split(',') : [...m];
    const id = maps.id(entries.map((e) => (e === '_' ? '' : e)));
    out.push(OP.OUT, FORMATS.map!, id & 255, id >> 8);
    return;
  }
  const colon = src.lastIndexOf(':');
  let fmt = 'dec';
  let expr = src;
  if (colon >= 0 && /^[a-z0-9]+$/.test(src.slice(colon + 1))) {
    fmt = src.slice(colon + 1);
    expr = src.slice(0, colon);
  }
  const f = FORMATS[fmt];
  if (f === undefined) throw new SpecError(`unknown format ':${fmt}'`);
  compileExpr(expr, fields, out);
  out.push(OP.OUT, f, 0, 0);
}

// ---------------------------------------------------------------- the spec

export interface Entry {
  mask: number;
  value: number;
  mnemonic: string;
  template: string;
  cond: string;
  line: number;
  file: string;
  fields: Map<string, Field>;
  prog: number[];
}

function parsePattern(src: string): { mask: number; value: number; fields: Map<string, Field>; rest: string } {
  let bit = 31;
  let mask = 0;
  let value = 0;
  const fields = new Map<string, Field>();
  let i = 0;
  while (bit >= 0 && i < src.length) {
    const c = src[i++]!;
    if (c === ' ' || c === '_') continue;
    if (c === '0' || c === '1') {
      mask |= 1 << bit;
      if (c === '1') value |= 1 << bit;
    } else if (c === '.') {
      /* free */
    } else if (/[A-Za-z]/.test(c)) {
      let f = fields.get(c);
      if (!f) fields.set(c, (f = { bits: [] }));
      f.bits.push(bit);
    } else throw new SpecError(`bad pattern character '${c}'`);
    bit--;
  }
  if (bit >= 0) throw new SpecError('pattern shorter than 32 bits');
  // the pattern ends at two spaces: a miscounted pattern is an error, not a mnemonic
  if (!/^(\s*$| {2})/.test(src.slice(i))) throw new SpecError('pattern longer than 32 bits');
  return { mask: mask >>> 0, value: value >>> 0, fields, rest: src.slice(i).trim() };
}

export function parseSpec(file: string, text: string, maps: Maps): Entry[] {
  const defines = new Map<string, string>();
  const entries: Entry[] = [];
  // `$NAME` and `$NAME(a, b)` (arguments may hold balanced (), [], {}) until nothing changes
  const expandOnce = (s: string): string => {
    let out = '';
    let i = 0;
    while (i < s.length) {
      const m = /^\$([A-Za-z][A-Za-z0-9_]*)/.exec(s.slice(i));
      if (!m) {
        out += s[i++];
        continue;
      }
      const d = defines.get(m[1]!);
      if (d === undefined) throw new SpecError(`undefined $${m[1]}`);
      i += m[0].length;
      if (s[i] !== '(') {
        out += d;
        continue;
      }
      const args: string[] = [];
      let depth = 0;
      let cur = '';
      for (i++; i < s.length; i++) {
        const c = s[i]!;
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') {
          if (depth === 0 && c === ')') break;
          depth--;
        } else if (c === ',' && depth === 0) {
          args.push(cur.trim());
          cur = '';
          continue;
        }
        cur += c;
      }
      if (i >= s.length) throw new SpecError(`unclosed arguments of $${m[1]}`);
      i++;
      args.push(cur.trim());
      out += d.replace(/\$(\d)/g, (_, k: string) => args[Number(k) - 1] ?? '');
    }
    return out;
  };
  const expand = (s: string): string => {
    for (let k = 0; k < 10; k++) {
      const t = expandOnce(s);
      if (t === s) return t;
      s = t;
    }
    throw new SpecError('macro recursion');
  };
  text.split('\n').forEach((raw, idx) => {
    const where = `${file}:${idx + 1}`;
    const line = raw.replace(/\s+$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    try {
      const def = /^@define\s+([A-Za-z][A-Za-z0-9_]*)\s+(.*)$/.exec(line);
      if (def) {
        defines.set(def[1]!, def[2]!);
        return;
      }
      const full = expand(line);
      const p0 = parsePattern(full);
      const mm = /^(\S+)\s*(.*)$/.exec(p0.rest);
      if (!mm) throw new SpecError('missing mnemonic');
      // `cntb/cnth/cntw/cntd@s`: one line per value of field s (`-`: none)
      const alt = /^([^@]+)@([A-Za-z]+)$/.exec(mm[1]!);
      const variants: { mnemonic: string; mask: number; value: number }[] = [];
      if (alt) {
        // `@so`: the fields' bits concatenated, s first
        const f: Field = { bits: [] };
        for (const letter of alt[2]!) {
          const g = p0.fields.get(letter);
          if (!g) throw new SpecError(`unknown field ${letter}`);
          f.bits.push(...g.bits);
        }
        const names = alt[1]!.split('/');
        if (names.length !== 1 << f.bits.length) throw new SpecError(`${names.length} names for a ${f.bits.length}-bit field`);
        names.forEach((name, v) => {
          if (name === '-') return;
          let mask = p0.mask;
          let value = p0.value;
          f.bits.forEach((b, j) => {
            mask |= 1 << b;
            if ((v >> (f.bits.length - 1 - j)) & 1) value |= 1 << b;
          });
          variants.push({ mnemonic: name, mask: mask >>> 0, value: value >>> 0 });
        });
      } else variants.push({ mnemonic: mm[1]!, mask: p0.mask, value: p0.value });
      let template = mm[2]!;
      let cond = '';
      const semi = template.lastIndexOf(' ; ');
      if (semi >= 0) {
        cond = template.slice(semi + 3).trim();
        template = template.slice(0, semi).trimEnd();
      } else if (template.startsWith('; ')) {
        cond = template.slice(2).trim();
        template = '';
      }
      const prog: number[] = [];
      if (cond) {
        compileExpr(cond, p0.fields, prog);
        prog.push(OP.REQ);
      }
      if (template) compileTemplate('\t' + template, p0.fields, maps, prog);
      prog.push(OP.END);
      for (const v of variants)
        entries.push({ mask: v.mask, value: v.value, mnemonic: v.mnemonic, template, cond, line: idx + 1, file, fields: p0.fields, prog });
    } catch (e) {
      if (e instanceof SpecError) throw new SpecError(`${where}: ${e.message}`);
      throw e;
    }
  });
  return entries;
}

function popcount(v: number): number {
  let n = 0;
  for (let x = v >>> 0; x; x &= x - 1) n++;
  return n;
}

/** Most specific first: more fixed bits, then a conditional line before an unconditional one, then file order. */
export function orderEntries(entries: Entry[]): Entry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => popcount(b.e.mask) - popcount(a.e.mask) || (b.e.cond ? 1 : 0) - (a.e.cond ? 1 : 0) || a.i - b.i)
    .map((x) => x.e);
}

export interface TableDef {
  name: string; // SVE / SME
  file: string;
  /** Bit positions forming the bucket key, most significant first. */
  keyBits: number[];
}

export const TABLES: TableDef[] = [
  { name: 'SVE', file: 'sve.txt', keyBits: [31, 30, 29, 24, 23, 22, 21, 15, 14, 13] },
  { name: 'SME', file: 'sme.txt', keyBits: [30, 29, 24, 23, 22, 21, 15, 14, 13] },
];

function hexWord(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

function chunk(items: string[], per: number, indent: string): string {
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += per) lines.push(indent + items.slice(i, i + per).join(', ') + ',');
  return lines.join('\n');
}

export function buildTables(): { source: string; entries: Map<string, Entry[]>; missing: string[] } {
  const maps = new Maps();
  const members = new Set(enumMembers(readFileSync(MNEMONICS_FILE, 'utf8')));
  const missing = new Set<string>();
  const byTable = new Map<string, Entry[]>();
  const parts: string[] = [];
  const prog: number[] = [];
  // identical programs (the mnemonic variants of one line, repeated operand shapes) are stored once
  const progAt = new Map<string, number>();
  for (const t of TABLES) {
    const entries = orderEntries(parseSpec(t.file, readFileSync(join(SPEC_DIR, t.file), 'utf8'), maps));
    byTable.set(t.name, entries);
    const entryWords: string[] = [];
    for (const e of entries) {
      const member = e.mnemonic.toUpperCase();
      if (!members.has(member) || mnemonicName(member) !== e.mnemonic) missing.add(`${member} (${e.file}:${e.line})`);
      const key = e.prog.join(',');
      let off = progAt.get(key);
      if (off === undefined) {
        off = prog.length;
        prog.push(...e.prog);
        progAt.set(key, off);
      }
      entryWords.push(hexWord(e.mask), hexWord(e.value), String(off), `Mn.${member}`);
    }
    const nKeys = 1 << t.keyBits.length;
    const lists: number[][] = Array.from({ length: nKeys }, () => []);
    entries.forEach((e, idx) => {
      for (let k = 0; k < nKeys; k++) {
        // the key's bits as a word, compared under the entry's mask
        let w = 0;
        t.keyBits.forEach((b, j) => {
          if ((k >>> (t.keyBits.length - 1 - j)) & 1) w |= 1 << b;
        });
        let km = 0;
        for (const b of t.keyBits) km |= 1 << b;
        const m = e.mask & km;
        if ((w & m) >>> 0 === (e.value & m) >>> 0) lists[k]!.push(idx);
      }
    });
    const starts: number[] = [];
    const flat: number[] = [];
    for (const l of lists) {
      starts.push(flat.length);
      flat.push(...l);
    }
    starts.push(flat.length);
    if (entries.length > 0xffff) throw new Error('too many entries');
    const keyExpr = t.keyBits
      .map((b, j) => {
        const dst = t.keyBits.length - 1 - j;
        return `(((w >> ${b}) & 1) << ${dst})`;
      })
      .join(' | ');
    parts.push(
      `// ${t.name}: ${entries.length} encodings from spec/${t.file}`,
      `export const ${t.name}_COUNT: u32 = ${entries.length};`,
      `/** Bucket of a word: its bits ${t.keyBits.join(',')}. */`,
      `@inline export function ${t.name.toLowerCase()}Key(w: u32): u32 {`,
      `  return ${keyExpr};`,
      `}`,
      `/** Per encoding: mask, value, program offset, mnemonic id. */`,
      `export const ${t.name}_ENTRIES = memory.data<u32>([`,
      chunk(entryWords, 8, '  '),
      `]);`,
      `/** Per bucket, where its entry list starts in ${t.name}_LIST (one more for the end). */`,
      `export const ${t.name}_BUCKETS = memory.data<u32>([`,
      chunk(starts.map(String), 24, '  '),
      `]);`,
      `export const ${t.name}_LIST = memory.data<u16>([`,
      chunk(flat.map(String), 32, '  '),
      `]);`,
      '',
    );
  }
  // Maps: per map its offset (u32) into the blob; each map: u16 entry count,
  // u16 offset of each entry from the map's start, then per entry its length and bytes.
  const blob: number[] = [];
  const mapOffs: number[] = [];
  for (const m of maps.list) {
    const at = blob.length;
    mapOffs.push(at);
    blob.push(m.length & 255, m.length >> 8);
    const index = blob.length;
    for (let i = 0; i < m.length; i++) blob.push(0, 0);
    m.forEach((s, i) => {
      const off = blob.length - at;
      if (off > 0xffff) throw new Error('map too large');
      blob[index + 2 * i] = off & 255;
      blob[index + 2 * i + 1] = off >> 8;
      blob.push(s.length);
      for (const ch of s) blob.push(ch.charCodeAt(0));
    });
  }
  // 8-byte reads of literal text may run past the last byte
  for (let i = 0; i < 8; i++) blob.push(0);
  prog.push(0, 0, 0, 0, 0, 0, 0, 0);
  const header = [
    '// Generated by src/engine/tools/gen-sve.ts from src/engine/spec/sve.txt and',
    '// sme.txt: do not edit. Regenerate with `npx tsx src/engine/tools/gen-sve.ts`.',
    '// Byte programs are interpreted by sve.ts (runTable); opcodes in gen-sve.ts.',
    '',
    "import { Mn } from './mnemonics';",
    '',
  ];
  const tail = [
    '/** Operand programs of every encoding (both tables). */',
    'export const PROG = memory.data<u8>([',
    chunk(prog.map(String), 40, '  '),
    ']);',
    '/** Value-to-text maps: per map its offset into MAP_BLOB. */',
    'export const MAP_OFFS = memory.data<u32>([',
    chunk(mapOffs.map(String), 24, '  '),
    ']);',
    '/** Per map: u16 entry count, u16 offset of each entry, then per entry its length and ASCII bytes. */',
    'export const MAP_BLOB = memory.data<u8>([',
    chunk(blob.map(String), 40, '  '),
    ']);',
    '',
  ];
  return { source: [...header, ...parts, ...tail].join('\n'), entries: byTable, missing: [...missing] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { source, missing, entries } = buildTables();
  if (missing.length > 0) {
    console.error(`mnemonics missing from enum Mn (add to the SVE/SME block): ${missing.join(', ')}`);
    process.exit(1);
  }
  let old = '';
  try {
    old = readFileSync(TABLE_FILE, 'utf8');
  } catch {
    /* first run */
  }
  if (process.argv.includes('--check')) {
    if (old !== source) {
      console.error('sve_table.ts is stale: run npx tsx src/engine/tools/gen-sve.ts');
      process.exit(1);
    }
  } else {
    if (old !== source) writeFileSync(TABLE_FILE, source);
    for (const [name, list] of entries) console.log(`${name}: ${list.length} encodings`);
  }
}
