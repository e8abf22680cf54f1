// Universal files: FAT_MAGIC and FAT_MAGIC_64, slice bounds, alignment,
// overlaps, and a bad slice that must not take the others down.

import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../test/corpus.ts';
import { Reader } from '../reader.ts';
import { parseMachO, type MachOSlice } from './index.ts';
import { Bytes, fat, image, lc, segment64 } from '../../../test/macho-writer.ts';

const ARM64 = 0x100000c;
const X86_64 = 0x1000007;

const thin = (cputype: number, uuidByte: number): Uint8Array =>
  image({
    cputype,
    commands: [segment64('__TEXT', 0x100000000n, 0x1000, 0, 0x1000, 5), lc(0x1b, new Bytes().bytes(Array(16).fill(uuidByte)))],
    size: 0x1000,
  });

describe('universal headers', () => {
  it('FAT_MAGIC_64 with fat_arch_64 entries', () => {
    const bytes = fat(
      [
        { cputype: X86_64, cpusubtype: 3, bytes: thin(X86_64, 1), align: 12 },
        { cputype: ARM64, cpusubtype: 0, bytes: thin(ARM64, 2), align: 14 },
      ],
      true,
    );
    const file = parseMachO(Reader.of(bytes));
    expect(file.format).toBe('macho-fat');
    expect(file.errors).toEqual([]);
    expect(file.warnings).toEqual([]);
    const slices = file.slices as MachOSlice[];
    expect(slices.map((s) => [s.report.index, s.report.arch, s.report.offset, s.report.size, s.report.uuid?.slice(0, 2)])).toEqual([
      [0, 'x86_64', '0x1000', 0x1000, '01'],
      [1, 'arm64', '0x4000', 0x1000, '02'],
    ]);
    expect(slices[1]!.macho.fatArch).toEqual({
      index: 1,
      cputype: ARM64,
      cpusubtype: 0,
      offset: 0x4000,
      size: 0x1000,
      align: 14,
      ok: true,
    });
  });

  it('a slice running past the end of the file is an error and is read as far as it goes; the other slices stay', () => {
    const bytes = fat([
      { cputype: X86_64, cpusubtype: 3, bytes: thin(X86_64, 1) },
      { cputype: ARM64, bytes: thin(ARM64, 2), size: 0x100000 },
    ]);
    const file = parseMachO(Reader.of(bytes));
    expect(file.slices.map((s) => [s.report.index, s.report.arch, s.report.size])).toEqual([
      [0, 'x86_64', 0x1000],
      [1, 'arm64', 0x1000],
    ]);
    expect(file.errors).toEqual([
      {
        message: 'slice 1 (arm64): offset 0x2000 + size 0x100000 lies outside the file (0x3000 bytes)',
        offset: '0x24',
        field: 'fat_arch.offset',
      },
    ]);
    expect(file.missing).toEqual([
      {
        part: { slice: 1, kind: 'slice', what: 'slice 1 (arm64)', field: 'fat_arch.size', start: '0x2000', end: '0x102000' },
        start: 0x2000n,
        end: 0x102000n,
        arch: 'arm64',
      },
    ]);
  });

  it('a slice that starts past the end of the file is recorded as missing, with no report', () => {
    const bytes = fat([
      { cputype: X86_64, cpusubtype: 3, bytes: thin(X86_64, 1) },
      { cputype: ARM64, bytes: thin(ARM64, 2), offset: 0x8000 },
    ]).subarray(0, 0x3000);
    const file = parseMachO(Reader.of(bytes));
    expect(file.slices.map((s) => s.report.arch)).toEqual(['x86_64']);
    expect(file.missing).toEqual([
      {
        part: { slice: 1, kind: 'slice', what: 'slice 1 (arm64)', field: 'fat_arch.size', start: '0x8000', end: '0x9000' },
        start: 0x8000n,
        end: 0x9000n,
        arch: 'arm64',
      },
    ]);
  });

  it('overlapping and misaligned slices are errors (lipo, LLVM and xnu refuse them)', () => {
    const a = thin(X86_64, 1);
    const bytes = fat([
      { cputype: X86_64, cpusubtype: 3, bytes: a, offset: 0x1000, align: 12 },
      { cputype: ARM64, bytes: thin(ARM64, 2), offset: 0x1800, align: 12 },
    ]);
    const file = parseMachO(Reader.of(bytes));
    expect(file.slices).toHaveLength(2);
    expect(file.warnings).toEqual([]);
    expect(file.errors.map((e) => [e.field, e.offset, e.message])).toEqual([
      ['fat_arch.offset', '0x24', 'slice 1 (arm64): offset 0x1800 is not aligned to 2^12'],
      ['fat_arch.offset', '0x24', 'slices 0 and 1 overlap (0x1000+0x1000 and 0x1800)'],
    ]);
  });

  it('a slice that is not a Mach-O image fails alone', () => {
    const junk = new Uint8Array(0x1000).fill(0x41);
    const bytes = fat([
      { cputype: ARM64, bytes: junk },
      { cputype: X86_64, cpusubtype: 3, bytes: thin(X86_64, 1) },
    ]);
    const file = parseMachO(Reader.of(bytes));
    expect(file.slices.map((s) => [s.report.index, s.report.arch])).toEqual([[1, 'x86_64']]);
    expect(file.errors).toEqual([
      { message: 'slice 0 (arm64): not a Mach-O header: magic 0x41414141', offset: '0x1000', field: 'mach_header.magic' },
    ]);
  });

  it('fat_arch and the slice header disagree', () => {
    const bytes = fat([{ cputype: ARM64, bytes: thin(X86_64, 1) }]);
    const file = parseMachO(Reader.of(bytes));
    expect(file.warnings).toEqual(["slice 0 (arm64): fat_arch says CPU_TYPE_ARM64 but the slice's header says CPU_TYPE_X86_64"]);
  });

  it('nfat_arch larger than the file holds', () => {
    const bytes = new Bytes(false).u32(0xcafebabe).u32(20).zeros(40).out;
    const file = parseMachO(Reader.of(bytes));
    expect(file.slices).toEqual([]);
    expect(file.errors).toEqual([
      {
        message: 'fat_header.nfat_arch 20 entries of 20 bytes do not fit in the file (40 bytes after the header)',
        offset: '0x4',
        field: 'fat_header.nfat_arch',
      },
    ]);
  });

  it('a truncated universal fixture keeps the slices that are whole and reads the cut one as far as it goes', () => {
    const whole = fixtureBytes('macho/bin/lld-universal-macos-exe');
    const file = parseMachO(Reader.of(whole.subarray(0, 0x4000 + 100)));
    expect(file.slices.map((s) => [s.report.arch, s.report.incomplete === undefined])).toEqual([
      ['x86_64', true],
      ['arm64', false],
    ]);
    expect(file.errors[0]!.field).toBe('fat_arch.offset');
    expect(file.missing!.map((m) => [m.part.slice, m.part.kind, m.arch])).toContainEqual([1, 'slice', 'arm64']);
    expect(file.missing!.every((m) => m.part.slice === 1)).toBe(true);
  });
});
