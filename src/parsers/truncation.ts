// Structures a file's headers place past its end. A cut-short file (an
// interrupted download or copy) still parses as far as its bytes go; this
// records what is missing so the report can say so and the verdicts do not
// rest on it: each structure with the bytes it needs, and the report fields
// whose values those bytes would have decided.

import { hex, type Reader } from './reader.ts';
import type { MissingKind, MissingPart, SliceReport } from '../report/types.ts';

/** Most parts listed per slice: a forged section table can put thousands of sections past the end. */
export const MAX_MISSING = 64;

/** A report field name (`linkage`, `libraries`, `codeSignature`…), as SliceReport spells it. */
export type Fact = keyof SliceReport;

/**
 * A structure past the end of the file in values: the report's entry for it (`part`, its offsets written as text)
 * with the numbers it was written from. The verdicts reason over these (src/verdict/truncated.ts).
 */
export interface Cut {
  part: MissingPart;
  /** The bytes it needs, absolute file offsets: `part.start` and `part.end`. */
  start: bigint;
  end: bigint;
  /** For a universal file's `slice`: its architecture (`arm64`), as `part.what` names it. */
  arch?: string;
}

export class Cuts {
  readonly missing: Cut[] = [];
  /** Report fields the missing bytes leave unknown or partial. */
  readonly facts = new Set<Fact>();
  /** Parts not listed because MAX_MISSING were already recorded. */
  dropped = 0;

  constructor(
    /** The `index` of the slice these parts belong to; null for a universal file's header. */
    readonly slice: number | null,
  ) {}

  /**
   * Records the structure at [offset, offset + length) of `r` (offsets relative to its window) when it runs
   * past the end of the file, marking `facts` unknown; returns whether it does. The end of the file, not of
   * the window: a universal file's slice may itself be cut short.
   */
  need(
    r: Reader,
    offset: number,
    length: number,
    part: { kind: MissingKind; what: string; field: string; segment?: number; arch?: string },
    facts: readonly Fact[] = [],
  ): boolean {
    const start = BigInt(r.base) + BigInt(Math.max(0, offset));
    const end = start + BigInt(Math.max(0, length));
    if (end <= BigInt(r.source.size)) return false;
    const { segment, arch, ...rest } = part;
    this.add({
      part: { slice: this.slice, ...rest, start: hex(start), end: hex(end), ...(segment !== undefined ? { segment } : {}) },
      start,
      end,
      ...(arch !== undefined ? { arch } : {}),
    });
    for (const f of facts) this.facts.add(f);
    return true;
  }

  add(c: Cut): void {
    if (this.missing.length < MAX_MISSING) this.missing.push(c);
    else this.dropped++;
  }

  unknown(...facts: Fact[]): void {
    for (const f of facts) this.facts.add(f);
  }

  /** The slice's `incomplete` list: fields in the report's order, then those the report does not hold yet (`arm64`). */
  incomplete(report: SliceReport): string[] | undefined {
    if (this.facts.size === 0) return undefined;
    const keys = Object.keys(report);
    return [...keys.filter((k) => this.facts.has(k as Fact)), ...[...this.facts].filter((f) => !keys.includes(f))];
  }
}
