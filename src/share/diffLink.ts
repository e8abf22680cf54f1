// A diff of two builds as a link of its own (`#d1.…`), by the same steps, budget
// and rules as a report link (permalink.ts: envelope [diff schema, diff,
// omitted, crc], the platform's raw DEFLATE, base64url, CRC-32, every check a
// link from a stranger gets): the codec here writes the ReportDiff
// (src/diff/types.ts) field by field, `Fields<T>` making tsc fail when the
// diff gains a field the link does not carry. What the user reads first
// always travels (verdicts, findings, floors, protections, libraries,
// signature, Go); the long lists (names that lost PAC/BTI, sections,
// packages, symbols) keep the rows that fit the budget. docs/sharing.md,
// "Diff links".

import { DIFF_SCHEMA, type ReportDiff } from '../diff/types.ts';
import type {
  Change,
  CoverageDiff,
  DiffFile,
  FeatureChange,
  FindingRef,
  FloorChange,
  FunctionCoverage,
  GateReason,
  GoDiff,
  ListChange,
  SignatureState,
  SizeChange,
  SliceDiff,
  SliceSizes,
  SymbolSizes,
  VerdictChange,
} from '../diff/types.ts';
import { arr, bool, enumOf, int, literal, nullable, obj, str, token, ShapeError, type Codec } from './codec.ts';
import {
  damagedLink,
  encodeLink,
  oneLineError,
  omittedFromJson,
  openLink,
  type EncodeOptions,
  type LinkFormat,
  type LinkOmitted,
  type LinkProblem,
  type Permalink,
} from './permalink.ts';
import { ROW_CAPS, STRING_CAPS, target } from './schema.ts';

/** Version of the diff link format this binlens writes. */
export const DIFF_LINK_VERSION = 1;

/** Budgeted tables of a diff link, in priority order (as schema.ts TABLES: `core` fills the hard cap, `detail` the budget). */
export const DIFF_TABLES = [
  { table: 'slices', tier: 'core' },
  { table: 'gate', tier: 'core' },
  { table: 'verdicts', tier: 'core' },
  { table: 'findings', tier: 'core' },
  { table: 'libraries', tier: 'core' },
  { table: 'rpaths', tier: 'core' },
  { table: 'goSettings', tier: 'core' },
  { table: 'goModules', tier: 'core' },
  { table: 'notes', tier: 'core' },
  { table: 'coverageNames', tier: 'detail' },
  { table: 'sections', tier: 'detail' },
  { table: 'groups', tier: 'detail' },
  { table: 'symbols', tier: 'detail' },
] as const;

export type DiffTable = (typeof DIFF_TABLES)[number]['table'];

/** Every table a diff link can report as cut, by its number: append only. `other`: rows past a fixed cap. */
export const DIFF_TABLE_IDS = [
  'slices',
  'gate',
  'verdicts',
  'findings',
  'libraries',
  'rpaths',
  'goSettings',
  'goModules',
  'notes',
  'coverageNames',
  'sections',
  'groups',
  'symbols',
  'other',
] as const satisfies readonly (DiffTable | 'other')[];
const everyTableNumbered: Record<Exclude<DiffTable, (typeof DIFF_TABLE_IDS)[number]>, never> = {};
void everyTableNumbered;

export type DiffOmitted = LinkOmitted<(typeof DIFF_TABLE_IDS)[number]>;

/** A diff opened from a link: the binaries are not attached, and long lists may be shortened. */
export type SharedDiff = ReportDiff & { shared: true; omitted: DiffOmitted };

const MAX = Number.MAX_SAFE_INTEGER;
const short = str(STRING_CAPS.short);
const name = str(STRING_CAPS.name);
const text = str(STRING_CAPS.text);
const uint = int(0, MAX);
const sha256 = token(64, /^(?:[0-9a-f]{64})?$/);
const list = <T>(c: Codec<T>, table: DiffTable) => arr(c, { max: ROW_CAPS.list, table });
const few = <T>(c: Codec<T>) => arr(c, { max: 64 });

const verdict = nullable(enumOf(['native', 'rosetta', 'no', 'unknown'] as const));

const file = obj<DiffFile>({
  name,
  size: uint,
  sha256,
  format: enumOf(['elf', 'macho', 'macho-fat', 'unknown'] as const),
  arches: arr(short, { max: ROW_CAPS.slices }),
});

const gate = obj<GateReason>({
  kind: enumOf(['target-lost', 'protection-lost', 'coverage-lost', 'floor-raised'] as const),
  arch: nullable(short),
  what: short,
  text,
});

const verdictChange = obj<VerdictChange>({
  target,
  old: verdict,
  new: verdict,
  change: enumOf(['gained', 'lost', 'changed'] as const),
  reason: text,
});

const findingRef = obj<FindingRef>({
  id: short,
  severity: enumOf(['error', 'warning', 'info'] as const),
  title: text,
  arch: nullable(short),
});

const floor = obj<FloorChange>({
  what: enumOf(['glibc', 'minOS'] as const),
  platform: nullable(short),
  old: nullable(short),
  new: nullable(short),
  direction: enumOf(['raised', 'lowered', 'changed'] as const),
});

/** A features value: a boolean, RELRO's word, or n/a. */
const featureValue: Codec<boolean | string | null> = {
  enc: (v, cx) => (typeof v === 'string' ? short.enc(v, cx) : v === null ? null : bool.enc(v, cx)),
  dec: (j) => (typeof j === 'string' ? short.dec(j) : j === null ? null : bool.dec(j)),
};

const feature = obj<FeatureChange>({
  flag: enumOf(['pie', 'nx', 'relro', 'canary', 'fortify', 'bti', 'pac', 'ibt', 'shstk'] as const),
  old: featureValue,
  new: featureValue,
  lost: bool,
});

const coverageDiff = obj<CoverageDiff>({
  old: uint,
  new: uint,
  lostCount: uint,
  gainedCount: uint,
  lost: list(name, 'coverageNames'),
  gained: list(name, 'coverageNames'),
});

const numbers = obj<Change<number>>({ old: uint, new: uint });

const coverage = obj<FunctionCoverage>({ functions: numbers, matched: uint, pac: coverageDiff, bti: coverageDiff });

const listChange = (table: DiffTable) => obj<ListChange>({ added: list(name, table), removed: list(name, table) });

const signatureState = obj<SignatureState>({
  kind: enumOf(['unsigned', 'ad-hoc', 'linker-signed', 'signed'] as const),
  identifier: nullable(name),
  teamId: nullable(short),
  status: nullable(enumOf(['valid', 'invalid', 'unsupported'] as const)),
});

const goDiff = obj<GoDiff>({
  version: nullable(obj<Change<string | null>>({ old: nullable(short), new: nullable(short) })),
  settings: list(obj<GoDiff['settings'][number]>({ key: short, old: nullable(text), new: nullable(text) }), 'goSettings'),
  modules: list(obj<GoDiff['modules'][number]>({ path: name, old: nullable(name), new: nullable(name) }), 'goModules'),
});

const sizeChange = obj<SizeChange>({ name, old: uint, new: uint });

const symbolSizes = obj<SymbolSizes>({
  counts: obj<SymbolSizes['counts']>({ grew: uint, shrank: uint, appeared: uint, disappeared: uint }),
  grew: list(sizeChange, 'symbols'),
  shrank: list(sizeChange, 'symbols'),
  appeared: list(sizeChange, 'symbols'),
  disappeared: list(sizeChange, 'symbols'),
});

const sliceSizes = obj<SliceSizes>({
  total: numbers,
  sections: list(sizeChange, 'sections'),
  moreSections: uint,
  groups: nullable(list(obj<SizeChange & { kind: string }>({ name, old: uint, new: uint, kind: short }), 'groups')),
  moreGroups: uint,
  symbols: nullable(symbolSizes),
});

const sliceDiff = obj<SliceDiff>({
  arch: short,
  floors: few(floor),
  features: few(feature),
  coverage: nullable(coverage),
  libraries: listChange('libraries'),
  rpaths: listChange('rpaths'),
  signature: nullable(obj<Change<SignatureState>>({ old: signatureState, new: signatureState })),
  go: nullable(goDiff),
  sizes: sliceSizes,
});

export const diffCodec: Codec<ReportDiff> = obj<ReportDiff>({
  diffSchema: literal(DIFF_SCHEMA),
  old: file,
  new: file,
  gate: list(gate, 'gate'),
  verdicts: list(verdictChange, 'verdicts'),
  findings: obj<ReportDiff['findings']>({ added: list(findingRef, 'findings'), gone: list(findingRef, 'findings') }),
  slices: listChange('slices'),
  matched: arr(sliceDiff, { max: ROW_CAPS.slices, table: 'slices', slices: true }),
  top: uint,
  notes: list(text, 'notes'),
});

const DIFF_LINK: LinkFormat<ReportDiff> = {
  letter: 'd',
  version: DIFF_LINK_VERSION,
  schema: DIFF_SCHEMA,
  codec: diffCodec,
  tables: DIFF_TABLES,
  tableIds: DIFF_TABLE_IDS,
};

export type DiffDecodeResult = { ok: true; diff: SharedDiff; omitted: DiffOmitted } | { ok: false; error: string; problem: LinkProblem };

function readV1(envelope: unknown): { diff: ReportDiff; omitted: DiffOmitted } | string {
  if (!Array.isArray(envelope) || envelope.length < 3) throw new ShapeError('expected [schema, diff, omitted]');
  const schema: unknown = envelope[0];
  if (schema !== DIFF_SCHEMA) {
    if (typeof schema === 'number' && Number.isSafeInteger(schema) && schema > DIFF_SCHEMA)
      return `made by a newer binlens (diff schema ${schema}); this page reads diff schema ${DIFF_SCHEMA}`;
    throw new ShapeError(`unknown diff schema ${JSON.stringify(schema)?.slice(0, 20)}`);
  }
  let diff: ReportDiff;
  try {
    diff = diffCodec.dec(envelope[1]);
  } catch (e) {
    if (e instanceof ShapeError) e.path.unshift('diff');
    throw e;
  }
  return { diff, omitted: omittedFromJson(envelope[2], diff.matched.length, DIFF_TABLE_IDS) };
}

const DIFF_READERS = { letter: 'd', what: 'diff', readers: { 1: readV1 } };

/** The diff a link carries, or a sentence saying why it cannot be opened. Never throws. */
export async function decodeDiffLink(urlOrFragment: string): Promise<DiffDecodeResult> {
  let r: DiffDecodeResult;
  try {
    const o = await openLink(urlOrFragment, DIFF_READERS);
    r = o.ok ? { ok: true, diff: { ...o.value.diff, shared: true, omitted: o.value.omitted }, omitted: o.value.omitted } : o;
  } catch (e) {
    r = damagedLink(e);
  }
  return oneLineError(r);
}

export type DiffPermalink = Omit<Permalink, 'omitted'> & { omitted: DiffOmitted };

/** A link to a diff, cut to `budget` bytes of JSON like a report link (the same JSON_BUDGET, JSON_CAP and HARD_CAP). */
export function encodeDiffLink(diff: ReportDiff, options: EncodeOptions): Promise<DiffPermalink> {
  return encodeLink(DIFF_LINK, diff, options, 'diff', decodeDiffLink);
}

const DIFF_TABLE_WORDS: Record<(typeof DIFF_TABLE_IDS)[number], string> = {
  slices: 'slices',
  gate: 'reasons to stop',
  verdicts: 'verdicts',
  findings: 'findings',
  libraries: 'libraries',
  rpaths: 'run paths',
  goSettings: 'Go build settings',
  goModules: 'Go modules',
  notes: 'notes',
  coverageNames: 'function names (PAC/BTI)',
  sections: 'sections',
  groups: 'size groups',
  symbols: 'symbols',
  other: 'rows past fixed caps',
};

/** Lines saying what a diff link left out, for the page and the CLI; empty when nothing was. */
export function diffOmittedLines(o: DiffOmitted): string[] {
  const lines: string[] = [];
  for (const t of DIFF_TABLE_IDS) {
    const c = o[t];
    if (c) lines.push(`${DIFF_TABLE_WORDS[t]}: ${c.kept} of ${c.total} kept`);
  }
  if (o.truncatedStrings > 0) lines.push(`${o.truncatedStrings} long string${o.truncatedStrings === 1 ? '' : 's'} cut short`);
  return lines;
}
