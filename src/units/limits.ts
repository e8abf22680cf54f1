// Bounds every walk of a unit keeps, so that a hostile archive (a zip bomb, a
// million empty entries, archives nested without end, `../` paths, symlink
// loops) ends with a clear error in bounded time and memory instead of a hang.

/** Why a unit could not be read (or not read whole): `limit` for a bound hit, `format` for bytes that are not what they claim. */
export type UnitErrorKind = 'limit' | 'format' | 'traversal' | 'unsupported';

export class UnitError extends Error {
  override readonly name = 'UnitError';
  constructor(
    readonly kind: UnitErrorKind,
    message: string,
    /** Path of the member inside the unit the error is about (`layer.tar!/usr/bin/x`), or `''` for the unit itself. */
    readonly member = '',
  ) {
    super(message);
  }
}

export interface Limits {
  /** Archives inside archives (a layer inside an image tar is depth 2). */
  maxDepth: number;
  /** Entries (files, directories, links) over the whole unit. */
  maxEntries: number;
  /** Bytes produced by decompression over the whole unit (a zip bomb expands without end). */
  maxExpanded: number;
  /** Largest member read whole (an ELF or Mach-O file, a JSON document). */
  maxMemberBytes: number;
  /** Largest JSON or text document read (manifest, index, config, package.json). */
  maxDocumentBytes: number;
  /** Longest member path. */
  maxPathLength: number;
  /** Symbolic links followed while resolving one path (Linux: MAXSYMLINKS, 40). */
  maxSymlinkHops: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 4,
  maxEntries: 500_000,
  maxExpanded: 8 * 1024 ** 3,
  maxMemberBytes: 512 << 20,
  maxDocumentBytes: 16 << 20,
  maxPathLength: 4096,
  maxSymlinkHops: 40,
};

/** Counters shared by every walk of one unit, checked against its limits. */
export class Budget {
  entries = 0;
  expanded = 0;
  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  entry(path: string): void {
    if (++this.entries > this.limits.maxEntries) {
      throw new UnitError(
        'limit',
        `more than ${this.limits.maxEntries.toLocaleString('en-US')} entries: binlens stops reading here (an archive this large is unusual; a hostile one makes millions of empty entries)`,
        path,
      );
    }
    if (path.length > this.limits.maxPathLength)
      throw new UnitError(
        'limit',
        `a member path is ${path.length} characters long (limit ${this.limits.maxPathLength})`,
        path.slice(0, 200),
      );
  }

  expand(n: number, member: string): void {
    this.expanded += n;
    if (this.expanded > this.limits.maxExpanded) {
      throw new UnitError(
        'limit',
        `decompression produced more than ${fmtBytes(this.limits.maxExpanded)}: binlens stops here (a compression bomb expands without end)`,
        member,
      );
    }
  }
}

export function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} bytes`;
}

/** A cooperative cancel check, as the pipeline's. */
export function checkCancelled(cancelled?: () => boolean): void {
  if (cancelled?.()) throw new DOMException('analysis cancelled', 'AbortError');
}
