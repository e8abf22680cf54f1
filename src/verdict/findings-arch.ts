// Findings about CPUs and file kinds: what a target lacks, Rosetta-only and
// arm64e Mach-O files, objects that are not runnable.

import type { Finding } from '../report/types.ts';
import { ptrAuthVersion } from './arch.ts';
import { sliceLabel, type Ctx, type Slice } from './context.ts';
import { shellQuote } from './paths.ts';
import { finding } from './registry.ts';

function runnable(x: Slice): boolean {
  return x.kind === 'exec' || x.kind === 'library';
}

function isGo(c: Ctx): boolean {
  return c.slices.some((x) => x.s.go);
}

// eslint-disable-next-line max-lines-per-function -- one finding rule after another in docs/findings.md order, each a guarded push: a function per rule would only add names
export function archFindings(c: Ctx): Finding[] {
  const out: Finding[] = [];
  const f = shellQuote(c.name);
  const run = c.slices.filter(runnable);
  const has = (a: string) => c.slices.some((x) => x.arch === a);
  const lib = run[0]?.kind === 'library';

  if (c.macho && run.length > 0) {
    const arm = has('arm64') || has('arm64e');
    const x86 = has('x86_64');
    const all32 = c.slices.every((x) => x.s.bits === 32);
    if (all32) {
      out.push(
        finding('macho-32bit', {
          title: '32-bit only: no current macOS or iOS runs it',
          detail:
            'macOS stopped running 32-bit Intel code in 10.15 (Catalina) and iOS stopped running 32-bit ARM code in iOS 11. Every slice in this file is 32-bit, so it needs a 64-bit rebuild.',
          evidence: c.slices.map((x) => `${sliceLabel(c, x)}: ${x.s.bits}-bit`),
          fix: `clang -arch arm64 -arch x86_64 … -o ${f}    # rebuild for 64-bit`,
        }),
      );
    } else if (c.fat && !arm) {
      out.push(
        finding('macho-universal-no-arm64', {
          title: 'Universal binary without an arm64 slice',
          detail: `This universal file holds ${c.slices.map((x) => x.s.arch).join(', ')} but no arm64 code, so Apple Silicon Macs ${lib ? 'load it only into x86_64 processes under Rosetta 2' : 'run it only under Rosetta 2'}, and arm64 processes cannot load it at all.`,
          evidence: c.slices.map((x) => sliceLabel(c, x)),
          fix: isGo(c)
            ? `GOOS=darwin GOARCH=arm64 go build -o ${f}-arm64 .\nlipo -create -output ${f}-universal ${f} ${f}-arm64`
            : `clang -arch arm64 … -o ${f}-arm64\nlipo -create -output ${f}-universal ${f} ${f}-arm64   # add the arm64 slice`,
        }),
      );
    } else if (!c.fat && x86 && !arm && run.some((x) => x.arch === 'x86_64')) {
      out.push(
        finding('macho-x86_64-only', {
          title: 'x86_64 only: runs on Apple Silicon only under Rosetta 2',
          detail: `This Mach-O file has only x86_64 code. Apple Silicon Macs ${lib ? 'can load it only into x86_64 processes, which run under Rosetta 2; an arm64 process (the default) fails with "incompatible architecture"' : 'run it through Rosetta 2, which must be installed and is slower than native code'}. Apple has said Rosetta 2 stays fully available only through macOS 27.`,
          evidence: [`${sliceLabel(c, run[0]!)}`],
          fix: isGo(c)
            ? `GOOS=darwin GOARCH=arm64 go build -o ${f}-arm64 .\nlipo -create -output ${f}-universal ${f} ${f}-arm64`
            : `clang -arch arm64 … -o ${f}-arm64\nlipo -create -output ${f}-universal ${f} ${f}-arm64`,
        }),
      );
    }
    if (arm && !x86 && !all32) {
      out.push(
        finding('arch-missing', {
          title: 'No x86_64 code: Intel Macs cannot use it',
          detail: `This file has arm64 code only, so it ${lib ? 'loads only into arm64 processes; Intel Macs and x86_64 processes under Rosetta 2 fail with "incompatible architecture"' : 'fails on Intel Macs with "bad CPU type in executable"'}. That is fine if you support Apple Silicon only.`,
          evidence: c.slices.map((x) => sliceLabel(c, x)),
          fix: isGo(c)
            ? `GOOS=darwin GOARCH=amd64 go build -o ${f}-x86_64 .\nlipo -create -output ${f}-universal ${f} ${f}-x86_64`
            : `clang -arch x86_64 … -o ${f}-x86_64\nlipo -create -output ${f}-universal ${f} ${f}-x86_64`,
        }),
      );
    }
  }

  if (c.elf && run.length > 0) {
    const x = run[0]!;
    const missing = x.arch === 'arm64' ? ['x86_64'] : x.arch === 'x86_64' ? ['arm64'] : x.arch === 'i386' ? ['arm64'] : ['arm64', 'x86_64'];
    const goarch = (a: string) => (a === 'x86_64' ? 'amd64' : 'arm64');
    const triple = (a: string) => (a === 'x86_64' ? 'x86_64-linux-gnu' : 'aarch64-linux-gnu');
    out.push(
      finding('arch-missing', {
        title: `Built for ${x.s.arch} only: ${missing.join(' and ')} Linux needs another build`,
        detail: `An ELF file holds code for one CPU. ${missing.map((m) => `${m} Linux`).join(' and ')} ${lib ? 'processes cannot load' : 'machines cannot run'} this one${x.arch === 'i386' ? ' (x86_64 kernels run it through their 32-bit compatibility layer)' : ''}; ship a separate build for each CPU you support.`,
        evidence: [`${x.s.arch} ${x.s.bits}-bit ${x.s.fileTypeRaw}`],
        fix: isGo(c)
          ? missing.map((m) => `CGO_ENABLED=0 GOOS=linux GOARCH=${goarch(m)} go build -o ${f}-${goarch(m)} .`).join('\n')
          : missing.map((m) => `${triple(m)}-gcc … -o ${f}-${m}    # or: clang --target=${triple(m)} …`).join('\n'),
      }),
    );
  }

  for (const x of c.slices) {
    if (x.arch !== 'arm64e') continue;
    const v = ptrAuthVersion(x.s);
    const abi = v === null ? 'unversioned pointer-auth ABI' : `pointer-auth ABI version ${v}`;
    const what =
      x.kind === 'exec'
        ? 'macOS refuses to run a third-party arm64e executable built against the preview ABI (the kernel kills it unless the machine boots with -arm64e_preview_abi), and when a universal file also has an arm64 slice the kernel still prefers arm64e.'
        : x.kind === 'library'
          ? "Third-party processes are arm64, and dyld does not load arm64e code into them (\"incompatible architecture (have 'arm64e', need 'arm64')\")."
          : 'Objects built for arm64e link only into arm64e images; linking them into an arm64 program fails.';
    const arm64Too = c.slices.some((o) => o.arch === 'arm64');
    out.push(
      finding('macho-arm64e', {
        title: 'arm64e slice: not a stable ABI for third-party code',
        detail: `arm64e (pointer authentication in the ABI) is what Apple builds its own OS with; for third-party binaries on macOS it is a preview ABI that may change between releases. ${what}`,
        evidence: [`${sliceLabel(c, x)}: CPU_SUBTYPE_ARM64E, ${abi}`],
        fix:
          c.fat && arm64Too
            ? `lipo -remove arm64e -output ${f} ${f}\ncodesign --sign - --force ${f}`
            : `clang -arch arm64 …    # build for arm64; for PAC without the arm64e ABI use -mbranch-protection=pac-ret`,
        slice: x.s.index,
      }),
    );
  }

  const obj = c.slices.find((x) => x.kind === 'object');
  if (obj) {
    out.push(
      finding('object-not-runnable', {
        title: 'Object file: not runnable until linked',
        detail: `This is a relocatable object (${obj.s.fileTypeRaw}), the output of compiling one source file. It cannot be run or loaded; link it into an executable or a shared library, or collect it into a static library.`,
        evidence: [sliceLabel(c, obj)],
        fix: c.macho
          ? `clang ${f} -o program\n# or a dylib: clang -dynamiclib ${f} -o libname.dylib`
          : `cc ${f} -o program\n# or a shared library: cc -shared ${f} -o libname.so\n# or a static library: ar rcs libname.a ${f}`,
        slice: obj.s.index,
      }),
    );
  }
  return out;
}
