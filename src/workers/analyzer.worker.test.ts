// The worker's API run in Node (Comlink's expose left out): what the page can ask of a slice follows the same
// rule as what the pipeline scans (src/arm64/arch.ts isA64), big-endian aarch64_be included.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it, vi } from 'vitest';
import { WASM_PATH } from '../arm64/node.ts';
import { fixtureBytes } from '../../test/corpus.ts';
import { tar } from '../../test/tar-writer.ts';
import { buildElf } from '../../test/elf-writer.ts';

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

// Node has no FileReaderSync: this one reads a RangeFile's slice from the bytes it was made of, and counts what it read.
class RangeFile extends File {
  constructor(
    readonly all: Uint8Array,
    readonly start: number,
    readonly end: number,
    name: string,
  ) {
    super([all.subarray(start, end) as Uint8Array<ArrayBuffer>], name);
  }
  override slice(start = 0, end = this.size): Blob {
    return new RangeFile(this.all, this.start + start, this.start + Math.min(end, this.size), this.name);
  }
}
let syncRead = 0;
vi.stubGlobal(
  'FileReaderSync',
  class {
    readAsArrayBuffer(b: Blob): ArrayBuffer {
      const f = b as RangeFile;
      syncRead += f.end - f.start;
      return f.all.slice(f.start, f.end).buffer;
    }
  },
);

it("hashes a kept file from the bytes it read: the SHA-256 is the file's, and a big file's code is scanned from memory", async () => {
  // An arm64 executable whose 9 MiB of code (NOPs) lies between its headers and its section headers:
  // over the worker's whole-file limit (8 MiB), so its parse reads only the chunks that hold headers.
  const nops = new Uint8Array(9 << 20);
  new DataView(nops.buffer).setUint32(0, 0xd503201f, true);
  for (let at = 4; at < nops.length; at *= 2) nops.copyWithin(at, 0, Math.min(at, nops.length - at));
  const { bytes: big } = buildElf({
    machine: 183,
    type: 2,
    entry: 0x1000n,
    sections: [{ name: '.text', type: 1, flags: 6n, addr: 0x1000n, data: nops, align: 4 }],
    segments: [{ type: 1, flags: 5, sections: ['.text'] }],
  });
  for (const bytes of [fixtureBytes('elf/bin/aarch64-glibc-pie-pacbti'), big]) {
    const file = new RangeFile(bytes, 0, bytes.length, 'file');
    syncRead = 0;
    const kept = await api.open(file, { keep: true });
    const readForKept = syncRead;
    expect(await api.sha256(kept.id!)).toBe(createHash('sha256').update(bytes).digest('hex'));
    // Not kept (a report for a comparison): read only where the parsers ask, nothing to hash.
    syncRead = 0;
    const once = await api.open(file, {});
    const readForOnce = syncRead;
    expect(once.id).toBeNull();
    expect(kept.report).toEqual(once.report);
    expect(kept.report.slices[0]!.arm64?.instructions).toBeGreaterThan(0);
    if (bytes === big) {
      // The headers in chunks before the answer, then the whole file in one asynchronous read: the scan read none.
      expect(readForKept).toBeGreaterThan(0);
      expect(readForKept).toBeLessThan(4 << 20);
      expect(readForOnce).toBeGreaterThan(9 << 20);
    }
    api.release(kept.id!);
  }
});
