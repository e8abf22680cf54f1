// Keyboard and screen-reader paths: a report that opens takes the focus to
// its headline and its verdict is announced; scrolling lists and tables are
// reachable by keyboard; and axe finds no serious problem (and no scrollable
// region out of the keyboard's reach) on the main views.

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ELF_HELLO, MACHO_EXE, MACHO_UNIVERSAL, ROOT, expect, test } from './helpers.ts';

/** Serious and critical violations, and any scrollable region the keyboard cannot reach (in `within`, a selector, when given). */
async function axeProblems(page: Page, within?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (within) builder = builder.include(within);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'scrollable-region-focusable')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(', ')}`,
    );
}

test('an opened report takes the focus to its headline and announces the verdict', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  const headline = page.getByTestId('headline');
  await expect(headline).toHaveText(/Linux/);
  await expect(headline).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText(/^.*Linux.*\. Runs on Linux arm64 \(glibc\)/);
  // The announcer is a polite status region, on the page before anything is said.
  await expect(page.getByTestId('announcer')).toHaveAttribute('role', 'status');
});

test('a report opened from the folder table takes the focus too', async ({ page }, info) => {
  const dir = info.outputPath('two');
  mkdirSync(dir, { recursive: true });
  copyFileSync(ELF_HELLO, join(dir, 'hello-linux'));
  copyFileSync(MACHO_EXE, join(dir, 'hello-macos'));
  await page.goto('/');
  await page.getByTestId('pick-folder').setInputFiles(dir);
  const open = page.getByTestId('folder-table').getByRole('button', { name: 'hello-macos' });
  await open.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('headline')).toBeFocused();
  await expect(page.getByTestId('announcer')).toContainText('macOS');
});

test('the symbol list scrolls from the keyboard', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles(join(ROOT, 'fixtures', 'go', 'bin', 'go1.19-arm64-linux-exe'));
  const list = page.getByRole('list', { name: 'Symbols' });
  await expect(list.getByRole('listitem').first()).toBeVisible();
  await list.focus();
  await expect(list).toBeFocused();
  const before = await list.evaluate((e) => e.scrollTop);
  await page.keyboard.press('PageDown');
  await expect.poll(() => list.evaluate((e) => e.scrollTop)).toBeGreaterThan(before);
});

test.describe('axe finds no serious problem', () => {
  // axe reads the whole page: slow on a loaded machine.
  test.describe.configure({ timeout: 120_000 });

  test('on the start page', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: /Drop an executable/ })).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
  });

  test('on an ELF report and a universal Mach-O report', async ({ page }) => {
    for (const file of [ELF_HELLO, MACHO_UNIVERSAL]) {
      await page.goto('/');
      await page.getByTestId('pick-files').setInputFiles(file);
      await expect(page.getByTestId('compatibility')).toBeVisible();
      await expect(page.getByRole('list', { name: 'Symbols' }).getByRole('listitem').first()).toBeVisible();
      expect(await axeProblems(page)).toEqual([]);
    }
  });

  test('on the size map, zoomed in, at desktop and phone width', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('pick-files').setInputFiles(join(ROOT, 'fixtures', 'go', 'bin', 'go1.19-arm64-linux-exe'));
    const card = page.getByTestId('size-card');
    await card.locator('summary').click();
    await card.getByRole('button', { name: 'Zoom into LOAD r-x 0x10000' }).click();
    await expect(card.getByTestId('size-summary')).toContainText('LOAD r-x 0x10000');
    await expect(card.getByTestId('size-row').first()).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeProblems(page)).toEqual([]);
  });

  test('on a Go report with findings, light and dark', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('pick-files').setInputFiles(join(ROOT, 'fixtures', 'go', 'bin', 'go1.19-arm64-linux-exe'));
    await expect(page.locator('.finding .id').first()).toBeVisible();
    await expect(page.getByRole('list', { name: 'Symbols' }).getByRole('listitem').first()).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeProblems(page)).toEqual([]);
  });

  test('on the folder table, at desktop and phone width', async ({ page }, info) => {
    const dir = info.outputPath('release');
    mkdirSync(dir, { recursive: true });
    copyFileSync(ELF_HELLO, join(dir, 'hello-linux'));
    copyFileSync(MACHO_EXE, join(dir, 'hello-macos'));
    copyFileSync(MACHO_UNIVERSAL, join(dir, 'hello-universal'));
    await page.goto('/');
    await page.getByTestId('pick-folder').setInputFiles(dir);
    await expect(page.getByTestId('folder-table').getByRole('row')).toHaveCount(4);
    expect(await axeProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeProblems(page)).toEqual([]);
  });

  test('on the diff of two builds, sizes open, at desktop and phone width', async ({ page }) => {
    const bin = join(ROOT, 'fixtures', 'diff', 'bin');
    await page.goto('/');
    await page.getByTestId('compare-old-file').setInputFiles(join(bin, 'go-arm64-tool'));
    await page.getByTestId('compare-new-file').setInputFiles(join(bin, 'go-arm64-tool-cgo'));
    await page.getByTestId('compare-button').click();
    await expect(page.getByTestId('diff-verdicts')).toBeVisible();
    await page.getByTestId('diff-sizes').locator('summary').click();
    expect(await axeProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeProblems(page)).toEqual([]);
  });

  test('on a link that cannot be opened', async ({ page }) => {
    await page.goto('/#r1.AAAA');
    await expect(page.getByTestId('link-error')).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
  });
});
