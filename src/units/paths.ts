// Paths inside a unit: always absolute within the unit's root, `/`-separated,
// no `.` or `..` parts. A member path that climbs out of the root (`../x`,
// `/../../etc/passwd`) is a traversal: an extractor would write outside the
// folder it extracts to, so binlens refuses the archive.

import { UnitError } from './limits.ts';

/** `./usr//bin/../lib/x` → `/usr/lib/x`. Throws a traversal error when a `..` leaves the root. */
export function memberPath(raw: string): string {
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0)
        throw new UnitError(
          'traversal',
          `the entry '${raw.slice(0, 200)}' climbs out of the archive with '..' (path traversal): an extractor would write outside its folder`,
          raw.slice(0, 200),
        );
      out.pop();
      continue;
    }
    out.push(part);
  }
  return '/' + out.join('/');
}

/** Joins and normalizes inside a root, the way the kernel resolves paths in a chroot: `..` at `/` stays at `/`. */
export function resolveIn(dir: string, rel: string): string {
  const base = rel.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') base.pop();
    else base.push(part);
  }
  return '/' + base.join('/');
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
