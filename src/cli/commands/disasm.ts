// `disasm FILE [--arch A] [--section NAME] [--start 0xADDR] [--count N]`:
// one `ADDRESS:<TAB>TEXT` line per instruction (address lowercase hex
// without 0x; text as `llvm-objdump -d --no-show-raw-insn` prints it, without
// its `//` comments and `<sym+off>` annotations). Without --section/--start
// it walks every text section as llvm-objdump -d does.

import { basename } from 'node:path';
import { parseFile } from '../../parsers/analyze.ts';
import type { ParsedSlice } from '../../parsers/types.ts';
import { loadEngine } from '../../arm64/node.ts';
import { codeRanges, syntaxOf } from '../../arm64/scan.ts';
import { openFile } from '../fileSource.ts';
import { flag, type Args } from '../args.ts';

const USAGE = 'usage: binlens disasm FILE [--arch A] [--section NAME] [--start 0xADDR] [--count N]\n';

/** A64 code: arm64, arm64e, and big-endian aarch64_be (A64 instructions are little-endian in either data order). */
function isA64(arch: string): boolean {
  return arch === 'arm64' || arch === 'arm64e' || arch === 'aarch64_be';
}

function pickSlice(slices: ParsedSlice[], arch: string | undefined): ParsedSlice | string {
  const archs = slices.map((s) => s.report.arch);
  if (arch !== undefined) {
    const s = slices.find((x) => x.report.arch === arch);
    return s ?? `no ${arch} slice (the file has ${archs.join(', ') || 'none'})`;
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
    process.stderr.write(`binlens disasm: --count must be a whole number, not '${countFlag}'\n`);
    return 64;
  }
  const startFlag = flag(args, 'start');
  let start: bigint | undefined;
  if (startFlag !== undefined) {
    try {
      start = BigInt(startFlag.startsWith('0x') || startFlag.startsWith('0X') ? startFlag : '0x' + startFlag);
    } catch {
      process.stderr.write(`binlens disasm: --start must be a hex address, not '${startFlag}'\n`);
      return 64;
    }
  }
  const section = flag(args, 'section');

  let f;
  try {
    f = openFile(path);
  } catch (e) {
    process.stderr.write(`binlens disasm: cannot read ${path}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    return 2;
  }
  try {
    const parsed = parseFile(f.source);
    if (parsed.format === 'unknown') {
      process.stderr.write(`${basename(path)}: not an ELF or Mach-O binary\n`);
      return 2;
    }
    const slice = pickSlice(parsed.slices, flag(args, 'arch'));
    if (typeof slice === 'string') {
      process.stderr.write(`${basename(path)}: ${slice}\n`);
      return 2;
    }
    if (!isA64(slice.report.arch)) {
      process.stderr.write(`${basename(path)}: ${slice.report.arch} code is not disassembled (arm64 only)\n`);
      return 2;
    }
    const engine = await loadEngine();
    engine.setSyntax(syntaxOf(slice));
    let ranges = codeRanges(slice);
    if (section !== undefined) {
      ranges = ranges.filter((r) => r.section === section);
      if (ranges.length === 0) {
        const names = [...new Set(codeRanges(slice).map((r) => r.section))];
        process.stderr.write(`${basename(path)}: no text section '${section}' (text sections: ${names.join(', ') || 'none'})\n`);
        return 2;
      }
    }
    if (start !== undefined) {
      const s = start;
      const first = ranges.findIndex((r) => s < r.address + BigInt(r.bytes.byteLength));
      if (first < 0) {
        process.stderr.write(`${basename(path)}: no code at or after 0x${s.toString(16)}\n`);
        return 2;
      }
      ranges = ranges.slice(first);
      const r0 = ranges[0]!;
      if (s > r0.address) {
        const off = Number(s - r0.address) & ~3;
        ranges[0] = { ...r0, address: r0.address + BigInt(off), bytes: r0.bytes.subarray(off) };
      }
    }
    // The engine writes whole `ADDRESS:\tTEXT\n` lines, up to its 2 MB
    // output buffer per call; each chunk is copied once (the engine reuses
    // the buffer) and written as it comes.
    let left = count;
    for (const r of ranges) {
      if (left <= 0) break;
      left -= engine.disasmLines(r.bytes, r.address, true, (chunk) => process.stdout.write(Buffer.from(chunk)), left);
    }
    return 0;
  } finally {
    f.close();
  }
}
