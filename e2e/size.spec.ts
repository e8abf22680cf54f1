// The size map on the page: a dropped file's Size card shows a treemap of
// where its bytes go, zooms into a segment and a section, and the table
// beside it says the same figures; the table is the keyboard path (its names
// zoom in, the breadcrumb zooms out, its columns sort).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, dropFiles, expect, test } from './helpers.ts';

const GO = join(ROOT, 'fixtures', 'go', 'bin', 'go1.19-arm64-linux-exe');
const CXX = join(ROOT, 'fixtures', 'names', 'bin', 'cxx-x86_64-linux.o');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('drop a file, open Size, zoom into a section: the treemap and the table agree', async ({ page }) => {
  await dropFiles(page, [{ name: 'go1.19-arm64-linux-exe', bytes: readFileSync(GO) }]);
  const card = page.getByTestId('size-card');
  await card.locator('summary').click();
  const map = card.getByTestId('size-map');
  await expect(map.getByTestId('size-summary')).toHaveText('arm64: 1,122,240 bytes (1.1 MB), in 5 parts');
  // The slice: three PT_LOAD segments, the sections outside them, and the bytes in none, as their own tile.
  await expect(map.getByTestId('size-row')).toHaveCount(5);
  await expect(map.getByTestId('size-tile').filter({ hasText: 'unattributed (in no segment or section)' })).toBeVisible();

  await map.getByTestId('size-tile').filter({ hasText: 'LOAD r-x 0x10000' }).click();
  await expect(map.getByTestId('size-summary')).toContainText('LOAD r-x 0x10000: 397,088 bytes');
  await map.getByTestId('size-tile').filter({ hasText: '.text' }).click();
  // .text as llvm-size -A gives it (0x5ff20), in Go's packages.
  await expect(map.getByTestId('size-summary')).toContainText('.text: 392,992 bytes');
  await expect(map.getByTestId('size-crumbs')).toHaveText(/arm64\s*›\s*LOAD r-x 0x10000\s*›\s*\.text/);

  const tile = map.getByTestId('size-tile').filter({ hasText: 'runtime' }).first();
  const percent = await tile.getAttribute('data-percent');
  expect(percent).toMatch(/^\d+\.\d%$/);
  await expect(tile).toContainText(percent!);
  const row = map.getByTestId('size-row').filter({ has: page.getByRole('button', { name: 'Zoom into runtime', exact: true }) });
  await expect(row.getByTestId('size-row-percent')).toHaveText(percent!);
  await expect(row.locator('.bytes')).toHaveText('357,664');

  // Out again by the breadcrumb.
  await map.getByTestId('size-crumbs').getByRole('button', { name: 'arm64' }).click();
  await expect(map.getByTestId('size-summary')).toContainText('arm64: 1,122,240 bytes');
});

test('by module and package; by namespace for C++', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(GO);
  const card = page.getByTestId('size-card');
  await card.locator('summary').click();
  await card.getByTestId('size-by-origin').click();
  await expect(card.getByTestId('size-by-origin')).toHaveText('By module and package');
  await expect(card.getByTestId('size-table')).toContainText('module (main)');
  await card.getByRole('button', { name: 'Zoom into example.com/binlens/hello' }).click();
  await expect(card.getByTestId('size-row')).toHaveCount(1);
  await expect(card.getByTestId('size-row')).toContainText('main');

  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles(CXX);
  const cxx = page.getByTestId('size-card');
  await cxx.locator('summary').click();
  await cxx.getByTestId('size-by-origin').click();
  await expect(cxx.getByTestId('size-by-origin')).toHaveText('By namespace');
  await cxx.getByRole('button', { name: 'Zoom into outer' }).click();
  await expect(cxx.getByTestId('size-table')).toContainText('vtable for outer::Derived');
});

test('the keyboard path: a name zooms in with Enter, the breadcrumb zooms out, a column sorts', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(GO);
  const card = page.getByTestId('size-card');
  await card.locator('summary').focus();
  await page.keyboard.press('Enter');
  const map = card.getByTestId('size-map');
  // The treemap is a picture for the pointer; screen readers get the table.
  await expect(map.locator('.treemap')).toHaveAttribute('aria-hidden', 'true');
  const table = map.getByRole('table', { name: 'Parts of arm64' });
  await expect(table).toBeVisible();
  const zoom = table.getByRole('button', { name: 'Zoom into LOAD r-x 0x10000' });
  await zoom.focus();
  await page.keyboard.press('Enter');
  await expect(map.getByTestId('size-summary')).toBeFocused();
  await expect(map.getByTestId('size-summary')).toContainText('LOAD r-x 0x10000');
  await page.keyboard.press('Shift+Tab'); // back to the breadcrumb, just before: its step to the slice
  await expect(map.getByTestId('size-crumbs').getByRole('button', { name: 'arm64' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(map.getByTestId('size-summary')).toContainText('arm64:');

  const name = map.getByRole('columnheader', { name: 'Name' });
  await name.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(name).toHaveAttribute('aria-sort', 'ascending');
  const names = await map.getByTestId('size-row').locator('.name').allTextContents();
  expect(names.map((n) => n.trim())).toEqual([...names.map((n) => n.trim())].sort());
});
