// PAC and BTI asked three separate questions, so that no sentence about one
// contradicts a sentence about another:
//
//   declared  what the file says about itself: ELF's GNU property note
//             (GNU_PROPERTY_AARCH64_FEATURE_1_AND, BTI and PAC bits); Mach-O's
//             CPU subtype (arm64e is the pointer-authentication ABI; Mach-O has
//             no BTI declaration)
//   does      what the code does, inside known functions only: instructions,
//             functions that sign their return address, functions that start
//             with a landing pad (data words between functions are not code)
//   enforced  what the system makes of it when the file runs:
//     Linux BTI  only with the note's BTI bit: the kernel maps a static
//                executable and the dynamic loader with PROT_BTI
//                (arch/arm64/kernel/process.c arch_elf_adjust_prot, the note
//                read by arch_parse_elf_property), glibc's loader every other
//                object that carries the bit (sysdeps/aarch64/dl-bti.c, 2.32+)
//     Linux PAC  nothing reads the note's PAC bit. The kernel gives every
//                process keys on a CPU with FEAT_PAuth (ptrauth_thread_init_user),
//                so the code's own signing runs there; the hint-space forms
//                (paciasp, autiasp…) are NOPs on older CPUs, the others
//                (retaa, ldraa…) undefined instructions
//     Apple PAC  only the arm64e ABI: xnu clears SCTLR_EL1.EnIA/EnIB/EnDA/EnDB
//                for every other process, which makes sign and authenticate
//                instructions pass values through (xnu's notes on its PAC use,
//                "ARMv8.3 Pointer Authentication in xnu": "arm64e binary slice",
//                "SCTLR_EL1")
//     Apple BTI  not used by macOS or iOS

import type { Arm64Protection, Arm64Summary, MnemonicCounts, SliceReport } from '../report/types.ts';

/** PAC instructions in the HINT space (Arm ARM C5.2.4): NOPs on a CPU without FEAT_PAuth. */
const HINT_SPACE = new Set([
  'xpaclri',
  'pacia1716',
  'pacib1716',
  'autia1716',
  'autib1716',
  'paciaz',
  'paciasp',
  'pacibz',
  'pacibsp',
  'autiaz',
  'autiasp',
  'autibz',
  'autibsp',
  'pacm',
]);

/** PAC instructions outside the hint space (undefined on a CPU without pointer authentication). */
export function outsideHintSpace(m: MnemonicCounts): number {
  let n = 0;
  for (const [k, v] of Object.entries(m.byMnemonic)) if (!HINT_SPACE.has(k)) n += v;
  return n;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

type Summary = Pick<Arm64Summary, 'pac' | 'bti' | 'functions' | 'inFunctions'>;

/** Which system's rules apply: Apple's for Mach-O, Linux's for ELF that names Linux (or Android, or nothing). */
function system(s: SliceReport): 'apple' | 'linux' | null {
  if (s.fileTypeRaw.startsWith('MH_')) return 'apple';
  return s.platform === null || s.platform === 'linux' || s.platform === 'android' ? 'linux' : null;
}

/** The three answers for PAC and for BTI, from the slice's declarations and what the engine found in its functions. */
export function protectionOf(s: SliceReport, a: Summary): { pac: Arm64Protection; bti: Arm64Protection } {
  return { pac: cutShort(s, 'pac', pacProtection(s, a)), bti: cutShort(s, 'bti', btiProtection(s, a)) };
}

const TRUNCATED = 'unknown (file truncated)';

/**
 * A file cut short (slices[].incomplete): an ELF note past the end declares
 * nothing we can read, so neither the declaration nor Linux's BTI answer is
 * known; code past the end may hold what the rest lacks, so only a `yes`
 * stands.
 */
function cutShort(s: SliceReport, key: 'pac' | 'bti', p: Arm64Protection): Arm64Protection {
  const cut = (f: string) => s.incomplete?.includes(f) ?? false;
  const out = { ...p };
  if (cut('features') && system(s) === 'linux') {
    out.declared = null;
    out.declaredBy = `${TRUNCATED}: the GNU property note may lie in the missing part`;
    if (key === 'bti') {
      out.enforced = null;
      out.enforcedBy = `${TRUNCATED}: Linux enforces BTI only when the note declares it, and the note cannot be read`;
    }
  }
  if (cut('arm64')) {
    if (p.does === true) out.doesBy = `${p.doesBy} (in the part of the code that is in the file)`;
    else {
      out.does = null;
      out.doesBy = `${TRUNCATED}: part of the code is missing`;
    }
  }
  return out;
}

function pacProtection(s: SliceReport, a: Summary): Arm64Protection {
  const sys = system(s);
  const arm64e = s.arch === 'arm64e';
  const f = s.features;

  // ELF: the note's PAC bit; Mach-O: the CPU subtype (src/parsers features).
  const declared = sys === 'apple' ? arm64e : f.pac;
  const declaredBy = f.sources['pac'] ?? (sys === 'apple' ? 'CPU subtype' : 'no GNU property note');

  const fn = a.functions;
  const inside = a.inFunctions;
  let does: boolean | null = null;
  let doesBy: string;
  if (fn && inside) {
    does = inside.pac.total > 0;
    doesBy = `${fn.signing} of ${plural(fn.total, 'function signs its', 'functions sign their')} return address; ${plural(inside.pac.total, 'pointer-authentication instruction', 'pointer-authentication instructions')} inside functions`;
  } else {
    doesBy = `no function boundaries are known, so what the code does cannot be told from data; the sweep of the whole section found ${plural(a.pac.total, 'pointer-authentication instruction', 'pointer-authentication instructions')}`;
  }

  let enforced: boolean | null;
  let enforcedBy: string;
  if (sys === 'apple') {
    enforced = arm64e;
    enforcedBy = arm64e
      ? 'arm64e: the system gives the process pointer-authentication keys and signs its code pointers at load; a failed authentication stops the process'
      : `not arm64e: macOS and iOS turn the pointer-authentication keys off for ${s.arch} processes, so sign and authenticate instructions pass addresses through unchanged${does ? ' and the signing in this code protects nothing' : ''}`;
  } else if (sys === 'linux') {
    enforced = false;
    const strict = inside ? outsideHintSpace(inside.pac) : 0;
    enforcedBy =
      'Linux enforces no pointer authentication: nothing reads the PAC bit of the note' +
      (does
        ? '; the signing in the code runs on every CPU with pointer authentication (Armv8.3 and later), where the kernel gives each process its keys, and a failed check crashes the process' +
          (strict > 0
            ? `. ${plural(strict, 'instruction is', 'instructions are')} outside the hint space (retaa, ldraa, …): a CPU without pointer authentication stops with SIGILL there`
            : '; older CPUs run these hint-space instructions as NOPs')
        : does === false
          ? ', and no function in the code signs its return address'
          : '');
  } else {
    enforced = null;
    enforcedBy = `binlens knows Linux's and Apple's rules; this file is for ${s.platform}`;
  }
  return { declared, declaredBy, does, doesBy, enforced, enforcedBy };
}

function btiProtection(s: SliceReport, a: Summary): Arm64Protection {
  const sys = system(s);
  const f = s.features;
  let declared: boolean | null;
  let declaredBy: string;
  if (sys === 'apple') {
    declared = null;
    declaredBy = 'Mach-O has no BTI declaration';
  } else {
    declared = f.bti;
    declaredBy = f.sources['bti'] ?? 'no GNU property note';
  }

  const fn = a.functions;
  const inside = a.inFunctions;
  let does: boolean | null = null;
  let doesBy: string;
  if (fn && inside) {
    does = inside.bti.total > 0;
    doesBy = `${plural(inside.bti.total, 'BTI instruction', 'BTI instructions')} inside functions; ${fn.btiEntry} of ${plural(fn.total, 'function starts', 'functions start')} with a landing pad (BTI c/j/jc, or PACIASP/PACIBSP, which also act as one)`;
  } else {
    doesBy = `no function boundaries are known, so what the code does cannot be told from data; the sweep of the whole section found ${plural(a.bti.total, 'BTI instruction', 'BTI instructions')}`;
  }

  let enforced: boolean | null;
  let enforcedBy: string;
  if (sys === 'apple') {
    enforced = false;
    enforcedBy = 'macOS and iOS do not use BTI: landing pads run as NOPs';
  } else if (sys === 'linux') {
    enforced = declared === true;
    enforcedBy = enforced
      ? 'on CPUs with BTI (Armv8.5 and later), Linux maps this code with PROT_BTI — the kernel for a static executable and for the dynamic loader, glibc’s loader (2.32 and later) for every other executable and library — so an indirect branch that lands anywhere but a landing pad stops the process with SIGILL'
      : `Linux maps this code without PROT_BTI: the kernel and glibc's loader turn BTI on only for files whose GNU property note declares it${does ? ', so the landing pads in the code run as NOPs' : ''}`;
  } else {
    enforced = null;
    enforcedBy = `binlens knows Linux's and Apple's rules; this file is for ${s.platform}`;
  }
  return { declared, declaredBy, does, doesBy, enforced, enforcedBy };
}
