// Builds for the diff tests: a file's report as the CLI makes it (parsers, Go,
// the ARM64 engine, the signature check, verdicts on a pinned day) with each
// slice's facts (per-function PAC/BTI, the size map), names demangled.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadEngine } from '../src/arm64/node.ts';
import { loadDemangler } from '../src/demangle/node.ts';
import { sliceFacts } from '../src/diff/facts.ts';
import type { DiffInput } from '../src/diff/types.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { buildVerifiedReport } from '../src/report/signatures.ts';
import { TODAY } from './verdict-support.ts';

/** One build as `diff` reads it; `withFacts` false gives the report alone (a history entry without its binary, a link). */
export async function buildOf(path: string, withFacts = true): Promise<DiffInput> {
  const [engine, demangler] = await Promise.all([loadEngine(), loadDemangler()]);
  const bytes = new Uint8Array(readFileSync(path));
  const { report, slices } = await buildVerifiedReport(new MemorySource(bytes), basename(path), { engine, today: TODAY });
  if (!withFacts) return { report };
  const format = report.format === 'elf' ? 'elf' : 'macho';
  return { report, facts: slices.map((s) => sliceFacts(s.parsed, s.goFunctions, engine, (n) => demangler.demangle(n, format), format)) };
}
