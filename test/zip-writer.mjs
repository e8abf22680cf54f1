// Writes zip archives as APPNOTE.TXT 6.3 lays them out (local headers, the
// central directory, the end record), for the tests and for the wheels
// scripts/unit-images.mjs makes. Plain JavaScript, so that a Node script
// imports it as it is (types in zip-writer.d.mts). Versions 2.0, dates
// 1980-01-01; a member given a mode is marked as made on Unix with that mode
// in its external attributes.

/**
 * @param {[string, Uint8Array | string, number?][]} items name, bytes, and optionally st_mode (0o100755)
 * @param {boolean | ((bytes: Uint8Array) => boolean)} deflate whether a member is deflated
 * @returns {Uint8Array}
 */
export function zip(items, deflate = false) {
  // Not a static import: src/units' tests import this file, and src may import no Node module (.dependency-cruiser.cjs).
  const { crc32, deflateRawSync } = process.getBuiltinModule('node:zlib');
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, raw, mode] of items) {
    const bytes = Buffer.from(typeof raw === 'string' ? new TextEncoder().encode(raw) : raw);
    const n = Buffer.from(name);
    const deflated = typeof deflate === 'function' ? deflate(bytes) : deflate;
    const data = deflated ? deflateRawSync(bytes) : bytes;
    const method = deflated ? 8 : 0;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(0x21, 12); // 1980-01-01
    h.writeUInt32LE(crc32(bytes), 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(bytes.length, 22);
    h.writeUInt16LE(n.length, 26);
    locals.push(h, n, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    if (mode !== undefined) c.writeUInt16LE(0x0314, 4); // made by Unix, 2.0
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(0x21, 14);
    c.writeUInt32LE(crc32(bytes), 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(bytes.length, 24);
    c.writeUInt16LE(n.length, 28);
    if (mode !== undefined) c.writeUInt32LE((mode << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(items.length, 8);
  e.writeUInt16LE(items.length, 10);
  e.writeUInt32LE(cd.length, 12);
  e.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, e]));
}
