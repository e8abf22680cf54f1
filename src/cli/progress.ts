// Progress on stderr for the one step whose time grows with the file's size
// rather than with what its headers describe: the SHA-256 of every byte (a
// 4 GB sparse file is 4 GB of zeros to hash, about 4 s). Shown on a terminal
// for files over PROGRESS_MIN, updated in place and erased when done; with
// --progress also when stderr is not a terminal, one line per tenth.

import { basename } from 'node:path';
import { q } from './output.ts';

/** Below this a hash takes well under a second: no progress. */
export const PROGRESS_MIN = 256 << 20;

const GB = 1 << 30;
const MB = 1 << 20;

function amount(n: number, total: number): string {
  return total >= GB ? `${(n / GB).toFixed(1)} GB` : `${Math.round(n / MB)} MB`;
}

/** A progress callback for hashing `name`, or undefined when none is to be shown. */
export function hashProgress(name: string, size: number, forced: boolean): ((done: number, total: number) => void) | undefined {
  const tty = process.stderr.isTTY === true;
  if (!forced && !(tty && size >= PROGRESS_MIN)) return undefined;
  const label = `binlens: hashing ${q(name)} (every byte, holes of a sparse file too; the headers are read apart)`;
  let shown = -1;
  let last = 0;
  return (done, total) => {
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (tty) {
      const now = performance.now();
      if (done < total && now - last < 200) return;
      last = now;
      // \r and erase-to-end-of-line: the same line is rewritten, then cleared.
      // Short enough for an 80-column line, or \r would not return to its start.
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      process.stderr.write(
        done < total
          ? `\rbinlens: hashing ${q(basename(name)).slice(0, 40)}: ${amount(done, total)} of ${amount(total, total)} (${pct}%)\x1b[K`
          : '\r\x1b[K',
      );
    } else if (tenth > shown) {
      shown = tenth;
      process.stderr.write(`${label}: ${tenth * 10}% (${amount(done, total)} of ${amount(total, total)})\n`);
    }
  };
}
