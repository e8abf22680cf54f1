// binlens command-line entry: the same parsers the page uses, run in Node.
//   npm run -s cli -- report FILE... [--json]

import { parseArgs } from './args.ts';
import { reportCommand } from './commands/report.ts';
import { disasmCommand } from './commands/disasm.ts';
import { goFunctionsCommand } from './commands/goFunctions.ts';
import { linkCommand } from './commands/link.ts';
import { checkCommand } from './commands/check.ts';
import { symbolsCommand } from './commands/symbols.ts';
import { diffCommand } from './commands/diff.ts';
import { sizeCommand } from './commands/size.ts';
import { InputError } from './fileSource.ts';
import { CliError, errorLine, q } from './output.ts';

const USAGE = `usage: binlens <command> [options]
  report FILE... [--json] [--stats] [--progress]
                              report for each file (JSON: one object, or an array for several files);
                              --stats: the run's time and peak memory on stderr; --progress: the
                              SHA-256's progress on stderr (shown on a terminal for files over 256 MB)
  report --from-link URL [--json]
                              the report a binlens permalink carries (a bad link: one line on stderr, exit 2)
  link FILE [--base URL] [--budget=BYTES] [--progress]
                              the permalink the page's "Copy link" gives (default base http://localhost:5173/)
  disasm FILE [--arch A] [--section NAME] [--start 0xADDR] [--count N] [--stats]
                              arm64 disassembly, one ADDRESS<TAB>TEXT line per instruction
  check PATH... [--target T]... [--json] [--sarif]
                              will each unit (binary, archive, image tar, folder) run on each target:
                              exit 0 when every entry point runs, 1 when one does not (one line per
                              failure on stderr), 2 when a PATH cannot be read
  go-functions FILE [--arch A]
                              functions of a Go binary's function table (stripped too), one ADDRESS<TAB>NAME line each
  symbols FILE [--arch A]
                              every symbol llvm-nm lists (.dynsym when .symtab is stripped), one
                              ADDRESS<TAB>SIZE<TAB>KIND<TAB>DEMANGLED<TAB>RAW line each
  diff OLD NEW [--json | --markdown | --link [--base URL]]
                              what changed between two builds, what changed for the user first: exit 1
                              when NEW loses a target OLD had, loses a protection or raises a floor,
                              0 otherwise, 2 when a file cannot be read
  size FILE [--arch A] [--by section|symbol|package] [--json]
                              where the bytes go, one BYTES<TAB>PERCENT<TAB>KIND<TAB>NAME line per
                              section (default), symbol or package/crate/namespace, biggest first;
                              the lines of a slice add up to it
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs(rest);
  switch (command) {
    case 'report':
      return reportCommand(args);
    case 'disasm':
      return disasmCommand(args);
    case 'go-functions':
      return goFunctionsCommand(args);
    case 'link':
      return linkCommand(args);
    case 'check':
      return checkCommand(args, rest);
    case 'symbols':
      return symbolsCommand(args);
    case 'diff':
      return diffCommand(args);
    case 'size':
      return sizeCommand(args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 64 : 0;
    default:
      errorLine(`binlens: unknown command '${q(command)}'`);
      process.stderr.write(USAGE);
      return 64;
  }
}

// A reader that stops early (`binlens disasm FILE | head`) closes the pipe:
// that ends the run quietly, as it does for other command-line tools.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`binlens: cannot write the output: ${e.message}\n`);
  process.exit(2);
});

const command = process.argv[2];
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Every command fails the same way: never a stack trace, one line, then
    // a non-zero status. A path that is not a readable file, or a file that
    // cannot be analyzed, says why; anything else is a bug in binlens.
    const who = `binlens ${q(command ?? '')}`;
    if (e instanceof InputError) errorLine(`${who}: ${q(e.path)}: ${e.reason}`);
    else if (e instanceof CliError) errorLine(`${who}: ${e.message}`);
    else errorLine(`${who}: internal error: ${q(e instanceof Error ? e.message : String(e))}`);
    process.exitCode = e instanceof CliError ? e.status : 2;
  },
);
