// Node loader for the engine (tests, CLI, bench): reads the built .wasm from
// disk once. Build it with `npm run build:engine`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arm64Engine } from './engine.ts';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * BINLENS_ARM64_WASM when set (tests and tools against another build), else
 * beside the bundled CLI (dist-cli/, see vite.cli.config.ts), else the build
 * output next to the sources.
 */
export const WASM_PATH =
  process.env.BINLENS_ARM64_WASM ??
  [join(here, 'arm64.wasm'), join(here, '..', 'engine', 'build', 'arm64.wasm')].find((p) => existsSync(p)) ??
  join(here, '..', 'engine', 'build', 'arm64.wasm');

let loading: Promise<Arm64Engine> | null = null;

/** The engine, compiled once per process. Rejects with a clear message when the .wasm is not built. */
export function loadEngine(): Promise<Arm64Engine> {
  loading ??= (async () => {
    if (!existsSync(WASM_PATH)) throw new Error(`ARM64 engine not built: ${WASM_PATH} is missing (run npm run build:engine)`);
    return Arm64Engine.fromBytes(readFileSync(WASM_PATH));
  })();
  return loading;
}
