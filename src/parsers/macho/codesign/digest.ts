// Hashes for signature checks: WebCrypto's native digest (globalThis.crypto.subtle,
// in Node 20 and in browser workers of a secure context), else @noble/hashes in
// JavaScript. Many small inputs are hashed at once — a code page is 4 or 16 KiB —
// so they go out as one batch of promises and come back in order.

import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';

/** WebCrypto's names for the hashes code signatures use. */
export type HashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384';

/** Hashes each part; results in the order given. */
export type DigestMany = (alg: HashAlgorithm, parts: Uint8Array[]) => Promise<Uint8Array[]>;

const portable = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384 } as const;

/** @noble/hashes, for platforms without WebCrypto (a page served over plain http, which has no crypto.subtle). */
export const portableDigest: DigestMany = async (alg, parts) => parts.map((p) => portable[alg](p));

/** WebCrypto's digest where the platform has it, else the portable one. */
export function defaultDigest(): DigestMany {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) return portableDigest;
  return async (alg, parts) => {
    const out = await Promise.all(parts.map((p) => subtle.digest(alg, p as Uint8Array<ArrayBuffer>)));
    return out.map((b) => new Uint8Array(b));
  };
}
