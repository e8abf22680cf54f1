// Links cross between Node (the CLI) and the browser (the page): the same
// encoder bundled into Debian's Chromium writes byte-identical links for the
// same report (share/deflate.ts is deterministic, unlike the platforms' zlib
// builds), and each side opens the other's links, including ones compressed
// by Chromium's own CompressionStream. Skips without /usr/bin/chromium.

import { existsSync, readdirSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from '@playwright/test';
import { reportFor } from '../src/cli/commands/report.ts';
import type { Report } from '../src/parsers/types.ts';
import { decodePermalink, encodePermalink, type DecodeResult, type Permalink } from '../src/share/permalink.ts';
import { CORPUS, FIXTURES, corpusFiles, hasCorpus } from './corpus.ts';
import { hugeReport } from './share-support.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BASE = 'http://localhost:5173/';

/** The bundle's global in the page. */
interface ShareGlobal {
  binlensShare: { encodePermalink: typeof encodePermalink; decodePermalink: typeof decodePermalink };
}

function files(): string[] {
  const fixtures = readdirSync(FIXTURES).flatMap((area) => {
    try {
      return readdirSync(join(FIXTURES, area, 'bin')).map((f) => join(FIXTURES, area, 'bin', f));
    } catch {
      return [];
    }
  });
  return [...fixtures, ...(hasCorpus ? corpusFiles().map((f) => join(CORPUS, 'bin', f)) : [])].sort();
}

describe.skipIf(!existsSync(CHROMIUM))(existsSync(CHROMIUM) ? 'links between Node and Chromium' : `browser link tests skipped: no ${CHROMIUM}`, () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const { build } = await import('esbuild');
    const bundle = await build({
      stdin: { contents: `export { encodePermalink, decodePermalink } from './src/share/permalink.ts';`, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      format: 'iife',
      globalName: 'binlensShare',
      write: false,
      target: 'es2022',
    });
    const { chromium } = await import('@playwright/test');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
    await page.setContent('<!doctype html><title>binlens share test</title>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const inBrowserEncode = (report: Report, budget?: number) =>
    page.evaluate(([r, b, base]) => (window as unknown as ShareGlobal).binlensShare.encodePermalink(r, { base, budget: b }), [report, budget, BASE] as const) as Promise<Permalink>;
  const inBrowserDecode = (url: string) => page.evaluate((u) => (window as unknown as ShareGlobal).binlensShare.decodePermalink(u), url) as Promise<DecodeResult>;

  it('every fixture and corpus report: the same URL on both sides, and each opens the other’s', async () => {
    const list = files();
    for (const f of list) {
      const report = await reportFor(f);
      const node = await encodePermalink(report, { base: BASE });
      const chrome = await inBrowserEncode(report);
      expect(chrome.url, f).toBe(node.url);
      expect(chrome.omitted, f).toEqual(node.omitted);
      expect(await inBrowserDecode(node.url), f).toEqual(await decodePermalink(node.url));
    }
  }, 300_000);

  it('a report cut to the budget: the same URL and the same kept rows on both sides', async () => {
    const base = await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti'));
    for (const seed of [11]) {
      const huge = hugeReport(base, seed, { slices: 2, rows: 400 });
      for (const budget of [4096, 16384]) {
        const node = await encodePermalink(huge, { base: BASE, budget });
        const chrome = await inBrowserEncode(huge, budget);
        expect(chrome.url, `seed ${seed} budget ${budget}`).toBe(node.url);
      }
    }
  }, 120_000);

  it('links compressed by Chromium’s own CompressionStream open in Node, and Node’s zlib ones in Chromium', async () => {
    const report = await reportFor(join(FIXTURES, 'go', 'bin', 'go1.19-arm64-linux-exe'));
    const own = await encodePermalink(report, { base: BASE });
    const text = new TextDecoder().decode(inflateRawSync(Buffer.from(own.fragment.slice(3), 'base64url')));
    const viaChrome = await page.evaluate(async (t) => {
      const cs = new CompressionStream('deflate-raw');
      const w = cs.writable.getWriter();
      void w.write(new TextEncoder().encode(t));
      void w.close();
      const b = new Uint8Array(await new Response(cs.readable).arrayBuffer());
      let s = '';
      for (const x of b) s += String.fromCharCode(x);
      return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }, text);
    expect(viaChrome).not.toBe(own.fragment.slice(3));
    expect(await decodePermalink(`r1.${viaChrome}`)).toEqual(await decodePermalink(own.url));
    const viaZlib = `r1.${deflateRawSync(Buffer.from(text)).toString('base64url')}`;
    expect(await inBrowserDecode(viaZlib)).toEqual(await decodePermalink(own.url));
  });

  it('the browser refuses damaged links the same way', async () => {
    const report = await reportFor(join(FIXTURES, 'macho', 'bin', 'lld-arm64-macos-exe'));
    const node = await encodePermalink(report, { base: BASE });
    for (const bad of [node.url.slice(0, -30), node.url.replace('#r1.', '#r2.'), `${BASE}#r1.AAAA`]) {
      expect(await inBrowserDecode(bad)).toEqual(await decodePermalink(bad));
    }
  });
});
