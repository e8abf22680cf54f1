// The scan over parsed slices: PAC/BTI counts equal llvm-objdump-19's on
// every arm64 corpus file (oracle/*.pac-bti-counts.txt) and verdict fixture;
// per-function facts on fixtures/arm64/bin/aarch64-pacflow, whose source
// says what each function must be found to do; signal trampolines; listing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFile } from '../src/parsers/analyze.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { ParsedSlice } from '../src/parsers/types.ts';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { analyzeArm64, arm64Functions, codeRanges, listing, symbolize } from '../src/arm64/scan.ts';
import { corpusBytes, corpusFiles, FIXTURES, fixtureBytes, hasCorpus, oracle } from './corpus.ts';
import { rng } from './rng.ts';

function slices(bytes: Uint8Array): ParsedSlice[] {
  return parseFile(new MemorySource(bytes)).slices.filter((s) => s.report.arch.startsWith('arm64'));
}

/** `mnemonic count` lines, sorted, as the oracle writes them. */
function countLines(byMnemonic: Record<string, number>): string[] {
  return Object.entries(byMnemonic)
    .map(([k, v]) => `${k} ${v}`)
    .sort();
}

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

describe.skipIf(!hasCorpus)('PAC/BTI counts equal llvm-objdump-19 on the corpus', () => {
  const files = corpusFiles().filter((f) => oracle(f, 'pac-bti-counts.txt') !== null && /aarch64|arm64/.test(oracle(f, 'file.txt') ?? ''));
  it('has arm64 files with counts', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it.each(files)('%s', (name) => {
    const want = oracle(name, 'pac-bti-counts.txt')!.split('\n').filter(Boolean).sort();
    const arm = slices(corpusBytes(name));
    expect(arm.length).toBeGreaterThan(0);
    for (const s of arm) {
      const r = analyzeArm64(s, engine);
      expect(countLines({ ...r.pac.byMnemonic, ...r.bti.byMnemonic })).toEqual(want);
      expect(r.pac.total + r.bti.total).toBe(want.reduce((n, l) => n + Number(l.split(' ')[1]), 0));
      expect(r.instructions).toBeGreaterThan(0);
    }
  });
});

describe('PAC/BTI counts on the verdict fixtures', () => {
  const text = readFileSync(join(FIXTURES, 'verdict', 'pac-bti-counts.txt'), 'utf8');
  const blocks = text.split(/^== /m).filter(Boolean);
  it.each(blocks.map((b) => [b.split('\n')[0]!.trim(), b] as const))('%s', (name, block) => {
    const lines = block.split('\n').slice(1).filter(Boolean);
    const want = lines.filter((l) => !l.startsWith('instructions ')).sort();
    const [s] = slices(fixtureBytes(join('verdict', 'bin', name)));
    const r = analyzeArm64(s!, engine);
    expect(countLines({ ...r.pac.byMnemonic, ...r.bti.byMnemonic })).toEqual(want);
    // llvm-objdump's instruction lines; these small files have no run of zero
    // words long enough for llvm-objdump to print `...` instead.
    const total = lines.find((l) => l.startsWith('instructions '));
    expect(r.instructions).toBe(Number(total!.split(' ')[1]));
  });
});

describe('per-function return-address protection (fixtures/arm64/src/pacflow.s)', () => {
  let byName: Map<string, ReturnType<typeof arm64Functions>['rows'][number]>;
  let slice: ParsedSlice;
  beforeAll(() => {
    slice = slices(fixtureBytes('arm64/bin/aarch64-pacflow'))[0]!;
    byName = new Map(arm64Functions(slice, engine).rows.map((r) => [r.name ?? '', r]));
  });
  it('finds every function from the symbol table', () => {
    expect([...byName.keys()].sort()).toEqual(
      [
        '_start',
        'helper',
        'jumptable',
        'leaf_bti_j',
        'loopback',
        'pacib_x30',
        'plain_bti',
        'restorer',
        'retab_fn',
        'shrinkwrap',
        'tailcall',
      ].sort(),
    );
  });
  it('an early return before signing is not an unauthenticated return', () => {
    const f = byName.get('shrinkwrap')!;
    expect(f).toMatchObject({ signs: true, returns: true, unauthReturn: null, btiEntry: true, nonLeaf: true });
  });
  it('a jump-table target that returns without AUTIASP is found', () => {
    expect(byName.get('jumptable')).toMatchObject({ signs: true, unauthReturn: 0x4000f8n });
  });
  it('RETAB authenticates', () => {
    expect(byName.get('retab_fn')).toMatchObject({ signs: true, returns: true, unauthReturn: null, btiEntry: true });
  });
  it('a loop before the epilogue does not confuse the data flow', () => {
    expect(byName.get('loopback')).toMatchObject({ signs: true, unauthReturn: null });
  });
  it('a tail call after AUTIASP has no return', () => {
    expect(byName.get('tailcall')).toMatchObject({ signs: true, returns: false, unauthReturn: null });
  });
  it('BTI j is a landing pad, plain BTI is not', () => {
    expect(byName.get('leaf_bti_j')).toMatchObject({ btiEntry: true, nonLeaf: false, signs: false });
    expect(byName.get('plain_bti')).toMatchObject({ btiEntry: false, nonLeaf: false });
  });
  it('PACIB x30, sp signs; the plain RET after it is unauthenticated', () => {
    expect(byName.get('pacib_x30')).toMatchObject({ signs: true, unauthReturn: 0x40016cn });
  });
  it('summary lists the unauthenticated returns and the trampoline', () => {
    const r = analyzeArm64(slice, engine);
    expect(r.functions!.unauthenticatedReturns.map((u) => u.name).sort()).toEqual(['jumptable', 'pacib_x30']);
    expect(r.functions!.sources).toEqual(['symtab']);
    expect(r.sigtramps).toEqual([
      {
        address: '0x400170',
        symbol: 'restorer',
        kind: 'linux-rt-sigreturn',
        pacSigned: false,
        snippet: ['400170:\tmov\tx8, #0x8b', '400174:\tsvc\t#0'],
      },
    ]);
    expect(r.notes).toContain('2 functions sign their return address but can return without authenticating it');
  });
  it('the jump table ($d) is not swept as code', () => {
    const ranges = codeRanges(slice);
    expect(ranges.map((r) => [r.address.toString(16), r.bytes.byteLength])).toEqual([
      ['400078', 0x4000fc - 0x400078],
      ['400104', 0x400178 - 0x400104],
    ]);
  });
  it('listing names branch targets from the symbol table', () => {
    const rows = listing(slice, engine, { start: 0x400078n }, 2);
    expect(rows.map((r) => [r.address, r.text, r.mnemonic, r.target, r.targetName])).toEqual([
      [0x400078n, 'bl\t0x4000ac', 'bl', 0x4000acn, 'shrinkwrap'],
      [0x40007cn, 'bl\t0x4000d0', 'bl', 0x4000d0n, 'jumptable'],
    ]);
    const pac = listing(slice, engine, { start: 0x4000b4n }, 1)[0]!;
    expect(pac).toMatchObject({ text: 'paciasp', isPac: true, isBti: false });
    const bti = listing(slice, engine, { start: 0x4000acn }, 2);
    expect(bti[0]).toMatchObject({ text: 'bti\tc', isBti: true, isPac: false });
    expect(bti[1]).toMatchObject({ text: 'cbz\tx0, 0x4000cc', targetName: 'shrinkwrap+0x20' });
  });
});

describe('hostile code', () => {
  it('random words as one function, and as code to scan and list, neither throw nor trap', () => {
    let x = 0x2545f491;
    const bytes = new Uint8Array(400_000);
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < bytes.length; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      dv.setUint32(i, x >>> 0, true);
    }
    const facts = engine.analyzeFunction(bytes);
    expect(facts.flags).toBeGreaterThanOrEqual(0);
    engine.scanReset();
    engine.scan(bytes, 0xffff_ffff_ffff_0000n);
    expect(engine.scannedWords()).toBe(100_000);
    let n = 0;
    engine.disasm(bytes.subarray(0, 40_000), 0n, () => n++);
    expect(n).toBe(10_000);
  });
});

describe('the scan counts what the decoder says, wherever a word falls', () => {
  // The scan tests four words at a time before its exact per-word filter.
  // Words that share top bytes with PAC/BTI (RET, LDR, NOP, SVC, …) and the
  // rt_sigreturn pair, dense and at every lane and chunk position, must be
  // counted as decoding each word one by one counts them.
  it('dense PAC/BTI neighbours at every offset, across chunk ends', () => {
    const words = [
      0xd503233f, 0xd50323bf, 0xd503245f, 0xd503201f, 0xd65f03c0, 0xd65f0bff, 0xd63f0800, 0xd71f0a20, 0xdac143e1, 0xdac10020, 0x9ac13020,
      0x9a820020, 0xf8200420, 0xf8400420, 0xf8a00c20, 0x5500001f, 0xf380001f, 0xd4000001, 0xd2801168, 0x52801168, 0xd4000021, 0x91004020,
      0xf9400820, 0xaa0103e0,
    ];
    const next = rng(0x5ca9);
    const n = 3 * (engine.inputCap / 4) + 7;
    const bytes = new Uint8Array(n * 4);
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < n; i++) dv.setUint32(i * 4, words[next() % words.length]!, true);
    // At the chunk boundary: mov x8, #0x8b as the last word of one chunk, svc #0 as the first of the next.
    dv.setUint32(engine.inputCap - 4, 0xd2801168, true);
    dv.setUint32(engine.inputCap, 0xd4000001, true);
    const base = 0x10000n;
    for (let skip = 0; skip < 5; skip++) {
      const part = bytes.subarray(skip * 4);
      const at = base + BigInt(skip * 4);
      const want = new Map<string, number>();
      const hits: bigint[] = [];
      let prev = 0;
      for (let i = 0; i + 4 <= part.length; i += 4) {
        const w = dv.getUint32(skip * 4 + i, true);
        const d = engine.decodeOne(w, at + BigInt(i));
        if (engine.isPac(d.id) || engine.isBti(d.id)) {
          const name = engine.mnemonics[d.id]!;
          want.set(name, (want.get(name) ?? 0) + 1);
        }
        if (w === 0xd4000001 && (prev === 0xd2801168 || prev === 0x52801168)) hits.push(at + BigInt(i));
        prev = w;
      }
      engine.scanReset();
      engine.scan(part, at);
      expect(engine.scannedWords()).toBe(part.length / 4);
      expect(new Map([...engine.scanCounts()].sort())).toEqual(new Map([...want].sort()));
      expect(engine.sigreturnHits()).toEqual(hits);
      expect(hits).toContain(base + BigInt(engine.inputCap));
    }
  });
});

describe.skipIf(!hasCorpus)('signal trampolines in the corpus', () => {
  it('musl __restore_rt', () => {
    const r = analyzeArm64(slices(corpusBytes('built-c-aarch64-musl-static'))[0]!, engine);
    expect(r.sigtramps.map((t) => [t.kind, t.symbol])).toEqual([['linux-rt-sigreturn', '__restore_rt']]);
  });
  it("Go's runtime.sigtramp and cgoSigtramp by name (ELF and Mach-O)", () => {
    for (const name of ['built-hello-linux-arm64', 'built-hello-darwin-arm64']) {
      const r = analyzeArm64(slices(corpusBytes(name))[0]!, engine);
      expect(r.sigtramps.map((t) => t.kind).sort()).toEqual(['go-cgo-sigtramp', 'go-sigtramp']);
      for (const t of r.sigtramps) {
        expect(t.pacSigned).toBe(false);
        expect(t.snippet!.length).toBeGreaterThan(0);
      }
    }
  });
  it('targets are named from their own section (a call into .plt is .plt+0x10, not _init+0x30)', () => {
    const s = slices(corpusBytes('built-c-aarch64-static'))[0]!;
    expect(symbolize(s, 0x400280n)).toBe('_init');
    expect(symbolize(s, 0x4002b0n)).toBe('.plt+0x10');
    expect(symbolize(s, 0x400650n)).toBe('call_weak_fn+0xc');
    expect(symbolize(s, 0x10n)).toBeNull();
  });
  it('arm64e object: every non-leaf function signs', () => {
    const r = analyzeArm64(slices(corpusBytes('built-pa-arm64e.o'))[0]!, engine);
    expect(r.notes).toContain('arm64e slice, 100% of non-leaf functions sign their return address (2 of 2)');
    expect(r.functions!.unauthenticatedReturns).toEqual([]);
  });
});
