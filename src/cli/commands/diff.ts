// `diff OLD NEW [--json | --markdown | --link [--base URL]]`: what changed
// between two builds (src/diff, docs/diff.md). Text leads with what changed for
// the user; --json prints the ReportDiff, --markdown the pull-request comment
// the page exports, --link the diff's permalink (src/share/diffLink.ts). Exit 1 when NEW loses a target OLD had, loses a protection or
// raises a floor (the diff's `gate`), 0 otherwise, 2 when a file cannot be read.

import { basename } from 'node:path';
import { loadEngine } from '../../arm64/node.ts';
import type { Arm64Engine } from '../../arm64/engine.ts';
import { loadDemangler } from '../../demangle/node.ts';
import { diffReports, gateStatus } from '../../diff/diff.ts';
import { sliceFacts } from '../../diff/facts.ts';
import { diffText } from '../../diff/text.ts';
import type { DiffInput } from '../../diff/types.ts';
import { buildVerifiedReport } from '../../report/signatures.ts';
import { encodeDiffLink } from '../../share/diffLink.ts';
import { diffToMarkdown } from '../../share/diffMarkdown.ts';
import { flag, type Args } from '../args.ts';
import { problemLine } from '../binary.ts';
import { openFile } from '../fileSource.ts';
import { CliError, errorLine, q, writeText } from '../output.ts';
import { DEFAULT_BASE } from './link.ts';

const USAGE = 'usage: binlens diff OLD NEW [--json | --markdown | --link [--base URL]]\n';

async function engineOrNull(): Promise<Arm64Engine | null> {
  try {
    return await loadEngine();
  } catch (e) {
    errorLine(`binlens diff: warning: per-function PAC/BTI not compared: ${e instanceof Error ? e.message.split('\n')[0]! : String(e)}`);
    return null;
  }
}

/** One build: its report and, while the file is open, each slice's facts. A file that is not a binary at all is exit 2. */
async function side(path: string, engine: Arm64Engine | null): Promise<DiffInput> {
  const demangler = await loadDemangler();
  const f = openFile(path);
  try {
    const { report, slices } = await buildVerifiedReport(f.source, basename(path), { engine, sha256: f.sha256() });
    const problem = problemLine(report, path);
    if (report.format === 'unknown' || report.slices.length === 0) throw new CliError(problem ?? `${path}: no slice could be read`);
    if (problem) errorLine(`binlens diff: warning: ${problem}`);
    const format = report.format === 'elf' ? 'elf' : 'macho';
    const facts = slices.map((s) => sliceFacts(s.parsed, s.goFunctions, engine, (n) => demangler.demangle(n, format), format));
    return { report, facts };
  } finally {
    f.close();
  }
}

export async function diffCommand(args: Args): Promise<number> {
  const [oldPath, newPath, ...extra] = args.positional;
  if (oldPath === undefined || newPath === undefined || extra.length > 0) {
    process.stderr.write(USAGE);
    return 64;
  }
  const base = flag(args, 'base') ?? DEFAULT_BASE;
  if (!URL.canParse(base)) throw new CliError(`--base ${q(JSON.stringify(base))} is not an absolute URL`, 64);
  const engine = await engineOrNull();
  const d = diffReports(await side(oldPath, engine), await side(newPath, engine));
  if (args.flags.has('json')) process.stdout.write(JSON.stringify(d, null, 2) + '\n');
  else if (args.flags.has('markdown')) process.stdout.write(diffToMarkdown(d));
  else if (args.flags.has('link')) writeText((await encodeDiffLink(d, { base })).url + '\n');
  else writeText(diffText(d));
  return gateStatus(d);
}
