// What the README tells a new user about running binlens is true: the Node
// versions are package.json's engines, `npm run serve` prints the lines the
// README quotes (vite preview, which the script ends with, on a free port
// over an empty build), and "My target" names the targets the select offers.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { TARGET_LABELS } from '../src/report/targets.ts';

const ROOT = resolve(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };

it('states the Node versions package.json requires', () => {
  expect(PKG.engines.node).toBe('^20.19.0 || >=22.12.0');
  expect(README).toContain('Node.js 20.19 or later on the 20 line, or 22.12 or later');
});

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

it('quotes what npm run serve prints once it serves, and says how to stop it', async () => {
  expect(PKG.scripts.serve).toMatch(/&& vite preview --port 5173 --strictPort$/);
  const quoted = /```\n( {2}➜ {2}Local: .*\n {2}➜ {2}Network: .*\n)```/.exec(README);
  expect(quoted, 'the README quotes the two lines').not.toBeNull();
  expect(README).toContain('keeps serving until you press Ctrl+C');

  const port = await freePort();
  const dist = mkdtempSync(join(tmpdir(), 'binlens-preview-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>');
  const p = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort', '--outDir', dist],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    },
  );
  try {
    let out = '';
    await new Promise<void>((done, fail) => {
      p.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/Network: .*\n/.test(out)) done();
      });
      p.on('exit', (code) => fail(new Error(`vite preview exited (${code}): ${out}`)));
    });
    // eslint-disable-next-line no-control-regex -- strips the terminal's colour escapes
    const printed = out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(printed).toContain(quoted![1]!.replace('5173', String(port)));
  } finally {
    p.kill();
    rmSync(dist, { recursive: true, force: true });
  }
}, 60_000);

it('says what "My target" is, naming the targets it offers', () => {
  const section = README.slice(README.indexOf('**My target**'), README.indexOf('## Install it as an app'));
  expect(section.length).toBeGreaterThan(200);
  for (const { title } of Object.values(TARGET_LABELS)) expect(section).toContain(title.split(' ')[0]!);
  for (const word of ['Apple Silicon', 'Intel', 'iOS', 'arm64', 'x86_64', 'glibc', 'musl']) expect(section).toContain(word);
});
