// The analysis worker is held by the page's Content-Security-Policy (issue
// #13): from inside it, a fetch, an XMLHttpRequest, a WebSocket, importScripts
// and a dynamic import aimed at another origin are all refused, online and
// offline (the app then comes out of the service worker's precache). The
// other origin is real: a server on another loopback port that counts every
// TCP connection it is offered, so "refused" means nothing left the page, not
// that nothing answered.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, type Page, type Worker } from '@playwright/test';

interface Target {
  origin: string;
  connections: () => number;
  close: () => Promise<void>;
}

/** A second origin on loopback that would answer everything (CORS open, a script for the imports) and counts connections. */
async function secondOrigin(): Promise<Target> {
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const js = req.url?.endsWith('.js');
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/plain', 'access-control-allow-origin': '*' });
    res.end(js ? 'self.__reached = true; export {};' : 'reached');
  });
  server.on('connection', () => connections++);
  // A WebSocket handshake that got this far would be an upgrade: answer it like a server would.
  server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The app served through a proxy of its own, so the test can take its server away and leave the precache. */
async function appProxy(upstream: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const r = await fetch(new URL(req.url ?? '/', upstream));
      const headers: Record<string, string> = {
        'content-type': r.headers.get('content-type') ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      };
      // Whatever policy header the app's own server sends is passed on: the proxy changes nothing.
      const csp = r.headers.get('content-security-policy');
      if (csp) headers['content-security-policy'] = csp;
      res.writeHead(r.status, headers);
      res.end(Buffer.from(await r.arrayBuffer()));
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The analysis worker (named `analyzer`), once the page has started it. */
async function analysisWorker(page: Page): Promise<Worker> {
  let found: Worker | undefined;
  await expect
    .poll(
      async () => {
        for (const w of page.workers()) {
          if ((await w.evaluate(() => self.name).catch(() => '')) === 'analyzer') found = w;
        }
        return found !== undefined;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return found!;
}

type Attempts = Record<'fetch' | 'xhr' | 'websocket' | 'importScripts' | 'import', string> & { violations: string[] };

/** Every way a worker can reach another origin, tried from inside it; what happened to each, and the CSP violations it raised. */
function tryEverything(worker: Worker, origin: string): Promise<Attempts> {
  return worker.evaluate(async (target) => {
    const violations: string[] = [];
    self.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => 'reached',
        (e: unknown) => `refused: ${e instanceof Error ? e.message : String(e)}`,
      );
    const fetchResult = await settle(fetch(`${target}/fetch`));
    const xhr = await new Promise<string>((resolve) => {
      try {
        const x = new XMLHttpRequest();
        x.onload = () => resolve('reached');
        x.onerror = () => resolve('refused: error event');
        x.open('GET', `${target}/xhr`);
        x.send();
      } catch (e) {
        resolve(`refused: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    const websocket = await new Promise<string>((resolve) => {
      try {
        const ws = new WebSocket(`${target.replace(/^http/, 'ws')}/ws`);
        ws.onopen = () => resolve('reached');
        ws.onerror = () => resolve('refused: error event');
      } catch (e) {
        resolve(`refused: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    let importScriptsResult: string;
    try {
      (self as unknown as { importScripts(u: string): void }).importScripts(`${target}/classic.js`);
      importScriptsResult = 'reached';
    } catch (e) {
      importScriptsResult = `refused: ${e instanceof Error ? e.message : String(e)}`;
    }
    const importResult = await settle(import(/* @vite-ignore */ `${target}/module.js`));
    // Violation events are queued tasks: let them arrive.
    await new Promise((r) => setTimeout(r, 500));
    return { fetch: fetchResult, xhr, websocket, importScripts: importScriptsResult, import: importResult, violations };
  }, origin);
}

function expectAllRefused(a: Attempts, target: Target): void {
  expect(a.fetch, 'fetch').toMatch(/^refused/);
  expect(a.xhr, 'XMLHttpRequest').toMatch(/^refused/);
  expect(a.websocket, 'WebSocket').toMatch(/^refused/);
  expect(a.importScripts, 'importScripts').toMatch(/^refused/);
  expect(a.import, 'import()').toMatch(/^refused/);
  // Refused by the policy, not by chance: connect-src for the three connections, script-src for the import.
  const directives = a.violations.map((v) => v.split(' ')[0]);
  expect(directives.filter((d) => d === 'connect-src').length, a.violations.join('\n')).toBeGreaterThanOrEqual(3);
  expect(
    directives.some((d) => d!.startsWith('script-src')),
    a.violations.join('\n'),
  ).toBe(true);
  // And nothing reached the other origin at all.
  expect(target.connections(), 'connections the other origin was offered').toBe(0);
}

test('online: fetch, XMLHttpRequest, WebSocket, importScripts and import() to another origin are refused inside the analysis worker', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const target = await secondOrigin();
  try {
    await page.goto('/');
    const worker = await analysisWorker(page);
    // Positive control: the same worker reaches its own origin.
    expect(await worker.evaluate(() => fetch(`${location.origin}/favicon.svg`).then((r) => r.status))).toBe(200);
    expectAllRefused(await tryEverything(worker, target.origin), target);
  } finally {
    await target.close();
  }
});

test('offline (the app from the precache, its server gone): the same requests are refused', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const target = await secondOrigin();
  const app = await appProxy(baseURL ?? 'http://localhost:5173');
  try {
    await page.goto(`${app.origin}/`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await app.close();
    // The app's server is gone: this load, its worker and the engine come from the service worker's precache.
    await page.reload();
    await expect(page.getByRole('heading', { name: /Drop an executable/ })).toBeVisible();
    expect(
      await page.evaluate(
        (o) =>
          fetch(`${o}/index.html?network`).then(
            () => 'reached',
            () => 'unreachable',
          ),
        app.origin,
      ),
    ).toBe('unreachable');
    const worker = await analysisWorker(page);
    expectAllRefused(await tryEverything(worker, target.origin), target);
  } finally {
    await app.close().catch(() => undefined);
    await target.close();
  }
});
