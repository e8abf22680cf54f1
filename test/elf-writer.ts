// A tiny ELF writer for tests: lays out a header, program headers, section
// contents and section headers in either class and byte order, so tests can
// build exactly the (often broken) file they need without a toolchain.
// Layout: Ehdr | Phdrs | section data (in order, aligned) | .shstrtab | Shdrs.

export interface WSection {
  name: string;
  type: number;
  flags?: bigint;
  /** Defaults to the file offset for SHF_ALLOC sections (identity mapping), else 0. */
  addr?: bigint;
  data?: Uint8Array;
  link?: number;
  info?: number;
  align?: number;
  entsize?: number;
  /** Overrides sh_size (default: data length). */
  size?: number;
  /** Overrides sh_offset. */
  offset?: number;
  /** Overrides sh_name. */
  nameOffset?: number;
}

export interface WSegment {
  type: number;
  flags: number;
  /** Sections (by name) the segment covers; offset/vaddr/sizes are computed from them. */
  sections?: string[];
  offset?: number;
  vaddr?: bigint;
  filesz?: number;
  memsz?: number;
  align?: bigint;
}

export interface ElfSpec {
  is64?: boolean;
  littleEndian?: boolean;
  type?: number;
  machine?: number;
  entry?: bigint;
  osabi?: number;
  flags?: number;
  sections?: WSection[];
  segments?: WSegment[];
  /** Write e_shnum = 0, e_shstrndx = SHN_XINDEX and e_phnum = PN_XNUM, the real values in section 0. */
  extendedNumbering?: boolean;
  /** Header fields to force after layout (e_shnum, e_phoff, …). */
  header?: Partial<
    Record<'e_phnum' | 'e_shnum' | 'e_shstrndx' | 'e_phoff' | 'e_shoff' | 'e_ehsize' | 'e_phentsize' | 'e_shentsize', number>
  >;
}

export interface ElfLayout {
  bytes: Uint8Array;
  /** File offset of each section's data, by name. */
  dataOffset: Record<string, number>;
  /** File offset of each section header, by section index. */
  shdrOffset: number[];
  phoff: number;
  shoff: number;
}

/** Writes integers in one class and byte order into a growable buffer. */
export class Encoder {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;
  constructor(
    readonly is64: boolean,
    readonly littleEndian: boolean,
  ) {}
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, v, this.littleEndian);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0, this.littleEndian);
    this.length += 4;
    return this;
  }
  u64(v: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, v), this.littleEndian);
    this.length += 8;
    return this;
  }
  /** Elf_Addr / Elf_Off / Elf_Xword-sized field. */
  word(v: bigint | number): this {
    return this.is64 ? this.u64(BigInt(v)) : this.u32(Number(v));
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  align(a: number): this {
    while (this.length % a !== 0) this.u8(0);
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** A string table: "\0" followed by each name; `offsets` maps name to index. */
export function strtab(names: string[]): { data: Uint8Array; offsets: Record<string, number> } {
  const offsets: Record<string, number> = {};
  const parts: number[] = [0];
  for (const n of names) {
    if (n in offsets) continue;
    offsets[n] = parts.length;
    for (const c of new TextEncoder().encode(n)) parts.push(c);
    parts.push(0);
  }
  return { data: new Uint8Array(parts), offsets };
}

export interface WSymbol {
  name: number;
  value?: bigint;
  size?: bigint;
  bind?: number;
  type?: number;
  other?: number;
  shndx?: number;
}

export function symbols(is64: boolean, le: boolean, syms: WSymbol[]): Uint8Array {
  const e = new Encoder(is64, le);
  for (const s of [{ name: 0 }, ...syms] as WSymbol[]) {
    const info = ((s.bind ?? 0) << 4) | (s.type ?? 0);
    if (is64) {
      e.u32(s.name)
        .u8(info)
        .u8(s.other ?? 0)
        .u16(s.shndx ?? 0)
        .u64(s.value ?? 0n)
        .u64(s.size ?? 0n);
    } else {
      e.u32(s.name)
        .u32(Number(s.value ?? 0n))
        .u32(Number(s.size ?? 0n))
        .u8(info)
        .u8(s.other ?? 0)
        .u16(s.shndx ?? 0);
    }
  }
  return e.done();
}

/** A 64-bit little-endian .symtab of global symbols (sh_info 1), its names in the string table at section index `link`. */
export function symtab64(link: number, syms: WSymbol[]): WSection {
  return { name: '.symtab', type: 2, align: 8, entsize: 24, link, info: 1, data: symbols(true, true, syms) };
}

export function dynamic(is64: boolean, le: boolean, entries: [number | bigint, number | bigint][]): Uint8Array {
  const e = new Encoder(is64, le);
  for (const [tag, val] of entries) e.word(BigInt(tag)).word(BigInt(val));
  return e.done();
}

export function note(is64: boolean, le: boolean, owner: string, type: number, desc: Uint8Array, align = 4): Uint8Array {
  const e = new Encoder(is64, le);
  const name = new TextEncoder().encode(owner + '\0');
  e.u32(name.length).u32(desc.length).u32(type).bytes(name).align(align).bytes(desc).align(align);
  return e.done();
}

export function buildElf(spec: ElfSpec): ElfLayout {
  const is64 = spec.is64 ?? true;
  const le = spec.littleEndian ?? true;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const secs = spec.sections ?? [];
  const segs = spec.segments ?? [];
  const names = strtab(['.shstrtab', ...secs.map((s) => s.name)]);
  const phoff = segs.length > 0 ? ehsize : 0;

  // Place section data.
  let at = ehsize + segs.length * phentsize;
  const dataOffset: Record<string, number> = {};
  const placed = secs.map((s) => {
    const align = Math.max(1, s.align ?? 1);
    at = Math.ceil(at / align) * align;
    const offset = s.offset ?? at;
    dataOffset[s.name] = offset;
    if (s.offset === undefined && s.type !== 8 /* SHT_NOBITS */) at += s.data?.length ?? 0;
    return { ...s, offset, size: s.size ?? s.data?.length ?? 0 };
  });
  const shstrOffset = at;
  at += names.data.length;
  at = Math.ceil(at / 8) * 8;
  const shoff = at;
  const shnum = secs.length + 2; // null section, the sections, .shstrtab
  const shstrndx = shnum - 1;
  const total = shoff + shnum * shentsize;

  const e = new Encoder(is64, le);
  const hdr = {
    e_phnum: segs.length,
    e_shnum: shnum,
    e_shstrndx: shstrndx,
    e_phoff: phoff,
    e_shoff: shoff,
    e_ehsize: ehsize,
    e_phentsize: phentsize,
    e_shentsize: shentsize,
    ...(spec.extendedNumbering ? { e_phnum: 0xffff, e_shnum: 0, e_shstrndx: 0xffff } : {}),
    ...spec.header,
  };
  e.bytes(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1, spec.osabi ?? 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  e.u16(spec.type ?? 2)
    .u16(spec.machine ?? 183)
    .u32(1)
    .word(spec.entry ?? 0x1000n)
    .word(hdr.e_phoff)
    .word(hdr.e_shoff);
  e.u32(spec.flags ?? 0)
    .u16(hdr.e_ehsize)
    .u16(hdr.e_phentsize)
    .u16(hdr.e_phnum)
    .u16(hdr.e_shentsize)
    .u16(hdr.e_shnum)
    .u16(hdr.e_shstrndx);

  const addrOf = (s: (typeof placed)[number]) => s.addr ?? ((s.flags ?? 0n) & 2n ? BigInt(s.offset) : 0n);
  for (const p of segs) {
    const covered = placed.filter((s) => p.sections?.includes(s.name));
    const first = covered[0];
    const offset = p.offset ?? first?.offset ?? 0;
    const vaddr = p.vaddr ?? (first ? addrOf(first) : BigInt(offset));
    const end = covered.reduce((m, s) => Math.max(m, s.offset + (s.type === 8 ? 0 : s.size)), offset);
    const memEnd = covered.reduce((m, s) => Math.max(m, Number(addrOf(s) - vaddr) + s.size), end - offset);
    const filesz = p.filesz ?? end - offset;
    const memsz = p.memsz ?? Math.max(memEnd, filesz);
    const align = p.align ?? (p.type === 1 ? 0x1000n : 8n);
    if (is64) e.u32(p.type).u32(p.flags).u64(BigInt(offset)).u64(vaddr).u64(vaddr).u64(BigInt(filesz)).u64(BigInt(memsz)).u64(align);
    else e.u32(p.type).u32(offset).u32(Number(vaddr)).u32(Number(vaddr)).u32(filesz).u32(memsz).u32(p.flags).u32(Number(align));
  }
  for (const s of placed) {
    if (s.type === 8 || s.data === undefined || spec.sections?.find((x) => x.name === s.name)?.offset !== undefined) continue;
    while (e.length < s.offset) e.u8(0);
    e.bytes(s.data);
  }
  while (e.length < shstrOffset) e.u8(0);
  e.bytes(names.data);
  while (e.length < shoff) e.u8(0);

  const shdrOffset: number[] = [];
  const shdr = (
    name: number,
    type: number,
    flags: bigint,
    addr: bigint,
    offset: number,
    size: number,
    link: number,
    info: number,
    align: number,
    entsize: number,
  ) => {
    shdrOffset.push(e.length);
    if (is64)
      e.u32(name)
        .u32(type)
        .u64(flags)
        .u64(addr)
        .u64(BigInt(offset))
        .u64(BigInt(size))
        .u32(link)
        .u32(info)
        .u64(BigInt(align))
        .u64(BigInt(entsize));
    else e.u32(name).u32(type).u32(Number(flags)).u32(Number(addr)).u32(offset).u32(size).u32(link).u32(info).u32(align).u32(entsize);
  };
  // Section 0 carries the real counts under extended numbering.
  if (spec.extendedNumbering) shdr(0, 0, 0n, 0n, 0, shnum, shstrndx, segs.length, 0, 0);
  else shdr(0, 0, 0n, 0n, 0, 0, 0, 0, 0, 0);
  for (const s of placed) {
    shdr(
      s.nameOffset ?? names.offsets[s.name]!,
      s.type,
      s.flags ?? 0n,
      addrOf(s),
      s.offset,
      s.size,
      s.link ?? 0,
      s.info ?? 0,
      s.align ?? 1,
      s.entsize ?? 0,
    );
  }
  shdr(names.offsets['.shstrtab']!, 3, 0n, 0n, shstrOffset, names.data.length, 0, 0, 1, 0);
  const bytes = e.done();
  if (bytes.length !== total) throw new Error(`elf-writer: laid out ${total} bytes, wrote ${bytes.length}`);
  return { bytes, dataOffset, shdrOffset, phoff, shoff };
}

/** Overwrites an integer in a built file. */
export function poke(bytes: Uint8Array, at: number, size: 1 | 2 | 4 | 8, value: number | bigint, littleEndian = true): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 1) v.setUint8(at, Number(value));
  else if (size === 2) v.setUint16(at, Number(value), littleEndian);
  else if (size === 4) v.setUint32(at, Number(value) >>> 0, littleEndian);
  else v.setBigUint64(at, BigInt(value), littleEndian);
}
