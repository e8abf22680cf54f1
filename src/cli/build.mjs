// Keeps the bundled CLI (dist-cli/) in step with the sources of a checkout:
// `bin/binlens.mjs` (what `npm run -s cli` and `npx binlens` run) calls
// ensureBuilt() first; `npm run build:cli` (and `npm pack`) run this file
// with --force.
//
// - The ARM64 engine (src/engine/build/arm64.wasm) is rebuilt when it is
//   missing or older than its sources; the bundle when it is missing or when
//   a file it was built from (dist-cli/inputs.json, written by
//   vite.cli.config.ts) changed since that build started.
// - Everything the builds print goes to stderr: stdout carries only the
//   command's own output, so `npm run -s cli -- report F --json | jq` works
//   on the first run too.
// - The bundle is built into a directory of its own and its files renamed
//   into dist-cli/ one by one, under a lock, so a CLI already running from
//   dist-cli/ (parallel tests) never sees it half-written or emptied.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const OUT = 'dist-cli';
const WASM = 'src/engine/build/arm64.wasm';
const ENGINE_SOURCES = ['src/engine/assembly', 'src/engine/asconfig.json'];
/** Inputs of every bundle besides the modules it imports. */
const BUNDLE_CONFIG = ['vite.cli.config.ts', 'src/cli/launcher.mjs', 'package-lock.json', WASM, 'src/demangle/itanium/itanium.wasm'];
/** Renamed into dist-cli/ in this order: the launcher last, once what it loads is in place. */
const OUTPUTS = ['arm64.wasm', 'itanium.wasm', 'rust-demangle.wasm', 'binlens.cjs', 'binlens.cjs.cache', 'inputs.json', 'binlens.mjs'];
const LOCK_STALE_MS = 5 * 60_000;

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Infinity; // gone: whatever was built from it is out of date
  }
}

/** The newest modification time under a file or directory. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

function engineStale(root) {
  const built = mtime(join(root, WASM));
  return built === Infinity || ENGINE_SOURCES.some((p) => newest(join(root, p)) > built);
}

function bundleStale(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, OUT, 'inputs.json'), 'utf8'));
  } catch {
    return true;
  }
  if (!existsSync(join(root, OUT, 'binlens.mjs')) || typeof stamp.started !== 'number' || !Array.isArray(stamp.files)) return true;
  return [...BUNDLE_CONFIG, ...stamp.files].some((f) => mtime(join(root, f)) > stamp.started);
}

/** Runs a build step with its output on stderr; false when it failed. */
function run(root, what, args, env = {}) {
  process.stderr.write(`binlens: ${what}\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 2, 2], env: { ...process.env, ...env } });
  if (r.status === 0) return true;
  process.stderr.write(`binlens: ${what} failed${r.error ? `: ${r.error.message}` : ''}\n`);
  return false;
}

/** An exclusive lock file; waits while another process builds. */
function lock(root) {
  const path = join(root, `${OUT}.lock`);
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      return () => rmSync(path, { force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (Date.now() - mtime(path) > LOCK_STALE_MS) rmSync(path, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function buildBundle(root) {
  const tmp = `${OUT}.tmp-${process.pid}`;
  rmSync(join(root, tmp), { recursive: true, force: true });
  try {
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const ok = run(
      root,
      'building the command-line bundle (dist-cli/)',
      [vite, 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'],
      { BINLENS_CLI_OUT: tmp },
    );
    if (!ok) return false;
    mkdirSync(join(root, OUT), { recursive: true });
    for (const f of OUTPUTS) if (existsSync(join(root, tmp, f))) renameSync(join(root, tmp, f), join(root, OUT, f));
    return true;
  } finally {
    rmSync(join(root, tmp), { recursive: true, force: true });
  }
}

/**
 * Brings dist-cli/ up to date (`force`: the bundle is rebuilt in any case). Returns false, after
 * saying why on stderr, when the bundle cannot be built and none is usable.
 */
export function ensureBuilt(root, { force = false } = {}) {
  if (!force && !engineStale(root) && !bundleStale(root)) return true;
  if (!existsSync(join(root, 'node_modules', 'vite'))) {
    if (force || !existsSync(join(root, OUT, 'binlens.mjs'))) {
      process.stderr.write('binlens: the command-line bundle is not built and cannot be: run npm install first\n');
      return false;
    }
    process.stderr.write('binlens: warning: sources changed since the bundle was built, and npm install has not been run to rebuild it\n');
    return true;
  }
  const unlock = lock(root);
  try {
    // Another process may have built it while this one waited.
    if (engineStale(root)) {
      if (
        !run(root, 'building the ARM64 engine (src/engine/build/arm64.wasm)', [
          join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js'),
          'src/engine/assembly/index.ts',
          '--config',
          'src/engine/asconfig.json',
        ])
      )
        return false;
    }
    if (force || bundleStale(root)) return buildBundle(root);
    return true;
  } finally {
    unlock();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = ensureBuilt(process.cwd(), { force: process.argv.includes('--force') }) ? 0 : 1;
}
