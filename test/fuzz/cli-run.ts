// npm run fuzz -- --cli [--cases N] [--seed S] [--files GLOB] [--jobs J] [--json FILE] [--no-build] [--timeout MS] [--bundle DIR]
// npm run fuzz -- --cli --replay SEED:FILE:CASE [--out FILE]
//
// The command-line mode of the fuzzer (test/fuzz/cli.ts): builds the CLI
// (`npm run build:cli`, unless --no-build; with --bundle DIR, into DIR, so a
// long run is not disturbed by a test that rebuilds dist-cli), then runs N cases, spread evenly
// and interleaved over the inputs, J processes at a time. Prints the cases
// run per command, exit statuses, problems (distinct by their first words,
// with the first case id of each), hangs, crashes and the slowest case.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_COMMANDS, cliCase, prepareCli, runCliCases, type CliCase, type CliInput, type CliOutcome } from './cli.ts';
import { parseCaseId } from './core.ts';
import { allInputs, globMatch, inputByKey, readInput, ROOT } from './files.ts';

export interface CliOptions {
  cases: number;
  seed: number;
  files: string[];
  jobs: number;
  json: string | null;
  build: boolean;
  timeoutMs: number;
  replay: string | null;
  out: string | null;
  /** The folder of the built CLI; default dist-cli. */
  bundle: string | null;
}

function bundleOf(o: CliOptions): string {
  return join(o.bundle ?? join(ROOT, 'dist-cli'), 'binlens.mjs');
}

function build(o: CliOptions): void {
  const r = o.bundle
    ? spawnSync('npx', ['vite', 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, BINLENS_CLI_OUT: o.bundle },
      })
    : spawnSync('npm', ['run', '-s', 'build:cli'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the CLI failed');
}

/** A problem's kind: its text without numbers, offsets and quoted parts, so one bug counts once. */
function kind(problem: string): string {
  return problem
    .replace(/"[^"]*"|'[^']*'/g, '…')
    .replace(/0x[0-9a-f]+|\d+/g, 'N')
    .slice(0, 120);
}

export interface CliSummary {
  cases: number;
  seconds: number;
  byCommand: Record<string, number>;
  statuses: Record<string, number>;
  oddPaths: number;
  reopenedLinks: number;
  problems: Record<string, { count: number; first: string; example: string }>;
  failedCases: number;
  hangs: string[];
  crashes: string[];
  slowest: { id: string; command: string; ms: number } | null;
}

export function summarize(outcomes: CliOutcome[], seconds: number): CliSummary {
  const s: CliSummary = {
    cases: 0,
    seconds,
    byCommand: {},
    statuses: {},
    oddPaths: 0,
    reopenedLinks: 0,
    problems: {},
    failedCases: 0,
    hangs: [],
    crashes: [],
    slowest: null,
  };
  for (const o of outcomes) {
    s.cases++;
    s.byCommand[o.command] = (s.byCommand[o.command] ?? 0) + 1;
    const st = o.timedOut ? 'killed (time)' : o.signal ? `signal ${o.signal}` : String(o.status);
    s.statuses[st] = (s.statuses[st] ?? 0) + 1;
    if (o.odd) s.oddPaths++;
    if (o.reopened) s.reopenedLinks++;
    if (o.timedOut) s.hangs.push(o.id);
    else if (o.signal) s.crashes.push(o.id);
    if (o.problems.length) s.failedCases++;
    for (const p of o.problems) {
      const k = kind(p);
      const e = (s.problems[k] ??= { count: 0, first: o.id, example: p });
      e.count++;
    }
    if (!s.slowest || o.wallMs > s.slowest.ms) s.slowest = { id: o.id, command: o.command, ms: Math.round(o.wallMs) };
  }
  return s;
}

function inputsFor(o: CliOptions): CliInput[] {
  let inputs = allInputs();
  if (o.files.length) inputs = inputs.filter((i) => o.files.some((g) => globMatch(g, i.key)));
  return inputs.map((i) => prepareCli(i.key, readInput(i)));
}

/** Case k of the run: file k mod n, that file's case number k div n (every file gets its share, interleaved). */
function* casesOf(inputs: CliInput[], seed: number, total: number): Generator<CliCase> {
  for (let k = 0; k < total; k++) yield cliCase(inputs[k % inputs.length]!, seed, Math.floor(k / inputs.length));
}

export async function cliFuzz(o: CliOptions): Promise<number> {
  if (o.build) build(o);
  const BUNDLE = bundleOf(o);
  const t0 = Date.now();
  const inputs = inputsFor(o);
  if (inputs.length === 0) {
    process.stderr.write('no input files matched\n');
    return 2;
  }
  process.stdout.write(
    `fuzz --cli: seed ${o.seed}, ${inputs.length} files, ${o.cases} cases, ${o.jobs} at a time, ${BUNDLE.replace(ROOT + '/', '')}\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'binlens-fuzz-cli-'));
  const outcomes: CliOutcome[] = [];
  let lastReport = Date.now();
  try {
    await runCliCases(casesOf(inputs, o.seed, o.cases), {
      bundle: BUNDLE,
      dir,
      jobs: o.jobs,
      timeoutMs: o.timeoutMs,
      onOutcome: (x) => {
        // Keep what the summary needs, not the outputs.
        outcomes.push({
          ...x,
          stdout: '',
          stderr: x.problems.length ? x.stderr.slice(0, 2000) : '',
          reopened: x.reopened ? { ...x.reopened, stdout: '' } : null,
        });
        if (x.problems.length) process.stdout.write(`  ${x.id} (${x.command}${x.odd ? `, ${x.odd}` : ''}): ${x.problems.join('; ')}\n`);
        if (Date.now() - lastReport > 60_000) {
          lastReport = Date.now();
          process.stdout.write(`  … ${outcomes.length} cases, ${Math.round((Date.now() - t0) / 1000)} s\n`);
          // A long run cut short still leaves its figures so far.
          if (o.json)
            writeFileSync(
              o.json,
              JSON.stringify({ partial: true, ...summarize(outcomes, Math.round((Date.now() - t0) / 1000)) }, null, 2) + '\n',
            );
        }
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const s = summarize(outcomes, Math.round((Date.now() - t0) / 100) / 10);
  process.stdout.write(
    [
      `cases: ${s.cases} in ${s.seconds} s (${CLI_COMMANDS.map((c) => `${c} ${s.byCommand[c] ?? 0}`).join(', ')}; ${s.oddPaths} on paths that are not files; ${s.reopenedLinks} links opened again)`,
      `exit statuses: ${Object.entries(s.statuses)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}`,
      `hangs: ${s.hangs.length}${s.hangs.length ? ` (${s.hangs.slice(0, 5).join(', ')})` : ''}`,
      `crashes: ${s.crashes.length}${s.crashes.length ? ` (${s.crashes.slice(0, 5).join(', ')})` : ''}`,
      `cases with problems: ${s.failedCases}`,
      ...Object.values(s.problems).map(
        (p) => `  ${p.count} × ${p.example} (first: ${p.first}; replay: npm run fuzz -- --cli --replay ${p.first})`,
      ),
      `slowest case: ${s.slowest ? `${s.slowest.id} (${s.slowest.command}), ${s.slowest.ms} ms wall` : '-'}`,
    ].join('\n') + '\n',
  );
  if (o.json) writeFileSync(o.json, JSON.stringify(s, null, 2) + '\n');
  return s.failedCases ? 1 : 0;
}

export async function cliReplay(o: CliOptions): Promise<number> {
  if (o.build) build(o);
  const BUNDLE = bundleOf(o);
  const { seed, key, index } = parseCaseId(o.replay!);
  const input = inputByKey(key);
  if (!input) {
    process.stderr.write(`no input named ${key} (corpus absent?)\n`);
    return 2;
  }
  const c = cliCase(prepareCli(input.key, readInput(input)), seed, index);
  process.stdout.write(
    `case ${c.id}: ${c.command}${c.odd ? ` on a path that is ${c.odd}` : ''}, file name ${JSON.stringify(c.name)}, ${c.bytes.length} bytes\n`,
  );
  for (const s of c.steps) process.stdout.write(`  ${s}\n`);
  if (o.out) {
    writeFileSync(o.out, c.bytes);
    process.stdout.write(`mutant written to ${o.out}\n`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'binlens-fuzz-cli-'));
  let outcome: CliOutcome | null = null;
  try {
    await runCliCases([c], { bundle: BUNDLE, dir, jobs: 1, timeoutMs: o.timeoutMs, onOutcome: (x) => (outcome = x) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const r = outcome! as CliOutcome;
  process.stdout.write(
    `status ${r.status}${r.signal ? `, signal ${r.signal}` : ''}, ${Math.round(r.wallMs)} ms wall\nstderr: ${JSON.stringify(r.stderr.slice(0, 2000))}\n`,
  );
  process.stdout.write(r.problems.length ? `PROBLEMS\n  ${r.problems.join('\n  ')}\n` : 'ok\n');
  return r.problems.length ? 1 : 0;
}
