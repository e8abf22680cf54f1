// Rewrites the NAMES string in src/engine/assembly/mnemonics.ts from the
// members of `enum Mn`: lowercase member name, `_COND` dropped, `UNKNOWN` is
// LLVM's `<unknown>`. Run after adding a member:
//   npx tsx src/engine/tools/gen-mnemonics.ts          (rewrite)
//   npx tsx src/engine/tools/gen-mnemonics.ts --check  (exit 1 when stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MNEMONICS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'assembly', 'mnemonics.ts');

/** Member names of `enum Mn` in order, without the final COUNT. */
export function enumMembers(source: string): string[] {
  const m = /export const enum Mn \{([\s\S]*?)\n\}/.exec(source);
  if (!m) throw new Error('enum Mn not found');
  const body = m[1]!.replace(/\/\/.*$/gm, '');
  const names = body
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names[names.length - 1] !== 'COUNT') throw new Error('enum Mn must end with COUNT');
  for (const n of names) if (!/^[A-Z][A-Z0-9_]*$/.test(n)) throw new Error(`bad member ${n}`);
  return names.slice(0, -1);
}

export function mnemonicName(member: string): string {
  if (member === 'UNKNOWN') return '<unknown>';
  return member.replace(/_COND$/, '').toLowerCase();
}

export function namesLine(source: string): string {
  const long = enumMembers(source)
    .map(mnemonicName)
    .filter((n) => n.length > 15);
  if (long.length > 0) throw new Error(`mnemonic names longer than 15 characters do not fit the engine's name slots: ${long.join(', ')}`);
  return `const NAMES = '${enumMembers(source).map(mnemonicName).join(' ')}';`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const source = readFileSync(MNEMONICS_FILE, 'utf8');
  const updated = source.replace(/^const NAMES = '.*';$/m, namesLine(source));
  if (process.argv.includes('--check')) {
    if (updated !== source) {
      console.error('mnemonics.ts NAMES is stale: run npx tsx src/engine/tools/gen-mnemonics.ts');
      process.exit(1);
    }
  } else if (updated !== source) writeFileSync(MNEMONICS_FILE, updated);
}
