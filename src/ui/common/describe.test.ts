import { describe, expect, it } from 'vitest';
import type { Report, SliceReport } from '../../report/types.ts';
import { featureRows, headline, humanSize, problemSummary, sentence, sliceHeadline } from './describe.ts';

function slice(over: Partial<SliceReport> = {}): SliceReport {
  return {
    index: 0,
    offset: '0x0',
    size: 100,
    arch: 'arm64',
    cpu: { type: 0x0100000c, subtype: 0, name: 'arm64' },
    bits: 64,
    endian: 'little',
    fileType: 'executable',
    fileTypeRaw: 'MH_EXECUTE',
    platform: 'macos',
    minOS: '12.0',
    sdk: '13.0',
    entry: '0x100003f80',
    linkage: 'dynamic',
    interpreter: '/usr/lib/dyld',
    libraries: ['/usr/lib/libSystem.B.dylib'],
    libraryDetails: [{ name: '/usr/lib/libSystem.B.dylib', kind: 'load' }],
    rpaths: [],
    rpathDetails: [],
    installName: null,
    uuid: null,
    buildId: null,
    segments: [],
    sections: [],
    symbols: { defined: 1, undefined: 1, table: 'LC_SYMTAB' },
    imports: [],
    exports: 1,
    codeSignature: {
      adhoc: true,
      linkerSigned: false,
      identifier: 'hello',
      teamId: null,
      cdHash: null,
      hashType: 'sha256',
      flags: ['adhoc'],
      entitlements: null,
      entitlementsDer: null,
      requirements: null,
      hasCmsSignature: false,
    },
    encryption: null,
    features: {
      pie: true,
      nx: true,
      relro: null,
      canary: false,
      fortify: null,
      bti: null,
      pac: null,
      ibt: null,
      shstk: null,
      sources: { pie: 'MH_PIE flag' },
    },
    functionStarts: null,
    flags: [],
    stripped: false,
    ...over,
  };
}

function report(over: Partial<Report>): Report {
  return { schema: 1, file: { name: 'f', size: 1, sha256: '' }, format: 'macho', errors: [], warnings: [], slices: [slice()], ...over };
}

describe('headline', () => {
  it('leads with architecture, type, platform, linkage and signing', () => {
    expect(headline(report({}))).toBe('arm64 executable for macOS 12.0+, dynamically linked, ad-hoc signed');
  });

  it('writes Apple OS versions the short way, and an ELF minimum as a kernel version', () => {
    expect(headline(report({ slices: [slice({ minOS: '12.0.0' })] }))).toMatch(/^arm64 executable for macOS 12\.0\+,/);
    expect(headline(report({ slices: [slice({ minOS: '10.13.4' })] }))).toMatch(/macOS 10\.13\.4\+/);
    const elf = slice({ platform: 'linux', minOS: '3.7.0', codeSignature: null });
    expect(headline(report({ format: 'elf', slices: [elf] }))).toBe('arm64 executable for Linux (kernel 3.7.0+), dynamically linked');
  });

  it('says unsigned, linker-signed and team-signed apart', () => {
    expect(sliceHeadline(slice({ codeSignature: null }), 'macho')).toMatch(/, unsigned$/);
    const cs = slice().codeSignature!;
    expect(sliceHeadline(slice({ codeSignature: { ...cs, linkerSigned: true } }), 'macho')).toMatch(/ad-hoc signed by the linker$/);
    expect(sliceHeadline(slice({ codeSignature: { ...cs, adhoc: false, teamId: 'ABCDE12345' } }), 'macho')).toMatch(
      /signed by team ABCDE12345$/,
    );
  });

  it('describes ELF without Mach-O signing words', () => {
    const s = slice({
      platform: 'linux',
      minOS: null,
      fileType: 'shared-library',
      fileTypeRaw: 'ET_DYN',
      linkage: 'dynamic',
      codeSignature: null,
    });
    expect(headline(report({ format: 'elf', slices: [s] }))).toBe('arm64 shared library for Linux, dynamically linked');
    const st = slice({
      platform: null,
      minOS: null,
      linkage: 'static',
      codeSignature: null,
      go: { version: 'go1.19.8', path: null, main: null, deps: [], settings: {}, stripped: false, functions: 10 },
    });
    expect(headline(report({ format: 'elf', slices: [st] }))).toBe('arm64 executable, statically linked, built with Go 1.19.8');
  });

  it('lists the architectures of a universal binary', () => {
    const r = report({ format: 'macho-fat', slices: [slice({ arch: 'x86_64' }), slice({ index: 1 })] });
    expect(headline(r)).toBe('Universal binary: x86_64 + arm64');
  });

  it('says what a non-binary is', () => {
    const png = report({ format: 'unknown', slices: [], notBinary: { kind: 'PNG image', reason: 'This is a PNG image.' } });
    expect(headline(png)).toBe('Not a binary: this is a PNG image');
    expect(headline({ ...png, notBinary: { kind: 'ELF-like archive', reason: '' } })).toBe('Not a binary: this is an ELF-like archive');
    expect(headline({ ...png, notBinary: { kind: 'empty file', reason: '' } })).toBe('Not a binary: the file is empty');
  });

  it('says a file whose headers are unreadable is damaged, and counts problems', () => {
    const r = report({ format: 'elf', slices: [], errors: [{ message: 'e_phoff runs past the end', offset: '0x20', field: 'e_phoff' }] });
    expect(headline(r)).toBe('Damaged ELF file: its headers could not be read');
    expect(problemSummary(r)).toBe('One problem in this file. Nothing more could be read.');
    expect(problemSummary(report({}))).toBeNull();
  });

  it('does not guess what a cut-short file leaves unknown', () => {
    const cut = slice({
      platform: null,
      minOS: null,
      fileType: 'executable',
      fileTypeRaw: 'ET_DYN',
      linkage: 'unknown',
      codeSignature: null,
      incomplete: ['fileType', 'linkage', 'features'],
    });
    const r = report({
      format: 'elf',
      slices: [cut],
      errors: [{ message: 'program header table at 0x40 claims 9 entries', offset: '0x40', field: 'e_phnum' }],
      truncated: {
        end: '0x40',
        missing: [{ slice: 0, kind: 'program-headers', what: 'program headers', field: 'e_phoff', start: '0x40', end: '0x238' }],
      },
    });
    expect(headline(r)).toBe('arm64 executable or shared library, linkage unknown (file truncated)');
    expect(problemSummary(r)).toBe(
      'The file is cut short: it ends at 0x40, before parts its headers place in it; one problem reading it. What follows is what could be read.',
    );
    const signed = slice({ incomplete: ['codeSignature'], codeSignature: null });
    expect(sliceHeadline(signed, 'macho')).toBe('arm64 executable for macOS 12.0+, dynamically linked, signature unknown (file truncated)');
  });
});

describe('formatting', () => {
  it('sizes in decimal units', () => {
    expect(humanSize(0)).toBe('0 bytes');
    expect(humanSize(1)).toBe('1 byte');
    expect(humanSize(999)).toBe('999 bytes');
    expect(humanSize(1983714)).toBe('2.0 MB');
    expect(humanSize(17_763_936)).toBe('18 MB');
  });

  it('gives each feature a verdict, a tone and its source', () => {
    const rows = featureRows(slice().features);
    const pie = rows.find((r) => r.key === 'pie')!;
    expect(pie).toMatchObject({ value: 'yes', tone: 'good', source: 'MH_PIE flag' });
    expect(rows.find((r) => r.key === 'canary')).toMatchObject({ value: 'no', tone: 'bad' });
    expect(rows.find((r) => r.key === 'relro')).toMatchObject({ value: 'n/a', tone: 'neutral' });
  });

  it('without the engine, BTI and PAC say they are what the file declares', () => {
    const rows = featureRows({ ...slice().features, pac: false, bti: null });
    expect(rows.find((r) => r.key === 'pac')).toMatchObject({ value: 'declared: no', tone: 'bad' });
    expect(rows.find((r) => r.key === 'bti')).toMatchObject({ value: 'n/a', tone: 'neutral' });
  });

  it('with the engine, BTI and PAC answer three questions; what no file can change is not marked bad', () => {
    const q = (declared: boolean | null, does: boolean | null, enforced: boolean | null) => ({
      declared,
      declaredBy: 'd',
      does,
      doesBy: 'c',
      enforced,
      enforcedBy: 'e',
    });
    const protection = { pac: q(false, true, false), bti: q(false, true, false) };
    const parts = (elf: boolean, key: 'pac' | 'bti') =>
      featureRows(slice().features, protection, elf)
        .find((r) => r.key === key)!
        .parts!.map((p) => `${p.question} ${p.value} ${p.tone}`);
    // Linux enforces no PAC whatever the file says; BTI it enforces when the note asks.
    expect(parts(true, 'pac')).toEqual(['declared no neutral', 'code yes good', 'enforced no neutral']);
    expect(parts(true, 'bti')).toEqual(['declared no bad', 'code yes good', 'enforced no bad']);
    // Apple platforms use no BTI; PAC is theirs for arm64e only, which the file can choose.
    expect(parts(false, 'bti')).toEqual(['declared no neutral', 'code yes good', 'enforced no neutral']);
    expect(parts(false, 'pac')).toEqual(['declared no bad', 'code yes good', 'enforced no bad']);
  });

  it('makes sentences of reasons without capitalizing names', () => {
    expect(sentence('not arm64e: keys are off')).toBe('Not arm64e: keys are off.');
    expect(sentence('arm64 (CPU subtype 0) does not declare it')).toBe('arm64 (CPU subtype 0) does not declare it.');
    expect(sentence('GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0x1 (BTI)')).toBe('GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0x1 (BTI).');
    expect(sentence('on CPUs with BTI, it stops.')).toBe('On CPUs with BTI, it stops.');
  });
});
