// Files from a drop or a picker, with their path inside any dropped folder.
// Directory drops are walked through the File and Directory Entries API
// (`webkitGetAsEntry`), the only way a page can see a dropped folder's contents.

export interface Picked {
  file: File;
  /** Path relative to what was dropped ("bin/ls"), or the file name. */
  path: string;
}

/** More files than this in one drop are not walked (a dropped home directory would never end). */
export const MAX_FILES = 20_000;

export interface Collected {
  files: Picked[];
  /** Set when the walk stopped early or some entries could not be read. */
  warning: string | null;
}

export function fromFileList(list: FileList | File[]): Picked[] {
  return Array.from(list, (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/**
 * Must be called inside the drop handler: DataTransfer items are only
 * readable during the event, so the entries are taken synchronously and
 * walked afterwards.
 */
export function collectDrop(dt: DataTransfer): Promise<Collected> {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) return Promise.resolve({ files: fromFileList(dt.files), warning: null });
  return walk(entries);
}

async function walk(roots: FileSystemEntry[]): Promise<Collected> {
  const files: Picked[] = [];
  let unreadable = 0;
  let truncated = false;
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    if (files.length >= MAX_FILES) {
      truncated = true;
      break;
    }
    const entry = stack.pop()!;
    try {
      if (entry.isFile) {
        const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
        files.push({ file, path: entry.fullPath.replace(/^\//, '') || file.name });
      } else if (entry.isDirectory) {
        const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
        children.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
        stack.push(...children);
      }
    } catch {
      unreadable++;
    }
  }
  const notes: string[] = [];
  if (truncated) notes.push(`Only the first ${MAX_FILES.toLocaleString('en-US')} files were taken.`);
  if (unreadable) notes.push(`${unreadable} ${unreadable === 1 ? 'entry' : 'entries'} could not be read.`);
  return { files, warning: notes.length ? notes.join(' ') : null };
}

/** readEntries returns a batch at a time (100 in Chrome) until it returns none. */
async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const out: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return out;
    out.push(...batch);
    if (out.length > MAX_FILES) return out;
  }
}

/**
 * The folder a drop is, when it is one unit: every file under one top folder that holds an OCI image layout
 * (`oci-layout`, `index.json`), a `docker save` tree (`manifest.json`), an npm package or node_modules, or an .app.
 * Its path prefix (`folder`), or null for a drop that is a set of files.
 */
export function folderUnitRoot(picked: readonly Picked[]): string | null {
  const first = picked[0]?.path ?? '';
  const slash = first.indexOf('/');
  if (slash <= 0) return null;
  const top = first.slice(0, slash);
  if (!picked.every((p) => p.path.startsWith(top + '/'))) return null;
  const unit = picked.some((p) => {
    const rel = p.path.slice(top.length);
    return (
      rel === '/oci-layout' ||
      rel === '/index.json' ||
      rel === '/manifest.json' ||
      rel === '/package.json' ||
      rel.startsWith('/node_modules/') ||
      /\.app\/Contents\/Info\.plist$/.test(rel)
    );
  });
  return unit || top === 'node_modules' ? top : null;
}
