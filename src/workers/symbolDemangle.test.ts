// The symbol view with demangled names: each mangled row carries its text,
// the search finds a row by either form, and the source counts them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemangler } from '../demangle/node.ts';
import { analyze } from '../parsers/analyze.ts';
import { MemorySource } from '../parsers/reader.ts';
import { symbolView } from './symbolTable.ts';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'names', 'bin', 'cxx-x86_64-linux.o');

describe('symbolView with a demangler', async () => {
  const d = await loadDemangler();
  const { slices } = analyze(new MemorySource(new Uint8Array(readFileSync(fixture))), 'cxx.o', { skipHash: true });
  const view = symbolView(slices[0]!, null, (n) => d.demangle(n, 'elf'));
  const find = (query: string) => view.table.page({ query, filter: 'all', offset: 0, limit: 10 }).rows;

  it('finds a symbol by its demangled text and by its raw name', () => {
    expect(find('hidden(int').map((r) => [r.name, r.demangled])).toEqual([
      ['_ZN5outer12_GLOBAL__N_16hiddenEi', 'outer::(anonymous namespace)::hidden(int)'],
    ]);
    expect(find('_zn5outer12_global__n').map((r) => r.name)).toEqual(['_ZN5outer12_GLOBAL__N_16hiddenEi']);
  });

  it('leaves names that are not mangled alone and counts the demangled ones', () => {
    expect(find('c_function')[0]!.demangled).toBeUndefined();
    expect(view.source.demangled).toBeGreaterThan(40);
    expect(symbolView(slices[0]!, null).source.demangled).toBeUndefined();
  });
});
