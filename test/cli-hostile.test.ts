// The command line against hostile paths and hostile strings, run as a user
// would (issue #13): device files, FIFOs, sockets and directories are refused
// before a byte is read; a missing path, a directory, an empty file, a file
// without findable code and an unknown ELF class each give one line that says
// why and exit 2 from every command; strings from a binary, a link or a path
// reach the terminal escaped, JSON as it is.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/report/pipeline.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { encodePermalink } from '../src/share/permalink.ts';
import { CONTROL_CHARS } from '../src/share/controls.ts';
import { FIXTURES } from './corpus.ts';
import { buildElf, dynamic, strtab } from './elf-writer.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from its sources; a run that has not ended after 30 s is killed (status null). */
function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, asynchronously (a socket's server must keep running in this process meanwhile). */
function cliAsync(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

const COMMANDS = ['report', 'disasm', 'go-functions', 'link', 'symbols', 'size'] as const;
const ARM64 = join(FIXTURES, 'elf/bin/aarch64-static-pie');

/** Raw control or bidi characters other than the newlines and tabs of the layout. */
function rawControls(text: string): string[] {
  return [...text.matchAll(CONTROL_CHARS)].map((m) => m[0]).filter((c) => c !== '\n' && c !== '\t');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'binlens-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inputs that are not regular files', () => {
  it('/dev/zero: every command refuses it at once, one line, exit 2 (it read forever)', () => {
    for (const c of COMMANDS) {
      const r = cli(c, '/dev/zero');
      expect(r.status, `${c}: ${r.stderr}`).toBe(2);
      expect(r.stderr, c).toBe(`binlens ${c}: /dev/zero: is a character device, not a file\n`);
    }
  });

  it('a FIFO with no writer: refused without blocking, exit 2', () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const c of COMMANDS) {
      const r = cli(c, fifo);
      expect(r.status, `${c}: ${r.stderr}`).toBe(2);
      expect(r.stderr, c).toBe(`binlens ${c}: ${fifo}: is a FIFO (named pipe), not a file\n`);
    }
  });

  it('a socket: refused, exit 2', async () => {
    const path = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((ok) => server.listen(path, ok));
    try {
      for (const c of COMMANDS) {
        const r = await cliAsync(c, path);
        expect(r.status, `${c}: ${r.stderr}`).toBe(2);
        expect(r.stderr, c).toBe(`binlens ${c}: ${path}: is a socket, not a file\n`);
      }
    } finally {
      server.close();
    }
  });

  it('a directory says "is a directory", a missing path "no such file" (both said "not an ELF or Mach-O binary")', () => {
    const missing = join(dir, 'no-such-file');
    for (const c of COMMANDS) {
      const d = cli(c, dir);
      expect(d.status, c).toBe(2);
      expect(d.stderr, c).toBe(`binlens ${c}: ${dir}: is a directory\n`);
      const m = cli(c, missing);
      expect(m.status, c).toBe(2);
      expect(m.stderr, c).toBe(`binlens ${c}: ${missing}: no such file\n`);
    }
    // `report --json` still gives a report, whose error says the same.
    const j = cli('report', missing, '--json');
    expect(JSON.parse(j.stdout).errors).toEqual([{ message: 'no such file', offset: '0x0', field: 'file' }]);
  });
});

describe('the commands that take units or two files', () => {
  it('check and diff refuse devices and FIFOs without blocking, exit 2, and escape a hostile path', () => {
    const fifo = join(dir, 'fifo-units');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const hostile = join(dir, `missing\x1b[2J\u202e.tar`);
    const runs: [string[], string][] = [
      [['check', '/dev/zero'], 'binlens check: /dev/zero: is a character device, not a file\n'],
      [['check', fifo], `binlens check: ${fifo}: is a FIFO (named pipe), not a file\n`],
      [['diff', ARM64, fifo], `binlens diff: ${fifo}: is a FIFO (named pipe), not a file\n`],
      [['check', hostile], `binlens check: ${dir}/missing\\x1b[2J\\u202e.tar: no such file\n`],
      [['diff', hostile, ARM64], `binlens diff: ${dir}/missing\\x1b[2J\\u202e.tar: no such file\n`],
    ];
    for (const [args, line] of runs) {
      const r = cli(...args);
      expect([r.status, r.stderr], args.join(' ')).toEqual([2, line]);
    }
  });
});

describe('one error path for every command', () => {
  it('an empty file: exit 2 from link as from report', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    for (const c of ['report', 'link'] as const) {
      const r = cli(c, empty);
      expect(r.status, c).toBe(2);
      expect(r.stderr, c).toBe(`binlens ${c}: ${empty}: not an ELF or Mach-O binary: The file is empty (0 bytes).\n`);
    }
  });

  it('an unknown ELF class: the format error from every command, not "internal error"', () => {
    const file = join(dir, 'class3');
    const b = Buffer.alloc(64);
    b.write('\x7fELF\x03\x01\x01', 0, 'latin1');
    writeFileSync(file, b);
    const line = (c: string) => `binlens ${c}: ${file}: e_ident[EI_CLASS] is 3, neither ELFCLASS32 (1) nor ELFCLASS64 (2) at offset 0x4\n`;
    for (const c of COMMANDS) {
      const r = cli(c, file);
      expect(r.status, c).toBe(2);
      expect(r.stderr, c).toBe(line(c));
    }
  });

  it('disasm on an arm64 file whose code cannot be found: says why, exit 2 (it printed nothing and exited 0)', () => {
    const b = Buffer.from(readFileSync(ARM64));
    b.writeBigUInt64LE(0n, 0x28); // e_shoff
    b.writeUInt16LE(0, 0x3c); // e_shnum
    b.writeUInt16LE(0, 0x3e); // e_shstrndx
    const file = join(dir, 'no-sections');
    writeFileSync(file, b);
    const r = cli('disasm', file);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `binlens disasm: ${file}: no code to disassemble: the arm64 slice has no executable section with bytes in the file (it has no section headers)\n`,
    );
  });
});

// Escape sequences a terminal acts on: clear the screen, set the window
// title (OSC), ring the bell, a C1 CSI, a right-to-left override.
const CLEAR = '\x1b[2J\x1b[H';
const TITLE = '\x1b]0;pwned\x07';
const C1 = '\u009b31m';
const RLO = '\u202egpj.exe';

/** An AArch64 executable whose PT_INTERP, DT_NEEDED and DT_RUNPATH carry terminal escapes. */
function hostileElf(): Uint8Array {
  const needed = [`lib${CLEAR}.so`, `lib${RLO}.so`];
  const runpath = `/opt/${TITLE}${C1}`;
  const dynstr = strtab([...needed, runpath]);
  const build = (strAt: number) =>
    buildElf({
      type: 2,
      machine: 183,
      sections: [
        { name: '.interp', type: 1, flags: 2n, data: new TextEncoder().encode(`/lib/ld${CLEAR}.so\0`) },
        { name: '.dynstr', type: 3, flags: 2n, data: dynstr.data },
        { name: '.text', type: 1, flags: 6n, align: 4, data: new Uint8Array([0x1f, 0x20, 0x03, 0xd5, 0xc0, 0x03, 0x5f, 0xd6]) },
        {
          name: '.dynamic',
          type: 6,
          flags: 3n,
          align: 8,
          entsize: 16,
          link: 2,
          data: dynamic(true, true, [
            ...needed.map((n): [number, number] => [1, dynstr.offsets[n]!]),
            [29, dynstr.offsets[runpath]!],
            [5, strAt],
            [10, dynstr.data.length],
            [0, 0],
          ]),
        },
      ],
      segments: [
        { type: 3, flags: 4, sections: ['.interp'] },
        { type: 1, flags: 5, offset: 0, vaddr: 0n, sections: ['.interp', '.dynstr', '.text', '.dynamic'] },
        { type: 2, flags: 6, sections: ['.dynamic'] },
      ],
    });
  return build(build(0).dataOffset['.dynstr']!).bytes;
}

describe('terminal escapes in text output', () => {
  it('report: the names a binary carries are escaped in text, as they are in JSON', () => {
    const file = join(dir, 'hostile-elf');
    writeFileSync(file, hostileElf());
    const text = cli('report', file);
    expect(rawControls(text.stdout)).toEqual([]);
    expect(text.stdout).toContain('lib\\x1b[2J\\x1b[H.so');
    expect(text.stdout).toContain('lib\\u202egpj.exe.so');
    expect(text.stdout).toContain('/opt/\\x1b]0;pwned\\x07\\x9b31m');
    const json = JSON.parse(cli('report', file, '--json').stdout);
    expect(json.slices[0].interpreter).toBe(`/lib/ld${CLEAR}.so`);
    expect(json.slices[0].libraryDetails.map((l: { name: string }) => l.name)).toEqual([`lib${CLEAR}.so`, `lib${RLO}.so`]);
  });

  it('go-functions: function names from the binary are escaped', () => {
    const b = Buffer.from(readFileSync(join(FIXTURES, 'go/bin/go1.19-arm64-linux-exe')));
    const at = b.indexOf(Buffer.from('main.main\0'));
    expect(at).toBeGreaterThan(0);
    b.write('m\x1b[2J\u202e', at, 'utf8'); // 1 + 4 + 3 bytes over "main.mai", then "n"
    const file = join(dir, 'hostile-go');
    writeFileSync(file, b);
    const r = cli('go-functions', file);
    expect(r.status).toBe(0);
    expect(rawControls(r.stdout)).toEqual([]);
    expect(r.stdout).toMatch(/\tm\\x1b\[2J\\u202en\n/);
  });

  it('symbols: raw and demangled names from the binary are escaped', () => {
    const b = Buffer.from(readFileSync(join(FIXTURES, 'names/bin/cxx-x86_64-linux.o')));
    for (const [from, to] of [
      ['c_function\0', 'c\x1b[2J\u202e'], // 1 + 4 + 3 bytes over "c_functi"
      ['_ZN5outer11noexcept_fnEv\0', '_ZN5outer11no\x1b[2Jxt_fn'],
    ] as const) {
      const at = b.indexOf(Buffer.from(from));
      expect(at, from).toBeGreaterThan(0);
      b.write(to, at, 'utf8');
    }
    const file = join(dir, 'hostile-names.o');
    writeFileSync(file, b);
    const r = cli('symbols', file);
    expect(r.status).toBe(0);
    expect(rawControls(r.stdout)).toEqual([]);
    expect(r.stdout).toMatch(/\tc\\x1b\[2J\\u202eon\tc\\x1b\[2J\\u202eon\n/);
    expect(r.stdout).toContain('\touter::no\\x1b[2Jxt_fn()\t_ZN5outer11no\\x1b[2Jxt_fnEv\n');
  });

  it('report --from-link: every string a link carries is escaped', async () => {
    const { report } = buildReport(new MemorySource(new Uint8Array(readFileSync(ARM64))), `x${TITLE}.bin`, { skipHash: true });
    const s = report.slices[0]!;
    s.interpreter = `/lib/${CLEAR}`;
    s.libraryDetails = [
      { ...(s.libraryDetails[0] ?? { kind: 'needed', name: '' }), name: `lib${RLO}` } as (typeof s.libraryDetails)[number],
    ];
    report.warnings = [`a warning ${C1}`];
    const link = await encodePermalink(report, { base: 'http://localhost:5173/' });
    const r = cli('report', '--from-link', link.url);
    expect(r.status).toBe(0);
    expect(rawControls(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('x\\x1b]0;pwned\\x07.bin');
    expect(r.stdout).toContain('\\x9b31m');
    const json = JSON.parse(cli('report', '--from-link', link.url, '--json').stdout);
    expect(json.file.name).toBe(`x${TITLE}.bin`);
  });

  it('error messages: a path with escapes is escaped on stderr', () => {
    const path = join(dir, `missing${CLEAR}${RLO}`);
    for (const c of COMMANDS) {
      const r = cli(c, path);
      expect(r.status, c).toBe(2);
      expect(rawControls(r.stderr), c).toEqual([]);
      expect(r.stderr, c).toContain('missing\\x1b[2J\\x1b[H\\u202egpj.exe: no such file');
    }
    const bad = cli('disasm', ARM64, '--section', `.t${CLEAR}`);
    expect(bad.status).toBe(2);
    expect(rawControls(bad.stderr)).toEqual([]);
    expect(bad.stderr).toContain("no text section '.t\\x1b[2J\\x1b[H'");
  });
});
