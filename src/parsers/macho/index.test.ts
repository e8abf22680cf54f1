// The Mach-O parser on the project's own fixtures (fixtures/macho, built by
// build.sh). Expected values were read off llvm-objdump-19 --macho,
// llvm-nm-19 and llvm-lipo-19 for the same files.

import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { fixtureBytes } from '../../../test/corpus.ts';
import { Reader } from '../reader.ts';
import { parseMachO, type MachOSlice } from './index.ts';

function load(name: string): { file: ReturnType<typeof parseMachO>; slices: MachOSlice[]; bytes: Uint8Array } {
  const bytes = fixtureBytes(`macho/bin/${name}`);
  const file = parseMachO(Reader.of(bytes));
  return { file, slices: file.slices as MachOSlice[], bytes };
}

const LIBSYSTEM = '/usr/lib/libSystem.B.dylib';

describe('lld-arm64-macos-exe (dyld info)', () => {
  const { file, slices } = load('lld-arm64-macos-exe');
  const s = slices[0]!;
  const r = s.report;

  it('reads cleanly', () => {
    expect(file.format).toBe('macho');
    expect(file.errors).toEqual([]);
    expect(file.warnings).toEqual([]);
    expect(slices).toHaveLength(1);
  });

  it('header and identity', () => {
    expect({
      arch: r.arch,
      cpu: r.cpu,
      bits: r.bits,
      endian: r.endian,
      fileType: r.fileType,
      fileTypeRaw: r.fileTypeRaw,
      flags: r.flags,
    }).toEqual({
      arch: 'arm64',
      cpu: { type: 0x100000c, subtype: 0, name: 'CPU_TYPE_ARM64' },
      bits: 64,
      endian: 'little',
      fileType: 'executable',
      fileTypeRaw: 'MH_EXECUTE',
      flags: ['MH_NOUNDEFS', 'MH_DYLDLINK', 'MH_TWOLEVEL', 'MH_PIE', 'MH_HAS_TLV_DESCRIPTORS'],
    });
    expect(r.ptrAuthAbi).toBeUndefined();
    expect({
      platform: r.platform,
      minOS: r.minOS,
      sdk: r.sdk,
      uuid: r.uuid,
      entry: r.entry,
      linkage: r.linkage,
      interpreter: r.interpreter,
    }).toEqual({
      platform: 'macos',
      minOS: '12.0',
      sdk: '13.0',
      uuid: '4C4C442D-5555-3144-A127-58591164150A',
      entry: '0x1000006d8', // __TEXT vmaddr + LC_MAIN entryoff 1752
      linkage: 'dynamic',
      interpreter: '/usr/lib/dyld',
    });
  });

  it('load commands in file order', () => {
    expect(r.loadCommands!.map((c) => c.cmd)).toEqual([
      'LC_SEGMENT_64',
      'LC_SEGMENT_64',
      'LC_SEGMENT_64',
      'LC_SEGMENT_64',
      'LC_SEGMENT_64',
      'LC_DYLD_INFO_ONLY',
      'LC_SYMTAB',
      'LC_DYSYMTAB',
      'LC_RPATH',
      'LC_RPATH',
      'LC_LOAD_DYLINKER',
      'LC_UUID',
      'LC_BUILD_VERSION',
      'LC_MAIN',
      'LC_LOAD_DYLIB',
      'LC_LOAD_DYLIB',
      'LC_LOAD_WEAK_DYLIB',
      'LC_FUNCTION_STARTS',
      'LC_DATA_IN_CODE',
      'LC_CODE_SIGNATURE',
    ]);
    expect(r.loadCommands![0]).toEqual({
      cmd: 'LC_SEGMENT_64',
      cmdsize: 72,
      offset: '0x20',
      summary: '__PAGEZERO 0x0 +0x100000000 ---, file 0x0 +0x0, 0 sections',
    });
  });

  it('libraries, versions, rpaths', () => {
    expect(r.libraryDetails.map(({ command: _, ...l }) => l)).toEqual([
      { name: LIBSYSTEM, kind: 'load', currentVersion: '1351.0.0', compatibilityVersion: '1.0.0' },
      { name: '@rpath/libgreet.dylib', kind: 'load', currentVersion: '1.2.3', compatibilityVersion: '1.0.0' },
      { name: '@rpath/libopt.dylib', kind: 'weak', currentVersion: '0.0.0', compatibilityVersion: '0.0.0' },
    ]);
    expect(r.libraries).toEqual(r.libraryDetails.map((l) => l.name));
    // Each names its own command, by index, not by a summary's text.
    expect(r.libraryDetails.map((l) => r.loadCommands![l.command!]!.cmd)).toEqual(['LC_LOAD_DYLIB', 'LC_LOAD_DYLIB', 'LC_LOAD_WEAK_DYLIB']);
    expect(new Set(r.libraryDetails.map((l) => l.command)).size).toBe(3);
    expect(r.rpathDetails).toEqual([
      { path: '@executable_path/../lib', source: 'LC_RPATH' },
      { path: '@loader_path/', source: 'LC_RPATH' },
    ]);
    expect(r.installName).toBeNull();
  });

  it('segments and sections', () => {
    expect(r.segments.map((x) => [x.name, x.address, x.size, x.offset, x.fileSize, x.perms, x.maxPerms, x.flags])).toEqual([
      ['__PAGEZERO', '0x0', 0x100000000, '0x0', 0, '---', '---', []],
      ['__TEXT', '0x100000000', 0x4000, '0x0', 0x4000, 'r-x', 'r-x', []],
      ['__DATA_CONST', '0x100004000', 0x4000, '0x4000', 0x4000, 'rw-', 'rw-', ['SG_READ_ONLY']],
      ['__DATA', '0x100008000', 0x4000, '0x8000', 0x4000, 'rw-', 'rw-', []],
      ['__LINKEDIT', '0x10000c000', r.segments[4]!.size, '0xc000', r.segments[4]!.fileSize, 'r--', 'r--', []],
    ]);
    expect(r.sections.map((x) => `${x.segment},${x.name} ${x.type} [${x.flags}]`)).toEqual([
      '__TEXT,__text S_REGULAR [PURE_INSTRUCTIONS SOME_INSTRUCTIONS]',
      '__TEXT,__stubs S_SYMBOL_STUBS [PURE_INSTRUCTIONS SOME_INSTRUCTIONS]',
      '__TEXT,__stub_helper S_REGULAR [PURE_INSTRUCTIONS SOME_INSTRUCTIONS]',
      '__TEXT,__cstring S_CSTRING_LITERALS []',
      '__DATA_CONST,__got S_NON_LAZY_SYMBOL_POINTERS []',
      '__DATA,__la_symbol_ptr S_LAZY_SYMBOL_POINTERS []',
      '__DATA,__data S_REGULAR []',
      '__DATA,__thread_vars S_THREAD_LOCAL_VARIABLES []',
      '__DATA,__thread_bss S_THREAD_LOCAL_ZEROFILL []',
    ]);
    expect(r.sections.at(-1)!.offset).toBe('0x0');
  });

  it('binds as llvm-objdump lists them', () => {
    // llvm-objdump shows (weak_import) in the bind table only; the flag is set in both streams.
    const rows = s.macho.binds.map(
      (b) =>
        `${b.table} ${b.address === null ? '-' : '0x' + b.address.toString(16)} ${b.ordinal} ${b.addend} ${b.symbol}${b.flags & 1 ? ' (weak_import)' : ''}`,
    );
    expect(rows).toEqual([
      'bind 0x100004000 1 0 ___stack_chk_guard',
      'bind 0x100004008 3 0 _opt_feature (weak_import)',
      'bind 0x100004010 1 0 dyld_stub_binder',
      'bind 0x100008030 2 0 _greet',
      'bind 0x100008038 2 16 _greet_table',
      'bind 0x100008048 1 0 __tlv_bootstrap',
      'lazy 0x100008000 1 0 ___stack_chk_fail',
      'lazy 0x100008008 1 0 _printf',
      'lazy 0x100008010 2 0 _extra_value',
      'lazy 0x100008018 3 0 _opt_feature (weak_import)',
      'lazy 0x100008020 1 0 ___memcpy_chk',
      'lazy 0x100008028 1 0 _getenv',
    ]);
    expect(r.fixups).toEqual({
      source: 'LC_DYLD_INFO_ONLY',
      rebases: 6,
      binds: 6,
      lazyBinds: 6,
      weakBinds: 0,
      authRebases: 0,
      authBinds: 0,
      imports: 0,
      pointerFormats: [],
    });
  });

  it('imports: one per symbol and library, weak when any bind is', () => {
    const byName = Object.fromEntries(r.imports.map((i) => [i.name, i]));
    expect(r.imports).toHaveLength(11);
    expect(byName._opt_feature).toEqual({ name: '_opt_feature', library: '@rpath/libopt.dylib', weak: true, ordinal: 3 });
    expect(byName._greet_table).toEqual({ name: '_greet_table', library: '@rpath/libgreet.dylib', weak: false, ordinal: 2 });
    expect(byName._printf).toEqual({ name: '_printf', library: LIBSYSTEM, weak: false, ordinal: 1 });
  });

  it('symbols as llvm-nm lists them, exports marked', () => {
    expect(r.symbols).toEqual({ defined: 8, undefined: 11, table: 'LC_SYMTAB' });
    const rows = s.symbols();
    expect(rows).toBe(s.symbols()); // memoized
    expect(rows.filter((x) => !x.recovered)).toHaveLength(19);
    expect(rows.find((x) => x.name === '_main')).toEqual({
      name: '_main',
      address: 0x1000006d8n,
      size: null,
      defined: true,
      type: 'func',
      bind: 'global',
      section: '__text',
      library: null,
      version: null,
      exported: true,
    });
    expect(rows.find((x) => x.name === '_calls')).toMatchObject({
      defined: true,
      type: 'tls',
      bind: 'local',
      section: '__thread_vars',
      exported: false,
    });
    expect(rows.find((x) => x.name === '_greeter')).toMatchObject({ type: 'object', section: '__data', exported: true });
    expect(rows.find((x) => x.name === '_greet')).toMatchObject({ address: null, defined: false, library: '@rpath/libgreet.dylib' });
    expect(rows.find((x) => x.name === '_opt_feature')).toMatchObject({ defined: false, bind: 'weak', library: '@rpath/libopt.dylib' });
    expect(r.exports).toBe(5);
    expect(s.macho.exports!.map((e) => e.name).sort()).toEqual(['__mh_execute_header', '_greet_tail', '_greeter', '_host_api', '_main']);
    expect(r.stripped).toBe(false);
  });

  it('function starts', () => {
    expect(r.functionStarts).toBe(2);
    expect(s.functionStarts()).toEqual([0x100000690n, 0x1000006d8n]);
    expect(s.mappingSymbols()).toEqual([]);
  });

  it('features', () => {
    const { sources, ...f } = r.features;
    expect(f).toEqual({ pie: true, nx: true, relro: null, canary: true, fortify: true, bti: null, pac: false, ibt: null, shstk: null });
    expect(Object.keys(sources).sort()).toEqual(['bti', 'canary', 'fortify', 'ibt', 'nx', 'pac', 'pie', 'relro', 'shstk']);
    expect(sources.fortify).toBe('___memcpy_chk in imports');
  });

  it('linker ad-hoc signature: code slots hash the file pages', () => {
    const cs = r.codeSignature!;
    expect({ ...cs, cdHash: cs.cdHash?.length }).toEqual({
      adhoc: true,
      linkerSigned: true,
      identifier: 'lld-arm64-macos-exe',
      teamId: null,
      cdHash: 40,
      hashType: 'sha256',
      flags: ['adhoc', 'linker-signed'],
      entitlements: null,
      entitlementsDer: null,
      requirements: null,
      hasCmsSignature: false,
      version: '0x20400',
      execSegFlags: ['CS_EXECSEG_MAIN_BINARY'],
      candidates: [{ hashType: 'sha256', cdHash: cs.cdHash }],
    });
  });
});

describe('code directory hashes', () => {
  // The CodeDirectory's code slots are the hashes of each page of the file up
  // to codeLimit; checking them proves the CodeDirectory was located and read
  // with the right hash type, and the CDHash is the hash of that same blob.
  for (const name of [
    'lld-arm64-macos-exe',
    'lld-arm64-macos-exe-chained',
    'lld-x86_64-macos-exe',
    'lld-arm64-macos-dylib',
    'lld-arm64-macos-bundle',
  ]) {
    it(name, () => {
      const { slices, bytes } = load(name);
      const s = slices[0]!;
      const cd = s.macho.codeSignature!.best!;
      const csCmd = s.macho.image.linkedit.get('LC_CODE_SIGNATURE')!;
      const blob = s.macho.codeSignature!.blobs.find((b) => b.magic === 0xfade0c02)!;
      const cdBytes = bytes.subarray(csCmd.dataoff + blob.offset, csCmd.dataoff + blob.offset + blob.length);
      const dv = new DataView(cdBytes.buffer, cdBytes.byteOffset, cdBytes.byteLength);
      const hashOffset = dv.getUint32(16);
      const page = 2 ** cd.pageSize;
      expect(cd.nCodeSlots).toBe(Math.ceil(Number(cd.codeLimit) / page));
      for (let i = 0; i < cd.nCodeSlots; i++) {
        const want = sha256(bytes.subarray(i * page, Math.min((i + 1) * page, Number(cd.codeLimit))));
        expect(cdBytes.subarray(hashOffset + i * 32, hashOffset + (i + 1) * 32), `page ${i}`).toEqual(want);
      }
      expect(cd.cdHash).toBe(Array.from(sha256(cdBytes).subarray(0, 20), (b) => b.toString(16).padStart(2, '0')).join(''));
      expect(s.report.codeSignature!.cdHash).toBe(cd.cdHash);
    });
  }
});

describe('lld-arm64-macos-exe-chained (chained fixups)', () => {
  const { file, slices } = load('lld-arm64-macos-exe-chained');
  const s = slices[0]!;
  const cf = s.macho.chained!;

  it('header, starts and imports as llvm-objdump --chained-fixups prints them', () => {
    expect(file.errors).toEqual([]);
    expect(cf.header).toEqual({
      fixups_version: 0,
      starts_offset: 32,
      imports_offset: 104,
      symbols_offset: 144,
      imports_count: 10,
      imports_format: 1,
      symbols_format: 0,
    });
    expect(cf.seg_info_offset).toEqual([0, 0, 24, 48, 0]);
    expect(cf.starts.map((x) => [x.segIndex, x.page_size, x.pointer_format, x.segment_offset, x.page_count, x.page_start])).toEqual([
      [2, 0x4000, 2, 0x4000n, 1, [0]],
      [3, 0x4000, 2, 0x8000n, 1, [0]],
    ]);
    expect(cf.imports.map((i) => `${i.lib_ordinal} ${i.weak_import ? 'weak ' : ''}${i.name}`)).toEqual([
      '1 ___stack_chk_fail',
      '1 ___stack_chk_guard',
      '1 _printf',
      '2 _extra_value',
      '3 weak _opt_feature',
      '1 ___memcpy_chk',
      '1 _getenv',
      '2 _greet',
      '2 _greet_table',
      '1 __tlv_bootstrap',
    ]);
  });

  it('walks every chain (llvm-objdump --dyld-info: 10 binds, no rebases)', () => {
    expect(s.report.fixups).toEqual({
      source: 'LC_DYLD_CHAINED_FIXUPS',
      rebases: 0,
      binds: 10,
      lazyBinds: 0,
      weakBinds: 0,
      authRebases: 0,
      authBinds: 0,
      imports: 10,
      pointerFormats: ['DYLD_CHAINED_PTR_64'],
    });
    expect(s.report.imports.find((i) => i.name === '_opt_feature')).toEqual({
      name: '_opt_feature',
      library: '@rpath/libopt.dylib',
      weak: true,
      ordinal: 3,
    });
    expect(s.macho.exports!.map((e) => [e.name, s.macho.base + e.address!])).toEqual([
      ['__mh_execute_header', 0x100000000n],
      ['_host_api', 0x1000005c0n],
      ['_main', 0x100000608n],
      ['_greet_tail', 0x100008008n],
      ['_greeter', 0x100008000n],
    ]);
    expect(s.report.exports).toBe(5);
    expect(s.report.minOS).toBe('13.0');
  });
});

describe('lld-arm64-macos-dylib', () => {
  const { file, slices } = load('lld-arm64-macos-dylib');
  const s = slices[0]!;
  const r = s.report;

  it('identity, re-export, rpath', () => {
    expect(file.errors).toEqual([]);
    expect({ fileType: r.fileType, installName: r.installName, entry: r.entry, interpreter: r.interpreter, linkage: r.linkage }).toEqual({
      fileType: 'shared-library',
      installName: '@rpath/libgreet.dylib',
      entry: null,
      interpreter: null,
      linkage: 'dynamic',
    });
    // lld writes libextra twice: LC_LOAD_DYLIB and LC_REEXPORT_DYLIB.
    expect(r.libraryDetails.map((l) => [l.name, l.kind])).toEqual([
      [LIBSYSTEM, 'load'],
      ['@rpath/libextra.dylib', 'load'],
      ['@rpath/libextra.dylib', 'reexport'],
    ]);
    expect(r.rpaths).toEqual(['@loader_path/']);
    expect(r.features.pie).toBe(true);
  });

  it('export trie kinds and the weak-bind entry', () => {
    expect(s.macho.exports!.map((e) => [e.name, e.kind, e.attributes, e.address])).toEqual([
      ['_greet_table', 'regular', [], 0x8030n],
      ['_greet_style', 'regular', ['weak'], 0x618n],
      ['_greet_count', 'thread-local', [], 0x8018n],
      ['_greet', 'regular', [], 0x660n],
    ]);
    const weak = s.macho.binds.filter((b) => b.table === 'weak');
    expect(weak.map((b) => [b.address, b.symbol, b.ordinal])).toEqual([[0x8010n, '_greet_style', 0]]);
    expect(r.fixups).toMatchObject({ rebases: 3, binds: 3, lazyBinds: 2, weakBinds: 1 });
    // Weak-bind entries coalesce definitions; they are not imports.
    expect(r.imports.map((i) => i.name).sort()).toEqual([
      '___stack_chk_fail',
      '___stack_chk_guard',
      '__tlv_bootstrap',
      '_printf',
      'dyld_stub_binder',
    ]);
    expect(s.symbols().find((x) => x.name === '_greet_count')).toMatchObject({ type: 'tls', exported: true });
  });
});

describe('lld-arm64-macos-bundle: special ordinals', () => {
  const { slices } = load('lld-arm64-macos-bundle');
  const r = slices[0]!.report;
  it('main executable and flat lookup binds have no library', () => {
    expect(r.fileType).toBe('bundle');
    const by = Object.fromEntries(r.imports.map((i) => [i.name, i]));
    expect(by._host_api).toEqual({ name: '_host_api', library: null, weak: false, ordinal: -1 });
    expect(by._late_hook).toEqual({ name: '_late_hook', library: null, weak: false, ordinal: -2 });
    expect(by._puts).toEqual({ name: '_puts', library: LIBSYSTEM, weak: false, ordinal: 1 });
    expect(r.fixups).toMatchObject({ rebases: 4, binds: 2, lazyBinds: 4 });
  });
});

describe('lld-x86_64-macos-exe', () => {
  const { file, slices } = load('lld-x86_64-macos-exe');
  const r = slices[0]!.report;
  it('LC_VERSION_MIN_MACOSX gives platform and versions', () => {
    expect(file.errors).toEqual([]);
    expect({ arch: r.arch, cpu: r.cpu, platform: r.platform, minOS: r.minOS, sdk: r.sdk, entry: r.entry }).toEqual({
      arch: 'x86_64',
      cpu: { type: 0x1000007, subtype: 3, name: 'CPU_TYPE_X86_64' },
      platform: 'macos',
      minOS: '10.13',
      sdk: '13.0',
      entry: '0x100000650',
    });
    expect(r.features.pac).toBeNull();
    expect(slices[0]!.macho.image.header.cpusubtype).toBe(0x80000003); // CPU_SUBTYPE_LIB64 kept in the raw header only
  });
});

describe('lld-universal-macos-exe', () => {
  const { file, slices, bytes } = load('lld-universal-macos-exe');
  it('two slices with their own offsets, each a whole report', () => {
    expect(file.format).toBe('macho-fat');
    expect(file.errors).toEqual([]);
    expect(file.warnings).toEqual([]);
    expect(slices.map((s) => [s.report.index, s.report.arch, s.report.offset, s.report.size, s.macho.fatArch!.align])).toEqual([
      [0, 'x86_64', '0x1000', 9392, 12],
      [1, 'arm64', '0x4000', 50672, 14],
    ]);
    // Offsets inside a slice are relative to it: the same as the thin files.
    const thin = load('lld-arm64-macos-exe').slices[0]!.report;
    expect(slices[1]!.report.sections).toEqual(thin.sections);
    expect(slices[1]!.report.codeSignature).toEqual(thin.codeSignature);
    expect(slices[1]!.reader.base).toBe(0x4000);
    expect(slices[1]!.reader.length + slices[1]!.reader.base).toBe(bytes.length);
  });
});

describe('MH_OBJECT files', () => {
  it('arm64e object: unversioned pointer-auth ABI, pac true', () => {
    const { file, slices } = load('clang-arm64e-macos-obj.o');
    const r = slices[0]!.report;
    expect(file.errors).toEqual([]);
    expect({
      arch: r.arch,
      ptrAuthAbi: r.ptrAuthAbi,
      cpu: r.cpu,
      fileType: r.fileType,
      linkage: r.linkage,
      entry: r.entry,
      platform: r.platform,
      minOS: r.minOS,
      sdk: r.sdk,
    }).toEqual({
      arch: 'arm64e',
      ptrAuthAbi: null,
      cpu: { type: 0x100000c, subtype: 2, name: 'CPU_TYPE_ARM64' },
      fileType: 'object',
      linkage: 'static',
      entry: null,
      platform: 'macos',
      minOS: '14.0',
      sdk: null,
    });
    expect(r.features.pac).toBe(true);
    expect(r.features.pie).toBeNull();
    expect(r.symbols).toEqual({ defined: 14, undefined: 10, table: 'LC_SYMTAB' });
    expect(r.segments.map((s) => s.name)).toEqual(['']);
    expect(r.sections.map((s) => `${s.segment},${s.name}`)).toContain('__TEXT,__text');
    expect(r.loadCommands!.map((c) => c.cmd)).toEqual([
      'LC_SEGMENT_64',
      'LC_BUILD_VERSION',
      'LC_LINKER_OPTIMIZATION_HINT',
      'LC_SYMTAB',
      'LC_DYSYMTAB',
    ]);
    // No dyld info in an object: imports are its undefined symbols.
    expect(r.imports.map((i) => i.name).sort()).toEqual([
      '___memcpy_chk',
      '___stack_chk_fail',
      '___stack_chk_guard',
      '__tlv_bootstrap',
      '_extra_value',
      '_getenv',
      '_greet',
      '_greet_table',
      '_opt_feature',
      '_printf',
    ]);
    expect(r.imports.find((i) => i.name === '_opt_feature')!.weak).toBe(true);
  });

  it('arm64 object', () => {
    const { slices } = load('clang-arm64-macos-obj.o');
    expect(slices[0]!.report.arch).toBe('arm64');
    expect(slices[0]!.report.features.pac).toBe(false);
    expect(slices[0]!.report.codeSignature).toBeNull();
  });
});
