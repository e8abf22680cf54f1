// One member's bytes, found again by its locator (the archive member names
// that lead to it, outermost first): how the page opens a member's own report
// from the unit's table without holding every member in memory.

import { MemorySource, type ByteSource } from '../parsers/reader.ts';
import { Budget, DEFAULT_LIMITS, UnitError, type Limits } from './limits.ts';
import { memberPath } from './paths.ts';
import { compressionOf, decompressed, SourceStream, WindowSource, type ByteStream } from './stream.ts';
import { isFatHead, readAll, universalArchiveSlices } from './walk.ts';
import { tarEntries, type ArchiveEntry, type Body } from './tar.ts';
import { arEntries, arKind } from './ar.ts';
import { isZipHead, zipEntries } from './zip.ts';

export async function memberBytes(source: ByteSource, locator: string[], limits: Limits = DEFAULT_LIMITS): Promise<Uint8Array | null> {
  if (locator.length === 0) return null;
  return find(new SourceStream(source), locator, new Budget(limits));
}

async function find(stream: ByteStream, locator: string[], budget: Budget): Promise<Uint8Array | null> {
  if (isFatHead(await stream.peek(8))) {
    // A universal static library: its slices are named by architecture (walk.ts readUniversal).
    const source = stream.source ?? new MemorySource(await readAll(stream, budget.limits.maxMemberBytes, locator[0]!));
    const slice = universalArchiveSlices(source)?.find((s) => `/${s.arch}` === locator[0]);
    if (!slice || locator.length < 2) return null;
    return find(new SourceStream(new WindowSource(source, slice.offset, slice.size)), locator.slice(1), budget);
  }
  let input = stream;
  const zip = isZipHead(await stream.peek(4)) && stream.source !== null;
  const c = zip ? null : compressionOf(await stream.peek(8));
  if (c) input = await decompressed(stream, c, budget, locator[0]!);
  const [want, ...rest] = locator;
  const members: AsyncGenerator<{ entry: ArchiveEntry; body: Body }> = zip
    ? zipEntries(stream.source!, budget, want!)
    : arKind(await input.peek(8))
      ? arEntries(input, budget, want!)
      : tarEntries(input, budget, want!);
  for await (const { entry, body } of members) {
    let path: string;
    try {
      path = memberPath(entry.name);
    } catch (e) {
      if (e instanceof UnitError) continue;
      throw e;
    }
    if (path !== want || entry.type !== 'file') continue;
    if (rest.length === 0) {
      if (body.size > budget.limits.maxMemberBytes)
        throw new UnitError('limit', `the member is ${body.size} bytes, over the limit for one member`, want);
      return (await body.all()).slice();
    }
    return find(body.stream(), rest, budget);
  }
  return null;
}
