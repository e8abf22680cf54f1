// Node loader for the demanglers (CLI, tests): the .wasm files are read from
// beside the bundled CLI (dist-cli/, see vite.cli.config.ts) or from the
// sources and node_modules in a checkout.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Demangler } from './demangler.ts';
import { ItaniumDemangler } from './itanium.ts';
import { rustDemanglerFromModule } from './rust.ts';

const here = dirname(fileURLToPath(import.meta.url));

function wasmPath(bundled: string, checkout: () => string): string {
  const beside = join(here, bundled);
  return existsSync(beside) ? beside : checkout();
}

export const ITANIUM_WASM = wasmPath('itanium.wasm', () => join(here, 'itanium', 'itanium.wasm'));
export const RUST_WASM = wasmPath('rust-demangle.wasm', () =>
  createRequire(import.meta.url).resolve('gecko-profiler-demangle/index_bg.wasm'),
);

let loading: Promise<Demangler> | null = null;

/** The demanglers, compiled once per process. */
export function loadDemangler(): Promise<Demangler> {
  loading ??= (async () => {
    const [itanium, rust] = await Promise.all([
      ItaniumDemangler.fromBytes(readFileSync(ITANIUM_WASM)),
      WebAssembly.compile(readFileSync(RUST_WASM)).then(rustDemanglerFromModule),
    ]);
    return new Demangler(itanium, rust);
  })();
  return loading;
}
