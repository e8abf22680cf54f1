#!/usr/bin/env node
// Is the CLI's report the same as before a change? Writes `binlens report --json`
// and the text report of every corpus file (../shared/corpus/bin, or
// BINLENS_CORPUS), every fixture binary (fixtures/*/bin) and two unreadable
// paths; `binlens check --json` and its text for every unit `npm run testdata`
// fetched (.cache/testdata: images, wheels, .debs, npm packages) and three
// fixture folders; and `binlens symbols` for the name fixtures and a few
// ELF, Mach-O and Go files. One file per input and command, compared with a
// baseline.
//
//   node scripts/report-identity.mjs --baseline main   # reports of main's commit, built in a temporary worktree
//   node scripts/report-identity.mjs                    # this checkout's reports against that baseline
//   node scripts/report-identity.mjs --only check/      # only the outputs whose key starts so (report/ corpus/
//                                                       # fixtures/ unreadable/ check/ symbols/), against the same baseline
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

/** Units for `check`: what `npm run testdata` fetched (absent ones are left out, and said so), and fixture folders. */
function units() {
  const list = [];
  const testdata = join(root, '.cache', 'testdata');
  for (const dir of ['units', 'debs', 'npm']) {
    const d = join(testdata, dir);
    if (!existsSync(d)) {
      console.log(`no ${relative(root, d)} (npm run testdata): its units are left out`);
      continue;
    }
    for (const n of readdirSync(d).sort()) list.push({ key: `check/${dir}/${n}`, path: join(d, n) });
  }
  for (const dir of ['elf', 'macho', 'go']) list.push({ key: `check/folder/${dir}`, path: join(root, 'fixtures', dir, 'bin') });
  return list;
}

/** Files for `symbols`: C++ and Rust names, ELF with and without .symtab, Mach-O thin and universal, Go. */
function symbolFiles() {
  const names = join(root, 'fixtures', 'names', 'bin');
  const list = readdirSync(names)
    .sort()
    .map((n) => ({ key: `symbols/names/${n}`, path: join(names, n) }));
  for (const rel of [
    'elf/bin/aarch64-glibc-pie',
    'elf/bin/aarch64-glibc-pie-now-stripped',
    'elf/bin/x86_64-glibc-pie',
    'macho/bin/lld-arm64-macos-exe',
    'macho/bin/lld-universal-macos-exe',
    'go/bin/go1.19-arm64-linux-exe',
  ])
    list.push({ key: `symbols/${rel.replace('/bin/', '/')}`, path: join(root, 'fixtures', rel) });
  return list;
}

/** One command's exit status, stdout and stderr, without the checkout's own path (the path is printed as given). */
function run(dir, cli, args) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  return `exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`.replaceAll(dir, '<checkout>').replaceAll(root, '<checkout>');
}

/** Runs `binlens report`, `check` and `symbols` in checkout `dir` over every input; writes KEY.json, KEY.txt under `out`. */
function writeReports(dir, out, only = '') {
  if (!only) rmSync(out, { recursive: true, force: true });
  const cli = join(dir, 'bin', 'binlens.mjs');
  // The first run rebuilds a stale bundle and says so on stderr: do it before the first output is taken.
  spawnSync(process.execPath, [cli, '--help'], { cwd: dir, stdio: 'ignore' });
  const jobs = [
    ...inputs().map((i) => ({ ...i, command: 'report' })),
    ...units().map((i) => ({ ...i, command: 'check' })),
    ...symbolFiles().map((i) => ({ ...i, command: 'symbols' })),
  ].filter((j) => j.key.startsWith(only));
  for (const { key, path, command } of jobs) {
    const file = join(out, key.replaceAll('/', '__'));
    mkdirSync(dirname(file), { recursive: true });
    if (command === 'symbols') {
      writeFileSync(`${file}.txt`, run(dir, cli, ['symbols', path]));
      continue;
    }
    writeFileSync(`${file}.json`, run(dir, cli, [command, path, '--json']));
    writeFileSync(`${file}.txt`, run(dir, cli, [command, path]));
  }
  return jobs.length;
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
const o = args.indexOf('--only');
const only = o >= 0 ? (args[o + 1] ?? '') : '';
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
const n = writeReports(root, currentDir, only);
const names = new Set([...readdirSync(baselineDir), ...readdirSync(currentDir)].filter((f) => f.startsWith(only.replaceAll('/', '__'))));
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
console.log(
  `${n} inputs, ${names.size} outputs (report and check: --json and text; symbols): ${same} identical to ${base}'s, ${differ.length} differ`,
);
for (const d of differ) console.log(`  ${d}`);
process.exit(differ.length ? 1 : 0);
