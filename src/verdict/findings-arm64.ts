// Findings that lay what a file declares about ARM64 pointer authentication
// (PAC) and branch target identification (BTI) against what the ARM64 engine
// observed in its code (slices[].arm64).

import type { Finding } from '../report/types.ts';
import { sliceLabel, type Ctx } from './context.ts';
import { shellQuote } from './paths.ts';
import { finding } from './registry.ts';

// eslint-disable-next-line max-lines-per-function -- one finding rule after another in docs/findings.md order, each a guarded push: a function per rule would only add names
export function arm64Findings(c: Ctx): Finding[] {
  const out: Finding[] = [];
  const f = shellQuote(c.name);
  for (const x of c.slices) {
    const a = x.s.arm64;
    if (!a || (x.arch !== 'arm64' && x.arch !== 'arm64e')) continue;
    if (x.kind !== 'exec' && x.kind !== 'library' && x.kind !== 'object') continue;
    const s = x.s;
    const slice = c.fat ? s.index : undefined;
    const label = sliceLabel(c, x);
    const feat = s.features;
    const notes = a.notes ?? [];
    const counts = (m: { total: number; byMnemonic: Record<string, number> }) =>
      `${m.total} (${
        Object.entries(m.byMnemonic)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      })`;
    // arm64e declares pointer authentication through its CPU subtype; ELF through GNU_PROPERTY_AARCH64_FEATURE_1_AND.
    const pacDeclared = x.arch === 'arm64e' || (c.elf && feat.pac === true);
    const btiDeclared = c.elf && feat.bti === true;
    // What the code does is read inside known functions: the whole-section
    // sweep also counts data words that happen to encode PAC or BTI.
    const inside = a.inFunctions;
    const code = inside ?? a;
    const where = inside ? `inside ${a.functions?.total ?? 0} functions` : 'in a sweep of the whole section (no function bounds known)';
    const pacSource = x.arch === 'arm64e' ? 'CPU_SUBTYPE_ARM64E' : (feat.sources['pac'] ?? 'GNU_PROPERTY_AARCH64_FEATURE_1_PAC');
    const btiSource = feat.sources['bti'] ?? 'GNU_PROPERTY_AARCH64_FEATURE_1_BTI';

    if (btiDeclared && code.instructions > 0 && code.bti.total === 0) {
      out.push(
        finding('arm64-bti-declared-not-observed', {
          title: 'Declares BTI, but the code has no BTI landing pads',
          detail:
            'The file tells the kernel its code is BTI-compatible, so on CPUs with BTI every indirect branch must land on a BTI instruction. The engine found none in the code, so the first indirect call or jump (a function pointer, a PLT stub, a C++ virtual call) will fault with SIGILL. An object built without -mbranch-protection was probably linked with -z force-bti.',
          evidence: [
            label,
            `declared: ${btiSource}`,
            `observed: bti ${counts(code.bti)} in ${code.instructions} instructions ${where}`,
            ...notes,
          ],
          fix: `cc -mbranch-protection=standard …   # rebuild every object (and assembly file) with BTI landing pads\n# or stop declaring it: relink without -z force-bti`,
          slice,
        }),
      );
    }
    // The PAC property marks code as built for return-address signing; leaf
    // functions never sign, so only non-leaf functions without any PAC
    // instruction show the declaration is hollow. That needs the engine's
    // per-function facts; mnemonic counts alone cannot tell.
    const nonLeaf = a.functions?.nonLeaf ?? 0;
    if (pacDeclared && code.pac.total === 0 && nonLeaf > 0) {
      out.push(
        finding('arm64-pac-declared-not-observed', {
          title: 'Declares pointer authentication, but the code signs nothing',
          detail: `${x.arch === 'arm64e' ? 'arm64e code is expected to sign return addresses and code pointers' : 'The GNU property note says the code was built for pointer authentication (return-address signing)'}, yet none of its ${nonLeaf} non-leaf function${nonLeaf === 1 ? '' : 's'} signs its return address: the engine found no PAC instruction (paciasp, pacibsp, autiasp, retaa, …). Return addresses are not protected, whatever the file declares.`,
          evidence: [
            label,
            `declared: ${pacSource}`,
            `observed: pac ${counts(code.pac)} in ${code.instructions} instructions ${where}, ${nonLeaf} non-leaf function${nonLeaf === 1 ? '' : 's'}`,
            ...notes,
          ],
          fix:
            x.arch === 'arm64e'
              ? `clang -arch arm64e -fptrauth-returns -fptrauth-calls …`
              : `cc -mbranch-protection=standard …   # or -mbranch-protection=pac-ret`,
          slice,
        }),
      );
    }
    if (c.elf && feat.bti === false && code.bti.total > 0) {
      out.push(
        finding('arm64-bti-observed-not-declared', {
          title: 'Has BTI landing pads, but BTI is not enforced',
          detail:
            "The code was compiled with BTI landing pads, but the file does not carry the GNU property that asks the kernel to enforce them. The linker writes that property only when every input object has it; one object without it (often the C library's crt files, or an assembly file) drops it for the whole file, so the landing pads protect nothing.",
          evidence: [
            label,
            `observed: bti ${counts(code.bti)} ${where}`,
            `declared: ${feat.sources['bti'] ?? 'no GNU_PROPERTY_AARCH64_FEATURE_1_BTI'}`,
            ...notes,
          ],
          fix: `# find the inputs without the property:\ncc -mbranch-protection=standard -Wl,-z,bti-report=warning … -o ${f}\n# then rebuild those objects with -mbranch-protection=standard`,
          slice,
        }),
      );
    }
    const unauth = a.functions?.unauthenticatedReturns ?? [];
    if (unauth.length) {
      out.push(
        finding('arm64-pac-unauthenticated-return', {
          title: `${unauth.length === 1 ? '1 function signs its' : `${unauth.length} functions sign their`} return address but return${unauth.length === 1 ? 's' : ''} without checking it`,
          detail:
            'These functions sign the link register on entry (paciasp/pacibsp) but at least one path returns with a plain ret, without authenticating it first. On that path an overwritten return address is used unchecked, which defeats the protection; hand-written assembly or an epilogue that skipped autiasp usually causes it.',
          evidence: [
            label,
            ...unauth.slice(0, 5).map((u) => `${u.name ?? 'function'} at ${u.address}`),
            ...(unauth.length > 5 ? [`… and ${unauth.length - 5} more`] : []),
          ],
          fix: `# check those functions' epilogues: every ret after paciasp must be preceded by autiasp (or be retaa/retab)`,
          slice,
        }),
      );
    }
  }
  return out;
}
