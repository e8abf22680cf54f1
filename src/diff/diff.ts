// diffReports: what changed between two builds of the same program, from
// their reports (and, when the binaries were at hand, per-function PAC/BTI
// facts and size maps). Pure: plain data in, a ReportDiff out. Slices are
// matched by architecture; functions and symbols by demangled name.
// docs/diff.md says what each field means and which rule fills it.

import type { Compatibility, Features, Report, SliceReport } from '../report/types.ts';
import { TARGETS } from '../report/targets.ts';
import { compareVersions, highestGlibc } from '../verdict/versions.ts';
import type { SliceSizes as SizeLists } from '../size/groups.ts';
import {
  DIFF_SCHEMA,
  type CoverageDiff,
  type DiffFile,
  type DiffInput,
  type FeatureChange,
  type FeatureFlag,
  type FindingRef,
  type FloorChange,
  type FunctionCoverage,
  type GateReason,
  type GoDiff,
  type ListChange,
  type ReportDiff,
  type SignatureState,
  type SizeChange,
  type SliceDiff,
  type SliceFacts,
  type SliceSizes,
  type SymbolSizes,
  type VerdictChange,
} from './types.ts';

export interface DiffOptions {
  /** Entries each top list keeps (symbols that grew, names that lost PAC…). Default DEFAULT_TOP. */
  top?: number;
}

export const DEFAULT_TOP = 10;
/** Most changed sections listed per slice (a hostile file can have 65,535). */
export const MAX_SECTIONS = 64;
/** Most entries of any other list (libraries, findings, modules): a hostile file can hold thousands. */
export const MAX_LIST = 256;

const RUNS = new Set<Compatibility['verdict']>(['native', 'rosetta']);

export const FEATURE_FLAGS: readonly FeatureFlag[] = ['pie', 'nx', 'relro', 'canary', 'fortify', 'bti', 'pac', 'ibt', 'shstk'];
const RELRO_RANK: Record<string, number> = { none: 0, partial: 1, full: 2 };

export function diffReports(oldIn: DiffInput, newIn: DiffInput, opts: DiffOptions = {}): ReportDiff {
  const top = Math.max(0, Math.floor(opts.top ?? DEFAULT_TOP));
  const a = oldIn.report;
  const b = newIn.report;
  const notes: string[] = [];
  const gate: GateReason[] = [];

  const verdicts = verdictChanges(a, b);
  for (const v of verdicts) {
    if (v.change === 'lost')
      gate.push({ kind: 'target-lost', arch: null, what: v.target, text: `${v.target}: ran (${v.old}), now ${v.new ?? 'no verdict'}` });
  }

  const oldArches = a.slices.map((s) => s.arch);
  const newArches = b.slices.map((s) => s.arch);
  const slices: ListChange = { added: listDiff(oldArches, newArches).added, removed: listDiff(oldArches, newArches).removed };

  const matched: SliceDiff[] = [];
  for (const [j, ns] of b.slices.entries()) {
    const i = a.slices.findIndex((s) => s.arch === ns.arch);
    if (i < 0) continue;
    const d = sliceDiff(a.slices[i]!, ns, oldIn.facts?.[i] ?? null, newIn.facts?.[j] ?? null, top);
    matched.push(d);
    for (const f of d.floors) {
      if (f.direction === 'raised')
        gate.push({
          kind: 'floor-raised',
          arch: d.arch,
          what: f.what,
          text: `${d.arch}: ${floorName(f)} raised from ${f.old ?? 'none'} to ${f.new}`,
        });
    }
    for (const f of d.features) {
      if (f.lost)
        gate.push({ kind: 'protection-lost', arch: d.arch, what: f.flag, text: `${d.arch}: ${f.flag} ${show(f.old)} → ${show(f.new)}` });
    }
    if (d.coverage) {
      for (const k of ['pac', 'bti'] as const) {
        const c = d.coverage[k];
        if (c.new < c.old)
          gate.push({
            kind: 'coverage-lost',
            arch: d.arch,
            what: k,
            text: `${d.arch}: ${c.old - c.new} fewer of the ${d.coverage.matched} functions both builds have ${k === 'pac' ? 'sign their return address' : 'start with a BTI landing pad'} (${c.old} → ${c.new})`,
          });
      }
    } else if (isArm64(ns.arch)) {
      notes.push(`${ns.arch}: per-function PAC/BTI not compared (${whyNoFunctions(oldIn.facts?.[i], newIn.facts?.[j])}).`);
    }
    if (!d.sizes.symbols) notes.push(`${ns.arch}: symbol sizes not compared (${whyNoSizes(oldIn.facts?.[i], newIn.facts?.[j])}).`);
  }

  return {
    diffSchema: DIFF_SCHEMA,
    old: fileOf(a),
    new: fileOf(b),
    gate,
    verdicts,
    findings: findingChanges(a, b),
    slices,
    matched,
    top,
    notes,
  };
}

/** `diff`'s exit status for a diff: 1 when the new build loses a target, a protection or raises a floor. */
export function gateStatus(d: ReportDiff): 0 | 1 {
  return d.gate.length > 0 ? 1 : 0;
}

function isArm64(arch: string): boolean {
  return arch === 'arm64' || arch === 'arm64e' || arch === 'aarch64_be';
}

function whyNoFunctions(a: SliceFacts | null | undefined, b: SliceFacts | null | undefined): string {
  const missing = (f: SliceFacts | null | undefined) => !f?.functions;
  if (missing(a) && missing(b)) return 'neither build has function facts: reports without their binaries, or no engine';
  return `the ${missing(a) ? 'old' : 'new'} build has no function facts: a report without its binary, or no engine`;
}

function whyNoSizes(a: SliceFacts | null | undefined, b: SliceFacts | null | undefined): string {
  const missing = (f: SliceFacts | null | undefined) => !f?.sizes;
  if (!missing(a) && !missing(b)) return 'neither build has a symbol with a size: both are stripped';
  if (missing(a) && missing(b)) return 'neither build has its binary';
  return `the ${missing(a) ? 'old' : 'new'} build has no binary`;
}

function fileOf(r: Report): DiffFile {
  return { name: r.file.name, size: r.file.size, sha256: r.file.sha256, format: r.format, arches: r.slices.map((s) => s.arch) };
}

function show(v: boolean | string | null): string {
  return v === null ? 'n/a' : v === true ? 'yes' : v === false ? 'no' : v;
}

function floorName(f: FloorChange): string {
  return f.what === 'glibc' ? 'glibc floor' : `minimum ${f.platform ?? 'OS'} version`;
}

// ----------------------------------------------------------------- verdicts

function verdictChanges(a: Report, b: Report): VerdictChange[] {
  const byTarget = (r: Report) => new Map((r.compatibility ?? []).map((c) => [c.target, c]));
  const va = byTarget(a);
  const vb = byTarget(b);
  const out: VerdictChange[] = [];
  for (const t of TARGETS) {
    const x = va.get(t);
    const y = vb.get(t);
    const o = x?.verdict ?? null;
    const n = y?.verdict ?? null;
    if (o === n) continue;
    const ran = o !== null && RUNS.has(o);
    const runs = n !== null && RUNS.has(n);
    out.push({
      target: t,
      old: o,
      new: n,
      change: ran && !runs ? 'lost' : runs && !ran ? 'gained' : 'changed',
      reason: y?.reason ?? x?.reason ?? '',
    });
  }
  return out;
}

// ----------------------------------------------------------------- findings

function findingChanges(a: Report, b: Report): { added: FindingRef[]; gone: FindingRef[] } {
  const refs = (r: Report): FindingRef[] =>
    (r.findings ?? []).map((f) => ({
      id: f.id,
      severity: f.severity,
      title: f.title,
      arch: f.slice === undefined ? null : (r.slices[f.slice]?.arch ?? null),
    }));
  // A finding is the same when its id, slice and title are: a title that changed ("Needs glibc 2.34 or newer") is one gone and one added.
  const key = (f: FindingRef) => `${f.id}\u0000${f.arch ?? ''}\u0000${f.title}`;
  const ra = refs(a);
  const rb = refs(b);
  const ka = new Set(ra.map(key));
  const kb = new Set(rb.map(key));
  return {
    added: rb.filter((f) => !ka.has(key(f))).slice(0, MAX_LIST),
    gone: ra.filter((f) => !kb.has(key(f))).slice(0, MAX_LIST),
  };
}

// ------------------------------------------------------------------- slices

function sliceDiff(a: SliceReport, b: SliceReport, fa: SliceFacts | null, fb: SliceFacts | null, top: number): SliceDiff {
  return {
    arch: b.arch,
    floors: floors(a, b),
    features: featureChanges(a.features, b.features),
    coverage: fa?.functions && fb?.functions ? coverage(fa.functions, fb.functions, top) : null,
    libraries: listDiff(a.libraries, b.libraries),
    rpaths: listDiff(a.rpaths, b.rpaths),
    signature: signatureChange(a, b),
    go: goDiff(a, b),
    sizes: sizes(a, b, fa?.sizes ?? null, fb?.sizes ?? null, top),
  };
}

/** The newest glibc symbol version a slice's imports need (the `elf-glibc-version` finding's figure). */
export function glibcFloor(s: SliceReport): string | null {
  return highestGlibc(s.imports.map((i) => i.version ?? ''));
}

function direction(o: string | null, n: string | null): FloorChange['direction'] | null {
  if (o === n) return null;
  if (o === null) return 'raised';
  if (n === null) return 'lowered';
  const c = compareVersions(n, o);
  if (c === null) return 'changed';
  return c > 0 ? 'raised' : c < 0 ? 'lowered' : null;
}

function floors(a: SliceReport, b: SliceReport): FloorChange[] {
  const out: FloorChange[] = [];
  const ga = glibcFloor(a);
  const gb = glibcFloor(b);
  const gd = direction(ga, gb);
  if (gd) out.push({ what: 'glibc', platform: null, old: ga, new: gb, direction: gd });
  if (a.platform === b.platform) {
    const md = direction(a.minOS, b.minOS);
    if (md) out.push({ what: 'minOS', platform: b.platform, old: a.minOS, new: b.minOS, direction: md });
  } else if (a.minOS !== null || b.minOS !== null) {
    out.push({ what: 'minOS', platform: b.platform ?? a.platform, old: a.minOS, new: b.minOS, direction: 'changed' });
  }
  return out;
}

function featureChanges(a: Features, b: Features): FeatureChange[] {
  const out: FeatureChange[] = [];
  for (const flag of FEATURE_FLAGS) {
    const o = a[flag];
    const n = b[flag];
    if (o === n) continue;
    const lost = typeof o === 'string' && typeof n === 'string' ? (RELRO_RANK[n] ?? 0) < (RELRO_RANK[o] ?? 0) : o === true && n === false;
    out.push({ flag, old: o, new: n, lost });
  }
  return out;
}

/** Names made unique in order: a second `foo` (two static functions) is `foo#2`, so each is matched with its namesake of the same rank. */
function keyed<T extends { name: string }>(rows: readonly T[]): Map<string, T> {
  const seen = new Map<string, number>();
  const out = new Map<string, T>();
  for (const r of rows) {
    const n = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, n);
    out.set(n === 1 ? r.name : `${r.name}#${n}`, r);
  }
  return out;
}

function coverage(a: NonNullable<SliceFacts['functions']>, b: NonNullable<SliceFacts['functions']>, top: number): FunctionCoverage {
  const ka = keyed(a);
  const kb = keyed(b);
  const one = (fact: 'signs' | 'btiEntry'): CoverageDiff => {
    const d: CoverageDiff = { old: 0, new: 0, lostCount: 0, gainedCount: 0, lost: [], gained: [] };
    for (const [name, x] of ka) {
      const y = kb.get(name);
      if (!y) continue;
      if (x[fact]) d.old++;
      if (y[fact]) d.new++;
      if (x[fact] && !y[fact]) {
        d.lostCount++;
        if (d.lost.length < top) d.lost.push(name);
      } else if (!x[fact] && y[fact]) {
        d.gainedCount++;
        if (d.gained.length < top) d.gained.push(name);
      }
    }
    return d;
  };
  let matched = 0;
  for (const name of ka.keys()) if (kb.has(name)) matched++;
  return { functions: { old: a.length, new: b.length }, matched, pac: one('signs'), bti: one('btiEntry') };
}

/** Added and removed entries, each list in its own file order (duplicates compared as a multiset). */
export function listDiff(a: readonly string[], b: readonly string[]): ListChange {
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const left = count(b);
  const removed: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else removed.push(x);
  }
  const right = count(a);
  const added: string[] = [];
  for (const x of b) {
    const n = right.get(x) ?? 0;
    if (n > 0) right.set(x, n - 1);
    else added.push(x);
  }
  return { added: added.slice(0, MAX_LIST), removed: removed.slice(0, MAX_LIST) };
}

function signatureOf(s: SliceReport): SignatureState {
  const c = s.codeSignature;
  if (!c) return { kind: 'unsigned', identifier: null, teamId: null, status: null };
  return {
    kind: c.linkerSigned ? 'linker-signed' : c.adhoc ? 'ad-hoc' : 'signed',
    identifier: c.identifier,
    teamId: c.teamId,
    status: c.validation?.status ?? null,
  };
}

function signatureChange(a: SliceReport, b: SliceReport): SliceDiff['signature'] {
  const o = signatureOf(a);
  const n = signatureOf(b);
  const same = o.kind === n.kind && o.identifier === n.identifier && o.teamId === n.teamId && o.status === n.status;
  return same ? null : { old: o, new: n };
}

function goDiff(a: SliceReport, b: SliceReport): GoDiff | null {
  const x = a.go;
  const y = b.go;
  if (!x && !y) return null;
  const version = (x?.version ?? null) === (y?.version ?? null) ? null : { old: x?.version ?? null, new: y?.version ?? null };
  const settings: GoDiff['settings'] = [];
  const sa = x?.settings ?? {};
  const sb = y?.settings ?? {};
  const keys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])];
  for (const k of keys) {
    const o = Object.prototype.hasOwnProperty.call(sa, k) ? sa[k]! : null;
    const n = Object.prototype.hasOwnProperty.call(sb, k) ? sb[k]! : null;
    if (o !== n) settings.push({ key: k, old: o, new: n });
  }
  const mods = (g: typeof x) => {
    const m = new Map<string, string>();
    if (!g) return m;
    for (const d of [...(g.main ? [g.main] : []), ...g.deps]) {
      const v = d.replace ? `${d.version} => ${d.replace.path}${d.replace.version ? ' ' + d.replace.version : ''}` : d.version;
      if (!m.has(d.path)) m.set(d.path, v);
    }
    return m;
  };
  const ma = mods(x);
  const mb = mods(y);
  const modules: GoDiff['modules'] = [];
  for (const p of new Set([...ma.keys(), ...mb.keys()])) {
    const o = ma.get(p) ?? null;
    const n = mb.get(p) ?? null;
    if (o !== n) modules.push({ path: p, old: o, new: n });
  }
  if (!version && settings.length === 0 && modules.length === 0) return null;
  return { version, settings: settings.slice(0, MAX_LIST), modules: modules.slice(0, MAX_LIST) };
}

// -------------------------------------------------------------------- sizes

const byChange = (x: SizeChange, y: SizeChange) =>
  Math.abs(y.new - y.old) - Math.abs(x.new - x.old) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);

/** Named sizes in both builds, the ones that changed, largest change first. */
function changed(a: Map<string, number>, b: Map<string, number>): SizeChange[] {
  const out: SizeChange[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const o = a.get(name) ?? 0;
    const n = b.get(name) ?? 0;
    if (o !== n) out.push({ name, old: o, new: n });
  }
  return out.sort(byChange);
}

function sectionSizes(s: SliceReport): Map<string, number> {
  const m = new Map<string, number>();
  for (const sec of s.sections) {
    let k = sec.segment ? `${sec.segment},${sec.name}` : sec.name;
    // The same name twice (ELF allows it): the second is `name#2`.
    for (let n = 2; m.has(k); n++) k = `${sec.segment ? `${sec.segment},${sec.name}` : sec.name}#${n}`;
    m.set(k, sec.size);
  }
  return m;
}

/** Sizes by name, summed (the same name twice — two static functions — is one entry). */
function byName(rows: readonly { name: string; size: number }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.name, (m.get(r.name) ?? 0) + r.size);
  return m;
}

/** Null when neither build has a symbol with a size (both stripped). */
function symbolSizes(a: SizeLists, b: SizeLists, top: number): SymbolSizes | null {
  const sa = byName(a.symbols);
  const sb = byName(b.symbols);
  if (sa.size === 0 && sb.size === 0) return null;
  const out: SymbolSizes = {
    counts: { grew: 0, shrank: 0, appeared: 0, disappeared: 0 },
    grew: [],
    shrank: [],
    appeared: [],
    disappeared: [],
  };
  for (const c of changed(sa, sb)) {
    const kind = !sa.has(c.name) ? 'appeared' : !sb.has(c.name) ? 'disappeared' : c.new > c.old ? 'grew' : 'shrank';
    out.counts[kind]++;
    if (out[kind].length < top) out[kind].push(c);
  }
  return out;
}

function sizes(a: SliceReport, b: SliceReport, la: SizeLists | null, lb: SizeLists | null, top: number): SliceSizes {
  const sections = changed(sectionSizes(a), sectionSizes(b));
  let groups: SliceSizes['groups'] = null;
  let moreGroups = 0;
  if (la && lb) {
    const kinds = new Map<string, string>([...la.groups, ...lb.groups].map((g) => [g.name, g.kind]));
    const all = changed(byName(la.groups), byName(lb.groups));
    groups = all.slice(0, top).map((c) => ({ ...c, kind: kinds.get(c.name) ?? 'names' }));
    moreGroups = Math.max(0, all.length - top);
  }
  return {
    total: { old: a.size, new: b.size },
    sections: sections.slice(0, MAX_SECTIONS),
    moreSections: Math.max(0, sections.length - MAX_SECTIONS),
    groups,
    moreGroups,
    symbols: la && lb ? symbolSizes(la, lb, top) : null,
  };
}
