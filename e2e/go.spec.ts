// Go in the page: the Go panel, its link to the recovered functions, and
// recovered names in the symbol view and the ARM64 view.
import { join } from 'node:path';
import { ROOT, expect, test } from './helpers.ts';

const GO_DARWIN = join(ROOT, 'fixtures', 'go', 'bin', 'go1.19-arm64-darwin-stripped');

test('the Go panel leads to the recovered functions; main.main is found by name', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles(GO_DARWIN);
  const panel = page.getByTestId('go-panel');
  await expect(panel).toContainText('go1.19');
  await expect(panel).toContainText('example.com/binlens/hello');
  await expect(panel).toContainText('-trimpath');

  await page.getByTestId('go-open-functions').click();
  const symbols = page.getByTestId('symbols');
  await expect(symbols.getByRole('button', { name: 'Recovered (Go)' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('symbol-source')).toContainText("recovered from Go's function table");
  await expect(page.getByTestId('symbols-card')).toBeInViewport();
  await symbols.getByPlaceholder('Search symbols').fill('main.main');
  const row = symbols.locator('.row', { has: page.locator('.name', { hasText: /^main\.main$/ }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('recovered');
  await expect(row).toContainText('__text');

  // The ARM64 view names the same functions (Mach-O symbols carry a leading underscore).
  const fns = page.getByTestId('arm64-functions');
  await fns.getByPlaceholder(/Search functions/).fill('main.main');
  await fns
    .locator('.row', { hasText: /^_?main\.main/ })
    .first()
    .click();
  const selected = page.getByTestId('listing').locator('.row.selected');
  await expect(selected).toContainText(/_?main\.main:/);
  await expect(page.getByTestId('listing').locator('.row[data-mnemonic="bl"] .target').first()).toHaveText(/^→ _?[a-z]+[./]/);
});

test('a stripped Go ELF: recovered names fill the symbol view and name the code', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles(join(ROOT, 'fixtures', 'verdict', 'bin', 'go-arm64-linux-pie-nocgo'));
  await expect(page.getByTestId('symbol-source')).toContainText('are listed, marked "recovered"');
  const symbols = page.getByTestId('symbols');
  await symbols.getByPlaceholder('Search symbols').fill('main.main');
  const row = symbols.locator('.row', { has: page.locator('.name', { hasText: /^main\.main$/ }) });
  await expect(row).toContainText('recovered');

  const fns = page.getByTestId('arm64-functions');
  await fns.getByPlaceholder(/Search functions/).fill('main.main');
  const fn = fns.locator('.row', { hasText: /^main\.mainrecovered/ });
  await expect(fn).toHaveCount(1);
  await fn.click();
  const listing = page.getByTestId('listing');
  await expect(listing.locator('.row.selected')).toContainText('main.main:');
  // Calls out of main.main are named from the function table too.
  await expect(listing.locator('.row[data-mnemonic="bl"] .target').first()).toHaveText(/^→ [a-z]+[./]/);
});
