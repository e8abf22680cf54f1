// Node-side ByteSource for the CLI, tests and benchmarks. Only regular files
// are read: a character device (/dev/zero says it is 0 bytes long and never
// ends), a FIFO (opening one blocks until a writer comes), a socket or a
// directory is refused with one line before a byte is read. The path is
// checked with stat() before open(), opened with O_NONBLOCK (a FIFO put in its
// place after the stat does not block the open), and the descriptor checked
// again with fstat(); no more than fstat's size is ever read, so a file that
// grows while it is read is read as it was.
//
// Small files are read whole (one read, views after that); big ones are read
// on demand through the same chunk cache the worker uses, so memory stays
// bounded.

import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { ChunkedSource, MemorySource, type ByteSource } from '../parsers/reader.ts';

const WHOLE_FILE_LIMIT = 256 << 20;

/** A path that cannot be analyzed, with the reason in a few words ("no such file", "is a directory"). */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

class FdSource implements ByteSource {
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const out = new Uint8Array(n);
    const done = readFully(this.fd, out, offset);
    return done === n ? out : out.subarray(0, done);
  }
}

/** Reads into `out` from `position` until it is full or the file ends; the count read. */
function readFully(fd: number, out: Uint8Array, position: number): number {
  let done = 0;
  while (done < out.byteLength) {
    const got = readSync(fd, out, done, out.byteLength - done, position + done);
    if (got === 0) break;
    done += got;
  }
  return done;
}

export interface OpenedFile {
  source: ByteSource;
  /**
   * The file's SHA-256 (lowercase hex), Node's native hash fed straight from
   * the descriptor through one reused buffer: the one step that reads every
   * byte, holes of a sparse file included. `onProgress` gets bytes hashed so far.
   */
  sha256(onProgress?: (done: number, total: number) => void): string;
  close(): void;
}

/** Bytes per read while hashing a big file: few system calls, one buffer for the whole file. */
const HASH_READ = 8 << 20;

/** What a path that is not a regular file is, as a reason; null for a regular file. */
function notAFile(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'is a directory';
  if (st.isCharacterDevice()) return 'is a character device, not a file';
  if (st.isBlockDevice()) return 'is a block device, not a file';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a file';
  if (st.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

/** The reason an fs call failed, in the words `ls` and `cat` use. */
function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
}

/** Opens a regular file for analysis, or throws an InputError saying why it cannot be. */
export function openFile(path: string): OpenedFile {
  let fd: number;
  try {
    const before = notAFile(statSync(path));
    if (before) throw new InputError(path, before);
    // O_NONBLOCK: Windows has none (and no FIFOs on a path); regular files ignore it.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw e instanceof InputError ? e : new InputError(path, systemReason(e));
  }
  let size: number;
  try {
    const st = fstatSync(fd);
    const after = notAFile(st);
    if (after) throw new InputError(path, after);
    size = st.size;
  } catch (e) {
    closeSync(fd);
    throw e instanceof InputError ? e : new InputError(path, systemReason(e));
  }
  if (size <= WHOLE_FILE_LIMIT) {
    try {
      const bytes = new Uint8Array(size);
      const got = readFully(fd, bytes, 0);
      // A file cut while it was read is analyzed as the bytes that were there.
      const whole = got === size ? bytes : bytes.subarray(0, got);
      return {
        source: new MemorySource(whole),
        sha256(onProgress) {
          const h = createHash('sha256').update(whole).digest('hex');
          onProgress?.(whole.byteLength, whole.byteLength);
          return h;
        },
        close() {},
      };
    } catch (e) {
      throw new InputError(path, systemReason(e));
    } finally {
      closeSync(fd);
    }
  }
  return {
    source: new ChunkedSource(new FdSource(fd, size)),
    sha256(onProgress) {
      const h = createHash('sha256');
      const buffer = new Uint8Array(Math.min(HASH_READ, size));
      let at = 0;
      onProgress?.(0, size);
      while (at < size) {
        const got = readSync(fd, buffer, 0, Math.min(buffer.byteLength, size - at), at);
        if (got === 0) break;
        h.update(buffer.subarray(0, got));
        at += got;
        onProgress?.(at, size);
      }
      return h.digest('hex');
    },
    close: () => closeSync(fd),
  };
}
