// binlens command-line launcher (copied to dist-cli/binlens.mjs by
// vite.cli.config.ts). It runs the bundled CLI (binlens.cjs) from V8's code
// cache (binlens.cjs.cache, written at build time by one run over the
// project's fixtures), so a run does not parse and compile the bundle's
// functions again: about 15–30 ms of every invocation. A cache that does not
// match this Node or this bundle is rejected by V8 and the bundle compiles
// as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'binlens.cjs');
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const source = readFileSync(file, 'utf8');
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
if (process.env.BINLENS_CODE_CACHE_CHECK === '1') {
  process.stderr.write(`binlens: code cache ${cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
}
if (process.env.BINLENS_WRITE_CODE_CACHE === '1') {
  // After the run: the cache then holds every function the run compiled.
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, here);
