// Permalinks made from every corpus and fixture report open to the same
// report: every carried field equal, large tables a prefix of the original,
// `omitted` saying exactly what was cut, and the URL within its budget.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportFor } from '../src/cli/commands/report.ts';
import type { Report } from '../src/parsers/types.ts';
import { DEFAULT_BUDGET, HARD_CAP, decodePermalink, encodePermalink, permalinkFragment } from '../src/share/permalink.ts';
import { TABLES } from '../src/share/schema.ts';
import { CORPUS, FIXTURES, SKIP_MESSAGE, corpusFiles, hasCorpus } from './corpus.ts';
import { checkCarried, compareOmitted, hugeReport, rng } from './share-support.ts';

const BASE = 'http://localhost:5173/';
const DETAIL = new Set<string>(TABLES.filter((t) => t.tier === 'detail').map((t) => t.table));

/** Encodes, decodes and checks one report; returns the URL length. */
async function roundTrip(report: Report, budget?: number): Promise<{ bytes: number; cut: string[] }> {
  const link = await encodePermalink(report, { base: BASE, budget });
  expect(link.url.startsWith(`${BASE}#r1.`)).toBe(true);
  expect(link.url).toBe(`${BASE}#${link.fragment}`);
  expect(link.bytes).toBe(Buffer.byteLength(link.url));
  expect(link.bytes).toBeLessThanOrEqual(HARD_CAP);
  const back = await decodePermalink(link.url);
  if (!back.ok) throw new Error(back.error);
  expect(back.report.shared).toBe(true);
  expect(back.report.omitted).toEqual(back.omitted);
  expect(back.omitted).toEqual(link.omitted);
  const { shared: _s, omitted: _o, ...decoded } = back.report;
  const check = checkCarried(report, decoded);
  expect(check.problems).toEqual([]);
  expect(compareOmitted(check, back.omitted, decoded.slices.length)).toEqual([]);
  const cut = Object.keys(back.omitted).filter((k) => k !== 'bySlice' && k !== 'truncatedStrings');
  // Over the soft budget only when what always travels is itself larger: then no detail row was kept.
  const limit = budget ?? DEFAULT_BUDGET;
  if (link.bytes > limit) {
    for (const t of cut.filter((c) => DETAIL.has(c))) expect((back.omitted as unknown as Record<string, { kept: number }>)[t]!.kept, t).toBe(0);
  }
  return { bytes: link.bytes, cut };
}

function stats(name: string, lengths: number[]): void {
  if (lengths.length === 0) return;
  const s = [...lengths].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
  console.log(`${name}: ${s.length} links, URL bytes min ${s[0]} / median ${median} / max ${s[s.length - 1]} (budget ${DEFAULT_BUDGET})`);
}

describe.skipIf(!hasCorpus)(hasCorpus ? 'permalinks of every corpus report' : SKIP_MESSAGE, () => {
  const lengths: number[] = [];
  afterAll(() => stats('corpus', lengths));
  for (const name of corpusFiles()) {
    it(name, async () => {
      const report = await reportFor(join(CORPUS, 'bin', name));
      const { bytes } = await roundTrip(report);
      lengths.push(bytes);
      // Everything, at the hard cap: real reports fit whole.
      const whole = await roundTrip(report, HARD_CAP);
      expect(whole.cut).toEqual([]);
    });
  }
});

describe('permalinks of every fixture report', () => {
  const lengths: number[] = [];
  afterAll(() => stats('fixtures', lengths));
  const files = readdirSync(FIXTURES).flatMap((area) => {
    try {
      return readdirSync(join(FIXTURES, area, 'bin')).map((f) => join(area, 'bin', f));
    } catch {
      return [];
    }
  });
  it('finds the fixtures', () => expect(files.length).toBeGreaterThan(20));
  for (const rel of files.sort()) {
    it(rel, async () => {
      const report = await reportFor(join(FIXTURES, rel));
      lengths.push((await roundTrip(report)).bytes);
    });
  }
});

describe('links of reports far past the budget', () => {
  let base: Report;
  const baseReport = async () => (base ??= await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti')));

  it('keeps what fits the default budget and says what it left out', async () => {
    const huge = hugeReport(await baseReport(), 1);
    const t0 = performance.now();
    const { bytes, cut } = await roundTrip(huge);
    const ms = performance.now() - t0;
    expect(cut).toEqual(expect.arrayContaining(['imports', 'sections', 'findingEvidence', 'other']));
    expect(bytes).toBeLessThanOrEqual(HARD_CAP);
    expect(ms).toBeLessThan(30_000);
  });

  it('fills the hard cap when asked to', async () => {
    const huge = hugeReport(await baseReport(), 2, { slices: 2, rows: 1000 });
    const { bytes, cut } = await roundTrip(huge, HARD_CAP);
    expect(bytes).toBeGreaterThan(HARD_CAP * 0.8);
    expect(cut).toContain('imports');
  });

  it('cuts the slices of a file with hundreds of them', async () => {
    const huge = hugeReport(await baseReport(), 3, { slices: 300, rows: 10 });
    const { cut } = await roundTrip(huge);
    expect(cut).toContain('slices');
  });

  it('keeps a detail table whole when it fits and empties it when nothing fits', async () => {
    const r = await baseReport();
    const many = { ...r, slices: r.slices.map((s) => ({ ...s, imports: Array.from({ length: 4000 }, (_, i) => ({ name: `sym${i}`, library: 'libc.so.6' })) })) };
    const small = await roundTrip(many, 0);
    expect(small.cut).toContain('imports');
    const whole = await roundTrip(many, HARD_CAP);
    expect(whole.cut).not.toContain('imports');
  });

  it('writes the same link twice', async () => {
    const huge = hugeReport(await baseReport(), 4, { rows: 500 });
    const a = await encodePermalink(huge, { base: BASE });
    const b = await encodePermalink(huge, { base: BASE });
    expect(a.url).toBe(b.url);
  });
});

describe('link addresses', () => {
  it('drops the base address fragment and finds the link in a URL, a #fragment or a bare fragment', async () => {
    const report = await reportFor(join(FIXTURES, 'macho', 'bin', 'lld-arm64-macos-exe'));
    const link = await encodePermalink(report, { base: 'https://example.org/binlens/?x=1#old' });
    expect(link.url.startsWith('https://example.org/binlens/?x=1#r1.')).toBe(true);
    expect(permalinkFragment(link.url)).toBe(link.fragment);
    expect(permalinkFragment('#' + link.fragment)).toBe(link.fragment);
    expect(permalinkFragment(link.fragment)).toBe(link.fragment);
    expect(permalinkFragment('https://example.org/#about')).toBeNull();
    for (const form of [link.url, '#' + link.fragment, link.fragment, `  ${link.url}\n`]) {
      const back = await decodePermalink(form);
      expect(back.ok).toBe(true);
    }
  });
});

describe('the round-trip check itself', () => {
  it('notices a changed field, a reordered table, a cut outside a table and wrong omitted counts', async () => {
    const r = await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti'));
    const s = r.slices[0]!;
    expect(s.sections.length).toBeGreaterThan(3);
    const changed = { ...r, slices: [{ ...s, entry: '0x1' }] };
    expect(checkCarried(r, changed).problems.join()).toMatch(/entry/);
    const reordered = { ...r, slices: [{ ...s, sections: [...s.sections].reverse() }] };
    expect(checkCarried(r, reordered).problems).not.toEqual([]);
    const cutFlags = { ...r, slices: [{ ...s, features: { ...s.features, sources: {} } }] };
    expect(checkCarried(r, cutFlags).problems).not.toEqual([]);
    const cut = { ...r, slices: [{ ...s, sections: s.sections.slice(0, 2) }] };
    const check = checkCarried(r, cut);
    expect(check.problems).toEqual([]);
    const right = { sections: { kept: 2, total: s.sections.length }, bySlice: [{ sections: { kept: 2, total: s.sections.length } }], truncatedStrings: 0 };
    expect(compareOmitted(check, right, 1)).toEqual([]);
    expect(compareOmitted(check, { ...right, sections: { kept: 3, total: s.sections.length } }, 1)).not.toEqual([]);
    expect(compareOmitted(check, { bySlice: [{}], truncatedStrings: 0 }, 1)).not.toEqual([]);
  });
});

describe('links of reports of damaged binaries', () => {
  // Real fixtures with bytes flipped, fields set to all-ones and tails cut: whatever report the
  // pipeline makes of them (u64 sizes past 2^53, odd strings, errors), a link is made and opens to it.
  it('every mutated fixture gives a link that opens to its report', async () => {
    const { buildReport } = await import('../src/report/pipeline.ts');
    const { MemorySource } = await import('../src/parsers/reader.ts');
    const { loadEngine } = await import('../src/arm64/node.ts');
    const engine = await loadEngine().catch(() => null);
    const { readFileSync } = await import('node:fs');
    const r = rng(77);
    const seeds = ['elf/bin/aarch64-glibc-pie-pacbti', 'elf/bin/x86_64-glibc-pie', 'macho/bin/lld-universal-macos-exe', 'macho/bin/lld-arm64-macos-dylib', 'verdict/bin/lld-arm64-macos-homebrew', 'elf/bin/ppc64-static'];
    let made = 0;
    for (const rel of seeds) {
      const original = new Uint8Array(readFileSync(join(FIXTURES, rel)));
      for (let k = 0; k < 25; k++) {
        const bytes = original.slice(0, k % 5 === 4 ? Math.floor(original.length * r()) : original.length);
        const edits = 1 + Math.floor(r() * 8);
        for (let e = 0; e < edits; e++) {
          // Headers and load commands live near the start: aim most edits there.
          const at = Math.floor((r() < 0.7 ? Math.min(bytes.length, 4096) : bytes.length) * r());
          if (r() < 0.5) bytes[at] = Math.floor(r() * 256);
          else bytes.fill(0xff, at, at + 8);
        }
        const report = buildReport(new MemorySource(bytes), `${rel}#${k}`, { engine }).report;
        const { bytes: n } = await roundTrip(report);
        expect(n).toBeLessThanOrEqual(HARD_CAP);
        made++;
      }
    }
    expect(made).toBe(150);
  }, 300_000);
});
