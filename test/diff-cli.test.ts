// `binlens diff OLD NEW` as a release pipeline runs it: the exit status (1
// when NEW loses something, 0 otherwise, 2 when a file cannot be read, 64 for
// a wrong command line), the text leading with what was lost, and --json.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportDiff } from '../src/diff/types.ts';
import { decodeDiffLink } from '../src/share/diffLink.ts';

const ROOT = join(import.meta.dirname, '..');
const diff = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'diff', ...args], { cwd: ROOT, encoding: 'utf8' });
const PACBTI = 'fixtures/pacbti/bin/aarch64-prog-pacbti';
const PLAIN = 'fixtures/pacbti/bin/aarch64-prog-plain';

describe('diff command', () => {
  it('exits 1 when the new build loses PAC/BTI coverage, and says so first', () => {
    const r = diff(PACBTI, PLAIN);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'aarch64-prog-pacbti → aarch64-prog-plain',
      'lost (2):',
      '  arm64: 5 fewer of the 17 functions both builds have sign their return address (5 → 0)',
      '  arm64: 9 fewer of the 17 functions both builds have start with a BTI landing pad (9 → 0)',
    ]);
  });

  it('exits 0 the other way round (coverage gained)', () => {
    const r = diff(PLAIN, PACBTI);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nothing lost');
  });

  it('prints the ReportDiff with --json', () => {
    const r = diff(PACBTI, PLAIN, '--json');
    expect(r.status).toBe(1);
    const d = JSON.parse(r.stdout) as ReportDiff;
    expect(d.diffSchema).toBe(1);
    expect(d.gate.map((g) => [g.kind, g.what])).toEqual([
      ['coverage-lost', 'pac'],
      ['coverage-lost', 'bti'],
    ]);
  });

  it('prints the Markdown comment and the permalink, with the same exit status', async () => {
    const md = diff(PACBTI, PLAIN, '--markdown');
    expect(md.status).toBe(1);
    expect(md.stdout.split('\n')[0]).toBe('### binlens: `aarch64-prog-pacbti` → `aarch64-prog-plain`');
    const link = diff(PACBTI, PLAIN, '--link', '--base', 'https://binlens.example/');
    expect(link.status).toBe(1);
    const back = await decodeDiffLink(link.stdout.trim());
    expect(back.ok && back.diff.gate.length).toBe(2);
  });

  it('exits 2 when a file cannot be read, with one line saying why', () => {
    const missing = diff(PACBTI, 'fixtures/no-such-file');
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe('binlens diff: fixtures/no-such-file: no such file');
    const text = diff('README.md', PLAIN);
    expect(text.status).toBe(2);
    expect(text.stderr).toMatch(/^binlens diff: README\.md: not an ELF or Mach-O binary/);
    expect(text.stdout).toBe('');
  });

  it('refuses a device or a directory before reading a byte, as every command does', () => {
    const dev = diff(PACBTI, '/dev/zero');
    expect([dev.status, dev.stderr]).toEqual([2, 'binlens diff: /dev/zero: is a character device, not a file\n']);
    const dir = diff('fixtures', PLAIN);
    expect([dir.status, dir.stderr]).toEqual([2, 'binlens diff: fixtures: is a directory\n']);
  });

  it('exits 64 without two files', () => {
    expect(diff(PACBTI).status).toBe(64);
  });
});
