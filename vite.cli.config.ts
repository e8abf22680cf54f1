// Bundles the command-line entry into one CommonJS file (dist-cli/binlens.cjs)
// with a launcher (dist-cli/binlens.mjs, from src/cli/launcher.mjs) that runs
// it from V8's code cache, so it starts in milliseconds instead of compiling
// TypeScript at every run. `bin/binlens.mjs` (`npm run -s cli`, `npx binlens`)
// runs it, rebuilding it first through src/cli/build.mjs when a source is
// newer; that builder sets BINLENS_CLI_OUT to build beside dist-cli/ and move
// the files in. inputs.json lists the project files the bundle was built
// from and when the build started, for that check.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const started = Date.now();
const outDir = process.env.BINLENS_CLI_OUT ?? 'dist-cli';
const root = resolve('.');

const launcherAndEngine = (): Plugin => {
  let inputs: string[] = [];
  return {
    name: 'binlens-cli-launcher',
    generateBundle() {
      inputs = [...this.getModuleIds()]
        .filter((id) => id.startsWith(root + sep) && !id.includes(`${sep}node_modules${sep}`) && existsSync(id))
        .map((id) => relative(root, id).split(sep).join('/'))
        .sort();
    },
    closeBundle() {
      const wasm = 'src/engine/build/arm64.wasm';
      if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run npm run build:engine first`);
      mkdirSync(outDir, { recursive: true });
      copyFileSync(wasm, `${outDir}/arm64.wasm`);
      // The demanglers (src/demangle/node.ts looks beside the bundle first).
      copyFileSync('src/demangle/itanium/itanium.wasm', `${outDir}/itanium.wasm`);
      copyFileSync('node_modules/gecko-profiler-demangle/index_bg.wasm', `${outDir}/rust-demangle.wasm`);
      copyFileSync('src/cli/launcher.mjs', `${outDir}/binlens.mjs`);
      writeFileSync(`${outDir}/inputs.json`, JSON.stringify({ started, files: inputs }, null, 1) + '\n');
      // The code cache: one run over fixtures that take every path a report
      // takes (ELF, Mach-O, universal, Go with its function table, arm64 code).
      const fixtures = [
        'fixtures/elf/bin/aarch64-glibc-pie-pacbti',
        'fixtures/macho/bin/lld-universal-macos-exe',
        'fixtures/go/bin/go1.19-arm64-linux-pie-external',
        'fixtures/verdict/bin/lld-arm64-macos-unsigned',
      ].filter((f) => existsSync(f));
      const r = spawnSync(process.execPath, [`${outDir}/binlens.mjs`, 'report', ...fixtures, '--json'], {
        env: { ...process.env, BINLENS_WRITE_CODE_CACHE: '1' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (r.error) throw r.error;
    },
  };
};

export default defineConfig({
  plugins: [launcherAndEngine()],
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir,
    target: 'node20',
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    rollupOptions: { output: { entryFileNames: 'binlens.cjs', format: 'cjs', codeSplitting: false } },
  },
  ssr: { noExternal: true },
});
