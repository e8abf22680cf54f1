// Units: time to a unit verdict (`check`) on the largest test image, against
// `tar -xf` of the same file into an empty folder, in the same run; and the
// rate a compressed image is decompressed and walked (bytes of tar per second).
// The images are the ones `npm run testdata` builds (scripts/unit-images.mjs).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { unitFromPath } from '../src/cli/unitSource.ts';
import { median } from './timing.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, '.cache', 'testdata', 'units');

export interface UnitBench {
  file: string;
  bytes: number;
  members: number;
  cliMs: number;
  inProcessMs: number;
  tarMs: number;
  gz: { file: string; tarBytes: number; ms: number } | null;
}

export async function benchUnits(runs = 3): Promise<UnitBench | null> {
  if (!existsSync(DIR)) return null;
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.tar'))
    .map((f) => join(DIR, f));
  if (files.length === 0) return null;
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  const cli = join(ROOT, 'dist-cli', 'binlens.mjs');
  const cliTimes: number[] = [];
  const tarTimes: number[] = [];
  const inProc: number[] = [];
  let members = 0;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    spawnSync(process.execPath, [cli, 'check', largest, '--json'], { stdio: 'ignore' });
    cliTimes.push(performance.now() - t);
    const dir = mkdtempSync(join(tmpdir(), 'binlens-tar-'));
    t = performance.now();
    spawnSync('tar', ['-xf', largest, '-C', dir], { stdio: 'ignore' });
    tarTimes.push(performance.now() - t);
    rmSync(dir, { recursive: true, force: true });
    t = performance.now();
    members = (await unitFromPath(largest)).members.length;
    inProc.push(performance.now() - t);
  }
  let gz: UnitBench['gz'] = null;
  const gzFile = join(DIR, 'hello-glibc-amd64.docker.tar.gz');
  if (existsSync(gzFile)) {
    const tarBytes = gunzipSync(readFileSync(gzFile)).byteLength;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await unitFromPath(gzFile);
      times.push(performance.now() - t);
    }
    gz = { file: 'hello-glibc-amd64.docker.tar.gz', tarBytes, ms: median(times) };
  }
  return {
    file: largest.slice(DIR.length + 1),
    bytes: statSync(largest).size,
    members,
    cliMs: median(cliTimes),
    inProcessMs: median(inProc),
    tarMs: median(tarTimes),
    gz,
  };
}

export function formatUnitBench(b: UnitBench | null): string {
  if (!b) return 'Units: no test images (run `npm run testdata`)';
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const lines = [
    `Units: time to a unit verdict on the largest test image, ${b.file} (${mb(b.bytes)} MB, ${b.members} files), median of 3`,
    `  binlens check (CLI, whole process)   ${b.cliMs.toFixed(0).padStart(6)} ms   ${(b.cliMs / b.tarMs).toFixed(2)}× tar -xf`,
    `  binlens unit verdict (in process)    ${b.inProcessMs.toFixed(0).padStart(6)} ms   ${(b.inProcessMs / b.tarMs).toFixed(2)}× tar -xf`,
    `  tar -xf (extract to an empty folder) ${b.tarMs.toFixed(0).padStart(6)} ms`,
  ];
  if (b.gz)
    lines.push(
      `  ${b.gz.file}: ${mb(b.gz.tarBytes)} MB of tar decompressed and walked in ${b.gz.ms.toFixed(0)} ms (${mb(b.gz.tarBytes / (b.gz.ms / 1000))} MB/s, layers included)`,
    );
  return lines.join('\n');
}
