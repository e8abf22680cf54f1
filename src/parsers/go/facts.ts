// Plain facts about a Go build that findings rest on: cgo, -trimpath and the
// build-machine paths it would have hidden, release support, the
// architecture level. Each comes with where it was read from.

import type { GoFacts } from '../../report/types.ts';
import { goSupport } from './version.ts';

const ARCH_LEVEL_KEYS = ['GOARM64', 'GOAMD64', 'GOARM', 'GO386', 'GOPPC64', 'GORISCV64', 'GOMIPS', 'GOMIPS64'];
const MAX_BUILD_PATHS = 10;

/** True for a path that names a place on the build machine (Unix root or a Windows drive). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** The directory a leaked path reveals: the module cache as one place, else the file's directory. */
function leakedDir(p: string): string {
  const cache = /^(.*?[\\/]pkg[\\/]mod)[\\/]/.exec(p);
  if (cache) return cache[1]!;
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i <= 0 ? p : p.slice(0, i);
}

/** GOROOT as file names show it: the part before `/src/runtime/` in the runtime's own files. */
function gorootOf(files: string[]): string | null {
  for (const f of files) {
    if (!isAbsolutePath(f)) continue;
    const m = /^(.*)[\\/]src[\\/]runtime[\\/][^\\/]+\.(?:go|s)$/.exec(f);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * The places a list of leaked directories reveals, at most MAX_BUILD_PATHS:
 * the module cache as one entry, and the other directories reduced to their
 * deepest common directory when they share one below the top level (a
 * checkout such as /home/runner/work/app), else listed one by one.
 */
function summarizeDirs(dirs: string[]): string[] {
  const cache = dirs.filter((d) => /[\\/]pkg[\\/]mod$/.test(d));
  const rest = dirs.filter((d) => !cache.includes(d));
  const out = [...new Set(cache)];
  if (rest.length > 1) {
    const parts = rest.map((d) => d.split(/[\\/]/));
    let n = 0;
    while (parts.every((p) => p[n] !== undefined && p[n] === parts[0]![n])) n++;
    // Two components past the root ('', 'home', 'runner') is more than "/" or "C:".
    if (n >= 3) {
      out.push(parts[0]!.slice(0, n).join(rest[0]!.includes('\\') && !rest[0]!.includes('/') ? '\\' : '/'));
      return out.slice(0, MAX_BUILD_PATHS);
    }
  }
  out.push(...rest.sort());
  return out.slice(0, MAX_BUILD_PATHS);
}

export interface FactInputs {
  version: string | null;
  settings: Record<string, string>;
  /** Source file names from the function table. */
  files: string[];
  /** Whether the function table has runtime/cgo (or _cgo_) functions: cgo is linked in. */
  cgoFunctions: boolean;
  today?: Date;
}

export function goFacts(input: FactInputs): GoFacts {
  const { settings, files } = input;
  let cgo: boolean | null = null;
  let cgoSource: string | null = null;
  if (settings.CGO_ENABLED !== undefined) {
    cgo = settings.CGO_ENABLED === '1';
    cgoSource = `build setting CGO_ENABLED=${settings.CGO_ENABLED}`;
  } else if (input.cgoFunctions) {
    cgo = true;
    cgoSource = 'runtime/cgo functions in the function table';
  } else if (files.length > 0) {
    cgo = false;
    cgoSource = 'no runtime/cgo functions in the function table';
  }

  const goroot = gorootOf(files);
  const dirs = new Set<string>();
  let absolute = 0;
  for (const f of files) {
    if (!isAbsolutePath(f)) continue;
    absolute++;
    if (goroot && f.startsWith(goroot)) continue;
    dirs.add(leakedDir(f));
  }
  let trimpath: boolean | null = null;
  let trimpathSource: string | null = null;
  if (settings['-trimpath'] !== undefined) {
    trimpath = settings['-trimpath'] === 'true';
    trimpathSource = `build setting -trimpath=${settings['-trimpath']}`;
    if (trimpath && absolute > 0) trimpathSource += `, yet ${absolute} absolute source paths remain (cgo or assembly files)`;
  } else if (files.length > 0) {
    trimpath = absolute === 0;
    trimpathSource =
      absolute === 0
        ? 'all source paths in the function table are relative'
        : `${absolute} of ${files.length} source paths in the function table are absolute`;
  }

  let archLevel: GoFacts['archLevel'] = null;
  for (const key of ARCH_LEVEL_KEYS) {
    const value = settings[key];
    if (value !== undefined) {
      archLevel = { key, value };
      break;
    }
  }
  return {
    cgo,
    cgoSource,
    trimpath,
    trimpathSource,
    buildPaths: summarizeDirs([...dirs]),
    goroot,
    support: goSupport(input.version, input.today),
    archLevel,
  };
}
