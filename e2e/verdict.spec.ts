// The verdict leads each report: the matrix for files whose answers differ
// in kind, and "my target", remembered across a reload, in the report and in
// the folder table.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { MACHO_UNIVERSAL, ROOT, expect, test } from './helpers.ts';
import { TARGETS } from '../src/report/targets.ts';

const MACHO_X86 = join(ROOT, 'fixtures', 'macho', 'bin', 'lld-x86_64-macos-exe');
const ELF_STATIC = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-static-bti');
const ELF_MUSL = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-musl-pie');
const ELF_GLIBC = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-glibc-pie-pacbti');
const MACHO_UNSIGNED = join(ROOT, 'fixtures', 'verdict', 'bin', 'lld-arm64-macos-unsigned');

function cell(page: Page, target: string) {
  return page.getByTestId('compatibility').locator(`[data-target="${target}"]`);
}

async function open(page: Page, path: string): Promise<void> {
  await page.getByTestId('pick-files').setInputFiles(path);
  await expect(page.getByTestId('compatibility')).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('an x86_64-only Mach-O runs on Apple Silicon under Rosetta 2, natively on Intel, nowhere else', async ({ page }) => {
  await open(page, MACHO_X86);
  await expect(cell(page, 'macos-arm64')).toHaveAttribute('data-verdict', 'rosetta');
  await expect(cell(page, 'macos-arm64')).toContainText('Rosetta 2');
  await expect(cell(page, 'macos-x86_64')).toHaveAttribute('data-verdict', 'native');
  for (const t of ['ios-arm64', 'linux-arm64-glibc', 'linux-arm64-musl', 'linux-x86_64-glibc', 'linux-x86_64-musl']) {
    await expect(cell(page, t)).toHaveAttribute('data-verdict', 'no');
  }
  await expect(cell(page, 'linux-x86_64-glibc')).toContainText('Linux runs only ELF files');
  // The answer before anything else, in one line.
  await expect(page.getByTestId('answer')).toHaveText(
    'Runs on macOS (Intel) and macOS (Apple Silicon) under Rosetta 2; not on the other 5 platforms.',
  );
  // The matrix comes before the findings, the findings before the details.
  const order = await page.evaluate(() =>
    ['answer', 'compatibility', 'findings', 'identity'].map(
      (id) => document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect().top,
    ),
  );
  expect(order).toEqual([...order].sort((a, b) => a - b));
  await expect(page.getByTestId('findings').locator('[data-id="macho-x86_64-only"]')).toBeVisible();
});

test('a universal binary: each Apple target names the slice it would run', async ({ page }) => {
  await open(page, MACHO_UNIVERSAL);
  await expect(cell(page, 'macos-arm64')).toHaveAttribute('data-verdict', 'native');
  await expect(cell(page, 'macos-arm64')).toContainText('arm64 slice');
  await expect(cell(page, 'macos-arm64')).toContainText(/uses slice 1 \(arm64\)/);
  await expect(cell(page, 'macos-x86_64')).toHaveAttribute('data-verdict', 'native');
  await expect(cell(page, 'macos-x86_64')).toContainText(/uses slice 0 \(x86_64\)/);
  await expect(cell(page, 'ios-arm64')).toHaveAttribute('data-verdict', 'no');
  await expect(cell(page, 'ios-arm64')).toContainText('built for macOS, not iOS');
});

test('a static arm64 ELF runs on any arm64 Linux, glibc or musl', async ({ page }) => {
  await open(page, ELF_STATIC);
  for (const t of ['linux-arm64-glibc', 'linux-arm64-musl']) {
    await expect(cell(page, t)).toHaveAttribute('data-verdict', 'native');
    await expect(cell(page, t)).toContainText('statically linked');
  }
  await expect(cell(page, 'linux-x86_64-glibc')).toHaveAttribute('data-verdict', 'no');
  await expect(cell(page, 'macos-arm64')).toContainText('macOS and iOS run only Mach-O files');
});

test('a dynamic arm64 ELF needs the C library it was linked against', async ({ page }) => {
  await open(page, ELF_MUSL);
  await expect(cell(page, 'linux-arm64-musl')).toHaveAttribute('data-verdict', 'native');
  await expect(cell(page, 'linux-arm64-glibc')).toHaveAttribute('data-verdict', 'no');
  await expect(cell(page, 'linux-arm64-glibc')).toContainText("musl's loader /lib/ld-musl-aarch64.so.1");

  await open(page, ELF_GLIBC);
  await expect(cell(page, 'linux-arm64-glibc')).toHaveAttribute('data-verdict', 'native');
  await expect(cell(page, 'linux-arm64-musl')).toHaveAttribute('data-verdict', 'no');
  await expect(cell(page, 'linux-arm64-musl')).toContainText('gcompat');
  // The error a person would see is one click away.
  await cell(page, 'linux-arm64-musl')
    .getByText(/you would see/)
    .click();
  await expect(cell(page, 'linux-arm64-musl').locator('pre')).toHaveText(/no such file or directory/);
});

test('an unsigned arm64 Mach-O is killed on Apple Silicon, and the findings say how to sign it', async ({ page }) => {
  await open(page, MACHO_UNSIGNED);
  await expect(cell(page, 'macos-arm64')).toHaveAttribute('data-verdict', 'no');
  await expect(cell(page, 'macos-arm64')).toContainText('not signed');
  await cell(page, 'macos-arm64')
    .getByText(/you would see/)
    .click();
  await expect(cell(page, 'macos-arm64').locator('pre')).toHaveText('Killed: 9');
  const f = page.getByTestId('findings').locator('[data-id="macho-unsigned-arm64"]');
  await expect(f).toBeVisible();
  await expect(f).toContainText(/codesign/);
  await expect(page.getByTestId('answer')).toHaveText('Runs on none of the 7 platforms binlens checks.');
});

test('"my target" leads the answer, is highlighted, and persists across a reload', async ({ page }) => {
  await open(page, MACHO_UNSIGNED);
  await page.getByTestId('my-target').selectOption('macos-arm64');
  await expect(page.getByTestId('answer')).toHaveText('On macOS (Apple Silicon): will not run');
  await expect(page.getByTestId('answer-detail')).toHaveText(
    'because the arm64 code is not signed, and Apple Silicon kills any process that runs unsigned arm64 code.',
  );
  await expect(cell(page, 'macos-arm64')).toHaveAttribute('aria-current', 'true');
  await expect(cell(page, 'macos-arm64')).toContainText('your target');

  await page.reload();
  await open(page, ELF_GLIBC);
  await expect(page.getByTestId('my-target')).toHaveValue('macos-arm64');
  await expect(cell(page, 'macos-arm64')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('answer-detail')).toContainText('because macOS and iOS run only Mach-O files');

  // With no target chosen, each cell offers itself; picking one leads the answer.
  await page.getByTestId('my-target').selectOption('');
  await expect(page.getByTestId('answer')).toHaveText('Runs on Linux arm64 (glibc); not on the other 6 platforms.');
  await cell(page, 'linux-arm64-glibc').getByRole('button', { name: 'This is my target' }).click();
  await expect(page.getByTestId('answer')).toHaveText('On Linux arm64 (glibc): runs natively.');
  await expect(cell(page, 'linux-arm64-glibc')).toHaveAttribute('aria-current', 'true');
  await expect(cell(page, 'macos-arm64')).not.toHaveAttribute('aria-current', 'true');
});

test('a universal binary opens at the slice my target would run', async ({ page }) => {
  await page.evaluate(() => localStorage.setItem('binlens.myTarget', 'macos-arm64'));
  await page.reload();
  await open(page, MACHO_UNIVERSAL);
  await expect(page.getByRole('tab', { selected: true })).toContainText('arm64');
  await expect(page.getByRole('tab', { selected: true })).toContainText('your target');
  await expect(page.getByTestId('identity')).toContainText('slice 2 of 2');
});

test('the folder table has a verdict column per target, my target highlighted', async ({ page }, info) => {
  const dir = info.outputPath('release');
  mkdirSync(dir, { recursive: true });
  copyFileSync(MACHO_X86, join(dir, 'tool-macos-x86_64'));
  copyFileSync(MACHO_UNIVERSAL, join(dir, 'tool-macos-universal'));
  copyFileSync(ELF_MUSL, join(dir, 'tool-linux-arm64-musl'));
  copyFileSync(ELF_STATIC, join(dir, 'tool-linux-arm64-static'));
  await page.evaluate(() => localStorage.setItem('binlens.myTarget', 'linux-arm64-musl'));
  await page.reload();
  await page.getByTestId('pick-folder').setInputFiles(dir);
  const table = page.getByTestId('folder-table');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('thead th[data-target]')).toHaveCount(7);

  const verdict = (file: string, target: string) => table.locator('tbody tr', { hasText: file }).locator(`td[data-target="${target}"]`);
  await expect(verdict('tool-linux-arm64-musl', 'linux-arm64-musl')).toHaveAttribute('data-verdict', 'native');
  await expect(verdict('tool-linux-arm64-musl', 'linux-arm64-glibc')).toHaveAttribute('data-verdict', 'no');
  await expect(verdict('tool-linux-arm64-musl', 'linux-arm64-glibc')).toHaveAttribute('title', /musl's loader/);
  await expect(verdict('tool-linux-arm64-static', 'linux-arm64-glibc')).toHaveAttribute('data-verdict', 'native');
  await expect(verdict('tool-macos-x86_64', 'macos-arm64')).toHaveAttribute('data-verdict', 'rosetta');
  await expect(verdict('tool-macos-universal', 'macos-arm64')).toHaveAttribute('data-verdict', 'native');
  await expect(verdict('tool-macos-universal', 'macos-arm64')).toHaveText('✓');
  await expect(verdict('tool-macos-x86_64', 'macos-arm64')).toHaveText('↻');
  await expect(verdict('tool-macos-x86_64', 'macos-arm64').getByRole('img')).toHaveAccessibleName(
    /^macOS \(Apple Silicon\): runs under Rosetta 2\./,
  );

  // My target's column is marked; the line above the table counts what runs there.
  await expect(table.locator('thead th.mine')).toHaveAttribute('data-target', 'linux-arm64-musl');
  await expect(table.locator('tbody td.mine')).toHaveCount(4);
  await expect(page.getByTestId('folder-target-summary')).toHaveText('On Linux arm64 (musl, Alpine): 2 of 4 binaries run, 2 will not.');

  // Sorting by a target puts what runs there first.
  await table.locator('thead th[data-target="macos-arm64"] button').click();
  await expect(table.locator('tbody tr td.name button')).toHaveText([
    'tool-macos-universal',
    'tool-macos-x86_64',
    'tool-linux-arm64-musl',
    'tool-linux-arm64-static',
  ]);
});

test("a cut-short copy runs nowhere: the matrix says why in the loader's words, and nothing is guessed from a header alone", async ({
  page,
}) => {
  // The ELF header alone: the program headers it points to are gone.
  await page
    .getByTestId('pick-files')
    .setInputFiles({ name: 'cut', mimeType: 'application/octet-stream', buffer: readFileSync(ELF_GLIBC).subarray(0, 64) });
  await expect(page.getByTestId('compatibility')).toBeVisible();
  for (const t of TARGETS) {
    await expect(cell(page, t)).toHaveAttribute('data-verdict', 'no');
  }
  await expect(cell(page, 'linux-arm64-glibc')).toContainText('its program headers need 0x40–');
  await cell(page, 'linux-arm64-glibc')
    .getByText(/you would see/)
    .click();
  await expect(cell(page, 'linux-arm64-glibc').locator('pre')).toHaveText('bash: ./cut: cannot execute binary file: Exec format error');
  await expect(page.getByTestId('headline')).toHaveText('arm64 executable or shared library, linkage unknown (file truncated)');
  await expect(page.getByTestId('errors').locator('h3')).toContainText('The file is cut short: it ends at 0x40');
  const findings = page.getByTestId('findings');
  await expect(findings.locator('[data-id]')).toHaveCount(1);
  await expect(findings.locator('[data-id="file-truncated"]')).toContainText('sha256sum cut');
  await expect(page.getByTestId('linkage')).toContainText('Linkage unknown (file truncated)');
  await expect(page.getByTestId('features-incomplete')).toBeVisible();
  await expect(page.getByTestId('report')).not.toContainText('Statically linked');
});

test('an answer that cannot be told for some targets does not say it runs on none', async ({ page }) => {
  // Only the section headers are gone: what the loader maps is all there, so Linux arm64 cannot be told.
  const whole = readFileSync(ELF_STATIC);
  await page
    .getByTestId('pick-files')
    .setInputFiles({ name: 'cut', mimeType: 'application/octet-stream', buffer: whole.subarray(0, whole.length >> 1) });
  await expect(cell(page, 'linux-arm64-glibc')).toHaveAttribute('data-verdict', 'unknown');
  await expect(page.getByTestId('answer')).toHaveText(
    'Will not run on 5 of the 7 platforms binlens checks; binlens cannot tell for the other 2.',
  );
});
