// The size map's figures against the tools people trust: every section's
// size is llvm-size-19 -A's, every symbol's llvm-nm-19 -S --size-sort's, Go
// functions the function table's bounds; and the parts of each node add up to
// it exactly (the bytes nothing names are a node of their own).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBinary } from '../src/cli/binary.ts';
import { goFunctionsForSlice } from '../src/parsers/go/index.ts';
import { fileSizeMap, flatten, goPackage, type SizeNode } from '../src/size/sizeMap.ts';
import { fixtureBinaries } from './binaries.ts';
import { CORPUS, corpusFiles, hasCorpus } from './corpus.ts';

const hasTools = spawnSync('llvm-size-19', ['--version']).status === 0 && spawnSync('llvm-nm-19', ['--version']).status === 0;

function llvmSize(path: string, arch: string | null): { name: string; size: number }[] {
  const r = spawnSync('llvm-size-19', ['-A', ...(arch ? [`--arch=${arch}`] : []), path], { encoding: 'latin1', maxBuffer: 64 << 20 });
  const out: { name: string; size: number }[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (m && m[1] !== 'Total') out.push({ name: m[1]!, size: Number(m[2]) });
  }
  return out;
}

function nmSizes(path: string, arch: string | null): Map<string, Set<number>> {
  const r = spawnSync('llvm-nm-19', ['-S', '--size-sort', '--defined-only', ...(arch ? [`--arch=${arch}`] : []), path], {
    encoding: 'latin1',
    maxBuffer: 256 << 20,
  });
  const out = new Map<string, Set<number>>();
  for (const line of r.stdout.split('\n')) {
    const m = /^[0-9a-f]+ ([0-9a-f]+) \S (.*)$/.exec(line);
    if (!m) continue;
    const name = m[2]!.replace(/@@?[^@]*$/, '');
    if (!out.has(name)) out.set(name, new Set());
    out.get(name)!.add(parseInt(m[1]!, 16));
  }
  return out;
}

function addsUp(n: SizeNode): void {
  if (n.children.length === 0) return;
  expect(
    n.children.reduce((t, c) => t + c.size, 0),
    `${n.kind} ${n.name}`,
  ).toBe(n.size);
  n.children.forEach(addsUp);
}

it('goPackage: the import path and the name up to its first dot', () => {
  expect(goPackage('main.main')).toBe('main');
  expect(goPackage('github.com/a/b.(*T).M')).toBe('github.com/a/b');
  expect(goPackage('github.com/a/b.c.func1')).toBe('github.com/a/b');
  expect(goPackage('type:.eq.[2]interface {}')).toBe('type:');
  expect(goPackage('gopkg.in/yaml.v3.(*parser).parse')).toBe('gopkg.in/yaml');
});

const cases = [...fixtureBinaries(), ...(hasCorpus ? corpusFiles().map((n) => join(CORPUS, 'bin', n)) : [])];

describe.skipIf(!hasTools)('size map against llvm-size -A and llvm-nm -S --size-sort', () => {
  for (const path of cases) {
    it(path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1), () => {
      let f: ReturnType<typeof openBinary>;
      try {
        f = openBinary(path);
      } catch {
        return;
      }
      try {
        const universal = f.report.format === 'macho-fat';
        const map = fileSizeMap(
          path,
          f.report.file.size,
          f.slices.map((s) => ({ slice: s, go: null })),
        );
        addsUp(map);
        for (const [i, s] of f.slices.entries()) {
          const arch = universal ? s.report.arch : null;
          const sliceNode = map.children.find((c) => c.kind === 'slice' && c.name === s.report.arch) ?? map.children[i]!;
          const rows = flatten(sliceNode).map((x) => x.node);
          const want = llvmSize(path, arch);
          // llvm-size leaves out an ELF symbol table and the string and relocation tables that are not loaded.
          const skipped = new Set(
            s.report.sections
              .filter((x) => x.type === 'SYMTAB' || (['STRTAB', 'REL', 'RELA'].includes(x.type) && !x.flags.includes('A')))
              .map((x) => x.name),
          );
          for (const sec of rows.filter((n) => n.kind === 'section')) {
            const at = want.findIndex(
              (w) => w.name === (f.report.format === 'elf' ? sec.name : sec.name.slice(0, 16)) && w.size === sec.sectionSize,
            );
            if (at < 0 && f.report.format === 'elf' && skipped.has(sec.name)) continue;
            expect(at, `section ${sec.name} ${sec.sectionSize}`).toBeGreaterThanOrEqual(0);
            want.splice(at, 1);
          }
          const sizes = nmSizes(path, arch);
          for (const sym of rows.filter((n) => n.kind === 'symbol'))
            expect(sizes.get(sym.name)?.has(sym.size), `symbol ${sym.name} ${sym.size}`).toBe(true);
        }
      } finally {
        f.close();
      }
    });
  }

  it('Go: packages from the function table, functions sized by its bounds', () => {
    const f = openBinary(join(import.meta.dirname, '..', 'fixtures/go/bin/go1.19-arm64-linux-exe'));
    try {
      const s = f.slices[0]!;
      const fns = goFunctionsForSlice(s);
      const map = fileSizeMap('go', f.report.file.size, [{ slice: s, go: fns }]);
      addsUp(map);
      const text = flatten(map).find((x) => x.node.kind === 'section' && x.node.name === '.text')!.node;
      const runtime = text.children.find((c) => c.name === 'runtime')!;
      expect(runtime.kind).toBe('package');
      const want = fns.filter((fn) => goPackage(fn.name) === 'runtime').reduce((t, fn) => t + Number(fn.end - fn.entry), 0);
      expect(runtime.size).toBe(want);
    } finally {
      f.close();
    }
  });
});
