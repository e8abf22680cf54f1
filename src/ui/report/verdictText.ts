// Plain words for the compatibility matrix: the answer a report leads with
// ("On Linux arm64 (glibc): runs natively"), the one-line summary when no
// target is chosen, and the compact marks of the folder table. Pure.

import type { Target } from '../../report/targets.ts';
import type { Compatibility } from '../../report/types.ts';
import { TARGET_LABELS } from '../../report/targets.ts';

export type Tone = 'good' | 'ok' | 'bad' | 'unknown';

export const VERDICT_MARKS: Record<Compatibility['verdict'], { mark: string; word: string; tone: Tone }> = {
  native: { mark: '✓', word: 'runs natively', tone: 'good' },
  rosetta: { mark: '↻', word: 'runs under Rosetta 2', tone: 'ok' },
  no: { mark: '✕', word: 'will not run', tone: 'bad' },
  unknown: { mark: '?', word: 'cannot tell', tone: 'unknown' },
};

/** "Linux arm64 (glibc)", "macOS (Apple Silicon)", "Linux arm64 (musl, Alpine)". */
export function targetName(t: Target): string {
  const l = TARGET_LABELS[t];
  return l ? `${l.title} (${l.subtitle.replace(/ \((.+)\)$/, ', $1')})` : t;
}

/** A reason sentence continued after "because": its first word lowercased when it is an ordinary word. */
export function continueSentence(reason: string): string {
  const s = reason.trim().replace(/\.$/, '');
  return /^(The|It|Its|There|This|These|Those|Only|No|A|An|Its|Every|Some|One)\b/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

export interface Answer {
  tone: Tone;
  /** "On Linux arm64 (glibc): runs natively." / "On macOS (Apple Silicon): will not run". */
  text: string;
  /** Why: "because the arm64 code is not signed." for a no, else the matrix's reason. */
  detail: string | null;
}

/** The answer for the user's target, or null when the matrix has no cell for it. */
export function targetAnswer(compat: readonly Compatibility[], target: Target): Answer | null {
  const c = compat.find((x) => x.target === target);
  if (!c) return null;
  const v = VERDICT_MARKS[c.verdict];
  const on = `On ${targetName(target)}`;
  if (c.verdict === 'no') return { tone: v.tone, text: `${on}: will not run`, detail: `because ${continueSentence(c.reason)}.` };
  if (c.verdict === 'unknown') return { tone: v.tone, text: `${on}: binlens cannot tell whether it runs.`, detail: c.reason };
  // "Runs natively: dynamically linked against glibc." says the headline twice.
  const m = /^Runs (natively|under Rosetta 2): (.)/.exec(c.reason);
  const detail = m ? m[2]!.toUpperCase() + c.reason.slice(m[0].length) : c.reason;
  return { tone: v.tone, text: `${on}: ${v.word}.`, detail };
}

function list(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
}

/**
 * The matrix in one sentence, saying what is known and what is not: "Runs on Linux arm64 (glibc) and Linux arm64
 * (musl, Alpine); not on the other 5 platforms.", "Will not run on 4 of the 7 platforms binlens checks; binlens
 * cannot tell for the other 3." A target binlens cannot judge is never counted among those it does not run on.
 */
export function matrixSummary(compat: readonly Compatibility[]): Answer {
  const native = compat.filter((c) => c.verdict === 'native').map((c) => targetName(c.target));
  const rosetta = compat.filter((c) => c.verdict === 'rosetta').map((c) => targetName(c.target));
  const no = compat.filter((c) => c.verdict === 'no').length;
  const unknown = compat.filter((c) => c.verdict === 'unknown').length;
  const runs = [...native, ...rosetta.map((r) => `${r} under Rosetta 2`)];
  const platforms = (n: number) => (n === 1 ? 'platform' : `${n} platforms`);
  if (runs.length === 0) {
    if (unknown === compat.length) return { tone: 'unknown', text: 'binlens cannot tell where it runs.', detail: null };
    const text = unknown
      ? `Will not run on ${no} of the ${compat.length} platforms binlens checks; binlens cannot tell for the other ${unknown === 1 ? 'one' : unknown}.`
      : `Runs on none of the ${compat.length} platforms binlens checks.`;
    return { tone: 'bad', text, detail: null };
  }
  let rest = '';
  if (no && unknown)
    rest = `; not on ${no === 1 ? '1 other' : `${no} others`}, and binlens cannot tell for ${unknown === 1 ? '1 more' : `${unknown} more`}`;
  else if (no) rest = `; not on the other ${platforms(no)}`;
  else if (unknown) rest = `; binlens cannot tell for the other ${platforms(unknown)}`;
  return { tone: native.length ? 'good' : 'ok', text: `Runs on ${list(runs)}${rest}.`, detail: null };
}

/**
 * The history list's line for a saved report that runs on no target, from its verdicts alone: "Runs on none of
 * the targets" only when every one is a no; "Will not run on 5 of 7 targets; cannot tell for 2" otherwise.
 */
export function runsOnNone(verdicts: readonly Compatibility['verdict'][]): string {
  const unknown = verdicts.filter((v) => v === 'unknown').length;
  if (unknown === 0) return 'Runs on none of the targets';
  if (unknown === verdicts.length) return 'binlens cannot tell where it runs';
  return `Will not run on ${verdicts.length - unknown} of ${verdicts.length} targets; cannot tell for ${unknown}`;
}

/** The folder table's cell: a mark, and the target, verdict and reason as its title text. */
export function verdictCell(c: { target: Target; verdict: Compatibility['verdict']; reason: string }): {
  mark: string;
  tone: Tone;
  title: string;
} {
  const v = VERDICT_MARKS[c.verdict];
  return { mark: v.mark, tone: v.tone, title: `${targetName(c.target)}: ${v.word}. ${c.reason}` };
}

/** Targets named together: "macOS (Apple Silicon, Intel)", "Linux x86_64 (glibc, musl)". */
export function targetGroupName(targets: readonly Target[]): string {
  const byTitle = new Map<string, string[]>();
  for (const t of targets) {
    const l = TARGET_LABELS[t];
    if (!l) continue;
    const sub = l.subtitle.replace(/ \(.+\)$/, '');
    const subs = byTitle.get(l.title);
    if (subs) subs.push(sub);
    else byTitle.set(l.title, [sub]);
  }
  return [...byTitle].map(([title, subs]) => `${title} (${subs.join(', ')})`).join(', ');
}

export interface WhyNot {
  verdict: 'no' | 'unknown';
  mark: string;
  tone: Tone;
  targets: Target[];
  /** targetGroupName(targets). */
  label: string;
  reason: string;
}

/**
 * Why a file does not run, for a table row: each `no` (and each target that
 * cannot be told) with its reason, targets with the same reason said once,
 * in the order of `order` (the user's target first).
 */
export function whyNot(
  cells: readonly { target: Target; verdict: Compatibility['verdict']; reason: string }[],
  order: readonly Target[],
): WhyNot[] {
  const out: WhyNot[] = [];
  for (const t of order) {
    const c = cells.find((x) => x.target === t);
    if (!c || (c.verdict !== 'no' && c.verdict !== 'unknown')) continue;
    const same = out.find((w) => w.verdict === c.verdict && w.reason === c.reason);
    if (same) same.targets.push(t);
    else
      out.push({
        verdict: c.verdict,
        mark: VERDICT_MARKS[c.verdict].mark,
        tone: VERDICT_MARKS[c.verdict].tone,
        targets: [t],
        label: '',
        reason: c.reason,
      });
  }
  for (const w of out) w.label = targetGroupName(w.targets);
  return out;
}
