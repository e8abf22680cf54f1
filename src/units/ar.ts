// ar archives: static libraries (`.a`: GNU/SysV with `/` and `//` tables,
// BSD with `#1/N` names and `__.SYMDEF`), thin archives (`!<thin>`: members
// are only named, their bytes stay in the files beside), and Debian packages
// (`.deb`: debian-binary, control.tar.*, data.tar.*). 60-byte member headers,
// bodies padded to an even size; read front to back like tar.

import { UnitError, type Budget } from './limits.ts';
import type { ByteStream } from './stream.ts';
import { memberBody, type ArchiveEntry, type Body } from './tar.ts';

const MAGIC = '!<arch>\n';
const THIN = '!<thin>\n';
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export function arKind(head: Uint8Array): 'ar' | 'thin' | null {
  if (head.length < 8) return null;
  const m = latin1.decode(head.subarray(0, 8));
  return m === MAGIC ? 'ar' : m === THIN ? 'thin' : null;
}

/** Members of an ar archive (symbol tables and the long-name table left out), each with its body. */
export async function* arEntries(
  stream: ByteStream,
  budget: Budget,
  where: string,
): AsyncGenerator<{ entry: ArchiveEntry; body: Body; thin: boolean }> {
  const kind = arKind(await stream.read(8));
  if (!kind) throw new UnitError('format', 'not an ar archive', where);
  let longNames: Uint8Array | null = null;
  for (;;) {
    const h = await stream.read(60);
    if (h.length === 0) return;
    if (h.length < 60)
      throw new UnitError('format', `the ar archive ends inside a member header at offset ${stream.position - h.length}`, where);
    if (h[58] !== 0x60 || h[59] !== 0x0a)
      throw new UnitError('format', `bad ar member header at offset ${stream.position - 60} (no \`\\n terminator)`, where);
    const rawName = latin1.decode(h.subarray(0, 16)).trimEnd();
    const size = Number(latin1.decode(h.subarray(48, 58)).trim());
    if (!Number.isSafeInteger(size) || size < 0)
      throw new UnitError('format', `bad ar member size at offset ${stream.position - 60 + 48}`, where);
    const mode = parseInt(latin1.decode(h.subarray(40, 48)).trim() || '0', 8) || 0o644;
    let name = rawName;
    let nameBytes = 0;
    // Special members: GNU's symbol table `/` (and `/SYM64/`), its long-name table `//`, BSD's `__.SYMDEF`.
    let isSymtab = rawName === '/' || rawName === '/SYM64/' || rawName.startsWith('__.SYMDEF');
    if (rawName === '//') {
      if (size > 1 << 24) throw new UnitError('limit', `an ar long-name table of ${size} bytes`, where);
      longNames = await stream.read(size);
      await stream.skip(size & 1);
      continue;
    }
    if (/^#1\/\d+$/.test(rawName)) {
      nameBytes = Number(rawName.slice(3));
      if (nameBytes > 4096 || nameBytes > size) throw new UnitError('format', `bad BSD ar name length ${nameBytes}`, where);
      name = utf8.decode(await stream.read(nameBytes)).replace(/\0+$/, '');
      isSymtab = name.startsWith('__.SYMDEF');
    } else if (/^\/\d+$/.test(rawName) && longNames) {
      const at = Number(rawName.slice(1));
      let end = at;
      while (end < longNames.length && longNames[end] !== 0x0a && !(longNames[end] === 0x2f && longNames[end + 1] === 0x0a)) end++;
      name = utf8.decode(longNames.subarray(at, end));
    } else if (name.endsWith('/') && name !== '/') name = name.slice(0, -1);
    budget.entry(name);
    // A thin archive holds the bytes of its symbol table and long names only.
    const dataSize = kind === 'thin' && !isSymtab ? 0 : size - nameBytes;
    if (isSymtab) {
      await stream.skip(dataSize + (size & 1));
      continue;
    }
    const body = memberBody(stream, dataSize, name);
    yield { entry: { name, type: 'file', size: dataSize, mode, linkname: '' }, body, thin: kind === 'thin' };
    const left = body.unread();
    const skipped = await stream.skip(left + (kind === 'thin' ? 0 : size & 1));
    if (skipped < left)
      throw new UnitError('format', `the ar archive ends inside '${name.slice(0, 200)}' (${dataSize} bytes announced)`, where);
  }
}
