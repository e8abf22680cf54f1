import { describe, expect, it } from 'vitest';
import { PageCache } from './pageCache.ts';

/** A fetcher whose answers the test gives by hand, in any order. */
function worker(pageSize: number) {
  const asked: { offset: number; limit: number; answer: (rows?: number[]) => void; fail: (e: unknown) => void }[] = [];
  const fetch = (offset: number, limit: number) =>
    new Promise<{ rows: number[]; tag: string }>((resolve, reject) => {
      asked.push({
        offset,
        limit,
        answer: (rows) => resolve({ rows: rows ?? Array.from({ length: limit }, (_, k) => offset + k), tag: `from ${offset}` }),
        fail: reject,
      });
    });
  return { asked, fetch, pages: () => asked.map((a) => a.offset / pageSize) };
}

/** Lets queued microtasks and settled promises run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function cache(keep = 3, retryOn?: (e: unknown) => boolean) {
  const w = worker(10);
  const seen: string[] = [];
  let changes = 0;
  const c = new PageCache<number, { rows: number[]; tag: string }>({
    pageSize: 10,
    keep,
    fetch: w.fetch,
    retryOn,
    onPage: (p) => seen.push(p.tag),
    onChange: () => changes++,
  });
  return { c, w, seen, changes: () => changes };
}

describe('PageCache', () => {
  it('asks once for a missing page, then serves its rows', async () => {
    const { c, w, seen, changes } = cache();
    expect(c.row(12)).toBeUndefined();
    expect(c.row(15)).toBeUndefined();
    await settle();
    expect(w.asked.map((a) => [a.offset, a.limit])).toEqual([[10, 10]]);
    expect(c.row(13)).toBeUndefined();
    await settle();
    expect(w.asked).toHaveLength(1);
    w.asked[0]!.answer();
    await settle();
    expect(c.row(12)).toBe(12);
    expect(c.row(19)).toBe(19);
    expect(seen).toEqual(['from 10']);
    expect(changes()).toBe(1);
  });

  it('keeps the pages read last and drops the one read longest ago', async () => {
    const { c, w } = cache(2);
    c.prefetch(0);
    c.prefetch(10);
    w.asked[0]!.answer();
    w.asked[1]!.answer();
    await settle();
    expect(c.held).toEqual([0, 1]);
    // Page 0 is read again: page 1 is now the oldest.
    expect(c.row(3)).toBe(3);
    c.prefetch(20);
    w.asked[2]!.answer();
    await settle();
    expect(c.held).toEqual([0, 2]);
    expect(c.row(3)).toBe(3);
    expect(c.row(13)).toBeUndefined();
    await settle();
    expect(w.pages()).toEqual([0, 1, 2, 1]);
  });

  it('ignores the answers to an old query and asks again for the new one', async () => {
    const { c, w, seen } = cache();
    c.prefetch(0);
    await settle();
    c.reset();
    c.prefetch(0);
    expect(w.pages()).toEqual([0, 0]);
    w.asked[0]!.answer([100, 101]);
    await settle();
    expect(c.row(0)).toBeUndefined();
    expect(seen).toEqual([]);
    // The old answer did not clear the new query's request: no third ask.
    await settle();
    expect(w.pages()).toEqual([0, 0]);
    w.asked[1]!.answer([200, 201]);
    await settle();
    expect(c.row(0)).toBe(200);
    expect(seen).toEqual(['from 0']);
  });

  it('drops the pages of the old query at once', async () => {
    const { c, w } = cache();
    c.prefetch(0);
    w.asked[0]!.answer();
    await settle();
    expect(c.row(1)).toBe(1);
    c.reset();
    expect(c.held).toEqual([]);
    expect(c.row(1)).toBeUndefined();
  });

  it('stops asking after an error until reset, and ignores an old query’s failure', async () => {
    const { c, w, changes } = cache();
    c.prefetch(0);
    w.asked[0]!.fail(new Error('no such table'));
    await settle();
    expect(c.error).toBe('no such table');
    expect(changes()).toBe(1);
    expect(c.row(25)).toBeUndefined();
    c.prefetch(0);
    await settle();
    expect(w.asked).toHaveLength(1);
    c.reset();
    expect(c.error).toBeNull();
    expect(c.row(25)).toBeUndefined();
    await settle();
    expect(w.pages()).toEqual([0, 2]);
    c.reset();
    w.asked[1]!.fail(new Error('late'));
    await settle();
    expect(c.error).toBeNull();
  });

  it('asks again after an error it is told to retry', async () => {
    const cancelled = new Error('cancelled');
    const { c, w } = cache(3, (e) => e === cancelled);
    c.prefetch(0);
    w.asked[0]!.fail(cancelled);
    await settle();
    expect(c.error).toBeNull();
    expect(w.pages()).toEqual([0, 0]);
    w.asked[1]!.answer();
    await settle();
    expect(c.row(4)).toBe(4);
  });

  it('asks nothing and takes no answer once disposed', async () => {
    const { c, w, seen } = cache();
    c.prefetch(0);
    c.dispose();
    w.asked[0]!.answer();
    expect(c.row(30)).toBeUndefined();
    await settle();
    expect(seen).toEqual([]);
    expect(w.asked).toHaveLength(1);
    expect(c.held).toEqual([]);
  });
});
