// Hostile and damaged links: decodePermalink must answer { ok: false, error }
// or a report that passed validation, never throw, and stay within bounded
// time and memory. Rounds scale with SHARE_FUZZ_ROUNDS (default 1). Hostile
// payloads are compressed with Node's zlib: any DEFLATE writer may be the enemy.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportFor } from '../src/cli/reportFile.ts';
import type { Report } from '../src/report/types.ts';
import { toBase64url } from '../src/share/base64url.ts';
import { deflateRawSync } from 'node:zlib';
import {
  JSON_CAP,
  MAX_FRAGMENT,
  MAX_INFLATED,
  decodePermalink,
  encodePermalink,
  sealEnvelope,
  type DecodeResult,
} from '../src/share/permalink.ts';
import { STRING_CAPS } from '../src/share/schema.ts';
import { FIXTURES } from './corpus.ts';
import { rng } from './share-support.ts';

const ROUNDS = Math.max(1, Number(process.env.SHARE_FUZZ_ROUNDS ?? 1));
const BASE = 'http://localhost:5173/';
const SEEDS = [
  'elf/bin/aarch64-glibc-pie-pacbti',
  'macho/bin/lld-universal-macos-exe',
  'go/bin/go1.19-arm64-linux-exe',
  'verdict/bin/lld-arm64-macos-homebrew',
  'macho/bin/lld-arm64-macos-dylib',
];

const links: string[] = [];
let envelopes: unknown[] = [];

beforeAll(async () => {
  for (const rel of SEEDS) {
    const report = await reportFor(join(FIXTURES, rel));
    links.push((await encodePermalink(report, { base: BASE })).fragment);
  }
  // Without their CRC (the last element): tests change them and seal them again.
  envelopes = await Promise.all(links.map(async (l) => (JSON.parse(await inflateText(l)) as unknown[]).slice(0, 3)));
});

async function inflateText(fragment: string): Promise<string> {
  const b = Buffer.from(fragment.slice(fragment.indexOf('.') + 1), 'base64url');
  const ds = new DecompressionStream('deflate-raw');
  const w = ds.writable.getWriter();
  void w.write(b);
  void w.close();
  return new Response(ds.readable).text();
}

/** A link whose payload is `json`, sealed with a correct CRC so that it reaches validation. */
async function linkOf(json: string): Promise<string> {
  const bytes = json.startsWith('[') && json.endsWith(']') ? sealEnvelope(json) : new TextEncoder().encode(json);
  return `r1.${toBase64url(deflateRawSync(bytes)!)}`;
}

/** Every string in the decoded report is within the largest cap; every array is an array; no prototype was touched. */
function assertSane(r: DecodeResult): void {
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) {
    expect(typeof r.error).toBe('string');
    expect(r.error.length).toBeGreaterThan(0);
    expect(r.error.length).toBeLessThan(400);
    return;
  }
  const walk = (v: unknown, depth: number): void => {
    expect(depth).toBeLessThan(12);
    if (typeof v === 'string') expect(v.length).toBeLessThanOrEqual(STRING_CAPS.long);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v && typeof v === 'object') {
      expect([Object.prototype, null]).toContain(Object.getPrototypeOf(v));
      for (const x of Object.values(v)) walk(x, depth + 1);
    }
  };
  walk(r.report, 0);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** A decoded report, encoded again, must open to the same report: validation let through only what the codec can carry. */
async function assertStable(r: DecodeResult): Promise<void> {
  if (!r.ok) return;
  const { shared: _s, omitted: _o, ...report } = r.report;
  const again = await encodePermalink(report as Report, { base: BASE, budget: JSON_CAP });
  const back = await decodePermalink(again.url);
  expect(back.ok).toBe(true);
}

describe('damaged and hostile links', () => {
  it('numbers past 2^53 and addresses past 64 bits are refused, not rounded (2^64 opened as 18446744073709552000)', async () => {
    const report = (envelopes[0] as unknown[])[1] as unknown[];
    const file = report.find(
      (x) => Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'number' && /^[0-9a-f]{64}$/.test(String(x[2])),
    ) as unknown[];
    expect(file).toBeDefined();
    const json = JSON.stringify(envelopes[0]);
    const fileText = JSON.stringify(file);
    const withSize = (size: string) => json.replace(fileText, `[${JSON.stringify(file[0])},${size},${JSON.stringify(file[2])}]`);
    for (const size of [
      '18446744073709551616',
      '18446744073709551615',
      '9007199254740992',
      '9007199254740993',
      '1.5',
      '1e3',
      '4096.0',
      '-1',
    ]) {
      const r = await decodePermalink(await linkOf(withSize(size)));
      expect(r.ok, size).toBe(false);
      if (!r.ok) expect(r.error, size).toMatch(/exact integer|outside/);
    }
    const max = await decodePermalink(await linkOf(withSize('9007199254740991')));
    expect(max.ok).toBe(true);
    if (max.ok) expect(max.report.file.size).toBe(Number.MAX_SAFE_INTEGER);
    // Addresses and offsets are 64-bit: 16 hex digits at most.
    const firstHex = /"0x[0-9a-f]+"/.exec(json)!;
    for (const [value, ok] of [
      ['0xffffffffffffffff', true],
      ['0x10000000000000000', false],
      ['0x0000000000000000001', false],
    ] as const) {
      const r = await decodePermalink(
        await linkOf(json.slice(0, firstHex.index) + `"${value}"` + json.slice(firstHex.index + firstHex[0].length)),
      );
      expect(r.ok, value).toBe(ok);
    }
  });

  it('random text', async () => {
    const r = rng(1);
    const alphabets = [
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
      '#r1.-_=+/ %\u0000\u00ff\ud800é😀',
      '0123456789r.',
    ];
    for (let i = 0; i < 3000 * ROUNDS; i++) {
      const a = alphabets[i % alphabets.length]!;
      const n = Math.floor(r() * (i % 50 === 0 ? 40_000 : 300));
      let s = i % 2 ? 'r1.' : i % 3 ? '#r1.' : '';
      for (let k = 0; k < n; k++) s += a[Math.floor(r() * a.length)];
      const res = await decodePermalink(s);
      assertSane(res);
    }
  });

  it('truncations of valid links', async () => {
    for (const l of links) {
      const step = Math.max(1, Math.floor(l.length / (200 * ROUNDS)));
      for (let n = 0; n < l.length; n += step) {
        const res = await decodePermalink(l.slice(0, n));
        assertSane(res);
        await assertStable(res);
      }
    }
  });

  it('character and bit flips of valid links', async () => {
    const r = rng(2);
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let opened = 0;
    const originals = await Promise.all(links.map((l) => decodePermalink(l)));
    for (let i = 0; i < 2000 * ROUNDS; i++) {
      const l = links[i % links.length]!;
      let s: string;
      if (i % 2) {
        const at = 3 + Math.floor(r() * (l.length - 3));
        s = l.slice(0, at) + chars[Math.floor(r() * 64)] + l.slice(at + 1);
      } else {
        const bytes = Buffer.from(l.slice(3), 'base64url');
        const at = Math.floor(r() * bytes.length);
        bytes[at] = bytes[at]! ^ (1 << Math.floor(r() * 8));
        s = 'r1.' + bytes.toString('base64url');
      }
      const res = await decodePermalink(s);
      assertSane(res);
      if (res.ok) {
        // Only a flip in the padding bits after DEFLATE's last block leaves the text as it was; any
        // change to the text itself is caught by the CRC-32.
        opened++;
        expect(res).toEqual(originals[i % links.length]);
      }
    }
    expect(opened).toBeLessThan(2000 * ROUNDS * 0.05);
  });

  it('valid base64url of random bytes', async () => {
    const r = rng(3);
    for (let i = 0; i < 1000 * ROUNDS; i++) {
      const bytes = new Uint8Array(Math.floor(r() * 2000));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(r() * 256);
      assertSane(await decodePermalink('r1.' + toBase64url(bytes)));
    }
  });

  it('valid deflate of random JSON-shaped mutations of real envelopes', async () => {
    const r = rng(4);
    const hostile: unknown[] = [
      null,
      0,
      -1,
      1.5,
      2 ** 60,
      '',
      'x'.repeat(70_000),
      [],
      {},
      { __proto__: { polluted: 1 } },
      [[[[[]]]]],
      true,
      '0x-zz',
      Number.MAX_SAFE_INTEGER,
    ];
    let opened = 0;
    for (let i = 0; i < 1000 * ROUNDS; i++) {
      const env = structuredClone(envelopes[i % envelopes.length]);
      // Walk to a random node and replace it (or one of its elements).
      for (let m = 0; m < 1 + Math.floor(r() * 3); m++) {
        let node: unknown = env;
        for (let depth = 0; depth < 8 && Array.isArray(node) && node.length > 0; depth++) {
          const k = Math.floor(r() * node.length);
          const child: unknown = node[k];
          if (!Array.isArray(child) || r() < 0.25) {
            node[k] = hostile[Math.floor(r() * hostile.length)];
            break;
          }
          node = child;
        }
      }
      const res = await decodePermalink(await linkOf(JSON.stringify(env)));
      assertSane(res);
      if (res.ok) {
        opened++;
        await assertStable(res);
      }
    }
    expect(opened).toBeLessThan(1000 * ROUNDS);
  });

  it('huge arrays, deep nesting, long strings and wrong types are refused with a clear message', async () => {
    const env = envelopes[0] as unknown[];
    const cases: [string, string, RegExp][] = [
      // Report fields: [mask, schema, file, format, compatibility, findings, errors, warnings, slices] (no notBinary).
      [
        'slices past the cap',
        JSON.stringify([1, (env[1] as unknown[]).map((x, i) => (i === 8 ? Array(300).fill(0) : x)), [0, []]]),
        /slices: 300 entries is more than 256/,
      ],
      ['deep nesting', '['.repeat(400_000) + ']'.repeat(400_000), /damaged link/],
      ['a 10 MB string', JSON.stringify([1, 'x'.repeat(10_000_000), [0, []]]), /inflates to more than/],
      [
        'an object where arrays are',
        '[1,{"__proto__":1,"a":2},[0,[]]]',
        /^damaged link: report: expected an object \(as an array\), found object$/,
      ],
      ['too short an envelope', '[1]', /^damaged link: link: expected \[schema, report, omitted\]$/],
      [
        'a wrong type',
        JSON.stringify([1, (env[1] as unknown[]).map((x, i) => (i === 2 ? 'x' : x)), [0, []]]),
        /^damaged link: report.file: expected an object \(as an array\), found a string of 1 characters$/,
      ],
      ['not JSON', '[1,,2]', /not JSON/],
      ['no checksum', '{"a":1}', /checksum does not match/],
      ['a report schema from the future', JSON.stringify([7, [], [0, []]]), /newer binlens \(report schema 7\)/],
      ['an unknown report schema', JSON.stringify(['1', [], [0, []]]), /unknown report schema/],
    ];
    for (const [what, json, message] of cases) {
      const t0 = performance.now();
      const link = await linkOf(json);
      const res = await decodePermalink(link);
      expect(res.ok, what).toBe(false);
      if (!res.ok) expect(res.error, what).toMatch(message);
      expect(performance.now() - t0, what).toBeLessThan(5000);
    }
  });

  it('a deflate bomb stops at the inflate cap, in bounded time and memory', async () => {
    // 20 MB of zeros compresses to about 20 KB (DEFLATE's ratio tops out near 1:1032), a link under MAX_FRAGMENT.
    const bomb = `r1.${toBase64url(deflateRawSync(new Uint8Array(20_000_000))!)}`;
    expect(bomb.length).toBeLessThan(MAX_FRAGMENT);
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    const res = await decodePermalink(bomb);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toBe(`damaged link: the link inflates to more than ${MAX_INFLATED} bytes`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * MAX_INFLATED);
  });

  it('link versions and lengths', async () => {
    const l = links[0]!;
    const cases: [string, RegExp][] = [
      ['r2.' + l.slice(3), /^made by a newer binlens \(link v2\); this page reads v1$/],
      ['r0.' + l.slice(3), /^made by an older binlens \(link v0\) that this page no longer reads; it reads v1$/],
      ['r01.' + l.slice(3), /not a binlens link/],
      ['https://example.org/#about', /not a binlens link/],
      ['https://example.org/', /not a binlens link/],
      ['', /not a binlens link/],
      ['r1.' + 'A'.repeat(MAX_FRAGMENT), /link too long/],
      ['r1.' + l.slice(3) + '=', /base64url/],
      ['r1.' + l.slice(3, -1) + '%', /not base64url/],
      [`r1.${toBase64url(new Uint8Array([0xff, 0xfe, 0xfd]))}`, /damaged link/],
    ];
    for (const [s, message] of cases) {
      const res = await decodePermalink(s);
      expect(res.ok, s.slice(0, 40)).toBe(false);
      if (!res.ok) expect(res.error, s.slice(0, 40)).toMatch(message);
    }
    // Not a string at all (a caller passing location.hash of a strange object).
    assertSane(await decodePermalink(undefined as unknown as string));
    assertSane(
      await decodePermalink({
        toString: () => {
          throw new Error('x');
        },
      } as unknown as string),
    );
  });

  it('a wrong or missing checksum', async () => {
    const text = await inflateText(links[0]!);
    const crc = Number(/,([0-9]+)\]$/.exec(text)![1]);
    for (const changed of [
      text.replace(/,[0-9]+\]$/, `,${(crc + 1) % 2 ** 32}]`),
      text.replace(/,[0-9]+\]$/, ']'),
      text.replace('"0x', '"0X'),
    ]) {
      const link = `r1.${toBase64url(deflateRawSync(new TextEncoder().encode(changed))!)}`;
      expect(await decodePermalink(link)).toEqual({
        ok: false,
        problem: 'damaged',
        error: 'damaged link: its checksum does not match (the link was changed or cut short)',
      });
    }
  });

  it('a payload that is not UTF-8', async () => {
    const res = await decodePermalink(`r1.${toBase64url(deflateRawSync(new Uint8Array([0x5b, 0xc3, 0x28, 0x2c, 0x31, 0x5d]))!)}`);
    expect(res).toEqual({ ok: false, problem: 'damaged', error: 'damaged link: the payload is not UTF-8 text' });
  });

  it('keys such as __proto__ stay plain data', async () => {
    const env = structuredClone(envelopes[2]) as unknown[];
    // Go build settings of the Go fixture: a flat [key, value…] list somewhere in slice 0; find it by its keys.
    const json = JSON.stringify(env).replace('"-ldflags"', '"__proto__"').replace('"-compiler"', '"constructor"');
    expect(json).toContain('__proto__');
    const res = await decodePermalink(await linkOf(json));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const settings = res.report.slices[0]!.go!.settings;
    expect(Object.prototype.hasOwnProperty.call(settings, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(settings)).toBe(Object.prototype);
    expect(typeof settings['constructor']).toBe('string');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A repeated key is refused.
    const twice = JSON.stringify(env).replace('"-compiler"', '"-ldflags"');
    const res2 = await decodePermalink(await linkOf(twice));
    expect(res2.ok).toBe(false);
    if (!res2.ok) expect(res2.error).toMatch(/repeated key "-ldflags"/);
  });

  it('fields appended by a later binlens are ignored', async () => {
    const env = structuredClone(envelopes[0]) as unknown[];
    (env[1] as unknown[]).push('a field from the future', [1, 2, 3]);
    env.push({ later: true });
    const res = await decodePermalink(await linkOf(JSON.stringify(env)));
    expect(res.ok).toBe(true);
  });
});
