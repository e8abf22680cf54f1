// Characters that must never reach a terminal (or a reader's eye) raw from a
// binary, an archive or a link: C0 and C1 controls and DEL (ESC starts the
// escape sequences that clear a screen, move the cursor or set a window
// title; BEL, CR and backspace rewrite what was printed), the Unicode line and
// paragraph separators, and the bidirectional formatting characters (U+202E
// RIGHT-TO-LEFT OVERRIDE shows `exe.txt` for `txt.exe`; Unicode's
// Bidi_Control property, UAX #9). The command line escapes them as `ls` and
// `git` quote names (`\x1b`, `\u202e`); the page draws them visibly.

/** One character that is a control or a bidi control (global: use with replace/split). */
// eslint-disable-next-line no-control-regex -- the control characters hostile text is escaped for
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const ANY_CONTROL = new RegExp(CONTROL_CHARS.source);

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The escape that shows one control character: `\n`, `\x1b`, `\u202e`. */
export function controlEscape(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A string safe to print to a terminal: every control and bidi character
 * becomes a visible escape. A string without one is returned as it is; in one
 * that has some, backslashes are doubled too, so the escapes cannot be
 * confused with a name's own text.
 */
export function escapeControls(s: string): string {
  if (!ANY_CONTROL.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(CONTROL_CHARS, controlEscape);
}

/**
 * Text made of lines and tab-separated columns, with any control or bidi
 * character other than the newlines and tabs that lay it out escaped: the
 * last guard before a terminal, behind the per-field escaping.
 */
export function escapeLayoutText(text: string): string {
  return text.replace(CONTROL_CHARS, (c) => (c === '\n' || c === '\t' ? c : controlEscape(c)));
}
