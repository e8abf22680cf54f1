// A ByteSource over a File or Blob, for the worker. Small files are read once
// into memory (parsers then get views, no copies); big ones are read on demand
// in chunks, so a 2 GB file never sits in the worker's heap whole.

import { ChunkedSource, MemorySource, type ByteSource } from '../parsers/reader.ts';

/** Files up to this size are read whole; larger ones through the chunk cache. */
export const WHOLE_FILE_LIMIT = 256 << 20;

/** Reads [start, end) of a blob synchronously. FileReaderSync exists only in workers. */
export type ReadSync = (blob: Blob) => ArrayBuffer;

const fileReaderSync: ReadSync = (blob) => new FileReaderSync().readAsArrayBuffer(blob);

/** On-demand reads of a Blob through `Blob.slice`; wrap it in a ChunkedSource. */
export class BlobSliceSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly blob: Blob,
    private readonly readSync: ReadSync = fileReaderSync,
  ) {
    this.size = blob.size;
  }
  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(offset + length, this.size));
    return new Uint8Array(this.readSync(this.blob.slice(start, end)));
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
  if (blob.size <= (opts.limit ?? WHOLE_FILE_LIMIT)) return new MemorySource(new Uint8Array(await blob.arrayBuffer()));
  return new ChunkedSource(new BlobSliceSource(blob, opts.readSync), opts.chunkSize);
}

/** The first bytes of a blob, enough for format identification (the tar magic sits at 257). */
export async function blobHead(blob: Blob, length = 4096): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, length).arrayBuffer());
}
