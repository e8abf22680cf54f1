// Raw DEFLATE (RFC 1951) through the platform's CompressionStream and
// DecompressionStream ('deflate-raw': no zlib header or checksum, the
// shortest form). Browsers and Node 20 have both as globals.

/** The compressed bytes, or null as soon as they pass `max` bytes (the rest is not compressed). */
export async function deflateRaw(bytes: Uint8Array, max = Infinity): Promise<Uint8Array | null> {
  const cs = new CompressionStream('deflate-raw');
  const writer = cs.writable.getWriter();
  // Fed in pieces so that stopping early saves the work on the rest. Writes
  // are not awaited before reading (the stream waits on its reader); a
  // failure shows on the reader, so the writer's promises are only caught.
  const PIECE = 64 * 1024;
  for (let at = 0; at < bytes.length; at += PIECE) writer.write(bytes.subarray(at, at + PIECE) as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const out = await collect(cs.readable.getReader(), max, '');
  if (out === '') return null;
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
  return collect(ds.readable.getReader(), max, `the link inflates to more than ${max} bytes`);
}

/** All the stream's bytes; `tooLong` as soon as they pass `max`; a sentence when the stream fails. */
async function collect(reader: ReadableStreamDefaultReader<Uint8Array>, max: number, tooLong: string): Promise<Uint8Array | string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        reader.cancel().catch(() => {});
        return tooLong;
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
