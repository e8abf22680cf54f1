// The file's SHA-256 for the page (hash.worker.ts runs it beside the
// analysis: the verdict needs headers, not the hash). Bytes in memory go to
// WebCrypto's digest, native code in one call; a bigger file is streamed
// through hash-wasm's SHA-256, reading the next slice while the last one is
// hashed. Measured in Chromium 156 on this machine (92 MB, in a worker, the
// machine busy): WebCrypto 310–410 MB/s, hash-wasm 70–150 MB/s; @noble/hashes,
// which the page used before, about 40 MB/s (a 2 GB file: 154–253 s).
//
// Not Blob.stream(): in Chromium 156 a read from its byte stream (BYOB
// reader) sometimes never settles on a busy machine, and the hash with it
// (the 2 GB e2e file stopped at 1,128 MiB, one run of two at load 15–20).

import { createSHA256 } from 'hash-wasm';

/**
 * Bytes read and hashed at a time when streaming. Each slice is garbage once
 * hashed, and the worker collects it late: the 2 GB e2e file peaked at
 * 470–485 MB of renderer memory with 4–8 MB slices, 400–445 MB with 2 MB
 * ones, in the same time (load 12–15).
 */
export const HASH_CHUNK = 2 << 20;

function toHex(digest: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(digest)) s += b.toString(16).padStart(2, '0');
  return s;
}

/** SHA-256 of bytes in memory, with WebCrypto when the context has it (secure contexts only). */
async function digestWhole(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  try {
    return toHex(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  } catch {
    return null;
  }
}

export interface HashOptions {
  onProgress?: (done: number, total: number) => void;
  chunk?: number;
}

/**
 * Lowercase hex SHA-256 of `blob`. `whole` is the blob's bytes when they are
 * already in memory. `onProgress(done, total)` follows the streamed hash.
 */
export async function blobSha256(blob: Blob, whole: Uint8Array | null, opts: HashOptions = {}): Promise<string> {
  const { onProgress, chunk = HASH_CHUNK } = opts;
  if (whole) {
    const hex = await digestWhole(whole);
    if (hex !== null) {
      onProgress?.(whole.byteLength, whole.byteLength);
      return hex;
    }
  }
  const h = await createSHA256();
  h.init();
  const total = blob.size;
  const read = (at: number): Promise<Uint8Array> =>
    whole
      ? Promise.resolve(whole.subarray(at, Math.min(total, at + chunk)))
      : blob
          .slice(at, Math.min(total, at + chunk))
          .arrayBuffer()
          .then((b) => new Uint8Array(b));
  let next = total > 0 ? read(0) : null;
  for (let at = 0; next; at += chunk) {
    const bytes = await next;
    next = at + chunk < total ? read(at + chunk) : null;
    h.update(bytes);
    onProgress?.(Math.min(total, at + chunk), total);
  }
  return h.digest('hex');
}
