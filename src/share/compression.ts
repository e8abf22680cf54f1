// Raw DEFLATE (RFC 1951) through the platform's CompressionStream and
// DecompressionStream ('deflate-raw'), globals in browsers and Node 20.
// The compressed bytes differ between platforms (Chromium ships its own
// zlib fork); a link's content never depends on them (permalink.ts decides
// what travels on the JSON's length), and any valid DEFLATE opens, whatever
// wrote it.

import { concat } from '../parsers/reader.ts';

/** Reads a stream's chunks; null when more than `max` bytes come out (reading stops there). */
async function collect(readable: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array | null> {
  const reader = readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return concat(chunks);
}

/** Feeds `bytes` to a transform stream; failures surface on its readable side. */
function feed(stream: { writable: WritableStream<BufferSource> }, bytes: Uint8Array): void {
  const writer = stream.writable.getWriter();
  // The writer's promises reject when the data is not DEFLATE or when reading
  // stops early; the reader reports the same failure, so these are only caught.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
}

/**
 * The platform's raw DEFLATE of `bytes`, or null as soon as the output passes
 * `max` bytes. Throws when the platform has no CompressionStream.
 */
export async function deflateRaw(bytes: Uint8Array, max = Infinity): Promise<Uint8Array | null> {
  if (typeof CompressionStream !== 'function') throw new Error('this browser cannot compress links (no CompressionStream)');
  const cs = new CompressionStream('deflate-raw');
  feed(cs, bytes);
  return collect(cs.readable, max);
}

/**
 * The inflated bytes, or a sentence saying why not. Reading stops as soon as
 * more than `max` bytes come out, so a small link that inflates to gigabytes
 * (a deflate bomb) costs no more than `max` bytes of memory.
 */
export async function inflateRaw(bytes: Uint8Array, max: number): Promise<Uint8Array | string> {
  if (typeof DecompressionStream !== 'function') return 'this browser cannot decompress links (no DecompressionStream)';
  const ds = new DecompressionStream('deflate-raw');
  feed(ds, bytes);
  let out: Uint8Array | null;
  try {
    out = await collect(ds.readable, max);
  } catch {
    // The platform's own wording differs between browsers and Node; one sentence for all.
    return 'the link is not valid compressed data';
  }
  return out ?? `the link inflates to more than ${max} bytes`;
}
