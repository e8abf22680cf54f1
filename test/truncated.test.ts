// A damaged copy never "runs there": every corpus file and every fixture,
// cut at 64 bytes, at 4 KiB and at half its size, is judged `no` or `unknown`
// on every target, reported as truncated with what is missing, and given the
// one finding that says so. The intact files are not reported as truncated.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { Report } from '../src/report/types.ts';
import { computeVerdicts } from '../src/verdict/index.ts';
import { corpusBytes, corpusFiles, FIXTURES, fixtureBytes, hasCorpus, SKIP_MESSAGE } from './corpus.ts';

// fixtures/malformed holds files broken on purpose (some point past their end already): test/malformed.test.ts.
const fixtures = readdirSync(FIXTURES)
  .filter((d) => d !== 'malformed' && statSync(join(FIXTURES, d)).isDirectory())
  .flatMap((d) => {
    const bin = join(FIXTURES, d, 'bin');
    try {
      return readdirSync(bin).map((f) => `${d}/bin/${f}`);
    } catch {
      return [];
    }
  })
  .filter((rel) => statSync(join(FIXTURES, rel)).isFile());

let cuts = 0;
const kinds = new Map<string, number>();

afterAll(() => {
  const byVerdict = [...kinds].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`truncated: ${cuts} cuts judged (${byVerdict})`);
});

function judge(bytes: Uint8Array, name: string): Report {
  const { report, slices, missing } = analyze(new MemorySource(bytes), name, { skipHash: true });
  return { ...report, ...computeVerdicts(report, { slices, missing }, { today: '2026-11-25' }) };
}

function checkCut(bytes: Uint8Array, name: string, at: number): void {
  if (at >= bytes.length) return;
  const r = judge(bytes.subarray(0, at), name);
  if (r.format === 'unknown') return; // cut before its magic: not a binary any more
  cuts++;
  const where = `${name} cut at ${at}`;
  expect(r.truncated, `${where}: not reported as truncated`).toBeDefined();
  expect(r.truncated!.end).toBe(`0x${at.toString(16)}`);
  expect(r.truncated!.missing.length, where).toBeGreaterThan(0);
  for (const c of r.compatibility!) {
    expect(['no', 'unknown'], `${where}: ${c.target} is ${c.verdict} (${c.reason})`).toContain(c.verdict);
    kinds.set(c.verdict, (kinds.get(c.verdict) ?? 0) + 1);
  }
  expect(r.findings!.map((f) => f.id)).toEqual(['file-truncated']);
  for (const s of r.slices) {
    // Facts the missing bytes decide are never guessed from what is left.
    if (s.incomplete?.includes('linkage')) expect(s.linkage, `${where}: linkage`).toBe('unknown');
  }
}

function checkFile(bytes: Uint8Array, name: string): void {
  const whole = judge(bytes, name);
  expect(whole.truncated, `${name}: the intact file reported as truncated`).toBeUndefined();
  expect(
    whole.slices.every((s) => s.incomplete === undefined),
    `${name}: incomplete facts in the intact file`,
  ).toBe(true);
  for (const at of [64, 4096, bytes.length >> 1]) checkCut(bytes, name, at);
}

describe('truncated fixtures', () => {
  it('has fixtures to cut', () => {
    expect(fixtures.length).toBeGreaterThan(40);
  });
  for (const rel of fixtures) it(rel, () => checkFile(fixtureBytes(rel), rel));
});

describe.skipIf(!hasCorpus)(hasCorpus ? 'truncated corpus files' : SKIP_MESSAGE, () => {
  for (const name of corpusFiles()) it(name, () => checkFile(corpusBytes(name), name));
});
