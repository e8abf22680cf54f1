// Comparing two builds in the page: two dropped files → Compare → the view
// leads with what was lost (the verdict that changed) and the biggest size
// change; the Compare panel on the start page; the diff's own link opens to
// the same answer; the way there works from the keyboard.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, dropFiles, expect, test } from './helpers.ts';

const BIN = join(ROOT, 'fixtures', 'diff', 'bin');
const OLD = join(BIN, 'go-arm64-tool');
const CGO = join(BIN, 'go-arm64-tool-cgo');

test('two dropped files: Compare reads the verdict that changed and the biggest size change', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [
    { name: 'go-arm64-tool', bytes: readFileSync(OLD) },
    { name: 'go-arm64-tool-cgo', bytes: readFileSync(CGO) },
  ]);
  await page.getByTestId('compare-two').click();
  const view = page.getByTestId('diff-view');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('diff-answer')).toContainText('The new build loses 2 things');
  await expect(page.getByTestId('diff-answer')).toContainText('linux-arm64-musl: ran (native), now no');
  const musl = page.getByTestId('diff-verdict-linux-arm64-musl');
  await expect(musl).toContainText('native');
  await expect(musl).toContainText('no');
  await expect(musl).toContainText('lost');
  // The biggest change first: cgo's .text is 15,712 bytes smaller (os/user asks the C library).
  const first = page.getByTestId('diff-biggest-row').first();
  await expect(first).toContainText('.text');
  await expect(first).toContainText('−15,712');
});

test('the Compare panel takes two files, and the diff link opens to the same answer', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByTestId('compare-old-file').setInputFiles(join(BIN, 'elf-arm64-tool'));
  await page.getByTestId('compare-new-file').setInputFiles(join(BIN, 'elf-arm64-tool-nobp'));
  await expect(page.getByTestId('compare-new-chosen')).toHaveText('elf-arm64-tool-nobp');
  await page.getByTestId('compare-button').click();
  const answer = page.getByTestId('diff-answer');
  await expect(answer).toContainText('2 fewer of the 13 functions both builds have sign their return address');
  await page.getByTestId('diff-copy-link').click();
  await expect(page.getByTestId('diff-link-status')).toContainText('Link copied');
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toMatch(/#d1\./);
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.getByTestId('diff-shared')).toContainText('Shared comparison');
  await expect(page.getByTestId('diff-answer')).toContainText('2 fewer of the 13 functions both builds have sign their return address');
});

test('keyboard: the files are chosen, Compare pressed and the view read without a mouse', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('compare-old-file').setInputFiles(join(BIN, 'elf-arm64-tool'));
  await page.getByTestId('compare-new-file').setInputFiles(join(BIN, 'elf-arm64-tool-libm'));
  await page.getByTestId('compare-new-link').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('compare-button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('diff-answer')).toContainText('Nothing lost');
  await expect(page.getByTestId('diff-slice')).toContainText('library added libm.so.6');
});

test('a saved report and a report link compare what their reports hold, and say what needs the binaries', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  // The old build: analyzed once, so the history keeps its report.
  await page.getByTestId('pick-files').setInputFiles(join(BIN, 'macho-arm64-tool-macos12'));
  await expect(page.getByTestId('headline')).toBeVisible();
  // The new build: its report link, from Copy link.
  await page.getByTestId('pick-files').setInputFiles(join(BIN, 'macho-arm64-tool-macos13'));
  await expect(page.getByTestId('headline')).toContainText('macOS');
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('link-status')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByTestId('home').click();
  await page.getByTestId('compare-old-saved').selectOption({ label: 'macho-arm64-tool-macos12' });
  await page.getByTestId('compare-new-link').fill(link);
  await page.getByTestId('compare-new-link').press('Tab');
  await expect(page.getByTestId('compare-new-chosen')).toHaveText('a report link');
  await page.getByTestId('compare-button').click();
  await expect(page.getByTestId('diff-answer')).toContainText('arm64: minimum macos version raised from 12.0 to 13.0');
  await expect(page.getByTestId('diff-notes')).toContainText('per-function PAC/BTI not compared (neither build has function facts');
});
