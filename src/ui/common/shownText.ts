// Strings from a binary, an archive or a link, as the page draws them: every
// control and bidi character (src/share/controls.ts) is drawn as the escape
// the command line prints (`\x1b`, `\u202e`) in a marked box instead of
// acting on the text around it, and a string too long to read in place is
// cut with a way to see it whole (src/ui/common/Shown.svelte).

import { CONTROL_CHARS, controlEscape, escapeControls } from '../../share/controls.ts';

export interface Part {
  text: string;
  /** The escape of one control or bidi character, with its code point and name for a tooltip. */
  control?: string;
}

const NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x07: 'BELL',
  0x08: 'BACKSPACE',
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0x9b: 'CONTROL SEQUENCE INTRODUCER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

function describe(c: string): string {
  const code = c.charCodeAt(0);
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} ${NAMES[code] ?? 'control character'}`;
}

/**
 * The string split into plain runs and one part per control or bidi character.
 * With `lines`, for text drawn preformatted (a property list, a command), line
 * feeds and tabs are left to lay the text out; every other control is still marked.
 */
export function shownParts(s: string, lines = false): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const m of s.matchAll(CONTROL_CHARS)) {
    if (lines && (m[0] === '\n' || m[0] === '\t')) continue;
    if (m.index > at) parts.push({ text: s.slice(at, m.index) });
    parts.push({ text: controlEscape(m[0]), control: describe(m[0]) });
    at = m.index + 1;
  }
  if (at < s.length) parts.push({ text: s.slice(at) });
  return parts;
}

/** For attributes (title, aria-label) that cannot hold markup: the escapes as text. */
export const shownAttr = escapeControls;

/** The first `max` UTF-16 units of `s`, never ending inside a surrogate pair. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}
