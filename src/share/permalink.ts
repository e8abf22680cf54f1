// Permalinks: a report in the URL fragment, which browsers never send to a
// server. The fragment is `r<link version>.<payload>`, the payload is the
// JSON envelope [report schema, report, omitted, crc] written by the codec of
// schema.ts, compressed with the platform's raw DEFLATE and encoded as
// base64url. Large tables keep the rows that fit a budget of JSON bytes and
// the link says what it left out. A CRC-32 over the JSON catches links
// damaged in transit. docs/sharing.md describes the format, the budget and
// the limits.

import { REPORT_SCHEMA, type Report } from '../report/types.ts';
import { fromBase64url, toBase64url } from './base64url.ts';
import { EncodeContext, ShapeError, TooBig, inexactNumber, type Codec, type TableCut } from './codec.ts';
import { deflateRaw, inflateRaw } from './compression.ts';
import { crc32 } from './crc32.ts';
import { reportCodec, TABLE_IDS, TABLES } from './schema.ts';
import { protectionOf } from '../arm64/protection.ts';

export type { TableCut } from './codec.ts';
export type { SharedTable } from './schema.ts';

/** Version of the link format this binlens writes. */
export const LINK_VERSION = 1;
/** URL bytes a typical link stays under; JSON_BUDGET is calibrated against it. */
export const URL_TARGET = 8 * 1024;
/**
 * Default budget, in bytes of envelope JSON (UTF-8), that the large tables
 * fill. The JSON, not the compressed link, is measured, so every platform
 * keeps the same rows (their DEFLATE output differs). 16 KiB: the corpus and
 * fixture reports compress to 2.06 JSON bytes per link character (median;
 * 1.82 to 4.13), so a report cut at the budget makes a fragment of about
 * 7,950 characters, under URL_TARGET with a short base address
 * (docs/sharing.md).
 */
export const JSON_BUDGET = 16 * 1024;
/** No link is longer than this (URL bytes): the answer, verdicts and findings fill up to it, tables never do. */
export const HARD_CAP = 32 * 1024;
/**
 * Budget, in bytes of envelope JSON, that the core lists (what the answer
 * rests on) fill: HARD_CAP less 1 KiB for the base address, at the worst
 * ratio measured (1.82 JSON bytes per character), rounded down to 56 KiB.
 * Only a report that compresses worse than any real one passes HARD_CAP
 * within it; that one is cut further on its compressed length.
 */
export const JSON_CAP = 56 * 1024;
/** Longest fragment a page reads (everything after `#`). */
export const MAX_FRAGMENT = HARD_CAP;
/** Most bytes a payload may inflate to; reading stops there (deflate bombs). */
export const MAX_INFLATED = 2 * 1024 * 1024;

/** What a link can leave out: the budgeted tables, and `other` for rows past a fixed per-array cap. */
export type OmittedTable = (typeof TABLE_IDS)[number];
export const OMITTED_TABLES: readonly OmittedTable[] = TABLE_IDS;

export type TableCuts = Partial<Record<OmittedTable, TableCut>>;

/**
 * One kind of link: a report (`r1.`), a diff of two builds (`d1.`, src/share/diffLink.ts).
 * Every kind is written and read by the same steps (envelope, budget, DEFLATE,
 * base64url, CRC-32, hostile-link checks); a kind brings its letter, the
 * schema it carries, its codec and its budgeted tables.
 */
export interface LinkFormat<T> {
  letter: string;
  /** The link version this binlens writes for the kind. */
  version: number;
  /** The schema number written first in the envelope. */
  schema: number;
  codec: Codec<T>;
  /** Budgeted tables in priority order (schema.ts TABLES). */
  tables: readonly { table: string; tier: 'core' | 'detail' }[];
  /** Every table a link can report as cut, by its number: append only. */
  tableIds: readonly string[];
}

/** What a link of any kind left out, by table name. */
export type LinkOmitted<K extends string> = Partial<Record<K, TableCut>> & {
  bySlice: Partial<Record<K, TableCut>>[];
  truncatedStrings: number;
};

/**
 * What a link left out. Each table that lost rows appears with the rows kept
 * and the rows the full report had, summed over the whole report (a table
 * inside slices adds up all slices; `findingEvidence` adds up all findings);
 * a table that is absent here is complete.
 */
export type OmittedInfo = TableCuts & {
  /** The same per slice, by position in the link's `slices`: what was cut inside that slice ({} when nothing). */
  bySlice: TableCuts[];
  /** Strings longer than the link's caps (schema.ts STRING_CAPS), cut short and ending in `…`. */
  truncatedStrings: number;
};

/** A report opened from a link: no binary behind it, and possibly shortened tables. */
export type SharedReport = Report & {
  shared: true;
  omitted: OmittedInfo;
};

export interface EncodeOptions {
  /** The page's address (`location.origin + location.pathname`); anything after a `#` is dropped. */
  base: string;
  /** Bytes of envelope JSON the large tables fill up to (default JSON_BUDGET, at most JSON_CAP); the same on every platform. */
  budget?: number;
}

export interface Permalink {
  url: string;
  /** Everything after `#`. */
  fragment: string;
  /** Length of `url` in bytes (UTF-8). */
  bytes: number;
  /** Length of the envelope JSON (UTF-8) the fragment compresses: what the budget measures. */
  jsonBytes: number;
  /**
   * The link passed HARD_CAP after compression and was cut further on its
   * compressed length (a report compressing worse than any real one): only
   * then may another platform's compressor make it keep other rows.
   */
  cutToHardCap: boolean;
  omitted: OmittedInfo;
}

/**
 * Why a link does not open, for the advice a person gets (the page words it;
 * `error` is the technical detail): cut short or changed on the way, not a
 * binlens link at all, or made by a newer or an older binlens.
 */
export type LinkProblem = 'damaged' | 'not-a-link' | 'newer' | 'older';

export type DecodeResult = { ok: true; report: SharedReport; omitted: OmittedInfo } | { ok: false; error: string; problem: LinkProblem };

const encoder = new TextEncoder();

/**
 * Row counts tried for a table: 1-1.2-1.5-2-2.5-3-4-5-6-8 per decade. Coarse
 * steps make "200 of 1,342" and few trials.
 */
function steps(max: number): number[] {
  const out = [0];
  const mant = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8];
  for (let d = 1; d <= max; d *= 10) {
    for (const m of mant) {
      const n = Math.round(m * d);
      if (n > max) break;
      if (n > out[out.length - 1]!) out.push(n);
    }
  }
  if (out[out.length - 1] !== max) out.push(max);
  return out;
}

interface Trial {
  /** The sealed envelope's JSON (UTF-8): what gets compressed. */
  raw: Uint8Array;
  /** Longest instance of each table the encoding met (rows before cuts). */
  longest: ReadonlyMap<string, number>;
  /** The compressed fragment, when the trial needed it (the pathological search). */
  fragment?: string;
}

/**
 * The payload's bytes: the envelope's JSON array with the CRC-32 of that JSON
 * (UTF-8) appended as its last element, `[schema,report,omitted,crc]`.
 * Exported for tests that build hostile payloads which must reach validation.
 */
export function sealEnvelope(json: string): Uint8Array {
  if (!json.startsWith('[') || !json.endsWith(']')) throw new Error('sealEnvelope: expected the JSON text of an array');
  return encoder.encode(`${json.slice(0, -1)},${crc32(encoder.encode(json))}]`);
}

/** The checked envelope's JSON text (without its CRC), or null when the CRC is absent or wrong. */
function unsealEnvelope(raw: Uint8Array, text: string): string | null {
  const comma = text.lastIndexOf(',');
  if (!text.endsWith(']') || comma < 0) return null;
  const digits = text.slice(comma + 1, -1);
  if (!/^[0-9]{1,10}$/.test(digits)) return null;
  // Everything after the comma is ASCII, so its byte offset follows from the text's length.
  const at = raw.byteLength - (text.length - comma);
  const covered = new Uint8Array(at + 1);
  covered.set(raw.subarray(0, at));
  covered[at] = 0x5d; // ']'
  return crc32(covered) === Number(digits) ? text.slice(0, comma) + ']' : null;
}

/**
 * The sealed envelope with these row limits; null when its JSON passes
 * `maxJson` bytes, found without finishing the work (so a report with
 * millions of rows costs what its first link-sized part costs). A pure
 * function of the report and the limits: every platform gets the same bytes.
 */
function envelope<T>(f: LinkFormat<T>, value: T, limits: ReadonlyMap<string, number>, maxJson: number): Trial | null {
  const cx = new EncodeContext(limits, maxJson);
  let body: unknown;
  try {
    body = f.codec.enc(value, cx);
  } catch (e) {
    if (e instanceof TooBig) return null;
    throw e;
  }
  const raw = sealEnvelope(JSON.stringify([f.schema, body, omittedToJson(cx, f.tableIds)]));
  return raw.byteLength <= maxJson ? { raw, longest: cx.longest } : null;
}

/** The fragment for this payload, compressed by the platform; null past `maxFragment` characters. */
async function pack(prefix: string, raw: Uint8Array, maxFragment: number): Promise<string | null> {
  const packed = await deflateRaw(raw, Math.floor(((maxFragment - prefix.length) * 3) / 4));
  if (!packed) return null;
  const fragment = prefix + toBase64url(packed);
  return fragment.length <= maxFragment ? fragment : null;
}

/**
 * Which rows travel: greedy by priority, each table in turn keeps as many
 * rows as fit with the tables before it settled and the ones after it still
 * empty. A detail table's trials must fit `caps.detail` JSON bytes, a core
 * list's `caps.core`; `accept` may refuse a trial for more (its compressed
 * length, in the pathological case). Null when nothing fits, not even the
 * report with every table emptied.
 */
async function settle<T>(
  f: LinkFormat<T>,
  value: T,
  caps: { detail: number; core: number },
  accept: (t: Trial) => Promise<boolean>,
): Promise<Trial | null> {
  const whole = envelope(f, value, new Map(), caps.detail);
  if (whole && (await accept(whole))) return whole;
  const limits = new Map<string, number>(f.tables.map((t) => [t.table, 0]));
  // The link as settled so far (every table not yet decided is empty).
  let settled = envelope(f, value, limits, caps.core);
  if (!settled || !(await accept(settled))) return null;
  for (const { table, tier } of f.tables) {
    const maxJson = caps[tier];
    // Already over this table's cap without it (what always travels is larger than the budget): no rows.
    if (settled.raw.byteLength > maxJson) continue;
    // Tables inside other tables come after them, so the settled link has met every instance that will travel.
    const n = settled.longest.get(table) ?? 0;
    if (n === 0) continue;
    const fitting = new Map<number, Trial>();
    const fitsWith = async (rows: number) => {
      const l = new Map(limits);
      l.set(table, rows);
      const t = envelope(f, value, l, maxJson);
      if (!t || !(await accept(t))) return false;
      fitting.set(rows, t);
      return true;
    };
    const candidates = steps(n);
    let lo = 0;
    let hi = candidates.length - 1;
    if (await fitsWith(candidates[hi]!)) lo = hi;
    else hi--;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (await fitsWith(candidates[mid]!)) lo = mid;
      else hi = mid - 1;
    }
    limits.set(table, candidates[lo]!);
    settled = fitting.get(candidates[lo]!) ?? settled;
  }
  return settled;
}

/** Report links: `r1.` */
const REPORT_LINK: LinkFormat<Report> = {
  letter: 'r',
  version: LINK_VERSION,
  schema: REPORT_SCHEMA,
  codec: reportCodec,
  tables: TABLES,
  tableIds: TABLE_IDS,
};

/**
 * A link to `report`. Tables are cut to fit `budget` bytes of JSON, the rest
 * (identity, verdicts, findings, libraries…) always travels, up to JSON_CAP
 * and HARD_CAP. Rejects only when a report cannot fit HARD_CAP even with
 * every table emptied.
 */
export async function encodePermalink(report: Report, options: EncodeOptions): Promise<Permalink> {
  return encodeLink(REPORT_LINK, report, options, 'report', decodePermalink);
}

/**
 * A link of kind `f` to `value` (encodePermalink's steps for any kind).
 * `reopen` decodes the fragment back: every link written must open.
 */
export async function encodeLink<T, O>(
  f: LinkFormat<T>,
  value: T,
  options: EncodeOptions,
  what: string,
  reopen: (fragment: string) => Promise<{ ok: true; omitted: O } | { ok: false; error: string }>,
): Promise<Omit<Permalink, 'omitted'> & { omitted: O }> {
  const prefix = `${f.letter}${f.version}.`;
  const hash = options.base.indexOf('#');
  const base = hash === -1 ? options.base : options.base.slice(0, hash);
  const budget = Math.max(0, Math.min(options.budget ?? JSON_BUDGET, JSON_CAP));
  const caps = { detail: budget, core: JSON_CAP };
  const room = Math.max(0, HARD_CAP - encoder.encode(base).byteLength - 1);
  const fail = () => new Error(`this ${what} does not fit a link (${HARD_CAP} bytes) even with its tables emptied`);

  // Every decision on the JSON's length: the page and the CLI keep the same rows.
  let best = await settle(f, value, caps, async () => true);
  if (!best) throw fail();
  let fragment = await pack(prefix, best.raw, room);
  const cutToHardCap = fragment === null;
  if (fragment === null) {
    // A report that compresses worse than any real one (hostile, random
    // strings) passed HARD_CAP within the JSON budgets: search again, every
    // trial compressed and held to HARD_CAP as well. Only here does what a
    // link keeps depend on the platform's compressor.
    const compressedFits = async (t: Trial) => {
      t.fragment = (await pack(prefix, t.raw, room)) ?? undefined;
      return t.fragment !== undefined;
    };
    best = await settle(f, value, caps, compressedFits);
    if (!best?.fragment) throw fail();
    fragment = best.fragment;
  }
  // Every link this writes must open: decode it here (the page's own view of
  // what was left out comes from it too) and fail loudly if it does not.
  const back = await reopen(fragment);
  if (!back.ok) throw new Error(`binlens bug: a link it wrote does not open: ${back.error}`);
  const url = `${base}#${fragment}`;
  return { url, fragment, bytes: encoder.encode(url).byteLength, jsonBytes: best.raw.byteLength, cutToHardCap, omitted: back.omitted };
}

function omittedToJson(cx: EncodeContext, ids: readonly string[]): unknown[] {
  const flat: number[] = [];
  const add = (slice: number, m: Map<string, TableCut>) => {
    for (const [t, c] of m) flat.push(slice, ids.indexOf(t), c.kept, c.total);
  };
  add(-1, cx.cutsReport);
  for (const [s, m] of [...cx.cutsBySlice].sort((a, b) => a[0] - b[0])) add(s, m);
  return [cx.truncatedStrings, flat];
}

/**
 * The envelope's omitted part, checked against the number of slices the link
 * carries. Throws ShapeError.
 */
export function omittedFromJson<K extends string>(j: unknown, slices: number, ids: readonly K[]): LinkOmitted<K> {
  const bad = (m: string): never => {
    throw new ShapeError(m, ['omitted']);
  };
  if (!Array.isArray(j) || j.length < 2) return bad('expected [strings cut, cuts]');
  const strings: unknown = j[0];
  const flat: unknown = j[1];
  const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
  if (!isInt(strings) || strings < 0) return bad('bad count of strings cut');
  if (!Array.isArray(flat) || flat.length % 4 !== 0 || flat.length > 4 * ids.length * (slices + 1)) return bad('bad list of cut tables');
  const out: LinkOmitted<K> = { bySlice: Array.from({ length: slices }, () => ({})), truncatedStrings: strings } as LinkOmitted<K>;
  const reportLevel: Partial<Record<K, TableCut>> = {};
  for (let i = 0; i < flat.length; i += 4) {
    const s: unknown = flat[i];
    const t: unknown = flat[i + 1];
    const kept: unknown = flat[i + 2];
    const total: unknown = flat[i + 3];
    if (!isInt(s) || !isInt(t) || !isInt(kept) || !isInt(total)) return bad('cut entries must be integers');
    if (s < -1 || s >= slices) return bad(`a cut in slice ${s}, which the link does not carry`);
    const table = ids[t];
    if (table === undefined) return bad(`unknown table ${t}`);
    if (kept < 0 || total <= kept) return bad(`${table}: ${kept} of ${total} rows is not a cut`);
    const scope = s === -1 ? reportLevel : out.bySlice[s]!;
    if (scope[table]) return bad(`${table} listed twice`);
    scope[table] = { kept, total };
  }
  // Totals: report-level cuts plus the same table's cuts in every slice.
  for (const scope of [reportLevel, ...out.bySlice]) {
    for (const table of ids) {
      const c = scope[table];
      if (!c) continue;
      const sum = (out as Partial<Record<K, TableCut>>)[table];
      (out as Partial<Record<K, TableCut>>)[table] = { kept: (sum?.kept ?? 0) + c.kept, total: (sum?.total ?? 0) + c.total };
    }
  }
  return out;
}

/** Checks (and reads) the first version of the link envelope. Throws ShapeError. */
function readV1(envelope: unknown): { report: Report; omitted: OmittedInfo } | string {
  if (!Array.isArray(envelope) || envelope.length < 3) throw new ShapeError('expected [schema, report, omitted]');
  const schema: unknown = envelope[0];
  if (schema !== REPORT_SCHEMA) {
    if (typeof schema === 'number' && Number.isSafeInteger(schema) && schema > REPORT_SCHEMA) {
      return `made by a newer binlens (report schema ${schema}); this page reads report schema ${REPORT_SCHEMA}`;
    }
    throw new ShapeError(`unknown report schema ${JSON.stringify(schema)?.slice(0, 20)}`);
  }
  let report: Report;
  try {
    report = reportCodec.dec(envelope[1]);
  } catch (e) {
    if (e instanceof ShapeError) e.path.unshift('report');
    throw e;
  }
  // What the link leaves out because it follows from what it carries (schema.ts `dropped` rules).
  for (const s of report.slices) if (s.arm64) s.arm64.protection = protectionOf(s, s.arm64);
  return { report, omitted: omittedFromJson(envelope[2], report.slices.length, OMITTED_TABLES) };
}

/**
 * One reader per link version this page can open. A later format adds its
 * reader here and keeps the old ones (migrating what they return to the
 * current report schema), so old links keep opening.
 */
const READERS: Record<number, (envelope: unknown) => { report: Report; omitted: OmittedInfo } | string> = { 1: readV1 };

const FRAGMENT = /^r(0|[1-9][0-9]{0,8})\.([\s\S]*)$/;
/** A link of any kind: its letter, version and payload. */
const ANY_LINK = /^([a-z])(0|[1-9][0-9]{0,8})\.([\s\S]*)$/;

/** The letter of the link kind a URL or fragment holds (`r` report, `d` diff), or null when it is no binlens link. */
export function linkKind(urlOrFragment: string): string | null {
  const hash = urlOrFragment.indexOf('#');
  const m = ANY_LINK.exec((hash === -1 ? urlOrFragment : urlOrFragment.slice(hash + 1)).trim());
  return m ? m[1]! : null;
}

/** How links of a kind are read: the letter, and one reader per link version it opens. */
export interface LinkReaders<R> {
  letter: string;
  /** What the kind holds, for messages (`report`, `diff of two builds`). */
  what: string;
  readers: Record<number, (envelope: unknown) => R | string>;
}

/** The permalink fragment in a URL, a `#fragment` or a bare fragment; null when it is not a binlens link. */
export function permalinkFragment(urlOrFragment: string): string | null {
  const hash = urlOrFragment.indexOf('#');
  const f = (hash === -1 ? urlOrFragment : urlOrFragment.slice(hash + 1)).trim();
  return FRAGMENT.test(f) ? f : null;
}

/**
 * The report a link carries, or a sentence saying why it cannot be opened.
 * Never throws: a damaged or hostile link only ever yields `{ ok: false }`.
 */
export async function decodePermalink(urlOrFragment: string): Promise<DecodeResult> {
  let r: DecodeResult;
  try {
    r = await decode(urlOrFragment);
  } catch (e) {
    r = damagedLink(e);
  }
  return oneLineError(r);
}

/** What a link that threw while it was read says: where in its shape, and why. */
export function damagedLink(e: unknown): { ok: false; problem: 'damaged'; error: string } {
  return {
    ok: false,
    problem: 'damaged',
    error:
      e instanceof ShapeError
        ? `damaged link: ${e.where()}: ${e.message}`
        : `damaged link: ${e instanceof Error ? e.message : 'unreadable'}`,
  };
}

/** A message quotes bits of the link; keep it one readable line whatever the link holds. */
export function oneLineError<T extends { ok: boolean; error?: string }>(r: T): T {
  return !r.ok && r.error !== undefined && r.error.length > 300 ? { ...r, error: r.error.slice(0, 299) + '…' } : r;
}

async function decode(input: unknown): Promise<DecodeResult> {
  const r = await openLink(input, REPORT_READERS);
  if (!r.ok) return r;
  const report: SharedReport = { ...r.value.report, shared: true, omitted: r.value.omitted };
  return { ok: true, report, omitted: r.value.omitted };
}

const REPORT_READERS: LinkReaders<{ report: Report; omitted: OmittedInfo }> = { letter: 'r', what: 'report', readers: READERS };

/**
 * What a link of `kind` carries, through every check a link from a stranger
 * gets (length, version, base64url, the inflated size, UTF-8, CRC-32, exact
 * numbers, JSON), then the kind's reader for its version. Throws ShapeError
 * for a payload of the wrong shape (callers turn it into `damaged`).
 */
export async function openLink<R>(
  input: unknown,
  kind: LinkReaders<R>,
): Promise<{ ok: true; value: R } | { ok: false; error: string; problem: LinkProblem }> {
  const fail = (error: string, problem: LinkProblem = 'damaged') => ({ ok: false as const, error, problem });
  if (typeof input !== 'string') return fail('not a binlens link: expected text', 'not-a-link');
  const hash = input.indexOf('#');
  const fragment = (hash === -1 ? input : input.slice(hash + 1)).trim();
  if (fragment.length > MAX_FRAGMENT)
    return fail(`link too long: ${fragment.length} characters after # (binlens links hold at most ${MAX_FRAGMENT})`);
  const m = ANY_LINK.exec(fragment);
  const first = `${kind.letter}1.`;
  if (!m || (m[1] !== kind.letter && m[1] !== 'r' && m[1] !== 'd'))
    return fail(
      `not a binlens link: ${fragment === '' ? `it has no #${first}… part` : `the part after # does not start with ${kind.letter}<version>.`}`,
      'not-a-link',
    );
  if (m[1] !== kind.letter)
    return fail(`not a binlens ${kind.what} link: it holds a ${m[1] === 'd' ? 'diff of two builds' : 'report'}`, 'not-a-link');
  const readable = Object.keys(kind.readers).map(Number);
  const oldest = Math.min(...readable);
  const newest = Math.max(...readable);
  const range = oldest === newest ? `v${newest}` : `v${oldest}–v${newest}`;
  const version = Number(m[2]);
  const reader = kind.readers[version];
  if (!reader) {
    if (version > newest) return fail(`made by a newer binlens (link v${version}); this page reads ${range}`, 'newer');
    return fail(`made by an older binlens (link v${version}) that this page no longer reads; it reads ${range}`, 'older');
  }
  const packed = fromBase64url(m[3]!);
  if (typeof packed === 'string') return fail(`damaged link: ${packed}`);
  const raw = await inflateRaw(packed, MAX_INFLATED);
  if (typeof raw === 'string') return fail(`damaged link: ${raw}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return fail('damaged link: the payload is not UTF-8 text');
  }
  const checked = unsealEnvelope(raw, text);
  if (checked === null) return fail('damaged link: its checksum does not match (the link was changed or cut short)');
  const inexact = inexactNumber(checked);
  if (inexact !== null) return fail(`damaged link: ${inexact} is not an exact integer (a link's numbers are integers up to 2^53 − 1)`);
  let envelope: unknown;
  try {
    envelope = JSON.parse(checked);
  } catch {
    return fail('damaged link: the payload is not JSON');
  }
  const read = reader(envelope);
  // A reader returns text only for a schema newer than this page's; damage throws.
  if (typeof read === 'string') return fail(read, 'newer');
  return { ok: true, value: read };
}

/** Lines saying what a link left out ("sections: 40 of 212 rows"), for the page and the CLI; empty when nothing was. */
export function omittedLines(o: OmittedInfo): string[] {
  const lines: string[] = [];
  for (const t of OMITTED_TABLES) {
    const c = o[t];
    if (c) lines.push(`${TABLE_WORDS[t]}: ${c.kept} of ${c.total} kept`);
  }
  if (o.truncatedStrings > 0) lines.push(`${o.truncatedStrings} long string${o.truncatedStrings === 1 ? '' : 's'} cut short`);
  return lines;
}

export const TABLE_WORDS: Record<OmittedTable, string> = {
  slices: 'slices',
  compatibility: 'compatibility targets',
  findings: 'findings',
  errors: 'errors',
  libraries: 'libraries',
  rpaths: 'run paths',
  compatibilityEvidence: 'compatibility evidence lines',
  findingEvidence: 'finding evidence lines',
  warnings: 'warnings',
  goSettings: 'Go build settings',
  goWarnings: 'Go warnings',
  arm64Notes: 'ARM64 notes',
  goDeps: 'Go dependencies',
  segments: 'segments',
  sections: 'sections',
  loadCommands: 'load commands',
  notes: 'notes',
  sigtramps: 'signal trampolines',
  unauthenticatedReturns: 'unauthenticated returns',
  imports: 'imports',
  segmentSections: 'section names in segments',
  sigtrampSnippets: 'signal trampoline snippet lines',
  entitlements: 'entitlements plists',
  badPages: 'code pages that do not match the signature',
  other: 'rows past fixed caps',
};
