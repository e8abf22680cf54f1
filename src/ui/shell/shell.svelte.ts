// Everything around the analysis: reports opened from a link (#r1.… in the
// address) or from the history, `?url=` asking before it fetches, the
// history of what was analyzed, and the installed app (service worker
// updates, files handed over by the operating system). The analysis itself
// is AppState's.

import type { Report } from '../../report/types.ts';
import type { ReportDiff } from '../../diff/types.ts';
import type { SharedDiff } from '../../share/diffLink.ts';
import type { OmittedInfo, SharedReport } from '../../share/index.ts';
import type { LinkProblem } from '../../share/permalink.ts';
import { AppState, type Progress } from './app.svelte.ts';
import type { Picked } from './dropFiles.ts';
import type { HistoryItem } from './history.ts';
import { HistoryState } from './historyState.svelte.ts';
import { markStart } from '../common/marks.ts';
import { fetchBinary, urlRequest, type UrlRequest } from './openUrl.ts';
import type { Pwa } from './pwa.ts';

/** A report on screen with no binary behind it. */
export type Detached =
  | { kind: 'link'; report: SharedReport; omitted: OmittedInfo; omittedLines: string[]; url: string }
  | { kind: 'saved'; report: Report; item: HistoryItem };

/** A diff of two builds on screen: made here, or opened from a link (`url`). */
export interface Compared {
  diff: ReportDiff | SharedDiff;
  url: string | null;
  omittedLines: string[];
}

/** One side of a comparison: a file, a saved report (history), or a report link. */
export type CompareSide = { kind: 'file'; file: File } | { kind: 'saved'; item: HistoryItem } | { kind: 'link'; url: string };

/** Why the link in the address does not open: the kind (what the page advises) and the technical detail. */
export interface LinkFailure {
  problem: LinkProblem | 'reader';
  detail: string;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Shell {
  readonly app = new AppState();
  readonly history = new HistoryState();

  detached = $state.raw<Detached | null>(null);
  /** Why the link in the address cannot be opened. */
  linkError = $state.raw<LinkFailure | null>(null);
  /** Reading a link (inflating and checking it). */
  readingLink = $state(false);

  /** The diff of two builds on screen. */
  compared = $state.raw<Compared | null>(null);
  /** Comparing two builds (reading and analyzing both). */
  comparing = $state(false);
  compareError = $state<string | null>(null);

  /** `?url=`: what the page was asked to fetch, waiting for the user. */
  urlAsk = $state.raw<UrlRequest | null>(null);
  urlProgress = $state.raw<Progress | null>(null);
  urlError = $state<string | null>(null);

  /** A new version is waiting for the user's Reload. */
  needRefresh = $state(false);
  /** The app has just been cached for offline use (said in the footer). */
  offlineReady = $state(false);
  pwaError = $state<string | null>(null);

  /** What the main area shows. */
  readonly view = $derived.by((): 'link-error' | 'reading-link' | 'diff' | 'detached' | 'files' | 'home' => {
    if (this.linkError !== null) return 'link-error';
    if (this.compared !== null) return 'diff';
    if (this.detached !== null) return 'detached';
    if (this.readingLink) return 'reading-link';
    if (this.app.entries.length > 0 || this.app.opening !== null) return 'files';
    return 'home';
  });

  private linkRun = 0;
  private fetchAbort: AbortController | null = null;
  private pwa: Pwa | null = null;

  constructor() {
    // A page opened from a link shows "Opening the link…" from its first paint, not the start page.
    this.readingLink = typeof location !== 'undefined' && location.hash.length > 1;
    this.app.onanalyzed = (report, entry) => {
      // A file that is not ELF or Mach-O is not worth a line in the history.
      if (report.format === 'unknown') return;
      void this.history.record(report, entry.file);
    };
  }

  /** Reads the address (link, ?url=), starts listening for link changes, loads the history and the service worker. */
  start(): () => void {
    void this.history.refresh();
    this.urlAsk = urlRequest(location.search, location.href);
    if (location.hash.length > 1) void this.openLink(location.hash);
    const onHash = (): void => {
      if (location.hash.length > 1) void this.openLink(location.hash);
      else if (this.detached?.kind === 'link' || this.linkError !== null) this.leaveLink();
    };
    window.addEventListener('hashchange', onHash);
    // Workbox's window code, the launch queue and the sharing code are not
    // needed for the first paint; they load right after it, so that an
    // analysis later makes no request (and works offline before the service
    // worker has taken over).
    const idle = setTimeout(() => {
      void this.startPwa();
      void import('../../share/index.ts').catch(() => {});
    }, 0);
    return () => {
      window.removeEventListener('hashchange', onHash);
      clearTimeout(idle);
    };
  }

  private async startPwa(): Promise<void> {
    if (import.meta.env.DEV) return;
    try {
      const { startPwa, consumeLaunches } = await import('./pwa.ts');
      this.pwa = startPwa({
        onNeedRefresh: () => (this.needRefresh = true),
        onOfflineReady: () => (this.offlineReady = true),
        onError: (m) => (this.pwaError = m),
      });
      consumeLaunches((files, unreadable) => {
        const note = unreadable > 0 ? `${unreadable} file${unreadable === 1 ? '' : 's'} could not be read.` : null;
        this.files(
          files.map((file) => ({ file, path: file.name })),
          note,
        );
      });
    } catch (e) {
      this.pwaError = `Offline use is not available: ${message(e)}`;
    }
  }

  /** Opens the report a link carries; a bad link shows why and nothing else. */
  async openLink(fragment: string): Promise<void> {
    const run = ++this.linkRun;
    this.readingLink = true;
    // The link code (inflate, schema checks) loads only when a link is opened.
    let share: typeof import('../../share/index.ts');
    try {
      share = await import('../../share/index.ts');
    } catch (e) {
      if (run !== this.linkRun) return;
      this.readingLink = false;
      this.linkError = { problem: 'reader', detail: `the page could not load its link reader: ${message(e)}` };
      return;
    }
    if (share.linkKind(fragment) === 'd') {
      const d = await share.decodeDiffLink(fragment);
      if (run !== this.linkRun) return;
      this.readingLink = false;
      this.app.clear();
      this.urlAsk = null;
      this.detached = null;
      if (d.ok) {
        this.linkError = null;
        this.compared = { diff: d.diff, url: location.href, omittedLines: share.diffOmittedLines(d.omitted) };
      } else {
        this.compared = null;
        this.linkError = { problem: d.problem, detail: d.error };
      }
      window.scrollTo(0, 0);
      return;
    }
    const result = await share.decodePermalink(fragment);
    if (run !== this.linkRun) return;
    this.readingLink = false;
    this.app.clear();
    this.urlAsk = null;
    if (result.ok) {
      this.linkError = null;
      this.detached = {
        kind: 'link',
        report: result.report,
        omitted: result.omitted,
        omittedLines: share.omittedLines(result.omitted),
        url: location.href,
      };
    } else {
      this.detached = null;
      this.linkError = { problem: result.problem, detail: result.error };
    }
    window.scrollTo(0, 0);
  }

  /** Drops the link from the address without a new history entry. */
  private clearHash(): void {
    if (location.hash) window.history.replaceState(window.history.state, '', location.pathname + location.search);
  }

  private leaveLink(): void {
    this.linkRun++;
    this.readingLink = false;
    this.linkError = null;
    this.detached = null;
    this.compared = null;
    this.compareError = null;
  }

  /**
   * Compares two builds. Two files are diffed in the worker with everything
   * their bytes give (per-function PAC/BTI, symbol sizes); a saved report or a
   * link has only its report, and the diff says what it could not compare.
   */
  async compare(old: CompareSide, now: CompareSide): Promise<void> {
    this.compareError = null;
    this.comparing = true;
    try {
      let diff: ReportDiff;
      if (old.kind === 'file' && now.kind === 'file') diff = await this.app.compare(old.file, now.file);
      else {
        const [{ diffReports }, a, b] = await Promise.all([import('../../diff/diff.ts'), this.reportFor(old), this.reportFor(now)]);
        diff = diffReports({ report: a }, { report: b });
      }
      this.app.clear();
      this.leaveLink();
      this.clearHash();
      this.compared = { diff, url: null, omittedLines: [] };
      window.scrollTo(0, 0);
    } catch (e) {
      this.compareError = message(e);
    } finally {
      this.comparing = false;
    }
  }

  private async reportFor(side: CompareSide): Promise<Report> {
    if (side.kind === 'file') {
      const r = await this.app.reportOf(side.file);
      if (r.format === 'unknown' || r.slices.length === 0) throw new Error(`${side.file.name} is not an ELF or Mach-O binary.`);
      return r;
    }
    if (side.kind === 'saved') {
      const r = await this.history.report(side.item.id);
      if (!r) throw new Error(`The saved report of ${side.item.name} is no longer stored.`);
      return r;
    }
    const share = await import('../../share/index.ts');
    const r = await share.decodePermalink(side.url);
    if (!r.ok) throw new Error(`That link does not open: ${r.error}`);
    return r.report;
  }

  /** Back to the start page. */
  home(): void {
    this.leaveLink();
    this.clearHash();
    this.app.clear();
  }

  /** Files dropped, picked, launched or fetched: they replace whatever is shown. */
  files(picked: Picked[], note: string | null = null): void {
    if (picked.length > 0) {
      this.leaveLink();
      this.clearHash();
    }
    this.app.add(picked, note);
  }

  /** A history item: analyzed again when its binary was kept, else its report read-only. */
  async openSaved(item: HistoryItem): Promise<void> {
    markStart('reopen');
    if (item.binaryBytes > 0) {
      const blob = await this.history.binary(item.id);
      if (blob) {
        const file = blob instanceof File && blob.name === item.name ? blob : new File([blob], item.name);
        this.files([{ file, path: item.name }]);
        return;
      }
    }
    const report = await this.history.report(item.id);
    if (!report) {
      this.app.notice = `The saved report of ${item.name} is no longer stored; it was removed from the list.`;
      await this.history.remove(item.id);
      return;
    }
    this.app.clear();
    this.leaveLink();
    this.clearHash();
    this.detached = { kind: 'saved', report, item };
    window.scrollTo(0, 0);
  }

  /** The user confirmed `?url=`: fetch, then analyze as a dropped file. */
  async confirmUrl(): Promise<void> {
    const ask = this.urlAsk;
    if (!ask || ask.kind !== 'fetchable' || this.fetchAbort) return;
    const abort = new AbortController();
    this.fetchAbort = abort;
    this.urlError = null;
    this.urlProgress = { label: `Downloading ${ask.name}`, done: 0, total: 0, unit: 'bytes' };
    try {
      const file = await fetchBinary(ask.url, ask.name, {
        signal: abort.signal,
        onProgress: (done, total) => {
          if (this.fetchAbort === abort) this.urlProgress = { label: `Downloading ${ask.name}`, done, total, unit: 'bytes' };
        },
      });
      if (this.fetchAbort !== abort) return;
      this.dropUrlParam();
      this.files([{ file, path: ask.name }]);
    } catch (e) {
      if (this.fetchAbort === abort) this.urlError = message(e);
    } finally {
      if (this.fetchAbort === abort) {
        this.fetchAbort = null;
        this.urlProgress = null;
      }
    }
  }

  /** Cancel (or stop the download): the address loses its `url` parameter. */
  cancelUrl(): void {
    if (this.fetchAbort) {
      this.fetchAbort.abort();
      this.fetchAbort = null;
      this.urlProgress = null;
      this.urlError = 'Stopped.';
      return;
    }
    this.dropUrlParam();
  }

  private dropUrlParam(): void {
    this.urlAsk = null;
    this.urlError = null;
    const params = new URLSearchParams(location.search);
    params.delete('url');
    const q = params.toString();
    window.history.replaceState(window.history.state, '', location.pathname + (q ? `?${q}` : '') + location.hash);
  }

  reloadForUpdate(): void {
    void this.pwa?.update();
    // The page reloads when the new worker takes control. If there is no
    // waiting worker any more (another tab already switched), reload anyway.
    setTimeout(() => location.reload(), 4000);
  }
}
