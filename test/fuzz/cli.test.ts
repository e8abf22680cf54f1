// The bounded sample of the fuzzer's command-line mode (test/fuzz/cli.ts) in
// the normal test run: the CLI built into its own folder, then one mutant
// of each input, each through one of
// report (text), report --json, go-functions, disasm and link, plus every
// command on every kind of path that is not a regular file. About a minute
// on an idle 2-core machine (two mutants of the small inputs took four
// minutes inside a loaded full run). Long runs: `npm run fuzz -- --cli
// --cases N` (docs/robustness.md). FUZZ_SCALE multiplies the sample.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_COMMANDS, cliCase, prepareCli, runCliCases, type CliCase, type CliOutcome, type OddPath } from './cli.ts';
import { summarize } from './cli-run.ts';
import { allInputs, readInput, ROOT } from './files.ts';

const SEED = 20261207;
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
let OUT: string;
let BUNDLE: string;
let dir: string;
beforeAll(() => {
  // A build of its own, in a folder no other run writes to (BINLENS_CLI_OUT):
  // other tests rebuild dist-cli while this runs.
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  OUT = mkdtempSync(join(ROOT, 'test-results', 'fuzz-cli-'));
  BUNDLE = join(OUT, 'binlens.mjs');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, BINLENS_CLI_OUT: OUT },
  });
  expect(r.status, r.stderr).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'binlens-fuzz-cli-'));
}, 300_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

function sample(): CliCase[] {
  const cases: CliCase[] = [];
  const inputs = allInputs();
  for (const input of inputs) {
    const p = prepareCli(input.key, readInput(input));
    const n = Math.max(1, Math.round(SCALE));
    for (let i = 0; i < n; i++) cases.push(cliCase(p, SEED, i));
  }
  // Every command on every path that is not a regular file.
  const first = prepareCli(inputs[0]!.key, readInput(inputs[0]!));
  const odd: OddPath[] = ['directory', 'fifo', 'dev-zero', 'missing', 'empty'];
  for (const o of odd)
    for (const command of CLI_COMMANDS) cases.push({ ...cliCase(first, SEED, 0), id: `odd:${o}:${command}`, command, odd: o });
  return cases;
}

describe('fuzz --cli: mutants through the built command line', () => {
  it('exit statuses, valid JSON, one-line errors, no raw control characters in text output', async () => {
    const cases = sample();
    const outcomes: CliOutcome[] = [];
    const t0 = performance.now();
    await runCliCases(cases, { bundle: BUNDLE, dir, jobs: 2, timeoutMs: 60_000, onOutcome: (o) => outcomes.push(o) });
    const s = summarize(outcomes, Math.round((performance.now() - t0) / 100) / 10);
    console.log(
      `fuzz --cli: ${s.cases} cases in ${s.seconds} s; ${JSON.stringify(s.byCommand)}; exit statuses ${JSON.stringify(s.statuses)}; ${s.reopenedLinks} links opened again; slowest ${s.slowest?.id} ${s.slowest?.ms} ms`,
    );
    const failures = outcomes
      .filter((o) => o.problems.length)
      .map(
        (o) =>
          `${o.id} (${o.command}${o.odd ? `, ${o.odd}` : ''}; replay: npm run fuzz -- --cli --replay ${o.id}): ${o.problems.join('; ')}`,
      );
    expect(failures.slice(0, 10), failures.join('\n')).toEqual([]);
    expect(s.statuses['0']).toBeGreaterThan(0);
    expect(s.statuses['2']).toBeGreaterThan(0);
  }, 900_000);
});
