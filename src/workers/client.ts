// The page's side of the analysis worker: starts it on first use, imports
// only its type, and cancels by terminating it (a worker busy in a synchronous
// parse cannot be interrupted any other way). The next call starts a fresh one.

import * as Comlink from 'comlink';
import type { AnalyzerApi, OpenOptions, Opened } from './analyzer.worker.ts';
import type { FileSummary } from './summary.ts';
import type { SymbolFilter } from './symbolTable.ts';
import type { Page, TableQuery } from './tables.ts';
import type { SymbolRow } from '../parsers/types.ts';

export type { OpenOptions, Opened, FileSummary, Page, TableQuery, SymbolFilter };

/** True for the rejection of a call that cancel() cut short. */
export function isCancelled(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

export class AnalyzerClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<AnalyzerApi> | null = null;
  private stop = new AbortController();
  /**
   * Bumped each time the worker is replaced. File ids belong to one
   * generation: after a restart the files must be opened again.
   */
  generation = 0;

  private api(): Comlink.Remote<AnalyzerApi> {
    if (!this.remote) {
      // Vite bundles the worker from this literal `new URL(...)` form.
      const worker = new Worker(new URL('./analyzer.worker.ts', import.meta.url), { type: 'module', name: 'analyzer' });
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        this.restart(new Error(`The analysis worker stopped: ${e.message || 'it ran out of memory or failed to load'}.`));
      });
      this.worker = worker;
      this.remote = Comlink.wrap<AnalyzerApi>(worker);
    }
    return this.remote;
  }

  /** Runs a call; it rejects at once (an AbortError) when cancel() terminates the worker. */
  private run<T>(call: (api: Comlink.Remote<AnalyzerApi>) => Promise<T>): Promise<T> {
    const signal = this.stop.signal;
    const api = this.api();
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      call(api)
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
  }

  /** Stops whatever the worker is doing: pending calls reject with an AbortError; every kept file is gone. */
  cancel(): void {
    if (this.worker) this.restart(new DOMException('The analysis was cancelled.', 'AbortError'));
  }

  open(file: File, opts: OpenOptions, onProgress?: (done: number, total: number) => void): Promise<Opened> {
    return this.run((api) => api.open(file, opts, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  /** Folder-table rows for a batch of files; nothing is kept in the worker. */
  summarize(files: File[]): Promise<FileSummary[]> {
    return this.run((api) => api.summarize(files));
  }

  symbols(id: number, slice: number, q: TableQuery<SymbolFilter>): Promise<Page<SymbolRow>> {
    return this.run((api) => api.symbols(id, slice, q));
  }

  release(id: number): void {
    // Fire and forget; a release for a worker that is gone has nothing to free.
    if (this.remote) void this.remote.release(id).catch(() => {});
  }
}
