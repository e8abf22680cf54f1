// The folder table's rows as plain functions: a row made from a file's
// summary, the order a column sorts them in, and the counts the header says.
// folderTable.svelte.ts holds them as the page's state; these stay pure so
// that a unit test runs them without Svelte.

import type { Compatibility } from '../../report/types.ts';
import { isTarget, type Target } from '../../report/targets.ts';
import type { FileSummary, VerdictCell } from '../../report/summary.ts';
import type { FileEntry } from '../shell/app.svelte.ts';
import { formatName } from '../common/describe.ts';
import { whyNot, type WhyNot } from '../report/verdictText.ts';

export type Key = 'name' | 'format' | 'arch' | 'type' | 'linkage' | 'size' | 'features' | Target;

/** What a row can be sorted by besides the targets (the header sorts by name, target and size; the rest from "Sort by"). */
export const SORTS: readonly { key: Key; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'size', label: 'Size' },
  { key: 'format', label: 'Format' },
  { key: 'arch', label: 'Architectures' },
  { key: 'type', label: 'File type' },
  { key: 'linkage', label: 'Linkage' },
  { key: 'features', label: 'Key features' },
];

export interface Sort {
  key: Key;
  ascending: boolean;
}

export interface Row {
  entry: FileEntry;
  name: string;
  format: string;
  arch: string;
  type: string;
  linkage: string;
  size: number;
  features: string;
  /** What the file is, on one line under its name: "ELF · arm64 · executable · dynamic". */
  facts: string;
  verdicts: readonly VerdictCell[];
  /** Each target it does not run on (or cannot be told) with the reason, in the targets' order. */
  why: WhyNot[];
}

/**
 * One collator for every comparison ("bin-9" before "bin-10"): localeCompare
 * with options builds one per call, and a folder of 10,000 binaries is
 * sorted again each time the scan adds rows.
 */
const byText = new Intl.Collator('en', { numeric: true }).compare;

/** Sorting a target's column puts what runs there first. */
const VERDICT_ORDER: Record<Compatibility['verdict'], number> = { native: 0, rosetta: 1, unknown: 2, no: 3 };

/** A header click on the sorted column reverses it; choosing from "Sort by" (`fresh`) starts ascending. */
export function nextSort(s: Sort, k: Key, fresh = false): Sort {
  return s.key === k && !fresh ? { key: k, ascending: !s.ascending } : { key: k, ascending: true };
}

export function ariaSort(s: Sort, k: Key): 'ascending' | 'descending' | 'none' {
  return s.key === k ? (s.ascending ? 'ascending' : 'descending') : 'none';
}

/** "release/bin/ls" → "bin/ls" when every path starts with "release/": the folder's name is said once, above. */
export function commonRoot(entries: readonly { path: string }[]): string {
  const first = entries[0]?.path ?? '';
  const slash = first.indexOf('/');
  if (slash <= 0) return '';
  const prefix = first.slice(0, slash + 1);
  return entries.every((e) => e.path.startsWith(prefix)) ? prefix : '';
}

/** The entries with a summary, and of those the files that are not binaries; the rest are still waiting. */
export function scanned(entries: readonly FileEntry[]): { done: FileEntry[]; skipped: FileEntry[]; waiting: number } {
  const done = entries.filter((e) => e.status === 'done' && e.summary !== null);
  const skipped = done.filter((e) => e.summary!.notBinary !== null);
  return { done, skipped, waiting: entries.length - done.length };
}

function uniq(xs: string[]): string {
  return [...new Set(xs)].join(', ');
}

/** A binary's row; `root` is cut from its path, and its reasons follow `order`. */
export function toRow(e: FileEntry, s: FileSummary, root: string, order: readonly Target[]): Row {
  const format = formatName(s.format);
  const arch = s.slices.map((x) => x.arch).join(' + ');
  const type = uniq(s.slices.map((x) => x.fileType.replace('-', ' ')));
  // Linkage means nothing for what the loader never runs.
  const linkage = uniq(s.slices.map((x) => (x.fileType === 'object' || x.fileType === 'core' ? '—' : x.linkage)));
  return {
    entry: e,
    name: e.path.slice(root.length),
    format,
    arch,
    type,
    linkage,
    size: s.size,
    features: uniq(s.slices.flatMap((x) => x.features)),
    facts: [format, arch, type, linkage === '—' ? '' : linkage].filter(Boolean).join(' · '),
    verdicts: s.verdicts ?? [],
    why: whyNot(s.verdicts ?? [], order),
  };
}

export function verdictOn(r: Row, t: Target): VerdictCell | undefined {
  return r.verdicts.find((v) => v.target === t);
}

/** Sorts `rows` in place by one column, ties by name (a target's column: what runs there first). */
export function sortRows(rows: Row[], { key: k, ascending }: Sort): Row[] {
  const dir = ascending ? 1 : -1;
  return rows.sort((a, b) => {
    if (isTarget(k)) {
      const rank = (r: Row) => VERDICT_ORDER[verdictOn(r, k)?.verdict ?? 'unknown'];
      return (rank(a) - rank(b)) * dir || byText(a.name, b.name);
    }
    const x = a[k];
    const y = b[k];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : byText(String(x), String(y));
    return c * dir || byText(a.name, b.name);
  });
}

/** How the binaries fare on one target: a row without its verdict cannot be told. */
export function tallyOn(rows: readonly Row[], t: Target): { runs: number; no: number; unknown: number } {
  const n = { runs: 0, no: 0, unknown: 0 };
  for (const r of rows) {
    const v = verdictOn(r, t)?.verdict ?? 'unknown';
    if (v === 'native' || v === 'rosetta') n.runs++;
    else if (v === 'no') n.no++;
    else n.unknown++;
  }
  return n;
}

/** The name column fits the longest name, within reason (longer ones end in an ellipsis and show whole on hover). */
export function nameWidth(rows: readonly Row[]): number {
  return Math.min(
    44,
    rows.reduce((n, r) => Math.max(n, r.name.length + (r.entry.summary?.errors ? 9 : 0)), 8),
  );
}
