// npm run fuzz -- [--cases N] [--seed S] [--files GLOB] [--jobs J] [--json FILE] [--no-write]
// npm run fuzz -- --replay SEED:FILE:CASE [--out FILE]
// npm run fuzz -- --units [--cases N] [--seed S] [--replay SEED:unit/NAME:CASE]
// npm run fuzz -- --cli [--cases N] [--seed S] [--files GLOB] [--jobs J] [--json FILE] [--no-build] [--timeout MS] [--bundle DIR]
//   the command-line mode: mutants run through the built CLI (test/fuzz/cli.ts, cli-run.ts)
//
// Seeded mutation fuzzing of the full analysis (test/fuzz/pipeline.ts) over
// every fixture and, when present, the shared corpus. Cases are spread over
// the files by cost (cheap files get more), interleaved so a run cut short
// still covered every file. Prints cases run, crashes, hangs, memory flags,
// the slowest case and the peak memory; writes each new crash to
// test/regressions/ (corpus-derived inputs are kept out of git: only their
// replay id is recorded, the bytes go to test-results/fuzz/).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  caseId,
  caseInput,
  HANG_FACTOR,
  HANG_MS,
  HANG_MS_PER_MB,
  hangLimit,
  parseCaseId,
  prepare,
  runBytes,
  type CaseOutcome,
} from './core.ts';
import { allInputs, globMatch, inputByKey, readInput, ROOT, type Input } from './files.ts';
import { loadStages } from './pipeline.ts';
import type { FromWorker, ToWorker } from './worker.ts';

const REGRESSIONS = join(ROOT, 'test', 'regressions');
const LOCAL = join(ROOT, 'test-results', 'fuzz');
const BATCH = 200;
const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_URL = new URL('./worker.ts', import.meta.url).href;

interface Options {
  cases: number;
  seed: number;
  files: string[];
  jobs: number;
  json: string | null;
  write: boolean;
  replay: string | null;
  out: string | null;
  quiet: boolean;
  /** With --replay: keep the case as a regression (test/regressions/), with this note of what it found. */
  save: string | null;
  /** The command-line mode (test/fuzz/cli.ts). */
  cli: boolean;
  /** The unit mode (test/fuzz/units.ts): archives, packages and bundles through the unit walker. */
  units: boolean;
  build: boolean;
  timeoutMs: number;
  bundle: string | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    cases: 10_000,
    seed: 1,
    files: [],
    jobs: 1,
    json: null,
    write: true,
    replay: null,
    out: null,
    quiet: false,
    save: null,
    cli: false,
    units: false,
    build: true,
    timeoutMs: 60_000,
    bundle: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--cases') o.cases = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--files') o.files.push(...val().split(','));
    else if (a === '--jobs') o.jobs = Math.max(1, Number(val()));
    else if (a === '--json') o.json = val();
    else if (a === '--no-write') o.write = false;
    else if (a === '--replay') o.replay = val();
    else if (a === '--out') o.out = val();
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--save') o.save = val();
    else if (a === '--cli') o.cli = true;
    else if (a === '--units') o.units = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--timeout') o.timeoutMs = Number(val());
    else if (a === '--bundle') o.bundle = val();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isSafeInteger(o.cases) || o.cases < 0) throw new Error('--cases must be a whole number');
  if (!Number.isSafeInteger(o.seed)) throw new Error('--seed must be a whole number');
  return o;
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

async function replay(o: Options): Promise<number> {
  const { seed, key, index } = parseCaseId(o.replay!);
  const input = inputByKey(key);
  if (!input) {
    process.stderr.write(`no input named ${key} (corpus absent?)\n`);
    return 2;
  }
  const stages = await loadStages();
  const p = await prepare(input.key, readInput(input), stages);
  const c = caseInput(p, seed, index);
  process.stdout.write(
    `case ${caseId(seed, input.key, index)}: ${c.bytes.length} bytes${c.chunked ? ', chunked source' : ''}${c.share ? ', permalink' : ''}\n`,
  );
  for (const s of c.steps) process.stdout.write(`  ${s}\n`);
  if (o.out) {
    writeFileSync(o.out, c.bytes);
    process.stdout.write(`mutant written to ${o.out}\n`);
  }
  const r = await runBytes(input.key, c.bytes, stages, {
    chunked: c.chunked,
    share: c.share,
    id: o.replay!,
    steps: c.steps,
    hangMs: hangLimit(p),
  });
  process.stdout.write(
    `stages: ${Object.entries(r.stageMs)
      .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `${r.ms.toFixed(1)} ms CPU, ${r.wallMs.toFixed(1)} ms wall (hang limit ${hangLimit(p).toFixed(0)} ms CPU), largest allocation ${mb(r.memory.largestAlloc)} ${r.memory.largestWhat}\n`,
  );
  if (o.save) {
    if (input.key.startsWith('corpus/')) {
      process.stderr.write('corpus-derived bytes are never committed: add the case id to test/regressions/corpus-replays.json instead\n');
      return 2;
    }
    const name = `${basename(input.key)}-${createHash('sha256').update(o.replay!).digest('hex').slice(0, 8)}`;
    writeFileSync(join(REGRESSIONS, `${name}.bin`), c.bytes);
    const note = {
      case: o.replay,
      signature: r.crash?.signature ?? null,
      message: r.crash?.message ?? null,
      steps: c.steps,
      chunked: c.chunked,
      found: new Date().toISOString().slice(0, 10),
      file: `${name}.bin`,
      from: input.key,
      why: o.save,
    };
    writeFileSync(join(REGRESSIONS, `${name}.json`), JSON.stringify(note, null, 2) + '\n');
    process.stdout.write(`saved test/regressions/${name}.bin and .json\n`);
  }
  if (r.crash) {
    process.stdout.write(`CRASH ${r.crash.signature}\n${r.crash.stack}\n`);
    return 1;
  }
  process.stdout.write(r.hang ? 'HANG\n' : r.memory.flagged ? 'MEMORY\n' : 'ok\n');
  return r.hang || r.memory.flagged ? 1 : 0;
}

interface Stats {
  cases: number;
  crashes: number;
  hangs: number;
  memory: number;
  killed: number;
  harness: number;
  harnessIds: string[];
  signatures: Map<string, { count: number; first: string; message: string }>;
  hangIds: string[];
  memoryIds: string[];
  slowest: { id: string; ms: number } | null;
  peakRss: number;
  largestAlloc: { bytes: number; what: string; id: string };
  perFile: Map<string, { cases: number; crashes: number; ms: number }>;
  /** Wall milliseconds summed per pipeline stage, over all cases. */
  stageMs: Record<string, number>;
}

function knownSignatures(): Set<string> {
  const out = new Set<string>();
  if (!existsSync(REGRESSIONS)) return out;
  for (const f of readdirSync(REGRESSIONS)) {
    if (!f.endsWith('.json')) continue;
    try {
      const j = JSON.parse(readFileSync(join(REGRESSIONS, f), 'utf8')) as { signature?: string } | { signature?: string }[];
      for (const e of Array.isArray(j) ? j : [j]) if (e.signature) out.add(e.signature);
    } catch {
      // not a regression record
    }
  }
  return out;
}

function record(o: Options, key: string, outcome: CaseOutcome, minimized: Uint8Array, known: Set<string>): string {
  const sig = outcome.crash!.signature;
  if (known.has(sig) || !o.write) return 'known';
  known.add(sig);
  const hash = createHash('sha256').update(sig).digest('hex').slice(0, 8);
  const entry = {
    case: outcome.id,
    signature: sig,
    message: outcome.crash!.message,
    steps: outcome.steps,
    chunked: outcome.chunked,
    found: new Date().toISOString().slice(0, 10),
  };
  if (key.startsWith('corpus/')) {
    // Never commit bytes derived from ../shared: keep them local, record the replay id.
    mkdirSync(LOCAL, { recursive: true });
    writeFileSync(join(LOCAL, `${hash}-${basename(key)}.bin`), minimized);
    const list = join(REGRESSIONS, 'corpus-replays.json');
    const prev = existsSync(list) ? (JSON.parse(readFileSync(list, 'utf8')) as unknown[]) : [];
    writeFileSync(list, JSON.stringify([...prev, entry], null, 2) + '\n');
    return `replay id recorded in test/regressions/corpus-replays.json (bytes in test-results/fuzz/${hash}-${basename(key)}.bin)`;
  }
  mkdirSync(REGRESSIONS, { recursive: true });
  const name = `${basename(key)}-${hash}`;
  writeFileSync(join(REGRESSIONS, `${name}.bin`), minimized);
  writeFileSync(join(REGRESSIONS, `${name}.json`), JSON.stringify({ ...entry, file: `${name}.bin`, from: key }, null, 2) + '\n');
  return `test/regressions/${name}.bin (${minimized.length} bytes)`;
}

/** How many cases each file gets: proportional to 1/(cost + 5 ms), so each file gets about the same CPU time. */
function allocate(total: number, costs: Map<string, number>): Map<string, number> {
  const w = new Map<string, number>();
  let sum = 0;
  for (const [k, ms] of costs) {
    const x = 1 / (ms + 5);
    w.set(k, x);
    sum += x;
  }
  const out = new Map<string, number>();
  let given = 0;
  const keys = [...costs.keys()];
  for (const k of keys) {
    const n = Math.floor((total * w.get(k)!) / sum);
    out.set(k, n);
    given += n;
  }
  for (let i = 0; given < total; i++, given++) out.set(keys[i % keys.length]!, out.get(keys[i % keys.length]!)! + 1);
  return out;
}

class Pool {
  private worker!: Worker;
  private ready!: Promise<string[]>;
  private listener: ((m: FromWorker) => void) | null = null;
  private failure: ((e: Error) => void) | null = null;
  current: { key: string; seed: number; index: number } | null = null;
  readonly preparedKeys = new Set<string>();
  constructor() {
    this.spawn();
  }
  spawn(): void {
    this.preparedKeys.clear();
    this.current = null;
    // Node 20 does not apply tsx's loader to worker threads by itself: the
    // thread registers it, then imports the TypeScript worker.
    const boot = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
    this.worker = new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 3072 } });
    this.ready = new Promise((resolve, reject) => {
      this.failure = reject;
      const first = (m: FromWorker) => {
        if (m.type === 'ready') {
          this.worker.off('message', first);
          this.failure = null;
          resolve(m.missing);
        }
      };
      this.worker.on('message', first);
    });
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'start') this.current = { key: m.key, seed: m.seed, index: m.index };
      this.listener?.(m);
    });
    this.worker.on('error', (e) => this.failure?.(e));
    this.worker.on('exit', (code) => this.failure?.(new Error(`worker exited with code ${code}`)));
  }
  whenReady(): Promise<string[]> {
    return this.ready;
  }
  /** Sends a message and collects replies until `done` says so; rejects on a timeout (no message in `idleMs`) or a dead worker. */
  request(m: ToWorker, onMessage: (m: FromWorker) => boolean, idleMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer = setTimeout(() => fail(new Error('timeout')), idleMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        this.listener = null;
        this.failure = null;
        reject(e);
      };
      this.listener = (msg) => {
        clearTimeout(timer);
        timer = setTimeout(() => fail(new Error('timeout')), idleMs);
        if (onMessage(msg)) {
          clearTimeout(timer);
          this.listener = null;
          this.failure = null;
          resolve();
        }
      };
      this.failure = fail;
      this.worker.postMessage(m);
    });
  }
  async restart(): Promise<void> {
    this.failure = null;
    this.listener = null;
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    this.spawn();
    await this.ready;
  }
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

async function fuzz(o: Options): Promise<number> {
  const t0 = Date.now();
  let inputs: Input[] = allInputs();
  if (o.files.length) inputs = inputs.filter((i) => o.files.some((g) => globMatch(g, i.key)));
  if (inputs.length === 0) {
    process.stderr.write('no input files matched\n');
    return 2;
  }
  const known = knownSignatures();
  const pools = Array.from({ length: Math.min(o.jobs, inputs.length) }, () => new Pool());
  const missing = await pools[0]!.whenReady();
  await Promise.all(pools.map((p) => p.whenReady()));
  const log = (s: string) => {
    if (!o.quiet) process.stdout.write(s + '\n');
  };
  log(`fuzz: seed ${o.seed}, ${inputs.length} files, ${o.cases} cases, ${pools.length} worker${pools.length > 1 ? 's' : ''}`);
  for (const m of missing) log(`  stage not run: ${m}`);
  // Node 20 has no per-thread CPU clock: process.cpuUsage() in a worker counts every thread.
  if (pools.length > 1)
    log("  note: with several workers a case's CPU time includes the others'; for exact hang figures run one worker per process");

  // Baselines: the full analysis of each unmutated file, to spread the cases and scale the hang limit.
  const costs = new Map<string, number>();
  const limits = new Map<string, number>();
  await Promise.all(
    pools.map(async (pool, w) => {
      for (let i = w; i < inputs.length; i += pools.length) {
        const inp = inputs[i]!;
        await pool.request(
          { type: 'prepare', key: inp.key, path: inp.path },
          (m) => {
            if (m.type === 'prepared' && m.key === inp.key) {
              costs.set(inp.key, m.baselineMs);
              limits.set(inp.key, Math.max(HANG_MS, HANG_FACTOR * m.baselineMs, (HANG_MS_PER_MB * m.size) / (1 << 20)));
              pool.preparedKeys.add(inp.key);
              return true;
            }
            return false;
          },
          120_000,
        );
      }
    }),
  );
  const perFileCases = allocate(o.cases, costs);
  const stats: Stats = {
    cases: 0,
    crashes: 0,
    hangs: 0,
    memory: 0,
    killed: 0,
    harness: 0,
    harnessIds: [],
    signatures: new Map(),
    hangIds: [],
    memoryIds: [],
    slowest: null,
    peakRss: 0,
    largestAlloc: { bytes: 0, what: '', id: '' },
    perFile: new Map(),
    stageMs: {},
  };

  // Work items: batches of case indices per file, interleaved across files.
  const queues = inputs.map((i) => ({ key: i.key, path: i.path, next: 0, total: perFileCases.get(i.key) ?? 0 }));
  const work: { key: string; path: string; indices: number[] }[] = [];
  for (let more = true; more;) {
    more = false;
    for (const q of queues) {
      if (q.next >= q.total) continue;
      const n = Math.min(BATCH, q.total - q.next);
      work.push({ key: q.key, path: q.path, indices: Array.from({ length: n }, (_, k) => q.next + k) });
      q.next += n;
      more = true;
    }
  }

  let lastPrint = Date.now();
  const progress = () => {
    if (Date.now() - lastPrint < 10_000) return;
    lastPrint = Date.now();
    const rate = stats.cases / ((Date.now() - t0) / 1000);
    log(
      `  ${stats.cases}/${o.cases} cases, ${stats.crashes} crashes (${stats.signatures.size} distinct), ${stats.hangs} hangs, ${stats.memory} memory, ${rate.toFixed(0)} cases/s`,
    );
  };

  const onOutcome = (key: string, out: CaseOutcome, minimized?: Uint8Array) => {
    stats.cases++;
    const pf = stats.perFile.get(key) ?? { cases: 0, crashes: 0, ms: 0 };
    pf.cases++;
    pf.ms += out.ms;
    stats.perFile.set(key, pf);
    if (!stats.slowest || out.ms > stats.slowest.ms) stats.slowest = { id: out.id, ms: out.ms };
    for (const [k, v] of Object.entries(out.stageMs)) stats.stageMs[k] = (stats.stageMs[k] ?? 0) + v;
    stats.peakRss = Math.max(stats.peakRss, out.memory.rss);
    if (out.memory.largestAlloc > stats.largestAlloc.bytes)
      stats.largestAlloc = { bytes: out.memory.largestAlloc, what: out.memory.largestWhat, id: out.id };
    if (out.hang) {
      stats.hangs++;
      const top = Object.entries(out.stageMs).sort((a, b) => b[1] - a[1])[0];
      const line = `${out.id} (${out.ms.toFixed(0)} ms CPU${top ? `, ${top[0]} ${top[1].toFixed(0)} ms` : ''})`;
      if (stats.hangIds.length < 50) {
        stats.hangIds.push(line);
        log(`  HANG ${line}`);
      }
    }
    if (out.memory.flagged) {
      stats.memory++;
      const line = `${out.id} (largest allocation ${mb(out.memory.largestAlloc)} ${out.memory.largestWhat}; heap growth ${mb(out.memory.heapGrowth)})`;
      if (stats.memoryIds.length < 50) {
        stats.memoryIds.push(line);
        log(`  MEMORY ${line}`);
      }
    }
    if (out.crash) {
      stats.crashes++;
      pf.crashes++;
      const s = stats.signatures.get(out.crash.signature);
      if (s) s.count++;
      else {
        stats.signatures.set(out.crash.signature, { count: 1, first: out.id, message: out.crash.message });
        const where = minimized ? record(o, key, out, minimized, known) : 'not minimized';
        log(`  CRASH ${out.id}\n    ${out.crash.message.split('\n')[0]}\n    at ${out.crash.signature}\n    ${where}`);
      }
    }
    progress();
  };

  let cursor = 0;
  await Promise.all(
    pools.map(async (pool) => {
      for (;;) {
        const item = work[cursor++];
        if (!item) return;
        let remaining = item.indices;
        while (remaining.length > 0) {
          if (!pool.preparedKeys.has(item.key)) {
            await pool.request(
              { type: 'prepare', key: item.key, path: item.path },
              (m) => m.type === 'prepared' && m.key === item.key,
              120_000,
            );
            pool.preparedKeys.add(item.key);
          }
          const done = new Set<number>();
          const idle = Math.max(30_000, 10 * (limits.get(item.key) ?? 1000));
          try {
            await pool.request(
              { type: 'cases', key: item.key, seed: o.seed, indices: remaining, minimizeNew: true },
              (m) => {
                if (m.type === 'outcome' && m.key === item.key) {
                  done.add(Number(m.outcome.id.slice(m.outcome.id.lastIndexOf(':') + 1)));
                  onOutcome(item.key, m.outcome, m.minimized);
                }
                return m.type === 'batch-done' && m.key === item.key;
              },
              idle,
            );
            remaining = [];
          } catch (e) {
            // The case in flight never finished (an endless loop) or took the worker down (heap exhausted).
            const cur = pool.current;
            const id = cur ? caseId(cur.seed, cur.key, cur.index) : `${o.seed}:${item.key}:?`;
            stats.cases++;
            stats.killed++;
            const why = (e as Error).message;
            if (why === 'timeout') {
              stats.hangs++;
              stats.hangIds.push(`${id} (killed after ${idle} ms)`);
            } else if (/out of memory|ERR_WORKER_OUT_OF_MEMORY|heap/i.test(why)) {
              stats.memory++;
              stats.memoryIds.push(`${id} (${why})`);
            } else {
              // The harness itself failed (mutation or reporting code): not a finding about binlens, but the run is not clean either.
              stats.harness++;
              stats.harnessIds.push(`${id} (${why})`);
            }
            log(`  KILLED ${id}: ${why}`);
            remaining = remaining.filter((i) => !done.has(i) && i !== cur?.index);
            await pool.restart();
          }
        }
      }
    }),
  );
  await Promise.all(pools.map((p) => p.close()));

  const secs = (Date.now() - t0) / 1000;
  const lines = [
    `cases run:   ${stats.cases} in ${secs.toFixed(0)} s (${(stats.cases / secs).toFixed(0)} cases/s)`,
    `crashes:     ${stats.crashes} (${stats.signatures.size} distinct)`,
    ...[...stats.signatures].map(([sig, s]) => `  ${s.count} x ${sig}\n      first ${s.first}: ${s.message.split('\n')[0]}`),
    `hangs:       ${stats.hangs}${stats.hangIds.length ? '\n  ' + stats.hangIds.join('\n  ') : ''}`,
    `memory:      ${stats.memory} flagged${stats.memoryIds.length ? '\n  ' + stats.memoryIds.join('\n  ') : ''}`,
    ...(stats.harness ? [`HARNESS ERRORS: ${stats.harness}\n  ${stats.harnessIds.join('\n  ')}`] : []),
    `slowest:     ${stats.slowest ? `${stats.slowest.id} ${stats.slowest.ms.toFixed(0)} ms` : '-'}`,
    `peak memory: ${mb(stats.peakRss)} RSS; largest single allocation ${mb(stats.largestAlloc.bytes)} (${stats.largestAlloc.what || '-'}${stats.largestAlloc.id ? ' in ' + stats.largestAlloc.id : ''})`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json) {
    writeFileSync(
      o.json,
      JSON.stringify(
        {
          seed: o.seed,
          files: inputs.length,
          requested: o.cases,
          cases: stats.cases,
          seconds: secs,
          crashes: stats.crashes,
          signatures: Object.fromEntries(stats.signatures),
          hangs: stats.hangs,
          hangIds: stats.hangIds,
          memory: stats.memory,
          memoryIds: stats.memoryIds,
          killed: stats.killed,
          harness: stats.harness,
          harnessIds: stats.harnessIds,
          slowest: stats.slowest,
          peakRss: stats.peakRss,
          largestAlloc: stats.largestAlloc,
          perFile: Object.fromEntries(stats.perFile),
          stageMs: stats.stageMs,
          baselines: Object.fromEntries(costs),
          missing,
        },
        null,
        2,
      ) + '\n',
    );
  }
  return stats.crashes || stats.hangs || stats.memory || stats.harness ? 1 : 0;
}

/** The unit mode, in this process: `cases` spread over the unit seeds, or one case replayed with its steps. */
async function unitFuzz(o: Options): Promise<number> {
  const { runUnitCase, unitSeeds } = await import('./units.ts');
  const seeds = await unitSeeds();
  const wanted = o.replay ? parseCaseId(o.replay) : null;
  let failed = 0;
  let slowest = { ms: 0, id: '' };
  const t0 = performance.now();
  for (const [name, bytes] of seeds) {
    if (wanted && wanted.key !== `unit/${name}`) continue;
    const per = Math.ceil(o.cases / seeds.length);
    for (let i = wanted ? wanted.index : 0; i < (wanted ? wanted.index + 1 : per); i++) {
      const c = await runUnitCase(name, bytes, wanted?.seed ?? o.seed, i);
      if (c.ms > slowest.ms) slowest = { ms: c.ms, id: c.id };
      const problem = c.crash
        ? `crash: ${c.crash}`
        : c.ms > 4000
          ? `hang: ${c.ms.toFixed(0)} ms CPU`
          : c.memory.flagged
            ? `memory: ${c.memory.largestAlloc} bytes (${c.memory.largestWhat}), heap +${c.memory.heapGrowth}`
            : null;
      if (problem || wanted) console.log(`${c.id}: ${problem ?? 'ok'} (${c.ms.toFixed(0)} ms CPU)\n  ${c.steps.join('\n  ')}`);
      if (problem) failed++;
    }
  }
  console.log(
    `units: ${failed} failing; slowest ${slowest.id} ${slowest.ms.toFixed(0)} ms CPU; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return failed ? 1 : 0;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.units) process.exitCode = await unitFuzz(opts);
else if (opts.cli) {
  const { cliFuzz, cliReplay } = await import('./cli-run.ts');
  // The processes run side by side: two at a time unless told (the machine has two cores).
  const cli = { ...opts, jobs: process.argv.includes('--jobs') ? opts.jobs : 2 };
  process.exitCode = await (opts.replay ? cliReplay(cli) : cliFuzz(cli));
} else process.exitCode = await (opts.replay ? replay(opts) : fuzz(opts));
