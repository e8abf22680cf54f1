// Raw DEFLATE decoding through the platform's DecompressionStream
// ('deflate-raw'), a global in browsers and Node 20. Any valid DEFLATE
// opens, whatever wrote it.

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
  const reader = ds.readable.getReader();
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
  } catch {
    // The platform's own wording differs between browsers and Node; one sentence for all.
    return 'the link is not valid compressed data';
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
