// A dropped or named folder as a unit: its files are walked like an archive's
// members (an OCI image layout folder is an image; archives inside are opened).
// The caller lists the entries (Node's fs in the CLI, File objects in the
// worker); this module stays pure.

import type { ByteSource } from '../parsers/reader.ts';
import { isImageDocument } from './image.ts';
import { Budget, checkCancelled, DEFAULT_LIMITS, fmtBytes, UnitError } from './limits.ts';
import { isSealed, sha256Hex } from './seal.ts';
import { binaryFacts, HEAD_BYTES, sniff } from './member.ts';
import { memberPath } from './paths.ts';
import { SourceStream } from './stream.ts';
import type { FsNode, LayerEntry } from './tree.ts';
import { UNIT_SCHEMA, type UnitReport } from './types.ts';
import { isLoaderDocument, judgeListing, unitErrorText, type UnitOptions } from './unit.ts';
import { isArchiveHead, readArchive, type Listing } from './walk.ts';

export interface FolderEntry {
  /** Path inside the folder, `/`-separated. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  target?: string;
  /** Files: their bytes, opened on request and closed after use. */
  open?: () => { source: ByteSource; close(): void };
}

const NAMED_ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.xz|txz|tar\.zst|tzst|zip|whl|deb|a)$/i;

export async function unitFromFolder(
  entries: Iterable<FolderEntry> | AsyncIterable<FolderEntry>,
  name: string,
  opts: UnitOptions = {},
): Promise<UnitReport> {
  const budget = new Budget(opts.limits ?? DEFAULT_LIMITS);
  const base: UnitReport = {
    unitSchema: UNIT_SCHEMA,
    kind: 'folder',
    file: { name, size: 0 },
    container: 'folder',
    images: [],
    targets: [],
    members: [],
    errors: [],
    warnings: [],
  };
  const listing: Listing = { container: 'folder', entries: [], nested: new Map() };
  const layerOpts = { layer: true, keep: (p: string, h: Uint8Array) => isLoaderDocument(p) || isImageDocument(p, h) };
  try {
    for await (const e of entries) {
      checkCancelled(opts.cancelled);
      const path = memberPath(e.path);
      budget.entry(path);
      opts.onMember?.([path]);
      if (e.type === 'dir') listing.entries.push({ path, node: { type: 'dir', size: 0, mode: 0o755, locator: [path] } });
      else if (e.type === 'symlink')
        listing.entries.push({ path, node: { type: 'symlink', size: 0, mode: 0o777, target: e.target ?? '', locator: [path] } });
      else if (e.open) {
        base.file.size += e.size;
        const f = e.open();
        try {
          const head = f.source.read(0, Math.min(f.source.size, HEAD_BYTES));
          const entry = await fileEntry(path, head, f.source, budget, listing, layerOpts);
          listing.entries.push(entry);
        } finally {
          f.close();
        }
      }
    }
  } catch (err) {
    if (err instanceof UnitError) return { ...base, errors: [unitErrorText(err)] };
    throw err;
  }
  return judgeListing(base, listing, opts, budget);
}

async function fileEntry(
  path: string,
  head: Uint8Array,
  source: ByteSource,
  budget: Budget,
  listing: Listing,
  layerOpts: Parameters<typeof readArchive>[3],
): Promise<LayerEntry> {
  const sniffed = sniff(head);
  const node: FsNode = { type: 'file', size: source.size, mode: 0o755, format: sniffed.format, locator: [path] };
  const blob = /^\/blobs\/[a-z0-9]+\/[0-9a-f]+$/.test(path);
  if (node.format === 'other' && (blob || NAMED_ARCHIVE.test(path)) && isArchiveHead(head)) {
    try {
      listing.nested.set(path, await readArchive(new SourceStream(source), [path], { budget }, blob ? layerOpts : {}, 1));
      node.format = 'archive';
      node.kind = sniffed.kind;
      return { path, node };
    } catch (e) {
      if (!(e instanceof UnitError) || e.kind !== 'format') throw e;
    }
  }
  if (node.format === 'other') {
    node.kind = sniffed.kind;
    if (head[0] === 0x23 && head[1] === 0x21) node.head = head.slice(0, 256);
    if (isLoaderDocument(path) || isImageDocument(path, head)) {
      if (source.size > budget.limits.maxDocumentBytes) node.problem = `too large to read (${fmtBytes(source.size)})`;
      else node.data = source.read(0, source.size).slice();
    }
    if (isSealed(path) && source.size <= budget.limits.maxMemberBytes) node.sha256 = sha256Hex(node.data ?? source.read(0, source.size));
    return { path, node };
  }
  if (source.size > budget.limits.maxMemberBytes)
    node.problem = `not read: ${fmtBytes(source.size)} is over the ${fmtBytes(budget.limits.maxMemberBytes)} limit for one member`;
  else {
    if (isSealed(path)) node.sha256 = sha256Hex(source.read(0, source.size));
    try {
      node.facts = (await binaryFacts(source, path.slice(path.lastIndexOf('/') + 1), { identity: sniffed.identity })).facts;
    } catch (e) {
      node.problem = e instanceof Error ? e.message : String(e);
    }
  }
  return { path, node };
}
