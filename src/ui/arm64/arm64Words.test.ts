import { describe, expect, it } from 'vitest';
import { authWords, byMnemonic, share, trampolineKind } from './arm64Words.ts';

describe('ARM64 words', () => {
  it('says how a function stands on authenticating its return address', () => {
    expect(authWords({ signs: false, returns: true, unauthReturn: null }).word).toBe('—');
    expect(authWords({ signs: true, returns: true, unauthReturn: null })).toMatchObject({ word: 'yes', tone: 'good' });
    expect(authWords({ signs: true, returns: true, unauthReturn: 0x4010n })).toMatchObject({ word: 'no (0x4010)', tone: 'bad' });
    expect(authWords({ signs: true, returns: false, unauthReturn: null }).word).toBe('no return');
  });

  it('orders mnemonic counts largest first, then by name', () => {
    expect(byMnemonic({ total: 5, byMnemonic: { autiasp: 2, paciasp: 2, retab: 1 } })).toEqual([
      { mnemonic: 'autiasp', n: 2 },
      { mnemonic: 'paciasp', n: 2 },
      { mnemonic: 'retab', n: 1 },
    ]);
  });

  it('names trampoline kinds and keeps unknown ones', () => {
    expect(trampolineKind('linux-rt-sigreturn')).toMatch(/rt_sigreturn/);
    expect(trampolineKind('something-new')).toBe('something-new');
  });

  it('writes shares', () => {
    expect(share(2, 11)).toBe('2 of 11 (18%)');
    expect(share(3, 0)).toBe('3');
  });
});
