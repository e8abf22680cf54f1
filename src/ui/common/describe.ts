// Plain words for a report: the headline that leads the page, and the small
// formatters the views share. Pure (no Svelte, no DOM) so it is unit-tested.

import type { Arm64Protection, Arm64Summary, Features, FileType, Report, SliceReport } from '../../report/types.ts';
import { withArticle } from '../../text/article.ts';

const PLATFORMS: Record<string, string> = {
  macos: 'macOS',
  ios: 'iOS',
  iossimulator: 'iOS Simulator',
  tvos: 'tvOS',
  tvossimulator: 'tvOS Simulator',
  watchos: 'watchOS',
  watchossimulator: 'watchOS Simulator',
  visionos: 'visionOS',
  xros: 'visionOS',
  maccatalyst: 'Mac Catalyst',
  driverkit: 'DriverKit',
  bridgeos: 'bridgeOS',
  linux: 'Linux',
  android: 'Android',
  freebsd: 'FreeBSD',
  netbsd: 'NetBSD',
  openbsd: 'OpenBSD',
  solaris: 'Solaris',
  hurd: 'GNU/Hurd',
};

export function platformName(p: string | null): string | null {
  if (p === null) return null;
  return PLATFORMS[p.toLowerCase()] ?? p;
}

export function fileTypeName(t: FileType, format: Report['format'], raw: string): string {
  const macho = format === 'macho' || format === 'macho-fat';
  switch (t) {
    case 'executable':
      return 'executable';
    case 'shared-library':
      return macho ? 'dynamic library' : 'shared library';
    case 'object':
      return 'object file';
    case 'bundle':
      return 'bundle (plug-in)';
    case 'dylinker':
      return 'dynamic linker';
    case 'core':
      return 'core dump';
    default:
      return raw ? `file of type ${raw}` : 'file';
  }
}

/**
 * "12.0+" for Mach-O. An ELF's minimum is the kernel version of its
 * NT_GNU_ABI_TAG note, so it says so: "Linux (kernel 3.7.0+)" not "Linux 3.7.0+".
 */
function minVersion(s: SliceReport, format: Report['format']): string {
  if (format === 'elf' && s.platform === 'linux') return `(kernel ${s.minOS}+)`;
  return `${shortVersion(s.minOS ?? '')}+`;
}

/** "12.0.0" → "12.0", as Apple writes OS versions; "10.13.4" stays. */
export function shortVersion(v: string): string {
  return /^\d+\.\d+\.0$/.test(v) ? v.slice(0, -2) : v;
}

/** "macOS 12.0 or later (built with SDK 13.0)" */
export function platformLine(s: SliceReport, format: Report['format']): string {
  const os = platformName(s.platform);
  if (!os) return 'not stated in the file';
  let text = os;
  if (s.minOS) text += format === 'elf' && s.platform === 'linux' ? `, kernel ${s.minOS} or later` : ` ${shortVersion(s.minOS)} or later`;
  if (s.sdk) text += ` (built with SDK ${shortVersion(s.sdk)})`;
  return text;
}

export function archName(s: SliceReport): string {
  if (s.ptrAuthAbi) return `${s.arch} (PAC ABI v${s.ptrAuthAbi.version}${s.ptrAuthAbi.kernel ? ', kernel' : ''})`;
  return s.arch;
}

export function signingPhrase(s: SliceReport): string | null {
  const cs = s.codeSignature;
  if (!cs) return 'unsigned';
  const broken = cs.validation?.status === 'invalid' ? ' (the signature does not match the file)' : '';
  if (cs.adhoc) return (cs.linkerSigned ? 'ad-hoc signed by the linker' : 'ad-hoc signed') + broken;
  if (cs.teamId) return `signed by team ${cs.teamId}${broken}`;
  return 'signed' + broken;
}

/** "executable"; for an ET_DYN whose dynamic section is missing, "executable or shared library". */
export function sliceTypeName(s: SliceReport, format: Report['format']): string {
  return isIncomplete(s, 'fileType') ? 'executable or shared library' : fileTypeName(s.fileType, format, s.fileTypeRaw);
}

/** How a fact the missing bytes of a cut-short file decide is shown. */
export const TRUNCATED = 'unknown (file truncated)';

/** Whether `field` of the slice rests on bytes past the end of the file (SliceReport.incomplete). */
export function isIncomplete(s: SliceReport, field: keyof SliceReport): boolean {
  return s.incomplete?.includes(field) ?? false;
}

/** "arm64 executable for macOS 12.0+, dynamically linked, ad-hoc signed" */
export function sliceHeadline(s: SliceReport, format: Report['format']): string {
  let what = `${s.arch} ${sliceTypeName(s, format)}`;
  const os = platformName(s.platform);
  if (os) what += ` for ${os}${s.minOS ? ` ${minVersion(s, format)}` : ''}`;
  const parts = [what];
  // Linkage only means something for what the loader runs.
  if (s.fileType !== 'object' && s.fileType !== 'core')
    parts.push(s.linkage === 'unknown' ? `linkage ${TRUNCATED}` : `${s.linkage === 'static' ? 'statically' : 'dynamically'} linked`);
  if (format === 'macho' || format === 'macho-fat') {
    const signing = isIncomplete(s, 'codeSignature') ? `signature ${TRUNCATED}` : signingPhrase(s);
    if (signing && s.fileType !== 'object') parts.push(signing);
    if (s.encryption && s.encryption.cryptid !== 0) parts.push('encrypted');
  }
  if (s.go?.version) parts.push(`built with Go ${s.go.version.replace(/^go/, '')}`);
  else if (s.go) parts.push('built with Go');
  return parts.join(', ');
}

const FORMAT_NAMES: Record<Report['format'], string> = {
  elf: 'ELF',
  macho: 'Mach-O',
  'macho-fat': 'Mach-O universal',
  unknown: 'unknown format',
};

export function formatName(f: Report['format']): string {
  return FORMAT_NAMES[f];
}

/** The one line the page leads with. */
export function headline(r: Report): string {
  if (r.notBinary) {
    const k = r.notBinary.kind;
    if (k === 'unrecognized data') return 'Not a binary: binlens does not recognize this format';
    if (k === 'empty file') return 'Not a binary: the file is empty';
    if (k === 'text') return 'Not a binary: this is a text file';
    return `Not a binary: this is ${withArticle(k)}`;
  }
  if (r.format === 'unknown') return r.errors.length ? 'The file could not be read' : 'Not a binary';
  if (r.slices.length === 0) return `Damaged ${formatName(r.format)} file: its headers could not be read`;
  if (r.format === 'macho-fat') {
    const arches = r.slices.map((s) => s.arch).join(' + ');
    return `Universal binary: ${arches}`;
  }
  return sliceHeadline(r.slices[0]!, r.format);
}

/** One sentence under the headline when the file has problems. */
export function problemSummary(r: Report): string | null {
  const n = r.errors.length;
  if (r.truncated) {
    const problems = n ? `; ${n === 1 ? 'one problem' : `${n} problems`} reading it` : '';
    return `The file is cut short: it ends at ${r.truncated.end}, before parts its headers place in it${problems}. ${r.slices.length ? 'What follows is what could be read.' : 'Nothing more could be read.'}`;
  }
  if (n === 0) return null;
  const what = r.slices.length ? 'Some of it could not be read; what follows is what could.' : 'Nothing more could be read.';
  return `${n === 1 ? 'One problem' : `${n} problems`} in this file. ${what}`;
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1983714 → "1.9 MB" (decimal units, as Finder and most file managers show them). */
export function humanSize(n: number): string {
  if (!Number.isFinite(n) || n < 0) return String(n);
  if (n < 1000) return n === 1 ? '1 byte' : `${n} bytes`;
  let u = 0;
  let v = n;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

const integer = new Intl.NumberFormat('en-US');
export function count(n: number): string {
  return integer.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export interface FeatureRow {
  key: keyof Omit<Features, 'sources'>;
  label: string;
  /** What the verdict reads as: yes / no / full / partial / none / n/a. */
  value: string;
  tone: 'good' | 'bad' | 'neutral';
  source: string;
  /** PAC and BTI of an arm64 slice the engine scanned: declared, code, enforced, each with its own answer. */
  parts?: ProtectionPart[];
}

export interface ProtectionPart {
  question: 'declared' | 'code' | 'enforced';
  value: 'yes' | 'no' | 'n/a' | 'unknown';
  tone: 'good' | 'bad' | 'neutral';
  /** Why, in a sentence (the report's declaredBy / doesBy / enforcedBy). */
  text: string;
}

/**
 * The three answers for PAC or BTI. A `no` that the file could change is
 * bad; Linux enforcing no pointer authentication is a fact about Linux,
 * not about this file, so it stays neutral.
 */
export function protectionParts(p: Arm64Protection, key: 'pac' | 'bti', elf: boolean): ProtectionPart[] {
  const yn = (v: boolean | null, none: ProtectionPart['value']): ProtectionPart['value'] => (v === null ? none : v ? 'yes' : 'no');
  const tone = (v: boolean | null, noTone: ProtectionPart['tone'] = 'bad'): ProtectionPart['tone'] =>
    v === null ? 'neutral' : v ? 'good' : noTone;
  // Linux never enforces PAC, Apple platforms never BTI: a fact about the system.
  const systemNever = (key === 'pac' && elf) || (key === 'bti' && !elf);
  return [
    { question: 'declared', value: yn(p.declared, 'n/a'), tone: tone(p.declared, systemNever ? 'neutral' : 'bad'), text: p.declaredBy },
    { question: 'code', value: yn(p.does, 'unknown'), tone: tone(p.does), text: p.doesBy },
    { question: 'enforced', value: yn(p.enforced, 'unknown'), tone: tone(p.enforced, systemNever ? 'neutral' : 'bad'), text: p.enforcedBy },
  ];
}

/** A sentence from a reason: its first letter capitalized unless the first word is a name (`arm64`, `GNU_PROPERTY_…`, `0x…`). */
export function sentence(text: string): string {
  const first = /^[a-z]+(?=[\s,:;]|$)/.exec(text);
  const s = first ? text[0]!.toUpperCase() + text.slice(1) : text;
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

const FEATURE_LABELS: [FeatureRow['key'], string, string][] = [
  ['pie', 'PIE', 'Position-independent executable: loads at a random address (ASLR)'],
  ['nx', 'NX', 'Stack and data are not executable'],
  ['relro', 'RELRO', 'Relocation tables made read-only after loading'],
  ['canary', 'Stack canary', 'Stack-smashing protector'],
  ['fortify', 'FORTIFY', 'Libc calls checked by _FORTIFY_SOURCE'],
  ['bti', 'BTI', 'ARM branch target identification'],
  ['pac', 'PAC', 'ARM pointer authentication'],
  ['ibt', 'IBT', 'Intel CET indirect branch tracking'],
  ['shstk', 'SHSTK', 'Intel CET shadow stack'],
];

/**
 * One row per protection. With the ARM64 engine's `protection` (arm64
 * slices), BTI and PAC get their three answers as `parts`; without it
 * their value is what the file declares, and says so.
 */
export function featureRows(f: Features, protection?: Arm64Summary['protection'], elf = true): (FeatureRow & { meaning: string })[] {
  return FEATURE_LABELS.map(([key, label, meaning]) => {
    const v = f[key];
    const source = f.sources[key] ?? '';
    if ((key === 'bti' || key === 'pac') && protection) {
      const parts = protectionParts(protection[key], key, elf);
      const value = parts.map((x) => `${x.question} ${x.value}`).join(', ');
      return { key, label, meaning, source, value, tone: parts[2]!.tone, parts };
    }
    if ((key === 'bti' || key === 'pac') && v !== null) {
      return { key, label, meaning, source, value: `declared: ${v ? 'yes' : 'no'}`, tone: v ? 'good' : 'bad' };
    }
    if (key === 'relro') {
      const r = v as Features['relro'];
      return { key, label, meaning, source, value: r ?? 'n/a', tone: r === 'full' ? 'good' : r === null ? 'neutral' : 'bad' };
    }
    return { key, label, meaning, source, value: v === null ? 'n/a' : v ? 'yes' : 'no', tone: v === null ? 'neutral' : v ? 'good' : 'bad' };
  });
}

/** The Mach-O load command a library comes from, matched by position among the dylib-loading commands. */
export const DYLIB_COMMANDS = new Set([
  'LC_LOAD_DYLIB',
  'LC_LOAD_WEAK_DYLIB',
  'LC_REEXPORT_DYLIB',
  'LC_LAZY_LOAD_DYLIB',
  'LC_LOAD_UPWARD_DYLIB',
]);
