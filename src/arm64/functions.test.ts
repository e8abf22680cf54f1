// The fast per-function path (typed-array bounds, batched engine calls, the
// engine's table-driven flags pass) against the plain implementations it
// replaced: same rows, same summary, on random code, forged symbol tables
// and every arm64 file of the corpus and fixtures.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFile } from '../parsers/analyze.ts';
import { MemorySource, Reader } from '../parsers/reader.ts';
import type { ParsedSlice, SymbolRow } from '../parsers/types.ts';
import type { Section, SliceReport } from '../report/types.ts';
import { makeImage, type ImageSection } from '../parsers/image.ts';
import { goFunctionsForSlice } from '../parsers/go/index.ts';
import { corpusBytes, corpusFiles, FIXTURES, fixtureBytes, hasCorpus } from '../../test/corpus.ts';
import type { Arm64Engine } from './engine.ts';
import { loadEngine } from './node.ts';
import {
  analyzeArm64,
  analyzeArm64Table,
  arm64Functions,
  arm64FunctionsExact,
  functionBounds,
  functionBoundsExact,
  type FunctionInfo,
} from './scan.ts';
import { rng } from '../../test/rng.ts';

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

// Words the function analysis reacts to (signing, authenticating, returns,
// branches both ways, calls, stores of x30, landing pads, FEAT_PAuth_LR).
const ALPHABET = [
  0xd503233f,
  0xd503237f,
  0xd50323bf,
  0xd50323ff,
  0xd503231f,
  0xd503235f,
  0xd503239f,
  0xd50323df, // paciasp pacibsp autiasp autibsp paciaz pacibz autiaz autibz
  0xd65f03c0,
  0xd65f0bff,
  0xd65f0fff,
  0xd61f0200,
  0xd71f0a30,
  0xd61f0bff,
  0xd63f0020,
  0xd73f0a30,
  0xd63f0bff, // ret retaa retab br braa braaz blr blraa blraaz
  0x94000010,
  0x14000002,
  0x17fffffe,
  0x17fffff0,
  0x54000040,
  0x54ffffa0,
  0xb4000040,
  0xb5ffff80,
  0x36000040,
  0x37ffff60, // bl b b.cond cbz/cbnz tbz/tbnz
  0xa9bf7bfd,
  0xa90153f3,
  0xf90007fe,
  0xf81f0ffe,
  0xf80087fe,
  0xa8c17bfd,
  0xf9400bfe, // stp x29,x30 / stp / str x30 / str pre / str post / ldp / ldr
  0xd503201f,
  0x00000000,
  0xd503245f,
  0xd503249f,
  0xd503241f,
  0xd50324df, // nop udf bti c/j/plain/jc
  0xdac103fe,
  0xdac107fe,
  0xdac113fe,
  0xdac117fe,
  0xdac143fe,
  0xdac123fe,
  0xdac1a3fe,
  0xdac193fe,
  0xdac1a7fe, // pacia/pacib/autia/autib x30,sp; pacnbiasppc, pacia171615, pacibsppc, autiasppcr…
  0x5500001f,
  0x5520001f,
  0xf380001f,
  0xf3a0001f,
  0xd69f03e0,
  0xd6bf03e0,
  0xd69f0bff,
  0x9ac13000,
  0xf8200400, // retaasppc… autiasppc… eret drps eretaa pacga ldraa
  0x91000400,
  0xaa0103e0,
  0xd4000001,
  0xd2801168,
];

function randomCode(words: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(words * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < words; i++) {
    const pick = r() % 8 === 0 ? r() : ALPHABET[r() % ALPHABET.length]!;
    dv.setUint32(i * 4, pick >>> 0, true);
  }
  return out;
}

describe('engine: batched, table-driven function analysis', () => {
  it('gives what the reference pass gives, function by function', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const code = randomCode(60_000, seed);
      const r = rng(seed * 7919);
      const spans: number[] = [];
      for (let at = 0; at < code.byteLength;) {
        const len = 4 * (1 + (r() % (seed % 2 ? 40 : 400)));
        if (at + len > code.byteLength) break;
        spans.push(at, len);
        at += len + 4 * (r() % 3);
      }
      engine.load(code);
      const n = spans.length / 2;
      const flags = new Uint32Array(n);
      const unauth = new Int32Array(n);
      engine.analyzeBatch(Uint32Array.from(spans), n, flags, unauth);
      let signing = 0;
      for (let i = 0; i < n; i++) {
        const ref = engine.analyzeLoadedReference(spans[2 * i]!, spans[2 * i + 1]!);
        expect([flags[i], unauth[i]], `seed ${seed} function ${i}`).toEqual([ref.flags, ref.unauthReturn]);
        const one = engine.analyzeLoaded(spans[2 * i]!, spans[2 * i + 1]!);
        expect(one).toEqual(ref);
        if (ref.flags & 1) signing++;
      }
      expect(signing).toBeGreaterThan(10);
    }
  });

  it('uniformly random words, every top byte', () => {
    const r = rng(99);
    const code = new Uint8Array(4 * 65536);
    const dv = new DataView(code.buffer);
    for (let i = 0; i < 65536; i++) dv.setUint32(4 * i, ((i & 255) << 24) | (r() & 0xffffff), true);
    engine.load(code);
    for (let at = 0; at < code.byteLength; at += 1024) {
      expect(engine.analyzeLoaded(at, 1024)).toEqual(engine.analyzeLoadedReference(at, 1024));
    }
  });
});

// A slice as the parsers would give it, with just what scan.ts reads.
function fakeSlice(opts: {
  sections: { address: bigint; size: number; offset: number; x?: boolean }[];
  bytes: Uint8Array;
  symbols: SymbolRow[];
  starts?: bigint[];
  macho?: boolean;
  /** .dynsym rows (ELF): function bounds fall back to them when `symbols` has no function. */
  dynamic?: SymbolRow[];
  /** FDE ranges (ELF .eh_frame). */
  fdes?: { start: bigint; size: number }[];
}): ParsedSlice {
  const sections: Section[] = opts.sections.map((s, i) => ({
    name: `.text${i}`,
    segment: '',
    address: '0x' + s.address.toString(16),
    size: s.size,
    offset: '0x' + s.offset.toString(16),
    type: opts.macho ? 'S_REGULAR' : 'PROGBITS',
    flags: opts.macho ? 'PURE_INSTRUCTIONS SOME_INSTRUCTIONS' : s.x === false ? 'A' : 'AX',
  }));
  const report = {
    arch: 'arm64',
    fileTypeRaw: opts.macho ? 'MH_EXECUTE' : 'ET_EXEC',
    sections,
    platform: null,
    cpu: { type: 0, subtype: 0, name: '' },
    features: { bti: null, pac: null, sources: {} },
  };
  const fdes = opts.fdes ?? [];
  const reader = new Reader(new MemorySource(opts.bytes));
  const imageSections: ImageSection[] = opts.sections.map((s, i) => ({
    name: `.text${i}`,
    segment: '',
    addr: s.address,
    offset: s.offset,
    size: s.size,
    nobits: false,
    code: opts.macho === true || s.x !== false,
    instructions: opts.macho === true || s.x !== false,
    alloc: true,
  }));
  return {
    report,
    reader,
    image: makeImage(opts.macho === true ? 'macho' : 'elf', report as unknown as SliceReport, reader, [], imageSections),
    symbols: () => opts.symbols,
    functionStarts: () => opts.starts ?? [],
    mappingSymbols: () => [],
    ...(opts.macho
      ? {}
      : {
          dynamicSymbols: () => opts.dynamic ?? [],
          // Relative to a base near the code, as the parser keeps them (its own address).
          unwindFunctions: () => ({
            source: fdes.length ? 'eh_frame' : null,
            count: fdes.length,
            base: opts.sections[0]!.address + 0x123450n,
            start: fdes.map((f) => Number(f.start - (opts.sections[0]!.address + 0x123450n))),
            size: fdes.map((f) => f.size),
            errors: [],
            warnings: [],
          }),
        }),
  } as unknown as ParsedSlice;
}

function sym(address: bigint, name: string, size: number, type = 'func'): SymbolRow {
  return {
    name,
    address,
    size,
    defined: true,
    type,
    bind: 'global',
    section: null,
    library: null,
    version: null,
    exported: true,
  } as SymbolRow;
}

/** functionBounds, arm64Functions and analyzeArm64 equal their BigInt, one-call-per-function references. */
function expectSameAsExact(slice: ParsedSlice, extra: FunctionInfo[]): void {
  expect(functionBounds(slice, extra)).toEqual(functionBoundsExact(slice, extra));
  expect(arm64Functions(slice, engine, extra)).toEqual(arm64FunctionsExact(slice, engine, extra));
  expect(analyzeArm64(slice, engine, extra)).toEqual(analyzeArm64Table(slice, engine, null, () => extra));
}

describe('typed-array function bounds', () => {
  const code = randomCode(30_000, 5);

  function forged(base: bigint, seed: number, macho = false): { slice: ParsedSlice; extra: FunctionInfo[] } {
    const r = rng(seed);
    const secs = [
      { address: base, size: 40_000, offset: 0 },
      { address: base + 0x20000n, size: 40_000, offset: 40_000 },
      // Overlapping and out-of-order sections, one not executable, one past the file's end.
      { address: base + 0x30000n, size: 20_000, offset: 60_000 },
      { address: base - 0x1000n >= 0n ? base - 0x1000n : base + 0x90000n, size: 8_000, offset: 100_000 },
      { address: base + 0x50000n, size: 4_000, offset: 8, x: false },
      { address: base + 0x60000n, size: 400_000, offset: 100_000 },
    ];
    const addrIn = () => {
      const s = secs[r() % secs.length]!;
      return s.address + BigInt((r() % (s.size + 64)) & ~3) - 16n;
    };
    const names = ['', 'main', 'runtime.sigtramp', '_sigtramp', 'runtime.sigreturn.abi0', 'constructor', 'toString', 'f'];
    const symbols: SymbolRow[] = [];
    for (let i = 0; i < 300; i++) {
      const a = addrIn();
      symbols.push(
        sym(
          a,
          names[r() % names.length]! + (r() % 3 === 0 ? String(i) : ''),
          r() % 4 === 0 ? 0 : r() % 4 === 1 ? -4 : 4 * (r() % 300),
          r() % 9 === 0 ? 'object' : 'func',
        ),
      );
      if (r() % 5 === 0) symbols.push(sym(a, r() % 2 ? '' : `dup${i}`, 4 * (r() % 50)));
    }
    const starts = Array.from({ length: 40 }, addrIn);
    const extra: FunctionInfo[] = Array.from({ length: 200 }, (_, i) => ({
      address: addrIn(),
      name: r() % 6 === 0 ? null : r() % 6 === 1 ? '' : names[r() % names.length]! + i,
      size: r() % 3 === 0 ? null : r() % 5 === 0 ? 0 : 4 * (r() % 400),
    }));
    // FDEs: duplicates of symbol starts, sizes 0, NaN (past 2^53) and odd, some outside every text section.
    const fdes = Array.from({ length: 150 }, (_, i) => ({
      start: i % 7 === 0 && symbols[i] ? symbols[i]!.address! : addrIn(),
      size: r() % 6 === 0 ? 0 : r() % 6 === 1 ? NaN : r() % 6 === 2 ? 1 + 2 * (r() % 99) : 4 * (r() % 300),
    }));
    // With `stripped`, the symbols move to .dynsym and the symbol table keeps only objects.
    const dynamic = seed % 3 === 0 ? symbols : undefined;
    const own = dynamic ? symbols.filter((s) => s.type !== 'func') : symbols;
    return { slice: fakeSlice({ sections: secs, bytes: code, symbols: own, dynamic, starts, macho, fdes: macho ? [] : fdes }), extra };
  }

  it('forged ELF and Mach-O tables: duplicates, sizes 0/negative/none, empty names, unsorted, overlapping sections', () => {
    for (let seed = 1; seed <= 9; seed++) {
      const { slice, extra } = forged(0x400000n, seed, seed % 2 === 0);
      expectSameAsExact(slice, extra);
      expectSameAsExact(slice, []);
    }
  });

  it('kernel addresses (above 2^53) and sections 2^53 bytes apart (the BigInt path)', () => {
    for (const base of [0xffff800008000000n, 0x1fffffffffff0000n, 0n]) {
      const { slice, extra } = forged(base, 3);
      expectSameAsExact(slice, extra);
    }
    const wide = fakeSlice({
      sections: [
        { address: 0x1000n, size: 4000, offset: 0 },
        { address: 0xfff0000000000000n, size: 4000, offset: 4000 },
      ],
      bytes: code,
      symbols: [sym(0x1000n, 'a', 16), sym(0xfff0000000000010n, 'runtime.sigtramp', 0), sym(0x1100n, 'b', 0)],
    });
    expectSameAsExact(wide, [{ address: 0xfff0000000000100n, name: 'g', size: 64 }]);
    expect(arm64Functions(wide, engine).rows.map((r) => r.address)).toEqual([0x1000n, 0x1100n, 0xfff0000000000010n]);
  });

  it('a function named like an Object.prototype member is not a trampoline', () => {
    const slice = fakeSlice({
      sections: [{ address: 0x1000n, size: 4000, offset: 0 }],
      bytes: code,
      symbols: [sym(0x1000n, 'constructor', 64), sym(0x1100n, '__sigtramp', 64)],
      macho: true,
    });
    expect(analyzeArm64(slice, engine).sigtramps.map((t) => [t.symbol, t.kind])).toEqual([['__sigtramp', 'darwin-sigtramp']]);
  });
});

function arm64Slices(bytes: Uint8Array): ParsedSlice[] {
  return parseFile(new MemorySource(bytes)).slices.filter((s) => s.report.arch.startsWith('arm64'));
}

describe('typed-array path equals the reference on real files', () => {
  const fixtures = readdirSync(join(FIXTURES, 'arm64', 'bin')).map((n) => join('arm64', 'bin', n));
  it.each(fixtures)('fixture %s', (rel) => {
    for (const s of arm64Slices(fixtureBytes(rel))) expectSameAsExact(s, []);
  });
  it.skipIf(!hasCorpus).each(hasCorpus ? corpusFiles() : [])('corpus %s', (name) => {
    for (const s of arm64Slices(corpusBytes(name))) {
      const go = goFunctionsForSlice(s).map((f) => ({ address: f.entry, name: f.name, size: Number(f.end - f.entry) }));
      expectSameAsExact(s, go);
    }
  });
});
