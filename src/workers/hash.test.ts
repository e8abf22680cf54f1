import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blobSha256 } from './hash.ts';

const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 2654435761) >>> 24);
const expected = createHash('sha256').update(bytes).digest('hex');

describe('blobSha256', () => {
  it('hashes bytes in memory with WebCrypto', async () => {
    const progress: number[] = [];
    expect(await blobSha256(new Blob([bytes]), bytes, { onProgress: (d) => progress.push(d) })).toBe(expected);
    expect(progress).toEqual([bytes.length]);
  });

  it('streams a blob in chunks, the last one short, with progress up to its size', async () => {
    const progress: number[] = [];
    expect(await blobSha256(new Blob([bytes]), null, { chunk: 4096, onProgress: (d) => progress.push(d) })).toBe(expected);
    expect(progress.length).toBe(Math.ceil(bytes.length / 4096));
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress.every((d, i) => i === 0 || d > progress[i - 1]!)).toBe(true);
  });

  it('hashes an empty blob', async () => {
    const empty = createHash('sha256').update(new Uint8Array(0)).digest('hex');
    expect(await blobSha256(new Blob([]), null)).toBe(empty);
    expect(await blobSha256(new Blob([]), new Uint8Array(0))).toBe(empty);
  });
});
