import { describe, expect, it } from 'vitest';
import { safeFileName } from './download.ts';

describe('safeFileName', () => {
  it('keeps an ordinary name and adds the suffix', () => {
    expect(safeFileName('libfoo.so.1', '.binlens.json')).toBe('libfoo.so.1.binlens.json');
  });
  it('removes paths, control characters and leading dots', () => {
    expect(safeFileName('../../etc/passwd', '.md')).toBe('_.._etc_passwd.md');
    expect(safeFileName('.hidden\u0000\nname', '.md')).toBe('hidden_name.md');
    expect(safeFileName('a:b*c?"<>|', '.sarif')).toBe('a_b_c_.sarif');
  });
  it('never yields an empty or huge name', () => {
    expect(safeFileName('...', '.json')).toBe('binary.json');
    expect(safeFileName('x'.repeat(1000), '.json').length).toBe(125);
  });
});
