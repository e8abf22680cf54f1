// The size map's figures against the tools people trust: every section's
// size is llvm-size-19 -A's, every symbol's llvm-nm-19 -S --size-sort's, Go
// functions the function table's bounds; and the parts of each node add up to
// it exactly (the bytes nothing names are a node of their own).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBinary } from '../src/cli/binary.ts';
import { goFunctionsForSlice } from '../src/parsers/go/index.ts';
import { goPackage } from '../src/size/names.ts';
import { fileSizeMap, flatten, type SizeNode } from '../src/size/sizeMap.ts';
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

/** llvm-nm -S --size-sort's sizes by name; `dynamic`: -D, the .dynsym of a stripped ELF file, which binlens then reads. */
function nmSizes(path: string, arch: string | null, dynamic = false): Map<string, Set<number>> {
  const r = spawnSync(
    'llvm-nm-19',
    ['-S', '--size-sort', '--defined-only', ...(dynamic ? ['-D'] : []), ...(arch ? [`--arch=${arch}`] : []), path],
    {
      encoding: 'latin1',
      maxBuffer: 256 << 20,
    },
  );
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

/**
 * Mach-O records no symbol sizes (llvm-nm -S prints zeros): each symbol runs
 * to the next address a symbol of its section starts at, the last to the
 * section's end (llvm-size -A's address and size), as bloaty and cargo-bloat size them.
 * llvm-nm -n lists names, llvm-nm -n -m the same rows with their sections.
 */
function machoGaps(path: string, arch: string | null): Map<string, Set<number>> {
  const a = arch ? [`--arch=${arch}`] : [];
  const run = (tool: string, args: string[]) => spawnSync(tool, args, { encoding: 'latin1', maxBuffer: 256 << 20 }).stdout.split('\n');
  const plain = run('llvm-nm-19', ['-n', '--defined-only', ...a, path]).filter((l) => /^[0-9a-f]+ \S /.test(l));
  const darwin = run('llvm-nm-19', ['-n', '-m', '--defined-only', ...a, path]).filter((l) => /^[0-9a-f]+ /.test(l));
  // llvm-size -A: name (cut at 16 characters), size, address; two sections may share a name in two segments.
  const sections: { name: string; start: bigint; end: bigint }[] = [];
  for (const l of run('llvm-size-19', ['-A', ...a, path])) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s*$/.exec(l);
    if (m && m[1] !== 'Total') sections.push({ name: m[1]!, start: BigInt(m[3]!), end: BigInt(m[3]!) + BigInt(m[2]!) });
  }
  const ends = new Map<string, bigint>();
  const bySection = new Map<string, { at: bigint; name: string }[]>();
  for (let i = 0; i < plain.length && i < darwin.length; i++) {
    const sect = /^[0-9a-f]+ \([^,]+,([^)]+)\)/.exec(darwin[i]!)?.[1];
    const at = BigInt(`0x${plain[i]!.slice(0, plain[i]!.indexOf(' '))}`);
    const s = sections.find((x) => x.name === sect?.slice(0, 16) && at >= x.start && at < x.end);
    if (!s) continue;
    const where = `${s.name}@${s.start}`;
    ends.set(where, s.end);
    const name = plain[i]!.slice(plain[i]!.indexOf(' ') + 3);
    if (!bySection.has(where)) bySection.set(where, []);
    bySection.get(where)!.push({ at, name });
  }
  const out = new Map<string, Set<number>>();
  for (const [where, syms] of bySection) {
    for (const { at, name } of syms) {
      const next = syms.find((x) => x.at > at)?.at ?? ends.get(where)!;
      if (!out.has(name)) out.set(name, new Set());
      out.get(name)!.add(Number(next - at));
    }
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
          const sizes = nmSizes(path, arch, f.report.format === 'elf' && s.symbols().length === 0);
          const symbols = rows.filter((n) => n.kind === 'symbol');
          for (const sym of symbols.filter((n) => !n.derived))
            expect(sizes.get(sym.name)?.has(sym.size), `symbol ${sym.name} ${sym.size}`).toBe(true);
          const derived = symbols.filter((n) => n.derived);
          if (derived.length > 0) {
            expect(f.report.format).not.toBe('elf');
            const gaps = machoGaps(path, arch);
            for (const sym of derived)
              expect(gaps.get(sym.name)?.has(sym.size), `symbol ${sym.name} ${sym.size} (to the next symbol)`).toBe(true);
          }
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
