import { describe, expect, it } from 'vitest';
import { ChunkedSource, MemorySource } from '../parsers/reader.ts';
import { BlobSliceSource, blobHead, blobSource, readBlob, type ReadSync } from './blobSource.ts';

const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff);

// Node has Blob but no FileReaderSync; this stands in for it by reading the
// slice's bytes from the test array through the blob's own slice bounds.
function fakeReadSync(log: number[]): ReadSync {
  return (b) => {
    log.push(b.size);
    const { start, end } = (b as Blob & { __range: { start: number; end: number } }).__range;
    return bytes.slice(start, end).buffer;
  };
}

class RangeBlob extends Blob {
  __range: { start: number; end: number };
  constructor(start = 0, end = bytes.length) {
    super([bytes.subarray(start, end)]);
    this.__range = { start, end };
  }
  override slice(start = 0, end = this.size): Blob {
    return new RangeBlob(this.__range.start + start, this.__range.start + end);
  }
}

describe('blobSource', () => {
  it('reads small blobs whole into memory', async () => {
    const s = await blobSource(new Blob([bytes]));
    expect(s).toBeInstanceOf(MemorySource);
    expect(s.size).toBe(bytes.length);
    expect(Array.from(s.read(100, 4))).toEqual(Array.from(bytes.subarray(100, 104)));
  });

  it('reads blobs over the limit on demand, a chunk at a time', async () => {
    const log: number[] = [];
    const s = await blobSource(new RangeBlob(), { limit: 1000, chunkSize: 4096, readSync: fakeReadSync(log) });
    expect(s).toBeInstanceOf(ChunkedSource);
    expect(Array.from(s.read(9990, 10))).toEqual(Array.from(bytes.subarray(9990, 10000)));
    expect(Array.from(s.read(5, 3))).toEqual(Array.from(bytes.subarray(5, 8)));
    expect(Array.from(s.read(4090, 12))).toEqual(Array.from(bytes.subarray(4090, 4102)));
    expect(Array.from(s.read(6, 3))).toEqual(Array.from(bytes.subarray(6, 9)));
    // Three chunks read once each (the last one short), never the whole file.
    expect(log).toEqual([10_000 - 8192, 4096, 4096]);
  });

  it('never reads past the end of the blob', () => {
    const log: number[] = [];
    const s = new BlobSliceSource(new RangeBlob(), fakeReadSync(log));
    expect(s.read(9998, 100).length).toBe(2);
    expect(s.read(20_000, 10).length).toBe(0);
  });

  it('reads a long range once when it is asked for again', () => {
    const big = Uint8Array.from({ length: 6 << 20 }, (_, i) => i & 0xff);
    const reads: number[] = [];
    const blob = new Blob([big]);
    const s = new BlobSliceSource(blob, (b) => {
      reads.push(b.size);
      return new Uint8Array(b.size).buffer;
    });
    s.read(1000, 5 << 20);
    s.read(1000, 5 << 20);
    s.read(2000, 4096);
    expect(reads).toEqual([5 << 20]);
    s.read(0, 4096);
    expect(reads).toEqual([5 << 20, 4096]);
  });

  it("keeps the last two long reads: a library's .dynstr and .dynsym read in turn are each read once", () => {
    const reads: number[] = [];
    const s = new BlobSliceSource(new Blob([new Uint8Array(4 << 20)]), (b) => {
      reads.push(b.size);
      return new Uint8Array(b.size).buffer;
    });
    for (let i = 0; i < 3; i++) {
      s.read(0, 300 << 10);
      s.read(1 << 20, 500 << 10);
    }
    expect(reads).toEqual([300 << 10, 500 << 10]);
    s.read(2 << 20, 400 << 10);
    s.read(0, 300 << 10);
    expect(reads).toEqual([300 << 10, 500 << 10, 400 << 10, 300 << 10]);
  });

  it('reads a blob over the limit whole once when asked, and then reads memory', async () => {
    const log: number[] = [];
    const read = await readBlob(new RangeBlob(), { limit: 1000, chunkSize: 4096, readSync: fakeReadSync(log) });
    expect(read.whole).toBeNull();
    expect(Array.from(read.source.read(0, 8))).toEqual(Array.from(bytes.subarray(0, 8)));
    expect(log).toEqual([4096]);
    const [a, b] = await Promise.all([read.readWhole(), read.readWhole()]);
    expect(a).toBe(b);
    expect(Array.from(a)).toEqual(Array.from(bytes));
    // Chunks not read before, and a long range past the chunk cache, come from memory.
    expect(Array.from(read.source.read(9000, 1000))).toEqual(Array.from(bytes.subarray(9000, 10_000)));
    expect(Array.from(read.source.read(100, 9000))).toEqual(Array.from(bytes.subarray(100, 9100)));
    expect(log).toEqual([4096]);
  });

  it('refuses to fill a source with bytes of another size', () => {
    const s = new BlobSliceSource(new RangeBlob(), fakeReadSync([]));
    expect(() => s.fill(new Uint8Array(10))).toThrow(RangeError);
  });

  it('gives the head of a blob', async () => {
    const head = await blobHead(new Blob([bytes]), 16);
    expect(Array.from(head)).toEqual(Array.from(bytes.subarray(0, 16)));
  });
});
