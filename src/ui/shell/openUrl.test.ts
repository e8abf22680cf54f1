import { describe, expect, it } from 'vitest';
import { fetchBinary, nameFromUrl, urlRequest, type Fetcher } from './openUrl.ts';

const PAGE = 'https://binlens.example/app/?url=x';

describe('urlRequest', () => {
  it('no parameter, nothing to ask', () => {
    expect(urlRequest('', PAGE)).toBeNull();
    expect(urlRequest('?other=1', PAGE)).toBeNull();
  });

  it('same origin, absolute or relative, is fetchable and named after its last segment', () => {
    expect(urlRequest('?url=https://binlens.example/files/hello%20world.so', PAGE)).toEqual({
      kind: 'fetchable',
      url: 'https://binlens.example/files/hello%20world.so',
      name: 'hello world.so',
    });
    expect(urlRequest('?url=../bin/ls#frag', PAGE)).toEqual({ kind: 'fetchable', url: 'https://binlens.example/bin/ls', name: 'ls' });
  });

  it('another origin is named, with its origin, and not fetchable', () => {
    expect(urlRequest('?url=https://github.com/x/y/releases/download/v1/tool', PAGE)).toEqual({
      kind: 'cross-origin',
      url: 'https://github.com/x/y/releases/download/v1/tool',
      origin: 'https://github.com',
      name: 'tool',
    });
    // Same host, other port or scheme: another origin too.
    expect(urlRequest('?url=http://binlens.example/a', PAGE)?.kind).toBe('cross-origin');
  });

  it('refuses schemes other than http(s), credentials, empty and huge values', () => {
    expect(urlRequest('?url=javascript:alert(1)', PAGE)).toMatchObject({ kind: 'invalid', why: /only http and https/ });
    expect(urlRequest('?url=data:text/plain,hi', PAGE)).toMatchObject({ kind: 'invalid' });
    expect(urlRequest('?url=https://u:p@binlens.example/a', PAGE)).toMatchObject({ kind: 'invalid', why: /password/ });
    expect(urlRequest('?url=', PAGE)).toMatchObject({ kind: 'invalid', why: /empty/ });
    const long = urlRequest(`?url=${'a'.repeat(5000)}`, PAGE);
    expect(long).toMatchObject({ kind: 'invalid', why: /longer than/ });
    expect(long?.kind === 'invalid' && long.text.length).toBeLessThan(300);
    expect(urlRequest('?url=http://[::1', PAGE)).toMatchObject({ kind: 'invalid', why: /not a web address/ });
  });
});

describe('nameFromUrl', () => {
  it('never yields a path, falls back to the host', () => {
    expect(nameFromUrl(new URL('https://h.example/a/..%2F..%2Fetc%2Fpasswd'))).toBe('.._.._etc_passwd');
    expect(nameFromUrl(new URL('https://h.example/'))).toBe('h.example');
    expect(nameFromUrl(new URL('https://h.example/%E0%A4%A'))).toBe('%E0%A4%A');
  });
});

function respond(body: Uint8Array<ArrayBuffer> | null, init: ResponseInit & { length?: number } = {}): Fetcher {
  return async () => {
    const headers = new Headers(init.headers);
    if (init.length !== undefined) headers.set('content-length', String(init.length));
    return new Response(body, { ...init, headers });
  };
}

describe('fetchBinary', () => {
  it('returns the bytes as a File with progress', async () => {
    const seen: number[] = [];
    const f = await fetchBinary('https://x/a', 'a', {
      fetcher: respond(new Uint8Array([1, 2, 3]), { length: 3 }),
      onProgress: (d) => seen.push(d),
    });
    expect(f.name).toBe('a');
    expect(new Uint8Array(await f.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(seen.at(-1)).toBe(3);
  });

  it('an HTTP error says the status', async () => {
    await expect(fetchBinary('https://x/a', 'a', { fetcher: respond(null, { status: 404, statusText: 'Not Found' }) })).rejects.toThrow(
      'the server answered 404 Not Found',
    );
  });

  it('a network failure (CORS, refused, offline) says the server did not answer', async () => {
    const fetcher: Fetcher = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(fetchBinary('https://x/a', 'a', { fetcher })).rejects.toThrow(
      /did not answer, or refused the request \(Failed to fetch\)|offline/,
    );
  });

  it('refuses files over the limit, declared or streamed', async () => {
    await expect(fetchBinary('https://x/a', 'a', { fetcher: respond(new Uint8Array(10), { length: 10 }), max: 5 })).rejects.toThrow(
      /at most 5 bytes/,
    );
    await expect(fetchBinary('https://x/a', 'a', { fetcher: respond(new Uint8Array(10)), max: 5 })).rejects.toThrow(/larger than 5 bytes/);
  });
});
