// `binlens go-functions`: output format and exit statuses, run as a user would.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goFunctionsForSlice } from '../src/parsers/go/index.ts';
import { FIXTURES } from './corpus.ts';
import { parsePath } from './go-expect.ts';

const ROOT = resolve(import.meta.dirname, '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('go-functions CLI', () => {
  it('prints ADDRESS<TAB>NAME for every function, exit 0', () => {
    const file = join(FIXTURES, 'go/bin/go1.19-arm64-linux-pie-external');
    const r = cli('go-functions', file);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const want = goFunctionsForSlice(parsePath(file).slices[0]!).map((f) => `${f.entry.toString(16)}\t${f.name}`);
    expect(r.stdout).toBe(want.join('\n') + '\n');
    expect(r.stdout).toMatch(/^[0-9a-f]+\tinternal\/cpu\.Initialize\n/);
  });

  it('--arch that the file does not have: one line on stderr, exit 2', () => {
    const r = cli('go-functions', join(FIXTURES, 'go/bin/go1.19-arm64-darwin-stripped'), '--arch', 'x86_64');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a non-Go file (a C executable, a text file): one line on stderr, exit 2', () => {
    const c = readdirSync(join(FIXTURES, 'elf/bin')).find((n) => n.startsWith('aarch64-glibc'));
    for (const file of [...(c ? [join(FIXTURES, 'elf/bin', c)] : []), join(ROOT, 'package.json')]) {
      const r = cli('go-functions', file);
      expect(r.status, file).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
