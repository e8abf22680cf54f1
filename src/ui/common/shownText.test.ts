import { describe, expect, it } from 'vitest';
import { cut, shownParts } from './shownText.ts';

describe('shownParts', () => {
  it('draws every control and bidi character as its escape, named', () => {
    expect(shownParts('a\x1b[2Jb\u202ec')).toEqual([
      { text: 'a' },
      { text: '\\x1b', control: 'U+001B ESCAPE' },
      { text: '[2Jb' },
      { text: '\\u202e', control: 'U+202E RIGHT-TO-LEFT OVERRIDE' },
      { text: 'c' },
    ]);
    expect(shownParts('\u0085\x07')).toEqual([
      { text: '\\x85', control: 'U+0085 NEXT LINE' },
      { text: '\\x07', control: 'U+0007 BELL' },
    ]);
  });
  it('keeps line feeds and tabs in preformatted text, and marks every other control there', () => {
    const plist = '<dict>\n\t<key>com.apple.security.get-task-allow</key>\r\n\t<true/>\u202e\n</dict>';
    expect(shownParts(plist, true)).toEqual([
      { text: '<dict>\n\t<key>com.apple.security.get-task-allow</key>' },
      { text: '\\r', control: 'U+000D CARRIAGE RETURN' },
      { text: '\n\t<true/>' },
      { text: '\\u202e', control: 'U+202E RIGHT-TO-LEFT OVERRIDE' },
      { text: '\n</dict>' },
    ]);
    expect(shownParts('a\nb')).toEqual([{ text: 'a' }, { text: '\\n', control: 'U+000A LINE FEED' }, { text: 'b' }]);
  });
  it('leaves text without them whole, including other scripts', () => {
    expect(shownParts('libc.so.6')).toEqual([{ text: 'libc.so.6' }]);
    expect(shownParts('שלום عربي')).toEqual([{ text: 'שלום عربي' }]);
    expect(shownParts('')).toEqual([]);
  });
});

describe('cut', () => {
  it('never ends inside a surrogate pair', () => {
    expect(cut('ab😀c', 3)).toBe('ab');
    expect(cut('ab😀c', 4)).toBe('ab😀');
    expect(cut('abc', 5)).toBe('abc');
  });
});
