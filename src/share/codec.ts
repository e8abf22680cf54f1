// A small codec for permalinks: each field of the report is described once,
// and that one description both writes the compact form (positional arrays,
// enums as indexes, booleans as 0/1) and checks a decoded link field by field.
// A link is data from a stranger: decoding trusts nothing, every string,
// number and array is checked for type and size, and the objects it builds
// carry only the field names written here.

/** A decoded link did not have the shape the codec expects. `path` says where (`slices[0].sections[3].address`). */
export class ShapeError extends Error {
  readonly path: (string | number)[];
  constructor(message: string, path: (string | number)[] = []) {
    super(message);
    this.name = 'ShapeError';
    this.path = path;
  }
  where(): string {
    let s = '';
    // Record keys come from the link: quoted and clipped, like every value an error quotes.
    for (const p of this.path)
      s +=
        typeof p === 'number' ? `[${p}]` : /^[A-Za-z0-9]{1,40}$/.test(p) ? (s === '' ? p : `.${p}`) : `[${JSON.stringify(p.slice(0, 40))}]`;
    return s || 'link';
  }
}

/** A cut table: rows carried in the link, rows in the report it was made from. */
export interface TableCut {
  kept: number;
  total: number;
}

/** State of one encoding: how many rows each table may keep, and what was cut. */
export class EncodeContext {
  /** Slice being written (rows cut inside it are counted against it); -1 outside slices. */
  slice = -1;
  truncatedStrings = 0;
  readonly cutsReport = new Map<string, TableCut>();
  readonly cutsBySlice = new Map<number, Map<string, TableCut>>();
  /** Longest instance of each table met (rows before any cut). */
  readonly longest = new Map<string, number>();
  /** A lower bound on the JSON written so far; past `maxBytes` the encoding stops with TooBig. */
  bytes = 0;
  constructor(
    readonly limits: ReadonlyMap<string, number> = new Map(),
    readonly maxBytes = Infinity,
  ) {}

  /** Rows `table` may keep; records that an instance of it has `rows` rows. */
  limit(table: string | undefined, rows: number): number {
    if (table === undefined) return Infinity;
    if (rows > (this.longest.get(table) ?? 0)) this.longest.set(table, rows);
    return this.limits.get(table) ?? Infinity;
  }

  cut(table: string, kept: number, total: number): void {
    let m = this.cutsReport;
    if (this.slice >= 0) {
      m = this.cutsBySlice.get(this.slice) ?? new Map();
      this.cutsBySlice.set(this.slice, m);
    }
    const prev = m.get(table);
    m.set(table, prev ? { kept: prev.kept + kept, total: prev.total + total } : { kept, total });
  }
}

/** The encoding grew past EncodeContext.maxBytes: it cannot fit, so it was not finished. */
export class TooBig extends Error {
  constructor() {
    super('encoding too large');
    this.name = 'TooBig';
  }
}

export interface Codec<T> {
  enc(v: T, cx: EncodeContext): unknown;
  dec(j: unknown): T;
}

/** A field that may be absent from its object (`field?: T`). */
export interface OptCodec<T> extends Codec<T> {
  readonly optional: true;
  /** Never written: the value is dropped on encoding (kept for fields a link does not carry). */
  readonly dropped?: true;
}

function fail(message: string): never {
  throw new ShapeError(message);
}

/** Re-throw a ShapeError from inside a container with its position prepended. */
function within<T>(key: string | number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) {
      e.path.unshift(key);
      throw e;
    }
    throw e;
  }
}

function describe(j: unknown): string {
  if (j === null) return 'null';
  if (Array.isArray(j)) return `an array of ${j.length}`;
  if (typeof j === 'string') return `a string of ${j.length} characters`;
  if (typeof j === 'number') return `the number ${j}`;
  return typeof j;
}

/** Strings are cut to `max` UTF-16 units on encoding (counted in `truncatedStrings`) and refused above it on decoding. */
export function str(max: number, pattern?: RegExp): Codec<string> {
  return {
    enc(v, cx) {
      cx.bytes += Math.min(v.length, max) + 3;
      if (v.length <= max) return v;
      cx.truncatedStrings++;
      // Do not split a surrogate pair: the half would be an invalid code point.
      let end = max - 1;
      const c = v.charCodeAt(end - 1);
      if (c >= 0xd800 && c <= 0xdbff) end--;
      return v.slice(0, end) + '…';
    },
    dec(j) {
      if (typeof j !== 'string') fail(`expected a string, found ${describe(j)}`);
      if (j.length > max) fail(`string of ${j.length} characters is longer than ${max}`);
      if (pattern && !pattern.test(j)) fail(`malformed value ${JSON.stringify(j.slice(0, 40))}`);
      return j;
    },
  };
}

/** A string that must match `pattern` and is never cut (hex addresses, hashes): a longer one is a bug, not data. */
export function token(max: number, pattern: RegExp): Codec<string> {
  return {
    enc(v, cx) {
      cx.bytes += v.length + 3;
      return v;
    },
    dec(j) {
      if (typeof j !== 'string' || j.length > max || !pattern.test(j))
        fail(`expected a value like ${pattern.source}, found ${describe(j)}`);
      return j;
    },
  };
}

/** An integer from `min` to `max` (each within ±(2^53 − 1)), exact. */
export function int(min: number, max: number): Codec<number> {
  return {
    enc(v) {
      return v;
    },
    dec(j) {
      // Exact integers only: the report never holds a number past 2^53 (a
      // parser records a u64 beyond it as a problem and carries the largest
      // exact value), so a link that has one was not written by binlens, and
      // 2^64 read as a double would be shown as 18446744073709552000.
      if (typeof j !== 'number' || !Number.isSafeInteger(j)) fail(`expected an exact integer, found ${describe(j)}`);
      if (j < min || j > max) fail(`${j} is outside ${min}..${max}`);
      return j;
    },
  };
}

/** 0/1 in the link: half the bytes of `false`. */
export const bool: Codec<boolean> = {
  enc(v) {
    return v ? 1 : 0;
  },
  dec(j) {
    if (j !== 0 && j !== 1) fail(`expected 0 or 1, found ${describe(j)}`);
    return j === 1;
  },
};

/** A literal value that travels as itself (the report's `schema`). */
export function literal<T extends number | string>(value: T): Codec<T> {
  return {
    enc(v) {
      return v;
    },
    dec(j) {
      if (j !== value) fail(`expected ${JSON.stringify(value)}, found ${describe(j)}`);
      return value;
    },
  };
}

/** One of a fixed list, as its index. The list is part of the link format: append only. */
export function enumOf<const T extends string>(values: readonly T[]): Codec<T> {
  const index = new Map<string, number>(values.map((v, i) => [v, i]));
  return {
    enc(v) {
      const i = index.get(v);
      // The report type promises one of these; anything else is a bug in binlens, caught by the self-check.
      return i ?? v;
    },
    dec(j) {
      if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= values.length)
        fail(`expected one of ${values.length} values, found ${describe(j)}`);
      return values[j]!;
    },
  };
}

export function nullable<T>(c: Codec<T>): Codec<T | null> {
  return {
    enc(v, cx) {
      return v === null ? null : c.enc(v, cx);
    },
    dec(j) {
      return j === null ? null : c.dec(j);
    },
  };
}

export function opt<T>(c: Codec<T>): OptCodec<T> {
  return { optional: true, enc: (v, cx) => c.enc(v, cx), dec: (j) => c.dec(j) };
}

/** An optional field the link never carries (a decoded link simply lacks it). */
export function dropped<T>(): OptCodec<T> {
  return {
    optional: true,
    dropped: true,
    enc() {
      return undefined;
    },
    dec() {
      return fail('dropped field');
    },
  };
}

export interface ArrayOptions {
  /** Most rows a link may hold, for encoder and decoder alike. */
  max: number;
  /** Name of the budgeted table this array belongs to: its rows are kept up to the budget's limit and cuts are recorded. */
  table?: string;
  /** The array is the report's slices: rows cut inside each element are counted against that slice. */
  slices?: boolean;
  /** Cut with its table but not counted (a second view of rows another array already counts: `libraryDetails`). */
  uncounted?: boolean;
}

export function arr<T>(c: Codec<T>, o: ArrayOptions): Codec<T[]> {
  return {
    enc(v, cx) {
      const limit = Math.min(o.max, cx.limit(o.table, v.length));
      const kept = v.length > limit ? v.slice(0, limit) : v;
      if (kept.length < v.length && !o.uncounted) cx.cut(o.table ?? 'other', kept.length, v.length);
      const outer = cx.slice;
      const out = kept.map((x, i) => {
        if (o.slices) cx.slice = i;
        const e = c.enc(x, cx);
        cx.bytes += 2;
        if (cx.bytes > cx.maxBytes) throw new TooBig();
        return e;
      });
      cx.slice = outer;
      return out;
    },
    dec(j) {
      if (!Array.isArray(j)) fail(`expected an array, found ${describe(j)}`);
      if (j.length > o.max) fail(`${j.length} entries is more than ${o.max}`);
      const out = new Array<T>(j.length);
      for (let i = 0; i < j.length; i++) out[i] = within(i, () => c.dec(j[i]));
      return out;
    },
  };
}

/**
 * A string-keyed map, written as a flat [key, value, key, value…] array. On
 * decoding, keys become own data properties (so `__proto__` is just a name)
 * and a repeated key is refused.
 */
export function record<V>(keyMax: number, value: Codec<V>, o: ArrayOptions): Codec<Record<string, V>> {
  const key = str(keyMax);
  return {
    enc(v, cx) {
      const keys = Object.keys(v);
      const limit = Math.min(o.max, cx.limit(o.table, keys.length));
      if (keys.length > limit) cx.cut(o.table ?? 'other', limit, keys.length);
      const out: unknown[] = [];
      for (const k of keys.slice(0, limit)) out.push(key.enc(k, cx), value.enc(v[k]!, cx));
      return out;
    },
    dec(j) {
      if (!Array.isArray(j) || j.length % 2 !== 0) fail(`expected [key, value…] pairs, found ${describe(j)}`);
      if (j.length / 2 > o.max) fail(`${j.length / 2} keys is more than ${o.max}`);
      const out: Record<string, V> = {};
      for (let i = 0; i < j.length; i += 2) {
        const k = within(i, () => key.dec(j[i]));
        if (Object.prototype.hasOwnProperty.call(out, k)) throw new ShapeError(`repeated key ${JSON.stringify(k.slice(0, 40))}`, [i]);
        const val = within(k, () => value.dec(j[i + 1]));
        Object.defineProperty(out, k, { value: val, enumerable: true, writable: true, configurable: true });
      }
      return out;
    },
  };
}

/** For each key of T, a codec; optional keys need an `opt(...)` codec, so a field added to the type cannot be forgotten here. */
export type Fields<T> = {
  [K in keyof T]-?: undefined extends T[K] ? OptCodec<Exclude<T[K], undefined>> : Codec<T[K]>;
};

/**
 * An object as a positional array, fields in the order written. Objects with
 * optional fields start with a bit mask of the ones present (bit i = i-th
 * optional field). Decoding ignores trailing elements and unknown mask bits,
 * so fields appended to the end of a list by a later binlens do not break
 * older pages; the order of fields is therefore part of the link format.
 */
export function obj<T extends object>(fields: Fields<T>): Codec<T> {
  const entries = Object.entries(fields) as [string, Codec<unknown> & { optional?: true; dropped?: true }][];
  const optionals = entries.filter(([, c]) => c.optional).length;
  if (optionals > 30) throw new Error('obj: more than 30 optional fields');
  return {
    enc(v, cx) {
      const out: unknown[] = [];
      let mask = 0;
      let bit = 0;
      const src = v as Record<string, unknown>;
      for (const [k, c] of entries) {
        const x = src[k];
        if (c.optional) {
          if (x !== undefined && !c.dropped) {
            mask |= 1 << bit;
            out.push(c.enc(x, cx));
          }
          bit++;
        } else out.push(c.enc(x, cx));
      }
      if (optionals > 0) out.unshift(mask);
      return out;
    },
    dec(j) {
      if (!Array.isArray(j)) fail(`expected an object (as an array), found ${describe(j)}`);
      let at = 0;
      let mask = 0;
      if (optionals > 0) {
        const m = j[at++];
        if (typeof m !== 'number' || !Number.isInteger(m) || m < 0 || m > 0x7fffffff) fail(`expected a field mask, found ${describe(m)}`);
        mask = m;
      }
      const out: Record<string, unknown> = {};
      let bit = 0;
      for (const [k, c] of entries) {
        if (c.optional) {
          const present = (mask >>> bit++) & 1;
          if (!present) continue;
          if (c.dropped) {
            at++;
            continue;
          }
        }
        if (at >= j.length) throw new ShapeError('missing', [k]);
        const x = j[at++];
        out[k] = within(k, () => c.dec(x));
      }
      return out as T;
    },
  };
}

/**
 * The first number in a link's JSON text that is not written as an exact
 * integer (a fraction, an exponent, or an integer past 2^53 − 1, which
 * JSON.parse would round), or null. Every number a link carries is an
 * integer, so this runs on the text before it is parsed: after parsing,
 * 18446744073709551616 and 18446744073709551615 are the same double.
 */
export function inexactNumber(json: string): string | null {
  const n = json.length;
  for (let i = 0; i < n; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote (escapes hide quotes).
      for (i++; i < n; i++) {
        const d = json.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < n && /[0-9.eE+-]/.test(json[end]!)) end++;
      const token = json.slice(i, end);
      if (!/^-?(?:0|[1-9][0-9]*)$/.test(token) || !Number.isSafeInteger(Number(token))) return token.slice(0, 40);
      i = end - 1;
    }
  }
  return null;
}
