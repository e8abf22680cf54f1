// Bytes read front to back, from a random-access source (a file, a Blob, a
// member of an uncompressed archive: skipping costs nothing and a member can
// be handed on as a window without a copy) or from a decompressor (gzip
// through the platform's DecompressionStream; zstd and xz through libraries
// loaded on first use). Pure: no DOM or Node API beyond the web streams both have.

import type { ByteSource } from '../parsers/reader.ts';
import { Budget, UnitError } from './limits.ts';

export interface ByteStream {
  /** Bytes read or skipped so far. */
  readonly position: number;
  /** Up to `n` bytes; fewer only at the end of the stream. */
  read(n: number): Promise<Uint8Array>;
  /** Skips up to `n` bytes; the number skipped. */
  skip(n: number): Promise<number>;
  /** The next `n` bytes (fewer at the end) without consuming them. */
  peek(n: number): Promise<Uint8Array>;
  /** The random-access source under this stream, when there is one (then `window` works). */
  readonly source: ByteSource | null;
}

/** A window [offset, offset + size) of a source, as a source of its own. */
export class WindowSource implements ByteSource {
  constructor(
    readonly inner: ByteSource,
    readonly offset: number,
    readonly size: number,
  ) {
    if (offset < 0 || size < 0 || offset + size > inner.size)
      throw new UnitError('format', `member at ${offset} (${size} bytes) runs past the end of its archive (${inner.size} bytes)`);
  }
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    return this.inner.read(this.offset + offset, n);
  }
  async prefetch(offset: number, length: number): Promise<void> {
    await this.inner.prefetch?.(this.offset + offset, Math.max(0, Math.min(length, this.size - offset)));
  }
}

/** Where byte `at` of `source` lies in `file`, through windows of windows; null when `source` is not part of `file`. */
export function offsetIn(file: ByteSource, source: ByteSource, at = 0): number | null {
  if (source === file) return at;
  return source instanceof WindowSource ? offsetIn(file, source.inner, source.offset + at) : null;
}

/** A stream over a random-access source: skips are free and members are windows. */
export class SourceStream implements ByteStream {
  position = 0;
  constructor(readonly source: ByteSource) {}
  async read(n: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(n, this.source.size - this.position));
    await this.source.prefetch?.(this.position, len);
    const out = this.source.read(this.position, len);
    this.position += out.byteLength;
    return out;
  }
  async skip(n: number): Promise<number> {
    const len = Math.max(0, Math.min(n, this.source.size - this.position));
    this.position += len;
    return len;
  }
  async peek(n: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(n, this.source.size - this.position));
    await this.source.prefetch?.(this.position, len);
    return this.source.read(this.position, len);
  }
}

/** A stream over chunks that arrive in order (a decompressor's output). */
export class ChunkStream implements ByteStream {
  position = 0;
  readonly source = null;
  private buf: Uint8Array = new Uint8Array(0);
  private at = 0;
  private done = false;
  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    while (this.at >= this.buf.byteLength) {
      if (this.done) return false;
      const r = await this.chunks.next();
      if (r.done) {
        this.done = true;
        return false;
      }
      this.buf = r.value;
      this.at = 0;
    }
    return true;
  }

  async read(n: number): Promise<Uint8Array> {
    if (!(await this.fill())) return new Uint8Array(0);
    // The common case (a tar header, a small member inside one chunk) is a view.
    if (this.buf.byteLength - this.at >= n) {
      const v = this.buf.subarray(this.at, this.at + n);
      this.at += n;
      this.position += n;
      return v;
    }
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n && (await this.fill())) {
      const take = Math.min(n - got, this.buf.byteLength - this.at);
      out.set(this.buf.subarray(this.at, this.at + take), got);
      this.at += take;
      got += take;
    }
    this.position += got;
    return got === n ? out : out.subarray(0, got);
  }

  async peek(n: number): Promise<Uint8Array> {
    if (this.buf.byteLength - this.at >= n) return this.buf.subarray(this.at, this.at + n);
    const got = await this.read(n);
    // Put the bytes back in front of what is left of the current chunk.
    const rest = this.buf.subarray(this.at);
    const merged = new Uint8Array(got.byteLength + rest.byteLength);
    merged.set(got);
    merged.set(rest, got.byteLength);
    this.buf = merged;
    this.at = 0;
    this.position -= got.byteLength;
    return got;
  }

  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0 && (await this.fill())) {
      const take = Math.min(left, this.buf.byteLength - this.at);
      this.at += take;
      left -= take;
    }
    this.position += n - left;
    return n - left;
  }

  /** Stops the producer (a decompressor still running when the walk ends early). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

/** Compression formats a member can be in, from its first bytes. */
export type Compression = 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'deflate-raw';

export function compressionOf(head: Uint8Array): Compression | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (
    head.length >= 6 &&
    head[0] === 0xfd &&
    head[1] === 0x37 &&
    head[2] === 0x7a &&
    head[3] === 0x58 &&
    head[4] === 0x5a &&
    head[5] === 0x00
  )
    return 'xz';
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2';
  return null;
}

const READ_CHUNK = 1 << 20;

/** A stream's bytes as a web stream, read in 1 MiB pieces as the consumer pulls. */
function sourceReadable(input: ByteStream): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await input.read(READ_CHUNK);
      if (chunk.byteLength === 0) {
        controller.close();
        return;
      }
      // A copy: the consumer (a decompressor) may keep or transfer the chunk.
      controller.enqueue(chunk.slice());
    },
  });
}

/** The decompressed bytes of a compressed stream, counted against the unit's budget. */
export async function decompressed(source: ByteStream, kind: Compression, budget: Budget, member: string): Promise<ChunkStream> {
  let out: ReadableStream<Uint8Array>;
  switch (kind) {
    case 'gzip':
    case 'deflate-raw':
      out = sourceReadable(source).pipeThrough(new DecompressionStream(kind) as unknown as TransformStream<Uint8Array, Uint8Array>);
      break;
    case 'zstd':
      out = await zstdReadable(sourceReadable(source));
      break;
    case 'xz': {
      // xz-decompress: liblzma's decoder compiled to WebAssembly, loaded on first use.
      const { XzReadableStream } = await import('xz-decompress');
      out = new XzReadableStream(sourceReadable(source));
      break;
    }
    default:
      throw new UnitError('unsupported', `${kind}-compressed members are not read (use gzip, zstd or xz)`, member);
  }
  return new ChunkStream(counted(out, budget, member));
}

async function* counted(stream: ReadableStream<Uint8Array>, budget: Budget, member: string): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw new UnitError('format', `the compressed data is damaged: ${e instanceof Error ? e.message : String(e)}`, member);
      }
      if (r.done) return;
      budget.expand(r.value.byteLength, member);
      yield r.value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** fzstd's streaming decoder (pure JavaScript, loaded on first use) as a web stream transform. */
async function zstdReadable(input: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const { Decompress } = await import('fzstd');
  let controllerRef: TransformStreamDefaultController<Uint8Array> | null = null;
  const d = new Decompress((chunk) => controllerRef?.enqueue(chunk));
  return input.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        controllerRef = controller;
        d.push(chunk);
      },
      flush(controller) {
        controllerRef = controller;
        d.push(new Uint8Array(0), true);
      },
    }),
  );
}
