// The documented command line from a fresh checkout and from a packed
// package: `npm run -s cli -- report FILE` right after `npm install` builds
// the ARM64 engine and the bundle on demand (their output on stderr, the
// report alone on stdout), rebuilds only when a source is newer, and says on
// stderr when arm64 code goes unscanned; `npx binlens report FILE` works from
// the checkout and from `npm pack`'s tarball installed elsewhere.
//
// The checkout is a copy (sources, bin/, package files; node_modules linked)
// so that building it never touches the dist-cli/ other tests run from.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ARM64 = join(ROOT, 'fixtures/elf/bin/aarch64-glibc-pie-pacbti');
const X86 = join(ROOT, 'fixtures/elf/bin/x86_64-glibc-pie');

const tmp = mkdtempSync(join(tmpdir(), 'binlens-install-'));
const checkout = join(tmp, 'checkout');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  // npm would otherwise note updates or funding on stderr, and reach for the network.
  const quiet = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...quiet, ...env } });
}

const buildLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('binlens: building'));

beforeAll(() => {
  mkdirSync(checkout);
  for (const f of ['src', 'bin', 'package.json', 'package-lock.json', 'vite.cli.config.ts', 'tsconfig.json', 'README.md']) {
    cpSync(join(ROOT, f), join(checkout, f), { recursive: true, filter: (p) => !p.includes(`${join('src', 'engine', 'build')}`) });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  // What `npm install` leaves: no engine build, no bundle.
  expect(existsSync(join(checkout, 'src/engine/build'))).toBe(false);
  expect(existsSync(join(checkout, 'dist-cli'))).toBe(false);
});

describe('npm run -s cli in a fresh checkout', () => {
  it('builds the engine and the bundle on first use, with only the report on stdout', () => {
    const r = run('npm', ['run', '-s', 'cli', '--', 'report', ARM64, '--json'], checkout);
    expect(r.status, r.stderr).toBe(0);
    expect(buildLines(r.stderr)).toEqual([
      'binlens: building the ARM64 engine (src/engine/build/arm64.wasm)',
      'binlens: building the command-line bundle (dist-cli/)',
    ]);
    const report = JSON.parse(r.stdout) as Report; // nothing but the report
    expect(report.warnings).toEqual([]);
    expect(report.slices[0]!.arm64).toBeDefined();
    expect(r.stderr).not.toMatch(/not scanned/);
  }, 240_000);

  it('runs the bundle as built while nothing changed, and rebuilds it when a source is newer', () => {
    const again = run('npm', ['run', '-s', 'cli', '--', 'report', X86, '--json'], checkout);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe('');
    const now = new Date();
    utimesSync(join(checkout, 'src/verdict/macos.ts'), now, now);
    const rebuilt = run('npm', ['run', '-s', 'cli', '--', 'report', X86, '--json'], checkout);
    expect(rebuilt.status).toBe(0);
    expect(buildLines(rebuilt.stderr)).toEqual(['binlens: building the command-line bundle (dist-cli/)']);
    expect(rebuilt.stdout).toBe(again.stdout);
  }, 120_000);

  it('says on stderr, one line per file, when arm64 code goes unscanned for want of the engine', () => {
    const r = run('npm', ['run', '-s', 'cli', '--', 'report', ARM64, X86, '--json'], checkout, {
      BINLENS_ARM64_WASM: join(tmp, 'missing.wasm'),
    });
    expect(r.status).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^binlens: warning: aarch64-glibc-pie-pacbti: arm64 code not scanned .*missing\.wasm is missing/);
    const reports = JSON.parse(r.stdout) as Report[];
    expect(reports[0]!.slices[0]!.arm64).toBeUndefined();
  }, 60_000);

  it('npx binlens runs the same command from the checkout', () => {
    const viaNpm = run('npm', ['run', '-s', 'cli', '--', 'report', ARM64], checkout);
    const viaNpx = run('npx', ['--no', 'binlens', 'report', ARM64], checkout);
    expect(viaNpx.status, viaNpx.stderr).toBe(0);
    expect(viaNpx.stdout).toBe(viaNpm.stdout);
    expect(viaNpx.stdout).toMatch(/^aarch64-glibc-pie-pacbti: elf, /);
  }, 60_000);
});

describe('the packed package', () => {
  it('npm pack, installed in another directory without the network: npx binlens report FILE', () => {
    const packs = join(tmp, 'packs');
    mkdirSync(packs);
    const pack = run('npm', ['pack', '--pack-destination', packs], checkout);
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = readdirSync(packs).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "uses-binlens", "private": true }\n');
    const install = run('npm', ['install', '--offline', join(packs, tarball!)], app);
    expect(install.status, install.stderr).toBe(0);
    // Only the bundle and its launcher ship: no sources, nothing to build.
    expect(existsSync(join(app, 'node_modules/binlens/src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/binlens/dist-cli/arm64.wasm'))).toBe(true);

    const r = run('npx', ['--no', 'binlens', 'report', ARM64, '--json'], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const fromCheckout = run('npm', ['run', '-s', 'cli', '--', 'report', ARM64, '--json'], checkout);
    expect(r.stdout).toBe(fromCheckout.stdout);
    expect((JSON.parse(r.stdout) as Report).slices[0]!.arm64).toBeDefined();
  }, 180_000);
});
