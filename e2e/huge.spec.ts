// Huge inputs in headless Chromium: a 2 GB file (sparse on disk: a real
// binary followed by zeros) is analyzed without being read whole, its report
// shown before its SHA-256 is done, the hash with progress and a working
// cancel, and a folder of 1,000 small binaries is summarized; the renderer's
// peak memory (the page and its workers share that process) stays under
// 512 MB. The measured peaks are attached to the test results and printed.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ELF_HELLO, MACHO_EXE, ROOT, expect, test } from './helpers.ts';

const GB2 = 2 * 1024 * 1024 * 1024;
const MB = 1024 * 1024;
const LIMIT = 512 * MB;

/** A file of `size` bytes that starts with `head` and is zeros after it, without writing the zeros (sparse). */
function sparseFile(path: string, head: Uint8Array, size: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * The Mach-O fixture with its __LINKEDIT segment grown to the end of a 2 GB
 * file (filesize and vmsize): a segment that spans the file.
 */
function machoSpanning(size: number): Uint8Array {
  const b = new Uint8Array(readFileSync(MACHO_EXE));
  const dv = new DataView(b.buffer);
  const ncmds = dv.getUint32(16, true);
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = dv.getUint32(at, true);
    const cmdsize = dv.getUint32(at + 4, true);
    const name = new TextDecoder().decode(b.subarray(at + 8, at + 24)).replace(/\0+$/, '');
    if (cmd === 0x19 && name === '__LINKEDIT') {
      const fileoff = Number(dv.getBigUint64(at + 40, true));
      dv.setBigUint64(at + 32, BigInt(size - fileoff), true); // vmsize
      dv.setBigUint64(at + 48, BigInt(size - fileoff), true); // filesize
      return b;
    }
    at += cmdsize;
  }
  throw new Error('fixture has no __LINKEDIT');
}

/** The SHA-256 of a file, streamed. */
async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 8 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Peak resident memory (VmHWM) of each process, from /proc. */
function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function rendererPids(browser: Browser): Promise<Set<number>> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return new Set(processInfo.filter((p) => p.type === 'renderer').map((p) => p.id));
}

/**
 * A page in a fresh context, and the renderer processes it brought: the page
 * and its dedicated worker live there, so their peak RSS is the figure to bound.
 */
async function measuredPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; peak: () => Promise<number> }> {
  const before = await rendererPids(browser);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /Drop an executable/ })).toBeVisible();
  const mine = new Set([...(await rendererPids(browser))].filter((p) => !before.has(p)));
  return {
    context,
    page,
    peak: async () => {
      // A renderer started later for this context (a process swap) counts too.
      for (const p of await rendererPids(browser)) if (!before.has(p)) mine.add(p);
      return Math.max(0, ...[...mine].map(peakRss));
    },
  };
}

const dir = join(tmpdir(), `binlens-huge-${process.pid}`);
test.beforeAll(() => mkdirSync(dir, { recursive: true }));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.describe.configure({ mode: 'serial' });

test('a 2 GB ELF is analyzed in chunks with progress, under 512 MB of renderer memory', async ({ browser, baseURL }, info) => {
  test.setTimeout(600_000);
  const path = join(dir, 'huge.elf');
  sparseFile(path, readFileSync(ELF_HELLO), GB2);
  const sha = await fileSha256(path);
  const { context, page, peak } = await measuredPage(browser, baseURL!);
  const t0 = Date.now();
  await page.getByTestId('pick-files').setInputFiles(path);
  // The report first: its headers are read, not the whole file.
  await expect(page.getByTestId('headline')).toHaveText(/^(aarch64|arm64) executable for Linux.*dynamically linked/i, { timeout: 60_000 });
  await expect(page.getByTestId('report')).toContainText(/2[.,]1\d* GB|2,147,483,648|2\.0 GiB|2 GB/);
  await expect(page.getByTestId('libraries').locator('.libname')).toHaveText(['libm.so.6', 'libc.so.6']);
  await expect(page.getByTestId('symbol-count')).toHaveText(/^\d+ symbols$/);
  // Then the hash, with progress, beside a report that is already usable.
  await expect(page.getByRole('status').filter({ hasText: 'Computing the SHA-256 of huge.elf' })).toBeVisible();
  await expect(page.getByTestId('sha256')).toHaveText(`sha256 ${sha.slice(0, 16)}…`, { timeout: 540_000 });
  const seconds = (Date.now() - t0) / 1000;
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  const rss = await peak();
  const line = `2 GB ELF: ${seconds.toFixed(0)} s, renderer peak RSS ${(rss / MB).toFixed(0)} MB, page JS heap ${(heap / MB).toFixed(0)} MB`;
  console.log(line);
  await info.attach('memory', { body: line, contentType: 'text/plain' });
  expect(rss, 'renderer peak RSS measured').toBeGreaterThan(0);
  expect(rss).toBeLessThan(LIMIT);
  await context.close();
});

test('a Mach-O whose __LINKEDIT segment spans a 2 GB file stays under 512 MB', async ({ browser, baseURL }, info) => {
  test.setTimeout(600_000);
  const path = join(dir, 'spanning.macho');
  sparseFile(path, machoSpanning(GB2), GB2);
  const { context, page, peak } = await measuredPage(browser, baseURL!);
  await page.getByTestId('pick-files').setInputFiles(path);
  await expect(page.getByTestId('headline')).toHaveText(/^arm64 executable for macOS/, { timeout: 540_000 });
  await expect(page.getByTestId('libraries').locator('.libname').first()).toHaveText('/usr/lib/libSystem.B.dylib');
  const rss = await peak();
  const line = `2 GB Mach-O with a file-spanning segment: renderer peak RSS ${(rss / MB).toFixed(0)} MB`;
  console.log(line);
  await info.attach('memory', { body: line, contentType: 'text/plain' });
  expect(rss).toBeGreaterThan(0);
  expect(rss).toBeLessThan(LIMIT);
  await context.close();
});

test('cancelling the 2 GB hash stops it, the report stays usable and the page takes the next file', async ({ browser, baseURL }) => {
  test.setTimeout(300_000);
  const path = join(dir, 'huge.elf');
  sparseFile(path, readFileSync(ELF_HELLO), GB2);
  const { context, page } = await measuredPage(browser, baseURL!);
  await page.getByTestId('pick-files').setInputFiles(path);
  const progress = page.getByRole('status').filter({ hasText: 'Computing the SHA-256 of huge.elf' });
  await expect(progress).toBeVisible({ timeout: 60_000 });
  // Progress moves before the cancel: the bar's value grows.
  const bar = progress.locator('progress');
  await expect.poll(() => bar.evaluate((e: HTMLProgressElement) => e.value), { intervals: [100] }).toBeGreaterThan(0);
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('notice')).toHaveText(/Stopped: the report is complete except for its SHA-256/);
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('headline')).toHaveText(/^(aarch64|arm64) executable for Linux/i);
  await expect(page.getByTestId('sha256')).toHaveCount(0);
  // The analysis worker was not stopped with the hash: the symbol table answers.
  await page.getByTestId('symbols').getByPlaceholder('Search symbols').fill('probe');
  await expect(page.getByTestId('symbol-count')).toHaveText(/^3 of/);
  await page.getByTestId('pick-files').setInputFiles(MACHO_EXE);
  await expect(page.getByTestId('headline')).toHaveText(/^arm64 executable for macOS/);
  await context.close();
});

test('a folder of 1,000 small binaries is summarized under 512 MB of renderer memory', async ({ browser, baseURL }, info) => {
  test.setTimeout(600_000);
  const folder = join(dir, 'thousand');
  mkdirSync(folder, { recursive: true });
  // Copies and mutants of the project's fixtures: a byte flipped per copy, some cut short.
  const seeds = [
    'elf/bin/aarch64-musl-pie',
    'elf/bin/x86_64-glibc-pie',
    'macho/bin/lld-arm64-macos-exe',
    'macho/bin/lld-universal-macos-exe',
    'elf/bin/armv7-static',
    'verdict/bin/lld-arm64-macos-unsigned',
  ].map((p) => readFileSync(join(ROOT, 'fixtures', p)));
  for (let i = 0; i < 1000; i++) {
    const b = Buffer.from(seeds[i % seeds.length]!);
    const at = 64 + ((i * 7919) % (b.length - 64));
    b[at] = b[at]! ^ (1 << (i % 8));
    writeFileSync(join(folder, `bin-${String(i).padStart(4, '0')}`), i % 10 === 9 ? b.subarray(0, Math.floor(b.length / 2)) : b);
  }
  const { context, page, peak } = await measuredPage(browser, baseURL!);
  const t0 = Date.now();
  await page.getByTestId('pick-folder').setInputFiles(folder);
  const table = page.getByTestId('folder-table');
  await expect(page.getByRole('heading', { name: /1,000 files in thousand\// })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0, { timeout: 540_000 });
  await expect(table).toBeVisible();
  const seconds = (Date.now() - t0) / 1000;
  const rss = await peak();
  // Only the rows near the view are in the page; scrolling brings the others.
  await expect(table).toHaveAttribute('aria-rowcount', '1001');
  expect(await table.locator('tbody tr').count()).toBeLessThan(80);
  // Rows are measured as they show (reasons wrap), so the list's height settles as the end comes into view: scroll
  // to the end until it stops growing, as a user would.
  await expect(async () => {
    await page.locator('.folder-scroll').evaluate((e) => (e.scrollTop = e.scrollHeight));
    await expect(table.locator('tbody tr', { hasText: 'bin-0999' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(table.locator('tbody tr', { hasText: 'bin-0999' })).toHaveAttribute('aria-rowindex', '1001');
  const line = `folder of 1,000 binaries: ${seconds.toFixed(0)} s, renderer peak RSS ${(rss / MB).toFixed(0)} MB`;
  console.log(line);
  await info.attach('memory', { body: line, contentType: 'text/plain' });
  expect(rss).toBeGreaterThan(0);
  expect(rss).toBeLessThan(LIMIT);
  await context.close();
});
