import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ELF_HELLO, MACHO_EXE, MACHO_UNIVERSAL, expect, test, tinyPng } from './helpers.ts';
import { TARGETS } from '../src/report/targets.ts';

test('a folder becomes a sortable table of its binaries; non-binaries are listed as skipped', async ({ page }, info) => {
  const dir = info.outputPath('release');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(ELF_HELLO, join(dir, 'bin', 'hello-linux'));
  copyFileSync(MACHO_EXE, join(dir, 'bin', 'hello-macos'));
  copyFileSync(MACHO_UNIVERSAL, join(dir, 'hello-universal'));
  writeFileSync(join(dir, 'logo.png'), tinyPng());
  writeFileSync(join(dir, 'README.txt'), 'Release notes.\n');

  await page.goto('/');
  await page.getByTestId('pick-folder').setInputFiles(dir);

  const table = page.getByTestId('folder-table');
  await expect(page.getByRole('heading', { name: '5 files in release/' })).toBeVisible();
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.locator('td').nth(1)).not.toHaveText('');
  await expect(table).toContainText('x86_64 + arm64');
  await expect(page.getByTestId('skipped')).toContainText('PNG image');
  await expect(page.getByTestId('skipped')).toContainText('README.txt');
  await expect(page.getByTestId('skipped')).toContainText('text');

  // Sort by size, then largest first (70,736 > 67,056 > 50,672 bytes).
  const names = rows.locator('td.name button');
  const sizeHeader = table.getByRole('button', { name: /Size/ });
  await sizeHeader.click();
  await expect(table.locator('th[aria-sort="ascending"]')).toContainText('Size');
  await expect(names).toHaveText(['bin/hello-macos', 'hello-universal', 'bin/hello-linux']);
  await sizeHeader.click();
  await expect(table.locator('th[aria-sort="descending"]')).toContainText('Size');
  await expect(names).toHaveText(['bin/hello-linux', 'hello-universal', 'bin/hello-macos']);

  // A row opens its report; back returns to the table.
  await rows.filter({ hasText: 'hello-linux' }).click();
  await expect(page.getByTestId('headline')).toHaveText(/executable for Linux/);
  await expect(page.getByTestId('report')).toContainText('release/bin/hello-linux');
  await expect(page.getByTestId('symbol-count')).toHaveText(/symbols/);
  await page.getByRole('button', { name: /All 5 files/ }).click();
  await expect(table).toBeVisible();
});

test('a long folder scan shows progress and can be cancelled, then resumed', async ({ page }, info) => {
  const dir = info.outputPath('many');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 1500; i++) writeFileSync(join(dir, `note-${String(i).padStart(4, '0')}.txt`), `note ${i}\n`);
  copyFileSync(ELF_HELLO, join(dir, 'zz-hello'));

  await page.goto('/');
  await page.getByTestId('pick-folder').setInputFiles(dir);
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /of 1,501 files/ })).toBeVisible();
  await cancel.click();
  await expect(page.getByTestId('notice')).toContainText(/Stopped\. [\d,]+ files? not analyzed/);
  await expect(cancel).toHaveCount(0);

  // The page still works: resume finishes the rest with a fresh worker.
  await page.getByRole('button', { name: /Analyze (them|it)/ }).click();
  await expect(page.getByTestId('folder-table').locator('tbody tr')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('folder-table')).toContainText('zz-hello');
  await expect(page.getByTestId('skipped')).toContainText('1,500 files');
});

test('the folder table fits its column, verdicts and the reason for each "no" in view without hovering, on a phone too', async ({
  page,
}, info) => {
  const dir = info.outputPath('mixed');
  mkdirSync(dir, { recursive: true });
  copyFileSync(ELF_HELLO, join(dir, 'hello-linux'));
  copyFileSync(MACHO_EXE, join(dir, 'hello-macos'));
  copyFileSync(MACHO_UNIVERSAL, join(dir, 'hello-universal'));
  await page.goto('/');
  await page.getByTestId('pick-folder').setInputFiles(dir);
  const table = page.getByTestId('folder-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  const linux = table.locator('tbody tr', { hasText: 'hello-linux' });

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // No sideways scrolling: the table is as wide as its column (it was 1,829 px in a 1,120 px column).
    const scroll = page.getByRole('region', { name: 'Binaries' });
    await expect.poll(() => scroll.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // Every target's mark is on screen, and the reasons are text in the row, not titles.
    for (const t of TARGETS) {
      await expect(linux.locator(`td[data-target="${t}"]`)).toBeInViewport();
    }
    const why = linux.getByTestId('why-not');
    await expect(why).toBeInViewport();
    await expect(why).toContainText('macOS (Apple Silicon, Intel), iOS (arm64): macOS and iOS run only Mach-O files');
    await expect(why).toContainText('Linux x86_64 (glibc, musl): It is arm64 code, which an x86_64 Linux cannot run.');
    await expect(why).toContainText("Linux arm64 (musl): It asks for glibc's loader");
    await expect(why).not.toContainText('Linux arm64 (glibc)');
    // What each file is stays in the row too.
    await expect(linux).toContainText('ELF · arm64 · executable · dynamic');
  }

  // "Sort by" reaches what the header no longer has a column for.
  await page.getByLabel('Sort by').selectOption('format');
  await expect(table.locator('tbody tr td.name button')).toHaveText(['hello-linux', 'hello-macos', 'hello-universal']);
});
