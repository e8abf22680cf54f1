// The report as a link carries it (link format v1): one codec per report type
// of src/parsers/types.ts, fields in link order. The `Fields<T>` type makes
// tsc fail here when a field is added to the report type and not to the link.
// Rules for changing this file: docs/sharing.md ("Changing the format").

import type {
  Arm64Summary,
  CodeSignature,
  Compatibility,
  Encryption,
  Features,
  Finding,
  GoFacts,
  GoInfo,
  GoModule,
  Import,
  Library,
  LoadCommand,
  MissingPart,
  MachOFixups,
  MnemonicCounts,
  Note,
  Report,
  ReportError,
  Rpath,
  Section,
  Segment,
  Sigtramp,
  SignatureBadPage,
  SignatureCms,
  SignatureValidation,
  SliceReport,
  Truncation,
} from '../report/types.ts';
import { REPORT_SCHEMA } from '../report/types.ts';
import { TARGETS } from '../report/targets.ts';
import { arr, bool, dropped, enumOf, int, literal, nullable, obj, opt, record, str, token, type Codec } from './codec.ts';

/** Longest string of each kind a link holds (UTF-16 units). Longer ones are cut on encoding and refused on decoding. */
export const STRING_CAPS = {
  /** Architecture, type and flag names, versions. */
  short: 256,
  /** Paths, library and symbol names (C++ and Swift names run long). */
  name: 4096,
  /** Sentences: reasons, details, fixes, evidence, summaries. */
  text: 16384,
  /** Entitlements plist text. */
  long: 65536,
} as const;

// Sizes and counts come from 32- and 64-bit fields. The report holds them as
// exact numbers: a u64 past 2^53 − 1 is recorded by its parser as a problem
// and carried as the largest exact value, so that is the range of a link too.
const MAX = Number.MAX_SAFE_INTEGER;
const short = str(STRING_CAPS.short);
const name = str(STRING_CAPS.name);
const text = str(STRING_CAPS.text);
const uint = int(0, MAX);
const anyInt = int(-MAX, MAX);
/** A 32-bit field (Mach-O `cmdsize`, `cryptid`). */
const u32 = int(0, 2 ** 32 - 1);
/** A 32-bit field read either signed or unsigned (Mach-O `cputype` and `cpusubtype`, ELF `e_machine`). */
const i32 = int(-(2 ** 31), 2 ** 32 - 1);
/**
 * An address or offset, `0x…` lowercase as src/parsers/reader.ts hex()
 * prints it: 64 bits at most (16 digits, no leading zeros; a negative
 * number would print `0x-…`).
 */
const hex = token(20, /^0x-?(?:0|[1-9a-f][0-9a-f]{0,15})$/);
const sha256 = token(64, /^(?:[0-9a-f]{64})?$/);

/**
 * Budgeted tables: arrays whose rows are kept only as far as the link's byte
 * budget allows, in this order of priority. `core` tables fill the hard cap
 * (they are what the page's answer rests on and are rarely long); `detail`
 * tables fill what is left of the soft budget. A table keeps the same number
 * of rows in every slice (or finding) so no slice starves another.
 */
export const TABLES = [
  // core
  { table: 'slices', tier: 'core' },
  { table: 'compatibility', tier: 'core' },
  { table: 'findings', tier: 'core' },
  { table: 'errors', tier: 'core' },
  { table: 'libraries', tier: 'core' },
  { table: 'rpaths', tier: 'core' },
  { table: 'compatibilityEvidence', tier: 'core' },
  { table: 'findingEvidence', tier: 'core' },
  { table: 'warnings', tier: 'core' },
  { table: 'goSettings', tier: 'core' },
  { table: 'goWarnings', tier: 'core' },
  { table: 'arm64Notes', tier: 'core' },
  // detail
  { table: 'goDeps', tier: 'detail' },
  { table: 'segments', tier: 'detail' },
  { table: 'segmentSections', tier: 'detail' },
  { table: 'sections', tier: 'detail' },
  { table: 'loadCommands', tier: 'detail' },
  { table: 'notes', tier: 'detail' },
  { table: 'sigtramps', tier: 'detail' },
  { table: 'sigtrampSnippets', tier: 'detail' },
  { table: 'unauthenticatedReturns', tier: 'detail' },
  { table: 'imports', tier: 'detail' },
  { table: 'entitlements', tier: 'detail' },
  { table: 'badPages', tier: 'detail' },
] as const;

export type SharedTable = (typeof TABLES)[number]['table'];

/**
 * Every table a link can report as cut, by its number in the link's
 * `omitted` list: part of the link format, so append only (the priority
 * order above may change freely). `other` counts rows past a fixed cap.
 */
export const TABLE_IDS = [
  'slices',
  'compatibility',
  'findings',
  'errors',
  'libraries',
  'rpaths',
  'compatibilityEvidence',
  'findingEvidence',
  'warnings',
  'goSettings',
  'goWarnings',
  'arm64Notes',
  'goDeps',
  'segments',
  'sections',
  'loadCommands',
  'notes',
  'sigtramps',
  'unauthenticatedReturns',
  'imports',
  'segmentSections',
  'sigtrampSnippets',
  'entitlements',
  'other',
  'badPages',
] as const satisfies readonly (SharedTable | 'other')[];
// Every budgeted table has a number (tsc fails here when one is missing).
const everyTableNumbered: Record<Exclude<SharedTable, (typeof TABLE_IDS)[number]>, never> = {};
void everyTableNumbered;

/** Most rows any link holds per array (encoder and decoder alike); the decompressed-size cap bounds the sum. */
export const ROW_CAPS = {
  slices: 256,
  table: 100_000,
  list: 4096,
} as const;

const listOf = <T>(c: Codec<T>, table?: SharedTable) => arr(c, { max: ROW_CAPS.list, table });
const tableOf = <T>(c: Codec<T>, table: SharedTable) => arr(c, { max: ROW_CAPS.table, table });

const reportError = obj<ReportError>({ message: text, offset: hex, field: name });

/** The report's targets, in the order links number them (a diff link reads them the same way). */
export const target = enumOf(TARGETS);

const compatibility = obj<Compatibility>({
  target,
  verdict: enumOf(['native', 'rosetta', 'no', 'unknown'] as const),
  reason: text,
  error: nullable(text),
  evidence: listOf(text, 'compatibilityEvidence'),
  slice: opt(nullable(uint)),
});

const finding = obj<Finding>({
  id: short,
  severity: enumOf(['error', 'warning', 'info'] as const),
  title: text,
  detail: text,
  evidence: listOf(text, 'findingEvidence'),
  fix: nullable(text),
  slice: opt(uint),
});

const library = obj<Library>({
  name,
  kind: enumOf(['needed', 'load', 'weak', 'reexport', 'lazy', 'upward'] as const),
  currentVersion: opt(short),
  compatibilityVersion: opt(short),
  command: opt(uint),
});

const rpath = obj<Rpath>({ path: name, source: short });

const segment = obj<Segment>({
  name,
  address: hex,
  size: uint,
  offset: hex,
  fileSize: uint,
  perms: short,
  type: short,
  sections: opt(arr(name, { max: ROW_CAPS.table, table: 'segmentSections' })),
  maxPerms: opt(short),
  flags: opt(listOf(short)),
});

const section = obj<Section>({ name, segment: name, address: hex, size: uint, offset: hex, type: short, flags: short });

const importRow = obj<Import>({
  name,
  library: nullable(name),
  version: opt(short),
  weak: opt(bool),
  ordinal: opt(anyInt),
});

// codeSignature.validation: every field travels; the bad pages fill what the budget leaves (table `badPages`).
const signatureValidation = obj<SignatureValidation>({
  status: enumOf(['valid', 'invalid', 'unsupported'] as const),
  pageSize: uint,
  pages: uint,
  badPages: arr(uint, { max: ROW_CAPS.list, table: 'badPages' }),
  firstBad: nullable(obj<SignatureBadPage>({ offset: hex, segment: nullable(name), section: nullable(name) })),
  specialSlots: record(STRING_CAPS.short, enumOf(['valid', 'invalid', 'missing'] as const), { max: 64 }),
  cms: nullable(
    obj<SignatureCms>({
      chain: listOf(obj<SignatureCms['chain'][number]>({ subject: text, issuer: text, notAfter: short })),
      signingTime: nullable(short),
      timestamp: nullable(short),
      cdHashesMatch: nullable(bool),
    }),
  ),
  reasons: listOf(text),
});

const codeSignature = obj<CodeSignature>({
  adhoc: bool,
  linkerSigned: bool,
  identifier: nullable(name),
  teamId: nullable(short),
  cdHash: nullable(short),
  hashType: nullable(short),
  flags: listOf(short),
  // The plist can be long; it is the last thing a link gives up (table `entitlements`, one row).
  entitlements: {
    enc(v, cx) {
      if (v === null) return null;
      if (cx.limit('entitlements', 1) < 1) {
        cx.cut('entitlements', 0, 1);
        return null;
      }
      return str(STRING_CAPS.long).enc(v, cx);
    },
    dec: nullable(str(STRING_CAPS.long)).dec,
  },
  entitlementsDer: nullable(uint),
  requirements: nullable(uint),
  hasCmsSignature: bool,
  version: opt(short),
  execSegFlags: opt(listOf(short)),
  candidates: opt(listOf(obj<{ hashType: string; cdHash: string | null }>({ hashType: short, cdHash: nullable(short) }))),
  validation: opt(signatureValidation),
});

const fixups = obj<MachOFixups>({
  source: short,
  rebases: uint,
  binds: uint,
  lazyBinds: uint,
  weakBinds: uint,
  authRebases: uint,
  authBinds: uint,
  imports: uint,
  pointerFormats: listOf(short),
});

const encryption = obj<Encryption>({ cryptid: u32, offset: hex, size: uint });

const tri = nullable(bool);
const features = obj<Features>({
  pie: tri,
  nx: tri,
  relro: nullable(enumOf(['none', 'partial', 'full'] as const)),
  canary: tri,
  fortify: tri,
  bti: tri,
  pac: tri,
  ibt: tri,
  shstk: tri,
  sources: record(STRING_CAPS.short, text, { max: ROW_CAPS.list }),
});

const loadCommand = obj<LoadCommand>({ cmd: short, cmdsize: u32, offset: hex, summary: text });

const note = obj<Note>({ owner: name, type: short, description: text });

const mnemonicCounts = obj<MnemonicCounts>({ total: uint, byMnemonic: record(STRING_CAPS.short, uint, { max: ROW_CAPS.list }) });

const sigtramp = obj<Sigtramp>({
  address: hex,
  symbol: nullable(name),
  kind: short,
  pacSigned: opt(bool),
  snippet: opt(arr(text, { max: ROW_CAPS.list, table: 'sigtrampSnippets' })),
});

const arm64 = obj<Arm64Summary>({
  instructions: uint,
  pac: mnemonicCounts,
  bti: mnemonicCounts,
  sigtramps: tableOf(sigtramp, 'sigtramps'),
  functions: opt(
    obj<NonNullable<Arm64Summary['functions']>>({
      total: uint,
      signing: uint,
      nonLeaf: uint,
      btiEntry: uint,
      unauthenticatedReturns: tableOf(
        obj<{ address: string; name: string | null }>({ address: hex, name: nullable(name) }),
        'unauthenticatedReturns',
      ),
      sources: listOf(short),
    }),
  ),
  notes: opt(listOf(text, 'arm64Notes')),
  // Appended within link v1 (docs/sharing.md "Changing the format"): older pages skip them.
  inFunctions: opt(obj<NonNullable<Arm64Summary['inFunctions']>>({ instructions: uint, pac: mnemonicCounts, bti: mnemonicCounts })),
  // Not carried: every answer and sentence follows from fields the link carries (features, arch,
  // platform, functions, inFunctions), so readV1 rebuilds it with src/arm64/protection.ts
  // instead of spending a kilobyte of every link's core on sentences.
  protection: dropped(),
});

// A replacement module is never itself replaced (`go version -m` prints one `=>` per line), so the nesting stops at one.
const goReplacement = obj<GoModule>({ path: name, version: short, sum: short, replace: dropped() });
const goModule = obj<GoModule>({ path: name, version: short, sum: short, replace: opt(nullable(goReplacement)) });

const goFacts = obj<GoFacts>({
  cgo: tri,
  cgoSource: nullable(text),
  trimpath: tri,
  trimpathSource: nullable(text),
  buildPaths: listOf(name),
  goroot: nullable(name),
  support: obj<GoFacts['support']>({ major: nullable(short), supported: tri, current: listOf(short), reason: text }),
  archLevel: nullable(obj<{ key: string; value: string }>({ key: short, value: short })),
});

const go = obj<GoInfo>({
  version: nullable(short),
  path: nullable(name),
  main: nullable(goModule),
  deps: tableOf(goModule, 'goDeps'),
  settings: record(STRING_CAPS.name, text, { max: ROW_CAPS.list, table: 'goSettings' }),
  stripped: bool,
  functions: uint,
  pclntabVersion: opt(nullable(short)),
  versionSource: opt(nullable(short)),
  buildInfoLayout: opt(nullable(enumOf(['pointer', 'inline'] as const))),
  files: opt(uint),
  facts: opt(goFacts),
  warnings: opt(listOf(text, 'goWarnings')),
});

const bitsEnum = enumOf(['32', '64'] as const);
const bits: Codec<32 | 64> = {
  enc: (v, cx) => bitsEnum.enc(v === 64 ? '64' : v === 32 ? '32' : (String(v) as '32'), cx),
  dec: (j) => (bitsEnum.dec(j) === '64' ? 64 : 32),
};

const slice = obj<SliceReport>({
  index: uint,
  offset: hex,
  size: uint,
  arch: short,
  ptrAuthAbi: opt(nullable(obj<{ version: number; kernel: boolean }>({ version: uint, kernel: bool }))),
  cpu: obj<SliceReport['cpu']>({ type: i32, subtype: i32, name: short }),
  bits,
  endian: enumOf(['little', 'big'] as const),
  fileType: enumOf(['executable', 'shared-library', 'object', 'bundle', 'dylinker', 'core', 'other'] as const),
  fileTypeRaw: short,
  platform: nullable(short),
  minOS: nullable(short),
  sdk: nullable(short),
  entry: nullable(hex),
  linkage: enumOf(['static', 'dynamic', 'unknown'] as const),
  interpreter: nullable(name),
  libraries: tableOf(name, 'libraries'),
  // The same libraries and run paths with their details: cut alongside, counted once.
  libraryDetails: arr(library, { max: ROW_CAPS.table, table: 'libraries', uncounted: true }),
  rpaths: tableOf(name, 'rpaths'),
  rpathDetails: arr(rpath, { max: ROW_CAPS.table, table: 'rpaths', uncounted: true }),
  installName: nullable(name),
  uuid: nullable(short),
  buildId: nullable(short),
  goBuildId: opt(nullable(text)),
  segments: tableOf(segment, 'segments'),
  sections: tableOf(section, 'sections'),
  symbols: obj<SliceReport['symbols']>({
    defined: uint,
    undefined: uint,
    table: nullable(short),
    dynamic: opt(obj<{ defined: number; undefined: number }>({ defined: uint, undefined: uint })),
  }),
  imports: tableOf(importRow, 'imports'),
  exports: uint,
  codeSignature: nullable(codeSignature),
  encryption: nullable(encryption),
  features,
  functionStarts: nullable(uint),
  fixups: opt(fixups),
  loadCommands: opt(tableOf(loadCommand, 'loadCommands')),
  notes: opt(tableOf(note, 'notes')),
  flags: listOf(short),
  stripped: bool,
  arm64: opt(arm64),
  go: opt(go),
  incomplete: opt(listOf(short)),
});

const missingPart = obj<MissingPart>({
  slice: nullable(uint),
  kind: enumOf([
    'header',
    'program-headers',
    'interpreter',
    'segment',
    'dynamic',
    'load-commands',
    'code-signature',
    'linkedit',
    'slice',
    'section-headers',
    'section',
  ] as const),
  what: name,
  field: short,
  start: hex,
  end: hex,
  segment: opt(uint),
});

const truncation = obj<Truncation>({ end: hex, missing: listOf(missingPart) });

export const reportCodec: Codec<Report> = obj<Report>({
  schema: literal(REPORT_SCHEMA),
  file: obj<Report['file']>({ name, size: uint, sha256 }),
  format: enumOf(['elf', 'macho', 'macho-fat', 'unknown'] as const),
  notBinary: opt(obj<{ kind: string; reason: string }>({ kind: short, reason: text })),
  // The answer first, as the report pipeline orders the JSON.
  compatibility: opt(tableOf(compatibility, 'compatibility')),
  findings: opt(tableOf(finding, 'findings')),
  errors: tableOf(reportError, 'errors'),
  warnings: tableOf(text, 'warnings'),
  slices: arr(slice, { max: ROW_CAPS.slices, table: 'slices', slices: true }),
  truncated: opt(truncation),
});
