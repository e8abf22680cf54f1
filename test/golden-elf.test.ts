// Golden tests: every ELF file in the corpus (those with a readelf oracle),
// field by field against what binutils readelf, llvm-nm and file say. Each
// field is its own soft assertion, so one run lists every disagreement with
// file, field, expected and got.

import { afterAll, describe, expect, it } from 'vitest';
import { hex, Reader } from '../src/parsers/reader.ts';
import { parseElf, readElf } from '../src/parsers/elf/index.ts';
import { archName, ptName, shtName } from '../src/parsers/elf/constants.ts';
import { corpusBytes, corpusFiles, hasCorpus, oracle, SKIP_MESSAGE } from './corpus.ts';
import { parseFileOutput, parseReadelf, parseReadelfSymbols, READELF_MACHINES, readelfPtypeValue } from './elf-oracles.ts';

const files = corpusFiles().filter((f) => oracle(f, 'readelf.txt') !== null);
let compared = 0;

/** One field, one assertion: message names the file and the field. */
function same<T>(file: string, what: string, got: T, expected: T): void {
  compared++;
  expect.soft(got, `${file}: ${what}`).toEqual(expected);
}

afterAll(() => {
  if (hasCorpus) console.log(`golden-elf: ${compared} fields compared over ${files.length} ELF files`);
});

describe.skipIf(!hasCorpus)(hasCorpus ? 'ELF golden: corpus files against readelf, llvm-nm and file' : SKIP_MESSAGE, () => {
  it('finds ELF files with oracles in the corpus', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files)('%s', (name) => {
    const bytes = corpusBytes(name);
    const elf = readElf(Reader.of(bytes));
    const parsed = parseElf(Reader.of(bytes));
    const slice = parsed.slices[0]!;
    const report = slice.report;
    const re = parseReadelf(oracle(name, 'readelf.txt')!);
    const h = elf.header;

    it('parses without recorded problems', () => {
      same(name, 'errors', parsed.errors, []);
    });

    it('header', () => {
      const o = re.header!;
      same(name, 'class', report.bits, o.class === 'ELF64' ? 64 : 32);
      same(name, 'data', report.endian, o.data.includes('little') ? 'little' : 'big');
      same(name, 'type', report.fileTypeRaw, `ET_${o.type}`);
      const machine = READELF_MACHINES[o.machine];
      expect(machine, `${name}: readelf machine "${o.machine}" not in READELF_MACHINES`).toBeDefined();
      same(name, 'e_machine', report.cpu.type, machine);
      same(name, 'arch', report.arch, archName(machine!, o.class === 'ELF64', o.data.includes('little')));
      same(name, 'entry', report.entry, o.entry === 0n ? null : hex(o.entry));
      same(name, 'e_phoff', h.e_phoff, o.phoff);
      same(name, 'e_shoff', h.e_shoff, o.shoff);
      same(name, 'e_phnum', h.e_phnum, o.phnum);
      same(name, 'e_shnum', h.e_shnum, o.shnum);
      same(name, 'e_shstrndx', h.e_shstrndx, o.shstrndx);
    });

    it('program headers', () => {
      same(name, 'segment count', report.segments.length, re.segments.length);
      re.segments.forEach((o, i) => {
        const s = report.segments[i];
        const p = elf.programHeaders[i];
        if (!s || !p) return;
        const raw = readelfPtypeValue(o.type);
        // readelf cuts the type column at 14 characters and prints unnamed OS/processor types as LOOS+/LOPROC+ offsets.
        same(name, `segment ${i} type`, raw === null ? s.type.slice(0, 14) : s.type, raw === null ? o.type : ptName(raw, h.e_machine));
        same(name, `segment ${i} offset`, s.offset, hex(o.offset));
        same(name, `segment ${i} vaddr`, s.address, hex(o.vaddr));
        same(name, `segment ${i} paddr`, hex(p.p_paddr), hex(o.paddr));
        same(name, `segment ${i} filesz`, s.fileSize, o.filesz);
        same(name, `segment ${i} memsz`, s.size, o.memsz);
        same(name, `segment ${i} flags`, s.perms, o.perms);
        same(name, `segment ${i} align`, p.p_align, o.align);
        same(name, `segment ${i} sections`, s.sections, re.mapping[i]);
      });
      same(name, 'interpreter', report.interpreter, re.interpreter);
    });

    it('section headers', () => {
      // readelf lists section 0; the report skips it.
      const o = re.sections.filter((s) => s.index !== 0);
      same(name, 'section count', report.sections.length, o.length);
      o.forEach((x, i) => {
        const s = report.sections[i];
        const sh = elf.sections[x.index];
        if (!s || !sh) return;
        same(name, `section ${x.index} name`, s.name, x.name);
        // readelf 2.40 has no name for some newer types (LLVM_ADDRSIG): it prints LOOS+0x….
        const rawType = readelfPtypeValue(x.type);
        same(name, `section ${x.index} type`, s.type, rawType === null ? x.type : shtName(rawType, h.e_machine));
        same(name, `section ${x.index} address`, s.address, hex(x.address));
        same(name, `section ${x.index} offset`, s.offset, hex(x.offset));
        same(name, `section ${x.index} size`, s.size, x.size);
        same(name, `section ${x.index} flags`, s.flags, x.flags);
        same(name, `section ${x.index} entsize`, sh.sh_entsize, x.entsize);
        same(name, `section ${x.index} link`, sh.sh_link, x.link);
        same(name, `section ${x.index} info`, sh.sh_info, x.info);
        same(name, `section ${x.index} align`, sh.sh_addralign, x.align);
      });
    });

    it('dynamic section', () => {
      const d = elf.dynamic;
      same(name, 'has dynamic section', d !== null, re.dynamic.length > 0);
      if (!d) return;
      same(name, 'dynamic entry count', d.entries.length, re.dynamic.length);
      re.dynamic.forEach((o, i) => {
        const e = d.entries[i];
        same(name, `dynamic ${i} tag`, e?.d_tag, o.tag);
      });
      const bracket = (type: string) => re.dynamic.filter((e) => e.type === type).map((e) => /\[(.*)\]$/.exec(e.value)?.[1] ?? '');
      same(name, 'DT_NEEDED', report.libraries, bracket('NEEDED'));
      same(name, 'DT_SONAME', report.installName, bracket('SONAME')[0] ?? null);
      same(
        name,
        'DT_RPATH',
        report.rpathDetails.filter((r) => r.source === 'DT_RPATH').map((r) => r.path),
        bracket('RPATH').flatMap((v) => v.split(':').filter(Boolean)),
      );
      same(
        name,
        'DT_RUNPATH',
        report.rpathDetails.filter((r) => r.source === 'DT_RUNPATH').map((r) => r.path),
        bracket('RUNPATH').flatMap((v) => v.split(':').filter(Boolean)),
      );
      const flags = re.dynamic.find((e) => e.type === 'FLAGS')?.value.split(/\s+/) ?? [];
      const flags1 =
        re.dynamic
          .find((e) => e.type === 'FLAGS_1')
          ?.value.replace(/^Flags:\s*/, '')
          .split(/\s+/) ?? [];
      for (const f of [...flags, ...flags1]) same(name, `flag ${f}`, report.flags.includes(f), true);
      const bindNow = re.dynamic.some((e) => e.type === 'BIND_NOW');
      same(name, 'flags count', report.flags.length, new Set([...flags, ...(bindNow ? ['BIND_NOW'] : []), ...flags1]).size);
    });

    it('symbol versions', () => {
      same(
        name,
        'verneed',
        elf.versions.needs.map((n) => ({
          file: n.file,
          versions: n.versions.map((v) => ({ name: v.name, index: v.index, weak: v.weak })),
        })),
        re.verneed.map((n) => ({
          file: n.file,
          versions: n.versions.map((v) => ({ name: v.name, index: v.index, weak: v.flags.includes('WEAK') })),
        })),
      );
      same(
        name,
        'verdef',
        elf.versions.defs.map((d) => ({ index: d.index, base: d.base, name: d.name, parents: d.parents })),
        re.verdef.map((d) => ({ index: d.index, base: d.flags.includes('BASE'), name: d.name, parents: d.parents })),
      );
    });

    it('notes', () => {
      same(
        name,
        'note list',
        report.notes?.map((n) => `${n.owner} ${n.type}`),
        re.notes.map((n) => `${n.owner} ${n.type.replace(/ \(.*\)$/, '')}`),
      );
      const build = re.notes.find((n) => n.type.startsWith('NT_GNU_BUILD_ID'));
      same(name, 'build id', report.buildId, build ? /Build ID: ([0-9a-f]+)/.exec(build.description)![1] : null);
      const abi = re.notes.find((n) => n.type.startsWith('NT_GNU_ABI_TAG'));
      if (abi) {
        const m = /OS: (\S+), ABI: ([\d.]+)/.exec(abi.description)!;
        same(name, 'ABI tag platform', report.platform, m[1]!.toLowerCase());
        same(name, 'ABI tag version', report.minOS, m[2]);
      }
      const prop = re.notes.find((n) => n.type === 'NT_GNU_PROPERTY_TYPE_0');
      const aarch = prop ? (/AArch64 feature: ([^\n]*)/.exec(prop.description)?.[1] ?? '') : '';
      if (h.e_machine === 183) {
        same(name, 'BTI property', report.features.bti, aarch.includes('BTI'));
        same(name, 'PAC property', report.features.pac, aarch.includes('PAC'));
      }
      const x86 = prop ? (/x86 feature: ([^\n]*)/.exec(prop.description)?.[1] ?? '') : '';
      if (h.e_machine === 62 || h.e_machine === 3) {
        same(name, 'IBT property', report.features.ibt, x86.includes('IBT'));
        same(name, 'SHSTK property', report.features.shstk, x86.includes('SHSTK'));
      }
      const isa = prop ? (/x86 ISA needed: ([^\n]*)/.exec(prop.description)?.[1] ?? null) : null;
      if (isa !== null) {
        same(
          name,
          'x86 ISA needed',
          report.notes?.find((n) => n.type === 'NT_GNU_PROPERTY_TYPE_0')?.description.includes(`x86 ISA needed: ${isa}`),
          true,
        );
      }
      const go = re.notes.find((n) => n.owner === 'Go' && n.type === 'GO BUILDID');
      const goId = go
        ? String.fromCharCode(
            .../description data: ([0-9a-f ]+)/
              .exec(go.description)![1]!
              .trim()
              .split(' ')
              .map((b) => Number.parseInt(b, 16)),
          )
        : null;
      same(name, 'Go build id', report.goBuildId ?? null, goId);
    });

    it('symbol counts (llvm-nm)', () => {
      same(name, 'nm defined', report.symbols.defined, Number(oracle(name, 'nm-defined.count')!.trim()));
      same(name, 'nm undefined', report.symbols.undefined, Number(oracle(name, 'nm-undefined.count')!.trim()));
      same(name, 'symbols() length', slice.symbols().length, report.symbols.defined + report.symbols.undefined);
      same(name, 'symbols() undefined', slice.symbols().filter((s) => !s.defined).length, report.symbols.undefined);
    });

    it('symbol tables (names, values, versions)', () => {
      const tables = parseReadelfSymbols(oracle(name, 'readelf-syms.txt') ?? '');
      const ours = { '.symtab': elf.symtab, '.dynsym': elf.dynsym } as const;
      same(
        name,
        'symbol tables',
        Object.entries(ours)
          .filter(([, t]) => t !== null)
          .map(([n]) => n)
          .sort(),
        tables.map((t) => t.name).sort(),
      );
      for (const o of tables) {
        const t = ours[o.name as keyof typeof ours];
        if (!t) continue;
        same(name, `${o.name} count`, t.count, o.count);
        const rows = elf.readTable(t);
        // One soft assertion per field kind, listing every entry that differs.
        const check = (field: string, f: (i: number) => [unknown, unknown]) => {
          const bad: string[] = [];
          o.symbols.forEach((s, i) => {
            const [got, want] = f(i);
            if (got !== want) bad.push(`[${s.index}] ${s.printed}: got ${String(got)}, expected ${String(want)}`);
          });
          compared += o.symbols.length;
          expect.soft(bad, `${name}: ${o.name} ${field}`).toEqual([]);
        };
        // readelf shows an unnamed STT_SECTION symbol under its section's name.
        const shown = (i: number) => {
          const s = rows[i];
          if (!s) return undefined;
          return s.name === '' && s.type === 3 ? (elf.sections[s.st_shndx]?.name ?? '') : s.name;
        };
        check('name', (i) => [shown(i), o.symbols[i]!.name]);
        check('value', (i) => [rows[i]?.st_value, o.symbols[i]!.value]);
        check('size', (i) => [rows[i]?.st_size, o.symbols[i]!.size]);
        if (o.name === '.dynsym') {
          // readelf prints no version on the symbol that names a version definition itself (GLIBC_2.17 in libc.so.6).
          const version = (i: number) => {
            const v = rows[i]?.version;
            return v && !(v.name === rows[i]!.name && !v.fromNeed) ? v : null;
          };
          check('version', (i) => [version(i)?.name ?? null, o.symbols[i]!.version]);
          check('version hidden (@ vs @@)', (i) => [
            version(i) ? version(i)!.hidden || version(i)!.fromNeed : false,
            o.symbols[i]!.version ? o.symbols[i]!.hidden : false,
          ]);
        }
      }
    });

    it('file type, linkage and interpreter agree with file(1)', () => {
      const f = parseFileOutput(oracle(name, 'file.txt')!);
      expect(f, `${name}: file(1) output not recognised`).not.toBeNull();
      if (!f) return;
      same(name, 'file: bits', report.bits, f.bits);
      same(name, 'file: endian', report.endian, f.endian);
      const kind = {
        executable: 'executable',
        'pie executable': 'executable',
        'shared object': 'shared-library',
        relocatable: 'object',
        'core file': 'core',
      }[f.kind];
      same(name, 'file: file type', report.fileType, kind);
      if (f.linkage) same(name, 'file: linkage', report.linkage, f.linkage);
      same(name, 'file: interpreter', report.interpreter, f.interpreter);
      same(name, 'file: build id', report.buildId, f.buildId);
      if (f.goBuildId) same(name, 'file: Go build id', report.goBuildId, f.goBuildId);
      if (f.gnuAbi) same(name, 'file: GNU ABI', [report.platform, report.minOS], [f.gnuAbi[0].toLowerCase(), f.gnuAbi[1]]);
      if (f.stripped !== null) same(name, 'file: stripped', report.stripped, f.stripped);
    });
  });
});
