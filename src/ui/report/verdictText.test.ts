import { describe, expect, it } from 'vitest';
import type { Target } from '../../report/targets.ts';
import type { Compatibility } from '../../report/types.ts';
import { TARGETS } from '../../report/targets.ts';
import {
  continueSentence,
  matrixSummary,
  runsOnNone,
  targetAnswer,
  targetGroupName,
  targetName,
  verdictCell,
  whyNot,
} from './verdictText.ts';

function matrix(v: Partial<Record<Target, Compatibility['verdict']>>): Compatibility[] {
  return TARGETS.map((t) => ({ target: t, verdict: v[t] ?? 'no', reason: `Reason for ${t}.`, error: null, evidence: [] }));
}

describe('verdict words', () => {
  it('names targets as the matrix heads them', () => {
    expect(targetName('linux-arm64-glibc')).toBe('Linux arm64 (glibc)');
    expect(targetName('macos-arm64')).toBe('macOS (Apple Silicon)');
    expect(targetName('linux-x86_64-musl')).toBe('Linux x86_64 (musl, Alpine)');
  });

  it('continues a reason after "because" without breaking proper names', () => {
    expect(continueSentence('The arm64 code is not signed.')).toBe('the arm64 code is not signed');
    expect(continueSentence('It is arm64 code, which an x86_64 Linux cannot run.')).toBe(
      'it is arm64 code, which an x86_64 Linux cannot run',
    );
    expect(continueSentence('Linux runs only ELF files.')).toBe('Linux runs only ELF files');
    expect(continueSentence('macOS runs only Mach-O files')).toBe('macOS runs only Mach-O files');
  });

  it("answers for the user's target: runs, Rosetta, will not run because, cannot tell", () => {
    const m = matrix({ 'macos-arm64': 'rosetta', 'macos-x86_64': 'native', 'ios-arm64': 'unknown' });
    m[3] = { ...m[3]!, reason: 'There is no arm64 code in it.' };
    expect(targetAnswer(m, 'macos-x86_64')).toEqual({
      tone: 'good',
      text: 'On macOS (Intel): runs natively.',
      detail: 'Reason for macos-x86_64.',
    });
    expect(targetAnswer(m, 'macos-arm64')!.text).toBe('On macOS (Apple Silicon): runs under Rosetta 2.');
    expect(targetAnswer(m, 'macos-arm64')!.tone).toBe('ok');
    expect(targetAnswer(m, 'linux-arm64-glibc')).toEqual({
      tone: 'bad',
      text: 'On Linux arm64 (glibc): will not run',
      detail: 'because there is no arm64 code in it.',
    });
    expect(targetAnswer(m, 'ios-arm64')!.tone).toBe('unknown');
    m[4] = { ...m[4]!, verdict: 'native', reason: 'Runs natively: dynamically linked against musl.' };
    expect(targetAnswer(m, 'linux-arm64-musl')!.detail).toBe('Dynamically linked against musl.');
    expect(targetAnswer([], 'ios-arm64')).toBeNull();
  });

  it('sums the matrix up when no target is chosen', () => {
    expect(matrixSummary(matrix({ 'linux-arm64-glibc': 'native', 'linux-arm64-musl': 'native' })).text).toBe(
      'Runs on Linux arm64 (glibc) and Linux arm64 (musl, Alpine); not on the other 5 platforms.',
    );
    expect(matrixSummary(matrix({ 'macos-arm64': 'rosetta', 'macos-x86_64': 'native' })).text).toBe(
      'Runs on macOS (Intel) and macOS (Apple Silicon) under Rosetta 2; not on the other 5 platforms.',
    );
    const none = matrixSummary(matrix({}));
    expect(none).toMatchObject({ tone: 'bad', text: 'Runs on none of the 7 platforms binlens checks.' });
    const all = TARGETS.reduce((o, t) => ({ ...o, [t]: 'unknown' }), {});
    expect(matrixSummary(matrix(all)).tone).toBe('unknown');
  });

  it('never counts a target it cannot judge among those it does not run on', () => {
    const u = (ts: Target[]): Partial<Record<Target, Compatibility['verdict']>> => Object.fromEntries(ts.map((t) => [t, 'unknown']));
    expect(matrixSummary(matrix(u(['macos-arm64', 'macos-x86_64', 'ios-arm64', 'linux-arm64-glibc']))).text).toBe(
      'Will not run on 3 of the 7 platforms binlens checks; binlens cannot tell for the other 4.',
    );
    expect(matrixSummary(matrix(u(['ios-arm64']))).text).toBe(
      'Will not run on 6 of the 7 platforms binlens checks; binlens cannot tell for the other one.',
    );
    expect(matrixSummary(matrix({ 'linux-arm64-glibc': 'native', 'linux-arm64-musl': 'unknown' })).text).toBe(
      'Runs on Linux arm64 (glibc); not on 5 others, and binlens cannot tell for 1 more.',
    );
    const runsOrUnknown = { ...u(TARGETS.filter((t) => t !== 'linux-arm64-glibc')), 'linux-arm64-glibc': 'native' as const };
    expect(matrixSummary(matrix(runsOrUnknown)).text).toBe('Runs on Linux arm64 (glibc); binlens cannot tell for the other 6 platforms.');
    for (const text of [matrixSummary(matrix(u(['ios-arm64']))).text, runsOnNone(['no', 'unknown', 'no'])])
      expect(text).not.toMatch(/none.*cannot|cannot.*none/);
    expect(runsOnNone(['no', 'no'])).toBe('Runs on none of the targets');
    expect(runsOnNone(['no', 'unknown', 'no'])).toBe('Will not run on 2 of 3 targets; cannot tell for 1');
    expect(runsOnNone(['unknown'])).toBe('binlens cannot tell where it runs');
  });

  it('gives the folder table a mark and the reason as title', () => {
    expect(verdictCell({ target: 'ios-arm64', verdict: 'no', reason: 'Built for macOS.' })).toEqual({
      mark: '✕',
      tone: 'bad',
      title: 'iOS (arm64): will not run. Built for macOS.',
    });
  });
});

describe('whyNot', () => {
  const cells = [
    { target: 'macos-arm64', verdict: 'no', reason: 'macOS and iOS run only Mach-O files.' },
    { target: 'macos-x86_64', verdict: 'no', reason: 'macOS and iOS run only Mach-O files.' },
    { target: 'ios-arm64', verdict: 'no', reason: 'macOS and iOS run only Mach-O files.' },
    { target: 'linux-arm64-glibc', verdict: 'native', reason: 'Runs natively.' },
    { target: 'linux-arm64-musl', verdict: 'no', reason: "It asks for glibc's loader." },
    { target: 'linux-x86_64-glibc', verdict: 'no', reason: 'It is arm64 code.' },
    { target: 'linux-x86_64-musl', verdict: 'unknown', reason: 'Cannot tell.' },
  ] as const;

  it('gives each reason once with the targets it is for, in the order asked (my target first)', () => {
    const order = [
      'linux-arm64-musl',
      'macos-arm64',
      'macos-x86_64',
      'ios-arm64',
      'linux-arm64-glibc',
      'linux-x86_64-glibc',
      'linux-x86_64-musl',
    ] as const;
    expect(whyNot(cells, order).map((w) => `${w.mark} ${w.label}: ${w.reason}`)).toEqual([
      "✕ Linux arm64 (musl): It asks for glibc's loader.",
      '✕ macOS (Apple Silicon, Intel), iOS (arm64): macOS and iOS run only Mach-O files.',
      '✕ Linux x86_64 (glibc): It is arm64 code.',
      '? Linux x86_64 (musl): Cannot tell.',
    ]);
  });

  it('names targets of one platform together', () => {
    expect(targetGroupName(['linux-x86_64-glibc', 'linux-x86_64-musl'])).toBe('Linux x86_64 (glibc, musl)');
    expect(targetGroupName(['macos-arm64'])).toBe('macOS (Apple Silicon)');
  });
});
