/** A zip of [name, bytes, st_mode?] (each member deflated when `deflate` says so), as APPNOTE 6.3 lays it out. */
export function zip(items: [string, Uint8Array | string, number?][], deflate?: boolean | ((bytes: Uint8Array) => boolean)): Uint8Array;
