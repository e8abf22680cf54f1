import { describe, expect, it } from 'vitest';
import { mdBlock, mdCode, mdText } from './markdown.ts';

describe('mdText', () => {
  it('escapes what starts links, images, HTML, entities, emphasis, code, tables and strikethrough', () => {
    expect(mdText('[a](javascript:x)')).toBe('\\[a\\](javascript:x)');
    expect(mdText('![i](u)')).toBe('!\\[i\\](u)');
    expect(mdText('<img src=x>')).toBe('\\<img src=x\\>');
    expect(mdText('&amp; *b* _i_ `c` a|b ~~s~~ \\')).toBe('\\&amp; \\*b\\* \\_i\\_ \\`c\\` a\\|b \\~\\~s\\~\\~ \\\\');
  });
  it('breaks the patterns GFM links on its own', () => {
    expect(mdText('see https://x.example and WWW.y.example')).toBe('see https\\://x.example and WWW\\.y.example');
  });
  it('keeps the text on one line and escapes a block marker at its start only', () => {
    expect(mdText('a\nb\r\nc\td')).toBe('a b c d');
    expect(mdText('# h')).toBe('\\# h');
    expect(mdText('- x')).toBe('\\- x');
    expect(mdText('> q')).toBe('\\> q');
    expect(mdText('12. x')).toBe('12\\. x');
    expect(mdText('1.2.3')).toBe('1.2.3');
    expect(mdText('a - b # c')).toBe('a - b # c');
  });
  it('shows control and bidirectional characters instead of obeying them', () => {
    expect(mdText('a\u0000b\u001bc\u202ed\u200be')).toBe('a\\\\x00b\\\\x1bc\\\\u202ed\\\\u200be');
  });
});

describe('mdCode', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(mdCode('a')).toBe('`a`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('``x```')).toBe('```` ``x``` ````');
    expect(mdCode(' x ')).toBe('`  x  `');
    expect(mdCode('')).toBe('*(empty)*');
  });
  it('escapes pipes only in table cells, and shows line breaks', () => {
    expect(mdCode('a|b')).toBe('`a|b`');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdCode('a\nb\tc')).toBe('`a\\nb\\tc`');
  });
});

describe('mdBlock', () => {
  it('cannot be closed by the text inside', () => {
    expect(mdBlock('echo hi')).toBe('```\necho hi\n```');
    expect(mdBlock('a\n```\nb\n`````')).toBe('``````\na\n```\nb\n`````\n``````');
    expect(mdBlock('x\r\ny\u001b')).toBe('```\nx\ny\\x1b\n```');
  });
});
