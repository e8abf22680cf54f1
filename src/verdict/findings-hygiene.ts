// Findings about debuggability and memory-protection hardening: symbols,
// build ids, executable stacks, W+X segments, and the C/C++ toolchain
// protections (RELRO, stack canaries, FORTIFY, PIE) that Go does not use.

import type { Finding } from '../report/types.ts';
import { sliceLabel, type Ctx, type Slice } from './context.ts';
import { libcOf } from './libc.ts';
import { shellQuote } from './paths.ts';
import { finding } from './registry.ts';

// Mach-O mach_header.flags bit name as loader.h spells it.
const MH_ALLOW_STACK_EXECUTION = 'MH_ALLOW_STACK_EXECUTION';

function runnable(x: Slice): boolean {
  return x.kind === 'exec' || x.kind === 'library';
}

/**
 * Whether the stack will be executable, and why. Linux (fs/binfmt_elf.c,
 * arch elf_read_implies_exec): PT_GNU_STACK with PF_X asks for it; without
 * PT_GNU_STACK, 32-bit x86 and 32-bit ARM processes get READ_IMPLIES_EXEC
 * (every readable mapping executable, the stack included), as x86_64 did
 * before Linux 5.8; arm64 does not.
 */
export function execStack(c: Ctx, x: Slice): string | null {
  const s = x.s;
  if (c.macho) return s.flags.includes(MH_ALLOW_STACK_EXECUTION) ? `mach_header flags ${MH_ALLOW_STACK_EXECUTION}` : null;
  const gs = x.parsed.image.stack;
  if (gs) return gs.x ? `PT_GNU_STACK ${s.segments[gs.row]!.perms}` : null;
  if (x.arch === 'i386' || x.arch === 'arm') return 'no PT_GNU_STACK: a 32-bit process then gets READ_IMPLIES_EXEC';
  if (x.arch === 'x86_64') return 'no PT_GNU_STACK: executable stack on Linux before 5.8';
  return null;
}

// eslint-disable-next-line max-lines-per-function -- one finding rule after another in docs/findings.md order, each a guarded push: a function per rule would only add names
export function hygieneFindings(c: Ctx): Finding[] {
  const out: Finding[] = [];
  const f = shellQuote(c.name);
  for (const x of c.slices) {
    if (!runnable(x)) continue;
    const s = x.s;
    const slice = c.fat ? s.index : undefined;
    const label = sliceLabel(c, x);
    const go = !!s.go;

    if (s.stripped) {
      out.push(
        finding('stripped', {
          title: 'Stripped: no symbol table',
          detail: `${c.macho ? 'The symbol table holds only what dyld needs' : 'There is no .symtab'}${go ? ' (built with -ldflags=-s)' : ''}, so debuggers, profilers and crash reports show addresses instead of function names${go ? "; Go's own function table (pclntab) still names functions in panics" : ''}. That is normal for release builds; keep the unstripped file or its debug info to symbolize crashes.`,
          evidence: [
            label,
            ...(s.symbols.table ? [`symbol table ${s.symbols.table}`] : ['no symbol table']),
            `${s.symbols.defined} defined symbols`,
          ],
          fix: c.macho
            ? `dsymutil UNSTRIPPED_${f} -o ${f}.dSYM   # keep this next to the stripped build`
            : `objcopy --only-keep-debug UNSTRIPPED_${f} ${f}.debug && objcopy --add-gnu-debuglink=${f}.debug ${f}`,
          slice,
        }),
      );
    }

    if (c.elf && !s.buildId) {
      out.push(
        finding('elf-no-build-id', {
          title: 'No GNU build ID',
          detail: `There is no NT_GNU_BUILD_ID note${s.goBuildId ? ' (only a Go build ID, which gdb, perf, systemd-coredump and debuginfod do not read)' : ''}. Debuggers, crash collectors and debuginfod servers use the build ID to find the matching debug information.`,
          evidence: [label, 'no NT_GNU_BUILD_ID', ...(s.goBuildId ? [`Go build ID ${s.goBuildId}`] : [])],
          fix: go
            ? `go build -ldflags=-B=gobuildid …   # Go 1.22.9+ derives a GNU build ID from the Go one`
            : `cc -Wl,--build-id … -o ${f}`,
          slice,
        }),
      );
    }

    const stack = execStack(c, x);
    if (stack) {
      out.push(
        finding('exec-stack', {
          title: 'Executable stack',
          detail: c.macho
            ? `The stack will be executable (${stack}, from linking with -allow_stack_execute), so a stack buffer overflow can run injected code directly.`
            : `The stack will be executable (${stack}), so a stack buffer overflow can run injected code directly, and glibc 2.41 and later refuse to dlopen libraries that ask for it. Usually one assembly file without a .note.GNU-stack section caused it${go ? ", or Go's linker, which writes no PT_GNU_STACK" : ''}.`,
          evidence: [label, stack],
          fix: c.macho
            ? `# relink without -allow_stack_execute`
            : `cc -Wl,-z,noexecstack … -o ${f}\n# or patch the file: patchelf --clear-execstack ${f}   (patchelf 0.18+)`,
          slice,
        }),
      );
    }

    // The segments the loader maps (ELF PT_LOAD; every Mach-O segment command) that are writable and executable.
    const wx = x.parsed.image.loads.filter((l) => l.w && l.x).map((l) => s.segments[l.row]!);
    if (wx.length) {
      out.push(
        finding('wx-segment', {
          title: 'Writable and executable segment',
          detail: `${wx.map((g) => `${g.name || g.type} at ${g.address} (${g.perms})`).join(', ')} can be written and executed at once, so any memory-corruption bug can plant code there. Linkers produce it with -N/--omagic, custom linker scripts, or sections that mix code and data.`,
          evidence: [label, ...wx.map((g) => `${g.type} ${g.name} ${g.address} ${g.perms}`)],
          fix: c.macho
            ? `# relink without -segprot rwx settings for __TEXT or __DATA`
            : `# relink without -N/--omagic and keep code and data apart:\ncc -Wl,-z,separate-code … -o ${f}`,
          slice,
        }),
      );
    }

    // C/C++ toolchain hardening; Go and static freestanding code do not use these.
    if (!c.elf || go) continue;
    const feat = s.features;
    const dynamic = !!s.interpreter || s.libraries.length > 0;
    if (dynamic && (feat.relro === 'none' || feat.relro === 'partial')) {
      out.push(
        finding('elf-no-relro', {
          title: feat.relro === 'none' ? 'No RELRO' : 'Partial RELRO only',
          detail:
            feat.relro === 'none'
              ? 'There is no PT_GNU_RELRO segment, so relocated pointers (the GOT, vtables) stay writable for the life of the process: a classic target for memory-corruption exploits.'
              : 'PT_GNU_RELRO is there but lazy binding (no BIND_NOW) keeps the PLT part of the GOT writable for the life of the process.',
          evidence: [label, `RELRO ${feat.relro}`, ...(feat.sources['relro'] ? [feat.sources['relro']] : [])],
          fix: `cc -Wl,-z,relro,-z,now … -o ${f}`,
          slice,
        }),
      );
    }
    if (feat.canary === false && dynamic) {
      out.push(
        finding('elf-no-canary', {
          title: 'No stack canaries',
          detail:
            'It does not use __stack_chk_fail, so no function checks a canary before returning: stack buffer overflows go undetected. Distribution compilers turn -fstack-protector-strong on by default; this build did not have it.',
          evidence: [label, feat.sources['canary'] ?? 'no __stack_chk_fail import'],
          fix: `cc -fstack-protector-strong … -o ${f}`,
          slice,
        }),
      );
    }
    if (feat.fortify === false && dynamic && libcOf(s).libc === 'glibc') {
      out.push(
        finding('elf-no-fortify', {
          title: 'Not built with _FORTIFY_SOURCE',
          detail:
            "It imports none of glibc's checked functions (__memcpy_chk, __printf_chk, …), so calls with sizes known at compile time are not bounds-checked at run time. FORTIFY needs optimization (-O1 or higher).",
          evidence: [label, feat.sources['fortify'] ?? 'no *_chk imports'],
          fix: `cc -O2 -D_FORTIFY_SOURCE=3 … -o ${f}   # =2 on GCC before 12`,
          slice,
        }),
      );
    }
    if (x.kind === 'exec' && feat.pie === false) {
      out.push(
        finding('elf-no-pie', {
          title: 'Not position-independent (no PIE)',
          detail:
            'It is an ET_EXEC at a fixed address, so ASLR cannot move the program itself: its code and data sit at the same addresses in every run, which makes exploits easier.',
          evidence: [label, feat.sources['pie'] ?? `${s.fileTypeRaw}: linked at a fixed address`],
          fix: s.linkage === 'static' ? `cc -static-pie -fPIE … -o ${f}` : `cc -fPIE -pie … -o ${f}`,
          slice,
        }),
      );
    }
  }
  return out;
}
