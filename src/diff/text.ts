// A diff as lines of text (the CLI's `diff` without --json, and the goldens of
// test/diff-pairs.test.ts): what changed for the user first, then sizes.
// Every string from either file is escaped (src/share/controls.ts), as the
// other commands escape them.

import { escapeControls as q } from '../share/controls.ts';
import type { CoverageDiff, ListChange, ReportDiff, SignatureState, SizeChange, SliceDiff } from './types.ts';

const num = (n: number) => n.toLocaleString('en-US');

/** `+1,024` / `-512` / `±0`. */
export function signed(n: number): string {
  return n > 0 ? `+${num(n)}` : n < 0 ? `-${num(-n)}` : '±0';
}

function sizeLine(c: SizeChange): string {
  return `${signed(c.new - c.old)}  ${q(c.name)} (${num(c.old)} → ${num(c.new)})`;
}

function yn(v: boolean | string | null): string {
  return v === null ? 'n/a' : v === true ? 'yes' : v === false ? 'no' : q(v);
}

function listLines(label: string, l: ListChange): string[] {
  const out: string[] = [];
  for (const x of l.added) out.push(`  ${label} added: ${q(x)}`);
  for (const x of l.removed) out.push(`  ${label} removed: ${q(x)}`);
  return out;
}

function signature(s: SignatureState): string {
  if (s.kind === 'unsigned') return 'unsigned';
  const parts = [s.kind, `identifier ${q(s.identifier ?? '-')}`, `team ${q(s.teamId ?? '-')}`];
  if (s.status) parts.push(`check ${s.status}`);
  return parts.join(', ');
}

function coverageLine(what: string, c: CoverageDiff, matched: number): string | null {
  if (c.old === c.new && c.lostCount === 0 && c.gainedCount === 0) return null;
  const more = (n: number, shown: string[]) => (n > shown.length ? `, and ${num(n - shown.length)} more` : '');
  let s = `  ${what}: ${num(c.old)} → ${num(c.new)} of the ${num(matched)} functions both builds have`;
  if (c.lostCount) s += `; lost by ${num(c.lostCount)}: ${c.lost.map(q).join(', ')}${more(c.lostCount, c.lost)}`;
  if (c.gainedCount) s += `; gained by ${num(c.gainedCount)}: ${c.gained.map(q).join(', ')}${more(c.gainedCount, c.gained)}`;
  return s;
}

/** The user-facing changes of one slice (floors, protections, libraries, signature, Go); empty when none. */
export function sliceChangeLines(d: SliceDiff): string[] {
  const out: string[] = [];
  for (const f of d.floors) {
    const what = f.what === 'glibc' ? 'glibc floor' : `minimum ${q(f.platform ?? 'OS')} version`;
    out.push(`  ${what}: ${q(f.old ?? 'none')} → ${q(f.new ?? 'none')} (${f.direction})`);
  }
  for (const f of d.features) out.push(`  ${f.flag}: ${yn(f.old)} → ${yn(f.new)}${f.lost ? ' (protection lost)' : ''}`);
  if (d.coverage) {
    const p = coverageLine('functions that sign their return address (PAC)', d.coverage.pac, d.coverage.matched);
    const b = coverageLine('functions that start with a BTI landing pad', d.coverage.bti, d.coverage.matched);
    if (p) out.push(p);
    if (b) out.push(b);
  }
  out.push(...listLines('library', d.libraries), ...listLines('run path', d.rpaths));
  if (d.signature) out.push(`  signature: ${signature(d.signature.old)} → ${signature(d.signature.new)}`);
  if (d.go) {
    if (d.go.version) out.push(`  Go version: ${q(d.go.version.old ?? 'none')} → ${q(d.go.version.new ?? 'none')}`);
    for (const s of d.go.settings) out.push(`  Go build setting ${q(s.key)}: ${q(s.old ?? '(unset)')} → ${q(s.new ?? '(unset)')}`);
    for (const m of d.go.modules) out.push(`  Go module ${q(m.path)}: ${q(m.old ?? '(none)')} → ${q(m.new ?? '(none)')}`);
  }
  return out;
}

/** Size changes of one slice: total, sections, groups, symbols. */
export function sliceSizeLines(d: SliceDiff): string[] {
  const s = d.sizes;
  const out = [`  size: ${num(s.total.old)} → ${num(s.total.new)} bytes (${signed(s.total.new - s.total.old)})`];
  if (s.sections.length) {
    out.push('  sections:');
    for (const c of s.sections) out.push(`    ${sizeLine(c)}`);
    if (s.moreSections) out.push(`    and ${num(s.moreSections)} more`);
  }
  if (s.groups?.length) {
    out.push('  groups:');
    for (const c of s.groups) out.push(`    ${sizeLine(c)}`);
    if (s.moreGroups) out.push(`    and ${num(s.moreGroups)} more`);
  }
  if (s.symbols) {
    const y = s.symbols;
    for (const k of ['grew', 'shrank', 'appeared', 'disappeared'] as const) {
      if (!y.counts[k]) continue;
      out.push(`  symbols that ${k} (${num(y.counts[k])}):`);
      for (const c of y[k]) out.push(`    ${sizeLine(c)}`);
    }
  }
  return out;
}

export function diffText(d: ReportDiff): string {
  const lines: string[] = [`${q(d.old.name)} → ${q(d.new.name)}`];
  if (d.old.sha256 !== '' && d.old.sha256 === d.new.sha256) lines.push('  the same file (same SHA-256)');
  if (d.gate.length === 0) lines.push('nothing lost: no target, protection or floor got worse');
  else lines.push(`lost (${d.gate.length}):`, ...d.gate.map((g) => `  ${q(g.text)}`));
  if (d.verdicts.length) {
    lines.push('verdicts:');
    for (const v of d.verdicts) lines.push(`  ${v.target}: ${v.old ?? 'none'} → ${v.new ?? 'none'} (${v.change}): ${q(v.reason)}`);
  }
  if (d.findings.added.length || d.findings.gone.length) {
    lines.push('findings:');
    const f = (x: (typeof d.findings.added)[number]) => `${x.severity} ${q(x.id)}${x.arch ? ` [${q(x.arch)}]` : ''}: ${q(x.title)}`;
    for (const x of d.findings.added) lines.push(`  added: ${f(x)}`);
    for (const x of d.findings.gone) lines.push(`  gone: ${f(x)}`);
  }
  for (const a of d.slices.added) lines.push(`slice added: ${q(a)}`);
  for (const a of d.slices.removed) lines.push(`slice removed: ${q(a)}`);
  for (const s of d.matched) {
    const changes = sliceChangeLines(s);
    if (changes.length) lines.push(`[${q(s.arch)}]`, ...changes);
  }
  lines.push('sizes:');
  lines.push(`  file: ${num(d.old.size)} → ${num(d.new.size)} bytes (${signed(d.new.size - d.old.size)})`);
  for (const s of d.matched) lines.push(`[${q(s.arch)}]`, ...sliceSizeLines(s));
  for (const n of d.notes) lines.push(`note: ${q(n)}`);
  return lines.join('\n') + '\n';
}
