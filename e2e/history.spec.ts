// The local history: reports kept across reloads, reopened read-only or
// analyzed again when the binary was kept, deleted one by one or all at once,
// and private mode, which keeps nothing.

import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { ELF_HELLO, MACHO_EXE, ROOT, expect, test } from './helpers.ts';

/** Every key in the history's IndexedDB store (empty when the database was never created). */
async function storedKeys(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('binlens-history')) return [];
    return new Promise<string[]>((resolve, reject) => {
      const open = indexedDB.open('binlens-history');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('kv')) {
          db.close();
          resolve([]);
          return;
        }
        const req = db.transaction('kv').objectStore('kv').getAllKeys();
        req.onsuccess = () => {
          db.close();
          resolve(req.result.map(String));
        };
        req.onerror = () => reject(req.error);
      };
    });
  });
}

const items = (page: Page) => page.getByTestId('history-item');

/** The history is written just after the report shows: wait for it before reloading. */
async function savedReports(page: Page, n: number): Promise<void> {
  await expect.poll(async () => (await storedKeys(page)).filter((k) => k.startsWith('report:')).length).toBe(n);
}

test('an analysis is kept: after a reload it is listed, reopens read-only, and can be deleted', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('history-empty')).toBeVisible();
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  await expect(page.getByTestId('headline')).toHaveText(/Linux/);
  const headline = await page.getByTestId('headline').innerText();
  const libs = await page.getByTestId('libraries').locator('.libname').allInnerTexts();

  await savedReports(page, 1);
  await page.reload();
  await expect(items(page)).toHaveCount(1);
  const row = items(page).first();
  await expect(row).toContainText('gcc-aarch64-linux-hello');
  await expect(row).toContainText('arm64');
  await expect(row).toContainText(/Runs on Linux arm64 \(glibc\)/);
  await expect(page.getByTestId('history-usage')).toContainText('1 report');

  // Without its binary the report opens like a permalink: read-only, marked.
  await row.getByTitle('Open this report again').click();
  await expect(page.getByTestId('shared-banner')).toContainText('Saved report — binary not kept');
  await expect(page.getByTestId('headline')).toHaveText(headline);
  await expect(page.getByTestId('libraries').locator('.libname')).toHaveText(libs);

  // The same file again moves to the top instead of appearing twice.
  await page.getByTestId('home').click();
  await page.getByTestId('pick-files').setInputFiles(MACHO_EXE);
  await expect(page.getByTestId('headline')).toHaveText(/macOS/);
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  await expect(page.getByTestId('headline')).toHaveText(/Linux/);
  await page.getByTestId('home').click();
  await expect(items(page)).toHaveCount(2);
  await expect(items(page).first()).toContainText('gcc-aarch64-linux-hello');

  await items(page).first().getByRole('button', { name: 'Delete gcc-aarch64-linux-hello from history' }).click();
  await expect(items(page)).toHaveCount(1);
  await expect(items(page).first()).toContainText('lld-arm64-macos-exe');
  await page.reload();
  await expect(items(page)).toHaveCount(1);
  const keys = await storedKeys(page);
  expect(keys.filter((k) => k.startsWith('report:'))).toHaveLength(1);

  await page.getByTestId('clear-history').click();
  await page.getByTestId('confirm-clear').click();
  await expect(items(page)).toHaveCount(0);
  expect(await storedKeys(page)).toEqual([]);
});

test('with "Keep binaries" the file is stored, counted, and opens fully analyzed again', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('keep-binaries').check();
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  await expect(page.getByTestId('headline')).toHaveText(/Linux/);

  await expect.poll(async () => (await storedKeys(page)).some((k) => k.startsWith('binary:'))).toBe(true);
  await page.reload();
  await expect(page.getByTestId('keep-binaries')).toBeChecked();
  const row = items(page).first();
  await expect(row).toContainText('binary kept');
  await expect(page.getByTestId('history-usage')).toContainText(/1 binary ·\s+71 KB of 200 MB/);
  const sha = await firstHash(page);
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  expect((await storedKeys(page)).sort()).toEqual([`binary:sha256-${sha}`, 'index', `report:sha256-${sha}`]);

  // Analyzed again in the worker: no "binary not attached", the symbol table pages from the worker.
  await row.getByTitle('Open this report again').click();
  await expect(page.getByTestId('headline')).toHaveText(/Linux/);
  await expect(page.getByTestId('shared-banner')).toHaveCount(0);
  await expect(page.getByTestId('symbols')).toBeVisible();
  await expect(page.getByTestId('symbols-detached')).toHaveCount(0);
});

/** The SHA-256 of the newest item (read from the stored index). */
async function firstHash(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('binlens-history');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').get('index');
          req.onsuccess = () => {
            open.result.close();
            resolve((req.result as { sha256: string }[])[0]!.sha256);
          };
        };
      }),
  );
}

test('private mode keeps nothing, says so, and survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('private-mode').check();
  await expect(page.getByTestId('private-note')).toContainText('not saved on this device');
  await expect(page.getByTestId('private-badge')).toBeVisible();

  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  await expect(page.getByTestId('headline')).toHaveText(/Linux/);
  await page.getByTestId('pick-files').setInputFiles(MACHO_EXE);
  await expect(page.getByTestId('headline')).toHaveText(/macOS/);
  // Give a write that should not happen the time to happen.
  await page.waitForTimeout(500);

  await page.reload();
  await expect(page.getByTestId('private-mode')).toBeChecked();
  await expect(page.getByTestId('private-badge')).toBeVisible();
  await expect(items(page)).toHaveCount(0);
  expect(await storedKeys(page)).toEqual([]);

  // Off again: the next analysis is kept.
  await page.getByTestId('private-mode').uncheck();
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  await expect(page.getByTestId('headline')).toHaveText(/Linux/);
  await page.getByTestId('home').click();
  await expect(items(page)).toHaveCount(1);
});

test('an x86_64-only Mach-O is listed as running on Apple Silicon under Rosetta 2, not natively', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles(join(ROOT, 'fixtures', 'macho', 'bin', 'lld-x86_64-macos-exe'));
  await expect(page.getByTestId('headline')).toHaveText(/macOS/);
  await savedReports(page, 1);
  await page.reload();
  await expect(items(page).first()).toContainText('Runs on macOS (Intel) and macOS (Apple Silicon) under Rosetta 2');
});
