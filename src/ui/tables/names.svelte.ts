// Demangled names on the page: whether names are shown demangled or as the
// file holds them (one switch for every list), and the demangled text of the
// report's own names (imports) asked from the worker in batches and kept.
// The worker loads the demangler (src/demangle) on first use; the page never
// holds its WebAssembly.

import { SvelteMap } from 'svelte/reactivity';
import type { NameFormat } from '../../demangle/names.ts';
import { mangledName } from '../../demangle/names.ts';

export type DemangleNames = (names: string[], format: NameFormat) => Promise<(string | null)[]>;

class Names {
  /** Show names as the file holds them (mangled) instead of demangled. */
  raw = $state(false);
  private readonly known = new SvelteMap<string, string | null>();
  private pending = new Map<NameFormat, Set<string>>();
  private scheduled = false;
  private source: DemangleNames | null = null;

  /** Where demangled text comes from (the page's analysis worker). */
  attach(source: DemangleNames): void {
    this.source = source;
  }

  /** The demangled text of a name, null when it is not mangled or not known yet (it is asked for then). */
  demangled(name: string, format: NameFormat): string | null {
    if (mangledName(name, format) === null) return null;
    const key = `${format}\u0000${name}`;
    const d = this.known.get(key);
    if (d !== undefined) return d;
    this.request(name, format);
    return null;
  }

  /** What to show for a name: its demangled text unless raw names are asked for. */
  shown(name: string, format: NameFormat): string {
    return this.raw ? name : (this.demangled(name, format) ?? name);
  }

  private request(name: string, format: NameFormat): void {
    if (!this.source) return;
    let set = this.pending.get(format);
    if (!set) this.pending.set(format, (set = new Set()));
    set.add(name);
    if (this.scheduled) return;
    this.scheduled = true;
    // Asked after the render that wanted them, in one batch per format.
    queueMicrotask(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batches = this.pending;
    this.pending = new Map();
    for (const [format, set] of batches) {
      const list = [...set];
      let out: (string | null)[];
      try {
        out = (await this.source?.(list, format)) ?? list.map(() => null);
      } catch {
        out = list.map(() => null);
      }
      list.forEach((n, i) => this.known.set(`${format}\u0000${n}`, out[i] ?? null));
    }
  }
}

export const names = new Names();
