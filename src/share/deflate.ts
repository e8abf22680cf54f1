// Raw DEFLATE (RFC 1951) through the platform's CompressionStream and
// DecompressionStream ('deflate-raw': no zlib header or checksum, the
// shortest form). Browsers and Node 20 have both as globals.

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate-raw');
  const writer = cs.writable.getWriter();
  // Writes are not awaited before reading (the stream would wait on its
  // reader), but their failures must still be caught.
  const written = Promise.all([writer.write(bytes as Uint8Array<ArrayBuffer>), writer.close()]);
  const out = await collect(cs.readable.getReader(), Infinity);
  await written;
  if (typeof out === 'string') throw new Error(out);
  return out;
}

/**
 * The inflated bytes, or a sentence saying why not. Reading stops as soon as
 * more than `max` bytes come out, so a small link that inflates to gigabytes
 * (a deflate bomb) costs no more than `max` bytes of memory.
 */
export async function inflateRaw(bytes: Uint8Array, max: number): Promise<Uint8Array | string> {
  if (typeof DecompressionStream !== 'function') return 'this browser cannot decompress links (no DecompressionStream)';
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  // The writer's promises reject when the data is not DEFLATE or when reading
  // stops early; the reader reports the same failure, so these are only caught.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  return collect(ds.readable.getReader(), max);
}

async function collect(reader: ReadableStreamDefaultReader<Uint8Array>, max: number): Promise<Uint8Array | string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        reader.cancel().catch(() => {});
        return `the link inflates to more than ${max} bytes`;
      }
      chunks.push(value);
    }
  } catch (e) {
    return `the link is not valid compressed data (${e instanceof Error ? e.message : String(e)})`;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
