import { describe, expect, it } from 'vitest';
import { MAX_FILES, collectDrop, folderUnitRoot, fromFileList } from './dropFiles.ts';

// Minimal stand-ins for the File and Directory Entries API, which Node lacks.
type Node = { name: string; children?: Node[]; broken?: boolean };

function entry(node: Node, parent = ''): FileSystemEntry {
  const fullPath = `${parent}/${node.name}`;
  if (node.children) {
    const children = node.children;
    return {
      name: node.name,
      fullPath,
      isFile: false,
      isDirectory: true,
      createReader() {
        let at = 0;
        return {
          // Chrome hands out directory entries 100 at a time.
          readEntries(ok: (e: FileSystemEntry[]) => void) {
            const batch = children.slice(at, at + 100).map((c) => entry(c, fullPath));
            at += 100;
            queueMicrotask(() => ok(batch));
          },
        };
      },
    } as unknown as FileSystemEntry;
  }
  return {
    name: node.name,
    fullPath,
    isFile: true,
    isDirectory: false,
    file(ok: (f: File) => void, fail: (e: Error) => void) {
      if (node.broken) queueMicrotask(() => fail(new Error('NotReadableError')));
      else queueMicrotask(() => ok(new File([node.name], node.name)));
    },
  } as unknown as FileSystemEntry;
}

function transfer(nodes: Node[], files: File[] = []): DataTransfer {
  return {
    items: nodes.map((n) => ({ kind: 'file', webkitGetAsEntry: () => entry(n) })),
    files,
  } as unknown as DataTransfer;
}

describe('collectDrop', () => {
  it('walks dropped folders in name order, with paths relative to the drop', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ name: `f${String(i).padStart(3, '0')}` }));
    const dt = transfer([
      {
        name: 'release',
        children: [
          { name: 'lib', children: many },
          { name: 'bin', children: [{ name: 'tool' }] },
        ],
      },
      { name: 'loose.o' },
    ]);
    const { files, warning } = await collectDrop(dt);
    expect(warning).toBeNull();
    expect(files).toHaveLength(252);
    expect(files.slice(0, 3).map((f) => f.path)).toEqual(['release/bin/tool', 'release/lib/f000', 'release/lib/f001']);
    expect(files.at(-1)!.path).toBe('loose.o');
    expect(files[0]!.file.name).toBe('tool');
  });

  it('goes on past unreadable entries and says how many', async () => {
    const { files, warning } = await collectDrop(transfer([{ name: 'd', children: [{ name: 'a' }, { name: 'b', broken: true }] }]));
    expect(files.map((f) => f.path)).toEqual(['d/a']);
    expect(warning).toBe('1 entry could not be read.');
  });

  it('stops at MAX_FILES', async () => {
    const huge = Array.from({ length: MAX_FILES + 5 }, (_, i) => ({ name: `x${i}` }));
    const { files, warning } = await collectDrop(transfer([{ name: 'big', children: huge }]));
    expect(files).toHaveLength(MAX_FILES);
    expect(warning).toMatch(/Only the first 20,000 files/);
  }, 30_000);

  it('falls back to the file list when entries are not available', async () => {
    const f = new File(['x'], 'plain.bin');
    const dt = { items: [{ kind: 'file', webkitGetAsEntry: () => null }], files: [f] } as unknown as DataTransfer;
    expect((await collectDrop(dt)).files).toEqual([{ file: f, path: 'plain.bin' }]);
  });
});

describe('fromFileList', () => {
  it('keeps the folder path a directory picker gives', () => {
    const f = new File(['x'], 'ls');
    Object.defineProperty(f, 'webkitRelativePath', { value: 'coreutils/bin/ls' });
    expect(fromFileList([f, new File(['y'], 'one')]).map((p) => p.path)).toEqual(['coreutils/bin/ls', 'one']);
  });
});

describe('folderUnitRoot', () => {
  const f = (path: string) => ({ file: new File([], path.split('/').pop()!), path });
  it('a folder holding an image layout, node_modules or an .app is one unit; loose files and other folders are not', () => {
    expect(folderUnitRoot([f('img/oci-layout'), f('img/index.json'), f('img/blobs/sha256/ab')])).toBe('img');
    expect(folderUnitRoot([f('node_modules/@img/sharp-linux-x64/package.json')])).toBe('node_modules');
    expect(folderUnitRoot([f('dist/Hello.app/Contents/Info.plist'), f('dist/Hello.app/Contents/MacOS/hello')])).toBe('dist');
    expect(folderUnitRoot([f('bins/a'), f('bins/b')])).toBeNull();
    expect(folderUnitRoot([f('a'), f('b')])).toBeNull();
    expect(folderUnitRoot([f('x/oci-layout'), f('y/z')])).toBeNull();
  });
});
