// A ByteSource over a File or Blob, for the worker. Small files are read once
// into memory (parsers then get views, no copies); bigger ones are read on
// demand in chunks, so the headers of a 92 MB file are parsed before its code
// is read (and a 2 GB file never sits in the worker's heap whole). Reading
// Biome's 92 MB whole took 430–950 ms in Chromium on this machine; its
// headers, symbols and version tables are a few megabytes.

import { ChunkedSource, MemorySource, type ByteSource } from '../parsers/reader.ts';

/** Files up to this size are read whole (one read); larger ones through the chunk cache. */
export const WHOLE_FILE_LIMIT = 8 << 20;

/** Reads [start, end) of a blob synchronously. FileReaderSync exists only in workers. */
export type ReadSync = (blob: Blob) => ArrayBuffer;

const fileReaderSync: ReadSync = (blob) => new FileReaderSync().readAsArrayBuffer(blob);

/**
 * Reads at least this long are remembered, the last REMEMBER_COUNT of them:
 * the code of a slice is read for the scan, then again for its functions, and
 * a big library's .dynstr and .dynsym are each read twice while it is
 * summarized, with the other read between (the 1,000 system ELF files read
 * 19 of their 112 MB of long reads a second time when only the last one of
 * 4 MiB or more was kept).
 */
const REMEMBER_BYTES = 256 << 10;
const REMEMBER_COUNT = 2;

/**
 * On-demand reads of a Blob through `Blob.slice`; wrap it in a ChunkedSource.
 * The last `keep` long reads are kept (REMEMBER_COUNT, none for a unit's file,
 * whose walk fetches what it reads ahead). Once the whole blob has been read
 * (fill), reads are views of it.
 */
export class BlobSliceSource implements ByteSource {
  readonly size: number;
  /** The latest long reads, newest first. */
  private kept: { start: number; end: number; bytes: Uint8Array }[] = [];
  private whole: Uint8Array | null = null;
  constructor(
    private readonly blob: Blob,
    private readonly readSync: ReadSync = fileReaderSync,
    private readonly keep = REMEMBER_COUNT,
  ) {
    this.size = blob.size;
  }
  /** The blob's bytes, read whole elsewhere: every later read is a view of them. */
  fill(whole: Uint8Array): void {
    if (whole.byteLength !== this.size) throw new RangeError(`fill: ${whole.byteLength} bytes for a blob of ${this.size}`);
    this.whole = whole;
    this.kept = [];
  }
  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(offset + length, this.size));
    if (this.whole) return this.whole.subarray(start, end);
    for (const k of this.kept) if (start >= k.start && end <= k.end) return k.bytes.subarray(start - k.start, end - k.start);
    const bytes = new Uint8Array(this.readSync(this.blob.slice(start, end)));
    if (end - start >= REMEMBER_BYTES && this.keep > 0) this.kept = [{ start, end, bytes }, ...this.kept.slice(0, this.keep - 1)];
    return bytes;
  }
}

export interface BlobSourceOptions {
  /** Largest blob read whole (default WHOLE_FILE_LIMIT). */
  limit?: number;
  /** Chunk size of the on-demand cache (default 1 MiB, 16 chunks kept). */
  chunkSize?: number;
  readSync?: ReadSync;
}

export async function blobSource(blob: Blob, opts: BlobSourceOptions = {}): Promise<ByteSource> {
  return (await readBlob(blob, opts)).source;
}

export interface ReadBlob {
  source: ByteSource;
  /** The whole file, when it was read whole (the hash then needs no second read). */
  whole: Uint8Array | null;
  /**
   * For a blob read on demand: reads it whole in one asynchronous read
   * (memoized), after which `source` reads from memory. Reading Biome's 92 MB
   * this way took 300–350 ms in a worker here, in 1 MiB synchronous slices
   * 580–990 ms (load 7–9).
   */
  readWhole: () => Promise<Uint8Array>;
}

export async function readBlob(blob: Blob, opts: BlobSourceOptions = {}): Promise<ReadBlob> {
  if (blob.size <= (opts.limit ?? WHOLE_FILE_LIMIT)) {
    const whole = new Uint8Array(await blob.arrayBuffer());
    return { source: new MemorySource(whole), whole, readWhole: () => Promise.resolve(whole) };
  }
  const inner = new BlobSliceSource(blob, opts.readSync);
  let reading: Promise<Uint8Array> | null = null;
  const readWhole = (): Promise<Uint8Array> =>
    (reading ??= blob.arrayBuffer().then((b) => {
      const whole = new Uint8Array(b);
      inner.fill(whole);
      return whole;
    }));
  return { source: new ChunkedSource(inner, opts.chunkSize), whole: null, readWhole };
}

/** The first bytes of a blob, enough for format identification (the tar magic sits at 257). */
export async function blobHead(blob: Blob, length = 4096): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, length).arrayBuffer());
}

/**
 * A unit's file (an image tar, an archive) for the unit walk, which reads
 * every tar header and each member's first bytes: those, and each binary
 * member before it is parsed, are fetched ahead with Blob.arrayBuffer() into
 * the chunk cache (1 MiB chunks, 16 held); only what a parser asks for beyond
 * them is read with FileReaderSync. Each
 * FileReaderSync read leaves garbage the worker collects late: a 1.2 GB image
 * of 20,000 files read through it peaked at 425–547 MB of renderer memory in
 * Chromium 156, and 1,072 bare 1 MiB FileReaderSync reads of that file at
 * 400–650 MB, against 290 MB for the same reads through Blob.arrayBuffer().
 */
export function blobUnitSource(blob: Blob, readSync: ReadSync = fileReaderSync): ByteSource {
  return new ChunkedSource(
    new BlobSliceSource(blob, readSync, 0),
    1 << 20,
    16,
    async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  );
}
