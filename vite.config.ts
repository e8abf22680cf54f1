import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [svelte()],
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
