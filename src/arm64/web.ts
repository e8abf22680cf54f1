// Browser/worker loader for the engine: Vite serves the built module at a
// hashed URL (`?url`); it is fetched and compiled on first use, once.
// The path src/engine/build/arm64.wasm is stable (npm run build:engine writes it).
import wasmUrl from '../engine/build/arm64.wasm?url';
import { Arm64Engine } from './engine.ts';

let loading: Promise<Arm64Engine> | null = null;

async function compile(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`ARM64 engine: ${url} answered ${response.status}`);
  // compileStreaming needs the application/wasm content type; fall back to bytes when a server sends another.
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The engine, compiled once per worker. A failed load is not cached, so a later call can retry. */
export function loadEngine(url: string = wasmUrl): Promise<Arm64Engine> {
  loading ??= compile(url)
    .then((m) => Arm64Engine.fromModule(m))
    .catch((e: unknown) => {
      loading = null;
      throw e;
    });
  return loading;
}
