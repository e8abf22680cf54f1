// `binlens disasm` and the engine's text-lines path it prints from: the lines
// must be exactly the rows the page lists (`ADDRESS:<TAB>TEXT`), and, where
// llvm-objdump-19 is installed, exactly llvm-objdump's instructions.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { hasObjdump, objdumpSlices } from './arm64-objdump.ts';
import { FIXTURES } from './corpus.ts';
import { rng } from './rng.ts';

const ROOT = resolve(import.meta.dirname, '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'disasm', ...args], {
    cwd: ROOT,
    encoding: 'latin1',
    maxBuffer: 1 << 28,
  });

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

/** The listing as the page's rows give it. */
function rowLines(bytes: Uint8Array, address: bigint, withAddress: boolean, max = Infinity): string {
  const out: string[] = [];
  engine.disasm(bytes, address, (r) => out.push(`${withAddress ? `${r.address.toString(16)}:\t` : ''}${r.text}\n`), max);
  return out.join('');
}

function textLines(bytes: Uint8Array, address: bigint, withAddress: boolean, max = Infinity): { text: string; n: number; chunks: number } {
  const dec = new TextDecoder('latin1');
  let text = '';
  let chunks = 0;
  const n = engine.disasmLines(
    bytes,
    address,
    withAddress,
    (c) => {
      text += dec.decode(c);
      chunks++;
    },
    max,
  );
  return { text, n, chunks };
}

describe('engine text lines', () => {
  // 1.5 MB of random words: every decoder group, <unknown> words, and more
  // text than the engine's output buffer holds, so the call resumes mid-input.
  const words = new Uint8Array(3 << 19);
  const dv = new DataView(words.buffer);
  const next = rng(0x51ed270b);
  for (let i = 0; i < words.length; i += 4) dv.setUint32(i, next(), true);

  it.each([
    ['llvm', 0x400000n],
    ['apple', 0x100003f00n],
    ['llvm', 0xfffffffffff00000n],
  ] as const)('equal the rows (%s syntax, at %s), with and without addresses', (syntax, at) => {
    engine.setSyntax(syntax);
    for (const withAddress of [false, true]) {
      const got = textLines(words, at, withAddress);
      expect(got.n).toBe(words.length / 4);
      expect(got.chunks).toBeGreaterThan(1);
      const want = rowLines(words, at, withAddress);
      expect(got.text.length).toBe(want.length);
      expect(got.text === want).toBe(true);
    }
    engine.setSyntax('llvm');
  });

  it('stop after max instructions', () => {
    const got = textLines(words, 0x1000n, true, 1001);
    expect(got.n).toBe(1001);
    expect(got.text).toBe(rowLines(words, 0x1000n, true, 1001));
    expect(got.text.split('\n')).toHaveLength(1002);
  });
});

describe('binlens disasm', () => {
  const elf = join(FIXTURES, 'elf/bin/aarch64-glibc-pie-pacbti');
  const macho = join(FIXTURES, 'macho/bin/lld-arm64-macos-exe');

  it.each([
    ['ELF (LLVM syntax)', elf],
    ['Mach-O (Apple syntax)', macho],
  ])('%s: one ADDRESS<TAB>TEXT line per instruction, as llvm-objdump -d prints them', (_, file) => {
    const r = cli(file);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(20);
    for (const l of lines) expect(l).toMatch(/^[0-9a-f]+:\t\S/);
    if (hasObjdump()) {
      const want = objdumpSlices(file, new Uint8Array(readFileSync(file)))[0]!.lines.map((l) => `${l.address.toString(16)}:\t${l.text}`);
      expect(lines).toEqual(want);
    }
  });

  it('--start and --count pick a window', () => {
    const all = cli(elf).stdout.split('\n');
    const from = all[10]!.split(':')[0]!;
    const r = cli(elf, '--start', `0x${from}`, '--count', '3');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(all.slice(10, 13).join('\n') + '\n');
  });

  it('a reader that closes the pipe early ends the run quietly (no stack trace), status 0', () => {
    // A Go binary's listing into `head -c 100`: the CLI's later writes hit a closed pipe.
    const go = join(FIXTURES, 'go/bin/go1.19-arm64-linux-exe');
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" --import tsx src/cli/main.ts disasm "$1" | head -c 100 >/dev/null; echo \${PIPESTATUS[0]}`, 'bash', go],
      { cwd: ROOT, encoding: 'latin1' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0');
  });

  it('a bad --count, an unknown section, an x86_64 file: one line on stderr and a non-zero status', () => {
    const bad = cli(elf, '--count', 'many');
    expect(bad.status).toBe(64);
    const section = cli(elf, '--section', '.nope');
    expect(section.status).toBe(2);
    expect(section.stderr.trim().split('\n')).toHaveLength(1);
    const x86 = cli(join(FIXTURES, 'elf/bin/x86_64-glibc-pie'));
    expect(x86.status).toBe(2);
    expect(x86.stdout).toBe('');
    expect(x86.stderr.trim().split('\n')).toHaveLength(1);
  });
});
