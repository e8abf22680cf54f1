// Property lists of a bundle (Info.plist, _CodeSignature/CodeResources), XML
// or binary, read with @plist/parse. The bytes come from the unit: a document
// over the unit's size limit is never read, and a list that does not parse is
// an error message, not a throw.

import { parse } from '@plist/parse';

export type PlistValue = null | string | number | bigint | boolean | ArrayBuffer | Date | PlistDict | PlistValue[];
export interface PlistDict {
  [key: string]: PlistValue;
}

/** The top-level dictionary, or why there is none. */
export function readPlist(bytes: Uint8Array): { dict: PlistDict } | { error: string } {
  let value: PlistValue;
  try {
    const copy = bytes.slice().buffer;
    value = parse(copy) as PlistValue;
  } catch (e) {
    return { error: `not a property list binlens can read (${e instanceof Error ? e.message : String(e)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof ArrayBuffer || value instanceof Date)
    return { error: 'a property list whose top level is not a dictionary' };
  return { dict: value };
}

export function plistString(d: PlistDict, key: string): string | null {
  const v = Object.hasOwn(d, key) ? d[key] : undefined;
  return typeof v === 'string' ? v : null;
}

export function plistDict(d: PlistDict, key: string): PlistDict | null {
  const v = Object.hasOwn(d, key) ? d[key] : undefined;
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof ArrayBuffer) && !(v instanceof Date) ? v : null;
}

export function plistData(d: PlistDict, key: string): Uint8Array | null {
  const v = Object.hasOwn(d, key) ? d[key] : undefined;
  return v instanceof ArrayBuffer ? new Uint8Array(v) : null;
}
