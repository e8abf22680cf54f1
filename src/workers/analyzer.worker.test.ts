// The worker's API run in Node (Comlink's expose left out): what the page can ask of a slice follows the same
// rule as what the pipeline scans (src/arm64/arch.ts isA64), big-endian aarch64_be included.

import { readFileSync } from 'node:fs';
import { beforeAll, expect, it, vi } from 'vitest';
import { WASM_PATH } from '../arm64/node.ts';
import { fixtureBytes } from '../../test/corpus.ts';
import { tar } from '../../test/tar-writer.ts';

vi.mock('comlink', () => ({ expose: () => undefined }));
// The warm-up fixture the page's build inlines as a data: URL (not a module vitest can load here; warmUp is not run).
vi.mock('../../fixtures/elf/bin/aarch64-glibc-pie-pacbti?inline', () => ({ default: '' }));
const { api } = await import('./analyzer.worker.ts');

beforeAll(async () => {
  expect(await api.init(new WebAssembly.Module(readFileSync(WASM_PATH)))).toBe(true);
});

it('gives the function table and the listing of an aarch64_be file it scanned', async () => {
  const file = new File([fixtureBytes('elf/bin/aarch64_be-static') as Uint8Array<ArrayBuffer>], 'aarch64_be-static');
  const { id, report } = await api.open(file, { keep: true });
  const slice = report.slices[0]!;
  expect(slice.arch).toBe('aarch64_be');
  expect(slice.arm64?.instructions).toBeGreaterThan(0);
  const info = await api.sliceInfo(id!, 0);
  expect(info.arm64).toBe(true);
  expect(info.listing?.total).toBe(slice.arm64!.instructions);
  const functions = await api.functions(id!, 0, { query: '', filter: 'all', offset: 0, limit: 10 });
  expect(functions.total).toBeGreaterThan(0);
  const lines = await api.listing(id!, 0, 0, 4);
  expect(lines.map((l) => l.row)).toEqual([0, 1, 2, 3]);
  api.release(id!);
});

it('openOrUnit answers "unit" for what opens as a whole, before analyzing it, and opens a binary as open() does', async () => {
  const file = (bytes: Uint8Array, name: string) => new File([bytes as Uint8Array<ArrayBuffer>], name);
  const hello = fixtureBytes('elf/bin/aarch64_be-static');
  expect(await api.openOrUnit(file(tar([{ name: 'bin/hello', data: hello }]), 'image.tar'), {})).toBe('unit');
  // A universal file whose slices are ar archives is a static library (a unit); one whose slices are programs is a binary.
  expect(await api.openOrUnit(file(fixtureBytes('units/lib/libgreet-universal.a'), 'libgreet.a'), {})).toBe('unit');
  for (const [path, name] of [
    ['elf/bin/aarch64_be-static', 'aarch64_be-static'],
    ['macho/bin/lld-universal-macos-exe', 'universal'],
  ] as const) {
    const got = await api.openOrUnit(file(fixtureBytes(path), name), {});
    const want = await api.open(file(fixtureBytes(path), name), {});
    expect(got).not.toBe('unit');
    expect(got).toEqual(want);
  }
});
