// The folder table's state: its rows from the scan's entries, the column they
// are sorted by, the user's target first among the targets, and the counts
// the header says. FolderTable.svelte shows it; the row building, sorting and
// counting are folderRows.ts's plain functions.

import { TARGETS, type Target } from '../../report/targets.ts';
import type { FileEntry } from '../shell/app.svelte.ts';
import { myTarget } from '../report/myTarget.svelte.ts';
import { commonRoot, nameWidth, nextSort, scanned, sortRows, tallyOn, toRow, type Key, type Row, type Sort } from './folderRows.ts';

export class FolderModel {
  /** The scan's entries, read again whenever they change. */
  readonly #entries: () => readonly FileEntry[];
  sort: Sort = $state.raw({ key: 'name', ascending: true });

  readonly mine = $derived(myTarget.value);
  /** My target's column first: on a phone it is the one in view. */
  readonly targets: readonly Target[] = $derived(this.mine ? [this.mine, ...TARGETS.filter((t) => t !== this.mine)] : TARGETS);
  readonly root = $derived.by(() => commonRoot(this.#entries()));

  readonly #scan = $derived.by(() => scanned(this.#entries()));
  readonly skipped = $derived(this.#scan.skipped);
  /** Entries not analyzed yet. */
  readonly waiting = $derived(this.#scan.waiting);

  /**
   * Rows by entry: an entry is replaced, never changed, when its summary
   * arrives, so a scan's redraw builds rows only for the files that changed
   * (the common folder prefix is fixed for the entries of one drop).
   */
  #rowOf = new WeakMap<FileEntry, Row>();
  #rowOrder: readonly Target[] = TARGETS;

  /** The binaries' rows in the sorted order. */
  readonly binaries = $derived.by(() => {
    const rows: Row[] = [];
    // The reasons follow the targets' order (the user's target first): built again when it changes.
    if (this.#rowOrder !== this.targets) {
      this.#rowOf = new WeakMap();
      this.#rowOrder = this.targets;
    }
    for (const e of this.#scan.done) {
      const s = e.summary!;
      if (s.notBinary) continue;
      let r = this.#rowOf.get(e);
      if (!r) {
        r = toRow(e, s, this.root, this.targets);
        this.#rowOf.set(e, r);
      }
      rows.push(r);
    }
    return sortRows(rows, this.sort);
  });

  /** How the binaries fare on the user's target. */
  readonly runsOnMine = $derived(this.mine ? tallyOn(this.binaries, this.mine) : null);
  /** The name column's width in characters. */
  readonly nameCh = $derived(nameWidth(this.binaries));

  constructor(entries: () => readonly FileEntry[]) {
    this.#entries = entries;
  }

  /** A header click on the sorted column reverses it; choosing from "Sort by" (`fresh`) starts ascending. */
  sortBy(k: Key, fresh = false): void {
    this.sort = nextSort(this.sort, k, fresh);
  }
}
