// The installed app: service worker precache (shell, worker chunk, the
// .wasm engine), loading and analyzing with the network off after one visit,
// the "new version" prompt, the manifest (icons, file handlers), files handed
// over by the operating system, and the CSP left strict.

import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as plainTest, type BrowserContext, type Page } from '@playwright/test';
import { ELF_HELLO, ROOT, dropFiles, expect, test } from './helpers.ts';

const PACBTI = join(ROOT, 'fixtures', 'elf', 'bin', 'aarch64-glibc-pie-pacbti');

/** First visit, wait for the service worker, then reload so it controls the page. */
async function installed(page: Page): Promise<void> {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** Paths of everything in the page's Cache Storage (Workbox's precache). */
async function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) out.push(new URL(req.url).pathname);
    }
    return out;
  });
}

test('the service worker precaches the shell, the analysis worker and the .wasm engine', async ({ page }) => {
  await installed(page);
  const paths = await cachedPaths(page);
  expect(paths).toContain('/index.html');
  expect(paths).toContain('/manifest.webmanifest');
  expect(paths.filter((p) => /^\/assets\/arm64-[\w-]+\.wasm$/.test(p))).toHaveLength(1);
  expect(paths.filter((p) => /^\/assets\/analyzer\.worker-[\w-]+\.js$/.test(p))).toHaveLength(1);
  expect(paths.filter((p) => /^\/assets\/index-[\w-]+\.js$/.test(p))).toHaveLength(1);
  expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
  // The cached engine is the real module, not an error page.
  const wasm = paths.find((p) => p.endsWith('.wasm'))!;
  const magic = await page.evaluate(async (p) => {
    const r = await caches.match(p);
    return r ? Array.from(new Uint8Array(await r.arrayBuffer()).slice(0, 4)) : null;
  }, wasm);
  expect(magic).toEqual([0x00, 0x61, 0x73, 0x6d]);
});

test('after one visit the app loads and analyzes a file with the network off', async ({ page, context }) => {
  test.setTimeout(60_000);
  await installed(page);
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByRole('heading', { name: /Drop an executable/ })).toBeVisible();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await dropFiles(page, [{ name: 'aarch64-glibc-pie-pacbti', bytes: readFileSync(PACBTI) }]);
    await expect(page.getByTestId('headline')).toHaveText(/executable for Linux/);
    await expect(page.getByTestId('compatibility')).toBeVisible();
    // The ARM64 engine ran: it came out of the precache.
    await expect(page.getByTestId('arm64-pac')).toBeVisible();
    await expect(page.getByTestId('arm64-unavailable')).toHaveCount(0);
    // The history works offline too.
    await page.getByTestId('home').click();
    await expect(page.getByTestId('history-item').first()).toContainText('aarch64-glibc-pie-pacbti');
  } finally {
    await context.setOffline(false);
  }
});

/**
 * The app served through a small proxy of its own on another port, so a test
 * can "deploy" a new version: the browser fetches the service worker script
 * itself (no page or context route sees that request), so the new bytes
 * have to come from the server.
 */
async function deployableServer(upstream: string): Promise<{ origin: string; deploy: () => void; close: () => Promise<void> }> {
  let version = 1;
  const server = createServer((req, res) => {
    void (async () => {
      const r = await fetch(new URL(req.url ?? '/', upstream));
      let body = Buffer.from(await r.arrayBuffer());
      if (req.url?.split('?')[0] === '/sw.js' && version > 1) body = Buffer.concat([body, Buffer.from(`\n// version ${version}\n`)]);
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    deploy: () => version++,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Served from the proxy's origin, which the guard would count as foreign: this test checks page errors itself.
plainTest('a waiting new version shows "A new version is available — Reload", and Reload switches to it', async ({ page, baseURL }) => {
  plainTest.setTimeout(60_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const app = await deployableServer(baseURL ?? 'http://localhost:5173');
  try {
    await page.goto(`${app.origin}/`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toHaveCount(0);

    app.deploy();
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await expect(prompt).toContainText('A new version of binlens is available.');
    // Nothing changes before the user says so: the new worker waits.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);

    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const r = await navigator.serviceWorker.getRegistration();
          return r?.waiting === null && r?.active !== null && navigator.serviceWorker.controller !== null;
        }),
      )
      .toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await app.close();
  }
});

async function pngSize(context: BrowserContext, path: string): Promise<[number, number]> {
  const res = await context.request.get(path);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('image/png');
  const b = await res.body();
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  // A PNG whose pixel data is garbage would still have a good header: inflate the image data too.
  let at = 8;
  const idat: Buffer[] = [];
  while (at < b.length) {
    const len = b.readUInt32BE(at);
    const type = b.subarray(at + 4, at + 8).toString('latin1');
    if (type === 'IDAT') idat.push(b.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  expect(inflateSync(Buffer.concat(idat)).length).toBeGreaterThan(0);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

test('the manifest makes it installable: icons 192 and 512 (any and maskable), file handlers for executables', async ({
  page,
  context,
}) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = (await (await context.request.get(href!)).json()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    icons: { src: string; sizes: string; purpose?: string }[];
    file_handlers: { action: string; accept: Record<string, string[]> }[];
  };
  expect(manifest.short_name).toBe('binlens');
  expect(manifest.display).toBe('standalone');
  for (const purpose of ['any', 'maskable']) {
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}` && (i.purpose ?? 'any') === purpose);
      expect(icon, `${purpose} ${size}`).toBeTruthy();
      expect(await pngSize(context, `/${icon!.src}`)).toEqual([size, size]);
    }
  }
  const accept = manifest.file_handlers[0]!.accept;
  expect(Object.keys(accept)).toEqual(
    expect.arrayContaining(['application/octet-stream', 'application/x-executable', 'application/x-mach-binary']),
  );
  const extensions = Object.values(accept).flat();
  for (const ext of ['.so', '.dylib', '.node', '.o', '.bin', '.elf']) expect(extensions).toContain(ext);
});

test('"Open with binlens": files from the launch queue are analyzed', async ({ page }) => {
  // Chromium only fills window.launchQueue for an installed app opened with
  // a file; stand in for it before the page's scripts run.
  await page.addInitScript(() => {
    const w = window as unknown as { __launch?: (p: unknown) => void };
    // An own property hides Chromium's read-only Window.prototype.launchQueue.
    Object.defineProperty(window, 'launchQueue', {
      configurable: true,
      value: {
        setConsumer(fn: (p: unknown) => void) {
          w.__launch = fn;
        },
      },
    });
  });
  await page.goto('/');
  await page.waitForFunction(() => typeof (window as unknown as { __launch?: unknown }).__launch === 'function');
  const b64 = readFileSync(ELF_HELLO).toString('base64');
  await page.evaluate((data) => {
    const bin = atob(data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const file = new File([bytes], 'hello.elf');
    (window as unknown as { __launch: (p: unknown) => void }).__launch({ files: [{ kind: 'file', getFile: async () => file }] });
  }, b64);
  await expect(page.getByTestId('headline')).toHaveText(/^(aarch64|arm64) executable for Linux/);
  await expect(page.getByTestId('report')).toContainText('hello.elf');
});

test('the CSP stays strict: no inline script, the service worker registered from a bundled module', async ({ page, context }) => {
  await page.goto('/');
  const html = await (await context.request.get('/')).text();
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval;');
  // Every <script> has a src: the registration is not inlined.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attrs, body] of scripts) {
    expect(attrs).toContain('src=');
    expect(body!.trim()).toBe('');
  }
  expect(html).not.toContain('registerSW.js');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first-load bundle does not carry Workbox's window code (it loads after the first paint).
  const entry = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
  expect(entry).toBeTruthy();
  const main = await (await context.request.get(entry!)).text();
  expect(main).not.toContain('messageSkipWaiting');
});
