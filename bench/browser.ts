// The page in Chromium against the CLI on the same files in the same run:
// time from the drop (the file input's change event) to the verdict and to
// the whole report, measured inside the page with the marks src/ui/common/marks.ts
// sets, the long tasks the page saw meanwhile, folder throughput with the
// renderer's peak memory, and reopening a report from the history.
//
// Every run starts a new browser (a fresh page: nothing compiled or cached
// from an earlier run) and waits until the page is idle (its `binlens:ready`
// mark and its service worker ready, at most 5 s each) before it picks the
// file, as a person would. Each figure
// is the median of `runs` runs. With `--trace`, one more run per case records
// a Chromium trace (.cache/bench/trace-NAME.json) and prints where the time
// went on each thread (bench/trace.ts).
//
// The unit-image case drops a docker-save image made here (unitImage: the
// parameters in UNIT_IMAGE, recorded beside it) and reads the renderer's peak
// memory against #15's goal.
//
//   npx tsx bench/browser.ts [--runs N] [--trace] [--only NAME,...]
//   (npm run bench builds the app and calls benchBrowser())

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  lstatSync,
  realpathSync,
  renameSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { biomeBinary } from './arm64.ts';
import { CLI, ensureCliBundle } from './report.ts';
import { formatBusyLine, formatTraceSummary, summarizeTrace } from './trace.ts';

const ROOT = resolve(import.meta.dirname ?? '.', '..');
const CACHE = join(ROOT, '.cache', 'bench');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the issue (#18) asks of the page; printed beside each figure. */
export const GOALS = {
  smallVerdictMs: 60,
  largeVerdictMs: 500,
  largeReportMs: 1000,
  longTaskMs: 100,
  folderFilesPerSecond: 1000,
  folderPeakBytes: 400 * 1024 * 1024,
  reopenMs: 100,
  hugeVerdictMs: 2000,
  hugeReportMs: 15000,
  /** #15: a 1 GB image with 20,000 files answered with peak memory under 512 MB. */
  unitPeakBytes: 512 * 1024 * 1024,
} as const;

export interface Run {
  /** drop (or reopen) → binlens:verdict (a unit: binlens:unit), ms. */
  verdictMs: number | null;
  /** drop → binlens:report (or binlens:folder), ms. */
  doneMs: number | null;
  longTasks: number;
  longestTaskMs: number;
  /** Peak resident memory of the page's renderer process (page and worker), bytes. */
  peakBytes: number;
  /** CPU time of the page's renderer (page and workers) and of the whole browser from the pick to the end mark, ms. */
  rendererCpuMs?: number;
  browserCpuMs?: number;
  /** Progress updates seen while it worked (the progress bar's value changes). */
  progressSteps: number;
  error?: string;
}

export interface Case {
  name: string;
  what: string;
  kind: 'file' | 'folder' | 'reopen' | 'unit';
  files: string[];
  bytes: number;
  runs: Run[];
  /** The CLI's whole process on the same files (`binlens report … --json`), median ms. */
  cliMs: number | null;
  trace?: string;
}

export interface BrowserBench {
  chromium: string;
  loadAverage: [number, number];
  cases: Case[];
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

/** `vite preview` of dist/ on a free port (not 5173: the e2e tests may be using it). */
async function preview(): Promise<{ url: string; stop: () => void }> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is missing: run npm run build first');
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop: () => child.kill() };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('vite preview did not start');
}

/** Peak resident memory (VmHWM) of the browser's renderer processes: the page and its workers live there. */
async function rendererPeak(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  let peak = 0;
  for (const p of processInfo) {
    if (p.type !== 'renderer') continue;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // gone
    }
  }
  return peak;
}

/** CPU time so far of the browser's processes (Chromium's SystemInfo.getProcessInfo), ms: the renderers' and all. */
async function cpuTimes(browser: Browser): Promise<{ renderer: number; all: number }> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
  await cdp.detach();
  let renderer = 0;
  let all = 0;
  for (const p of processInfo) {
    all += p.cpuTime * 1000;
    if (p.type === 'renderer') renderer += p.cpuTime * 1000;
  }
  return { renderer, all };
}

/** Before any page script: collect long tasks and count progress-bar changes. */
function instrument(): void {
  const w = window as unknown as { __long: { start: number; duration: number }[]; __progress: number };
  w.__long = [];
  w.__progress = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let last = -1;
  new MutationObserver(() => {
    const bar = document.querySelector('progress');
    if (bar && bar.value !== last) {
      last = bar.value;
      w.__progress++;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
}

async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

async function newContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
  await context.addInitScript(instrument);
  return context;
}

/**
 * Opens the start page and waits until it is idle: the worker warm
 * (binlens:ready), the service worker installed (its precache fetched and its
 * scripts compiled: a first visit's idle-time work, which otherwise ran on
 * the second core while the file was analyzed) and half a second more.
 */
async function idlePage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForFunction(() => performance.getEntriesByName('binlens:ready').length > 0, null, { timeout: 5000 }).catch(() => {});
  await page.evaluate(() => Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 5000))])).catch(() => {});
  await page.waitForTimeout(500);
  return page;
}

async function marks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    // The first of each after the start: a later verdict (a target change) is not the one measured.
    for (const m of performance.getEntriesByType('mark')) if (!(m.name in out)) out[m.name] = m.startTime;
    return out;
  });
}

async function collect(page: Page, start: string, verdict: string | null, done: string): Promise<Run> {
  const m = await marks(page);
  const t0 = m[`binlens:${start}`] ?? NaN;
  const end = m[`binlens:${done}`] ?? NaN;
  const { long, progress } = await page.evaluate(() => {
    const w = window as unknown as { __long: { start: number; duration: number }[]; __progress: number };
    return { long: w.__long, progress: w.__progress };
  });
  const during = long.filter((l) => l.start + l.duration >= t0 && l.start <= end);
  return {
    verdictMs: verdict && m[`binlens:${verdict}`] !== undefined ? m[`binlens:${verdict}`]! - t0 : null,
    doneMs: Number.isFinite(end) ? end - t0 : null,
    longTasks: during.length,
    longestTaskMs: Math.max(0, ...during.map((l) => l.duration)),
    peakBytes: 0,
    progressSteps: progress,
  };
}

const waitMark = (page: Page, name: string, timeout: number) =>
  page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, `binlens:${name}`, { timeout, polling: 50 });

/** One file (or many, as a folder) picked on a fresh page; optional trace of the run. */
async function runPick(url: string, c: Case, timeout: number, tracePath: string | null): Promise<Run> {
  const browser = await launch();
  try {
    const context = await newContext(browser, url);
    const page = await idlePage(context);
    if (tracePath) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const done = c.kind === 'folder' ? 'folder' : c.kind === 'unit' ? 'unit' : 'report';
    const cpu0 = await cpuTimes(browser);
    await page.getByTestId('pick-files').setInputFiles(c.files);
    await waitMark(page, done, timeout);
    const cpu1 = await cpuTimes(browser);
    if (tracePath) writeFileSync(tracePath, await browser.stopTracing());
    const run = await collect(page, 'drop', c.kind === 'folder' ? null : c.kind === 'unit' ? 'unit' : 'verdict', done);
    run.peakBytes = await rendererPeak(browser);
    run.rendererCpuMs = cpu1.renderer - cpu0.renderer;
    run.browserCpuMs = cpu1.all - cpu0.all;
    await context.close();
    return run;
  } finally {
    await browser.close();
  }
}

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'toplevel',
  'v8',
  'v8.execute',
  'v8.wasm',
  'disabled-by-default-v8.cpu_profiler',
];

/** ELF files (not links) of the system folders, in name order, at most `limit`. */
export function elfFiles(limit: number): string[] {
  const lib = existsSync('/usr/lib')
    ? readdirSync('/usr/lib')
        .filter((d) => d.endsWith('-linux-gnu'))
        .map((d) => `/usr/lib/${d}`)
    : [];
  const out: string[] = [];
  const head = Buffer.alloc(4);
  for (const dir of ['/usr/bin', '/usr/sbin', ...lib]) {
    if (!existsSync(dir)) continue;
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      try {
        const st = lstatSync(p);
        if (!st.isFile() || st.size < 64) continue;
        const fd = openSync(p, 'r');
        const got = readSync(fd, head, 0, 4, 0);
        closeSync(fd);
        if (got === 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) out.push(p);
      } catch {
        continue; // unreadable
      }
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** A 2 GB file that starts with a small arm64 ELF and is zeros after it, sparse on disk (as e2e/huge.spec.ts makes it). */
export function hugeFile(): string {
  const path = join(CACHE, 'huge-2g.elf');
  const size = 2 * 1024 * 1024 * 1024;
  if (existsSync(path) && statSync(path).size === size) return path;
  mkdirSync(CACHE, { recursive: true });
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, readFileSync(join(ROOT, 'e2e', 'fixtures', 'gcc-aarch64-linux-hello')));
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** What the unit-image case is made of; the image is made again when these change. */
export const UNIT_IMAGE = {
  /** x86_64 ELF files from /usr/bin (regular files, in name order), with libc.so.6 and ld-linux-x86-64.so.2. */
  elfFiles: 194,
  /** Other files, of equal size, this many bytes in all. */
  fillerFiles: 20_000,
  fillerBytes: 1024 ** 3,
} as const;

const enc = new TextEncoder();

/** A ustar header (names under 100 bytes). */
function tarHeader(name: string, size: number, type: '0' | '2' | '5', linkname = '', mode = 0o755): Buffer {
  const h = Buffer.alloc(512);
  const field = (at: number, width: number, v: number) => h.write(v.toString(8).padStart(width - 1, '0') + '\0', at, 'latin1');
  h.write(name, 0, 100, 'utf8');
  field(100, 8, mode);
  field(108, 8, 0);
  field(116, 8, 0);
  field(124, 12, size);
  field(136, 12, 0);
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\x0000', 257, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

/** x86_64 ELF files of /usr/bin, regular files only, in name order. */
function x86ElfPrograms(limit: number): string[] {
  const out: string[] = [];
  const head = Buffer.alloc(20);
  for (const n of existsSync('/usr/bin') ? readdirSync('/usr/bin').sort() : []) {
    const p = join('/usr/bin', n);
    try {
      if (!lstatSync(p).isFile() || enc.encode(`usr/bin/${n}`).length >= 100) continue;
      const fd = openSync(p, 'r');
      const got = readSync(fd, head, 0, 20, 0);
      closeSync(fd);
      if (got === 20 && head.readUInt32BE(0) === 0x7f454c46 && head[4] === 2 && head[5] === 1 && head.readUInt16LE(18) === 0x3e)
        out.push(p);
    } catch {
      continue;
    }
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * A `docker save` tarball like #15's 1 GB image (manifest.json, the config
 * with architecture amd64 and os linux, one layer): the first
 * UNIT_IMAGE.elfFiles x86_64 ELF files of /usr/bin, this machine's libc.so.6
 * and ld-linux-x86-64.so.2 under /lib/x86_64-linux-gnu with the /lib64 link,
 * and UNIT_IMAGE.fillerFiles other files of UNIT_IMAGE.fillerBytes in all.
 * Made in .cache/bench with its parameters and file list beside it
 * (unit-image.json), and made again when those change; null on a machine
 * without x86_64 glibc.
 */
export function unitImage(): { path: string; elf: number; files: number } | null {
  const lib = '/lib/x86_64-linux-gnu';
  const libs = ['libc.so.6', 'ld-linux-x86-64.so.2'];
  if (!libs.every((l) => existsSync(join(lib, l)))) return null;
  const elf = x86ElfPrograms(UNIT_IMAGE.elfFiles);
  const path = join(CACHE, 'unit-image.tar');
  const recorded = join(CACHE, 'unit-image.json');
  const params = JSON.stringify(
    { ...UNIT_IMAGE, elf: elf.map((p) => [p, statSync(p).size]), libs: libs.map((l) => realpathSync(join(lib, l))) },
    null,
    1,
  );
  const files = elf.length + libs.length + UNIT_IMAGE.fillerFiles;
  if (existsSync(path) && existsSync(recorded) && readFileSync(recorded, 'utf8') === params) return { path, elf: elf.length, files };
  mkdirSync(CACHE, { recursive: true });
  const layerPath = `${path}.layer`;
  const fd = openSync(layerPath, 'w');
  const hash = createHash('sha256');
  const put = (b: Buffer | Uint8Array) => {
    writeSync(fd, b);
    hash.update(b);
  };
  const pad = (n: number) => n % 512 && put(Buffer.alloc(512 - (n % 512)));
  const file = (name: string, bytes: Uint8Array, mode = 0o755) => {
    put(tarHeader(name, bytes.length, '0', '', mode));
    put(bytes);
    pad(bytes.length);
  };
  try {
    for (const d of ['usr/', 'usr/bin/', 'lib/', `lib/x86_64-linux-gnu/`, 'lib64/', 'filler/']) put(tarHeader(d, 0, '5'));
    for (const p of elf) file(p.slice(1), readFileSync(p));
    for (const l of libs) file(`lib/x86_64-linux-gnu/${l}`, readFileSync(realpathSync(join(lib, l))));
    put(tarHeader('lib64/ld-linux-x86-64.so.2', 0, '2', `${lib}/ld-linux-x86-64.so.2`, 0o777));
    const each = Math.floor(UNIT_IMAGE.fillerBytes / UNIT_IMAGE.fillerFiles);
    const filler = Buffer.alloc(each);
    for (let i = 0; i < each; i++) filler[i] = (i * 131) & 0xff;
    for (let i = 0; i < UNIT_IMAGE.fillerFiles; i++) {
      const dir = `filler/d${String(Math.floor(i / 1000)).padStart(2, '0')}/`;
      if (i % 1000 === 0) put(tarHeader(dir, 0, '5'));
      file(`${dir}f${String(i).padStart(5, '0')}.dat`, filler, 0o644);
    }
    put(Buffer.alloc(1024));
  } finally {
    closeSync(fd);
  }
  const layerId = hash.digest('hex');
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: [elf[0] ?? '/usr/bin/true'], Env: ['PATH=/usr/bin:/bin'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerId}`] },
    }),
  );
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  const manifest = Buffer.from(
    JSON.stringify([{ Config: configName, RepoTags: ['binlens-bench:unit'], Layers: [`${layerId}/layer.tar`] }]),
  );
  const out = openSync(`${path}.tmp`, 'w');
  try {
    const entry = (name: string, bytes: Buffer, mode = 0o644) => {
      writeSync(out, tarHeader(name, bytes.length, '0', '', mode));
      writeSync(out, bytes);
      if (bytes.length % 512) writeSync(out, Buffer.alloc(512 - (bytes.length % 512)));
    };
    entry(configName, config);
    const layerSize = statSync(layerPath).size;
    writeSync(out, tarHeader(`${layerId}/layer.tar`, layerSize, '0', '', 0o644));
    const buf = Buffer.alloc(8 << 20);
    const inFd = openSync(layerPath, 'r');
    try {
      for (let at = 0; at < layerSize;) {
        const n = readSync(inFd, buf, 0, buf.length, at);
        writeSync(out, buf, 0, n);
        at += n;
      }
    } finally {
      closeSync(inFd);
    }
    if (layerSize % 512) writeSync(out, Buffer.alloc(512 - (layerSize % 512)));
    entry('manifest.json', manifest);
    writeSync(out, Buffer.alloc(1024));
  } finally {
    closeSync(out);
  }
  renameSync(`${path}.tmp`, path);
  writeFileSync(recorded, params);
  spawnSync('rm', ['-f', layerPath]);
  return { path, elf: elf.length, files };
}

function cliMs(files: string[], runs: number): number | null {
  ensureCliBundle();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'report', ...files, '--json'], { stdio: ['ignore', 'ignore', 'ignore'] });
    if (r.status !== 0 && r.status !== 2) return null;
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Reopening a saved report: analyze once in a context, then each run opens a fresh page there and clicks it in the history. */
async function runReopen(url: string, c: Case, runs: number, tracePath: string | null): Promise<Run[]> {
  const browser = await launch();
  const out: Run[] = [];
  try {
    const context = await newContext(browser, url);
    const first = await idlePage(context);
    await first.getByTestId('pick-files').setInputFiles(c.files);
    await waitMark(first, 'report', 120_000);
    await first.close();
    for (let i = 0; i < runs + (tracePath ? 1 : 0); i++) {
      const page = await idlePage(context);
      const item = page
        .getByTestId('history-item')
        .filter({ hasText: basename(c.files[0]!) })
        .getByRole('button')
        .first();
      await item.waitFor({ timeout: 10_000 });
      const tracing = tracePath !== null && i === runs;
      if (tracing) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      await item.click();
      await waitMark(page, 'verdict', 30_000);
      await page.waitForTimeout(100);
      if (tracing) writeFileSync(tracePath, await browser.stopTracing());
      else out.push(await collect(page, 'reopen', 'verdict', 'verdict'));
      await page.close();
    }
    await context.close();
  } finally {
    await browser.close();
  }
  return out;
}

export interface BrowserBenchOptions {
  runs?: number;
  trace?: boolean;
  only?: string[];
  log?: (line: string) => void;
}

export async function benchBrowser(opts: BrowserBenchOptions = {}): Promise<BrowserBench> {
  const runs = opts.runs ?? 5;
  const log = opts.log ?? ((l: string) => console.error(l));
  const load0 = loadavg()[0]!;
  const small = join(ROOT, 'fixtures', 'verdict', 'bin', 'go-arm64-linux-cgo-dynamic');
  const corpusSmall = join(ROOT, '..', 'shared', 'corpus', 'bin', 'built-c-aarch64-static');
  const biome = biomeBinary();
  const size = (fs: string[]) => fs.reduce((n, f) => n + statSync(f).size, 0);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const cases: Case[] = [];
  const add = (name: string, what: string, kind: Case['kind'], files: string[]) => {
    if (opts.only && !opts.only.includes(name)) return;
    cases.push({ name, what, kind, files, bytes: size(files), runs: [], cliMs: null });
  };
  add('small', `${basename(small)} (${mb(statSync(small).size)})`, 'file', [small]);
  if (existsSync(corpusSmall))
    add('small-static', `${basename(corpusSmall)} (${mb(statSync(corpusSmall).size)}, corpus)`, 'file', [corpusSmall]);
  if (biome) add('biome', `Biome's arm64 executable (${mb(statSync(biome).size)})`, 'file', [biome]);
  const folder = elfFiles(1000);
  if (folder.length)
    add('folder', `${folder.length} ELF files from /usr/bin, /usr/sbin, /usr/lib/*-linux-gnu (${mb(size(folder))})`, 'folder', folder);
  if (biome) add('reopen-biome', `reopening Biome's report from the history`, 'reopen', [biome]);
  add('reopen-small', `reopening ${basename(small)}'s report from the history`, 'reopen', [small]);
  if (!opts.only || opts.only.includes('huge')) {
    const huge = hugeFile();
    add('huge', '2 GB file (an arm64 ELF, then zeros; sparse on disk)', 'file', [huge]);
  }
  if (!opts.only || opts.only.includes('unit-image')) {
    const img = unitImage();
    if (img)
      add(
        'unit-image',
        `docker save image: ${img.elf} x86_64 ELF files from /usr/bin with libc.so.6 and its loader, ${img.files} files in all (${mb(statSync(img.path).size)})`,
        'unit',
        [img.path],
      );
  }

  const server = await preview();
  const version = (spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout ?? '').trim();
  try {
    for (const c of cases) {
      const tracePath = opts.trace ? join(CACHE, `trace-${c.name}.json`) : null;
      const timeout = c.name === 'huge' ? 600_000 : c.kind === 'folder' || c.kind === 'unit' ? 300_000 : 120_000;
      if (c.kind === 'reopen') {
        log(`browser: ${c.name} (${runs} runs)`);
        c.runs = await runReopen(server.url, c, runs, tracePath);
      } else {
        for (let i = 0; i < runs; i++) {
          log(`browser: ${c.name} run ${i + 1}/${runs}`);
          try {
            c.runs.push(await runPick(server.url, c, timeout, null));
          } catch (e) {
            c.runs.push({
              verdictMs: null,
              doneMs: null,
              longTasks: 0,
              longestTaskMs: 0,
              peakBytes: 0,
              progressSteps: 0,
              error: e instanceof Error ? e.message.split('\n')[0] : String(e),
            });
          }
        }
        if (tracePath) {
          log(`browser: ${c.name} traced run`);
          await runPick(server.url, c, timeout, tracePath).catch(() => null);
        }
        log(`cli: ${c.name}`);
        c.cliMs = cliMs(c.files, c.kind === 'folder' || c.kind === 'unit' || c.name === 'huge' ? 3 : runs);
      }
      if (tracePath && existsSync(tracePath)) c.trace = tracePath;
    }
  } finally {
    server.stop();
  }
  return { chromium: version, loadAverage: [load0, loadavg()[0]!], cases };
}

/** The lowest and highest peak of the runs, in MB. */
const peaks = (runs: Run[]) => {
  const s = runs.map((r) => r.peakBytes / 1048576).sort((a, b) => a - b);
  return s.length > 1 ? ` [${s[0]!.toFixed(0)}–${s[s.length - 1]!.toFixed(0)} MB]` : '';
};
const ms = (n: number | null) => (n === null ? '—' : n >= 10000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(0)} ms`);
const ok = (n: number | null, goal: number, above = false) => (n === null ? '' : (above ? n >= goal : n <= goal) ? ' ✓' : ' ✗');

export function formatBrowserBench(b: BrowserBench): string {
  const lines = [
    `Browser: ${b.chromium}, headless; a new browser and an idle page per run; medians of ${Math.max(0, ...b.cases.map((c) => c.runs.length))} (load average ${b.loadAverage[0].toFixed(1)} → ${b.loadAverage[1].toFixed(1)})`,
  ];
  for (const c of b.cases) {
    const ok_ = c.runs.filter((r) => !r.error);
    const v = median(ok_.flatMap((r) => (r.verdictMs === null ? [] : [r.verdictMs])));
    const d = median(ok_.flatMap((r) => (r.doneMs === null ? [] : [r.doneMs])));
    const longest = median(ok_.map((r) => r.longestTaskMs));
    const longCount = median(ok_.map((r) => r.longTasks));
    const errors = c.runs.length - ok_.length;
    const fail = errors ? `  (${errors} run${errors === 1 ? '' : 's'} failed: ${c.runs.find((r) => r.error)?.error})` : '';
    const spread = (xs: (number | null)[]) => {
      const s = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
      return s.length > 1 ? ` [${ms(s[0]!)}–${ms(s[s.length - 1]!)}]` : '';
    };
    const cli = c.cliMs === null ? '' : `; CLI process ${ms(c.cliMs)}`;
    const rCpu = median(ok_.flatMap((r) => (r.rendererCpuMs === undefined ? [] : [r.rendererCpuMs])));
    const bCpu = median(ok_.flatMap((r) => (r.browserCpuMs === undefined ? [] : [r.browserCpuMs])));
    const cpu =
      rCpu === null || bCpu === null ? '' : `; CPU time to the end: renderer (page and workers) ${ms(rCpu)}, all of Chromium ${ms(bCpu)}`;
    if (c.kind === 'folder') {
      const perS = d === null ? null : (c.files.length / d) * 1000;
      const peak = median(ok_.map((r) => r.peakBytes));
      const cliRate = c.cliMs === null ? '' : ` (CLI process ${ms(c.cliMs)}, ${((c.files.length / c.cliMs) * 1000).toFixed(0)} files/s)`;
      lines.push(
        `  ${c.name}: ${c.what}`,
        `    whole table ${ms(d)}${spread(ok_.map((r) => r.doneMs))}: ${perS === null ? '—' : perS.toFixed(0)} files/s${ok(perS, GOALS.folderFilesPerSecond, true)} (goal ≥ ${GOALS.folderFilesPerSecond})${cliRate}`,
        `    peak renderer memory ${peak === null ? '—' : (peak / 1048576).toFixed(0)} MB${ok(peak, GOALS.folderPeakBytes)} (goal < ${GOALS.folderPeakBytes / 1048576} MB); long tasks ${longCount ?? '—'}, longest ${ms(longest)}${cpu}${fail}`,
      );
      if (c.trace) lines.push(formatTraceSummary(summarizeTrace(readFileSync(c.trace, 'utf8'), 8, join(ROOT, 'dist', 'assets')), '    '));
      continue;
    }
    if (c.kind === 'unit') {
      const peak = median(ok_.map((r) => r.peakBytes));
      lines.push(
        `  ${c.name}: ${c.what}`,
        `    unit verdict on screen ${ms(v)}${spread(ok_.map((r) => r.verdictMs))}${cli}; progress updates ${median(ok_.map((r) => r.progressSteps)) ?? '—'}`,
        `    peak renderer memory ${peak === null ? '—' : (peak / 1048576).toFixed(0)} MB${ok(peak, GOALS.unitPeakBytes)} (goal < ${GOALS.unitPeakBytes / 1048576} MB)${peaks(ok_)}; long tasks ${longCount ?? '—'}, longest ${ms(longest)}${cpu}${fail}`,
      );
      if (c.trace) lines.push(formatTraceSummary(summarizeTrace(readFileSync(c.trace, 'utf8'), 8, join(ROOT, 'dist', 'assets')), '    '));
      continue;
    }
    const goalV =
      c.kind === 'reopen'
        ? GOALS.reopenMs
        : c.name === 'huge'
          ? GOALS.hugeVerdictMs
          : c.name === 'biome'
            ? GOALS.largeVerdictMs
            : GOALS.smallVerdictMs;
    const goalD = c.name === 'huge' ? GOALS.hugeReportMs : c.name === 'biome' ? GOALS.largeReportMs : null;
    lines.push(`  ${c.name}: ${c.what}`);
    const whole =
      c.kind === 'reopen'
        ? ''
        : `, whole report ${ms(d)}${spread(ok_.map((r) => r.doneMs))}${goalD === null ? '' : `${ok(d, goalD)} (goal ≤ ${ms(goalD)})`}`;
    lines.push(`    verdict ${ms(v)}${spread(ok_.map((r) => r.verdictMs))}${ok(v, goalV)} (goal ≤ ${ms(goalV)})${whole}${cli}`);
    const progress = c.name === 'huge' ? `; progress updates ${median(ok_.map((r) => r.progressSteps)) ?? '—'}` : '';
    lines.push(
      `    long tasks ${longCount ?? '—'}, longest ${ms(longest)}${c.name === 'biome' ? ok(longest, GOALS.longTaskMs) + ` (goal ≤ ${GOALS.longTaskMs} ms)` : ''}${progress}${cpu}${fail}`,
    );
    if (c.trace) {
      const json = readFileSync(c.trace, 'utf8');
      const toVerdict = summarizeTrace(json, 0, null, 'binlens:verdict');
      if (toVerdict.marks.length)
        lines.push(`    to the verdict (${toVerdict.windowMs.toFixed(0)} ms in the trace): ${formatBusyLine(toVerdict)}`);
      lines.push(formatTraceSummary(summarizeTrace(json, 8, join(ROOT, 'dist', 'assets')), '    '));
    }
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const at = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  benchBrowser({ runs: Number(at('--runs') ?? 5), trace: args.includes('--trace'), only: at('--only')?.split(',') }).then(
    (r) => console.log(formatBrowserBench(r)),
    (e: unknown) => {
      console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
