// pageCache.ts's pages as state the page reacts to: a row or an error read in
// a template or a $derived is read again when a page arrives or goes.

import { PageCache } from './pageCache.ts';

export class LivePages<R, P extends { readonly rows: readonly R[] } = { rows: R[] }> extends PageCache<R, P> {
  /** Bumped on every change: reading it subscribes the reader. */
  #changes = $state(0);

  protected override changed(): void {
    super.changed();
    this.#changes++;
  }

  override get error(): string | null {
    void this.#changes;
    return super.error;
  }

  override row(i: number): R | undefined {
    void this.#changes;
    return super.row(i);
  }
}
