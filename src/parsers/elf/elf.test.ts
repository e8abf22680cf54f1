// Unit tests on the project's own fixtures (fixtures/elf; expected values read
// off readelf -W 2.40, llvm-readelf-19, llvm-nm-19 and file 5.44 once and
// written here), then on synthetic files built in the test to be broken in
// one precise way each.

import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../test/corpus.ts';
import { buildElf, dynamic, Encoder, note, poke, strtab, symbols, type WSection } from '../../../test/elf-writer.ts';
import { analyze } from '../analyze.ts';
import { ChunkedSource, FormatError, MemorySource, Reader } from '../reader.ts';
import type { ParsedFile } from '../types.ts';
import type { SliceReport } from '../../report/types.ts';
import { parseElf, readElf } from './index.ts';

const fixture = (name: string) => fixtureBytes(`elf/bin/${name}`);
const parse = (bytes: Uint8Array): ParsedFile => parseElf(Reader.of(bytes));
const report = (name: string): SliceReport => parse(fixture(name)).slices[0]!.report;

describe('fixtures: identity', () => {
  // [file, arch, bits, endian, fileType, fileTypeRaw, linkage, entry, cpu.name]
  const table: [string, string, number, string, string, string, string, string | null, string][] = [
    ['aarch64-glibc-pie-pacbti', 'arm64', 64, 'little', 'executable', 'ET_DYN', 'dynamic', '0x880', 'EM_AARCH64'],
    ['aarch64-glibc-pie-now-stripped', 'arm64', 64, 'little', 'executable', 'ET_DYN', 'dynamic', '0x7c0', 'EM_AARCH64'],
    ['aarch64-static-bti', 'arm64', 64, 'little', 'executable', 'ET_EXEC', 'static', '0x201278', 'EM_AARCH64'],
    ['aarch64-static-pie', 'arm64', 64, 'little', 'executable', 'ET_DYN', 'static', '0x1368', 'EM_AARCH64'],
    ['aarch64-musl-pie', 'arm64', 64, 'little', 'executable', 'ET_DYN', 'dynamic', '0x1380', 'EM_AARCH64'],
    ['aarch64-libversioned.so.1', 'arm64', 64, 'little', 'shared-library', 'ET_DYN', 'dynamic', null, 'EM_AARCH64'],
    ['aarch64-uses-versioned', 'arm64', 64, 'little', 'executable', 'ET_DYN', 'dynamic', '0x7c0', 'EM_AARCH64'],
    ['aarch64_be-static', 'aarch64_be', 64, 'big', 'executable', 'ET_EXEC', 'static', '0x2011e0', 'EM_AARCH64'],
    ['armv7-static', 'arm', 32, 'little', 'executable', 'ET_EXEC', 'static', '0x11179', 'EM_ARM'],
    ['armv7-bare.o', 'arm', 32, 'little', 'object', 'ET_REL', 'static', null, 'EM_ARM'],
    ['i386-static', 'i386', 32, 'little', 'executable', 'ET_EXEC', 'static', '0x401160', 'EM_386'],
    ['mips-bare.o', 'mips', 32, 'big', 'object', 'ET_REL', 'static', null, 'EM_MIPS'],
    ['ppc64-static', 'ppc64', 64, 'big', 'executable', 'ET_EXEC', 'static', '0x100032c8', 'EM_PPC64'],
    ['ppc64le-static', 'ppc64le', 64, 'little', 'executable', 'ET_EXEC', 'static', '0x10001280', 'EM_PPC64'],
    ['riscv64-static', 'riscv64', 64, 'little', 'executable', 'ET_EXEC', 'static', '0x11218', 'EM_RISCV'],
    ['s390x-static', 's390x', 64, 'big', 'executable', 'ET_EXEC', 'static', '0x10011f0', 'EM_S390'],
    ['x86_64-glibc-pie', 'x86_64', 64, 'little', 'executable', 'ET_DYN', 'dynamic', '0x10f0', 'EM_X86_64'],
    ['x86_64-static-cet', 'x86_64', 64, 'little', 'executable', 'ET_EXEC', 'static', '0x401020', 'EM_X86_64'],
    ['x86_64-musl-static', 'x86_64', 64, 'little', 'executable', 'ET_EXEC', 'static', '0x40108b', 'EM_X86_64'],
  ];
  it.each(table)('%s', (name, arch, bits, endian, fileType, fileTypeRaw, linkage, entry, cpuName) => {
    const r = report(name);
    expect({
      arch: r.arch,
      bits: r.bits,
      endian: r.endian,
      fileType: r.fileType,
      fileTypeRaw: r.fileTypeRaw,
      linkage: r.linkage,
      entry: r.entry,
      cpu: r.cpu.name,
    }).toEqual({
      arch,
      bits,
      endian,
      fileType,
      fileTypeRaw,
      linkage,
      entry,
      cpu: cpuName,
    });
  });

  it('parses every fixture without recorded problems', () => {
    for (const name of table.map((t) => t[0])) expect(parse(fixture(name)).errors, name).toEqual([]);
  });
});

describe('fixtures: dynamic linking', () => {
  it('glibc PIE: interpreter, NEEDED, ABI tag, build id, imports with versions and libraries', () => {
    const r = report('aarch64-glibc-pie-pacbti');
    expect(r.interpreter).toBe('/lib/ld-linux-aarch64.so.1');
    // __stack_chk_guard comes from ld.so on AArch64, hence the second NEEDED.
    expect(r.libraries).toEqual(['libc.so.6', 'ld-linux-aarch64.so.1']);
    expect(r.libraryDetails).toEqual([
      { name: 'libc.so.6', kind: 'needed' },
      { name: 'ld-linux-aarch64.so.1', kind: 'needed' },
    ]);
    expect([r.platform, r.minOS]).toEqual(['linux', '3.7.0']);
    expect(r.buildId).toBe('81565af8aa559ee67f68073d1ea3cd314e93726e');
    expect(r.flags).toEqual(['PIE']);
    expect(r.imports).toEqual([
      { name: 'raise', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' },
      { name: '__libc_start_main', library: 'libc.so.6', weak: false, version: 'GLIBC_2.34' },
      { name: '_ITM_deregisterTMCloneTable', library: null, weak: true },
      { name: '__cxa_finalize', library: 'libc.so.6', weak: true, version: 'GLIBC_2.17' },
      { name: 'signal', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' },
      { name: '__printf_chk', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' },
      { name: '__stack_chk_fail', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' },
      { name: '__gmon_start__', library: null, weak: true },
      { name: '__stack_chk_guard', library: 'ld-linux-aarch64.so.1', weak: false, version: 'GLIBC_2.17' },
      { name: 'abort', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' },
      { name: '__strncat_chk', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' },
      { name: '_ITM_registerTMCloneTable', library: null, weak: true },
    ]);
    expect(r.exports).toBe(0);
    expect(r.notes).toEqual([
      { owner: 'GNU', type: 'NT_GNU_BUILD_ID', description: 'Build ID: 81565af8aa559ee67f68073d1ea3cd314e93726e' },
      { owner: 'GNU', type: 'NT_GNU_ABI_TAG', description: 'OS: Linux, ABI: 3.7.0' },
    ]);
  });

  it('glibc PIE: every segment, with the sections readelf maps into it', () => {
    const r = report('aarch64-glibc-pie-pacbti');
    expect(r.segments.map((s) => [s.type, s.perms, s.offset, s.address, s.fileSize, s.size, s.sections?.join(' ')])).toEqual([
      ['PHDR', 'r--', '0x40', '0x40', 504, 504, ''],
      ['INTERP', 'r--', '0x238', '0x238', 27, 27, '.interp'],
      [
        'LOAD',
        'r-x',
        '0x0',
        '0x0',
        3000,
        3000,
        '.interp .note.gnu.build-id .note.ABI-tag .gnu.hash .dynsym .dynstr .gnu.version .gnu.version_r .rela.dyn .rela.plt .init .plt .text .fini .rodata .eh_frame_hdr .eh_frame',
      ],
      ['LOAD', 'rw-', '0xdb0', '0x1db0', 680, 688, '.init_array .fini_array .dynamic .got .got.plt .data .bss'],
      ['DYNAMIC', 'rw-', '0xdc0', '0x1dc0', 496, 496, '.dynamic'],
      ['NOTE', 'r--', '0x254', '0x254', 68, 68, '.note.gnu.build-id .note.ABI-tag'],
      ['GNU_EH_FRAME', 'r--', '0xa78', '0xa78', 76, 76, '.eh_frame_hdr'],
      ['GNU_STACK', 'rw-', '0x0', '0x0', 0, 0, ''],
      ['GNU_RELRO', 'r--', '0xdb0', '0x1db0', 592, 592, '.init_array .fini_array .dynamic .got'],
    ]);
  });

  it('shared library: SONAME, RUNPATH split on colons, BIND_NOW, exports', () => {
    const r = report('aarch64-libversioned.so.1');
    expect(r.installName).toBe('libversioned.so.1');
    expect(r.rpathDetails).toEqual([
      { path: '$ORIGIN/../lib', source: 'DT_RUNPATH' },
      { path: '/opt/binlens/lib', source: 'DT_RUNPATH' },
    ]);
    expect(r.rpaths).toEqual(['$ORIGIN/../lib', '/opt/binlens/lib']);
    expect(r.flags).toEqual(['BIND_NOW', 'NOW']);
    // vx_add twice (two versions), vx_mul, vx_base, counter, and the VX_1.0 / VX_2.0 version symbols.
    expect(r.exports).toBe(7);
    expect(r.features.relro).toBe('full');
    expect(r.features.pie).toBeNull();
  });

  it('shared library: verdef chain with parent, verneed on libc, @ and @@ versions', () => {
    const elf = readElf(Reader.of(fixture('aarch64-libversioned.so.1')));
    expect(elf.versions.defs).toEqual([
      { index: 1, flags: 1, base: true, name: 'libversioned.so.1', parents: [] },
      { index: 2, flags: 0, base: false, name: 'VX_1.0', parents: [] },
      { index: 3, flags: 0, base: false, name: 'VX_2.0', parents: ['VX_1.0'] },
    ]);
    expect(elf.versions.needs).toEqual([{ file: 'libc.so.6', versions: [{ name: 'GLIBC_2.17', index: 4, flags: 0, weak: false }] }]);
    const dyn = elf.readTable(elf.dynsym!);
    const shown = dyn
      .filter((s) => s.name.startsWith('vx_add'))
      .map((s) => `${s.name}${s.version ? (s.version.hidden ? '@' : '@@') + s.version.name : ''}`);
    expect(shown).toEqual(['vx_add@@VX_2.0', 'vx_add@VX_1.0']);
  });

  it('executable using the library: RPATH entries, imports from libversioned.so.1 by version', () => {
    const r = report('aarch64-uses-versioned');
    expect(r.libraries).toEqual(['libversioned.so.1', 'libc.so.6']);
    expect(r.rpathDetails).toEqual([
      { path: '$ORIGIN', source: 'DT_RPATH' },
      { path: '/opt/binlens/lib', source: 'DT_RPATH' },
    ]);
    expect(r.imports.filter((i) => i.library === 'libversioned.so.1')).toEqual([
      { name: 'counter', library: 'libversioned.so.1', weak: false, version: 'VX_2.0' },
      { name: 'vx_add', library: 'libversioned.so.1', weak: false, version: 'VX_2.0' },
      { name: 'vx_mul', library: 'libversioned.so.1', weak: false, version: 'VX_1.0' },
    ]);
  });

  it('musl-style PIE: musl interpreter gives the platform; imports carry no versions', () => {
    const r = report('aarch64-musl-pie');
    expect(r.interpreter).toBe('/lib/ld-musl-aarch64.so.1');
    expect(r.libraries).toEqual(['libc.so']);
    expect([r.platform, r.minOS]).toEqual(['linux', null]);
    expect(r.imports).toEqual([
      { name: 'puts', library: null, weak: false },
      { name: 'exit', library: null, weak: false },
    ]);
  });

  it('static PIE: ET_DYN + DF_1_PIE without interpreter is an executable, statically linked', () => {
    const r = report('aarch64-static-pie');
    expect([r.fileType, r.linkage, r.interpreter, r.libraries]).toEqual(['executable', 'static', null, []]);
    expect(r.features.pie).toBe(true);
    expect(r.features.sources.pie).toBe('ET_DYN with DF_1_PIE in DT_FLAGS_1');
  });
});

describe('fixtures: hardening features', () => {
  const features = (name: string) => {
    const { sources, ...f } = report(name).features;
    void sources;
    return f;
  };
  it.each([
    [
      'aarch64-glibc-pie-pacbti',
      { pie: true, nx: true, relro: 'partial', canary: true, fortify: true, bti: false, pac: false, ibt: null, shstk: null },
    ],
    [
      'aarch64-glibc-pie-now-stripped',
      { pie: true, nx: true, relro: 'full', canary: false, fortify: false, bti: false, pac: false, ibt: null, shstk: null },
    ],
    [
      'aarch64-static-bti',
      { pie: false, nx: true, relro: 'none', canary: false, fortify: false, bti: true, pac: true, ibt: null, shstk: null },
    ],
    [
      'x86_64-glibc-pie',
      { pie: true, nx: true, relro: 'partial', canary: true, fortify: true, bti: null, pac: null, ibt: false, shstk: false },
    ],
    [
      'x86_64-static-cet',
      { pie: false, nx: true, relro: 'none', canary: false, fortify: false, bti: null, pac: null, ibt: true, shstk: true },
    ],
    [
      'x86_64-execstack',
      { pie: false, nx: false, relro: 'none', canary: false, fortify: false, bti: null, pac: null, ibt: false, shstk: false },
    ],
    [
      'x86_64-no-gnu-stack',
      { pie: false, nx: false, relro: 'none', canary: false, fortify: false, bti: null, pac: null, ibt: false, shstk: false },
    ],
    [
      'x86_64-musl-static-stripped',
      { pie: false, nx: true, relro: 'partial', canary: null, fortify: null, bti: null, pac: null, ibt: false, shstk: false },
    ],
    [
      'riscv64-static',
      { pie: false, nx: true, relro: 'none', canary: false, fortify: false, bti: null, pac: null, ibt: null, shstk: null },
    ],
    ['armv7-bare.o', { pie: null, nx: null, relro: null, canary: false, fortify: false, bti: null, pac: null, ibt: null, shstk: null }],
  ] as const)('%s', (name, expected) => {
    expect(features(name)).toEqual(expected);
  });

  it('says why: property values, missing GNU_STACK, symbols found', () => {
    expect(report('aarch64-static-bti').features.sources.bti).toBe('GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0x7 (BTI, PAC, GCS)');
    expect(report('x86_64-no-gnu-stack').features.sources.nx).toMatch(
      /^no PT_GNU_STACK: on this architecture Linux then maps the stack executable/,
    );
    expect(report('x86_64-glibc-pie').features.sources.fortify).toBe('__printf_chk, __strncat_chk in .dynsym and .symtab');
  });

  it('GNU property notes: AArch64 BTI/PAC/GCS bits; x86 IBT, SHSTK and ISA level', () => {
    expect(report('aarch64-static-bti').notes).toEqual([
      { owner: 'GNU', type: 'NT_GNU_BUILD_ID', description: 'Build ID: b3896ab77d33fb4145f5aa1df583486eebec918f' },
      { owner: 'GNU', type: 'NT_GNU_PROPERTY_TYPE_0', description: 'Properties: AArch64 feature: BTI, PAC, GCS' },
    ]);
    expect(report('x86_64-static-cet').notes![0]).toEqual({
      owner: 'GNU',
      type: 'NT_GNU_PROPERTY_TYPE_0',
      description: 'Properties: x86 feature: IBT, SHSTK, x86 ISA needed: x86-64-v2',
    });
  });
});

describe('fixtures: symbols', () => {
  it('counts what llvm-nm-19 lists (mapping, section and file symbols hidden)', () => {
    const counts: [string, number, number][] = [
      ['aarch64-glibc-pie-pacbti', 32, 12],
      ['aarch64-libversioned.so.1', 25, 5],
      ['aarch64-musl-pie', 2, 2],
      ['aarch64-static-bti', 5, 0],
      ['armv7-bare.o', 5, 0],
      ['mips-bare.o', 5, 1],
      ['riscv64-static', 8, 0],
      ['i386-static', 6, 0],
      ['x86_64-musl-static', 148, 0],
      ['x86_64-musl-static-stripped', 0, 0],
    ];
    for (const [name, defined, undef] of counts) {
      const r = report(name);
      expect([name, r.symbols.defined, r.symbols.undefined], name).toEqual([name, defined, undef]);
    }
  });

  it('rows of a freestanding AArch64 executable, whole', () => {
    const slice = parse(fixture('aarch64-static-bti')).slices[0]!;
    const row = (name: string, address: bigint, size: number, type: string, bind: string, section: string) => ({
      name,
      address,
      size,
      defined: true,
      type,
      bind,
      section,
      library: null,
      version: null,
      exported: false,
    });
    expect(slice.symbols()).toEqual([
      row('message', 0x200248n, 16, 'object', 'local', '.rodata'),
      row('step', 0x201258n, 32, 'func', 'global', '.text'),
      row('_start', 0x201278n, 56, 'func', 'global', '.text'),
      row('counter', 0x2022b0n, 4, 'object', 'global', '.data'),
      row('table', 0x2022b8n, 128, 'object', 'global', '.bss'),
    ]);
    expect(slice.symbols()).toBe(slice.symbols()); // memoized
    expect(slice.report.symbols).toEqual({ defined: 5, undefined: 0, table: '.symtab' });
  });

  it('versioned names in .symtab are split into name and version, with the library for imports', () => {
    const rows = parse(fixture('aarch64-libversioned.so.1')).slices[0]!.symbols();
    expect(rows.filter((r) => r.name === 'vx_add').map((r) => [r.address, r.version, r.exported, r.rawName])).toEqual([
      [0x780n, 'VX_2.0', true, 'vx_add@@VX_2.0'],
      [0x770n, 'VX_1.0', true, 'vx_add@VX_1.0'],
    ]);
    expect(rows.find((r) => r.name === 'getenv')).toEqual({
      name: 'getenv',
      rawName: 'getenv@GLIBC_2.17',
      address: null,
      size: 0,
      defined: false,
      type: 'func',
      bind: 'global',
      section: null,
      library: 'libc.so.6',
      version: 'GLIBC_2.17',
      exported: false,
    });
    expect(rows.find((r) => r.name === '_DYNAMIC')?.section).toBe('*ABS*');
  });

  it('a stripped file lists no symbols, as llvm-nm prints "no symbols"', () => {
    const slice = parse(fixture('aarch64-glibc-pie-now-stripped')).slices[0]!;
    expect([slice.report.stripped, slice.report.symbols, slice.symbols()]).toEqual([
      true,
      { defined: 0, undefined: 0, table: null, dynamic: { defined: 0, undefined: 10 } },
      [],
    ]);
    expect(slice.report.imports.length).toBe(10);
  });

  it('mapping symbols in executable sections, in address order', () => {
    const ms = (name: string) =>
      parse(fixture(name))
        .slices[0]!.mappingSymbols()
        .map((m) => `${m.kind}@${m.address.toString(16)}`);
    expect(ms('aarch64-static-bti')).toEqual(['code@201258']);
    // Thumb code with literal pools: $t then $d within .text.
    expect(ms('armv7-static')).toEqual(['code@11160', 'data@11174', 'code@11178', 'data@11198']);
    expect(ms('x86_64-static-cet')).toEqual([]);
    expect(parse(fixture('aarch64-static-bti')).slices[0]!.functionStarts()).toEqual([]);
  });
});

describe('fixtures: sections', () => {
  it('bare names, readelf types and flag letters, in file order without section 0', () => {
    expect(report('aarch64-static-bti').sections).toEqual([
      { name: '.note.gnu.build-id', segment: '', address: '0x200200', size: 36, offset: '0x200', type: 'NOTE', flags: 'A' },
      { name: '.note.gnu.property', segment: '', address: '0x200228', size: 32, offset: '0x228', type: 'NOTE', flags: 'A' },
      { name: '.rodata', segment: '', address: '0x200248', size: 16, offset: '0x248', type: 'PROGBITS', flags: 'AMS' },
      { name: '.text', segment: '', address: '0x201258', size: 88, offset: '0x258', type: 'PROGBITS', flags: 'AX' },
      { name: '.data', segment: '', address: '0x2022b0', size: 4, offset: '0x2b0', type: 'PROGBITS', flags: 'WA' },
      { name: '.bss', segment: '', address: '0x2022b8', size: 128, offset: '0x2b4', type: 'NOBITS', flags: 'WA' },
      { name: '.comment', segment: '', address: '0x0', size: 67, offset: '0x2b4', type: 'PROGBITS', flags: 'MS' },
      { name: '.symtab', segment: '', address: '0x0', size: 288, offset: '0x2f8', type: 'SYMTAB', flags: '' },
      { name: '.shstrtab', segment: '', address: '0x0', size: 99, offset: '0x418', type: 'STRTAB', flags: '' },
      { name: '.strtab', segment: '', address: '0x0', size: 57, offset: '0x47b', type: 'STRTAB', flags: '' },
    ]);
  });

  it('processor-specific and LLVM section types by name', () => {
    const types = (name: string) => report(name).sections.map((s) => s.type);
    expect(types('armv7-bare.o')).toContain('ARM_ATTRIBUTES');
    expect(types('armv7-bare.o')).toContain('LLVM_ADDRSIG');
    expect(types('riscv64-static')).toContain('RISCV_ATTRIBUTES');
    expect(report('riscv64-static').segments.map((s) => s.type)).toContain('RISCV_ATTRIBUTES');
  });

  it('reads the same through a chunked source as from memory', () => {
    const bytes = fixture('aarch64-glibc-pie-pacbti');
    const chunked = parseElf(new Reader(new ChunkedSource(new MemorySource(bytes), 256, 4)));
    const mem = parse(bytes);
    expect(chunked.slices[0]!.report).toEqual(mem.slices[0]!.report);
    expect(chunked.slices[0]!.symbols()).toEqual(mem.slices[0]!.symbols());
  });
});

// ---------------------------------------------------------------------------
// Synthetic files

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_DYNAMIC = 6;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_NOTE = 4;
const A = 2n; // SHF_ALLOC

const DYNSTR_NAMES = ['libc.so.6', 'libm.so.6', 'puts', 'GLIBC_2.17', 'libself.so', '/opt/a:/opt/b'];

/** A small dynamically linked ELF: .dynstr, .dynsym (one import), .gnu.version(_r), .dynamic, a build-id note. */
function dynamicElf(
  opts: {
    is64?: boolean;
    littleEndian?: boolean;
    verneed?: Uint8Array;
    verneedCount?: number;
    dynEntries?: [number, number | bigint][];
  } = {},
) {
  const is64 = opts.is64 ?? true;
  const le = opts.littleEndian ?? true;
  const str = strtab(DYNSTR_NAMES);
  const dynsym = symbols(is64, le, [{ name: str.offsets['puts']!, bind: 1, type: 2 }]);
  const versym = new Encoder(is64, le).u16(0).u16(2).done();
  const verneed =
    opts.verneed ??
    new Encoder(is64, le)
      // vn_version, vn_cnt, vn_file, vn_aux, vn_next; then vna_hash, vna_flags, vna_other, vna_name, vna_next
      .u16(1)
      .u16(1)
      .u32(str.offsets['libc.so.6']!)
      .u32(16)
      .u32(0)
      .u32(0x0d696917)
      .u16(0)
      .u16(2)
      .u32(str.offsets['GLIBC_2.17']!)
      .u32(0)
      .done();
  const buildId = note(is64, le, 'GNU', 3, new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
  // Layout is fixed by the writer: the dynamic entries need .dynstr's address, which equals its offset.
  const probe = (entries: [number, number | bigint][]) =>
    buildElf({
      is64,
      littleEndian: le,
      type: 3,
      sections: secs(dynamic(is64, le, entries)),
      segments: [
        { type: PT_LOAD, flags: 5, sections: ['.note', '.dynstr', '.dynsym', '.gnu.version', '.gnu.version_r', '.dynamic'] },
        { type: PT_DYNAMIC, flags: 6, sections: ['.dynamic'] },
        { type: PT_NOTE, flags: 4, sections: ['.note'] },
      ],
    });
  const secs = (dyn: Uint8Array): WSection[] => [
    { name: '.note', type: SHT_NOTE, flags: A, data: buildId, align: 4 },
    { name: '.dynstr', type: SHT_STRTAB, flags: A, data: str.data },
    { name: '.dynsym', type: SHT_DYNSYM, flags: A, data: dynsym, link: 2, info: 1, align: 8, entsize: is64 ? 24 : 16 },
    { name: '.gnu.version', type: SHT_GNU_VERSYM, flags: A, data: versym, link: 3, align: 2, entsize: 2 },
    { name: '.gnu.version_r', type: SHT_GNU_VERNEED, flags: A, data: verneed, link: 2, info: opts.verneedCount ?? 1, align: 8 },
    { name: '.dynamic', type: SHT_DYNAMIC, flags: A | 1n, data: dyn, link: 2, align: 8, entsize: is64 ? 16 : 8 },
  ];
  const entriesFor = (dynstrAt: number): [number, number | bigint][] =>
    opts.dynEntries ?? [
      [1, str.offsets['libc.so.6']!],
      [1, str.offsets['libm.so.6']!],
      [14, str.offsets['libself.so']!],
      [29, str.offsets['/opt/a:/opt/b']!],
      [5, dynstrAt],
      [10, str.data.length],
      [0x6ffffffb, 0x08000001],
      [0, 0],
    ];
  const first = probe(entriesFor(0));
  const layout = probe(entriesFor(first.dataOffset['.dynstr']!));
  return { ...layout, str };
}

describe('synthetic: well-formed', () => {
  it.each([
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ])('ELF%s-bit, little-endian %s: dynamic section, versions, notes', (is64, le) => {
    const { bytes } = dynamicElf({ is64: is64 as boolean, littleEndian: le as boolean });
    const p = parse(bytes);
    expect(p.errors).toEqual([]);
    const r = p.slices[0]!.report;
    expect([r.bits, r.endian]).toEqual([is64 ? 64 : 32, le ? 'little' : 'big']);
    expect(r.libraries).toEqual(['libc.so.6', 'libm.so.6']);
    expect(r.installName).toBe('libself.so');
    expect(r.rpathDetails).toEqual([
      { path: '/opt/a', source: 'DT_RUNPATH' },
      { path: '/opt/b', source: 'DT_RUNPATH' },
    ]);
    expect(r.flags).toEqual(['NOW', 'PIE']);
    expect(r.buildId).toBe('deadbeef');
    expect(r.imports).toEqual([{ name: 'puts', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' }]);
    expect(r.fileType).toBe('executable'); // DF_1_PIE
    expect(r.linkage).toBe('dynamic');
  });

  it('extended numbering: e_shnum 0, e_shstrndx SHN_XINDEX, e_phnum PN_XNUM resolved from section 0', () => {
    const { bytes } = buildElf({
      sections: [
        { name: '.text', type: SHT_PROGBITS, flags: A | 4n, data: new Uint8Array(16), align: 4 },
        { name: '.data', type: SHT_PROGBITS, flags: A | 1n, data: new Uint8Array(8), align: 8 },
      ],
      segments: [{ type: PT_LOAD, flags: 5, sections: ['.text'] }],
      extendedNumbering: true,
    });
    const elf = readElf(Reader.of(bytes));
    expect(elf.header.raw).toEqual({ e_phnum: 0xffff, e_shnum: 0, e_shstrndx: 0xffff });
    expect([elf.header.e_shnum, elf.header.e_shstrndx, elf.header.e_phnum]).toEqual([4, 3, 1]);
    const r = parse(bytes).slices[0]!.report;
    expect(r.sections.map((s) => s.name)).toEqual(['.text', '.data', '.shstrtab']);
    expect(r.segments.map((s) => [s.type, s.sections])).toEqual([['LOAD', ['.text']]]);
    expect(parse(bytes).errors).toEqual([]);
  });

  it('files without section headers still give dynamic symbols (DT_SYMTAB sized by the hash table)', () => {
    const bytes = fixture('aarch64-musl-pie').slice();
    // Drop the section header table as sstrip does: e_shoff = 0, e_shnum = 0, e_shstrndx = 0.
    poke(bytes, 0x28, 8, 0n);
    poke(bytes, 0x3c, 2, 0);
    poke(bytes, 0x3e, 2, 0);
    const p = parse(bytes);
    const r = p.slices[0]!.report;
    expect(r.sections).toEqual([]);
    expect(r.imports).toEqual([
      { name: 'puts', library: null, weak: false },
      { name: 'exit', library: null, weak: false },
    ]);
    expect(r.libraries).toEqual(['libc.so']);
    expect(r.buildId).toBe('8265460193cf843fd6e2c98e40285629179cd46c'); // from PT_NOTE
    expect(r.stripped).toBe(true);
  });

  it('notes with 8-byte alignment, FreeBSD and Android identity notes', () => {
    const prop = new Encoder(true, true).u32(0xc0000000).u32(4).u32(3).u32(0).done();
    const sections: WSection[] = [
      { name: '.note.gnu.property', type: SHT_NOTE, flags: A, data: note(true, true, 'GNU', 5, prop, 8), align: 8 },
      {
        name: '.note.tag',
        type: SHT_NOTE,
        flags: A,
        data: note(true, true, 'FreeBSD', 1, new Encoder(true, true).u32(1302001).done()),
        align: 4,
      },
    ];
    const r = parse(buildElf({ sections }).bytes).slices[0]!.report;
    expect(r.notes).toEqual([
      { owner: 'GNU', type: 'NT_GNU_PROPERTY_TYPE_0', description: 'Properties: AArch64 feature: BTI, PAC' },
      { owner: 'FreeBSD', type: 'NT_FREEBSD_ABI_TAG', description: 'Version: 1302001' },
    ]);
    expect([r.platform, r.minOS, r.features.bti, r.features.pac]).toEqual(['freebsd', '13.2', true, true]);
    const android = buildElf({
      sections: [
        {
          name: '.note.android.ident',
          type: SHT_NOTE,
          flags: A,
          data: note(true, true, 'Android', 1, new Encoder(true, true).u32(29).done()),
        },
      ],
    });
    const a = parse(android.bytes).slices[0]!.report;
    expect([a.platform, a.minOS]).toEqual(['android', '29']);
  });

  it('platform from EI_OSABI when no note says', () => {
    expect(parse(buildElf({ osabi: 9 }).bytes).slices[0]!.report.platform).toBe('freebsd');
    expect(parse(buildElf({ osabi: 0 }).bytes).slices[0]!.report.platform).toBeNull();
  });

  it('unknown machine, type, section and segment types are kept raw', () => {
    const { bytes } = buildElf({
      machine: 0x1234,
      type: 0xfe10,
      sections: [{ name: '.odd', type: 0x6abcdef0, flags: A, data: new Uint8Array(4) }],
      segments: [{ type: 0x6abcdef1, flags: 4, sections: ['.odd'] }],
    });
    const r = parse(bytes).slices[0]!.report;
    expect([r.arch, r.cpu.name, r.fileType, r.fileTypeRaw]).toEqual(['em-4660', 'EM_4660', 'other', 'ET_LOOS+0x10']);
    expect(r.sections[0]!.type).toBe('0x6abcdef0');
    expect(r.segments[0]!.type).toBe('0x6abcdef1');
  });
});

describe('synthetic: broken files give a typed error or a partial report', () => {
  it('a file cut inside its header: no slice, an error, and the header recorded as missing', () => {
    const good = buildElf({}).bytes;
    for (const [bytes, field] of [
      [good.slice(0, 40), 'Elf64_Ehdr'],
      [good.slice(0, 10), 'e_ident'],
    ] as const) {
      const p = parse(bytes);
      expect(p.slices).toEqual([]);
      expect(p.errors.map((e) => [e.field, e.offset])).toEqual([[field, '0x0']]);
      expect(p.missing).toEqual([
        { part: { slice: 0, kind: 'header', what: 'ELF header', field: 'e_ehsize', start: '0x0', end: '0x40' }, start: 0n, end: 0x40n },
      ]);
    }
  });

  it('not ELF, bad class, bad byte order: FormatError with offset and field', () => {
    const good = buildElf({}).bytes;
    const cases: [Uint8Array, string, number][] = [
      [
        (() => {
          const b = good.slice();
          b[4] = 3;
          return b;
        })(),
        'e_ident[EI_CLASS]',
        4,
      ],
      [
        (() => {
          const b = good.slice();
          b[5] = 0;
          return b;
        })(),
        'e_ident[EI_DATA]',
        5,
      ],
    ];
    for (const [bytes, field, offset] of cases) {
      let err: unknown;
      try {
        parse(bytes);
      } catch (e) {
        err = e;
      }
      expect(err, field).toBeInstanceOf(FormatError);
      expect([(err as FormatError).field, (err as FormatError).offset]).toEqual([field, offset]);
    }
  });

  it('analyze() turns an unreadable header into a report error, not a crash', () => {
    const b = buildElf({}).bytes.slice();
    b[4] = 7;
    const a = analyze(new MemorySource(b), 'bad.elf', { skipHash: true });
    expect(a.report.format).toBe('elf');
    expect(a.report.slices).toEqual([]);
    expect(a.report.errors).toEqual([
      { message: 'e_ident[EI_CLASS] is 7, neither ELFCLASS32 (1) nor ELFCLASS64 (2)', offset: '0x4', field: 'e_ident[EI_CLASS]' },
    ]);
  });

  it('header size mismatches and a bad EI_VERSION are recorded, parsing goes on', () => {
    const { bytes } = buildElf({
      header: { e_ehsize: 60 },
      sections: [{ name: '.text', type: SHT_PROGBITS, flags: A, data: new Uint8Array(4) }],
    });
    bytes[6] = 2;
    const p = parse(bytes);
    expect(p.errors.map((e) => e.field)).toEqual(['e_ident[EI_VERSION]', 'e_ehsize']);
    expect(p.slices[0]!.report.sections.map((s) => s.name)).toEqual(['.text', '.shstrtab']);
  });

  it('an entry size other than the class defines: that table is ignored, the error says which and why', () => {
    const { bytes } = buildElf({
      header: { e_phentsize: 40, e_shentsize: 50 },
      segments: [{ type: PT_LOAD, flags: 4, sections: ['.text'] }],
      sections: [{ name: '.text', type: SHT_PROGBITS, flags: A, data: new Uint8Array(4) }],
    });
    const p = parse(bytes);
    expect(p.errors).toEqual([
      { message: 'e_phentsize is 40, expected 56: program headers ignored', offset: '0x36', field: 'e_phentsize' },
      { message: 'e_shentsize is 50, expected 64: section headers ignored', offset: '0x3a', field: 'e_shentsize' },
    ]);
    expect([p.slices[0]!.report.segments, p.slices[0]!.report.sections]).toEqual([[], []]);
  });

  it('truncated section header table: the headers that fit are read, the shortfall recorded', () => {
    const { bytes, shoff } = buildElf({
      sections: [
        { name: '.a', type: SHT_PROGBITS, data: new Uint8Array(4) },
        { name: '.b', type: SHT_PROGBITS, data: new Uint8Array(4) },
      ],
      header: { e_shstrndx: 0 },
    });
    const cut = bytes.slice(0, shoff + 2 * 64 + 10); // section 0, .a and part of .b
    const p = parse(cut);
    expect(p.errors).toEqual([
      {
        message: `section header table at 0x${shoff.toString(16)} claims 4 entries of 64 bytes but the file holds 2`,
        offset: `0x${shoff.toString(16)}`,
        field: 'e_shnum',
      },
    ]);
    expect(p.slices[0]!.report.sections.length).toBe(1);
  });

  it('program header table claiming more entries than the file holds', () => {
    const { bytes } = buildElf({ header: { e_phnum: 5000, e_phoff: 64 } });
    const p = parse(bytes);
    expect(p.errors.map((e) => e.field)).toEqual(['e_phnum']);
    expect(p.slices[0]!.report).toBeDefined();
  });

  it('a huge e_shnum from section 0 (extended numbering) is bounded by the bytes left', () => {
    const { bytes, shdrOffset } = buildElf({
      sections: [{ name: '.a', type: SHT_PROGBITS, data: new Uint8Array(4) }],
      extendedNumbering: true,
    });
    poke(bytes, shdrOffset[0]! + 32, 8, 0x7fffffffn); // sh_size of section 0 = e_shnum
    const p = parse(bytes);
    expect(p.errors.map((e) => e.field)).toContain('e_shnum');
    expect(p.slices[0]!.report.sections.length).toBeGreaterThan(0);
  });

  it('bad string offsets: section names, DT_NEEDED, symbol names are recorded; the rest parses', () => {
    const layout = dynamicElf();
    const bytes = layout.bytes.slice();
    // .dynamic's first DT_NEEDED points far outside .dynstr.
    poke(bytes, layout.dataOffset['.dynamic']! + 8, 8, 0x10000n);
    // The one dynamic symbol's st_name too.
    poke(bytes, layout.dataOffset['.dynsym']! + 24, 4, 0x20000);
    // And one section name.
    const elf0 = readElf(Reader.of(layout.bytes));
    poke(bytes, elf0.sections[1]!.at, 4, 0x30000);
    const p = parse(bytes);
    expect(p.errors.map((e) => e.field)).toEqual(['sh_name[1]', 'DT_NEEDED', '.dynsym[1].st_name']);
    const r = p.slices[0]!.report;
    expect(r.libraries).toEqual(['libm.so.6']);
    expect(r.imports).toEqual([{ name: '', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' }]);
    expect(r.sections[0]!.name).toBe('');
    expect(p.errors[1]!.message).toBe(
      `DT_NEEDED: string offset 0x10000 is outside DT_STRTAB (${layout.str.data.length} bytes at 0x` +
        layout.dataOffset['.dynstr']!.toString(16) +
        ')',
    );
  });

  it('verneed chains that point backwards or outside the section end the walk with an error', () => {
    const str = strtab(DYNSTR_NAMES);
    // vn_next = 0xfffffff0 would step back 16 bytes in 32-bit pointer arithmetic: a cycle in C.
    const back = new Encoder(true, true)
      .u16(1)
      .u16(1)
      .u32(str.offsets['libc.so.6']!)
      .u32(16)
      .u32(0xfffffff0)
      .u32(0)
      .u16(0)
      .u16(2)
      .u32(str.offsets['GLIBC_2.17']!)
      .u32(0)
      .done();
    const r1 = parse(dynamicElf({ verneed: back, verneedCount: 2 }).bytes);
    expect(r1.errors.map((e) => e.field)).toEqual(['vn_next']);
    expect(r1.slices[0]!.report.imports[0]).toEqual({ name: 'puts', library: 'libc.so.6', weak: false, version: 'GLIBC_2.17' });
    // vna_next that keeps pointing at itself (0 would end it; 16 steps off the end).
    const self = new Encoder(true, true)
      .u16(1)
      .u16(0xffff)
      .u32(str.offsets['libc.so.6']!)
      .u32(16)
      .u32(0)
      .u32(0)
      .u16(0)
      .u16(2)
      .u32(str.offsets['GLIBC_2.17']!)
      .u32(16)
      .done();
    const r2 = parse(dynamicElf({ verneed: self }).bytes);
    expect(r2.errors.map((e) => e.field)).toEqual(['vna_next']);
  });

  it('a note whose descsz runs past its section is recorded; earlier notes are kept', () => {
    const good = note(true, true, 'GNU', 3, new Uint8Array([1, 2, 3, 4]));
    const bad = new Encoder(true, true).u32(4).u32(0x7fffffff).u32(3).bytes(new TextEncoder().encode('GNU\0')).done();
    const data = new Uint8Array([...good, ...bad]);
    const p = parse(buildElf({ sections: [{ name: '.note', type: SHT_NOTE, flags: A, data }] }).bytes);
    expect(p.errors.map((e) => e.field)).toEqual(['n_descsz']);
    expect(p.slices[0]!.report.buildId).toBe('01020304');
  });

  it('a dynamic table without DT_NULL and with an unmapped DT_STRTAB falls back to the section string table', () => {
    const layout = dynamicElf({
      dynEntries: [
        [1, 1],
        [5, 0x7fff0000],
      ],
    });
    const p = parse(layout.bytes);
    expect(p.warnings).toEqual([`dynamic table at 0x${layout.dataOffset['.dynamic']!.toString(16)} has no DT_NULL terminator`]);
    expect(p.errors.map((e) => [e.field, e.message])).toEqual([
      ['DT_STRTAB', "DT_STRTAB 0x7fff0000 is not in any PT_LOAD segment's file contents"],
    ]);
    expect(p.slices[0]!.report.libraries).toEqual(['libc.so.6']);
  });

  it('symbol table larger than the file is cut to what fits', () => {
    const str = strtab(['a']);
    const { bytes, shdrOffset } = buildElf({
      sections: [
        {
          name: '.symtab',
          type: SHT_SYMTAB,
          data: symbols(true, true, [{ name: 1, bind: 1, shndx: 0xfff1 }]),
          link: 2,
          entsize: 24,
          align: 8,
        },
        { name: '.strtab', type: SHT_STRTAB, data: str.data },
      ],
    });
    poke(bytes, shdrOffset[1]! + 32, 8, 24n * 1_000_000n);
    const p = parse(bytes);
    // The section runs past the end of the file; the table is read as far as it goes, and not counted.
    expect(p.errors.map((e) => e.field)).toEqual(['sh_offset', '.symtab']);
    expect(p.slices[0]!.report.symbols).toMatchObject({ defined: 0, undefined: 0 });
    expect(p.slices[0]!.report.incomplete).toContain('symbols');
    const elf = readElf(Reader.of(bytes));
    // Whole entries up to the end of the file; what follows the real table reads as symbols too.
    expect(elf.symtab!.count).toBe(Math.floor((bytes.length - elf.symtab!.offset) / 24));
    expect(p.slices[0]!.symbols()[0]!.name).toBe('a');
  });
});

describe('robustness: mutated fixtures never throw anything but FormatError', () => {
  const ROUNDS = Number(process.env.ELF_MUTATION_ROUNDS ?? 150);
  // Deterministic PRNG so a failure reproduces.
  let seed = 0x2545f491;
  const rand = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const names = [
    'aarch64-glibc-pie-pacbti',
    'aarch64-libversioned.so.1',
    'aarch64-musl-pie',
    'armv7-bare.o',
    'mips-bare.o',
    'x86_64-static-cet',
    'i386-static',
    'ppc64-static',
  ];
  it.each(names)('%s', (name) => {
    const original = fixture(name);
    for (let round = 0; round < ROUNDS; round++) {
      const b = round % 3 === 0 ? original.slice(0, rand(original.length)) : original.slice();
      if (round % 3 !== 0) {
        // Corrupt a few bytes, favouring the headers and tables at the start and end.
        for (let k = 0; k < 1 + rand(8); k++) {
          const at =
            rand(4) === 0 ? rand(Math.min(b.length, 256)) : rand(4) === 0 ? b.length - 1 - rand(Math.min(b.length, 512)) : rand(b.length);
          b[at] = rand(256);
        }
      }
      let p: ParsedFile;
      try {
        p = parse(b);
      } catch (e) {
        // Only an unreadable ELF header may stop the parse, and only as a FormatError.
        if (!(e instanceof FormatError)) throw new Error(`${name} round ${round}: ${(e as Error).stack}`, { cause: e });
        continue;
      }
      // Past the header, problems are recorded: the lazy tables must not throw at all.
      const s = p.slices[0];
      if (!s) {
        // Cut inside the header: recorded as missing, nothing else read.
        expect(p.missing?.[0]?.part.kind, `${name} round ${round}`).toBe('header');
        continue;
      }
      expect(
        () => [s.symbols(), s.mappingSymbols(), s.unwindFunctions!(), JSON.stringify(s.report)],
        `${name} round ${round}`,
      ).not.toThrow();
    }
  });
});
