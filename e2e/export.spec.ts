// Downloads from the toolbar: the report as JSON (the CLI's `report --json`
// for the same file), as Markdown, and the findings as SARIF.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import type { Report } from '../src/report/types.ts';
import { toMarkdown, toSarif } from '../src/share/index.ts';
import { MACHO_UNIVERSAL, ROOT, expect, test } from './helpers.ts';

const PACBTI = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-glibc-pie-pacbti');

function cliReport(file: string): Report {
  const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'report', file, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out) as Report;
}

async function download(page: Page, testid: string): Promise<{ name: string; text: string }> {
  const [dl]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

for (const file of [PACBTI, MACHO_UNIVERSAL]) {
  const base = file.split('/').pop()!;

  test(`${base}: JSON, Markdown and SARIF downloads equal what the CLI's report gives`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await page.getByTestId('pick-files').setInputFiles(file);
    await expect(page.getByTestId('headline')).toBeVisible();
    await expect(page.getByTestId('compatibility')).toBeVisible();

    const json = await download(page, 'export-json');
    expect(json.name).toBe(`${base}.binlens.json`);
    const fromPage = JSON.parse(json.text) as Report;
    const fromCli = cliReport(file);
    // Whole-report equality. The fields that can depend on where the report
    // was made: `file.name` is the name the browser gives the File (the
    // picked file's base name, as the CLI prints), and an arm64 slice's
    // `arm64` section needs the .wasm engine (the CLI reports without it,
    // with a warning, when src/engine/build is missing; the build makes it).
    expect(fromPage.file.name).toBe(base);
    expect(fromCli.file.name).toBe(base);
    expect(fromPage).toEqual(fromCli);
    expect(json.text).toBe(JSON.stringify(fromCli, null, 2) + '\n');

    const md = await download(page, 'export-md');
    expect(md.name).toBe(`${base}.binlens.md`);
    expect(md.text).toBe(toMarkdown(fromCli));
    expect(md.text).toContain('|');

    const sarif = await download(page, 'export-sarif');
    expect(sarif.name).toBe(`${base}.sarif`);
    expect(sarif.text).toBe(toSarif(fromCli));
    const log = JSON.parse(sarif.text) as {
      version: string;
      runs: { tool: { driver: { name: string } }; results: { ruleId: string }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver.name).toBe('binlens');
    expect(log.runs[0]!.results.map((r) => r.ruleId).sort()).toEqual((fromCli.findings ?? []).map((f) => f.id).sort());
  });
}

test('a report opened from a link exports what the link carries, marked as shared', async ({ page }) => {
  test.setTimeout(60_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByTestId('pick-files').setInputFiles(PACBTI);
  await expect(page.getByTestId('compatibility')).toBeVisible();
  const live = JSON.parse((await download(page, 'export-json')).text) as Report;
  await page.getByTestId('copy-link').click();
  const url = await page.getByTestId('link-url').inputValue();
  await page.goto(url);
  await expect(page.getByTestId('shared-banner')).toBeVisible();
  const shared = JSON.parse((await download(page, 'export-json')).text) as Report & { shared?: boolean };
  expect(shared.shared).toBe(true);
  expect(shared.compatibility).toEqual(live.compatibility);
  expect(shared.findings).toEqual(live.findings);
  expect(shared.file).toEqual(live.file);
});
