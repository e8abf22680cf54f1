// The page's state: the files the user gave, the one being viewed, and the
// work under way in the analysis worker. Views read it; they change it only
// through its methods.

import type { Report } from '../../report/types.ts';
import {
  AnalyzerClient,
  HashClient,
  isCancelled,
  WHOLE_HASH_LIMIT,
  type NameFormat,
  type Opened,
  type ProgressCallback,
  type Page,
  type ShownSymbol,
  type SymbolFilter,
  type TableQuery,
} from '../../workers/client.ts';
import { STAGE_WORDS } from '../../report/progress.ts';
import { summarize, type FileSummary } from '../../report/summary.ts';
import { folderUnitRoot, type Picked } from './dropFiles.ts';
import { markPainted, markReady } from '../common/marks.ts';
import type { UnitMember, UnitReport } from '../../units/types.ts';
import type { BundleContext } from '../../verdict/notarization.ts';
import type { ReportDiff } from '../../diff/types.ts';

export type EntryStatus = 'queued' | 'done' | 'stopped';

/** One file given by the user. Replaced, never mutated, so lists of thousands update in one assignment. */
export interface FileEntry {
  readonly key: number;
  readonly file: File;
  readonly path: string;
  readonly status: EntryStatus;
  readonly summary: FileSummary | null;
}

export interface Progress {
  label: string;
  done: number;
  total: number;
  unit: 'bytes' | 'files';
}

interface Held {
  key: number;
  id: number;
  generation: number;
}

/** A folder scan sends files to the worker in batches: fewer round trips, fewer table redraws. */
const BATCH_FILES = 32;
const BATCH_BYTES = 32 << 20;
/**
 * Workers a folder scan runs at once: one per core the browser reports, at
 * most 4 (each holds a file's parse while it works), at least 1.
 */
const SCAN_LANES = Math.max(1, Math.min(4, (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1));
/**
 * A scan's worker is replaced after this many files or bytes (the files'
 * sizes; it reads far less of the big ones): its garbage is collected late,
 * and a long scan would pile it up. Not sooner: a fresh worker compiles its
 * script again and runs the parsers cold. The 1,000 system ELF files took
 * 8.8 s of renderer CPU with a fresh worker every 128 files or 96 MB (about
 * ten), 6.0 s with none (peak 352 → 383 MB, load 7–9).
 */
const FRESH_FILES = 512;
const FRESH_BYTES = 512 << 20;
/**
 * The table is redrawn at most this often during a scan: every 250 ms, less
 * often for big folders (each redraw sorts every row: 10,000 rows, every 1.25 s).
 */
function flushMs(files: number): number {
  return Math.min(2000, Math.max(250, files / 8));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function failed(e: FileEntry, why: string): FileSummary {
  return { name: e.path, size: e.file.size, format: 'unknown', notBinary: null, slices: [], errors: 1, firstError: why, warnings: 0 };
}

export class AppState {
  /** Everything dropped or picked, in the order given. */
  entries = $state.raw<readonly FileEntry[]>([]);
  /** Key of the file whose report is shown; null shows the folder table (or the drop page). */
  currentKey = $state<number | null>(null);
  report = $state.raw<Report | null>(null);
  /** The report shown is the answer so far: Go's tables, the ARM64 scan and the findings are still to come. */
  partial = $state(false);
  /** Reading the current file. */
  opening = $state.raw<Progress | null>(null);
  /** Computing the SHA-256 of the current file, its report already on screen (shown for files streamed in chunks). */
  hashing = $state.raw<Progress | null>(null);
  /** Going through a folder. */
  scanning = $state.raw<Progress | null>(null);
  /** A short status line: cancelled, a failure, a note about the drop. */
  notice = $state<string | null>(null);
  /** A unit (an image tar, an archive) opened as a whole, with the file it came from. */
  unit = $state.raw<{ entry: FileEntry; report: UnitReport; folder?: { root: string; files: Picked[] } } | null>(null);
  /** A member of the unit opened for its own report, and its path inside the unit. */
  private member = $state.raw<FileEntry | null>(null);
  private memberPath: string | null = null;

  readonly current = $derived(
    this.currentKey === null
      ? null
      : this.member?.key === this.currentKey
        ? this.member
        : (this.entries.find((e) => e.key === this.currentKey) ?? null),
  );
  /** The macOS bundle the file on screen was opened from (a member of an app unit): its notarization list reads it. */
  readonly bundle = $derived.by((): BundleContext | null => {
    const b = this.unit?.report.bundle;
    if (!b || !this.member || this.member.key !== this.currentKey || !this.memberPath?.startsWith(`${b.root}/`)) return null;
    return {
      root: b.root,
      main: this.memberPath === b.main,
      nested: b.signature.nested,
      infoPlist: b.signature.infoPlist,
      codeResources: b.signature.codeResources,
    };
  });
  readonly stopped = $derived(this.entries.reduce((n, e) => n + (e.status === 'stopped' ? 1 : 0), 0));

  /** Called with each report opened from a file (the history keeps it). */
  onanalyzed: ((report: Report, entry: FileEntry) => void) | null = null;

  private readonly client = new AnalyzerClient(typeof window !== 'undefined', markReady);
  /** Only for files over WHOLE_HASH_LIMIT (the analysis worker hashes the others): started on first use. */
  private readonly hasher = new HashClient(false);
  private hashPending = false;
  /**
   * Folder scans run in their own workers, one per lane, so a file opened
   * meanwhile is not queued behind them.
   */
  private readonly scanClients = Array.from({ length: SCAN_LANES }, () => new AnalyzerClient(false));
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
    this.replace(
      picked.map((p) => ({ key: ++this.keys, file: p.file, path: p.path, status: 'queued', summary: null })),
      note,
    );
    const root = folderUnitRoot(picked);
    if (root !== null) void this.openFolderUnit(root, picked);
    else if (this.entries.length === 1) void this.select(this.entries[0]!);
    else void this.scan();
  }

  /** A dropped folder that is one unit (an image layout, node_modules, an .app): one verdict for it, not a table of files. */
  private async openFolderUnit(root: string, picked: Picked[]): Promise<void> {
    const run = ++this.openRun;
    this.opening = { label: `Reading ${root}`, done: 0, total: picked.length, unit: 'files' };
    try {
      const files = picked.map((p) => ({ file: p.file, path: p.path.slice(root.length) }));
      const report = await this.client.openFolderUnit(files, root, (done, total) => {
        if (run === this.openRun) this.opening = { label: `Reading the files of ${root}`, done, total, unit: 'files' };
      });
      if (run !== this.openRun) return;
      const entry: FileEntry = { key: ++this.keys, file: picked[0]!.file, path: root, status: 'done', summary: null };
      this.unit = { entry, report, folder: { root, files: picked } };
    } catch (e) {
      if (run === this.openRun) this.notice = isCancelled(e) ? `Stopped reading ${root}.` : message(e);
    } finally {
      if (run === this.openRun) this.opening = null;
    }
  }

  /**
   * Opens one file's report; its bytes stay in the worker for the paged
   * tables. The report shows as soon as the analysis is done, and the SHA-256
   * joins it when it is ready: the analysis worker hashes the bytes it read
   * after the report, and a file over WHOLE_HASH_LIMIT is streamed by the
   * hash worker from the start, beside the analysis (a 2 GB file takes
   * seconds to hash, its headers milliseconds). The history keeps the report
   * once both are in. A unit (an archive, an image tar) opens as a whole
   * instead (openUnitFile).
   */
  async select(entry: FileEntry): Promise<void> {
    const run = ++this.openRun;
    this.releaseHeld();
    this.stopHash();
    this.currentKey = entry.key;
    this.report = null;
    this.partial = false;
    this.opening = { label: `Reading ${entry.path}`, done: 0, total: entry.file.size, unit: 'bytes' };
    const streamed = entry.file.size > WHOLE_HASH_LIMIT ? this.hashFile(entry, run) : null;
    // Tables asked for while a partial report shows wait for this open, not a second one.
    let settle: { ok: (id: number) => void; fail: (e: unknown) => void } = { ok: () => {}, fail: () => {} };
    const idReady = new Promise<number>((ok, fail) => (settle = { ok, fail }));
    idReady.catch(() => {});
    this.reopening = idReady;
    let opened: Opened;
    try {
      const progress: ProgressCallback = (done, total, stage) => {
        if (run === this.openRun) this.opening = { label: `${STAGE_WORDS[stage]} ${entry.path}`, done, total, unit: 'bytes' };
      };
      const verdict = (early: Report): void => {
        // The answer, while Go's tables and the code are read and scanned.
        if (run !== this.openRun || this.report !== null) return;
        this.partial = true;
        this.report = early;
      };
      // A member of a unit is a binary; any other file may be a unit (an archive, an image tar), which opens as a whole.
      const got =
        entry === this.member
          ? await this.client.open(entry.file, { keep: true }, progress, verdict)
          : await this.client.openOrUnit(entry.file, { keep: true }, progress, verdict);
      if (got === 'unit') {
        settle.fail(new Error('This file is no longer open.'));
        if (this.reopening === idReady) this.reopening = null;
        if (run !== this.openRun) return;
        this.stopHash();
        await this.openUnitFile(entry, run);
        return;
      }
      opened = got;
      if (run !== this.openRun) {
        if (opened.id !== null) this.client.release(opened.id);
        settle.fail(new Error('This file is no longer open.'));
        return;
      }
      if (opened.id !== null) this.held = { key: entry.key, id: opened.id, generation: this.client.generation };
      if (this.reopening === idReady) this.reopening = null;
      if (opened.id !== null) settle.ok(opened.id);
      else settle.fail(new Error(`${entry.path} could not be read.`));
      this.partial = false;
      this.report = opened.report;
      this.update(new Map([[entry.key, { status: 'done', summary: { ...summarize(opened.report), name: entry.path } }]]));
    } catch (e) {
      settle.fail(e);
      if (this.reopening === idReady) this.reopening = null;
      if (run !== this.openRun) return;
      this.stopHash();
      this.notice = isCancelled(e) ? `Stopped reading ${entry.path}.` : message(e);
      this.currentKey = null;
      this.report = null;
      this.partial = false;
      return;
    } finally {
      if (run === this.openRun) this.opening = null;
    }
    const sha256 = await (streamed ?? this.workerHash(entry, opened.id, run));
    if (run !== this.openRun) return;
    let report = opened.report;
    if (sha256 !== null) {
      report = { ...report, file: { ...report.file, sha256 } };
      this.report = report;
    }
    this.onanalyzed?.(report, entry);
  }

  /** The unit report of an archive or image tar, read in the worker with its progress. */
  private async openUnitFile(entry: FileEntry, run: number): Promise<void> {
    try {
      const report = await this.client.openUnit(entry.file, (done, total) => {
        if (run === this.openRun) this.opening = { label: `Reading the members of ${entry.path}`, done, total, unit: 'bytes' };
      });
      if (run !== this.openRun) return;
      this.currentKey = null;
      this.unit = { entry, report };
      this.update(new Map([[entry.key, { status: 'done' }]]));
    } catch (e) {
      if (run !== this.openRun) return;
      this.notice = isCancelled(e) ? `Stopped reading ${entry.path}.` : message(e);
      this.currentKey = null;
    } finally {
      if (run === this.openRun) this.opening = null;
    }
  }

  /** The SHA-256 from the hash worker; null when it failed or was stopped (the report is then kept without it). */
  private async hashFile(entry: FileEntry, run: number): Promise<string | null> {
    this.hashPending = true;
    try {
      return await this.hasher.sha256(entry.file, (done, total) => {
        // A progress bar only once the report is on screen, and only for a hash that takes a while (streamed).
        if (run === this.openRun && this.hashPending && this.report !== null && done < total)
          this.hashing = { label: `Computing the SHA-256 of ${entry.path}`, done, total, unit: 'bytes' };
      });
    } catch (e) {
      if (run === this.openRun && !isCancelled(e)) this.notice = `The SHA-256 of ${entry.path} could not be computed: ${message(e)}`;
      return null;
    } finally {
      if (run === this.openRun) {
        this.hashPending = false;
        this.hashing = null;
      }
    }
  }

  /** The SHA-256 the analysis worker makes from the bytes it read; null when it failed or the file is gone. */
  private async workerHash(entry: FileEntry, id: number | null, run: number): Promise<string | null> {
    if (id === null) return null;
    try {
      return await this.client.sha256(id);
    } catch (e) {
      if (run === this.openRun && !isCancelled(e)) this.notice = `The SHA-256 of ${entry.path} could not be computed: ${message(e)}`;
      return null;
    }
  }

  private stopHash(): void {
    if (this.hashPending) this.hasher.cancel();
    this.hashPending = false;
    this.hashing = null;
  }

  /** Opens a member of the unit on screen for its own report (its bytes found again in the unit's file). */
  async openMember(m: UnitMember): Promise<void> {
    const unit = this.unit;
    if (!unit) return;
    const run = ++this.openRun;
    this.opening = { label: `Finding ${m.path} in ${unit.entry.path}`, done: 0, total: unit.entry.file.size, unit: 'bytes' };
    try {
      let bytes: Uint8Array | null;
      if (unit.folder) {
        // A folder's member is one of its files, or a member of an archive among them.
        const f = unit.folder.files.find((p) => p.path === unit.folder!.root + (m.locator[0] ?? ''));
        if (!f) bytes = null;
        else if (m.locator.length === 1) bytes = new Uint8Array(await f.file.arrayBuffer());
        else bytes = await this.client.unitMember(f.file, m.locator.slice(1));
      } else bytes = await this.client.unitMember(unit.entry.file, m.locator);
      if (run !== this.openRun) return;
      if (!bytes) {
        this.notice = `${m.path} could not be found again in ${unit.entry.path}.`;
        return;
      }
      const name = m.path.slice(m.path.lastIndexOf('/') + 1) || 'member';
      const entry: FileEntry = {
        key: ++this.keys,
        file: new File([bytes as Uint8Array<ArrayBuffer>], name),
        path: `${unit.entry.path}: ${m.path}`,
        status: 'queued',
        summary: null,
      };
      this.memberPath = m.path;
      this.member = entry;
      this.opening = null;
      await this.select(entry);
    } catch (e) {
      if (run === this.openRun) this.notice = isCancelled(e) ? `Stopped reading ${m.path}.` : message(e);
    } finally {
      if (run === this.openRun) this.opening = null;
    }
  }

  /** Back to the start page: work under way stops, every file is let go. */
  clear(): void {
    this.replace([], null);
  }

  /** Stops the work under way and lets every file go; then these entries (none: the start page) are shown, none opened. */
  private replace(entries: FileEntry[], notice: string | null): void {
    this.stopAll();
    this.entries = entries;
    this.notice = notice;
    this.report = null;
    this.partial = false;
    this.currentKey = null;
    this.unit = null;
    this.member = null;
  }

  /** Back to the folder table; the viewed file's bytes are released. */
  back(): void {
    this.openRun++;
    this.opening = null;
    this.stopHash();
    this.releaseHeld();
    this.currentKey = null;
    this.report = null;
    this.partial = false;
  }

  /** Cancels the work under way (terminates the worker); the page stays usable. */
  cancel(): void {
    const scanning = this.scanning !== null;
    const opening = this.opening !== null;
    if (this.hashing !== null && !scanning && !opening) {
      // Only the hash is left: the report stays, with its tables, and is kept without the hash.
      this.stopHash();
      this.notice = 'Stopped: the report is complete except for its SHA-256.';
      return;
    }
    this.stopAll();
    if (opening) {
      this.currentKey = null;
      this.report = null;
      this.partial = false;
    }
    if (scanning || opening) this.notice = 'Stopped.';
  }

  /** Analyzes the files a cancel left out. */
  resume(): void {
    if (!this.scanning) void this.scan();
  }

  /** A window of a slice's symbols for the current file. */
  async symbols(key: number, slice: number, q: TableQuery<SymbolFilter>): Promise<Page<ShownSymbol>> {
    const id = await this.heldId(key);
    return this.client.symbols(id, slice, q);
  }

  /** Names demangled by the worker (no file needed: a report from a link has names too). */
  demangle(names: string[], format: NameFormat): Promise<(string | null)[]> {
    return this.client.demangle(names, format);
  }

  /** Any worker call about the current file (its other tables: functions, listing, slice info). */
  /** One file's report, nothing kept (a side of a comparison that is not a file pair). */
  async reportOf(file: File): Promise<Report> {
    return (await this.client.open(file, {})).report;
  }

  /** The diff of two builds (made in the analysis worker, which holds their bytes only while it reads them). */
  compare(oldFile: File, newFile: File): Promise<ReportDiff> {
    return this.client.compare(oldFile, newFile);
  }

  async withFile<T>(key: number, call: (client: AnalyzerClient, id: number) => Promise<T>): Promise<T> {
    return call(this.client, await this.heldId(key));
  }

  private update(changes: ReadonlyMap<number, Partial<FileEntry>>): void {
    if (changes.size === 0) return;
    this.entries = this.entries.map((e) => {
      const c = changes.get(e.key);
      return c ? { ...e, ...c } : e;
    });
  }

  private stopAll(): void {
    this.openRun++;
    this.scanRun++;
    this.stopHash();
    if (this.opening !== null || this.scanning !== null || this.reopening !== null) {
      // Busy in a synchronous parse: only terminating the worker stops it.
      this.client.cancel();
      this.held = null;
    } else {
      this.releaseHeld();
    }
    this.reopening = null;
    for (const c of this.scanClients) c.dispose();
    this.update(new Map(this.entries.filter((e) => e.status === 'queued').map((e) => [e.key, { status: 'stopped' as const }])));
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
   * worker is new and holds nothing: the file is read again, quietly.
   */
  private heldId(key: number): Promise<number> {
    const h = this.held;
    if (h && h.key === key && h.generation === this.client.generation) return Promise.resolve(h.id);
    const entry = this.current;
    if (!entry || entry.key !== key) return Promise.reject(new Error('This file is no longer open.'));
    this.reopening ??= this.client.open(entry.file, { keep: true }).then(
      (opened) => {
        this.reopening = null;
        if (opened.id === null) throw new Error(`${entry.path} could not be read again.`);
        if (this.currentKey !== key) {
          this.client.release(opened.id);
          throw new Error('This file is no longer open.');
        }
        this.held = { key, id: opened.id, generation: this.client.generation };
        return opened.id;
      },
      (e: unknown) => {
        this.reopening = null;
        throw e;
      },
    );
    return this.reopening;
  }

  /** Folder-table rows: the files go through the worker in batches; only a summary of each is kept. */
  private async scan(): Promise<void> {
    const run = ++this.scanRun;
    const todo = this.entries.filter((e) => e.status !== 'done');
    if (todo.length === 0) return;
    this.update(new Map(todo.map((e) => [e.key, { status: 'queued' as const }])));
    this.notice = null;
    const pending = new Map<number, Partial<FileEntry>>();
    let lastFlush = performance.now();
    const flush = (): void => {
      this.update(pending);
      pending.clear();
      lastFlush = performance.now();
    };
    try {
      await this.scanBatches(run, todo, pending, () => {
        if (performance.now() - lastFlush > flushMs(this.entries.length)) flush();
      });
    } finally {
      // Results that arrived before a cancel are kept.
      flush();
    }
    if (run === this.scanRun) {
      this.scanning = null;
      for (const c of this.scanClients) c.dispose();
      markPainted('folder');
    }
  }

  /**
   * Runs the scan's lanes: each takes the next batch of the shared queue, so
   * a lane slowed by a big file does not hold up the others.
   */
  private async scanBatches(
    run: number,
    todo: FileEntry[],
    pending: Map<number, Partial<FileEntry>>,
    maybeFlush: () => void,
  ): Promise<void> {
    // Batches hold about BATCH_BYTES, judged by the sizes of the files seen
    // so far (the summaries carry them): File.size on the page is a
    // synchronous call to the browser for each file picked from disk, a
    // quarter of a millisecond each, so the page never asks for it here.
    const queue = { next: 0, seenFiles: 0, seenBytes: 0 };
    const take = (): FileEntry[] => {
      const average = queue.seenFiles === 0 ? 0 : queue.seenBytes / queue.seenFiles;
      const count = queue.seenFiles === 0 ? 4 : Math.max(1, Math.min(BATCH_FILES, Math.floor(BATCH_BYTES / Math.max(1, average))));
      const batch = todo.slice(queue.next, queue.next + count);
      queue.next += batch.length;
      return batch;
    };
    let done = 0;
    const lane = async (client: AnalyzerClient): Promise<void> => {
      let files = 0;
      let bytes = 0;
      for (;;) {
        if (run !== this.scanRun) return;
        const batch = take();
        if (batch.length === 0) return;
        if (files >= FRESH_FILES || bytes >= FRESH_BYTES) {
          client.dispose();
          files = bytes = 0;
        }
        this.scanning = { label: `Analyzing ${batch[0]!.path}`, done, total: todo.length, unit: 'files' };
        try {
          const sums = await client.summarize(batch.map((e) => e.file));
          if (run !== this.scanRun) return;
          batch.forEach((e, j) => pending.set(e.key, { status: 'done', summary: { ...sums[j]!, name: e.path } }));
          const batchBytes = sums.reduce((n, x) => n + x.size, 0);
          files += batch.length;
          bytes += batchBytes;
          queue.seenFiles += batch.length;
          queue.seenBytes += batchBytes;
        } catch (err) {
          if (run !== this.scanRun || isCancelled(err)) return;
          // The worker died (out of memory?). Go again one file at a time with a
          // fresh worker, so only the file that kills it is marked.
          for (const e of batch) {
            try {
              const [s] = await client.summarize([e.file]);
              if (run !== this.scanRun) return;
              pending.set(e.key, { status: 'done', summary: s ? { ...s, name: e.path } : failed(e, 'no result') });
            } catch (err2) {
              if (run !== this.scanRun || isCancelled(err2)) return;
              pending.set(e.key, { status: 'done', summary: failed(e, message(err2)) });
            }
          }
        }
        done += batch.length;
        maybeFlush();
      }
    };
    await Promise.all(this.scanClients.map(lane));
  }
}
