// Every input the fuzzer ever crashed on, run through the full analysis
// again: test/regressions/*.bin (each with a .json note saying which case
// found it and what it did), and, when the shared corpus is present, the
// corpus-derived cases recorded by replay id only (their bytes come from
// ../shared and are never committed).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCorpus } from '../corpus.ts';
import { caseInput, hangLimit, parseCaseId, prepare, runBytes, type CaseOutcome } from '../fuzz/core.ts';
import { inputByKey, readInput } from '../fuzz/files.ts';
import { loadStages } from '../fuzz/pipeline.ts';

const dir = import.meta.dirname;

interface Note {
  case: string;
  signature: string;
  message: string;
  steps: string[];
  chunked: boolean;
  file?: string;
  from?: string;
  /** Hand-written cases: why the input is interesting. */
  why?: string;
}

const notes: Note[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'corpus-replays.json')
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Note)
  .filter((n) => n.file);

const replays: Note[] = existsSync(join(dir, 'corpus-replays.json'))
  ? (JSON.parse(readFileSync(join(dir, 'corpus-replays.json'), 'utf8')) as Note[])
  : [];

const stages = await loadStages();

function clean(o: CaseOutcome, limitMs: number): void {
  expect(o.crash?.message ?? null, o.crash?.stack).toBeNull();
  expect(
    o.memory.flagged,
    `largest allocation ${o.memory.largestAlloc} (${o.memory.largestWhat}), heap growth ${o.memory.heapGrowth}`,
  ).toBe(false);
  expect(o.ms, `CPU ms per stage ${JSON.stringify(o.stageMs)}`).toBeLessThan(limitMs);
}

describe('fuzz regressions: committed inputs', () => {
  it('has a .bin beside every note', () => {
    for (const n of notes) expect(existsSync(join(dir, n.file!)), n.file).toBe(true);
  });
  it.each(notes.map((n) => [n.file!, n] as const))('%s', async (_, n) => {
    const b = readFileSync(join(dir, n.file!));
    const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (const chunked of [false, true]) {
      // Generous for a loaded CI machine: these are small files, and a real hang runs for seconds.
      clean(await runBytes(n.file!, bytes, stages, { chunked, id: n.case, steps: n.steps, hangMs: 5000 }), 5000);
    }
  });
});

describe.skipIf(!hasCorpus || replays.length === 0)('fuzz regressions: corpus cases by replay id', () => {
  it.each(replays.map((n) => [n.case, n] as const))('%s', async (id) => {
    const { seed, key, index } = parseCaseId(id);
    const input = inputByKey(key);
    expect(input, `${key} is not in the corpus`).toBeDefined();
    const p = await prepare(input!.key, readInput(input!), stages);
    const c = caseInput(p, seed, index);
    const limit = Math.max(5000, 2 * hangLimit(p));
    clean(await runBytes(p.key, c.bytes, stages, { chunked: c.chunked, id, steps: c.steps, hangMs: limit }), limit);
  });
});
