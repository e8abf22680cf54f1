// Types for the wasm-bindgen glue of gecko-profiler-demangle, which the
// package ships without them (its index.js imports the .wasm as an ES
// module, which neither Vite nor Node does without a plugin or a flag).
declare module 'gecko-profiler-demangle/index_bg.js' {
  export function __wbg_set_wasm(exports: unknown): void;
  export function __wbindgen_init_externref_table(): void;
  export function demangle_any(name: string): string;
}
