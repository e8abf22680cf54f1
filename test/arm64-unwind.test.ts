// Function bounds from call frame information (src/parsers/elf/ehframe.ts)
// and what they give the per-function analysis:
//  - every .eh_frame FDE, start and size, equals what llvm-dwarfdump-19
//    --eh-frame prints, on the fixtures and every ELF file of the corpus;
//  - the record walker on forged sections: a bad record is one error, the
//    rest is still read, nothing loops or allocates from a claimed count;
//  - on every stripped arm64 ELF file of the corpus, at least 95% as many
//    functions as FDEs and every FDE start among the function starts;
//  - stripped and unstripped builds of the same program give the same
//    per-function facts (fixtures/pacbti pairs, and corpus files stripped here).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFile } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { ParsedSlice, UnwindFunctions } from '../src/parsers/types.ts';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { arm64Functions, isTextSection, type Arm64FunctionRow } from '../src/arm64/scan.ts';
import { buildReport } from '../src/report/pipeline.ts';
import { goFunctionsForSlice } from '../src/parsers/go/index.ts';
import { CORPUS, corpusBytes, corpusFiles, FIXTURES, fixtureBytes, hasCorpus } from './corpus.ts';
import { buildElf, Encoder } from './elf-writer.ts';

const DWARFDUMP = process.env.LLVM_DWARFDUMP ?? 'llvm-dwarfdump-19';
const hasDwarfdump = spawnSync(DWARFDUMP, ['--version']).status === 0;
if (!hasDwarfdump) console.warn(`FDE agreement tests skipped: ${DWARFDUMP} is not installed (scripts/setup-system.sh installs llvm-19)`);

/** The FDEs llvm-dwarfdump prints for .eh_frame (it prints .debug_frame first, when there is one). */
function dwarfdumpFdes(path: string): { start: bigint; size: bigint }[] {
  const out = execFileSync(DWARFDUMP, ['--eh-frame', path], { maxBuffer: 1 << 30, encoding: 'latin1' });
  const at = out.indexOf('.eh_frame contents:');
  if (at < 0) return [];
  const fdes: { start: bigint; size: bigint }[] = [];
  for (const m of out.slice(at).matchAll(/ FDE cie=\S+ pc=([0-9a-f]+)\.\.\.([0-9a-f]+)/g)) {
    const start = BigInt('0x' + m[1]);
    fdes.push({ start, size: BigInt('0x' + m[2]) - start });
  }
  return fdes;
}

function parse(bytes: Uint8Array): ParsedSlice[] {
  return parseFile(new MemorySource(bytes)).slices;
}

function isElf(b: Uint8Array): boolean {
  return b.length > 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/** ET_REL: an object file, whose FDE addresses wait for relocations (binlens does not read them; see below). */
function isRelocatable(b: Uint8Array): boolean {
  if (b.length < 18) return false;
  const type = b[5] === 2 ? (b[16]! << 8) | b[17]! : b[16]! | (b[17]! << 8);
  return type === 1;
}

function fixtureElfFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })) {
    // malformed/ is broken on purpose (test/malformed.test.ts reads it); llvm-dwarfdump refuses some of it.
    if (!dir.isDirectory() || dir.name === 'malformed') continue;
    let names: string[];
    try {
      names = readdirSync(join(FIXTURES, dir.name, 'bin'));
    } catch {
      continue;
    }
    for (const n of names) {
      const b = fixtureBytes(join(dir.name, 'bin', n));
      // Objects are left out: llvm-dwarfdump prints their FDEs at unrelocated addresses, binlens reads none
      // ('relocatable objects are not read' below checks that).
      if (isElf(b) && !isRelocatable(b)) out.push(join(dir.name, 'bin', n));
    }
  }
  return out.sort();
}

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

describe.skipIf(!hasDwarfdump)('.eh_frame FDEs equal llvm-dwarfdump-19 --eh-frame', () => {
  const check = (path: string, bytes: Uint8Array) => {
    const u = parse(bytes)[0]!.unwindFunctions!();
    expect(u.errors).toEqual([]);
    const want = dwarfdumpFdes(path);
    expect(u.start.map((s, i) => `${(u.base + BigInt(s)).toString(16)}+${u.size[i]}`)).toEqual(
      want.map((f) => `${f.start.toString(16)}+${f.size}`),
    );
    return u.count;
  };
  // (llvm-dwarfdump reads sections only: the section-less copy is checked below.)
  it.each(fixtureElfFiles().filter((f) => !f.endsWith('-nosections')))('fixture %s', (rel) => {
    check(join(FIXTURES, rel), fixtureBytes(rel));
  });
  it('finds .eh_frame through PT_GNU_EH_FRAME when the section headers are gone', () => {
    const none = parse(fixtureBytes('pacbti/bin/aarch64-prog-pacbti-nosections'))[0]!;
    const withSections = parse(fixtureBytes('pacbti/bin/aarch64-prog-pacbti-stripped'))[0]!;
    expect(none.report.sections).toEqual([]);
    const a = none.unwindFunctions!();
    const b = withSections.unwindFunctions!();
    expect(a.source).toBe('eh_frame_hdr');
    expect(b.source).toBe('eh_frame');
    expect(a.count).toBeGreaterThan(10);
    const abs = (u: typeof a) => u.start.map((x) => u.base + BigInt(x));
    expect([abs(a), a.size]).toEqual([abs(b), b.size]);
  });
  const elf = corpusFiles().filter((n) => isElf(corpusBytes(n)));
  it.skipIf(!hasCorpus).each(elf)('corpus %s', (name) => {
    check(join(CORPUS, 'bin', name), corpusBytes(name));
  });
});

// ------------------------------------------------------------ forged input

const TEXT_ADDR = 0x10000n;
const EH_ADDR = 0x20000n;
const SHF_ALLOC_EXEC = 0x6n;

interface Rec {
  /** Bytes after the length field; `cie` is filled in for FDEs. */
  body: (at: number, e: Encoder) => void;
}

/** A CIE: version 1, augmentation `aug`, then the 'R' encoding when the string has it. */
function cie(aug = 'zR', enc = 0x1b, version = 1): Rec {
  return {
    body: (_at, e) => {
      e.u32(0).u8(version);
      for (const c of aug) e.u8(c.charCodeAt(0));
      e.u8(0).u8(4).u8(0x78).u8(30);
      if (aug.startsWith('z')) e.u8(aug.includes('R') ? 1 : 0);
      if (aug.includes('R')) e.u8(enc);
      e.u8(0x0c).u8(0x1f).u8(0);
    },
  };
}

/** An FDE for [TEXT_ADDR + off, + size) pointing back at the CIE at `cieAt`, pc-relative sdata4. */
function fde(cieAt: number, off: number, size: number, opts: { z?: boolean; pointer?: number } = {}): Rec {
  return {
    body: (at, e) => {
      const idAt = at + 4;
      e.u32(opts.pointer ?? idAt - cieAt);
      const field = EH_ADDR + BigInt(idAt + 4);
      e.u32(Number(BigInt.asUintN(32, TEXT_ADDR + BigInt(off) - field)));
      e.u32(size);
      if (opts.z ?? true) e.u8(0);
    },
  };
}

/** Lays records out (each padded to 4 bytes) and returns the section bytes and each record's offset. */
function ehFrame(recs: (Rec | Uint8Array)[]): { bytes: Uint8Array; at: number[] } {
  const e = new Encoder(true, true);
  const at: number[] = [];
  for (const r of recs) {
    at.push(e.length);
    if (r instanceof Uint8Array) {
      e.bytes(r);
      continue;
    }
    const body = new Encoder(true, true);
    r.body(e.length, body);
    body.align(4);
    e.u32(body.length).bytes(body.done());
  }
  return { bytes: e.done(), at };
}

/** FDE starts as addresses. */
function starts(u: UnwindFunctions): bigint[] {
  return u.start.map((x) => u.base + BigInt(x));
}

function elfWith(eh: Uint8Array, type = 3): ParsedSlice {
  const { bytes } = buildElf({
    type,
    machine: 183,
    sections: [
      { name: '.text', type: 1, flags: SHF_ALLOC_EXEC, addr: TEXT_ADDR, data: new Uint8Array(0x1000) },
      { name: '.eh_frame', type: 1, flags: 0x2n, addr: EH_ADDR, data: eh },
    ],
  });
  return parse(bytes)[0]!;
}

describe('the .eh_frame walker on forged sections', () => {
  it('reads CIEs and FDEs, stops at the zero terminator', () => {
    const { bytes } = ehFrame([cie(), fde(0, 0x10, 0x20), fde(0, 0x40, 0x8), new Uint8Array(4), fde(0, 0x80, 4)]);
    const u = elfWith(bytes).unwindFunctions!();
    expect(u.errors).toEqual([]);
    expect(starts(u)).toEqual([TEXT_ADDR + 0x10n, TEXT_ADDR + 0x40n]);
    expect(u.size).toEqual([0x20, 0x8]);
  });

  it('an FDE whose CIE pointer leads nowhere is one error; the next ones are read', () => {
    const { bytes, at } = ehFrame([cie(), fde(0, 0x10, 8, { pointer: 0x7ffffff0 }), fde(0, 0x20, 8)]);
    const u = elfWith(bytes).unwindFunctions!();
    expect(starts(u)).toEqual([TEXT_ADDR + 0x20n]);
    expect(u.errors).toHaveLength(1);
    expect(u.errors[0]!.field).toBe('.eh_frame.CIE_pointer');
    expect(u.errors[0]!.message).toContain(`offset 0x${at[1]!.toString(16)}`);
  });

  it('a CIE with an unknown augmentation is one error; its FDEs are skipped, another CIE still serves', () => {
    // A first layout gives the second CIE's offset; the last FDE points at it.
    const { at } = ehFrame([cie('zQ'), fde(0, 0x10, 8), fde(0, 0x18, 8), cie(), fde(0, 0, 0)]);
    const { bytes } = ehFrame([cie('zQ'), fde(0, 0x10, 8), fde(0, 0x18, 8), cie(), fde(at[3]!, 0x30, 0x10)]);
    const u = elfWith(bytes).unwindFunctions!();
    expect(starts(u)).toEqual([TEXT_ADDR + 0x30n]);
    expect(u.errors.map((e) => e.field)).toEqual(['.eh_frame.CIE']);
  });

  it('a length past the end stops the walk with one error and keeps what came before', () => {
    const good = ehFrame([cie(), fde(0, 0x10, 8)]).bytes;
    const bad = new Uint8Array(good.length + 8);
    bad.set(good);
    new DataView(bad.buffer).setUint32(good.length, 0x7fff0000, true);
    const u = elfWith(bad).unwindFunctions!();
    expect(starts(u)).toEqual([TEXT_ADDR + 0x10n]);
    expect(u.errors).toHaveLength(1);
    expect(u.errors[0]!.message).toContain('runs past the end');
  });

  it('absolute 8-byte addresses (no augmentation), a 64-bit length, uleb128 pointers', () => {
    const abs = (cieAt: number): Rec => ({
      body: (at, e) => {
        e.u32(at + 4 - cieAt);
        e.u64(TEXT_ADDR + 0x100n).u64(0x40n);
      },
    });
    const recs = ehFrame([cie(''), abs(0)]);
    const a = elfWith(recs.bytes).unwindFunctions!();
    expect(a.errors).toEqual([]);
    expect([starts(a), a.size]).toEqual([[TEXT_ADDR + 0x100n], [0x40]]);

    // A DWARF64 CIE (extended length, 4-byte id as .eh_frame keeps it), then a zR CIE with
    // uleb128 pointers and an FDE that uses it.
    const ext = new Encoder(true, true);
    ext.u32(0xffffffff).u64(0x10n).u32(0).u8(1).u8(0).u8(4).u8(0x78).u8(30);
    while (ext.length < 12 + 0x10) ext.u8(0);
    const ulebFde = (cieAt: number): Rec => ({
      body: (at, e) => {
        e.u32(at + 4 - cieAt);
        // uleb128 0x10200 (TEXT_ADDR + 0x200), then a range of 0x10, then no augmentation data
        e.u8(0x80).u8(0x84).u8(0x04).u8(0x10).u8(0);
      },
    });
    const first = ehFrame([ext.done(), cie('zR', 0x01), ulebFde(0)]);
    const mixed = ehFrame([ext.done(), cie('zR', 0x01), ulebFde(first.at[1]!)]);
    const b = elfWith(mixed.bytes).unwindFunctions!();
    expect(b.errors).toEqual([]);
    expect([starts(b), b.size]).toEqual([[TEXT_ADDR + 0x200n], [0x10]]);
  });

  it('relocatable objects are not read (their FDE addresses wait for relocations)', () => {
    const { bytes } = ehFrame([cie(), fde(0, 0x10, 8)]);
    const u = elfWith(bytes, 1).unwindFunctions!();
    expect([u.source, u.count]).toEqual([null, 0]);
  });

  it('a hundred thousand records: one pass, nothing sized from a claimed count', () => {
    const recs: Rec[] = [cie()];
    for (let i = 0; i < 100_000; i++) recs.push(fde(0, (i * 4) % 0x1000, 4));
    const u = elfWith(ehFrame(recs).bytes).unwindFunctions!();
    expect(u.count).toBe(100_000);
    expect(u.errors).toEqual([]);
  });

  it('random bytes never throw, and every error has a file offset and a field', () => {
    let x = 0x1234567;
    for (let round = 0; round < 300; round++) {
      const good = ehFrame([cie(), fde(0, 0x10, 8), cie('zPLR'), fde(0, 0x20, 8), fde(0x30, 0x20, 8)]).bytes;
      for (let k = 0; k < 1 + (round % 6); k++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        good[(x >>> 0) % good.length] = x & 0xff;
      }
      const u = elfWith(good).unwindFunctions!();
      for (const e of u.errors) {
        expect(e.offset).toMatch(/^0x[0-9a-f]+$/);
        expect(e.field.startsWith('.eh_frame')).toBe(true);
      }
      expect(u.start.length).toBe(u.count);
    }
  });
});

// ----------------------------------------------------------- the goal

/** The arm64 ELF slice of a corpus file that has no .symtab. */
function strippedArm64Elf(name: string): boolean {
  const b = corpusBytes(name);
  if (!isElf(b)) return false;
  const s = parse(b)[0];
  return !!s && s.report.arch === 'arm64' && s.report.stripped;
}

describe.skipIf(!hasCorpus || !hasDwarfdump)('stripped arm64 ELF files: function bounds from .eh_frame', () => {
  const files = corpusFiles().filter(strippedArm64Elf);
  it('the corpus has stripped arm64 ELF files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });
  it.each(files)('%s', (name) => {
    const bytes = corpusBytes(name);
    const { report, slices } = buildReport(new MemorySource(bytes), name, { engine, skipHash: true });
    const s = report.slices[0]!;
    const fdes = dwarfdumpFdes(join(CORPUS, 'bin', name));
    const slice = slices[0]!.parsed;
    const texts = slice.image.sections.filter(isTextSection).map((x) => [x.addr, x.addr + BigInt(x.size)] as const);
    const inText = fdes.filter((f) => texts.some(([a, b]) => f.start >= a && f.start < b));
    const total = s.arm64?.functions?.total ?? 0;
    const go = slices[0]!.goFunctions;
    const extra = (go ?? []).map((f) => ({ address: f.entry, name: f.name, size: Number(f.end - f.entry) }));
    const starts = new Set(arm64Functions(slice, engine, extra).rows.map((r) => BigInt(r.address)));
    const missing = inText.filter((f) => !starts.has(f.start));
    console.log(
      `${name}: ${fdes.length} FDEs (${inText.length} in text), ${total} functions from ${s.arm64?.functions?.sources.join(', ') ?? 'nothing'}`,
    );
    expect(missing.map((f) => f.start.toString(16))).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(Math.ceil(0.95 * fdes.length));
  });
});

// ----------------------------------------------------- stripped == unstripped

const FACTS = (r: Arm64FunctionRow) => ({
  size: r.size,
  signs: r.signs,
  returns: r.returns,
  unauthReturn: r.unauthReturn,
  btiEntry: r.btiEntry,
  nonLeaf: r.nonLeaf,
});

function functionsOf(bytes: Uint8Array): Arm64FunctionRow[] {
  const s = parse(bytes).find((x) => x.report.arch.startsWith('arm64'))!;
  const go = goFunctionsForSlice(s).map((f) => ({ address: f.entry, name: f.name, size: Number(f.end - f.entry) }));
  return arm64Functions(s, engine, go).rows;
}

/** Every function of the stripped build, at the same address in the unstripped one, with the same facts. */
function expectSameFacts(full: Uint8Array, stripped: Uint8Array): { compared: number; stripped: number; full: number } {
  const a = functionsOf(full);
  const b = functionsOf(stripped);
  const byAddress = new Map(a.map((r) => [r.address, r]));
  const onlyStripped = b.filter((r) => !byAddress.has(r.address)).map((r) => r.address);
  expect(onlyStripped).toEqual([]);
  for (const r of b) expect({ address: r.address, ...FACTS(r) }).toEqual({ address: r.address, ...FACTS(byAddress.get(r.address)!) });
  return { compared: b.length, stripped: b.length, full: a.length };
}

describe('stripped and unstripped builds give the same per-function facts', () => {
  const pairs = readdirSync(join(FIXTURES, 'pacbti', 'bin'))
    .filter((n) => n.endsWith('-stripped'))
    .map((n) => n.slice(0, -'-stripped'.length));
  it('fixtures/pacbti has pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(5);
  });
  it.each(pairs)('%s', (name) => {
    const r = expectSameFacts(fixtureBytes(`pacbti/bin/${name}`), fixtureBytes(`pacbti/bin/${name}-stripped`));
    expect(r.compared).toBeGreaterThan(1);
    // The stripped build lost its symbols, not its functions: the ones without an FDE are crt's assembly.
    const u = parse(fixtureBytes(`pacbti/bin/${name}-stripped`))[0]!.unwindFunctions!();
    expect(r.stripped).toBeGreaterThanOrEqual(u.count);
  });

  // The corpus's unstripped arm64 ELF files, stripped here (scripts/setup-system.sh installs the tool).
  const strip = ['aarch64-linux-gnu-strip'].find((t) => spawnSync(t, ['--version']).status === 0);
  if (hasCorpus && !strip)
    console.warn('stripped-here pairs skipped: aarch64-linux-gnu-strip is not installed (binutils-aarch64-linux-gnu)');
  const unstripped =
    hasCorpus && strip
      ? corpusFiles().filter(
          (n) => isElf(corpusBytes(n)) && parse(corpusBytes(n))[0]?.report.arch === 'arm64' && !parse(corpusBytes(n))[0]!.report.stripped,
        )
      : [];
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'binlens-strip-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  it.skipIf(unstripped.length === 0).each(unstripped)('corpus %s, stripped here', (name) => {
    const out = join(dir, name);
    execFileSync(strip!, ['-o', out, join(CORPUS, 'bin', name)]);
    const r = expectSameFacts(corpusBytes(name), new Uint8Array(readFileSync(out)));
    console.log(`${name}: ${r.full} functions unstripped, ${r.stripped} stripped, all ${r.compared} the same`);
  });
});
