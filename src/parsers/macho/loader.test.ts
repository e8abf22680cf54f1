// Load commands on synthetic images: byte orders and widths no toolchain here
// writes, every command family the report uses, and malformed walks.

import { describe, expect, it } from 'vitest';
import { Reader } from '../reader.ts';
import { commandFields } from './describe.ts';
import { parseMachO, type MachOSlice } from './index.ts';
import { archOf } from './machine.ts';
import { Bytes, dylib, image, lc, linkedit, segment32, segment64, strCmd } from '../../../test/macho-writer.ts';

const ARM64 = 0x100000c;
const X86_64 = 0x1000007;

function parse(bytes: Uint8Array): { file: ReturnType<typeof parseMachO>; s: MachOSlice | undefined } {
  const file = parseMachO(Reader.of(bytes));
  return { file, s: file.slices[0] as MachOSlice | undefined };
}

const text64 = (le = true): Uint8Array => segment64('__TEXT', 0x100000000n, 0x4000, 0, 0x1000, 5, [], { le });

describe('byte orders and widths', () => {
  it('big-endian 32-bit ppc executable with LC_UNIXTHREAD (PPC_THREAD_STATE srr0)', () => {
    const le = false;
    const state = new Bytes(le).u32(0x1f00);
    for (let i = 1; i < 40; i++) state.u32(i);
    const bytes = image({
      cputype: 18,
      cpusubtype: 10,
      is64: false,
      le,
      flags: 0x85,
      commands: [
        segment32('__TEXT', 0x1000, 0x1000, 0, 0x1000, 5, { le }),
        lc(0x5, new Bytes(le).u32(1).u32(40).bytes(state.out), { le, align: 4 }),
        strCmd(0xe, new Bytes(le), '/usr/lib/dyld', { le, align: 4 }),
        lc(0x1b, new Bytes(le).bytes([...Array(16).keys()]), { le, align: 4 }),
      ],
      size: 0x1000,
    });
    const { file, s } = parse(bytes);
    expect(file.errors).toEqual([]);
    const r = s!.report;
    expect({
      arch: r.arch,
      bits: r.bits,
      endian: r.endian,
      cpu: r.cpu,
      entry: r.entry,
      interpreter: r.interpreter,
      linkage: r.linkage,
      uuid: r.uuid,
    }).toEqual({
      arch: 'ppc7400',
      bits: 32,
      endian: 'big',
      cpu: { type: 18, subtype: 10, name: 'CPU_TYPE_POWERPC' },
      entry: '0x1f00',
      interpreter: '/usr/lib/dyld',
      linkage: 'dynamic',
      uuid: '00010203-0405-0607-0809-0A0B0C0D0E0F',
    });
    expect(r.loadCommands!.map((c) => [c.cmd, c.summary])).toEqual([
      ['LC_SEGMENT', '__TEXT 0x1000 +0x1000 r-x, file 0x0 +0x1000, 0 sections'],
      ['LC_UNIXTHREAD', 'PPC_THREAD_STATE pc 0x1f00'],
      ['LC_LOAD_DYLINKER', '/usr/lib/dyld'],
      ['LC_UUID', '00010203-0405-0607-0809-0A0B0C0D0E0F'],
    ]);
    expect(r.features.pac).toBeNull();
  });

  it('thread states: x86_THREAD_STATE64 rip, x86_THREAD_STATE32 eip, ARM_THREAD_STATE64 pc, ARM_THREAD_STATE pc', () => {
    const thread = (cputype: number, is64: boolean, flavor: number, count: number, pcAt: number, pc: bigint): string | null => {
      const st = new Bytes();
      for (let i = 0; i < count; i++) st.u32(0);
      const b = st.out;
      const dv = new DataView(b.buffer);
      if (pcAt >= 0) {
        if (pc > 0xffffffffn) dv.setBigUint64(pcAt, pc, true);
        else dv.setUint32(pcAt, Number(pc), true);
      }
      const bytes = image({ cputype, is64, commands: [lc(0x5, new Bytes().u32(flavor).u32(count).bytes(b), { align: is64 ? 8 : 4 })] });
      const { file, s } = parse(bytes);
      expect(file.errors).toEqual([]);
      return s!.report.entry;
    };
    expect(thread(X86_64, true, 4, 42, 16 * 8, 0x1000012345n)).toBe('0x1000012345');
    expect(thread(7, false, 1, 16, 10 * 4, 0x1f40n)).toBe('0x1f40');
    expect(thread(ARM64, true, 6, 68, 32 * 8, 0x100004000n)).toBe('0x100004000');
    expect(thread(12, false, 1, 17, 15 * 4, 0x8000n)).toBe('0x8000');
    expect(thread(ARM64, true, 99, 2, -1, 0n)).toBeNull();
  });

  it('architecture names shared with ELF', () => {
    expect(archOf(X86_64, 8).arch).toBe('x86_64h');
    expect(archOf(7, 3).arch).toBe('i386');
    expect(archOf(12, 12).arch).toBe('armv7k');
    expect(archOf(12, 11).arch).toBe('armv7s');
    expect(archOf(12, 9).arch).toBe('armv7');
    expect(archOf(12, 6).arch).toBe('armv6');
    expect(archOf(0x200000c, 1).arch).toBe('arm64_32');
    expect(archOf(0x1000012, 0).arch).toBe('ppc64');
    expect(archOf(99, 0).arch).toBe('cpu-99');
    expect(archOf(ARM64, 0x80000003 >>> 0)).toEqual({ arch: 'arm64', subtype: 3 });
    // arm64e: bit 31 versioned ABI, bit 30 kernel ABI, bits 24..27 the version.
    expect(archOf(ARM64, 0x82000002 >>> 0)).toEqual({ arch: 'arm64e', subtype: 2, ptrAuthAbi: { version: 2, kernel: false } });
    expect(archOf(ARM64, 0xc1000002 >>> 0)).toEqual({ arch: 'arm64e', subtype: 2, ptrAuthAbi: { version: 1, kernel: true } });
    expect(archOf(ARM64, 2)).toEqual({ arch: 'arm64e', subtype: 2, ptrAuthAbi: null });
  });

  it('arm64e slice report carries ptrAuthAbi', () => {
    const { s } = parse(image({ cputype: ARM64, cpusubtype: 0x81000002 >>> 0, commands: [text64()], size: 0x1000 }));
    expect(s!.report.ptrAuthAbi).toEqual({ version: 1, kernel: false });
    expect(s!.report.cpu.subtype).toBe(2);
    expect(s!.report.features.pac).toBe(true);
  });
});

describe('command families', () => {
  it('version, build, notes, linker options, fileset, encryption, dylib kinds, strings', () => {
    const cmds = [
      text64(),
      lc(0x32, new Bytes().u32(7).u32(0x110200).u32(0x120000).u32(2).u32(3).u32(0x4050c00).u32(4).u32(0x130107)), // ios-simulator 17.2, tools ld, lld
      lc(0x25, new Bytes().u32(0x0e0000).u32(0)), // LC_VERSION_MIN_IPHONEOS 14.0, sdk n/a
      lc(0x2a, new Bytes().u64((1n << 40n) | (2n << 30n) | (3n << 20n) | (4n << 10n) | 5n)),
      lc(0x2c, new Bytes().u32(0x4000).u32(0x8000).u32(1).u32(0)), // LC_ENCRYPTION_INFO_64
      lc(0x31, new Bytes().fixed('binlens', 16).u64(0x3000).u64(0x40)),
      lc(0x2d, new Bytes().u32(2).cstr('-lz').cstr('-framework')),
      lc(0x80000035, new Bytes().u64(0xfffffe0007004000n).u64(0x8000).u32(32).u32(0).cstr('com.apple.kernel')),
      dylib(0x20, '/usr/lib/liblazy.dylib', 0x10203, 0x10000),
      dylib(0x80000023, '/usr/lib/libup.dylib'),
      dylib(0x8000001f, '/usr/lib/libre.dylib'),
      strCmd(0x12, new Bytes(), 'Umbrella'),
      strCmd(0x27, new Bytes(), 'DYLD_VERSIONED_FRAMEWORK_PATH=/x'),
      strCmd(0x39, new Bytes(), 'arm64-apple-ios17.2-simulator'),
      lc(0x1a, new Bytes().u64(0x100001000n).u64(0).u64(0).u64(0).u64(0).u64(0).u64(0).u64(0)),
      linkedit(0x2b, 0x2000, 0),
      lc(0x7fff, new Bytes().u32(0xdeadbeef)),
    ];
    const { file, s } = parse(image({ cputype: ARM64, commands: cmds, size: 0x2000 }));
    expect(file.errors).toEqual([]);
    const r = s!.report;
    expect({ platform: r.platform, minOS: r.minOS, sdk: r.sdk }).toEqual({ platform: 'ios-simulator', minOS: '17.2', sdk: '18.0' });
    expect(r.encryption).toEqual({ cryptid: 1, offset: '0x4000', size: 0x8000 });
    expect(r.notes).toEqual([{ owner: 'binlens', type: 'LC_NOTE', description: '64 bytes at 0x3000' }]);
    expect(r.libraryDetails.map((l) => r.loadCommands![l.command!]!.cmd)).toEqual([
      'LC_LAZY_LOAD_DYLIB',
      'LC_LOAD_UPWARD_DYLIB',
      'LC_REEXPORT_DYLIB',
    ]);
    expect(r.libraryDetails.map(({ command: _, ...l }) => l)).toEqual([
      { name: '/usr/lib/liblazy.dylib', kind: 'lazy', currentVersion: '1.2.3', compatibilityVersion: '1.0.0' },
      { name: '/usr/lib/libup.dylib', kind: 'upward', currentVersion: '1.0.0', compatibilityVersion: '1.0.0' },
      { name: '/usr/lib/libre.dylib', kind: 'reexport', currentVersion: '1.0.0', compatibilityVersion: '1.0.0' },
    ]);
    const sum = Object.fromEntries(r.loadCommands!.map((c) => [c.cmd, c.summary]));
    expect(sum).toMatchObject({
      LC_BUILD_VERSION: 'ios-simulator 17.2.0, SDK 18.0.0, ld 1029.12.0, lld 19.1.7',
      LC_VERSION_MIN_IPHONEOS: '14.0.0, SDK n/a',
      LC_SOURCE_VERSION: '1.2.3.4.5',
      LC_ENCRYPTION_INFO_64: 'cryptid 1 (encrypted), 32768 bytes at 0x4000',
      LC_NOTE: 'binlens: 64 bytes at 0x3000',
      LC_LINKER_OPTION: '-lz -framework',
      LC_FILESET_ENTRY: 'com.apple.kernel at 0xfffffe0007004000 (file offset 0x8000)',
      LC_SUB_FRAMEWORK: 'Umbrella',
      LC_DYLD_ENVIRONMENT: 'DYLD_VERSIONED_FRAMEWORK_PATH=/x',
      LC_TARGET_TRIPLE: 'arm64-apple-ios17.2-simulator',
      LC_ROUTINES_64: 'init_address 0x100001000',
      LC_DYLIB_CODE_SIGN_DRS: '0 bytes at 0x2000',
      LC_0x7fff: 'unknown load command 0x7fff, 16 bytes kept raw',
    });
    const fields = commandFields(s!.macho.image.commands.find((c) => c.name === 'LC_BUILD_VERSION')!);
    expect(fields).toEqual({ platform: 'ios-simulator', minos: '17.2.0', sdk: '18.0.0', ntools: 2, tools: ['ld 1029.12.0', 'lld 19.1.7'] });
    expect(s!.macho.image.linkerOptions).toEqual([['-lz', '-framework']]);
    expect(s!.macho.image.targetTriple).toBe('arm64-apple-ios17.2-simulator');
  });

  it('platforms by number', () => {
    const platformOf = (p: number): string | null =>
      parse(image({ cputype: ARM64, commands: [lc(0x32, new Bytes().u32(p).u32(0x10000).u32(0).u32(0))] })).s!.report.platform;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 77].map(platformOf)).toEqual([
      'macos',
      'ios',
      'tvos',
      'watchos',
      'bridgeos',
      'maccatalyst',
      'ios-simulator',
      'tvos-simulator',
      'watchos-simulator',
      'driverkit',
      'visionos',
      'visionos-simulator',
      'platform-77',
    ]);
  });
});

describe('malformed load commands: recorded, never thrown', () => {
  const uuid = lc(0x1b, new Bytes().zeros(16));

  it('cmdsize 0 stops the walk, keeping what came before', () => {
    const bad = new Bytes().u32(0x1b).u32(0).out;
    const { file, s } = parse(image({ cputype: ARM64, commands: [uuid, bad, uuid], sizeofcmds: 24 + 8 + 24 }));
    expect(s!.report.loadCommands!.map((c) => c.cmd)).toEqual(['LC_UUID']);
    expect(file.errors.map((e) => [e.field, e.offset])).toEqual([['LC_UUID.cmdsize', '0x3c']]);
    expect(file.errors[0]!.message).toBe('load command 1 (LC_UUID) has cmdsize 0, less than 8');
  });

  it('cmdsize not a multiple of 8 in a 64-bit image', () => {
    const odd = new Bytes().u32(0x1b).u32(28).zeros(20).out;
    const { file, s } = parse(image({ cputype: ARM64, commands: [odd] }));
    expect(s!.report.loadCommands).toEqual([]);
    expect(file.errors[0]!.message).toBe('load command 0 (LC_UUID) cmdsize 28 is not a multiple of 8');
  });

  it('a command running past sizeofcmds (overlapping what follows)', () => {
    const { file, s } = parse(image({ cputype: ARM64, commands: [uuid, uuid], sizeofcmds: 40, size: 0x100 }));
    expect(s!.report.loadCommands!.map((c) => c.cmd)).toEqual(['LC_UUID']);
    expect(file.errors[0]!.message).toMatch(/^load command 1 \(LC_UUID\) at 0x38 with cmdsize 24 runs past the end of the load commands/);
  });

  it('ncmds larger than fits, sizeofcmds past the end of the file', () => {
    const { file, s } = parse(image({ cputype: ARM64, commands: [uuid], ncmds: 1000, sizeofcmds: 5000 }));
    expect(s!.report.loadCommands!.map((c) => c.cmd)).toEqual(['LC_UUID']);
    expect(file.errors.map((e) => e.field)).toEqual(['sizeofcmds', 'ncmds', 'load_command']);
  });

  it('two segments with one name: a fault is placed at its own command, not the first of that name', () => {
    const a = segment64('__DATA', 0x100004000n, 0x1000, 0x1000, 0x1000, 3);
    const b = segment64('__DATA', 0x100008000n, 0x10, 0x2000, 0x40, 3);
    const { file, s } = parse(image({ cputype: ARM64, commands: [text64(), a, b], size: 0x3000 }));
    const cmds = s!.report.loadCommands!;
    const fault = file.errors.find((e) => e.field === 'LC_SEGMENT_64.filesize');
    expect(fault?.message).toBe('segment __DATA: filesize 0x40 is larger than vmsize 0x10');
    expect(fault?.offset).toBe(cmds[2]!.offset);
    expect(cmds[2]!.offset).not.toBe(cmds[1]!.offset);
  });

  it('nsects larger than the command holds', () => {
    const seg = segment64(
      '__TEXT',
      0x1000,
      0x1000,
      0,
      4,
      5,
      [{ sectname: '__text', segname: '__TEXT', addr: 0x1000, size: 4, offset: 0 }],
      { nsects: 7 },
    );
    const { file, s } = parse(image({ cputype: ARM64, commands: [seg, uuid] }));
    expect(s!.report.sections.map((x) => x.name)).toEqual(['__text']);
    expect(s!.report.loadCommands!.map((c) => c.cmd)).toEqual(['LC_SEGMENT_64', 'LC_UUID']);
    expect(file.errors.map((e) => e.message)).toEqual(['LC_SEGMENT_64 __TEXT: nsects 7 sections do not fit in cmdsize 152 (room for 1)']);
  });

  it('a string offset outside its command is an error on that command only', () => {
    const rpath = lc(0x8000001c, new Bytes().u32(200).cstr('@rpath'));
    const { file, s } = parse(image({ cputype: ARM64, commands: [rpath, uuid] }));
    expect(s!.report.loadCommands!.map((c) => [c.cmd, c.summary.startsWith('malformed')])).toEqual([
      ['LC_RPATH', true],
      ['LC_UUID', false],
    ]);
    expect(s!.report.rpaths).toEqual([]);
    expect(file.errors.map((e) => e.field)).toEqual(['LC_RPATH.path']);
  });

  it('a command smaller than its structure', () => {
    const main = new Bytes().u32(0x80000028).u32(16).u64(0x100).out;
    const { file, s } = parse(image({ cputype: ARM64, commands: [main, uuid] }));
    expect(s!.report.entry).toBeNull();
    expect(s!.report.uuid).toBe('00000000-0000-0000-0000-000000000000');
    expect(file.errors[0]!.message).toBe('LC_MAIN: cmdsize 16 is smaller than the command structure (24 bytes)');
  });

  it('segments past the end of the file and overlapping each other', () => {
    const a = segment64('__A', 0x1000, 0x1000, 0, 0x1000, 1);
    const b = segment64('__B', 0x2000, 0x1000, 0x800, 0x1000, 1);
    const { file } = parse(image({ cputype: ARM64, commands: [a, b], size: 0x1000 }));
    expect(file.errors.map((e) => e.field)).toEqual(['LC_SEGMENT_64.filesize']);
    expect(file.warnings).toEqual(['segments __A and __B overlap in the file (0x0+0x1000 and 0x800)']);
  });

  it('a truncated header: no slice, one error', () => {
    const file = parseMachO(Reader.of(Uint8Array.from([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 1])));
    expect(file.slices).toEqual([]);
    expect(file.errors).toEqual([
      { message: 'mach_header: 28 bytes at 0x0 run past the end of the data (0x8)', offset: '0x0', field: 'mach_header' },
    ]);
  });
});
