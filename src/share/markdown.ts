// A report as Markdown, for pasting into a bug report: the answer first, then
// the compatibility matrix, findings with their fixes, and what the file is.
// Every string that can come from the binary (names, paths, plist text, and
// the findings that quote them) is escaped or put in a code span, so a
// hostile file cannot add links, images or HTML to the rendered page.

import type { Arm64Summary, Compatibility, Finding, GoInfo, Report, SignatureValidation, SliceReport } from '../report/types.ts';
import { pageWords } from '../verdict/signature.ts';
import { TARGET_LABELS } from '../report/targets.ts';
import { omittedLines, type SharedReport } from './permalink.ts';

// C0/C1 controls, DEL, and the Unicode format characters that reorder or hide
// text (bidi overrides and isolates, marks, zero-width, BOM): shown, not obeyed.
// eslint-disable-next-line no-control-regex -- the control characters hostile text is escaped for
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text for a paragraph, list item or table cell. Backslash-escapes what starts
 * emphasis, code, links and images (`[`), HTML and autolinks (`<`), entities,
 * table cells and strikethrough
 * (CommonMark §2.4 lets any ASCII punctuation be escaped), breaks the URL
 * patterns GFM turns into links (`http://`, `www.`), escapes a line-start
 * block marker, and joins lines so nothing can begin a new block.
 */
export function mdText(s: string): string {
  let t = visible(s.replace(/\r\n?|\n|\t/g, ' '));
  t = t.replace(/[\\`*_[\]<>&|~]/g, '\\$&');
  t = t.replace(/:\/\//g, '\\://').replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`);
  // A block marker where the text starts a line (heading, quote, list, thematic
  // break): escaped, harmless when the text is mid-line.
  t = t.replace(/^(\s*)([#>+-]|\d{1,9}(?=[.)](?:\s|$)))/, (_, sp: string, m: string) => (/\d/.test(m) ? `${sp}${m}\\` : `${sp}\\${m}`));
  return t;
}

/**
 * An inline code span holding `s` literally (no Markdown inside a code span is
 * interpreted). In a table cell, pipes still end the cell (GFM tables, §4.10)
 * so they are escaped there.
 */
export function mdCode(s: string, inTable = false): string {
  if (s === '') return '*(empty)*';
  let t = visible(s.replace(/\r\n?|\n/g, '\\n').replace(/\t/g, '\\t'));
  if (inTable) t = t.replace(/\|/g, '\\|');
  const runs = t.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  // A leading or trailing backtick would join the fence; one space each side is stripped by the renderer.
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced code block: its fence is longer than any backtick run inside, so the text cannot close it. */
export function mdBlock(s: string): string {
  const t = visible(s.replace(/\r\n?/g, '\n').replace(/\t/g, '    '));
  const runs = t.match(/`{3,}/g) ?? [];
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}\n${t}\n${fence}`;
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

const VERDICT: Record<Compatibility['verdict'], string> = {
  native: '✅ runs natively',
  rosetta: '✅ runs under Rosetta 2',
  no: '❌ will not run',
  unknown: '❔ unknown',
};

const SEVERITY: Record<Finding['severity'], string> = { error: '❌ Error', warning: '⚠️ Warning', info: 'ℹ️ Info' };

function targetName(c: Compatibility): string {
  const l = TARGET_LABELS[c.target];
  // "Linux arm64 (musl, Alpine)": one pair of parentheses, so a list of targets reads clearly.
  return l ? `${l.title} (${l.subtitle.replace(/\s*\((.*)\)$/, ', $1')})` : mdText(String(c.target));
}

function yn(v: boolean | null): string {
  return v === null ? 'n/a' : v ? 'yes' : 'no';
}

function sliceTitle(s: SliceReport): string {
  return `${mdText(s.arch)} ${s.bits}-bit ${s.fileType.replace('-', ' ')}`;
}

function answer(r: Report): string[] {
  const c = r.compatibility;
  if (!c || c.length === 0) return [];
  const groups: [Compatibility['verdict'], string][] = [
    ['native', 'Runs natively on'],
    ['rosetta', 'Runs under Rosetta 2 on'],
    ['no', 'Will not run on'],
    ['unknown', 'binlens cannot tell for'],
  ];
  const parts: string[] = [];
  for (const [v, words] of groups) {
    const ts = c.filter((x) => x.verdict === v).map(targetName);
    if (ts.length) parts.push(`${parts.length ? words : words[0]!.toUpperCase() + words.slice(1)} ${ts.join(', ')}.`);
  }
  return [`**Will it run?** ${parts.join(' ')}`];
}

function identity(r: Report): string {
  if (r.format === 'unknown') return `Not an ELF or Mach-O binary${r.notBinary ? `: ${mdText(r.notBinary.reason)}` : '.'}`;
  const fmt = r.format === 'elf' ? 'ELF' : r.format === 'macho-fat' ? `Universal Mach-O (${r.slices.length} slices)` : 'Mach-O';
  const what = r.slices.map(
    (s) =>
      `${sliceTitle(s)} for ${s.platform ? mdText(s.platform) : 'an unstated platform'}, ${s.linkage === 'unknown' ? `linkage ${UNKNOWN}` : `${s.linkage}ally linked`}`,
  );
  return `${fmt}: ${what.join('; ') || 'no slices could be read'}.`;
}

/** The report as a Markdown document. A report opened from a link says so and lists what the link left out. */
export function toMarkdown(report: Report | SharedReport): string {
  const r = report;
  const out: string[] = [`# binlens report: ${mdCode(r.file.name)}`, ''];
  out.push(identity(r), '');
  const a = answer(r);
  if (a.length) out.push(...a, '');
  if ('shared' in r && r.shared) {
    out.push('> Opened from a binlens link: the binary was not attached.');
    const lines = omittedLines(r.omitted);
    if (lines.length) out.push(`> The link left out part of the report: ${lines.map(mdText).join('; ')}.`);
    out.push('');
  }
  out.push(
    ...table(
      ['File', 'Size', 'SHA-256', 'Format'],
      [[mdCode(r.file.name, true), `${r.file.size} bytes`, r.file.sha256 ? mdCode(r.file.sha256, true) : 'not computed', r.format]],
    ),
    '',
  );

  if (r.compatibility?.length) {
    out.push('## Will it run?', '');
    out.push(
      ...table(
        ['Target', 'Verdict', 'Why', 'What you would see'],
        r.compatibility.map((c) => [
          targetName(c),
          VERDICT[c.verdict] ?? mdText(String(c.verdict)),
          mdText(c.reason),
          c.error ? mdCode(c.error, true) : '',
        ]),
      ),
      '',
    );
  }

  if (r.findings?.length) {
    out.push('## Findings', '');
    for (const f of r.findings) {
      const where = f.slice !== undefined && r.slices.length > 1 ? ` — slice ${f.slice}` : '';
      out.push(`### ${SEVERITY[f.severity] ?? mdText(String(f.severity))}: ${mdText(f.title)} (${mdCode(f.id)})${where}`, '');
      out.push(mdText(f.detail), '');
      if (f.evidence.length) {
        out.push('Evidence:', '');
        for (const e of f.evidence) out.push(`- ${mdCode(e)}`);
        out.push('');
      }
      if (f.fix) out.push('Fix:', '', mdBlock(f.fix), '');
    }
  }

  for (const s of r.slices) out.push(...sliceSection(s, r.slices.length > 1));

  if (r.errors.length || r.warnings.length) {
    out.push('## Problems reading the file', '');
    for (const e of r.errors) out.push(`- ${mdText(e.message)} (${mdCode(e.field)} at offset ${mdCode(e.offset)})`);
    for (const w of r.warnings) out.push(`- ${mdText(w)}`);
    out.push('');
  }
  out.push('---', '*Made by binlens from the file alone; nothing was uploaded.*', '');
  return out.join('\n');
}

/** How a field the missing bytes of a cut-short file decide is shown. */
const UNKNOWN = 'unknown (file truncated)';

/** A fact a cut-short file's missing bytes decide. */
const unknownIn = (s: SliceReport, field: keyof SliceReport): boolean => s.incomplete?.includes(field) ?? false;
/** A table row, left out when it has no value. */
const row = (k: string, v: string | null | undefined): string[] => (v ? [k, v] : []);
/** The same at the start of a sentence. */
const UNKNOWN_SENTENCE = `${UNKNOWN[0]!.toUpperCase()}${UNKNOWN.slice(1)}`;

/** One slice: its facts, then a section each for libraries, hardening, signature, PAC/BTI and Go. */
function sliceSection(s: SliceReport, many: boolean): string[] {
  return [
    `## ${many ? `Slice ${s.index}: ` : ''}${sliceTitle(s)}`,
    '',
    ...sliceFacts(s),
    ...librariesSection(s),
    ...hardeningSection(s),
    ...signatureSection(s),
    ...(s.arm64 ? arm64Section(s.arm64) : []),
    ...(s.go ? goSection(s.go) : []),
  ];
}

function sliceFacts(s: SliceReport): string[] {
  const os = s.platform
    ? `${mdCode(s.platform, true)}${s.minOS ? ` ${mdCode(s.minOS, true)} or later` : ''}${s.sdk ? ` (SDK ${mdCode(s.sdk, true)})` : ''}`
    : 'not stated';
  const rows = [
    [
      'Architecture',
      `${mdCode(s.arch, true)} (${s.bits}-bit, ${s.endian}-endian${s.ptrAuthAbi ? `, PAC ABI v${s.ptrAuthAbi.version}` : ''})`,
    ],
    ['File type', `${s.fileType} (${mdCode(s.fileTypeRaw, true)})`],
    ['Platform', os],
    ['Linkage', unknownIn(s, 'linkage') ? UNKNOWN : s.linkage],
    row('Interpreter', s.interpreter && mdCode(s.interpreter, true)),
    row('Entry point', s.entry && mdCode(s.entry, true)),
    row('Install name', s.installName && mdCode(s.installName, true)),
    row('UUID', s.uuid && mdCode(s.uuid, true)),
    row('Build ID', s.buildId && mdCode(s.buildId, true)),
    row('Go build ID', s.goBuildId && mdCode(s.goBuildId, true)),
    [
      'Symbols',
      unknownIn(s, 'symbols')
        ? UNKNOWN
        : !s.symbols.table && s.symbols.dynamic
          ? `${s.symbols.dynamic.defined} defined, ${s.symbols.dynamic.undefined} undefined in .dynsym (no .symtab)`
          : `${s.symbols.defined} defined, ${s.symbols.undefined} undefined${s.stripped ? ' (stripped)' : ''}`,
    ],
  ].filter((x) => x.length === 2);
  return [...table(['', ''], rows), ''];
}

function librariesSection(s: SliceReport): string[] {
  const out: string[] = [];
  if (s.libraryDetails.length || s.libraries.length || unknownIn(s, 'libraries')) {
    out.push('### Libraries', '');
    if (unknownIn(s, 'libraries'))
      out.push(
        `${UNKNOWN_SENTENCE}: the part of the file that lists them is missing.${s.libraries.length ? ' Those that could be read:' : ''}`,
        '',
      );
    const libs = s.libraryDetails.length ? s.libraryDetails : s.libraries.map((name) => ({ name, kind: 'needed' as const }));
    for (const l of libs) {
      const v = 'currentVersion' in l && l.currentVersion ? `, ${mdText(l.currentVersion)}` : '';
      out.push(`- ${mdCode(l.name)} (${l.kind}${v})`);
    }
    out.push('');
  }
  if (s.rpathDetails.length || s.rpaths.length) {
    out.push('### Run paths', '');
    const rps = s.rpathDetails.length ? s.rpathDetails : s.rpaths.map((path) => ({ path, source: '' }));
    for (const p of rps) out.push(`- ${mdCode(p.path)}${p.source ? ` (${mdText(p.source)})` : ''}`);
    out.push('');
  }
  return out;
}

function hardeningSection(s: SliceReport): string[] {
  const f = s.features;
  if (unknownIn(s, 'features'))
    return ['### Hardening', '', `${UNKNOWN_SENTENCE}: they are read from parts of the file that are missing.`, ''];
  return [
    '### Hardening',
    '',
    ...table(
      ['PIE', 'NX', 'RELRO', 'Stack canary', 'FORTIFY', 'BTI declared', 'PAC declared', 'IBT', 'SHSTK'],
      [[yn(f.pie), yn(f.nx), f.relro ?? 'n/a', yn(f.canary), yn(f.fortify), yn(f.bti), yn(f.pac), yn(f.ibt), yn(f.shstk)]],
    ),
    '',
  ];
}

function signatureSection(s: SliceReport): string[] {
  const c = s.codeSignature;
  if (!c) {
    if (unknownIn(s, 'codeSignature')) return ['### Code signature', '', `${UNKNOWN_SENTENCE}.`, ''];
    return s.platform === 'macos' || s.platform === 'ios' ? ['### Code signature', '', 'None.', ''] : [];
  }
  const kind = c.adhoc
    ? c.linkerSigned
      ? 'ad-hoc (linker-signed)'
      : 'ad-hoc'
    : c.hasCmsSignature
      ? 'signed with a certificate'
      : 'signed';
  const rows = [
    ['Kind', kind],
    row('Identifier', c.identifier && mdCode(c.identifier, true)),
    row('Team ID', c.teamId && mdCode(c.teamId, true)),
    row('CDHash', c.cdHash && `${mdCode(c.cdHash, true)}${c.hashType ? ` (${mdText(c.hashType)})` : ''}`),
    row('Flags', c.flags.length ? c.flags.map((x) => mdCode(x, true)).join(' ') : null),
    row(
      'Entitlements',
      c.entitlements !== null
        ? `${c.entitlements.length} characters of plist`
        : c.entitlementsDer !== null
          ? `DER, ${c.entitlementsDer} bytes`
          : null,
    ),
    row('Checked', c.validation ? validationCell(c.validation) : null),
    row('Certificates', c.validation?.cms?.chain.length ? c.validation.cms.chain.map((x) => mdText(x.subject)).join(' ← ') : null),
    row('Secure timestamp', c.validation?.cms ? mdText(c.validation.cms.timestamp ?? 'none') : null),
  ].filter((x) => x.length === 2);
  return ['### Code signature', '', ...table(['', ''], rows), ''];
}

function arm64Section(a: Arm64Summary): string[] {
  const counts = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${mdCode(k, true)} ${n}`)
      .join(', ') || 'none';
  const out: string[] = ['### Pointer authentication and BTI', ''];
  if (a.protection) out.push(...protectionTable(a.protection), '');
  const rows = [['Instructions scanned', String(a.instructions)]];
  if (a.inFunctions) {
    const f = a.inFunctions;
    rows.push(
      ['Inside functions', String(f.instructions)],
      ['PAC instructions inside functions', `${f.pac.total}: ${counts(f.pac.byMnemonic)}`],
      ['BTI instructions inside functions', `${f.bti.total}: ${counts(f.bti.byMnemonic)}`],
    );
  }
  rows.push(
    ['PAC instructions, whole-section sweep', `${a.pac.total}: ${counts(a.pac.byMnemonic)}`],
    ['BTI instructions, whole-section sweep', `${a.bti.total}: ${counts(a.bti.byMnemonic)}`],
  );
  if (a.functions) {
    const fn = a.functions;
    rows.push(
      ['Functions', `${fn.total} (from ${fn.sources.map((x) => mdText(x)).join(', ') || 'nowhere'})`],
      ['Sign their return address', `${fn.signing} of ${fn.nonLeaf} non-leaf`],
      ['Start with a landing pad (BTI, PACIASP/PACIBSP)', String(fn.btiEntry)],
      ['Return without authenticating', String(fn.unauthenticatedReturns.length)],
    );
  }
  out.push(...table(['', ''], rows), '');
  for (const n of a.notes ?? []) out.push(`- ${mdText(n)}`);
  if (a.notes?.length) out.push('');
  return out;
}

/** The three questions apart: what the file says, what the code does, what the system makes of it. */
function protectionTable(p: NonNullable<Arm64Summary['protection']>): string[] {
  const cell = (v: boolean | null, none: string, why: string) => `${v === null ? none : v ? 'yes' : 'no'}: ${mdText(why)}`;
  return table(
    ['', 'PAC', 'BTI'],
    [
      ['Declared by the file', cell(p.pac.declared, 'n/a', p.pac.declaredBy), cell(p.bti.declared, 'n/a', p.bti.declaredBy)],
      ['Done by the code', cell(p.pac.does, 'unknown', p.pac.doesBy), cell(p.bti.does, 'unknown', p.bti.doesBy)],
      ['Enforced by the system', cell(p.pac.enforced, 'unknown', p.pac.enforcedBy), cell(p.bti.enforced, 'unknown', p.bti.enforcedBy)],
    ],
  );
}

function goSection(g: GoInfo): string[] {
  const out: string[] = ['### Go', ''];
  const rows = [
    ['Version', g.version ? mdCode(g.version, true) : 'unknown'],
    row('Path', g.path && mdCode(g.path, true)),
    row('Main module', g.main && `${mdCode(g.main.path, true)} ${mdCode(g.main.version, true)}`),
    ['Functions', String(g.functions)],
    row('cgo', g.facts ? yn(g.facts.cgo) : null),
    row('-trimpath', g.facts ? yn(g.facts.trimpath) : null),
    row('Release support', g.facts ? mdText(g.facts.support.reason) : null),
  ].filter((x) => x.length === 2);
  out.push(...table(['', ''], rows), '');
  const settings = Object.entries(g.settings);
  if (settings.length)
    out.push(
      ...table(
        ['Build setting', 'Value'],
        settings.map(([k, v]) => [mdCode(k, true), mdCode(v, true)]),
      ),
      '',
    );
  if (g.deps.length) {
    out.push(
      ...table(
        ['Dependency', 'Version', 'Replaced by'],
        g.deps.map((d) => [
          mdCode(d.path, true),
          mdCode(d.version, true),
          d.replace ? `${mdCode(d.replace.path, true)} ${mdCode(d.replace.version, true)}` : '',
        ]),
      ),
      '',
    );
  }
  return out;
}

/** The signature check in one table cell: the answer and the first reason. */
function validationCell(v: SignatureValidation): string {
  const answer =
    v.status === 'valid'
      ? `matches the file (${v.pages} pages)`
      : v.status === 'invalid'
        ? `**does not match the file**${v.firstBad ? `: ${pageWords(v)}` : ''}`
        : 'not checked';
  return v.status === 'valid' ? answer : `${answer}. ${mdText(v.reasons[0] ?? '')}`;
}
