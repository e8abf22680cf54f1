// Every target column: a real file that runs (or loads) there and one that
// does not, with the verdict, the slice, and the words a person would see.

import { describe, expect, it } from 'vitest';
import type { Target } from '../src/report/targets.ts';
import type { Compatibility, Report } from '../src/report/types.ts';
import { computeVerdicts, type VerdictOptions } from '../src/verdict/index.ts';
import { TARGETS } from '../src/report/targets.ts';
import { available, clone, parseOf, reportOf, sourceName, verdictsOf, type Source } from './verdict-support.ts';

const V = (f: string): Source => ({ fixture: `verdict/bin/${f}` });
const M = (f: string): Source => ({ fixture: `macho/bin/${f}` });
const C = (f: string): Source => ({ corpus: f });

interface Row {
  file: Source | { synthetic: () => Report; why: string };
  verdict: Compatibility['verdict'];
  slice?: number | null;
  /** Substrings of the error a person would see (null: no error expected). */
  error?: string[] | null;
  reason?: string[];
  evidence?: string[];
  options?: VerdictOptions;
}

function patched(base: Source, why: string, change: (r: Report) => void): Row['file'] {
  return {
    why,
    synthetic: () => {
      const r = clone(reportOf(base));
      change(r);
      return r;
    },
  };
}

const ROWS: Record<Target, Row[]> = {
  'macos-arm64': [
    { file: V('lld-arm64-macos-nouuid'), verdict: 'native', slice: 0, error: null, reason: ['arm64 slice'] },
    {
      file: M('lld-universal-macos-exe'),
      verdict: 'native',
      slice: 1,
      reason: ['libgreet.dylib'],
      error: ['Library not loaded: @rpath/libgreet.dylib'],
    },
    { file: M('lld-arm64-macos-bundle'), verdict: 'native', slice: 0, reason: ['Loads natively into arm64 processes'] },
    {
      file: V('lld-arm64-macos-addon.node'),
      verdict: 'native',
      evidence: ["x86_64 process (under Rosetta 2) fails: mach-o file, but is an incompatible architecture (have 'arm64', need 'x86_64')"],
    },
    {
      file: V('lld-arm64-macos-homebrew'),
      verdict: 'native',
      reason: ['/opt/homebrew/opt/zlib/lib/libz.1.dylib is installed'],
      error: ['Library not loaded: /opt/homebrew/opt/zlib/lib/libz.1.dylib', '(no such file)'],
    },
    { file: M('lld-x86_64-macos-exe'), verdict: 'rosetta', slice: 0, reason: ['Rosetta 2'] },
    { file: V('lld-x86_64-universal-no-arm64'), verdict: 'rosetta', reason: ['Rosetta 2'] },
    { file: V('lld-x86_64-macos-addon.node'), verdict: 'rosetta', reason: ['x86_64 processes running under Rosetta 2'] },
    { file: V('lld-arm64-macos-unsigned'), verdict: 'no', slice: 0, error: ['Killed: 9'], evidence: ['no LC_CODE_SIGNATURE'] },
    { file: V('lld-arm64-macos-missing-zlib'), verdict: 'no', error: ["symbol not found in flat namespace '_zlibVersion'"] },
    {
      file: V('lld-arm64-macos-rpath-missing'),
      verdict: 'no',
      error: ['Library not loaded: @rpath/libwidget.1.dylib', "Reason: no LC_RPATH's found"],
    },
    {
      file: V('lld-arm64-macos-buildpaths'),
      verdict: 'no',
      error: ['Library not loaded: /Users/builder/src/widget/build/libwidget.1.dylib'],
    },
    {
      file: V('lld-x86_64-macos-homebrew'),
      verdict: 'no',
      reason: ['an Apple Silicon Homebrew path whose libraries are arm64 code, which an x86_64 process under Rosetta 2 cannot load'],
      error: ["(mach-o file, but is an incompatible architecture (have 'arm64', need 'x86_64'))"],
    },
    {
      file: M('lld-arm64-macos-exe-chained'),
      verdict: 'no',
      options: { minVersions: { macos: '12.0' } },
      error: ['(built for macOS 13.0 which is newer than running OS)'],
    },
    { file: M('lld-arm64-macos-exe-chained'), verdict: 'native', options: { minVersions: { macos: '13.0' } } },
    { file: V('lld-arm64-ios-exe'), verdict: 'no', error: ["incompatible platform (have 'iOS', need 'macOS')"] },
    { file: M('clang-arm64-macos-obj.o'), verdict: 'no', reason: ['object file'] },
    { file: V('gcc-arm64-linux-hardened'), verdict: 'no', error: ['zsh: exec format error: ./gcc-arm64-linux-hardened'] },
    {
      file: V('gcc-arm64-linux-plugin.so'),
      verdict: 'no',
      error: ["dlopen(gcc-arm64-linux-plugin.so, 0x0001): tried: 'gcc-arm64-linux-plugin.so' (not a mach-o file)"],
    },
    {
      file: patched(
        V('lld-arm64-macos-nouuid'),
        'ld64.lld-19 cannot write arm64e images, so the arm64 fixture is relabelled CPU_SUBTYPE_ARM64E (unversioned ABI)',
        (r) => {
          r.slices[0]!.cpu.subtype = 2;
          r.slices[0]!.arch = 'arm64e';
        },
      ),
      verdict: 'no',
      error: ['Killed: 9'],
      reason: ['preview pointer-authentication ABI'],
    },
    { file: C('built-sigm-macos-x86_64'), verdict: 'no', error: ["need 'x86_64'"] },
    { file: C('npm-tailwindcss-oxide-4.3.3-darwin-arm64.node'), verdict: 'native' },
  ],
  'macos-x86_64': [
    { file: M('lld-x86_64-macos-exe'), verdict: 'native', slice: 0 },
    { file: V('lld-x86_64-universal-no-arm64'), verdict: 'native', slice: 1, reason: ['x86_64h slice'], error: null },
    { file: M('lld-universal-macos-exe'), verdict: 'native', slice: 0 },
    { file: V('lld-x86_64-macos-addon.node'), verdict: 'native', reason: ['Loads natively into x86_64 processes'] },
    { file: V('lld-arm64-macos-nouuid'), verdict: 'no', slice: null, error: ['zsh: bad CPU type in executable: ./lld-arm64-macos-nouuid'] },
    {
      file: V('lld-arm64-macos-addon.node'),
      verdict: 'no',
      error: ["(mach-o file, but is an incompatible architecture (have 'arm64', need 'x86_64h' or 'x86_64'))"],
    },
    // An Intel Mac has no /opt/homebrew: the same condition as the arm64 build on Apple Silicon, and dyld's "no such file".
    {
      file: V('lld-x86_64-macos-homebrew'),
      verdict: 'native',
      reason: [
        'provided /opt/homebrew/opt/zlib/lib/libz.1.dylib is installed, which Homebrew does not do on Intel Macs (it uses /usr/local)',
      ],
      error: ["tried: '/opt/homebrew/opt/zlib/lib/libz.1.dylib' (no such file)"],
    },
    { file: V('musl-x86_64-linux-dynamic'), verdict: 'no', error: ['exec format error'] },
    { file: C('built-hello-darwin-universal'), verdict: 'native', slice: 0 },
  ],
  'ios-arm64': [
    {
      file: patched(
        V('lld-arm64-ios-exe'),
        'an Apple-issued signature cannot be made here, so the linker signature is replaced by a CMS-signed one',
        (r) => {
          r.slices[0]!.codeSignature = {
            adhoc: false,
            linkerSigned: false,
            identifier: 'com.example.app',
            teamId: 'ABCDE12345',
            cdHash: null,
            hashType: 'sha256',
            flags: [],
            entitlements: null,
            entitlementsDer: null,
            requirements: 1,
            hasCmsSignature: true,
          };
        },
      ),
      verdict: 'native',
      slice: 0,
      error: null,
    },
    { file: V('lld-arm64-ios-exe'), verdict: 'no', error: ['Killed: 9'], reason: ['Apple-issued certificate'] },
    { file: V('lld-arm64-macos-nouuid'), verdict: 'no', error: ["incompatible platform (have 'macOS', need 'iOS')"] },
    { file: M('lld-x86_64-macos-exe'), verdict: 'no', reason: ['no arm64 code'] },
    { file: V('gcc-arm64-linux-hardened'), verdict: 'no', reason: ['ELF'] },
  ],
  'linux-arm64-glibc': [
    { file: V('gcc-arm64-linux-hardened'), verdict: 'native', slice: 0, error: null, reason: ['glibc'] },
    { file: V('gcc-arm64-linux-execstack-rwx'), verdict: 'native', reason: ['statically linked'] },
    { file: V('go-arm64-linux-cgo-static'), verdict: 'native' },
    {
      file: V('gcc-arm64-linux-plugin.so'),
      verdict: 'native',
      reason: ['libwidget.so'],
      error: ['libwidget.so: cannot open shared object file: No such file or directory'],
    },
    {
      file: V('gcc-arm64-linux-missing-zlib'),
      verdict: 'no',
      error: ['symbol lookup error: ./gcc-arm64-linux-missing-zlib: undefined symbol: zlibVersion'],
    },
    { file: V('gcc-arm64-linux-nix-interp'), verdict: 'no', error: ['bash: ./gcc-arm64-linux-nix-interp: No such file or directory'] },
    {
      file: V('gcc-arm64-linux-buildpaths'),
      verdict: 'no',
      error: ['error while loading shared libraries: /tmp/binlens-verdict/build/lib/libwidget.so'],
    },
    {
      file: V('gcc-x86_64-linux-dynamic'),
      verdict: 'no',
      error: ['bash: ./gcc-x86_64-linux-dynamic: cannot execute binary file: Exec format error'],
    },
    { file: V('clang-arm64-freebsd-static'), verdict: 'no', reason: ['freebsd'] },
    { file: V('lld-arm64-macos-nouuid'), verdict: 'no', error: ['cannot execute binary file: Exec format error'] },
    { file: V('lld-arm64-macos-addon.node'), verdict: 'no', error: ['invalid ELF header'] },
    { file: C('built-c-aarch64-musl-dynamic'), verdict: 'no', error: ['No such file or directory'], reason: ['/lib/ld-musl-aarch64.so.1'] },
    { file: C('debian-coreutils-ls-arm64'), verdict: 'native', reason: ['libselinux.so.1'] },
  ],
  'linux-arm64-musl': [
    { file: V('gcc-arm64-linux-execstack-rwx'), verdict: 'native', slice: 0, error: null },
    { file: V('go-arm64-linux-cgo-static'), verdict: 'native' },
    {
      file: V('gcc-arm64-linux-hardened'),
      verdict: 'no',
      error: ['exec /gcc-arm64-linux-hardened: no such file or directory'],
      reason: ['apk add gcompat'],
    },
    { file: V('go-arm64-linux-pie-nocgo'), verdict: 'no', error: ['no such file or directory'] },
    { file: V('gcc-arm64-linux-plugin.so'), verdict: 'unknown', reason: ['musl'] },
    { file: V('musl-x86_64-linux-dynamic'), verdict: 'no', error: ['exec /musl-x86_64-linux-dynamic: exec format error'] },
    { file: C('built-c-aarch64-musl-dynamic'), verdict: 'native' },
    {
      file: C('debian-libssl.so.3-arm64'),
      verdict: 'no',
      error: ['Error loading shared library ld-linux-aarch64.so.1: No such file or directory'],
    },
  ],
  'linux-x86_64-glibc': [
    { file: V('gcc-x86_64-linux-dynamic'), verdict: 'native', slice: 0, error: null },
    { file: V('clang-i386-linux-static'), verdict: 'native', reason: ['IA32 emulation'] },
    {
      file: V('musl-x86_64-linux-dynamic'),
      verdict: 'no',
      error: ['bash: ./musl-x86_64-linux-dynamic: No such file or directory'],
      reason: ['/lib/ld-musl-x86_64.so.1'],
    },
    { file: V('gcc-arm64-linux-hardened'), verdict: 'no', error: ['cannot execute binary file: Exec format error'] },
    {
      file: V('gcc-arm64-linux-plugin.so'),
      verdict: 'no',
      error: ['gcc-arm64-linux-plugin.so: cannot open shared object file: No such file or directory'],
    },
    { file: M('lld-x86_64-macos-exe'), verdict: 'no', error: ['Exec format error'] },
    { file: C('debian-coreutils-ls-x86_64'), verdict: 'native' },
  ],
  'linux-x86_64-musl': [
    { file: V('musl-x86_64-linux-dynamic'), verdict: 'native', slice: 0, error: null },
    { file: V('clang-i386-linux-static'), verdict: 'native' },
    { file: V('gcc-x86_64-linux-dynamic'), verdict: 'no', error: ['exec /gcc-x86_64-linux-dynamic: no such file or directory'] },
    { file: V('gcc-arm64-linux-execstack-rwx'), verdict: 'no', error: ['exec format error'] },
    { file: C('debian-coreutils-ls-x86_64'), verdict: 'no', reason: ['gcompat'] },
  ],
};

function label(f: Row['file']): string {
  return 'synthetic' in f ? `synthetic (${f.why})` : sourceName(f);
}

describe('matrix table', () => {
  it('has, for every target, a real file that runs there and a real file that does not', () => {
    for (const t of TARGETS) {
      const rows = ROWS[t];
      const real = rows.filter((r) => !('synthetic' in r.file) && !('corpus' in r.file));
      expect(
        real.some((r) => r.verdict === 'no'),
        `${t}: no real "no"`,
      ).toBe(true);
      // iOS needs an Apple-issued signature, which no tool here can make (see the synthetic row).
      if (t !== 'ios-arm64')
        expect(
          real.some((r) => r.verdict === 'native' || r.verdict === 'rosetta'),
          `${t}: no real "native"`,
        ).toBe(true);
    }
  });

  it('always answers every target, in order, with a sentence and evidence', () => {
    const v = verdictsOf(V('gcc-arm64-linux-hardened'));
    expect(v.compatibility.map((c) => c.target)).toEqual([...TARGETS]);
    for (const c of v.compatibility) {
      expect(c.reason).toMatch(/\.$/);
      expect(c.evidence.length).toBeGreaterThan(0);
    }
  });
});

for (const t of TARGETS) {
  describe(t, () => {
    for (const row of ROWS[t]) {
      const skip = !('synthetic' in row.file) && !available(row.file);
      const opts = row.options ? ` with ${JSON.stringify(row.options)}` : '';
      it.skipIf(skip)(`${row.verdict} for ${label(row.file)}${opts}`, () => {
        const report = 'synthetic' in row.file ? row.file.synthetic() : reportOf(row.file);
        const cell = verdictsOf(report, row.options).compatibility.find((c) => c.target === t)!;
        expect(cell.verdict, `${cell.reason}`).toBe(row.verdict);
        if (row.slice !== undefined) expect(cell.slice ?? null).toBe(row.slice);
        if (row.error === null) expect(cell.error).toBeNull();
        for (const e of row.error ?? []) expect(cell.error ?? '').toContain(e);
        for (const r of row.reason ?? []) expect(cell.reason).toContain(r);
        for (const e of row.evidence ?? []) expect(cell.evidence.join('\n')).toContain(e);
      });
    }
  });
}

describe('robustness', () => {
  it('answers "unknown" for a file that is not a binary', () => {
    const r: Report = {
      schema: 1,
      file: { name: 'notes.txt', size: 5, sha256: '' },
      format: 'unknown',
      errors: [],
      warnings: [],
      slices: [],
      notBinary: { kind: 'text', reason: 'text' },
    };
    const v = computeVerdicts(r, { slices: [], missing: [] });
    expect(v.compatibility.every((c) => c.verdict === 'unknown')).toBe(true);
    expect(v.findings).toEqual([]);
  });

  it('does not change the report it is given', () => {
    const r = reportOf(V('lld-x86_64-universal-no-arm64'));
    const before = JSON.stringify(r);
    computeVerdicts(r, parseOf(r), { minVersions: { macos: '11.0' } });
    expect(JSON.stringify(r)).toBe(before);
  });
});
