#!/usr/bin/env node
// Is the CLI's report the same as before a change? Writes `binlens report --json`
// and the text report of every corpus file (../shared/corpus/bin, or
// BINLENS_CORPUS), every fixture binary (fixtures/*/bin) and two unreadable
// paths, one file per input, and compares them with a baseline.
//
//   node scripts/report-identity.mjs --baseline main   # reports of main's commit, built in a temporary worktree
//   node scripts/report-identity.mjs                    # this checkout's reports against that baseline
//
// The baseline lives in .cache/report-identity/ (not committed: it is made from
// the corpus). A refactor that must not change behaviour leaves every report
// byte-identical; the script exits 1 and names the first differing line of each
// file otherwise. Reports depend on the day (Go release support), so take the
// baseline on the day you compare.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'report-identity');
const baselineDir = join(cache, 'baseline');
const currentDir = join(cache, 'current');
const corpus = process.env.BINLENS_CORPUS ?? resolve(root, '..', 'shared', 'corpus');

/** Every input, as a path relative to `root` (or absolute for the corpus), named by a stable key. */
function inputs() {
  const list = [];
  const corpusBin = join(corpus, 'bin');
  if (existsSync(corpusBin)) {
    for (const n of readdirSync(corpusBin).sort()) list.push({ key: `corpus/${n}`, path: join(corpusBin, n) });
  } else {
    console.log(`no corpus at ${corpusBin}: comparing fixtures only`);
  }
  for (const dir of readdirSync(join(root, 'fixtures')).sort()) {
    const bin = join(root, 'fixtures', dir, 'bin');
    if (!existsSync(bin) || !statSync(bin).isDirectory()) continue;
    for (const n of readdirSync(bin).sort()) {
      const p = join(bin, n);
      if (statSync(p).isFile()) list.push({ key: `fixtures/${dir}/${n}`, path: p });
    }
  }
  // The report of a file that cannot be read: a missing path and a directory.
  list.push({ key: 'unreadable/missing', path: join(root, 'fixtures', 'no-such-file') });
  list.push({ key: 'unreadable/directory', path: join(root, 'fixtures') });
  return list;
}

/** Runs `binlens report` in checkout `dir` over every input; writes KEY.json and KEY.txt under `out`. */
function writeReports(dir, out) {
  rmSync(out, { recursive: true, force: true });
  const cli = join(dir, 'bin', 'binlens.mjs');
  const all = inputs();
  for (const { key, path } of all) {
    const file = join(out, key.replaceAll('/', '__'));
    mkdirSync(dirname(file), { recursive: true });
    for (const [ext, extra] of [
      ['json', ['--json']],
      ['txt', []],
    ]) {
      const r = spawnSync(process.execPath, [cli, 'report', path, ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
      // The path is printed as given; the checkout's own path is not part of the comparison.
      const text = `exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`
        .replaceAll(dir, '<checkout>')
        .replaceAll(root, '<checkout>');
      writeFileSync(`${file}.${ext}`, text);
    }
  }
  return all.length;
}

/** A worktree of `rev` next to this checkout's node_modules, its engine built; removed afterwards. */
function withWorktree(rev, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'binlens-baseline-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, rev], { cwd: root, stdio: 'inherit' });
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    execFileSync('npm', ['run', '-s', 'build:engine'], { cwd: dir, stdio: 'inherit' });
    return fn(dir);
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'inherit' });
  }
}

const args = process.argv.slice(2);
const b = args.indexOf('--baseline');
if (b >= 0) {
  const rev = args[b + 1] ?? 'main';
  const commit = execFileSync('git', ['rev-parse', rev], { cwd: root, encoding: 'utf8' }).trim();
  const n = withWorktree(commit, (dir) => writeReports(dir, baselineDir));
  writeFileSync(join(cache, 'baseline-commit'), commit + '\n');
  console.log(`baseline: ${n} inputs reported by ${commit.slice(0, 12)} (${rev}) in ${relative(root, baselineDir)}/`);
  process.exit(0);
}

if (!existsSync(baselineDir)) {
  console.error('no baseline: run `node scripts/report-identity.mjs --baseline main` first');
  process.exit(2);
}
execFileSync('npm', ['run', '-s', 'build:engine'], { cwd: root, stdio: 'inherit' });
const n = writeReports(root, currentDir);
const names = new Set([...readdirSync(baselineDir), ...readdirSync(currentDir)]);
let same = 0;
const differ = [];
for (const name of [...names].sort()) {
  const a = existsSync(join(baselineDir, name)) ? readFileSync(join(baselineDir, name), 'utf8') : null;
  const c = existsSync(join(currentDir, name)) ? readFileSync(join(currentDir, name), 'utf8') : null;
  if (a === c) {
    same++;
    continue;
  }
  if (a === null || c === null) {
    differ.push(`${name}: only in ${a === null ? 'this checkout' : 'the baseline'}`);
    continue;
  }
  const la = a.split('\n');
  const lc = c.split('\n');
  let i = 0;
  while (la[i] === lc[i]) i++;
  differ.push(
    `${name}: line ${i + 1}\n    baseline: ${(la[i] ?? '<end>').slice(0, 200)}\n    now:      ${(lc[i] ?? '<end>').slice(0, 200)}`,
  );
}
const base = readFileSync(join(cache, 'baseline-commit'), 'utf8').trim().slice(0, 12);
console.log(`${n} inputs, ${names.size} outputs (report --json and text): ${same} identical to ${base}'s, ${differ.length} differ`);
for (const d of differ) console.log(`  ${d}`);
process.exit(differ.length ? 1 : 0);
