// The bundled CLI (`npm run build:cli`: dist-cli/binlens.mjs, the launcher,
// running dist-cli/binlens.cjs from V8's code cache) gives the same output as
// the sources run through tsx, and its code cache is accepted by this Node.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './corpus.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'dist-cli', 'binlens.mjs');
const run = (entry: string[], args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...entry, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });

describe('bundled CLI', () => {
  beforeAll(() => {
    const r = spawnSync('npm', ['run', '-s', 'build:cli'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }, 180_000);

  it('runs from its code cache', () => {
    expect(existsSync(`${join(ROOT, 'dist-cli', 'binlens.cjs')}.cache`)).toBe(true);
    const r = run([BUNDLE], ['report', join(FIXTURES, 'elf/bin/aarch64-glibc-pie-pacbti'), '--json'], { BINLENS_CODE_CACHE_CHECK: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('binlens: code cache used\n');
  });

  it.each([
    ['report', 'go/bin/go1.19-arm64-linux-pie-external', '--json'],
    ['report', 'macho/bin/lld-universal-macos-exe'],
    ['disasm', 'elf/bin/aarch64-glibc-pie-pacbti', '--count', '50'],
    ['go-functions', 'go/bin/go1.19-arm64-darwin-stripped'],
  ])('%s %s: the same output and status as the sources', (command, file, ...rest) => {
    const args = [command, join(FIXTURES, file), ...rest];
    const bundled = run([BUNDLE], args);
    const sources = run(['--import', 'tsx', join(ROOT, 'src/cli/main.ts')], args);
    expect(bundled.status).toBe(0);
    expect(bundled.stdout.length).toBeGreaterThan(100);
    expect(bundled.stdout).toBe(sources.stdout);
    expect(bundled.stderr).toBe(sources.stderr);
  });

  it('a text file: one line on stderr, exit 2, as the sources', () => {
    const r = run([BUNDLE], ['report', join(ROOT, 'package.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
