// Bytes in, report out: sniff the format, hand the file to its parser, and
// assemble the versioned report. Pure: runs unchanged in Node and in a worker.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { parseElf } from './elf/index.ts';
import { parseMachO } from './macho/index.ts';
import { FormatError, Reader, hex, type ByteSource } from './reader.ts';
import { type ParsedFile, type ParsedSlice } from './types.ts';
import type { Cut } from './truncation.ts';
import { REPORT_SCHEMA, type Report } from '../report/types.ts';
import { identify, type Identity } from './identify.ts';

export interface Analysis {
  report: Report;
  /** Parsed slices in report order, for the big tables (symbols) the report only counts. */
  slices: ParsedSlice[];
  /** What lies past the end of the file, in values (`report.truncated.missing` in its order); empty for a whole file. */
  missing: Cut[];
}

export interface AnalyzeOptions {
  /** Called with bytes hashed so far; long files report progress through it. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between chunks; when it returns true the analysis stops with an AbortError. */
  cancelled?: () => boolean;
  /** Skip the whole-file hash (sha256 is then ""). */
  skipHash?: boolean;
  /** The file's SHA-256 when the caller already has it (the page computes it with WebCrypto). */
  sha256?: string;
  /**
   * A faster SHA-256 than the portable one, when the platform has it (the CLI
   * passes Node's native hash). Fed the file in chunks, in order.
   */
  hasher?: () => Hasher;
  /** What identify() said of the file's first bytes, when the caller has already asked (it is asked once per file). */
  identity?: Identity;
}

/** An incremental SHA-256. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  /** Lowercase hex digest. */
  hex(): string;
}

/** SHA-256 in portable JavaScript (@noble/hashes): what runs where nothing faster is given. */
export function portableSha256(): Hasher {
  const h = sha256.create();
  return { update: (chunk) => void h.update(chunk), hex: () => bytesToHex(h.digest()) };
}

const HASH_CHUNK = 4 << 20;

export function fileSha256(source: ByteSource, opts: AnalyzeOptions = {}): string {
  if (opts.sha256) return opts.sha256;
  const h = (opts.hasher ?? portableSha256)();
  for (let at = 0; at < source.size; at += HASH_CHUNK) {
    if (opts.cancelled?.()) throw new DOMException('analysis cancelled', 'AbortError');
    h.update(source.read(at, Math.min(HASH_CHUNK, source.size - at)));
    opts.onProgress?.(Math.min(at + HASH_CHUNK, source.size), source.size);
  }
  return h.hex();
}

export function parseFile(source: ByteSource, id: Identity = identify(source)): ParsedFile {
  if (id.format === 'elf') return parseElf(new Reader(source, true));
  if (id.format === 'macho' || id.format === 'macho-fat') return parseMachO(new Reader(source, true));
  return { format: 'unknown', slices: [], errors: [], warnings: [] };
}

export function analyze(source: ByteSource, name: string, opts: AnalyzeOptions = {}): Analysis {
  const id = opts.identity ?? identify(source);
  let parsed: ParsedFile;
  try {
    parsed = parseFile(source, id);
  } catch (e) {
    // Parsers record what they can and go on; a FormatError that escapes
    // means the headers themselves are unreadable. Anything else is a bug in
    // binlens, but the user still gets a report that says so, not a crash;
    // the fuzz tests fail on any error whose field is `internal`.
    const error =
      e instanceof FormatError
        ? { message: e.message, offset: hex(e.offset), field: e.field }
        : { message: `internal error: ${e instanceof Error ? e.message : String(e)}`, offset: '0x0', field: 'internal' };
    parsed = { format: id.format, slices: [], errors: [error], warnings: [] };
  }
  const report: Report = {
    schema: REPORT_SCHEMA,
    file: { name, size: source.size, sha256: opts.skipHash ? '' : fileSha256(source, opts) },
    format: parsed.format,
    errors: parsed.errors,
    warnings: parsed.warnings,
    slices: parsed.slices.map((s) => s.report),
  };
  const missing = parsed.missing ?? [];
  if (missing.length) report.truncated = { end: hex(source.size), missing: missing.map((c) => c.part) };
  if (id.format === 'unknown') report.notBinary = { kind: id.kind, reason: id.reason };
  return { report, slices: parsed.slices, missing };
}
