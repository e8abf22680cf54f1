// Where the time went in a Chromium trace of one run (bench/browser.ts
// --trace): for each thread of the page's renderer process, between the
// user's action (binlens:drop / binlens:reopen) and the end of the run
// (binlens:report / binlens:folder / binlens:verdict), the time in each kind
// of trace event (script, style and layout, paint, GC, wasm compilation …,
// self time: an event's children are counted under their own names) and the
// JavaScript functions the V8 sampling profiler caught most often.
//
//   npx tsx bench/trace.ts .cache/bench/trace-biome.json

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

interface TraceEvent {
  pid: number;
  tid: number;
  ts: number;
  ph: string;
  cat?: string;
  name: string;
  dur?: number;
  id?: string;
  args?: Record<string, unknown>;
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber?: number; columnNumber?: number };
}

/**
 * Names a sampled function by the source maps of the build (dist/assets/*.map):
 * `closeSection (src/parsers/elf/sections.ts:120)` instead of `ou`.
 */
class Symbolizer {
  private maps = new Map<string, TraceMap | null>();
  constructor(private readonly dir: string | null) {}
  name(f: ProfileNode['callFrame']): string {
    const file = f.url ? f.url.split('/').pop()! : '';
    const fallback = `${f.functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
    if (!this.dir || !file.endsWith('.js') || f.lineNumber === undefined || f.lineNumber < 0) return fallback;
    let map = this.maps.get(file);
    if (map === undefined) {
      const p = join(this.dir, `${file}.map`);
      map = existsSync(p) ? new TraceMap(readFileSync(p, 'utf8')) : null;
      this.maps.set(file, map);
    }
    if (!map) return fallback;
    const o = originalPositionFor(map, { line: f.lineNumber + 1, column: f.columnNumber ?? 0 });
    if (!o.source) return fallback;
    const src = o.source.replace(/^(\.\.\/)+/, '').replace(/^node_modules\//, '');
    return `${o.name ?? f.functionName ?? '(anonymous)'} (${src}:${o.line})`;
  }
}

export interface ThreadSummary {
  name: string;
  /** Time inside top-level tasks, ms. */
  busyMs: number;
  /** CPU time of the thread inside those tasks, ms (less than busyMs when the machine is busy with other work). */
  cpuMs: number;
  /** Self time by event name, ms, largest first. */
  events: [string, number][];
  /** Self time of sampled JavaScript functions, ms, largest first. */
  functions: [string, number][];
}

export interface TraceSummary {
  /** From the start mark to the end mark, ms. */
  windowMs: number;
  /** The page's marks in the window, ms after the start mark. */
  marks: [string, number][];
  threads: ThreadSummary[];
}

const START = ['binlens:drop', 'binlens:reopen'];
const END = ['binlens:report', 'binlens:folder', 'binlens:verdict'];
const TOP_LEVEL = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);

function add(m: Map<string, number>, k: string, v: number): void {
  m.set(k, (m.get(k) ?? 0) + v);
}

function top(m: Map<string, number>, n: number): [string, number][] {
  return [...m]
    .map(([k, v]): [string, number] => [k, v / 1000])
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}

/**
 * `sourceMaps`: the folder of the build's .map files, to name minified
 * functions. `endMark`: end the window at this mark (e.g. `binlens:verdict`)
 * instead of the last end mark.
 */
export function summarizeTrace(json: string, topN = 8, sourceMaps: string | null = null, endMark: string | null = null): TraceSummary {
  const parsed = JSON.parse(json) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const marks = events.filter((e) => e.cat?.includes('blink.user_timing'));
  const start = marks.find((e) => START.includes(e.name));
  if (!start) return { windowMs: 0, marks: [], threads: [] };
  const pid = start.pid;
  const ends = marks.filter((e) => e.pid === pid && (endMark ? e.name === endMark : END.includes(e.name)) && e.ts >= start.ts);
  const t0 = start.ts;
  const t1 = ends.length
    ? endMark
      ? Math.min(...ends.map((e) => e.ts))
      : Math.max(...ends.map((e) => e.ts))
    : Math.max(...events.map((e) => e.ts));

  const names = new Map<number, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name' && e.pid === pid) names.set(e.tid, String((e.args as { name?: string })?.name ?? e.tid));

  // Complete events per thread (B/E pairs joined), clipped to the window.
  const byThread = new Map<number, { ts: number; end: number; name: string; cpu: number }[]>();
  const open = new Map<number, TraceEvent[]>();
  for (const e of events) {
    if (e.pid !== pid) continue;
    let span: { ts: number; end: number; name: string; cpu: number } | null = null;
    const tdur = (e as { tdur?: number }).tdur;
    if (e.ph === 'X' && e.dur !== undefined) span = { ts: e.ts, end: e.ts + e.dur, name: e.name, cpu: tdur ?? e.dur };
    else if (e.ph === 'B') (open.get(e.tid) ?? open.set(e.tid, []).get(e.tid)!).push(e);
    else if (e.ph === 'E') {
      const b = open.get(e.tid)?.pop();
      if (b) span = { ts: b.ts, end: e.ts, name: b.name, cpu: e.ts - b.ts };
    }
    if (!span) continue;
    const ts = Math.max(span.ts, t0);
    const end = Math.min(span.end, t1);
    if (end <= ts) continue;
    // A task cut by the window counts its CPU time in proportion.
    const cpu = span.end > span.ts ? (span.cpu * (end - ts)) / (span.end - span.ts) : 0;
    (byThread.get(e.tid) ?? byThread.set(e.tid, []).get(e.tid)!).push({ ts, end, name: span.name, cpu });
  }

  const threads: ThreadSummary[] = [];
  const samples = profileSamples(events, pid, t0, t1, new Symbolizer(sourceMaps));
  for (const [tid, spans] of byThread) {
    spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const self = new Map<string, number>();
    let busy = 0;
    let cpu = 0;
    const stack: { end: number; name: string; child: number; dur: number }[] = [];
    const close = (upTo: number) => {
      while (stack.length && stack[stack.length - 1]!.end <= upTo) {
        const s = stack.pop()!;
        add(self, s.name, Math.max(0, s.dur - s.child));
        if (stack.length) stack[stack.length - 1]!.child += s.dur;
      }
    };
    for (const s of spans) {
      close(s.ts);
      if (stack.length === 0 && TOP_LEVEL.has(s.name)) {
        busy += s.end - s.ts;
        cpu += s.cpu;
      }
      stack.push({ end: s.end, name: s.name, child: 0, dur: s.end - s.ts });
    }
    close(Infinity);
    for (const n of TOP_LEVEL) self.delete(n);
    const fns = samples.get(tid) ?? new Map<string, number>();
    if (busy < 5000 && fns.size === 0) continue; // threads that did next to nothing
    threads.push({
      name: names.get(tid) ?? String(tid),
      busyMs: busy / 1000,
      cpuMs: cpu / 1000,
      events: top(self, topN),
      functions: top(fns, topN),
    });
  }
  threads.sort((a, b) => b.busyMs - a.busyMs);
  const inWindow = marks.filter(
    (e) =>
      e.pid === pid &&
      e.ts >= t0 &&
      e.ts <= t1 &&
      e.name.startsWith('binlens:') &&
      (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b'),
  );
  const seen = new Set<string>();
  const markList: [string, number][] = [];
  for (const e of inWindow.sort((a, b) => a.ts - b.ts)) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    markList.push([e.name.slice('binlens:'.length), (e.ts - t0) / 1000]);
  }
  return { windowMs: (t1 - t0) / 1000, marks: markList, threads };
}

/** Self time per JavaScript function (name and file) from the V8 CPU profile in the trace, per thread. */
function profileSamples(events: TraceEvent[], pid: number, t0: number, t1: number, sym: Symbolizer): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  const profiles = new Map<string, { tid: number; time: number; nodes: Map<number, ProfileNode> }>();
  for (const e of events) {
    if (e.pid !== pid || !e.id) continue;
    const data = (e.args as { data?: Record<string, unknown> } | undefined)?.data;
    if (e.name === 'Profile') {
      profiles.set(e.id, { tid: e.tid, time: Number((data as { startTime?: number })?.startTime ?? e.ts), nodes: new Map() });
    } else if (e.name === 'ProfileChunk' && data) {
      const p = profiles.get(e.id);
      if (!p) continue;
      const cpu = data.cpuProfile as { nodes?: ProfileNode[]; samples?: number[] } | undefined;
      for (const n of cpu?.nodes ?? []) p.nodes.set(n.id, n);
      const deltas = (data.timeDeltas as number[] | undefined) ?? [];
      const ids = cpu?.samples ?? [];
      const m = out.get(p.tid) ?? out.set(p.tid, new Map()).get(p.tid)!;
      for (let i = 0; i < ids.length; i++) {
        p.time += deltas[i] ?? 0;
        const dt = deltas[i + 1] ?? 0;
        if (p.time < t0 || p.time > t1 || dt <= 0) continue;
        const n = p.nodes.get(ids[i]!);
        if (!n) continue;
        const f = n.callFrame;
        if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
        add(m, sym.name(f), dt);
      }
    }
  }
  return out;
}

/** One line: each busy thread's wall and CPU time in the window (the page's threads only). */
export function formatBusyLine(s: TraceSummary): string {
  return s.threads
    .filter((t) => t.name === 'CrRendererMain' || t.name.startsWith('DedicatedWorker'))
    .map((t) => `${t.name === 'CrRendererMain' ? 'main' : 'worker'} ${t.busyMs.toFixed(0)} ms (CPU ${t.cpuMs.toFixed(0)})`)
    .join(', ');
}

export function formatTraceSummary(s: TraceSummary, indent = ''): string {
  const f = (xs: [string, number][]) => xs.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  const lines = [
    `${indent}trace of one more run (${s.windowMs.toFixed(0)} ms from the action to the end mark: ${s.marks.map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', ')}; self times in ms):`,
  ];
  for (const t of s.threads) {
    lines.push(`${indent}  ${t.name}: busy ${t.busyMs.toFixed(0)} ms (CPU ${t.cpuMs.toFixed(0)} ms)`);
    if (t.events.length) lines.push(`${indent}    events: ${f(t.events)}`);
    if (t.functions.length) lines.push(`${indent}    JS: ${f(t.functions)}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of process.argv.slice(2)) {
    console.log(path);
    console.log(
      formatTraceSummary(summarizeTrace(readFileSync(path, 'utf8'), 15, join(import.meta.dirname ?? '.', '..', 'dist', 'assets')), '  '),
    );
  }
}
