import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ELF_HELLO, expect, test, tinyPng } from './helpers.ts';

// A file over the worker's whole-file limit (8 MiB) is parsed from chunks
// read on demand (FileReaderSync over Blob.slice); up to 256 MiB it is then
// read whole and hashed by the analysis worker, a bigger one is hashed in a
// stream by the hash worker. The file is made inside the page: the ELF
// fixture followed by zeros, so it parses like the fixture.
const SIZE = 300 * 1024 * 1024;
const MEDIUM = 40 * 1024 * 1024;

async function dropLargeElf(page: Page, size = SIZE): Promise<void> {
  const head = readFileSync(ELF_HELLO).toString('base64');
  await page.evaluate(
    ({ b64, size }) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const zeros = new Uint8Array(16 << 20);
      const parts: BlobPart[] = [bytes];
      let n = bytes.length;
      while (n < size) {
        const take = Math.min(zeros.length, size - n);
        parts.push(take === zeros.length ? zeros : zeros.subarray(0, take));
        n += take;
      }
      const dt = new DataTransfer();
      dt.items.add(new File(parts, 'large.elf'));
      document.querySelector('main')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { b64: head, size },
  );
}

/** The SHA-256 of what dropLargeElf makes. */
function largeSha256(size = SIZE): string {
  const head = readFileSync(ELF_HELLO);
  const h = createHash('sha256').update(head);
  const zeros = Buffer.alloc(16 << 20);
  for (let n = head.length; n < size; n += zeros.length) h.update(zeros.subarray(0, Math.min(zeros.length, size - n)));
  return h.digest('hex');
}

test('a 300 MB file is read in chunks, gives the same answer, and its streamed SHA-256 follows', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await dropLargeElf(page);
  await expect(page.getByTestId('headline')).toHaveText(/^(aarch64|arm64) executable for Linux.*dynamically linked/i, { timeout: 60_000 });
  await expect(page.getByTestId('report')).toContainText('315 MB');
  await expect(page.getByTestId('libraries').locator('.libname')).toHaveText(['libm.so.6', 'libc.so.6']);
  await expect(page.getByTestId('symbol-count')).toHaveText(/^\d+ symbols$/);
  await expect(page.getByTestId('sha256')).toHaveText(`sha256 ${largeSha256().slice(0, 16)}…`, { timeout: 60_000 });
});

test('a 40 MB file is parsed from chunks, then read whole: its SHA-256 comes from the analysis worker, the hash worker never starts', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await dropLargeElf(page, MEDIUM);
  await expect(page.getByTestId('headline')).toHaveText(/^(aarch64|arm64) executable for Linux.*dynamically linked/i, { timeout: 60_000 });
  await expect(page.getByTestId('report')).toContainText('42 MB (41,943,040 bytes)');
  await expect(page.getByTestId('symbol-count')).toHaveText(/^\d+ symbols$/);
  await expect(page.getByTestId('sha256')).toHaveText(`sha256 ${largeSha256(MEDIUM).slice(0, 16)}…`, { timeout: 60_000 });
  const names = await Promise.all(page.workers().map((w) => w.evaluate(() => self.name).catch(() => '')));
  expect(names).toContain('analyzer');
  expect(names).not.toContain('hash');
});

test('analyzing makes no network request once the app is loaded', async ({ page }) => {
  await page.goto('/');
  // First file: the worker script itself is fetched (same origin, once).
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  await expect(page.getByTestId('symbol-count')).toHaveText(/symbols/);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.getByTestId('pick-files').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: tinyPng() });
  await expect(page.getByTestId('headline')).toHaveText(/PNG image/);
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  await page.getByTestId('symbols').getByPlaceholder('Search symbols').fill('probe');
  await expect(page.getByTestId('symbol-count')).toHaveText(/^3 of/);
  expect(requests).toEqual([]);
});
