// Sparse giants (issue #13): an ELF of 4 GB, almost all of it a hole, with its
// section headers near the end. Only the SHA-256 may read every byte; the
// parsers, Go, the ARM64 scan and the verdicts read what the headers describe.
// The hash is the slow step and says so: `--progress` (and a terminal) shows it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkedSource, type ByteSource } from '../src/parsers/reader.ts';
import { buildReport } from '../src/report/pipeline.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { FIXTURES } from './corpus.ts';

const ROOT = resolve(import.meta.dirname, '..');
const GB = 1 << 30;

/** The fixture's bytes with e_shoff moved to `size` − 64 KB, and its section headers copied there. */
function giant(size: number): { head: Uint8Array; shoff: number; table: Uint8Array } {
  const src = Buffer.from(readFileSync(join(FIXTURES, 'elf/bin/aarch64-static-pie')));
  const shoff = Number(src.readBigUInt64LE(0x28));
  const table = src.subarray(shoff, shoff + src.readUInt16LE(0x3a) * src.readUInt16LE(0x3c));
  const at = size - 65536;
  src.writeBigUInt64LE(BigInt(at), 0x28);
  return { head: new Uint8Array(src), shoff: at, table: new Uint8Array(table) };
}

/** A file of `size` bytes that is holes except for the header and the section headers. */
class SparseImage implements ByteSource {
  bytesRead = 0;
  constructor(
    readonly size: number,
    private readonly parts: { at: number; bytes: Uint8Array }[],
  ) {}
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    this.bytesRead += n;
    const out = new Uint8Array(n);
    for (const p of this.parts) {
      const from = Math.max(offset, p.at);
      const to = Math.min(offset + n, p.at + p.bytes.byteLength);
      if (from < to) out.set(p.bytes.subarray(from - p.at, to - p.at), from - offset);
    }
    return out;
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'binlens-sparse-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 4 GB sparse ELF with its section headers at the end', () => {
  it('everything but the hash reads a few megabytes, read through the chunk cache as the worker and the CLI read it', async () => {
    const size = 4 * GB;
    const g = giant(size);
    const image = new SparseImage(size, [
      { at: 0, bytes: g.head },
      { at: g.shoff, bytes: g.table },
    ]);
    const { report } = buildReport(new ChunkedSource(image), 'giant', { engine: await loadEngine(), skipHash: true });
    expect(report.errors).toEqual([]);
    expect(report.slices[0]!.sections.length).toBeGreaterThan(10);
    expect(report.slices[0]!.arm64).toBeDefined();
    // Two 1 MB chunks: the one holding the headers and code, the one holding the section headers.
    expect(image.bytesRead).toBeLessThanOrEqual(4 << 20);
  });

  it('report and link --progress say that the hash reads every byte, and how far it is; the hash is right', () => {
    const size = GB / 2; // past PROGRESS_MIN; a hole costs no disk
    const g = giant(size);
    const file = join(dir, 'giant');
    const fd = openSync(file, 'w');
    writeSync(fd, g.head, 0, g.head.byteLength, 0);
    writeSync(fd, g.table, 0, g.table.byteLength, g.shoff);
    ftruncateSync(fd, size);
    closeSync(fd);
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    for (const command of ['report', 'link']) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), command, file, '--progress', ...(command === 'report' ? ['--json'] : [])],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0], command).toMatch(
        /^binlens: hashing .*giant \(every byte, holes of a sparse file too; the headers are read apart\): 0% \(0 MB of 512 MB\)$/,
      );
      expect(lines.at(-1), command).toMatch(/: 100% \(512 MB of 512 MB\)$/);
      expect(lines.length, command).toBe(11);
      if (command === 'report') expect(JSON.parse(r.stdout).file.sha256).toBe(want);
    }
  });
});
