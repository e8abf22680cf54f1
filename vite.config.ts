import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects CSS as <style> elements and talks to the page over a
 * WebSocket; index.html's CSP forbids both. Loosen it for `vite` (dev) only:
 * the build keeps the strict policy.
 */
const devCsp: Plugin = {
  name: 'binlens-dev-csp',
  apply: 'serve',
  transformIndexHtml(html) {
    return html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: wss:");
  },
};

export default defineConfig({
  plugins: [svelte(), devCsp],
  build: {
    target: 'es2022',
    // The worker and its parsers are separate chunks, loaded on first use.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  worker: {
    format: 'es',
  },
  preview: {
    port: 5173,
    strictPort: true,
  },
  server: {
    port: 5173,
  },
});
