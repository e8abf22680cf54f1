// PAC and BTI are three questions, answered apart and the same way on every
// surface: what the file declares (GNU property note, arm64e subtype), what
// its code does (inside known functions), what the system enforces (Linux:
// BTI only with the note, PAC never; Apple: PAC only for arm64e, BTI never).
// Cases: PAC code without a note, the note, arm64e, PAC code in a plain
// arm64 Mach-O slice, no protection at all, and PAC/BTI encodings as data
// between functions of a stripped file. Each is checked in the report, on
// the Protections card's rows, in the Markdown export and through a link.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemorySource } from '../src/parsers/reader.ts';
import type { Arm64Protection, Report, SliceReport } from '../src/report/types.ts';
import type { Arm64Engine } from '../src/arm64/engine.ts';
import { loadEngine } from '../src/arm64/node.ts';
import { buildReport } from '../src/report/pipeline.ts';
import { decodePermalink, encodePermalink } from '../src/share/permalink.ts';
import { toMarkdown } from '../src/share/markdown.ts';
import { featureRows } from '../src/ui/common/describe.ts';
import { textReport } from '../src/cli/commands/report.ts';
import { corpusBytes, corpusFiles, FIXTURES, fixtureBytes, hasCorpus } from './corpus.ts';

let engine: Arm64Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

function reportOf(bytes: Uint8Array, name: string): Report {
  return buildReport(new MemorySource(bytes), name, { engine, skipHash: true }).report;
}

function arm64Slice(r: Report): SliceReport {
  const s = r.slices.find((x) => x.arm64);
  if (!s) throw new Error(`${r.file.name}: no arm64 slice`);
  return s;
}

type Triple = [declared: boolean | null, does: boolean | null, enforced: boolean | null];
const triple = (p: Arm64Protection): Triple => [p.declared, p.does, p.enforced];

interface Case {
  name: string;
  file: () => Uint8Array;
  pac: Triple;
  bti: Triple;
  /** Words each answer must contain (PAC, then BTI): the reason, not only the verdict. */
  pacWords: [declared: string, does: string, enforced: string];
  btiWords: [declared: string, does: string, enforced: string];
}

const fixture = (rel: string) => () => fixtureBytes(join('pacbti', 'bin', rel));

const CASES: Case[] = [
  {
    name: 'arm64 ELF, PAC and BTI code without the GNU property note (glibc crt objects lack it)',
    file: fixture('aarch64-prog-pacbti'),
    pac: [false, true, false],
    bti: [false, true, false],
    pacWords: [
      'no GNU_PROPERTY_AARCH64_FEATURE_1_AND',
      '5 of 17 functions sign their return address',
      'Linux enforces no pointer authentication',
    ],
    btiWords: ['no GNU_PROPERTY_AARCH64_FEATURE_1_AND', '6 BTI instructions inside functions', 'without PROT_BTI'],
  },
  {
    name: 'arm64 ELF with the note forced on (-z force-bti): BTI declared and enforced, PAC not declared',
    file: fixture('aarch64-prog-forcebti'),
    pac: [false, true, false],
    bti: [true, true, true],
    pacWords: ['GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0x1', 'sign their return address', 'runs on every CPU with pointer authentication'],
    btiWords: ['GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0x1', 'BTI instructions inside functions', 'with PROT_BTI'],
  },
  {
    name: 'arm64 ELF without branch protection',
    file: fixture('aarch64-prog-plain'),
    pac: [false, false, false],
    bti: [false, false, false],
    pacWords: ['no GNU_PROPERTY', '0 of 17 functions sign', 'no function in the code signs its return address'],
    btiWords: ['no GNU_PROPERTY', '0 BTI instructions inside functions', 'without PROT_BTI'],
  },
  {
    name: 'arm64 Mach-O object with PAC and BTI code: not arm64e, so the keys are off',
    file: fixture('clang-arm64-macos-pacbti.o'),
    pac: [false, true, false],
    bti: [null, true, false],
    pacWords: [
      'does not declare the arm64e pointer-authentication ABI',
      '2 of 3 functions sign their return address',
      'turn the pointer-authentication keys off',
    ],
    btiWords: ['Mach-O has no BTI declaration', '2 BTI instructions inside functions', 'do not use BTI'],
  },
  {
    name: 'arm64e Mach-O object: the pointer-authentication ABI',
    file: fixture('clang-arm64e-macos-pam.o'),
    pac: [true, true, true],
    bti: [null, false, false],
    pacWords: ['CPU_SUBTYPE_ARM64E', 'sign their return address', 'arm64e: the system gives the process pointer-authentication keys'],
    btiWords: ['Mach-O has no BTI declaration', '0 BTI instructions inside functions', 'do not use BTI'],
  },
  {
    name: 'arm64e Mach-O object built without signed returns: declared and enforced, the code signs nothing',
    file: fixture('clang-arm64e-macos-noptrauth.o'),
    pac: [true, false, true],
    bti: [null, false, false],
    pacWords: ['CPU_SUBTYPE_ARM64E', '0 of 3 functions sign their return address', 'arm64e'],
    btiWords: ['Mach-O has no BTI declaration', '0 BTI instructions inside functions', 'do not use BTI'],
  },
  {
    name: 'stripped arm64 ELF with PAC/BTI encodings as data between its functions',
    file: fixture('aarch64-datawords-stripped'),
    pac: [false, true, false],
    bti: [false, true, false],
    pacWords: [
      'no GNU_PROPERTY',
      '1 of 2 functions sign their return address; 2 pointer-authentication instructions inside functions',
      'hint-space',
    ],
    btiWords: ['no GNU_PROPERTY', '2 BTI instructions inside functions', 'without PROT_BTI'],
  },
];

// The corpus files the issue names: PAC code without the note, the note, arm64e.
const CORPUS_CASES: Case[] = [
  {
    name: 'corpus built-c-aarch64-pacbti',
    file: () => corpusBytes('built-c-aarch64-pacbti'),
    pac: [false, true, false],
    bti: [false, true, false],
    pacWords: ['no GNU_PROPERTY', '2 of 11 functions sign their return address', 'Linux enforces no pointer authentication'],
    btiWords: ['no GNU_PROPERTY', '1 BTI instruction inside functions', 'without PROT_BTI'],
  },
  {
    name: 'corpus built-bare-aarch64-bti-note',
    file: () => corpusBytes('built-bare-aarch64-bti-note'),
    pac: [true, true, false],
    bti: [true, true, true],
    pacWords: ['GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0x3', '1 of 3 functions sign', 'nothing reads the PAC bit'],
    btiWords: ['GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0x3', '2 BTI instructions inside functions', 'with PROT_BTI'],
  },
  {
    name: 'corpus built-pa-arm64e.o',
    file: () => corpusBytes('built-pa-arm64e.o'),
    pac: [true, true, true],
    bti: [null, false, false],
    pacWords: ['CPU_SUBTYPE_ARM64E', '2 of 3 functions sign', 'arm64e'],
    btiWords: ['Mach-O has no BTI declaration', '0 BTI instructions', 'do not use BTI'],
  },
];

const YN = (v: boolean | null, none: string) => (v === null ? none : v ? 'yes' : 'no');

function checkCase(c: Case): Report {
  const r = reportOf(c.file(), c.name);
  const s = arm64Slice(r);
  const p = s.arm64!.protection!;
  expect({ pac: triple(p.pac), bti: triple(p.bti) }).toEqual({ pac: c.pac, bti: c.bti });
  const text = (q: Arm64Protection) => [q.declaredBy, q.doesBy, q.enforcedBy];
  c.pacWords.forEach((w, i) => expect(text(p.pac)[i]).toContain(w));
  c.btiWords.forEach((w, i) => expect(text(p.bti)[i]).toContain(w));

  // The Protections card: the same three answers, the same sentences.
  const rows = featureRows(s.features, s.arm64!.protection, !s.fileTypeRaw.startsWith('MH_'));
  for (const key of ['pac', 'bti'] as const) {
    const row = rows.find((x) => x.key === key)!;
    const q = p[key];
    expect(row.parts!.map((x) => [x.question, x.value, x.text])).toEqual([
      ['declared', YN(q.declared, 'n/a'), q.declaredBy],
      ['code', YN(q.does, 'unknown'), q.doesBy],
      ['enforced', YN(q.enforced, 'unknown'), q.enforcedBy],
    ]);
  }

  // The Markdown export: one row per question, PAC then BTI.
  const md = toMarkdown(r);
  const line = (label: string) => md.split('\n').find((l) => l.startsWith(`| ${label} |`))!;
  expect(line('Declared by the file')).toMatch(
    new RegExp(`^\\| Declared by the file \\| ${YN(p.pac.declared, 'n/a')}: .* \\| ${YN(p.bti.declared, 'n/a')}: `),
  );
  expect(line('Done by the code')).toMatch(
    new RegExp(`^\\| Done by the code \\| ${YN(p.pac.does, 'unknown')}: .* \\| ${YN(p.bti.does, 'unknown')}: `),
  );
  expect(line('Enforced by the system')).toMatch(
    new RegExp(`^\\| Enforced by the system \\| ${YN(p.pac.enforced, 'unknown')}: .* \\| ${YN(p.bti.enforced, 'unknown')}: `),
  );

  // The command line's text report.
  const three = (q: Arm64Protection) =>
    `declared ${YN(q.declared, 'n/a')}, code ${YN(q.does, 'unknown')}, enforced ${YN(q.enforced, 'unknown')}`;
  expect(textReport(r)).toContain(`      pac: ${three(p.pac)}; bti: ${three(p.bti)}\n`);
  return r;
}

describe('PAC and BTI: declared, done by the code, enforced', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    checkCase(c);
  });
  it.skipIf(!hasCorpus).each(CORPUS_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    checkCase(c);
  });

  it('a link carries the answers: the page that opens it shows the same ones', async () => {
    for (const c of CASES) {
      const r = reportOf(c.file(), c.name);
      const link = await encodePermalink(r, { base: 'https://binlens.example/' });
      const back = await decodePermalink(link.url);
      if (!back.ok) throw new Error(back.error);
      expect(arm64Slice(back.report).arm64!.protection, c.name).toEqual(arm64Slice(r).arm64!.protection);
      expect(arm64Slice(back.report).arm64!.inFunctions, c.name).toEqual(arm64Slice(r).arm64!.inFunctions);
    }
  });

  it('a file cut short: what its missing part could change is unknown, what the rest shows stands', () => {
    const whole = fixtureBytes('pacbti/bin/aarch64-prog-forcebti');
    const s = arm64Slice(reportOf(whole.subarray(0, whole.length >> 1), 'half'));
    expect(s.incomplete).toEqual(expect.arrayContaining(['features', 'arm64']));
    const p = s.arm64!.protection!;
    expect([p.bti.declared, p.bti.enforced, p.pac.declared]).toEqual([null, null, null]);
    expect(p.bti.declaredBy).toContain('unknown (file truncated)');
    // Linux enforces no PAC, whatever a note it cannot read says.
    expect(p.pac.enforced).toBe(false);
    // The code that is there signs return addresses; a "no" would rest on missing bytes.
    expect(p.pac.does === true ? p.pac.doesBy : 'unknown').toMatch(/in the part of the code that is in the file|unknown/);
    if (p.bti.does !== true) expect(p.bti.does).toBeNull();
  });

  it('data words between functions count in the sweep (as llvm-objdump decodes them), not as what the code does', () => {
    const stripped = arm64Slice(reportOf(fixtureBytes('pacbti/bin/aarch64-datawords-stripped'), 'stripped')).arm64!;
    const full = arm64Slice(reportOf(fixtureBytes('pacbti/bin/aarch64-datawords'), 'full')).arm64!;
    // The unstripped file marks the table with $d, so its sweep skips it too.
    expect(full.pac.byMnemonic).toEqual({ autiasp: 1, paciasp: 1 });
    expect(full.inFunctions!.pac).toEqual(full.pac);
    // Stripped, the sweep decodes the table: a paciasp, a retaasppc and a bti c that are data.
    expect(stripped.pac.byMnemonic).toEqual({ autiasp: 1, paciasp: 2, retaasppc: 1 });
    expect(stripped.bti.total).toBe(3);
    expect(stripped.inFunctions!.pac).toEqual(full.pac);
    expect(stripped.inFunctions!.bti.total).toBe(2);
    expect(stripped.notes).toContain(
      '3 PAC/BTI instructions of the whole-section sweep lie outside every known function (data words in the code, or code no function bound covers): not counted as what the code does',
    );
    // retaasppc is outside the hint space: were it code, a CPU without PAC would stop there; it is not.
    expect(stripped.protection!.pac.enforcedBy).not.toContain('outside the hint space');
  });
});

// Whatever the file: no two statements about one protection disagree.
describe('no surface contradicts another', () => {
  const files: [string, () => Uint8Array][] = [
    ...['pacbti', 'elf', 'arm64', 'macho', 'verdict', 'go'].flatMap((dir) => {
      try {
        return readdirSync(join(FIXTURES, dir, 'bin')).map((n): [string, () => Uint8Array] => [
          `${dir}/${n}`,
          () => fixtureBytes(join(dir, 'bin', n)),
        ]);
      } catch {
        return [];
      }
    }),
    ...(hasCorpus ? corpusFiles().map((n): [string, () => Uint8Array] => [`corpus/${n}`, () => corpusBytes(n)]) : []),
  ];
  it.each(files)('%s', (name, bytes) => {
    const r = reportOf(bytes(), name);
    for (const s of r.slices) {
      const a = s.arm64;
      if (!a) continue;
      const p = a.protection!;
      const inside = a.inFunctions;
      // What the code does is read inside functions only.
      if (inside) {
        expect(p.pac.does).toBe(inside.pac.total > 0);
        expect(p.bti.does).toBe(inside.bti.total > 0);
        for (const k of Object.keys(inside.pac.byMnemonic)) expect(inside.pac.byMnemonic[k]!).toBeLessThanOrEqual(a.pac.byMnemonic[k]!);
        expect(inside.instructions).toBeLessThanOrEqual(a.instructions);
      } else {
        expect([p.pac.does, p.bti.does]).toEqual([null, null]);
      }
      // Declared is the file's own word: the note or the subtype, as the features say.
      if (s.fileTypeRaw.startsWith('MH_')) {
        expect(p.pac.declared).toBe(s.arch === 'arm64e');
        expect(p.bti.declared).toBeNull();
        expect(p.pac.enforced).toBe(s.arch === 'arm64e');
        expect(p.bti.enforced).toBe(false);
      } else {
        expect([p.pac.declared, p.bti.declared]).toEqual([s.features.pac, s.features.bti]);
        if (p.bti.enforced !== null) expect(p.bti.enforced).toBe(s.features.bti === true);
        if (p.pac.enforced !== null) expect(p.pac.enforced).toBe(false);
      }
      // No sentence says the code has none of what it has.
      const all = [
        ...(a.notes ?? []),
        p.pac.declaredBy,
        p.pac.doesBy,
        p.pac.enforcedBy,
        p.bti.declaredBy,
        p.bti.doesBy,
        p.bti.enforcedBy,
      ].join('\n');
      if (p.pac.does) expect(all).not.toMatch(/no function in the code signs|does not use pointer authentication/);
      if (p.bti.does) expect(all).not.toMatch(/\b0 BTI instructions inside/);
      if (a.functions && a.functions.signing > 0) expect(all).not.toMatch(/\b0 of \d[\d,]* functions sign/);
    }
  });
});
