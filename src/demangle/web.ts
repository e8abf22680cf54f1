// Browser/worker loader for the demanglers: Vite serves both .wasm files at
// hashed URLs; they are fetched and compiled on first use, once. This module
// is imported with import() so that none of it is in the first-load bundle.
import rustUrl from 'gecko-profiler-demangle/index_bg.wasm?url';
import { Demangler } from './demangler.ts';
import itaniumUrl from './itanium/itanium.wasm?url';
import { ItaniumDemangler } from './itanium.ts';
import { rustDemanglerFromModule } from './rust.ts';

async function compile(url: string): Promise<WebAssembly.Module> {
  // The worker runs from a blob: URL, against which "/assets/…" does not
  // resolve: the asset is where this module came from.
  const response = await fetch(new URL(url, import.meta.url));
  if (!response.ok) throw new Error(`demangler: ${url} answered ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

let loading: Promise<Demangler> | null = null;

/** The demanglers, compiled once per worker. A failed load is not kept, so a later call can retry. */
export function loadDemangler(): Promise<Demangler> {
  loading ??= Promise.all([compile(itaniumUrl).then((m) => ItaniumDemangler.fromModule(m)), compile(rustUrl).then(rustDemanglerFromModule)])
    .then(([itanium, rust]) => new Demangler(itanium, rust))
    .catch((e: unknown) => {
      loading = null;
      throw e;
    });
  return loading;
}
