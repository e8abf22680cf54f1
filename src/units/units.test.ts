// The unit walker and the loader's steps on archives made in the test (tar
// writer) from the project's own fixture binaries: layers with whiteouts and
// opaque directories, symlinks (merged /usr, loops), $ORIGIN, hostile archives.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../parsers/reader.ts';
import { gzip, tar, zip, type TarItem } from '../../test/tar-writer.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { parseLdCache } from './ldcache.ts';
import { runProgram } from './loader.ts';
import type { BinarySlice } from './member.ts';
import { Tree, type FsNode } from './tree.ts';
import { unitFromSource } from './unit.ts';

const FIX = resolve(import.meta.dirname, '../../fixtures/elf/bin');
const bin = (n: string) => new Uint8Array(readFileSync(`${FIX}/${n}`));
const enc = new TextEncoder();

/** A docker-save tarball: one config, layers given as tar item lists. */
function dockerSave(arch: string, entrypoint: string[] | null, layers: TarItem[][], extra: Record<string, unknown> = {}): Uint8Array {
  const cfg = JSON.stringify({
    architecture: arch,
    os: 'linux',
    config: { Entrypoint: entrypoint, Env: ['PATH=/usr/bin:/bin'], ...extra },
  });
  return tar([
    { name: 'cfg.json', data: cfg },
    ...layers.map((l, i) => ({ name: `l${i}/layer.tar`, data: tar(l) })),
    {
      name: 'manifest.json',
      data: JSON.stringify([{ Config: 'cfg.json', RepoTags: ['t:1'], Layers: layers.map((_, i) => `l${i}/layer.tar`) }]),
    },
  ]);
}

const open = (b: Uint8Array, name = 'unit.tar', opts = {}) => unitFromSource(new MemorySource(b), name, opts);

describe('container images', () => {
  const muslBase: TarItem[] = [
    { name: 'lib/', type: 'dir' },
    // A stand-in loader: any arm64 ELF file where musl keeps ld-musl (the verdict reads only its machine).
    { name: 'lib/ld-musl-aarch64.so.1', data: bin('aarch64-static-pie') },
  ];

  it('a musl program on a musl base runs; libc.so is musl itself', async () => {
    const r = await open(dockerSave('arm64', ['/app'], [muslBase, [{ name: 'app', data: bin('aarch64-musl-pie') }]]));
    expect(r.kind).toBe('image');
    expect(r.images[0]!.platform).toBe('linux/arm64');
    expect(r.images[0]!.libc.kind).toBe('musl');
    expect(r.targets).toMatchObject([{ target: 'linux-arm64-musl', verdict: 'runs', failures: [] }]);
    expect(r.images[0]!.graph).toContainEqual({ from: '/app', needed: 'libc.so', to: '/lib/ld-musl-aarch64.so.1', via: 'musl (itself)' });
  });

  it('a glibc program on a musl base: exec … no such file or directory, the interpreter named', async () => {
    const r = await open(dockerSave('arm64', ['/app'], [muslBase, [{ name: 'app', data: bin('aarch64-glibc-pie-pacbti') }]]));
    expect(r.targets[0]).toMatchObject({
      verdict: 'no',
      failures: [{ entry: '/app', member: '/app', step: 'interpreter', error: 'exec /app: no such file or directory' }],
    });
    expect(r.targets[0]!.failures[0]!.reason).toContain('/lib/ld-linux-aarch64.so.1 is not in the image');
  });

  it('x86_64 files in an arm64 image: exec format error', async () => {
    const r = await open(dockerSave('arm64', ['/app'], [[{ name: 'app', data: bin('x86_64-musl-static') }]]));
    expect(r.targets[0]).toMatchObject({
      target: 'linux-arm64-glibc',
      verdict: 'no',
      failures: [{ step: 'exec', error: 'exec /app: exec format error' }],
    });
  });

  it('a whiteout in a later layer deletes the loader; an opaque directory hides the lower layer', async () => {
    const app: TarItem = { name: 'app', data: bin('aarch64-musl-pie') };
    const gone = await open(dockerSave('arm64', ['/app'], [muslBase, [app], [{ name: 'lib/.wh.ld-musl-aarch64.so.1', data: '' }]]));
    expect(gone.targets[0]!.failures[0]).toMatchObject({ step: 'interpreter', error: 'exec /app: no such file or directory' });
    const opaque = await open(
      dockerSave(
        'arm64',
        ['/app'],
        [muslBase, [app, { name: 'lib/', type: 'dir' }, { name: 'lib/.wh..wh..opq', data: '' }, { name: 'lib/other', data: 'x' }]],
      ),
    );
    expect(opaque.targets[0]!.failures[0]).toMatchObject({ step: 'interpreter' });
    expect(opaque.members.map((m) => m.path)).toContain('/lib/other');
    // Without the whiteouts the same layers run.
    expect((await open(dockerSave('arm64', ['/app'], [muslBase, [app]]))).targets[0]!.verdict).toBe('runs');
  });

  it('follows symlinks inside the root: merged /usr, an absolute link, a loop', async () => {
    const merged: TarItem[] = [
      { name: 'usr/lib/', type: 'dir' },
      { name: 'usr/lib/ld-musl-aarch64.so.1', data: bin('aarch64-static-pie') },
      { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
      { name: 'bin/', type: 'dir' },
      { name: 'bin/app', type: 'symlink', linkname: '/usr/local/app' },
      { name: 'usr/local/app', data: bin('aarch64-musl-pie') },
    ];
    expect((await open(dockerSave('arm64', ['/bin/app'], [merged]))).targets[0]!.verdict).toBe('runs');
    // A bare name is looked up in the image's PATH (/usr/bin:/bin).
    expect((await open(dockerSave('arm64', ['app'], [merged]))).targets[0]!.verdict).toBe('runs');
    const nf = await open(dockerSave('arm64', ['nothere'], [merged]));
    expect(nf.targets[0]!.failures[0]!.error).toBe('exec: "nothere": executable file not found in $PATH');
    const loop = await open(
      dockerSave(
        'arm64',
        ['/a'],
        [
          [
            { name: 'a', type: 'symlink', linkname: 'b' },
            { name: 'b', type: 'symlink', linkname: 'a' },
          ],
        ],
      ),
    );
    expect(loop.targets[0]!.failures[0]!.error).toBe('exec /a: too many levels of symbolic links');
  });

  it('a script runs through its #! interpreter, which must be in the image', async () => {
    const r = await open(dockerSave('arm64', ['/start.sh'], [[{ name: 'start.sh', data: '#!/bin/sh\necho hi\n' }]]));
    expect(r.targets[0]!.failures[0]).toMatchObject({ step: 'interpreter', error: 'exec /start.sh: no such file or directory' });
  });

  it('a gzip layer, an image tar compressed as a whole, and an index with no image for the target', async () => {
    const layer = await gzip(tar([...muslBase, { name: 'app', data: bin('aarch64-musl-pie') }]));
    const cfg = JSON.stringify({ architecture: 'arm64', os: 'linux', config: { Cmd: ['/app'] } });
    const img = tar([
      { name: 'c.json', data: cfg },
      { name: 'layer.tgz', data: layer },
      { name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', Layers: ['layer.tgz'] }]) },
    ]);
    const r = await open(await gzip(img), 'img.tar.gz');
    expect(r.container).toBe('tar+gzip');
    expect(r.targets[0]).toMatchObject({ target: 'linux-arm64-musl', verdict: 'runs' });
    const amd = await open(img, 'img.tar', { targets: ['linux-x86_64-glibc'] });
    // A single image runs whatever its platform: its arm64 code on an x86_64 host.
    expect(amd.targets[0]!.failures[0]!.error).toBe('exec /app: exec format error');
  });
});

describe('hostile archives', () => {
  it('path traversal is refused with a clear error', async () => {
    const r = await open(tar([{ name: '../../etc/passwd', data: 'x' }]));
    expect(r.errors[0]).toMatch(/climbs out of the archive/);
  });

  it('entry count, nesting depth and decompressed size are bounded', async () => {
    const many = tar(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, data: '' })));
    expect((await open(many, 'm.tar', { limits: { ...DEFAULT_LIMITS, maxEntries: 20 } })).errors[0]).toMatch(/more than 20 entries/);
    let nested = tar([{ name: 'x', data: 'x' }]);
    for (let i = 0; i < 6; i++) nested = tar([{ name: `n${i}.tar`, data: nested }]);
    expect((await open(nested)).errors[0]).toMatch(/nested more than 4 deep/);
    const bomb = await gzip(tar([{ name: 'zeros', data: new Uint8Array(4 << 20) }]));
    expect(bomb.length).toBeLessThan(64 << 10);
    expect((await open(bomb, 'b.tgz', { limits: { ...DEFAULT_LIMITS, maxExpanded: 1 << 20 } })).errors[0]).toMatch(
      /decompression produced more than 1 MiB/,
    );
  });

  it('a damaged header, a cut archive and long names', async () => {
    const t = tar([{ name: 'a', data: 'hello'.repeat(200) }]);
    const bad = t.slice();
    bad[0] = 0x41;
    expect((await open(bad)).errors[0]).toMatch(/bad tar header checksum/);
    expect((await open(t.subarray(0, 600))).errors[0]).toMatch(/ends inside 'a'/);
    const long = 'd/'.repeat(80) + 'app';
    const r = await open(tar([{ name: long, data: bin('aarch64-musl-pie') }]));
    expect(r.members[0]!.path).toBe('/' + long);
    expect(r.members[0]!.kind).toBe('ELF');
  });
});

describe('zip archives', () => {
  it('members through the central directory, stored and deflated; a bomb, a lying count and a cut file are clear errors', async () => {
    for (const deflate of [false, true]) {
      const r = await open(
        zip(
          [
            ['bin/app', bin('aarch64-musl-pie')],
            ['README', 'hi'],
          ],
          deflate,
        ),
        'a.zip',
      );
      expect(r.container).toBe('zip');
      expect(r.members.map((m) => [m.path, m.kind])).toEqual([
        ['/bin/app', 'ELF'],
        ['/README', 'text'],
      ]);
      expect(r.targets).toMatchObject([{ target: 'linux-arm64-musl', verdict: 'runs' }]);
    }
    // Only binaries are read past their first bytes: the bomb is 4 MiB of zeros behind an ELF magic.
    const zeros = new Uint8Array(4 << 20);
    zeros.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    const bomb = zip([['zeros', zeros]], true);
    expect((await open(bomb, 'b.zip', { limits: { ...DEFAULT_LIMITS, maxExpanded: 1 << 20 } })).errors[0]).toMatch(
      /decompression produced more than 1 MiB/,
    );
    const lie = zip([['a', 'x']]).slice();
    new DataView(lie.buffer).setUint16(lie.length - 22 + 10, 60000, true);
    expect((await open(lie, 'l.zip')).errors[0]).toMatch(/claims 60000 entries/);
    const z = zip([['a', 'x']]);
    expect((await open(z.subarray(0, z.length - 10), 'c.zip')).errors[0]).toMatch(/no end of central directory record/);
    const trav = zip([['../../x', 'x']]);
    expect((await open(trav, 't.zip')).errors[0]).toMatch(/climbs out of the archive/);
  });
});

describe('loader search', () => {
  const slice = (over: Partial<BinarySlice>): BinarySlice => ({
    arch: 'arm64',
    archName: 'arm64',
    bits: 64,
    fileType: 'shared-library',
    fileTypeRaw: 'ET_DYN',
    platform: 'linux',
    minOS: null,
    sdk: null,
    interpreter: null,
    needed: [],
    rpath: [],
    runpath: [],
    soname: null,
    nodeflib: false,
    versionNeeds: {},
    versionDefs: [],
    glibcFloor: null,
    blacklistImports: [],
    addonEntry: null,
    codeSigned: null,
    signature: null,
    ...over,
  });
  const elf = (s: Partial<BinarySlice>): FsNode => ({
    type: 'file',
    size: 1,
    mode: 0o755,
    format: 'elf',
    facts: { format: 'elf', slices: [slice(s)], compatibility: [], errors: [] },
    locator: [],
  });
  const base = () => {
    const t = new Tree();
    t.put('/lib/ld-linux-aarch64.so.1', elf({ soname: 'ld-linux-aarch64.so.1' }));
    t.put('/lib/aarch64-linux-gnu/libc.so.6', elf({ soname: 'libc.so.6', versionDefs: ['GLIBC_2.17', 'GLIBC_2.34', 'GLIBC_2.36'] }));
    return t;
  };
  const app = (s: Partial<BinarySlice>) =>
    elf({ fileType: 'executable', fileTypeRaw: 'ET_DYN', interpreter: '/lib/ld-linux-aarch64.so.1', ...s });
  const env = (tree: Tree, extra: Record<string, string> = {}) => ({ tree, arch: 'arm64' as const, env: extra });

  it('$ORIGIN in DT_RUNPATH, then the version check against the library found', () => {
    const t = base();
    t.put(
      '/opt/x/bin/app',
      app({
        needed: ['libx.so.1', 'libc.so.6'],
        runpath: ['$ORIGIN/../lib'],
        versionNeeds: { 'libc.so.6': ['GLIBC_2.34'], 'libx.so.1': ['X_2'] },
      }),
    );
    t.put('/opt/x/lib/libx.so.1', elf({ soname: 'libx.so.1', versionDefs: ['X_1'] }));
    const r = runProgram(env(t), '/opt/x/bin/app');
    expect(r.edges).toContainEqual({ from: '/opt/x/bin/app', needed: 'libx.so.1', to: '/opt/x/lib/libx.so.1', via: 'DT_RUNPATH' });
    expect(r.failure).toMatchObject({
      step: 'version',
      error: "/opt/x/bin/app: /opt/x/lib/libx.so.1: version `X_2' not found (required by /opt/x/bin/app)",
    });
  });

  it('a newer GLIBC_ than the image defines, a missing library, a library of another machine skipped, LD_LIBRARY_PATH', () => {
    const t = base();
    t.put('/app', app({ needed: ['libc.so.6'], versionNeeds: { 'libc.so.6': ['GLIBC_2.38'] } }));
    expect(runProgram(env(t), '/app').failure!.error).toBe(
      "/app: /lib/aarch64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /app)",
    );
    t.put('/b', app({ needed: ['libz.so.1'] }));
    expect(runProgram(env(t), '/b').failure!.error).toBe(
      '/b: error while loading shared libraries: libz.so.1: cannot open shared object file: No such file or directory',
    );
    t.put('/usr/lib/libz.so.1', elf({ arch: 'x86_64', archName: 'x86_64' }));
    expect(runProgram(env(t), '/b').failure!.step).toBe('library');
    t.put('/opt/z/libz.so.1', elf({}));
    expect(runProgram(env(t, { LD_LIBRARY_PATH: '/opt/z' }), '/b').failure).toBeNull();
  });

  it('/etc/ld.so.conf (with include) stands in when there is no cache; the cache when there is one', () => {
    const t = base();
    t.put('/b', app({ needed: ['libz.so.1'] }));
    t.put('/opt/z/libz.so.1', elf({}));
    t.put('/etc/ld.so.conf', { type: 'file', size: 1, mode: 0o644, data: enc.encode('include /etc/ld.so.conf.d/*.conf\n'), locator: [] });
    t.put('/etc/ld.so.conf.d/z.conf', { type: 'file', size: 1, mode: 0o644, data: enc.encode('# zlib\n/opt/z\n'), locator: [] });
    expect(runProgram(env(t), '/b').edges).toContainEqual({ from: '/b', needed: 'libz.so.1', to: '/opt/z/libz.so.1', via: 'ld.so.conf' });
    t.put('/etc/ld.so.cache', { type: 'file', size: 1, mode: 0o644, data: ldCacheBytes([['libz.so.1', '/opt/z/libz.so.1']]), locator: [] });
    expect(runProgram(env(t), '/b').edges).toContainEqual({ from: '/b', needed: 'libz.so.1', to: '/opt/z/libz.so.1', via: 'ld.so.cache' });
  });
});

/** A glibc-ld.so.cache1.1 file with the given soname → path entries (dl-cache.h's layout). */
function ldCacheBytes(entries: [string, string][]): Uint8Array {
  const head = 48;
  const strings: number[] = [];
  const strOff: number[] = [];
  const base = head + entries.length * 24;
  for (const [k, v] of entries) {
    for (const s of [k, v]) {
      strOff.push(base + strings.length);
      strings.push(...enc.encode(s), 0);
    }
  }
  const b = new Uint8Array(base + strings.length);
  const v = new DataView(b.buffer);
  b.set(enc.encode('glibc-ld.so.cache1.1'), 0);
  v.setUint32(20, entries.length, true);
  v.setUint32(24, strings.length, true);
  entries.forEach((_, i) => {
    v.setInt32(head + i * 24, 0x0a03, true);
    v.setUint32(head + i * 24 + 4, strOff[i * 2]!, true);
    v.setUint32(head + i * 24 + 8, strOff[i * 2 + 1]!, true);
  });
  b.set(strings, base);
  expect(parseLdCache(b)).toEqual(entries.map(([soname, path]) => ({ soname, path, flags: 0x0a03 })));
  return b;
}
