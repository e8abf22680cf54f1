// The project's own Go binaries (fixtures/go, built by fixtures/go/build.sh)
// against what Go's own tools said about them when they were built:
// `go version -m` and debug/gosym (expected/*.txt).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goForSlice, goFunctionsForSlice, goSymbolRows, formatGoVersionM } from '../src/parsers/go/index.ts';
import { locatePclntab } from '../src/parsers/go/locate.ts';
import { FIXTURES } from './corpus.ts';
import {
  difference,
  functionRows,
  parseBytes,
  parseGoVersionM,
  parseGosym,
  parsePath,
  printedOf,
  symbolAndTableSets,
} from './go-expect.ts';

const dir = join(FIXTURES, 'go');
const names = readdirSync(join(dir, 'bin')).sort();
const expected = (name: string, kind: string) => readFileSync(join(dir, 'expected', `${name}.${kind}`), 'utf8');

describe('Go fixtures', () => {
  it('are all there', () => {
    expect(names).toEqual(['go1.19-arm64-darwin-stripped', 'go1.19-arm64-linux-exe', 'go1.19-arm64-linux-pie-external']);
  });

  for (const name of names) {
    describe(name, () => {
      const parsed = parsePath(join(dir, 'bin', name));
      const slice = parsed.slices[0]!;
      const go = goForSlice(slice)!;

      it('build info prints exactly as go version -m', () => {
        expect(parsed.slices).toHaveLength(1);
        expect(formatGoVersionM(`bin/${name}`, go)).toBe(expected(name, 'go-version-m.txt'));
        const oracle = parseGoVersionM(expected(name, 'go-version-m.txt')).info!;
        expect(printedOf(go)).toEqual(oracle);
        expect(go.deps[0]!.replace).toEqual({ path: '../greet', version: '(devel)', sum: '' });
        expect(go.versionSource).toBe('buildinfo');
        expect(go.buildInfoLayout).toBe('inline');
        expect(go.pclntabVersion).toBe('1.18');
        expect(go.warnings).toBeUndefined();
      });

      it('functions, ends and files equal debug/gosym', () => {
        const fns = goFunctionsForSlice(slice);
        expect(functionRows(fns)).toEqual(parseGosym(expected(name, 'gosym.txt')));
        expect(go.functions).toBe(fns.length);
        expect(fns.some((f) => f.name === 'main.main')).toBe(true);
        expect(fns.some((f) => f.name === 'example.com/binlens/greet.Hello')).toBe(true);
      });

      it('symbol rows for the symbol view', () => {
        const fns = goFunctionsForSlice(slice);
        const rows = goSymbolRows(fns, slice.image);
        const main = rows.find((r) => r.name === 'main.main')!;
        const f = fns.find((x) => x.name === 'main.main')!;
        expect(main).toMatchObject({
          address: f.entry,
          size: Number(f.end - f.entry),
          type: 'func',
          defined: true,
          recovered: true,
        });
        expect(main.section).toBe(slice.report.sections.some((s) => s.name === '__text') ? '__text' : '.text');
      });
    });
  }

  for (const name of names) {
    it(`${name}: recovered names and entries equal the symbol table`, () => {
      // Go 1.19 keeps the Mach-O symbol table under -s, so all three have one.
      const slice = parsePath(join(dir, 'bin', name)).slices[0]!;
      const { symbols, table } = symbolAndTableSets(slice, goFunctionsForSlice(slice), '1.18');
      expect(symbols.size).toBeGreaterThan(1000);
      expect(difference(symbols, table)).toEqual([]);
      expect(difference(table, symbols)).toEqual([]);
    });
  }

  it('not trimmed: -ldflags recorded, build-machine paths found in the file names', () => {
    const go = goForSlice(parsePath(join(dir, 'bin', 'go1.19-arm64-linux-exe')).slices[0]!)!;
    expect(go.settings['-ldflags']).toBe('-w -X main.version=1.0.0');
    expect(go.stripped).toBe(false);
    const mainFile = parseGosym(expected('go1.19-arm64-linux-exe', 'gosym.txt')).find((r) => r.name === 'main.main')!.file!;
    expect(go.facts).toMatchObject({ trimpath: false, cgo: false, archLevel: null });
    // hello/ and greet/ are summarized as the directory they share.
    expect(go.facts!.buildPaths).toHaveLength(1);
    expect(mainFile.startsWith(go.facts!.buildPaths[0]! + '/')).toBe(true);
    expect(mainFile.startsWith(go.facts!.goroot!)).toBe(false);
  });

  it('trimmed: no build paths, -trimpath from the settings', () => {
    for (const name of ['go1.19-arm64-darwin-stripped', 'go1.19-arm64-linux-pie-external']) {
      const go = goForSlice(parsePath(join(dir, 'bin', name)).slices[0]!)!;
      expect(go.facts).toMatchObject({ trimpath: true, trimpathSource: 'build setting -trimpath=true', buildPaths: [], goroot: null });
    }
  });

  it('external PIE: table found by search, module data through relocation addends, text base after the C start-up code', () => {
    const slice = parsePath(join(dir, 'bin', 'go1.19-arm64-linux-pie-external')).slices[0]!;
    expect(slice.report.sections.some((s) => s.name.includes('gopclntab'))).toBe(false);
    const loc = locatePclntab(slice.image)!;
    expect(loc.foundBy).toBe('search');
    const md = loc.moduledata!;
    expect(md).not.toBeNull();
    // funcnametab: the loader writes the addend; the file holds another value.
    const at = md.address + BigInt(loc.memory.ptrSize);
    expect(loc.memory.word(at)).toBe(loc.address + BigInt(loc.header.funcnameOffset));
    expect(loc.memory.rawWord(at)).not.toBe(loc.memory.word(at));
    expect(loc.textStartSource).toMatch(/^moduledata\.text/);
    const text = slice.report.sections.find((s) => s.name === '.text')!;
    expect(loc.table.textStart).toBeGreaterThan(BigInt(text.address));
    const go = goForSlice(slice)!;
    expect(go.facts).toMatchObject({ cgo: true, cgoSource: 'build setting CGO_ENABLED=1' });
  });
});

describe('Go fixture without section headers (as sstrip leaves it)', () => {
  it('finds build info and the function table by search, confirmed by module data', () => {
    const b = readFileSync(join(dir, 'bin', 'go1.19-arm64-linux-exe'));
    const bytes = new Uint8Array(b);
    // ELF64: e_shoff at 0x28 (8 bytes), e_shnum at 0x3c, e_shstrndx at 0x3e.
    bytes.fill(0, 0x28, 0x30);
    bytes.fill(0, 0x3c, 0x40);
    const slice = parseBytes(bytes).slices[0]!;
    expect(slice.report.sections).toEqual([]);
    const go = goForSlice(slice)!;
    expect(formatGoVersionM('bin/go1.19-arm64-linux-exe', go)).toBe(expected('go1.19-arm64-linux-exe', 'go-version-m.txt'));
    const loc = locatePclntab(slice.image)!;
    expect(loc.foundBy).toBe('search');
    expect(loc.moduledata).not.toBeNull();
    expect(functionRows(goFunctionsForSlice(slice))).toEqual(parseGosym(expected('go1.19-arm64-linux-exe', 'gosym.txt')));
  });
});
