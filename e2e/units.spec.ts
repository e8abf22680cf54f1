// A unit dropped on the page: a container image tar, put together here from
// the project's fixtures (tar writer), opens as one verdict per target with
// the failing member and step; a member row opens that member's report.
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, dropFiles, expect, test } from './helpers.ts';
import { patched, signedApp } from '../test/signed-app.ts';
import { ar, gzip, tar, zip } from '../test/tar-writer.ts';
import { testIdentity } from '../fixtures/codesign/signer.ts';

const bin = (n: string) => new Uint8Array(readFileSync(join(ROOT, 'fixtures/elf/bin', n)));

/** A docker-save tarball: an arm64 image whose base is musl (a loader at /lib/ld-musl-aarch64.so.1) and whose program wants glibc's. */
async function muslImageWithGlibcApp(): Promise<Buffer> {
  const layer0 = tar([
    { name: 'lib/', type: 'dir' },
    { name: 'lib/ld-musl-aarch64.so.1', data: bin('aarch64-static-pie') },
  ]);
  const layer1 = await gzip(
    tar([
      { name: 'app', data: bin('aarch64-glibc-pie-pacbti') },
      { name: 'etc/motd', data: 'hello\u001b[31m\n' },
    ]),
  );
  const cfg = JSON.stringify({ architecture: 'arm64', os: 'linux', config: { Entrypoint: ['/app'] } });
  return Buffer.from(
    tar([
      { name: 'c.json', data: cfg },
      { name: 'base/layer.tar', data: layer0 },
      { name: 'app/layer.tar.gz', data: layer1 },
      {
        name: 'manifest.json',
        data: JSON.stringify([{ Config: 'c.json', RepoTags: ['app:\u202etest'], Layers: ['base/layer.tar', 'app/layer.tar.gz'] }]),
      },
    ]),
  );
}

test('an image tar dropped: the unit verdict, the failing member and its step; a member opens its report', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [{ name: 'app-image.tar', bytes: await muslImageWithGlibcApp() }]);
  const view = page.getByTestId('unit-view');
  await expect(view).toBeVisible();
  await expect(view.getByRole('heading', { level: 2 })).toContainText('Container image: app-image.tar');
  const verdict = page.getByTestId('unit-verdict');
  await expect(verdict).toHaveCount(1);
  await expect(verdict).toHaveAttribute('data-target', 'linux-arm64-musl');
  await expect(verdict).toHaveAttribute('data-verdict', 'no');
  await expect(verdict).toContainText('The interpreter /lib/ld-linux-aarch64.so.1 is not in the image');
  await expect(page.getByTestId('unit-failing-member')).toHaveText('/app');
  await expect(page.getByTestId('unit-failure')).toContainText('exec /app: no such file or directory');
  await expect(page.getByTestId('unit-failure')).toContainText('the interpreter (PT_INTERP)');
  // The reference carries a right-to-left override: drawn as a marked escape, not applied.
  await expect(page.getByTestId('unit-image')).toContainText('\\u202e');

  // The member table lists the binaries; /app opens its own report, and back returns to the unit.
  await page.getByTestId('unit-member-open').filter({ hasText: '/app' }).click();
  await expect(page.getByTestId('headline')).toContainText(/executable for Linux/);
  await page.getByRole('button', { name: /app-image\.tar/ }).click();
  await expect(page.getByTestId('unit-view')).toBeVisible();
});

test('a zipped app whose library and resource changed after signing: "Killed: 9", the broken seal, the nested code', async ({ page }) => {
  const C = 'Hello.app/Contents/';
  const files = await signedApp((f) => {
    f.set(`${C}lib/libgreet.dylib`, patched(f.get(`${C}lib/libgreet.dylib`)!));
    f.set(`${C}Resources/greeting.txt`, new TextEncoder().encode('hello, there\n'));
  });
  await page.goto('/');
  await dropFiles(page, [{ name: 'Hello.zip', bytes: Buffer.from(zip([...files], true)) }]);
  const verdict = page.getByTestId('unit-verdict').and(page.locator('[data-target="macos-arm64"]'));
  await expect(verdict).toHaveAttribute('data-verdict', 'no');
  await expect(verdict.getByTestId('unit-failure').filter({ hasText: 'libgreet.dylib' })).toContainText('Killed: 9');
  const seal = page.getByTestId('bundle-signature');
  await expect(seal).toHaveAttribute('data-status', 'invalid');
  await expect(seal).toContainText('Seal broken');
  await expect(seal).toContainText('Info.plist matches, CodeResources matches');
  await expect(seal).toContainText('sealed files changed after signing (first /Hello.app/Contents/Resources/greeting.txt)');
  await expect(seal.getByTestId('nested-code').and(page.locator('[data-status="invalid"]'))).toContainText(
    '/Hello.app/Contents/lib/libgreet.dylib',
  );
  await expect(seal.getByTestId('nested-code').and(page.locator('[data-status="valid"]'))).toContainText('libextra.dylib');
});

test("an app's notarization preflight: a Developer ID main executable with the hardened runtime and ad-hoc libraries", async ({ page }) => {
  const id = await testIdentity('ABCDE12345', 'binlens test');
  const files = await signedApp(undefined, {
    main: { flags: 0x10000, teamId: 'ABCDE12345', cms: id, signingTime: new Date('2026-11-25T12:00:00Z') },
  });
  await page.goto('/');
  await dropFiles(page, [{ name: 'Hello.zip', bytes: Buffer.from(zip([...files], true)) }]);
  // Library validation refuses the ad-hoc libraries: the app does not start.
  const verdict = page.getByTestId('unit-verdict').and(page.locator('[data-target="macos-arm64"]'));
  await expect(verdict).toHaveAttribute('data-verdict', 'no');
  await expect(verdict.getByTestId('unit-failure').first()).toContainText(
    'mapping process and mapped file (non-platform) have different Team IDs',
  );

  const list = page.getByTestId('bundle-checklist');
  await expect(page.getByTestId('bundle-notarization')).toContainText('3 requirements not met');
  await expect(list.locator('[data-id="signature"]')).toHaveAttribute('data-state', 'pass');
  await expect(list.locator('[data-id="seal"]')).toHaveAttribute('data-state', 'pass');
  await expect(list.locator('[data-id="hardened-runtime"]')).toHaveAttribute('data-state', 'pass');
  const devId = list.locator('[data-id="developer-id"]');
  await expect(devId).toHaveAttribute('data-state', 'fail');
  await expect(devId).toContainText('The notary log says: “The binary is not signed with a valid Developer ID certificate.”');
  await expect(devId.getByRole('listitem')).toHaveText([
    '/Hello.app/Contents/lib/libextra.dylib',
    '/Hello.app/Contents/lib/libgreet.dylib',
  ]);
  await expect(list.locator('[data-id="library-validation"]')).toHaveAttribute('data-state', 'fail');
  await expect(list.locator('[data-id="notarized"]')).toContainText("only Apple's servers know");
  // axe: no serious problem in the app's signature and checklist, at desktop and phone widths, light and dark.
  for (const width of [1280, 390])
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      const axe = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .include('[data-testid="bundle-notarization"]')
        .include('[data-testid="bundle-signature"]')
        .analyze();
      expect(
        axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${width} ${colorScheme}: ${v.id}`),
      ).toEqual([]);
    }

  // The main executable opened from the unit: its own list answers the nested code from the bundle.
  await page.getByTestId('unit-member-open').filter({ hasText: '/Hello.app/Contents/MacOS/hello' }).click();
  const own = page.getByTestId('notarization');
  await expect(own.locator('[data-id="nested-code"]')).toHaveAttribute('data-state', 'fail');
  await expect(own.locator('[data-id="nested-code"]')).toContainText(
    'Signed ad-hoc, naming no developer: /Hello.app/Contents/lib/libextra.dylib',
  );
  await expect(own.locator('[data-id="library-validation"]')).toHaveAttribute('data-state', 'fail');
  // Its special slots 1 and 3 are answered from the app, not left to "drop the whole .app".
  await expect(page.getByTestId('signature-bundle-slots')).toContainText(
    'Checked with /Hello.app: its Info.plist (special slot 1) matches, its _CodeSignature/CodeResources (special slot 3) matches',
  );
  await expect(page.getByTestId('signature-check')).not.toContainText('drop the whole .app');
});

const unitFixture = (n: string) => readFileSync(join(ROOT, 'fixtures/units/lib', n));

test('static libraries dropped: the cgo link error for a mixed .a, and a universal (lipo) .a whose slice members open', async ({
  page,
}) => {
  await page.goto('/');
  await dropFiles(page, [{ name: 'libgreet-mixed.a', bytes: unitFixture('libgreet-mixed.a') }]);
  const arm = page.getByTestId('unit-verdict').and(page.locator('[data-target="macos-arm64"]'));
  await expect(arm).toHaveAttribute('data-verdict', 'no');
  await expect(arm.getByTestId('unit-failing-member')).toHaveText('/hello.o');
  await expect(arm.getByTestId('unit-failure')).toContainText(
    'ld: warning: ignoring file libgreet-mixed.a(hello.o), building for macOS-arm64 but attempting to link with file built for macOS-x86_64',
  );
  await expect(arm.getByTestId('unit-failure')).toContainText('linking');

  await page.goto('/');
  await dropFiles(page, [{ name: 'libgreet-universal.a', bytes: unitFixture('libgreet-universal.a') }]);
  await expect(page.getByTestId('unit-view').getByRole('heading', { level: 2 })).toContainText('Archive: libgreet-universal.a');
  await expect(page.getByTestId('unit-view')).toContainText('ar (universal)');
  await expect(page.getByTestId('unit-verdict')).toHaveCount(2);
  for (const t of ['macos-arm64', 'macos-x86_64'])
    await expect(page.getByTestId('unit-verdict').and(page.locator(`[data-target="${t}"]`))).toHaveAttribute('data-verdict', 'runs');
  // An object of the x86_64 slice opens its own report, found again inside its slice.
  await page.getByTestId('unit-member-open').filter({ hasText: '/x86_64!/greet.o' }).click();
  await expect(page.getByTestId('headline')).toContainText(/object/);
  await expect(page.getByTestId('headline')).toContainText(/x86_64/);
});

test('a .deb dropped: data.tar.gz opened, /usr/bin/hello judged on its target and opened', async ({ page }) => {
  const data = await gzip(
    tar([
      { name: './usr/', type: 'dir' },
      { name: './usr/bin/', type: 'dir' },
      { name: './usr/bin/hello', data: bin('aarch64-glibc-pie-pacbti') },
    ]),
  );
  const control = await gzip(tar([{ name: './control', data: 'Package: hello\nVersion: 1.0\nArchitecture: arm64\n' }]));
  const deb = ar([
    ['debian-binary', '2.0\n'],
    ['control.tar.gz', control],
    ['data.tar.gz', data],
  ]);
  await page.goto('/');
  await dropFiles(page, [{ name: 'hello_1.0_arm64.deb', bytes: Buffer.from(deb) }]);
  const verdict = page.getByTestId('unit-verdict');
  await expect(verdict).toHaveCount(1);
  await expect(verdict).toHaveAttribute('data-target', 'linux-arm64-glibc');
  await expect(verdict).toHaveAttribute('data-verdict', 'runs');
  await page.getByTestId('unit-member-open').filter({ hasText: '/data.tar.gz!/usr/bin/hello' }).click();
  await expect(page.getByTestId('headline')).toContainText(/executable for Linux/);
});

test('a wheel dropped whose tag names x86_64 and whose extension is arm64: the ImportError, the module named', async ({ page }) => {
  const info = 'greet-1.0.dist-info';
  const whl = zip(
    [
      ['greet/__init__.py', ''],
      ['greet/_greet.cpython-311-aarch64-linux-gnu.so', bin('aarch64-libversioned.so.1')],
      [`${info}/WHEEL`, 'Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-manylinux_2_17_x86_64\n'],
      [`${info}/METADATA`, 'Metadata-Version: 2.1\nName: greet\nVersion: 1.0\n'],
    ],
    true,
  );
  await page.goto('/');
  await dropFiles(page, [{ name: 'greet-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', bytes: Buffer.from(whl) }]);
  const verdict = page.getByTestId('unit-verdict');
  await expect(verdict).toHaveCount(1);
  await expect(verdict).toHaveAttribute('data-target', 'linux-x86_64-glibc');
  await expect(verdict).toHaveAttribute('data-verdict', 'no');
  await expect(verdict.getByTestId('unit-failing-member')).toHaveText('/greet/_greet.cpython-311-aarch64-linux-gnu.so');
  await expect(verdict).toContainText('Its tag manylinux_2_17_x86_64 says linux-x86_64-glibc');
  await expect(verdict.getByTestId('unit-failure')).toContainText('ImportError:');
});
