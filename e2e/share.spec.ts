// Permalinks in the page: Copy link, opening a link in a fresh browser,
// damaged and hostile links, and `?url=` asking before it fetches.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as plainTest, type Browser, type Page } from '@playwright/test';
import { decodePermalink, encodePermalink, MAX_FRAGMENT } from '../src/share/index.ts';
import type { Report } from '../src/report/types.ts';
import { ELF_HELLO, MACHO_EXE, ROOT, expect, test } from './helpers.ts';

const PACBTI = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-glibc-pie-pacbti');

/** What a person compares between the live report and the shared one. */
const SECTIONS = ['headline', 'answer', 'compatibility', 'findings', 'identity', 'features', 'arm64-scanned', 'arm64-pac', 'arm64-bti'];

async function sectionTexts(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of SECTIONS) {
    const loc = page.getByTestId(id);
    out[id] = (await loc.count()) > 0 ? (await loc.first().innerText()).trim() : '(absent)';
  }
  out.libraries = (await page.getByTestId('libraries').locator('.libname').allInnerTexts()).join('\n');
  return out;
}

/** A page in a new context (no storage, no clipboard, no service worker shared with the first), failing on page errors. */
async function freshPage(
  browser: Browser,
  baseURL: string | undefined,
): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, problems, close: () => context.close() };
}

function cli(args: string[]): string {
  return execFileSync('npx', ['tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 << 20,
  });
}

test.describe('Copy link', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('the copied link opens the same report read-only in a fresh browser: verdict, libraries, PAC/BTI counts', async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await page.getByTestId('pick-files').setInputFiles(PACBTI);
    await expect(page.getByTestId('arm64-pac')).toBeVisible();
    const live = await sectionTexts(page);
    expect(live.libraries).toContain('libc.so.6');

    await page.getByTestId('copy-link').click();
    const status = page.getByTestId('link-status');
    await expect(status).toContainText('Link copied');
    await expect(status).toContainText(/Link copied\s*\d+(\.\d+)? KB/);
    await expect(page.getByTestId('link-omitted')).toBeVisible();
    const url = await page.getByTestId('link-url').inputValue();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    expect(url.startsWith(`${new URL(page.url()).origin}/#r1.`)).toBe(true);

    const fresh = await freshPage(browser, baseURL);
    try {
      await fresh.page.goto(url);
      await expect(fresh.page.getByTestId('shared-banner')).toContainText('Shared report — binary not attached');
      await expect(fresh.page.getByTestId('arm64-pac')).toBeVisible();
      const shared = await sectionTexts(fresh.page);
      expect(shared).toEqual(live);
      // Tables that need the bytes say so instead of pretending.
      await expect(fresh.page.getByTestId('symbols-detached')).toBeVisible();
      expect(fresh.problems).toEqual([]);
    } finally {
      await fresh.close();
    }

    // The CLI's `link` for the same file carries the very same report and
    // `omitted` (same report pipeline, same JSON budget); only the compressed
    // characters differ (Node's zlib, not Chromium's), so compare what opens.
    const base = `${new URL(page.url()).origin}/`;
    const cliUrl = cli(['link', PACBTI, '--base', base]).trim();
    expect(cliUrl.startsWith(`${base}#r1.`)).toBe(true);
    expect(JSON.parse(cli(['report', '--from-link', cliUrl, '--json']))).toEqual(JSON.parse(cli(['report', '--from-link', url, '--json'])));
    const decoded = await decodePermalink(url);
    expect(decoded.ok).toBe(true);
  });

  test('a link typed into the same tab (hashchange) opens it; clearing the hash goes back to the start page', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('pick-files').setInputFiles(MACHO_EXE);
    await expect(page.getByTestId('headline')).toHaveText(/arm64 executable for macOS/);
    await page.getByTestId('copy-link').click();
    const url = await page.getByTestId('link-url').inputValue();
    const fragment = url.slice(url.indexOf('#'));

    await page.getByTestId('home').click();
    await expect(page.getByTestId('history')).toBeVisible();
    await page.evaluate((f) => (location.hash = f), fragment);
    await expect(page.getByTestId('shared-banner')).toBeVisible();
    await expect(page.getByTestId('headline')).toHaveText(/arm64 executable for macOS/);
    await expect(page.getByTestId('libraries').locator('.libname')).toHaveText([
      '/usr/lib/libSystem.B.dylib',
      '@rpath/libgreet.dylib',
      '@rpath/libopt.dylib',
    ]);

    await page.evaluate(() => (location.hash = ''));
    await expect(page.getByTestId('shared-banner')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: /Drop an executable/ })).toBeVisible();

    // Dropping a file over a shared report replaces it and takes the link out of the address.
    await page.evaluate((f) => (location.hash = f), fragment);
    await expect(page.getByTestId('shared-banner')).toBeVisible();
    await page.getByTestId('pick-files').setInputFiles(ELF_HELLO);
    await expect(page.getByTestId('headline')).toHaveText(/Linux/);
    await expect(page.getByTestId('shared-banner')).toHaveCount(0);
    expect(new URL(page.url()).hash).toBe('');
  });
});

test.describe('damaged and hostile links', () => {
  let good = '';
  let report: Report;

  test.beforeAll(async () => {
    // The CLI starts through tsx: slow on a loaded machine.
    test.setTimeout(120_000);
    report = JSON.parse(cli(['report', ELF_HELLO, '--json'])) as Report;
    good = (await encodePermalink(report, { base: 'http://x/' })).fragment;
  });

  const expectOnlyError = async (page: Page, message: RegExp, advice = /cut short or changed .* Ask whoever sent it to send it again/) => {
    const err = page.getByTestId('link-error');
    await expect(err).toBeVisible();
    await expect(err).toContainText('This link cannot be opened');
    // What to do first; the technical reason behind "Technical detail", closed.
    await expect(page.getByTestId('link-advice')).toHaveText(advice);
    const detail = page.getByTestId('link-detail');
    await expect(detail).toContainText(message);
    await expect(detail.getByText(message)).toBeHidden();
    await detail.getByText('Technical detail').click();
    await expect(detail.getByText(message)).toBeVisible();
    await expect(page.getByTestId('report')).toHaveCount(0);
    await expect(page.getByTestId('shared-banner')).toHaveCount(0);
    await expect(page.getByTestId('toolbar')).toHaveCount(0);
  };

  test('a changed character, a cut-off link and garbage each give one clear error and nothing else', async ({ page }) => {
    test.setTimeout(60_000);
    const mid = Math.floor(good.length / 2);
    const flipped = good.slice(0, mid) + (good[mid] === 'A' ? 'B' : 'A') + good.slice(mid + 1);
    const cases: [string, RegExp][] = [
      [flipped, /damaged link/],
      [good.slice(0, Math.floor(good.length * 0.6)), /damaged link/],
      ['r1.!!!not*base64', /damaged link/],
      ['hello', /not a binlens link/],
    ];
    for (const [fragment, message] of cases) {
      await page.goto(`/#${fragment}`);
      await expectOnlyError(
        page,
        message,
        message.source === 'not a binlens link' ? /carries no binlens report.*copied all of it, or ask for the link again/ : undefined,
      );
    }
    // From the error, the start page is one click away and the address is clean.
    await page.getByRole('button', { name: 'Go to the start page' }).click();
    await expect(page.getByRole('heading', { name: /Drop an executable/ })).toBeVisible();
    expect(new URL(page.url()).hash).toBe('');
  });

  test('a link from a newer binlens says so', async ({ page }) => {
    await page.goto(`/#r9.${good.slice(3)}`);
    await expectOnlyError(page, /made by a newer binlens \(link v9\)/, /newer version of binlens than this page\. Reload the page/);
  });

  test('an oversized fragment is refused at once, without inflating it', async ({ page }) => {
    const t0 = Date.now();
    await page.goto(`/#r1.${'A'.repeat(MAX_FRAGMENT + 10)}`);
    await expectOnlyError(page, /link too long/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('a link that had to leave rows out opens with what is missing, named', async ({ page }) => {
    const big: Report = structuredClone(report);
    const slice = big.slices[0]!;
    const one = slice.sections[0]!;
    slice.sections = Array.from({ length: 3000 }, (_, i) => ({ ...one, name: `.text.fn${i}` }));
    const link = await encodePermalink(big, { base: 'http://x/' });
    expect(link.omitted.sections?.total).toBe(3000);
    const kept = link.omitted.sections!.kept;
    await page.goto(`/#${link.fragment}`);
    await expect(page.getByTestId('shared-omitted')).toContainText('some rows were left out');
    await expect(page.getByTestId('omitted')).toContainText(`sections: ${kept} of 3000 kept`);
  });

  test('markup inside a valid link stays text: no element, no script, no dialog', async ({ page }) => {
    const evil = '<img src=x onerror="window.__pwned=1;alert(1)">';
    const hostile: Report = structuredClone(report);
    hostile.file.name = `${evil}.so`;
    const slice = hostile.slices[0]!;
    const lib = `<script>window.__pwned=2</script>${evil}`;
    slice.libraries[0] = lib;
    slice.libraryDetails[0]!.name = lib;
    hostile.warnings = [`<b onmouseover="window.__pwned=3">bold</b>`];
    const link = await encodePermalink(hostile, { base: 'http://x/' });
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`/#${link.fragment}`);
    await expect(page.getByTestId('shared-banner')).toBeVisible();
    await expect(page.getByTestId('report')).toContainText(`${evil}.so`);
    await expect(page.getByTestId('libraries')).toContainText('<script>window.__pwned=2</script>');
    expect(await page.locator('main img, main script, main b[onmouseover]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
  });
});

test.describe('?url=', () => {
  test('names the file and fetches nothing until the user confirms, then analyzes it', async ({ page }) => {
    const bytes = readFileSync(ELF_HELLO);
    let fetched = 0;
    await page.route(
      (u) => u.pathname === '/downloads/hello-arm64',
      async (route) => {
        fetched++;
        await route.fulfill({ status: 200, body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      },
    );
    await page.goto('/?url=/downloads/hello-arm64');
    const ask = page.getByTestId('open-url');
    await expect(ask).toContainText('Analyze the file at this address?');
    await expect(page.getByTestId('open-url-address')).toHaveText(`${new URL(page.url()).origin}/downloads/hello-arm64`);
    await page.waitForTimeout(1000);
    expect(fetched).toBe(0);

    await page.getByTestId('open-url-confirm').click();
    await expect(page.getByTestId('headline')).toHaveText(/^(aarch64|arm64) executable for Linux/);
    expect(fetched).toBe(1);
    await expect(page.getByTestId('open-url')).toHaveCount(0);
    expect(new URL(page.url()).search).toBe('');
  });

  // Not guarded: Chromium logs every 404 as a console error, which is the point here.
  plainTest('a failed fetch says why; cancel drops the request from the address', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(
      (u) => u.pathname === '/downloads/missing',
      (route) => route.fulfill({ status: 404, body: 'no' }),
    );
    await page.goto('/?url=/downloads/missing');
    await page.getByTestId('open-url-confirm').click();
    await expect(page.getByTestId('open-url-error')).toContainText('the server answered 404');
    await page.getByTestId('open-url-cancel').click();
    await expect(page.getByTestId('open-url')).toHaveCount(0);
    expect(new URL(page.url()).search).toBe('');
    expect(errors).toEqual([]);
  });

  test('a file on another site is named with the reason it cannot be fetched, and nothing is requested', async ({ page }) => {
    await page.goto('/?url=https://github.com/example/tool/releases/download/v1/tool-linux-arm64');
    const ask = page.getByTestId('open-url');
    await expect(ask).toContainText('another site');
    await expect(ask).toContainText("connect-src 'self'");
    await expect(ask).toContainText('tool-linux-arm64');
    await expect(page.getByTestId('open-url-confirm')).toHaveCount(0);
    // The guard fixture fails the test if any request left the origin.
  });

  test('a javascript: address is refused', async ({ page }) => {
    await page.goto('/?url=javascript:alert(1)');
    await expect(page.getByTestId('open-url')).toContainText('only http and https');
    await expect(page.getByTestId('open-url-confirm')).toHaveCount(0);
  });
});
