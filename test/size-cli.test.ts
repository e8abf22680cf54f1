// `binlens size`, run as a user would: the lines of each slice add up to it,
// section figures are llvm-size -A's, symbol figures llvm-nm -S's, Go
// packages and C++ namespaces group them, and names from the file are
// escaped like every command's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildElf, strtab, symtab64 } from './elf-writer.ts';

const ROOT = join(import.meta.dirname, '..');
const GO = join(ROOT, 'fixtures/go/bin/go1.19-arm64-linux-exe');
const CXX = join(ROOT, 'fixtures/names/bin/cxx-x86_64-linux.o');
const UNIVERSAL = join(ROOT, 'fixtures/macho/bin/lld-universal-macos-exe');
const hasTools = spawnSync('llvm-size-19', ['--version']).status === 0 && spawnSync('llvm-nm-19', ['--version']).status === 0;

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

interface Line {
  bytes: number;
  percent: string;
  kind: string;
  name: string;
}

function lines(stdout: string): Line[] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter((l) => !l.startsWith('# '))
    .map((l) => {
      const cols = l.split('\t');
      expect(cols, l).toHaveLength(4);
      return { bytes: Number(cols[0]), percent: cols[1]!, kind: cols[2]!, name: cols[3]! };
    });
}

const total = (ls: Line[]) => ls.reduce((n, l) => n + l.bytes, 0);
const fileSize = (p: string) => spawnSync('stat', ['-c', '%s', p], { encoding: 'utf8' }).stdout.trim();

describe('binlens size', () => {
  it('by section (the default): llvm-size -A figures, zero-fill as such, the bytes in no section; the lines are the file', () => {
    const r = cli('size', GO);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const ls = lines(r.stdout);
    expect(total(ls)).toBe(Number(fileSize(GO)));
    expect(ls[0]).toEqual({ bytes: 392_992, percent: '35.0%', kind: 'section', name: '.text' });
    expect(ls).toContainEqual({ bytes: 0, percent: '0.0%', kind: 'zerofill', name: '.bss' });
    expect(ls.filter((l) => l.kind === 'unattributed').map((l) => l.name)).toContain('in no segment or section');
    // Biggest first.
    expect(ls.map((l) => l.bytes)).toEqual([...ls.map((l) => l.bytes)].sort((a, b) => b - a));
    if (hasTools) {
      // llvm-size -A leaves out ELF symbol and string tables that are not loaded; every section it lists has its figure.
      const want = new Map<string, number>();
      for (const m of spawnSync('llvm-size-19', ['-A', GO], { encoding: 'utf8' }).stdout.matchAll(/^(\.\S+)\s+(\d+)\s+\d+$/gm))
        want.set(m[1]!, Number(m[2]));
      const mine = ls.filter((x) => x.kind === 'section' && want.has(x.name));
      expect(mine.length).toBeGreaterThanOrEqual(8);
      for (const l of mine) expect(l.bytes, l.name).toBe(want.get(l.name));
    }
  });

  it('by symbol: demangled names with llvm-nm -S sizes, the rest by section', () => {
    const r = cli('size', CXX, '--by', 'symbol');
    expect(r.status).toBe(0);
    const ls = lines(r.stdout);
    expect(total(ls)).toBe(Number(fileSize(CXX)));
    expect(ls).toContainEqual(expect.objectContaining({ bytes: 15, kind: 'symbol', name: 'outer::(anonymous namespace)::hidden(int)' }));
    expect(ls).toContainEqual(expect.objectContaining({ kind: 'unattributed', name: '.eh_frame' }));
    if (hasTools) {
      const nm = spawnSync('llvm-nm-19', ['-S', '-C', '--defined-only', CXX], { encoding: 'utf8' }).stdout;
      for (const l of ls.filter((x) => x.kind === 'symbol').slice(0, 20)) {
        expect(nm, l.name).toContain(` ${l.bytes.toString(16).padStart(16, '0')} `);
        expect(nm, l.name).toContain(` ${l.name}\n`);
      }
    }
  });

  it('by package: Go packages (the function table), C++ namespaces, the unattributed bytes', () => {
    const go = lines(cli('size', GO, '--by=package').stdout);
    expect(total(go)).toBe(Number(fileSize(GO)));
    expect(go.find((l) => l.name === 'runtime')?.kind).toBe('package');
    expect(go.find((l) => l.name === 'main')?.kind).toBe('package');
    expect(go[0]!.kind).toBe('unattributed');
    const cxx = lines(cli('size', CXX, '--by', 'package').stdout);
    expect(cxx.map((l) => [l.kind, l.name])).toEqual(
      expect.arrayContaining([
        ['namespace', 'outer'],
        ['namespace', '(global namespace)'],
        ['names', '(not mangled: C, assembly)'],
      ]),
    );
  });

  it('a universal file: each slice after # ARCH<TAB>BYTES, its lines adding up to it; --arch picks one', () => {
    const out = cli('size', UNIVERSAL).stdout.trimEnd().split('\n');
    const heads = out.map((l, i) => ({ l, i })).filter((x) => x.l.startsWith('# '));
    expect(heads.map((h) => h.l.split('\t')[0])).toEqual(['# x86_64', '# arm64']);
    for (const [k, h] of heads.entries()) {
      const body = out.slice(h.i + 1, heads[k + 1]?.i ?? out.length).join('\n');
      expect(total(lines(body))).toBe(Number(h.l.split('\t')[1]));
    }
    const one = cli('size', UNIVERSAL, '--arch', 'arm64', '--by', 'symbol');
    expect(one.status).toBe(0);
    expect(one.stdout).not.toContain('# ');
    expect(lines(one.stdout)).toContainEqual(expect.objectContaining({ bytes: 252, kind: 'symbol', name: '_main' }));
  });

  it('--json: every list of each slice', () => {
    const r = cli('size', GO, '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      file: string;
      size: number;
      slices: { arch: string; grouping: string; symbols: { name: string }[] }[];
    };
    expect(j.file).toBe('go1.19-arm64-linux-exe');
    expect(j.slices[0]!.arch).toBe('arm64');
    expect(j.slices[0]!.grouping).toBe('go');
    expect(j.slices[0]!.symbols.some((s) => s.name === 'main.main')).toBe(true);
  });

  it('escapes names from the file; refuses a bad --by and a missing file with one line', () => {
    const evil = 'evil\x1b[2J\tname\u202e';
    const str = strtab([evil]);
    const build = (textAt: number) =>
      buildElf({
        type: 1,
        machine: 183,
        sections: [
          { name: '.text', type: 1, flags: 6n, align: 4, data: new Uint8Array(8) },
          symtab64(3, [{ name: str.offsets[evil]!, bind: 1, type: 2, shndx: 1, value: BigInt(textAt), size: 8n }]),
          { name: '.strtab', type: 3, data: str.data },
        ],
      });
    const dir = mkdtempSync(join(tmpdir(), 'binlens-size-'));
    const path = join(dir, 'evil.o');
    writeFileSync(path, build(build(0).dataOffset['.text']!).bytes);
    const r = cli('size', path, '--by', 'symbol');
    expect(r.status).toBe(0);
    // eslint-disable-next-line no-control-regex -- raw control characters in the output are what is checked
    expect(r.stdout.replace(/\t/g, ' ')).not.toMatch(/[\x00-\x09\x0b-\x1f\u202e]/);
    expect(lines(r.stdout)).toContainEqual(expect.objectContaining({ kind: 'symbol', name: 'evil\\x1b[2J\\tname\\u202e' }));

    const bad = cli('size', GO, '--by', 'color');
    expect(bad.status).toBe(64);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = cli('size', join(dir, 'nope'));
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
