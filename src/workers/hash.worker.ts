// A second worker for the SHA-256 of a file over WHOLE_HASH_LIMIT, so the
// hash runs beside the analysis (on another core) instead of after it: the
// report never waits for it, and the analysis worker stays free to answer
// table requests while a 2 GB file is hashed in a stream (src/workers/hash.ts).
// A smaller file is hashed by the analysis worker, from the bytes it read.
//
// The page imports only the type of this module (src/workers/client.ts).

import * as Comlink from 'comlink';
import { blobSha256 } from './hash.ts';
import { WHOLE_HASH_LIMIT } from './limits.ts';

const api = {
  /** Lowercase hex SHA-256 of the file; `onProgress(done, total)` in bytes while it is streamed. */
  async sha256(file: Blob, onProgress?: (done: number, total: number) => void): Promise<string> {
    const whole = file.size <= WHOLE_HASH_LIMIT ? new Uint8Array(await file.arrayBuffer()) : null;
    return blobSha256(file, whole, { onProgress: onProgress ? (d, t) => void onProgress(d, t) : undefined });
  },
};

export type HashApi = typeof api;

Comlink.expose(api);
