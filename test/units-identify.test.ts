// A unit's file is identified once: its first bytes say both what it is and,
// for a binary, which parser reads it (ARCHITECTURE: "identify once per file").
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MemorySource } from '../src/parsers/reader.ts';
import { unitFromSource } from '../src/units/unit.ts';
import { tar } from './tar-writer.ts';

const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('../src/parsers/identify.ts', async (real) => {
  const m = await real<typeof import('../src/parsers/identify.ts')>();
  return {
    ...m,
    identify: (...a: Parameters<typeof m.identify>) => {
      calls.n++;
      return m.identify(...a);
    },
  };
});

const ELF = readFileSync(join(resolve(import.meta.dirname, '..'), 'fixtures', 'elf', 'bin', 'aarch64-static-bti'));

describe('identify', () => {
  it('is asked once per file: the tar, then each member, binary or not', async () => {
    const bytes = tar([
      { name: 'bin/tool', data: ELF, mode: 0o755 },
      { name: 'README', data: 'hello\n' },
      { name: 'run.sh', data: '#!/bin/sh\nexec tool\n', mode: 0o755 },
    ]);
    calls.n = 0;
    const unit = await unitFromSource(new MemorySource(bytes), 'release.tar');
    expect(unit.errors).toEqual([]);
    expect(unit.members.map((m) => m.path).sort()).toContain('/bin/tool');
    expect(calls.n).toBe(4);
  });

  it('a binary dropped alone is identified once', async () => {
    calls.n = 0;
    const unit = await unitFromSource(new MemorySource(ELF), 'tool');
    expect(unit.members).toHaveLength(1);
    expect(calls.n).toBe(1);
  });
});
