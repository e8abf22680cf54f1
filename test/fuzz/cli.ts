// The fuzzer's command-line mode: mutants of the same inputs, run through the
// built CLI (`npm run build:cli`: dist-cli/binlens.mjs) as a user runs it, so
// what the in-process fuzzer never reaches is fuzzed too: opening the path,
// text formatting and escaping, JSON output, exit statuses, links. Each case
// is a pure function of (seed, file, case number), like the in-process ones.
//
// What a case checks (cliProblems):
// - the process ends by itself within the time limit, not by a signal, with
//   status 0 or 2 (64 is for usage errors, which the cases never make);
// - stderr: no "internal error", no stack trace, every line from binlens
//   (`binlens …`), no raw control or bidi character (a newline only between
//   lines);
// - text output (report, go-functions, disasm, report --from-link): no raw
//   control or bidi character but the newlines and tabs of the layout;
//   go-functions and disasm lines have their documented shapes;
// - report --json: valid JSON with the report's shape, status 2 exactly when
//   the report has errors or is not a binary;
// - link: one URL at the base given; one link in three is opened again with
//   `report --from-link` (text), which must succeed: a link binlens wrote
//   must open.
// A few cases use a path that is not a regular file (a directory, a FIFO,
// /dev/zero, a missing path, an empty file): one line, status 2.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/parsers/analyze.ts';
import { MemorySource } from '../../src/parsers/reader.ts';
import { CONTROL_CHARS } from '../../src/share/controls.ts';
import { layoutOf, type Layout } from './layout.ts';
import { mutate } from './mutate.ts';
import { Rng } from './rng.ts';

export const CLI_COMMANDS = ['report', 'report --json', 'go-functions', 'disasm', 'link'] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];

const BASE = 'http://localhost:5173/';
/** disasm prints at most this many lines per case: the output, not the engine, would dominate. */
const DISASM_COUNT = 3000;

/** Terminal escapes and bidi controls written over strings in the file (UTF-8). */
const ESCAPES = [
  '\x1b[2J\x1b[H',
  '\x1b]0;pwned\x07',
  '\x07',
  '\u009b31m',
  '\u202e',
  '\u2066',
  '\r',
  '\n',
  '\b\b',
  '\x7f',
  '\x1bP+q\x1b\\',
  '\u0085',
];

export interface CliInput {
  key: string;
  bytes: Uint8Array;
  layout: Layout;
}

export function prepareCli(key: string, bytes: Uint8Array): CliInput {
  return { key, bytes, layout: layoutOf(bytes, analyze(new MemorySource(bytes), key, { skipHash: true }).report) };
}

/** A path that is not a regular file, for the cases that try one. */
export type OddPath = 'directory' | 'fifo' | 'dev-zero' | 'missing' | 'empty';
const ODD: OddPath[] = ['directory', 'fifo', 'dev-zero', 'missing', 'empty'];

export interface CliCase {
  id: string;
  command: CliCommand;
  bytes: Uint8Array;
  steps: string[];
  /** The file's name; some carry escapes of their own. */
  name: string;
  odd: OddPath | null;
}

/**
 * Overwrites part of one printable, NUL-terminated run of the file (a name in
 * a string table, a path, a Go function name) with a terminal escape. The
 * structure-aware mutations keep their replay ids; this step comes after them.
 */
function injectEscape(b: Uint8Array, rng: Rng): string | null {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i < b.length && runs.length < 4096; i++) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f) {
      if (start < 0) start = i;
    } else {
      if (c === 0 && start >= 0 && i - start >= 6) runs.push([start, i]);
      start = -1;
    }
  }
  if (runs.length === 0) return null;
  const [from, to] = runs[rng.int(runs.length)]!;
  const payload = new TextEncoder().encode(ESCAPES[rng.int(ESCAPES.length)]!);
  const at = from + rng.int(Math.max(1, to - from - 1));
  const n = Math.min(payload.length, to - at);
  b.set(payload.subarray(0, n), at);
  return `escape: ${n} bytes at 0x${at.toString(16)}`;
}

export function cliCase(p: CliInput, seed: number, index: number): CliCase {
  const rng = Rng.forCase(seed, p.key, index);
  const m = mutate(p.bytes, p.layout, rng);
  const steps = [...m.steps];
  let bytes = m.bytes;
  if (rng.chance(0.5)) {
    bytes = bytes.slice();
    const s = injectEscape(bytes, rng);
    if (s) steps.push(s);
  }
  const command = CLI_COMMANDS[rng.int(CLI_COMMANDS.length)]!;
  const base = p.key.split('/').pop()!;
  const name = rng.chance(1 / 6) ? `${base}${ESCAPES[rng.int(ESCAPES.length)]}` : base;
  const odd = rng.chance(1 / 25) ? ODD[rng.int(ODD.length)]! : null;
  return { id: `${seed}:${p.key}:${index}`, command, bytes, steps, name, odd };
}

export interface CliOutcome {
  id: string;
  command: CliCommand;
  odd: OddPath | null;
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  wallMs: number;
  stdout: string;
  stderr: string;
  /** The `report --from-link` run of a link case, when one was made. */
  reopened: { status: number | null; stdout: string; stderr: string } | null;
  problems: string[];
}

interface Exec {
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Keeps at most this much of each stream (a runaway output is a problem of its own). */
const MAX_OUTPUT = 64 << 20;

function exec(bundle: string, args: string[], timeoutMs: number): Promise<Exec> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--max-old-space-size=2048', bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, timeoutMs);
    p.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes <= MAX_OUTPUT) out.push(d);
      else p.kill('SIGKILL');
    });
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Writes the case's file (or makes its odd path) under `dir`; the path to run on. */
function materialize(c: CliCase, dir: string, slot: number): string {
  const d = join(dir, String(slot));
  mkdirSync(d, { recursive: true });
  switch (c.odd) {
    case 'directory':
      return d;
    case 'fifo': {
      const f = join(d, 'fifo');
      spawnSync('rm', ['-f', f]);
      spawnSync('mkfifo', [f]);
      return f;
    }
    case 'dev-zero':
      return '/dev/zero';
    case 'missing':
      return join(d, 'no-such-file');
    case 'empty': {
      const f = join(d, 'empty');
      writeFileSync(f, '');
      return f;
    }
    default: {
      const f = join(d, c.name.replace(/\//g, '_'));
      writeFileSync(f, c.bytes);
      return f;
    }
  }
}

export async function runCliCase(c: CliCase, bundle: string, dir: string, slot: number, timeoutMs: number): Promise<CliOutcome> {
  const path = materialize(c, dir, slot);
  const args =
    c.command === 'report --json'
      ? ['report', path, '--json']
      : c.command === 'disasm'
        ? ['disasm', path, '--count', String(DISASM_COUNT)]
        : c.command === 'link'
          ? ['link', path, '--base', BASE]
          : [c.command, path];
  const t0 = performance.now();
  const r = await exec(bundle, args, timeoutMs);
  const wallMs = performance.now() - t0;
  let reopened: CliOutcome['reopened'] = null;
  const url = r.stdout.trim();
  if (c.command === 'link' && !c.odd && url.startsWith(`${BASE}#r1.`) && Number(c.id.split(':').pop()) % 3 === 0) {
    const o = await exec(bundle, ['report', '--from-link', url], timeoutMs);
    reopened = { status: o.status, stdout: o.stdout, stderr: o.stderr };
  }
  const outcome: CliOutcome = { id: c.id, command: c.command, odd: c.odd, ...r, wallMs, reopened, problems: [] };
  outcome.problems = cliProblems(c, outcome);
  return outcome;
}

function rawControls(text: string, allowed: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(CONTROL_CHARS))
    if (!allowed.includes(m[0])) found.add(`U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [...found];
}

function stderrProblems(stderr: string, where: string): string[] {
  const problems: string[] = [];
  if (/internal error/.test(stderr)) problems.push(`${where}: internal error: ${stderr.trim().split('\n')[0]}`);
  if (/\n\s+at .*[:(]/.test(stderr)) problems.push(`${where}: stack trace on stderr`);
  const raw = rawControls(stderr, '\n');
  if (raw.length) problems.push(`${where}: raw ${raw.join(', ')} on stderr`);
  for (const line of stderr.split('\n'))
    if (line !== '' && !line.startsWith('binlens'))
      problems.push(`${where}: stderr line not from binlens: ${JSON.stringify(line.slice(0, 80))}`);
  return problems;
}

/** Every way the outcome breaks the CLI's promises; empty when it keeps them. */
export function cliProblems(c: CliCase, o: CliOutcome): string[] {
  const p: string[] = [];
  if (o.timedOut) return [`hang: killed after ${Math.round(o.wallMs)} ms`];
  if (o.signal) return [`crash: ended by ${o.signal}`];
  if (o.status !== 0 && o.status !== 2) p.push(`exit status ${o.status}`);
  p.push(...stderrProblems(o.stderr, c.command));
  if (c.odd) {
    if (o.status !== 2) p.push(`${c.odd}: exit status ${o.status}, not 2`);
    if (o.stderr.trim().split('\n').length !== 1) p.push(`${c.odd}: ${o.stderr.trim().split('\n').length} lines on stderr, not 1`);
    if (c.command === 'report --json') {
      try {
        JSON.parse(o.stdout);
      } catch {
        p.push(`${c.odd}: report --json printed no JSON`);
      }
    }
    return p;
  }
  if (o.status === 2 && o.stderr.trim() === '') p.push('exit status 2 with nothing on stderr');
  switch (c.command) {
    case 'report --json': {
      let r: { schema?: unknown; file?: { name?: unknown }; format?: unknown; errors?: unknown[] } | null = null;
      try {
        r = JSON.parse(o.stdout);
      } catch (e) {
        p.push(`report --json: not JSON (${e instanceof Error ? e.message : e})`);
      }
      if (r) {
        if (r.schema !== 1 || typeof r.file?.name !== 'string' || !Array.isArray(r.errors)) p.push('report --json: not a report');
        else {
          if (r.file.name !== c.name.replace(/\//g, '_')) p.push('report --json: file.name is not the name as it is');
          const bad = r.errors.length > 0 || r.format === 'unknown';
          if ((o.status === 2) !== bad)
            p.push(`report --json: exit status ${o.status} with ${r.errors.length} errors, format ${String(r.format)}`);
        }
      }
      break;
    }
    case 'report': {
      const raw = rawControls(o.stdout, '\n\t');
      if (raw.length) p.push(`report: raw ${raw.join(', ')} in text output`);
      if (o.status === 0 && o.stdout === '') p.push('report: no output');
      break;
    }
    case 'go-functions': {
      const raw = rawControls(o.stdout, '\n\t');
      if (raw.length) p.push(`go-functions: raw ${raw.join(', ')} in text output`);
      const bad = o.stdout.split('\n').find((l) => l !== '' && !/^[0-9a-f]+\t[^\t]*$/.test(l));
      if (bad !== undefined) p.push(`go-functions: line ${JSON.stringify(bad.slice(0, 80))}`);
      if (o.status === 0 && o.stdout === '') p.push('go-functions: status 0 and no functions');
      break;
    }
    case 'disasm': {
      const raw = rawControls(o.stdout, '\n\t');
      if (raw.length) p.push(`disasm: raw ${raw.join(', ')} in text output`);
      const lines = o.stdout.split('\n');
      const bad = lines.find((l) => l !== '' && !/^[0-9a-f]+:\t[\x20-\x7e\t]+$/.test(l));
      if (bad !== undefined) p.push(`disasm: line ${JSON.stringify(bad.slice(0, 80))}`);
      if (lines.length - 1 > DISASM_COUNT) p.push(`disasm: ${lines.length - 1} lines past --count ${DISASM_COUNT}`);
      if (o.status === 0 && o.stdout === '') p.push('disasm: status 0 and no output (it must say why)');
      break;
    }
    case 'link': {
      const lines = o.stdout.split('\n');
      if (lines.length !== 2 || lines[1] !== '' || !lines[0]!.startsWith(`${BASE}#r1.`))
        p.push(`link: output is not one link: ${JSON.stringify(o.stdout.slice(0, 80))}`);
      if (o.reopened) {
        if (o.reopened.status !== 0)
          p.push(`link: report --from-link exited ${o.reopened.status}: ${o.reopened.stderr.trim().slice(0, 200)}`);
        p.push(...stderrProblems(o.reopened.stderr, 'report --from-link'));
        const raw = rawControls(o.reopened.stdout, '\n\t');
        if (raw.length) p.push(`report --from-link: raw ${raw.join(', ')} in text output`);
      }
      break;
    }
  }
  return p;
}

/** Runs `cases` through `jobs` processes at a time; `onOutcome` sees each as it ends. */
export async function runCliCases(
  cases: Iterable<CliCase>,
  opts: { bundle: string; dir: string; jobs: number; timeoutMs: number; onOutcome: (o: CliOutcome) => void },
): Promise<void> {
  const it = cases[Symbol.iterator]();
  const worker = async (slot: number) => {
    for (let n = it.next(); !n.done; n = it.next()) opts.onOutcome(await runCliCase(n.value, opts.bundle, opts.dir, slot, opts.timeoutMs));
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, (_, i) => worker(i)));
}
