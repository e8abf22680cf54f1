// `?url=<address of a binary>`: the page names the file and fetches it only
// after the user says so. The CSP's connect-src 'self' lets the page fetch
// from its own origin only; that stays (the analysis must never talk to
// another server, and a CSP cannot be widened for one user-confirmed
// request), so a file elsewhere is named with the reason it cannot be fetched.

export type UrlRequest =
  | { kind: 'fetchable'; url: string; name: string }
  | { kind: 'cross-origin'; url: string; origin: string; name: string }
  | { kind: 'invalid'; text: string; why: string };

/** The longest `url` parameter looked at; anything longer is shown cut and refused. */
export const MAX_URL_PARAM = 4096;
/** A fetched file is read into memory: past this it is refused (a dropped file has no such limit). */
export const MAX_FETCH_BYTES = 1024 * 1024 * 1024;

/** The file name a URL points at (its last path segment), for the report and the history. */
export function nameFromUrl(u: URL): string {
  const last =
    u.pathname
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  // A path separator inside a decoded name would read as a folder.
  name = name.replace(/[/\\]/g, '_').trim();
  return name === '' ? u.hostname || 'download' : name.slice(0, 255);
}

/** What `?url=` asks for, judged against the page's own address. Null when there is no `url` parameter. */
export function urlRequest(search: string, pageHref: string): UrlRequest | null {
  const raw = new URLSearchParams(search).get('url');
  if (raw === null) return null;
  const text = raw.length > MAX_URL_PARAM ? `${raw.slice(0, 200)}…` : raw;
  if (raw.trim() === '') return { kind: 'invalid', text, why: 'the url parameter is empty' };
  if (raw.length > MAX_URL_PARAM) return { kind: 'invalid', text, why: `the address is longer than ${MAX_URL_PARAM} characters` };
  let u: URL;
  try {
    u = new URL(raw, pageHref);
  } catch {
    return { kind: 'invalid', text, why: 'it is not a web address' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { kind: 'invalid', text, why: `only http and https addresses can be fetched, not ${u.protocol}` };
  }
  if (u.username || u.password) return { kind: 'invalid', text, why: 'addresses with a user name or password are not fetched' };
  u.hash = '';
  const page = new URL(pageHref);
  const name = nameFromUrl(u);
  if (u.origin !== page.origin) return { kind: 'cross-origin', url: u.href, origin: u.origin, name };
  return { kind: 'fetchable', url: u.href, name };
}

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

function explainNetworkError(e: unknown, url: string): string {
  if (e instanceof DOMException && e.name === 'AbortError') return 'Stopped.';
  const detail = e instanceof Error && e.message ? ` (${e.message})` : '';
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  return offline
    ? `Could not fetch ${url}: this device is offline.`
    : `Could not fetch ${url}: the server did not answer, or refused the request${detail}.`;
}

/**
 * Downloads the file at `url` (same origin) into memory with progress, as a
 * File named after the URL. Rejects with an Error whose message says why, in
 * words for the page.
 */
export async function fetchBinary(
  url: string,
  name: string,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; fetcher?: Fetcher; max?: number } = {},
): Promise<File> {
  const max = opts.max ?? MAX_FETCH_BYTES;
  const fetcher = opts.fetcher ?? ((u, i) => fetch(u, i));
  let res: Response;
  try {
    // credentials 'omit': the file is public or it is not fetched; no cookies ride along.
    res = await fetcher(url, { signal: opts.signal, credentials: 'omit', cache: 'no-store', redirect: 'follow' });
  } catch (e) {
    throw new Error(explainNetworkError(e, url), { cause: e });
  }
  if (!res.ok) {
    throw new Error(`Could not fetch ${url}: the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  }
  // A redirect may leave the origin only if the server allows it (CORS); the
  // CSP refuses it before that. Either way the fetch above has failed.
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    throw new Error(
      `Could not fetch ${url}: it is ${declared} bytes; files fetched from a link may be at most ${max} bytes (drop larger files instead).`,
    );
  }
  const total = Number.isFinite(declared) && declared >= 0 ? declared : 0;
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  if (!res.body) {
    const blob = await res.blob();
    opts.onProgress?.(blob.size, blob.size);
    return new File([blob], name, { type });
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let done = 0;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      done += r.value.byteLength;
      if (done > max) {
        void reader.cancel().catch(() => {});
        throw new Error(
          `Could not fetch ${url}: it is larger than ${max} bytes; files fetched from a link may be at most that (drop larger files instead).`,
        );
      }
      chunks.push(r.value as Uint8Array<ArrayBuffer>);
      opts.onProgress?.(done, Math.max(total, done));
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('Could not fetch')) throw e;
    throw new Error(explainNetworkError(e, url), { cause: e });
  }
  opts.onProgress?.(done, done);
  return new File(chunks, name, { type });
}
