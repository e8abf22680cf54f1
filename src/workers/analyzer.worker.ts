// The analysis worker. It owns the bytes: the page hands it a File (a
// structured clone of a File shares the underlying bytes, it does not copy
// them), the worker reads it and runs the whole analysis (src/report/pipeline.ts:
// parsers, Go, the ARM64 engine, verdicts), keeps the parsed slices of the
// file being viewed, and sends back the plain-data report. Big tables never
// cross whole: the page asks for one window of rows at a time. The verdict
// needs the headers, not the hash: a file up to WHOLE_HASH_LIMIT is read whole
// once its answer is out (a small one before the parse), the rest of the
// analysis reads memory, and the SHA-256 of those bytes follows the report
// (sha256). A bigger file is hashed in a stream by the hash worker.
//
// The ARM64 engine arrives compiled (init): the page compiles the .wasm once
// when it starts and hands the module to every worker it starts, so no
// request is made while a file is analyzed.
//
// The page imports only the type of this module (src/workers/client.ts).

import * as Comlink from 'comlink';
import { isA64 } from '../arm64/arch.ts';
import { Arm64Engine } from '../arm64/engine.ts';
import type { DiffInput, ReportDiff } from '../diff/types.ts';
import { identify, type Identity } from '../parsers/identify.ts';
import { MemorySource, type ByteSource } from '../parsers/reader.ts';
import type { Report } from '../report/types.ts';
import { unreadableReport } from '../report/unreadable.ts';
import { buildReport, type FullAnalysis, type SliceState } from '../report/pipeline.ts';
import { buildVerifiedReport } from '../report/signatures.ts';
import {
  functionTable,
  listingIndexOf,
  listingPage,
  nameIndex,
  type FunctionFilter,
  type FunctionRow,
  type ListingLine,
  type NameIndex,
} from './arm64Tables.ts';
import { blobUnitSource, readBlob, type BlobSourceOptions, type ReadBlob } from './blobSource.ts';
import { blobSha256 } from './hash.ts';
import { WHOLE_HASH_LIMIT } from './limits.ts';
import type { ListingIndex } from '../arm64/listingIndex.ts';
import { stageProgress, type Stage } from '../report/progress.ts';
import { summarize, type FileSummary } from '../report/summary.ts';
import warmUpElf from '../../fixtures/elf/bin/aarch64-glibc-pie-pacbti?inline';
import {
  symbolRows,
  symbolView,
  type NameDemangler,
  type ShownSymbol,
  type SymbolFilter,
  type SymbolSource,
  type SymbolView,
} from './symbolTable.ts';
import { demanglable, mangledName, type NameFormat } from '../demangle/names.ts';
import type { Page, PagedTable, TableQuery } from '../report/tables.ts';
import { unitFromSource } from '../units/unit.ts';
import { unitFromFolder, type FolderEntry } from '../units/folder.ts';
import { isArchiveHead, isFatHead, universalArchiveSlices } from '../units/walk.ts';
import { memberBytes } from '../units/extract.ts';
import type { UnitReport } from '../units/types.ts';
import { lazySizeTrees } from '../size/groups.ts';
import { SizeTables, type SizeFilter, type SizeLevel, type SizeItem, type SizeView } from './sizeTables.ts';

export interface OpenOptions {
  /** Keep the parsed file for paged tables; the result then carries its id. */
  keep?: boolean;
}

export interface Opened {
  /** Handle for paged tables and release(); null when the file was not kept. */
  id: number | null;
  /** The report; its `file.sha256` is "" (sha256() or the hash worker gives it after the report). */
  report: Report;
}

/** `done` of `total` (the file's size) through the whole run, and the stage under way. */
export type ProgressCallback = (done: number, total: number, stage: Stage) => void;

/**
 * The report so far, right after the parse: the compatibility matrix is
 * known, Go's tables, the ARM64 scan and the findings are not yet.
 */
export type VerdictCallback = (report: Report) => void;

/** What the views of one slice need to know before they ask for rows. */
export interface SliceInfo {
  symbols: SymbolSource;
  /** The ARM64 listing's numbering; null for other architectures or without the engine. */
  listing: ListingIndex | null;
  /** True when the per-function table and the listing can be asked for. */
  arm64: boolean;
}

interface Held {
  analysis: FullAnalysis;
  /** Paged tables and indexes by `${slice}:${name}`, built on first use. */
  tables: Map<string, unknown>;
  /** The file's SHA-256 from the bytes read whole, made on first request; null for a file over WHOLE_HASH_LIMIT (the hash worker's). */
  sha256: (() => Promise<string>) | null;
}

const held = new Map<number, Held>();
let nextId = 1;

/** A report for a file the browser would not let us read (moved, deleted, a directory, no permission). */
function unreadable(file: File, e: unknown): Report {
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return unreadableReport(file.name, file.size, `The browser could not read this file (${why}).`);
}

let engine: Promise<Arm64Engine | null> = Promise.resolve(null);
/** The engine once init() has it. */
let engineNow: Arm64Engine | null = null;

function dataUrlBytes(url: string): Uint8Array {
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function heldFile(id: number): Held {
  const h = held.get(id);
  if (!h) throw new Error(`file #${id} is not open in the analysis worker (it was released, or the worker was restarted)`);
  return h;
}

/** The named table or index of one slice, built on first use. Adding a table is one API method that calls this. */
function cached<T>(id: number, slice: number, name: string, build: (s: SliceState) => T): T {
  const h = heldFile(id);
  const key = `${slice}:${name}`;
  if (h.tables.has(key)) return h.tables.get(key) as T;
  const s = h.analysis.slices[slice];
  if (!s) throw new RangeError(`file #${id} has no slice ${slice} (it has ${h.analysis.slices.length})`);
  const t = build(s);
  h.tables.set(key, t);
  return t;
}

async function arm64Engine(s: SliceState): Promise<Arm64Engine> {
  const e = await engine;
  if (!e) throw new Error('the ARM64 engine is not loaded in this browser');
  if (!isA64(s.parsed.report.arch)) throw new Error(`this slice is ${s.parsed.report.arch}, not arm64`);
  return e;
}

// Demangling (src/demangle) is WebAssembly loaded on first use: only when a
// file has a mangled name, and never before a view asks for names. When it
// cannot load, names are shown as the file holds them.
let demangling: Promise<import('../demangle/demangler.ts').Demangler | null> | null = null;
function loadDemangler(): Promise<import('../demangle/demangler.ts').Demangler | null> {
  demangling ??= import('../demangle/web.ts')
    .then((m) => m.loadDemangler())
    .catch((e: unknown) => {
      console.warn('binlens: the demangler did not load; names are shown as the file holds them', e);
      demangling = null;
      return null;
    });
  return demangling;
}

function nameFormat(id: number): NameFormat {
  return heldFile(id).analysis.report.format === 'elf' ? 'elf' : 'macho';
}

/** A demangler for one slice's names, or null when none of its symbols is mangled. */
async function demanglerFor(id: number, slice: number): Promise<NameDemangler | null> {
  const s = heldFile(id).analysis.slices[slice];
  if (!s) return null;
  const format = nameFormat(id);
  const key = `${slice}:demangle`;
  const h = heldFile(id);
  if (h.tables.has(key)) return h.tables.get(key) as NameDemangler | null;
  const { rows } = symbolRows(s.parsed, null);
  const any = rows.some((r) => demanglable(r.name, format));
  const d = any ? await loadDemangler() : null;
  const fn: NameDemangler | null = d ? (name) => d.demangle(name, format) : null;
  h.tables.set(key, fn);
  return fn;
}

const symbols = async (id: number, slice: number): Promise<SymbolView> => {
  const demangle = await demanglerFor(id, slice);
  const format = nameFormat(id);
  const swift = (name: string) => mangledName(name, format)?.scheme === 'swift';
  return cached(id, slice, 'symbols', (s) => symbolView(s.parsed, s.goFunctions, demangle, swift));
};
const names = async (id: number, slice: number): Promise<NameIndex> => {
  const demangle = await demanglerFor(id, slice);
  return cached(id, slice, 'names', (s) => nameIndex(s.parsed, s.goFunctions, demangle));
};
/** The size map of a slice (src/size), both views, built on first request with the names demangled. */
const sizes = async (id: number, slice: number): Promise<SizeTables> => {
  const demangle = await demanglerFor(id, slice);
  const format = nameFormat(id);
  return cached(id, slice, 'size', (s) => {
    // The section tree now, its names demangled as they are sent; the grouping when the page first asks for it.
    const t = lazySizeTrees({ slice: s.parsed, goFunctions: s.goFunctions, format, demangle, namesLater: true });
    return new SizeTables(t.map, t.groups, demangle);
  });
};
const listingIx = (id: number, slice: number): ListingIndex => cached(id, slice, 'listing', (s) => listingIndexOf(s.parsed));

/**
 * How folder rows read their files. A file up to SUMMARY_WHOLE is read whole,
 * asynchronously, the next one while this one is parsed; a bigger one only
 * where the parsers ask, in 64 KiB chunks. The 1,000 ELF files of this
 * machine's system folders are 953 MB; their headers, dynamic sections,
 * symbols and notes are 170 MB in 64 KiB chunks (294 MB in 1 MiB ones, all of
 * it when read whole). Each chunk is a synchronous read (FileReaderSync) that
 * waits for the browser; an asynchronous one does not hold the worker.
 */
const SUMMARY_WHOLE = 1 << 20;
const SUMMARY_CHUNKS: BlobSourceOptions = { limit: 0, chunkSize: 64 << 10 };

function summaryRead(file: File): Promise<ReadBlob> {
  return readBlob(file, file.size <= SUMMARY_WHOLE ? { limit: SUMMARY_WHOLE } : SUMMARY_CHUNKS);
}

async function summarizeOne(file: File, reading: Promise<ReadBlob>): Promise<FileSummary> {
  let source: ByteSource;
  let head: Uint8Array;
  try {
    ({ source } = await reading);
    head = source.read(0, 4096);
  } catch (e) {
    return summarize(unreadable(file, e));
  }
  const id = identify(new MemorySource(head));
  if (id.format === 'unknown') {
    return {
      name: file.name,
      size: file.size,
      format: 'unknown',
      notBinary: { kind: id.kind, reason: id.reason },
      slices: [],
      errors: 0,
      firstError: null,
      warnings: 0,
    };
  }
  const a = await analyzeFile(file, source, undefined, undefined, id);
  return summarize('failed' in a ? a.failed : a.report);
}

/** The whole analysis of a file read through `source`; a failing stage is retried without the engine. */
async function analyzeFile(
  file: File,
  source: ByteSource,
  onProgress?: ProgressCallback,
  onVerdict?: VerdictCallback,
  identity?: Identity,
  afterParse?: () => Promise<void>,
): Promise<FullAnalysis | { failed: Report }> {
  const progress = onProgress ? stageProgress((d, t, st) => void onProgress(d, t, st), file.size, true) : undefined;
  const early = onVerdict ? (r: Report) => void onVerdict(r) : undefined;
  const e = await engine;
  try {
    return await buildVerifiedReport(source, file.name, {
      engine: e,
      skipHash: true,
      onProgress: progress,
      onVerdict: early,
      identity,
      afterParse,
    });
  } catch (err) {
    // The parsers record problems instead of throwing, so this is the
    // browser failing a read, or a bug in a later stage: try once more
    // without the engine, and say what was left out.
    if (!e) return { failed: unreadable(file, err) };
    let analysis: FullAnalysis;
    try {
      analysis = await buildVerifiedReport(source, file.name, { engine: null, skipHash: true, onProgress: progress, identity });
    } catch (err2) {
      return { failed: unreadable(file, err2) };
    }
    analysis.report.warnings.push(
      `The ARM64 code scan failed (${err instanceof Error ? err.message : String(err)}); the report leaves it out.`,
    );
    return analysis;
  }
}

/**
 * Whether the file is a unit binlens opens as a whole: a tar, compressed or
 * not (an image, a package, a release archive), or a universal file whose
 * slices are ar archives (a lipo'd static library). A read that fails says
 * no: the analysis then reports it.
 */
function isUnitSource(source: ByteSource): boolean {
  try {
    const head = source.read(0, Math.min(source.size, 4096));
    return isArchiveHead(head) || (isFatHead(head) && universalArchiveSlices(source) !== null);
  } catch {
    return false;
  }
}

/** open() and openOrUnit(): with `units`, a unit is answered 'unit' before anything is analyzed. */
async function openFile(
  file: File,
  opts: OpenOptions,
  units: boolean,
  onProgress?: ProgressCallback,
  onVerdict?: VerdictCallback,
): Promise<Opened | 'unit'> {
  let read: ReadBlob;
  try {
    read = await readBlob(file);
  } catch (e) {
    return { id: null, report: unreadable(file, e) };
  }
  const { source } = read;
  if (units && isUnitSource(source)) return 'unit';
  // A file kept for its report is read whole after its answer (when it is not
  // already): the code scan then reads memory, and the hash those bytes.
  const whole = opts.keep && file.size <= WHOLE_HASH_LIMIT ? read.readWhole : null;
  // A failed read leaves the on-demand reads, which report the problem themselves; the hash then fails with it.
  const afterParse = whole ? () => whole().then(noop, noop) : undefined;
  const analysis = await analyzeFile(file, source, onProgress, onVerdict, undefined, afterParse);
  if ('failed' in analysis) return { id: null, report: analysis.failed };
  if (!opts.keep) return { id: null, report: analysis.report };
  const id = nextId++;
  held.set(id, { analysis, tables: new Map(), sha256: whole ? hashOnce(file, whole) : null });
  return { id, report: analysis.report };
}

function noop(): void {}

/**
 * The SHA-256 of the bytes read whole, made when the page asks for it, after
 * the report: WebCrypto's digest holds this thread while it hashes (130–250 ms
 * for 92 MB here), and a file opened again after a cancel needs none.
 */
function hashOnce(file: File, whole: () => Promise<Uint8Array>): () => Promise<string> {
  let hash: Promise<string> | null = null;
  return () => (hash ??= whole().then((bytes) => blobSha256(file, bytes)));
}

/** The worker's API (exported for its tests; the page reaches it through Comlink, see client.ts). */
export const api = {
  /** The compiled ARM64 engine, from the page (null: run without it, and the report says so). */
  async init(module: WebAssembly.Module | null): Promise<boolean> {
    engine = module ? Arm64Engine.fromModule(module).catch(() => null) : Promise.resolve(null);
    engineNow = await engine;
    return engineNow !== null;
  },

  /**
   * Analyzes a small binary built with the project's fixtures (an arm64
   * glibc PIE with PAC and BTI: dynamic section, version needs, notes,
   * symbols, the engine's scan, every verdict) and drops the result, so the
   * user's first file finds its code compiled. The page calls it when idle.
   */
  warmUp(): void {
    try {
      buildReport(new MemorySource(dataUrlBytes(warmUpElf)), 'warm-up', { engine: engineNow, skipHash: true });
    } catch {
      // Only a warm-up: the user's file reports its own problems.
    }
  },

  /** Reads and analyzes a file (without its hash); with `keep`, holds it for paged tables until release(id). */
  async open(file: File, opts: OpenOptions = {}, onProgress?: ProgressCallback, onVerdict?: VerdictCallback): Promise<Opened> {
    return (await openFile(file, opts, false, onProgress, onVerdict)) as Opened;
  },

  /**
   * open(), or 'unit' when the file is a unit binlens opens as a whole
   * (isUnitSource, on the bytes read for the analysis): one call where a
   * dropped file took two before its verdict.
   */
  async openOrUnit(
    file: File,
    opts: OpenOptions = {},
    onProgress?: ProgressCallback,
    onVerdict?: VerdictCallback,
  ): Promise<Opened | 'unit'> {
    return openFile(file, opts, true, onProgress, onVerdict);
  },

  /**
   * Folder-table rows for a batch of files, analyzed one after another and
   * dropped at once: only these small summaries cross back. Files that are
   * not ELF or Mach-O are recognized from their first bytes, never read whole.
   */
  async summarize(files: File[]): Promise<FileSummary[]> {
    const out: FileSummary[] = [];
    let next = files.length > 0 ? summaryRead(files[0]!) : null;
    for (let i = 0; i < files.length; i++) {
      const reading = next!;
      next = i + 1 < files.length ? summaryRead(files[i + 1]!) : null;
      // A read that fails is reported by summarizeOne; an unawaited one must not reject unhandled.
      next?.catch(() => {});
      out.push(await summarizeOne(files[i]!, reading));
    }
    return out;
  },

  /**
   * The SHA-256 of a kept file, from the bytes this worker read (lowercase
   * hex); null for a file over WHOLE_HASH_LIMIT, which the hash worker streams.
   */
  async sha256(id: number): Promise<string | null> {
    return heldFile(id).sha256?.() ?? null;
  },

  /** Where each view of a slice gets its rows, and the listing's numbering. */
  async sliceInfo(id: number, slice: number): Promise<SliceInfo> {
    const s = heldFile(id).analysis.slices[slice];
    if (!s) throw new RangeError(`file #${id} has no slice ${slice}`);
    const arm64 = isA64(s.parsed.report.arch) && (await engine) !== null;
    return { symbols: (await symbols(id, slice)).source, listing: arm64 ? listingIx(id, slice) : null, arm64 };
  },

  /** A window of one slice's symbol table for a query (llvm-nm's rows and order; .dynsym or Go's names when stripped). */
  async symbols(id: number, slice: number, q: TableQuery<SymbolFilter>): Promise<Page<ShownSymbol>> {
    return (await symbols(id, slice)).table.page(q);
  },

  /**
   * Names of a report (imports, exports) demangled as llvm-cxxfilt-19 prints
   * them, null for each that is not mangled; all null when the demangler
   * cannot load. `format`: the report's.
   */
  async demangle(names: string[], format: NameFormat): Promise<(string | null)[]> {
    const list = names.slice(0, 100_000);
    if (!list.some((n) => typeof n === 'string' && demanglable(n, format))) return list.map(() => null);
    const d = await loadDemangler();
    return list.map((n) => (d && typeof n === 'string' ? d.demangle(n, format) : null));
  },

  /**
   * One level of a slice's size map: node `node` of a view (0: the slice)
   * with its `limit` biggest children and the rest as one sum.
   */
  async sizeLevel(id: number, slice: number, view: SizeView, node: number, limit: number): Promise<SizeLevel> {
    return (await sizes(id, slice)).level(view, node, limit);
  },

  /** A window of every child of a size-map node, sorted by name, kind or size. */
  async sizeChildren(id: number, slice: number, view: SizeView, node: number, q: TableQuery<SizeFilter>): Promise<Page<SizeItem>> {
    return (await sizes(id, slice)).children(view, node).page(q);
  },

  /** A window of the per-function PAC/BTI table of an arm64 slice. */
  async functions(id: number, slice: number, q: TableQuery<FunctionFilter>): Promise<Page<FunctionRow>> {
    const s = heldFile(id).analysis.slices[slice];
    if (!s) throw new RangeError(`file #${id} has no slice ${slice}`);
    const e = await arm64Engine(s);
    const [ix, demangle] = [await names(id, slice), await demanglerFor(id, slice)];
    const t = cached<PagedTable<FunctionRow, FunctionFilter>>(id, slice, 'functions', (st) =>
      functionTable(st.parsed, e, st.goFunctions, ix, demangle),
    );
    return t.page(q);
  },

  /** Rows [from, from + count) of the disassembly listing of an arm64 slice. */
  async listing(id: number, slice: number, from: number, count: number): Promise<ListingLine[]> {
    const s = heldFile(id).analysis.slices[slice];
    if (!s) throw new RangeError(`file #${id} has no slice ${slice}`);
    const e = await arm64Engine(s);
    return listingPage(s.parsed, e, listingIx(id, slice), await names(id, slice), from, count);
  },

  /** The unit report (src/units): members walked in order, only ELF and Mach-O ones read whole. `onProgress(bytes read, size)`. */
  async openUnit(file: File, onProgress?: (done: number, total: number) => void): Promise<UnitReport> {
    const source = blobUnitSource(file);
    let last = 0;
    return unitFromSource(source, file.name, {
      onProgress: (done, total) => {
        const now = performance.now();
        if (onProgress && now - last > 100) {
          last = now;
          onProgress(done, total);
        }
      },
    });
  },

  /** A dropped folder as a unit (an OCI layout, node_modules, an .app): its files by path inside the folder. */
  async openFolderUnit(
    files: { file: File; path: string }[],
    name: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<UnitReport> {
    let done = 0;
    let last = 0;
    const entries: FolderEntry[] = files.map(({ file, path }) => ({
      path,
      type: 'file',
      size: file.size,
      open: () => {
        done++;
        const now = performance.now();
        if (onProgress && now - last > 100) {
          last = now;
          onProgress(done, files.length);
        }
        return { source: blobUnitSource(file), close() {} };
      },
    }));
    return unitFromFolder(entries, name);
  },

  /** One member's bytes, for its own report (transferred, not copied). */
  async unitMember(file: File, locator: string[]): Promise<Uint8Array | null> {
    const bytes = await memberBytes(blobUnitSource(file), locator);
    return bytes ? Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]) : null;
  },

  /**
   * The diff of two builds (src/diff): both files analyzed as `open` does,
   * each slice's per-function PAC/BTI facts and size map read while its bytes
   * are here, names demangled; only the small ReportDiff crosses back. Rejects
   * with one sentence for a file that is not ELF or Mach-O.
   */
  async compare(oldFile: File, newFile: File): Promise<ReportDiff> {
    const [{ diffReports }, { sliceFacts }] = await Promise.all([import('../diff/diff.ts'), import('../diff/facts.ts')]);
    const e = await engine;
    const side = async (file: File): Promise<DiffInput> => {
      let source: ByteSource;
      try {
        ({ source } = await readBlob(file));
      } catch (err) {
        throw new Error(unreadable(file, err).errors[0]!.message, { cause: err });
      }
      const { report, slices } = await buildVerifiedReport(source, file.name, { engine: e, skipHash: true });
      if (report.format === 'unknown' || slices.length === 0)
        throw new Error(`${file.name} is not an ELF or Mach-O binary${report.notBinary ? ` (${report.notBinary.kind})` : ''}.`);
      const format: NameFormat = report.format === 'elf' ? 'elf' : 'macho';
      const mangled = slices.some((s) => symbolRows(s.parsed, null).rows.some((r) => demanglable(r.name, format)));
      const d = mangled ? await loadDemangler() : null;
      const demangle = (name: string) => (d ? d.demangle(name, format) : null);
      return { report, facts: slices.map((s) => sliceFacts(s.parsed, s.goFunctions, e, demangle, format)) };
    };
    return diffReports(await side(oldFile), await side(newFile));
  },

  /** Drops a kept file: its bytes and tables become garbage. */
  release(id: number): void {
    held.delete(id);
  },
};

export type AnalyzerApi = typeof api;

Comlink.expose(api);
