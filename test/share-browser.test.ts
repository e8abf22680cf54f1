// Links cross between Node (the CLI) and the browser (the page). Each side
// compresses with its own platform's CompressionStream, whose bytes differ
// (Chromium ships its own zlib fork), but both decide what travels on the
// envelope JSON alone: for the same report they write the same JSON, keep the
// same rows and the same `omitted`, and each opens the other's links. Skips
// without /usr/bin/chromium.

import { existsSync, readdirSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from '@playwright/test';
import { reportFor } from '../src/cli/reportFile.ts';
import type { Report } from '../src/report/types.ts';
import { HARD_CAP, decodePermalink, encodePermalink, type DecodeResult, type Permalink } from '../src/share/permalink.ts';
import { CORPUS, FIXTURES, corpusFiles, hasCorpus } from './corpus.ts';
import { incompressibleReport } from './share-support.ts';

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

describe.skipIf(!existsSync(CHROMIUM))(
  existsSync(CHROMIUM) ? 'links between Node and Chromium' : `browser link tests skipped: no ${CHROMIUM}`,
  () => {
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
      page.evaluate(([r, b, base]) => (window as unknown as ShareGlobal).binlensShare.encodePermalink(r, { base, budget: b }), [
        report,
        budget,
        BASE,
      ] as const) as Promise<Permalink>;
    const inBrowserDecode = (url: string) =>
      page.evaluate((u) => (window as unknown as ShareGlobal).binlensShare.decodePermalink(u), url) as Promise<DecodeResult>;

    /** The envelope JSON text a link carries, inflated by Node's zlib (not the code under test). */
    const payload = (link: Permalink) =>
      inflateRawSync(Buffer.from(link.fragment.slice(link.fragment.indexOf('.') + 1), 'base64url')).toString('utf8');

    /** Both sides' links of one report: the same content, and each opens on the other side to the same report. */
    async function compare(what: string, report: Report, budget?: number): Promise<{ node: Permalink; chrome: Permalink }> {
      const node = await encodePermalink(report, { base: BASE, budget });
      const chrome = await inBrowserEncode(report, budget);
      expect(chrome.cutToHardCap, what).toBe(false);
      expect(node.cutToHardCap, what).toBe(false);
      expect(payload(chrome), what).toBe(payload(node));
      expect(chrome.jsonBytes, what).toBe(node.jsonBytes);
      expect(chrome.omitted, what).toEqual(node.omitted);
      const nodeOpened = await decodePermalink(node.url);
      expect(nodeOpened.ok, what).toBe(true);
      expect(await inBrowserDecode(node.url), what).toEqual(nodeOpened);
      expect(await decodePermalink(chrome.url), what).toEqual(nodeOpened);
      return { node, chrome };
    }

    it('every fixture and corpus report: the same envelope JSON and omitted on both sides, and each opens the other’s', async () => {
      const list = files();
      let differ = 0;
      const delta: number[] = [];
      for (const f of list) {
        const { node, chrome } = await compare(f, await reportFor(f));
        if (chrome.fragment !== node.fragment) differ++;
        delta.push(chrome.bytes - node.bytes);
      }
      // For the record: how often and how much the two platforms' DEFLATE output differs (nothing depends on it).
      console.log(
        `${list.length} reports: ${differ} links differ in their compressed characters between Chromium and Node, none in content; Chromium's URL minus Node's: ${Math.min(...delta)} to ${Math.max(...delta)} bytes`,
      );
    }, 300_000);

    it('reports cut to the budget: the same kept rows on both sides', async () => {
      const base = await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti'));
      // Long tables of rows like real ones, so what is cut is decided on the JSON alone.
      const long: Report = {
        ...base,
        slices: base.slices.map((s) => ({
          ...s,
          imports: Array.from({ length: 3000 }, (_, i) => ({
            name: `_ZN5tokio7runtime${i}spawn17h${((i * 2654435761) >>> 0).toString(16)}E`,
            library: i % 4 ? 'libc.so.6' : null,
          })),
          sections: Array.from({ length: 600 }, (_, i) => ({
            name: `.text.f${i}`,
            segment: 'LOAD',
            address: '0x' + (0x400000 + i * 64).toString(16),
            size: 64,
            offset: '0x' + (i * 64).toString(16),
            type: 'PROGBITS',
            flags: 'AX',
          })),
        })),
      };
      for (const budget of [0, 4096, undefined, 40_000]) {
        const { node } = await compare(`budget ${budget}`, long, budget);
        expect(node.omitted.imports, `budget ${budget}`).toBeDefined();
      }
    }, 120_000);

    it('a report that compresses worse than any real one: cut to the hard cap on both sides, and each opens the other’s', async () => {
      const base = await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti'));
      const report = incompressibleReport(base, 5);
      const node = await encodePermalink(report, { base: BASE });
      const chrome = await inBrowserEncode(report);
      for (const link of [node, chrome]) {
        expect(link.cutToHardCap).toBe(true);
        expect(link.bytes).toBeLessThanOrEqual(HARD_CAP);
      }
      // Kept rows may differ here (the only case where they can); each side still opens the other's link as written.
      const chromeInNode = await decodePermalink(chrome.url);
      expect(chromeInNode.ok && chromeInNode.omitted).toEqual(chrome.omitted);
      const nodeInChrome = await inBrowserDecode(node.url);
      expect(nodeInChrome.ok && nodeInChrome.omitted).toEqual(node.omitted);
    }, 120_000);

    it('links compressed by other DEFLATE writers (zlib at levels 1 and 9, a stored block) open on both sides', async () => {
      const report = await reportFor(join(FIXTURES, 'go', 'bin', 'go1.19-arm64-linux-exe'));
      const own = await encodePermalink(report, { base: BASE });
      const text = Buffer.from(payload(own));
      const expected = await decodePermalink(own.url);
      for (const level of [0, 1, 9]) {
        const link = `r1.${deflateRawSync(text, { level }).toString('base64url')}`;
        expect(await inBrowserDecode(link), `level ${level}`).toEqual(expected);
        expect(await decodePermalink(link), `level ${level}`).toEqual(expected);
      }
    });

    it('the browser refuses damaged links the same way', async () => {
      const report = await reportFor(join(FIXTURES, 'macho', 'bin', 'lld-arm64-macos-exe'));
      const node = await encodePermalink(report, { base: BASE });
      for (const bad of [node.url.slice(0, -30), node.url.replace('#r1.', '#r2.'), `${BASE}#r1.AAAA`]) {
        expect(await inBrowserDecode(bad)).toEqual(await decodePermalink(bad));
      }
    });
  },
);
