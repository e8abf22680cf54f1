// What the CLI writes to a terminal. Strings from a binary, an archive, a link
// or a path are hostile: each is escaped where it is put into a line (q), and
// every write passes one more guard that escapes whatever control or bidi
// character is left, keeping only the newlines and tabs of the layout. JSON
// output is not touched (JSON.stringify escapes C0 controls itself, and a
// JSON reader wants the strings as they are).

import { escapeControls, escapeLayoutText, CONTROL_CHARS, controlEscape } from '../share/controls.ts';

/** A string from a file, a link or the command line, safe inside a line of text output. */
export const q = escapeControls;

/** Text output (lines, tab-separated columns) on stdout. */
export function writeText(text: string): void {
  process.stdout.write(escapeLayoutText(text));
}

/** One line on stderr; a newline inside it is escaped too. */
export function errorLine(line: string): void {
  process.stderr.write(line.replace(CONTROL_CHARS, (c) => (c === '\t' ? c : controlEscape(c))) + '\n');
}

/** A failure a command reports as one line on stderr, then exits with `status`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly status = 2,
  ) {
    super(message);
  }
}
