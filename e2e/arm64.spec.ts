// The ARM64 view: PAC/BTI counts, the per-function table and its filter, the
// disassembly listing opened at a function with PAC instructions highlighted
// and branch targets followed; and the engine is loaded when the app starts,
// so analyzing makes no request.
import { join } from 'node:path';
import { ROOT, expect, test } from './helpers.ts';

const PACBTI = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-glibc-pie-pacbti');
const PACFLOW = join(ROOT, 'fixtures', 'arm64', 'bin', 'aarch64-pacflow');
const ELF_STRIPPED = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-glibc-pie-now-stripped');
const DATAWORDS_STRIPPED = join(ROOT, 'fixtures', 'pacbti', 'bin', 'aarch64-datawords-stripped');
const MACHO_PAC = join(ROOT, 'fixtures', 'pacbti', 'bin', 'clang-arm64-macos-pacbti.o');
const LIBSSL_LIKE = join(ROOT, 'fixtures', 'pacbti', 'bin', 'aarch64-libpairs.so-stripped');
const AARCH64_BE = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64_be-static');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('PAC and BTI counts by mnemonic, functions, and what was declared against what was seen', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(PACBTI);
  const view = page.getByTestId('arm64');
  await expect(view).toBeVisible();
  // llvm-objdump-19 -d counts 2 paciasp, 2 autiasp and 1 bti in this file.
  await expect(page.getByTestId('arm64-pac').locator('.big')).toHaveText('4');
  await expect(page.getByTestId('arm64-pac')).toContainText('paciasp 2');
  await expect(page.getByTestId('arm64-pac')).toContainText('autiasp 2');
  await expect(page.getByTestId('arm64-bti').locator('.big')).toHaveText('1');
  await expect(page.getByTestId('arm64-fns')).toContainText('2 of 11 (18%) sign their return address');
  await expect(page.getByTestId('arm64-notes')).toContainText('does not declare BTI');
  await expect(page.getByTestId('arm64-scanned').locator('.big')).toHaveText('202');
});

test('the function table sorts, and opens the listing at a function with paciasp highlighted', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(PACBTI);
  const fns = page.getByTestId('arm64-functions');
  await expect(page.getByTestId('function-count')).toHaveText('11 functions');
  // Largest first: main (120 bytes) is not; greet (140) is.
  const sortBy = (label: string) => fns.locator('.head .sort', { hasText: new RegExp(`^${label}`) });
  await sortBy('Size').click();
  await sortBy('Size').click();
  await expect(sortBy('Size')).toHaveAttribute('aria-pressed', 'true');
  await expect(fns.locator('.row .name').first()).toHaveText('greet');
  await sortBy('Signs').click();
  await sortBy('Signs').click();
  await expect(fns.locator('.row .name').nth(0)).toHaveText(/^(greet|main)$/);
  await expect(fns.locator('.row .name').nth(1)).toHaveText(/^(greet|main)$/);

  await fns.locator('.row', { hasText: /^main/ }).click();
  const listing = page.getByTestId('listing');
  const selected = listing.locator('.row.selected');
  await expect(selected).toHaveAttribute('data-address', '0x800');
  await expect(selected).toHaveAttribute('data-mnemonic', 'paciasp');
  await expect(selected).toHaveClass(/\bpac\b/);
  await expect(selected).toContainText('main:');
  await expect(selected.locator('.pac-tag')).toHaveText('PAC');
  await expect(selected).toBeInViewport();

  // A call is named and followed; Back returns.
  const call = listing.locator('.row', { hasText: /→ greet/ }).first();
  await call.locator('.target').click();
  await expect(listing.locator('.row.selected')).toHaveAttribute('data-address', '0x9c0');
  await expect(listing.locator('.row.selected')).toContainText('greet:');
  await expect(listing.locator('.here')).toContainText('greet');
  await listing.getByRole('button', { name: '← Back' }).click();
  await expect(listing.locator('.row.selected')).toHaveAttribute('data-address', '0x800');

  // An address typed in; one that is not code says so.
  await listing.getByPlaceholder(/Go to address/).fill('0x9c8');
  await listing.getByRole('button', { name: 'Go' }).click();
  await expect(listing.locator('.row.selected')).toHaveAttribute('data-address', '0x9c8');
  await listing.getByPlaceholder(/Go to address/).fill('0x10');
  await listing.getByRole('button', { name: 'Go' }).click();
  await expect(listing).toContainText('0x10 is not in this slice');
});

test('the filter "signs but returns without authenticating" lists exactly those functions', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(PACFLOW);
  const fns = page.getByTestId('arm64-functions');
  const chip = fns.getByRole('button', { name: /Signs but returns without authenticating/ });
  await expect(chip).toContainText('2');
  // The summary links to the same filter.
  await page
    .getByTestId('arm64-fns')
    .getByRole('button', { name: /can return without authenticating/ })
    .click();
  await expect(chip).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('function-count')).toHaveText(/^2 of \d+ functions$/);
  await expect(fns.locator('.row .au.bad')).toHaveCount(2);
  await expect(fns.locator('.row .au.bad').first()).toHaveText(/^no \(0x[0-9a-f]+\)$/);
  // The rt_sigreturn trampoline is listed with its code.
  await expect(page.getByTestId('arm64-sigtramps')).toContainText('rt_sigreturn');
  await expect(page.getByTestId('arm64-sigtramps').locator('pre')).toContainText('svc');
});

test('a stripped ELF: the symbol view falls back to .dynsym and says so', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(ELF_STRIPPED);
  await expect(page.getByTestId('symbol-source')).toContainText('.dynsym');
  await expect(page.getByTestId('symbol-count')).toHaveText(/^\d+ symbols?$/);
  await expect(page.getByTestId('symbols').locator('.row .name').first()).not.toHaveText('…');
});

test('the engine is compiled when the app starts: analyzing an arm64 file makes no request', async ({ page }) => {
  // Let the idle start-up (worker script, engine .wasm) finish.
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')))).toBe(true);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.getByTestId('pick-files').setInputFiles(PACBTI);
  await expect(page.getByTestId('arm64-pac').locator('.big')).toHaveText('4');
  await page.getByTestId('arm64-functions').locator('.row', { hasText: /^main/ }).click();
  await expect(page.getByTestId('listing').locator('.row.selected')).toBeVisible();
  expect(requests).toEqual([]);
});

test('a report opened from a link keeps its ARM64 summary and says what needs the binary', async ({ page, baseURL }) => {
  const { reportFor } = await import('../src/cli/reportFile.ts');
  const { encodePermalink } = await import('../src/share/permalink.ts');
  const link = await encodePermalink(await reportFor(PACBTI), { base: `${baseURL}/` });
  await page.goto(link.url);
  await expect(page.getByTestId('arm64-pac').locator('.big')).toHaveText('4');
  await expect(page.getByTestId('arm64-unavailable')).toContainText('Binary not attached');
  await expect(page.getByTestId('symbols-detached')).toContainText('Binary not attached');
  await expect(page.getByTestId('answer')).toHaveText(/^(Runs on|On) /);
});

test('the Protections card answers PAC and BTI three ways, and agrees with the ARM64 view', async ({ page }) => {
  // A plain arm64 Mach-O slice whose code signs return addresses: not declared (not arm64e), done, not enforced.
  await page.getByTestId('pick-files').setInputFiles(MACHO_PAC);
  const pac = page.getByTestId('feature-pac');
  await expect(pac.locator('[data-question=declared]')).toHaveText('declared: no');
  await expect(pac.locator('[data-question=code]')).toHaveText('code: yes');
  await expect(pac.locator('[data-question=enforced]')).toHaveText('enforced: no');
  const bti = page.getByTestId('feature-bti');
  await expect(bti.locator('[data-question=declared]')).toHaveText('declared: n/a');
  await expect(bti.locator('[data-question=code]')).toHaveText('code: yes');
  // The reasons, one per question, when the row is opened.
  await pac.locator('summary').click();
  await expect(pac.locator('dl.why')).toContainText('Code: yes');
  await expect(pac.locator('dl.why')).toContainText('2 of 3 functions sign their return address');
  await expect(pac.locator('dl.why')).toContainText('turn the pointer-authentication keys off');
  // The ARM64 view counts what is inside functions.
  await expect(page.getByTestId('arm64-pac').locator('.big')).toHaveText('4');
  await expect(page.getByTestId('arm64-pac')).toContainText('inside functions');
  await expect(page.getByTestId('arm64-fns')).toContainText('2 of 3 (67%) sign their return address');
});

test('data words between functions of a stripped file: the headline counts only code, the sweep says what it also found', async ({
  page,
}) => {
  await page.getByTestId('pick-files').setInputFiles(DATAWORDS_STRIPPED);
  await expect(page.getByTestId('arm64-pac').locator('.big')).toHaveText('2');
  await expect(page.getByTestId('arm64-pac-sweep')).toHaveText('4 in the whole-section sweep: 2 outside every function');
  await expect(page.getByTestId('arm64-bti').locator('.big')).toHaveText('2');
  await expect(page.getByTestId('arm64-bti-sweep')).toHaveText('3 in the whole-section sweep: 1 outside every function');
  await expect(page.getByTestId('arm64-notes')).toContainText('outside every known function');
});

test('a stripped library: functions from .eh_frame and .dynsym, with their names', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(LIBSSL_LIKE);
  await expect(page.getByTestId('arm64-fns')).toContainText('from dynsym, eh_frame');
  await expect(page.getByTestId('function-count')).toHaveText('9 functions');
  await expect(page.getByTestId('arm64-functions').locator('.row .name', { hasText: /^lib_entry$/ })).toBeVisible();
});

test('a big-endian aarch64_be file gets its function table and listing, as its scan (A64 code is little-endian in either order)', async ({
  page,
}) => {
  await page.getByTestId('pick-files').setInputFiles(AARCH64_BE);
  await expect(page.getByTestId('arm64-scanned').locator('.big')).toHaveText('20');
  await expect(page.getByTestId('arm64-unavailable')).toHaveCount(0);
  await expect(page.getByTestId('function-count')).toHaveText('2 functions');
  await page
    .getByTestId('arm64-listing-card')
    .getByRole('button', { name: /^Show the disassembly/ })
    .click();
  await expect(page.getByTestId('listing').locator('.row').first()).toBeVisible();
});
