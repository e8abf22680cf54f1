import { describe, expect, it } from 'vitest';
import { STAGES, overall, runningStage, stageProgress, type Stage } from './progress.ts';

describe('pipeline progress', () => {
  it('rises through the stages from 0 to 1', () => {
    let prev = -1;
    for (const s of STAGES) {
      for (const f of [0, 0.5, 1]) {
        const v = overall(s, f);
        expect(v).toBeGreaterThanOrEqual(prev);
        prev = v;
      }
    }
    expect(overall('hash', 0)).toBe(0);
    expect(overall('verdict', 1)).toBe(1);
  });

  it('gives hashing no share when it is skipped', () => {
    expect(overall('hash', 1, true)).toBe(0);
    expect(overall('parse', 0, true)).toBe(0);
    expect(overall('parse', 0, false)).toBeGreaterThan(0.3);
  });

  it('names the stage that runs after one ends', () => {
    expect(runningStage('hash', 0.5)).toBe('hash');
    expect(runningStage('hash', 1)).toBe('parse');
    expect(runningStage('go', 1)).toBe('arm64');
    expect(runningStage('verdict', 1)).toBe('verdict');
  });

  it('clamps bad fractions', () => {
    expect(overall('go', Number.NaN)).toBe(overall('go', 0));
    expect(overall('go', 7)).toBe(overall('go', 1));
  });

  it('throttles within a stage but always sends a new stage and the end', () => {
    const sent: [number, Stage][] = [];
    let t = 0;
    const p = stageProgress(
      (d, _total, s) => sent.push([d, s]),
      1000,
      false,
      80,
      () => t,
    );
    p('hash', 0.1);
    t = 10;
    p('hash', 0.2); // dropped: too soon
    t = 100;
    p('hash', 0.5);
    t = 101;
    p('hash', 1); // hashing done: parsing runs now
    p('parse', 1); // parsing done: the Go tables are read now
    p('go', 1);
    p('arm64', 1);
    p('verdict', 1); // the end: sent
    expect(sent.map((s) => s[1])).toEqual(['hash', 'hash', 'parse', 'go', 'arm64', 'verdict', 'verdict']);
    expect(sent.at(-1)![0]).toBe(1000);
    expect(sent.map((s) => s[0])).toEqual([...sent.map((s) => s[0])].sort((a, b) => a - b));
  });
});
