// The diff of two builds: a versioned, documented data type (docs/diff.md),
// as the report is (docs/report.md). The CLI's `diff --json`, its text, the
// page's Compare view, the diff permalink and the Markdown export all derive
// from it. What changed for the user comes first (verdicts, findings, floors,
// protections, libraries, signature, Go), then sizes.

import type { Compatibility, Finding, Format, Report } from '../report/types.ts';
import type { Target } from '../report/targets.ts';
import type { SliceSizes as SizeLists } from '../size/groups.ts';

export const DIFF_SCHEMA = 1;

/** One value in the old build and in the new one. */
export interface Change<T> {
  old: T;
  new: T;
}

export interface DiffFile {
  name: string;
  size: number;
  sha256: string;
  format: Format;
  /** The architecture of each slice, in file order. */
  arches: string[];
}

/** Why `diff` exits 1: the new build takes something away that a release pipeline should stop on. */
export type GateKind = 'target-lost' | 'protection-lost' | 'coverage-lost' | 'floor-raised';

export interface GateReason {
  kind: GateKind;
  /** The slice's architecture; null for a target (a target is the whole file's). */
  arch: string | null;
  /** The target, the `features` flag, `pac`/`bti`, or `glibc`/`minOS`. */
  what: string;
  /** One sentence. */
  text: string;
}

export type Verdict = Compatibility['verdict'];

export interface VerdictChange {
  target: Target;
  /** `null`: the report of that side has no verdict for the target. */
  old: Verdict | null;
  new: Verdict | null;
  /** `gained`: runs now and did not; `lost`: ran and does not; `changed`: another change (native ↔ rosetta, no ↔ unknown). */
  change: 'gained' | 'lost' | 'changed';
  /** The new report's reason (the old one's when the new has none). */
  reason: string;
}

export interface FindingRef {
  id: string;
  severity: Finding['severity'];
  title: string;
  /** Architecture of the slice the finding is about; null for the whole file. */
  arch: string | null;
}

export interface FloorChange {
  what: 'glibc' | 'minOS';
  /** `minOS`: the platform (`macos`, `linux`…); null for glibc. */
  platform: string | null;
  old: string | null;
  new: string | null;
  /** `raised`: the new build needs a newer system (or now needs one at all); `changed`: not comparable (another platform). */
  direction: 'raised' | 'lowered' | 'changed';
}

export type FeatureFlag = 'pie' | 'nx' | 'relro' | 'canary' | 'fortify' | 'bti' | 'pac' | 'ibt' | 'shstk';

export interface FeatureChange {
  flag: FeatureFlag;
  old: boolean | string | null;
  new: boolean | string | null;
  /** A protection the old build had and the new one does not (true → false; RELRO full → partial → none). */
  lost: boolean;
}

/** One PAC/BTI fact over the functions both builds have (matched by demangled name). */
export interface CoverageDiff {
  /** Matched functions with the fact in the old build and in the new one. */
  old: number;
  new: number;
  /** Matched functions that lost it / gained it: their count, and the first names (at most `top`). */
  lostCount: number;
  gainedCount: number;
  lost: string[];
  gained: string[];
}

export interface FunctionCoverage {
  /** Named functions in each build. */
  functions: Change<number>;
  /** Names both builds have. */
  matched: number;
  /** Functions that sign their return address. */
  pac: CoverageDiff;
  /** Functions that start with a BTI landing pad (PACIASP/PACIBSP count: they act as BTI c). */
  bti: CoverageDiff;
}

export interface ListChange {
  added: string[];
  removed: string[];
}

export interface SignatureState {
  /** `unsigned`, `ad-hoc`, `linker-signed` (ad hoc, by the linker) or `signed` (with a certificate). */
  kind: 'unsigned' | 'ad-hoc' | 'linker-signed' | 'signed';
  identifier: string | null;
  teamId: string | null;
  /** The signature checked against the bytes (`codeSignature.validation.status`); null when not checked. */
  status: 'valid' | 'invalid' | 'unsupported' | null;
}

export interface GoDiff {
  version: Change<string | null> | null;
  /** Build settings (`go version -m`'s `build` lines) added, removed or changed; null for absent. */
  settings: { key: string; old: string | null; new: string | null }[];
  /** Modules (main and dependencies) whose version changed, or that were added or removed; a replacement shows as `v1.0.0 => ../path`. */
  modules: { path: string; old: string | null; new: string | null }[];
}

/** A named size in both builds; 0 where absent. */
export interface SizeChange {
  name: string;
  old: number;
  new: number;
}

export interface SymbolSizes {
  /** Every symbol (or function) that grew, shrank, appeared or disappeared: counts, and the largest changes (at most `top` each). */
  counts: { grew: number; shrank: number; appeared: number; disappeared: number };
  grew: SizeChange[];
  shrank: SizeChange[];
  appeared: SizeChange[];
  disappeared: SizeChange[];
}

export interface SliceSizes {
  /** The slice's bytes. */
  total: Change<number>;
  /** Sections whose size changed, appeared or disappeared, largest change first (at most MAX_SECTIONS); key `SEGMENT,name` for Mach-O. */
  sections: SizeChange[];
  /** Sections that changed beyond the ones listed. */
  moreSections: number;
  /** The size map's groups (Go packages, Rust crates, C++ namespaces, names, the unattributed bytes), largest change first (at most `top`); null when a build has no size lists. */
  groups: (SizeChange & { kind: string })[] | null;
  moreGroups: number;
  /** Null when a build's symbol sizes are not known (a report opened from the history without its binary, or from a link). */
  symbols: SymbolSizes | null;
}

export interface SliceDiff {
  arch: string;
  floors: FloorChange[];
  /** `features` flags that changed. */
  features: FeatureChange[];
  /** Per-function PAC/BTI; null when either build's functions are not known (not arm64, no binary, no engine). */
  coverage: FunctionCoverage | null;
  libraries: ListChange;
  rpaths: ListChange;
  /** Present when the signature's kind, identifier, team or check changed. */
  signature: Change<SignatureState> | null;
  /** Present when either build is Go and something of it changed. */
  go: GoDiff | null;
  sizes: SliceSizes;
}

export interface ReportDiff {
  diffSchema: typeof DIFF_SCHEMA;
  old: DiffFile;
  new: DiffFile;
  /** What makes `diff` exit 1; empty when nothing does. */
  gate: GateReason[];
  /** Targets whose verdict changed, in TARGETS order. */
  verdicts: VerdictChange[];
  findings: { added: FindingRef[]; gone: FindingRef[] };
  /** Architectures only one build has. */
  slices: ListChange;
  /** Slices both builds have, matched by architecture, in the new file's order. */
  matched: SliceDiff[];
  /** How many entries each top list keeps. */
  top: number;
  /** Sentences: what could not be compared and why. */
  notes: string[];
}

/** What the diff reads of one slice beyond its report: facts that need the binary (the worker and the CLI have it). */
export interface SliceFacts {
  /** Named functions in address order, names demangled, with the ARM64 analysis's per-function facts; null when unknown. */
  functions: { name: string; signs: boolean; btiEntry: boolean }[] | null;
  /** The slice's sizes per section, group and symbol (src/size sliceSizes), names demangled; null when unknown. */
  sizes: SizeLists | null;
}

/** One build: its report, and the facts of each slice when the binary was at hand. */
export interface DiffInput {
  report: Report;
  facts?: (SliceFacts | null)[];
}
