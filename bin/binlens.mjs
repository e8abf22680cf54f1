#!/usr/bin/env node
// The `binlens` command (package.json "bin"; `npm run -s cli` runs it too).
// In a checkout it first brings the bundle (dist-cli/) up to date with the
// sources (src/cli/build.mjs: rebuilt only when a source is newer, its output
// on stderr); an installed package ships the bundle built and no sources.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builder = join(root, 'src', 'cli', 'build.mjs');
if (existsSync(builder)) {
  const { ensureBuilt } = await import(pathToFileURL(builder).href);
  if (!ensureBuilt(root)) process.exit(2);
}
await import(pathToFileURL(join(root, 'dist-cli', 'binlens.mjs')).href);
