// The bounded fuzz run of the normal test suite: a fixed seed and a fixed
// number of mutants per input (by size: small files are cheap, so they get
// more), through the full analysis. About two minutes on a 2-core machine.
// Long runs: `npm run fuzz -- --cases 1000000` (docs/robustness.md).
// FUZZ_SCALE=0.1 makes it quicker, FUZZ_SCALE=10 longer.

import { describe, expect, it } from 'vitest';
import { hasCorpus, SKIP_MESSAGE } from '../corpus.ts';
import { hangLimit, prepare, runCase, type CaseOutcome } from './core.ts';
import { analyze } from '../../src/parsers/analyze.ts';
import { MemorySource } from '../../src/parsers/reader.ts';
import { allInputs, readInput } from './files.ts';
import { layoutOf } from './layout.ts';
import { mutate } from './mutate.ts';
import { Rng } from './rng.ts';
import { checkNumbers, loadStages } from './pipeline.ts';
import { runUnitCase, unitSeeds } from './units.ts';

const SEED = 20261125;
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

function casesFor(size: number): number {
  const n = size < 16 << 10 ? 160 : size < 128 << 10 ? 80 : size < 2 << 20 ? 16 : 4;
  return Math.max(1, Math.round(n * SCALE));
}

const stages = await loadStages();
const inputs = allInputs();
if (!hasCorpus) console.warn(`fuzz: corpus files not mutated; ${SKIP_MESSAGE}`);

function describeFailure(o: CaseOutcome): string {
  return `${o.id} (replay: npm run fuzz -- --replay ${o.id})\n  ${o.steps.join('\n  ')}\n${o.crash?.stack ?? ''}`;
}

describe('fuzz: mutated fixtures and corpus files through the full analysis', () => {
  it('runs every stage that exists', () => {
    // Stages still being written are skipped, and listed here for the log.
    for (const m of stages.missing) console.warn(`fuzz: stage not run: ${m}`);
    expect(inputs.length).toBeGreaterThan(10);
  });

  it('the report check names the first inexact number', () => {
    expect(() => checkNumbers({ slices: [{ size: 1, sections: [{ size: 2 ** 61 }] }] }, 'report')).toThrow(
      'report.slices[0].sections[0].size is 2305843009213694000: not an exact number',
    );
    expect(() => checkNumbers({ a: [1n] }, 'report')).toThrow('report.a[0] is a bigint');
    expect(() => checkNumbers({ a: [1, 'x', null, { b: Number.MAX_SAFE_INTEGER }] }, 'report')).not.toThrow();
  });

  it('the mutation engine itself never throws (300 mutants of each fixture)', async () => {
    for (const input of inputs.filter((i) => !i.key.startsWith('corpus/') && i.size < 4 << 20)) {
      const bytes = readInput(input);
      const layout = layoutOf(bytes, analyze(new MemorySource(bytes), input.key, { skipHash: true }).report);
      for (let k = 0; k < 300; k++) {
        const m = mutate(bytes, layout, Rng.forCase(SEED, input.key, k));
        expect(m.steps.length).toBeGreaterThan(0);
      }
    }
  });

  it.each(inputs.map((i) => [i.key, i] as const))(
    '%s',
    async (_, input) => {
      const p = await prepare(input.key, readInput(input), stages);
      const n = casesFor(input.size);
      // A busy CI machine is slower than the long runs: allow twice the runner's limit.
      const limit = 2 * hangLimit(p);
      const failures: string[] = [];
      for (let i = 0; i < n; i++) {
        const o = await runCase(p, SEED, i, stages);
        if (o.crash) failures.push(`crash in ${o.crash.stage}: ${o.crash.message}\n${describeFailure(o)}`);
        else if (o.ms > limit)
          failures.push(
            `hang: ${o.ms.toFixed(0)} ms CPU (limit ${limit.toFixed(0)}), stages ${JSON.stringify(o.stageMs)}\n${describeFailure(o)}`,
          );
        else if (o.memory.flagged)
          failures.push(
            `memory: largest allocation ${o.memory.largestAlloc} (${o.memory.largestWhat}), heap growth ${o.memory.heapGrowth}\n${describeFailure(o)}`,
          );
        if (failures.length >= 3) break;
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    },
    600_000,
  );
});

// Units (test/fuzz/units.ts): every unit seed mutated through the unit walker, as `check` reads a file.
const UNIT_CASES = Math.max(1, Math.round(40 * SCALE));
/** CPU time one mutant of these few-KB units may take (an unmutated one takes milliseconds). */
const UNIT_HANG_MS = 4000;

describe('fuzz: mutated units through the unit walker', async () => {
  const seeds = await unitSeeds();
  it('every seed reads without errors as it is, except the hostile ones', async () => {
    const { unitFromSource } = await import('../../src/units/unit.ts');
    for (const [name, bytes] of seeds) {
      const errors = (await unitFromSource(new MemorySource(bytes), name)).errors;
      if (name === 'climb.tar') expect(errors[0]).toMatch(/climbs out of the archive/);
      else if (name === 'nested.tar') expect(errors[0]).toMatch(/nested more than/);
      else expect(errors).toEqual([]);
    }
  });
  it.each(seeds.map(([name, bytes]) => [name, bytes] as const))('unit/%s', async (name, bytes) => {
    const failures: string[] = [];
    for (let i = 0; i < UNIT_CASES && failures.length < 3; i++) {
      const o = await runUnitCase(name, bytes, SEED, i);
      const where = `${o.id}\n  ${o.steps.join('\n  ')}`;
      if (o.crash) failures.push(`crash: ${o.crash}\n${where}`);
      else if (o.ms > UNIT_HANG_MS) failures.push(`hang: ${o.ms.toFixed(0)} ms CPU (limit ${UNIT_HANG_MS})\n${where}`);
      else if (o.memory.flagged)
        failures.push(
          `memory: largest allocation ${o.memory.largestAlloc} (${o.memory.largestWhat}), heap growth ${o.memory.heapGrowth}\n${where}`,
        );
    }
    expect(failures).toEqual([]);
  });
});
