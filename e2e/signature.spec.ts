// A Mach-O file changed after signing, dropped on the page: the answer says
// it is killed on Apple Silicon and why, the signature card names the page
// and segment that changed and gives the fix; the same file as signed is
// valid, with its certificate chain and timestamp read by the CMS reader,
// which the page loads only then.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, dropFiles, expect, test } from './helpers.ts';

const SIGNED = join(ROOT, 'fixtures', 'codesign', 'bin', 'signed-devid-arm64');

test('a tampered signed file: "Killed: 9", the page that changed, and the fix', async ({ page }) => {
  await page.goto('/');
  const bytes = Buffer.from(readFileSync(SIGNED));
  bytes[0x4000 + 0x2345] = bytes[0x4000 + 0x2345]! ^ 0xff; // page 1 of 16 KiB: __DATA_CONST
  await dropFiles(page, [{ name: 'patched-tool', bytes }]);

  const mac = page.getByTestId('compatibility').locator('[data-target="macos-arm64"]');
  await expect(mac).toHaveAttribute('data-verdict', 'no');
  await expect(mac).toContainText('code signature does not match the file');
  await expect(mac).toContainText('page 1 (0x4000–0x8000) of __DATA_CONST');
  await expect(mac).toContainText('Killed: 9');

  const finding = page.getByTestId('findings').locator('[data-id="macho-signature-invalid"]');
  await expect(finding).toBeVisible();
  await expect(finding).toContainText('codesign --force --sign - patched-tool');

  const check = page.getByTestId('signature-check');
  await expect(check).toHaveAttribute('data-status', 'invalid');
  await expect(page.getByTestId('signature-verdict')).toContainText(
    'The signature does not match the file: page 1 (0x4000–0x8000) of __DATA_CONST',
  );
  await expect(check).toContainText('Killed: 9');
  await expect(page.getByTestId('signature-fix')).toContainText('codesign --force --sign - patched-tool');
  await expect(page.getByTestId('signature-fix')).toContainText('--options runtime --timestamp');
  await expect(page.getByTestId('notarization').locator('[data-id="signature"]')).toHaveAttribute('data-state', 'fail');
  await expect(page.getByTestId('notarization').locator('[data-id="signature"]')).toContainText('The signature of the binary is invalid.');
});

test('the signed file as built: valid, with its certificate chain, signing time and timestamp; the CMS reader loads on demand', async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    scripts.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  await expect(page.getByTestId('pick-files')).toBeAttached();
  const before = scripts.length;
  await page.getByTestId('pick-files').setInputFiles(SIGNED);
  const check = page.getByTestId('signature-check');
  await expect(check).toHaveAttribute('data-status', 'valid');
  await expect(page.getByTestId('signature-verdict')).toContainText('All 4 code pages (16384 bytes each) and every special slot');
  const chain = page.getByTestId('signature-chain');
  await expect(chain.locator('li')).toHaveCount(3);
  await expect(chain.locator('li').first()).toContainText('CN=Developer ID Application: binlens test (ABCDE12345)');
  await expect(check).toContainText('2026-11-25T12:00:01.000Z');
  await expect(check).toContainText('can only be asked of Apple');
  await expect(page.getByTestId('compatibility').locator('[data-target="macos-arm64"]')).toHaveAttribute('data-verdict', 'native');
  // The notarization preflight, and the entitlements with what they grant.
  const notary = page.getByTestId('notarization');
  for (const id of ['signature', 'developer-id', 'hardened-runtime', 'timestamp', 'get-task-allow', 'hash', 'sdk'])
    await expect(notary.locator(`[data-id="${id}"]`)).toHaveAttribute('data-state', 'pass');
  for (const id of ['nested-code', 'library-validation', 'notarized'])
    await expect(notary.locator(`[data-id="${id}"]`)).toHaveAttribute('data-state', 'unknown');
  await expect(notary.locator('[data-id="notarized"]')).toContainText("Only Apple's notary service knows");
  await expect(page.getByTestId('entitlement-list').locator('[data-key="com.apple.security.cs.allow-jit"]')).toContainText('MAP_JIT');
  // The requirements blob is counted, not measured (this signer writes an empty set, as codesign does without -r), and
  // the entitlements property list is laid out by its own line feeds and tabs, not drawn with them marked.
  await expect(page.locator('dt:text-is("Requirements") + dd')).toHaveText('empty set');
  const ents = page.locator('pre[aria-label="Entitlements"]');
  await expect(ents).toContainText('<key>com.apple.security.cs.allow-jit</key>');
  await expect(ents.locator('.ctl')).toHaveCount(0);
  expect((await ents.innerText()).split('\n').length).toBeGreaterThan(5);
  // The CMS reader (PKI.js) is its own chunk, fetched after the first load, for this file.
  expect(scripts.slice(0, before).some((s) => /cms/i.test(s))).toBe(false);
  expect(scripts.slice(before).some((s) => /cms/i.test(s))).toBe(true);
});
