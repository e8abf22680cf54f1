// The module-information text the go command embeds in every binary it builds
// in module mode (runtime.modinfo), and the text `go version -m` prints from it.
//
// The text is line based: `path\t…`, `mod\tPATH\tVERSION\tSUM`, `dep\t…`,
// `=>\tPATH\tVERSION\tSUM` (replacement of the module on the line before) and,
// since Go 1.18, `build\tKEY=VALUE` where KEY and VALUE are written as Go
// quoted strings when they contain spaces, tabs, newlines or quotes. The
// grammar is the one runtime/debug.ParseBuildInfo reads; this parser is
// lenient where that one is strict (an unknown or malformed line is recorded
// and skipped, never fatal), because a report with the other lines beats none.

import type { GoModule } from '../../report/types.ts';

export interface BuildSetting {
  key: string;
  /** Unquoted value, as runtime/debug.BuildSetting holds it. */
  value: string;
}

export interface ModInfo {
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  /** In file order; keys may in theory repeat, so this is a list (GoInfo.settings is the map view). */
  settings: BuildSetting[];
  /** Lines that did not parse, with the reason, 1-based line numbers. */
  problems: string[];
}

/** Go's strconv.Unquote for "…" and `…` strings; null when malformed. */
// eslint-disable-next-line max-lines-per-function -- a switch over Go's escape sequences, as strconv.Unquote is written
export function goUnquote(s: string): string | null {
  if (s.length < 2) return null;
  const q = s[0];
  if (q !== s[s.length - 1]) return null;
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) return null;
    return body.replaceAll('\r', '');
  }
  if (q !== '"') return null;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"' || c === '\n') return null;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const digits = body.slice(i + 1, i + 1 + n);
        if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) return null;
        const v = parseInt(digits, 16);
        if (e === 'x') out += String.fromCharCode(v);
        else {
          if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return null;
          out += String.fromCodePoint(v);
        }
        i += n;
        break;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        const digits = body.slice(i, i + 3);
        if (!/^[0-7]{3}$/.test(digits)) return null;
        const v = parseInt(digits, 8);
        if (v > 255) return null;
        out += String.fromCharCode(v);
        i += 2;
        break;
      }
      default:
        return null;
    }
  }
  return out;
}

// unicode.IsPrint: categories L, M, N, P, S and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote (ASCII control characters escaped, printable Unicode kept). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

// runtime/debug: keys with these characters (or empty) are quoted; values
// with any of " \t\r\n\"`" are quoted.
const quoteKey = (k: string) => k.length === 0 || /[= \t\r\n"`]/.test(k);
const quoteValue = (v: string) => /[ \t\r\n"`]/.test(v);

function moduleLine(cols: string[]): GoModule | null {
  if (cols.length !== 2 && cols.length !== 3) return null;
  return { path: cols[0]!, version: cols[1]!, sum: cols[2] ?? '' };
}

/** Parses the module information text (already stripped of its 16-byte sentinels). */
export function parseModInfo(text: string): ModInfo {
  const info: ModInfo = { path: null, main: null, deps: [], settings: [], problems: [] };
  // The last module line, which an `=>` line replaces.
  let last: GoModule | null = null;
  const lines = text.split('\n');
  // A trailing piece without its newline is ignored, as Go's parser does.
  lines.pop();
  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    const tab = line.indexOf('\t');
    const word = tab === -1 ? line : line.slice(0, tab);
    const rest = tab === -1 ? '' : line.slice(tab + 1);
    switch (word) {
      case 'path':
        info.path = rest;
        break;
      case 'mod':
      case 'dep': {
        const m = moduleLine(rest.split('\t'));
        if (!m) {
          info.problems.push(`${where}: expected 2 or 3 columns in a ${word} line`);
          last = null;
          break;
        }
        if (word === 'mod') info.main = m;
        else info.deps.push(m);
        last = m;
        break;
      }
      case '=>': {
        const cols = rest.split('\t');
        if (cols.length !== 3) info.problems.push(`${where}: expected 3 columns for a replacement`);
        else if (!last) info.problems.push(`${where}: replacement with no module on the line before`);
        else last.replace = { path: cols[0]!, version: cols[1]!, sum: cols[2]! };
        last = null;
        break;
      }
      case 'build': {
        const s = parseSetting(rest);
        if (typeof s === 'string') info.problems.push(`${where}: ${s}`);
        else info.settings.push(s);
        break;
      }
      default:
        // Unknown lines are skipped, as runtime/debug does, so newer
        // toolchains' additions do not break older readers.
        break;
    }
  });
  return info;
}

function parseSetting(kv: string): BuildSetting | string {
  if (kv.length === 0) return "build line missing '='";
  let key: string;
  let raw: string;
  if (kv[0] === '=') return 'build line with missing key';
  if (kv[0] === '"' || kv[0] === '`') {
    const end = quotedPrefixEnd(kv);
    if (end === -1) return 'invalid quoted key in build line';
    const k = goUnquote(kv.slice(0, end));
    if (k === null) return 'invalid quoted key in build line';
    if (kv[end] !== '=') return "build line missing '=' after quoted key";
    key = k;
    raw = kv.slice(end + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq === -1) return "build line missing '=' after key";
    key = kv.slice(0, eq);
    raw = kv.slice(eq + 1);
    if (quoteKey(key)) return `unquoted key ${goQuote(key)} must be quoted`;
  }
  let value = raw;
  if (raw.length > 0 && (raw[0] === '"' || raw[0] === '`')) {
    const v = goUnquote(raw);
    if (v === null) return 'invalid quoted value in build line';
    value = v;
  } else if (quoteValue(raw)) return `unquoted value ${goQuote(raw)} must be quoted`;
  return { key, value };
}

/** Length of the Go quoted string at the start of s, or -1. */
function quotedPrefixEnd(s: string): number {
  const q = s[0];
  for (let i = 1; i < s.length; i++) {
    if (q === '"' && s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === q) return i + 1;
    if (q === '"' && s[i] === '\n') return -1;
  }
  return -1;
}

/** One `build` line's KEY=VALUE as `go version -m` writes it (quoted when needed). */
export function formatSetting(key: string, value: string): string {
  return `${quoteKey(key) ? goQuote(key) : key}=${quoteValue(value) ? goQuote(value) : value}`;
}

/**
 * The module text as runtime/debug.BuildInfo.String writes it, without the
 * `go` line. Like Go, a replaced module's line is followed by its `=>` line
 * and then an empty line (the outer call ends its line after the inner one
 * has), which `go version -m` prints as a lone tab.
 */
export function formatModInfo(info: { path: string | null; main: GoModule | null; deps: GoModule[]; settings: BuildSetting[] }): string {
  let buf = '';
  if (info.path) buf += `path\t${info.path}\n`;
  const mod = (word: string, m: GoModule) => {
    buf += `${word}\t${m.path}\t${m.version}`;
    if (m.replace) {
      buf += '\n';
      mod('=>', m.replace);
    } else buf += `\t${m.sum}`;
    buf += '\n';
  };
  const main = info.main;
  if (main && (main.path || main.version || main.sum || main.replace)) mod('mod', main);
  for (const d of info.deps) mod('dep', d);
  for (const s of info.settings) buf += `build\t${formatSetting(s.key, s.value)}\n`;
  return buf;
}

/** What `go version -m FILE` prints for one binary: `NAME: VERSION`, then the module text indented by a tab. */
export function formatGoVersionM(
  name: string,
  info: { version: string | null; path: string | null; main: GoModule | null; deps: GoModule[]; settings: Record<string, string> },
): string {
  const mod = formatModInfo({ ...info, settings: Object.entries(info.settings).map(([key, value]) => ({ key, value })) });
  let out = `${name}: ${info.version ?? ''}\n`;
  if (mod.length > 0) out += `\t${mod.slice(0, -1).replaceAll('\n', '\n\t')}\n`;
  return out;
}
