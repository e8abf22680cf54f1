// Older Go binaries fetched by `npm run testdata` (scripts/testdata.sh): Go
// 1.15–1.17 builds from npm, for the 1.2 and 1.16 function-table layouts and
// the pointer-based build info, checked against go version -m and debug/gosym
// outputs the script wrote next to them.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goForSlice, goFunctionsForSlice } from '../src/parsers/go/index.ts';
import { difference, functionRows, parseGoVersionM, parseGosym, parsePath, printedOf, symbolAndTableSets } from './go-expect.ts';

const DIR = resolve(import.meta.dirname, '..', '.cache', 'testdata');
const CASES = [
  { name: 'esbuild-0.8.46-linux-arm64', go: 'go1.15.7', layout: '1.2', format: 'elf', symbols: false },
  { name: 'esbuild-0.13.15-linux-arm64', go: 'go1.17.2', layout: '1.16', format: 'elf', symbols: false },
  { name: 'esbuild-0.11.11-darwin-x86_64', go: 'go1.16.3', layout: '1.16', format: 'macho', symbols: true },
];
const present = CASES.filter((c) => existsSync(join(DIR, c.name)));
const withRefs = present.filter((c) => existsSync(join(DIR, `${c.name}.gosym.txt`)));
if (present.length < CASES.length)
  console.warn(`go testdata skipped: run \`npm run testdata\` to fetch ${CASES.length - present.length} older Go binaries into ${DIR}`);
else if (withRefs.length < CASES.length)
  console.warn('go testdata: no Go toolchain wrote the reference outputs; only the build-info checks that need none run');

describe.skipIf(present.length === 0)('older Go binaries (npm run testdata)', () => {
  for (const c of present) {
    describe(c.name, () => {
      const parsed = parsePath(join(DIR, c.name));
      const slice = parsed.slices[0]!;
      const go = goForSlice(slice)!;

      it(`${c.format}, pointer-based build info, pclntab ${c.layout}`, () => {
        expect(parsed.format).toBe(c.format);
        expect(go.version).toBe(c.go);
        expect(go.buildInfoLayout).toBe('pointer');
        expect(go.pclntabVersion).toBe(c.layout);
        expect(go.main?.path).toBe('github.com/evanw/esbuild');
        expect(go.settings).toEqual({}); // build settings arrived with Go 1.18
        expect(go.facts!.support.supported).toBe(false);
      });

      it.skipIf(!existsSync(join(DIR, `${c.name}.go-version-m.txt`)))('build info equals go version -m', () => {
        expect(printedOf(go)).toEqual(parseGoVersionM(readFileSync(join(DIR, `${c.name}.go-version-m.txt`), 'utf8')).info);
      });

      it.skipIf(!existsSync(join(DIR, `${c.name}.gosym.txt`)))('functions, ends and files equal debug/gosym', () => {
        const fns = goFunctionsForSlice(slice);
        expect(functionRows(fns)).toEqual(parseGosym(readFileSync(join(DIR, `${c.name}.gosym.txt`), 'utf8')));
      });

      it.skipIf(!c.symbols)('recovered names and entries equal the symbol table', () => {
        const { symbols, table } = symbolAndTableSets(slice, goFunctionsForSlice(slice), c.layout);
        expect(symbols.size).toBeGreaterThan(5000);
        expect(difference(symbols, table)).toEqual([]);
        expect(difference(table, symbols)).toEqual([]);
      });
    });
  }
});
