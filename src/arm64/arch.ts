// Which slices hold A64 code, for every caller that decides whether to scan,
// list or disassemble one: the pipeline, the worker's tables and the CLI.

/** Slices the A64 engine reads (A64 instructions are little-endian even in big-endian aarch64_be files). */
export function isA64(arch: string): boolean {
  return arch === 'arm64' || arch === 'arm64e' || arch === 'aarch64_be';
}
