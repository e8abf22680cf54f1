// Plain words for the ARM64 view: a function's return-address authentication,
// trampoline kinds, and the summary's counts by mnemonic. Pure.

import type { Arm64FunctionRow } from '../../arm64/scan.ts';
import { hex, type MnemonicCounts } from '../../report/types.ts';
import { count } from '../common/describe.ts';

/** "Authenticates before every return?" for one function. */
export function authWords(r: Pick<Arm64FunctionRow, 'signs' | 'returns' | 'unauthReturn'>): {
  word: string;
  tone: 'good' | 'bad' | 'neutral';
  title: string;
} {
  if (!r.signs) return { word: '—', tone: 'neutral', title: 'Does not sign its return address' };
  if (r.unauthReturn !== null) {
    return {
      word: `no (${hex(r.unauthReturn)})`,
      tone: 'bad',
      title: `Returns at ${hex(r.unauthReturn)} with the signed return address not authenticated`,
    };
  }
  if (!r.returns) return { word: 'no return', tone: 'neutral', title: 'Signs, but never returns (tail calls or calls that do not return)' };
  return { word: 'yes', tone: 'good', title: 'Authenticates the return address before every return' };
}

const KINDS: Record<string, string> = {
  'linux-rt-sigreturn': 'Linux rt_sigreturn trampoline',
  'go-sigtramp': 'Go signal handler entry (runtime.sigtramp)',
  'go-cgo-sigtramp': 'Go cgo signal handler entry (runtime.cgoSigtramp)',
  'go-sigreturn': 'Go sigreturn (runtime.sigreturn)',
  'darwin-sigtramp': 'Darwin signal trampoline (_sigtramp)',
};

export function trampolineKind(kind: string): string {
  return KINDS[kind] ?? kind;
}

/** "paciasp 2, autiasp 2", largest first. */
export function byMnemonic(c: MnemonicCounts): { mnemonic: string; n: number }[] {
  return Object.entries(c.byMnemonic)
    .map(([mnemonic, n]) => ({ mnemonic, n }))
    .sort((a, b) => b.n - a.n || a.mnemonic.localeCompare(b.mnemonic));
}

/** "2 of 11 (18%)". */
export function share(part: number, whole: number): string {
  if (whole === 0) return count(part);
  return `${count(part)} of ${count(whole)} (${Math.round((100 * part) / whole)}%)`;
}
