// Bundles the command-line entry into one Node module (dist-cli/binlens.mjs)
// so it starts in milliseconds instead of compiling TypeScript at every run;
// the benchmarks time this bundle. `npm run -s cli` runs the sources through tsx.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

const copyEngine: Plugin = {
  name: 'binlens-copy-engine',
  closeBundle() {
    const wasm = 'src/engine/build/arm64.wasm';
    if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run npm run build:engine first`);
    mkdirSync('dist-cli', { recursive: true });
    copyFileSync(wasm, 'dist-cli/arm64.wasm');
  },
};

export default defineConfig({
  plugins: [copyEngine],
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    rollupOptions: { output: { entryFileNames: 'binlens.mjs', codeSplitting: false } },
  },
  ssr: { noExternal: true },
});
