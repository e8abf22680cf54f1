// User-timing marks for `npm run bench` (bench/browser.ts reads them from the
// page with Playwright). Measured inside the page, from the user's action to
// the frame that shows its answer:
//
//   binlens:drop     a drop, or a change of a file input (folders too)
//   binlens:reopen   a click on a report in the history
//   binlens:verdict  the verdict headline (data-testid="answer") painted
//   binlens:report   the whole report painted: every card, the SHA-256, the
//                    first rows of the symbol list and of the ARM64 function
//                    table (when the file has them)
//   binlens:folder   a folder scan finished and its last rows painted
//   binlens:unit     a unit's report (an image, an archive) painted with its verdicts
//   binlens:ready    the analysis worker is started and has its engine (idle-time work)
//
// Marks cost a few microseconds and nothing else; the page never reads them.

import { afterPaint } from './frames.ts';

export type MarkName = 'drop' | 'reopen' | 'verdict' | 'report' | 'folder' | 'unit' | 'ready';

/** Parts of a report that must be on screen before `binlens:report`. */
export type ReportPart = 'cards' | 'sha256' | 'symbols' | 'functions';

function mark(name: MarkName): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(`binlens:${name}`);
}

/** Marks once the next frame is painted. */
export function markPainted(name: MarkName): void {
  afterPaint(() => mark(name));
}

let shown = new Set<ReportPart>();
let needed: readonly ReportPart[] | null = null;

/** The user handed over files (or a report from the history): a new measurement starts. */
export function markStart(name: 'drop' | 'reopen'): void {
  shown = new Set();
  needed = null;
  mark(name);
}

export function markReady(): void {
  mark('ready');
}

/** One part of the report is on screen. */
export function partShown(part: ReportPart): void {
  shown.add(part);
  check();
}

/** The report on screen is final (nothing more will arrive for it); these parts make it whole. */
export function reportNeeds(parts: readonly ReportPart[]): void {
  needed = parts;
  check();
}

function check(): void {
  if (needed && needed.every((p) => shown.has(p))) {
    needed = null;
    markPainted('report');
  }
}
