// Keyboard and screen-reader paths: a report that opens takes the focus to
// its headline and its verdict is announced; scrolling lists and tables are
// reachable by keyboard; and axe finds no serious problem (and no scrollable
// region out of the keyboard's reach) on the main views.

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildElf, strtab, symtab64 } from '../test/elf-writer.ts';
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

/** An AArch64 executable of `n` functions, each one `ret` named by a symbol (fn_000000…): a symbol list and a function table of `n` rows. */
function manyFunctions(n: number): Buffer {
  const names = Array.from({ length: n }, (_, i) => `fn_${String(i).padStart(6, '0')}`);
  const str = strtab(names);
  const text = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) text.set([0xc0, 0x03, 0x5f, 0xd6], 4 * i);
  const build = (textAt: number) =>
    buildElf({
      type: 2,
      machine: 183,
      entry: BigInt(textAt),
      sections: [
        { name: '.text', type: 1, flags: 6n, align: 4, data: text },
        symtab64(
          3,
          names.map((name, i) => ({ name: str.offsets[name]!, bind: 1, type: 2, shndx: 1, value: BigInt(textAt + 4 * i), size: 4n })),
        ),
        { name: '.strtab', type: 3, data: str.data },
      ],
      segments: [{ type: 1, flags: 5, offset: 0, vaddr: 0n, sections: ['.text'] }],
    });
  return Buffer.from(build(build(0).dataOffset['.text']!).bytes);
}

test('the function table and the symbol list of 100,000 rows move from row to row with the keyboard', async ({ page }) => {
  test.setTimeout(120_000);
  const N = 100_000;
  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles({ name: 'many', mimeType: 'application/octet-stream', buffer: manyFunctions(N) });
  await expect(page.getByTestId('function-count')).toHaveText('100,000 functions', { timeout: 60_000 });
  const fns = page.getByRole('list', { name: 'Functions' });
  /** The focused row: its place in the list as a screen reader says it ("3 of 100,000"), and its text. */
  const focused = (list: typeof fns) => list.locator('[role="listitem"]:focus');
  const at = async (list: typeof fns, n: number, name: string) => {
    await expect(focused(list)).toHaveAttribute('aria-posinset', String(n));
    await expect(focused(list)).toHaveAttribute('aria-setsize', String(N));
    await expect(focused(list)).toContainText(name);
    await expect(focused(list)).toBeInViewport();
  };

  await fns.focus();
  await page.keyboard.press('ArrowDown');
  await at(fns, 1, 'fn_000000');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await at(fns, 3, 'fn_000002');
  await page.keyboard.press('ArrowUp');
  await at(fns, 2, 'fn_000001');
  await page.keyboard.press('End');
  await at(fns, N, 'fn_099999');
  // Only the rows in view are in the page (and the focused one).
  expect(await fns.getByRole('listitem').count()).toBeLessThan(40);
  await page.keyboard.press('PageUp');
  const up = Number(await focused(fns).getAttribute('aria-posinset'));
  expect(up).toBeLessThan(N - 3);
  await at(fns, up, `fn_0${up - 1}`);
  await page.keyboard.press('PageDown');
  await at(fns, N, 'fn_099999');
  await page.keyboard.press('Home');
  await at(fns, 1, 'fn_000000');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  // Enter opens what a click opens: the listing at the function.
  const address = await focused(fns).locator('.row').getAttribute('data-address');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('listing').locator('.row.selected')).toHaveAttribute('data-address', address!);
  await expect(page.getByTestId('listing').locator('.row.selected')).toContainText('fn_000002:');

  // The symbol list moves the same way; a click on a row is where the keys go on from.
  const syms = page.getByRole('list', { name: 'Symbols' });
  await syms.scrollIntoViewIfNeeded();
  await syms.getByRole('listitem').nth(4).click();
  await page.keyboard.press('ArrowDown');
  await at(syms, 6, 'fn_000005');
  await page.keyboard.press('End');
  await at(syms, N, 'fn_099999');
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
