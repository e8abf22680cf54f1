// How a unit's file is read: every tar header and member head, and each
// binary member before it is parsed, fetched ahead (in the browser with
// Blob.arrayBuffer(), whose garbage the worker collects early) and none read
// synchronously (FileReaderSync's garbage is collected late: a 1.2 GB image
// of 20,000 files peaked at 425–547 MB of renderer memory that way, 305–308 MB
// with this; bench/browser.ts's `unit-image` case). The counters stand in for
// the two kinds of Blob read; the file is an image with many ELF members and
// far more other files, as a real one is.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tar, type TarItem } from './tar-writer.ts';
import { ChunkedSource, MemorySource } from '../src/parsers/reader.ts';
import { unitFromSource } from '../src/units/unit.ts';

const FIX = resolve(import.meta.dirname, '../fixtures/elf/bin');
const ELF = [
  'x86_64-musl-static',
  'x86_64-musl-static-stripped',
  'x86_64-glibc-pie',
  'x86_64-static-cet',
  'x86_64-execstack',
  'x86_64-no-gnu-stack',
];

function image(copies: number, fillers: number, fillerBytes: number): { bytes: Uint8Array; elfBytes: number } {
  const items: TarItem[] = [
    { name: 'usr/', type: 'dir' },
    { name: 'usr/bin/', type: 'dir' },
    { name: 'data/', type: 'dir' },
  ];
  let elfBytes = 0;
  for (let c = 0; c < copies; c++)
    for (const n of ELF) {
      const data = new Uint8Array(readFileSync(`${FIX}/${n}`));
      elfBytes += data.length;
      items.push({ name: `usr/bin/${n}-${c}`, data });
    }
  const filler = new Uint8Array(fillerBytes).map((_, i) => (i * 131) & 0xff);
  for (let i = 0; i < fillers; i++) items.push({ name: `data/f${i}.dat`, data: filler });
  const cfg = JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Entrypoint: ['/usr/bin/x86_64-musl-static-0'] } });
  const bytes = tar([
    { name: 'cfg.json', data: cfg },
    { name: 'l0/layer.tar', data: tar(items) },
    { name: 'manifest.json', data: JSON.stringify([{ Config: 'cfg.json', RepoTags: ['t:1'], Layers: ['l0/layer.tar'] }]) },
  ]);
  return { bytes, elfBytes };
}

describe('reading a unit file', () => {
  it('fetches headers, heads and binary members ahead, never synchronously, each chunk once, within the cache', async () => {
    const { bytes, elfBytes } = image(8, 600, 40 << 10);
    const chunkSize = 64 << 10;
    const maxChunks = 128;
    const seen = { sync: 0, syncCalls: 0, async: 0, held: 0 };
    const source = new ChunkedSource({ size: bytes.length, read: readSync }, chunkSize, maxChunks, readAsync);
    // Each read a new buffer, as a Blob read is.
    function readSync(offset: number, length: number): Uint8Array {
      seen.sync += length;
      seen.syncCalls++;
      seen.held = Math.max(seen.held, source.held);
      return bytes.slice(offset, offset + length);
    }
    async function readAsync(offset: number, length: number): Promise<Uint8Array> {
      seen.async += length;
      seen.held = Math.max(seen.held, source.held);
      return bytes.slice(offset, offset + length);
    }
    const r = await unitFromSource(source, 'big.tar');
    expect(r.errors).toEqual([]);
    const binaries = r.members.filter((m) => m.format === 'elf');
    expect(binaries).toHaveLength(ELF.length * 8);
    expect(binaries.every((m) => m.kind === 'ELF' && m.arch.length === 1 && !m.problem)).toBe(true);
    expect(r.members.filter((m) => m.format === 'other')).toHaveLength(600);
    expect(r.targets).toMatchObject([{ target: 'linux-x86_64-glibc', verdict: 'runs' }]);
    // Nothing read synchronously: the walk and every parser found their bytes fetched ahead.
    expect(seen).toMatchObject({ sync: 0, syncCalls: 0 });
    // Each chunk fetched once (the file is 24 MiB of fillers and the binaries), and never more held than the cache's bound.
    expect(seen.async).toBeLessThanOrEqual(bytes.length);
    expect(seen.async).toBeGreaterThan(elfBytes);
    expect(seen.held).toBeLessThanOrEqual(maxChunks * chunkSize);
    expect(source.held).toBeLessThanOrEqual(maxChunks * chunkSize);
  });

  it("tells its progress through a docker save image's layer, which is one member of the outer tar", async () => {
    const { bytes } = image(1, 200, 8 << 10);
    const seen: number[] = [];
    const members: string[] = [];
    await unitFromSource(new MemorySource(bytes), 'img.tar', {
      onMember: (loc) => members.push(loc.join('!')),
      onProgress: (done, total) => {
        expect(total).toBe(bytes.length);
        seen.push(done);
      },
    });
    const inLayer = seen.filter((_, i) => members[i]!.startsWith('/l0/layer.tar!'));
    // One step a member of the layer (its 206 files and 3 folders), rising from where the layer starts to its end.
    expect(inLayer).toHaveLength(209);
    expect(new Set(inLayer).size).toBe(inLayer.length);
    expect(inLayer.every((v, i) => i === 0 || v > inLayer[i - 1]!)).toBe(true);
    expect(inLayer[0]!).toBeLessThan(4096);
    expect(inLayer.at(-1)!).toBeGreaterThan(bytes.length - (64 << 10));
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
  });

  it('a parser reading past what was fetched gets its bytes synchronously, views or copies as asked', () => {
    const bytes = new Uint8Array(10_000).map((_, i) => i & 0xff);
    let sync = 0;
    const s = new ChunkedSource(
      {
        size: bytes.length,
        read: (o, l) => {
          sync += l;
          return bytes.slice(o, o + l);
        },
      },
      1024,
      4,
      async (o, l) => bytes.slice(o, o + l),
    );
    expect([...s.read(1020, 8)]).toEqual([...bytes.subarray(1020, 1028)]);
    expect(sync).toBe(2048);
    expect(s.held).toBe(2048);
    // Longer than four chunks and not all held: read past the cache, which is untouched.
    expect(s.read(0, 5000)).toEqual(bytes.subarray(0, 5000));
    expect(s.held).toBe(2048);
    for (let i = 0; i < 9; i++) s.read(i * 1024, 1);
    expect(s.held).toBe(4 * 1024);
    expect(s.read(9990, 100)).toEqual(bytes.subarray(9990, 10_000));
    expect(s.read(10_000, 5).length).toBe(0);
  });
});
