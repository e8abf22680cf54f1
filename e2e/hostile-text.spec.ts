// Control and bidi characters from a binary are drawn visibly on the page,
// never left raw in the DOM (issue #13), and a 1 MB symbol name is shortened
// with a way to see it whole.

import { buildElf, dynamic, strtab, symtab64 } from '../test/elf-writer.ts';
import { expect, test } from './helpers.ts';

const CLEAR = '\x1b[2J\x1b[H';
const LONG = 'L'.repeat(500_000) + CLEAR + 'M'.repeat(1_048_576 - 500_000 - CLEAR.length);
const NEEDED = [`lib${CLEAR}.so`, 'libgpj\u202eexe.so'];
const INTERP = '/lib/ld\x07-linux-aarch64.so.1';
const SYMBOLS = [LONG, 'short\u202eexe', 'title\x1b]0;pwned\x07'];

/** An AArch64 executable whose DT_NEEDED, PT_INTERP and symbol names carry escapes, one name 1 MB long. */
function hostileElf(): Buffer {
  const dynstr = strtab(NEEDED);
  const str = strtab(SYMBOLS);
  // Symbols inside .text (the second at its fourth byte), so the size map names them too.
  const build = (strAt: number, textAt: number) =>
    buildElf({
      type: 2,
      machine: 183,
      sections: [
        { name: '.interp', type: 1, flags: 2n, data: new TextEncoder().encode(INTERP + '\0') },
        { name: '.dynstr', type: 3, flags: 2n, data: dynstr.data },
        { name: '.text', type: 1, flags: 6n, align: 4, data: new Uint8Array([0x1f, 0x20, 0x03, 0xd5, 0xc0, 0x03, 0x5f, 0xd6]) },
        {
          name: '.dynamic',
          type: 6,
          flags: 3n,
          align: 8,
          entsize: 16,
          link: 2,
          data: dynamic(true, true, [
            ...NEEDED.map((n): [number, number] => [1, dynstr.offsets[n]!]),
            [5, strAt],
            [10, dynstr.data.length],
            [0, 0],
          ]),
        },
        symtab64(
          6,
          SYMBOLS.map((n, i) => ({
            name: str.offsets[n]!,
            bind: 1,
            type: 2,
            shndx: 3,
            value: BigInt(textAt + (i === 1 ? 4 : 0)),
            size: 4n,
          })),
        ),
        { name: '.strtab', type: 3, data: str.data },
      ],
      segments: [
        { type: 3, flags: 4, sections: ['.interp'] },
        { type: 1, flags: 5, offset: 0, vaddr: 0n, sections: ['.interp', '.dynstr', '.text', '.dynamic'] },
        { type: 2, flags: 6, sections: ['.dynamic'] },
      ],
    });
  const first = build(0, 0);
  return Buffer.from(build(first.dataOffset['.dynstr']!, first.dataOffset['.text']!).bytes);
}

/** Raw control and bidi characters in the text of the page, as code points. */
function rawControls(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => {
    const found = new Set<string>();
    // eslint-disable-next-line no-control-regex -- finding control characters on the page is the test
    const re = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode())
      for (const m of (n.nodeValue ?? '').matchAll(re)) found.add(`U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
    for (const el of document.querySelectorAll('[title], [aria-label]')) {
      for (const a of ['title', 'aria-label'])
        for (const m of (el.getAttribute(a) ?? '').matchAll(re)) found.add(`U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${a}`);
    }
    return [...found];
  });
}

test('escapes from a binary are drawn as visible escapes; a 1 MB symbol name is shortened and can be seen whole', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await page
    .getByTestId('pick-files')
    .setInputFiles({ name: `hostile${CLEAR}.elf`, mimeType: 'application/octet-stream', buffer: hostileElf() });
  await expect(page.getByTestId('headline')).toBeVisible();

  await expect(page.getByTestId('libraries')).toContainText('lib\\x1b[2J\\x1b[H.so');
  await expect(page.getByTestId('libraries')).toContainText('libgpj\\u202eexe.so');
  await expect(page.getByTestId('linkage')).toContainText('/lib/ld\\x07-linux-aarch64.so.1');
  await expect(page.getByTestId('report')).toContainText('hostile\\x1b[2J\\x1b[H.elf');
  // Each escape is marked, and says what it stands for.
  await expect(page.getByTestId('libraries').locator('.ctl').first()).toHaveAttribute('title', 'U+001B ESCAPE');

  const symbolList = page.getByTestId('symbols');
  await symbolList.getByPlaceholder('Search symbols').fill('title');
  await expect(symbolList.locator('.row .name')).toHaveText(['title\\x1b]0;pwned\\x07']);
  await symbolList.getByPlaceholder('Search symbols').fill('short');
  await expect(symbolList.locator('.row .name')).toHaveText(['short\\u202eexe']);

  await symbolList.getByPlaceholder('Search symbols').fill('LLLLLLLL');
  const row = symbolList.locator('.row .name');
  await expect(row).toHaveCount(1);
  const more = row.getByRole('button', { name: 'show all 1,048,576 characters' });
  await expect(more).toBeVisible();
  expect((await row.textContent())!.length).toBeLessThan(400);
  await more.click();
  const whole = symbolList.getByTestId('shown-whole');
  await expect(whole).toBeVisible();
  expect(await whole.evaluate((e) => e.textContent!.length)).toBe(1_048_576 - CLEAR.length + '\\x1b[2J\\x1b[H'.length);
  expect(await whole.evaluate((e) => e.textContent!.slice(499_998, 500_014))).toBe('LL\\x1b[2J\\x1b[HM');
  await symbolList.getByRole('button', { name: 'Close' }).click();
  await expect(whole).toBeHidden();

  // The size map names the same symbols: in its table and treemap too, escaped and cut.
  const size = page.getByTestId('size-card');
  await size.locator('summary').click();
  await size.getByRole('button', { name: /^Zoom into LOAD r-x/ }).click();
  await size.getByRole('button', { name: 'Zoom into .text', exact: true }).click();
  await expect(size.getByTestId('size-tile').first()).toHaveAttribute('data-name', /^LLLL/);
  await expect(size.getByTestId('size-row').first()).toContainText('show all 1,048,576 characters');
  expect((await size.getByTestId('size-row').first().textContent())!.length).toBeLessThan(400);

  expect(await rawControls(page)).toEqual([]);
});
