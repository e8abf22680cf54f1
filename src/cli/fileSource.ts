// Node-side ByteSource for the CLI, tests and benchmarks. Small files are read
// whole (one read, views after that); big ones are read on demand through the
// same chunk cache the worker uses, so memory stays bounded.

import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { ChunkedSource, MemorySource, type ByteSource } from '../parsers/reader.ts';

const WHOLE_FILE_LIMIT = 256 << 20;

class FdSource implements ByteSource {
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const got = readSync(this.fd, out, done, n - done, offset + done);
      if (got === 0) break;
      done += got;
    }
    return done === n ? out : out.subarray(0, done);
  }
}

export interface OpenedFile {
  source: ByteSource;
  close(): void;
}

export function openFile(path: string): OpenedFile {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  if (size <= WHOLE_FILE_LIMIT) {
    closeSync(fd);
    const b = readFileSync(path);
    return { source: new MemorySource(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)), close() {} };
  }
  return { source: new ChunkedSource(new FdSource(fd, size)), close: () => closeSync(fd) };
}
