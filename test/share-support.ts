// Helpers for the permalink tests: an independent check that a decoded link
// carries exactly the report it was made from (tables cut to a prefix, and
// nothing else changed), and reports far larger than real ones.

import type { Report, SliceReport } from '../src/report/types.ts';
import type { OmittedInfo, TableCut } from '../src/share/permalink.ts';
import { rngUnit as rng } from './rng.ts';
import { protectionOf } from '../src/arm64/protection.ts';
export { rng };

/**
 * Where each budgeted table lives, written out here apart from the codec so
 * the test does not trust the code it checks. `[]` stands for any index.
 */
const TABLE_AT: Record<string, string> = {
  slices: 'slices',
  compatibility: 'compatibility',
  'compatibility[].evidence': 'compatibilityEvidence',
  findings: 'findings',
  'findings[].evidence': 'findingEvidence',
  errors: 'errors',
  warnings: 'warnings',
  'slices[].libraries': 'libraries',
  'slices[].libraryDetails': 'libraries',
  'slices[].rpaths': 'rpaths',
  'slices[].rpathDetails': 'rpaths',
  'slices[].segments': 'segments',
  'slices[].segments[].sections': 'segmentSections',
  'slices[].sections': 'sections',
  'slices[].imports': 'imports',
  'slices[].loadCommands': 'loadCommands',
  'slices[].notes': 'notes',
  'slices[].arm64.sigtramps': 'sigtramps',
  'slices[].arm64.sigtramps[].snippet': 'sigtrampSnippets',
  'slices[].arm64.functions.unauthenticatedReturns': 'unauthenticatedReturns',
  'slices[].arm64.notes': 'arm64Notes',
  'slices[].go.deps': 'goDeps',
  'slices[].go.settings': 'goSettings',
  'slices[].go.warnings': 'goWarnings',
};
/** Row caps of arrays that are not budgeted tables (docs/sharing.md). */
const FIXED_CAPS = [4096];
/** Second views of a table counted through another array. */
const UNCOUNTED = new Set(['slices[].libraryDetails', 'slices[].rpathDetails']);

export interface CarriedCheck {
  problems: string[];
  /** What the decoded link shows was cut, counted independently: by slice (-1 = outside slices). */
  cuts: Map<number, Map<string, TableCut>>;
  truncatedStrings: number;
}

/** Compares a decoded report with the report its link was made from. */
export function checkCarried(original: Report, decoded: Report): CarriedCheck {
  const out: CarriedCheck = { problems: [], cuts: new Map(), truncatedStrings: 0 };
  const tally = (slice: number, table: string, kept: number, total: number) => {
    const m = out.cuts.get(slice) ?? new Map<string, TableCut>();
    out.cuts.set(slice, m);
    const p = m.get(table);
    m.set(table, { kept: (p?.kept ?? 0) + kept, total: (p?.total ?? 0) + total });
  };
  const walk = (o: unknown, d: unknown, path: string, shape: string, slice: number): void => {
    if (out.problems.length > 20) return;
    const table = TABLE_AT[shape];
    if (shape === 'slices[].codeSignature.entitlements' && typeof o === 'string' && d === null) {
      tally(slice, 'entitlements', 0, 1);
      return;
    }
    if (typeof o === 'string' && typeof d === 'string') {
      if (o === d) return;
      if (d.endsWith('…') && o.length > d.length && o.startsWith(d.slice(0, -1).replace(/[\ud800-\udbff]$/, ''))) {
        out.truncatedStrings++;
        return;
      }
      out.problems.push(`${path}: ${JSON.stringify(o.slice(0, 60))} became ${JSON.stringify(d.slice(0, 60))}`);
      return;
    }
    if (Array.isArray(o)) {
      if (!Array.isArray(d)) return void out.problems.push(`${path}: array became ${typeof d}`);
      if (d.length > o.length) return void out.problems.push(`${path}: ${o.length} rows became ${d.length}`);
      if (d.length < o.length) {
        // Arrays outside the budgeted tables are cut only at a fixed cap (counted as `other`).
        if (!table && !FIXED_CAPS.includes(d.length))
          return void out.problems.push(`${path}: ${o.length} rows cut to ${d.length}, but it is not a budgeted table`);
        if (!UNCOUNTED.has(shape)) tally(shape === 'slices' ? -1 : slice, table ?? 'other', d.length, o.length);
      }
      for (let i = 0; i < d.length; i++) walk(o[i], d[i], `${path}[${i}]`, `${shape}[]`, shape === 'slices' ? i : slice);
      return;
    }
    if (o !== null && typeof o === 'object') {
      if (d === null || typeof d !== 'object' || Array.isArray(d))
        return void out.problems.push(`${path}: object became ${JSON.stringify(d)}`);
      const ok = Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
      const dk = Object.keys(d);
      if (table) {
        // A record table (Go settings) keeps its first keys.
        if (dk.some((k, i) => ok[i] !== k)) return void out.problems.push(`${path}: keys are not a prefix of the original's`);
        if (dk.length < ok.length) tally(slice, table, dk.length, ok.length);
      } else if (ok.length !== dk.length || ok.some((k) => !dk.includes(k))) {
        return void out.problems.push(`${path}: keys ${ok.join(',')} became ${dk.join(',')}`);
      }
      for (const k of dk)
        walk(
          (o as Record<string, unknown>)[k],
          (d as Record<string, unknown>)[k],
          `${path}.${k}`,
          shape === '' ? k : `${shape}.${k}`,
          slice,
        );
      return;
    }
    if (!Object.is(o, d)) out.problems.push(`${path}: ${JSON.stringify(o)} became ${JSON.stringify(d)}`);
  };
  walk(original, decoded, 'report', '', -1);
  return out;
}

/** Problems between the cuts a check counted and the `omitted` a link declared. */
export function compareOmitted(check: CarriedCheck, omitted: OmittedInfo, slices: number): string[] {
  const problems: string[] = [];
  const same = (a: TableCut | undefined, b: TableCut | undefined) =>
    (a?.kept ?? -1) === (b?.kept ?? -1) && (a?.total ?? -1) === (b?.total ?? -1);
  const totals = new Map<string, TableCut>();
  for (const m of check.cuts.values()) {
    for (const [t, c] of m) {
      const p = totals.get(t);
      totals.set(t, { kept: (p?.kept ?? 0) + c.kept, total: (p?.total ?? 0) + c.total });
    }
  }
  const declared = Object.entries(omitted).filter(([k]) => k !== 'bySlice' && k !== 'truncatedStrings') as [string, TableCut][];
  for (const [t, c] of declared)
    if (!same(c, totals.get(t))) problems.push(`omitted.${t} ${JSON.stringify(c)} but the link shows ${JSON.stringify(totals.get(t))}`);
  for (const [t, c] of totals)
    if (!same(c, (omitted as unknown as Record<string, TableCut>)[t]))
      problems.push(
        `${t} cut to ${JSON.stringify(c)} but omitted says ${JSON.stringify((omitted as unknown as Record<string, TableCut>)[t])}`,
      );
  if (omitted.bySlice.length !== slices) problems.push(`omitted.bySlice has ${omitted.bySlice.length} entries for ${slices} slices`);
  for (let i = 0; i < slices; i++) {
    const m = check.cuts.get(i) ?? new Map<string, TableCut>();
    const b = (omitted.bySlice[i] ?? {}) as Record<string, TableCut>;
    for (const t of new Set([...m.keys(), ...Object.keys(b)]))
      if (!same(m.get(t), b[t]))
        problems.push(`slice ${i} ${t}: link shows ${JSON.stringify(m.get(t))}, omitted says ${JSON.stringify(b[t])}`);
  }
  if (omitted.truncatedStrings !== check.truncatedStrings)
    problems.push(`omitted.truncatedStrings ${omitted.truncatedStrings}, link shows ${check.truncatedStrings}`);
  return problems;
}

/** A deterministic pseudo-random generator (xorshift32), so a failing case can be replayed from its seed. */

/** `n` characters drawn at random from 68: about 6 bits of entropy each, so DEFLATE barely shrinks them. */
export function randomText(r: () => number, n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.-+=';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

/**
 * A report whose findings are random text (2,000 characters of detail each):
 * its JSON compresses worse than any real report's, so the core lists' JSON
 * cap passes HARD_CAP once compressed.
 */
export function incompressibleReport(base: Report, seed: number): Report {
  const r = rng(seed);
  return {
    ...base,
    findings: Array.from({ length: 300 }, (_, k) => ({
      id: `random-${k % 40}`,
      severity: 'warning' as const,
      title: `Finding ${k}`,
      detail: randomText(r, 2000),
      evidence: [],
      fix: null,
    })),
  };
}

/**
 * A report far past any budget, built on a real one: every table long, long
 * strings, many findings and slices. Each table's rows differ so a wrong
 * prefix shows.
 */
export function hugeReport(base: Report, seed: number, o: { slices?: number; rows?: number } = {}): Report {
  const r = rng(seed);
  const rows = o.rows ?? 3000;
  const s0 = base.slices[0];
  if (!s0) throw new Error('hugeReport needs a report with a slice');
  const slice = (i: number): SliceReport => ({
    ...s0,
    index: i,
    interpreter: '/' + randomText(r, 6000),
    libraries: Array.from({ length: 300 }, (_, k) => `/usr/lib/lib${k}-${randomText(r, 8)}.so`),
    libraryDetails: Array.from({ length: 300 }, (_, k) => ({ name: `/usr/lib/lib${k}.so`, kind: 'needed' as const })),
    rpaths: ['$ORIGIN/../lib', '/home/builder/' + randomText(r, 30)],
    rpathDetails: [{ path: '$ORIGIN/../lib', source: 'DT_RUNPATH' }],
    segments: Array.from({ length: 200 }, (_, k) => ({
      name: `SEG${k}`,
      address: '0x' + (0x400000 + k * 0x1000).toString(16),
      size: 4096,
      offset: '0x' + (k * 0x1000).toString(16),
      fileSize: 4096,
      perms: 'r-x',
      type: 'LOAD',
      sections: Array.from({ length: 40 }, (_, j) => `.s${k}.${j}`),
    })),
    sections: Array.from({ length: rows }, (_, k) => ({
      name: `.text.${randomText(r, 12)}`,
      segment: 'LOAD',
      address: '0x' + (0x400000 + k * 16).toString(16),
      size: k,
      offset: '0x' + (k * 16).toString(16),
      type: 'PROGBITS',
      flags: 'AX',
    })),
    imports: Array.from({ length: rows * 3 }, (_, k) => ({
      name: `_sym_${randomText(r, 10)}_${k}`,
      library: k % 3 ? `/usr/lib/lib${k % 300}.so` : null,
      weak: k % 7 === 0,
    })),
    loadCommands: Array.from({ length: rows }, (_, k) => ({
      cmd: 'LC_LOAD_DYLIB',
      cmdsize: 56,
      offset: '0x' + (32 + k * 56).toString(16),
      summary: `/usr/lib/lib${k}.dylib ${randomText(r, 10)}`,
    })),
    notes: Array.from({ length: 500 }, (_, k) => ({
      owner: 'GNU',
      type: 'NT_GNU_PROPERTY_TYPE_0',
      description: `note ${k} ${randomText(r, 20)}`,
    })),
    codeSignature: {
      adhoc: false,
      linkerSigned: false,
      identifier: 'com.example.' + randomText(r, 10),
      teamId: 'ABCDE12345',
      cdHash: 'a'.repeat(40),
      hashType: 'sha256',
      flags: ['runtime'],
      entitlements: '<?xml version="1.0"?><plist><dict>' + randomText(r, 70_000) + '</dict></plist>',
      entitlementsDer: 100,
      requirements: 1,
      hasCmsSignature: true,
    },
    // Past the fixed list cap in the first slice only, in short names: links measure JSON, and 5,000 long
    // names in every slice would leave no room for a single slice under JSON_CAP.
    flags: Array.from({ length: i === 0 ? 5000 : 20 }, (_, k) => `F${k % 100}`),
    arm64: {
      instructions: 1_000_000,
      pac: { total: 10, byMnemonic: { paciasp: 5, autiasp: 5 } },
      bti: { total: 3, byMnemonic: { bti: 3 } },
      sigtramps: Array.from({ length: 50 }, (_, k) => ({
        address: '0x' + (0x1000 + k).toString(16),
        symbol: `sig${k}`,
        kind: 'linux-rt-sigreturn',
        pacSigned: k % 2 === 0,
        snippet: Array.from({ length: 30 }, (_, j) => `  ${j}: mov x8, #${k}`),
      })),
      functions: {
        total: 90_000,
        signing: 10,
        nonLeaf: 2000,
        btiEntry: 5,
        unauthenticatedReturns: Array.from({ length: 2000 }, (_, k) => ({
          address: '0x' + (0x5000 + k * 4).toString(16),
          name: k % 5 ? `fn_${k}` : null,
        })),
        sources: ['symtab'],
      },
      notes: Array.from({ length: 100 }, (_, k) => `note ${k}`),
    },
    go: {
      version: 'go1.22.1',
      path: 'example.com/huge',
      main: { path: 'example.com/huge', version: '(devel)', sum: '' },
      deps: Array.from({ length: 800 }, (_, k) => ({
        path: `github.com/${randomText(r, 8)}/mod${k}`,
        version: `v1.${k}.0`,
        sum: 'h1:' + randomText(r, 43) + '=',
        ...(k % 50 === 0 ? { replace: { path: `../local/mod${k}`, version: '', sum: '' } } : {}),
      })),
      settings: Object.fromEntries(Array.from({ length: 300 }, (_, k) => [`key${k}`, randomText(r, 20)])),
      stripped: false,
      functions: 90_000,
      warnings: Array.from({ length: 50 }, (_, k) => `warning ${k}`),
    },
  });
  const n = o.slices ?? 3;
  return {
    ...base,
    file: { ...base.file, name: 'huge ' + randomText(r, 20) },
    errors: Array.from({ length: 500 }, (_, k) => ({ message: `bad thing ${k}`, offset: '0x' + k.toString(16), field: 'e_shoff' })),
    warnings: Array.from({ length: 500 }, (_, k) => `warning ${k} ${randomText(r, 10)}`),
    // As the pipeline fills it: the three PAC/BTI answers follow from the rest of the slice.
    slices: Array.from({ length: n }, (_, i) => slice(i)).map((s) =>
      s.arm64 ? { ...s, arm64: { ...s.arm64, protection: protectionOf(s, s.arm64) } } : s,
    ),
    compatibility: (base.compatibility ?? []).map((c) => ({
      ...c,
      evidence: Array.from({ length: 400 }, (_, k) => `evidence ${k} ${randomText(r, 10)}`),
    })),
    findings: Array.from({ length: 300 }, (_, k) => ({
      id: `synthetic-${k % 40}`,
      severity: (['error', 'warning', 'info'] as const)[k % 3]!,
      title: `Finding ${k}`,
      detail: randomText(r, 200),
      evidence: Array.from({ length: 50 }, (_, j) => `line ${j} ${randomText(r, 10)}`),
      fix: k % 2 ? `cc -o x ${randomText(r, 10)}` : null,
      ...(k % 4 === 0 ? { slice: k % n } : {}),
    })),
  };
}
