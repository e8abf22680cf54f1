// The history as the page sees it: the list for the home view, the settings
// (private mode, keep binaries) remembered in localStorage, and what is
// stored. All IndexedDB work goes through src/ui/shell/history.ts; a failure there
// (storage full, storage disabled) is shown and never stops an analysis.

import type { Report } from '../../report/types.ts';
import {
  History,
  idbStore,
  usageOf,
  DEFAULT_LIMITS,
  type HistoryItem,
  type HistorySettings,
  type HistoryStore,
  type Usage,
} from './history.ts';

const PRIVATE_KEY = 'binlens.private';
const KEEP_BINARIES_KEY = 'binlens.keepBinaries';

function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeFlag(key: string, on: boolean): void {
  try {
    if (on) localStorage.setItem(key, '1');
    else localStorage.removeItem(key);
  } catch {
    // Storage disabled: the setting lasts for this page only.
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class HistoryState {
  items = $state.raw<readonly HistoryItem[]>([]);
  /** Private mode: no analysis is written to this device. */
  privateMode = $state(readFlag(PRIVATE_KEY));
  keepBinaries = $state(readFlag(KEEP_BINARIES_KEY));
  /** False until the first read of the index has finished. */
  loaded = $state(false);
  /** Why the history cannot be read or written, when it cannot. */
  error = $state<string | null>(null);
  /** A note about the last save (binary too large, older binaries evicted). */
  note = $state<string | null>(null);

  readonly usage: Usage = $derived(usageOf(this.items));
  readonly limits = DEFAULT_LIMITS;

  private readonly history: History | null;

  constructor(store?: HistoryStore) {
    let h: History | null = null;
    try {
      h = new History(store ?? idbStore(), () => this.settings());
    } catch (e) {
      this.error = `History is not available in this browser: ${message(e)}`;
    }
    this.history = h;
  }

  private settings(): HistorySettings {
    return { private: this.privateMode, keepBinaries: this.keepBinaries };
  }

  private async run<T>(op: (h: History) => Promise<T>): Promise<T | undefined> {
    if (!this.history) return undefined;
    try {
      const out = await op(this.history);
      this.error = null;
      return out;
    } catch (e) {
      this.error = `History: ${message(e)}`;
      return undefined;
    }
  }

  async refresh(): Promise<void> {
    const list = await this.run((h) => h.list());
    if (list) this.items = list;
    this.loaded = true;
  }

  /** Keeps a finished analysis (unless private mode is on). */
  async record(report: Report, file: Blob | null): Promise<void> {
    if (this.privateMode) return;
    const r = await this.run((h) => h.add(report, file));
    if (!r || !r.saved) return;
    const notes: string[] = [];
    if (r.binaryNote) notes.push(r.binaryNote);
    if (r.evictedBinaries > 0)
      notes.push(
        `${r.evictedBinaries} older binar${r.evictedBinaries === 1 ? 'y was' : 'ies were'} removed to stay under ${Math.round(this.limits.maxBinaryBytes / 1e6)} MB; their reports are kept.`,
      );
    this.note = notes.length ? notes.join(' ') : null;
    await this.refresh();
  }

  report(id: string): Promise<Report | undefined> {
    return this.run((h) => h.report(id));
  }

  binary(id: string): Promise<Blob | undefined> {
    return this.run((h) => h.binary(id));
  }

  async remove(id: string): Promise<void> {
    await this.run((h) => h.remove(id));
    await this.refresh();
  }

  async clear(): Promise<void> {
    await this.run((h) => h.clear());
    this.note = null;
    await this.refresh();
  }

  setPrivate(on: boolean): void {
    this.privateMode = on;
    writeFlag(PRIVATE_KEY, on);
  }

  setKeepBinaries(on: boolean): void {
    this.keepBinaries = on;
    writeFlag(KEEP_BINARIES_KEY, on);
  }
}
