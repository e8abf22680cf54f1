// Container images built by `npm run testdata` (scripts/unit-images.mjs) from
// pinned Debian packages: what `check` says about each, through the command
// line as a user runs it (exit status, the stderr line) and the unit report.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UnitReport } from '../src/units/types.ts';
import { unitFromPath } from '../src/cli/unitSource.ts';
import { failureLines } from '../src/cli/commands/check.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, '.cache', 'testdata', 'units');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

interface Case {
  file: string;
  kind: UnitReport['kind'];
  platforms: string[];
  libc: string[];
  /** target → the stderr line after `PATH: ` (null: runs). */
  verdicts: Record<string, string | null>;
}

const CASES: Case[] = [
  {
    file: 'hello-glibc-amd64.docker.tar',
    kind: 'image',
    platforms: ['linux/amd64'],
    libc: ['glibc 2.36'],
    verdicts: { 'linux-x86_64-glibc': null },
  },
  {
    file: 'hello-glibc-amd64.docker.tar.gz',
    kind: 'image',
    platforms: ['linux/amd64'],
    libc: ['glibc 2.36'],
    verdicts: { 'linux-x86_64-glibc': null },
  },
  {
    file: 'hello-glibc-amd64-zstd.oci.tar',
    kind: 'image',
    platforms: ['linux/amd64'],
    libc: ['glibc 2.36'],
    verdicts: { 'linux-x86_64-glibc': null },
  },
  {
    file: 'hello-glibc-arm64.oci.tar',
    kind: 'image',
    platforms: ['linux/arm64/v8'],
    libc: ['glibc 2.36'],
    verdicts: { 'linux-arm64-glibc': null },
  },
  {
    file: 'hello-multi.oci.tar',
    kind: 'image-index',
    platforms: ['linux/amd64', 'linux/arm64/v8'],
    libc: ['glibc 2.36', 'glibc 2.36'],
    verdicts: { 'linux-x86_64-glibc': null, 'linux-arm64-glibc': null },
  },
  {
    file: 'hello-musl-arm64.oci.tar',
    kind: 'image',
    platforms: ['linux/arm64/v8'],
    libc: ['musl'],
    verdicts: { 'linux-arm64-musl': '/usr/bin/hello: linux-arm64-musl: exec /usr/bin/hello: no such file or directory' },
  },
  {
    file: 'hello-wrong-platform.docker.tar',
    kind: 'image',
    platforms: ['linux/arm64/v8'],
    libc: ['glibc 2.36'],
    verdicts: { 'linux-arm64-glibc': '/usr/bin/hello: linux-arm64-glibc: exec /usr/bin/hello: exec format error' },
  },
  {
    file: 'hello-whiteout.docker.tar',
    kind: 'image',
    platforms: ['linux/amd64'],
    libc: ['none'],
    verdicts: {
      'linux-x86_64-glibc':
        '/usr/bin/hello: linux-x86_64-glibc: /usr/bin/hello: error while loading shared libraries: libc.so.6: cannot open shared object file: No such file or directory',
    },
  },
  {
    file: 'hello-old-glibc.docker.tar',
    kind: 'image',
    platforms: ['linux/amd64'],
    libc: ['glibc 2.30'],
    verdicts: {
      'linux-x86_64-glibc':
        "/usr/bin/hello: linux-x86_64-glibc: /usr/bin/hello: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /usr/bin/hello)",
    },
  },
];

const present = CASES.filter((c) => existsSync(join(DIR, c.file)));
if (present.length < CASES.length)
  console.warn(`unit images skipped: run \`npm run testdata\` to build ${CASES.length - present.length} container images into ${DIR}`);

describe.skipIf(present.length === 0)('container images (npm run testdata)', () => {
  for (const c of present) {
    it(`${c.file}: ${Object.entries(c.verdicts)
      .map(([t, v]) => `${t} ${v ? 'fails' : 'runs'}`)
      .join(', ')}`, async () => {
      const path = join(DIR, c.file);
      const u = await unitFromPath(path);
      const failing = Object.values(c.verdicts).filter((v) => v !== null);
      expect(failureLines(path, u)).toEqual(failing.map((v) => `${path}: ${v}`));
      expect(u.unitSchema).toBe(1);
      expect(u.kind).toBe(c.kind);
      expect(u.images.map((i) => i.platform)).toEqual(c.platforms);
      expect(u.images.map((i) => (i.libc.kind ? `${i.libc.kind}${i.libc.version ? ' ' + i.libc.version : ''}` : 'none'))).toEqual(c.libc);
      expect(Object.fromEntries(u.targets.map((t) => [t.target, t.verdict]))).toEqual(
        Object.fromEntries(Object.entries(c.verdicts).map(([t, v]) => [t, v ? 'no' : 'runs'])),
      );
      // Only ELF files were parsed; everything else is listed by what its first bytes say.
      expect(u.members.filter((m) => m.format === 'elf').every((m) => m.kind === 'ELF' && m.arch.length === 1)).toBe(true);
      for (const t of u.targets)
        if (t.verdict === 'runs') expect(u.images[t.image!]!.graph.some((e) => e.needed === 'libc.so.6' && e.to !== null)).toBe(true);
    });
  }

  it.skipIf(!present.some((c) => c.file === 'hello-musl-arm64.oci.tar'))(
    'the command line: exit 1 and the line on stderr, the unit report on stdout',
    () => {
      const path = join(DIR, 'hello-musl-arm64.oci.tar');
      const r = cli('check', path, '--json');
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`${path}: /usr/bin/hello: linux-arm64-musl: exec /usr/bin/hello: no such file or directory\n`);
      expect((JSON.parse(r.stdout) as UnitReport).targets[0]!.failures[0]!.step).toBe('interpreter');
    },
  );

  it.skipIf(!present.some((c) => c.file === 'hello-multi.oci.tar'))(
    '--target picks each platform from the index; a single image runs on any host as its own code allows',
    async () => {
      const path = join(DIR, 'hello-multi.oci.tar');
      const r = cli('check', path, '--target', 'linux-arm64-glibc', '--json');
      expect(r.status).toBe(0);
      expect((JSON.parse(r.stdout) as UnitReport).targets[0]).toMatchObject({ target: 'linux-arm64-glibc', image: 1, verdict: 'runs' });
      const one = join(DIR, 'hello-glibc-arm64.oci.tar');
      // A single arm64 image on an x86_64 host: docker runs it, and its programs are the wrong machine.
      const x = await unitFromPath(one, { targets: ['linux-x86_64-glibc'] });
      expect(failureLines(one, x)).toEqual([`${one}: /usr/bin/hello: linux-x86_64-glibc: exec /usr/bin/hello: exec format error`]);
    },
  );
});

const WHEELS: [string, string | null][] = [
  ['markupsafe-2.1.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', null],
  [
    'markupsafe-2.1.2-cp311-cp311-manylinux1_x86_64.whl',
    "/markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so: linux-x86_64-glibc: ImportError: /lib64/libc.so.6: version `GLIBC_2.14' not found (required by /markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so)",
  ],
  [
    'markupsafe-2.1.2-cp311-cp311-manylinux_2_17_aarch64.whl',
    '/markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so: linux-arm64-glibc: ImportError: _speedups.cpython-311-x86_64-linux-gnu.so: cannot open shared object file: No such file or directory',
  ],
  [
    'PyYAML-6.0-cp311-cp311-manylinux_2_17_x86_64.whl',
    '/yaml/_yaml.cpython-311-x86_64-linux-gnu.so: linux-x86_64-glibc: ImportError: libyaml-0.so.2: cannot open shared object file: No such file or directory',
  ],
];
const wheels = WHEELS.filter(([f]) => existsSync(join(DIR, f)));

describe.skipIf(wheels.length === 0)('wheels from Debian extension modules (npm run testdata)', () => {
  for (const [file, line] of wheels) {
    it(`${file}: ${line ? 'the tag is dishonest' : 'the tag holds'}`, async () => {
      const path = join(DIR, file);
      const u = await unitFromPath(path);
      expect(u.container).toBe('zip');
      expect(failureLines(path, u)).toEqual(line ? [`${path}: ${line}`] : []);
      // The lowest manylinux level the module's symbol versions allow (GLIBC_2.14: manylinux_2_17; auditwheel says the same).
      expect(u.wheel!.extensions).toEqual([{ path: expect.stringMatching(/\.so$/), manylinux: 'manylinux_2_17' }]);
    });
  }
});

describe('check: statuses and errors', () => {
  it('exit 2 for a path that cannot be read, 64 for an unknown target', () => {
    const r = cli('check', join(ROOT, 'no-such-file'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no-such-file: no such file\n$/);
    const t = cli('check', join(ROOT, 'package.json'), '--target', 'linux-sparc');
    expect(t.status).toBe(64);
    expect(t.stderr).toMatch(/unknown target 'linux-sparc'/);
    const text = cli('check', join(ROOT, 'package.json'));
    expect(text.status).toBe(2);
    expect(text.stderr).toMatch(/package\.json: text: not a binary, an archive or an image binlens reads\n$/);
  });

  it('a single binary is a unit of one: checked on the targets it is built for', () => {
    const f = join(ROOT, 'fixtures/elf/bin/aarch64-musl-pie');
    const r = cli('check', f);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/linux-arm64-musl: runs/);
    const g = cli('check', f, '--target', 'linux-arm64-glibc');
    expect(g.status).toBe(1);
    expect(g.stderr).toBe(`${f}: /aarch64-musl-pie: linux-arm64-glibc: bash: ./aarch64-musl-pie: No such file or directory\n`);
  });

  it('a folder: a program whose $ORIGIN library is next to it runs; without it, the library is named', () => {
    const dir = join(ROOT, 'fixtures/elf/bin');
    const r = cli('check', dir, '--target', 'linux-arm64-glibc', '--json');
    const u = JSON.parse(r.stdout) as UnitReport;
    expect(u.kind).toBe('folder');
    const fails = u.targets[0]!.failures.map((f) => f.member);
    // aarch64-uses-versioned has DT_RPATH $ORIGIN and needs libversioned.so.1, which the folder holds as aarch64-libversioned.so.1 only.
    expect(fails).toContain('/aarch64-uses-versioned');
    expect(r.stderr).toContain(
      '/aarch64-uses-versioned: linux-arm64-glibc: ./aarch64-uses-versioned: error while loading shared libraries: libversioned.so.1: cannot open shared object file: No such file or directory',
    );
  });
});
