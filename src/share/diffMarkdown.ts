// A diff of two builds as Markdown, for a pull-request comment: what was lost
// first, then every change for the user, then sizes (folded). Every string
// from either file goes through mdText or mdCode, so a hostile name cannot add
// a link, an image or HTML to the rendered comment.

import { signed } from '../diff/text.ts';
import type { ReportDiff, SignatureState, SizeChange, SliceDiff } from '../diff/types.ts';
import { TARGET_LABELS } from '../report/targets.ts';
import { diffOmittedLines, type SharedDiff } from './diffLink.ts';
import { mdCode, mdText } from './markdown.ts';

const num = (n: number) => n.toLocaleString('en-US');

function signature(s: SignatureState): string {
  if (s.kind === 'unsigned') return 'unsigned';
  return `${s.kind}, identifier ${mdCode(s.identifier ?? '-')}, team ${mdCode(s.teamId ?? '-')}${s.status ? `, check ${s.status}` : ''}`;
}

function sliceChanges(d: SliceDiff): string[] {
  const out: string[] = [];
  for (const f of d.floors)
    out.push(
      `- ${f.what === 'glibc' ? 'glibc floor' : `minimum ${mdText(f.platform ?? 'OS')} version`}: ${mdCode(f.old ?? 'none')} → ${mdCode(f.new ?? 'none')} (${f.direction})`,
    );
  const v = (x: boolean | string | null) => (x === null ? 'n/a' : x === true ? 'yes' : x === false ? 'no' : mdText(x));
  for (const f of d.features) out.push(`- ${f.flag}: ${v(f.old)} → ${v(f.new)}${f.lost ? ' **(protection lost)**' : ''}`);
  if (d.coverage) {
    for (const [k, words] of [
      ['pac', 'sign their return address (PAC)'],
      ['bti', 'start with a BTI landing pad'],
    ] as const) {
      const c = d.coverage[k];
      if (c.old === c.new && !c.lostCount && !c.gainedCount) continue;
      let line = `- functions that ${words}: ${num(c.old)} → ${num(c.new)} of the ${num(d.coverage.matched)} both builds have`;
      if (c.lostCount)
        line += `; lost by ${num(c.lostCount)}: ${c.lost.map((n) => mdCode(n)).join(', ')}${c.lostCount > c.lost.length ? ', …' : ''}`;
      if (c.gainedCount)
        line += `; gained by ${num(c.gainedCount)}: ${c.gained.map((n) => mdCode(n)).join(', ')}${c.gainedCount > c.gained.length ? ', …' : ''}`;
      out.push(line);
    }
  }
  for (const [label, l] of [
    ['library', d.libraries],
    ['run path', d.rpaths],
  ] as const) {
    for (const x of l.added) out.push(`- ${label} added: ${mdCode(x)}`);
    for (const x of l.removed) out.push(`- ${label} removed: ${mdCode(x)}`);
  }
  if (d.signature) out.push(`- signature: ${signature(d.signature.old)} → ${signature(d.signature.new)}`);
  if (d.go) {
    if (d.go.version) out.push(`- Go version: ${mdCode(d.go.version.old ?? 'none')} → ${mdCode(d.go.version.new ?? 'none')}`);
    for (const s of d.go.settings)
      out.push(`- Go build setting ${mdCode(s.key)}: ${mdCode(s.old ?? '(unset)')} → ${mdCode(s.new ?? '(unset)')}`);
    for (const m of d.go.modules) out.push(`- Go module ${mdCode(m.path)}: ${mdCode(m.old ?? '(none)')} → ${mdCode(m.new ?? '(none)')}`);
  }
  return out;
}

function sizeRows(title: string, rows: SizeChange[], more = 0): string[] {
  if (rows.length === 0) return [];
  const out = [``, `**${title}**`, ``, '| name | old | new | change |', '|---|--:|--:|--:|'];
  for (const c of rows) out.push(`| ${mdCode(c.name, true)} | ${num(c.old)} | ${num(c.new)} | ${signed(c.new - c.old)} |`);
  if (more) out.push(`| and ${num(more)} more | | | |`);
  return out;
}

export function diffToMarkdown(d: ReportDiff | SharedDiff): string {
  const out: string[] = [`### binlens: ${mdCode(d.old.name)} → ${mdCode(d.new.name)}`, ''];
  if (d.gate.length === 0) out.push('**Nothing lost**: no target, protection or floor got worse.');
  else {
    out.push(`**Lost (${d.gate.length})** — \`diff\` exits 1:`, '');
    for (const g of d.gate) out.push(`- ${mdText(g.text)}`);
  }
  if (d.verdicts.length) {
    out.push('', '| target | old | new | change |', '|---|---|---|---|');
    for (const v of d.verdicts) {
      const l = TARGET_LABELS[v.target];
      out.push(`| ${l.title} (${l.subtitle}) | ${v.old ?? '—'} | ${v.new ?? '—'} | ${v.change} |`);
    }
  }
  if (d.findings.added.length || d.findings.gone.length) {
    out.push('', '**Findings**', '');
    const f = (x: ReportDiff['findings']['added'][number]) =>
      `${x.severity} ${mdCode(x.id)}${x.arch ? ` (${mdText(x.arch)})` : ''}: ${mdText(x.title)}`;
    for (const x of d.findings.added) out.push(`- added: ${f(x)}`);
    for (const x of d.findings.gone) out.push(`- gone: ${f(x)}`);
  }
  for (const a of d.slices.added) out.push('', `Slice added: ${mdCode(a)}`);
  for (const a of d.slices.removed) out.push('', `Slice removed: ${mdCode(a)}`);
  for (const s of d.matched) {
    const c = sliceChanges(s);
    if (c.length) out.push('', `**${mdText(s.arch)}**`, '', ...c);
  }
  out.push('', '<details><summary>Sizes</summary>', '');
  out.push(`File: ${num(d.old.size)} → ${num(d.new.size)} bytes (${signed(d.new.size - d.old.size)})`);
  for (const s of d.matched) {
    const z = s.sizes;
    out.push('', `**${mdText(s.arch)}**: ${num(z.total.old)} → ${num(z.total.new)} bytes (${signed(z.total.new - z.total.old)})`);
    out.push(...sizeRows('Sections', z.sections, z.moreSections));
    if (z.groups) out.push(...sizeRows('Groups (packages, crates, namespaces)', z.groups, z.moreGroups));
    if (z.symbols) {
      for (const k of ['grew', 'shrank', 'appeared', 'disappeared'] as const)
        out.push(...sizeRows(`Symbols that ${k} (${num(z.symbols.counts[k])})`, z.symbols[k]));
    }
  }
  out.push('', '</details>');
  const notes = [...d.notes, ...('shared' in d ? diffOmittedLines(d.omitted).map((l) => `the link left out ${l}`) : [])];
  if (notes.length) out.push('', ...notes.map((n) => `- ${mdText(n)}`));
  return out.join('\n') + '\n';
}
