// What of a Mach-O slice lies past the end of the file, and which report
// fields that leaves unknown, in the order xnu meets it when it executes the
// file (bsd/kern/mach_loader.c: the load commands, then each segment's file
// range, then LC_CODE_SIGNATURE) and then what dyld reads from __LINKEDIT.

import { Cuts, type Fact } from '../truncation.ts';
import type { Reader } from '../reader.ts';
import { type MachImage } from './loader.ts';
import { MH_DYLDLINK } from './constants.ts';

/** Everything the load commands decide: with them cut short, none of it is known. */
const FROM_LOAD_COMMANDS: Fact[] = [
  'platform',
  'minOS',
  'sdk',
  'entry',
  'interpreter',
  'libraries',
  'libraryDetails',
  'rpaths',
  'rpathDetails',
  'installName',
  'uuid',
  'segments',
  'sections',
  'symbols',
  'imports',
  'exports',
  'codeSignature',
  'encryption',
  'features',
  'functionStarts',
  'fixups',
  'loadCommands',
  'notes',
  'stripped',
  'arm64',
];

export function machoCuts(r: Reader, img: MachImage, cuts: Cuts): void {
  const h = img.header;
  // MH_DYLDLINK in the mach header says "dynamic" without any load command.
  const lcFacts: Fact[] = h.flags & MH_DYLDLINK ? FROM_LOAD_COMMANDS : [...FROM_LOAD_COMMANDS, 'linkage'];
  cuts.need(r, h.size, h.sizeofcmds, { kind: 'load-commands', what: 'load commands', field: 'sizeofcmds' }, lcFacts);

  img.segments.forEach((s, i) => {
    if (s.filesize === 0) return;
    const code = s.initprot & 4 ? (['arm64'] as Fact[]) : [];
    cuts.need(
      r,
      s.fileoff,
      s.filesize,
      { kind: 'segment', what: `segment ${s.segname || '(unnamed)'}`, field: `${s.cmd}.filesize`, segment: i },
      code,
    );
  });

  const cs = img.linkedit.get('LC_CODE_SIGNATURE');
  if (cs)
    cuts.need(r, cs.dataoff, cs.datasize, { kind: 'code-signature', what: 'code signature', field: 'LC_CODE_SIGNATURE.datasize' }, [
      'codeSignature',
    ]);

  const st = img.symtab;
  if (st) {
    const facts: Fact[] = ['symbols', 'stripped', 'features', 'imports', 'exports'];
    cuts.need(r, st.symoff, st.nsyms * (h.is64 ? 16 : 12), { kind: 'linkedit', what: 'symbol table', field: 'LC_SYMTAB.nsyms' }, facts);
    cuts.need(r, st.stroff, st.strsize, { kind: 'linkedit', what: 'string table', field: 'LC_SYMTAB.strsize' }, facts);
  }
  const ds = img.dysymtab;
  if (ds && ds.nindirectsyms)
    cuts.need(r, ds.indirectsymoff!, ds.nindirectsyms * 4, {
      kind: 'linkedit',
      what: 'indirect symbol table',
      field: 'LC_DYSYMTAB.nindirectsyms',
    });
  const di = img.dyldInfo;
  if (di) {
    const tables: [number, number, string, Fact[]][] = [
      [di.rebase_off, di.rebase_size, 'rebase', ['fixups']],
      [di.bind_off, di.bind_size, 'bind', ['fixups', 'imports', 'features']],
      [di.weak_bind_off, di.weak_bind_size, 'weak_bind', ['fixups']],
      [di.lazy_bind_off, di.lazy_bind_size, 'lazy_bind', ['fixups', 'imports', 'features']],
      [di.export_off, di.export_size, 'export', ['exports']],
    ];
    for (const [off, size, name, facts] of tables) {
      if (size)
        cuts.need(
          r,
          off,
          size,
          { kind: 'linkedit', what: `${di.cmd} ${name.replace('_', ' ')} info`, field: `${di.cmd}.${name}_size` },
          facts,
        );
    }
  }
  const data: [string, string, Fact[]][] = [
    ['LC_DYLD_CHAINED_FIXUPS', 'chained fixups', ['fixups', 'imports', 'features']],
    ['LC_DYLD_EXPORTS_TRIE', 'export trie', ['exports']],
    ['LC_FUNCTION_STARTS', 'function starts', ['functionStarts', 'arm64']],
  ];
  for (const [cmd, what, facts] of data) {
    const d = img.linkedit.get(cmd);
    if (d && d.datasize) cuts.need(r, d.dataoff, d.datasize, { kind: 'linkedit', what, field: `${cmd}.datasize` }, facts);
  }
}
