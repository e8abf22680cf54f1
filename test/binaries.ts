// The project's binaries for tests that run over all of them.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './corpus.ts';

/** Every file under fixtures/<dir>/bin, sorted (fixtures/malformed is broken on purpose and left out). */
export function fixtureBinaries(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    if (dir === 'malformed') continue;
    const bin = join(FIXTURES, dir, 'bin');
    if (!statSync(join(FIXTURES, dir)).isDirectory() || !existsSync(bin)) continue;
    for (const n of readdirSync(bin).sort()) if (statSync(join(bin, n)).isFile()) out.push(join(bin, n));
  }
  return out;
}
