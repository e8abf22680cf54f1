// The page's state: the files the user gave, the one being viewed, and the
// work under way in the analysis worker. Views read it; they change it only
// through its methods.

import type { Report, SymbolRow } from '../parsers/types.ts';
import { AnalyzerClient, isCancelled, type Page, type SymbolFilter, type TableQuery } from '../workers/client.ts';
import { summarize, type FileSummary } from '../workers/summary.ts';
import type { Picked } from './dropFiles.ts';

export type EntryStatus = 'queued' | 'working' | 'done' | 'stopped';

export class FileEntry {
  status = $state<EntryStatus>('queued');
  summary = $state.raw<FileSummary | null>(null);
  constructor(
    readonly key: number,
    readonly file: File,
    readonly path: string,
  ) {}
}

export interface Progress {
  label: string;
  done: number;
  total: number;
  unit: 'bytes' | 'files';
}

interface Held {
  entry: FileEntry;
  id: number;
  generation: number;
}

function message(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export class AppState {
  /** Everything dropped or picked, in the order given. */
  entries = $state.raw<FileEntry[]>([]);
  /** The file whose report is shown; null shows the folder table (or the drop page). */
  current = $state.raw<FileEntry | null>(null);
  report = $state.raw<Report | null>(null);
  /** Reading the current file. */
  opening = $state.raw<Progress | null>(null);
  /** Going through a folder. */
  scanning = $state.raw<Progress | null>(null);
  /** A short status line: cancelled, a failure, a note about the drop. */
  notice = $state<string | null>(null);

  readonly busy = $derived(this.opening !== null || this.scanning !== null);

  private readonly client = new AnalyzerClient();
  private held: Held | null = null;
  private reopening: Promise<number> | null = null;
  private keys = 0;
  private openRun = 0;
  private scanRun = 0;

  /** Replaces what is shown with new files: one file opens its report, several make a table. */
  add(picked: Picked[], note: string | null = null): void {
    if (picked.length === 0) {
      this.notice = note ?? 'Nothing to analyze: the drop held no files.';
      return;
    }
    this.stopAll();
    this.entries = picked.map((p) => new FileEntry(++this.keys, p.file, p.path));
    this.notice = note;
    if (this.entries.length === 1) void this.select(this.entries[0]!);
    else {
      this.current = null;
      this.report = null;
      void this.scan();
    }
  }

  /** Opens one file's report; its bytes stay in the worker for the paged tables. */
  async select(entry: FileEntry): Promise<void> {
    const run = ++this.openRun;
    this.releaseHeld();
    this.current = entry;
    this.report = null;
    this.opening = { label: `Reading ${entry.path}`, done: 0, total: entry.file.size, unit: 'bytes' };
    try {
      const opened = await this.client.open(entry.file, { keep: true }, (done, total) => {
        if (run === this.openRun) this.opening = { label: `Reading ${entry.path}`, done, total, unit: 'bytes' };
      });
      if (run !== this.openRun) {
        if (opened.id !== null) this.client.release(opened.id);
        return;
      }
      if (opened.id !== null) this.held = { entry, id: opened.id, generation: this.client.generation };
      this.report = opened.report;
      entry.summary = summarize(opened.report);
      entry.status = 'done';
    } catch (e) {
      if (run !== this.openRun) return;
      this.notice = isCancelled(e) ? `Stopped reading ${entry.path}.` : message(e);
      this.current = null;
    } finally {
      if (run === this.openRun) this.opening = null;
    }
  }

  /** Back to the folder table; the viewed file's bytes are released. */
  back(): void {
    this.openRun++;
    this.opening = null;
    this.releaseHeld();
    this.current = null;
    this.report = null;
  }

  /** Cancels the work under way (terminates the worker); the page stays usable. */
  cancel(): void {
    const scanning = this.scanning !== null;
    const opening = this.opening !== null;
    this.stopAll();
    if (opening) this.current = null;
    const left = this.entries.filter((e) => e.status === 'stopped').length;
    if (scanning) this.notice = `Stopped. ${left} ${left === 1 ? 'file was' : 'files were'} not analyzed.`;
    else if (opening) this.notice = 'Stopped.';
  }

  /** Analyzes the files a cancel left out. */
  resume(): void {
    if (!this.scanning) void this.scan();
  }

  /** A window of a slice's symbols for the current file. */
  async symbols(entry: FileEntry, slice: number, q: TableQuery<SymbolFilter>): Promise<Page<SymbolRow>> {
    const id = await this.heldId(entry);
    return this.client.symbols(id, slice, q);
  }

  private stopAll(): void {
    this.openRun++;
    this.scanRun++;
    this.client.cancel();
    this.held = null;
    this.reopening = null;
    for (const e of this.entries) if (e.status === 'working' || e.status === 'queued') e.status = 'stopped';
    this.opening = null;
    this.scanning = null;
  }

  private releaseHeld(): void {
    if (this.held && this.held.generation === this.client.generation) this.client.release(this.held.id);
    this.held = null;
    this.reopening = null;
  }

  /**
   * The worker id of the viewed file. After a cancel or a worker failure the
   * worker is new and has nothing: the file is read again, quietly.
   */
  private heldId(entry: FileEntry): Promise<number> {
    const h = this.held;
    if (h && h.entry === entry && h.generation === this.client.generation) return Promise.resolve(h.id);
    if (this.current !== entry) return Promise.reject(new Error(`${entry.path} is no longer open.`));
    this.reopening ??= this.client.open(entry.file, { keep: true, skipHash: true }).then((opened) => {
      this.reopening = null;
      if (opened.id === null) throw new Error(`${entry.path} could not be read again.`);
      if (this.current !== entry) {
        this.client.release(opened.id);
        throw new Error(`${entry.path} is no longer open.`);
      }
      this.held = { entry, id: opened.id, generation: this.client.generation };
      return opened.id;
    }, (e: unknown) => {
      this.reopening = null;
      throw e;
    });
    return this.reopening;
  }

  /** Folder table rows, one file after another; only a summary of each is kept. */
  private async scan(): Promise<void> {
    const run = ++this.scanRun;
    const todo = this.entries.filter((e) => e.status === 'queued' || e.status === 'stopped');
    for (const e of todo) e.status = 'queued';
    this.notice = null;
    for (let i = 0; i < todo.length; i++) {
      if (run !== this.scanRun) return;
      const e = todo[i]!;
      e.status = 'working';
      this.scanning = { label: `Analyzing ${e.path}`, done: i, total: todo.length, unit: 'files' };
      try {
        const s = await this.client.summarize(e.file);
        if (run !== this.scanRun) return;
        e.summary = { ...s, name: e.path };
        e.status = 'done';
      } catch (err) {
        if (run !== this.scanRun || isCancelled(err)) {
          if (e.status === 'working') e.status = 'stopped';
          return;
        }
        // The worker died on this file (out of memory?); say so on its row and go on with a fresh one.
        e.summary = {
          name: e.path,
          size: e.file.size,
          format: 'unknown',
          notBinary: null,
          slices: [],
          errors: 1,
          firstError: message(err),
          warnings: 0,
        };
        e.status = 'done';
      }
    }
    if (run === this.scanRun) this.scanning = null;
  }
}
