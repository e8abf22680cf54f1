// Sizes that decide where a file's bytes are read and hashed; the page
// (client.ts) and both workers read them from here.

/**
 * A file up to this size is read whole by the analysis worker, which then
 * hashes those bytes with WebCrypto's one-shot digest after the report; a
 * bigger one is read only where the parsers ask and hashed in a stream by the
 * hash worker, beside the analysis.
 */
export const WHOLE_HASH_LIMIT = 256 << 20;
