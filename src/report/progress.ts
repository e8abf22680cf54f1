// One progress bar over the pipeline's stages. Each stage reports a fraction
// of its own work (src/report/pipeline.ts); the bar shows the whole run.
// Hashing reads every byte, so it weighs in by the file's size; the other
// stages weigh what they typically cost on a large Go or C binary.

import type { Stage } from './pipeline.ts';

export type { Stage };

export const STAGES: readonly Stage[] = ['hash', 'parse', 'go', 'arm64', 'verdict'];

/** What the progress line says during each stage. */
export const STAGE_WORDS: Record<Stage, string> = {
  hash: 'Reading',
  parse: 'Parsing',
  go: 'Reading Go tables of',
  arm64: 'Scanning ARM64 code of',
  verdict: 'Checking where it runs:',
};

const WEIGHTS: Record<Stage, number> = { hash: 45, parse: 10, go: 15, arm64: 25, verdict: 5 };

/** Overall fraction 0..1 of a run that is `fraction` through `stage` (hash weighs nothing when skipped). */
export function overall(stage: Stage, fraction: number, skipHash = false): number {
  const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  let before = 0;
  let total = 0;
  for (const s of STAGES) {
    const w = skipHash && s === 'hash' ? 0 : WEIGHTS[s];
    if (STAGES.indexOf(s) < STAGES.indexOf(stage)) before += w;
    total += w;
  }
  const w = skipHash && stage === 'hash' ? 0 : WEIGHTS[stage];
  return total === 0 ? 1 : (before + w * f) / total;
}

/**
 * The stage to name while the run is `fraction` through `stage`: the pipeline
 * reports a stage when it ends, and what runs then is the next one.
 */
export function runningStage(stage: Stage, fraction: number): Stage {
  const i = STAGES.indexOf(stage);
  return fraction >= 1 && i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1]! : stage;
}

/**
 * A pipeline progress callback that forwards at most one message per
 * interval, and always the first of each stage and the end of the run. The
 * stage it names is the one running (runningStage).
 */
export function stageProgress(
  send: (done: number, total: number, stage: Stage) => void,
  total: number,
  skipHash: boolean,
  ms = 80,
  now: () => number = () => performance.now(),
): (stage: Stage, fraction: number) => void {
  let last = -Infinity;
  let lastStage: Stage | null = null;
  return (stage, fraction) => {
    const t = now();
    const end = stage === 'verdict' && fraction >= 1;
    const running = runningStage(stage, fraction);
    if (running !== lastStage || end || t - last >= ms) {
      last = t;
      lastStage = running;
      // Whole units of the file's size, so a bar in bytes stays meaningful while hashing.
      send(Math.round(overall(stage, fraction, skipHash) * total), total, running);
    }
  };
}
