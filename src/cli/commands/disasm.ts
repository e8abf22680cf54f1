// `disasm FILE [--arch A] [--section NAME] [--start 0xADDR] [--count N]`:
// one `ADDRESS:<TAB>TEXT` line per instruction (address lowercase hex
// without 0x; text as `llvm-objdump -d --no-show-raw-insn` prints it, without
// its `//` comments and `<sym+off>` annotations). Without --section/--start
// it walks every text section as llvm-objdump -d does.

import { once } from 'node:events';
import type { ParsedSlice } from '../../parsers/types.ts';
import { isA64 } from '../../arm64/arch.ts';
import { loadEngine } from '../../arm64/node.ts';
import { codeRanges, syntaxOf } from '../../arm64/scan.ts';
import { openBinary } from '../binary.ts';
import { CliError, q } from '../output.ts';
import { flag, type Args } from '../args.ts';
import { writeStats } from '../stats.ts';

const USAGE = 'usage: binlens disasm FILE [--arch A] [--section NAME] [--start 0xADDR] [--count N] [--stats]\n';

function pickSlice(slices: ParsedSlice[], arch: string | undefined): ParsedSlice | string {
  const archs = slices.map((s) => s.report.arch);
  if (arch !== undefined) {
    const s = slices.find((x) => x.report.arch === arch);
    return s ?? `no ${q(arch)} slice (the file has ${archs.join(', ') || 'none'})`;
  }
  const s = slices.find((x) => isA64(x.report.arch));
  return s ?? `no arm64 code to disassemble (the file has ${archs.join(', ') || 'no slices'})`;
}

export async function disasmCommand(args: Args): Promise<number> {
  const path = args.positional[0];
  if (path === undefined || args.positional.length > 1) {
    process.stderr.write(USAGE);
    return 64;
  }
  const countFlag = flag(args, 'count');
  const count = countFlag === undefined ? Infinity : Number(countFlag);
  if (!(count >= 0) || (countFlag !== undefined && !Number.isInteger(count))) {
    throw new CliError(`--count must be a whole number, not '${q(countFlag ?? '')}'`, 64);
  }
  const startFlag = flag(args, 'start');
  let start: bigint | undefined;
  if (startFlag !== undefined) {
    try {
      start = BigInt(startFlag.startsWith('0x') || startFlag.startsWith('0X') ? startFlag : '0x' + startFlag);
    } catch {
      throw new CliError(`--start must be a hex address, not '${q(startFlag)}'`, 64);
    }
  }
  const section = flag(args, 'section');

  const f = openBinary(path);
  try {
    const slice = pickSlice(f.slices, flag(args, 'arch'));
    if (typeof slice === 'string') throw new CliError(`${q(path)}: ${slice}`);
    if (!isA64(slice.report.arch)) throw new CliError(`${q(path)}: ${slice.report.arch} code is not disassembled (arm64 only)`);
    const engine = await loadEngine();
    engine.setSyntax(syntaxOf(slice));
    let ranges = codeRanges(slice);
    if (ranges.length === 0) {
      // What llvm-objdump -d reads: sections marked executable, with bytes in the file.
      throw new CliError(
        `${q(path)}: no code to disassemble: the ${slice.report.arch} slice has no executable section with bytes in the file${slice.report.sections.length === 0 ? ' (it has no section headers)' : ''}`,
      );
    }
    if (section !== undefined) {
      ranges = ranges.filter((r) => r.section === section);
      if (ranges.length === 0) {
        const names = [...new Set(codeRanges(slice).map((r) => q(r.section)))];
        throw new CliError(`${q(path)}: no text section '${q(section)}' (text sections: ${names.join(', ') || 'none'})`);
      }
    }
    if (start !== undefined) {
      const s = start;
      const first = ranges.findIndex((r) => s < r.address + BigInt(r.bytes.byteLength));
      if (first < 0) throw new CliError(`${q(path)}: no code at or after 0x${s.toString(16)}`);
      ranges = ranges.slice(first);
      const r0 = ranges[0]!;
      if (s > r0.address) {
        const off = Number(s - r0.address) & ~3;
        ranges[0] = { ...r0, address: r0.address + BigInt(off), bytes: r0.bytes.subarray(off) };
      }
    }
    // The engine writes whole `ADDRESS:\tTEXT\n` lines, up to its 2 MB
    // output buffer per step; each chunk is copied once (the engine reuses
    // the buffer) and written as it comes. A pipe to a slower reader fills:
    // the next chunk waits for 'drain', so at most one chunk is queued
    // whatever the reader (a 69 MB __text printed to a paused reader held
    // its whole 575 MB listing before).
    let left = count;
    for (const r of ranges) {
      if (left <= 0) break;
      for (const c of engine.disasmChunks(r.bytes, r.address, true, left)) {
        left -= c.instructions;
        if (!process.stdout.write(Buffer.from(c.text))) await once(process.stdout, 'drain');
      }
    }
    if (args.flags.has('stats')) writeStats();
    return 0;
  } finally {
    f.close();
  }
}
