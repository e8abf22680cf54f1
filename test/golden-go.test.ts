// Go build info and function tables of every corpus file against what Go's
// own tools say: `go version -m` (Go 1.19) for thin files, the go-modinfo
// dump per slice for universal ones, the symbol tables of unstripped builds,
// and, when `npm run testdata` wrote them, debug/gosym references.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goForSlice, goFunctionsForSlice } from '../src/parsers/go/index.ts';
import type { ParsedFile } from '../src/parsers/types.ts';
import type { GoInfo } from '../src/report/types.ts';
import { corpusBytes, corpusFiles, hasCorpus, oracle } from './corpus.ts';
import {
  difference,
  functionRows,
  parseBytes,
  parseGoModinfoDump,
  parseGoVersionM,
  parseGosym,
  printedOf,
  symbolAndTableSets,
} from './go-expect.ts';

const REFS = resolve(import.meta.dirname, '..', '.cache', 'testdata', 'corpus');
const hasRefs = existsSync(REFS);
if (hasCorpus && !hasRefs)
  console.warn(`golden Go: debug/gosym comparisons skipped: run \`npm run testdata\` (with Go installed) to write ${REFS}`);

const TABLE_SECTIONS = ['.gopclntab', '__gopclntab', '.data.rel.ro.gopclntab'];

interface Entry {
  name: string;
  parsed: ParsedFile;
  go: (GoInfo | undefined)[];
}

const entries: Entry[] = corpusFiles().map((name) => {
  const parsed = parseBytes(corpusBytes(name));
  return { name, parsed, go: parsed.slices.map((s) => goForSlice(s, new Date('2026-11-15T00:00:00Z'))) };
});

describe.skipIf(!hasCorpus)('golden: Go build info and function tables', () => {
  for (const e of entries) {
    describe(e.name, () => {
      const printed = oracle(e.name, 'go-version-m.txt');
      const { info, reason } = printed ? parseGoVersionM(printed) : { info: null, reason: null };

      it('Go exactly where the slice has a Go function table', () => {
        e.parsed.slices.forEach((s, i) => {
          const hasTable = s.report.sections.some((x) => TABLE_SECTIONS.includes(x.name));
          expect(e.go[i] !== undefined, `slice ${i} (${s.report.arch})`).toBe(hasTable);
          if (hasTable) expect(e.go[i]!.functions).toBeGreaterThan(1000);
        });
      });

      if (info) {
        it('thin Go file: build info equals go version -m, field by field', () => {
          expect(e.parsed.slices).toHaveLength(1);
          const go = e.go[0]!;
          const mine = printedOf(go);
          expect(mine.version).toBe(info.version);
          expect(mine.path).toBe(info.path);
          expect(mine.main).toEqual(info.main);
          expect(mine.deps).toEqual(info.deps);
          expect(mine.settings).toEqual(info.settings);
          expect(go.versionSource).toBe('buildinfo');
        });
      } else if (/unrecognized file format/.test(reason ?? '')) {
        // Go 1.19's go version -m does not open universal files; the corpus has a per-slice dump.
        it('universal file: every slice equals its go-modinfo dump', () => {
          const dump = parseGoModinfoDump(oracle(e.name, 'go-modinfo.txt') ?? '');
          const goSlices = e.go.filter((g): g is GoInfo => g !== undefined);
          expect(goSlices.length).toBe(dump.length);
          for (const want of dump) {
            const arch = want.settings.find((s) => s.startsWith('GOARCH='))!;
            const go = goSlices.find((g) => `GOARCH=${g.settings.GOARCH}` === arch)!;
            expect(printedOf(go)).toEqual(want);
          }
        });
      } else {
        it(`Go found no build info (${reason}): no build-info fields are made up`, () => {
          for (const go of e.go) {
            if (!go) continue;
            expect(go.buildInfoLayout).toBeNull();
            expect(go.main).toBeNull();
            expect(go.path).toBeNull();
            expect(go.deps).toEqual([]);
            expect(go.settings).toEqual({});
            expect(go.versionSource).not.toBe('buildinfo');
          }
        });
      }

      e.parsed.slices.forEach((slice, i) => {
        const go = e.go[i];
        if (!go) return;
        const label = e.parsed.slices.length > 1 ? ` [${slice.report.arch}]` : '';

        it.skipIf(slice.report.symbols.defined === 0)(
          `unstripped${label}: recovered names and entries equal the symbol table's Go text symbols`,
          () => {
            const { symbols, table } = symbolAndTableSets(slice, goFunctionsForSlice(slice), go.pclntabVersion!);
            expect(symbols.size).toBeGreaterThan(1000);
            expect(difference(symbols, table)).toEqual([]);
            expect(difference(table, symbols)).toEqual([]);
          },
        );

        const ref = join(REFS, e.parsed.slices.length > 1 ? `${e.name}.${slice.report.arch}.gosym.txt` : `${e.name}.gosym.txt`);
        it.skipIf(!existsSync(ref))(`${label}functions, ends and files equal debug/gosym`, () => {
          expect(functionRows(goFunctionsForSlice(slice))).toEqual(parseGosym(readFileSync(ref, 'utf8')));
        });
      });
    });
  }

  it('a stripped build recovers the same function names as its unstripped twin', () => {
    const pairs = entries
      .filter((e) => e.name.endsWith('-stripped'))
      .map((e) => [entries.find((x) => x.name === e.name.replace(/-stripped$/, ''))!, e] as const);
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    for (const [full, stripped] of pairs) {
      const names = (p: ParsedFile) => new Set(goFunctionsForSlice(p.slices[0]!).map((f) => f.name));
      const a = names(full.parsed);
      const b = names(stripped.parsed);
      expect(difference(a, b), `${stripped.name}`).toEqual([]);
      expect(difference(b, a), `${stripped.name}`).toEqual([]);
    }
  });

  it('the corpus covers ELF and Mach-O and more than one table layout', () => {
    const seen = new Set<string>();
    for (const e of entries)
      e.go.forEach((g) => g && seen.add(`${e.parsed.format === 'macho-fat' ? 'macho' : e.parsed.format} ${g.pclntabVersion}`));
    expect([...seen].sort()).toEqual(expect.arrayContaining(['elf 1.18', 'elf 1.20', 'macho 1.18', 'macho 1.20']));
  });

  it('a Go binary without build info still gets its version from runtime.buildVersion', () => {
    const noBlob = entries.flatMap((e) => e.go.filter((g) => g && g.buildInfoLayout === null)) as GoInfo[];
    expect(noBlob.length).toBeGreaterThan(0);
    for (const g of noBlob) {
      expect(g.version).toMatch(/^go1\.\d+/);
      expect(g.versionSource).toMatch(/^runtime\.buildVersion/);
      // A 1.20-layout table needs Go 1.20 or later: the version must agree.
      if (g.pclntabVersion === '1.20') expect(Number(g.version!.split('.')[1])).toBeGreaterThanOrEqual(20);
    }
  });
});
