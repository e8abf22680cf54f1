// Walks an archive member by member: tar, optionally gzip-, zstd- or
// xz-compressed, nested archives to a bounded depth. Each member is identified
// from its first bytes; only ELF and Mach-O members are read whole (and parsed
// at once, then let go), plus the few small documents the caller asks for.

import { isFatMagic, readFatHeader } from '../parsers/macho/fat.ts';
import { archOf } from '../parsers/macho/machine.ts';
import { concat, MemorySource, Problems, Reader, type ByteSource } from '../parsers/reader.ts';
import { Budget, checkCancelled, fmtBytes, UnitError } from './limits.ts';
import { isSealed, sha256Hex } from './seal.ts';
import { binaryFacts, HEAD_BYTES, sniff } from './member.ts';
import { memberPath } from './paths.ts';
import { compressionOf, decompressed, offsetIn, SourceStream, WindowSource, type ByteStream } from './stream.ts';
import { hasUstarMagic, looksLikeTar, tarEntries, type ArchiveEntry, type Body } from './tar.ts';
import { arEntries, arKind } from './ar.ts';
import { isZipHead, zipEntries } from './zip.ts';
import { whiteoutOf, type FsNode, type LayerEntry } from './tree.ts';

export interface WalkContext {
  budget: Budget;
  cancelled?: () => boolean;
  /** Called with a member path as the walk reaches it, and where the walk stands in `file` (see readArchive). */
  onMember?: (locator: string[], at: number) => void;
  /** The unit's file, when the walk reads one. */
  file?: ByteSource;
}

export interface WalkOptions {
  /** Read `.wh.` entries as whiteouts (image layers). */
  layer?: boolean;
  /** Whether a member (path inside this archive, first bytes) is an archive to open in turn. */
  nested?: (path: string, head: Uint8Array) => boolean;
  /** Whether to keep a non-binary member's bytes (loader configuration, metadata), up to the document limit. */
  keep?: (path: string, head: Uint8Array) => boolean;
  /** Options for the archives found inside (default: these). */
  inner?: WalkOptions;
}

export interface Listing {
  /** What the archive is: `tar`, `tar+gzip`, … */
  container: string;
  entries: LayerEntry[];
  /** Archives found inside, by the member path that holds them. */
  nested: Map<string, Listing>;
}

/** Whether these first bytes start an archive binlens can open (a tar, or compressed data that may hold one). */
export function isArchiveHead(head: Uint8Array): boolean {
  return compressionOf(head) !== null || hasUstarMagic(head) || looksLikeTar(head) || arKind(head) !== null || isZipHead(head);
}

/** The first bytes of a universal (fat) file: `lipo -create` of static libraries makes one whose slices are ar archives. */
export function isFatHead(head: Uint8Array): boolean {
  return head.length >= 8 && isFatMagic(new DataView(head.buffer, head.byteOffset, 8).getUint32(0)) && head[4] === 0 && head[5] === 0;
}

/** A universal static library's slices (every slice an ar archive), or null for a universal binary or anything else. */
export function universalArchiveSlices(source: ByteSource): { arch: string; offset: number; size: number }[] | null {
  if (!isFatHead(source.read(0, Math.min(8, source.size)))) return null;
  const problems = new Problems();
  const fat = problems.try(() => readFatHeader(new Reader(source, false), problems), null);
  if (!fat || fat.arches.length === 0) return null;
  const slices = fat.arches.filter((a) => a.ok);
  if (slices.length !== fat.arches.length || !slices.every((a) => arKind(source.read(a.offset, 8)) !== null)) return null;
  return slices.map((a) => ({ arch: archOf(a.cputype, a.cpusubtype).arch, offset: a.offset, size: a.size }));
}

/** A universal static library: each slice is an ar archive, listed under `/<arch>` and walked as one. */
async function readUniversal(
  stream: ByteStream,
  locator: string[],
  ctx: WalkContext,
  opts: WalkOptions,
  depth: number,
  outer: () => number,
): Promise<Listing> {
  // Slices are found through the fat header: random access, in place where the bytes are at hand, else read whole.
  const source = stream.source ?? new MemorySource(await readAll(stream, ctx.budget.limits.maxMemberBytes, locator.join('!')));
  const slices = universalArchiveSlices(source);
  if (!slices) throw new UnitError('format', 'a universal file whose slices are not all ar archives', locator.join('!'));
  const entries: LayerEntry[] = [];
  const nested = new Map<string, Listing>();
  for (const s of slices) {
    const path = `/${s.arch}`;
    if (nested.has(path)) throw new UnitError('format', `two ${s.arch} slices in one universal file`, locator.join('!'));
    const here = [...locator, path];
    ctx.budget.entry(path);
    nested.set(path, await readArchive(new SourceStream(new WindowSource(source, s.offset, s.size)), here, ctx, opts, depth + 1, outer));
    entries.push({
      path,
      node: {
        type: 'file',
        size: s.size,
        mode: 0o644,
        format: 'archive',
        kind: `ar archive (${s.arch} slice)`,
        slice: s.arch,
        locator: here,
      },
    });
  }
  return { container: 'ar (universal)', entries, nested };
}

/**
 * Reads a tar (possibly compressed) stream into entries. `locator` names where
 * it is (outermost first); `outer` says where the walk stands in the unit's
 * file while it is inside this archive, where the archive cannot say better.
 */
// eslint-disable-next-line max-lines-per-function -- one branch per container the head bytes name (universal, zip, ar, compressed tar, tar), each with its own limits and nesting
export async function readArchive(
  stream: ByteStream,
  locator: string[],
  ctx: WalkContext,
  opts: WalkOptions = {},
  depth = 0,
  outer: () => number = () => 0,
): Promise<Listing> {
  if (depth > ctx.budget.limits.maxDepth)
    throw new UnitError('limit', `archives nested more than ${ctx.budget.limits.maxDepth} deep`, locator.join('!'));
  const where = locator.join('!');
  if (isFatHead(await stream.peek(8))) return readUniversal(stream, locator, ctx, opts, depth, outer);
  let zip = false;
  if (isZipHead(await stream.peek(4))) {
    // The central directory is at the end: a zip is read by random access, so only where the bytes are at hand.
    if (!stream.source)
      throw new UnitError(
        'unsupported',
        'a zip archive inside a compressed archive is not opened (extract it and drop it on its own)',
        where,
      );
    zip = true;
  }
  let input = stream;
  let container = 'tar';
  const compression = zip ? null : compressionOf(await stream.peek(8));
  if (compression) {
    input = await decompressed(stream, compression, ctx.budget, where);
    container = `tar+${compression}`;
  }
  const first = await input.peek(512);
  const ar = arKind(first);
  if (zip) container = 'zip';
  else if (ar) container = container.replace('tar', ar === 'thin' ? 'ar (thin)' : 'ar');
  else if (!looksLikeTar(first) && !hasUstarMagic(first))
    throw new UnitError('format', compression ? `the ${compression} data does not hold a tar archive` : 'not a tar archive', where);
  const entries: LayerEntry[] = [];
  const nested = new Map<string, Listing>();
  const members: AsyncGenerator<{ entry: ArchiveEntry; body: Body; thin?: boolean }> = zip
    ? zipEntries(stream.source!, ctx.budget, where)
    : ar
      ? arEntries(input, ctx.budget, where)
      : tarEntries(input, ctx.budget, where);
  // Where the walk stands in the unit's file: a member's own offset where this archive's bytes are part of it (a
  // layer of a docker save image, one member of the outer tar), else as far as the stream under this archive has
  // read (what the decompressor took in), else where the archive holding this one stands.
  const memberSource = zip ? stream.source : input.source;
  const standing = (): number => {
    const p = stream.source && ctx.file ? offsetIn(ctx.file, stream.source, stream.position) : null;
    return p ?? outer();
  };
  const at = (body: Body): number =>
    (body.offset !== undefined && memberSource && ctx.file ? offsetIn(ctx.file, memberSource, body.offset) : null) ?? standing();
  for await (const { entry, body, thin } of members) {
    checkCancelled(ctx.cancelled);
    const path = memberPath(entry.name);
    if (path === '/') continue;
    const here = [...locator, path];
    ctx.onMember?.(here, at(body));
    if (opts.layer) {
      const w = whiteoutOf(path);
      if (w) {
        entries.push({ path: w.target, whiteout: w.opaque ? 'opaque' : 'file' });
        continue;
      }
    }
    switch (entry.type) {
      case 'dir':
        entries.push({ path, node: { type: 'dir', size: 0, mode: entry.mode, locator: here } });
        continue;
      case 'symlink':
        entries.push({ path, node: { type: 'symlink', size: 0, mode: entry.mode, target: entry.linkname, locator: here } });
        continue;
      case 'hardlink':
        entries.push({ path, hardlink: memberPath(entry.linkname), locator: here });
        continue;
      case 'other':
        entries.push({ path, node: { type: 'other', size: entry.size, mode: entry.mode, locator: here } });
        continue;
    }
    const unread = (kind: string, problem: string): LayerEntry => ({
      path,
      node: { type: 'file', size: entry.size, mode: entry.mode, format: 'other', kind, problem, locator: here },
    });
    if (thin) {
      // A thin archive names its members; their bytes are in files beside it, not in the unit.
      entries.push(unread('member of a thin archive', 'a thin archive holds only its name: the object file stays outside the archive'));
      continue;
    }
    const head = await body.head(HEAD_BYTES);
    if (opts.nested?.(path, head)) {
      try {
        nested.set(path, await readArchive(body.stream(), here, ctx, opts.inner ?? opts, depth + 1, standing));
        entries.push({
          path,
          node: { type: 'file', size: entry.size, mode: entry.mode, format: 'archive', kind: sniff(head).kind, locator: here },
        });
      } catch (e) {
        // An archive inside that cannot be opened is a member with a problem; bounds and traversal stop the whole walk.
        if (!(e instanceof UnitError) || e.kind === 'limit' || e.kind === 'traversal') throw e;
        entries.push(unread(sniff(head).kind, e.message));
      }
      continue;
    }
    entries.push({ path, node: await fileNode(body, head, entry.mode, path, here, ctx, opts) });
  }
  return { container, entries, nested };
}

/** A binary member up to this size is fetched whole before it is parsed; a bigger one, its first MEMBER_PREFETCH and last TAIL_PREFETCH bytes. */
const MEMBER_PREFETCH = 4 << 20;
const TAIL_PREFETCH = 1 << 20;

async function fileNode(
  body: Body,
  head: Uint8Array,
  mode: number,
  path: string,
  here: string[],
  ctx: WalkContext,
  opts: WalkOptions,
): Promise<FsNode> {
  const { format, kind, identity } = sniff(head);
  const node: FsNode = { type: 'file', size: body.size, mode, format, locator: here };
  if (format === 'other') {
    node.kind = kind;
    if (head[0] === 0x23 && head[1] === 0x21) node.head = head.slice(0, 256);
    if (opts.keep?.(path, head)) {
      if (body.size > ctx.budget.limits.maxDocumentBytes) node.problem = `too large to read (${fmtBytes(body.size)})`;
      else node.data = (await body.all()).slice();
    }
    if (isSealed(path) && body.size <= ctx.budget.limits.maxMemberBytes) node.sha256 = sha256Hex(node.data ?? (await body.all()));
    return node;
  }
  if (body.size > ctx.budget.limits.maxMemberBytes) {
    node.problem = `not read: ${fmtBytes(body.size)} is over the ${fmtBytes(ctx.budget.limits.maxMemberBytes)} limit for one member`;
    return node;
  }
  const source: ByteSource = body.window() ?? new MemorySource(await body.all());
  // Its bytes fetched ahead where that is cheaper (a Blob): all of a small binary, the ends of a big one (headers,
  // section or load commands); whatever else its parser reads comes on demand.
  await source.prefetch?.(0, Math.min(source.size, MEMBER_PREFETCH));
  if (source.size > MEMBER_PREFETCH) await source.prefetch?.(source.size - TAIL_PREFETCH, TAIL_PREFETCH);
  if (isSealed(path)) node.sha256 = sha256Hex(source.read(0, source.size));
  try {
    node.facts = (await binaryFacts(source, path.slice(path.lastIndexOf('/') + 1), { identity })).facts;
  } catch (e) {
    if (e instanceof UnitError || (e instanceof DOMException && e.name === 'AbortError')) throw e;
    node.problem = e instanceof Error ? e.message : String(e);
  }
  return node;
}

export async function readAll(stream: ByteStream, limit: number, where: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const c = await stream.read(1 << 20);
    if (c.length === 0) break;
    total += c.length;
    if (total > limit) throw new UnitError('limit', `over ${fmtBytes(limit)}, the limit for one member`, where);
    parts.push(c.slice());
  }
  return concat(parts);
}
