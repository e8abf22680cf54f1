// A second worker for the file's SHA-256, so the hash runs beside the
// analysis (on another core) instead of after it: the report never waits for
// it, and the analysis worker stays free to answer table requests while a
// 2 GB file is hashed. A file up to WHOLE_HASH_LIMIT is read whole and goes to
// WebCrypto; a bigger one is streamed (src/workers/hash.ts).
//
// The page imports only the type of this module (src/workers/client.ts).

import * as Comlink from 'comlink';
import { blobSha256 } from './hash.ts';

/** Files up to this size are read whole for WebCrypto's one-shot digest; bigger ones are streamed. */
export const WHOLE_HASH_LIMIT = 256 << 20;

const api = {
  /** Lowercase hex SHA-256 of the file; `onProgress(done, total)` in bytes while it is streamed. */
  async sha256(file: Blob, onProgress?: (done: number, total: number) => void): Promise<string> {
    const whole = file.size <= WHOLE_HASH_LIMIT ? new Uint8Array(await file.arrayBuffer()) : null;
    return blobSha256(file, whole, { onProgress: onProgress ? (d, t) => void onProgress(d, t) : undefined });
  },
};

export type HashApi = typeof api;

Comlink.expose(api);
