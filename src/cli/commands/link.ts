// `link FILE [--base URL] [--budget=BYTES]`: the permalink the page's "Copy
// link" gives for the same file (same report pipeline, same encoder, same
// JSON budget): it opens to the same report and `omitted`. Its compressed
// characters may differ (Node's zlib, not the browser's); its content does not.
// `report --from-link URL [--json]`: the report a permalink carries.

import type { Report } from '../../report/types.ts';
import { decodePermalink, encodePermalink, omittedLines, HARD_CAP, JSON_BUDGET, JSON_CAP } from '../../share/permalink.ts';
import { flag, type Args } from '../args.ts';
import { problemLine } from '../binary.ts';
import { CliError, errorLine, q, writeText } from '../output.ts';
import { hashProgressFor, reportFor } from '../reportFile.ts';

/** Where `npm run dev` and `npm run serve` put the page. */
export const DEFAULT_BASE = 'http://localhost:5173/';

export async function linkCommand(args: Args): Promise<number> {
  const [path, ...extra] = args.positional;
  if (path === undefined || extra.length > 0) {
    process.stderr.write('usage: binlens link FILE [--base URL] [--budget=BYTES]\n');
    return 64;
  }
  const base = flag(args, 'base') ?? DEFAULT_BASE;
  if (!URL.canParse(base)) {
    throw new CliError(`--base ${q(JSON.stringify(base))} is not an absolute URL`, 64);
  }
  const budgetText = flag(args, 'budget');
  // Bytes of the link's JSON, as the page counts them, not of the URL.
  const budget = budgetText === undefined ? JSON_BUDGET : Number(budgetText);
  if (!Number.isInteger(budget) || budget < 0 || budget > JSON_CAP) {
    process.stderr.write(`binlens link: --budget must be a whole number of JSON bytes from 0 to ${JSON_CAP}\n`);
    return 64;
  }
  // A path that is not a readable file: an InputError, one line from main.
  const report = await reportFor(path, undefined, { onHashProgress: hashProgressFor(path, args) });
  // A damaged or non-binary file still gets a link (the page shows what it
  // shows); say so, and exit 2 as `report` does for the same file.
  const problem = problemLine(report, path);
  if (problem) errorLine(`binlens link: ${problem}`);
  const link = await encodePermalink(report, { base, budget });
  const left = omittedLines(link.omitted);
  if (left.length) errorLine(`binlens link: ${link.bytes} bytes (${link.jsonBytes} bytes of JSON); left out ${left.join(', ')}`);
  if (link.cutToHardCap)
    errorLine(
      `binlens link: the report compresses too poorly for its JSON budget and was cut to fit ${HARD_CAP} bytes; the page may keep other rows`,
    );
  writeText(link.url + '\n');
  return problem ? 2 : 0;
}

/** `report --from-link URL`: exit 0 with the report, or one line on stderr and exit 2. */
export async function fromLinkCommand(args: Args, text: (r: Report) => string): Promise<number> {
  const url = flag(args, 'from-link');
  if (url === undefined || args.positional.length > 0) {
    process.stderr.write('usage: binlens report --from-link URL [--json]\n');
    return 64;
  }
  const r = await decodePermalink(url);
  if (!r.ok) {
    errorLine(`binlens: ${q(r.error.replace(/\s+/g, ' '))}`);
    return 2;
  }
  if (args.flags.has('json')) process.stdout.write(JSON.stringify(r.report, null, 2) + '\n');
  else {
    const left = omittedLines(r.omitted).map(q);
    writeText(
      text(r.report) + `  (opened from a link: the binary was not attached${left.length ? `; left out ${left.join(', ')}` : ''})\n`,
    );
  }
  return 0;
}
