// The page's side of the analysis worker: imports only its type, starts it
// when the browser is idle after the page loads (so the first file does not
// wait for it), and cancels by terminating it (a worker busy in a synchronous
// parse cannot be interrupted any other way); a fresh one is started at once.
//
// The ARM64 engine is compiled here, once per page, from its own .wasm asset
// (the offline cache holds it like any other file) and handed to each worker:
// after the page has loaded, analyzing a file makes no request.

import * as Comlink from 'comlink';
import type { ReportDiff } from '../diff/types.ts';
import wasmUrl from '../engine/build/arm64.wasm?url';
import workerUrl from './analyzer.worker.ts?worker&url';
import hashWorkerUrl from './hash.worker.ts?worker&url';
import type { AnalyzerApi, OpenOptions, Opened, ProgressCallback, SliceInfo, VerdictCallback } from './analyzer.worker.ts';
import type { HashApi } from './hash.worker.ts';
import { WHOLE_HASH_LIMIT } from './limits.ts';
import type { FunctionFilter, FunctionRow, FunctionSort, ListingLine } from './arm64Tables.ts';
import type { FileSummary } from '../report/summary.ts';
import type { ShownSymbol, SymbolFilter, SymbolSource } from './symbolTable.ts';
import type { NameFormat } from '../demangle/names.ts';
import type { Page, TableQuery } from '../report/tables.ts';
import type { UnitReport } from '../units/types.ts';
import type { SizeFilter, SizeItem, SizeLevel, SizeView } from './sizeTables.ts';

export type {
  OpenOptions,
  Opened,
  FileSummary,
  Page,
  TableQuery,
  ShownSymbol,
  SymbolFilter,
  SymbolSource,
  SliceInfo,
  NameFormat,
  FunctionFilter,
  FunctionRow,
  FunctionSort,
  ListingLine,
  ProgressCallback,
  VerdictCallback,
  SizeFilter,
  SizeItem,
  SizeLevel,
  SizeView,
};

/** True for the rejection of a call that cancel() cut short. */
export function isCancelled(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

let compiling: Promise<WebAssembly.Module | null> | null = null;

/** The engine module, compiled once per page; null when it cannot be (the reports then say the code was not scanned). */
export function engineModule(): Promise<WebAssembly.Module | null> {
  compiling ??= (async () => {
    try {
      return await WebAssembly.compileStreaming(fetch(wasmUrl));
    } catch {
      // compileStreaming insists on the application/wasm type; some static
      // hosts serve .wasm as octet-stream.
      try {
        const res = await fetch(wasmUrl);
        return res.ok ? await WebAssembly.compile(await res.arrayBuffer()) : null;
      } catch {
        return null;
      }
    }
  })();
  return compiling;
}

const bootstraps = new Map<string, string>();

/**
 * The URL a worker is started from: a blob: module whose one line imports
 * the worker's own script. A worker started from its script's URL
 * runs under the policy of that script's HTTP response (CSP Level 3 and
 * HTML's worker processing model: a worker gets its policy container from
 * its own response unless its URL is local, blob: or data:), and a static
 * host sends none — so the page's meta Content-Security-Policy never reached
 * into the worker, and a fetch from it could go to any server. A worker from
 * a blob: URL inherits the policy container of the page that made it, the
 * meta policy included, wherever the page came from: the network or, offline,
 * the service worker's precache. The page's policy allows it with
 * `worker-src 'self' blob:`. One URL per worker script and page, never
 * revoked (a few bytes).
 */
function workerScript(script: string): string {
  let url = bootstraps.get(script);
  if (!url) {
    url = URL.createObjectURL(new Blob([`import ${JSON.stringify(new URL(script, location.href).href)};\n`], { type: 'text/javascript' }));
    bootstraps.set(script, url);
  }
  return url;
}

function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 200);
}

export class AnalyzerClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<AnalyzerApi> | null = null;
  /** Resolves when the current worker has its engine (or knows it has none). */
  private ready: Promise<unknown> = Promise.resolve();
  private stop = new AbortController();
  /**
   * Bumped each time the worker is replaced. File ids belong to one
   * generation: after a restart the files must be opened again.
   */
  generation = 0;

  /**
   * @param warmUp start the worker and compile the engine when the browser is
   * next idle, and again after each cancel (the page's main client does; a
   * client for one folder scan starts its worker on first use).
   */
  constructor(
    private readonly warmUp = typeof window !== 'undefined',
    /** Called each time a worker started by warm-up has its engine. */
    private readonly onready?: () => void,
  ) {
    if (warmUp) whenIdle(() => this.warm());
  }

  /**
   * Starts the worker and its engine now, if they are not running, and has it
   * analyze a small binary of its own: the first file the user gives then
   * runs through code already compiled (cold, the parse of a 0.9 MB file took
   * 46 ms to its verdict in Node, warm 8–30).
   */
  warm(): void {
    const remote = this.api();
    const warmed = this.ready.then(() => remote.warmUp()).catch(() => {});
    if (this.onready) void warmed.then(this.onready);
  }

  private api(): Comlink.Remote<AnalyzerApi> {
    if (!this.remote) {
      // Vite bundles the worker as its own chunk from the `?worker&url` import above.
      const worker = new Worker(workerScript(workerUrl), { type: 'module', name: 'analyzer' });
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        this.restart(new Error(`The analysis worker stopped: ${e.message || 'it ran out of memory or failed to load'}.`));
      });
      this.worker = worker;
      const remote = Comlink.wrap<AnalyzerApi>(worker);
      this.remote = remote;
      this.ready = engineModule()
        .then((m) => remote.init(m))
        .catch(() => false);
    }
    return this.remote;
  }

  /** Runs a call once the worker has its engine; it rejects at once (an AbortError) when cancel() terminates the worker. */
  private run<T>(call: (api: Comlink.Remote<AnalyzerApi>) => Promise<T>): Promise<T> {
    const signal = this.stop.signal;
    const api = this.api();
    const ready = this.ready;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      ready
        .then(() => call(api))
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private restart(reason: unknown): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.generation++;
    const stop = this.stop;
    this.stop = new AbortController();
    stop.abort(reason);
    // The next file should not wait for a worker to start (nor fetch its script while being analyzed).
    if (this.warmUp) whenIdle(() => this.warm());
  }

  /**
   * Ends the worker, and with it everything its isolate allocated; the next
   * call starts a fresh one. A worker's garbage is collected when the engine
   * sees fit, which in a long scan can be hundreds of megabytes late: a scan
   * ends its worker every few hundred files to bound the page's memory.
   * Calls still pending reject with an AbortError.
   */
  dispose(): void {
    if (this.worker) this.restart(new DOMException('The worker was replaced.', 'AbortError'));
  }

  /** Stops whatever the worker is doing: pending calls reject with an AbortError; every kept file is gone. */
  cancel(): void {
    if (this.worker) this.restart(new DOMException('The analysis was cancelled.', 'AbortError'));
  }

  /**
   * `onProgress(done, total, stage)`: `done` of `total` (the file's size)
   * through the whole analysis. `onVerdict(report)`: the report so far, right
   * after the parse (where the file runs is known; Go, ARM64 and the findings
   * follow).
   */
  open(file: File, opts: OpenOptions, onProgress?: ProgressCallback, onVerdict?: VerdictCallback): Promise<Opened> {
    return this.opening((api, p, v) => api.open(file, opts, p, v), onProgress, onVerdict);
  }

  /** open(), or 'unit' (nothing analyzed) when the file is a unit to open with openUnit: the unit check and the open in one call. */
  openOrUnit(file: File, opts: OpenOptions, onProgress?: ProgressCallback, onVerdict?: VerdictCallback): Promise<Opened | 'unit'> {
    return this.opening<Opened | 'unit'>((api, p, v) => api.openOrUnit(file, opts, p, v), onProgress, onVerdict);
  }

  private opening<T>(
    open: (api: Comlink.Remote<AnalyzerApi>, onProgress?: ProgressCallback, onVerdict?: VerdictCallback) => Promise<T>,
    onProgress?: ProgressCallback,
    onVerdict?: VerdictCallback,
  ): Promise<T> {
    // Progress comes over its own channel and can arrive after the result:
    // once the call has settled, late progress is dropped.
    let settled = false;
    const progress: ProgressCallback | undefined = onProgress
      ? (done, total, stage) => {
          if (!settled) onProgress(done, total, stage);
        }
      : undefined;
    const verdict: VerdictCallback | undefined = onVerdict
      ? (report) => {
          if (!settled) onVerdict(report);
        }
      : undefined;
    const call = this.run((api) => open(api, progress ? Comlink.proxy(progress) : undefined, verdict ? Comlink.proxy(verdict) : undefined));
    call.then(
      () => (settled = true),
      () => (settled = true),
    );
    return call;
  }

  /** Folder-table rows for a batch of files; nothing is kept in the worker. */
  summarize(files: File[]): Promise<FileSummary[]> {
    return this.run((api) => api.summarize(files));
  }

  sliceInfo(id: number, slice: number): Promise<SliceInfo> {
    return this.run((api) => api.sliceInfo(id, slice));
  }

  symbols(id: number, slice: number, q: TableQuery<SymbolFilter>): Promise<Page<ShownSymbol>> {
    return this.run((api) => api.symbols(id, slice, q));
  }

  /** Names demangled as llvm-cxxfilt-19 prints them (the worker loads the demangler on first use); null where not mangled. */
  demangle(names: string[], format: NameFormat): Promise<(string | null)[]> {
    return this.run((api) => api.demangle(names, format));
  }

  /** One level of a slice's size map (the treemap's tiles): the node, its path, its biggest children, the rest summed. */
  sizeLevel(id: number, slice: number, view: SizeView, node: number, limit: number): Promise<SizeLevel> {
    return this.run((api) => api.sizeLevel(id, slice, view, node, limit));
  }

  /** A window of a size-map node's children (the table). */
  sizeChildren(id: number, slice: number, view: SizeView, node: number, q: TableQuery<SizeFilter>): Promise<Page<SizeItem>> {
    return this.run((api) => api.sizeChildren(id, slice, view, node, q));
  }

  functions(id: number, slice: number, q: TableQuery<FunctionFilter>): Promise<Page<FunctionRow>> {
    return this.run((api) => api.functions(id, slice, q));
  }

  listing(id: number, slice: number, from: number, count: number): Promise<ListingLine[]> {
    return this.run((api) => api.listing(id, slice, from, count));
  }

  /** The diff of two builds, made in the worker (src/diff); rejects with a sentence for a file it cannot read. */
  compare(oldFile: File, newFile: File): Promise<ReportDiff> {
    return this.run((api) => api.compare(oldFile, newFile));
  }

  /** The unit report; `onProgress(bytes read, size)` until it settles. */
  openUnit(file: File, onProgress?: (done: number, total: number) => void): Promise<UnitReport> {
    let settled = false;
    const progress = onProgress ? (d: number, t: number) => void (settled || onProgress(d, t)) : undefined;
    const call = this.run((api) => api.openUnit(file, progress ? Comlink.proxy(progress) : undefined));
    call.then(
      () => (settled = true),
      () => (settled = true),
    );
    return call;
  }

  /** A dropped folder as a unit; `onProgress(files read, files)`. */
  openFolderUnit(
    files: { file: File; path: string }[],
    name: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<UnitReport> {
    let settled = false;
    const progress = onProgress ? (d: number, t: number) => void (settled || onProgress(d, t)) : undefined;
    const call = this.run((api) => api.openFolderUnit(files, name, progress ? Comlink.proxy(progress) : undefined));
    call.then(
      () => (settled = true),
      () => (settled = true),
    );
    return call;
  }

  unitMember(file: File, locator: string[]): Promise<Uint8Array | null> {
    return this.run((api) => api.unitMember(file, locator));
  }

  /**
   * The SHA-256 of a kept file from the bytes the worker read for its report
   * (asked for after the report); null for a file over WHOLE_HASH_LIMIT,
   * which HashClient streams.
   */
  sha256(id: number): Promise<string | null> {
    return this.run((api) => api.sha256(id));
  }

  release(id: number): void {
    // Fire and forget; a release for a worker that is gone has nothing to free.
    if (this.remote) void this.remote.release(id).catch(() => {});
  }
}

/** Files up to this size are hashed by the analysis worker (AnalyzerClient.sha256), bigger ones by HashClient. */
export { WHOLE_HASH_LIMIT };

/**
 * The hash worker (hash.worker.ts): the SHA-256 of a file over
 * WHOLE_HASH_LIMIT, streamed beside the analysis. Started on first use;
 * cancel() terminates it (a digest cannot be interrupted any other way).
 */
export class HashClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<HashApi> | null = null;
  private stop = new AbortController();

  constructor(private readonly warmUp = typeof window !== 'undefined') {
    if (warmUp) whenIdle(() => this.api());
  }

  private api(): Comlink.Remote<HashApi> {
    if (!this.remote) {
      const worker = new Worker(workerScript(hashWorkerUrl), { type: 'module', name: 'hash' });
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        this.restart(new Error(`The hashing worker stopped: ${e.message || 'it ran out of memory or failed to load'}.`));
      });
      this.worker = worker;
      this.remote = Comlink.wrap<HashApi>(worker);
    }
    return this.remote;
  }

  private restart(reason: unknown): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    const stop = this.stop;
    this.stop = new AbortController();
    stop.abort(reason);
    if (this.warmUp) whenIdle(() => this.api());
  }

  /** Lowercase hex SHA-256 of the file; `onProgress(done, total)` in bytes while a big file is streamed. Rejects with an AbortError on cancel(). */
  sha256(file: Blob, onProgress?: (done: number, total: number) => void): Promise<string> {
    const signal = this.stop.signal;
    let settled = false;
    const progress = onProgress
      ? (done: number, total: number): void => {
          if (!settled) onProgress(done, total);
        }
      : undefined;
    const call = this.api().sha256(file, progress ? Comlink.proxy(progress) : undefined);
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        // Progress already posted by the terminated worker may still arrive: drop it.
        settled = true;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      call.then(resolve, reject).finally(() => {
        settled = true;
        signal.removeEventListener('abort', onAbort);
      });
    });
  }

  /** Stops a hash under way. */
  cancel(): void {
    if (this.worker) this.restart(new DOMException('The hash was cancelled.', 'AbortError'));
  }
}
