// The analysis worker. It owns the bytes: the page hands it a File (a
// structured clone of a File shares the underlying bytes, it does not copy
// them), the worker reads and parses it, keeps the parsed slices of the file
// being viewed, and sends back the plain-data report. Big tables never cross
// whole: the page asks for one window of rows at a time.
//
// The page imports only the type of this module (src/workers/client.ts).

import * as Comlink from 'comlink';
import { analyze, type Analysis } from '../parsers/analyze.ts';
import { identify } from '../parsers/identify.ts';
import { MemorySource } from '../parsers/reader.ts';
import { REPORT_SCHEMA, type ParsedSlice, type Report, type SymbolRow } from '../parsers/types.ts';
import { blobHead, blobSource } from './blobSource.ts';
import { summarize, type FileSummary } from './summary.ts';
import { symbolTable, type SymbolFilter } from './symbolTable.ts';
import type { Page, PagedTable, TableQuery } from './tables.ts';

export interface OpenOptions {
  /** Keep the parsed file for paged tables; the result then carries its id. */
  keep?: boolean;
  /** Skip the whole-file SHA-256 (folder scans do; the report's sha256 is then ""). */
  skipHash?: boolean;
}

export interface Opened {
  /** Handle for paged tables and release(); null when the file was not kept. */
  id: number | null;
  report: Report;
}

export type ProgressCallback = (done: number, total: number) => void;

interface Held {
  analysis: Analysis;
  /** Paged tables by `${slice}:${name}`, built on first use. */
  tables: Map<string, PagedTable<unknown, string>>;
}

const held = new Map<number, Held>();
let nextId = 1;

/** A report for a file the browser would not let us read (moved, deleted, a directory, no permission). */
function unreadable(file: File, e: unknown): Report {
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    schema: REPORT_SCHEMA,
    file: { name: file.name, size: file.size, sha256: '' },
    format: 'unknown',
    errors: [{ message: `The browser could not read this file (${why}).`, offset: '0x0', field: 'file' }],
    warnings: [],
    slices: [],
  };
}

/** At most one progress message per interval, and always the last one. */
function throttled(cb: ProgressCallback | undefined, ms = 80): ProgressCallback | undefined {
  if (!cb) return undefined;
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done >= total || now - last >= ms) {
      last = now;
      void cb(done, total);
    }
  };
}

function heldFile(id: number): Held {
  const h = held.get(id);
  if (!h) throw new Error(`file #${id} is not open in the analysis worker (it was released, or the worker was restarted)`);
  return h;
}

/** The named table of one slice, built on first use. Adding a table is one API method that calls this. */
function table<R, F extends string>(
  id: number,
  slice: number,
  name: string,
  build: (s: ParsedSlice) => PagedTable<R, F>,
): PagedTable<R, F> {
  const h = heldFile(id);
  const key = `${slice}:${name}`;
  let t = h.tables.get(key) as PagedTable<R, F> | undefined;
  if (!t) {
    const s = h.analysis.slices[slice];
    if (!s) throw new RangeError(`file #${id} has no slice ${slice} (it has ${h.analysis.slices.length})`);
    t = build(s);
    h.tables.set(key, t as unknown as PagedTable<unknown, string>);
  }
  return t;
}

async function summarizeOne(file: File): Promise<FileSummary> {
  let head: Uint8Array;
  try {
    head = await blobHead(file);
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
  const { report } = await api.open(file, { skipHash: true });
  return summarize(report);
}

const api = {
  /** Reads and analyzes a file; with `keep`, holds it for paged tables until release(id). */
  async open(file: File, opts: OpenOptions = {}, onProgress?: ProgressCallback): Promise<Opened> {
    let analysis: Analysis;
    try {
      const source = await blobSource(file);
      analysis = analyze(source, file.name, { skipHash: opts.skipHash, onProgress: throttled(onProgress) });
    } catch (e) {
      return { id: null, report: unreadable(file, e) };
    }
    if (!opts.keep) return { id: null, report: analysis.report };
    const id = nextId++;
    held.set(id, { analysis, tables: new Map() });
    return { id, report: analysis.report };
  },

  /**
   * Folder-table rows for a batch of files, analyzed one after another and
   * dropped at once: only these small summaries cross back. Files that are
   * not ELF or Mach-O are recognized from their first bytes, never read whole.
   */
  async summarize(files: File[]): Promise<FileSummary[]> {
    const out: FileSummary[] = [];
    for (const file of files) out.push(await summarizeOne(file));
    return out;
  },

  /** A window of one slice's symbol table for a query (llvm-nm's rows and order). */
  symbols(id: number, slice: number, q: TableQuery<SymbolFilter>): Page<SymbolRow> {
    return table(id, slice, 'symbols', symbolTable).page(q);
  },

  /** Drops a kept file: its bytes and tables become garbage. */
  release(id: number): void {
    held.delete(id);
  },
};

export type AnalyzerApi = typeof api;

Comlink.expose(api);
