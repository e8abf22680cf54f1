// Groupings of the size map: a Go binary by module and package from its
// function table (each package the sum of its functions' bounds), Rust by
// crate and C++ by namespace from names as llvm-cxxfilt-19 prints them, the
// rest as "unattributed", and every grouping adds up to its slice.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBinary } from '../src/cli/binary.ts';
import type { Demangler } from '../src/demangle/demangler.ts';
import { loadDemangler } from '../src/demangle/node.ts';
import type { NameFormat } from '../src/demangle/names.ts';
import { goFunctionsForSlice } from '../src/parsers/go/index.ts';
import { sizesOf, sliceSizeTrees, UNATTRIBUTED_GROUP, type GroupNode } from '../src/size/groups.ts';
import { goPackage, isGoGenerated, NO_GO_PACKAGE, GO_GENERATED } from '../src/size/names.ts';
import type { SizeNode } from '../src/size/sizeMap.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures');
let demangler: Demangler;
beforeAll(async () => {
  demangler = await loadDemangler();
});

function addsUp(n: SizeNode): void {
  if (n.children.length === 0) return;
  expect(
    n.children.reduce((t, c) => t + c.size, 0),
    `${n.kind} ${n.name}`,
  ).toBe(n.size);
  n.children.forEach(addsUp);
}

function trees(path: string, opts: { go?: boolean; demangle?: boolean } = {}) {
  const f = openBinary(path);
  try {
    const format: NameFormat = f.report.format === 'elf' ? 'elf' : 'macho';
    return f.slices.map((slice) => {
      const fns = opts.go ? goFunctionsForSlice(slice) : null;
      const demangle = opts.demangle === false ? null : (n: string) => demangler.demangle(n, format);
      const t = sliceSizeTrees({ slice, goFunctions: fns, format, demangle });
      return { ...t, slice, fns, flat: sizesOf(slice, t.map, t.groups) };
    });
  } finally {
    f.close();
  }
}

const top = (g: GroupNode, name: string) => g.children.find((c) => c.name === name) as GroupNode | undefined;
const shown = (n: SizeNode) => n.children.map((c) => c.demangled ?? c.name);

describe('Go: module → package → function, from the function table', () => {
  it('each package is the sum of its functions’ bounds, and the modules are the build info’s', () => {
    const [t] = trees(join(FIX, 'go/bin/go1.19-arm64-linux-exe'), { go: true });
    const { groups, fns } = t!;
    addsUp(groups);
    expect(groups.size).toBe(t!.map.size);
    const text = t!.slice.report.sections.find((s) => s.name === '.text')!;
    const end = BigInt(text.address) + BigInt(text.size);
    const want = new Map<string, number>();
    for (const f of fns!) {
      const pkg = goPackage(f.name, ['example.com/binlens/hello', 'example.com/binlens/greet']);
      const k = pkg === '' ? (isGoGenerated(f.name) ? GO_GENERATED : NO_GO_PACKAGE) : pkg;
      want.set(k, (want.get(k) ?? 0) + Number((f.end < end ? f.end : end) - f.entry));
    }
    const got = new Map<string, number>();
    let data = 0;
    for (const m of groups.children.filter((c) => c.kind === 'module')) {
      for (const p of m.children) {
        const code = p.children.filter((c) => c.kind === 'function');
        if (code.length > 0)
          got.set(
            p.name,
            code.reduce((n, c) => n + c.size, 0),
          );
        data += p.children.filter((c) => c.kind === 'symbol').length;
      }
    }
    expect(got).toEqual(want);
    // Data symbols of the symbol table join their package too (runtime.staticuint64s …).
    expect(data).toBeGreaterThan(0);
    expect(
      top(groups, 'std')!
        .children.find((p) => p.name === 'runtime')!
        .children.some((c) => c.name === 'runtime.staticuint64s'),
    ).toBe(true);
    expect(top(groups, 'std')?.moduleKind).toBe('std');
    expect(shown(top(groups, 'std')!)).toContain('runtime');
    expect(top(groups, 'example.com/binlens/hello')?.moduleKind).toBe('main');
    expect(shown(top(groups, 'example.com/binlens/hello')!)).toEqual(['main']);
    expect(top(groups, 'example.com/binlens/greet')?.moduleKind).toBe('dependency');
    expect(top(groups, UNATTRIBUTED_GROUP)?.kind).toBe('unattributed');
    // The flat form the diff compares: packages with their module, functions by name.
    expect(t!.flat.grouping).toBe('go');
    expect(t!.flat.groups.find((g) => g.name === 'main')).toMatchObject({ kind: 'package', module: 'example.com/binlens/hello' });
    expect(t!.flat.symbols.find((s) => s.name === 'main.main')).toMatchObject({ group: 'main', section: '.text' });
    expect(t!.flat.groups.reduce((n, g) => n + g.size, 0)).toBe(t!.flat.size);
    // Sections and the bytes in none, symbols and the bytes none names: each pair is the slice.
    const sum = (xs: { size: number }[]) => xs.reduce((n, x) => n + x.size, 0);
    expect(sum(t!.flat.sections) + sum(t!.flat.outside)).toBe(t!.flat.size);
    expect(sum(t!.flat.symbols) + sum(t!.flat.unattributed)).toBe(t!.flat.size);
    expect(t!.flat.outside.map((o) => o.name)).toContain('in no segment or section');
  });

  it('a stripped Mach-O Go binary groups the same way (no symbol table: the function table alone)', () => {
    const [t] = trees(join(FIX, 'go/bin/go1.19-arm64-darwin-stripped'), { go: true });
    addsUp(t!.groups);
    expect(shown(top(t!.groups, 'std')!)).toContain('runtime');
    expect(top(t!.groups, 'example.com/binlens/hello')?.children[0]?.name).toBe('main');
  });
});

describe('Rust by crate, C++ by namespace, from demangled names', () => {
  for (const build of ['legacy', 'v0']) {
    it(`Rust ${build} mangling: crates names, core and alloc`, () => {
      const [t] = trees(join(FIX, `names/bin/rust-${build}-x86_64-linux.o`));
      addsUp(t!.groups);
      const crates = t!.groups.children.filter((c) => c.kind === 'crate').map((c) => c.name);
      expect(crates.sort()).toEqual(['alloc', 'core', 'names']);
      const names = top(t!.groups, 'names')!;
      expect(shown(names).some((n) => n.startsWith('names::use_all'))).toBe(true);
      expect(shown(top(t!.groups, 'core')!).some((n) => n.includes('drop_in_place'))).toBe(true);
      expect(t!.flat.grouping).toBe('names');
    });
  }

  for (const obj of ['cxx-x86_64-linux.o', 'cxx-aarch64-linux.o', 'cxx-arm64-macos.o']) {
    it(`C++ ${obj}: namespace outer, the global namespace, C names apart`, () => {
      const [t] = trees(join(FIX, 'names/bin', obj));
      addsUp(t!.groups);
      const outer = shown(top(t!.groups, 'outer')!);
      expect(outer).toContain('vtable for outer::Derived');
      expect(outer).toContain('outer::(anonymous namespace)::hidden(int)');
      const global = shown(top(t!.groups, '(global namespace)')!);
      expect(global).toContain('use_all()');
      expect(global).toContain('operator new(unsigned long, outer::Vec*)');
      const c = t!.groups.children.find((g) => g.kind === 'names')!;
      expect(c.children.map((n) => n.name)).toContain(obj.includes('macos') ? '_c_function' : 'c_function');
      // Each symbol sits in one group only, with the size the map gives it.
      const inMap = new Map<SizeNode, number>();
      const walk = (n: SizeNode) => (n.kind === 'symbol' ? inMap.set(n, n.size) : n.children.forEach(walk));
      walk(t!.map);
      const grouped = t!.groups.children.filter((g) => g.kind !== 'unattributed').flatMap((g) => g.children);
      expect(grouped.length).toBe(inMap.size);
      expect(new Set(grouped).size).toBe(inMap.size);
    });
  }

  it('without a demangler, mangled names are one group of their own, never guessed', () => {
    const [t] = trees(join(FIX, 'names/bin/cxx-x86_64-linux.o'), { demangle: false });
    expect(t!.groups.children.some((g) => g.kind === 'namespace')).toBe(false);
    expect(t!.groups.children.map((g) => g.name)).toContain('(mangled, not demangled)');
  });
});

describe('Mach-O symbols are sized by the next symbol (llvm-nm -S prints zeros)', () => {
  it('each symbol of a section runs to the next one, the last to the section’s end', () => {
    const [t] = trees(join(FIX, 'macho/bin/lld-arm64-macos-exe'));
    const text = t!.flat.symbols.filter((s) => s.section === '__text');
    expect(text.map((s) => [s.raw, s.size, s.derived])).toEqual([
      ['_main', 252, true],
      ['_host_api', 72, true],
    ]);
    expect(t!.flat.sections.find((s) => s.name === '__text')).toMatchObject({ segment: '__TEXT', size: 324 });
  });
});
