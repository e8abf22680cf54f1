// One file's full report for the CLI's commands (`report`, `link`): Node's
// native SHA-256, the engine loaded once, hash progress on stderr.

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Report } from '../report/types.ts';
import { NO_ENGINE } from '../report/pipeline.ts';
import { buildVerifiedReport } from '../report/signatures.ts';
import { loadEngine } from '../arm64/node.ts';
import type { Arm64Engine } from '../arm64/engine.ts';
import { openFile } from './fileSource.ts';
import { errorLine, q } from './output.ts';
import type { Args } from './args.ts';
import { hashProgress } from './progress.ts';

/** Why the engine did not load, once it failed (said on stderr for every report it leaves unscanned). */
let engineError: string | null = null;

/** The engine when it is built; the report says so when it is not (the parsers still run). */
export async function engineOrNull(): Promise<Arm64Engine | null> {
  try {
    return await loadEngine();
  } catch (e) {
    engineError = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return null;
  }
}

/** Node's native SHA-256: the portable one in src/parsers is several times slower. */
export function nodeSha256() {
  const h = createHash('sha256');
  return { update: (chunk: Uint8Array) => void h.update(chunk), hex: () => h.digest('hex') };
}

export interface ReportForOptions {
  /** Progress of the whole-file hash; see src/cli/progress.ts. */
  onHashProgress?: (done: number, total: number) => void;
}

/**
 * The full report of one file: parsers, Go, ARM64 engine, verdicts — what the
 * page shows. The SHA-256 is the only step that reads every byte; it is
 * computed first, straight from the file, and the parsers read only what the
 * headers describe (a 4 GB sparse file with its section headers at the end
 * costs its hash and a few megabytes of reads). When arm64 code goes
 * unscanned because the engine could not be loaded, one line on stderr says
 * so (the report's warnings say it too).
 */
export async function reportFor(path: string, engine?: Arm64Engine | null, opts: ReportForOptions = {}): Promise<Report> {
  const e = engine === undefined ? await engineOrNull() : engine;
  const f = openFile(path);
  let r: Report;
  try {
    const sha256 = f.sha256(opts.onHashProgress);
    r = (await buildVerifiedReport(f.source, basename(path), { engine: e, sha256 })).report;
  } finally {
    f.close();
  }
  if (r.warnings.includes(NO_ENGINE)) {
    errorLine(
      `binlens: warning: ${q(r.file.name)}: arm64 code not scanned (no PAC/BTI evidence): ${q(engineError ?? 'the ARM64 engine is not loaded')}`,
    );
  }
  return r;
}

/** Hash progress for `path` (its size from stat; 0 when it cannot be read, and openFile then says why). */
export function hashProgressFor(path: string, args: Args): ((done: number, total: number) => void) | undefined {
  let size = 0;
  try {
    const st = statSync(path);
    if (st.isFile()) size = st.size;
  } catch {
    // openFile reports it
  }
  return hashProgress(path, size, args.flags.has('progress'));
}
