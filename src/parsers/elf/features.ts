// Hardening verdicts for an ELF file, each with the evidence it rests on, in
// the terms checksec and the distribution hardening guides use.

import { hex } from '../reader.ts';
import type { Features } from '../../report/types.ts';
import {
  DF_1_NOW,
  DF_1_PIE,
  DF_BIND_NOW,
  EM_386,
  EM_AARCH64,
  EM_ARM,
  EM_MIPS,
  EM_PPC,
  EM_X86_64,
  ET_DYN,
  ET_EXEC,
  GNU_PROPERTY_AARCH64_FEATURE_1_BTI,
  GNU_PROPERTY_AARCH64_FEATURE_1_PAC,
  GNU_PROPERTY_X86_FEATURE_1_IBT,
  GNU_PROPERTY_X86_FEATURE_1_SHSTK,
  PF_X,
  PT_GNU_RELRO,
  PT_GNU_STACK,
  PT_INTERP,
} from './constants.ts';
import type { DynamicInfo } from './dynamic.ts';
import type { ElfHeader } from './header.ts';
import type { NotesInfo } from './notes.ts';
import type { ProgramHeader } from './program.ts';

/** What the symbol tables say about stack protector and _FORTIFY_SOURCE. */
export interface SymbolEvidence {
  /** Whether any symbol table was readable (.symtab or .dynsym). */
  haveSymbols: boolean;
  /** Which table(s) the evidence came from, for the source text. */
  tables: string[];
  /** `__stack_chk_fail` / `__stack_chk_guard`, referenced or defined. */
  canary: string[];
  /** `__*_chk` functions referenced (undefined), or defined in a file without PT_DYNAMIC (static link pulled them in). */
  fortify: string[];
}

const CANARY_NAMES = new Set(['__stack_chk_fail', '__stack_chk_guard', '__stack_chk_fail_local', '__intel_security_cookie']);

export function isCanarySymbol(name: string): boolean {
  return CANARY_NAMES.has(name);
}

/** glibc's and musl's checked variants (`__memcpy_chk`, `__printf_chk`, …), which only _FORTIFY_SOURCE calls. */
export function isFortifySymbol(name: string): boolean {
  return name.length > 6 && name.startsWith('__') && name.endsWith('_chk') && !name.startsWith('__stack_chk');
}

// eslint-disable-next-line max-lines-per-function -- one hardening feature after another (PIE, NX, RELRO, canary, FORTIFY, BTI/PAC, IBT/SHSTK), each from its own header, note or table
export function elfFeatures(
  h: ElfHeader,
  phdrs: ProgramHeader[],
  dyn: DynamicInfo | null,
  notes: NotesInfo,
  executable: boolean,
  syms: SymbolEvidence,
): Features {
  const sources: Record<string, string> = {};
  const linked = h.e_type === ET_EXEC || h.e_type === ET_DYN;
  const interp = phdrs.some((p) => p.p_type === PT_INTERP);
  const flags1 = dyn?.flags1 ?? 0n;

  // PIE: a position-independent executable is ET_DYN that is meant to run.
  let pie: boolean | null = null;
  if (h.e_type === ET_EXEC) {
    pie = false;
    sources.pie = 'ET_EXEC: linked at a fixed address';
  } else if (h.e_type === ET_DYN && executable) {
    pie = true;
    if ((flags1 & BigInt(DF_1_PIE)) !== 0n) sources.pie = 'ET_DYN with DF_1_PIE in DT_FLAGS_1';
    else if (interp) sources.pie = 'ET_DYN with PT_INTERP';
    else sources.pie = 'ET_DYN with an entry point and no DT_SONAME (static PIE)';
  } else if (h.e_type === ET_DYN) {
    sources.pie = 'shared library: position-independent by construction; PIE applies to executables';
  } else {
    sources.pie = 'not a linked executable';
  }

  // NX: the stack's permissions come from PT_GNU_STACK; without it, the kernel's per-architecture default.
  let nx: boolean | null = null;
  const stack = phdrs.find((p) => p.p_type === PT_GNU_STACK);
  if (!linked) {
    sources.nx = 'not a linked executable or library';
  } else if (stack) {
    nx = (stack.p_flags & PF_X) === 0;
    sources.nx = `PT_GNU_STACK flags ${hex(stack.p_flags)}: stack ${nx ? 'not ' : ''}executable`;
  } else if ([EM_386, EM_X86_64, EM_ARM, EM_PPC, EM_MIPS].includes(h.e_machine) || (h.e_machine === EM_AARCH64 && !h.is64)) {
    nx = false;
    sources.nx =
      'no PT_GNU_STACK: on this architecture Linux then maps the stack executable (and on 32-bit x86/ARM turns on READ_IMPLIES_EXEC)';
  } else {
    nx = true;
    sources.nx = 'no PT_GNU_STACK: on this architecture Linux maps the stack non-executable by default';
  }

  // RELRO: PT_GNU_RELRO makes the region read-only after relocation; BIND_NOW also resolves the GOT up front.
  let relro: Features['relro'] = null;
  const hasRelro = phdrs.some((p) => p.p_type === PT_GNU_RELRO);
  const now = dyn !== null && (dyn.bindNow || ((dyn.flags ?? 0n) & BigInt(DF_BIND_NOW)) !== 0n || (flags1 & BigInt(DF_1_NOW)) !== 0n);
  if (!linked) {
    sources.relro = 'not a linked executable or library';
  } else if (!hasRelro) {
    relro = 'none';
    sources.relro = 'no PT_GNU_RELRO';
  } else if (now) {
    relro = 'full';
    sources.relro = 'PT_GNU_RELRO and BIND_NOW (DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW)';
  } else if (dyn === null) {
    relro = 'partial';
    sources.relro = 'PT_GNU_RELRO without BIND_NOW; the file has no dynamic section, so there is no lazy binding to leave writable';
  } else {
    relro = 'partial';
    sources.relro = 'PT_GNU_RELRO without BIND_NOW: the PLT GOT stays writable for lazy binding';
  }

  let canary: boolean | null = null;
  let fortify: boolean | null = null;
  if (!syms.haveSymbols) {
    sources.canary = 'no symbol table to look in (stripped, no .dynsym)';
    sources.fortify = sources.canary;
  } else {
    canary = syms.canary.length > 0;
    sources.canary = canary
      ? `${syms.canary.join(', ')} in ${syms.tables.join(' and ')}`
      : `no __stack_chk_fail or __stack_chk_guard in ${syms.tables.join(' and ')}`;
    fortify = syms.fortify.length > 0;
    const shown = syms.fortify.slice(0, 5).join(', ') + (syms.fortify.length > 5 ? `, … (${syms.fortify.length})` : '');
    sources.fortify = fortify
      ? `${shown} in ${syms.tables.join(' and ')}`
      : `no __*_chk functions referenced in ${syms.tables.join(' and ')}`;
  }

  let bti: boolean | null = null;
  let pac: boolean | null = null;
  if (h.e_machine === EM_AARCH64) {
    const f = notes.properties?.aarch64Feature1 ?? null;
    bti = f !== null && (f & GNU_PROPERTY_AARCH64_FEATURE_1_BTI) !== 0;
    pac = f !== null && (f & GNU_PROPERTY_AARCH64_FEATURE_1_PAC) !== 0;
    const bits = f === null ? [] : (['BTI', 'PAC', 'GCS'] as const).filter((_, i) => (f & (1 << i)) !== 0);
    const where =
      f === null
        ? 'no GNU_PROPERTY_AARCH64_FEATURE_1_AND property note (the linker drops it unless every input object has it)'
        : `GNU_PROPERTY_AARCH64_FEATURE_1_AND = ${hex(f)} (${bits.length ? bits.join(', ') : 'no feature bits'})`;
    sources.bti = where;
    sources.pac = where;
  } else {
    sources.bti = 'not AArch64';
    sources.pac = 'not AArch64';
  }

  let ibt: boolean | null = null;
  let shstk: boolean | null = null;
  if (h.e_machine === EM_X86_64 || h.e_machine === EM_386) {
    const f = notes.properties?.x86Feature1 ?? null;
    ibt = f !== null && (f & GNU_PROPERTY_X86_FEATURE_1_IBT) !== 0;
    shstk = f !== null && (f & GNU_PROPERTY_X86_FEATURE_1_SHSTK) !== 0;
    const where = f === null ? 'no GNU_PROPERTY_X86_FEATURE_1_AND property note' : `GNU_PROPERTY_X86_FEATURE_1_AND = ${hex(f)}`;
    sources.ibt = where;
    sources.shstk = where;
  } else {
    sources.ibt = 'not x86';
    sources.shstk = 'not x86';
  }

  return { pie, nx, relro, canary, fortify, bti, pac, ibt, shstk, sources };
}
