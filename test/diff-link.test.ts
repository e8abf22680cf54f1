// A diff's permalink and its exports: every test pair's diff round-trips
// through its link whole and under the report link's URL target; a diff too
// long for the budget keeps what the user reads first and says what it cut;
// damaged and wrong-kind links do not open; the Markdown export keeps hostile
// names inert.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReports } from '../src/diff/diff.ts';
import type { ReportDiff } from '../src/diff/types.ts';
import { decodeDiffLink, diffOmittedLines, encodeDiffLink } from '../src/share/diffLink.ts';
import { diffToMarkdown } from '../src/share/diffMarkdown.ts';
import { decodePermalink, encodePermalink, JSON_BUDGET, URL_TARGET } from '../src/share/permalink.ts';
import { buildOf } from './diff-support.ts';

const ROOT = join(import.meta.dirname, '..');
const BASE = 'https://binlens.example/';
const pairs = readFileSync(join(ROOT, 'fixtures/diff/pairs.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.trim().split(/\s+/))
  .filter(([, o, n]) => existsSync(join(ROOT, o!)) && existsSync(join(ROOT, n!)));

const diffs = new Map<string, ReportDiff>();
beforeAll(async () => {
  for (const [name, o, n] of pairs) diffs.set(name!, diffReports(await buildOf(join(ROOT, o!)), await buildOf(join(ROOT, n!))));
});

/** The diff as JSON would carry it (what a decoded link must equal). */
const plain = (d: ReportDiff) => JSON.parse(JSON.stringify(d)) as ReportDiff;

describe('diff permalink', () => {
  it('round-trips every pair whole, each link under the URL target', async () => {
    expect(diffs.size).toBeGreaterThanOrEqual(6);
    for (const [name, d] of diffs) {
      const link = await encodeDiffLink(d, { base: BASE });
      expect(link.url.startsWith(`${BASE}#d1.`), name).toBe(true);
      expect(link.bytes, name).toBeLessThanOrEqual(URL_TARGET);
      expect(diffOmittedLines(link.omitted), name).toEqual([]);
      const back = await decodeDiffLink(link.url);
      if (!back.ok) throw new Error(`${name}: ${back.error}`);
      const { shared, omitted, ...diff } = back.diff;
      expect([shared, omitted.truncatedStrings]).toEqual([true, 0]);
      expect(diff, name).toEqual(plain(d));
    }
  });

  it('cuts a diff too long for the budget: the answer stays whole, long lists keep what fits, and it says so', async () => {
    const d = structuredClone(diffs.get('go-cgo')!);
    // 2,000 symbols that appeared (a top list asked that long): more than 16 KB of JSON.
    const symbols = d.matched[0]!.sizes.symbols!;
    for (let i = 0; i < 2000; i++)
      symbols.appeared.push({ name: `example.com/gotool/internal/generated.Function${i}`, old: 0, new: 64 + i });
    symbols.counts.appeared += 2000;
    const link = await encodeDiffLink(d, { base: BASE });
    expect(link.jsonBytes).toBeLessThanOrEqual(JSON_BUDGET);
    expect(link.bytes).toBeLessThanOrEqual(URL_TARGET);
    const cut = diffOmittedLines(link.omitted);
    expect(cut.some((l) => l.startsWith('symbols: '))).toBe(true);
    const back = await decodeDiffLink(link.url);
    if (!back.ok) throw new Error(back.error);
    expect(back.diff.gate).toEqual(d.gate);
    expect(back.diff.verdicts).toEqual(d.verdicts);
    expect(back.diff.findings).toEqual(d.findings);
    expect(back.diff.matched[0]!.go).toEqual(d.matched[0]!.go);
    // Only the list that passed the budget was cut: the others are shorter than the rows it kept.
    expect(back.omitted.symbols!.total).toBe(symbols.appeared.length);
    expect(back.diff.matched[0]!.sizes.symbols!.appeared).toEqual(symbols.appeared.slice(0, back.omitted.symbols!.kept));
    expect(back.diff.matched[0]!.sizes.symbols!.counts).toEqual(symbols.counts);
  });

  it('refuses a damaged link, and a report link is not a diff link (nor the reverse)', async () => {
    const d = diffs.get('library')!;
    const link = await encodeDiffLink(d, { base: BASE });
    const at = link.url.length - 10;
    const damaged = link.url.slice(0, at) + (link.url[at] === 'A' ? 'B' : 'A') + link.url.slice(at + 1);
    const bad = await decodeDiffLink(damaged);
    expect(bad.ok ? null : bad.problem).toBe('damaged');
    const asReport = await decodePermalink(link.url);
    expect(asReport.ok ? null : asReport.error).toBe('not a binlens report link: it holds a diff of two builds');
    const report = await encodePermalink((await buildOf(join(ROOT, 'fixtures/diff/bin/elf-arm64-tool'), false)).report, { base: BASE });
    const asDiff = await decodeDiffLink(report.url);
    expect(asDiff.ok ? null : asDiff.error).toBe('not a binlens diff link: it holds a report');
    const newer = await decodeDiffLink(`${BASE}#d9.AAAA`);
    expect(newer.ok ? null : newer.problem).toBe('newer');
  });
});

describe('diff exports', () => {
  it('Markdown leads with what was lost and keeps hostile names inert', () => {
    const d = structuredClone(diffs.get('library')!);
    d.matched[0]!.libraries.added.push('[x](http://evil.example/)<img src=x>');
    const md = diffToMarkdown(d);
    expect(md.split('\n')[2]).toBe('**Nothing lost**: no target, protection or floor got worse.');
    expect(md).toContain('- library added: `libm.so.6`');
    expect(md).toContain('- library added: `[x](http://evil.example/)<img src=x>`');
    const cgo = diffToMarkdown(diffs.get('go-cgo')!);
    expect(cgo).toContain('**Lost (2)** — `diff` exits 1:');
    expect(cgo).toContain('| Linux arm64 (musl (Alpine)) | native | no | lost |');
  });
});
