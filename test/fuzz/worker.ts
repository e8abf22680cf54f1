// A fuzz worker thread: holds the prepared inputs and the loaded stages,
// runs the cases it is sent, and reports each one. Running in a thread lets
// the runner kill a case that never ends, and survive one that exhausts the
// heap (resourceLimits), without losing the run.

import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { caseInput, hangLimit, minimize, prepare, runBytes, runCase, type Prepared } from './core.ts';
import { loadStages, type Stages } from './pipeline.ts';

export type ToWorker =
  { type: 'prepare'; key: string; path: string } | { type: 'cases'; key: string; seed: number; indices: number[]; minimizeNew: boolean };

export type FromWorker =
  | { type: 'ready'; missing: string[] }
  | { type: 'prepared'; key: string; baselineMs: number; fields: number; regions: number; boundaries: number; size: number }
  | { type: 'start'; key: string; seed: number; index: number }
  | { type: 'outcome'; key: string; outcome: import('./core.ts').CaseOutcome; minimized?: Uint8Array; input?: Uint8Array }
  | { type: 'batch-done'; key: string };

const port = parentPort!;
const prepared = new Map<string, Prepared>();
const seen = new Set<string>();
let stages: Stages;

function send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

async function main(): Promise<void> {
  stages = await loadStages();
  port.on('message', (m: ToWorker) => {
    void handle(m).catch((e) => {
      // A failure of the harness itself (not of a case): let the runner see it.
      throw e;
    });
  });
  send({ type: 'ready', missing: stages.missing });
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'prepare') {
    const b = readFileSync(m.path);
    const p = await prepare(m.key, new Uint8Array(b.buffer, b.byteOffset, b.byteLength), stages);
    prepared.set(m.key, p);
    send({
      type: 'prepared',
      key: m.key,
      baselineMs: p.baselineMs,
      fields: p.layout.fields.length,
      regions: p.layout.regions.length,
      boundaries: p.layout.boundaries.length,
      size: p.bytes.length,
    });
    return;
  }
  const p = prepared.get(m.key);
  if (!p) throw new Error(`worker: ${m.key} was not prepared`);
  for (const index of m.indices) {
    send({ type: 'start', key: m.key, seed: m.seed, index });
    const o = await runCase(p, m.seed, index, stages);
    if (o.crash && m.minimizeNew && !seen.has(o.crash.signature)) {
      seen.add(o.crash.signature);
      const input = caseInput(p, m.seed, index);
      const small = await minimize(p.key, input.bytes, o.crash.signature, stages, input.chunked);
      send({ type: 'outcome', key: m.key, outcome: o, minimized: small, input: input.bytes.slice() });
    } else send({ type: 'outcome', key: m.key, outcome: o });
  }
  send({ type: 'batch-done', key: m.key });
}

// Replays outside the runner use the same functions directly.
export { runBytes, hangLimit };

void main();
