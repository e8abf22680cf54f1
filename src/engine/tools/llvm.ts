// llvm-objdump-19 as the oracle for instruction words: assemble `.inst`
// words into an ELF object with llvm-mc-19 and disassemble it, so the text is
// exactly what `llvm-objdump -d` prints (branch targets relative to address 0
// of the section). Used by the engine's development tools and tests; never by
// the app.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OBJDUMP = process.env.LLVM_OBJDUMP ?? 'llvm-objdump-19';
export const LLVM_MC = process.env.LLVM_MC ?? 'llvm-mc-19';

export function hasLlvm(): boolean {
  return spawnSync(OBJDUMP, ['--version']).status === 0 && spawnSync(LLVM_MC, ['--version']).status === 0;
}

/** Drop llvm-objdump's comments (`// …`; `; …` in Apple syntax) and `<sym+off>` annotations and trailing blanks. */
export function normalizeLlvmText(t: string): string {
  let s = t;
  const c = s.indexOf('//');
  if (c >= 0) s = s.slice(0, c);
  const a = s.search(/\s;/);
  if (a >= 0) s = s.slice(0, a);
  s = s.replace(/ <[^<>]*>/g, '');
  return s.replace(/\s+$/, '');
}

/**
 * llvm-objdump's text for each word, as if the words were a .text section at
 * address 0; `apple` assembles a Mach-O object, which llvm-objdump prints in
 * Apple syntax.
 */
export function llvmTexts(words: Uint32Array | number[], apple = false): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'binlens-llvm-'));
  try {
    const src = ['.text'];
    for (const w of words) src.push(`.inst 0x${(w >>> 0).toString(16).padStart(8, '0')}`);
    writeFileSync(join(dir, 'a.s'), src.join('\n') + '\n');
    execFileSync(LLVM_MC, [
      apple ? '-triple=arm64-apple-macos' : '-triple=aarch64',
      '-filetype=obj',
      join(dir, 'a.s'),
      '-o',
      join(dir, 'a.o'),
    ]);
    const out = execFileSync(OBJDUMP, ['-d', '--no-show-raw-insn', join(dir, 'a.o')], { maxBuffer: 1 << 30 }).toString('latin1');
    const texts: string[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s*\t(.*)$/.exec(line);
      if (m) texts.push(normalizeLlvmText(m[2]!));
    }
    if (texts.length !== words.length) throw new Error(`llvm-objdump gave ${texts.length} lines for ${words.length} words`);
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
