// The small tables and rules the verdicts rest on: versions, paths, C
// library detection, symbol providers and decorations, arm64e ABI bits.

import { describe, expect, it } from 'vitest';
import type { SliceReport } from '../src/report/types.ts';
import { ptrAuthVersion } from '../src/verdict/arch.ts';
import { glibcOnlySymbol, interpreterLibc, isStandardInterpreter, muslProvidesItself } from '../src/verdict/libc.ts';
import { buildMachinePath, homebrewPrefix, isCwdRelative, isMacCwdRelative, shellQuote } from '../src/verdict/paths.ts';
import { decorationHints, providerOf } from '../src/verdict/symbols.ts';
import { compareVersions, displayVersion, goReleaseMonth, goVersion, highestGlibc } from '../src/verdict/versions.ts';
import { clone, reportOf, verdictsOf } from './verdict-support.ts';

describe('versions', () => {
  it('compares dotted versions with missing parts as zero', () => {
    expect(compareVersions('14.0', '14')).toBe(0);
    expect(compareVersions('13.0.0', '12.6')! > 0).toBe(true);
    expect(compareVersions('10.9', '10.13')! < 0).toBe(true);
    expect(compareVersions('x', '1')).toBeNull();
    expect(displayVersion('12.0.0')).toBe('12.0');
    expect(displayVersion('13.2.1')).toBe('13.2.1');
  });

  it('treats a macOS target below 11 as 11 for arm64 code, which no older macOS runs', () => {
    const chosen = { minVersions: { macos: '10.15' } };
    const arm = verdictsOf({ fixture: 'macho/bin/lld-universal-macos-exe' }, chosen); // arm64 slice: minos 12.0
    expect(arm.findings.filter((f) => f.id === 'min-os-too-new').map((f) => f.title)).toEqual([
      'Needs macOS 12.0, newer than your target macOS 11.0',
    ]);
    const hello = verdictsOf({ fixture: 'verdict/bin/lld-arm64-macos-nouuid' }, { minVersions: { macos: '10.13' } }); // arm64, minos 12.0
    expect(hello.compatibility[0]!.reason).toContain('newer than the macOS 11.0 you target');
  });

  it('finds the highest glibc symbol version and ignores GLIBC_PRIVATE', () => {
    expect(highestGlibc(['GLIBC_2.17', 'GLIBC_2.34', 'GLIBC_2.4', 'GLIBC_PRIVATE', 'OPENSSL_3.0.0'])).toBe('2.34');
    expect(highestGlibc(['GLIBC_ABI_DT_RELR'])).toBeNull();
  });

  it('dates Go releases on the project cadence', () => {
    expect(goReleaseMonth(19)).toEqual({ year: 2022, month: 8 });
    expect(goReleaseMonth(21)).toEqual({ year: 2023, month: 8 });
    expect(goReleaseMonth(24)).toEqual({ year: 2025, month: 2 });
    expect(goReleaseMonth(10)).toEqual({ year: 2018, month: 2 });
    expect(goVersion('go1.21.3')).toEqual({ major: 1, minor: 21, patch: 3 });
    expect(goVersion('devel +abc')).toBeNull();
  });

  it('calls a Go release out of support once the release two later is out', () => {
    const base = reportOf({ fixture: 'verdict/bin/go-arm64-linux-pie-nocgo' });
    const at = (version: string, today: string) => {
      const r = clone(base);
      r.slices[0]!.go!.version = version;
      return verdictsOf(r, { today }).findings.some((f) => f.id === 'go-old-version');
    };
    expect(at('go1.25.3', '2026-11-25')).toBe(true); // Go 1.27 came out in August 2026
    expect(at('go1.25.3', '2026-07-31')).toBe(false);
    expect(at('go1.26.1', '2026-11-25')).toBe(false);
    expect(at('go1.19.8', '2022-12-01')).toBe(false);
  });
});

describe('paths', () => {
  it('recognizes build-machine directories', () => {
    expect(buildMachinePath('/Users/runner/work/x/target/release/deps/libx.dylib')).toBe('a home directory');
    expect(buildMachinePath('/home/builder/src/lib')).toBe('a home directory');
    expect(buildMachinePath('/tmp/build/lib')).toBe('a temporary directory');
    expect(buildMachinePath('/private/var/folders/xy/T/lib')).toBe('a temporary directory');
    expect(buildMachinePath('/builds/group/project/lib')).toBe('a build directory');
    expect(buildMachinePath('/usr/lib/x86_64-linux-gnu')).toBeNull();
    expect(buildMachinePath('/usr/local/lib')).toBeNull();
    expect(buildMachinePath('/opt/homebrew/lib')).toBeNull();
  });

  it('knows Homebrew and MacPorts prefixes and the CPU of their libraries', () => {
    expect(homebrewPrefix('/opt/homebrew/opt/zlib/lib/libz.1.dylib')?.arch).toBe('arm64');
    expect(homebrewPrefix('/usr/local/opt/openssl@3/lib/libssl.3.dylib')?.arch).toBe('x86_64');
    expect(homebrewPrefix('/usr/local/Cellar/x/1.0/lib/libx.dylib')?.arch).toBe('x86_64');
    expect(homebrewPrefix('/opt/local/lib/libz.1.dylib')?.manager).toBe('MacPorts');
    expect(homebrewPrefix('/usr/local/lib/libz.dylib')).toBeNull();
  });

  it('tells search paths relative to the binary from ones relative to the working directory', () => {
    expect(isCwdRelative('$ORIGIN/../lib')).toBe(false);
    expect(isCwdRelative('${ORIGIN}/lib')).toBe(false);
    expect(isCwdRelative('/usr/lib')).toBe(false);
    expect(isCwdRelative('lib')).toBe(true);
    expect(isCwdRelative('../lib')).toBe(true);
    expect(isMacCwdRelative('@loader_path/../Frameworks')).toBe(false);
    expect(isMacCwdRelative('lib')).toBe(true);
  });

  it('quotes file names for the shell only when needed', () => {
    expect(shellQuote('libfoo.so.1')).toBe('libfoo.so.1');
    expect(shellQuote('my app')).toBe("'my app'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(rm -rf ~)')).toBe("'$(rm -rf ~)'");
  });
});

describe('C libraries', () => {
  it('names the C library from the interpreter', () => {
    expect(interpreterLibc('/lib/ld-linux-aarch64.so.1')).toBe('glibc');
    expect(interpreterLibc('/lib64/ld-linux-x86-64.so.2')).toBe('glibc');
    expect(interpreterLibc('/lib/ld-musl-x86_64.so.1')).toBe('musl');
    expect(interpreterLibc('/system/bin/linker64')).toBe('bionic');
    expect(interpreterLibc('/nix/store/abc-glibc-2.38/lib/ld-linux-aarch64.so.1')).toBe('glibc');
    expect(isStandardInterpreter('/nix/store/abc-glibc-2.38/lib/ld-linux-aarch64.so.1', 'arm64')).toBe(false);
    expect(isStandardInterpreter('/lib/ld-linux-aarch64.so.1', 'arm64')).toBe(true);
    expect(isStandardInterpreter('/lib/ld-linux-aarch64.so.1', 'x86_64')).toBe(false);
  });

  it("follows musl's reserved names and knows glibc-only symbols", () => {
    expect(muslProvidesItself('libc.so.6')).toBe(true);
    expect(muslProvidesItself('libpthread.so.0')).toBe(true);
    expect(muslProvidesItself('libm.so.6')).toBe(true);
    expect(muslProvidesItself('libcrypto.so.3')).toBe(false);
    expect(muslProvidesItself('ld-linux-aarch64.so.1')).toBe(false);
    expect(glibcOnlySymbol('__memcpy_chk')).toBe(true);
    expect(glibcOnlySymbol('__stack_chk_fail')).toBe(false);
    expect(glibcOnlySymbol('gnu_get_libc_version')).toBe(true);
    expect(glibcOnlySymbol('memcpy')).toBe(false);
  });
});

describe('symbols', () => {
  it('names well-known providers, with and without the Mach-O underscore', () => {
    expect(providerOf('deflateInit2_', false)?.name).toBe('zlib');
    expect(providerOf('_deflateInit2_', true)?.name).toBe('zlib');
    expect(providerOf('SSL_CTX_new', false)?.name).toBe('OpenSSL libssl');
    expect(providerOf('EVP_DigestInit_ex', false)?.name).toBe('OpenSSL libcrypto');
    expect(providerOf('curl_easy_init', false)?.name).toBe('libcurl');
    expect(providerOf('_napi_create_int32', true)?.kind).toBe('host');
    expect(providerOf('pthread_create', false)?.kind).toBe('libc');
    expect(providerOf('my_own_function', false)).toBeNull();
  });

  it('spots decorations of another architecture or format', () => {
    const arm = { machO: true, arch: 'arm64', bits: 64 as const };
    expect(decorationHints(['_stat$INODE64'], arm)).toHaveLength(1);
    expect(decorationHints(['_stat$INODE64'], { ...arm, arch: 'x86_64' })).toHaveLength(0);
    expect(decorationHints(['_fopen$UNIX2003'], arm)).toHaveLength(1);
    expect(decorationHints(['_Sleep@4'], arm)).toHaveLength(1);
    expect(decorationHints(['_ZN3foo3barEv'], arm)).toHaveLength(1);
    expect(decorationHints(['__ZN3foo3barEv'], arm)).toHaveLength(0);
    const elf = { machO: false, arch: 'arm64', bits: 64 as const };
    expect(decorationHints(['__ZN3foo3barEv'], elf)).toHaveLength(1);
    expect(decorationHints(['_ZN3foo3barEv', 'memcpy', '__libc_start_main'], elf)).toHaveLength(0);
    expect(decorationHints(['_$s4main3fooyyF'], elf)).toHaveLength(1);
  });
});

describe('arm64e', () => {
  const slice = (subtype: number, ptrAuthAbi?: SliceReport['ptrAuthAbi']) =>
    ({ cpu: { type: 0x0100000c, subtype, name: '' }, ptrAuthAbi }) as unknown as SliceReport;
  it('reads the pointer-auth ABI version from the capability bits', () => {
    expect(ptrAuthVersion(slice(2))).toBeNull();
    expect(ptrAuthVersion(slice((0x80000000 | 2) >>> 0))).toBe(0);
    expect(ptrAuthVersion(slice((0x81000000 | 2) >>> 0))).toBe(1);
    expect(ptrAuthVersion(slice(2, { version: 3, kernel: false }))).toBe(3);
  });
});
