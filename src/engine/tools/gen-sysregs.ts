// Generates src/engine/assembly/sysreg.ts: the names llvm-objdump-19 gives
// to system registers (MRS/MSR, MRRS/MSRR), SYS/SYSL/SYSP aliases (AT, DC, IC,
// TLBI, TLBIP, BRB, CFP/DVP/CPP/COSP, GCS*, TRCIT). The names are the Arm
// architecture's; this tool learns which encodings LLVM 19 names (and how) by
// disassembling every encoding of each space once:
//   npx tsx src/engine/tools/gen-sysregs.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { llvmTexts } from './llvm.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'assembly', 'sysreg.ts');
const GENERIC = /^S\d_\d_C\d+_C\d+_\d$/;

const names: string[] = [];
const nameIndex = new Map<string, number>();
function nameId(n: string): number {
  let i = nameIndex.get(n);
  if (i === undefined) {
    i = names.length;
    names.push(n);
    nameIndex.set(n, i);
  }
  return i;
}

function range(n: number, f: (k: number) => number): number[] {
  return Array.from({ length: n }, (_, k) => f(k) >>> 0);
}

// --- MRS/MSR: key = o0:op1:CRn:CRm:op2 (bits 19:5), op0 = 2 + o0.
const mrs = llvmTexts(range(0x8000, (k) => 0xd5300000 | (k << 5)));
const msr = llvmTexts(range(0x8000, (k) => 0xd5100000 | (k << 5)));
const sysregEntries: number[] = [];
for (let k = 0; k < 0x8000; k++) {
  const r = /^mrs\tx0, (\S+)$/.exec(mrs[k]!)?.[1];
  const wr = /^msr\t(\S+), x0$/.exec(msr[k]!)?.[1];
  if (r === undefined || wr === undefined) throw new Error(`unexpected text for sysreg ${k}: ${mrs[k]} / ${msr[k]}`);
  const rNamed = !GENERIC.test(r);
  const wNamed = !GENERIC.test(wr);
  if (rNamed && wNamed && r === wr) sysregEntries.push(k | (3 << 15) | (nameId(r) << 17));
  else {
    if (rNamed) sysregEntries.push(k | (1 << 15) | (nameId(r) << 17));
    if (wNamed) sysregEntries.push(k | (2 << 15) | (nameId(wr) << 17));
  }
}

// --- SYS (op0 = 1, L = 0): key = op1:CRn:CRm:op2 (bits 18:5). Each key is
// seen with Rt = x0 and Rt = xzr.
const SYS_KINDS = [
  'at',
  'dc',
  'ic',
  'tlbi',
  'brb',
  'cfp',
  'dvp',
  'cpp',
  'cosp',
  'gcspushm',
  'gcspopm',
  'gcsss1',
  'gcsss2',
  'gcspushx',
  'gcspopcx',
  'gcspopx',
  'trcit',
];
const NO_NAME = 0x7ff;
const sys0 = llvmTexts(range(0x4000, (k) => 0xd5080000 | (k << 5)));
const sys31 = llvmTexts(range(0x4000, (k) => 0xd5080000 | (k << 5) | 31));
// mode 0: alias, register always printed; 1: alias, register never printed; 2: alias only when Rt = 31 (then no register)
const sysEntries: number[] = [];
function parseAlias(t: string): { kind: number; name: string | null; reg: boolean } | null {
  const [m, ops = ''] = t.split('\t');
  const kind = SYS_KINDS.indexOf(m!);
  if (kind < 0) return null;
  const parts = ops === '' ? [] : ops.split(', ');
  const reg = parts.length > 0 && /^(x\d+|xzr)$/.test(parts[parts.length - 1]!);
  const name = parts.length > (reg ? 1 : 0) ? parts[0]! : null;
  return { kind, name, reg };
}
for (let k = 0; k < 0x4000; k++) {
  const a = parseAlias(sys0[k]!);
  const b = parseAlias(sys31[k]!);
  if (!a && !b) continue;
  let mode: number;
  let alias: { kind: number; name: string | null; reg: boolean };
  if (a && b) {
    if (a.kind !== b.kind || a.name !== b.name || a.reg !== b.reg) throw new Error(`sys ${k}: ${sys0[k]} / ${sys31[k]}`);
    mode = a.reg ? 0 : 1;
    alias = a;
  } else if (b && !b.reg) {
    mode = 2;
    alias = b;
  } else throw new Error(`sys ${k}: unexpected ${sys0[k]} / ${sys31[k]}`);
  sysEntries.push(k | (mode << 14) | (alias.kind << 16) | ((alias.name === null ? NO_NAME : nameId(alias.name)) << 21));
}

// --- SYSL (op0 = 1, L = 1): aliases that take a destination register.
const sysl = llvmTexts(range(0x4000, (k) => 0xd5280000 | (k << 5)));
const syslEntries: number[] = [];
for (let k = 0; k < 0x4000; k++) {
  const t = sysl[k]!;
  if (t.startsWith('sysl\t')) continue;
  const m = /^(\w+)\tx0$/.exec(t);
  const kind = m ? SYS_KINDS.indexOf(m[1]!) : -1;
  if (kind < 0) throw new Error(`sysl ${k}: ${t}`);
  syslEntries.push(k | (kind << 16));
}

// --- SYSP (FEAT_D128): TLBIP aliases, printed with the register pair.
const sysp = llvmTexts(range(0x4000, (k) => 0xd5480000 | (k << 5)));
const tlbipEntries: number[] = [];
for (let k = 0; k < 0x4000; k++) {
  const t = sysp[k]!;
  if (t.startsWith('sysp\t')) continue;
  const m = /^tlbip\t(\w+), x0, x1$/.exec(t);
  if (!m) throw new Error(`sysp ${k}: ${t}`);
  tlbipEntries.push(k | (nameId(m[1]!) << 16));
}

// --- MRRS/MSRR (FEAT_D128): 128-bit system registers, op0 = 2 + o0.
const mrrs = llvmTexts(range(0x8000, (k) => 0xd5700000 | (k << 5)));
const msrr = llvmTexts(range(0x8000, (k) => 0xd5500000 | (k << 5)));
const pairEntries: number[] = [];
for (let k = 0; k < 0x8000; k++) {
  const r = /^mrrs\tx0, x1, (\S+)$/.exec(mrrs[k]!)?.[1];
  const wr = /^msrr\t(\S+), x0, x1$/.exec(msrr[k]!)?.[1];
  if (r === undefined || wr === undefined) throw new Error(`sysreg pair ${k}: ${mrrs[k]} / ${msrr[k]}`);
  const rNamed = !GENERIC.test(r);
  const wNamed = !GENERIC.test(wr);
  if (rNamed && wNamed && r === wr) pairEntries.push(k | (3 << 15) | (nameId(r) << 17));
  else {
    if (rNamed) pairEntries.push(k | (1 << 15) | (nameId(r) << 17));
    if (wNamed) pairEntries.push(k | (2 << 15) | (nameId(wr) << 17));
  }
}

// LLVM 19 names 128-bit accesses with the MRS/MSR table; the engine relies on it.
if (pairEntries.join() !== sysregEntries.join()) throw new Error('MRRS/MSRR names differ from MRS/MSR: the engine needs a second table');

// --- Output.
const offsets: number[] = [];
let blob = '';
for (const n of names) {
  offsets.push(blob.length);
  blob += n;
}
offsets.push(blob.length);
if (blob.length >= 0x10000) throw new Error('name blob too large for u16 offsets');
if (names.length >= NO_NAME) throw new Error('too many names for 11-bit indexes');

function arr(type: string, xs: number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < xs.length; i += 8)
    lines.push(
      '  ' +
        xs
          .slice(i, i + 8)
          .map((v) => '0x' + (v >>> 0).toString(16))
          .join(', ') +
        ',',
    );
  return `StaticArray<${type}> = [\n${lines.join('\n')}\n]`;
}

const text = `// GENERATED by src/engine/tools/gen-sysregs.ts from llvm-objdump-19's output
// over every encoding of each space. Do not edit; regenerate.
//
// SYSREGS (also used for MRRS/MSRR, which LLVM names the same way): key (o0:op1:CRn:CRm:op2, 15 bits) | access << 15
// (1 MRS, 2 MSR, 3 both) | name << 17, sorted by key.
// SYS_ALIASES: key (op1:CRn:CRm:op2, 14 bits) | mode << 14 (0 register
// printed, 1 never printed, 2 alias only for xzr) | kind << 16 (SYS_KIND_NAMES)
// | name << 21 (0x7ff: none). SYSL_ALIASES: key | kind << 16. TLBIP: key | name << 16.

export const SYS_KIND_NAMES = '${SYS_KINDS.join(' ')}';
export const SYS_NO_NAME: u32 = ${NO_NAME};

export const SYSREGS: ${arr('u32', sysregEntries)};

export const SYS_ALIASES: ${arr('u32', sysEntries)};

export const SYSL_ALIASES: ${arr('u32', syslEntries)};

export const TLBIP_ALIASES: ${arr('u32', tlbipEntries)};

export const NAME_OFFSETS: ${arr('u16', offsets)};

export const NAME_BLOB = '${blob}';
`;
writeFileSync(OUT, text);
console.log(
  `${OUT}: ${sysregEntries.length} sysregs, ${sysEntries.length} sys, ${syslEntries.length} sysl, ${tlbipEntries.length} tlbip, ${names.length} names`,
);
