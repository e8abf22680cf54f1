// Differential check of the engine against llvm-objdump-19 on random words.
//   npx tsx src/engine/tools/fuzz-llvm.ts [--mask 0x1e000000 --value 0x10000000] [--n 20000] [--seed 1] [--show 20]
//   npx tsx src/engine/tools/fuzz-llvm.ts --words 0xd503233f,0xd65f03c0
//   … --syntax apple   (Mach-O object: llvm-objdump's Apple syntax)
// Words are random with (w & mask) == value. Prints the agreement and the
// disagreements grouped by the word's top 11 bits (the encoding group).
import { loadEngine } from '../../arm64/node.ts';
import { llvmTexts } from './llvm.ts';
import { rng } from './llvm-probe.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}

/** xorshift32: reproducible words for a seed. */

async function main(): Promise<void> {
  const engine = await loadEngine();
  let words: number[];
  const list = arg('words', '');
  if (list) words = list.split(',').map((s) => parseInt(s, 16) >>> 0);
  else {
    const mask = parseInt(arg('mask', '0'), 16) >>> 0;
    const value = parseInt(arg('value', '0'), 16) >>> 0;
    const n = parseInt(arg('n', '20000'), 10);
    const next = rng(parseInt(arg('seed', '1'), 10));
    words = [];
    for (let i = 0; i < n; i++) words.push(((next() & ~mask) | (value & mask)) >>> 0);
  }
  const apple = arg('syntax', 'llvm') === 'apple';
  engine.setSyntax(apple ? 'apple' : 'llvm');
  const want = llvmTexts(words, apple);
  const groupKey = parseInt(arg('group', 'ffe00000'), 16) >>> 0;
  const show = parseInt(arg('show', '20'), 10);
  let same = 0;
  let known = 0;
  const groups = new Map<number, { count: number; examples: string[] }>();
  words.forEach((w, i) => {
    const got = engine.decodeOne(w, BigInt(i * 4)).text;
    const exp = want[i]!;
    if (exp !== '<unknown>') known++;
    if (got === exp) {
      same++;
      return;
    }
    const key = (w & groupKey) >>> 0;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { count: 0, examples: [] }));
    g.count++;
    if (g.examples.length < 3) g.examples.push(`${w.toString(16).padStart(8, '0')}  llvm: ${exp.padEnd(40)} engine: ${got}`);
  });
  console.log(`${same}/${words.length} identical (${((100 * same) / words.length).toFixed(3)}%), ${known} known to llvm`);
  const sorted = [...groups.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [key, g] of sorted.slice(0, show)) {
    console.log(`-- ${key.toString(16).padStart(8, '0')} x${g.count}`);
    for (const e of g.examples) console.log('   ' + e);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
