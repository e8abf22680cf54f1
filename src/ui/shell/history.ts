// Local history: every report the page produces is kept on this device (in
// IndexedDB through idb-keyval), the binary too when the user opts in. Pure
// logic over a small key-value interface, so the limits, the eviction order
// and private mode are tested with a fake store (history.test.ts).
//
// Layout in the store: `index` holds the list of items, newest first (one key,
// so the home view reads one value, not every report); `report:<id>` the
// report; `binary:<id>` the file as a Blob. The index is written after the
// values it points to and before the values it dropped are deleted, so a
// crash leaves at worst unreferenced values, which sweep() removes (run by
// hand: with two tabs open, one tab's sweep could take a value the other has
// written and not yet indexed).

import { createStore, clear, del, get, keys, set } from 'idb-keyval';
import type { Target } from '../../report/targets.ts';
import type { Compatibility, Format, Report } from '../../report/types.ts';

/** The subset of idb-keyval the history needs. */
export interface HistoryStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  clear(): Promise<void>;
}

export interface HistorySettings {
  /** Private mode: nothing is written; what is already stored stays until deleted. */
  private: boolean;
  /** Keep the binary with its report so it can be analyzed again later. */
  keepBinaries: boolean;
}

export interface HistoryLimits {
  /** Reports kept at most; the oldest go first (with their binaries). */
  maxReports: number;
  /** Bytes of binaries kept at most; the oldest binaries go first, their reports stay. */
  maxBinaryBytes: number;
}

// Decimal megabytes, as the page prints sizes.
export const DEFAULT_LIMITS: HistoryLimits = { maxReports: 200, maxBinaryBytes: 200_000_000 };

/** One row of the home view: enough to list and describe a report without reading it. */
export interface HistoryItem {
  id: string;
  name: string;
  size: number;
  sha256: string;
  format: Format;
  /** Architecture of each slice, in file order. */
  arches: string[];
  /** The verdict per target, when the report has a compatibility matrix. */
  verdicts: Partial<Record<Target, Compatibility['verdict']>>;
  errors: number;
  /** Milliseconds since the epoch of the (last) analysis. */
  date: number;
  /** Size of the stored report (its JSON, in bytes). */
  reportBytes: number;
  /** Size of the stored binary; 0 when it was not kept or was evicted. */
  binaryBytes: number;
}

export interface Usage {
  reports: number;
  binaries: number;
  reportBytes: number;
  binaryBytes: number;
}

export type AddResult =
  | { saved: false; why: string }
  | {
      saved: true;
      item: HistoryItem;
      /** Why the binary was not kept when the user asked for it, else null. */
      binaryNote: string | null;
      /** Items dropped past maxReports, and binaries evicted past maxBinaryBytes. */
      droppedReports: number;
      evictedBinaries: number;
    };

const INDEX = 'index';
const reportKey = (id: string) => `report:${id}`;
const binaryKey = (id: string) => `binary:${id}`;

/** The store in the browser: its own database, so clear() touches nothing else. */
export function idbStore(): HistoryStore {
  const s = createStore('binlens-history', 'kv');
  return {
    get: <T>(key: string) => get<T>(key, s),
    set: (key, value) => set(key, value, s),
    del: (key) => del(key, s),
    keys: () => keys<string>(s).then((k) => k.map(String)),
    clear: () => clear(s),
  };
}

const encoder = new TextEncoder();

function verdictsOf(report: Report): HistoryItem['verdicts'] {
  const out: HistoryItem['verdicts'] = {};
  for (const c of report.compatibility ?? []) out[c.target] = c.verdict;
  return out;
}

/** The history item for a report. Files without a hash get an id of their own (never merged). */
export function itemFor(report: Report, now: number, reportBytes: number, binaryBytes: number, uniq: () => string): HistoryItem {
  return {
    id: report.file.sha256 ? `sha256-${report.file.sha256}` : `t${now.toString(36)}-${uniq()}`,
    name: report.file.name,
    size: report.file.size,
    sha256: report.file.sha256,
    format: report.format,
    arches: report.slices.map((s) => s.arch),
    verdicts: verdictsOf(report),
    errors: report.errors.length,
    date: now,
    reportBytes,
    binaryBytes,
  };
}

export interface Plan {
  items: HistoryItem[];
  /** Ids whose report (and binary) go. */
  dropReports: string[];
  /** Ids whose binary goes; the report stays. */
  dropBinaries: string[];
}

/**
 * The index after adding `item` (newest first; an older item with the same id
 * is replaced): reports past `maxReports` drop off the end, then binaries are
 * evicted oldest first until the total fits `maxBinaryBytes`.
 */
export function plan(current: readonly HistoryItem[], item: HistoryItem, limits: HistoryLimits): Plan {
  const all = [item, ...current.filter((i) => i.id !== item.id)];
  const max = Math.max(1, Math.floor(limits.maxReports));
  const dropReports = all.slice(max).map((i) => i.id);
  const dropBinaries: string[] = [];
  let total = 0;
  const items = all.slice(0, max).map((i) => {
    if (i.binaryBytes === 0) return i;
    if (total + i.binaryBytes <= limits.maxBinaryBytes) {
      total += i.binaryBytes;
      return i;
    }
    dropBinaries.push(i.id);
    return { ...i, binaryBytes: 0 };
  });
  return { items, dropReports, dropBinaries };
}

export function usageOf(items: readonly HistoryItem[]): Usage {
  let reportBytes = 0;
  let binaryBytes = 0;
  let binaries = 0;
  for (const i of items) {
    reportBytes += i.reportBytes;
    binaryBytes += i.binaryBytes;
    if (i.binaryBytes > 0) binaries++;
  }
  return { reports: items.length, binaries, reportBytes, binaryBytes };
}

/** A stored index is data from disk (another version of binlens may have written it): keep only well-formed rows. */
function validItems(v: unknown): HistoryItem[] {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (i): i is HistoryItem =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as HistoryItem).id === 'string' &&
      typeof (i as HistoryItem).name === 'string' &&
      typeof (i as HistoryItem).date === 'number' &&
      typeof (i as HistoryItem).binaryBytes === 'number' &&
      typeof (i as HistoryItem).reportBytes === 'number' &&
      Array.isArray((i as HistoryItem).arches),
  );
}

export class History {
  /** Operations run one after another so two quick analyses do not race on the index. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: HistoryStore,
    private readonly settings: () => HistorySettings,
    private readonly limits: HistoryLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly uniq: () => string = () => Math.random().toString(36).slice(2, 10),
  ) {}

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => {});
    return run;
  }

  private async index(): Promise<HistoryItem[]> {
    return validItems(await this.store.get<unknown>(INDEX));
  }

  list(): Promise<HistoryItem[]> {
    return this.serial(() => this.index());
  }

  /** Keeps a report (and its binary when the settings say so), unless private mode is on. */
  add(report: Report, binary: Blob | null): Promise<AddResult> {
    return this.serial(async () => {
      const settings = this.settings();
      if (settings.private) return { saved: false, why: 'Private mode is on: this analysis was not saved.' };
      const reportBytes = encoder.encode(JSON.stringify(report)).byteLength;
      const current = await this.index();
      let binaryNote: string | null = null;
      let keepBinary = false;
      if (settings.keepBinaries && binary) {
        if (binary.size > this.limits.maxBinaryBytes) {
          binaryNote = `The binary is larger than the ${Math.round(this.limits.maxBinaryBytes / 1e6)} MB kept for binaries; only its report was saved.`;
        } else {
          keepBinary = true;
        }
      }
      let item = itemFor(report, this.now(), reportBytes, keepBinary ? binary!.size : 0, this.uniq);
      // The same file (same SHA-256) analyzed again without keeping it: the
      // binary stored the first time is the same bytes, so it stays.
      const previous = current.find((i) => i.id === item.id);
      if (!keepBinary && previous && previous.binaryBytes > 0 && previous.size === item.size) {
        item = { ...item, binaryBytes: previous.binaryBytes };
      }
      const p = plan(current, item, this.limits);
      try {
        await this.store.set(reportKey(item.id), report);
        if (keepBinary) await this.store.set(binaryKey(item.id), binary);
        await this.store.set(INDEX, p.items);
      } catch (e) {
        // Storage full or gone: take back what a new item wrote, so nothing
        // unreferenced stays (an item analyzed before keeps its values).
        if (!previous) {
          await this.store.del(reportKey(item.id)).catch(() => {});
          await this.store.del(binaryKey(item.id)).catch(() => {});
        }
        throw e;
      }
      for (const id of p.dropReports) {
        await this.store.del(reportKey(id));
        await this.store.del(binaryKey(id));
      }
      for (const id of p.dropBinaries) await this.store.del(binaryKey(id));
      return { saved: true, item: p.items[0]!, binaryNote, droppedReports: p.dropReports.length, evictedBinaries: p.dropBinaries.length };
    });
  }

  report(id: string): Promise<Report | undefined> {
    return this.serial(() => this.store.get<Report>(reportKey(id)));
  }

  binary(id: string): Promise<Blob | undefined> {
    return this.serial(() => this.store.get<Blob>(binaryKey(id)));
  }

  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const current = await this.index();
      await this.store.set(
        INDEX,
        current.filter((i) => i.id !== id),
      );
      await this.store.del(reportKey(id));
      await this.store.del(binaryKey(id));
    });
  }

  /** Deletes every stored report and binary. */
  clear(): Promise<void> {
    return this.serial(() => this.store.clear());
  }

  /** Removes stored values the index no longer points to (left by a crash between writes). Returns how many. */
  sweep(): Promise<number> {
    return this.serial(async () => {
      const current = await this.index();
      const live = new Set<string>([INDEX]);
      for (const i of current) {
        live.add(reportKey(i.id));
        if (i.binaryBytes > 0) live.add(binaryKey(i.id));
      }
      let n = 0;
      for (const k of await this.store.keys()) {
        if (!live.has(k)) {
          await this.store.del(k);
          n++;
        }
      }
      return n;
    });
  }
}
