import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The dev server injects CSS as <style> elements and talks to the page over a
 * WebSocket; index.html's CSP forbids both. Loosen it for `vite` (dev) only:
 * the build keeps the strict policy.
 */
const devCsp: Plugin = {
  name: 'binlens-dev-csp',
  apply: 'serve',
  transformIndexHtml(html) {
    return html
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws: wss:");
  },
};

// Files the operating system may hand to the installed app ("Open with
// binlens"). Executables often have no extension at all; those can still be
// dropped or picked, but a file handler has to name extensions.
const BINARY_EXTENSIONS = ['.so', '.dylib', '.node', '.o', '.bin', '.elf', '.bundle', '.out', '.axf', '.prx'];

const pwa = VitePWA({
  // 'prompt': a new version waits until the user says Reload (src/ui/shell/pwa.ts).
  registerType: 'prompt',
  // Registered from src/ui/shell/pwa.ts through `virtual:pwa-register`: no inline
  // script (the CSP has no 'unsafe-inline') and no registerSW.js in <head>.
  injectRegister: false,
  // public/ is already in globPatterns below; listing it again would precache it twice.
  includeAssets: [],
  includeManifestIcons: false,
  manifest: {
    id: '/',
    name: 'binlens — what is this binary?',
    short_name: 'binlens',
    description:
      'See what an ELF or Mach-O executable is, whether it will run on your platform, and why not. Analyzed on this device; nothing is uploaded.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#f6f6f3',
    theme_color: '#1d5f8e',
    categories: ['developer', 'utilities'],
    icons: [
      { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: 'icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
    file_handlers: [
      {
        action: '/',
        accept: {
          'application/octet-stream': BINARY_EXTENSIONS,
          'application/x-executable': ['.elf', '.bin', '.out', '.axf'],
          'application/x-sharedlib': ['.so', '.node'],
          'application/x-mach-binary': ['.dylib', '.bundle', '.node'],
          'application/x-object': ['.o'],
        },
      },
    ],
    // A file opened with the installed app goes to the window already open.
    launch_handler: { client_mode: ['navigate-existing', 'auto'] },
  },
  workbox: {
    // The shell, the analysis worker chunk, the ARM64 engine (.wasm), the
    // icons (the plugin adds the manifest itself): everything an analysis needs, so the app loads
    // and analyzes offline after one visit. Source maps stay out.
    globPatterns: ['**/*.{html,js,css,wasm,svg,png}'],
    // The engine and the worker are larger than Workbox's 2 MiB default
    // allows for comfort as they grow; anything past this fails the build
    // instead of silently missing from the precache.
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [svelte(), devCsp, pwa],
  // The analysis worker warms up on one of the project's own fixtures, inlined (`?inline`).
  assetsInclude: ['fixtures/*/bin/*'],
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
