// Every finding id fires on at least one file and stays quiet on another.
// Real files first (fixtures/verdict, fixtures/macho, the corpus); a report
// changed by hand only where no toolchain here can produce the file, and
// each such case says why (docs/findings.md says the same).

import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.ts';
import { analyze } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { FINDING_IDS, FINDINGS, type FindingId, type VerdictOptions } from '../src/verdict/index.ts';
import { fixtureBytes } from './corpus.ts';
import { available, clone, judged, reportOf, sourceName, TODAY, verdictsOf, type Source } from './verdict-support.ts';
import { buildVerifiedReport } from '../src/report/signatures.ts';

type Input = Source | { synthetic: () => Report | Promise<Report>; why: string };

interface Case {
  fires: Input[];
  quiet: Input[];
  options?: VerdictOptions;
  /** Text the finding on the first `fires` file must contain (title, detail, evidence or fix), to show it is about the right thing. */
  mentions?: string[];
}

const V = (f: string): Source => ({ fixture: `verdict/bin/${f}` });
const M = (f: string): Source => ({ fixture: `macho/bin/${f}` });
const C = (f: string): Source => ({ corpus: f });
const P = (f: string): Source => ({ fixture: `pacbti/bin/${f}` });

function patched(base: Source, why: string, change: (r: Report) => void): Input {
  return {
    why,
    synthetic: () => {
      const r = clone(reportOf(base));
      change(r);
      return r;
    },
  };
}

/** A real file cut short (by default to half its size): a damaged download. */
function truncated(base: Source, length?: number): Input {
  return {
    why: `a real fixture truncated to ${length === undefined ? 'half its size' : `${length} bytes`}`,
    synthetic: () => {
      if (!('fixture' in base)) throw new Error('fixture expected');
      const b = fixtureBytes(base.fixture);
      return judged(analyze(new MemorySource(b.subarray(0, length ?? b.length >> 1)), 'truncated', { skipHash: true }));
    },
  };
}

/** A real signed file through the signature stage, with one byte flipped at each offset given (none: as built). */
function signatureChecked(base: Source, flip: number[]): Input {
  return {
    why: flip.length
      ? `a real signed fixture with the byte at ${flip.map((o) => '0x' + o.toString(16)).join(', ')} flipped`
      : 'a real signed fixture, its signature checked',
    synthetic: async () => {
      if (!('fixture' in base)) throw new Error('fixture expected');
      const b = fixtureBytes(base.fixture).slice();
      for (const o of flip) b[o]! ^= 0xff;
      const a = await buildVerifiedReport(new MemorySource(b), 'tampered', { skipHash: true, today: TODAY });
      const { compatibility: _c, findings: _f, ...before } = a.report;
      return judged(a, before as Report);
    },
  };
}

/** A real file with bytes overwritten at `at`: a damaged header the parser reports. */
function damaged(base: Source, at: number, bytes: number[], what: string): Input {
  return {
    why: `a real fixture with ${what}`,
    synthetic: () => {
      if (!('fixture' in base)) throw new Error('fixture expected');
      const b = fixtureBytes(base.fixture).slice();
      b.set(bytes, at);
      return judged(analyze(new MemorySource(b), 'damaged', { skipHash: true }));
    },
  };
}

const CASES: Record<FindingId, Case> = {
  'arch-missing': {
    fires: [M('lld-arm64-macos-exe'), V('gcc-arm64-linux-buildpaths'), C('esbuild-0.28.2-linux-ia32')],
    quiet: [M('lld-universal-macos-exe'), M('clang-arm64-macos-obj.o')],
    mentions: ['x86_64'],
  },
  'macho-universal-no-arm64': {
    fires: [V('lld-x86_64-universal-no-arm64')],
    quiet: [M('lld-universal-macos-exe'), M('lld-x86_64-macos-exe')],
    mentions: ['lipo -create'],
  },
  'macho-x86_64-only': {
    fires: [M('lld-x86_64-macos-exe'), V('lld-x86_64-macos-addon.node'), C('built-sigm-macos-x86_64')],
    quiet: [V('lld-x86_64-universal-no-arm64'), M('lld-arm64-macos-exe')],
    mentions: ['Rosetta 2'],
  },
  'macho-arm64e': {
    fires: [M('clang-arm64e-macos-obj.o'), C('built-pa-arm64e.o')],
    quiet: [M('clang-arm64-macos-obj.o')],
    mentions: ['CPU_SUBTYPE_ARM64E'],
  },
  'macho-32bit': {
    fires: [
      patched(
        M('lld-x86_64-macos-exe'),
        'ld64.lld cannot write i386 Mach-O, so the x86_64 fixture is relabelled CPU_TYPE_X86, 32-bit',
        (r) => {
          const s = r.slices[0]!;
          s.cpu = { type: 7, subtype: 3, name: 'CPU_TYPE_X86' };
          s.arch = 'i386';
          s.bits = 32;
        },
      ),
    ],
    quiet: [M('lld-x86_64-macos-exe'), M('lld-universal-macos-exe')],
    mentions: ['10.15'],
  },
  'object-not-runnable': {
    fires: [M('clang-arm64-macos-obj.o'), M('clang-arm64e-macos-obj.o')],
    quiet: [M('lld-arm64-macos-exe'), V('gcc-arm64-linux-plugin.so')],
    mentions: ['link'],
  },
  'elf-interp-glibc': {
    fires: [V('gcc-arm64-linux-buildpaths'), C('debian-coreutils-ls-x86_64')],
    quiet: [V('musl-x86_64-linux-dynamic'), V('gcc-arm64-linux-execstack-rwx')],
    mentions: ['/lib/ld-linux-aarch64.so.1', 'apk add gcompat'],
  },
  'elf-interp-musl': {
    fires: [V('musl-x86_64-linux-dynamic'), C('built-c-aarch64-musl-dynamic')],
    quiet: [V('gcc-arm64-linux-buildpaths')],
    mentions: ['/lib/ld-musl-x86_64.so.1'],
  },
  'elf-static': {
    fires: [V('gcc-arm64-linux-execstack-rwx'), V('go-arm64-linux-cgo-static'), C('built-c-aarch64-musl-static')],
    quiet: [V('gcc-arm64-linux-buildpaths'), V('go-arm64-linux-pie-nocgo')],
    mentions: ['scratch'],
  },
  'elf-interp-nonstandard': {
    fires: [V('gcc-arm64-linux-nix-interp')],
    quiet: [V('gcc-arm64-linux-buildpaths'), V('musl-x86_64-linux-dynamic')],
    mentions: ['/nix/store/', 'patchelf --set-interpreter /lib/ld-linux-aarch64.so.1'],
  },
  'elf-dynamic-container': {
    fires: [V('gcc-arm64-linux-buildpaths'), V('go-arm64-linux-pie-nocgo'), C('debian-restic-0.14.0-arm64')],
    quiet: [V('gcc-arm64-linux-execstack-rwx'), V('gcc-arm64-linux-plugin.so')],
    mentions: ['no such file or directory'],
  },
  'elf-needed-unusual': {
    fires: [V('gcc-arm64-linux-plugin.so'), V('gcc-arm64-linux-buildpaths')],
    quiet: [V('musl-x86_64-linux-dynamic'), C('debian-coreutils-ls-arm64')],
    mentions: ['patchelf'],
  },
  'elf-glibc-version': {
    fires: [V('gcc-arm64-linux-buildpaths'), C('debian-libssl.so.3-arm64')],
    quiet: [V('musl-x86_64-linux-dynamic'), V('gcc-arm64-linux-execstack-rwx')],
    mentions: ['GLIBC_2.'],
  },
  'elf-32bit-on-64bit': {
    fires: [V('clang-i386-linux-static'), C('esbuild-0.28.2-linux-ia32')],
    quiet: [V('gcc-arm64-linux-execstack-rwx')],
    mentions: ['IA32 emulation'],
  },
  'elf-not-linux': { fires: [V('clang-arm64-freebsd-static')], quiet: [V('gcc-arm64-linux-execstack-rwx')], mentions: ['freebsd'] },
  'rpath-build-path': {
    fires: [V('gcc-arm64-linux-buildpaths'), V('lld-arm64-macos-buildpaths')],
    quiet: [M('lld-arm64-macos-exe'), C('debian-coreutils-ls-arm64')],
    mentions: ['/home/builder/src/widget/build/lib'],
  },
  'library-build-path': {
    fires: [V('gcc-arm64-linux-buildpaths'), V('lld-arm64-macos-buildpaths')],
    quiet: [V('lld-arm64-macos-rpath-missing'), V('gcc-arm64-linux-plugin.so')],
    mentions: ['libwidget'],
  },
  'macho-rpath-missing': {
    fires: [V('lld-arm64-macos-rpath-missing')],
    quiet: [M('lld-arm64-macos-exe'), M('lld-arm64-macos-dylib')],
    mentions: ["no LC_RPATH's found", 'install_name_tool -add_rpath'],
  },
  'macho-homebrew-dylib': {
    fires: [V('lld-arm64-macos-homebrew'), C('built-sigm-macos-arm64')],
    quiet: [M('lld-arm64-macos-exe')],
    mentions: ['/usr/lib/libz.1.dylib', 'brew install zlib'],
  },
  'macho-install-name-build-path': {
    fires: [V('lld-arm64-macos-buildpath.dylib'), C('npm-tailwindcss-oxide-4.3.3-darwin-arm64.node')],
    quiet: [M('lld-arm64-macos-dylib')],
    mentions: ['install_name_tool -id'],
  },
  'macho-unsigned-arm64': {
    fires: [V('lld-arm64-macos-unsigned')],
    quiet: [M('lld-arm64-macos-exe'), M('lld-x86_64-macos-exe')],
    mentions: ['Killed: 9', 'codesign --sign - --force'],
  },
  'macho-adhoc-signed': {
    fires: [
      patched(
        M('lld-arm64-macos-exe'),
        'no tool here signs ad-hoc without also marking the signature linker-signed (codesign is macOS-only), so the CS_LINKER_SIGNED flag is cleared',
        (r) => {
          const sig = r.slices[0]!.codeSignature!;
          sig.linkerSigned = false;
          sig.flags = sig.flags.filter((f) => f !== 'linker-signed');
        },
      ),
    ],
    quiet: [M('lld-arm64-macos-exe'), V('lld-arm64-macos-unsigned')],
    mentions: ['Developer ID'],
  },
  'macho-signature-invalid': {
    fires: [signatureChecked(M('lld-arm64-macos-exe'), [0x700]), signatureChecked(M('lld-x86_64-macos-exe'), [0x1000])],
    quiet: [signatureChecked(M('lld-arm64-macos-exe'), []), signatureChecked(M('lld-universal-macos-exe'), [])],
    mentions: ['Killed: 9', 'codesign --force --sign -', 'page 0 (0x0–0x1000) of __TEXT'],
  },
  'macho-linker-signed': {
    fires: [M('lld-arm64-macos-exe'), C('esbuild-0.28.2-darwin-arm64')],
    quiet: [V('lld-arm64-macos-unsigned')],
    mentions: ['CS_LINKER_SIGNED'],
  },
  'ios-signature-required': { fires: [V('lld-arm64-ios-exe')], quiet: [M('lld-arm64-macos-exe')], mentions: ['provisioning profile'] },
  'min-os-too-new': {
    fires: [M('lld-arm64-macos-exe-chained'), V('lld-arm64-ios-exe')],
    quiet: [M('lld-arm64-macos-exe'), M('lld-x86_64-macos-exe')],
    options: { minVersions: { macos: '12.0', ios: '14.0' } },
    mentions: ['newer than running OS'],
  },
  'macho-no-uuid': {
    fires: [V('lld-arm64-macos-nouuid'), C('built-hello-darwin-arm64')],
    quiet: [M('lld-arm64-macos-exe')],
    mentions: ['LC_UUID'],
  },
  'imports-by-library': {
    fires: [M('lld-arm64-macos-exe'), V('gcc-arm64-linux-buildpaths')],
    quiet: [V('gcc-arm64-linux-execstack-rwx'), M('clang-arm64-macos-obj.o')],
    mentions: ['/usr/lib/libSystem.B.dylib'],
  },
  'import-provider-missing': {
    fires: [
      V('gcc-arm64-linux-plugin.so'),
      V('lld-arm64-macos-addon.node'),
      V('gcc-arm64-linux-missing-zlib'),
      V('lld-arm64-macos-missing-zlib'),
    ],
    quiet: [M('lld-arm64-macos-bundle'), V('lld-arm64-macos-homebrew')],
    mentions: ['deflateInit2_', 'zlib'],
  },
  'symbol-decoration-mismatch': {
    fires: [V('gcc-arm64-linux-plugin.so'), V('lld-arm64-macos-addon.node')],
    quiet: [M('lld-arm64-macos-exe'), V('gcc-arm64-linux-buildpaths')],
  },
  stripped: {
    fires: [V('go-arm64-linux-pie-nocgo'), C('debian-coreutils-ls-arm64')],
    quiet: [V('gcc-arm64-linux-buildpaths'), C('built-hello-linux-arm64')],
  },
  'elf-no-build-id': {
    fires: [V('gcc-arm64-linux-execstack-rwx'), C('built-hello-linux-arm64')],
    quiet: [V('gcc-arm64-linux-buildpaths'), M('lld-arm64-macos-exe')],
    mentions: ['NT_GNU_BUILD_ID'],
  },
  'exec-stack': {
    fires: [
      V('gcc-arm64-linux-execstack-rwx'),
      patched(
        M('lld-arm64-macos-exe'),
        'ld64.lld-19 does not implement -allow_stack_execute, so MH_ALLOW_STACK_EXECUTION is added to the header flags',
        (r) => {
          r.slices[0]!.flags.push('MH_ALLOW_STACK_EXECUTION');
        },
      ),
    ],
    quiet: [V('gcc-arm64-linux-buildpaths'), V('clang-i386-linux-static'), C('esbuild-0.28.2-linux-ia32')],
    mentions: ['noexecstack'],
  },
  'wx-segment': {
    fires: [V('gcc-arm64-linux-execstack-rwx')],
    quiet: [V('gcc-arm64-linux-buildpaths'), M('lld-arm64-macos-exe')],
    mentions: ['rwx'],
  },
  'elf-no-relro': {
    fires: [V('gcc-arm64-linux-buildpaths'), C('debian-coreutils-ls-arm64')],
    quiet: [V('gcc-arm64-linux-hardened'), V('go-arm64-linux-pie-nocgo')],
    mentions: ['-z,now'],
  },
  'elf-no-canary': {
    fires: [V('gcc-arm64-linux-buildpaths')],
    quiet: [V('gcc-arm64-linux-hardened'), V('go-arm64-linux-pie-nocgo')],
    mentions: ['-fstack-protector-strong'],
  },
  'elf-no-fortify': {
    fires: [V('gcc-arm64-linux-buildpaths')],
    quiet: [V('gcc-arm64-linux-hardened'), V('musl-x86_64-linux-dynamic')],
    mentions: ['_FORTIFY_SOURCE'],
  },
  'elf-no-pie': {
    fires: [V('gcc-arm64-linux-execstack-rwx'), C('debian-busybox-static-arm64')],
    quiet: [V('gcc-arm64-linux-hardened'), V('gcc-arm64-linux-plugin.so'), C('built-hello-linux-arm64')],
    mentions: ['ET_EXEC'],
  },
  'arm64-bti-declared-not-observed': {
    fires: [V('gcc-arm64-linux-declares-bti-pac')],
    quiet: [C('built-bare-aarch64-bti-note'), V('gcc-arm64-linux-bti-undeclared')],
    mentions: ['GNU_PROPERTY_AARCH64_FEATURE_1_AND'],
  },
  'arm64-pac-declared-not-observed': {
    fires: [
      // arm64e built by a clang that does not sign returns for that target unless asked (-fptrauth-returns).
      P('clang-arm64e-macos-noptrauth.o'),
      patched(
        V('gcc-arm64-linux-declares-bti-pac'),
        "the mnemonic counts are llvm-objdump's; the per-function facts (one non-leaf function) stand in for the ARM64 engine's summary, which the report does not carry yet",
        (r) => {
          const a = r.slices[0]!.arm64!;
          a.functions = { total: 1, signing: 0, nonLeaf: 1, btiEntry: 0, unauthenticatedReturns: [], sources: ['symtab'] };
        },
      ),
    ],
    quiet: [
      V('gcc-arm64-linux-declares-bti-pac'),
      C('built-bare-aarch64-bti-note'),
      V('gcc-arm64-linux-bti-undeclared'),
      P('clang-arm64e-macos-pam.o'),
    ],
    mentions: ['non-leaf'],
  },
  'arm64-bti-observed-not-declared': {
    fires: [V('gcc-arm64-linux-bti-undeclared'), C('built-c-aarch64-pacbti')],
    quiet: [C('built-bare-aarch64-bti-note'), C('built-c-aarch64-plain'), V('gcc-arm64-linux-hardened')],
    mentions: ['bti'],
  },
  'arm64-pac-unauthenticated-return': {
    fires: [
      patched(
        V('gcc-arm64-linux-pac-noauth'),
        "leaky's plain ret is in the real fixture; the per-function facts stand in for the ARM64 engine's summary, which the report does not carry yet",
        (r) => {
          r.slices[0]!.arm64!.functions = {
            total: 3,
            signing: 2,
            nonLeaf: 3,
            btiEntry: 0,
            unauthenticatedReturns: [{ address: '0x4000e8', name: 'leaky' }],
            sources: ['symtab'],
          };
        },
      ),
    ],
    quiet: [
      patched(V('gcc-arm64-linux-pac-noauth'), 'the same facts with every signed return authenticated', (r) => {
        r.slices[0]!.arm64!.functions = { total: 3, signing: 2, nonLeaf: 3, btiEntry: 0, unauthenticatedReturns: [], sources: ['symtab'] };
      }),
      V('gcc-arm64-linux-bti-undeclared'),
    ],
    mentions: ['leaky'],
  },
  'go-cgo-dynamic': {
    fires: [V('go-arm64-linux-cgo-dynamic'), C('debian-restic-0.14.0-arm64')],
    quiet: [V('go-arm64-linux-cgo-static'), V('go-arm64-linux-pie-nocgo')],
    mentions: ['CGO_ENABLED=0'],
  },
  'go-nocgo-dynamic': {
    fires: [V('go-arm64-linux-pie-nocgo')],
    quiet: [V('go-arm64-linux-cgo-static'), C('built-hello-linux-arm64')],
    mentions: ['-buildmode=exe'],
  },
  'go-cgo-static': { fires: [V('go-arm64-linux-cgo-static')], quiet: [V('go-arm64-linux-pie-nocgo')], mentions: ['netgo,osusergo'] },
  'go-no-trimpath': {
    fires: [V('go-arm64-linux-no-buildinfo'), C('built-hello-linux-arm64'), C('built-hello-darwin-arm64')],
    quiet: [V('go-arm64-linux-pie-nocgo'), C('built-hello-linux-arm64-stripped')],
    mentions: ['-trimpath', '/tmp/binlens-verdict/src/hello'],
  },
  'go-old-version': {
    fires: [V('go-arm64-linux-pie-nocgo'), C('debian-restic-0.14.0-arm64')],
    quiet: [V('gcc-arm64-linux-buildpaths')],
    mentions: ['go1.19'],
  },
  'go-no-buildinfo': {
    fires: [V('go-arm64-linux-no-buildinfo'), C('esbuild-0.28.2-linux-arm64'), C('esbuild-0.28.2-darwin-arm64')],
    quiet: [V('go-arm64-linux-pie-nocgo'), C('built-hello-linux-arm64')],
    mentions: ['govulncheck'],
  },
  'file-truncated': {
    fires: [
      truncated(V('gcc-arm64-linux-buildpaths')),
      truncated(M('lld-arm64-macos-exe'), 4096),
      truncated(V('gcc-arm64-linux-plugin.so'), 64),
      truncated(M('lld-universal-macos-exe')),
    ],
    quiet: [V('gcc-arm64-linux-buildpaths'), M('lld-universal-macos-exe')],
    mentions: ['interrupted download', 'sha256sum', 'needs 0x'],
  },
  // e_shstrndx (offset 62 of an Elf64_Ehdr) set to 0x7000, which names no section.
  'report-incomplete': {
    fires: [
      damaged(V('gcc-arm64-linux-buildpaths'), 62, [0x00, 0x70], 'e_shstrndx set past the section table'),
      { fixture: 'malformed/bin/macho-dysymtab-nundefsym' },
      { fixture: 'malformed/bin/elf-dt-rela-unmapped' },
    ],
    quiet: [V('gcc-arm64-linux-buildpaths'), truncated(V('gcc-arm64-linux-buildpaths'))],
    mentions: ['e_shstrndx'],
  },
};

function label(i: Input): string {
  return 'synthetic' in i ? `synthetic (${i.why})` : sourceName(i);
}

function reportFor(i: Input): Report | Promise<Report> {
  return 'synthetic' in i ? i.synthetic() : reportOf(i);
}

function usable(i: Input): boolean {
  if ('synthetic' in i) return true;
  return available(i);
}

function onCorpus(i: Input): boolean {
  return !('synthetic' in i) && 'corpus' in i;
}

describe('finding table', () => {
  it('has a case for every finding id, each with a file that fires and one that stays quiet', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FINDING_IDS].sort());
    for (const [id, c] of Object.entries(CASES)) {
      expect(c.fires.length, id).toBeGreaterThan(0);
      expect(c.quiet.length, id).toBeGreaterThan(0);
      // Without the corpus every id must still be tested on something.
      expect(
        c.fires.some((i) => !onCorpus(i)),
        `${id} fires only on corpus files`,
      ).toBe(true);
      expect(
        c.quiet.some((i) => !onCorpus(i)),
        `${id} is quiet only on corpus files`,
      ).toBe(true);
    }
  });
});

for (const id of FINDING_IDS) {
  const c = CASES[id];
  describe(id, () => {
    c.fires.forEach((input, n) => {
      const skip = !usable(input);
      it.skipIf(skip)(`fires on ${label(input)}`, async () => {
        const v = verdictsOf(await reportFor(input), c.options);
        const hits = v.findings.filter((f) => f.id === id);
        expect(hits.length, `${id} on ${label(input)}: got ${v.findings.map((f) => f.id).join(', ')}`).toBeGreaterThan(0);
        for (const f of hits) {
          expect(f.severity).toBe(FINDINGS[id]);
          expect(f.title.length).toBeGreaterThan(0);
          expect(f.detail.length).toBeGreaterThan(20);
          expect(f.evidence.length).toBeGreaterThan(0);
        }
        const text = hits.map((f) => [f.title, f.detail, ...f.evidence, f.fix ?? ''].join('\n')).join('\n');
        if (n === 0) for (const m of c.mentions ?? []) expect(text, `${id} should mention ${m}`).toContain(m);
      });
    });
    for (const input of c.quiet) {
      it.skipIf(!usable(input))(`stays quiet on ${label(input)}`, async () => {
        const v = verdictsOf(await reportFor(input), c.options);
        expect(v.findings.map((f) => f.id)).not.toContain(id);
      });
    }
  });
}
