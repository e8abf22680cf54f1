// Plain words for the compatibility matrix: the answer a report leads with
// ("On Linux arm64 (glibc): runs natively"), the one-line summary when no
// target is chosen, and the compact marks of the folder table. Pure.

import type { Compatibility, Target } from '../parsers/types.ts';
import { TARGET_LABELS } from '../verdict/compatibility.ts';

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

/** "Runs on Linux arm64 (glibc) and Linux arm64 (musl); not on the other 5 targets." */
export function matrixSummary(compat: readonly Compatibility[]): Answer {
  const native = compat.filter((c) => c.verdict === 'native').map((c) => targetName(c.target));
  const rosetta = compat.filter((c) => c.verdict === 'rosetta').map((c) => targetName(c.target));
  const no = compat.filter((c) => c.verdict === 'no').length;
  const unknown = compat.filter((c) => c.verdict === 'unknown').length;
  const runs = [...native, ...rosetta.map((r) => `${r} under Rosetta 2`)];
  if (runs.length === 0) {
    const text =
      unknown === compat.length
        ? 'binlens cannot tell where it runs.'
        : `Runs on none of the ${compat.length} platforms binlens checks${unknown ? ` (${unknown} cannot be told)` : ''}.`;
    return { tone: unknown === compat.length ? 'unknown' : 'bad', text, detail: null };
  }
  const rest = no + unknown;
  const text = `Runs on ${list(runs)}${rest ? `; not on the other ${rest === 1 ? 'platform' : `${rest} platforms`}` : ''}.`;
  return { tone: native.length ? 'good' : 'ok', text, detail: null };
}

/** The folder table's cell: a mark, and the target, verdict and reason as its title text. */
export function verdictCell(c: { target: Target; verdict: Compatibility['verdict']; reason: string }): { mark: string; tone: Tone; title: string } {
  const v = VERDICT_MARKS[c.verdict];
  return { mark: v.mark, tone: v.tone, title: `${targetName(c.target)}: ${v.word}. ${c.reason}` };
}
