import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../arm64/node.ts';
import { MemorySource } from '../parsers/reader.ts';
import type { Report } from './types.ts';
import { FIXTURES, fixtureBytes } from '../../test/corpus.ts';
import { buildReport } from './pipeline.ts';
import { buildVerifiedReport } from './signatures.ts';

/** Every binary the project builds itself (fixtures/<group>/bin/*). */
function fixtureBinaries(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      try {
        return readdirSync(join(FIXTURES, d.name, 'bin')).map((f) => `${d.name}/bin/${f}`);
      } catch {
        return [];
      }
    });
}

describe('buildReport onVerdict', () => {
  it('hands out the final compatibility matrix right after the parse, and changes nothing else', async () => {
    const engine = await loadEngine();
    const files = fixtureBinaries();
    expect(files.length).toBeGreaterThan(20);
    let arm64 = 0;
    let go = 0;
    for (const rel of files) {
      const bytes = fixtureBytes(rel);
      const early: Report[] = [];
      const opts = { engine, skipHash: true, today: '2026-12-01' };
      const withEarly = buildReport(new MemorySource(bytes), rel, { ...opts, onVerdict: (r) => early.push(structuredClone(r)) }).report;
      const plain = buildReport(new MemorySource(bytes), rel, opts).report;
      expect(withEarly, rel).toEqual(plain);
      expect(early, rel).toHaveLength(1);
      const e = early[0]!;
      expect(e.compatibility, rel).toEqual(plain.compatibility);
      expect(e.findings, rel).toBeUndefined();
      expect(
        e.slices.some((s) => s.arm64 || s.go),
        rel,
      ).toBe(false);
      // Everything else the parse found is there already.
      expect(
        e.slices.map(({ arm64: _a, go: _g, ...rest }) => rest),
        rel,
      ).toEqual(plain.slices.map(({ arm64: _a, go: _g, ...rest }) => rest));
      // The same keys in the same order as the final report, less what the scan adds.
      expect(Object.keys(e), rel).toEqual(Object.keys(plain).filter((k) => k !== 'findings'));
      if (plain.slices.some((s) => s.arm64)) arm64++;
      if (plain.slices.some((s) => s.go)) go++;
    }
    expect(arm64).toBeGreaterThan(5);
    expect(go).toBeGreaterThan(3);
  });
});

describe('buildVerifiedReport afterParse', () => {
  it('waits for afterParse between the early answer and the later stages, and gives the same report', async () => {
    const engine = await loadEngine();
    for (const rel of ['elf/bin/aarch64-glibc-pie-pacbti', 'verdict/bin/go-arm64-linux-cgo-dynamic', 'elf/bin/x86_64-glibc-pie']) {
      const bytes = fixtureBytes(rel);
      const steps: string[] = [];
      const opts = { engine, skipHash: true, today: '2026-12-01' };
      const got = await buildVerifiedReport(new MemorySource(bytes), rel, {
        ...opts,
        onVerdict: () => steps.push('answer'),
        onProgress: (stage) => steps.push(stage),
        afterParse: async () => {
          await new Promise((r) => setTimeout(r, 1));
          steps.push('afterParse');
        },
      });
      expect(got.report, rel).toEqual((await buildVerifiedReport(new MemorySource(bytes), rel, opts)).report);
      const waited = steps.indexOf('afterParse');
      expect(
        steps.slice(0, waited).filter((s) => s !== 'hash'),
        rel,
      ).toEqual(['parse', 'answer']);
      expect(steps.slice(waited + 1), rel).toEqual(expect.arrayContaining(['go', 'arm64', 'verdict']));
    }
  });
});
