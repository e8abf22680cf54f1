// Go structures no toolchain here makes: every pclntab layout in both byte
// orders and both pointer sizes, both build-info layouts, images without
// section headers, and damaged tables that must give a recorded problem (or
// nothing) rather than an exception or a wrong answer.
import { describe, expect, it } from 'vitest';
import { readBuildInfo } from '../src/parsers/go/buildinfo.ts';
import { goFunctions, goInfo } from '../src/parsers/go/index.ts';
import { locatePclntab } from '../src/parsers/go/locate.ts';
import { FuncTable, parsePclntabHeader, type PclntabVersion } from '../src/parsers/go/pclntab.ts';
import { FormatError, Problems, Reader } from '../src/parsers/reader.ts';
import { TEXT, goImage, synthImage, writePclntab, type SynthFunc } from './go-synth.ts';

const FILES = ['/build/src/app/main.go', 'example.com/lib/lib.go'];
const FUNCS: SynthFunc[] = [
  { name: 'internal/cpu.Initialize', offset: 0x0, file: 0 },
  { name: 'runtime.sigtramp', offset: 0x40, file: -1 },
  { name: 'example.com/lib.Hello', offset: 0x80, file: 1 },
  { name: 'main.main', offset: 0xc0, file: 0 },
];
const END = 0x100;
const LAYOUTS: PclntabVersion[] = ['1.2', '1.16', '1.18', '1.20'];
const SHAPES = [
  { littleEndian: true, ptrSize: 8 as const },
  { littleEndian: false, ptrSize: 8 as const },
  { littleEndian: true, ptrSize: 4 as const },
  { littleEndian: false, ptrSize: 4 as const },
];

const expected = FUNCS.map((f, i) => ({
  entry: TEXT + BigInt(f.offset),
  end: TEXT + BigInt(FUNCS[i + 1]?.offset ?? END),
  name: f.name,
  ...(f.file >= 0 ? { file: FILES[f.file] } : {}),
}));

describe('pclntab layouts', () => {
  for (const version of LAYOUTS) {
    for (const shape of SHAPES) {
      const label = `${version} ${shape.littleEndian ? 'LE' : 'BE'} ${shape.ptrSize * 8}-bit`;
      it(`${label}: functions, ends and files from the named section`, () => {
        const { image } = goImage({ table: { version, ...shape, funcs: FUNCS, end: END, files: FILES }, moduledata: true });
        expect(goFunctions(image)).toEqual(expected);
        const info = goInfo(image)!;
        expect(info.pclntabVersion).toBe(version);
        expect(info.functions).toBe(FUNCS.length);
        expect(info.files).toBe(FILES.length);
      });
      it(`${label}: found by search and confirmed by module data when there are no section headers`, () => {
        const { image } = goImage({
          table: { version, ...shape, funcs: FUNCS, end: END, files: FILES },
          moduledata: true,
          withSections: false,
        });
        const loc = locatePclntab(image)!;
        expect(loc.foundBy).toBe('search');
        expect(loc.moduledata).not.toBeNull();
        expect(goFunctions(image)).toEqual(expected);
      });
    }
  }

  it('1.18+: the text base comes from module data when pcHeader.textStart is 0', () => {
    const { image } = goImage({
      table: { version: '1.20', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES, headerTextStart: 0n },
      moduledata: true,
      withSections: false,
    });
    const loc = locatePclntab(image)!;
    expect(loc.textStartSource).toMatch(/^moduledata\.text/);
    expect(goFunctions(image)[0]!.entry).toBe(TEXT);
  });

  it('1.18+: without module data, the section start is the text base', () => {
    const { image } = goImage({
      table: { version: '1.18', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES, headerTextStart: 0n },
    });
    const loc = locatePclntab(image)!;
    expect(loc.moduledata).toBeNull();
    expect(loc.textStartSource).toMatch(/\.text/);
    expect(goFunctions(image).map((f) => f.entry)).toEqual(expected.map((f) => f.entry));
  });

  it('a search hit the module data does not confirm still counts when the table itself validates', () => {
    const { image } = goImage({
      table: { version: '1.16', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES },
      withSections: false,
    });
    const loc = locatePclntab(image)!;
    expect(loc.foundBy).toBe('search');
    expect(loc.moduledata).toBeNull();
  });
});

describe('build info blob', () => {
  const modinfo =
    'path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\texample.com/lib\tv1.2.3\th1:abc=\nbuild\tCGO_ENABLED=0\nbuild\t-ldflags="-s -w"\n';
  for (const layout of ['inline', 'pointer'] as const) {
    for (const shape of SHAPES) {
      it(`${layout} layout, ${shape.littleEndian ? 'LE' : 'BE'} ${shape.ptrSize * 8}-bit`, () => {
        const { image } = goImage({
          table: { version: '1.18', ...shape, funcs: FUNCS, end: END, files: FILES },
          buildinfo: { layout, version: 'go1.21.4', modinfo },
        });
        const raw = readBuildInfo(image)!;
        expect(raw).toMatchObject({ version: 'go1.21.4', modinfo, layout, foundBy: 'section', ptrSize: shape.ptrSize });
        const info = goInfo(image)!;
        expect(info.version).toBe('go1.21.4');
        expect(info.versionSource).toBe('buildinfo');
        expect(info.buildInfoLayout).toBe(layout);
        expect(info.main).toEqual({ path: 'example.com/app', version: '(devel)', sum: '' });
        expect(info.deps).toEqual([{ path: 'example.com/lib', version: 'v1.2.3', sum: 'h1:abc=' }]);
        expect(info.settings).toEqual({ CGO_ENABLED: '0', '-ldflags': '-s -w' });
      });
    }
  }

  it('is found by its aligned magic in writable data when there is no section', () => {
    const { image } = goImage({
      table: { version: '1.18', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES },
      buildinfo: { layout: 'inline', version: 'go1.22.0', modinfo },
      withSections: false,
    });
    expect(readBuildInfo(image)).toMatchObject({ version: 'go1.22.0', foundBy: 'search' });
  });

  it('a blob whose inline length runs past the data is a recorded problem, not an exception', () => {
    const { image, file, slice } = goImage({
      table: { version: '1.18', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES },
      buildinfo: { layout: 'inline', version: 'go1.22.0', modinfo },
    });
    const sec = slice.report.sections.find((s) => s.name === '.go.buildinfo')!;
    // The version's uvarint length becomes huge.
    file.set([0xff, 0xff, 0xff, 0x7f], Number(BigInt(sec.offset)) + 32);
    const problems = new Problems();
    expect(readBuildInfo(image, problems)).toBeNull();
    expect(problems.errors[0]).toBeInstanceOf(FormatError);
    expect(problems.errors[0]!.field).toBe('buildinfo.version');
  });

  it('runtime.buildVersion is recovered from a string header in data when the blob is gone', () => {
    const { image } = goImage({
      table: { version: '1.20', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES },
      buildVersionVar: 'go1.26.5',
    });
    const info = goInfo(image)!;
    expect(info.version).toBe('go1.26.5');
    expect(info.versionSource).toBe('runtime.buildVersion (string header in data)');
    expect(info.main).toBeNull();
    expect(info.settings).toEqual({});
  });

  it('no build info and no version string: version is null, functions still listed', () => {
    const { image } = goImage({ table: { version: '1.20', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES } });
    const info = goInfo(image)!;
    expect(info.version).toBeNull();
    expect(info.functions).toBe(FUNCS.length);
  });
});

describe('damaged and hostile tables', () => {
  const table = () =>
    writePclntab({ version: '1.18', littleEndian: true, ptrSize: 8, textStart: TEXT, funcs: FUNCS, end: END, files: FILES });

  it('a function count larger than the bytes present is a FormatError naming pcHeader.nfunc', () => {
    const t = table();
    const b = t.bytes.slice();
    b.set([0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0], 8);
    expect(() => parsePclntabHeader(Reader.of(b))).toThrow(FormatError);
    try {
      parsePclntabHeader(Reader.of(b));
    } catch (e) {
      expect((e as FormatError).field).toBe('pcHeader.nfunc');
    }
  });

  it('an offset outside the table is a FormatError naming the field', () => {
    const b = table().bytes.slice();
    b.set([0xff, 0xff, 0xff, 0x7f], 8 + 3 * 8); // funcnameOffset
    expect(() => parsePclntabHeader(Reader.of(b))).toThrow(/funcnameOffset/);
  });

  it('every truncation of a table parses or throws FormatError, never anything else', () => {
    const b = table().bytes;
    for (let n = 0; n <= b.length; n++) {
      try {
        const h = parsePclntabHeader(Reader.of(b.subarray(0, n)));
        const t = new FuncTable(Reader.of(b.subarray(0, n)), h, TEXT);
        for (let i = 0; i < t.count; i++) {
          t.entry(i);
          t.name(i);
          t.file(i);
        }
        t.files();
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });

  it('random byte flips in an image never throw out of goInfo / goFunctions', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let round = 0; round < 200; round++) {
      const { image, file } = goImage({
        table: { version: LAYOUTS[round % 4]!, ...SHAPES[round % 3]!, funcs: FUNCS, end: END, files: FILES },
        buildinfo: { layout: round % 2 ? 'inline' : 'pointer', version: 'go1.17.1', modinfo: 'path\tx\n' },
        moduledata: true,
        withSections: round % 5 !== 0,
      });
      for (let k = 0; k < 8; k++) file[Math.floor(rand() * file.length)] = Math.floor(rand() * 256);
      const info = goInfo(image);
      const fns = goFunctions(image);
      if (info) expect(info.functions).toBe(fns.length);
    }
  });

  it('a non-Go image with header-shaped bytes in rodata is not taken for Go without section headers and validation', () => {
    // A table whose entries go backwards fails validation.
    const t = writePclntab({
      version: '1.16',
      littleEndian: true,
      ptrSize: 8,
      textStart: TEXT,
      funcs: [...FUNCS].reverse().map((f, i) => ({ ...f, offset: 0xc0 - i * 0x40 })),
      end: END,
      files: FILES,
    });
    const { image } = synthImage([
      { name: 'text', address: TEXT, perms: 'r-x', bytes: new Uint8Array(0x200) },
      { name: 'rodata', address: 0x40000n, perms: 'r--', bytes: t.bytes },
    ]);
    expect(locatePclntab(image)).toBeNull();
    expect(goInfo(image)).toBeNull();
  });

  it('memoizes per slice: the second call returns the same array', () => {
    const { image, slice } = goImage({ table: { version: '1.18', littleEndian: true, ptrSize: 8, funcs: FUNCS, end: END, files: FILES } });
    expect(goFunctions(image)).toBe(goFunctions({ ...image, report: slice.report }));
  });
});

describe('scale', () => {
  // Speed is measured in bench/go.ts (npm run bench), not asserted here: timed unit tests flake on a loaded machine.
  it('recovers 100,000 functions (names and files)', () => {
    const n = 100_000;
    const funcs: SynthFunc[] = Array.from({ length: n }, (_, i) => ({
      name: `example.com/pkg${i % 97}.Func${i}`,
      offset: i * 0x40,
      file: i % 2,
    }));
    const { image } = goImage({
      table: { version: '1.20', littleEndian: true, ptrSize: 8, funcs, end: n * 0x40, files: FILES },
      moduledata: true,
    });
    const fns = goFunctions(image);
    expect(fns).toHaveLength(n);
    expect(fns[n - 1]).toEqual({
      entry: TEXT + BigInt((n - 1) * 0x40),
      end: TEXT + BigInt(n * 0x40),
      name: `example.com/pkg${(n - 1) % 97}.Func${n - 1}`,
      file: FILES[(n - 1) % 2],
    });
  });
});
