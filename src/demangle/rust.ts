// Rust v0 names (RFC 2603, `_R…`) through gecko-profiler-demangle, the
// rustc-demangle build the Firefox profiler uses. Its one export runs a
// chain of demanglers; binlens hands it only names that start with `_R`, so
// the answer is rustc-demangle's, printed without crate hashes — the text
// LLVM's own Rust demangler gives. A name it cannot read comes back as it
// went in (or without its first underscore): that is a failure.

import * as glue from 'gecko-profiler-demangle/index_bg.js';

export type RustDemangle = (mangled: string) => string | null;

export async function rustDemanglerFromModule(module: WebAssembly.Module): Promise<RustDemangle> {
  const instance = await WebAssembly.instantiate(module, { './index_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  return (mangled) => {
    const out = glue.demangle_any(mangled);
    return out === mangled || out === mangled.slice(1) ? null : out;
  };
}
