// Dynamic relocations from the SHT_RELA and SHT_REL sections: where the
// loader writes a word, with which symbol and addend. Go's build info and
// module data in a position-independent file are pointers that a
// base-relative relocation (symbol 0) fills in (src/parsers/go/memory.ts).

import type { Relocation } from '../image.ts';
import type { Reader } from '../reader.ts';
import { SHT_REL, SHT_RELA } from './constants.ts';
import type { ElfHeader } from './header.ts';
import type { SectionHeader } from './sections.ts';

/**
 * Every entry of every RELA and REL section whose bytes are all in the file, in
 * section and entry order. Entry sizes are the ABI's (Elf64_Rela 24, Elf32_Rela
 * 12, Elf64_Rel 16, Elf32_Rel 8), not sh_entsize; a section cut short is skipped whole.
 */
export function readRelocations(r: Reader, h: ElfHeader, sections: SectionHeader[]): Relocation[] {
  const out: Relocation[] = [];
  const is64 = h.is64;
  for (const sec of sections) {
    const rela = sec.sh_type === SHT_RELA;
    if (!rela && sec.sh_type !== SHT_REL) continue;
    const entSize = (is64 ? 16 : 8) + (rela ? (is64 ? 8 : 4) : 0);
    const off = sec.sh_offset;
    const count = Math.floor(sec.sh_size / entSize);
    if (!r.has(off, count * entSize)) continue;
    for (let i = 0; i < count; i++) {
      const at = off + i * entSize;
      const offset = is64 ? r.u64(at, 'r_offset') : BigInt(r.u32(at, 'r_offset'));
      const info = is64 ? r.u64(at + 8, 'r_info') : BigInt(r.u32(at + 4, 'r_info'));
      const symbol = is64 ? Number(info >> 32n) : Number(info >> 8n);
      const type = is64 ? Number(info & 0xffffffffn) : Number(info & 0xffn);
      const addend = !rela ? null : is64 ? r.i64(at + 16, 'r_addend') : BigInt(r.i32(at + 8, 'r_addend'));
      out.push({ offset, type, symbol, addend });
    }
  }
  return out;
}
