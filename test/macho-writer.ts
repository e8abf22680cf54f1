// Builds Mach-O images byte by byte for the tests: the cases no toolchain here
// writes (fat64, big-endian ppc, encryption info, signatures with
// entitlements and a team id, ADDEND64 imports, broken chains and tries,
// malformed load commands). Test support only; nothing in the parser uses it.

export class Bytes {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;
  constructor(readonly le = true) {}

  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.grow(1);
    this.view.setUint8(this.length, v & 0xff);
    this.length += 1;
    return this;
  }
  u16(v: number): this {
    this.grow(2);
    this.view.setUint16(this.length, v & 0xffff, this.le);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.grow(4);
    this.view.setUint32(this.length, v >>> 0, this.le);
    this.length += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.grow(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, BigInt(v)), this.le);
    this.length += 8;
    return this;
  }
  bytes(b: Uint8Array | number[]): this {
    const a = b instanceof Uint8Array ? b : Uint8Array.from(b);
    this.grow(a.length);
    this.buf.set(a, this.length);
    this.length += a.length;
    return this;
  }
  /** NUL-terminated string. */
  cstr(s: string): this {
    return this.bytes(new TextEncoder().encode(s)).u8(0);
  }
  /** A fixed-width, NUL-padded name (segname[16]). */
  fixed(s: string, width: number): this {
    const b = new Uint8Array(width);
    b.set(new TextEncoder().encode(s).subarray(0, width));
    return this.bytes(b);
  }
  uleb(v: number | bigint): this {
    let x = BigInt(v);
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x) byte |= 0x80;
      this.u8(byte);
    } while (x);
    return this;
  }
  sleb(v: number | bigint): this {
    let x = BigInt(v);
    for (;;) {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && !(byte & 0x40)) || (x === -1n && byte & 0x40);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  pad(align: number): this {
    while (this.length % align) this.u8(0);
    return this;
  }
  zeros(n: number): this {
    this.grow(n);
    this.length += n;
    return this;
  }
  setU32(at: number, v: number): this {
    this.view.setUint32(at, v >>> 0, this.le);
    return this;
  }
  get out(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** One load command: cmd, cmdsize (the body padded to `align`), body. */
export function lc(cmd: number, body: Uint8Array | Bytes, opts: { le?: boolean; align?: number; cmdsize?: number } = {}): Uint8Array {
  const b = body instanceof Bytes ? body.out : body;
  const align = opts.align ?? 8;
  const size = Math.ceil((8 + b.length) / align) * align;
  const w = new Bytes(opts.le ?? true)
    .u32(cmd)
    .u32(opts.cmdsize ?? size)
    .bytes(b);
  while (w.length < size) w.u8(0);
  return w.out;
}

export interface SectionSpec {
  sectname: string;
  segname: string;
  addr: bigint | number;
  size: bigint | number;
  offset: number;
  align?: number;
  flags?: number;
  reserved1?: number;
  reserved2?: number;
}

export function segment64(
  segname: string,
  vmaddr: bigint | number,
  vmsize: bigint | number,
  fileoff: number,
  filesize: number,
  prot: number,
  sections: SectionSpec[] = [],
  opts: { le?: boolean; flags?: number; nsects?: number } = {},
): Uint8Array {
  const le = opts.le ?? true;
  const b = new Bytes(le)
    .fixed(segname, 16)
    .u64(vmaddr)
    .u64(vmsize)
    .u64(fileoff)
    .u64(filesize)
    .u32(prot)
    .u32(prot)
    .u32(opts.nsects ?? sections.length)
    .u32(opts.flags ?? 0);
  for (const s of sections) {
    b.fixed(s.sectname, 16)
      .fixed(s.segname, 16)
      .u64(s.addr)
      .u64(s.size)
      .u32(s.offset)
      .u32(s.align ?? 0)
      .u32(0)
      .u32(0)
      .u32(s.flags ?? 0)
      .u32(s.reserved1 ?? 0)
      .u32(s.reserved2 ?? 0)
      .u32(0);
  }
  return lc(0x19, b, { le });
}

export function segment32(
  segname: string,
  vmaddr: number,
  vmsize: number,
  fileoff: number,
  filesize: number,
  prot: number,
  opts: { le?: boolean } = {},
): Uint8Array {
  const le = opts.le ?? true;
  return lc(0x1, new Bytes(le).fixed(segname, 16).u32(vmaddr).u32(vmsize).u32(fileoff).u32(filesize).u32(prot).u32(prot).u32(0).u32(0), {
    le,
    align: 4,
  });
}

export function linkedit(cmd: number, dataoff: number, datasize: number, le = true): Uint8Array {
  return lc(cmd, new Bytes(le).u32(dataoff).u32(datasize), { le });
}

/** A command carrying an lc_str right after `fixed` (dylib, rpath, dylinker). */
export function strCmd(cmd: number, fixed: Bytes, s: string, opts: { le?: boolean; align?: number } = {}): Uint8Array {
  const le = opts.le ?? true;
  const head = fixed.out;
  const body = new Bytes(le)
    .u32(8 + 4 + head.length)
    .bytes(head)
    .cstr(s);
  return lc(cmd, body, { le, align: opts.align ?? 8 });
}

export function dylib(cmd: number, name: string, current = 0x10000, compat = 0x10000, le = true): Uint8Array {
  return strCmd(cmd, new Bytes(le).u32(2).u32(current).u32(compat), name, { le });
}

export interface ImageSpec {
  cputype: number;
  cpusubtype?: number;
  filetype?: number;
  flags?: number;
  is64?: boolean;
  le?: boolean;
  commands: Uint8Array[];
  /** Overrides for the header fields (malformed files). */
  ncmds?: number;
  sizeofcmds?: number;
  /** Total file size; data placed with `at` lands at that file offset. */
  size?: number;
  data?: { at: number; bytes: Uint8Array }[];
}

export function image(spec: ImageSpec): Uint8Array {
  const is64 = spec.is64 ?? true;
  const le = spec.le ?? true;
  const cmds = new Bytes(le);
  for (const c of spec.commands) cmds.bytes(c);
  const hdr = new Bytes(le)
    .u32(is64 ? 0xfeedfacf : 0xfeedface)
    .u32(spec.cputype)
    .u32(spec.cpusubtype ?? 0)
    .u32(spec.filetype ?? 2)
    .u32(spec.ncmds ?? spec.commands.length)
    .u32(spec.sizeofcmds ?? cmds.length)
    .u32(spec.flags ?? 0);
  if (is64) hdr.u32(0);
  hdr.bytes(cmds.out);
  let size = Math.max(hdr.length, spec.size ?? 0);
  for (const d of spec.data ?? []) size = Math.max(size, d.at + d.bytes.length);
  const out = new Uint8Array(size);
  out.set(hdr.out);
  for (const d of spec.data ?? []) out.set(d.bytes, d.at);
  return out;
}

export interface FatSlice {
  cputype: number;
  cpusubtype?: number;
  bytes: Uint8Array;
  align?: number;
  /** Place the slice here instead of the next aligned offset. */
  offset?: number;
  /** Claim this size in the arch table. */
  size?: number;
}

/** A universal file; `is64` writes FAT_MAGIC_64 with fat_arch_64 entries. */
export function fat(slices: FatSlice[], is64 = false): Uint8Array {
  const entry = is64 ? 32 : 20;
  let at = 8 + slices.length * entry;
  const placed = slices.map((s) => {
    const align = s.align ?? 12;
    const off = s.offset ?? Math.ceil(at / 2 ** align) * 2 ** align;
    at = Math.max(at, off + s.bytes.length);
    return { ...s, align, off };
  });
  const h = new Bytes(false).u32(is64 ? 0xcafebabf : 0xcafebabe).u32(slices.length);
  for (const p of placed) {
    h.u32(p.cputype).u32(p.cpusubtype ?? 0);
    if (is64)
      h.u64(p.off)
        .u64(p.size ?? p.bytes.length)
        .u32(p.align)
        .u32(0);
    else
      h.u32(p.off)
        .u32(p.size ?? p.bytes.length)
        .u32(p.align);
  }
  const out = new Uint8Array(Math.max(at, h.length));
  out.set(h.out);
  for (const p of placed) if (p.off + p.bytes.length <= out.length) out.set(p.bytes, p.off);
  return out;
}

// ---- code signature blobs (big-endian) ----

export function blob(magic: number, payload: Uint8Array): Uint8Array {
  return new Bytes(false)
    .u32(magic)
    .u32(8 + payload.length)
    .bytes(payload).out;
}

export interface CodeDirectorySpec {
  version?: number;
  flags?: number;
  hashType?: number;
  identifier: string;
  teamId?: string;
  execSegFlags?: bigint;
  nCodeSlots?: number;
}

export function codeDirectory(cd: CodeDirectorySpec): Uint8Array {
  const version = cd.version ?? 0x20400;
  const hashSize = cd.hashType === 1 ? 20 : cd.hashType === 4 ? 48 : 32;
  const headerSize = 88;
  const identOffset = headerSize;
  const ident = new TextEncoder().encode(cd.identifier + '\0');
  const team = cd.teamId ? new TextEncoder().encode(cd.teamId + '\0') : null;
  const teamOffset = team ? identOffset + ident.length : 0;
  const hashOffset = identOffset + ident.length + (team?.length ?? 0);
  const nCodeSlots = cd.nCodeSlots ?? 1;
  const length = hashOffset + nCodeSlots * hashSize;
  const b = new Bytes(false)
    .u32(0xfade0c02)
    .u32(length)
    .u32(version)
    .u32(cd.flags ?? 0x2)
    .u32(hashOffset)
    .u32(identOffset)
    .u32(0)
    .u32(nCodeSlots)
    .u32(0x4000)
    .u8(hashSize)
    .u8(cd.hashType ?? 2)
    .u8(0)
    .u8(12)
    .u32(0)
    .u32(0)
    .u32(teamOffset)
    .u32(0)
    .u64(0)
    .u64(0)
    .u64(0x4000)
    .u64(cd.execSegFlags ?? 0n);
  b.bytes(ident);
  if (team) b.bytes(team);
  for (let i = 0; i < nCodeSlots * hashSize; i++) b.u8(i);
  return b.out;
}

/** A CSMAGIC_EMBEDDED_SIGNATURE SuperBlob over the given (slot, blob) pairs. */
export function superBlob(entries: { slot: number; blob: Uint8Array }[]): Uint8Array {
  let at = 12 + entries.length * 8;
  const index = new Bytes(false);
  for (const e of entries) {
    index.u32(e.slot).u32(at);
    at += e.blob.length;
  }
  const b = new Bytes(false).u32(0xfade0cc0).u32(at).u32(entries.length).bytes(index.out);
  for (const e of entries) b.bytes(e.blob);
  return b.out;
}

/** A DER TLV (short or long length form). */
export function der(tag: number, content: Uint8Array | number[]): Uint8Array {
  const c = content instanceof Uint8Array ? content : Uint8Array.from(content);
  const b = new Bytes(false).u8(tag);
  if (c.length < 0x80) b.u8(c.length);
  else if (c.length < 0x100) b.u8(0x81).u8(c.length);
  else b.u8(0x82).u16(c.length);
  return b.bytes(c).out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const b = new Bytes();
  for (const p of parts) b.bytes(p);
  return b.out;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
