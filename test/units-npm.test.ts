// npm packages fetched by `npm run testdata` (pinned by version and sha512):
// each .tgz alone, and node_modules folders put together from them here, as
// `check` judges them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failureLines } from '../src/cli/commands/check.ts';
import { unitFromPath } from '../src/cli/unitSource.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { UnitReport } from '../src/units/types.ts';
import { binaryFacts } from '../src/units/member.ts';
import { unitFromSource } from '../src/units/unit.ts';
import { gzip, tar } from './tar-writer.ts';

const DIR = resolve(import.meta.dirname, '..', '.cache', 'testdata', 'npm');
const NEEDED = [
  'sharp-linux-x64-0.33.5.tgz',
  'sharp-libvips-linux-x64-1.0.4.tgz',
  'sharp-linuxmusl-x64-0.33.5.tgz',
  'sharp-libvips-linuxmusl-x64-1.0.4.tgz',
  'parcel-watcher-linux-x64-musl-2.5.1.tgz',
  'esbuild-linux-arm64-0.25.0.tgz',
];
const present = NEEDED.every((f) => existsSync(join(DIR, f)));
if (!present) console.warn(`npm unit packages skipped: run \`npm run testdata\` to fetch them into ${DIR}`);
const tmp = mkdtempSync(join(tmpdir(), 'binlens-npm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A node_modules folder holding the given packages, as npm lays them out. */
function nodeModules(name: string, pkgs: [string, string][], extra: Record<string, object> = {}): string {
  const root = join(tmp, name);
  for (const [dir, tgz] of pkgs) {
    const d = join(root, 'node_modules', dir);
    mkdirSync(d, { recursive: true });
    execFileSync('tar', ['-xzf', join(DIR, tgz), '-C', d, '--strip-components=1']);
  }
  for (const [dir, json] of Object.entries(extra)) {
    mkdirSync(join(root, 'node_modules', dir), { recursive: true });
    writeFileSync(join(root, 'node_modules', dir, 'package.json'), JSON.stringify(json));
  }
  return root;
}

describe.skipIf(!present)('npm packages (npm run testdata)', () => {
  it('@img/sharp-linux-x64 alone: its addon needs libvips-cpp.so.42 from a package that is not there', async () => {
    const p = join(DIR, 'sharp-linux-x64-0.33.5.tgz');
    const u = await unitFromPath(p);
    expect(u.container).toBe('tar+gzip');
    expect(u.packages?.map((x) => [x.name, x.os, x.cpu, x.libc])).toEqual([['@img/sharp-linux-x64', ['linux'], ['x64'], ['glibc']]]);
    expect(failureLines(p, u)).toEqual([
      `${p}: /package/lib/sharp-linux-x64.node: linux-x86_64-glibc: libvips-cpp.so.42: cannot open shared object file: No such file or directory`,
    ]);
    const musl = join(DIR, 'sharp-linuxmusl-x64-0.33.5.tgz');
    expect(failureLines(musl, await unitFromPath(musl))).toEqual([
      `${musl}: /package/lib/sharp-linuxmusl-x64.node: linux-x86_64-musl: Error loading shared library libvips-cpp.so.42: No such file or directory (needed by /package/lib/sharp-linuxmusl-x64.node)`,
    ]);
  });

  it('with @img/sharp-libvips-linux-x64 beside it in node_modules: $ORIGIN/../../sharp-libvips-linux-x64/lib finds it; libstdc++ comes with Node', async () => {
    const root = nodeModules('glibc', [
      ['@img/sharp-linux-x64', 'sharp-linux-x64-0.33.5.tgz'],
      ['@img/sharp-libvips-linux-x64', 'sharp-libvips-linux-x64-1.0.4.tgz'],
    ]);
    const u = await unitFromPath(root);
    expect(u.kind).toBe('folder');
    expect(u.targets).toMatchObject([{ target: 'linux-x86_64-glibc', verdict: 'runs', failures: [] }]);
    expect(u.targets[0]!.checked).toEqual([
      '/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.42',
      '/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
    ]);
  });

  it('sharp with only its linux-x64 platform package: other targets lack theirs', async () => {
    const root = nodeModules(
      'sharp',
      [
        ['@img/sharp-linux-x64', 'sharp-linux-x64-0.33.5.tgz'],
        ['@img/sharp-libvips-linux-x64', 'sharp-libvips-linux-x64-1.0.4.tgz'],
      ],
      {
        sharp: {
          name: 'sharp',
          version: '0.33.5',
          optionalDependencies: {
            '@img/sharp-linux-x64': '0.33.5',
            '@img/sharp-linux-arm64': '0.33.5',
            '@img/sharp-linuxmusl-x64': '0.33.5',
          },
        },
      },
    );
    const u = await unitFromPath(root, { targets: ['linux-x86_64-glibc', 'linux-arm64-glibc', 'linux-x86_64-musl'] });
    expect(failureLines('nm', u)).toEqual([
      "nm: /node_modules/sharp/package.json: linux-arm64-glibc: Error: Cannot find module '@img/sharp-linux-arm64'",
      "nm: /node_modules/sharp/package.json: linux-x86_64-musl: Error: Cannot find module '@img/sharp-linuxmusl-x64'",
    ]);
    expect(u.targets[0]!.verdict).toBe('runs');
  });

  it("musl builds: @parcel/watcher-linux-x64-musl and the sharp pair run on linux-x86_64-musl; esbuild's static Go binary on both arm64 C libraries", async () => {
    const root = nodeModules('musl', [
      ['@img/sharp-linuxmusl-x64', 'sharp-linuxmusl-x64-0.33.5.tgz'],
      ['@img/sharp-libvips-linuxmusl-x64', 'sharp-libvips-linuxmusl-x64-1.0.4.tgz'],
      ['@parcel/watcher-linux-x64-musl', 'parcel-watcher-linux-x64-musl-2.5.1.tgz'],
    ]);
    expect((await unitFromPath(root)).targets).toMatchObject([{ target: 'linux-x86_64-musl', verdict: 'runs' }]);
    const esb = await unitFromPath(join(DIR, 'esbuild-linux-arm64-0.25.0.tgz'));
    expect(esb.targets.map((t) => [t.target, t.verdict])).toEqual([
      ['linux-arm64-glibc', 'runs'],
      ['linux-arm64-musl', 'runs'],
    ]);
    expect(esb.targets[0]!.checked).toEqual(['/package/bin/esbuild']);
  });

  it('a package.json that lies: cpu arm64 over an x86_64 addon fails where npm would install it', async () => {
    const root = nodeModules('liar', [
      ['@img/sharp-linux-x64', 'sharp-linux-x64-0.33.5.tgz'],
      ['@img/sharp-libvips-linux-x64', 'sharp-libvips-linux-x64-1.0.4.tgz'],
    ]);
    const pj = join(root, 'node_modules/@img/sharp-linux-x64/package.json');
    writeFileSync(pj, JSON.stringify({ name: '@img/sharp-linux-x64', version: '0.33.5', os: ['linux'], cpu: ['arm64'], libc: ['glibc'] }));
    const u = await unitFromPath(root);
    const arm = u.targets.find((t) => t.target === 'linux-arm64-glibc')!;
    expect(arm.verdict).toBe('no');
    expect(arm.failures[0]).toMatchObject({
      member: '/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      error: 'sharp-linux-x64.node: cannot open shared object file: No such file or directory',
    });
  });
});

// Addons of fixtures/units (build.sh), each as the one addon of a package tarball: Node finds an initializer through
// the exported napi_register_module_v1 or a constructor's napi_module_register call; a library with neither fails.
describe("a Node.js addon's entry point", () => {
  const LIB = resolve(import.meta.dirname, '..', 'fixtures', 'units', 'lib');
  async function pack(addon: string): Promise<UnitReport> {
    const pkg = { name: 'greet', version: '1.0.0', os: ['linux'], cpu: ['arm64'] };
    const t = await gzip(
      tar([
        { name: 'package/package.json', data: JSON.stringify(pkg) },
        { name: 'package/build/Release/greet.node', data: readFileSync(join(LIB, addon)) },
      ]),
    );
    return unitFromSource(new MemorySource(t), 'greet-1.0.0.tgz', { targets: ['linux-arm64-glibc'] });
  }

  it('napi_register_module_v1 exported, or napi_module_register called from a constructor: it loads', async () => {
    for (const a of ['aarch64-addon-napi.node', 'aarch64-addon-ctor.node'])
      expect((await pack(a)).targets.map((t) => [t.target, t.verdict, t.failures.length])).toEqual([['linux-arm64-glibc', 'runs', 0]]);
  });

  it('a macOS addon exporting _napi_register_module_v1 (the export trie, its leading underscore) loads', async () => {
    const pkg = { name: 'greet', version: '1.0.0', os: ['darwin'], cpu: ['arm64'] };
    const t = await gzip(
      tar([
        { name: 'package/package.json', data: JSON.stringify(pkg) },
        { name: 'package/build/Release/greet.node', data: readFileSync(join(LIB, 'arm64-macos-addon-napi.node')) },
      ]),
    );
    const u = await unitFromSource(new MemorySource(t), 'greet-1.0.0.tgz');
    expect(u.targets.map((x) => [x.target, x.verdict])).toEqual([['macos-arm64', 'runs']]);
    const { facts } = await binaryFacts(
      new MemorySource(new Uint8Array(readFileSync(join(LIB, 'arm64-macos-addon-napi.node')))),
      'greet.node',
    );
    expect(facts.slices[0]!.addonEntry).toEqual(['napi_register_module_v1']);
  });

  it('neither: "Module did not self-register", the addon named', async () => {
    const u = await pack('aarch64-addon-none.node');
    expect(failureLines('P', u)).toEqual([
      "P: /package/build/Release/greet.node: linux-arm64-glibc: Error: Module did not self-register: '/package/build/Release/greet.node'.",
    ]);
    expect(u.targets[0]!.failures[0]!.step).toBe('symbol');
  });
});
