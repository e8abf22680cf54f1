import { describe, expect, it } from 'vitest';
import { formatGoVersionM, formatModInfo, formatSetting, goQuote, goUnquote, parseModInfo } from './modinfo.ts';

// Text as Go 1.19's cmd/go embeds it (runtime/debug.BuildInfo.String, which
// leaves an empty line after each replacement).
const TEXT = [
  'path\texample.com/app/cmd/app',
  'mod\texample.com/app\tv1.4.0\th1:aaaa=',
  'dep\tgolang.org/x/sys\tv0.1.0\th1:bbbb=',
  'dep\texample.com/lib\tv0.1.0',
  '=>\t../lib\t(devel)\t',
  '',
  'build\t-compiler=gc',
  'build\t-ldflags="-s -w -X \\"main.version=1 2\\""',
  'build\t-trimpath=true',
  'build\tCGO_ENABLED=1',
  'build\tGOARCH=arm64',
  'build\tvcs.revision=0123abcd',
  '',
].join('\n');

describe('parseModInfo', () => {
  it('reads path, main module, deps with replacements and settings (values unquoted)', () => {
    const m = parseModInfo(TEXT);
    expect(m.problems).toEqual([]);
    expect(m.path).toBe('example.com/app/cmd/app');
    expect(m.main).toEqual({ path: 'example.com/app', version: 'v1.4.0', sum: 'h1:aaaa=' });
    expect(m.deps).toEqual([
      { path: 'golang.org/x/sys', version: 'v0.1.0', sum: 'h1:bbbb=' },
      { path: 'example.com/lib', version: 'v0.1.0', sum: '', replace: { path: '../lib', version: '(devel)', sum: '' } },
    ]);
    expect(m.settings).toEqual([
      { key: '-compiler', value: 'gc' },
      { key: '-ldflags', value: '-s -w -X "main.version=1 2"' },
      { key: '-trimpath', value: 'true' },
      { key: 'CGO_ENABLED', value: '1' },
      { key: 'GOARCH', value: 'arm64' },
      { key: 'vcs.revision', value: '0123abcd' },
    ]);
  });

  it('formats back to the same text, byte for byte', () => {
    expect(formatModInfo(parseModInfo(TEXT))).toBe(TEXT);
  });

  it('prints what go version -m prints', () => {
    const m = parseModInfo('path\tx.org/a\nmod\tx.org/a\t(devel)\t\nbuild\tGOOS=linux\n');
    const settings = Object.fromEntries(m.settings.map((s) => [s.key, s.value]));
    expect(formatGoVersionM('bin/a', { version: 'go1.19.8', ...m, settings })).toBe(
      'bin/a: go1.19.8\n\tpath\tx.org/a\n\tmod\tx.org/a\t(devel)\t\n\tbuild\tGOOS=linux\n',
    );
    expect(formatGoVersionM('bin/b', { version: 'go1.12', path: null, main: null, deps: [], settings: {} })).toBe('bin/b: go1.12\n');
  });

  it('records malformed lines and goes on', () => {
    const m = parseModInfo(
      'dep\tonly-one-column\n=>\ta\tb\tc\nbuild\tnoequals\nbuild\t=v\nbuild\tK=has space\nbuild\tOK=1\nunknown\tline\n',
    );
    expect(m.settings).toEqual([{ key: 'OK', value: '1' }]);
    expect(m.problems).toHaveLength(5);
    expect(m.problems[0]).toMatch(/^line 1: /);
  });

  it('ignores a last line without its newline, as runtime/debug does', () => {
    expect(parseModInfo('path\ta\nmod\ta\tv1').main).toBeNull();
  });

  it('quoted keys', () => {
    const m = parseModInfo('build\t"a b"=1\n');
    expect(m.settings).toEqual([{ key: 'a b', value: '1' }]);
    expect(formatSetting('a b', '1')).toBe('"a b"=1');
  });
});

describe('Go quoting', () => {
  it('quotes as strconv.Quote', () => {
    expect(goQuote('-s -w')).toBe('"-s -w"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('tab\there\nnl\x07\x7f')).toBe('"tab\\there\\nnl\\a\\x7f"');
    expect(goQuote('é中')).toBe('"é中"');
    expect(goQuote('\u200b')).toBe('"\\u200b"');
  });
  it('unquotes as strconv.Unquote, and rejects what it rejects', () => {
    for (const s of ['-s -w', 'a"b\\c', 'tab\there\n', 'é中\x00']) expect(goUnquote(goQuote(s))).toBe(s);
    expect(goUnquote('`raw \\n`')).toBe('raw \\n');
    expect(goUnquote('"\\x41\\101\\u00e9\\U0001F600"')).toBe('AAé😀');
    expect(goUnquote('"unterminated')).toBeNull();
    expect(goUnquote('"bad \\q"')).toBeNull();
    expect(goUnquote('"\\ud800"'.replace('ud800', 'uD800'))).toBeNull();
  });
});
