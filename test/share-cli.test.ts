// The CLI's `link` and `report --from-link`: the link carries the envelope
// the library writes for the same report (its compressed characters are
// Node's zlib's, so only the content is compared), it opens back to that
// report, and a bad link is one line on stderr with exit status 2.

import { spawn } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportFor } from '../src/cli/reportFile.ts';
import { decodePermalink, encodePermalink, JSON_CAP } from '../src/share/permalink.ts';
import { FIXTURES } from './corpus.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => done({ status, stdout, stderr }));
  });
}

const FILE = join(FIXTURES, 'verdict', 'bin', 'lld-arm64-macos-homebrew');

/** The envelope JSON text a link carries, inflated by Node's zlib. */
function payload(url: string): string {
  return inflateRawSync(Buffer.from(url.slice(url.indexOf('#r1.') + 4), 'base64url')).toString('utf8');
}

describe('binlens link and report --from-link', () => {
  let link = '';
  beforeAll(async () => {
    link = (await cli('link', FILE)).stdout.trim();
  });

  it('prints a link with the envelope encodePermalink writes for the same report, at the default base', async () => {
    const expected = await encodePermalink(await reportFor(FILE), { base: 'http://localhost:5173/' });
    expect(link.startsWith('http://localhost:5173/#r1.')).toBe(true);
    expect(payload(link)).toBe(payload(expected.url));
  });

  it('takes --base and --budget', async () => {
    const out = await cli('link', FILE, '--base', 'https://example.org/binlens/#stale', '--budget=0');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^https:\/\/example\.org\/binlens\/#r1\.[A-Za-z0-9_-]+\n$/);
    expect(out.stderr).toMatch(/^binlens link: \d+ bytes \(\d+ bytes of JSON\); left out .*kept\n$/);
    const back = await decodePermalink(out.stdout.trim());
    expect(back.ok).toBe(true);
    // --budget counts JSON bytes, as the library does.
    const lib = await encodePermalink(await reportFor(FILE), { base: 'https://example.org/binlens/', budget: 0 });
    expect(payload(out.stdout.trim())).toBe(payload(lib.url));
    expect(back.ok && back.omitted).toEqual(lib.omitted);
  });

  it('decodes a link back into the report JSON it carries', async () => {
    const out = await cli('report', '--from-link', link, '--json');
    expect(out.status).toBe(0);
    expect(out.stderr).toBe('');
    const json = JSON.parse(out.stdout);
    const { shared, omitted, ...report } = json;
    expect(shared).toBe(true);
    expect(omitted).toEqual({ bySlice: [{}], truncatedStrings: 0 });
    expect(report).toEqual(JSON.parse(JSON.stringify(await reportFor(FILE))));
  });

  it('prints the text report of a link, saying the binary was not attached', async () => {
    const out = await cli('report', '--from-link', link);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('lld-arm64-macos-homebrew: macho');
    expect(out.stdout).toContain('opened from a link: the binary was not attached');
  });

  it('a bad link: one line on stderr, exit 2', async () => {
    for (const bad of [link.slice(0, -20), link.replace('#r1.', '#r9.'), 'http://localhost:5173/', 'r1.!!!\n\u001b[2J']) {
      const out = await cli('report', '--from-link', bad, '--json');
      expect(out.status, bad.slice(-30)).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^binlens: [^\n]+\n$/);
    }
  });

  it('usage errors', async () => {
    expect((await cli('link')).status).toBe(64);
    expect((await cli('link', FILE, '--base', 'not a url')).status).toBe(64);
    expect((await cli('link', FILE, '--budget=lots')).status).toBe(64);
    expect((await cli('link', FILE, `--budget=${JSON_CAP + 1}`)).status).toBe(64);
    expect((await cli('report', '--from-link')).status).toBe(64);
    const missing = await cli('link', join(FIXTURES, 'no-such-file'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`binlens link: ${join(FIXTURES, 'no-such-file')}: no such file\n`);
  });
});
