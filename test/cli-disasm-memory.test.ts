// `binlens disasm FILE | slow-reader` holds at most a chunk of the listing,
// whatever the reader: the CLI waits for the pipe to drain instead of
// queueing the whole listing in memory. The file is made here: 24 MB of
// arm64 code whose listing (about 170 MB) is far more than the bound.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildElf } from './elf-writer.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TEXT_BYTES = 24 << 20;
const LIMIT_MB = 200;

// A function's worth of common instructions (stp/mov/ldr/add/bl/cbz/ldp/ret), repeated.
const PATTERN = [0xa9bf7bfd, 0x910003fd, 0xf9400be0, 0x91004020, 0x94000010, 0xb4000060, 0xa8c17bfd, 0xd65f03c0];

const dir = mkdtempSync(join(tmpdir(), 'binlens-disasm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bigArm64Elf(): string {
  const text = new Uint8Array(TEXT_BYTES);
  const dv = new DataView(text.buffer);
  for (let i = 0; i < TEXT_BYTES; i += 4) dv.setUint32(i, PATTERN[(i >> 2) % PATTERN.length]!, true);
  const elf = buildElf({
    machine: 183, // EM_AARCH64
    type: 2, // ET_EXEC
    sections: [{ name: '.text', type: 1, flags: 6n, align: 16, data: text }],
    segments: [{ type: 1, flags: 5, sections: ['.text'] }],
  });
  const path = join(dir, 'big-text');
  writeFileSync(path, elf.bytes);
  return path;
}

/** Runs `disasm FILE --stats` with a reader that reads nothing for a while, then everything. */
function disasmToPausedReader(file: string, pauseMs: number): Promise<{ status: number | null; lines: number; stderr: string }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'disasm', file, '--stats'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = 0;
    let stderr = '';
    p.stdout.pause();
    p.stdout.on('data', (c: Buffer) => {
      for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
    });
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    setTimeout(() => p.stdout.resume(), pauseMs);
    p.on('error', fail);
    p.on('close', (status) => done({ status, lines, stderr }));
  });
}

it(`disasm into a paused pipe stays under ${LIMIT_MB} MB (backpressure), and prints every line`, async () => {
  const file = bigArm64Elf();
  // Long enough for the whole listing to be produced several times over were it queued.
  const r = await disasmToPausedReader(file, 4000);
  expect(r.status).toBe(0);
  expect(r.lines).toBe(TEXT_BYTES / 4);
  const m = /peak RSS ([\d.]+) MB/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  expect(Number(m![1])).toBeLessThan(LIMIT_MB);
}, 120_000);
