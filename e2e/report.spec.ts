import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ELF_HELLO,
  MACHO_EXE,
  MACHO_UNIVERSAL,
  ROOT,
  STACK_TRACE,
  brokenMachO,
  dropFiles,
  expect,
  test,
  tinyPng,
  truncatedElf,
} from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /Drop an executable/ })).toBeVisible();
});

test('says on the page that nothing is uploaded', async ({ page }) => {
  await expect(page.getByText('Nothing is uploaded', { exact: false }).first()).toBeVisible();
});

test('an ELF picked with the file input: architecture, linkage and libraries', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  const headline = page.getByTestId('headline');
  await expect(headline).toHaveText(/^(aarch64|arm64) executable for Linux.*, dynamically linked/i);

  const identity = page.getByTestId('identity');
  await expect(identity).toContainText(/aarch64|arm64/i);
  await expect(identity).toContainText('64-bit, little-endian');

  const linkage = page.getByTestId('linkage');
  await expect(linkage).toContainText('/lib/ld-linux-aarch64.so.1');
  // DT_NEEDED order: libm first, then libc (the order gcc passed them to the linker).
  await expect(page.getByTestId('libraries').locator('.libname')).toHaveText(['libm.so.6', 'libc.so.6']);

  // A library row expands to its evidence and the imports it must provide.
  await page.getByTestId('libraries').locator('.libname', { hasText: 'libm.so.6' }).click();
  await expect(page.getByTestId('libraries')).toContainText('DT_NEEDED');
});

test('a Mach-O dropped with a real drop event: platform, signing, libraries in order with their kind', async ({ page }) => {
  await dropFiles(page, [{ name: 'hello', bytes: readFileSync(MACHO_EXE) }]);
  await expect(page.getByTestId('headline')).toHaveText(/^arm64 executable for macOS 12\.0(\.0)?\+, dynamically linked, ad-hoc signed/);
  const libs = page.getByTestId('libraries');
  await expect(libs.locator('.libname')).toHaveText(['/usr/lib/libSystem.B.dylib', '@rpath/libgreet.dylib', '@rpath/libopt.dylib']);
  await expect(libs.locator('li').nth(2)).toContainText(/weak/);

  // The library's load command is one click away.
  await libs.locator('.libname', { hasText: '@rpath/libgreet.dylib' }).click();
  await expect(libs.locator('li').nth(1)).toContainText('LC_LOAD_DYLIB');
  await libs.locator('.libname', { hasText: '@rpath/libopt.dylib' }).click();
  await expect(libs.locator('li').nth(2)).toContainText('LC_LOAD_WEAK_DYLIB');

  // Run-time search paths with where they come from.
  await expect(page.getByTestId('linkage')).toContainText('@executable_path/../lib');
  await expect(page.getByTestId('linkage')).toContainText('LC_RPATH');

  // Where a protection verdict comes from, one click away.
  const features = page.getByTestId('features');
  await features.getByText('PIE', { exact: true }).click();
  await expect(features).toContainText('Evidence:');

  await expect(page.getByTestId('signature')).toContainText(/ad-hoc/);
});

test('a universal binary names its architectures and shows each slice', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(MACHO_UNIVERSAL);
  await expect(page.getByTestId('headline')).toHaveText('Universal binary: x86_64 + arm64');
  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveCount(2);
  await expect(page.getByTestId('identity')).toContainText('x86_64');
  await tabs.nth(1).click();
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('identity')).toContainText('arm64');
  await expect(page.getByTestId('identity')).toContainText('slice 2 of 2');
});

test('a PNG on its own is clearly not a binary', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: tinyPng() });
  await expect(page.getByTestId('headline')).toHaveText('Not a binary: this is a PNG image');
  await expect(page.getByTestId('not-binary')).toContainText('not an ELF or Mach-O');
  await expect(page.getByTestId('symbols')).toHaveCount(0);
});

test('symbol search pages a filtered count and matching rows from the worker', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
  const symbols = page.getByTestId('symbols');
  const countLine = page.getByTestId('symbol-count');
  await expect(countLine).toHaveText(/^\d+ symbols$/);
  const total = Number((await countLine.textContent())!.replace(/\D/g, ''));
  expect(total).toBeGreaterThan(20);

  await symbols.getByPlaceholder('Search symbols').fill('BINLENS_PROBE');
  await expect(countLine).toHaveText(`3 of ${total} symbols`);
  // Rows keep the table's order; compare as a set.
  await expect
    .poll(async () => (await symbols.locator('.row .name').allTextContents()).sort())
    .toEqual(['binlens_probe_alpha', 'binlens_probe_beta', 'binlens_probe_gamma']);

  // Filters combine with the search.
  await symbols.getByPlaceholder('Search symbols').fill('printf');
  await symbols.getByRole('button', { name: 'Undefined', exact: true }).click();
  await expect(symbols.locator('.row .name')).toHaveText(['printf']);
  await symbols.getByRole('button', { name: 'Defined', exact: true }).click();
  await expect(symbols).toContainText('No symbol matches.');
  await symbols.getByPlaceholder('Search symbols').fill('');
  await symbols.getByRole('button', { name: 'Functions', exact: true }).click();
  await expect(symbols.locator('.row .name').filter({ hasText: 'binlens_probe_alpha' })).toHaveCount(1);
  // The address as llvm-nm-19 -S prints it (00000000000008e0), in hex.
  await expect(symbols.locator('.row', { hasText: 'binlens_probe_alpha' }).locator('.addr')).toHaveText('0x8e0');
  await expect(symbols.locator('.row .name').filter({ hasText: /^printf$/ })).toHaveCount(0);
});

for (const [what, name, bytes] of [
  ['a truncated ELF', 'cut.elf', truncatedElf],
  ['a Mach-O whose load commands run off the end', 'broken.macho', brokenMachO],
] as const) {
  test(`${what} shows what could be read and the problems in plain words, no stack trace`, async ({ page }) => {
    await page.getByTestId('pick-files').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes() });
    await expect(page.getByTestId('headline')).toBeVisible();
    const errors = page.getByTestId('errors');
    await expect(errors).toBeVisible();
    await expect(errors).toContainText(/problem/);
    await expect(errors).toContainText(/at offset 0x[0-9a-f]+/);
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(STACK_TRACE);
    expect(text).not.toMatch(/internal error|undefined is not|TypeError|RangeError/);
  });
}

test('strings from the binary are rendered as text, never as markup', async ({ page }) => {
  await page
    .getByTestId('pick-files')
    .setInputFiles({ name: '<img src=x onerror=alert(1)>.bin', mimeType: 'text/plain', buffer: Buffer.from('<b>hello</b>\n') });
  await expect(page.getByTestId('headline')).toHaveText('Not a binary: this is a text file');
  await expect(page.locator('main img')).toHaveCount(0);
  await expect(page.getByTestId('report')).toContainText('<img src=x onerror=alert(1)>.bin');
});

test('a phone-width report does not scroll the page sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('pick-files').setInputFiles(MACHO_EXE);
  await expect(page.getByTestId('headline')).toBeVisible();
  await page.getByTestId('sections').locator('summary').click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a stripped ELF counts the symbols it lists: .dynsym when there is no .symtab', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-glibc-pie-now-stripped'));
  const counts = page.getByTestId('symbol-counts');
  await expect(counts).toHaveText(/0 defined, 10 undefined in \.dynsym, the dynamic symbol table \(there is no \.symtab\)/);
  await expect(counts).not.toHaveText(/0 defined, 0 undefined/);
  // The list beside it shows those 10 imports.
  await expect(page.getByTestId('symbol-count')).toHaveText(/10/);
});
