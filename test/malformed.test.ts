// Malformed tables are reported as LLVM and Go report them: one small file per
// diagnostic in fixtures/malformed (built with yaml2obj-19 from the YAML
// beside it, each a clean base with one field changed), each giving an entry
// in the report's `errors` that names the field. Where llvm-readobj-19 warns
// or refuses the file, its words are in the YAML's header and checked here;
// where Go's debug/elf or debug/macho fails to open it (or panics), binlens
// must have an error too. The two clean bases give nothing anywhere.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { Report } from '../src/report/types.ts';
import { computeVerdicts } from '../src/verdict/index.ts';
import { TARGETS } from '../src/report/targets.ts';
import { FIXTURES } from './corpus.ts';

const DIR = join(FIXTURES, 'malformed');
const names = readdirSync(join(DIR, 'yaml'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -5))
  .sort();

/** The error binlens reports for each fixture: the field it names, and words of its message. */
const EXPECTED: Record<string, { field: string; text: RegExp }> = {
  'elf-dynamic-size': { field: 'PT_DYNAMIC.p_filesz', text: /PT_DYNAMIC p_filesz 0x74 is not a multiple of the entry size/ },
  'elf-dt-rela-unmapped': { field: 'DT_RELA', text: /DT_RELA 0x100000 is not in any PT_LOAD segment/ },
  'elf-dt-jmprel-unmapped': { field: 'DT_JMPREL', text: /DT_JMPREL 0x110000 is not in any PT_LOAD segment/ },
  'elf-dt-hash-unmapped': { field: 'DT_HASH', text: /DT_HASH 0x120000 is not in any PT_LOAD segment/ },
  'elf-dt-gnu-hash-unmapped': { field: 'DT_GNU_HASH', text: /DT_GNU_HASH 0x130000 is not in any PT_LOAD segment/ },
  'elf-dt-strtab-unmapped': { field: 'DT_STRTAB', text: /DT_STRTAB 0x200000 is not in any PT_LOAD segment/ },
  'elf-dt-symtab-unmapped': { field: 'DT_SYMTAB', text: /DT_SYMTAB 0x300000 is not in any PT_LOAD segment/ },
  'elf-dt-symtab-disagree': { field: 'DT_SYMTAB', text: /disagree about where the dynamic symbol table is/ },
  'elf-dt-strsz-past-eof': { field: 'DT_STRSZ', text: /dynamic string table .* runs past the end of its segment/ },
  'elf-dt-syment': { field: 'DT_SYMENT', text: /DT_SYMENT 16 is not the size of a symbol \(24\)/ },
  'elf-section-past-eof': {
    field: 'sh_offset',
    text: /section \[5\] \.strtab: sh_offset 0x10000 \+ sh_size 0x6 runs past the end of the file/,
  },
  'elf-section-size-overflow': { field: 'sh_size', text: /value 0xffffffffffffffff is too large/ },
  'elf-shdrs-past-eof': { field: 'e_shnum', text: /section header table at 0x10000 claims 8 entries/ },
  'elf-phdrs-past-eof': { field: 'e_phnum', text: /program header table at 0x10000 claims 2 entries/ },
  'elf-shstrndx-invalid': { field: 'e_shstrndx', text: /e_shstrndx 80 is not a section index/ },
  'elf-sh-name-past': { field: 'sh_name[1]', text: /string offset 0x1000 is outside \.shstrtab/ },
  'elf-st-name-past': { field: 'st_name', text: /\.symtab\[1\]\.st_name 0x1000 is past the end of its string table/ },
  'elf-symtab-size': { field: 'sh_size', text: /\.symtab: sh_size 0x40 is not a multiple of the entry size \(24\)/ },
  'elf-symtab-entsize': { field: 'sh_entsize', text: /\.symtab: sh_entsize is 16, expected 24/ },
  'elf-symtab-link-type': { field: 'sh_link', text: /names section \[1\] \.text, of type PROGBITS, not a string table/ },
  'elf-strtab-no-nul': { field: 'SHT_STRTAB', text: /string table section \[5\] \.strtab does not end in a NUL byte/ },
  'elf-interp-past-eof': { field: 'PT_INTERP', text: /PT_INTERP: 27 bytes at 0x10000 run past the end/ },
  'macho-dysymtab-iundefsym': { field: 'LC_DYSYMTAB.iundefsym', text: /iundefsym 9 .* is past the 2 symbols of LC_SYMTAB/ },
  'macho-dysymtab-nundefsym': { field: 'LC_DYSYMTAB.nundefsym', text: /iundefsym 1 \+ nundefsym 5 runs past the 2 symbols/ },
  'macho-dysymtab-nextdefsym': { field: 'LC_DYSYMTAB.nextdefsym', text: /iextdefsym 0 \+ nextdefsym 5 runs past the 2 symbols/ },
  'macho-dysymtab-nlocalsym': { field: 'LC_DYSYMTAB.nlocalsym', text: /ilocalsym 0 \+ nlocalsym 3 runs past the 2 symbols/ },
  'macho-dysymtab-indirect-past-eof': {
    field: 'LC_DYSYMTAB.nindirectsyms',
    text: /indirect symbol table: 1000 entries of 4 bytes at 0x260 run past the end of the file/,
  },
  'macho-dysymtab-without-symtab': { field: 'LC_DYSYMTAB', text: /LC_DYSYMTAB without an LC_SYMTAB/ },
  'macho-symtab-nsyms-past-eof': { field: 'LC_SYMTAB.nsyms', text: /1000 symbols at 0x240 run past the end of the file/ },
  'macho-symtab-strsize-past-eof': { field: 'LC_SYMTAB.strsize', text: /string table at 0x260 \(\+0x1000\) runs past the end of the file/ },
  'macho-symtab-cmdsize': { field: 'LC_SYMTAB.cmdsize', text: /cmdsize 32, but the command is 24 bytes/ },
  'macho-symtab-twice': { field: 'LC_SYMTAB', text: /more than one LC_SYMTAB/ },
  'macho-nstrx-past': { field: 'nlist.n_strx', text: /1 symbols have an n_strx past the string table/ },
  'macho-nsect-past': { field: 'nlist.n_sect', text: /1 symbols name a section \(n_sect\) past the 1 sections/ },
  'macho-section-bigger-than-segment': { field: 'section.size', text: /size 0x8 is larger than its segment's filesize \(0x4\)/ },
  'macho-section-below-segment': { field: 'section.addr', text: /addr 0xfffff000 is below its segment's vmaddr/ },
  'macho-section-past-segment': { field: 'section.addr', text: /addr 0x100003ffc \+ size 0x8 runs past its segment/ },
  'macho-segment-filesize': { field: 'LC_SEGMENT_64.filesize', text: /segment __LINKEDIT: filesize 0x40 is larger than vmsize 0x10/ },
  'macho-dylib-without-id': { field: 'LC_ID_DYLIB', text: /MH_DYLIB\) without LC_ID_DYLIB/ },
  'macho-main-cmdsize': { field: 'LC_MAIN.cmdsize', text: /cmdsize 32, but the command is 24 bytes/ },
  'macho-function-starts-past-eof': { field: 'LC_FUNCTION_STARTS.dataoff', text: /256 bytes at 0x270 run past the end of the file/ },
  'fat-duplicate-arch': { field: 'fat_arch.cputype', text: /slices 0 and 1 have the same architecture/ },
  'fat-overlap': { field: 'fat_arch.offset', text: /slices 0 and 1 overlap/ },
  'fat-misaligned': { field: 'fat_arch.offset', text: /offset 0x2100 is not aligned to 2\^12/ },
};

const CLEAN = ['elf-clean', 'macho-clean', 'fat-clean'];

function bin(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, 'bin', name)));
}

function analysisOf(name: string): Analysis {
  return analyze(new MemorySource(bin(name)), name, { skipHash: true });
}

function reportOf(name: string): Report {
  return analysisOf(name).report;
}

/** What the YAML's header says LLVM reports: `# LLVM: …`, several separated by `; `. */
function llvmSays(name: string): string[] {
  const line = /^# LLVM: (.*)$/m.exec(readFileSync(join(DIR, 'yaml', `${name}.yaml`), 'utf8'))?.[1] ?? '';
  return line === 'no warning' || line === 'no error' ? [] : line.split('; ');
}

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
}

describe('malformed fixtures', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect([...Object.keys(EXPECTED), ...CLEAN].sort()).toEqual(names);
  });

  it('documents every fixture in fixtures/malformed/README.md', () => {
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    for (const n of [...names, 'thin.a']) expect(readme, n).toContain(`\`${n}\``);
  });

  for (const name of CLEAN) {
    it(`${name}: no error, no warning, not truncated`, () => {
      const r = reportOf(name);
      expect([r.errors, r.warnings, r.truncated]).toEqual([[], [], undefined]);
    });
  }

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: an error on ${want.field}`, () => {
      const a = analysisOf(name);
      const r = a.report;
      const hit = r.errors.find((e) => e.field === want.field && want.text.test(e.message));
      expect(hit, `${name}: ${JSON.stringify(r.errors, null, 1)}`).toBeDefined();
      expect(hit!.offset).toMatch(/^0x[0-9a-f]+$/);
      // The report is still whole enough to judge, and the verdicts say so rather than throw.
      const v = computeVerdicts(r, a);
      expect(v.compatibility.map((c) => c.target)).toEqual([...TARGETS]);
      expect(v.compatibility.some((c) => c.verdict === 'native' || c.verdict === 'rosetta') && r.truncated !== undefined).toBe(false);
    });
  }

  it('names a thin archive (!<thin>) as an archive, like !<arch>', () => {
    const { report } = analyze(new MemorySource(bin('thin.a')), 'thin.a', { skipHash: true });
    expect(report.format).toBe('unknown');
    expect(report.notBinary?.kind).toMatch(/^ar archive/);
    expect(report.notBinary?.reason).toMatch(/thin archive/);
  });
});

const LLVM = has('llvm-readobj-19');
describe.skipIf(!LLVM)(
  LLVM ? 'malformed fixtures against llvm-readobj-19' : 'llvm-readobj-19 not installed: LLVM comparison skipped',
  () => {
    for (const name of names) {
      it(name, () => {
        const path = join(DIR, 'bin', name);
        const readobj = spawnSync('llvm-readobj-19', ['--all', path], { encoding: 'utf8' });
        // The interpreter's name is read by llvm-readelf's program header listing only.
        const readelf = name.startsWith('elf-') ? spawnSync('llvm-readelf-19', ['-l', path], { encoding: 'utf8' }).stderr : '';
        const said = readobj.stderr + readelf;
        const want = llvmSays(name);
        if (want.length === 0) expect(said).not.toMatch(/warning|error/);
        for (const w of want) expect(said, `${name}: LLVM said\n${said}`).toContain(w);
      });
    }
  },
);

const YAML2OBJ = has('yaml2obj-19');
describe.skipIf(!YAML2OBJ)(
  YAML2OBJ ? 'malformed fixtures rebuilt with yaml2obj-19' : 'yaml2obj-19 not installed: rebuild check skipped',
  () => {
    it('gives the committed bytes for every YAML', () => {
      const tmp = mkdtempSync(join(tmpdir(), 'binlens-malformed-'));
      try {
        for (const name of names) {
          const out = join(tmp, name);
          const r = spawnSync('yaml2obj-19', [join(DIR, 'yaml', `${name}.yaml`), '-o', out], { encoding: 'utf8' });
          expect(r.status, `${name}: ${r.stderr}`).toBe(0);
          expect(Buffer.compare(readFileSync(out), Buffer.from(bin(name))), name).toBe(0);
        }
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  },
);

const GO = has('go') || spawnSync('go', ['version']).status === 0;
describe.skipIf(!GO)(GO ? "malformed fixtures against Go's debug/elf and debug/macho" : 'go not installed: Go comparison skipped', () => {
  it('binlens reports an error for every file Go refuses, and Go opens the clean bases', () => {
    const r = spawnSync('go', ['run', join(DIR, 'tools', 'goopen', 'main.go'), ...names.map((n) => join(DIR, 'bin', n))], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const goSays = new Map(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t') as [string, string]),
    );
    expect([...goSays.keys()].sort()).toEqual(names);
    let refused = 0;
    for (const [name, said] of goSays) {
      if (CLEAN.includes(name)) expect(said, name).toBe('ok');
      else if (said !== 'ok') {
        refused++;
        expect(reportOf(name).errors.length, `${name}: Go says "${said}"`).toBeGreaterThan(0);
      }
    }
    // Go's TestOpenBadDysymCmd: a dysymtab range past the symbol table must fail to open.
    expect(goSays.get('macho-dysymtab-nundefsym')).toMatch(/greater than symbol table length/);
    expect(refused).toBeGreaterThan(10);
  });
});
