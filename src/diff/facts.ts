// The facts a diff reads from a binary beyond its report: each arm64
// function's PAC/BTI facts (the ARM64 analysis's per-function table, the
// page's function list) and the slice's sizes per section, group and symbol
// (src/size sliceSizes, the size map's own groupings), every name demangled so that builds are matched by what a person reads. Pure: the
// engine and the demangler are passed in (the worker and the CLI load them).

import type { Arm64Engine } from '../arm64/engine.ts';
import { arm64Functions } from '../arm64/scan.ts';
import type { GoFunction } from '../parsers/go/index.ts';
import type { NameFormat } from '../demangle/names.ts';
import type { ParsedSlice } from '../parsers/types.ts';
import { sliceSizes } from '../size/groups.ts';
import type { SliceFacts } from './types.ts';

/** Demangles one name; null when it is not mangled (src/demangle). */
export type Demangle = (name: string) => string | null;

function isArm64(arch: string): boolean {
  return arch === 'arm64' || arch === 'arm64e' || arch === 'aarch64_be';
}

/**
 * One slice's facts. `engine` null: no per-function facts (the diff says so).
 * Go functions come from the function table, as the page's function list has them.
 */
export function sliceFacts(
  slice: ParsedSlice,
  goFunctions: GoFunction[] | null,
  engine: Arm64Engine | null,
  demangle: Demangle,
  format: NameFormat,
): SliceFacts {
  let functions: SliceFacts['functions'] = null;
  if (engine && isArm64(slice.report.arch)) {
    const extra = (goFunctions ?? []).map((f) => ({ address: f.entry, name: f.name, size: Number(f.end - f.entry) }));
    const rows = arm64Functions(slice, engine, extra).rows.filter((r) => r.name !== null && r.name !== '');
    rows.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
    functions = rows.map((r) => ({ name: demangle(r.name!) ?? r.name!, signs: r.signs, btiEntry: r.btiEntry }));
  }
  return { functions, sizes: sliceSizes({ slice, goFunctions, format, demangle }) };
}
