// Permalinks made from every corpus and fixture report open to the same
// report: every carried field equal, large tables a prefix of the original,
// `omitted` saying exactly what was cut, the envelope JSON within its budget
// and the URL within HARD_CAP (and, for these real reports, URL_TARGET).

import { readdirSync, readFileSync } from 'node:fs';
import { MemorySource } from '../src/parsers/reader.ts';
import { buildReport } from '../src/report/pipeline.ts';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportFor } from '../src/cli/reportFile.ts';
import type { Report } from '../src/report/types.ts';
import { inflateRawSync } from 'node:zlib';
import {
  HARD_CAP,
  JSON_BUDGET,
  JSON_CAP,
  URL_TARGET,
  decodePermalink,
  encodePermalink,
  permalinkFragment,
  type Permalink,
} from '../src/share/permalink.ts';
import { TABLES } from '../src/share/schema.ts';
import { CORPUS, FIXTURES, SKIP_MESSAGE, corpusFiles, hasCorpus } from './corpus.ts';
import { checkCarried, compareOmitted, hugeReport, incompressibleReport, rng } from './share-support.ts';

const BASE = 'http://localhost:5173/';
const DETAIL = new Set<string>(TABLES.filter((t) => t.tier === 'detail').map((t) => t.table));

/** The envelope JSON a link carries, inflated by Node's zlib (not the code under test). */
function payload(link: Permalink): Buffer {
  return inflateRawSync(Buffer.from(link.fragment.slice(link.fragment.indexOf('.') + 1), 'base64url'));
}

/** Encodes, decodes and checks one report; returns the URL length. */
async function roundTrip(report: Report, budget?: number): Promise<{ bytes: number; json: number; cut: string[]; link: Permalink }> {
  const link = await encodePermalink(report, { base: BASE, budget });
  expect(payload(link).byteLength).toBe(link.jsonBytes);
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
  // The budget is on the JSON: past it only when what always travels is itself larger, and then no detail row was kept.
  const limit = Math.min(budget ?? JSON_BUDGET, JSON_CAP);
  if (link.jsonBytes > limit) {
    for (const t of cut.filter((c) => DETAIL.has(c)))
      expect((back.omitted as unknown as Record<string, { kept: number }>)[t]!.kept, t).toBe(0);
  }
  // Something was cut: the JSON stays within the core lists' cap (on the compressed length only when cut to the hard cap).
  if (cut.length > 0 || link.cutToHardCap) expect(link.jsonBytes).toBeLessThanOrEqual(JSON_CAP);
  return { bytes: link.bytes, json: link.jsonBytes, cut, link };
}

function stats(name: string, links: { bytes: number; json: number }[]): void {
  if (links.length === 0) return;
  const line = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const median = s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
    return `min ${s[0]} / median ${median} / max ${s[s.length - 1]}`;
  };
  const ratios = links.map((l) => Math.round((100 * l.json) / (l.bytes - BASE.length - 1)) / 100);
  console.log(
    `${name}: ${links.length} links, URL bytes ${line(links.map((l) => l.bytes))}; JSON bytes ${line(links.map((l) => l.json))} (budget ${JSON_BUDGET}); JSON bytes per fragment character ${line(ratios)}`,
  );
}

describe.skipIf(!hasCorpus)(hasCorpus ? 'permalinks of every corpus report' : SKIP_MESSAGE, () => {
  const lengths: { bytes: number; json: number }[] = [];
  afterAll(() => stats('corpus', lengths));
  for (const name of corpusFiles()) {
    it(name, async () => {
      const report = await reportFor(join(CORPUS, 'bin', name));
      const link = await roundTrip(report);
      lengths.push(link);
      // JSON_BUDGET is calibrated so that real reports' links stay under URL_TARGET, never reaching the hard cap.
      expect(link.bytes).toBeLessThanOrEqual(URL_TARGET);
      expect(link.link.cutToHardCap).toBe(false);
      // Everything, at the largest budget: real reports fit whole.
      const whole = await roundTrip(report, JSON_CAP);
      expect(whole.cut).toEqual([]);
    });
  }
});

describe('permalinks of every fixture report', () => {
  const lengths: { bytes: number; json: number }[] = [];
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
      const link = await roundTrip(report);
      lengths.push(link);
      expect(link.bytes).toBeLessThanOrEqual(URL_TARGET);
      expect(link.link.cutToHardCap).toBe(false);
    });
  }
});

describe('permalinks of truncated reports', () => {
  // A cut-short file: `truncated`, `incomplete` and linkage `unknown` travel with the rest.
  for (const [rel, at] of [
    ['elf/bin/aarch64-glibc-pie-pacbti', 64],
    ['verdict/bin/gcc-arm64-linux-plugin.so', 4096],
    ['macho/bin/lld-universal-macos-exe', 0x4000 + 100],
  ] as const) {
    it(`${rel} cut at ${at}`, async () => {
      const bytes = readFileSync(join(FIXTURES, rel)).subarray(0, at);
      const { report } = buildReport(new MemorySource(new Uint8Array(bytes)), rel, { engine: null });
      expect(report.truncated).toBeDefined();
      const back = await decodePermalink((await encodePermalink(report, { base: BASE })).url);
      if (!back.ok) throw new Error(back.error);
      expect(back.report.truncated).toEqual(report.truncated);
      expect(back.report.slices.map((s) => [s.linkage, s.incomplete])).toEqual(report.slices.map((s) => [s.linkage, s.incomplete]));
      await roundTrip(report);
    });
  }
});

describe('links of reports far past the budget', () => {
  let base: Report;
  const baseReport = async () => (base ??= await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti')));
  /** Long tables of rows like real ones (repetitive names and addresses): compresses like a real report. */
  const longTables = async (n: number): Promise<Report> => {
    const r = await baseReport();
    return {
      ...r,
      slices: r.slices.map((s) => ({
        ...s,
        imports: Array.from({ length: n }, (_, i) => ({
          name: `_ZN4core3fmt9Formatter${i}write_str17h${((i * 2654435761) % 0xffffffff).toString(16)}E`,
          library: i % 3 ? 'libc.so.6' : null,
        })),
        sections: Array.from({ length: n >> 2 }, (_, i) => ({
          name: `.text.fn${i}`,
          segment: 'LOAD',
          address: '0x' + (0x400000 + i * 64).toString(16),
          size: 64,
          offset: '0x' + (i * 64).toString(16),
          type: 'PROGBITS',
          flags: 'AX',
        })),
      })),
    };
  };

  it('keeps what fits the default budget and says what it left out', async () => {
    const huge = hugeReport(await baseReport(), 1);
    const t0 = performance.now();
    const { bytes, json, cut } = await roundTrip(huge);
    const ms = performance.now() - t0;
    expect(cut).toEqual(expect.arrayContaining(['imports', 'sections', 'findingEvidence', 'other']));
    expect(json).toBeLessThanOrEqual(JSON_CAP);
    expect(bytes).toBeLessThanOrEqual(HARD_CAP);
    expect(ms).toBeLessThan(30_000);
  });

  it('cuts a compressible report on its JSON alone: within the budget, the first table growing with it', async () => {
    const report = await longTables(4000);
    const empty = (await roundTrip(report, 0)).json;
    let prev = 0;
    for (const budget of [0, 1024, 4096, 8192, JSON_BUDGET, 24_576, JSON_CAP]) {
      const { json, link } = await roundTrip(report, budget);
      expect(link.cutToHardCap, `budget ${budget}`).toBe(false);
      const imports = link.omitted.imports?.kept ?? 4000;
      const sections = link.omitted.sections?.kept ?? 1000;
      // Detail rows travel only within the budget; with none of them the link is what always travels.
      if (imports > 0 || sections > 0) expect(json, `budget ${budget}`).toBeLessThanOrEqual(budget);
      else expect(json).toBe(empty);
      // Sections come before imports in priority: their share grows with the budget, then imports get the rest.
      expect(sections, `budget ${budget}`).toBeGreaterThanOrEqual(prev);
      prev = sections;
      if (budget >= JSON_BUDGET) expect(json, `budget ${budget}`).toBeGreaterThan(budget * 0.8);
    }
    expect(prev).toBeGreaterThan(0);
  });

  it('fills the hard cap when asked to', async () => {
    const huge = hugeReport(await baseReport(), 2, { slices: 2, rows: 1000 });
    const { bytes, json, cut, link } = await roundTrip(huge, JSON_CAP);
    expect(link.cutToHardCap).toBe(false);
    expect(json).toBeGreaterThan(JSON_CAP * 0.8);
    expect(bytes).toBeLessThanOrEqual(HARD_CAP);
    expect(cut).toContain('imports');
  });

  it('cuts a report that compresses worse than any real one to the hard cap, on its compressed length', async () => {
    // 300 findings of random text: JSON_CAP of them compresses past HARD_CAP.
    const report = incompressibleReport(await baseReport(), 5);
    const { bytes, json, cut, link } = await roundTrip(report);
    expect(link.cutToHardCap).toBe(true);
    expect(bytes).toBeLessThanOrEqual(HARD_CAP);
    expect(bytes).toBeGreaterThan(HARD_CAP * 0.9);
    expect(json).toBeLessThan(JSON_CAP);
    expect(cut).toContain('findings');
    expect(link.omitted.findings!.kept).toBeGreaterThan(0);
  });

  it('cuts the slices of a file with hundreds of them', async () => {
    const huge = hugeReport(await baseReport(), 3, { slices: 300, rows: 10 });
    const { cut } = await roundTrip(huge);
    expect(cut).toContain('slices');
  });

  it('keeps a detail table whole when it fits and empties it when nothing fits', async () => {
    const r = await baseReport();
    const many = {
      ...r,
      slices: r.slices.map((s) => ({ ...s, imports: Array.from({ length: 1000 }, (_, i) => ({ name: `sym${i}`, library: 'libc.so.6' })) })),
    };
    const small = await roundTrip(many, 0);
    expect(small.cut).toContain('imports');
    const whole = await roundTrip(many, JSON_CAP);
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

  it('carries the same JSON whatever the base address (the budget counts JSON, not the URL)', async () => {
    const r = await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti'));
    // Cut by the budget, so the base would matter if the budget counted URL bytes.
    const report = {
      ...r,
      slices: r.slices.map((s) => ({ ...s, imports: Array.from({ length: 4000 }, (_, i) => ({ name: `sym${i}`, library: 'libc.so.6' })) })),
    };
    const short = await encodePermalink(report, { base: 'http://a/' });
    const long = await encodePermalink(report, { base: `https://example.org/${'x'.repeat(2000)}/` });
    expect(short.omitted.imports?.kept).toBeGreaterThan(0);
    expect(long.jsonBytes).toBe(short.jsonBytes);
    expect(payload(long).equals(payload(short))).toBe(true);
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
    const right = {
      sections: { kept: 2, total: s.sections.length },
      bySlice: [{ sections: { kept: 2, total: s.sections.length } }],
      truncatedStrings: 0,
    };
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
    const seeds = [
      'elf/bin/aarch64-glibc-pie-pacbti',
      'elf/bin/x86_64-glibc-pie',
      'macho/bin/lld-universal-macos-exe',
      'macho/bin/lld-arm64-macos-dylib',
      'verdict/bin/lld-arm64-macos-homebrew',
      'elf/bin/ppc64-static',
    ];
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
