#!/usr/bin/env node
// Builds the container images the unit tests and the bench read, from Debian
// packages pinned by URL and SHA-256 (fetched once into .cache/testdata/debs/):
// each package's files (dpkg-deb -x) become one layer, and the layers are put
// together as `docker save` tarballs and OCI image layouts, the two ways
// images travel as files. Deterministic: layers are written by GNU tar with
// sorted names, owner 0 and mtime 0, gzip without a name or time.
//
//   node scripts/unit-images.mjs      (scripts/testdata.sh runs it)
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync, symlinkSync, cpSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { zip } from '../test/zip-writer.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const cache = join(root, '.cache', 'testdata');
const debs = join(cache, 'debs');
const out = join(cache, 'units');
mkdirSync(debs, { recursive: true });
mkdirSync(out, { recursive: true });
const tmp = join(cache, 'units.tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const MIRROR = 'http://deb.debian.org/debian/';
// name → pool path and SHA-256 (as the Packages index of bookworm / bullseye gives it)
const PACKAGES = {
  'libc6-amd64': ['pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb', 'ba4f88f73dbc3ae9055f3c20f4523bfdbaf1ad13ff95e258924f77d20b4fbedf'],
  'libc6-arm64': ['pool/main/g/glibc/libc6_2.36-9+deb12u14_arm64.deb', '01f4330719fd4f65580e16ea5a0527f372fca750e8f588d26deaf09f2d3b1cf4'],
  'libc6-2.31-amd64': [
    'pool/main/g/glibc/libc6_2.31-13+deb11u11_amd64.deb',
    '05f7264da867b37f4c5ce49266b558ea1e81e05a9464f623152fca70f3550282',
  ],
  'hello-amd64': ['pool/main/h/hello/hello_2.10-3_amd64.deb', '2e6e2f1a0007dc43bc91c273fd36e91e40a4f1c2765a03eca68b70a42103878a'],
  'hello-arm64': ['pool/main/h/hello/hello_2.10-3_arm64.deb', 'f7b20d304db0f3a18da28eb2000de2b0205eaa340c1d0fecec3b7c50acc932dc'],
  'musl-arm64': ['pool/main/m/musl/musl_1.2.3-1_arm64.deb', '6ccf2bf0f479b00411cb8e1eeb048e648718170db5d63bbb4bf4a89350b81468'],
  'markupsafe-amd64': [
    'pool/main/m/markupsafe/python3-markupsafe_2.1.2-1+b1_amd64.deb',
    '38310d680386db2d1b166be3ac839aa5bc7ead3de235466bd3e13a3ef4962601',
  ],
  'yaml-amd64': ['pool/main/p/pyyaml/python3-yaml_6.0-3+b2_amd64.deb', '8d0db0b3099298fe039b94e4c52a6987798a90d23b80de3ac13c3cb75cf622a2'],
};

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

async function fetchDeb(name) {
  const [path, want] = PACKAGES[name];
  const file = join(debs, path.split('/').pop());
  if (existsSync(file) && sha256(readFileSync(file)) === want) return file;
  console.log(`unit-images: fetching ${path}`);
  const res = await fetch(MIRROR + path);
  if (!res.ok) throw new Error(`${MIRROR}${path}: HTTP ${res.status}`);
  const b = Buffer.from(await res.arrayBuffer());
  const got = sha256(b);
  if (got !== want) throw new Error(`${path}: checksum mismatch: expected ${want}, got ${got}`);
  writeFileSync(file, b);
  return file;
}

/** A package's files as a directory (dpkg-deb -x), optionally rearranged. */
async function unpack(name, shape) {
  const dir = join(tmp, `root-${name}-${shape ?? 'plain'}`);
  if (existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  execFileSync('dpkg-deb', ['-x', await fetchDeb(name), dir]);
  rmSync(join(dir, 'usr/share'), { recursive: true, force: true });
  if (shape === 'merged-usr') {
    // Debian 12's /usr merge: /lib is a link to usr/lib, so the loader and libc live under /usr/lib.
    if (existsSync(join(dir, 'lib'))) {
      mkdirSync(join(dir, 'usr/lib'), { recursive: true });
      cpSync(join(dir, 'lib'), join(dir, 'usr/lib'), { recursive: true, verbatimSymlinks: true });
      rmSync(join(dir, 'lib'), { recursive: true });
      symlinkSync('usr/lib', join(dir, 'lib'));
    }
  }
  return dir;
}

function tarOf(dir) {
  return execFileSync(
    'tar',
    ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=gnu', '-C', dir, '-cf', '-', '.'],
    { maxBuffer: 1 << 30 },
  );
}

function gzip(b) {
  return execFileSync('gzip', ['-n', '-6'], { input: b, maxBuffer: 1 << 30 });
}

/** A layer from a directory, or from a list of [path, kind, content] (whiteouts). */
function layerDir(entries) {
  const dir = join(tmp, `layer-${Math.random().toString(36).slice(2)}`);
  for (const [p, content] of entries) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

function config(arch, entrypoint, diffIds) {
  return Buffer.from(
    JSON.stringify({
      architecture: arch,
      ...(arch === 'arm64' ? { variant: 'v8' } : {}),
      os: 'linux',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Entrypoint: entrypoint, WorkingDir: '/' },
      rootfs: { type: 'layers', diff_ids: diffIds.map((d) => `sha256:${d}`) },
    }),
  );
}

/** An image: its config and layer tars (uncompressed), built from directories. */
function image(arch, entrypoint, dirs) {
  const layers = dirs.map((d) => tarOf(d));
  return { arch, layers, config: config(arch, entrypoint, layers.map(sha256)) };
}

/** `docker save` (the Docker 1.x layout): manifest.json, <config>.json, <id>/layer.tar. */
function dockerSave(file, img, tag) {
  const dir = join(tmp, `save-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const cfg = `${sha256(img.config)}.json`;
  writeFileSync(join(dir, cfg), img.config);
  const layers = img.layers.map((l) => {
    const id = sha256(l);
    mkdirSync(join(dir, id));
    writeFileSync(join(dir, id, 'layer.tar'), l);
    return `${id}/layer.tar`;
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: cfg, RepoTags: [tag], Layers: layers }]));
  writeFileSync(file, tarOf(dir));
}

/** An OCI image layout with gzip layers; several images make a multi-platform index. */
function ociLayout(file, imgs, tag, compress = gzip, layerType = 'application/vnd.oci.image.layer.v1.tar+gzip') {
  const dir = join(tmp, `oci-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const blob = (b) => {
    const d = sha256(b);
    writeFileSync(join(dir, 'blobs/sha256', d), b);
    return { digest: `sha256:${d}`, size: b.length };
  };
  const manifests = imgs.map((img) => {
    const m = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...blob(img.config) },
        layers: img.layers.map((l) => ({ mediaType: layerType, ...blob(compress(l)) })),
      }),
    );
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...blob(m),
      platform: { architecture: img.arch, os: 'linux', ...(img.arch === 'arm64' ? { variant: 'v8' } : {}) },
    };
  });
  let top = manifests;
  if (imgs.length > 1) {
    // A nested index, as `docker buildx` pushes one: index.json → image index → manifests.
    const idx = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
    top = [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...blob(idx) }];
  }
  top = top.map((m) => ({ ...m, annotations: { 'org.opencontainers.image.ref.name': tag } }));
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: top }),
  );
  writeFileSync(file, tarOf(dir));
}

/** A zip of [name, bytes] pairs: binaries deflated, text stored, Unix modes (zip-writer.mjs: times 1980-01-01). */
function zipOf(items) {
  return zip(
    items.map(([name, bytes]) => [name, bytes, name.endsWith('.so') ? 0o100755 : 0o100644]),
    (bytes) => bytes.length > 1024,
  );
}

/** A wheel of one Debian extension module: the module, WHEEL with the given tags, METADATA. */
function wheel(file, dir, pkg, version, tags) {
  const so = execFileSync('sh', ['-c', `ls ${dir}/usr/lib/python3/dist-packages/${pkg}/*.so`])
    .toString()
    .trim()
    .split('\n')[0];
  const info = `${pkg === 'yaml' ? 'PyYAML' : pkg}-${version}.dist-info`;
  writeFileSync(
    file,
    zipOf([
      [`${pkg}/__init__.py`, Buffer.from('')],
      [`${pkg}/${so.split('/').pop()}`, readFileSync(so)],
      [
        `${info}/WHEEL`,
        Buffer.from(
          `Wheel-Version: 1.0\nGenerator: binlens unit-images.mjs\nRoot-Is-Purelib: false\n${tags.map((t) => `Tag: cp311-cp311-${t}\n`).join('')}`,
        ),
      ],
      [`${info}/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: ${pkg}\nVersion: ${version}\n`)],
    ]),
  );
}

const OUTPUTS = [
  'hello-glibc-amd64.docker.tar',
  'hello-glibc-arm64.oci.tar',
  'hello-multi.oci.tar',
  'hello-glibc-amd64-zstd.oci.tar',
  'hello-musl-arm64.oci.tar',
  'hello-wrong-platform.docker.tar',
  'hello-whiteout.docker.tar',
  'hello-old-glibc.docker.tar',
  'hello-glibc-amd64.docker.tar.gz',
  'markupsafe-2.1.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  'markupsafe-2.1.2-cp311-cp311-manylinux1_x86_64.whl',
  'markupsafe-2.1.2-cp311-cp311-manylinux_2_17_aarch64.whl',
  'PyYAML-6.0-cp311-cp311-manylinux_2_17_x86_64.whl',
];
if (OUTPUTS.every((f) => existsSync(join(out, f)))) {
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}
const hello = ['/usr/bin/hello'];
const R = {};
for (const [n, shape] of [
  ['libc6-amd64'],
  ['libc6-arm64', 'merged-usr'],
  ['libc6-2.31-amd64'],
  ['hello-amd64'],
  ['hello-arm64'],
  ['musl-arm64'],
  ['markupsafe-amd64'],
  ['yaml-amd64'],
])
  R[n] = await unpack(n, shape);
const glibcAmd64 = image('amd64', hello, [R['libc6-amd64'], R['hello-amd64']]);
const glibcArm64 = image('arm64', hello, [R['libc6-arm64'], R['hello-arm64']]);
const write = (name, fn) => {
  const file = join(out, name);
  if (existsSync(file)) return;
  fn(`${file}.tmp`);
  renameSync(`${file}.tmp`, file);
  console.log(`unit-images: ${name}`);
};
write('hello-glibc-amd64.docker.tar', (f) => dockerSave(f, glibcAmd64, 'hello:glibc-amd64'));
write('hello-glibc-arm64.oci.tar', (f) => ociLayout(f, [glibcArm64], 'hello:glibc-arm64'));
write('hello-multi.oci.tar', (f) => ociLayout(f, [glibcAmd64, glibcArm64], 'hello:multi'));
write('hello-glibc-amd64-zstd.oci.tar', (f) =>
  ociLayout(
    f,
    [glibcAmd64],
    'hello:zstd',
    (b) => execFileSync('zstd', ['-q', '-c', '-3'], { input: b, maxBuffer: 1 << 30 }),
    'application/vnd.oci.image.layer.v1.tar+zstd',
  ),
);
// An arm64 program on musl: the loader it names (/lib/ld-linux-aarch64.so.1) is not in the image.
write('hello-musl-arm64.oci.tar', (f) => ociLayout(f, [image('arm64', hello, [R['musl-arm64'], R['hello-arm64']])], 'hello:musl-arm64'));
// Config says arm64, the files are amd64: the wrong-platform image.
write('hello-wrong-platform.docker.tar', (f) =>
  dockerSave(f, image('arm64', hello, [R['libc6-amd64'], R['hello-amd64']]), 'hello:wrong-platform'),
);
// A third layer deletes libc.so.6 with a whiteout.
write('hello-whiteout.docker.tar', (f) =>
  dockerSave(
    f,
    image('amd64', hello, [R['libc6-amd64'], R['hello-amd64'], layerDir([['lib/x86_64-linux-gnu/.wh.libc.so.6', '']])]),
    'hello:whiteout',
  ),
);
// glibc 2.31 (Debian 11) under a program linked against 2.34's __libc_start_main.
write('hello-old-glibc.docker.tar', (f) =>
  dockerSave(f, image('amd64', hello, [R['libc6-2.31-amd64'], R['hello-amd64']]), 'hello:old-glibc'),
);
// The same image as a compressed tar (docker save | gzip).
write('hello-glibc-amd64.docker.tar.gz', (f) => writeFileSync(f, gzip(readFileSync(join(out, 'hello-glibc-amd64.docker.tar')))));
// Wheels from Debian's extension modules: honest tags, a tag older than the module's GLIBC_2.14, the wrong
// architecture, and a module that needs a library (libyaml-0.so.2) the wheel does not vendor.
write('markupsafe-2.1.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', (f) =>
  wheel(f, R['markupsafe-amd64'], 'markupsafe', '2.1.2', ['manylinux_2_17_x86_64', 'manylinux2014_x86_64']),
);
write('markupsafe-2.1.2-cp311-cp311-manylinux1_x86_64.whl', (f) =>
  wheel(f, R['markupsafe-amd64'], 'markupsafe', '2.1.2', ['manylinux1_x86_64']),
);
write('markupsafe-2.1.2-cp311-cp311-manylinux_2_17_aarch64.whl', (f) =>
  wheel(f, R['markupsafe-amd64'], 'markupsafe', '2.1.2', ['manylinux_2_17_aarch64']),
);
write('PyYAML-6.0-cp311-cp311-manylinux_2_17_x86_64.whl', (f) => wheel(f, R['yaml-amd64'], 'yaml', '6.0', ['manylinux_2_17_x86_64']));
rmSync(tmp, { recursive: true, force: true });
