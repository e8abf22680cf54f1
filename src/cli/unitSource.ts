// A unit from a path: a file read through the CLI's file source (regular
// files only, never more than its size at open), or a folder walked with
// lstat (symbolic links kept as links, never followed out of the folder).

import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError, openFile } from './fileSource.ts';
import { unitFromFolder, type FolderEntry } from '../units/folder.ts';
import { unitFromSource, type UnitOptions } from '../units/unit.ts';
import type { UnitReport } from '../units/types.ts';

export async function unitFromPath(path: string, opts: UnitOptions = {}): Promise<UnitReport> {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    // openFile gives the reason in the words the other commands use.
    openFile(path).close();
    throw new InputError(path, 'cannot be read');
  }
  if (st.isDirectory()) return unitFromFolder(folderEntries(path), basename(path) || path, opts);
  const f = openFile(path);
  try {
    return await unitFromSource(f.source, basename(path), opts);
  } finally {
    f.close();
  }
}

/** Every entry under `dir`, depth first, paths relative to it with a leading `/`. */
function* folderEntries(dir: string): Generator<FolderEntry> {
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(join(dir, rel)).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const r = `${rel}/${n}`;
      const full = join(dir, r);
      let st;
      try {
        st = lstatSync(full);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) yield { path: r, type: 'symlink', size: 0, target: readlinkSync(full) };
      else if (st.isDirectory()) {
        yield { path: r, type: 'dir', size: 0 };
        stack.push(r);
      } else if (st.isFile()) {
        yield {
          path: r,
          type: 'file',
          size: st.size,
          open: () => {
            const f = openFile(full);
            return { source: f.source, close: f.close };
          },
        };
      }
    }
  }
}
