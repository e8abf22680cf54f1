// CRC-32 (ISO-HDLC, the one zlib, PNG and gzip use). Raw DEFLATE carries no
// checksum, so a link carries this one over its JSON: a link damaged in
// transit (a character changed by a chat client, a cut-off paste) is then
// refused instead of opening with altered names or hashes.

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
