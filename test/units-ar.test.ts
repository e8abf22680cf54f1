// Static libraries and Debian packages (ar archives): objects assembled here
// with llvm-mc-19 and archived with llvm-ar-19 (GNU, BSD and thin formats),
// and the hello .deb that `npm run testdata` pins.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failureLines } from '../src/cli/commands/check.ts';
import { unitFromPath } from '../src/cli/unitSource.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { memberBytes } from '../src/units/extract.ts';
import { unitFromSource } from '../src/units/unit.ts';
import { tar } from './tar-writer.ts';

const have = spawnSync('sh', ['-c', 'command -v llvm-mc-19 && command -v llvm-ar-19']).status === 0;
if (!have)
  console.warn('static-library units skipped: llvm-mc-19 and llvm-ar-19 are not installed (scripts/setup-system.sh installs llvm-19)');
const tmp = mkdtempSync(join(tmpdir(), 'binlens-ar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function obj(name: string, triple: string): string {
  const src = join(tmp, `${name}.s`);
  writeFileSync(src, `.globl _${name.replace(/\W/g, '_')}\n_${name.replace(/\W/g, '_')}:\n  ret\n`);
  const out = join(tmp, `${name}.o`);
  execFileSync('llvm-mc-19', ['-triple', triple, '-filetype=obj', src, '-o', out]);
  return out;
}

function archive(name: string, format: string, objs: string[], thin = false): string {
  const out = join(tmp, name);
  execFileSync('llvm-ar-19', [thin ? 'rcT' : 'rc', `--format=${format}`, out, ...objs], { cwd: tmp });
  return out;
}

describe.skipIf(!have)('static libraries', () => {
  it('a universal-looking .a with one x86_64 object: the cgo link error predicted for macOS-arm64, the member named', async () => {
    const lib = archive('libmixed.a', 'darwin', [
      obj('greet_arm64_member_with_long_name', 'arm64-apple-macos11'),
      obj('greet_x86', 'x86_64-apple-macos11'),
    ]);
    const u = await unitFromPath(lib, { targets: ['macos-arm64'] });
    expect(u.container).toBe('ar');
    expect(u.members.map((m) => m.path).sort()).toEqual(['/greet_arm64_member_with_long_name.o', '/greet_x86.o']);
    expect(failureLines(lib, u)).toEqual([
      `${lib}: /greet_x86.o: macos-arm64: ld: warning: ignoring file libmixed.a(greet_x86.o), building for macOS-arm64 but attempting to link with file built for macOS-x86_64`,
    ]);
    // Without targets asked for, each target some member is built for is checked: both fail on the other member.
    const own = await unitFromPath(lib);
    expect(own.targets.map((t) => [t.target, t.verdict])).toEqual([
      ['macos-arm64', 'no'],
      ['macos-x86_64', 'no'],
    ]);
  });

  it('GNU archives (long-name table) of ELF objects: file in wrong format on the other architecture', async () => {
    const lib = archive('libelf.a', 'gnu', [obj('a_very_long_object_file_name_one', 'aarch64-linux-gnu'), obj('b', 'aarch64-linux-gnu')]);
    const ok = await unitFromPath(lib);
    expect(ok.members.map((m) => m.path).sort()).toEqual(['/a_very_long_object_file_name_one.o', '/b.o']);
    expect(ok.targets.map((t) => [t.target, t.verdict])).toEqual([
      ['linux-arm64-glibc', 'runs'],
      ['linux-arm64-musl', 'runs'],
    ]);
    const x = await unitFromPath(lib, { targets: ['linux-x86_64-glibc'] });
    expect(failureLines('L', x)[0]).toBe(
      'L: /a_very_long_object_file_name_one.o: linux-x86_64-glibc: /usr/bin/ld: libelf.a: error adding symbols: file in wrong format',
    );
  });

  it('a thin archive lists its members without their bytes', async () => {
    const lib = archive('libthin.a', 'gnu', [obj('t', 'aarch64-linux-gnu')], true);
    const u = await unitFromPath(lib);
    expect(u.container).toBe('ar (thin)');
    expect(u.members[0]!.path).toMatch(/\/t\.o$/);
    expect(u.members[0]!.kind).toBe('member of a thin archive');
  });

  it('a damaged member header is a clear error', async () => {
    const lib = archive('libbad.a', 'gnu', [obj('z', 'aarch64-linux-gnu')]);
    const b = readFileSync(lib);
    b[8 + 58] = 0x41;
    writeFileSync(lib, b);
    expect((await unitFromPath(lib)).errors[0]).toMatch(/bad ar member header at offset 8/);
  });
});

const DEB = resolve(import.meta.dirname, '..', '.cache', 'testdata', 'debs', 'hello_2.10-3_arm64.deb');
describe.skipIf(!existsSync(DEB))('Debian packages (npm run testdata)', () => {
  it('hello_2.10-3_arm64.deb: data.tar.xz opened (xz through xz-decompress), /usr/bin/hello checked on its target', async () => {
    const u = await unitFromPath(DEB);
    expect(u.container).toBe('ar');
    const hello = u.members.find((m) => m.path === '/data.tar.xz!/usr/bin/hello')!;
    expect(hello).toMatchObject({ format: 'elf', arch: ['arm64'], interpreter: '/lib/ld-linux-aarch64.so.1', glibcFloor: '2.34' });
    expect(u.targets).toMatchObject([{ target: 'linux-arm64-glibc', verdict: 'runs', checked: ['/data.tar.xz!/usr/bin/hello'] }]);
  });
});

// Universal static libraries (fixtures/units/build.sh: llvm-lipo-19 -create of two thin BSD archives), read without
// any tool: each slice an ar archive, its objects listed under the slice's architecture.
describe('universal (lipo) static libraries', () => {
  const FIX = resolve(import.meta.dirname, '..', 'fixtures', 'units', 'lib');

  it('arm64 + x86_64: each slice read as an archive, each Mac links the slice of its architecture', async () => {
    const lib = join(FIX, 'libgreet-universal.a');
    const u = await unitFromPath(lib);
    expect(u.container).toBe('ar (universal)');
    expect(u.members.map((m) => [m.path, m.arch.join(), m.fileType])).toEqual([
      ['/arm64!/greet.o', 'arm64', 'object'],
      ['/arm64!/hello.o', 'arm64', 'object'],
      ['/x86_64!/greet.o', 'x86_64', 'object'],
      ['/x86_64!/hello.o', 'x86_64', 'object'],
      ['/arm64', 'arm64', null],
      ['/x86_64', 'x86_64', null],
    ]);
    expect(u.targets.map((t) => [t.target, t.verdict, t.checked])).toEqual([
      ['macos-arm64', 'runs', ['libgreet-universal.a']],
      ['macos-x86_64', 'runs', ['libgreet-universal.a']],
    ]);
    // Asked for Linux: GNU ld does not read a universal file.
    const linux = await unitFromPath(lib, { targets: ['linux-arm64-glibc'] });
    expect(failureLines('L', linux)).toEqual([
      'L: libgreet-universal.a: linux-arm64-glibc: /usr/bin/ld: libgreet-universal.a: file not recognized: file format not recognized',
    ]);
    // A member opens again by its locator (the page's "open this member").
    const bytes = await memberBytes(new MemorySource(new Uint8Array(readFileSync(lib))), u.members[2]!.locator);
    expect((await unitFromSource(new MemorySource(bytes!), 'greet.o')).members[0]!.arch).toEqual(['x86_64']);
  });

  it('x86_64 + i386 linked for Apple Silicon: ld64\'s "missing required architecture", the library named', async () => {
    const lib = join(FIX, 'libgreet-intel.a');
    expect((await unitFromPath(lib)).targets.map((t) => [t.target, t.verdict])).toEqual([['macos-x86_64', 'runs']]);
    const u = await unitFromPath(lib, { targets: ['macos-arm64'] });
    expect(u.targets[0]!.failures).toEqual([
      {
        entry: 'libgreet-intel.a',
        member: 'libgreet-intel.a',
        step: 'link',
        error: 'ld: warning: ignoring file libgreet-intel.a, missing required architecture arm64 in file libgreet-intel.a (2 slices)',
        reason:
          'libgreet-intel.a has i386, x86_64 slices and no arm64 one, so the linker for macOS-arm64 skips it and its symbols are undefined: build the arm64 library and lipo -create it in.',
      },
    ]);
  });

  it('hostile fat headers: two slices of one architecture are a clear error; a slice past the end is not a library', async () => {
    const thin = readFileSync(join(FIX, 'libgreet-mixed.a'));
    const fat = (entries: [number, number, number][], body: Uint8Array) => {
      const b = Buffer.alloc(0x1000 + body.length);
      b.writeUInt32BE(0xcafebabe, 0);
      b.writeUInt32BE(entries.length, 4);
      entries.forEach(([cpu, offset, size], i) => {
        b.writeUInt32BE(cpu, 8 + i * 20);
        b.writeUInt32BE(offset, 8 + i * 20 + 8);
        b.writeUInt32BE(size, 8 + i * 20 + 12);
        b.writeUInt32BE(12, 8 + i * 20 + 16);
      });
      b.set(body, 0x1000);
      return new Uint8Array(b);
    };
    const ARM64 = 0x0100000c;
    const twice = fat(
      [
        [ARM64, 0x1000, thin.length],
        [ARM64, 0x1000, thin.length],
      ],
      thin,
    );
    expect((await unitFromSource(new MemorySource(twice), 'libtwice.a')).errors).toEqual(['two arm64 slices in one universal file']);
    // A slice that runs past the end: not a universal library; read as the damaged universal binary it claims to be.
    const past = fat([[ARM64, 0x1000, thin.length + 64]], thin);
    const u = await unitFromSource(new MemorySource(past), 'libpast.a');
    expect(u.container).toBe('macho-fat');
    expect(u.errors).toEqual([]);
  });

  it('a universal library inside a release tarball, and the thin mixed one beside it: the cgo error for the mixed one only', async () => {
    const t = tar([
      { name: 'lib/libgreet.a', data: readFileSync(join(FIX, 'libgreet-universal.a')) },
      { name: 'lib/libmixed.a', data: readFileSync(join(FIX, 'libgreet-mixed.a')) },
    ]);
    const u = await unitFromSource(new MemorySource(t), 'release.tar', { targets: ['macos-arm64'] });
    expect(u.targets[0]!.checked).toEqual(['/lib/libgreet.a', '/lib/libmixed.a']);
    expect(failureLines('R', u)).toEqual([
      'R: /lib/libmixed.a!/hello.o: macos-arm64: ld: warning: ignoring file libmixed.a(hello.o), building for macOS-arm64 but attempting to link with file built for macOS-x86_64',
    ]);
    expect(u.members.find((m) => m.path === '/lib/libgreet.a!/arm64!/greet.o')!.locator).toEqual(['/lib/libgreet.a', '/arm64', '/greet.o']);
  });
});
