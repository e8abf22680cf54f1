// Bundles the command-line entry into one CommonJS file (dist-cli/binlens.cjs)
// with a launcher (dist-cli/binlens.mjs, from src/cli/launcher.mjs) that runs
// it from V8's code cache, so it starts in milliseconds instead of compiling
// TypeScript at every run; the benchmarks time this bundle. `npm run -s cli`
// runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

const launcherAndEngine: Plugin = {
  name: 'binlens-cli-launcher',
  closeBundle() {
    const wasm = 'src/engine/build/arm64.wasm';
    if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run npm run build:engine first`);
    mkdirSync('dist-cli', { recursive: true });
    copyFileSync(wasm, 'dist-cli/arm64.wasm');
    copyFileSync('src/cli/launcher.mjs', 'dist-cli/binlens.mjs');
    // The code cache: one run over fixtures that take every path a report
    // takes (ELF, Mach-O, universal, Go with its function table, arm64 code).
    const fixtures = [
      'fixtures/elf/bin/aarch64-glibc-pie-pacbti',
      'fixtures/macho/bin/lld-universal-macos-exe',
      'fixtures/go/bin/go1.19-arm64-linux-pie-external',
      'fixtures/verdict/bin/lld-arm64-macos-unsigned',
    ].filter((f) => existsSync(f));
    const r = spawnSync(process.execPath, ['dist-cli/binlens.mjs', 'report', ...fixtures, '--json'], {
      env: { ...process.env, BINLENS_WRITE_CODE_CACHE: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.error) throw r.error;
  },
};

export default defineConfig({
  plugins: [launcherAndEngine],
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    rollupOptions: { output: { entryFileNames: 'binlens.cjs', format: 'cjs', codeSplitting: false } },
  },
  ssr: { noExternal: true },
});
