// What happens when a Linux container starts a program, step by step, on the
// files of the image: runc's execve(2) of argv[0] (the kernel's ELF loader:
// e_machine, PT_INTERP opened inside the root), then the dynamic loader the
// interpreter is — glibc's ld.so (elf/dl-load.c _dl_map_object: DT_RPATH,
// LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache, the built-in directories;
// elf/dl-version.c for symbol versions) or musl's (ldso/dynlink.c
// load_library: LD_LIBRARY_PATH, DT_RPATH/DT_RUNPATH, /etc/ld-musl-ARCH.path,
// /lib:/usr/local/lib:/usr/lib). Errors are worded as each of them words them.

import type { ArchKind } from '../verdict/arch.ts';
import { muslProvidesItself } from '../verdict/libc.ts';
import { parseLdCache, type CacheEntry } from './ldcache.ts';
import type { BinarySlice } from './member.ts';
import { basename, dirname, resolveIn } from './paths.ts';
import type { FsNode, Tree } from './tree.ts';

/** The load step that fails: starting the program (`exec`), its interpreter, a library, a symbol version. */
export type Step = 'entry' | 'exec' | 'interpreter' | 'library' | 'version';

export interface Failure {
  /** The member that fails to load (the program, or the library that needs what is missing). */
  member: string;
  step: Step;
  /** What the system prints. */
  error: string;
  /** Why, in a sentence. */
  reason: string;
}

export interface Edge {
  from: string;
  needed: string;
  /** The path it resolved to, or null when nothing was found. */
  to: string | null;
  /** How: `DT_RPATH`, `LD_LIBRARY_PATH`, `DT_RUNPATH`, `ld.so.cache`, `default directory`, `ld.so.conf`, `already loaded`, `musl (itself)`, `path`. */
  via: string;
}

export interface RunResult {
  failure: Failure | null;
  /** Objects mapped, in load order (program first). */
  loaded: string[];
  edges: Edge[];
  /** `glibc` or `musl`: whose loader ran; null for a static program. */
  loader: 'glibc' | 'musl' | null;
}

export interface Environment {
  tree: Tree;
  /** The CPU the container runs on. */
  arch: ArchKind;
  env: Record<string, string>;
}

const TRIPLET: Partial<Record<ArchKind, string>> = {
  arm64: 'aarch64-linux-gnu',
  arm64e: 'aarch64-linux-gnu',
  x86_64: 'x86_64-linux-gnu',
  i386: 'i386-linux-gnu',
  arm: 'arm-linux-gnueabihf',
};

const MUSL_ARCH: Partial<Record<ArchKind, string>> = { arm64: 'aarch64', arm64e: 'aarch64', x86_64: 'x86_64', i386: 'i386', arm: 'armhf' };

/** A file of the tree as a loaded object. */
interface Obj {
  /** The path the loader knows it by (l_name). */
  name: string;
  /** The path after links, for $ORIGIN of the program. */
  real: string;
  slice: BinarySlice;
}

function sameMachine(s: BinarySlice, arch: ArchKind): boolean {
  return s.arch === arch || (s.arch === 'arm64e' && arch === 'arm64');
}

function elfSlice(node: FsNode): BinarySlice | null {
  return node.facts?.format === 'elf' ? (node.facts.slices[0] ?? null) : null;
}

/** `$ORIGIN` and `${ORIGIN}` (ld.so(8)); `$LIB` and `$PLATFORM` are left as they are, so such a path finds nothing. */
function expand(path: string, origin: string): string {
  return path.replace(/\$\{ORIGIN\}|\$ORIGIN(?![A-Za-z0-9_])/g, origin);
}

function splitPath(list: string[] | string, origin: string): string[] {
  const items = typeof list === 'string' ? [list] : list;
  return items
    .flatMap((l) => l.split(':'))
    .filter((d) => d !== '')
    .map((d) => expand(d, origin));
}

/** Directories /etc/ld.so.conf names, following `include` lines (globs of the form DIR/*.conf). */
function ldSoConf(tree: Tree): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const read = (path: string, depth: number) => {
    if (depth > 8 || seen.has(path)) return;
    seen.add(path);
    const r = tree.lookup(path);
    if (!r.ok || !r.node.data) return;
    for (const raw of new TextDecoder().decode(r.node.data).split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const inc = /^include\s+(.+)$/.exec(line);
      if (inc) {
        for (const pat of inc[1]!.split(/\s+/)) {
          const full = resolveIn(dirname(path), pat);
          const star = full.lastIndexOf('*');
          if (star < 0) read(full, depth + 1);
          else {
            const dir = dirname(full);
            const pre = basename(full.slice(0, star));
            const post = full.slice(star + 1);
            const dirLook = tree.lookup(dir);
            if (!dirLook.ok) continue;
            for (const f of tree.list(dirLook.path)) {
              const b = basename(f);
              if (b.startsWith(pre) && b.endsWith(post)) read(`${dir}/${b}`, depth + 1);
            }
          }
        }
        continue;
      }
      out.push(...line.split(/[:\s,]+/).filter(Boolean));
    }
  };
  read('/etc/ld.so.conf', 0);
  return out;
}

function ldCache(tree: Tree): CacheEntry[] | null {
  const r = tree.lookup('/etc/ld.so.cache');
  if (!r.ok || !r.node.data) return null;
  return parseLdCache(r.node.data);
}

/** Runs the program at `argv0` (as the image's config names it) the way runc and the loaders would. */
export function runProgram(e: Environment, argv0: string): RunResult {
  const result: RunResult = { failure: null, loaded: [], edges: [], loader: null };
  const fail = (member: string, step: Step, error: string, reason: string): RunResult => ({
    ...result,
    failure: { member, step, error, reason },
  });

  // runc looks a bare name up in the PATH of the image's Env (libcontainer: exec.LookPath).
  let path: string;
  if (!argv0.includes('/')) {
    const dirs = (e.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':');
    const found = dirs
      .map((d) => resolveIn('/', `${d}/${argv0}`))
      .find((p) => {
        const r = e.tree.lookup(p);
        return r.ok && r.node.type === 'file';
      });
    if (!found)
      return fail(
        argv0,
        'entry',
        `exec: "${argv0}": executable file not found in $PATH`,
        `No file named ${argv0} is in any directory of the image's PATH (${dirs.join(':')}).`,
      );
    path = found;
  } else path = resolveIn(e.env.PWD ?? '/', argv0);

  const look = e.tree.lookup(path);
  if (!look.ok) {
    if (look.reason === 'loop')
      return fail(
        path,
        'entry',
        `exec ${argv0}: too many levels of symbolic links`,
        `Following ${path} goes through more than 40 symbolic links (a loop).`,
      );
    return fail(
      path,
      'entry',
      `exec: "${argv0}": stat ${argv0}: no such file or directory`,
      `${path} is not in the image${look.path !== path ? ` (${look.path} is missing)` : ''}.`,
    );
  }
  if (look.node.type !== 'file')
    return fail(
      path,
      'entry',
      `exec ${argv0}: permission denied`,
      `${path} is a ${look.node.type === 'dir' ? 'directory' : 'special file'}, not a program.`,
    );
  return execFile(e, argv0, look.path, look.node, result, fail, 0);
}

// eslint-disable-next-line max-lines-per-function -- execve(2)'s path in order: a #! script's interpreter (fs/binfmt_script.c), the ELF checks, PT_INTERP inside the image's root (fs/binfmt_elf.c), then the loader
function execFile(
  e: Environment,
  argv0: string,
  real: string,
  node: FsNode,
  result: RunResult,
  fail: (member: string, step: Step, error: string, reason: string) => RunResult,
  depth: number,
): RunResult {
  // A script: the kernel runs its #! interpreter instead (fs/binfmt_script.c), at most a few levels deep.
  if (node.head && node.head[0] === 0x23 && node.head[1] === 0x21) {
    const line = new TextDecoder().decode(node.head.subarray(2, Math.max(2, node.head.indexOf(0x0a)))).trim();
    const interp = line.split(/\s+/)[0] ?? '';
    const r = interp ? e.tree.lookup(interp) : null;
    if (!r || !r.ok || r.node.type !== 'file') {
      return fail(
        real,
        'interpreter',
        `exec ${argv0}: no such file or directory`,
        `It is a script whose interpreter ${interp || '(none)'} is not in the image.`,
      );
    }
    if (depth >= 4)
      return fail(
        real,
        'exec',
        `exec ${argv0}: too many levels of symbolic links`,
        'Scripts name scripts as their interpreters more than 4 levels deep (the kernel gives ELOOP).',
      );
    result.edges.push({ from: real, needed: `#!${interp}`, to: r.path, via: 'path' });
    return execFile(e, argv0, r.path, r.node, result, fail, depth + 1);
  }
  const s = elfSlice(node);
  if (!s) {
    if (node.facts) return fail(real, 'exec', `exec ${argv0}: exec format error`, `It is a Mach-O file; Linux runs only ELF programs.`);
    if (node.problem) return fail(real, 'exec', `exec ${argv0}: exec format error`, `It could not be read: ${node.problem}.`);
    return fail(
      real,
      'exec',
      `exec ${argv0}: exec format error`,
      `It is ${node.kind ?? 'not an ELF file'}, not a program the kernel runs.`,
    );
  }
  if (!sameMachine(s, e.arch)) {
    return fail(real, 'exec', `exec ${argv0}: exec format error`, `It is ${s.archName} code and the container runs on ${e.arch}.`);
  }
  if (s.fileType !== 'executable' && !(s.fileType === 'shared-library' && s.interpreter)) {
    return fail(
      real,
      'exec',
      `exec ${argv0}: exec format error`,
      `It is ${s.fileType === 'object' ? 'an object file (ET_REL)' : `a ${s.fileTypeRaw} file`}, which the kernel does not run.`,
    );
  }
  result.loaded.push(real);
  if (!s.interpreter) return result;

  // The kernel opens PT_INTERP inside the container's root (fs/binfmt_elf.c: open_exec).
  const ip = e.tree.lookup(s.interpreter);
  if (!ip.ok || ip.node.type !== 'file') {
    return fail(
      real,
      'interpreter',
      `exec ${argv0}: no such file or directory`,
      ip.ok || ip.reason !== 'loop'
        ? `The interpreter ${s.interpreter} is not in the image${ip.ok ? '' : ip.path !== s.interpreter ? ` (${ip.path} is missing)` : ''}.`
        : `The interpreter ${s.interpreter} is a symbolic link loop.`,
    );
  }
  const is = elfSlice(ip.node);
  if (!is || !sameMachine(is, e.arch)) {
    return fail(
      real,
      'interpreter',
      `exec ${argv0}: accessing a corrupted shared library`,
      `The interpreter ${s.interpreter} (${ip.path}) is ${is ? `${is.archName} code` : 'not an ELF file'}: the kernel refuses it (ELIBBAD).`,
    );
  }
  result.edges.push({ from: real, needed: `PT_INTERP ${s.interpreter}`, to: ip.path, via: 'path' });
  const musl = /^ld-musl-/.test(basename(s.interpreter)) || /^ld-musl-/.test(basename(ip.path)) || /(^|\/)libc\.musl-/.test(ip.path);
  result.loader = musl ? 'musl' : 'glibc';
  const program: Obj = { name: argv0.includes('/') ? argv0 : real, real, slice: s };
  const interp: Obj = { name: s.interpreter, real: ip.path, slice: is };
  return musl ? muslLoad(e, argv0, program, interp, result, fail) : glibcLoad(e, argv0, program, interp, result, fail);
}

function candidate(e: Environment, path: string): { path: string; node: FsNode; slice: BinarySlice | null } | null {
  const r = e.tree.lookup(path);
  if (!r.ok || r.node.type !== 'file') return null;
  return { path: r.path, node: r.node, slice: elfSlice(r.node) };
}

// eslint-disable-next-line max-lines-per-function -- ld.so's steps in elf/dl-load.c's order for every DT_NEEDED (DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH, ld.so.cache, the system directories), then symbol versions (elf/dl-version.c)
function glibcLoad(
  e: Environment,
  argv0: string,
  program: Obj,
  interp: Obj,
  result: RunResult,
  fail: (m: string, s: Step, er: string, r: string) => RunResult,
): RunResult {
  const cache = ldCache(e.tree);
  const triplet = TRIPLET[e.arch];
  const bits64 = program.slice.bits === 64;
  // Debian's glibc searches its multiarch directories first; RPM systems /lib64 and /usr/lib64.
  const system = [
    ...(triplet ? [`/lib/${triplet}`, `/usr/lib/${triplet}`] : []),
    ...(bits64 ? ['/lib64', '/usr/lib64'] : []),
    '/lib',
    '/usr/lib',
  ];
  const conf = cache ? [] : ldSoConf(e.tree);
  const libraryPath = splitPath(e.env.LD_LIBRARY_PATH ?? '', dirname(program.real));
  const loaded: Obj[] = [program, interp];
  result.loaded.push(interp.real);
  const known = (needed: string): Obj | undefined =>
    loaded.find((o) => o.name === needed || o.slice.soname === needed || basename(o.name) === needed);

  for (let i = 0; i < loaded.length; i++) {
    const obj = loaded[i]!;
    if (i === 1) continue; // the loader itself needs nothing
    const origin = obj === program ? dirname(program.real) : dirname(obj.name);
    // DT_RPATH counts only when the object has no DT_RUNPATH; then the RPATHs of whoever loaded it (the program, last).
    const rpath =
      obj.slice.runpath.length === 0
        ? [
            ...splitPath(obj.slice.rpath, origin),
            ...(obj !== program && program.slice.runpath.length === 0 ? splitPath(program.slice.rpath, dirname(program.real)) : []),
          ]
        : [];
    const runpath = splitPath(obj.slice.runpath, origin);
    for (const needed of obj.slice.needed) {
      const have = known(needed);
      if (have) {
        result.edges.push({ from: obj.real, needed, to: have.real, via: 'already loaded' });
        continue;
      }
      let found: { path: string; slice: BinarySlice; via: string } | null = null;
      let wrongClass: number | null = null;
      const tryDirs = (dirs: string[], via: string) => {
        for (const d of dirs) {
          if (found) return;
          const c = candidate(e, resolveIn('/', `${d}/${needed}`));
          if (!c) continue;
          // A file of another machine or class is skipped as if absent (dl-load.c open_verify).
          if (!c.slice || !sameMachine(c.slice, e.arch) || c.slice.bits !== program.slice.bits) {
            if (c.slice && c.slice.bits !== program.slice.bits) wrongClass = c.slice.bits;
            continue;
          }
          found = { path: resolveIn('/', `${d}/${needed}`), slice: c.slice, via };
        }
      };
      if (needed.includes('/')) tryDirs([dirname(resolveIn('/', needed))], 'path');
      else {
        tryDirs(rpath, 'DT_RPATH');
        tryDirs(libraryPath, 'LD_LIBRARY_PATH');
        tryDirs(runpath, 'DT_RUNPATH');
        if (!obj.slice.nodeflib) {
          if (cache) {
            for (const ent of cache) {
              if (found) break;
              if (ent.soname === needed) tryDirs([dirname(ent.path)], 'ld.so.cache');
            }
          } else tryDirs(conf, 'ld.so.conf');
          tryDirs(system, 'default directory');
        }
      }
      const f = found as { path: string; slice: BinarySlice; via: string } | null;
      result.edges.push({ from: obj.real, needed, to: f?.path ?? null, via: f?.via ?? 'not found' });
      if (!f) {
        const searched = obj.slice.nodeflib
          ? 'its own search paths'
          : cache
            ? "the image's /etc/ld.so.cache and the loader's directories"
            : `the loader's directories (${[...conf, ...system].join(', ')})`;
        return fail(
          obj.real,
          'library',
          `${argv0}: error while loading shared libraries: ${needed}: ${wrongClass !== null ? `wrong ELF class: ELFCLASS${wrongClass as number}` : 'cannot open shared object file: No such file or directory'}`,
          `${obj === program ? 'It' : obj.real} needs ${needed} (DT_NEEDED), which is not in ${rpath.length || runpath.length ? 'its DT_RPATH/DT_RUNPATH nor ' : ''}${searched}.`,
        );
      }
      loaded.push({ name: f.path, real: f.path, slice: f.slice });
      result.loaded.push(f.path);
    }
  }

  // Symbol versions (elf/dl-version.c): every version an object needs from a library must be defined by it.
  for (const obj of loaded) {
    for (const [file, versions] of Object.entries(obj.slice.versionNeeds)) {
      const lib = known(file);
      if (!lib || lib.slice.versionDefs.length === 0) continue;
      for (const v of versions) {
        if (lib.slice.versionDefs.includes(v)) continue;
        const by = obj === program ? argv0 : obj.name;
        return fail(
          obj.real,
          'version',
          `${argv0}: ${lib.name}: version \`${v}' not found (required by ${by})`,
          `${obj === program ? 'It' : obj.real} needs ${v} from ${file}, and the image's ${lib.real} does not define it${/^GLIBC_/.test(v) ? ` (its newest version is GLIBC_${glibcOf(lib.slice) ?? '?'})` : ''}.`,
        );
      }
    }
  }
  return result;
}

/** The glibc release a libc.so.6 is, from the highest GLIBC_x.y it defines. */
export function glibcOf(s: BinarySlice): string | null {
  let best: number[] | null = null;
  let text: string | null = null;
  for (const v of s.versionDefs) {
    const m = /^GLIBC_(\d+(?:\.\d+)+)$/.exec(v);
    if (!m) continue;
    const parts = m[1]!.split('.').map(Number);
    if (!best || compare(parts, best) > 0) {
      best = parts;
      text = m[1]!;
    }
  }
  return text;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function muslLoad(
  e: Environment,
  argv0: string,
  program: Obj,
  interp: Obj,
  result: RunResult,
  fail: (m: string, s: Step, er: string, r: string) => RunResult,
): RunResult {
  const arch = MUSL_ARCH[e.arch] ?? e.arch;
  let sys = ['/lib', '/usr/local/lib', '/usr/lib'];
  const pf = e.tree.lookup(`/etc/ld-musl-${arch}.path`);
  if (pf.ok && pf.node.data)
    sys = new TextDecoder()
      .decode(pf.node.data)
      .split(/[\n:]/)
      .map((x) => x.trim())
      .filter(Boolean);
  const libraryPath = splitPath(e.env.LD_LIBRARY_PATH ?? '', dirname(program.real));
  const loaded: Obj[] = [program, interp];
  result.loaded.push(interp.real);
  for (let i = 0; i < loaded.length; i++) {
    const obj = loaded[i]!;
    if (i === 1) continue;
    const origin = dirname(obj === program ? program.real : obj.name);
    const rpath = splitPath([...obj.slice.rpath, ...obj.slice.runpath], origin);
    for (const needed of obj.slice.needed) {
      // load_library: names like libc.so.6 or libpthread.so.0 are musl's libc itself.
      if (!needed.includes('/') && muslProvidesItself(needed)) {
        result.edges.push({ from: obj.real, needed, to: interp.real, via: 'musl (itself)' });
        continue;
      }
      const have = loaded.find((o) => o.name === needed || o.slice.soname === needed || basename(o.name) === needed);
      if (have) {
        result.edges.push({ from: obj.real, needed, to: have.real, via: 'already loaded' });
        continue;
      }
      let hit: { path: string; via: string; node: ReturnType<typeof candidate> } | null = null;
      const dirsAll: [string[], string][] = needed.includes('/')
        ? [[[dirname(resolveIn('/', needed))], 'path']]
        : [
            [libraryPath, 'LD_LIBRARY_PATH'],
            [rpath, 'DT_RPATH/DT_RUNPATH'],
            [sys, 'default directory'],
          ];
      outer: for (const [dirs, via] of dirsAll) {
        for (const d of dirs) {
          const p = resolveIn('/', `${d}/${needed.includes('/') ? basename(needed) : needed}`);
          const c = candidate(e, p);
          if (c) {
            hit = { path: p, via, node: c };
            break outer;
          }
        }
      }
      result.edges.push({ from: obj.real, needed, to: hit?.path ?? null, via: hit?.via ?? 'not found' });
      const by = obj === program ? argv0 : obj.name;
      if (!hit)
        return fail(
          obj.real,
          'library',
          `Error loading shared library ${needed}: No such file or directory (needed by ${by})`,
          `${obj === program ? 'It' : obj.real} needs ${needed} (DT_NEEDED), which is not in musl's search path (${[...libraryPath, ...rpath, ...sys].join(', ')}).`,
        );
      // musl maps the first file it finds; one of another machine fails there.
      const sl = hit.node!.slice;
      if (!sl || !sameMachine(sl, e.arch))
        return fail(
          obj.real,
          'library',
          `Error loading shared library ${needed}: Exec format error (needed by ${by})`,
          `${hit.path} is ${sl ? `${sl.archName} code` : 'not an ELF file'}.`,
        );
      loaded.push({ name: hit.path, real: hit.path, slice: sl });
      result.loaded.push(hit.path);
    }
  }
  return result;
}
