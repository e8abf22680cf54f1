// A decoded load command for people: its one-line summary (the report's
// loadCommands[].summary) and its fields under loader.h's names, as
// llvm-objdump --private-headers prints them. Written from the typed command
// when the report is made; nothing reads these strings back.

import { hex } from '../reader.ts';
import { LC_NAMES, packedVersion, platformName, protString, segmentFlagNames, toolName } from './constants.ts';
import type { LoadCommandBody, LoadCommandRecord } from './loader.ts';

export type FieldValue = number | bigint | string | string[] | null;

const sdkText = (sdk: number): string => (sdk === 0 ? 'n/a' : packedVersion(sdk));
const toolText = (t: { tool: number; version: number }): string => `${toolName(t.tool)} ${packedVersion(t.version)}`;

/** One line that says what the command holds; `malformed: …` when it could not be decoded. */
export function commandSummary(rec: LoadCommandRecord): string {
  if (rec.error !== undefined) return `malformed: ${rec.error}`;
  return bodySummary(rec.body, rec);
}

function bodySummary(b: LoadCommandBody, rec: LoadCommandRecord): string {
  switch (b.kind) {
    case 'segment': {
      const s = b.segment;
      return `${s.segname || '(unnamed)'} ${hex(s.vmaddr)} +${hex(s.vmsize)} ${protString(s.initprot)}, file ${hex(s.fileoff)} +${hex(s.filesize)}, ${s.nsects} section${s.nsects === 1 ? '' : 's'}`;
    }
    case 'dylib':
      return `${b.dylib.name} (current ${packedVersion(b.dylib.current_version)}, compatibility ${packedVersion(b.dylib.compatibility_version)})`;
    case 'string':
      return b.value;
    case 'uuid':
      return b.uuid;
    case 'build_version': {
      const { platform, minos, sdk, tools } = b.build;
      return `${platformName(platform)} ${packedVersion(minos)}, SDK ${sdkText(sdk)}${tools.length ? ', ' + tools.map(toolText).join(', ') : ''}`;
    }
    case 'version_min':
      return `${packedVersion(b.version)}, SDK ${sdkText(b.sdk)}`;
    case 'main':
      return `entryoff ${hex(b.entryoff)}${b.stacksize ? `, stacksize ${hex(b.stacksize)}` : ''}`;
    case 'thread':
      return b.states.map((s) => `${s.flavorName}${s.pc !== null ? ` pc ${hex(s.pc)}` : ''}`).join(', ') || 'no thread state';
    case 'symtab':
      return `${b.symtab.nsyms} symbols at ${hex(b.symtab.symoff)}, strings at ${hex(b.symtab.stroff)} (+${hex(b.symtab.strsize)})`;
    case 'dysymtab': {
      const d = b.dysymtab;
      return `${d.nlocalsym} local, ${d.nextdefsym} external, ${d.nundefsym} undefined; ${d.nindirectsyms} indirect symbols`;
    }
    case 'dyld_info': {
      const d = b.dyldInfo;
      return `rebase ${d.rebase_size}, bind ${d.bind_size}, weak bind ${d.weak_bind_size}, lazy bind ${d.lazy_bind_size}, export ${d.export_size} bytes`;
    }
    case 'linkedit_data':
      return `${b.data.datasize} bytes at ${hex(b.data.dataoff)}`;
    case 'source_version':
      return b.version;
    case 'encryption': {
      const e = b.encryption;
      return `cryptid ${e.cryptid} (${e.cryptid ? 'encrypted' : 'not encrypted'}), ${e.cryptsize} bytes at ${hex(e.cryptoff)}`;
    }
    case 'linker_option':
      return b.strings.join(' ');
    case 'note':
      return `${b.note.data_owner}: ${b.note.size} bytes at ${hex(b.note.offset)}`;
    case 'fileset_entry':
      return `${b.entry.entry_id} at ${hex(b.entry.vmaddr)} (file offset ${hex(b.entry.fileoff)})`;
    case 'routines':
      return `init_address ${hex(b.init_address)}`;
    case 'twolevel_hints':
      return `nhints ${b.nhints} at ${hex(b.offset)}`;
    case 'symseg':
      return `size ${b.size} at ${hex(b.offset)}`;
    case 'prebind_cksum':
      return `cksum ${hex(b.cksum)}`;
    case 'prebound_dylib':
    case 'fvmlib':
    case 'fvmfile':
      return b.name;
    case 'other':
      return LC_NAMES.has(rec.cmd) ? `${rec.cmdsize} bytes` : `unknown load command ${hex(rec.cmd >>> 0)}, ${rec.cmdsize} bytes kept raw`;
  }
}

/** The command's fields under their loader.h names, versions and protections written out; none when malformed. */
// eslint-disable-next-line max-lines-per-function -- a switch over the load command families, one entry each, mirroring LoadCommandBody
export function commandFields(rec: LoadCommandRecord): Record<string, FieldValue> {
  const b = rec.body;
  switch (b.kind) {
    case 'segment': {
      const s = b.segment;
      return {
        segname: s.segname,
        vmaddr: s.vmaddr,
        vmsize: s.vmsize,
        fileoff: s.fileoff,
        filesize: s.filesize,
        maxprot: protString(s.maxprot),
        initprot: protString(s.initprot),
        nsects: s.nsects,
        flags: segmentFlagNames(s.flags),
      };
    }
    case 'dylib':
      return {
        name: b.dylib.name,
        timestamp: b.dylib.timestamp,
        current_version: packedVersion(b.dylib.current_version),
        compatibility_version: packedVersion(b.dylib.compatibility_version),
      };
    case 'string':
      return { [b.field]: b.value };
    case 'uuid':
      return { uuid: b.uuid };
    case 'build_version': {
      const { platform, minos, sdk, tools } = b.build;
      const sdkField = sdk === 0 ? null : packedVersion(sdk);
      return {
        platform: platformName(platform),
        minos: packedVersion(minos),
        sdk: sdkField,
        ntools: tools.length,
        tools: tools.map(toolText),
      };
    }
    case 'version_min':
      return { version: packedVersion(b.version), sdk: b.sdk === 0 ? null : packedVersion(b.sdk) };
    case 'main':
      return { entryoff: b.entryoff, stacksize: b.stacksize };
    case 'thread': {
      const first = b.states[0];
      return { flavor: first ? first.flavorName : null, count: first ? first.count : null, pc: first?.pc ?? null };
    }
    case 'symtab':
      return { ...b.symtab };
    case 'dysymtab':
      return { ...b.dysymtab };
    case 'dyld_info': {
      const { cmd: _, ...offsets } = b.dyldInfo;
      return offsets;
    }
    case 'linkedit_data':
      return { dataoff: b.data.dataoff, datasize: b.data.datasize };
    case 'source_version':
      return { version: b.version };
    case 'encryption': {
      const e = b.encryption;
      return { cryptoff: e.cryptoff, cryptsize: e.cryptsize, cryptid: e.cryptid, ...(b.pad !== null ? { pad: b.pad } : {}) };
    }
    case 'linker_option':
      return { count: b.strings.length, strings: b.strings };
    case 'note':
      return { ...b.note };
    case 'fileset_entry':
      return { ...b.entry };
    case 'routines':
      return { init_address: b.init_address, init_module: b.init_module };
    case 'twolevel_hints':
      return { offset: b.offset, nhints: b.nhints };
    case 'symseg':
      return { offset: b.offset, size: b.size };
    case 'prebind_cksum':
      return { cksum: b.cksum };
    case 'prebound_dylib':
      return { name: b.name, nmodules: b.nmodules };
    case 'fvmlib':
      return { name: b.name, minor_version: b.minor_version, header_addr: b.header_addr };
    case 'fvmfile':
      return { name: b.name, header_addr: b.header_addr };
    case 'other':
      return {};
  }
}
