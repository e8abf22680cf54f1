// A stripped ELF file has no .symtab, so llvm-nm counts nothing (the report's
// symbols.defined/undefined keep that rule), while its .dynsym lists what it
// imports: the Markdown export, like the page (e2e/report.spec.ts), gives the
// .dynsym counts then.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { reportFor } from '../src/cli/reportFile.ts';
import { toMarkdown } from '../src/share/markdown.ts';
import { FIXTURES } from './corpus.ts';

it('a stripped ELF: .dynsym counts in the Markdown export, the report fields as llvm-nm counts', async () => {
  const r = await reportFor(join(FIXTURES, 'elf/bin/aarch64-glibc-pie-now-stripped'));
  const s = r.slices[0]!;
  expect(s.symbols).toMatchObject({ defined: 0, undefined: 0, table: null, dynamic: { defined: 0, undefined: 10 } });
  const md = toMarkdown(r);
  expect(md).toContain('0 defined, 10 undefined in .dynsym (no .symtab)');
  expect(md).not.toContain('0 defined, 0 undefined');
});
