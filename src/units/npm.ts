// npm packages in a unit (a `.tgz` from `npm pack`, a node_modules folder):
// package.json's `os`, `cpu` and `libc` (the platforms npm installs a package
// on — docs.npmjs.com, package.json), its `bin`, and `optionalDependencies`
// naming platform packages (sharp's @img/sharp-linux-x64, esbuild's
// @esbuild/linux-arm64, @parcel/watcher-linux-x64-musl).

import type { Target } from '../report/targets.ts';
import { TARGETS } from '../report/targets.ts';
import { dirname, resolveIn } from './paths.ts';
import type { Tree } from './tree.ts';
import type { UnitPackage } from './types.ts';

export interface NpmPackage extends UnitPackage {
  /** The targets npm installs it on (from os/cpu/libc), or null when it names none. */
  targets: Target[] | null;
}

const OS: Record<string, string> = { 'macos-arm64': 'darwin', 'macos-x86_64': 'darwin', 'ios-arm64': 'ios' };
const CPU: Record<string, string> = { arm64: 'arm64', x86_64: 'x64' };

function osOf(t: Target): string {
  return OS[t] ?? 'linux';
}
function cpuOf(t: Target): string {
  return CPU[t.includes('arm64') ? 'arm64' : 'x86_64']!;
}
function libcOf(t: Target): string | null {
  return t.startsWith('linux-') ? (t.endsWith('-musl') ? 'musl' : 'glibc') : null;
}

/** npm's rule (npm-install-checks checkPlatform): a list allows what it names, or everything but what it negates with `!`. */
function allows(list: string[], value: string | null): boolean {
  if (list.length === 0 || value === null) return true;
  const neg = list.filter((x) => x.startsWith('!')).map((x) => x.slice(1));
  const pos = list.filter((x) => !x.startsWith('!'));
  if (neg.includes(value)) return false;
  return pos.length === 0 || pos.includes(value);
}

const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

/** Every package.json of the tree that parses, deepest folders last. */
export function npmPackages(tree: Tree): NpmPackage[] {
  const out: NpmPackage[] = [];
  for (const [path, node] of tree.files()) {
    if (!path.endsWith('/package.json') || !node.data) continue;
    let j: Record<string, unknown>;
    try {
      j = JSON.parse(new TextDecoder().decode(node.data)) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof j !== 'object' || j === null || typeof j.name !== 'string') continue;
    const dir = dirname(path);
    const os = strs(j.os);
    const cpu = strs(j.cpu);
    const libc = strs(j.libc);
    const binField = j.bin;
    const bins =
      typeof binField === 'string'
        ? [binField]
        : binField && typeof binField === 'object'
          ? Object.values(binField as Record<string, unknown>).filter((x): x is string => typeof x === 'string')
          : [];
    const restricted = os.length || cpu.length || libc.length;
    out.push({
      dir,
      name: j.name,
      version: typeof j.version === 'string' ? j.version : '',
      os,
      cpu,
      libc,
      bin: bins.map((b) => resolveIn(dir, b)),
      optionalDependencies:
        j.optionalDependencies && typeof j.optionalDependencies === 'object' ? Object.keys(j.optionalDependencies as object) : [],
      targets: restricted ? TARGETS.filter((t) => allows(os, osOf(t)) && allows(cpu, cpuOf(t)) && allows(libc, libcOf(t))) : null,
    });
  }
  return out.sort((a, b) => a.dir.length - b.dir.length);
}

/** The package a member belongs to: the deepest package folder that holds it. */
export function packageOf(pkgs: NpmPackage[], path: string): NpmPackage | null {
  let best: NpmPackage | null = null;
  for (const p of pkgs) if (path.startsWith(p.dir === '/' ? '/' : p.dir + '/') && (!best || p.dir.length > best.dir.length)) best = p;
  return best;
}

/**
 * Libraries the Node.js process has loaded before any addon: its own (an addon's `napi_*` and `uv_*` imports come
 * from the `node` executable) and the C++ runtime it links, which official Linux builds and Alpine's package take
 * from the system (`ldd node`: libstdc++.so.6, libgcc_s.so.1, with glibc's or musl's own).
 */
export function nodeProvides(t: Target, lib: string): boolean {
  return t.startsWith('linux-') && (lib === 'libstdc++.so.6' || lib === 'libgcc_s.so.1');
}

/**
 * A platform package an installed package would load on `t`: one of its optionalDependencies whose name says the
 * platform (`@img/sharp-linux-x64`, `@esbuild/linux-arm64`, `@parcel/watcher-linux-x64-musl`). Null when none does.
 */
export function platformPackageFor(p: NpmPackage, t: Target): string | null {
  const cpu = cpuOf(t);
  const os = osOf(t);
  const musl = t.endsWith('-musl');
  for (const name of p.optionalDependencies) {
    const n = name.toLowerCase();
    const isMusl = /linuxmusl|musl/.test(n);
    if (!n.includes(cpu)) continue;
    if (os === 'darwin' && !/darwin/.test(n)) continue;
    if (os === 'linux' && !/linux/.test(n)) continue;
    if (os === 'linux' && isMusl !== musl) continue;
    if (/android|freebsd|openbsd|netbsd|sunos|win32|wasm/.test(n)) continue;
    return name;
  }
  return null;
}
