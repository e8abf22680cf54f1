import { describe, expect, it } from 'vitest';
import type { Report } from '../../report/types.ts';
import { History, plan, usageOf, type HistoryItem, type HistorySettings, type HistoryStore } from './history.ts';

/** An in-memory store that records every write, so tests can say "nothing was written". */
class FakeStore implements HistoryStore {
  data = new Map<string, unknown>();
  writes: string[] = [];
  failSet: string | null = null;
  async get<T>(key: string): Promise<T | undefined> {
    return this.data.get(key) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    if (this.failSet !== null && key.startsWith(this.failSet)) throw new DOMException('quota', 'QuotaExceededError');
    this.writes.push(`set ${key}`);
    this.data.set(key, value);
  }
  async del(key: string): Promise<void> {
    this.writes.push(`del ${key}`);
    this.data.delete(key);
  }
  async keys(): Promise<string[]> {
    return [...this.data.keys()];
  }
  async clear(): Promise<void> {
    this.writes.push('clear');
    this.data.clear();
  }
}

function report(name: string, sha256: string, size = 100): Report {
  return {
    schema: 1,
    file: { name, size, sha256 },
    format: 'elf',
    errors: [],
    warnings: [],
    slices: [],
    compatibility: [
      { target: 'linux-arm64-glibc', verdict: 'native', reason: 'r', error: null, evidence: [] },
      { target: 'macos-arm64', verdict: 'no', reason: 'r', error: 'exec format error', evidence: [] },
    ],
  };
}

function blob(n: number): Blob {
  return new Blob([new Uint8Array(n)]);
}

function setup(settings: Partial<HistorySettings> = {}, limits = { maxReports: 200, maxBinaryBytes: 1000 }) {
  const store = new FakeStore();
  const s: HistorySettings = { private: false, keepBinaries: false, ...settings };
  let t = 1_000;
  let u = 0;
  const h = new History(
    store,
    () => s,
    limits,
    () => t++,
    () => `u${u++}`,
  );
  return { store, s, h };
}

describe('History.add', () => {
  it('keeps the report and lists it newest first with arches and verdicts', async () => {
    const { h } = setup();
    await h.add(report('a', 'aa'), null);
    await h.add(report('b', 'bb'), null);
    const list = await h.list();
    expect(list.map((i) => i.name)).toEqual(['b', 'a']);
    expect(list[0]!.verdicts).toEqual({ 'linux-arm64-glibc': 'native', 'macos-arm64': 'no' });
    expect(list[0]!.binaryBytes).toBe(0);
    expect((await h.report(list[1]!.id))?.file.name).toBe('a');
    expect(await h.binary(list[1]!.id)).toBeUndefined();
  });

  it('the same file analyzed again moves to the top instead of appearing twice', async () => {
    const { h } = setup();
    await h.add(report('a', 'aa'), null);
    await h.add(report('b', 'bb'), null);
    await h.add(report('a renamed', 'aa'), null);
    const list = await h.list();
    expect(list.map((i) => i.name)).toEqual(['a renamed', 'b']);
  });

  it('files without a hash are never merged', async () => {
    const { h } = setup();
    await h.add(report('x', ''), null);
    await h.add(report('x', ''), null);
    expect((await h.list()).length).toBe(2);
  });

  it('keeps the binary only when asked, and counts its size', async () => {
    const { h, s } = setup();
    const r1 = await h.add(report('a', 'aa'), blob(300));
    expect(r1.saved && r1.item.binaryBytes).toBe(0);
    s.keepBinaries = true;
    const r2 = await h.add(report('b', 'bb'), blob(300));
    expect(r2.saved && r2.item.binaryBytes).toBe(300);
    const list = await h.list();
    expect((await h.binary(list[0]!.id))?.size).toBe(300);
    const u = usageOf(list);
    expect(u).toMatchObject({ reports: 2, binaries: 1, binaryBytes: 300 });
    expect(u.reportBytes).toBeGreaterThan(0);
  });

  it('a binary larger than the whole limit is not kept, and says so', async () => {
    const { h } = setup({ keepBinaries: true });
    const r = await h.add(report('big', 'bb'), blob(1001));
    expect(r.saved).toBe(true);
    if (!r.saved) return;
    expect(r.item.binaryBytes).toBe(0);
    expect(r.binaryNote).toMatch(/larger than/);
    expect(await h.binary(r.item.id)).toBeUndefined();
  });

  it('evicts the oldest binaries past the size limit and keeps their reports', async () => {
    const { h, store } = setup({ keepBinaries: true });
    await h.add(report('a', 'aa'), blob(400));
    await h.add(report('b', 'bb'), blob(400));
    const r = await h.add(report('c', 'cc'), blob(400));
    expect(r.saved && r.evictedBinaries).toBe(1);
    const list = await h.list();
    expect(list.map((i) => [i.name, i.binaryBytes])).toEqual([
      ['c', 400],
      ['b', 400],
      ['a', 0],
    ]);
    expect(store.data.has('binary:sha256-aa')).toBe(false);
    expect(store.data.has('report:sha256-aa')).toBe(true);
    expect(usageOf(list).binaryBytes).toBeLessThanOrEqual(1000);
  });

  it('drops the oldest reports past the count limit, binaries included', async () => {
    const { h, store } = setup({ keepBinaries: true }, { maxReports: 3, maxBinaryBytes: 10_000 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) await h.add(report(n, n + n), blob(10));
    const list = await h.list();
    expect(list.map((i) => i.name)).toEqual(['e', 'd', 'c']);
    expect([...store.data.keys()].sort()).toEqual(
      [
        'index',
        'report:sha256-cc',
        'report:sha256-dd',
        'report:sha256-ee',
        'binary:sha256-cc',
        'binary:sha256-dd',
        'binary:sha256-ee',
      ].sort(),
    );
  });

  it('private mode writes nothing at all', async () => {
    const { h, store } = setup({ private: true, keepBinaries: true });
    const r = await h.add(report('a', 'aa'), blob(10));
    expect(r.saved).toBe(false);
    expect(store.writes).toEqual([]);
    expect(await h.list()).toEqual([]);
  });

  it('private mode leaves what was saved before until it is deleted', async () => {
    const { h, s } = setup();
    await h.add(report('a', 'aa'), null);
    s.private = true;
    await h.add(report('b', 'bb'), null);
    expect((await h.list()).map((i) => i.name)).toEqual(['a']);
    await h.clear();
    expect(await h.list()).toEqual([]);
  });

  it('the same file again without keeping binaries keeps the binary stored before', async () => {
    const { h, s } = setup({ keepBinaries: true });
    await h.add(report('a', 'aa', 50), blob(50));
    s.keepBinaries = false;
    await h.add(report('a', 'aa', 50), blob(50));
    const [item] = await h.list();
    expect(item!.binaryBytes).toBe(50);
    expect((await h.binary(item!.id))?.size).toBe(50);
  });

  it('a failed write rejects, leaves the index as it was and takes back what it wrote', async () => {
    const { h, store } = setup({ keepBinaries: true });
    await h.add(report('a', 'aa'), null);
    store.failSet = 'binary:';
    await expect(h.add(report('b', 'bb'), blob(10))).rejects.toThrow(/quota/);
    store.failSet = null;
    expect((await h.list()).map((i) => i.name)).toEqual(['a']);
    expect([...store.data.keys()].sort()).toEqual(['index', 'report:sha256-aa']);
  });

  it('sweep removes values the index does not point to', async () => {
    const { h, store } = setup({ keepBinaries: true });
    await h.add(report('a', 'aa'), blob(10));
    store.data.set('report:orphan', {});
    store.data.set('binary:orphan', blob(1));
    expect(await h.sweep()).toBe(2);
    expect([...store.data.keys()].sort()).toEqual(['binary:sha256-aa', 'index', 'report:sha256-aa']);
  });

  it('concurrent adds do not lose each other', async () => {
    const { h } = setup();
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => h.add(report(n, n), null)));
    expect((await h.list()).length).toBe(4);
  });
});

describe('History.remove and clear', () => {
  it('removes one item with its report and binary', async () => {
    const { h, store } = setup({ keepBinaries: true });
    await h.add(report('a', 'aa'), blob(10));
    await h.add(report('b', 'bb'), blob(10));
    await h.remove('sha256-aa');
    expect((await h.list()).map((i) => i.name)).toEqual(['b']);
    expect(store.data.has('report:sha256-aa')).toBe(false);
    expect(store.data.has('binary:sha256-aa')).toBe(false);
  });

  it('clear deletes everything', async () => {
    const { h, store } = setup({ keepBinaries: true });
    await h.add(report('a', 'aa'), blob(10));
    await h.clear();
    expect(store.data.size).toBe(0);
  });

  it('an index written by something else is read defensively', async () => {
    const { h, store } = setup();
    store.data.set('index', [{ id: 1 }, null, 'x', { id: 'ok', name: 'n', date: 1, binaryBytes: 0, reportBytes: 1, arches: [] }]);
    expect((await h.list()).map((i) => i.id)).toEqual(['ok']);
    store.data.set('index', { not: 'a list' });
    expect(await h.list()).toEqual([]);
  });
});

describe('plan', () => {
  const item = (id: string, binaryBytes: number): HistoryItem => ({
    id,
    name: id,
    size: binaryBytes,
    sha256: '',
    format: 'elf',
    arches: [],
    verdicts: {},
    errors: 0,
    date: 0,
    reportBytes: 1,
    binaryBytes,
  });

  it('the newest binary always fits when it is under the limit on its own', () => {
    const p = plan([item('old', 900)], item('new', 1000), { maxReports: 10, maxBinaryBytes: 1000 });
    expect(p.items.map((i) => [i.id, i.binaryBytes])).toEqual([
      ['new', 1000],
      ['old', 0],
    ]);
    expect(p.dropBinaries).toEqual(['old']);
  });

  it('a smaller older binary can still fit after a larger one is evicted', () => {
    const p = plan([item('b', 800), item('a', 100)], item('c', 500), { maxReports: 10, maxBinaryBytes: 1000 });
    expect(p.items.map((i) => i.binaryBytes)).toEqual([500, 0, 100]);
  });

  it('never keeps fewer than one report', () => {
    const p = plan([item('a', 0)], item('b', 0), { maxReports: 0, maxBinaryBytes: 0 });
    expect(p.items.map((i) => i.id)).toEqual(['b']);
    expect(p.dropReports).toEqual(['a']);
  });
});
